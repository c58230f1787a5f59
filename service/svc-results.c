/* svc-results.c: `results import` for every face: role
 * and lab scope checked here, the file parsed and checked (intake), the first
 * deadlines of new cases counted (cases), and db/ handed what to store, all
 * in one transaction. */
#include "service/svc-results.h"

#include "db/db-cases.h"
#include "db/db-conn.h"
#include "db/db-results.h"
#include "service/svc-results-stage.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/core-i18n.h"

void
svc_results_summary_clear (SvcResultsSummary *summary)
{
  g_clear_pointer (&summary->imported_at, g_free);
  g_clear_pointer (&summary->lab, g_free);
}

gboolean
svc_read_input (const char *path, char **data, gsize *len, GError **error)
{
  int fd = g_open (path, O_RDONLY, 0);
  const char *why = NULL;
  struct stat st;
  if (fd < 0)
    why = g_strerror (errno);
  else if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    why = "it is a directory";
  if (fd >= 0)
    close (fd);
  g_autoptr (GError) local = NULL;
  if (why == NULL && g_file_get_contents (path, data, len, &local))
    return TRUE;
  g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_READ, _ ("cannot read %s: %s"), path,
               why ? why : local->message);
  return FALSE;
}

GArray *
svc_results_first_dues (const SvcContext *ctx, const GDate *start, GError **error)
{
  g_autoptr (GPtrArray) list
      = cases_deadlines_from (ctx->deadlines, CASES_EVENT_CONCLUSION_RECEIVED);
  g_autoptr (GArray) dues = g_array_sized_new (FALSE, TRUE, sizeof (DbCaseDue), list->len);
  for (guint i = 0; i < list->len; i++)
    {
      const CasesDeadline *d = g_ptr_array_index (list, i);
      DbCaseDue due = { d->name, d->zh, d->amount, cases_deadline_unit_name (d->unit), { 0 } };
      if (!cases_deadline_due (d, ctx->calendar, start, &due.due, error))
        return NULL;
      g_array_append_val (dues, due);
    }
  return g_steal_pointer (&dues);
}

/* The stored data's objections, added to the file's problems. */
static gboolean
check_stored (const SvcContext *ctx, const char *lab, gboolean amend, const IntakeResultFile *file,
              CoreProblems *problems, guint *changes, GError **error)
{
  g_autoptr (GPtrArray) found = db_results_check (ctx->conn, svc_district (ctx), lab, amend, error);
  if (found == NULL)
    return FALSE;
  for (guint i = 0; i < found->len; i++)
    {
      const DbResultsProblem *p = g_ptr_array_index (found, i);
      if (p->change)
        (*changes)++;
      IntakeResultField field = p->at == DB_RESULTS_AT_SAMPLING_NO ? INTAKE_RESULT_SAMPLING_NO
                                : p->at == DB_RESULTS_AT_REPORT_NO ? INTAKE_RESULT_REPORT_NO
                                                                   : INTAKE_RESULT_TEST_DATE;
      core_problems_add (problems, p->line, intake_result_file_column (file, field), p->value, "%s",
                         p->why);
    }
  return TRUE;
}

/* Stores what the staging table holds, with its cases and audit record. */
static gboolean
store (const SvcContext *ctx, const DbResultsImport *im, const IntakeResultFile *file,
       const DbResultsCounts *counts, SvcResultsSummary *out, GError **error)
{
  /* Deadlines are needed (and a date outside the calendars is an error) only
   * when some report fails. */
  g_autoptr (GArray) dues = counts->failing > 0 ? svc_results_first_dues (ctx, &ctx->today, error)
                                                : g_array_new (FALSE, TRUE, sizeof (DbCaseDue));
  DbCasesEffects fx = { 0 };
  if (dues == NULL || !db_results_store (ctx->conn, im, file, &out->import_id, error)
      || !db_cases_apply_results (ctx->conn, im->district, im->actor, im->lab, im->reason,
                                  &ctx->today, (const DbCaseDue *)dues->data, dues->len, &fx,
                                  error))
    return FALSE;
  out->cases_opened = fx.opened;
  out->cases_reopened = fx.reopened;
  out->cases_closed = fx.closed;
  out->cases_amended = fx.amended;
  return db_results_audit (ctx->conn, im, out->import_id, out->reports_new, out->reports_amended,
                           fx.opened + fx.reopened, error);
}

gboolean
svc_results_import_data (const SvcContext *ctx, const char *data, gsize len, const char *name,
                         const SvcResultsOptions *opts, SvcResultsSummary *out, GError **error)
{
  svc_results_summary_clear (out);
  memset (out, 0, sizeof *out);
  if (!svc_authorize (ctx, SVC_ACTION_RESULTS_IMPORT, error))
    return FALSE;
  const char *lab = svc_scope_lab (ctx, opts->lab, error);
  if (lab == NULL)
    return FALSE;
  if (opts->amend && (opts->reason == NULL || *opts->reason == '\0'))
    {
      g_set_error_literal (error, SVC_ERROR, SVC_ERROR_INVALID,
                           _ ("an amendment needs a reason: why the results changed"));
      return FALSE;
    }
  out->lab = g_strdup (lab);
  name = name ? name : "<data>";
  g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)data, len);
  const char *district = svc_district (ctx);
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL || !db_results_lock_lab (ctx->conn, district, lab, error)
      || !db_results_find_earlier (ctx->conn, district, lab, sha, &out->import_id,
                                   &out->imported_at, error))
    return FALSE;
  if (out->import_id != 0)
    {
      out->unchanged = TRUE;
      return TRUE; /* rolls back: nothing was written */
    }

  core_progress_update (ctx->progress, _ ("reading the file"), 0, 0);
  g_autoptr (CoreProblems) problems = core_problems_new (name);
  g_autoptr (IntakeResultFile) file
      = intake_results_read_data (data, len, name, INTAKE_FORMAT_AUTO, problems, error);
  if (file == NULL)
    return FALSE;
  intake_results_check_dates (file, &ctx->today, problems);
  out->rows = file->n_rows;
  g_auto (SvcResultsStage) stage;
  svc_results_stage_init (&stage, file);
  stage.progress = ctx->progress;
  DbResultsCounts counts = { 0 };
  if (!db_results_stage (ctx->conn, district, lab, svc_results_stage_next, &stage, error)
      || !check_stored (ctx, lab, opts->amend, file, problems, &out->refused_changes, error)
      || !core_problems_check (problems, error) || !db_results_count (ctx->conn, &counts, error))
    return FALSE;
  out->reports_new = counts.reports_new;
  out->reports_amended = counts.reports_amended;
  out->reports_same = counts.reports_same;
  out->review = counts.review;
  if (counts.reports_new + counts.reports_amended == 0)
    {
      out->unchanged = TRUE;
      return TRUE;
    }
  core_progress_update (ctx->progress, _ ("storing reports and opening cases"), 0, 0);
  DbResultsImport im = {
    .district = district,
    .lab = lab,
    .actor = ctx->actor,
    .file_name = name,
    .sha256 = sha,
    .rows = file->n_rows,
    .reason = opts->amend ? opts->reason : NULL,
  };
  return store (ctx, &im, file, &counts, out, error) && db_transaction_commit (tx, error);
}

gboolean
svc_results_import_file (const SvcContext *ctx, const char *path, const char *name,
                         const SvcResultsOptions *opts, SvcResultsSummary *out, GError **error)
{
  svc_results_summary_clear (out);
  memset (out, 0, sizeof *out);
  /* Role and scope first: a refused actor learns nothing about the file. */
  if (!svc_authorize (ctx, SVC_ACTION_RESULTS_IMPORT, error)
      || svc_scope_lab (ctx, opts->lab, error) == NULL)
    return FALSE;
  g_autofree char *data = NULL;
  gsize len = 0;
  if (!svc_read_input (path, &data, &len, error))
    return FALSE;
  return svc_results_import_data (ctx, data, len, name ? name : path, opts, out, error);
}
