/* svc-progress.h: how far the year has come against the approved plan, month
 * by month, and how much each table holds. */
#pragma once

#include "core/core-table.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

/* One row a month of @year: month (YYYY-MM), planned, drawn, sampled,
 * reported, nonconforming, cases (db/db-progress.h says what each counts).
 * A new table. */
CoreTable *svc_progress_by_month (const SvcContext *ctx, int year, GError **error);

/* The district's rows per table: table, rows. A new table. */
CoreTable *svc_progress_table_counts (const SvcContext *ctx, GError **error);

/* The rows of @table in a table from svc_progress_table_counts(); 0 when it
 * is not listed. */
gint64 svc_progress_count (const CoreTable *counts, const char *table);

G_END_DECLS
