/* cmd-registry.c: `spotcheck registry import|list|show|demo`: the business,
 * inspector and lab directories the monthly draw works from. */
#include "cli/cli.h"
#include "cli/cli-progress.h"

#include "scheduler/sched-demo.h"
#include "service/svc-history.h"
#include "service/svc-registry.h"

#include <stdio.h>
#include <string.h>
#include "core/core-i18n.h"

/* Imports one file through the service; prints what changed. */
static gboolean
import_file (const SvcContext *svc, DbRegistryKind kind, const char *path, GError **error)
{
  SvcRegistryImport r;
  /* A bar on a terminal; nothing in a pipe, whose output scripts read. */
  g_autoptr (CliProgress) progress = cli_progress_for_stderr (CLI_PROGRESS_QUIET);
  SvcContext with_progress = *svc;
  with_progress.progress = cli_progress_core (progress);
  gboolean imported = svc_registry_import (&with_progress, kind, path, NULL, &r, error);
  cli_progress_done (progress);
  if (!imported)
    return FALSE;
  printf (_ ("%s: %u %s imported: %u inserted, %u updated, %u unchanged\n"), path, r.rows,
          db_registry_kind_name (kind), r.counts.inserted, r.counts.updated, r.counts.unchanged);
  return TRUE;
}

static int
registry_import (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx = cli_option_context (
      "businesses|inspectors|labs FILE",
      _ ("Import a directory file (CSV or JSON; UTF-8 with or without BOM, or GB18030; Chinese "
         "or English headers) as an upsert keyed by credit code, id or code, in one transaction. "
         "Any bad row rejects the whole file: every problem is listed as FILE:LINE: column: value: "
         "why, and the database is left unchanged."),
      NULL);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  DbRegistryKind kind;
  if (argc != 3 || !db_registry_kind_parse (argv[1], &kind))
    return cli_usage_error ("registry import",
                            _ ("give businesses, inspectors or labs and a file"));
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
    { "street", 0, 0, G_OPTION_ARG_STRING, &street, N_ ("Businesses of this street code"), "CODE" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, N_ ("Businesses or inspectors of this office"),
      "CODE" },
    { "grade", 0, 0, G_OPTION_ARG_STRING, &grade, N_ ("Businesses of this risk grade"), "A-D" },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category,
      N_ ("Businesses handling, or labs accredited for, this category"), "CC" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text (default), csv or json"), "FORMAT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "businesses|inspectors|labs", _ ("List a directory, optionally filtered."), entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  DbRegistryKind kind;
  ReportFormat fmt;
  if (argc != 2 || !db_registry_kind_parse (argv[1], &kind))
    return cli_usage_error ("registry list", _ ("give businesses, inspectors or labs%s%s%s"),
                            argc > 2 ? ", and no more (unexpected \"" : "", argc > 2 ? argv[2] : "",
                            argc > 2 ? "\")" : "");
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
  g_autofree char *format = NULL, *out = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text (default), csv, json or xlsx"),
      "FORMAT" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("Write to FILE instead of standard output"),
      "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "USCC|ID|CODE",
      _ ("Show one business (by credit code), inspector (by id) or lab (by code). A business comes "
         "with its record: its samples and their verdicts, its nonconformities (failed items) and "
         "its cases."),
      entries);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("registry show", _ ("give one credit code, inspector id or lab code"));
  if (!cli_format_option ("registry show", format, CLI_FORMATS_ALL, &fmt, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  g_autoptr (CoreDocument) doc = svc_registry_show_document (&svc, argv[1], NULL, &error);
  if (doc == NULL)
    return cli_report (error);
  /* For people, say first what kind of entry this is (the text writer
   * titles each table of a document of several). */
  if (fmt == REPORT_FORMAT_TEXT && out == NULL && doc->tables->len == 1)
    printf ("%s\n", core_table_title (g_ptr_array_index (doc->tables, 0)));
  return cli_write_document (fmt, out, doc);
}

static int
registry_suggest_grades (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *format = NULL, *out = NULL, *directory = NULL;
  int year = 0;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &year, N_ ("The year whose record is read (required)"),
      "YYYY" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text (default), csv, json or xlsx"),
      "FORMAT" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      N_ ("Write the list to FILE instead of standard output"), "FILE" },
    { "as-directory", 0, 0, G_OPTION_ARG_FILENAME, &directory,
      N_ ("Also write the businesses with their suggested grades to FILE, a CSV directory file "
          "that "
          "`registry import businesses` reads"),
      "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("List businesses whose record in a year (nonconformities, filed cases) suggests a higher "
         "risk grade, by the rules of [grade-suggestion] in the configuration, with the current "
         "grade, the suggested one and why. Nothing changes: review the list, then import the "
         "--as-directory file to apply it."),
      entries);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return cli_usage_error ("registry suggest-grades", _ ("unexpected argument \"%s\""), argv[1]);
  if (year == 0)
    return cli_usage_error ("registry suggest-grades", _ ("--year YYYY is required"));
  if (year < 2000 || year > 2100)
    return cli_usage_error ("registry suggest-grades", _ ("--year must be 2000 to 2100, not %d"),
                            year);
  if (directory != NULL && *directory == '\0')
    return cli_usage_error ("registry suggest-grades", _ ("--as-directory needs a FILE"));
  if (directory != NULL && out != NULL && strcmp (directory, out) == 0)
    return cli_usage_error ("registry suggest-grades",
                            _ ("--as-directory and --out must be different files"));
  if (!cli_format_option ("registry suggest-grades", format, CLI_FORMATS_ALL, &fmt, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  g_autoptr (CoreTable) dir = NULL;
  g_autoptr (CoreTable) table
      = svc_registry_suggest_grades (&svc, year, directory ? &dir : NULL, &error);
  if (table == NULL)
    return cli_report (error);
  if (directory != NULL)
    {
      code = cli_write_table (REPORT_FORMAT_CSV, directory, dir);
      if (code != CLI_EXIT_OK)
        return code;
    }
  if (fmt == REPORT_FORMAT_TEXT && out == NULL && core_table_n_rows (table) == 0)
    printf (_ ("no business's record in %d suggests a higher risk grade\n"), year);
  else if ((code = cli_write_table (fmt, out, table)) != CLI_EXIT_OK)
    return code;
  if (directory != NULL)
    g_printerr (_ ("wrote %u business%s with suggested grades to %s; review it, then `spotcheck "
                   "registry import businesses %s`\n"),
                core_table_n_rows (dir), core_table_n_rows (dir) == 1 ? "" : "es", directory,
                directory);
  return CLI_EXIT_OK;
}

static int
registry_demo (CliContext *ctx, int argc, char **argv)
{
  int businesses = 0, labs = 4;
  gint64 seed = 1;
  gboolean load = FALSE;
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
    { "businesses", 0, 0, G_OPTION_ARG_INT, &businesses, N_ ("How many businesses (required)"),
      "N" },
    { "labs", 0, 0, G_OPTION_ARG_INT, &labs, N_ ("How many labs (default 4)"), "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_ ("Generator seed (default 1): same seed, same "
          "district"),
      "S" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      N_ ("Directory to write the CSV files into "
          "(required)"),
      "DIR" },
    { "load", 0, 0, G_OPTION_ARG_NONE, &load, N_ ("Also import them into the database"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Write a plausible demo district (businesses over the district's streets, inspectors per "
         "office with a few conflicts, labs) as the CSV files `registry import` reads."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  /* A demo district is a few thousand businesses; a million is already a national province. */
  if (businesses <= 0 || businesses > 1000000)
    return cli_usage_error ("registry demo", _ ("--businesses N is required, 1 to 1000000"));
  if (labs <= 0 || labs > 100)
    return cli_usage_error ("registry demo", _ ("--labs must be 1 to 100"));
  if (seed < 0)
    return cli_usage_error ("registry demo", _ ("--seed must be 0 or more"));
  if (out == NULL)
    return cli_usage_error ("registry demo", _ ("--out DIR is required"));
  g_autoptr (GError) error = NULL;
  const CoreCatalog *catalog = cli_catalog (ctx, &error);
  if (catalog == NULL)
    return cli_report (error);
  g_autoptr (CliProgress) progress = cli_progress_for_stderr (CLI_PROGRESS_QUIET);
  g_autoptr (SchedDemo) demo = sched_demo_generate_with_progress (
      catalog, (guint64)seed, (guint)businesses, (guint)labs, cli_progress_core (progress), &error);
  cli_progress_done (progress);
  if (demo == NULL || !sched_demo_write_csv (demo, out, &error))
    return cli_report (error);
  printf (_ ("wrote %u businesses, %u inspectors and %u labs to %s\n"), demo->businesses->len,
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
  { "import", N_ ("import businesses, inspectors or labs from a CSV or JSON file"),
    registry_import },
  { "list", N_ ("list a directory (text, csv or json)"), registry_list },
  { "show", N_ ("one business (with its samples, nonconformities and cases), inspector or lab"),
    registry_show },
  { "suggest-grades", N_ ("businesses whose year suggests a higher risk grade (never a change)"),
    registry_suggest_grades },
  { "demo", N_ ("write (and load) a demo district's directory files"), registry_demo },
  { NULL },
};

const CliGroup cli_group_registry
    = { "registry", N_ ("The directories: businesses, inspectors and labs."), registry_commands };
