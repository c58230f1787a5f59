/* cmd-registry.c: `spotcheck registry import|list|show|demo`: the business,
 * inspector and lab directories the monthly draw works from. */
#include "cli/cli.h"

#include "scheduler/sched-demo.h"
#include "service/svc-registry.h"

#include <stdio.h>
#include <string.h>

/* Imports one file through the service; prints what changed. */
static gboolean
import_file (const SvcContext *svc, DbRegistryKind kind, const char *path, GError **error)
{
  SvcRegistryImport r;
  if (!svc_registry_import (svc, kind, path, NULL, &r, error))
    return FALSE;
  printf ("%s: %u %s imported: %u inserted, %u updated, %u unchanged\n", path, r.rows,
          db_registry_kind_name (kind), r.counts.inserted, r.counts.updated, r.counts.unchanged);
  return TRUE;
}

static int
registry_import (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx = cli_option_context (
      "businesses|inspectors|labs FILE",
      "Import a directory file (CSV or JSON; UTF-8 with or without BOM, or GB18030; Chinese "
      "or English headers) as an upsert keyed by credit code, id or code, in one transaction. "
      "Any bad row rejects the whole file: every problem is listed as FILE:LINE: column: value: "
      "why, and the database is left unchanged.",
      NULL);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  DbRegistryKind kind;
  if (argc != 3 || !db_registry_kind_parse (argv[1], &kind))
    return cli_usage_error ("registry import", "give businesses, inspectors or labs and a file");
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error) || !import_file (&svc, kind, argv[2], &error))
    return cli_report (error);
  return CLI_EXIT_OK;
}

static int
registry_list (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *street = NULL, *office = NULL, *grade = NULL, *category = NULL, *format = NULL;
  const GOptionEntry entries[] = {
    { "street", 0, 0, G_OPTION_ARG_STRING, &street, "Businesses of this street code", "CODE" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, "Businesses or inspectors of this office",
      "CODE" },
    { "grade", 0, 0, G_OPTION_ARG_STRING, &grade, "Businesses of this risk grade", "A-D" },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category,
      "Businesses handling, or labs accredited for, this category", "CC" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "text (default), csv or json", "FORMAT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "businesses|inspectors|labs", "List a directory, optionally filtered.", entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  DbRegistryKind kind;
  ReportFormat fmt;
  if (argc != 2 || !db_registry_kind_parse (argv[1], &kind))
    return cli_usage_error ("registry list", "give businesses, inspectors or labs, and no more");
  if (!cli_format_option ("registry list", format, CLI_FORMATS_ROWS, &fmt, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  SvcRegistryFilter filter = { street, office, grade, category };
  g_autoptr (CoreTable) table = svc_registry_list (&svc, kind, &filter, &error);
  if (table == NULL)
    return cli_report (error);
  return cli_write_table (fmt, NULL, table);
}

static int
registry_show (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "text (default), csv or json", "FORMAT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "USCC|ID|CODE", "Show one business (by credit code), inspector (by id) or lab (by code).",
      entries);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("registry show", "give one credit code, inspector id or lab code");
  if (!cli_format_option ("registry show", format, CLI_FORMATS_ROWS, &fmt, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  g_autoptr (CoreTable) table = svc_registry_show (&svc, argv[1], NULL, &error);
  if (table == NULL)
    return cli_report (error);
  /* For people, say first what kind of entry this is. */
  if (fmt == REPORT_FORMAT_TEXT)
    printf ("%s\n", core_table_key (table));
  return cli_write_table (fmt, NULL, table);
}

static int
registry_demo (CliContext *ctx, int argc, char **argv)
{
  int businesses = 0, labs = 4;
  gint64 seed = 1;
  gboolean load = FALSE;
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
    { "businesses", 0, 0, G_OPTION_ARG_INT, &businesses, "How many businesses (required)", "N" },
    { "labs", 0, 0, G_OPTION_ARG_INT, &labs, "How many labs (default 4)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      "Generator seed (default 1): same seed, same "
      "district",
      "S" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      "Directory to write the CSV files into "
      "(required)",
      "DIR" },
    { "load", 0, 0, G_OPTION_ARG_NONE, &load, "Also import them into the database", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      "Write a plausible demo district (businesses over the district's streets, inspectors per "
      "office with a few conflicts, labs) as the CSV files `registry import` reads.",
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (businesses <= 0 || labs <= 0 || out == NULL || seed < 0)
    return cli_usage_error ("registry demo", "--businesses N (N > 0) and --out DIR are required");
  g_autoptr (GError) error = NULL;
  const CoreCatalog *catalog = cli_catalog (ctx, &error);
  if (catalog == NULL)
    return cli_report (error);
  g_autoptr (SchedDemo) demo
      = sched_demo_generate (catalog, (guint64)seed, (guint)businesses, (guint)labs, &error);
  if (demo == NULL || !sched_demo_write_csv (demo, out, &error))
    return cli_report (error);
  printf ("wrote %u businesses, %u inspectors and %u labs to %s\n", demo->businesses->len,
          demo->inspectors->len, demo->labs->len, out);
  if (!load)
    return CLI_EXIT_OK;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  /* Businesses first: inspectors' conflicts name them. */
  const struct
  {
    DbRegistryKind kind;
    const char *file;
  } files[] = { { DB_REGISTRY_BUSINESSES, SCHED_DEMO_BUSINESSES_FILE },
                { DB_REGISTRY_INSPECTORS, SCHED_DEMO_INSPECTORS_FILE },
                { DB_REGISTRY_LABS, SCHED_DEMO_LABS_FILE } };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (out, files[i].file, NULL);
      if (!import_file (&svc, files[i].kind, path, &error))
        return cli_report (error);
    }
  return CLI_EXIT_OK;
}

static const CliCommand registry_commands[] = {
  { "import", "import businesses, inspectors or labs from a CSV or JSON file", registry_import },
  { "list", "list a directory (text, csv or json)", registry_list },
  { "show", "one business, inspector or lab", registry_show },
  { "demo", "write (and load) a demo district's directory files", registry_demo },
  { NULL },
};

const CliGroup cli_group_registry
    = { "registry", "The directories: businesses, inspectors and labs.", registry_commands };
