/* db-health.h: is the database answering, and at which migration. */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* Runs a trivial query; *@migration is the newest applied migration's name. */
gboolean db_health_check (PGconn *conn, char **migration, GError **error);

/* TRUE when @conn is connected and outside any transaction: fit to start the
 * next request on. */
gboolean db_health_conn_ready (PGconn *conn);
/* Closes @conn (NULL: nothing). */
void db_health_close (PGconn *conn);

G_END_DECLS
