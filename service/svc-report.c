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
  run->thread_lang = core_i18n_set_thread (lang);
  run->lang_set = TRUE;
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
  if (run->lang_set)
    core_i18n_set_thread (run->thread_lang);
  run->lang_set = FALSE;
}

CoreDocument *
svc_report_document (const SvcReportRun *run, const char *title)
{
  /* TRANSLATORS: a report's title, then its period (and office): "Cases, 2024-Q1". */
  g_autofree char *t = g_strdup_printf (_ ("%s, %s"), title, run->period_label);
  if (run->office_label == NULL)
    return core_document_new (t);
  g_autofree char *with_office = g_strdup_printf (_ ("%s, %s"), t, run->office_label);
  return core_document_new (with_office);
}

CoreTable *
svc_report_section (const SvcContext *ctx, const SvcReportRun *run, CoreDocument *doc,
                    DbReportQuery query, const char *key, const char *title,
                    const CoreColumn *columns, guint n_columns, GError **error)
{
  CoreTable *t
      = db_report_table (ctx->conn, &run->scope, query, key, title, columns, n_columns, error);
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
svc_report_chart (const CoreTable *table, CoreChartKind kind, const char *title, guint label_col,
                  const guint *cols, guint n_cols)
{
  CoreChart *chart = core_chart_new (kind, core_table_key (table), title);
  for (guint c = 0; c < n_cols; c++)
    core_chart_add_series (chart, core_column_label (core_table_column (table, cols[c])));
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
  { "month", N_ ("month"), CORE_CELL_TEXT },
  { "planned", N_ ("planned batches"), CORE_CELL_INT },
  { "drawn", N_ ("drawn"), CORE_CELL_INT },
  { "sampled", N_ ("sampled"), CORE_CELL_INT },
  { "reported", N_ ("reported"), CORE_CELL_INT },
  { "nonconforming", N_ ("nonconforming"), CORE_CELL_INT },
  { "emergency", N_ ("emergency"), CORE_CELL_INT },
  { "cum_planned", N_ ("cumulative plan"), CORE_CELL_INT },
  { "cum_done", N_ ("cumulative done"), CORE_CELL_INT },
  { "gap", N_ ("gap"), CORE_CELL_INT },
  { "behind", N_ ("behind"), CORE_CELL_BOOL },
};

static const CoreColumn category_columns[] = {
  { "category", N_ ("category code"), CORE_CELL_TEXT },
  { "name", N_ ("food category"), CORE_CELL_TEXT },
  { "planned", N_ ("planned batches"), CORE_CELL_INT },
  { "drawn", N_ ("drawn"), CORE_CELL_INT },
  { "sampled", N_ ("sampled"), CORE_CELL_INT },
  { "reported", N_ ("reported"), CORE_CELL_INT },
  { "nonconforming", N_ ("nonconforming"), CORE_CELL_INT },
};

static const CoreColumn grade_columns[] = {
  { "grade", N_ ("risk grade"), CORE_CELL_TEXT },
  { "planned", N_ ("planned batches"), CORE_CELL_INT },
  { "drawn", N_ ("drawn"), CORE_CELL_INT },
  { "sampled", N_ ("sampled"), CORE_CELL_INT },
  { "reported", N_ ("reported"), CORE_CELL_INT },
  { "nonconforming", N_ ("nonconforming"), CORE_CELL_INT },
};

static const CoreColumn street_columns[] = {
  { "street", N_ ("street code"), CORE_CELL_TEXT },
  { "name", N_ ("street name"), CORE_CELL_TEXT },
  { "office", N_ ("office"), CORE_CELL_TEXT },
  { "drawn", N_ ("drawn"), CORE_CELL_INT },
  { "sampled", N_ ("sampled"), CORE_CELL_INT },
  { "reported", N_ ("reported"), CORE_CELL_INT },
  { "nonconforming", N_ ("nonconforming"), CORE_CELL_INT },
};

static const CoreColumn reserve_columns[] = {
  { "emergency_draws", N_ ("emergency draws"), CORE_CELL_INT },
  { "emergency_tasks", N_ ("emergency tasks"), CORE_CELL_INT },
  { "reserve", N_ ("reserve"), CORE_CELL_INT },
  { "reserve_used", N_ ("reserve used"), CORE_CELL_INT },
  { "reserve_left", N_ ("reserve left"), CORE_CELL_INT },
};

CoreDocument *
svc_report_progress (const SvcContext *ctx, const SvcReportPeriod *period, const char *office,
                     const char *lang, GError **error)
{
  g_auto (SvcReportRun) run = { 0 };
  if (!svc_report_run_begin (ctx, SVC_ACTION_PROGRESS_READ, period, office, lang, &run, error))
    return NULL;
  g_autoptr (CoreDocument) doc = svc_report_document (&run, _ ("Sampling progress"));
  CoreTable *months = svc_report_section (ctx, &run, doc, DB_REPORT_PROGRESS_MONTHS, "months",
                                          _ ("by month, with the pace check"), month_columns,
                                          G_N_ELEMENTS (month_columns), error);
  CoreTable *categories
      = months ? svc_report_section (ctx, &run, doc, DB_REPORT_PROGRESS_CATEGORIES, "categories",
                                     _ ("by food category"), category_columns,
                                     G_N_ELEMENTS (category_columns), error)
               : NULL;
  if (categories == NULL
      || !svc_report_section (ctx, &run, doc, DB_REPORT_PROGRESS_GRADES, "grades",
                              _ ("by risk grade"), grade_columns, G_N_ELEMENTS (grade_columns),
                              error)
      || !svc_report_section (ctx, &run, doc, DB_REPORT_PROGRESS_STREETS, "streets",
                              _ ("by street"), street_columns, G_N_ELEMENTS (street_columns),
                              error))
    return NULL;
  CoreTable *reserve = svc_report_section (ctx, &run, doc, DB_REPORT_PROGRESS_RESERVE, "reserve",
                                           _ ("emergency draws and the reserve"), reserve_columns,
                                           G_N_ELEMENTS (reserve_columns), error);
  if (reserve == NULL)
    return NULL;
  core_table_set_shape (reserve, CORE_TABLE_RECORD);
  /* An office has no plan of its own: its pace line is what was done. */
  const guint pace_district[] = { 7, 8 }, pace_office[] = { 8 };
  gboolean whole = run.scope.office == NULL;
  core_document_add_chart (
      doc, svc_report_chart (months, CORE_CHART_LINE, _ ("cumulative done against the plan"), 0,
                             whole ? pace_district : pace_office, whole ? 2 : 1));
  const guint bars_district[] = { 2, 3, 4 }, bars_office[] = { 3, 4 };
  core_document_add_chart (
      doc, svc_report_chart (categories, CORE_CHART_BAR, _ ("plan and work by category"), 1,
                             whole ? bars_district : bars_office, whole ? 3 : 2));
  if (!db_transaction_commit (run.tx, error))
    return NULL;
  return g_steal_pointer (&doc);
}
