/* svc-cases.c: referral notices into the case queue (parsed by intake, first
 * deadlines counted by cases, stored by db in one transaction), and the queue
 * read back as tables within the actor's office. */
#include "service/svc-cases.h"

#include "core/core-i18n.h"
#include "db/db-cases.h"
#include "db/db-conn.h"
#include "intake/intake-referral.h"
#include "service/svc-results.h"

#include <string.h>

/* The first deadlines of every notice, counted from its notice date, notice
 * after notice; a due date outside the calendars is the notice's problem. */
static GArray *
referral_dues (const SvcContext *ctx, const IntakeReferralFile *file, guint *n_dues,
               CoreProblems *problems)
{
  g_autoptr (GPtrArray) first
      = cases_deadlines_from (ctx->deadlines, CASES_EVENT_CONCLUSION_RECEIVED);
  GArray *dues = g_array_new (FALSE, TRUE, sizeof (DbCaseDue));
  *n_dues = first->len;
  for (guint i = 0; i < file->referrals->len; i++)
    {
      const IntakeReferral *r = g_ptr_array_index (file->referrals, i);
      for (guint k = 0; k < first->len; k++)
        {
          const CasesDeadline *d = g_ptr_array_index (first, k);
          DbCaseDue due = { d->name, d->zh, d->amount, cases_deadline_unit_name (d->unit), { 0 } };
          g_autoptr (GError) error = NULL;
          if (!cases_deadline_due (d, ctx->calendar, &r->notice_date, &due.due, &error))
            {
              g_autofree char *date = core_date_format (&r->notice_date);
              core_problems_add (problems, r->line,
                                 intake_referral_file_column (file, INTAKE_REFERRAL_DATE), date,
                                 "%s", error->message);
              due.due = r->notice_date; /* the file is rejected anyway */
            }
          g_array_append_val (dues, due);
        }
    }
  return dues;
}

gboolean
svc_cases_import_referrals_data (const SvcContext *ctx, const char *data, gsize len,
                                 const char *name, guint *opened, guint *skipped, GError **error)
{
  *opened = *skipped = 0;
  if (!svc_authorize (ctx, SVC_ACTION_REFERRALS_IMPORT, error))
    return FALSE;
  name = name ? name : "<data>";
  g_autoptr (CoreProblems) problems = core_problems_new (name);
  g_autoptr (IntakeReferralFile) file
      = intake_referral_read_data (data, len, name, problems, error);
  if (file == NULL)
    return FALSE;
  guint n_dues = 0;
  g_autoptr (GArray) dues = referral_dues (ctx, file, &n_dues, problems);
  const char *district = svc_district (ctx);
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL
      || !db_cases_stage_referrals (ctx->conn, file, (const DbCaseDue *)dues->data, n_dues, error))
    return FALSE;
  g_autoptr (GPtrArray) unknown = db_cases_referrals_unknown (ctx->conn, district, error);
  if (unknown == NULL)
    return FALSE;
  for (guint i = 0; i < unknown->len; i++)
    {
      const DbCasesUnknown *u = g_ptr_array_index (unknown, i);
      core_problems_add (problems, u->line,
                         intake_referral_file_column (file, INTAKE_REFERRAL_USCC), u->uscc,
                         _ ("no business of district %s has this code"), district);
    }
  return core_problems_check (problems, error)
         && db_cases_insert_referrals (ctx->conn, district, ctx->actor, &ctx->today, name, opened,
                                       skipped, error)
         && db_transaction_commit (tx, error);
}

gboolean
svc_cases_import_referrals (const SvcContext *ctx, const char *path, const char *name,
                            guint *opened, guint *skipped, GError **error)
{
  *opened = *skipped = 0;
  if (!svc_authorize (ctx, SVC_ACTION_REFERRALS_IMPORT, error))
    return FALSE;
  g_autofree char *data = NULL;
  gsize len = 0;
  return svc_read_input (path, &data, &len, error)
         && svc_cases_import_referrals_data (ctx, data, len, name ? name : path, opened, skipped,
                                             error);
}

static const CoreColumn CASE_COLUMNS[] = {
  { "case_no", N_ ("case number"), CORE_CELL_TEXT },
  { "source", N_ ("source"), CORE_CELL_TEXT },
  { "state", N_ ("state"), CORE_CELL_TEXT },
  { "uscc", N_ ("credit code"), CORE_CELL_TEXT },
  { "business_name", N_ ("business name"), CORE_CELL_TEXT },
  { "product", N_ ("product"), CORE_CELL_TEXT },
  { "record_no", N_ ("sample"), CORE_CELL_TEXT },
  { "lab", N_ ("lab"), CORE_CELL_TEXT },
  { "report_no", N_ ("report"), CORE_CELL_TEXT },
  { "notice_no", N_ ("notice"), CORE_CELL_TEXT },
  { "notice_date", N_ ("notice date"), CORE_CELL_DATE },
  { "failed_items", N_ ("failed items"), CORE_CELL_TEXT },
  { "opened_on", N_ ("opened"), CORE_CELL_DATE },
  { "closed_on", N_ ("closed"), CORE_CELL_DATE },
  { "office", N_ ("office"), CORE_CELL_TEXT },
  { "next_deadline", N_ ("next deadline"), CORE_CELL_TEXT },
  { "next_status", N_ ("next deadline status"), CORE_CELL_TEXT },
  { "version", N_ ("version"), CORE_CELL_INT },
};

/* Sets a status cell: @english is what CSV and JSON carry, whatever the
 * language; @shown, its translation, what people read. Takes both. */
static void
set_status (CoreTable *t, guint row, guint col, char *english, char *shown)
{
  core_table_take (t, row, col, english);
  core_table_set_shown (t, row, col, shown);
  g_free (shown);
}

/* "due in N days", "due today", "overdue by N days" (counted from @today);
 * nothing for a date it cannot read. */
static void
set_due_status (CoreTable *t, guint row, guint col, const char *due_on, const GDate *today)
{
  GDate due;
  if (due_on == NULL || !core_date_parse (due_on, &due))
    return;
  int days = g_date_days_between (today, &due);
  if (days == 0)
    set_status (t, row, col, g_strdup ("due today"), g_strdup (_ ("due today")));
  else if (days == 1)
    set_status (t, row, col, g_strdup ("due in 1 day"), g_strdup (_ ("due in 1 day")));
  else if (days > 0)
    set_status (t, row, col, g_strdup_printf ("due in %d days", days),
                g_strdup_printf (_ ("due in %d days"), days));
  else if (days == -1)
    set_status (t, row, col, g_strdup ("overdue by 1 day"), g_strdup (_ ("overdue by 1 day")));
  else
    set_status (t, row, col, g_strdup_printf ("overdue by %d days", -days),
                g_strdup_printf (_ ("overdue by %d days"), -days));
}

const char *
svc_cases_source_name (const char *source)
{
  if (g_strcmp0 (source, "city") == 0)
    return _ ("city");
  if (g_strcmp0 (source, "provincial") == 0)
    return _ ("provincial");
  if (g_strcmp0 (source, "national") == 0)
    return _ ("national");
  if (g_strcmp0 (source, "district") == 0)
    return C_ ("source", "district");
  return source;
}

static const char *
role_name (const char *role)
{
  if (strcmp (role, "admin") == 0)
    return C_ ("role", "admin");
  if (strcmp (role, "coordinator") == 0)
    return C_ ("role", "coordinator");
  if (strcmp (role, "inspector") == 0)
    return C_ ("role", "inspector");
  if (strcmp (role, "lab") == 0)
    return C_ ("role", "lab");
  if (strcmp (role, "system") == 0)
    return C_ ("role", "system");
  return role;
}

char *
svc_cases_roles_shown (char **roles)
{
  if (roles == NULL || roles[0] == NULL)
    return NULL;
  GString *s = g_string_new (NULL);
  for (gsize i = 0; roles[i] != NULL; i++)
    g_string_append_printf (s, "%s%s", i ? ";" : "", role_name (roles[i]));
  return g_string_free (s, FALSE);
}

/* A field's type key in this thread's language. */
static const char *
type_name (CasesFieldType type)
{
  switch (type)
    {
    case CASES_FIELD_DATE:
      return C_ ("field type", "date");
    case CASES_FIELD_TEXT:
      return C_ ("field type", "text");
    case CASES_FIELD_ENUM:
      return C_ ("field type", "enum");
    case CASES_FIELD_INT:
      return C_ ("field type", "int");
    case CASES_FIELD_NUMBER:
      return C_ ("field type", "number");
    case CASES_FIELD_BOOL:
      return C_ ("field type", "bool");
    }
  return NULL;
}

/* A deadline's unit key in this thread's language. */
static const char *
unit_name (const char *unit)
{
  if (g_strcmp0 (unit, "working-days") == 0)
    return C_ ("deadline unit", "working-days");
  if (g_strcmp0 (unit, "days") == 0)
    return C_ ("deadline unit", "days");
  if (g_strcmp0 (unit, "months") == 0)
    return C_ ("deadline unit", "months");
  return unit;
}

/* "NAME YYYY-MM-DD" with the deadline's Chinese name under Chinese (the
 * workflow has no English ones: the key is the English); NULL: as it is. */
static char *
next_deadline_shown (const SvcContext *ctx, const char *next)
{
  const char *space = next ? strrchr (next, ' ') : NULL;
  if (space == NULL || ctx->workflow == NULL || strcmp (core_i18n_lang (), "zh") != 0)
    return NULL;
  g_autofree char *name = g_strndup (next, (gsize)(space - next));
  const CasesDeadline *d = cases_deadlines_find (ctx->workflow->deadlines, name);
  return d && d->zh ? g_strdup_printf ("%s%s", d->zh, space) : NULL;
}

/* The workflow's Chinese name of a state or step key under Chinese; NULL:
 * the key is shown (in English the key is the name: the workflow's en texts
 * describe rather than name). */
static gboolean
chinese (void)
{
  return strcmp (core_i18n_lang (), "zh") == 0;
}

const char *
svc_cases_state_name (const SvcContext *ctx, const char *key)
{
  const CasesState *s
      = chinese () && ctx->workflow && key ? cases_workflow_state (ctx->workflow, key) : NULL;
  return s ? s->zh : NULL;
}

static const char *
step_name (const SvcContext *ctx, const char *key)
{
  if (!chinese ())
    return NULL;
  const CasesStep *s = ctx->workflow && key ? cases_workflow_step (ctx->workflow, key) : NULL;
  if (s == NULL)
    /* TRANSLATORS: the event of a case's opening (not a workflow step). */
    return g_strcmp0 (key, "opened") == 0 ? C_ ("event", "opened") : NULL;
  return s->zh;
}

/* A window whose last day has passed. */
static gboolean
lapsed (const char *due_on, const GDate *today)
{
  GDate due;
  return due_on != NULL && core_date_parse (due_on, &due) && g_date_compare (&due, today) < 0;
}

static void
add_case (const SvcContext *ctx, CoreTable *t, const DbCase *c)
{
  guint row = core_table_add_row (t);
  const char *v[] = { c->case_no,       c->source,    c->state,       c->uscc,
                      c->business_name, c->product,   c->record_no,   c->lab,
                      c->report_no,     c->notice_no, c->notice_date, c->failed_items,
                      c->opened_on,     c->closed_on, c->office,      c->next_deadline };
  G_STATIC_ASSERT (G_N_ELEMENTS (v) + 2 == G_N_ELEMENTS (CASE_COLUMNS));
  for (guint k = 0; k < G_N_ELEMENTS (v); k++)
    core_table_set (t, row, k, v[k]);
  core_table_set_shown (t, row, 1, svc_cases_source_name (c->source));
  core_table_set_shown (t, row, 2, svc_cases_state_name (ctx, c->state));
  g_autofree char *next = next_deadline_shown (ctx, c->next_deadline);
  core_table_set_shown (t, row, 15, next);
  set_due_status (t, row, G_N_ELEMENTS (v), c->next_due, &ctx->today);
  core_table_set_int (t, row, G_N_ELEMENTS (v) + 1, c->version);
}

static CoreTable *
case_table (const char *key, const char *title)
{
  return core_table_new (key, title, CASE_COLUMNS, G_N_ELEMENTS (CASE_COLUMNS));
}

CoreTable *
svc_cases_list_where (const SvcContext *ctx, const SvcCasesFilter *filter, GError **error)
{
  DbCasesFilter where = { .state = filter->state };
  g_date_clear (&where.overdue_on, 1);
  g_date_clear (&where.due_by, 1);
  if (!svc_authorize (ctx, SVC_ACTION_CASES_READ, error)
      || !svc_scope_office (ctx, filter->office, &where.office, error))
    return NULL;
  if (filter->overdue)
    where.overdue_on = ctx->today;
  if (filter->due_within >= 0)
    {
      where.due_by = ctx->today;
      g_date_add_days (&where.due_by, (guint)filter->due_within);
    }
  g_autoptr (GPtrArray) list = db_cases_where (ctx->conn, svc_district (ctx), &where, error);
  if (list == NULL)
    return NULL;
  CoreTable *t = case_table ("cases", _ ("cases"));
  for (guint i = 0; i < list->len; i++)
    add_case (ctx, t, g_ptr_array_index (list, i));
  return t;
}

CoreTable *
svc_cases_list (const SvcContext *ctx, const char *state, GError **error)
{
  SvcCasesFilter filter = { .state = state, .due_within = -1 };
  return svc_cases_list_where (ctx, &filter, error);
}

static const CoreColumn DEADLINE_COLUMNS[] = {
  { "name", N_ ("deadline"), CORE_CELL_TEXT },   { "due_on", N_ ("due"), CORE_CELL_DATE },
  { "amount", N_ ("amount"), CORE_CELL_INT },    { "unit", N_ ("unit"), CORE_CELL_TEXT },
  { "from_on", N_ ("from"), CORE_CELL_DATE },    { "met_at", N_ ("met"), CORE_CELL_DATE },
  { "zh", N_ ("Chinese name"), CORE_CELL_TEXT }, { "status", N_ ("status"), CORE_CELL_TEXT },
};

static const CoreColumn EVENT_COLUMNS[] = {
  { "on_date", N_ ("date"), CORE_CELL_DATE },
  { "event", N_ ("event"), CORE_CELL_TEXT },
  { "from_state", N_ ("previous state"), CORE_CELL_TEXT },
  { "to_state", N_ ("new state"), CORE_CELL_TEXT },
  { "actor", N_ ("by"), CORE_CELL_TEXT },
  { "fields", N_ ("fields"), CORE_CELL_TEXT },
  { "note", N_ ("note"), CORE_CELL_TEXT },
  { "at", N_ ("recorded at"), CORE_CELL_TEXT },
};

static const CoreColumn NEXT_COLUMNS[] = {
  { "step", N_ ("step"), CORE_CELL_TEXT },          { "zh", N_ ("Chinese name"), CORE_CELL_TEXT },
  { "to", N_ ("resulting state"), CORE_CELL_TEXT }, { "role", N_ ("role"), CORE_CELL_TEXT },
  { "requires", N_ ("requires"), CORE_CELL_TEXT },  { "optional", N_ ("optional"), CORE_CELL_TEXT },
};

/* The steps a case may take next, with the fields each requires (a face
 * builds its form from them); the system's own steps are not offered. */
static CoreTable *
next_steps (const SvcContext *ctx, const char *state)
{
  CoreTable *t = core_table_new ("next", _ ("steps possible next"), NEXT_COLUMNS,
                                 G_N_ELEMENTS (NEXT_COLUMNS));
  if (ctx->workflow == NULL)
    return t;
  g_autoptr (GPtrArray) steps = cases_workflow_steps_from (ctx->workflow, state);
  for (guint i = 0; i < steps->len; i++)
    {
      const CasesStep *s = g_ptr_array_index (steps, i);
      if (s->roles && s->roles[0] && !s->roles[1] && strcmp (s->roles[0], "system") == 0)
        continue;
      guint row = core_table_add_row (t);
      core_table_set (t, row, 0, s->name);
      core_table_set (t, row, 1, s->zh);
      core_table_set (t, row, 2, s->to ? s->to : state);
      core_table_set_shown (t, row, 2, svc_cases_state_name (ctx, s->to ? s->to : state));
      core_table_take (t, row, 3, s->roles ? g_strjoinv (";", s->roles) : NULL);
      g_autofree char *roles = svc_cases_roles_shown (s->roles);
      core_table_set_shown (t, row, 3, roles);
      core_table_take (t, row, 4, s->requires ? g_strjoinv (";", s->requires) : NULL);
      core_table_take (t, row, 5, s->optional ? g_strjoinv (";", s->optional) : NULL);
    }
  return t;
}

static const CoreColumn FIELD_COLUMNS[] = {
  { "field", N_ ("field"), CORE_CELL_TEXT },     { "zh", N_ ("Chinese name"), CORE_CELL_TEXT },
  { "en", N_ ("English name"), CORE_CELL_TEXT }, { "type", N_ ("type"), CORE_CELL_TEXT },
  { "values", N_ ("values"), CORE_CELL_TEXT },   { "multiple", N_ ("multiple"), CORE_CELL_BOOL },
  { "min", N_ ("min"), CORE_CELL_NUMBER },       { "max", N_ ("max"), CORE_CELL_NUMBER },
};

static const char *const FIELD_TYPES[] = {
  [CASES_FIELD_DATE] = "date", [CASES_FIELD_TEXT] = "text",     [CASES_FIELD_ENUM] = "enum",
  [CASES_FIELD_INT] = "int",   [CASES_FIELD_NUMBER] = "number", [CASES_FIELD_BOOL] = "bool",
};

static void
add_fields (CoreTable *t, GHashTable *seen, const CasesWorkflow *wf, char **names)
{
  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    {
      const CasesField *f = cases_workflow_field (wf, names[i]);
      if (f == NULL || !g_hash_table_add (seen, f->name))
        continue;
      guint row = core_table_add_row (t);
      core_table_set (t, row, 0, f->name);
      core_table_set (t, row, 1, f->zh);
      core_table_set (t, row, 2, f->en);
      core_table_set (t, row, 3, FIELD_TYPES[f->type]);
      core_table_set_shown (t, row, 3, type_name (f->type));
      core_table_take (t, row, 4, f->values ? g_strjoinv (";", f->values) : NULL);
      core_table_set (t, row, 5, f->multiple ? "true" : "false");
      if (f->has_min)
        core_table_take (t, row, 6, g_strdup_printf ("%g", f->min));
      if (f->has_max)
        core_table_take (t, row, 7, g_strdup_printf ("%g", f->max));
    }
}

/* What each field of the next steps is (its name, type, values and bounds),
 * so that a face can ask for it properly without a copy of the workflow. */
static CoreTable *
next_fields (const SvcContext *ctx, const char *state)
{
  CoreTable *t = core_table_new ("fields", _ ("fields of the next steps"), FIELD_COLUMNS,
                                 G_N_ELEMENTS (FIELD_COLUMNS));
  if (ctx->workflow == NULL)
    return t;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) steps = cases_workflow_steps_from (ctx->workflow, state);
  for (guint i = 0; i < steps->len; i++)
    {
      const CasesStep *s = g_ptr_array_index (steps, i);
      add_fields (t, seen, ctx->workflow, s->requires);
      add_fields (t, seen, ctx->workflow, s->optional);
    }
  return t;
}

CoreDocument *
svc_cases_show (const SvcContext *ctx, const char *case_no, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_CASES_READ, error))
    return NULL;
  g_autoptr (DbCaseDetail) d = db_cases_show (ctx->conn, svc_district (ctx), case_no, error);
  if (d == NULL)
    return NULL;
  /* Outside the actor's office a case is as good as absent: the same error
   * as for a number no case has, so its existence is not revealed. */
  if (!svc_in_office (ctx, d->header->office))
    {
      g_set_error (error, DB_CASES_ERROR, DB_CASES_ERROR_NOT_FOUND, _ ("no case %s in district %s"),
                   case_no, svc_district (ctx));
      return NULL;
    }
  g_autofree char *title = g_strdup_printf (_ ("Case %s"), case_no);
  CoreDocument *doc = core_document_new (title);
  CoreTable *head = case_table ("case", _ ("case"));
  core_table_set_shape (head, CORE_TABLE_RECORD);
  add_case (ctx, head, d->header);
  core_document_add (doc, head);
  CoreTable *dl = core_table_new ("deadlines", _ ("deadlines"), DEADLINE_COLUMNS,
                                  G_N_ELEMENTS (DEADLINE_COLUMNS));
  for (guint i = 0; i < d->deadlines->len; i++)
    {
      const DbCaseDeadline *x = g_ptr_array_index (d->deadlines, i);
      guint row = core_table_add_row (dl);
      const char *v[] = { x->name, x->due_on, NULL, x->unit, x->from_on, x->met_at, x->zh };
      for (guint k = 0; k < G_N_ELEMENTS (v); k++)
        if (k == 2)
          core_table_set_int (dl, row, k, x->amount);
        else
          core_table_set (dl, row, k, v[k]);
      core_table_set_shown (dl, row, 3, unit_name (x->unit));
      /* met, open (a closed case's unmet deadline), or counted from today */
      guint col = G_N_ELEMENTS (v);
      if (x->met_at)
        set_status (dl, row, col, g_strdup ("met"), g_strdup (C_ ("deadline", "met")));
      else if (d->header->closed_on != NULL)
        /* TRANSLATORS: a deadline of a closed case that was never met. */
        set_status (dl, row, col, g_strdup ("open"), g_strdup (C_ ("deadline", "open")));
      else if (x->window && lapsed (x->due_on, &ctx->today))
        /* TRANSLATORS: the days the business had to act (apply for a re-test) are over. */
        set_status (dl, row, col, g_strdup ("lapsed (the business's window)"),
                    g_strdup (_ ("lapsed (the business's window)")));
      else
        set_due_status (dl, row, col, x->due_on, &ctx->today);
    }
  core_document_add (doc, dl);
  CoreTable *ev
      = core_table_new ("events", _ ("events"), EVENT_COLUMNS, G_N_ELEMENTS (EVENT_COLUMNS));
  for (guint i = 0; i < d->events->len; i++)
    {
      const DbCaseEvent *e = g_ptr_array_index (d->events, i);
      guint row = core_table_add_row (ev);
      const char *v[] = { e->on_date, e->event,  e->from_state, e->to_state,
                          e->actor,   e->fields, e->note,       e->at };
      for (guint k = 0; k < G_N_ELEMENTS (v); k++)
        core_table_set (ev, row, k, v[k]);
      core_table_set_shown (ev, row, 1, step_name (ctx, e->event));
      core_table_set_shown (ev, row, 2, svc_cases_state_name (ctx, e->from_state));
      core_table_set_shown (ev, row, 3, svc_cases_state_name (ctx, e->to_state));
    }
  core_document_add (doc, ev);
  core_document_add (doc, next_steps (ctx, d->header->state));
  core_document_add (doc, next_fields (ctx, d->header->state));
  return doc;
}
