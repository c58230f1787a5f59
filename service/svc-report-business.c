/* svc-report-business.c: the business report: every business sampled in the
 * period (or with a case opened in it), the most nonconforming first, and —
 * for the whole district, to those who may see them — the risk-grade
 * suggestions of the period's year (svc-history.c's rules). One business's
 * whole record is `registry show USCC`. */
#include "service/svc-report-private.h"

#include "db/db-conn.h"
#include "service/svc-history.h"

static const CoreColumn business_columns[] = {
  { "uscc", "统一社会信用代码", "credit code", CORE_CELL_TEXT },
  { "name", "企业名称", "business", CORE_CELL_TEXT },
  { "grade", "风险等级", "risk grade", CORE_CELL_TEXT },
  { "stage", "环节", "stage", CORE_CELL_TEXT },
  { "drawn", "抽取", "drawn", CORE_CELL_INT },
  { "sampled", "已抽样", "sampled", CORE_CELL_INT },
  { "reported", "已出报告", "reported", CORE_CELL_INT },
  { "nonconforming", "不合格", "nonconforming", CORE_CELL_INT },
  { "cases", "核查处置案件", "cases opened", CORE_CELL_INT },
  { "open_cases", "未结案", "still open", CORE_CELL_INT },
  { "filed", "立案", "filed", CORE_CELL_INT },
};

CoreDocument *
svc_report_business (const SvcContext *ctx, const SvcReportPeriod *period, const char *office,
                     const char *lang, GError **error)
{
  g_auto (SvcReportRun) run = { 0 };
  if (!svc_report_run_begin (ctx, SVC_ACTION_PROGRESS_READ, period, office, lang, &run, error))
    return NULL;
  g_autoptr (CoreDocument) doc = svc_report_document (&run, "企业抽检与核查处置记录",
                                                      "Businesses: sampling and disposal record");
  if (!svc_report_section (ctx, &run, doc, DB_REPORT_BUSINESSES, "businesses", "企业", "businesses",
                           business_columns, G_N_ELEMENTS (business_columns), error)
      || !db_transaction_commit (run.tx, error))
    return NULL;
  /* The suggestions are the year's and the district's, for those who may
   * act on them (coordinators, admins); an office's report leaves them out. */
  if (office == NULL && svc_authorize (ctx, SVC_ACTION_GRADES_SUGGEST, NULL))
    {
      CoreTable *suggestions = svc_registry_suggest_grades (ctx, period->year, NULL, error);
      if (suggestions == NULL)
        return NULL;
      core_document_add (doc, suggestions);
    }
  return g_steal_pointer (&doc);
}
