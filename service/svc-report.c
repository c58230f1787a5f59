/* svc-report.c: periods, the snapshot a report reads in, and the progress
 * report. */
#include "service/svc-report-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

gboolean
svc_report_period_parse (SvcPeriodKind kind, const char *text, SvcReportPeriod *period,
                         GError **error)
{
  static const char *const names[] = { "month", "quarter", "year" };
  static const char *const forms[] = { "YYYY-MM", "YYYY-Qn", "YYYY" };
  int year = 0, index = 0;
  char tail = 0;
  gboolean ok = FALSE;
  if (text != NULL)
    switch (kind)
      {
      case SVC_PERIOD_MONTH:
        ok = sscanf (text, "%4d-%2d%c", &year, &index, &tail) == 2 && strlen (text) == 7
             && index >= 1 && index <= 12;
        break;
      case SVC_PERIOD_QUARTER:
        ok = sscanf (text, "%4d-Q%1d%c", &year, &index, &tail) == 2 && strlen (text) == 7
             && index >= 1 && index <= 4;
        break;
      case SVC_PERIOD_YEAR:
        ok = sscanf (text, "%4d%c", &year, &tail) == 1 && strlen (text) == 4;
        break;
      }
  if (!ok || year < 2000 || year > 2200)
    {
      svc_error_invalid (error, names[kind], "the %s must be %s (a year 2000-2200), not \"%s\"",
                         names[kind], forms[kind], text ? text : "");
      return FALSE;
    }
  *period = (SvcReportPeriod){ kind, year, kind == SVC_PERIOD_YEAR ? 0 : index };
  return TRUE;
}

void
svc_report_period_months (const SvcReportPeriod *period, int *first, int *last)
{
  switch (period->kind)
    {
    case SVC_PERIOD_MONTH:
      *first = *last = period->index;
      break;
    case SVC_PERIOD_QUARTER:
      *first = 3 * period->index - 2;
      *last = 3 * period->index;
      break;
    default:
      *first = 1;
      *last = 12;
      break;
    }
}

char *
svc_report_period_label (const SvcReportPeriod *period)
{
  switch (period->kind)
    {
    case SVC_PERIOD_MONTH:
      return g_strdup_printf ("%d-%02d", period->year, period->index);
    case SVC_PERIOD_QUARTER:
      return g_strdup_printf ("%d-Q%d", period->year, period->index);
    default:
      return g_strdup_printf ("%d", period->year);
    }
}

SvcReportPeriod
svc_report_period_before (const SvcReportPeriod *period, int back)
{
  SvcReportPeriod p = *period;
  int per_year = p.kind == SVC_PERIOD_MONTH ? 12 : p.kind == SVC_PERIOD_QUARTER ? 4 : 1;
  /* Count periods from year 0 so that stepping back crosses years evenly. */
  int n = p.year * per_year + (p.kind == SVC_PERIOD_YEAR ? 0 : p.index - 1) - back;
  p.year = n / per_year;
  p.index = p.kind == SVC_PERIOD_YEAR ? 0 : n % per_year + 1;
  return p;
}

gboolean
svc_report_run_begin (const SvcContext *ctx, SvcAction action, const SvcReportPeriod *period,
                      const char *office, const char *lang, SvcReportRun *run, GError **error)
{
  if (!svc_authorize (ctx, action, error))
    return FALSE;
  const char *scoped = NULL;
  if (!svc_scope_office (ctx, office, &scoped, error))
    return FALSE;
  if (lang == NULL || (strcmp (lang, "zh") != 0 && strcmp (lang, "en") != 0))
    {
      svc_error_invalid (error, "lang", "the language must be zh or en, not \"%s\"",
                         lang ? lang : "");
      return FALSE;
    }
  if (period->year < 2000 || period->year > 2200)
    {
      svc_error_invalid (error, "year", "the year must be 2000-2200, not %d", period->year);
      return FALSE;
    }
  if (scoped != NULL)
    {
      const CoreOffice *found = NULL;
      for (guint i = 0; i < ctx->catalog->offices->len && found == NULL; i++)
        {
          const CoreOffice *o = g_ptr_array_index (ctx->catalog->offices, i);
          if (strcmp (o->code, scoped) == 0)
            found = o;
        }
      if (found == NULL)
        {
          g_set_error (error, SVC_ERROR, SVC_ERROR_NOT_FOUND, "district %s has no office \"%s\"",
                       svc_district (ctx), scoped);
          svc_error_set_argument (*error, "office");
          return FALSE;
        }
      run->office_label = g_strdup (strcmp (lang, "zh") == 0 ? found->zh : found->en);
    }
  run->lang = lang;
  g_date_strftime (run->today, sizeof run->today, "%Y-%m-%d", &ctx->today);
  run->scope = (DbReportScope){ .district = svc_district (ctx),
                                .year = period->year,
                                .office = scoped,
                                .lang = lang,
                                .today = run->today };
  svc_report_period_months (period, &run->scope.first_month, &run->scope.last_month);
  run->period_label = svc_report_period_label (period);
  /* One snapshot: the sections of a report count the same rows. */
  run->tx = db_transaction_begin (ctx->conn, error);
  return run->tx != NULL
         && db_run (ctx->conn, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                    DB_NO_ARGS, error);
}

void
svc_report_run_clear (SvcReportRun *run)
{
  g_clear_pointer (&run->tx, db_transaction_free);
  g_clear_pointer (&run->period_label, g_free);
  g_clear_pointer (&run->office_label, g_free);
}

CoreDocument *
svc_report_document (const SvcReportRun *run, const char *zh, const char *en)
{
  g_autofree char *t_zh
      = g_strdup_printf ("%s · %s%s%s", zh, run->period_label, run->office_label ? " · " : "",
                         run->office_label ? run->office_label : "");
  g_autofree char *t_en
      = g_strdup_printf ("%s, %s%s%s", en, run->period_label, run->office_label ? ", " : "",
                         run->office_label ? run->office_label : "");
  return core_document_new (t_zh, t_en);
}

CoreTable *
svc_report_section (const SvcContext *ctx, const SvcReportRun *run, CoreDocument *doc,
                    DbReportQuery query, const char *key, const char *zh, const char *en,
                    const CoreColumn *columns, guint n_columns, GError **error)
{
  CoreTable *t
      = db_report_table (ctx->conn, &run->scope, query, key, zh, en, columns, n_columns, error);
  if (t != NULL)
    core_document_add (doc, t);
  return t;
}

double
svc_report_number (const CoreTable *table, guint row, guint col)
{
  const char *v = core_table_get (table, row, col);
  return v ? g_ascii_strtod (v, NULL) : 0;
}

CoreChart *
svc_report_chart (const CoreTable *table, CoreChartKind kind, const char *zh, const char *en,
                  guint label_col, const guint *cols, guint n_cols)
{
  CoreChart *chart = core_chart_new (kind, core_table_key (table), zh, en);
  for (guint c = 0; c < n_cols; c++)
    {
      const CoreColumn *col = core_table_column (table, cols[c]);
      core_chart_add_series (chart, col->zh, col->en);
    }
  for (guint r = 0; r < core_table_n_rows (table); r++)
    {
      const char *label = core_table_get (table, r, label_col);
      if (label == NULL)
        continue;
      core_chart_add_category (chart, label);
      for (guint c = 0; c < n_cols; c++)
        core_chart_series_add (g_ptr_array_index (chart->series, c),
                               svc_report_number (table, r, cols[c]));
    }
  return chart;
}

/* --- progress ------------------------------------------------------------- */

static const CoreColumn month_columns[] = {
  { "month", "月份", "month", CORE_CELL_TEXT },
  { "planned", "计划批次", "planned", CORE_CELL_INT },
  { "drawn", "已下达", "drawn", CORE_CELL_INT },
  { "sampled", "已抽样", "sampled", CORE_CELL_INT },
  { "reported", "已出报告", "reported", CORE_CELL_INT },
  { "nonconforming", "不合格", "nonconforming", CORE_CELL_INT },
  { "emergency", "应急抽检", "emergency", CORE_CELL_INT },
  { "cum_planned", "累计计划", "cumulative plan", CORE_CELL_INT },
  { "cum_done", "累计完成", "cumulative done", CORE_CELL_INT },
  { "gap", "差额", "gap", CORE_CELL_INT },
  { "behind", "进度滞后", "behind", CORE_CELL_BOOL },
};

static const CoreColumn category_columns[] = {
  { "category", "类别代码", "category", CORE_CELL_TEXT },
  { "name", "食品大类", "name", CORE_CELL_TEXT },
  { "planned", "计划批次", "planned", CORE_CELL_INT },
  { "drawn", "已下达", "drawn", CORE_CELL_INT },
  { "sampled", "已抽样", "sampled", CORE_CELL_INT },
  { "reported", "已出报告", "reported", CORE_CELL_INT },
  { "nonconforming", "不合格", "nonconforming", CORE_CELL_INT },
};

static const CoreColumn grade_columns[] = {
  { "grade", "风险等级", "risk grade", CORE_CELL_TEXT },
  { "planned", "计划批次", "planned", CORE_CELL_INT },
  { "drawn", "已下达", "drawn", CORE_CELL_INT },
  { "sampled", "已抽样", "sampled", CORE_CELL_INT },
  { "reported", "已出报告", "reported", CORE_CELL_INT },
  { "nonconforming", "不合格", "nonconforming", CORE_CELL_INT },
};

static const CoreColumn street_columns[] = {
  { "street", "街道代码", "street", CORE_CELL_TEXT },
  { "name", "街道", "name", CORE_CELL_TEXT },
  { "office", "市场监管所", "office", CORE_CELL_TEXT },
  { "drawn", "已下达", "drawn", CORE_CELL_INT },
  { "sampled", "已抽样", "sampled", CORE_CELL_INT },
  { "reported", "已出报告", "reported", CORE_CELL_INT },
  { "nonconforming", "不合格", "nonconforming", CORE_CELL_INT },
};

static const CoreColumn reserve_columns[] = {
  { "emergency_draws", "应急抽检次数", "emergency draws", CORE_CELL_INT },
  { "emergency_tasks", "应急抽检批次", "emergency tasks", CORE_CELL_INT },
  { "reserve", "机动批次", "reserve", CORE_CELL_INT },
  { "reserve_used", "已用机动批次", "reserve used", CORE_CELL_INT },
  { "reserve_left", "剩余机动批次", "reserve left", CORE_CELL_INT },
};

CoreDocument *
svc_report_progress (const SvcContext *ctx, const SvcReportPeriod *period, const char *office,
                     const char *lang, GError **error)
{
  g_auto (SvcReportRun) run = { 0 };
  if (!svc_report_run_begin (ctx, SVC_ACTION_PROGRESS_READ, period, office, lang, &run, error))
    return NULL;
  g_autoptr (CoreDocument) doc
      = svc_report_document (&run, "抽检计划执行进度", "Sampling progress");
  CoreTable *months = svc_report_section (ctx, &run, doc, DB_REPORT_PROGRESS_MONTHS, "months",
                                          "按月进度（均衡推进）", "by month, with the pace check",
                                          month_columns, G_N_ELEMENTS (month_columns), error);
  CoreTable *categories
      = months ? svc_report_section (ctx, &run, doc, DB_REPORT_PROGRESS_CATEGORIES, "categories",
                                     "按食品大类", "by food category", category_columns,
                                     G_N_ELEMENTS (category_columns), error)
               : NULL;
  if (categories == NULL
      || !svc_report_section (ctx, &run, doc, DB_REPORT_PROGRESS_GRADES, "grades", "按风险等级",
                              "by risk grade", grade_columns, G_N_ELEMENTS (grade_columns), error)
      || !svc_report_section (ctx, &run, doc, DB_REPORT_PROGRESS_STREETS, "streets", "按街道",
                              "by street", street_columns, G_N_ELEMENTS (street_columns), error))
    return NULL;
  CoreTable *reserve = svc_report_section (ctx, &run, doc, DB_REPORT_PROGRESS_RESERVE, "reserve",
                                           "应急抽检与机动批次", "emergency draws and the reserve",
                                           reserve_columns, G_N_ELEMENTS (reserve_columns), error);
  if (reserve == NULL)
    return NULL;
  core_table_set_shape (reserve, CORE_TABLE_RECORD);
  /* An office has no plan of its own: its pace line is what was done. */
  const guint pace_district[] = { 7, 8 }, pace_office[] = { 8 };
  gboolean whole = run.scope.office == NULL;
  core_document_add_chart (doc,
                           svc_report_chart (months, CORE_CHART_LINE, "累计完成与累计计划",
                                             "cumulative done against the plan", 0,
                                             whole ? pace_district : pace_office, whole ? 2 : 1));
  const guint bars_district[] = { 2, 3, 4 }, bars_office[] = { 3, 4 };
  core_document_add_chart (doc,
                           svc_report_chart (categories, CORE_CHART_BAR, "各食品大类计划与完成",
                                             "plan and work by category", 1,
                                             whole ? bars_district : bars_office, whole ? 3 : 2));
  if (!db_transaction_commit (run.tx, error))
    return NULL;
  return g_steal_pointer (&doc);
}
