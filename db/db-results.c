/* db-results.c: a checked result file staged through COPY, validated against
 * the stored tasks, samples and reports with set-based queries, then stored
 * with its case effects in the same transaction. */
#include "db/db-results.h"

#include "db/db-cases.h"
#include "db/db-conn.h"
#include "db/db-results-private.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (spotcheck - db - results - error - quark, db_results_error)

void
db_results_summary_clear (DbResultsSummary *summary)
{
  g_clear_pointer (&summary->imported_at, g_free);
}

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
  g_free (review);
}

/* Temporary tables live until the transaction ends. */
static gboolean
create_staging (PGconn *conn, GError **error)
{
  return db_run (conn,
                 "CREATE TEMP TABLE stage_report (district text, lab text, line integer, "
                 "report_no text, record_no text, "
                 "conclusion_text text, lab_conclusion text, computed text, governing text, "
                 "review boolean, review_reason text, test_date date, items integer, digest text, "
                 "failed text[], "
                 "action text DEFAULT 'new', version integer DEFAULT 1, prev_governing text, "
                 "stored_record text, "
                 "stored_digest text, stored_version integer, stored_at text) ON COMMIT DROP",
                 DB_NO_ARGS, error);
}

/* What is stored already for each staged report, and what to do with it:
 * staged rows start as new version 1 (the table's defaults), and only those
 * with a stored report are rewritten. */
static gboolean
compare_stored (PGconn *conn, const DbResultsImport *opts, GError **error)
{
  return db_run (conn, "ANALYZE stage_report", DB_NO_ARGS, error)
         && db_run (conn,
                    "UPDATE stage_report s SET stored_record = r.record_no, "
                    "stored_digest = r.digest, stored_version = r.version, "
                    "prev_governing = r.governing, "
                    "stored_at = to_char(i.imported_at, 'YYYY-MM-DD'), "
                    "version = r.version + 1, "
                    "action = CASE WHEN r.digest::text = s.digest THEN 'same' ELSE 'amend' END "
                    "FROM lab_report r JOIN result_import i "
                    "ON i.district = r.district AND i.id = r.import_id "
                    "WHERE r.district = $1 AND r.lab = $2 AND r.report_no = s.report_no "
                    "AND r.current",
                    DB_ARGS (opts->district, opts->lab), error);
}

/* Every problem the stored data reveals, as (line, column, value, why). */
static const char VALIDATE_SQL[]
    = "SELECT s.line, 's', s.record_no, format('unknown sampling number: no task of district "
      "%s has it; check the number on the sampling record (抽样单)', $1::text) "
      "FROM stage_report s WHERE NOT EXISTS (SELECT 1 FROM task t WHERE t.district = $1 "
      "AND t.record_no = s.record_no AND t.status <> 'cancelled') "
      "UNION ALL "
      "SELECT s.line, 's', s.record_no, format('sample %s was sent to lab %s, not to lab %s; "
      "check the number, or import the file as lab %s', s.record_no, t.lab, $2::text, t.lab) "
      "FROM stage_report s JOIN task t ON t.district = $1 AND t.record_no = s.record_no "
      "AND t.status <> 'cancelled' WHERE t.lab <> $2 "
      "UNION ALL "
      "SELECT s.line, 's', s.record_no, format('task %s has not been sampled yet (status %s); "
      "record the sampling before its results', s.record_no, t.status) "
      "FROM stage_report s JOIN task t ON t.district = $1 AND t.record_no = s.record_no "
      "AND t.status <> 'cancelled' WHERE t.lab = $2 AND NOT EXISTS (SELECT 1 FROM sample m "
      "WHERE m.district = $1 AND m.record_no = s.record_no) "
      "UNION ALL "
      "SELECT s.line, 'r', s.report_no, format('report %s is stored for sample %s; a report "
      "covers one sample', s.report_no, s.stored_record) "
      "FROM stage_report s WHERE s.stored_record <> s.record_no "
      "UNION ALL "
      "SELECT s.line, 's', s.record_no, format('sample %s already has report %s from lab %s on "
      "record; a sample has one report: send changes under that number as an amendment', "
      "s.record_no, r.report_no, r.lab) "
      "FROM stage_report s JOIN lab_report r ON r.district = $1 AND r.record_no = s.record_no "
      "AND r.current WHERE r.lab <> $2 OR r.report_no <> s.report_no "
      "UNION ALL "
      "SELECT s.line, 'r', s.report_no, format('report %s is already stored (version %s, "
      "imported %s) with different results; to replace it, import with --amend --reason "
      "\"why\"', s.report_no, s.stored_version, s.stored_at) "
      "FROM stage_report s WHERE s.action = 'amend' AND s.stored_record = s.record_no "
      "AND NOT $3::boolean "
      "ORDER BY 1";

static gboolean
validate (PGconn *conn, const DbResultsImport *opts, const IntakeResultFile *file,
          CoreProblems *problems, GError **error)
{
  g_autoptr (PGresult) res = db_exec (
      conn, VALIDATE_SQL, DB_ARGS (opts->district, opts->lab, opts->amend ? "t" : "f"), error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      IntakeResultField field
          = PQgetvalue (res, i, 1)[0] == 's' ? INTAKE_RESULT_SAMPLING_NO : INTAKE_RESULT_REPORT_NO;
      core_problems_add (problems, (guint)atoi (PQgetvalue (res, i, 0)),
                         intake_result_file_column (file, field), PQgetvalue (res, i, 2), "%s",
                         PQgetvalue (res, i, 3));
    }
  return TRUE;
}

static gboolean
count_actions (PGconn *conn, DbResultsSummary *out, GError **error)
{
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT count(*) FILTER (WHERE action = 'new'), count(*) FILTER (WHERE action = 'amend'), "
      "count(*) FILTER (WHERE action = 'same'), "
      "count(*) FILTER (WHERE action <> 'same' AND review) FROM stage_report",
      DB_NO_ARGS, error);
  if (res == NULL)
    return FALSE;
  out->reports_new = (guint)atoi (PQgetvalue (res, 0, 0));
  out->reports_amended = (guint)atoi (PQgetvalue (res, 0, 1));
  out->reports_same = (guint)atoi (PQgetvalue (res, 0, 2));
  out->review = (guint)atoi (PQgetvalue (res, 0, 3));
  return TRUE;
}

static gboolean
store (PGconn *conn, const DbResultsImport *opts, const char *import_id, GError **error)
{
  return db_run (conn,
                 "UPDATE lab_report r SET current = false FROM stage_report s "
                 "WHERE r.district = $1 AND r.lab = $2 AND r.report_no = s.report_no "
                 "AND r.current AND s.action = 'amend'",
                 DB_ARGS (opts->district, opts->lab), error)
         && db_run (conn,
                    "INSERT INTO lab_report (district, lab, report_no, version, record_no, "
                    "import_id, line, conclusion_text, lab_conclusion, computed, governing, "
                    "review, review_reason, amend_reason, test_date, items, digest) "
                    "SELECT $1, $2, report_no, version, record_no, $3, line, conclusion_text, "
                    "lab_conclusion, computed, governing, review, review_reason, "
                    "CASE WHEN version > 1 THEN $4 END, test_date, items, digest "
                    "FROM stage_report WHERE action IN ('new', 'amend')",
                    DB_ARGS (opts->district, opts->lab, import_id, opts->reason), error);
}

/* The same bytes from the same lab before: nothing to do. */
static gboolean
find_earlier (PGconn *conn, const DbResultsImport *opts, const char *sha, DbResultsSummary *out,
              GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT id, to_char(imported_at, 'YYYY-MM-DD HH24:MI') FROM result_import "
                 "WHERE district = $1 AND lab = $2 AND sha256 = $3",
                 DB_ARGS (opts->district, opts->lab, sha), error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 1)
    {
      out->unchanged = TRUE;
      out->import_id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
      out->imported_at = g_strdup (PQgetvalue (res, 0, 1));
    }
  return TRUE;
}

/* Opens the transaction, serialises imports of one lab (so that two files
 * naming the same report cannot both pass the checks) and checks the lab. */
static DbTransaction *
begin (PGconn *conn, const DbResultsImport *opts, GError **error)
{
  if (opts->amend && (opts->reason == NULL || *opts->reason == '\0'))
    {
      g_set_error (error, DB_RESULTS_ERROR, DB_RESULTS_ERROR_NO_REASON,
                   "an amendment needs a reason: add --reason \"why the results changed\"");
      return NULL;
    }
  g_autoptr (DbTransaction) tx = db_transaction_begin (conn, error);
  g_autofree char *key = g_strdup_printf ("results/%s/%s", opts->district, opts->lab);
  if (tx == NULL
      || !db_run (conn, "SELECT pg_advisory_xact_lock(hashtext($1))", DB_ARGS (key), error))
    return NULL;
  g_autofree char *known
      = db_scalar (conn, "SELECT count(*) FROM lab WHERE district = $1 AND code = $2",
                   DB_ARGS (opts->district, opts->lab), error);
  if (known == NULL)
    return NULL;
  if (strcmp (known, "1") != 0)
    {
      g_set_error (error, DB_RESULTS_ERROR, DB_RESULTS_ERROR_UNKNOWN_LAB,
                   "lab %s is not in the lab directory of district %s; check --lab, or import "
                   "the lab directory first",
                   opts->lab, opts->district);
      return NULL;
    }
  return g_steal_pointer (&tx);
}

static gboolean
record_import (PGconn *conn, const DbResultsImport *opts, const char *name, const char *sha,
               DbResultsSummary *out, char **import_id, GError **error)
{
  char rows[16], reports[16];
  g_snprintf (rows, sizeof rows, "%u", out->rows);
  g_snprintf (reports, sizeof reports, "%u", out->reports_new + out->reports_amended);
  *import_id = db_scalar (conn,
                          "INSERT INTO result_import (district, lab, file_name, sha256, rows, "
                          "reports, amend_reason, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                          "RETURNING id",
                          DB_ARGS (opts->district, opts->lab, name, sha, rows, reports,
                                   opts->amend ? opts->reason : NULL, opts->actor),
                          error);
  if (*import_id == NULL)
    return FALSE;
  out->import_id = g_ascii_strtoll (*import_id, NULL, 10);
  return TRUE;
}

static gboolean
audit (PGconn *conn, const DbResultsImport *opts, const char *name, const char *import_id,
       const DbResultsSummary *out, GError **error)
{
  char n_new[16], n_amend[16], n_cases[16];
  g_snprintf (n_new, sizeof n_new, "%u", out->reports_new);
  g_snprintf (n_amend, sizeof n_amend, "%u", out->reports_amended);
  g_snprintf (n_cases, sizeof n_cases, "%u", out->cases_opened + out->cases_reopened);
  g_autofree char *subject = g_strdup_printf ("result import %s", import_id);
  return db_run (conn,
                 "INSERT INTO audit_log (district, actor, action, subject, detail) VALUES "
                 "($1, $2, $3, $4, jsonb_build_object('lab', $5::text, 'file', $6::text, "
                 "'new', $7::int, 'amended', $8::int, 'cases', $9::int, 'reason', $10::text))",
                 DB_ARGS (opts->district, opts->actor,
                          out->reports_amended ? "results.amend" : "results.import", subject,
                          opts->lab, name, n_new, n_amend, n_cases,
                          opts->amend ? opts->reason : NULL),
                 error);
}

gboolean
db_results_import_data (PGconn *conn, const DbResultsImport *opts, const char *data, gsize len,
                        const char *name, DbResultsSummary *out, GError **error)
{
  memset (out, 0, sizeof *out);
  g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)data, len);
  g_autoptr (DbTransaction) tx = begin (conn, opts, error);
  if (tx == NULL || !find_earlier (conn, opts, sha, out, error))
    return FALSE;
  if (out->unchanged)
    return TRUE; /* rolls back: nothing was written */

  g_autoptr (CoreProblems) problems = core_problems_new (name);
  g_autoptr (IntakeResultFile) file
      = intake_results_read_data (data, len, name, INTAKE_FORMAT_AUTO, problems, error);
  if (file == NULL)
    return FALSE;
  out->rows = file->n_rows;
  if (!create_staging (conn, error) || !db_results_stage_reports (conn, opts, file, error)
      || !compare_stored (conn, opts, error) || !validate (conn, opts, file, problems, error)
      || !core_problems_check (problems, error) || !count_actions (conn, out, error))
    return FALSE;
  if (out->reports_new + out->reports_amended == 0)
    {
      out->unchanged = TRUE;
      out->import_id = 0;
      return TRUE;
    }
  g_autofree char *import_id = NULL;
  DbCasesContext cases
      = { opts->district, opts->actor, opts->today, opts->deadlines, opts->calendar };
  DbCasesEffects effects = { 0 };
  if (!record_import (conn, opts, name, sha, out, &import_id, error)
      || !store (conn, opts, import_id, error) || !db_results_copy_items (conn, opts, file, error)
      || !db_cases_apply_results (conn, &cases, opts->lab, opts->reason, &effects, error))
    return FALSE;
  out->cases_opened = effects.opened;
  out->cases_reopened = effects.reopened;
  out->cases_closed = effects.closed;
  out->cases_amended = effects.amended;
  return audit (conn, opts, name, import_id, out, error) && db_transaction_commit (tx, error);
}

gboolean
db_results_import_file (PGconn *conn, const DbResultsImport *opts, const char *path,
                        const char *name, DbResultsSummary *out, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  memset (out, 0, sizeof *out);
  if (!g_file_get_contents (path, &data, &len, error))
    return FALSE;
  return db_results_import_data (conn, opts, data, len, name ? name : path, out, error);
}

GPtrArray *
db_results_review_list (PGconn *conn, const char *district, GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT lab, report_no, version, record_no, lab_conclusion, computed, "
                 "governing, review_reason, test_date FROM lab_report "
                 "WHERE district = $1 AND current AND review ORDER BY lab, report_no",
                 DB_ARGS (district), error);
  if (res == NULL)
    return NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)db_results_review_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      DbResultsReview *r = g_new0 (DbResultsReview, 1);
      r->lab = g_strdup (PQgetvalue (res, i, 0));
      r->report_no = g_strdup (PQgetvalue (res, i, 1));
      r->version = atoi (PQgetvalue (res, i, 2));
      r->record_no = g_strdup (PQgetvalue (res, i, 3));
      r->lab_conclusion = g_strdup (PQgetvalue (res, i, 4));
      r->computed = g_strdup (PQgetvalue (res, i, 5));
      r->governing = g_strdup (PQgetvalue (res, i, 6));
      r->reason = g_strdup (PQgetvalue (res, i, 7));
      r->test_date = g_strdup (PQgetvalue (res, i, 8));
      g_ptr_array_add (list, r);
    }
  return list;
}
