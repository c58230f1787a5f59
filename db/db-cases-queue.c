/* db-cases-queue.c: referral notices (国抽/省抽/市抽) into the case queue, and
 * the queue read back: list and one case with deadlines and events. */
#include "db/db-cases-private.h"

#include "db/db-conn.h"

#include <stdlib.h>
#include <string.h>
#include "core/core-i18n.h"

void
db_case_free (DbCase *c)
{
  if (c == NULL)
    return;
  char **fields[]
      = { &c->case_no,       &c->source,       &c->state,     &c->uscc,      &c->business_name,
          &c->product,       &c->record_no,    &c->lab,       &c->report_no, &c->notice_no,
          &c->notice_date,   &c->failed_items, &c->opened_on, &c->closed_on, &c->office,
          &c->next_deadline, &c->next_due };
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
  g_free (e->fields);
  g_free (e->note);
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

static void
unknown_free (gpointer data)
{
  DbCasesUnknown *u = data;
  g_free (u->uscc);
  g_free (u);
}

typedef struct
{
  const IntakeReferralFile *file;
  const DbCaseDue *dues;
  guint n_dues;
  guint next;
} ReferralRows;

/* DbCopyRowFunc: one staged notice a call. */
static gboolean
referral_row (GString *row, gpointer data, GError **error)
{
  ReferralRows *rows = data;
  if (rows->next >= rows->file->referrals->len)
    return FALSE;
  const IntakeReferral *r = g_ptr_array_index (rows->file->referrals, rows->next++);
  char line[16];
  g_snprintf (line, sizeof line, "%u", r->line);
  g_autofree char *date = core_date_format (&r->notice_date);
  g_autofree char *items = db_array_literal ((const char *const *)r->failed_items, -1);
  db_copy_field (row, line, '\t');
  db_copy_field (row, r->source, '\t');
  db_copy_field (row, r->notice_no, '\t');
  db_copy_field (row, r->uscc, '\t');
  db_copy_field (row, r->business_name, '\t');
  db_copy_field (row, r->product, '\t');
  db_copy_field (row, items, '\t');
  db_copy_field (row, date, '\n');
  return TRUE;
}

/* DbCopyRowFunc: the first deadlines of one staged notice a call. */
static gboolean
deadline_rows (GString *row, gpointer data, GError **error)
{
  ReferralRows *rows = data;
  if (rows->next >= rows->file->referrals->len)
    return FALSE;
  guint i = rows->next++;
  const IntakeReferral *r = g_ptr_array_index (rows->file->referrals, i);
  for (guint k = 0; k < rows->n_dues; k++)
    {
      const DbCaseDue *d = &rows->dues[i * rows->n_dues + k];
      g_autofree char *due = core_date_format (&d->due);
      char amount[16];
      g_snprintf (amount, sizeof amount, "%d", d->amount);
      db_copy_field (row, r->notice_no, '\t');
      db_copy_field (row, r->source, '\t');
      db_copy_field (row, d->name, '\t');
      db_copy_field (row, d->zh, '\t');
      db_copy_field (row, amount, '\t');
      db_copy_field (row, d->unit, '\t');
      db_copy_field (row, due, '\n');
    }
  return TRUE;
}

gboolean
db_cases_stage_referrals (PGconn *conn, const IntakeReferralFile *file, const DbCaseDue *dues,
                          guint n_dues, GError **error)
{
  ReferralRows cases = { file, dues, n_dues, 0 }, deadlines = { file, dues, n_dues, 0 };
  return db_run (conn,
                 "CREATE TEMP TABLE stage_referral (line integer, source text, notice_no text, "
                 "uscc text, business_name text, product text, failed text[], "
                 "notice_date date) ON COMMIT DROP",
                 DB_NO_ARGS, error)
         && db_run (conn,
                    "CREATE TEMP TABLE stage_referral_deadline (notice_no text, source text, "
                    "name text, zh text, amount integer, unit text, due date) ON COMMIT DROP",
                    DB_NO_ARGS, error)
         && db_copy_rows (conn,
                          "COPY stage_referral (line, source, notice_no, uscc, business_name, "
                          "product, failed, notice_date) FROM STDIN",
                          referral_row, &cases, error)
         && db_copy_rows (conn, "COPY stage_referral_deadline FROM STDIN", deadline_rows,
                          &deadlines, error);
}

GPtrArray *
db_cases_referrals_unknown (PGconn *conn, const char *district, GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT s.line, s.uscc FROM stage_referral s WHERE NOT EXISTS (SELECT 1 FROM "
                 "business b WHERE b.district = $1 AND b.uscc = s.uscc) ORDER BY s.line",
                 DB_ARGS (district), error);
  if (res == NULL)
    return NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func (unknown_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      DbCasesUnknown *u = g_new0 (DbCasesUnknown, 1);
      u->line = (guint)atoi (PQgetvalue (res, i, 0));
      u->uscc = g_strdup (PQgetvalue (res, i, 1));
      g_ptr_array_add (list, u);
    }
  return list;
}

gboolean
db_cases_insert_referrals (PGconn *conn, const char *district, const char *actor,
                           const GDate *today, const char *name, guint *opened, guint *skipped,
                           GError **error)
{
  *opened = *skipped = 0;
  g_autofree char *day = core_date_format (today);
  g_autofree char *year = g_strdup_printf ("%04d", g_date_get_year (today));
  static const char NEW_SQL[]
      = "FROM stage_referral s WHERE NOT EXISTS (SELECT 1 FROM nc_case c WHERE c.district = $1 "
        "AND c.source = s.source AND c.notice_no = s.notice_no)";
  g_autofree char *count_sql = g_strconcat ("SELECT count(*) ", NEW_SQL, NULL);
  g_autofree char *total
      = db_scalar (conn, "SELECT count(*) FROM stage_referral", DB_NO_ARGS, error);
  g_autofree char *fresh = total ? db_scalar (conn, count_sql, DB_ARGS (district), error) : NULL;
  if (fresh == NULL)
    return FALSE;
  *opened = (guint)atoi (fresh);
  *skipped = (guint)atoi (total) - *opened;
  if (*opened > 0)
    {
      g_autofree char *base = db_cases_reserve (conn, district, year, *opened, error);
      if (base == NULL)
        return FALSE;
      g_autofree char *case_no = db_cases_number_sql (2, 3, "s.k");
      g_autofree char *sql = g_strconcat (
          "WITH fresh AS (SELECT s.*, row_number() OVER (ORDER BY s.line) AS k ", NEW_SQL,
          "), ins AS (INSERT INTO nc_case (district, case_no, source, uscc, business_name, "
          "product, notice_no, notice_date, failed_items, opened_on, office, created_by) "
          "SELECT $1, ",
          case_no,
          ", s.source, s.uscc, s.business_name, s.product, s.notice_no, s.notice_date, "
          "s.failed, $4, st.office, $5 "
          "FROM fresh s JOIN business b ON b.district = $1 AND b.uscc = s.uscc "
          "LEFT JOIN street st ON st.district = $1 AND st.code = b.street "
          "RETURNING case_no, source, notice_no, notice_date, failed_items), "
          "dl AS (INSERT INTO case_deadline (district, case_no, name, zh, from_on, amount, unit, "
          "due_on) SELECT $1, i.case_no, d.name, d.zh, i.notice_date, d.amount, d.unit, d.due "
          "FROM ins i JOIN stage_referral_deadline d ON d.notice_no = i.notice_no "
          "AND d.source = i.source) "
          "INSERT INTO case_event (district, case_no, on_date, actor, event, to_state, detail) "
          "SELECT $1, case_no, $4, $5, 'opened', 'open', format('%s referral notice %s of %s: "
          "%s', source, notice_no, notice_date, array_to_string(failed_items, '; ')) FROM ins",
          NULL);
      if (!db_run (conn, sql, DB_ARGS (district, year, base, day, actor), error))
        return FALSE;
    }
  g_autofree char *detail
      = g_strdup_printf ("{\"result\": \"%u opened, %u already on record\"}", *opened, *skipped);
  return db_audit (conn, district, actor, "cases.import-referrals", name, detail, error);
}

/* ---- reading the queue ---- */

#define CASE_COLUMNS                                                                               \
  "c.case_no, c.source, c.state, c.uscc, c.business_name, c.product, c.record_no, c.lab, "         \
  "c.report_no, c.notice_no, c.notice_date, array_to_string(c.failed_items, '; '), "               \
  "c.opened_on, c.closed_on, c.office, (SELECT d.name || ' ' || d.due_on FROM case_deadline d "    \
  "WHERE d.district = c.district AND d.case_no = c.case_no AND d.met_at IS NULL "                  \
  "AND NOT d.business_window AND c.state <> 'closed' ORDER BY d.due_on, d.name LIMIT 1), "         \
  "(SELECT min(d.due_on) FROM case_deadline d WHERE d.district = c.district "                      \
  "AND d.case_no = c.case_no AND d.met_at IS NULL AND NOT d.business_window "                      \
  "AND c.state <> 'closed'), c.version"

static DbCase *
case_from_row (const PGresult *res, int r)
{
  DbCase *c = g_new0 (DbCase, 1);
  char **fields[]
      = { &c->case_no,       &c->source,       &c->state,     &c->uscc,      &c->business_name,
          &c->product,       &c->record_no,    &c->lab,       &c->report_no, &c->notice_no,
          &c->notice_date,   &c->failed_items, &c->opened_on, &c->closed_on, &c->office,
          &c->next_deadline, &c->next_due };
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    *fields[i] = opt (res, r, (int)i);
  c->version = atoi (PQgetvalue (res, r, (int)G_N_ELEMENTS (fields)));
  return c;
}

GPtrArray *
db_cases_where (PGconn *conn, const char *district, const DbCasesFilter *filter, GError **error)
{
  const char *state = filter->state;
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
                       _ ("no case state \"%s\"; the states are %s"), state, states);
          return NULL;
        }
    }
  g_autofree char *overdue
      = g_date_valid (&filter->overdue_on) ? core_date_format (&filter->overdue_on) : NULL;
  g_autofree char *due_by
      = g_date_valid (&filter->due_by) ? core_date_format (&filter->due_by) : NULL;
  /* a deadline counts while unmet and the case is open; due on the day
   * itself is not yet overdue; the business's windows never count */
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT " CASE_COLUMNS " FROM nc_case c WHERE c.district = $1 "
      "AND ($2::text IS NULL OR c.state = $2) "
      "AND ($3::text IS NULL OR c.office = $3) "
      "AND ($4::date IS NULL OR EXISTS (SELECT 1 FROM case_deadline d WHERE d.district = "
      "c.district AND d.case_no = c.case_no AND d.met_at IS NULL AND c.state <> 'closed' "
      "AND NOT d.business_window AND d.due_on < $4::date)) "
      "AND ($5::date IS NULL OR EXISTS (SELECT 1 FROM case_deadline d WHERE d.district = "
      "c.district AND d.case_no = c.case_no AND d.met_at IS NULL AND c.state <> 'closed' "
      "AND NOT d.business_window AND d.due_on <= $5::date)) ORDER BY c.case_no",
      DB_ARGS (district, state, filter->office, overdue, due_by), error);
  if (res == NULL)
    return NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)db_case_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (list, case_from_row (res, i));
  return list;
}

GPtrArray *
db_cases_list (PGconn *conn, const char *district, const char *state, const char *office,
               GError **error)
{
  DbCasesFilter filter = { .state = state, .office = office };
  g_date_clear (&filter.overdue_on, 1);
  g_date_clear (&filter.due_by, 1);
  return db_cases_where (conn, district, &filter, error);
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
      g_set_error (error, DB_CASES_ERROR, DB_CASES_ERROR_NOT_FOUND, _ ("no case %s in district %s"),
                   case_no, district);
      return NULL;
    }
  g_autoptr (PGresult) dl
      = db_exec (conn,
                 "SELECT name, zh, from_on, amount, unit, due_on, to_char(met_at, 'YYYY-MM-DD'), "
                 "business_window "
                 "FROM case_deadline WHERE district = $1 AND case_no = $2 ORDER BY due_on, name",
                 DB_ARGS (district, case_no), error);
  g_autoptr (PGresult) ev
      = dl ? db_exec (conn,
                      "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS'), on_date, actor, event, "
                      "from_state, to_state, detail, "
                      /* a step's detail is JSON (case_take_step); older events' is text */
                      "CASE WHEN detail LIKE '{%' THEN (SELECT string_agg(f.key || '=' || "
                      "f.value, '; ' ORDER BY f.key) FROM jsonb_each_text((detail::jsonb) -> "
                      "'fields') f) END, "
                      "CASE WHEN detail LIKE '{%' THEN (detail::jsonb) ->> 'note' ELSE detail END "
                      "FROM case_event WHERE district = $1 AND case_no = $2 ORDER BY id",
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
      x->window = strcmp (PQgetvalue (dl, i, 7), "t") == 0;
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
      e->fields = opt (ev, i, 7);
      e->note = opt (ev, i, 8);
      g_ptr_array_add (d->events, e);
    }
  return d;
}
