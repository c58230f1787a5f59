/* db-results-copy.h: what db-results.c shares with db-results-copy.c and
 * db-results-review.c; not for other folders. */
#pragma once

#include "db/db-results.h"

G_BEGIN_DECLS

/* Creates the temporary staging table stage_report (dropped at commit). */
gboolean db_results_create_staging (PGconn *conn, GError **error);

/* COPYs the reports @next gives into the staging table stage_report, which
 * must exist. */
gboolean db_results_copy_reports (PGconn *conn, const char *district, const char *lab,
                                  DbResultsNextFunc next, gpointer data, GError **error);

/* COPYs the items of the reports that stage_report marks new or amended into
 * result_item, under the versions it gives them. */
gboolean db_results_copy_items (PGconn *conn, const DbResultsImport *opts,
                                const IntakeResultFile *file, GError **error);

G_END_DECLS
