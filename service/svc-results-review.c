/* svc-results-review.c: `results review` (the reports whose lab and
 * recomputed verdicts disagree) and `results review --resolve` (a
 * coordinator adopts one verdict, on the record, and the cases follow it). */
#include "service/svc-results.h"

#include "db/db-cases.h"
#include "db/db-conn.h"
#include "db/db-results.h"
#include "service/svc-results-stage.h"

#include <string.h>
#include "core/core-i18n.h"

static const CoreColumn REVIEW_COLUMNS[] = {
  { "lab", N_ ("lab"), CORE_CELL_TEXT },
  { "report_no", N_ ("report"), CORE_CELL_TEXT },
  { "version", N_ ("version"), CORE_CELL_INT },
  { "record_no", N_ ("sample"), CORE_CELL_TEXT },
  { "lab_conclusion", N_ ("lab conclusion"), CORE_CELL_TEXT },
  { "computed", N_ ("computed"), CORE_CELL_TEXT },
  { "governing", N_ ("governing"), CORE_CELL_TEXT },
  { "test_date", N_ ("tested"), CORE_CELL_DATE },
  { "reason", N_ ("review reason"), CORE_CELL_TEXT },
  { "flagged_items", N_ ("flagged items"), CORE_CELL_TEXT },
  { "resolved_verdict", N_ ("resolved as"), CORE_CELL_TEXT },
  { "resolved_on", N_ ("resolved on"), CORE_CELL_DATE },
  { "resolved_by", N_ ("resolved by"), CORE_CELL_TEXT },
  { "resolution_reason", N_ ("resolution reason"), CORE_CELL_TEXT },
};

static CoreTable *
review (const SvcContext *ctx, gboolean all, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_RESULTS_REVIEW, error))
    return NULL;
  const char *lab = ctx->role == SVC_ROLE_LAB ? ctx->lab : NULL;
  g_autoptr (GPtrArray) list
      = db_results_review_list (ctx->conn, svc_district (ctx), lab, all, error);
  if (list == NULL)
    return NULL;
  CoreTable *t = core_table_new ("review", _ ("reports to review"), REVIEW_COLUMNS,
                                 G_N_ELEMENTS (REVIEW_COLUMNS));
  for (guint i = 0; i < list->len; i++)
    {
      const DbResultsReview *r = g_ptr_array_index (list, i);
      guint row = core_table_add_row (t);
      const char *v[] = { r->lab,         r->report_no,        NULL,
                          r->record_no,   r->lab_conclusion,   r->computed,
                          r->governing,   r->test_date,        r->reason,
                          r->flagged,     r->resolved_verdict, r->resolved_on,
                          r->resolved_by, r->resolution_reason };
      for (guint c = 0; c < G_N_ELEMENTS (v); c++)
        if (c == 2)
          core_table_set_int (t, row, c, r->version);
        else
          core_table_set (t, row, c, v[c]);
    }
  return t;
}

CoreTable *
svc_results_review (const SvcContext *ctx, GError **error)
{
  return review (ctx, FALSE, error);
}

CoreTable *
svc_results_review_all (const SvcContext *ctx, GError **error)
{
  return review (ctx, TRUE, error);
}

void
svc_results_resolved_clear (SvcResultsResolved *out)
{
  g_clear_pointer (&out->lab, g_free);
  g_clear_pointer (&out->previous, g_free);
}

/* The one flagged, unresolved report @what names, or an error saying why not. */
static DbResultsReview *
find_flag (const SvcContext *ctx, const SvcResultsResolve *what, GError **error)
{
  const char *district = svc_district (ctx);
  g_autoptr (GPtrArray) found
      = db_results_flag_find (ctx->conn, district, what->lab, what->report_no, error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      g_autofree char *of = what->lab ? g_strdup_printf (" of lab %s", what->lab) : g_strdup ("");
      g_set_error (error, SVC_ERROR, SVC_ERROR_NOT_FOUND,
                   _ ("no current report %s%s in district %s; check the report number (报告编号) "
                      "with the review list"),
                   what->report_no, of, district);
      return NULL;
    }
  if (found->len > 1)
    {
      g_autoptr (GString) labs = g_string_new (NULL);
      for (guint i = 0; i < found->len; i++)
        g_string_append_printf (labs, "%s%s", i ? ", " : "",
                                ((DbResultsReview *)g_ptr_array_index (found, i))->lab);
      svc_error_invalid (error, "lab", _ ("report number %s is used by labs %s: name the lab"),
                         what->report_no, labs->str);
      return NULL;
    }
  DbResultsReview *r = g_ptr_array_steal_index (found, 0);
  if (r->reason == NULL)
    g_set_error (error, SVC_ERROR, SVC_ERROR_CONFLICT,
                 _ ("report %s of lab %s (version %d) is not flagged for review: its lab and "
                    "computed verdicts agree (%s)"),
                 r->report_no, r->lab, r->version, r->governing);
  else if (r->resolved_verdict != NULL)
    g_set_error (error, SVC_ERROR, SVC_ERROR_CONFLICT,
                 _ ("the review flag of report %s of lab %s (version %d) was resolved on %s by %s "
                    "as %s; a resolution is never changed: an amended report from the lab is"),
                 r->report_no, r->lab, r->version, r->resolved_on, r->resolved_by,
                 r->resolved_verdict);
  else
    return r;
  db_results_review_free (r);
  return NULL;
}

gboolean
svc_results_resolve (const SvcContext *ctx, const SvcResultsResolve *what, SvcResultsResolved *out,
                     GError **error)
{
  svc_results_resolved_clear (out);
  memset (out, 0, sizeof *out);
  if (!svc_authorize (ctx, SVC_ACTION_RESULTS_RESOLVE, error))
    return FALSE;
  g_autofree char *stripped = g_strstrip (g_strdup (what->reason ? what->reason : ""));
  if (*stripped == '\0')
    {
      svc_error_invalid (error, "reason", _ ("a resolution needs a reason: why this verdict"));
      return FALSE;
    }
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL)
    return FALSE;
  g_autoptr (DbResultsReview) flag = find_flag (ctx, what, error);
  if (flag == NULL)
    return FALSE;
  DbResultsResolution r = {
    .district = svc_district (ctx),
    .lab = flag->lab,
    .report_no = flag->report_no,
    .version = flag->version,
    .verdict = what->conforming ? "pass" : "fail",
    .reason = what->reason,
    .actor = ctx->actor,
    .on = &ctx->today,
  };
  gboolean stored = FALSE, staged = FALSE;
  if (!db_results_resolve (ctx->conn, &r, strcmp (flag->governing, "fail") == 0, &stored, &staged,
                           error))
    return FALSE;
  if (!stored)
    {
      g_set_error (error, SVC_ERROR, SVC_ERROR_CONFLICT,
                   _ ("the review flag of report %s of lab %s (version %d) was resolved by someone "
                      "else meanwhile; see its resolution in the list of all flags"),
                   r.report_no, r.lab, r.version);
      return FALSE;
    }
  if (staged)
    {
      /* The cases follow as they follow an amendment: deadlines only matter
       * (and a date outside the calendars is only an error) when one opens. */
      g_autoptr (GArray) dues = what->conforming ? g_array_new (FALSE, TRUE, sizeof (DbCaseDue))
                                                 : svc_results_first_dues (ctx, &ctx->today, error);
      g_autofree char *why = g_strdup_printf ("review resolved as %s by %s: %s",
                                              what->conforming ? "conforming" : "nonconforming",
                                              ctx->actor, what->reason);
      DbCasesEffects fx = { 0 };
      if (dues == NULL
          || !db_cases_apply_results (ctx->conn, r.district, ctx->actor, r.lab, why, &ctx->today,
                                      (const DbCaseDue *)dues->data, dues->len, &fx, error))
        return FALSE;
      out->cases_opened = fx.opened + fx.reopened;
      out->cases_withdrawn = fx.closed;
    }
  out->lab = g_strdup (flag->lab);
  out->version = flag->version;
  out->previous = g_strdup (flag->governing);
  return db_results_resolve_audit (ctx->conn, &r, flag->governing, out->cases_opened,
                                   out->cases_withdrawn, error)
         && db_transaction_commit (tx, error);
}

typedef CoreTable *(*LabRead) (PGconn *conn, const char *district, const char *lab, GError **error);

/* Those who upload a lab's files see what the lab still owes and what it sent. */
static CoreTable *
lab_read (const SvcContext *ctx, const char *lab, LabRead read, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_RESULTS_IMPORT, error))
    return NULL;
  const char *scope = svc_scope_lab (ctx, lab, error);
  return scope ? read (ctx->conn, svc_district (ctx), scope, error) : NULL;
}

CoreTable *
svc_results_pending (const SvcContext *ctx, const char *lab, GError **error)
{
  return lab_read (ctx, lab, db_results_pending, error);
}

CoreTable *
svc_results_uploads (const SvcContext *ctx, const char *lab, GError **error)
{
  return lab_read (ctx, lab, db_results_uploads, error);
}
