/* cli.c: shared command plumbing: lazy loading of config and database, errors. */
#include "cli/cli.h"

#include "db/db-migrate.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (spotcheck - cli - error - quark, cli_error)

void
cli_context_clear (CliContext *ctx)
{
  g_clear_pointer (&ctx->conn, PQfinish);
  g_clear_pointer (&ctx->cluster, db_cluster_free);
  g_clear_pointer (&ctx->calendar, core_calendar_free);
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
                   "a database server is configured (%s), so there is no embedded cluster to "
                   "manage; unset it to use the embedded one",
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
      || !db_sync_catalog (conn, catalog, error))
    return NULL;
  if (applied > 0)
    g_printerr ("spotcheck: applied %d database migration%s\n", applied, applied == 1 ? "" : "s");
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
  *code = cli_usage_error (command, "%s YYYY-MM is required, e.g. %s 2024-03", option, option);
  return FALSE;
}

const char *
cli_actor (void)
{
  const char *who = g_getenv ("SPOTCHECK_ACTOR");
  return who && *who ? who : g_get_user_name ();
}

GOptionContext *
cli_option_context (const char *usage, const char *summary, const GOptionEntry *entries)
{
  GOptionContext *octx = g_option_context_new (usage);
  g_option_context_set_summary (octx, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (octx, entries, NULL);
  return octx;
}

gboolean
cli_parse (GOptionContext *octx, int *argc, char ***argv, int *exit_code)
{
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (octx, argc, argv, &error))
    {
      g_printerr ("spotcheck: %s; see --help\n", error->message);
      *exit_code = CLI_EXIT_USER;
      return FALSE;
    }
  return TRUE;
}

int
cli_report (const GError *error)
{
  g_printerr ("spotcheck: %s\n", error->message);
  if (error->domain == CLI_ERROR)
    return error->code == CLI_ERROR_SYSTEM ? CLI_EXIT_SYSTEM : CLI_EXIT_USER;
  if (error->domain == DB_CLUSTER_ERROR)
    return error->code == DB_CLUSTER_ERROR_DATA_DIR || error->code == DB_CLUSTER_ERROR_USER
               ? CLI_EXIT_USER
               : CLI_EXIT_SYSTEM;
  if (error->domain == DB_ERROR)
    {
      char state[6];
      db_error_sqlstate (error, state);
      /* Data and integrity problems are the user's to fix; the rest is the system. */
      return (g_str_has_prefix (state, "22") || g_str_has_prefix (state, "23")
              || g_str_has_prefix (state, "P0"))
                 ? CLI_EXIT_USER
                 : CLI_EXIT_SYSTEM;
    }
  if (error->domain == G_FILE_ERROR || error->domain == G_IO_ERROR)
    return CLI_EXIT_SYSTEM;
  return CLI_EXIT_USER;
}

int
cli_usage_error (const char *command, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_printerr ("spotcheck %s: %s; see `spotcheck %s --help`\n", command, msg, command);
  return CLI_EXIT_USER;
}
