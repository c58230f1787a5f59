/* svc-cases.h: the verification-and-disposal queue: referral notices imported
 * into it, and the cases read back. An inspector sees only the cases of its
 * own office; a case of another office is not found for it. */
#pragma once

#include "core/core-table.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

/* Imports a referral file (intake-referral.h: CSV or JSON, the encodings of
 * result files) of 国抽/省抽/市抽 nonconforming notices. Every business must be
 * in the district's registry; all rows or none (CORE_PROBLEMS_ERROR_REJECTED
 * lists every problem). A notice already on record is skipped (*@skipped).
 * Cases open on ctx->today; their first deadlines count from the notice date.
 * @name is used in messages (NULL: @path). */
gboolean svc_cases_import_referrals (const SvcContext *ctx, const char *path, const char *name,
                                     guint *opened, guint *skipped, GError **error);
gboolean svc_cases_import_referrals_data (const SvcContext *ctx, const char *data, gsize len,
                                          const char *name, guint *opened, guint *skipped,
                                          GError **error);

/* Cases by case number, in @state only unless NULL (a state the workflow does
 * not know is DB_CASES_ERROR_BAD_STATE). Columns case_no, source, state, uscc,
 * business_name, product, record_no, lab, report_no, notice_no, notice_date,
 * failed_items, opened_on, closed_on, office, next_deadline. */
CoreTable *svc_cases_list (const SvcContext *ctx, const char *state, GError **error);

/* One case: tables "case" (a record with the list's columns), "deadlines" and
 * "events" (oldest first). DB_CASES_ERROR_NOT_FOUND when there is no such case or
 * it is outside the actor's office. */
CoreDocument *svc_cases_show (const SvcContext *ctx, const char *case_no, GError **error);

/* What svc_cases_list_where() keeps. */
typedef struct
{
  const char *state;  /* NULL: every state */
  const char *office; /* NULL: every office (an inspector: its own only) */
  gboolean overdue;   /* only cases with an unmet deadline before ctx->today */
  int due_within;     /* >= 0: only cases with an unmet deadline within so many days */
} SvcCasesFilter;

/* svc_cases_list() with filters; the columns add version and next_status
 * (the next deadline's status: due in N days, due today, overdue by N days). */
CoreTable *svc_cases_list_where (const SvcContext *ctx, const SvcCasesFilter *filter,
                                 GError **error);

/* ---- steps (svc-cases-steps.c) ---- */

/* What a step did. */
typedef struct
{
  char *case_no;
  char *step;
  char *from_state, *to_state;
  int version; /* the case's version after the step */
  char *lab;   /* accept-reinspection: the lab drawn or given; else NULL */
  char *seed;  /* the draw's seed when drawn; else NULL */
} SvcCaseStepResult;

void svc_case_step_result_clear (SvcCaseStepResult *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SvcCaseStepResult, svc_case_step_result_clear)

/* Makes ctx->workflow the district's workflow in the database when its
 * digest differs (own transaction); *@synced says whether it wrote. Every
 * step below does the same inside its own transaction. */
gboolean svc_cases_workflow_sync (const SvcContext *ctx, gboolean *synced, GError **error);

/* The case's current version (what a face shows and sends back), NOT_FOUND
 * outside the actor's office. */
gboolean svc_cases_version (const SvcContext *ctx, const char *case_no, int *version,
                            GError **error);

/* Takes @step on @case_no with @fields (char* -> char*; may be NULL) and
 * @note (may be NULL), based on @expected_version, the version the user saw
 * (another one is DB_CASES_ERROR_CONFLICT naming both): the workflow check
 * (cases_workflow_check(): CASES_WORKFLOW_ERROR_*), with the actor's role
 * (inspectors: their office's cases only, others are not found), the
 * deadlines the step starts, meets or extends, and the event, in one
 * transaction. */
gboolean svc_cases_advance (const SvcContext *ctx, const char *case_no, const char *step,
                            GHashTable *fields, const char *note, int expected_version,
                            SvcCaseStepResult *result, GError **error);

/* The close step; refused while an earlier step or field is missing, every
 * one named (CASES_WORKFLOW_ERROR_INCOMPLETE), whatever state the case is in. */
gboolean svc_cases_close (const SvcContext *ctx, const char *case_no, GHashTable *fields,
                          const char *note, int expected_version, SvcCaseStepResult *result,
                          GError **error);

/* The extend step: the overall limit moves to @until on a recorded approval. */
gboolean svc_cases_extend (const SvcContext *ctx, const char *case_no, const GDate *until,
                           const char *approved_by, const char *reason, int expected_version,
                           SvcCaseStepResult *result, GError **error);

/* accept-reinspection: without a reinspection-lab field the lab is drawn with
 * cases_reinspection_draw_lab() among the active labs accredited for the
 * case's category, never the first lab, from @seed (NULL: the case number and
 * the accepted-on date); seed, algorithm and candidates are recorded in the
 * event. */
gboolean svc_cases_reinspect_accept (const SvcContext *ctx, const char *case_no, GHashTable *fields,
                                     const char *seed, const char *note, int expected_version,
                                     SvcCaseStepResult *result, GError **error);

/* Hands the case to @office (coordinators only), on the record. */
gboolean svc_cases_assign (const SvcContext *ctx, const char *case_no, const char *office,
                           const char *note, int expected_version, SvcCaseStepResult *result,
                           GError **error);

/* The workflow as a table: step, zh, from, to, role, requires, optional,
 * starts, meets, extends, after. */
CoreTable *svc_cases_steps (const SvcContext *ctx, GError **error);

/* The workflow as data for a face that names states and steps itself: tables
 * "states" (state, zh, en, terminal; in [workflow] states order), "steps"
 * (svc_cases_steps()) and "deadlines" (deadline, zh). The cells are the same
 * in every language. */
CoreDocument *svc_cases_workflow (const SvcContext *ctx, GError **error);

/* A case's source ("city", "provincial", "national", "district"...) in this
 * thread's language; an unknown one as it is. Static. */
const char *svc_cases_source_name (const char *source);

/* A workflow state's name as people read it: its Chinese name under
 * Chinese; NULL otherwise or when the state is unknown (the key is shown:
 * in English the key is the name). Owned by the workflow. */
const char *svc_cases_state_name (const SvcContext *ctx, const char *key);

/* Role keys ("inspector", "coordinator"...) as people read them, in this
 * thread's language, joined with ";"; NULL when @roles is empty. Free with
 * g_free(). */
char *svc_cases_roles_shown (char **roles);

G_END_DECLS
