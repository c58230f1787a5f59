/* db-progress.h: how far the year has come: plan against tasks drawn,
 * sampled, reported and found nonconforming, month by month; and the size of
 * each table, for `spotcheck demo` and status reports. */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* One row a month of @year (free with PQclear). Columns: month, planned (the
 * approved plan's cells; 0 without one), drawn (live tasks), sampled,
 * reported (samples with a current lab report), nonconforming (reports whose
 * governing verdict is fail), cases (district cases opened for them). */
PGresult *db_progress_by_month (PGconn *conn, const char *district, int year, GError **error);

/* Row counts of the main tables, as (table, rows) rows (free with PQclear). */
PGresult *db_progress_table_counts (PGconn *conn, const char *district, GError **error);

G_END_DECLS
