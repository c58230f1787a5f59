/* db-results.c: the reports a service hands over staged through COPY,
 * compared with the stored reports and checked against the tasks and samples
 * with set-based queries, then stored, all inside the service's transaction. */
#include "db/db-results.h"

#include "db/db-conn.h"
#include "db/db-results-copy.h"

#include <stdlib.h>
#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (spotcheck - db - results - error - quark, db_results_error)

static void
problem_free (gpointer data)
{
  DbResultsProblem *p = data;
  g_free (p->value);
  g_free (p->why);
  g_free (p);
}

gboolean
db_results_lock_lab (PGconn *conn, const char *district, const char *lab, GError **error)
{
  g_autofree char *key = g_strdup_printf ("%s:%s", district, lab);
  if (!db_advisory_xact_lock (conn, "results", key, error))
    return FALSE;
  g_autofree char *known
      = db_scalar (conn, "SELECT count(*) FROM lab WHERE district = $1 AND code = $2",
                   DB_ARGS (district, lab), error);
  if (known == NULL)
    return FALSE;
  if (strcmp (known, "1") != 0)
    {
      g_set_error (error, DB_RESULTS_ERROR, DB_RESULTS_ERROR_UNKNOWN_LAB,
                   _ ("lab %s is not in the lab directory of district %s"), lab, district);
      return FALSE;
    }
  return TRUE;
}

gboolean
db_results_find_earlier (PGconn *conn, const char *district, const char *lab, const char *sha256,
                         gint64 *id, char **at, GError **error)
{
  *id = 0;
  *at = NULL;
  /* An amendment stored since makes the earlier file's reports old versions:
   * the same bytes are then a change, which the full comparison finds. */
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT i.id, to_char(i.imported_at, 'YYYY-MM-DD HH24:MI') FROM result_import i "
      "WHERE i.district = $1 AND i.lab = $2 AND i.sha256 = $3 AND NOT EXISTS (SELECT 1 FROM "
      "result_import a WHERE a.district = $1 AND a.lab = $2 AND a.id > i.id "
      "AND a.amend_reason IS NOT NULL) ORDER BY i.id DESC LIMIT 1",
      DB_ARGS (district, lab, sha256), error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 1)
    {
      *id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
      *at = g_strdup (PQgetvalue (res, 0, 1));
    }
  return TRUE;
}

/* Temporary tables live until the transaction ends. */
gboolean
db_results_create_staging (PGconn *conn, GError **error)
{
  return db_run (conn,
                 "CREATE TEMP TABLE stage_report (district text, lab text, line integer, "
                 "report_no text, record_no text, "
                 "conclusion_text text, lab_conclusion text, computed text, governing text, "
                 "review boolean, review_reason text, test_date date, first_date date, "
                 "first_line integer, items integer, digest text, failed text[], "
                 "action text DEFAULT 'new', version integer DEFAULT 1, prev_governing text, "
                 "stored_record text, "
                 "stored_digest text, stored_version integer, stored_at text) ON COMMIT DROP",
                 DB_NO_ARGS, error);
}

/* What is stored already for each staged report, and what to do with it:
 * staged rows start as new version 1 (the table's defaults), and only those
 * with a stored report are rewritten. The comparison is with the current
 * version, so results sent again after an amendment are a change. The
 * verdict an amendment changes is the one that governed the stored version:
 * the one a review resolution adopted, if any (db-results-review.c). */
static gboolean
compare_stored (PGconn *conn, const char *district, const char *lab, GError **error)
{
  return db_run (conn, "ANALYZE stage_report", DB_NO_ARGS, error)
         && db_run (conn,
                    "UPDATE stage_report s SET stored_record = r.record_no, "
                    "stored_digest = r.digest, stored_version = r.version, "
                    "prev_governing = coalesce((SELECT v.verdict FROM review_resolution v "
                    "WHERE v.district = r.district AND v.lab = r.lab "
                    "AND v.report_no = r.report_no AND v.version = r.version), r.governing), "
                    "stored_at = to_char(i.imported_at, 'YYYY-MM-DD'), "
                    "version = r.version + 1, "
                    "action = CASE WHEN r.digest::text = s.digest THEN 'same' ELSE 'amend' END "
                    "FROM lab_report r JOIN result_import i "
                    "ON i.district = r.district AND i.id = r.import_id "
                    "WHERE r.district = $1 AND r.lab = $2 AND r.report_no = s.report_no "
                    "AND r.current",
                    DB_ARGS (district, lab), error);
}

gboolean
db_results_stage (PGconn *conn, const char *district, const char *lab, DbResultsNextFunc next,
                  gpointer data, GError **error)
{
  return db_results_create_staging (conn, error)
         && db_results_copy_reports (conn, district, lab, next, data, error)
         && compare_stored (conn, district, lab, error);
}

/* Every problem the stored data reveals, as (line, column, value, kind, and
 * up to three arguments); the message of each kind is worded in C below so
 * that it is translated with the others. */
static const char CHECK_SQL[]
    = "SELECT s.line, 's', s.record_no, 1, $1::text, NULL, NULL "
      "FROM stage_report s WHERE NOT EXISTS (SELECT 1 FROM task t WHERE t.district = $1 "
      "AND t.record_no = s.record_no AND t.status <> 'cancelled') "
      "UNION ALL "
      "SELECT s.line, 's', s.record_no, 2, s.record_no, t.lab, $2::text "
      "FROM stage_report s JOIN task t ON t.district = $1 AND t.record_no = s.record_no "
      "AND t.status <> 'cancelled' WHERE t.lab <> $2 "
      "UNION ALL "
      "SELECT s.line, 's', s.record_no, 3, s.record_no, t.status::text, NULL "
      "FROM stage_report s JOIN task t ON t.district = $1 AND t.record_no = s.record_no "
      "AND t.status <> 'cancelled' WHERE t.lab = $2 AND NOT EXISTS (SELECT 1 FROM sample m "
      "WHERE m.district = $1 AND m.record_no = s.record_no) "
      "UNION ALL "
      "SELECT s.first_line, 'd', to_char(s.first_date, 'YYYY-MM-DD'), 4, "
      "m.sampling_date::text, NULL, NULL "
      "FROM stage_report s JOIN sample m ON m.district = $1 AND m.record_no = s.record_no "
      "WHERE s.first_date < m.sampling_date "
      "UNION ALL "
      "SELECT s.line, 'r', s.report_no, 5, s.report_no, s.stored_record, NULL "
      "FROM stage_report s WHERE s.stored_record <> s.record_no "
      "UNION ALL "
      "SELECT s.line, 's', s.record_no, 6, s.record_no, r.report_no, r.lab "
      "FROM stage_report s JOIN lab_report r ON r.district = $1 AND r.record_no = s.record_no "
      "AND r.current WHERE r.lab <> $2 OR r.report_no <> s.report_no "
      "UNION ALL "
      "SELECT s.line, 'c', s.report_no, 7, s.report_no, s.stored_version::text, s.stored_at "
      "FROM stage_report s WHERE s.action = 'amend' AND s.stored_record = s.record_no "
      "AND NOT $3::boolean "
      "ORDER BY 1";

/* The message of a CHECK_SQL row of @kind with its arguments @a. */
static char *
check_why (int kind, const char *const a[3])
{
  switch (kind)
    {
    case 1:
      return g_strdup_printf (_ ("unknown sampling number: no task of district %s has it; check "
                                 "the number on the sampling record (抽样单)"),
                              a[0]);
    case 2:
      return g_strdup_printf (_ ("sample %s was sent to lab %s, not to lab %s"), a[0], a[1], a[2]);
    case 3:
      return g_strdup_printf (_ ("task %s has not been sampled yet (status %s); its sampling is "
                                 "recorded before its results"),
                              a[0], a[1]);
    case 4:
      return g_strdup_printf (_ ("tested before the sample was taken (%s); a test is dated on or "
                                 "after its sampling"),
                              a[0]);
    case 5:
      return g_strdup_printf (_ ("report %s is stored for sample %s; a report covers one sample"),
                              a[0], a[1]);
    case 6:
      return g_strdup_printf (_ ("sample %s already has report %s from lab %s on record; a sample "
                                 "has one report: changes go under that number as an amendment"),
                              a[0], a[1], a[2]);
    default:
      return g_strdup_printf (_ ("report %s is already stored (version %s, imported %s) with "
                                 "different results; only an amendment with a reason replaces it"),
                              a[0], a[1], a[2]);
    }
}

GPtrArray *
db_results_check (PGconn *conn, const char *district, const char *lab, gboolean amend,
                  GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn, CHECK_SQL, DB_ARGS (district, lab, amend ? "t" : "f"), error);
  if (res == NULL)
    return NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func (problem_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      DbResultsProblem *p = g_new0 (DbResultsProblem, 1);
      char at = PQgetvalue (res, i, 1)[0];
      p->line = (guint)atoi (PQgetvalue (res, i, 0));
      p->at = at == 's'   ? DB_RESULTS_AT_SAMPLING_NO
              : at == 'd' ? DB_RESULTS_AT_TEST_DATE
                          : DB_RESULTS_AT_REPORT_NO;
      p->change = at == 'c';
      p->value = g_strdup (PQgetvalue (res, i, 2));
      const char *args[3]
          = { PQgetvalue (res, i, 4), PQgetvalue (res, i, 5), PQgetvalue (res, i, 6) };
      p->why = check_why (atoi (PQgetvalue (res, i, 3)), args);
      g_ptr_array_add (list, p);
    }
  return list;
}

gboolean
db_results_count (PGconn *conn, DbResultsCounts *out, GError **error)
{
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT count(*) FILTER (WHERE action = 'new'), count(*) FILTER (WHERE action = 'amend'), "
      "count(*) FILTER (WHERE action = 'same'), "
      "count(*) FILTER (WHERE action <> 'same' AND review), "
      "count(*) FILTER (WHERE action <> 'same' AND governing = 'fail') FROM stage_report",
      DB_NO_ARGS, error);
  if (res == NULL)
    return FALSE;
  out->reports_new = (guint)atoi (PQgetvalue (res, 0, 0));
  out->reports_amended = (guint)atoi (PQgetvalue (res, 0, 1));
  out->reports_same = (guint)atoi (PQgetvalue (res, 0, 2));
  out->review = (guint)atoi (PQgetvalue (res, 0, 3));
  out->failing = (guint)atoi (PQgetvalue (res, 0, 4));
  return TRUE;
}

gboolean
db_results_store (PGconn *conn, const DbResultsImport *im, const IntakeResultFile *file,
                  gint64 *import_id, GError **error)
{
  char rows[16];
  g_snprintf (rows, sizeof rows, "%u", im->rows);
  g_autofree char *id = db_scalar (
      conn,
      "INSERT INTO result_import (district, lab, file_name, sha256, rows, reports, amend_reason, "
      "actor) SELECT $1, $2, $3, $4, $5, count(*), $6, $7 FROM stage_report "
      "WHERE action IN ('new', 'amend') RETURNING id",
      DB_ARGS (im->district, im->lab, im->file_name, im->sha256, rows, im->reason, im->actor),
      error);
  if (id == NULL)
    return FALSE;
  *import_id = g_ascii_strtoll (id, NULL, 10);
  return db_run (conn,
                 "UPDATE lab_report r SET current = false FROM stage_report s "
                 "WHERE r.district = $1 AND r.lab = $2 AND r.report_no = s.report_no "
                 "AND r.current AND s.action = 'amend'",
                 DB_ARGS (im->district, im->lab), error)
         && db_run (conn,
                    "INSERT INTO lab_report (district, lab, report_no, version, record_no, "
                    "import_id, line, conclusion_text, lab_conclusion, computed, governing, "
                    "review, review_reason, amend_reason, test_date, items, digest) "
                    "SELECT $1, $2, report_no, version, record_no, $3, line, conclusion_text, "
                    "lab_conclusion, computed, governing, review, review_reason, "
                    "CASE WHEN version > 1 THEN $4 END, test_date, items, digest "
                    "FROM stage_report WHERE action IN ('new', 'amend')",
                    DB_ARGS (im->district, im->lab, id, im->reason), error)
         && db_results_copy_items (conn, im, file, error);
}

gboolean
db_results_audit (PGconn *conn, const DbResultsImport *im, gint64 import_id, guint n_new,
                  guint n_amended, guint n_cases, GError **error)
{
  g_autoptr (GString) detail = g_string_new ("{\"lab\": ");
  db_json_string (detail, im->lab);
  g_string_append (detail, ", \"file\": ");
  db_json_string (detail, im->file_name);
  g_string_append_printf (detail,
                          ", \"new\": %u, \"amended\": %u, \"cases\": %u, \"reason\": ", n_new,
                          n_amended, n_cases);
  db_json_string (detail, im->reason);
  g_string_append_c (detail, '}');
  g_autofree char *subject = g_strdup_printf ("result import %" G_GINT64_FORMAT, import_id);
  return db_audit (conn, im->district, im->actor, n_amended ? "results.amend" : "results.import",
                   subject, detail->str, error);
}
