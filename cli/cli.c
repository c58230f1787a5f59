/* cli.c: shared command plumbing: lazy loading of config and database, errors. */
#include "cli/cli.h"
#include "cli/cli-lang.h"

#include "db/db-migrate.h"

#include <gio/gio.h>
#include <gio/gunixoutputstream.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (spotcheck - cli - error - quark, cli_error)

void
cli_context_clear (CliContext *ctx)
{
  g_clear_pointer (&ctx->conn, PQfinish);
  g_clear_pointer (&ctx->cluster, db_cluster_free);
  g_clear_pointer (&ctx->calendar, core_calendar_free);
  g_clear_pointer (&ctx->deadlines, cases_deadlines_free);
  g_clear_pointer (&ctx->workflow, cases_workflow_free);
  g_clear_pointer (&ctx->catalog, core_catalog_free);
  g_clear_pointer (&ctx->config, core_config_free);
  g_clear_pointer (&ctx->config_path, g_free);
  g_clear_pointer (&ctx->conninfo, g_free);
  g_clear_pointer (&ctx->data_dir, g_free);
  g_clear_pointer (&ctx->conninfo_source, g_free);
}

gboolean
cli_config (CliContext *ctx, GError **error)
{
  if (ctx->config == NULL)
    ctx->config = core_config_load (ctx->config_path, error);
  return ctx->config != NULL;
}

const CoreCatalog *
cli_catalog (CliContext *ctx, GError **error)
{
  if (ctx->catalog == NULL && cli_config (ctx, error))
    ctx->catalog = core_catalog_load (ctx->config, error);
  return ctx->catalog;
}

const CoreCalendar *
cli_calendar (CliContext *ctx, GError **error)
{
  if (ctx->calendar == NULL && cli_config (ctx, error))
    ctx->calendar = core_calendar_new (ctx->config, error);
  return ctx->calendar;
}

char *
cli_configured_conninfo (CliContext *ctx, GError **error)
{
  if (!cli_config (ctx, error))
    return NULL;
  g_free (ctx->conninfo_source);
  if (ctx->conninfo != NULL && *ctx->conninfo != '\0')
    {
      ctx->conninfo_source = g_strdup ("--db");
      return g_strdup (ctx->conninfo);
    }
  const char *env = g_getenv ("SPOTCHECK_DB");
  if (env != NULL && *env != '\0')
    {
      ctx->conninfo_source = g_strdup ("SPOTCHECK_DB");
      return g_strdup (env);
    }
  g_autofree char *conf = core_config_get_string_or (ctx->config, "database", "conninfo", "");
  if (*conf != '\0')
    {
      ctx->conninfo_source = g_strdup_printf (
          "%s [database] conninfo", core_config_origin (ctx->config, "database", "conninfo"));
      return g_steal_pointer (&conf);
    }
  ctx->conninfo_source = g_strdup ("embedded");
  return NULL;
}

DbCluster *
cli_cluster (CliContext *ctx, GError **error)
{
  if (ctx->cluster != NULL)
    return ctx->cluster;
  g_autoptr (GError) local = NULL;
  g_autofree char *conninfo = cli_configured_conninfo (ctx, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (conninfo != NULL)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _ ("a database server is configured (%s), so there is no embedded cluster to "
                      "manage; unset it to use the embedded one"),
                   ctx->conninfo_source);
      return NULL;
    }
  DbClusterOptions options;
  if (!db_cluster_options_from_config (ctx->config, ctx->data_dir, &options, error))
    return NULL;
  ctx->cluster = db_cluster_new (&options, error);
  db_cluster_options_clear (&options);
  return ctx->cluster;
}

PGconn *
cli_db (CliContext *ctx, GError **error)
{
  if (ctx->conn != NULL)
    return ctx->conn;
  g_autoptr (GError) local = NULL;
  g_autofree char *conninfo = cli_configured_conninfo (ctx, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (conninfo == NULL)
    {
      DbCluster *cluster = cli_cluster (ctx, error);
      if (cluster == NULL || !db_cluster_ensure (cluster, "spotcheck", error))
        return NULL;
      conninfo = db_cluster_conninfo (cluster, "spotcheck");
    }
  g_autoptr (PGconn) conn = db_connect (conninfo, error);
  const CoreCatalog *catalog = cli_catalog (ctx, error);
  int applied = 0;
  if (conn == NULL || catalog == NULL || !db_migrate (conn, &applied, error)
      || !db_sync_catalog_if_changed (conn, catalog, NULL, error))
    return NULL;
  if (applied > 0)
    g_printerr (_ ("spotcheck: applied %d database migration%s\n"), applied,
                applied == 1 ? "" : "s");
  ctx->conn = g_steal_pointer (&conn);
  return ctx->conn;
}

gboolean
cli_parse_month (const char *command, const char *option, const char *text, int *year, int *month,
                 int *code)
{
  guint64 y = 0, m = 0;
  if (text != NULL && strlen (text) == 7 && text[4] == '-'
      && g_ascii_string_to_unsigned (text + 5, 10, 1, 12, &m, NULL))
    {
      g_autofree char *ys = g_strndup (text, 4);
      if (g_ascii_string_to_unsigned (ys, 10, 2000, 2099, &y, NULL))
        {
          *year = (int)y;
          *month = (int)m;
          return TRUE;
        }
    }
  *code = cli_usage_error (command, _ ("%s YYYY-MM is required, e.g. %s 2024-03"), option, option);
  return FALSE;
}

gboolean
cli_parse_number (const char *command, const char *option, const char *text, gint64 min, gint64 max,
                  int *out, int *code)
{
  gint64 v = 0;
  if (text == NULL)
    return TRUE;
  /* Decimal digits only: no sign games, no 0x, no spaces. */
  gboolean digits = *text != '\0';
  for (const char *p = text; *p; p++)
    digits = digits && g_ascii_isdigit (*p);
  if (digits && g_ascii_string_to_signed (text, 10, min, MIN (max, G_MAXINT), &v, NULL))
    {
      *out = (int)v;
      return TRUE;
    }
  *code = cli_usage_error (command,
                           "%s must be a whole number from %" G_GINT64_FORMAT
                           " to %" G_GINT64_FORMAT ", not \"%s\"",
                           option, min, MIN (max, G_MAXINT), text);
  return FALSE;
}

const char *
cli_actor (void)
{
  const char *who = g_getenv ("SPOTCHECK_ACTOR");
  return who && *who ? who : g_get_user_name ();
}

char *
cli_padded (const char *text, guint width)
{
  GString *s = g_string_new (text);
  for (guint w = report_text_width (text); w < width; w++)
    g_string_append_c (s, ' ');
  return g_string_free (s, FALSE);
}

const char *
cli_option_translate (const char *text, gpointer unused)
{
  (void)unused;
  return core_gettext (text);
}

GOptionContext *
cli_option_context (const char *usage, const char *summary, const GOptionEntry *entries)
{
  GOptionContext *octx = g_option_context_new (usage);
  /* Option descriptions are marked N_ in the tables and translated here. */
  g_option_context_set_summary (octx, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (octx, entries, NULL);
  /* The context's texts (usage, summary) and the main group's entries. */
  g_option_context_set_translate_func (octx, cli_option_translate, NULL, NULL);
  if (entries != NULL)
    g_option_group_set_translate_func (g_option_context_get_main_group (octx), cli_option_translate,
                                       NULL, NULL);
  return octx;
}

gboolean
cli_parse (GOptionContext *octx, int *argc, char ***argv, int *exit_code)
{
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (octx, argc, argv, &error))
    {
      g_printerr (_ ("spotcheck: %s; see --help\n"), error->message);
      *exit_code = CLI_EXIT_USER;
      return FALSE;
    }
  return TRUE;
}

int
cli_report (const GError *error)
{
  const char *advice = cli_error_advice (error);
  const char *argument = error->domain == SVC_ERROR ? svc_error_argument (error) : NULL;
  if (argument != NULL)
    {
      /* The service's argument key is the option's name: "from_month" is --from-month. */
      g_autofree char *option = g_strdelimit (g_strdup (argument), "_", '-');
      if (advice != NULL)
        g_printerr (_ ("spotcheck: --%s: %s; %s\n"), option, error->message, advice);
      else
        g_printerr (_ ("spotcheck: --%s: %s\n"), option, error->message);
      return cli_error_exit (error);
    }
  if (advice != NULL && strstr (error->message, advice) == NULL)
    g_printerr (_ ("spotcheck: %s; %s\n"), error->message, advice);
  else
    g_printerr (_ ("spotcheck: %s\n"), error->message);
  return cli_error_exit (error);
}

int
cli_usage_error (const char *command, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_printerr (_ ("spotcheck %s: %s; see `spotcheck %s --help`\n"), command, msg, command);
  return CLI_EXIT_USER;
}

gboolean
cli_service (CliContext *ctx, SvcContext *svc, GError **error)
{
  PGconn *conn = cli_db (ctx, error);
  if (conn == NULL || cli_calendar (ctx, error) == NULL)
    return FALSE;
  if (ctx->deadlines == NULL)
    ctx->deadlines = cases_deadlines_load (ctx->config, error);
  if (ctx->deadlines == NULL)
    return FALSE;
  if (ctx->workflow == NULL)
    ctx->workflow = cases_workflow_load (ctx->config, error);
  if (ctx->workflow == NULL)
    return FALSE;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  *svc = (SvcContext){
    .conn = conn,
    .config = ctx->config,
    .catalog = ctx->catalog,
    .calendar = ctx->calendar,
    .deadlines = ctx->deadlines,
    .workflow = ctx->workflow,
    .actor = cli_actor (),
    .role = SVC_ROLE_COORDINATOR,
  };
  g_date_set_dmy (&svc->today, (GDateDay)g_date_time_get_day_of_month (now),
                  (GDateMonth)g_date_time_get_month (now), (GDateYear)g_date_time_get_year (now));
  return TRUE;
}

gboolean
cli_format_option (const char *command, const char *text, guint allowed, ReportFormat *format,
                   int *code)
{
  if (text == NULL)
    text = "text";
  if (report_format_parse (text, format) && (allowed & (1u << *format)))
    return TRUE;
  g_autoptr (GString) names = g_string_new (NULL);
  for (ReportFormat f = REPORT_FORMAT_TEXT; f < REPORT_N_FORMATS; f++)
    if (allowed & (1u << f))
      g_string_append_printf (names, "%s%s", names->len ? ", " : "", report_format_name (f));
  *code = cli_usage_error (command, _ ("--format must be one of %s, not \"%s\""), names->str, text);
  return FALSE;
}

static int
write_out (ReportFormat format, const char *out_path, const char *lang, const CoreDocument *doc,
           const CoreTable *table)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) out = NULL;
  g_autoptr (GFile) file = NULL;
  gboolean to_stdout = out_path == NULL || g_str_equal (out_path, "-");
  if (to_stdout && format == REPORT_FORMAT_XLSX && isatty (STDOUT_FILENO))
    {
      g_printerr (
          _ ("spotcheck: an XLSX workbook is not for the terminal; give --out FILE.xlsx\n"));
      return CLI_EXIT_USER;
    }
  if (to_stdout)
    {
      fflush (stdout);
      out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }
  else
    {
      /* Written beside the target and renamed over it on close, so a failed
       * write never leaves half a file. */
      file = g_file_new_for_commandline_arg (out_path);
      out = G_OUTPUT_STREAM (
          g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, &error));
      if (out == NULL)
        {
          g_printerr (_ ("spotcheck: --out: cannot write %s: %s\n"), out_path, error->message);
          return CLI_EXIT_USER;
        }
    }
  /* Labels for people (text, XLSX) in the language of the messages, unless
   * the command asked for one; CSV and JSON keys never change. */
  if (lang == NULL)
    lang = cli_lang_current ();
  gboolean ok = doc ? report_write_document (format, out, lang, doc, &error)
                    : report_write_table (format, out, lang, table, &error);
  if (!ok)
    {
      if (file != NULL)
        {
          /* Closing through a cancelled cancellable drops the replacement. */
          g_autoptr (GCancellable) cancel = g_cancellable_new ();
          g_cancellable_cancel (cancel);
          g_output_stream_close (out, cancel, NULL);
        }
      return cli_report (error);
    }
  if (file != NULL && !g_output_stream_close (out, NULL, &error))
    {
      g_printerr (_ ("spotcheck: cannot write %s: %s\n"), out_path, error->message);
      return CLI_EXIT_USER;
    }
  return CLI_EXIT_OK;
}

int
cli_write_document (ReportFormat format, const char *out_path, const CoreDocument *doc)
{
  return write_out (format, out_path, NULL, doc, NULL);
}

int
cli_write_document_in (ReportFormat format, const char *out_path, const char *lang,
                       const CoreDocument *doc)
{
  return write_out (format, out_path, lang, doc, NULL);
}

int
cli_write_table (ReportFormat format, const char *out_path, const CoreTable *table)
{
  return write_out (format, out_path, NULL, NULL, table);
}
