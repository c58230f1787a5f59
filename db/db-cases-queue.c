/* db-cases-queue.c: referral notices (国抽/省抽/市抽) into the case queue, and
 * the queue read back: list and one case with deadlines and events. */
#include "db/db-cases.h"

#include "db/db-conn.h"
#include "intake/intake-table.h"
#include "intake/intake-text.h"
#include "intake/intake-uscc.h"

#include <stdlib.h>
#include <string.h>

enum
{
  REF_LEVEL,
  REF_NOTICE_NO,
  REF_USCC,
  REF_NAME,
  REF_PRODUCT,
  REF_FAILED,
  REF_DATE,
  REF_N_FIELDS
};

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })
static const IntakeField REF_FIELDS[REF_N_FIELDS] = {
  [REF_LEVEL] = { "level", A ("抽检级别", "级别", "任务来源", "source"), TRUE },
  [REF_NOTICE_NO]
  = { "notice_no", A ("通知书编号", "通知编号", "核查处置通知书编号", "notice number", "notice"),
      TRUE },
  [REF_USCC] = { "uscc", A ("统一社会信用代码", "社会信用代码", "credit code"), TRUE },
  [REF_NAME] = { "business_name", A ("企业名称", "被抽样单位名称", "单位名称", "business"), TRUE },
  [REF_PRODUCT] = { "product", A ("样品名称", "产品名称", "食品名称", "sample name"), FALSE },
  [REF_FAILED] = { "failed_items", A ("不合格项目", "不合格项目名称", "failed"), TRUE },
  [REF_DATE] = { "notice_date", A ("通知日期", "下达日期", "date"), TRUE },
};
static const IntakeSchema REF_SCHEMA = { REF_FIELDS, REF_N_FIELDS, FALSE };

/* Level words to the source a case records. */
static const struct
{
  const char *source;
  const char *const *words;
} LEVELS[] = {
  { "national", A ("国抽", "国家", "国家级", "国家抽检", "national") },
  { "provincial", A ("省抽", "省级", "省级抽检", "provincial", "province") },
  { "city", A ("市抽", "市级", "市级抽检", "city") },
};

void
db_case_free (DbCase *c)
{
  if (c == NULL)
    return;
  char **fields[] = { &c->case_no,       &c->source,    &c->state,       &c->uscc,
                      &c->business_name, &c->product,   &c->record_no,   &c->lab,
                      &c->report_no,     &c->notice_no, &c->notice_date, &c->failed_items,
                      &c->opened_on,     &c->closed_on, &c->office,      &c->next_deadline };
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    g_free (*fields[i]);
  g_free (c);
}

static void
deadline_free (gpointer data)
{
  DbCaseDeadline *d = data;
  g_free (d->name);
  g_free (d->zh);
  g_free (d->from_on);
  g_free (d->unit);
  g_free (d->due_on);
  g_free (d->met_at);
  g_free (d);
}

static void
event_free (gpointer data)
{
  DbCaseEvent *e = data;
  g_free (e->at);
  g_free (e->on_date);
  g_free (e->actor);
  g_free (e->event);
  g_free (e->from_state);
  g_free (e->to_state);
  g_free (e->detail);
  g_free (e);
}

void
db_case_detail_free (DbCaseDetail *detail)
{
  if (detail == NULL)
    return;
  db_case_free (detail->header);
  if (detail->deadlines)
    g_ptr_array_unref (detail->deadlines);
  if (detail->events)
    g_ptr_array_unref (detail->events);
  g_free (detail);
}

/* NULL for SQL NULL, else a copy. */
static char *
opt (const PGresult *res, int r, int c)
{
  return PQgetisnull (res, r, c) ? NULL : g_strdup (PQgetvalue (res, r, c));
}

/* ---- referrals ---- */

static char *
array_of_items (const char *text)
{
  g_auto (GStrv) parts = g_regex_split_simple ("[;；、,，\n]+", text, 0, 0);
  GString *s = g_string_new ("{");
  guint n = 0;
  for (char **p = parts; *p; p++)
    {
      g_autofree char *item = intake_text_strip (*p);
      if (*item == '\0')
        continue;
      g_string_append (s, n++ ? ",\"" : "\"");
      for (const char *c = item; *c; c++)
        {
          if (*c == '"' || *c == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *c);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  if (n == 0)
    return g_string_free (s, TRUE), NULL;
  return g_string_free (s, FALSE);
}

static void
row_problem (CoreProblems *problems, const IntakeTable *t, const IntakeRow *row, guint field,
             const char *why)
{
  core_problems_add (problems, row->line, intake_table_column (t, field),
                     intake_row_get (row, field), "%s", why);
}

/* Checks one row and appends its COPY line (and its deadlines' lines). */
static void
stage_row (const DbCasesContext *ctx, const IntakeTable *t, const IntakeRow *row, GHashTable *seen,
           CoreProblems *problems, GString *cases, GString *deadlines)
{
  const char *source = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (LEVELS) && source == NULL; i++)
    if (intake_text_is_one_of (intake_row_get (row, REF_LEVEL), LEVELS[i].words))
      source = LEVELS[i].source;
  if (source == NULL)
    row_problem (problems, t, row, REF_LEVEL, "not a sampling level; write 国抽, 省抽 or 市抽");
  const char *notice = intake_row_get (row, REF_NOTICE_NO);
  if (*notice == '\0')
    row_problem (problems, t, row, REF_NOTICE_NO, "missing; every notice has a number");
  else if (source != NULL)
    {
      char *key = g_strconcat (source, "/", notice, NULL);
      guint first = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key));
      if (first != 0)
        {
          g_autofree char *why = g_strdup_printf ("notice listed twice (first on line %u)", first);
          row_problem (problems, t, row, REF_NOTICE_NO, why);
          g_free (key);
        }
      else
        g_hash_table_insert (seen, key, GUINT_TO_POINTER (row->line));
    }
  g_autoptr (GError) error = NULL;
  if (!intake_uscc_validate (intake_row_get (row, REF_USCC), &error))
    row_problem (problems, t, row, REF_USCC, error->message);
  if (*intake_row_get (row, REF_NAME) == '\0')
    row_problem (problems, t, row, REF_NAME, "missing; name the business");
  g_autofree char *items = array_of_items (intake_row_get (row, REF_FAILED));
  if (items == NULL)
    row_problem (problems, t, row, REF_FAILED, "missing; list the failed test items");
  GDate date;
  if (!core_date_parse (intake_row_get (row, REF_DATE), &date))
    {
      row_problem (problems, t, row, REF_DATE, "not a date; write YYYY-MM-DD");
      return;
    }
  g_autoptr (GPtrArray) first
      = cases_deadlines_from (ctx->deadlines, CASES_EVENT_CONCLUSION_RECEIVED);
  for (guint i = 0; i < first->len; i++)
    {
      const CasesDeadline *d = g_ptr_array_index (first, i);
      GDate due;
      g_clear_error (&error);
      if (!cases_deadline_due (d, ctx->calendar, &date, &due, &error))
        {
          row_problem (problems, t, row, REF_DATE, error->message);
          return;
        }
      g_autofree char *due_text = core_date_format (&due);
      char amount[16];
      g_snprintf (amount, sizeof amount, "%d", d->amount);
      db_copy_field (deadlines, notice, '\t');
      db_copy_field (deadlines, source, '\t');
      db_copy_field (deadlines, d->name, '\t');
      db_copy_field (deadlines, d->zh, '\t');
      db_copy_field (deadlines, amount, '\t');
      db_copy_field (deadlines, cases_deadline_unit_name (d->unit), '\t');
      db_copy_field (deadlines, due_text, '\n');
    }
  if (source == NULL || items == NULL)
    return;
  char line[16];
  g_snprintf (line, sizeof line, "%u", row->line);
  g_autofree char *uscc = g_ascii_strup (intake_row_get (row, REF_USCC), -1);
  const char *product = intake_row_get (row, REF_PRODUCT);
  const char *fields[] = { line,
                           source,
                           notice,
                           uscc,
                           intake_row_get (row, REF_NAME),
                           *product ? product : NULL,
                           items,
                           intake_row_get (row, REF_DATE) };
  for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
    db_copy_field (cases, fields[f], f + 1 < G_N_ELEMENTS (fields) ? '\t' : '\n');
}

static gboolean
copy_text (PGconn *conn, const char *sql, const GString *rows, GError **error)
{
  if (!db_copy_begin (conn, sql, error))
    return FALSE;
  if (rows->len > 0 && !db_copy_put (conn, rows->str, rows->len, error))
    {
      db_copy_end (conn, "staging failed", NULL);
      return FALSE;
    }
  return db_copy_end (conn, NULL, error);
}

static gboolean
stage_referrals (PGconn *conn, const GString *cases, const GString *deadlines, GError **error)
{
  return db_run (conn,
                 "CREATE TEMP TABLE stage_referral (line integer, source text, notice_no text, "
                 "uscc text, business_name text, product text, failed text[], "
                 "notice_date date) ON COMMIT DROP",
                 DB_NO_ARGS, error)
         && db_run (conn,
                    "CREATE TEMP TABLE stage_referral_deadline (notice_no text, source text, "
                    "name text, zh text, amount integer, unit text, due date) ON COMMIT DROP",
                    DB_NO_ARGS, error)
         && copy_text (conn,
                       "COPY stage_referral (line, source, notice_no, uscc, business_name, "
                       "product, failed, notice_date) FROM STDIN",
                       cases, error)
         && copy_text (conn, "COPY stage_referral_deadline FROM STDIN", deadlines, error);
}

static gboolean
check_registry (PGconn *conn, const DbCasesContext *ctx, const IntakeTable *t,
                CoreProblems *problems, GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT s.line, s.uscc FROM stage_referral s WHERE NOT EXISTS (SELECT 1 FROM "
                 "business b WHERE b.district = $1 AND b.uscc = s.uscc) ORDER BY s.line",
                 DB_ARGS (ctx->district), error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    core_problems_add (problems, (guint)atoi (PQgetvalue (res, i, 0)),
                       intake_table_column (t, REF_USCC), PQgetvalue (res, i, 1),
                       "no business of district %s has this code; import the business "
                       "directory first, or check the notice",
                       ctx->district);
  return TRUE;
}

static gboolean
insert_referrals (PGconn *conn, const DbCasesContext *ctx, guint *opened, guint *skipped,
                  GError **error)
{
  g_autofree char *today = core_date_format (&ctx->today);
  g_autofree char *year = g_strdup_printf ("%04d", g_date_get_year (&ctx->today));
  static const char NEW_SQL[]
      = "FROM stage_referral s WHERE NOT EXISTS (SELECT 1 FROM nc_case c WHERE c.district = $1 "
        "AND c.source = s.source AND c.notice_no = s.notice_no)";
  g_autofree char *count_sql = g_strconcat ("SELECT count(*) ", NEW_SQL, NULL);
  g_autofree char *total
      = db_scalar (conn, "SELECT count(*) FROM stage_referral", DB_NO_ARGS, error);
  g_autofree char *fresh
      = total ? db_scalar (conn, count_sql, DB_ARGS (ctx->district), error) : NULL;
  if (fresh == NULL)
    return FALSE;
  *opened = (guint)atoi (fresh);
  *skipped = (guint)atoi (total) - *opened;
  if (*opened == 0)
    return TRUE;
  char count[16];
  g_snprintf (count, sizeof count, "%u", *opened);
  g_autofree char *base = db_scalar (
      conn,
      "INSERT INTO case_counter (district, year, last) VALUES ($1, $2, $3) "
      "ON CONFLICT (district, year) DO UPDATE SET last = case_counter.last + EXCLUDED.last "
      "RETURNING last - $3",
      DB_ARGS (ctx->district, year, count), error);
  if (base == NULL)
    return FALSE;
  g_autofree char *sql = g_strconcat (
      "WITH fresh AS (SELECT s.*, row_number() OVER (ORDER BY s.line) AS k ", NEW_SQL,
      "), ins AS (INSERT INTO nc_case (district, case_no, source, uscc, business_name, product, "
      "notice_no, notice_date, failed_items, opened_on, office, created_by) "
      "SELECT $1, 'HC' || $2 || '-' || lpad(($3::int + s.k)::text, 5, '0'), s.source, s.uscc, "
      "s.business_name, s.product, s.notice_no, s.notice_date, s.failed, $4, st.office, $5 "
      "FROM fresh s JOIN business b ON b.district = $1 AND b.uscc = s.uscc "
      "LEFT JOIN street st ON st.district = $1 AND st.code = b.street "
      "RETURNING case_no, source, notice_no, notice_date, failed_items), "
      "dl AS (INSERT INTO case_deadline (district, case_no, name, zh, from_on, amount, unit, "
      "due_on) SELECT $1, i.case_no, d.name, d.zh, i.notice_date, d.amount, d.unit, d.due "
      "FROM ins i JOIN stage_referral_deadline d ON d.notice_no = i.notice_no "
      "AND d.source = i.source) "
      "INSERT INTO case_event (district, case_no, on_date, actor, event, to_state, detail) "
      "SELECT $1, case_no, $4, $5, 'opened', 'open', format('%s referral notice %s of %s: %s', "
      "source, notice_no, notice_date, array_to_string(failed_items, '; ')) FROM ins",
      NULL);
  return db_run (conn, sql, DB_ARGS (ctx->district, year, base, today, ctx->actor), error);
}

gboolean
db_cases_import_referrals (PGconn *conn, const DbCasesContext *ctx, const char *path,
                           const char *name, guint *opened, guint *skipped, GError **error)
{
  *opened = *skipped = 0;
  name = name ? name : path;
  g_autoptr (CoreProblems) problems = core_problems_new (name);
  g_autoptr (IntakeTable) t
      = intake_table_read_file (path, name, INTAKE_FORMAT_AUTO, &REF_SCHEMA, problems, error);
  if (t == NULL)
    return FALSE;
  if (t->rows->len == 0)
    core_problems_add (problems, 0, NULL, NULL, "no notices: the file has a header but no data");
  g_autoptr (GString) cases = g_string_new (NULL);
  g_autoptr (GString) deadlines = g_string_new (NULL);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < t->rows->len; i++)
    stage_row (ctx, t, g_ptr_array_index (t->rows, i), seen, problems, cases, deadlines);
  g_autoptr (DbTransaction) tx = db_transaction_begin (conn, error);
  if (tx == NULL || !stage_referrals (conn, cases, deadlines, error)
      || !check_registry (conn, ctx, t, problems, error) || !core_problems_check (problems, error)
      || !insert_referrals (conn, ctx, opened, skipped, error))
    return FALSE;
  g_autofree char *detail = g_strdup_printf ("%u opened, %u already on record", *opened, *skipped);
  return db_run (conn,
                 "INSERT INTO audit_log (district, actor, action, subject, detail) VALUES "
                 "($1, $2, 'cases.import-referrals', $3, jsonb_build_object('result', $4::text))",
                 DB_ARGS (ctx->district, ctx->actor, name, detail), error)
         && db_transaction_commit (tx, error);
}

/* ---- reading the queue ---- */

#define CASE_COLUMNS                                                                               \
  "c.case_no, c.source, c.state, c.uscc, c.business_name, c.product, c.record_no, c.lab, "         \
  "c.report_no, c.notice_no, c.notice_date, array_to_string(c.failed_items, '; '), "               \
  "c.opened_on, c.closed_on, c.office, (SELECT d.name || ' ' || d.due_on FROM case_deadline d "    \
  "WHERE d.district = c.district AND d.case_no = c.case_no AND d.met_at IS NULL "                  \
  "AND c.state <> 'closed' ORDER BY d.due_on, d.name LIMIT 1)"

static DbCase *
case_from_row (const PGresult *res, int r)
{
  DbCase *c = g_new0 (DbCase, 1);
  char **fields[] = { &c->case_no,       &c->source,    &c->state,       &c->uscc,
                      &c->business_name, &c->product,   &c->record_no,   &c->lab,
                      &c->report_no,     &c->notice_no, &c->notice_date, &c->failed_items,
                      &c->opened_on,     &c->closed_on, &c->office,      &c->next_deadline };
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    *fields[i] = opt (res, r, (int)i);
  return c;
}

GPtrArray *
db_cases_list (PGconn *conn, const char *district, const char *state, GError **error)
{
  if (state != NULL)
    {
      g_autofree char *known
          = db_scalar (conn, "SELECT count(*) FROM case_state WHERE district = $1 AND state = $2",
                       DB_ARGS (district, state), error);
      g_autofree char *states = known ? db_scalar (conn,
                                                   "SELECT string_agg(state, ', ' ORDER BY state) "
                                                   "FROM case_state WHERE district = $1",
                                                   DB_ARGS (district), error)
                                      : NULL;
      if (states == NULL)
        return NULL;
      if (strcmp (known, "0") == 0)
        {
          g_set_error (error, DB_CASES_ERROR, DB_CASES_ERROR_BAD_STATE,
                       "no case state \"%s\"; the states are %s", state, states);
          return NULL;
        }
    }
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT " CASE_COLUMNS " FROM nc_case c WHERE c.district = $1 "
                 "AND ($2::text IS NULL OR c.state = $2) ORDER BY c.case_no",
                 DB_ARGS (district, state), error);
  if (res == NULL)
    return NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)db_case_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (list, case_from_row (res, i));
  return list;
}

DbCaseDetail *
db_cases_show (PGconn *conn, const char *district, const char *case_no, GError **error)
{
  g_autoptr (PGresult) head = db_exec (conn,
                                       "SELECT " CASE_COLUMNS " FROM nc_case c WHERE c.district "
                                       "= $1 AND c.case_no = $2",
                                       DB_ARGS (district, case_no), error);
  if (head == NULL)
    return NULL;
  if (PQntuples (head) == 0)
    {
      g_set_error (error, DB_CASES_ERROR, DB_CASES_ERROR_NOT_FOUND,
                   "no case %s in district %s; `spotcheck cases list` shows them", case_no,
                   district);
      return NULL;
    }
  g_autoptr (PGresult) dl
      = db_exec (conn,
                 "SELECT name, zh, from_on, amount, unit, due_on, to_char(met_at, 'YYYY-MM-DD') "
                 "FROM case_deadline WHERE district = $1 AND case_no = $2 ORDER BY due_on, name",
                 DB_ARGS (district, case_no), error);
  g_autoptr (PGresult) ev
      = dl ? db_exec (conn,
                      "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS'), on_date, actor, event, "
                      "from_state, to_state, detail FROM case_event "
                      "WHERE district = $1 AND case_no = $2 ORDER BY id",
                      DB_ARGS (district, case_no), error)
           : NULL;
  if (ev == NULL)
    return NULL;
  DbCaseDetail *d = g_new0 (DbCaseDetail, 1);
  d->header = case_from_row (head, 0);
  d->deadlines = g_ptr_array_new_with_free_func (deadline_free);
  for (int i = 0; i < PQntuples (dl); i++)
    {
      DbCaseDeadline *x = g_new0 (DbCaseDeadline, 1);
      x->name = opt (dl, i, 0);
      x->zh = opt (dl, i, 1);
      x->from_on = opt (dl, i, 2);
      x->amount = atoi (PQgetvalue (dl, i, 3));
      x->unit = opt (dl, i, 4);
      x->due_on = opt (dl, i, 5);
      x->met_at = opt (dl, i, 6);
      g_ptr_array_add (d->deadlines, x);
    }
  d->events = g_ptr_array_new_with_free_func (event_free);
  for (int i = 0; i < PQntuples (ev); i++)
    {
      DbCaseEvent *e = g_new0 (DbCaseEvent, 1);
      e->at = opt (ev, i, 0);
      e->on_date = opt (ev, i, 1);
      e->actor = opt (ev, i, 2);
      e->event = opt (ev, i, 3);
      e->from_state = opt (ev, i, 4);
      e->to_state = opt (ev, i, 5);
      e->detail = opt (ev, i, 6);
      g_ptr_array_add (d->events, e);
    }
  return d;
}
