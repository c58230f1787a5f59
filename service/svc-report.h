/* svc-report.h: the reports coordinators and bureau leaders read: progress
 * against the plan, nonconformity, cases and the public disclosure form.
 *
 * Each takes a period (a month, a quarter or the year) and an office (NULL:
 * the whole district; an inspector is kept to their own office) and returns a
 * CoreDocument with one table per section, plus charts, labelled in @lang
 * ("zh" or "en"): names of categories, streets, offices and case states come
 * from the catalog and workflow in that language. Every figure is read in one
 * read-only snapshot, so the sections of a report agree with one another. */
#pragma once

#include "core/core-table.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

typedef enum
{
  SVC_PERIOD_MONTH,
  SVC_PERIOD_QUARTER,
  SVC_PERIOD_YEAR,
} SvcPeriodKind;

typedef struct
{
  SvcPeriodKind kind;
  int year;
  int index; /* the month 1..12 or the quarter 1..4; 0 for a year */
} SvcReportPeriod;

/* Reads "2024-03" (month), "2024-Q1" (quarter) or "2024" (year) as @kind;
 * SVC_ERROR_INVALID about "month", "quarter" or "year" otherwise. */
gboolean svc_report_period_parse (SvcPeriodKind kind, const char *text, SvcReportPeriod *period,
                                  GError **error);
/* The period's first and last month. */
void svc_report_period_months (const SvcReportPeriod *period, int *first, int *last);
/* "2024-03", "2024-Q1", "2024". Free with g_free(). */
char *svc_report_period_label (const SvcReportPeriod *period);
/* The period @back periods of the same length before @period. */
SvcReportPeriod svc_report_period_before (const SvcReportPeriod *period, int back);

/* Sections: months (with the pace check), categories, grades, streets,
 * reserve; charts: the cumulative pace against the plan, category bars. */
CoreDocument *svc_report_progress (const SvcContext *ctx, const SvcReportPeriod *period,
                                   const char *office, const char *lang, GError **error);
/* Sections: categories, stages, items, causes (config/causes.conf), earlier
 * periods; charts: nonconformity by cause, rate by category. */
CoreDocument *svc_report_nonconformity (const SvcContext *ctx, const SvcReportPeriod *period,
                                        const char *office, const char *lang, GError **error);
/* Sections: summary, states, offices, referrals, ageing; chart: case ageing. */
CoreDocument *svc_report_cases (const SvcContext *ctx, const SvcReportPeriod *period,
                                const char *office, const char *lang, GError **error);
/* One section: the nonconforming samples of the period in the published form. */
CoreDocument *svc_report_disclosure (const SvcContext *ctx, const SvcReportPeriod *period,
                                     const char *office, const char *lang, GError **error);

/* Sections: every business with a task of the period or a case opened in it
 * (drawn, sampled, reported, nonconforming, cases, still open, filed), the
 * most nonconforming first; for the whole district and an actor who may see
 * them, the risk-grade suggestions of the period's year
 * (svc_registry_suggest_grades(), read after the snapshot of the first). */
CoreDocument *svc_report_business (const SvcContext *ctx, const SvcReportPeriod *period,
                                   const char *office, const char *lang, GError **error);

/* The cause class (a [cause KEY] of the configuration) a failed item falls
 * in: the first class whose pattern matches, else "other". */
typedef struct SvcCauses SvcCauses;
SvcCauses *svc_causes_load (const CoreConfig *config);
void svc_causes_free (SvcCauses *causes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvcCauses, svc_causes_free)
/* The class's index; its key and name below. */
guint svc_causes_match (const SvcCauses *causes, const char *item);
guint svc_causes_count (const SvcCauses *causes);
const char *svc_causes_key (const SvcCauses *causes, guint index);
const char *svc_causes_name (const SvcCauses *causes, guint index, const char *lang);

G_END_DECLS
