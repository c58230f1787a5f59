/* db-health.h: is the database answering, and at which migration. */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* Runs a trivial query; *@migration is the newest applied migration's name. */
gboolean db_health_check (PGconn *conn, char **migration, GError **error);

G_END_DECLS
