/* cmd-demo.c: `spotcheck demo`: a walk through what the system holds and does.
 * It grows with each capability; today it shows the database and the catalog. */
#include "cli/cli.h"

#include "db/db-migrate.h"

#include <stdio.h>

/* Tables whose row counts show the state of the database, in flow order. */
static const char *const demo_tables[] = { "district", "street", "office", "category" };

static gboolean
print_database (CliContext *ctx, PGconn *conn, GError **error)
{
  g_autoptr (GPtrArray) status = db_migrate_status (conn, error);
  if (status == NULL)
    return FALSE;
  printf ("== Database\n");
  if (ctx->cluster != NULL)
    printf ("embedded PostgreSQL %d.%d in %s\n", PQserverVersion (conn) / 10000,
            PQserverVersion (conn) % 10000, db_cluster_data_dir (ctx->cluster));
  else
    printf ("PostgreSQL %d.%d from %s\n", PQserverVersion (conn) / 10000,
            PQserverVersion (conn) % 10000, ctx->conninfo_source);
  for (guint i = 0; i < status->len; i++)
    {
      const DbMigration *m = g_ptr_array_index (status, i);
      printf ("migration %-28s %s\n", m->name, m->applied_at ? m->applied_at : "pending");
    }
  for (gsize i = 0; i < G_N_ELEMENTS (demo_tables); i++)
    {
      /* Table names come from the constant list above, never from input. */
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", demo_tables[i]);
      g_autofree char *n = db_scalar (conn, sql, DB_NO_ARGS, error);
      if (n == NULL)
        return FALSE;
      printf ("  %-12s %8s rows\n", demo_tables[i], n);
    }
  return TRUE;
}

static void
print_catalog (const CoreCatalog *catalog)
{
  printf ("\n== District %s %s (%s): %u streets, %u market-supervision offices\n",
          catalog->district, catalog->zh, catalog->en, catalog->streets->len,
          catalog->offices->len);
  for (guint i = 0; i < catalog->offices->len; i++)
    {
      const CoreOffice *o = g_ptr_array_index (catalog->offices, i);
      g_autoptr (GString) names = g_string_new (NULL);
      for (char **s = o->streets; *s != NULL; s++)
        g_string_append_printf (names, "%s%s", names->len ? "、" : "",
                                core_catalog_street (catalog, *s)->zh);
      printf ("  %s %s: %s\n", o->code, o->zh, names->str);
    }
  printf ("\n== Food categories (%u)\n", catalog->categories->len);
  for (guint i = 0; i < catalog->categories->len; i++)
    {
      const CoreCategory *c = g_ptr_array_index (catalog->categories, i);
      printf ("  %s  %s  %s\n", c->code, c->zh, c->en);
    }
}

static int
demo_run (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx = cli_option_context (
      "", "Show the system at work on the configured district (embedded database by default).",
      NULL);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  const CoreCatalog *catalog = cli_catalog (ctx, &error);
  if (conn == NULL || catalog == NULL || cli_calendar (ctx, &error) == NULL
      || !print_database (ctx, conn, &error))
    return cli_report (error);
  print_catalog (catalog);
  return CLI_EXIT_OK;
}

static const CliCommand demo_commands[] = {
  { NULL, "show the system at work on the configured district", demo_run },
  { NULL, NULL, NULL },
};

const CliGroup cli_group_demo = { "demo", "Show the system at work.", demo_commands };
