/* svc-report-private.h: what the report files share: checking a report's
 * arguments, its snapshot, and small table helpers. */
#pragma once

#include "db/db-conn.h"
#include "db/db-report.h"
#include "service/svc-report.h"

typedef struct
{
  DbReportScope scope;
  char today[11];
  const char *lang;
  char *period_label;
  char *office_label; /* the office's name in the report's language, or NULL */
  DbTransaction *tx;
} SvcReportRun;

/* Checks the role, the office's scope and existence, the period and the
 * language, and opens a read-only snapshot for every query of the report. */
gboolean svc_report_run_begin (const SvcContext *ctx, SvcAction action,
                               const SvcReportPeriod *period, const char *office, const char *lang,
                               SvcReportRun *run, GError **error);
void svc_report_run_clear (SvcReportRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SvcReportRun, svc_report_run_clear)

/* A new document titled "@zh 2024年 · office" / "@en, 2024, office". */
CoreDocument *svc_report_document (const SvcReportRun *run, const char *zh, const char *en);

/* Runs @query and appends its table to @doc; returns it (owned by @doc) or NULL. */
CoreTable *svc_report_section (const SvcContext *ctx, const SvcReportRun *run, CoreDocument *doc,
                               DbReportQuery query, const char *key, const char *zh, const char *en,
                               const CoreColumn *columns, guint n_columns, GError **error);

/* The cell as a number (missing: 0). */
double svc_report_number (const CoreTable *table, guint row, guint col);
/* A bar or line chart of column @col of @table against its labels in
 * @label_col, placed after the table; rows whose label is missing are left out. */
CoreChart *svc_report_chart (const CoreTable *table, CoreChartKind kind, const char *zh,
                             const char *en, guint label_col, const guint *cols, guint n_cols);
