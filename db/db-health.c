/* db-health.c: the health check behind GET /healthz. */
#include "db/db-health.h"

#include "db/db-conn.h"

gboolean
db_health_check (PGconn *conn, char **migration, GError **error)
{
  *migration = db_scalar (conn,
                          "SELECT coalesce ((SELECT name FROM schema_migrations ORDER BY version "
                          "DESC LIMIT 1), '')",
                          DB_NO_ARGS, error);
  return *migration != NULL;
}

gboolean
db_health_conn_ready (PGconn *conn)
{
  return conn != NULL && PQstatus (conn) == CONNECTION_OK
         && PQtransactionStatus (conn) == PQTRANS_IDLE;
}

void
db_health_close (PGconn *conn)
{
  if (conn != NULL)
    PQfinish (conn);
}
