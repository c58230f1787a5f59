/* db-report.h: the set-based queries behind the reports (service/svc-report.h).
 *
 * Every query reads one district (and, when given, one office) for the months
 * first_month..last_month of one year, and returns its rows as a CoreTable
 * whose columns the caller describes in the order listed for each query
 * below. Names of categories, streets and offices come from the tables the
 * catalog sync writes, in @lang. */
#pragma once

#include "core/core-table.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

typedef struct
{
  const char *district;
  int year;
  int first_month, last_month; /* 1..12, first <= last */
  const char *office;          /* NULL: the whole district */
  const char *lang;            /* "zh" or "en" */
  const char *today;           /* YYYY-MM-DD: months behind, overdue, ages count to it */
} DbReportScope;

typedef enum
{
  /* progress: month YYYY-MM, planned, drawn, sampled, reported, nonconforming,
   * emergency, cum_planned, cum_done, gap, behind. planned and the pace
   * columns are NULL for an office (the plan is district-wide). cum_done counts
   * routine tasks sampled since January: emergency tasks come from the
   * reserve, not the monthly plan. behind: a month that is over and whose
   * cum_done is below cum_planned. */
  DB_REPORT_PROGRESS_MONTHS,
  /* code, name, planned, drawn, sampled, reported, nonconforming: categories
   * planned or drawn in the period */
  DB_REPORT_PROGRESS_CATEGORIES,
  /* grade, planned, drawn, sampled, reported, nonconforming: A..D */
  DB_REPORT_PROGRESS_GRADES,
  /* code, name, office name, drawn, sampled, reported, nonconforming: streets */
  DB_REPORT_PROGRESS_STREETS,
  /* one row: emergency draws, emergency tasks, reserve, used (January to the
   * period's end), left */
  DB_REPORT_PROGRESS_RESERVE,
  /* code, name, reported, nonconforming, rate %: categories with a report,
   * then a total row with code and name NULL */
  DB_REPORT_NC_CATEGORIES,
  /* stage key, reported, nonconforming, rate %; then a total row (stage NULL) */
  DB_REPORT_NC_STAGES,
  /* record_no, item: every failed item of the current reports */
  DB_REPORT_NC_FAILED_ITEMS,
  /* one row: reported, nonconforming, rate % */
  DB_REPORT_NC_RATE,
  /* one row: opened, referrals in, closed, open, overdue, median days to
   * close, p90 days to close, extensions, referrals out, reopened */
  DB_REPORT_CASES_SUMMARY,
  /* state, name, cases: every state of the workflow, cases opened by the
   * period's end in that state now */
  DB_REPORT_CASES_STATES,
  /* office code, name, opened, open, overdue, closed, median, p90 */
  DB_REPORT_CASES_OFFICES,
  /* source, opened: city, provincial, national */
  DB_REPORT_CASES_REFERRALS,
  /* bucket label, from days, to days, open cases of that age today */
  DB_REPORT_CASES_AGEING,
  /* no, labelled producer, producer address, business, business address,
   * food, specification, brand, production date / batch, failed items
   * (item‖result‖standard; …), category, lab, case state, closing event,
   * closing event detail */
  DB_REPORT_DISCLOSURE,
  /* uscc, name, grade, stage, drawn, sampled, reported, nonconforming, cases
   * opened, still open, filed (a decide-filed step): every business with a
   * task of the period or a case opened in it, the most nonconforming first */
  DB_REPORT_BUSINESSES,
} DbReportQuery;

CoreTable *db_report_table (PGconn *conn, const DbReportScope *scope, DbReportQuery query,
                            const char *key, const char *title, const CoreColumn *columns,
                            guint n_columns, GError **error);

G_END_DECLS
