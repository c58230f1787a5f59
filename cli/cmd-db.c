/* cmd-db.c: `spotcheck db start|stop|status|migrate|psql|backup|restore`. */
#include "cli/cli.h"

#include "db/db-backup.h"
#include "db/db-migrate.h"
#include "service/svc-cases.h"

#include <stdio.h>
#include <errno.h>
#include <unistd.h>
#include "core/core-i18n.h"

static int
db_start (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx = cli_option_context (
      "", _ ("Start the embedded PostgreSQL (initialising it on first use) and migrate it."), NULL);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  g_autoptr (GError) error = NULL;
  DbCluster *cluster = cli_cluster (ctx, &error);
  if (cluster == NULL || cli_db (ctx, &error) == NULL)
    return cli_report (error);
  printf (_ ("embedded PostgreSQL running in %s\n"), db_cluster_data_dir (cluster));
  return CLI_EXIT_OK;
}

static int
db_stop (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx
      = cli_option_context ("", _ ("Stop the embedded PostgreSQL (fast shutdown)."), NULL);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  g_autoptr (GError) error = NULL;
  DbCluster *cluster = cli_cluster (ctx, &error);
  if (cluster == NULL)
    return cli_report (error);
  gboolean was_running = db_cluster_is_running (cluster);
  if (!db_cluster_stop (cluster, &error))
    return cli_report (error);
  printf (_ ("embedded PostgreSQL in %s %s\n"), db_cluster_data_dir (cluster),
          was_running ? _ ("stopped") : _ ("was not running"));
  return CLI_EXIT_OK;
}

static int
db_migrate_cmd (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx = cli_option_context (
      "", _ ("Apply pending schema migrations (idempotent) and sync the catalog from config."),
      NULL);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  /* Synced even when its digest is unchanged, which repairs rows changed by
   * hand. */
  if (conn == NULL || !db_sync_catalog (conn, ctx->catalog, &error))
    return cli_report (error);
  /* the case workflow of config/case-workflow.conf, when its digest changed */
  SvcContext svc;
  gboolean synced = FALSE;
  if (!cli_service (ctx, &svc, &error) || !svc_cases_workflow_sync (&svc, &synced, &error))
    return cli_report (error);
  if (synced)
    printf (_ ("case workflow synced from config/case-workflow.conf\n"));
  g_autoptr (GPtrArray) status = db_migrate_status (conn, &error);
  if (status == NULL)
    return cli_report (error);
  printf (_ ("database is at migration %s; nothing pending\n"),
          status->len ? ((DbMigration *)g_ptr_array_index (status, status->len - 1))->name
                      : "(none)");
  return CLI_EXIT_OK;
}

static int
db_status (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx = cli_option_context (
      "", _ ("Show where the database is, whether it runs, and applied and pending migrations."),
      NULL);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  g_autoptr (GError) error = NULL;
  g_autofree char *conninfo = cli_configured_conninfo (ctx, &error);
  if (error != NULL)
    return cli_report (error);
  g_autoptr (PGconn) conn = NULL;
  if (conninfo == NULL)
    {
      DbCluster *cluster = cli_cluster (ctx, &error);
      if (cluster == NULL)
        return cli_report (error);
      gboolean running = db_cluster_is_running (cluster);
      printf (_ ("database:    embedded cluster\n"
                 "data dir:    %s\n"
                 "binaries:    %s\n"
                 "initialised: %s\n"
                 "running:     %s\n"),
              db_cluster_data_dir (cluster), db_cluster_bindir (cluster),
              db_cluster_is_initialised (cluster) ? _ ("yes") : _ ("no"),
              running ? _ ("yes") : _ ("no"));
      if (!running)
        {
          printf (_ ("migrations:  unknown until started (`spotcheck db start`)\n"));
          return CLI_EXIT_OK;
        }
      conninfo = db_cluster_conninfo (cluster, "spotcheck");
    }
  else
    printf (_ ("database:    server from %s\n"), ctx->conninfo_source);
  /* Status must not change anything: connect without migrating. */
  conn = db_connect (conninfo, &error);
  if (conn == NULL)
    return cli_report (error);
  g_autofree char *version = db_server_version (conn);
  printf (_ ("server:      PostgreSQL %s\n"), version);
  g_autoptr (GPtrArray) status = db_migrate_status (conn, &error);
  if (status == NULL)
    return cli_report (error);
  guint pending = 0;
  printf (_ ("migrations:\n"));
  for (guint i = 0; i < status->len; i++)
    {
      const DbMigration *m = g_ptr_array_index (status, i);
      pending += m->applied_at == NULL;
      printf ("  %-32s %s\n", m->name, m->applied_at ? m->applied_at : "pending");
    }
  printf (_ ("%u applied, %u pending%s\n"), status->len - pending, pending,
          pending ? " (run `spotcheck db migrate`)" : "");
  return CLI_EXIT_OK;
}

static int
db_psql (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx = cli_option_context (
      "[-- PSQL-ARGS...]", _ ("Open psql on the database (starting the embedded cluster)."), NULL);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  g_autoptr (GError) error = NULL;
  if (cli_db (ctx, &error) == NULL)
    return cli_report (error);
  g_autofree char *conninfo = cli_configured_conninfo (ctx, &error);
  if (conninfo == NULL)
    conninfo = db_cluster_conninfo (ctx->cluster, "spotcheck");
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_ptr_array_add (args, (char *)"psql");
  g_ptr_array_add (args, conninfo);
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--") != 0)
      g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, NULL);
  fflush (stdout);
  execvp ("psql", (char **)args->pdata);
  g_printerr (_ ("spotcheck: cannot run psql: %s; install postgresql-client\n"),
              g_strerror (errno));
  return CLI_EXIT_SYSTEM;
}

static int
db_backup_cmd (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx = cli_option_context (
      "FILE",
      _ ("Save the whole database to FILE (pg_dump's custom format); restore it "
         "with `spotcheck db restore FILE`."),
      NULL);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("db backup", _ ("give the backup file to write"));
  g_autoptr (GError) error = NULL;
  g_autofree char *conninfo = cli_configured_conninfo (ctx, &error);
  if (error != NULL)
    return cli_report (error);
  const char *bindir = NULL;
  if (conninfo == NULL)
    {
      /* The owner reads every table; the cluster's own pg_dump matches its version. */
      DbCluster *cluster = cli_cluster (ctx, &error);
      if (cluster == NULL || !db_cluster_ensure (cluster, "spotcheck", &error))
        return cli_report (error);
      conninfo = db_cluster_owner_conninfo (cluster, "spotcheck");
      bindir = db_cluster_bindir (cluster);
    }
  if (!db_backup (bindir, conninfo, argv[1], &error))
    return cli_report (error);
  printf (_ ("database saved to %s\n"), argv[1]);
  return CLI_EXIT_OK;
}

static gboolean restore_yes;

static const GOptionEntry restore_entries[] = {
  { "yes", 'y', 0, G_OPTION_ARG_NONE, &restore_yes,
    N_ ("replace the database without asking (required without a terminal)"), NULL },
  { NULL },
};

/* Asks on the terminal; without one, only --yes agrees. */
static gboolean
confirm_replace (const char *what)
{
  if (restore_yes)
    return TRUE;
  if (!isatty (STDIN_FILENO))
    return FALSE;
  printf ("%s [y/N] ", what);
  fflush (stdout);
  char answer[16] = "";
  return fgets (answer, sizeof answer, stdin) != NULL && (answer[0] == 'y' || answer[0] == 'Y');
}

static int
db_restore_cmd (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx = cli_option_context (
      "FILE",
      _ ("Replace the embedded database with the backup in FILE. The file is restored into a "
         "scratch database first; the live one is replaced only when that succeeded."),
      restore_entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("db restore", _ ("give the backup file to restore"));
  g_autoptr (GError) error = NULL;
  DbCluster *cluster = cli_cluster (ctx, &error);
  if (cluster == NULL)
    return cli_report (error);
  if (!confirm_replace ("Replace everything in the embedded database with the backup?"))
    return cli_usage_error (
        "db restore", _ ("not confirmed: nothing changed; pass --yes to replace the database"));
  if (!db_cluster_restore (cluster, "spotcheck", argv[1], &error))
    return cli_report (error);
  printf (_ ("database restored from %s\n"), argv[1]);
  return CLI_EXIT_OK;
}

static const CliCommand db_commands[] = {
  { "start", N_ ("start the embedded PostgreSQL and migrate it"), db_start },
  { "stop", N_ ("stop the embedded PostgreSQL"), db_stop },
  { "status", N_ ("where the database is; applied and pending migrations"), db_status },
  { "migrate", N_ ("apply pending migrations (idempotent)"), db_migrate_cmd },
  { "psql", N_ ("open psql on the database"), db_psql },
  { "backup", N_ ("save the database to a file"), db_backup_cmd },
  { "restore", N_ ("replace the embedded database with a backup"), db_restore_cmd },
  { NULL },
};

const CliGroup cli_group_db = { "db", N_ ("Manage the database and its schema."), db_commands };
