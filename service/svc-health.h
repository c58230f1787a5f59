/* svc-health.h: whether the store answers, for monitoring (no actor needed). */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* TRUE when @conn answers a query; *@migration names the newest migration. */
gboolean svc_health_check (PGconn *conn, char **migration, GError **error);

G_END_DECLS
