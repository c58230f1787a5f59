/* svc-report-cases.c: the cases report: how many verification-and-disposal
 * cases are open at which step, late, closed and how fast, per office; the
 * extensions and the referrals in and out. Cases count by the day they were
 * opened and closed; "open" is the state today of the cases opened by the
 * period's end, so a case reopened by an amended report is open again. */
#include "service/svc-report-private.h"

#include "service/svc-cases.h"

#include <string.h>

static const CoreColumn summary_columns[] = {
  { "opened", N_ ("cases opened"), CORE_CELL_INT },
  { "referrals_in", N_ ("of which referrals in"), CORE_CELL_INT },
  { "closed", N_ ("cases closed"), CORE_CELL_INT },
  { "open", N_ ("open"), CORE_CELL_INT },
  { "overdue", N_ ("overdue"), CORE_CELL_INT },
  { "median_days", N_ ("median days to close"), CORE_CELL_NUMBER },
  { "p90_days", N_ ("90th percentile days to close"), CORE_CELL_NUMBER },
  { "extensions", N_ ("extensions"), CORE_CELL_INT },
  { "referrals_out", N_ ("referrals out"), CORE_CELL_INT },
  { "reopened", N_ ("reopened"), CORE_CELL_INT },
};

static const CoreColumn state_columns[] = {
  { "state", N_ ("state code"), CORE_CELL_TEXT },
  { "name", N_ ("state name"), CORE_CELL_TEXT },
  { "cases", N_ ("number of cases"), CORE_CELL_INT },
};

static const CoreColumn office_columns[] = {
  { "office", N_ ("office code"), CORE_CELL_TEXT },
  { "name", N_ ("office name"), CORE_CELL_TEXT },
  { "opened", N_ ("cases opened"), CORE_CELL_INT },
  { "open", N_ ("open"), CORE_CELL_INT },
  { "overdue", N_ ("overdue"), CORE_CELL_INT },
  { "closed", N_ ("cases closed"), CORE_CELL_INT },
  { "median_days", N_ ("median days to close"), CORE_CELL_NUMBER },
  { "p90_days", N_ ("90th percentile days"), CORE_CELL_NUMBER },
};

static const CoreColumn referral_columns[] = {
  { "source", N_ ("source"), CORE_CELL_TEXT },
  { "opened", N_ ("cases referred"), CORE_CELL_INT },
};

static const CoreColumn ageing_columns[] = {
  { "age", N_ ("days open"), CORE_CELL_TEXT },
  { "from_days", N_ ("from day"), CORE_CELL_INT },
  { "to_days", N_ ("to day"), CORE_CELL_INT },
  { "cases", N_ ("open cases"), CORE_CELL_INT },
};

CoreDocument *
svc_report_cases (const SvcContext *ctx, const SvcReportPeriod *period, const char *office,
                  const char *lang, GError **error)
{
  g_auto (SvcReportRun) run = { 0 };
  if (!svc_report_run_begin (ctx, SVC_ACTION_CASES_READ, period, office, lang, &run, error))
    return NULL;
  g_autoptr (CoreDocument) doc = svc_report_document (&run, _ ("Cases"));
  CoreTable *summary
      = svc_report_section (ctx, &run, doc, DB_REPORT_CASES_SUMMARY, "summary", _ ("summary"),
                            summary_columns, G_N_ELEMENTS (summary_columns), error);
  if (summary == NULL)
    return NULL;
  core_table_set_shape (summary, CORE_TABLE_RECORD);
  CoreTable *referrals = NULL, *ageing = NULL;
  if (!svc_report_section (ctx, &run, doc, DB_REPORT_CASES_STATES, "states", _ ("by state"),
                           state_columns, G_N_ELEMENTS (state_columns), error)
      || !svc_report_section (ctx, &run, doc, DB_REPORT_CASES_OFFICES, "offices", _ ("by office"),
                              office_columns, G_N_ELEMENTS (office_columns), error)
      || !(referrals = svc_report_section (ctx, &run, doc, DB_REPORT_CASES_REFERRALS, "referrals",
                                           _ ("referrals in"), referral_columns,
                                           G_N_ELEMENTS (referral_columns), error))
      || !(ageing = svc_report_section (ctx, &run, doc, DB_REPORT_CASES_AGEING, "ageing",
                                        _ ("age of open cases"), ageing_columns,
                                        G_N_ELEMENTS (ageing_columns), error))
      || !db_transaction_commit (run.tx, error))
    return NULL;
  for (guint r = 0; r < core_table_n_rows (referrals); r++)
    core_table_set (referrals, r, 0, svc_cases_source_name (core_table_get (referrals, r, 0)));
  const guint cols[] = { 3 };
  core_document_add_chart (
      doc, svc_report_chart (ageing, CORE_CHART_BAR, _ ("open cases by days open"), 0, cols, 1));
  return g_steal_pointer (&doc);
}
