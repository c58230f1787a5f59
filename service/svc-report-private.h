/* svc-report-private.h: what the report files share: checking a report's
 * arguments, its snapshot, and small table helpers. */
#pragma once

#include "core/core-i18n.h"
#include "db/db-conn.h"
#include "db/db-report.h"
#include "service/svc-report.h"

typedef struct
{
  DbReportScope scope;
  char today[11];
  const char *lang;
  const char *thread_lang; /* the thread's language before the run, put back after */
  gboolean lang_set;
  char *period_label;
  char *office_label; /* the office's name in the report's language, or NULL */
  DbTransaction *tx;
} SvcReportRun;

/* Checks the role, the office's scope and existence, the period and the
 * language, and opens a read-only snapshot for every query of the report.
 * Until the run is cleared the thread speaks the report's language, so that
 * _() and the tables' labels are in it. */
gboolean svc_report_run_begin (const SvcContext *ctx, SvcAction action,
                               const SvcReportPeriod *period, const char *office, const char *lang,
                               SvcReportRun *run, GError **error);
void svc_report_run_clear (SvcReportRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SvcReportRun, svc_report_run_clear)

/* A new document titled "@title, 2024, office" (translated: "@title · 2024 · office"). */
CoreDocument *svc_report_document (const SvcReportRun *run, const char *title);

/* Runs @query and appends its table to @doc; returns it (owned by @doc) or NULL. */
CoreTable *svc_report_section (const SvcContext *ctx, const SvcReportRun *run, CoreDocument *doc,
                               DbReportQuery query, const char *key, const char *title,
                               const CoreColumn *columns, guint n_columns, GError **error);

/* The cell as a number (missing: 0). */
double svc_report_number (const CoreTable *table, guint row, guint col);
/* A bar or line chart titled @title of columns @cols of @table (the series
 * named by their labels) against its labels in @label_col, placed after the
 * table; rows whose label is missing are left out. */
CoreChart *svc_report_chart (const CoreTable *table, CoreChartKind kind, const char *title,
                             guint label_col, const guint *cols, guint n_cols);
