/* db-demo.c: the demo's mark and the embedded database's reset. */
#include "db/db-demo.h"

#include "db/db-conn.h"

#include <string.h>

#define DEMO_ACTION "demo.start"

gboolean
db_demo_marked (PGconn *conn, const char *district, gboolean *marked, GError **error)
{
  g_autofree char *found = db_scalar (
      conn, "SELECT EXISTS (SELECT 1 FROM audit_log WHERE district = $1 AND action = $2)",
      DB_ARGS (district, DEMO_ACTION), error);
  if (found == NULL)
    return FALSE;
  *marked = strcmp (found, "t") == 0;
  return TRUE;
}

gboolean
db_demo_mark (PGconn *conn, const char *district, const char *actor, const char *detail_json,
              GError **error)
{
  g_autoptr (DbTransaction) tx = db_transaction_begin (conn, error);
  return tx != NULL && db_audit (conn, district, actor, DEMO_ACTION, district, detail_json, error)
         && db_transaction_commit (tx, error);
}

gboolean
db_demo_fast_commits (PGconn *conn, GError **error)
{
  return db_run (conn, "SET synchronous_commit = off", DB_NO_ARGS, error);
}

gboolean
db_cluster_recreate (DbCluster *cluster, const char *dbname, GError **error)
{
  if (!db_cluster_ensure (cluster, NULL, error))
    return FALSE;
  g_autofree char *admin_info = db_cluster_owner_conninfo (cluster, "postgres");
  g_autoptr (PGconn) admin = db_connect (admin_info, error);
  if (admin == NULL)
    return FALSE;
  char *quoted = PQescapeIdentifier (admin, dbname, strlen (dbname));
  /* WITH (FORCE) ends the sessions still open on it (a server left running,
   * a psql): the demo owns this database, and the user agreed to the reset. */
  g_autofree char *sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", quoted);
  PQfreemem (quoted);
  if (!db_run (admin, sql, DB_NO_ARGS, error))
    return FALSE;
  return db_cluster_ensure (cluster, dbname, error);
}
