/* svc-health.h: whether the store answers, for monitoring (no actor needed). */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* TRUE when @conn answers a query; *@migration names the newest migration. */
gboolean svc_health_check (PGconn *conn, char **migration, GError **error);

/* The connections a face keeps for its workers (the server's pool): a new
 * one, whether one is fit for the next request (connected, no transaction
 * left open), and closing one. */
PGconn *svc_health_connect (const char *conninfo, GError **error);
gboolean svc_health_conn_ready (PGconn *conn);
void svc_health_close (PGconn *conn);

G_END_DECLS
