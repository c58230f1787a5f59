/* svc-health.c: the health check, a read with no actor and no transaction,
 * and the upkeep of the connections a face keeps for its workers. */
#include "service/svc-health.h"

#include "db/db-conn.h"
#include "db/db-health.h"

gboolean
svc_health_check (PGconn *conn, char **migration, GError **error)
{
  return db_health_check (conn, migration, error);
}

PGconn *
svc_health_connect (const char *conninfo, GError **error)
{
  return db_connect (conninfo, error);
}

gboolean
svc_health_conn_ready (PGconn *conn)
{
  return db_health_conn_ready (conn);
}

void
svc_health_close (PGconn *conn)
{
  db_health_close (conn);
}
