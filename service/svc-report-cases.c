/* svc-report-cases.c: the cases report: how many verification-and-disposal
 * cases are open at which step, late, closed and how fast, per office; the
 * extensions and the referrals in and out. Cases count by the day they were
 * opened and closed; "open" is the state today of the cases opened by the
 * period's end, so a case reopened by an amended report is open again. */
#include "service/svc-report-private.h"

#include <string.h>

static const CoreColumn summary_columns[] = {
  { "opened", "新立案件", "opened", CORE_CELL_INT },
  { "referrals_in", "其中上级移交", "of which referrals in", CORE_CELL_INT },
  { "closed", "结案", "closed", CORE_CELL_INT },
  { "open", "未结案件", "open", CORE_CELL_INT },
  { "overdue", "逾期未结", "overdue", CORE_CELL_INT },
  { "median_days", "结案天数中位数", "median days to close", CORE_CELL_NUMBER },
  { "p90_days", "结案天数90分位", "90th percentile days to close", CORE_CELL_NUMBER },
  { "extensions", "延期次数", "extensions", CORE_CELL_INT },
  { "referrals_out", "移送协查", "referrals out", CORE_CELL_INT },
  { "reopened", "重新立案", "reopened", CORE_CELL_INT },
};

static const CoreColumn state_columns[] = {
  { "state", "状态代码", "state", CORE_CELL_TEXT },
  { "name", "状态", "name", CORE_CELL_TEXT },
  { "cases", "案件数", "cases", CORE_CELL_INT },
};

static const CoreColumn office_columns[] = {
  { "office", "所代码", "office", CORE_CELL_TEXT },
  { "name", "市场监管所", "name", CORE_CELL_TEXT },
  { "opened", "新立案件", "opened", CORE_CELL_INT },
  { "open", "未结案件", "open", CORE_CELL_INT },
  { "overdue", "逾期未结", "overdue", CORE_CELL_INT },
  { "closed", "结案", "closed", CORE_CELL_INT },
  { "median_days", "结案天数中位数", "median days to close", CORE_CELL_NUMBER },
  { "p90_days", "结案天数90分位", "90th percentile days", CORE_CELL_NUMBER },
};

static const CoreColumn referral_columns[] = {
  { "source", "来源", "source", CORE_CELL_TEXT },
  { "opened", "移交案件", "cases opened", CORE_CELL_INT },
};

static const CoreColumn ageing_columns[] = {
  { "age", "已立案天数", "days open", CORE_CELL_TEXT },
  { "from_days", NULL, "from day", CORE_CELL_INT },
  { "to_days", NULL, "to day", CORE_CELL_INT },
  { "cases", "未结案件", "open cases", CORE_CELL_INT },
};

static const char *
source_name (const char *source, const char *lang)
{
  gboolean zh = strcmp (lang, "zh") == 0;
  if (strcmp (source, "city") == 0)
    return zh ? "市级抽检" : "city";
  if (strcmp (source, "provincial") == 0)
    return zh ? "省级抽检" : "provincial";
  if (strcmp (source, "national") == 0)
    return zh ? "国家抽检" : "national";
  return source;
}

CoreDocument *
svc_report_cases (const SvcContext *ctx, const SvcReportPeriod *period, const char *office,
                  const char *lang, GError **error)
{
  g_auto (SvcReportRun) run = { 0 };
  if (!svc_report_run_begin (ctx, SVC_ACTION_CASES_READ, period, office, lang, &run, error))
    return NULL;
  g_autoptr (CoreDocument) doc = svc_report_document (&run, "核查处置情况", "Cases");
  CoreTable *summary
      = svc_report_section (ctx, &run, doc, DB_REPORT_CASES_SUMMARY, "summary", "概况", "summary",
                            summary_columns, G_N_ELEMENTS (summary_columns), error);
  if (summary == NULL)
    return NULL;
  core_table_set_shape (summary, CORE_TABLE_RECORD);
  CoreTable *referrals = NULL, *ageing = NULL;
  if (!svc_report_section (ctx, &run, doc, DB_REPORT_CASES_STATES, "states", "按状态", "by state",
                           state_columns, G_N_ELEMENTS (state_columns), error)
      || !svc_report_section (ctx, &run, doc, DB_REPORT_CASES_OFFICES, "offices", "按所",
                              "by office", office_columns, G_N_ELEMENTS (office_columns), error)
      || !(referrals = svc_report_section (ctx, &run, doc, DB_REPORT_CASES_REFERRALS, "referrals",
                                           "上级移交案件", "referrals in", referral_columns,
                                           G_N_ELEMENTS (referral_columns), error))
      || !(ageing = svc_report_section (ctx, &run, doc, DB_REPORT_CASES_AGEING, "ageing",
                                        "未结案件账龄", "age of open cases", ageing_columns,
                                        G_N_ELEMENTS (ageing_columns), error))
      || !db_transaction_commit (run.tx, error))
    return NULL;
  for (guint r = 0; r < core_table_n_rows (referrals); r++)
    core_table_set (referrals, r, 0, source_name (core_table_get (referrals, r, 0), lang));
  const guint cols[] = { 3 };
  core_document_add_chart (doc, svc_report_chart (ageing, CORE_CHART_BAR, "未结案件账龄（天）",
                                                  "open cases by days open", 0, cols, 1));
  return g_steal_pointer (&doc);
}
