/* svc-health.c: the health check, a read with no actor and no transaction. */
#include "service/svc-health.h"

#include "db/db-health.h"

gboolean
svc_health_check (PGconn *conn, char **migration, GError **error)
{
  return db_health_check (conn, migration, error);
}
