/* db-results-review.c: the reports flagged for review (the lab's and the
 * recomputed verdicts disagree) and their resolutions, recorded in
 * review_resolution (migration 0014). A resolution that changes whether the
 * report fails is staged as an amendment would be, so that the cases follow
 * it through db_cases_apply_results(), the one path by which reports open,
 * reopen and withdraw cases. */
#include "core/core-calendar.h"
#include "db/db-conn.h"
#include "db/db-results-copy.h"

#include <stdlib.h>

void
db_results_review_free (DbResultsReview *review)
{
  if (review == NULL)
    return;
  g_free (review->lab);
  g_free (review->report_no);
  g_free (review->record_no);
  g_free (review->lab_conclusion);
  g_free (review->computed);
  g_free (review->governing);
  g_free (review->reason);
  g_free (review->test_date);
  g_free (review->flagged);
  g_free (review->resolved_verdict);
  g_free (review->resolved_on);
  g_free (review->resolved_by);
  g_free (review->resolution_reason);
  g_free (review);
}

/* The columns both queries read, in parse_rows()' order; "%s" is the flagged
 * items' expression. */
#define REVIEW_COLUMNS_SQL                                                                         \
  "SELECT r.lab, r.report_no, r.version, r.record_no, r.lab_conclusion, r.computed, "              \
  "r.governing, r.review_reason, r.test_date, %s, v.verdict, v.resolved_on, v.actor, v.reason "    \
  "FROM lab_report r LEFT JOIN review_resolution v ON v.district = r.district "                    \
  "AND v.lab = r.lab AND v.report_no = r.report_no AND v.version = r.version "

static char *
text_or_null (const PGresult *res, int row, int col)
{
  return PQgetisnull (res, row, col) ? NULL : g_strdup (PQgetvalue (res, row, col));
}

static GPtrArray *
parse_rows (const PGresult *res)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)db_results_review_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      DbResultsReview *r = g_new0 (DbResultsReview, 1);
      r->lab = text_or_null (res, i, 0);
      r->report_no = text_or_null (res, i, 1);
      r->version = atoi (PQgetvalue (res, i, 2));
      r->record_no = text_or_null (res, i, 3);
      r->lab_conclusion = text_or_null (res, i, 4);
      r->computed = text_or_null (res, i, 5);
      r->governing = text_or_null (res, i, 6);
      r->reason = text_or_null (res, i, 7);
      r->test_date = text_or_null (res, i, 8);
      r->flagged = text_or_null (res, i, 9);
      r->resolved_verdict = text_or_null (res, i, 10);
      r->resolved_on = text_or_null (res, i, 11);
      r->resolved_by = text_or_null (res, i, 12);
      r->resolution_reason = text_or_null (res, i, 13);
      g_ptr_array_add (list, r);
    }
  return list;
}

GPtrArray *
db_results_review_list (PGconn *conn, const char *district, const char *lab, gboolean all,
                        GError **error)
{
  g_autofree char *sql = g_strdup_printf (
      REVIEW_COLUMNS_SQL "WHERE r.district = $1 AND r.current AND r.review "
                         "AND ($2::text IS NULL OR r.lab = $2) AND ($3::boolean OR v.verdict IS "
                         "NULL) ORDER BY r.lab, r.report_no",
      "(SELECT string_agg(i.item || ' ' || i.computed_verdict, '; ' ORDER BY i.line) "
      "FROM result_item i WHERE i.district = r.district AND i.lab = r.lab "
      "AND i.report_no = r.report_no AND i.version = r.version AND i.review)");
  g_autoptr (PGresult) res = db_exec (conn, sql, DB_ARGS (district, lab, all ? "t" : "f"), error);
  return res ? parse_rows (res) : NULL;
}

GPtrArray *
db_results_flag_find (PGconn *conn, const char *district, const char *lab, const char *report_no,
                      GError **error)
{
  g_autofree char *sql = g_strdup_printf (
      REVIEW_COLUMNS_SQL "WHERE r.district = $1 AND r.current AND r.report_no = $3 "
                         "AND ($2::text IS NULL OR r.lab = $2) ORDER BY r.lab FOR UPDATE OF r",
      "NULL::text");
  g_autoptr (PGresult) res = db_exec (conn, sql, DB_ARGS (district, lab, report_no), error);
  return res ? parse_rows (res) : NULL;
}

/* One staged row, as compare_stored() in db-results.c would leave an
 * amendment of the report to @verdict: the version is the stored one (no new
 * version is written), prev_governing the verdict that governed until now.
 * The failed items of a nonconforming resolution are the items that fail or
 * were flagged: the ones the person looked at. */
static gboolean
stage_resolution (PGconn *conn, const DbResultsResolution *r, const char *version,
                  gboolean was_failing, GError **error)
{
  return db_results_create_staging (conn, error)
         && db_run (conn,
                    "INSERT INTO stage_report (district, lab, line, report_no, record_no, "
                    "conclusion_text, lab_conclusion, computed, governing, review, review_reason, "
                    "test_date, first_date, first_line, items, digest, failed, action, version, "
                    "prev_governing, stored_record, stored_digest, stored_version) "
                    "SELECT r.district, r.lab, r.line, r.report_no, r.record_no, "
                    "r.conclusion_text, r.lab_conclusion, r.computed, $5, r.review, "
                    "r.review_reason, r.test_date, r.test_date, r.line, r.items, r.digest, "
                    "(SELECT coalesce(array_agg(i.item ORDER BY i.line) FILTER (WHERE "
                    "i.governing_verdict = 'fail' OR i.review), '{}') FROM result_item i "
                    "WHERE i.district = r.district AND i.lab = r.lab "
                    "AND i.report_no = r.report_no AND i.version = r.version), "
                    "'amend', r.version, CASE WHEN $6::boolean THEN 'fail' ELSE 'pass' END, "
                    "r.record_no, r.digest, r.version FROM lab_report r WHERE r.district = $1 "
                    "AND r.lab = $2 AND r.report_no = $3 AND r.version = $4::int",
                    DB_ARGS (r->district, r->lab, r->report_no, version, r->verdict,
                             was_failing ? "t" : "f"),
                    error);
}

gboolean
db_results_resolve (PGconn *conn, const DbResultsResolution *r, gboolean was_failing,
                    gboolean *stored, gboolean *staged, GError **error)
{
  char version[16];
  g_snprintf (version, sizeof version, "%d", r->version);
  g_autofree char *on = core_date_format (r->on);
  *stored = *staged = FALSE;
  /* The report's row lock serialises resolutions of one flag, but a waiting
   * one read the flag before the first committed: the key decides. */
  g_autoptr (PGresult) res = db_exec (
      conn,
      "INSERT INTO review_resolution (district, lab, report_no, version, verdict, reason, actor, "
      "resolved_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING 1",
      DB_ARGS (r->district, r->lab, r->report_no, version, r->verdict, r->reason, r->actor, on),
      error);
  if (res == NULL)
    return FALSE;
  *stored = PQntuples (res) == 1;
  if (!*stored)
    return TRUE;
  gboolean fails = g_strcmp0 (r->verdict, "fail") == 0;
  if (fails == was_failing)
    return TRUE; /* the case, if any, rests on the same verdict */
  *staged = TRUE;
  return stage_resolution (conn, r, version, was_failing, error);
}

gboolean
db_results_resolve_audit (PGconn *conn, const DbResultsResolution *r, const char *previous,
                          guint opened, guint withdrawn, GError **error)
{
  g_autoptr (GString) detail = g_string_new ("{\"lab\": ");
  db_json_string (detail, r->lab);
  g_string_append (detail, ", \"report\": ");
  db_json_string (detail, r->report_no);
  g_string_append_printf (detail, ", \"version\": %d, \"verdict\": ", r->version);
  db_json_string (detail, r->verdict);
  g_string_append (detail, ", \"previous\": ");
  db_json_string (detail, previous);
  g_string_append (detail, ", \"reason\": ");
  db_json_string (detail, r->reason);
  g_string_append_printf (detail, ", \"cases_opened\": %u, \"cases_withdrawn\": %u}", opened,
                          withdrawn);
  g_autofree char *subject
      = g_strdup_printf ("report %s/%s version %d", r->lab, r->report_no, r->version);
  return db_audit (conn, r->district, r->actor, "results.resolve", subject, detail->str, error);
}
