/* svc-report-business.c: the business report: every business sampled in the
 * period (or with a case opened in it), the most nonconforming first, and —
 * for the whole district, to those who may see them — the risk-grade
 * suggestions of the period's year (svc-history.c's rules). One business's
 * whole record is `registry show USCC`. */
#include "service/svc-report-private.h"

#include "db/db-conn.h"
#include "service/svc-history.h"
#include "service/svc-registry.h"

static const CoreColumn business_columns[] = {
  { "uscc", N_ ("credit code"), CORE_CELL_TEXT },
  { "name", N_ ("business name"), CORE_CELL_TEXT },
  { "grade", N_ ("risk grade"), CORE_CELL_TEXT },
  { "stage", N_ ("stage"), CORE_CELL_TEXT },
  { "drawn", N_ ("drawn"), CORE_CELL_INT },
  { "sampled", N_ ("sampled"), CORE_CELL_INT },
  { "reported", N_ ("reported"), CORE_CELL_INT },
  { "nonconforming", N_ ("nonconforming"), CORE_CELL_INT },
  { "cases", N_ ("cases"), CORE_CELL_INT },
  { "open_cases", N_ ("still open"), CORE_CELL_INT },
  { "filed", N_ ("cases filed"), CORE_CELL_INT },
};

CoreDocument *
svc_report_business (const SvcContext *ctx, const SvcReportPeriod *period, const char *office,
                     const char *lang, GError **error)
{
  g_auto (SvcReportRun) run = { 0 };
  if (!svc_report_run_begin (ctx, SVC_ACTION_PROGRESS_READ, period, office, lang, &run, error))
    return NULL;
  g_autoptr (CoreDocument) doc
      = svc_report_document (&run, _ ("Businesses: sampling and disposal record"));
  CoreTable *businesses
      = svc_report_section (ctx, &run, doc, DB_REPORT_BUSINESSES, "businesses", _ ("businesses"),
                            business_columns, G_N_ELEMENTS (business_columns), error);
  if (businesses == NULL || !db_transaction_commit (run.tx, error))
    return NULL;
  svc_show_names (businesses, "stage", svc_stage_name);
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
