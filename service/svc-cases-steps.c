/* svc-cases-steps.c: a case moved one step of the workflow of
 * config/case-workflow.conf. The pure check (cases_workflow_check) decides
 * with the case's history from the database; the database's case_take_step()
 * re-checks the version, the step and the role and writes state, deadlines
 * and event; all in one transaction, after the district's workflow rows are
 * made those of the loaded configuration. */
#include "service/svc-cases.h"

#include "core/core-i18n.h"
#include "db/db-cases.h"
#include "db/db-conn.h"
#include "db/db-workflow.h"

#include <string.h>

void
svc_case_step_result_clear (SvcCaseStepResult *r)
{
  g_free (r->case_no);
  g_free (r->step);
  g_free (r->from_state);
  g_free (r->to_state);
  g_free (r->lab);
  g_free (r->seed);
  memset (r, 0, sizeof *r);
}

static gboolean
need_workflow (const SvcContext *ctx, GError **error)
{
  if (ctx->workflow != NULL)
    return TRUE;
  g_set_error (error, SVC_ERROR, SVC_ERROR_INVALID,
               _ ("no case workflow is loaded (config/case-workflow.conf)"));
  return FALSE;
}

gboolean
svc_cases_workflow_sync (const SvcContext *ctx, gboolean *synced, GError **error)
{
  *synced = FALSE;
  if (!svc_authorize (ctx, SVC_ACTION_CASES_WORK, error) || !need_workflow (ctx, error))
    return FALSE;
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  return tx != NULL
         && db_workflow_ensure (ctx->conn, svc_district (ctx), ctx->workflow, synced, error)
         && db_transaction_commit (tx, error);
}

/* The case as the actor may see it: another office's case is not found, with
 * the message a number no case has gets, so its existence is not revealed. */
static DbCaseFacts *
facts_in_scope (const SvcContext *ctx, const char *case_no, gboolean lock, GError **error)
{
  g_autoptr (DbCaseFacts) f = db_cases_facts (ctx->conn, svc_district (ctx), case_no, lock, error);
  if (f == NULL)
    return NULL;
  if (!svc_in_office (ctx, f->office))
    {
      g_set_error (error, DB_CASES_ERROR, DB_CASES_ERROR_NOT_FOUND, _ ("no case %s in district %s"),
                   case_no, svc_district (ctx));
      return NULL;
    }
  return g_steal_pointer (&f);
}

gboolean
svc_cases_version (const SvcContext *ctx, const char *case_no, int *version, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_CASES_READ, error))
    return FALSE;
  g_autoptr (DbCaseFacts) f = facts_in_scope (ctx, case_no, FALSE, error);
  if (f == NULL)
    return FALSE;
  *version = f->version;
  return TRUE;
}

static gboolean
check_version (const char *case_no, const DbCaseFacts *f, int expected, GError **error)
{
  if (f->version == expected)
    return TRUE;
  g_set_error (error, DB_CASES_ERROR, DB_CASES_ERROR_CONFLICT,
               _ ("case %s was changed meanwhile: you saw version %d, it is now version %d"),
               case_no, expected, f->version);
  return FALSE;
}

/* The role the workflow knows the actor by. */
static const char *
workflow_role (const SvcContext *ctx)
{
  return svc_role_name (ctx->role);
}

/* For close: when the step is refused from the case's state, what is missing
 * before it (every earlier step and field) says more than the state does. */
static void
explain_incomplete (const SvcContext *ctx, const char *state, const CasesStep *def,
                    GHashTable *fields, const CasesHistory *h, GError **error)
{
  /* a finished case is not missing anything: its state is the answer */
  const CasesState *st = cases_workflow_state (ctx->workflow, state);
  if (st == NULL || st->terminal)
    return;
  if (def->after == NULL || def->after[0] == NULL || def->from == NULL || def->from[0] == NULL
      || !g_error_matches (*error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_STEP))
    return;
  g_autoptr (GError) as_if = NULL;
  if (!cases_workflow_check (ctx->workflow, def->from[0], def->name, workflow_role (ctx), fields, h,
                             &as_if)
      && (g_error_matches (as_if, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_INCOMPLETE)
          || g_error_matches (as_if, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_FIELDS)))
    {
      g_clear_error (error);
      g_propagate_error (error, g_steal_pointer (&as_if));
    }
}

typedef struct
{
  const char *seed; /* accept-reinspection: draw the lab from this seed */
  gboolean draw;
  gboolean explain; /* close: name what is missing */
} StepOptions;

/* Adds the drawn lab to @fields (a copy the caller owns) and the draw's record
 * to @record. */
static gboolean
draw_lab (const SvcContext *ctx, const char *case_no, const DbCaseFacts *f, GHashTable *fields,
          GHashTable *record, const char *seed_in, SvcCaseStepResult *result, GError **error)
{
  const char *lab_field = ctx->workflow->reinspection.lab_field;
  if (lab_field == NULL || g_hash_table_contains (fields, lab_field))
    return TRUE;
  const char *day = g_hash_table_lookup (fields, "accepted-on");
  g_autofree char *today = core_date_format (&ctx->today);
  g_autofree char *seed
      = seed_in ? g_strdup (seed_in) : g_strdup_printf ("%s %s", case_no, day ? day : today);
  g_ptr_array_add (f->labs, NULL);
  char *lab = cases_reinspection_draw_lab (seed, case_no, (const char *const *)f->labs->pdata,
                                           f->history->first_lab, error);
  g_ptr_array_remove_index (f->labs, f->labs->len - 1);
  if (lab == NULL)
    return FALSE;
  g_hash_table_insert (fields, g_strdup (lab_field), lab);
  g_autoptr (GString) among = g_string_new (NULL);
  for (guint i = 0; i < f->labs->len; i++)
    {
      const char *l = g_ptr_array_index (f->labs, i);
      if (f->history->first_lab == NULL || strcmp (l, f->history->first_lab) != 0)
        g_string_append_printf (among, "%s%s", among->len ? ";" : "", l);
    }
  g_hash_table_insert (record, g_strdup ("lab-draw-seed"), g_strdup (seed));
  g_hash_table_insert (record, g_strdup ("lab-draw-algorithm"),
                       g_strdup (CASES_LAB_DRAW_ALGORITHM));
  g_hash_table_insert (record, g_strdup ("lab-draw-candidates"), g_strdup (among->str));
  result->seed = g_strdup (seed);
  return TRUE;
}

static GHashTable *
copy_fields (GHashTable *fields)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (fields == NULL)
    return copy;
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, fields);
  while (g_hash_table_iter_next (&it, &k, &v))
    g_hash_table_insert (copy, g_strdup (k), g_strdup (v));
  return copy;
}

static gboolean
take_step (const SvcContext *ctx, const char *case_no, const char *step, GHashTable *given,
           const char *note, int expected_version, const StepOptions *opt,
           SvcCaseStepResult *result, GError **error)
{
  memset (result, 0, sizeof *result);
  if (!svc_authorize (ctx, SVC_ACTION_CASES_WORK, error) || !need_workflow (ctx, error))
    return FALSE;
  const char *district = svc_district (ctx);
  gboolean synced = FALSE;
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL || !db_workflow_ensure (ctx->conn, district, ctx->workflow, &synced, error))
    return FALSE;
  g_autoptr (DbCaseFacts) f = facts_in_scope (ctx, case_no, TRUE, error);
  if (f == NULL || !check_version (case_no, f, expected_version, error))
    return FALSE;
  g_autoptr (GHashTable) fields = copy_fields (given);
  g_autoptr (GHashTable) record = copy_fields (NULL);
  if (opt->draw && !draw_lab (ctx, case_no, f, fields, record, opt->seed, result, error))
    return FALSE;
  if (!cases_workflow_check (ctx->workflow, f->state, step, workflow_role (ctx), fields, f->history,
                             error))
    {
      const CasesStep *def = cases_workflow_step (ctx->workflow, step);
      if (opt->explain && def != NULL)
        explain_incomplete (ctx, f->state, def, fields, f->history, error);
      return FALSE;
    }
  const CasesStep *def = cases_workflow_step (ctx->workflow, step);
  g_autoptr (GArray) due = cases_workflow_due (ctx->workflow, def, fields, &ctx->today, error);
  if (due == NULL)
    return FALSE;
  g_autoptr (GArray) dues = g_array_new (FALSE, TRUE, sizeof (DbStepDue));
  for (guint i = 0; i < due->len; i++)
    {
      const CasesDue *d = &g_array_index (due, CasesDue, i);
      DbStepDue x = { d->deadline->name,
                      d->deadline->zh,
                      d->deadline->amount,
                      cases_deadline_unit_name (d->deadline->unit),
                      d->from,
                      d->due,
                      d->extended,
                      d->deadline->window };
      g_array_append_val (dues, x);
    }
  GDate on = ctx->today;
  const char *date = def->date_field ? g_hash_table_lookup (fields, def->date_field) : NULL;
  if (date != NULL)
    core_date_parse (date, &on);
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, record);
  while (g_hash_table_iter_next (&it, &k, &v))
    g_hash_table_insert (fields, g_strdup (k), g_strdup (v));
  DbCaseStep s = {
    .case_no = case_no,
    .step = step,
    .expected_version = expected_version,
    .actor = ctx->actor,
    .role = workflow_role (ctx),
    .on = on,
    .fields = fields,
    .note = note,
    .dues = (const DbStepDue *)dues->data,
    .n_dues = dues->len,
    .meets = (const char *const *)def->meets,
  };
  int version = 0;
  if (!db_cases_step (ctx->conn, district, &s, &version, error)
      || !db_transaction_commit (tx, error))
    return FALSE;
  result->case_no = g_strdup (case_no);
  result->step = g_strdup (step);
  result->from_state = g_strdup (f->state);
  result->to_state = g_strdup (def->to ? def->to : f->state);
  result->version = version;
  if (opt->draw && ctx->workflow->reinspection.lab_field)
    result->lab = g_strdup (g_hash_table_lookup (fields, ctx->workflow->reinspection.lab_field));
  return TRUE;
}

gboolean
svc_cases_advance (const SvcContext *ctx, const char *case_no, const char *step, GHashTable *fields,
                   const char *note, int expected_version, SvcCaseStepResult *result,
                   GError **error)
{
  const CasesStep *def = ctx->workflow ? cases_workflow_step (ctx->workflow, step) : NULL;
  StepOptions opt
      = { .draw = def != NULL && def->reinspection && ctx->workflow->reinspection.lab_field != NULL
                  && (def->requires
                      && g_strv_contains ((const char *const *)def->requires,
                                          ctx->workflow->reinspection.lab_field)),
          .explain = def != NULL && def->after != NULL };
  return take_step (ctx, case_no, step, fields, note, expected_version, &opt, result, error);
}

gboolean
svc_cases_close (const SvcContext *ctx, const char *case_no, GHashTable *fields, const char *note,
                 int expected_version, SvcCaseStepResult *result, GError **error)
{
  StepOptions opt = { .explain = TRUE };
  return take_step (ctx, case_no, "close", fields, note, expected_version, &opt, result, error);
}

gboolean
svc_cases_extend (const SvcContext *ctx, const char *case_no, const GDate *until,
                  const char *approved_by, const char *reason, int expected_version,
                  SvcCaseStepResult *result, GError **error)
{
  g_autoptr (GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  if (until != NULL && g_date_valid (until))
    g_hash_table_insert (fields, "extended-until", core_date_format (until));
  if (approved_by != NULL)
    g_hash_table_insert (fields, "approved-by", g_strdup (approved_by));
  if (reason != NULL)
    g_hash_table_insert (fields, "extension-reason", g_strdup (reason));
  StepOptions opt = { 0 };
  return take_step (ctx, case_no, "extend", fields, NULL, expected_version, &opt, result, error);
}

gboolean
svc_cases_reinspect_accept (const SvcContext *ctx, const char *case_no, GHashTable *fields,
                            const char *seed, const char *note, int expected_version,
                            SvcCaseStepResult *result, GError **error)
{
  StepOptions opt = { .seed = seed, .draw = TRUE };
  return take_step (ctx, case_no, "accept-reinspection", fields, note, expected_version, &opt,
                    result, error);
}

gboolean
svc_cases_assign (const SvcContext *ctx, const char *case_no, const char *office, const char *note,
                  int expected_version, SvcCaseStepResult *result, GError **error)
{
  memset (result, 0, sizeof *result);
  if (!svc_authorize (ctx, SVC_ACTION_CASES_WORK, error))
    return FALSE;
  if (ctx->role != SVC_ROLE_COORDINATOR)
    {
      g_set_error (error, SVC_ERROR, SVC_ERROR_FORBIDDEN,
                   _ ("the %s role may not hand a case to another office; a coordinator does"),
                   svc_role_name (ctx->role));
      return FALSE;
    }
  if (office == NULL || *office == '\0')
    {
      svc_error_invalid (error, "office", _ ("name the office the case goes to"));
      return FALSE;
    }
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL)
    return FALSE;
  g_autoptr (DbCaseFacts) f = facts_in_scope (ctx, case_no, TRUE, error);
  int version = 0;
  if (f == NULL || !check_version (case_no, f, expected_version, error)
      || !db_cases_assign (ctx->conn, svc_district (ctx), case_no, office, expected_version,
                           ctx->actor, &ctx->today, note, &version, error)
      || !db_transaction_commit (tx, error))
    return FALSE;
  result->case_no = g_strdup (case_no);
  result->step = g_strdup ("assign");
  result->from_state = g_strdup (f->state);
  result->to_state = g_strdup (f->state);
  result->version = version;
  return TRUE;
}

static const CoreColumn STEP_COLUMNS[] = {
  { "step", N_ ("step"), CORE_CELL_TEXT },
  { "zh", N_ ("Chinese name"), CORE_CELL_TEXT },
  { "from", N_ ("starting state"), CORE_CELL_TEXT },
  { "to", N_ ("resulting state"), CORE_CELL_TEXT },
  { "role", N_ ("role"), CORE_CELL_TEXT },
  { "requires", N_ ("requires"), CORE_CELL_TEXT },
  { "optional", N_ ("optional"), CORE_CELL_TEXT },
  { "starts", N_ ("starts"), CORE_CELL_TEXT },
  { "meets", N_ ("meets"), CORE_CELL_TEXT },
  { "extends", N_ ("extends"), CORE_CELL_TEXT },
  { "after", N_ ("after"), CORE_CELL_TEXT },
};

static char *
joined (char **list)
{
  return list && list[0] ? g_strjoinv (";", list) : NULL;
}

/* State keys by their Chinese names under Chinese, joined with ";"; NULL:
 * the keys are shown (in English the key is the name). */
static char *
states_shown (const SvcContext *ctx, char **states)
{
  if (states == NULL || states[0] == NULL || strcmp (core_i18n_lang (), "zh") != 0)
    return NULL;
  GString *s = g_string_new (NULL);
  for (gsize i = 0; states[i] != NULL; i++)
    {
      const char *name = svc_cases_state_name (ctx, states[i]);
      g_string_append_printf (s, "%s%s", i ? ";" : "", name ? name : states[i]);
    }
  return g_string_free (s, FALSE);
}

CoreTable *
svc_cases_steps (const SvcContext *ctx, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_CASES_READ, error) || !need_workflow (ctx, error))
    return NULL;
  CoreTable *t = core_table_new ("steps", _ ("case workflow steps"), STEP_COLUMNS,
                                 G_N_ELEMENTS (STEP_COLUMNS));
  for (guint i = 0; i < ctx->workflow->steps->len; i++)
    {
      const CasesStep *s = g_ptr_array_index (ctx->workflow->steps, i);
      guint row = core_table_add_row (t);
      core_table_set (t, row, 0, s->name);
      core_table_set (t, row, 1, s->zh);
      core_table_take (t, row, 2, joined (s->from));
      g_autofree char *from = states_shown (ctx, s->from);
      core_table_set_shown (t, row, 2, from);
      core_table_set (t, row, 3, s->to ? s->to : "(stays)");
      char *to[] = { s->to, NULL };
      g_autofree char *to_shown = states_shown (ctx, to);
      core_table_set_shown (t, row, 3, to_shown);
      if (s->to == NULL)
        /* TRANSLATORS: a step that leaves the case in the state it is in. */
        core_table_set_shown (t, row, 3, _ ("(stays)"));
      core_table_take (t, row, 4, joined (s->roles));
      g_autofree char *roles = svc_cases_roles_shown (s->roles);
      core_table_set_shown (t, row, 4, roles);
      core_table_take (t, row, 5, joined (s->requires));
      core_table_take (t, row, 6, joined (s->optional));
      core_table_take (t, row, 7, joined (s->starts));
      core_table_take (t, row, 8, joined (s->meets));
      core_table_set (t, row, 9, s->extends);
      core_table_take (t, row, 10, joined (s->after));
    }
  return t;
}

static const CoreColumn STATE_COLUMNS[] = {
  { "state", N_ ("state"), CORE_CELL_TEXT },
  { "zh", N_ ("Chinese name"), CORE_CELL_TEXT },
  { "en", N_ ("English text"), CORE_CELL_TEXT },
  { "terminal", N_ ("terminal"), CORE_CELL_BOOL },
};

static const CoreColumn DEADLINE_COLUMNS[] = {
  { "deadline", N_ ("deadline"), CORE_CELL_TEXT },
  { "zh", N_ ("Chinese name"), CORE_CELL_TEXT },
};

CoreDocument *
svc_cases_workflow (const SvcContext *ctx, GError **error)
{
  g_autoptr (CoreTable) steps = svc_cases_steps (ctx, error);
  if (steps == NULL)
    return NULL;
  CoreTable *states
      = core_table_new ("states", _ ("case states"), STATE_COLUMNS, G_N_ELEMENTS (STATE_COLUMNS));
  for (guint i = 0; i < ctx->workflow->states->len; i++)
    {
      const CasesState *s = g_ptr_array_index (ctx->workflow->states, i);
      guint row = core_table_add_row (states);
      core_table_set (states, row, 0, s->name);
      core_table_set (states, row, 1, s->zh);
      core_table_set (states, row, 2, s->en);
      core_table_set (states, row, 3, s->terminal ? "true" : "false");
    }
  CoreTable *deadlines = core_table_new ("deadlines", _ ("deadlines"), DEADLINE_COLUMNS,
                                         G_N_ELEMENTS (DEADLINE_COLUMNS));
  for (guint i = 0; ctx->workflow->deadlines && i < ctx->workflow->deadlines->all->len; i++)
    {
      const CasesDeadline *d = g_ptr_array_index (ctx->workflow->deadlines->all, i);
      guint row = core_table_add_row (deadlines);
      core_table_set (deadlines, row, 0, d->name);
      core_table_set (deadlines, row, 1, d->zh);
    }
  CoreDocument *doc = core_document_new (_ ("Case workflow"));
  core_document_add (doc, states);
  core_document_add (doc, g_steal_pointer (&steps));
  core_document_add (doc, deadlines);
  return doc;
}
