/* svc-cases.c: referral notices into the case queue (parsed by intake, first
 * deadlines counted by cases, stored by db in one transaction), and the queue
 * read back as tables within the actor's office. */
#include "service/svc-cases.h"

#include "db/db-cases.h"
#include "db/db-conn.h"
#include "intake/intake-referral.h"
#include "service/svc-results.h"

#include <string.h>
#include "core/core-i18n.h"

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
  { "case_no", "案件编号", "case", CORE_CELL_TEXT },
  { "source", "来源", "source", CORE_CELL_TEXT },
  { "state", "状态", "state", CORE_CELL_TEXT },
  { "uscc", "统一社会信用代码", "business", CORE_CELL_TEXT },
  { "business_name", "企业名称", "business name", CORE_CELL_TEXT },
  { "product", "样品名称", "product", CORE_CELL_TEXT },
  { "record_no", "抽样单编号", "sample", CORE_CELL_TEXT },
  { "lab", "检验机构", "lab", CORE_CELL_TEXT },
  { "report_no", "报告编号", "report", CORE_CELL_TEXT },
  { "notice_no", "通知书编号", "notice", CORE_CELL_TEXT },
  { "notice_date", "通知日期", "notice date", CORE_CELL_DATE },
  { "failed_items", "不合格项目", "failed items", CORE_CELL_TEXT },
  { "opened_on", "立案日期", "opened", CORE_CELL_DATE },
  { "closed_on", "结案日期", "closed", CORE_CELL_DATE },
  { "office", "监管所", "office", CORE_CELL_TEXT },
  { "next_deadline", "下一时限", "next deadline", CORE_CELL_TEXT },
  { "next_status", "时限状态", "next deadline status", CORE_CELL_TEXT },
  { "version", "版本", "version", CORE_CELL_INT },
};

/* "due in N days", "due today", "overdue by N days" (counted from @today). */
static char *
due_status (const char *due_on, const GDate *today)
{
  GDate due;
  if (due_on == NULL || !core_date_parse (due_on, &due))
    return NULL;
  int days = g_date_days_between (today, &due);
  if (days == 0)
    return g_strdup ("due today");
  if (days > 0)
    return g_strdup_printf ("due in %d day%s", days, days == 1 ? "" : "s");
  return g_strdup_printf ("overdue by %d day%s", -days, days == -1 ? "" : "s");
}

/* A window whose last day has passed. */
static gboolean
lapsed (const char *due_on, const GDate *today)
{
  GDate due;
  return due_on != NULL && core_date_parse (due_on, &due) && g_date_compare (&due, today) < 0;
}

static void
add_case (CoreTable *t, const DbCase *c, const GDate *today)
{
  guint row = core_table_add_row (t);
  const char *v[] = { c->case_no,       c->source,    c->state,       c->uscc,
                      c->business_name, c->product,   c->record_no,   c->lab,
                      c->report_no,     c->notice_no, c->notice_date, c->failed_items,
                      c->opened_on,     c->closed_on, c->office,      c->next_deadline };
  G_STATIC_ASSERT (G_N_ELEMENTS (v) + 2 == G_N_ELEMENTS (CASE_COLUMNS));
  for (guint k = 0; k < G_N_ELEMENTS (v); k++)
    core_table_set (t, row, k, v[k]);
  core_table_take (t, row, G_N_ELEMENTS (v), due_status (c->next_due, today));
  core_table_set_int (t, row, G_N_ELEMENTS (v) + 1, c->version);
}

static CoreTable *
case_table (const char *key, const char *zh, const char *en)
{
  return core_table_new (key, zh, en, CASE_COLUMNS, G_N_ELEMENTS (CASE_COLUMNS));
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
  CoreTable *t = case_table ("cases", "核查处置案件", "cases");
  for (guint i = 0; i < list->len; i++)
    add_case (t, g_ptr_array_index (list, i), &ctx->today);
  return t;
}

CoreTable *
svc_cases_list (const SvcContext *ctx, const char *state, GError **error)
{
  SvcCasesFilter filter = { .state = state, .due_within = -1 };
  return svc_cases_list_where (ctx, &filter, error);
}

static const CoreColumn DEADLINE_COLUMNS[] = {
  { "name", "时限", "deadline", CORE_CELL_TEXT },  { "due_on", "到期日", "due", CORE_CELL_DATE },
  { "amount", "时长", "amount", CORE_CELL_INT },   { "unit", "单位", "unit", CORE_CELL_TEXT },
  { "from_on", "起算日", "from", CORE_CELL_DATE }, { "met_at", "完成日", "met", CORE_CELL_DATE },
  { "zh", "名称", "name (zh)", CORE_CELL_TEXT },   { "status", "状态", "status", CORE_CELL_TEXT },
};

static const CoreColumn EVENT_COLUMNS[] = {
  { "on_date", "日期", "date", CORE_CELL_DATE },
  { "event", "事项", "event", CORE_CELL_TEXT },
  { "from_state", "原状态", "from", CORE_CELL_TEXT },
  { "to_state", "新状态", "to", CORE_CELL_TEXT },
  { "actor", "经办人", "by", CORE_CELL_TEXT },
  { "fields", "填报内容", "fields", CORE_CELL_TEXT },
  { "note", "说明", "note", CORE_CELL_TEXT },
  { "at", "记录时间", "recorded at", CORE_CELL_TEXT },
};

static const CoreColumn NEXT_COLUMNS[] = {
  { "step", "步骤", "step", CORE_CELL_TEXT },
  { "zh", "名称", "name", CORE_CELL_TEXT },
  { "to", "结果状态", "to", CORE_CELL_TEXT },
  { "role", "办理角色", "role", CORE_CELL_TEXT },
  { "requires", "必填项", "requires", CORE_CELL_TEXT },
  { "optional", "选填项", "optional", CORE_CELL_TEXT },
};

/* The steps a case may take next, with the fields each requires (a face
 * builds its form from them); the system's own steps are not offered. */
static CoreTable *
next_steps (const SvcContext *ctx, const char *state)
{
  CoreTable *t = core_table_new ("next", "可办理步骤", "steps possible next", NEXT_COLUMNS,
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
      core_table_take (t, row, 3, s->roles ? g_strjoinv (";", s->roles) : NULL);
      core_table_take (t, row, 4, s->requires ? g_strjoinv (";", s->requires) : NULL);
      core_table_take (t, row, 5, s->optional ? g_strjoinv (";", s->optional) : NULL);
    }
  return t;
}

static const CoreColumn FIELD_COLUMNS[] = {
  { "field", "字段", "field", CORE_CELL_TEXT },
  { "zh", "名称", "name", CORE_CELL_TEXT },
  { "en", "英文名称", "name (en)", CORE_CELL_TEXT },
  { "type", "类型", "type", CORE_CELL_TEXT },
  { "values", "可选值", "values", CORE_CELL_TEXT },
  { "multiple", "可多选", "multiple", CORE_CELL_BOOL },
  { "min", "最小值", "min", CORE_CELL_NUMBER },
  { "max", "最大值", "max", CORE_CELL_NUMBER },
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
  CoreTable *t = core_table_new ("fields", "填报字段", "fields of the next steps", FIELD_COLUMNS,
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
  g_autofree char *title = g_strdup_printf ("case %s", case_no);
  g_autofree char *title_zh = g_strdup_printf ("案件 %s", case_no);
  CoreDocument *doc = core_document_new (title_zh, title);
  CoreTable *head = case_table ("case", "案件", "case");
  core_table_set_shape (head, CORE_TABLE_RECORD);
  add_case (head, d->header, &ctx->today);
  core_document_add (doc, head);
  CoreTable *dl = core_table_new ("deadlines", "时限", "deadlines", DEADLINE_COLUMNS,
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
      /* met, open (a closed case's unmet deadline), or counted from today */
      char *status = x->met_at                      ? g_strdup ("met")
                     : d->header->closed_on != NULL ? g_strdup ("open")
                     : x->window && lapsed (x->due_on, &ctx->today)
                         ? g_strdup ("lapsed (the business's window)")
                         : due_status (x->due_on, &ctx->today);
      core_table_take (dl, row, G_N_ELEMENTS (v), status);
    }
  core_document_add (doc, dl);
  CoreTable *ev
      = core_table_new ("events", "经过", "events", EVENT_COLUMNS, G_N_ELEMENTS (EVENT_COLUMNS));
  for (guint i = 0; i < d->events->len; i++)
    {
      const DbCaseEvent *e = g_ptr_array_index (d->events, i);
      guint row = core_table_add_row (ev);
      const char *v[] = { e->on_date, e->event,  e->from_state, e->to_state,
                          e->actor,   e->fields, e->note,       e->at };
      for (guint k = 0; k < G_N_ELEMENTS (v); k++)
        core_table_set (ev, row, k, v[k]);
    }
  core_document_add (doc, ev);
  core_document_add (doc, next_steps (ctx, d->header->state));
  core_document_add (doc, next_fields (ctx, d->header->state));
  return doc;
}
