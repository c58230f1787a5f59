/* db-tasks.c: loading a month's draw input and storing the draw, its tasks and
 * shortfalls in one transaction (with --replace handled inside it). */
#include "db/db-tasks.h"

#include "db/db-conn.h"
#include "db/db-plan.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (db - tasks - error - quark, db_tasks_error)

static const char grade_letters[] = "ABCD";

void
db_draw_info_free (DbDrawInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->algorithm);
  g_free (info->input_digest);
  g_free (info->output_digest);
  g_free (info->status);
  g_free (info->created_at);
  g_free (info->created_by);
  g_free (info);
}

static char *
int_text (gint64 v)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, v);
}

/* A ';'-joined list from the database as a vector (empty text: empty list). */
static char **
split_list (const char *text)
{
  return *text == '\0' ? g_new0 (char *, 1) : g_strsplit (text, ";", -1);
}

static gboolean
add_cells (PGconn *conn, const char *district, SchedDrawInput *in, int year, int month,
           int *plan_version, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (DbPlanInfo) plan = db_plan_get (conn, district, year, 0, &local);
  if (plan == NULL && !g_error_matches (local, DB_PLAN_ERROR, DB_PLAN_ERROR_NOT_FOUND))
    return g_propagate_error (error, g_steal_pointer (&local)), FALSE;
  if (plan == NULL || strcmp (plan->status, "approved") != 0)
    {
      g_set_error (error, DB_TASKS_ERROR, DB_TASKS_ERROR_NO_PLAN,
                   "district %s has no approved plan for %d: make one with `spotcheck plan "
                   "generate --year %d` and approve it with `spotcheck plan approve --year %d "
                   "--version N`",
                   district, year, year, year);
      return FALSE;
    }
  g_autoptr (DbPlanCells) cells = db_plan_cells (conn, district, year, plan->version, error);
  if (cells == NULL)
    return FALSE;
  guint m = (guint)month - 1;
  for (guint c = 0; c < cells->n_categories; c++)
    for (guint g = 0; g < cells->n_grades && g < 4; g++)
      {
        gint64 q = cells->cells[((gsize)m * cells->n_categories + c) * cells->n_grades + g];
        if (q > 0)
          sched_draw_input_add_cell (in, cells->category_codes[c], grade_letters[g], (guint)q);
      }
  *plan_version = plan->version;
  return TRUE;
}

static gboolean
add_directories (PGconn *conn, const char *district, SchedDrawInput *in, int year, int month,
                 GError **error)
{
  g_autofree char *y = int_text (year), *m = int_text (month);
  /* The last-drawn key is the record number's last 9 digits: month and serial. */
  g_autoptr (PGresult) biz = db_exec (
      conn,
      "WITH cats AS (SELECT uscc, string_agg (category, ';') AS list FROM business_category "
      "WHERE district = $1 GROUP BY uscc), last AS (SELECT uscc, max (month::bigint * 10000000 "
      "+ serial) AS key FROM task WHERE district = $1 AND year = $2 AND status <> 'cancelled' "
      "GROUP BY uscc) SELECT b.uscc, b.street, b.grade, b.active, coalesce (cats.list, ''), "
      "coalesce (last.key, 0) FROM business b LEFT JOIN cats ON cats.uscc = b.uscc LEFT JOIN "
      "last ON last.uscc = b.uscc WHERE b.district = $1",
      DB_ARGS (district, y), error);
  if (biz == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (biz); r++)
    {
      g_auto (GStrv) cats = split_list (PQgetvalue (biz, r, 4));
      sched_draw_input_add_business (in, PQgetvalue (biz, r, 0), PQgetvalue (biz, r, 1),
                                     PQgetvalue (biz, r, 2)[0], (const char *const *)cats,
                                     PQgetvalue (biz, r, 3)[0] == 't',
                                     g_ascii_strtoull (PQgetvalue (biz, r, 5), NULL, 10));
    }
  g_autoptr (PGresult) staff = db_exec (
      conn,
      "SELECT i.id, i.office, i.active, coalesce ((SELECT string_agg (uscc, ';') FROM "
      "inspector_conflict ic WHERE ic.district = i.district AND ic.inspector = i.id), '') "
      "FROM inspector i WHERE i.district = $1",
      DB_ARGS (district), error);
  if (staff == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (staff); r++)
    {
      g_auto (GStrv) conflicts = split_list (PQgetvalue (staff, r, 3));
      sched_draw_input_add_inspector (in, PQgetvalue (staff, r, 0), PQgetvalue (staff, r, 1),
                                      PQgetvalue (staff, r, 2)[0] == 't',
                                      (const char *const *)conflicts);
    }
  /* Inactive labs take no work, so they are not offered to the draw at all. */
  g_autoptr (PGresult) labs = db_exec (
      conn,
      "SELECT l.code, l.capacity, coalesce ((SELECT string_agg (category, ';') FROM "
      "lab_category lc WHERE lc.district = l.district AND lc.lab = l.code), ''), (SELECT count(*) "
      "FROM task t WHERE t.district = l.district AND t.lab = l.code AND t.year = $2 AND t.month "
      "= $3 AND t.status <> 'cancelled') FROM lab l WHERE l.district = $1 AND l.active",
      DB_ARGS (district, y, m), error);
  if (labs == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (labs); r++)
    {
      g_auto (GStrv) cats = split_list (PQgetvalue (labs, r, 2));
      sched_draw_input_add_lab (in, PQgetvalue (labs, r, 0), (const char *const *)cats,
                                (guint)g_ascii_strtoull (PQgetvalue (labs, r, 1), NULL, 10),
                                (guint)g_ascii_strtoull (PQgetvalue (labs, r, 3), NULL, 10));
    }
  return TRUE;
}

SchedDrawInput *
db_tasks_load_input (PGconn *conn, const DbDrawContext *ctx, int year, int month, guint64 seed,
                     int *plan_version, GError **error)
{
  const char *district = ctx->catalog->district;
  g_autoptr (SchedDrawInput) in = sched_draw_input_new ((guint)year, (guint)month, district, seed);
  if (!sched_draw_input_set_rules (in, ctx->config, error))
    return NULL;
  if (in->due_kind == SCHED_DUE_WORKING_DAYS)
    {
      in->calendar = ctx->calendar;
      in->draw_date = ctx->draw_date;
    }
  sched_draw_input_add_catalog_offices (in, ctx->catalog);
  if (!add_cells (conn, district, in, year, month, plan_version, error)
      || !add_directories (conn, district, in, year, month, error))
    return NULL;
  return g_steal_pointer (&in);
}

/* Handles the month's current draw: refused, or replaced when allowed and
 * nothing of it is sampled. *@replaced receives its number (0: none). */
static gboolean
clear_month (PGconn *conn, const char *district, const char *y, const char *m, gboolean replace,
             int *replaced, GError **error)
{
  g_autoptr (PGresult) cur = db_exec (
      conn,
      "SELECT d.draw_no, d.tasks, d.seed, to_char (d.created_at, 'YYYY-MM-DD HH24:MI'), "
      "(SELECT count(*) FROM task t WHERE t.district = d.district AND t.year = d.year AND "
      "t.month = d.month AND t.draw_no = d.draw_no AND t.status = 'sampled'), (SELECT min "
      "(record_no) FROM task t WHERE t.district = d.district AND t.year = d.year AND t.month = "
      "d.month AND t.draw_no = d.draw_no AND t.status = 'sampled') FROM draw d WHERE "
      "d.district = $1 AND d.year = $2 AND d.month = $3 AND d.status = 'current' FOR UPDATE",
      DB_ARGS (district, y, m), error);
  *replaced = 0;
  if (cur == NULL)
    return FALSE;
  if (PQntuples (cur) == 0)
    return TRUE;
  const char *no = PQgetvalue (cur, 0, 0);
  if (!replace)
    {
      g_set_error (error, DB_TASKS_ERROR, DB_TASKS_ERROR_EXISTS,
                   "%s-%s is drawn already (draw %s: %s tasks, seed %s, %s UTC); to draw it again "
                   "add --replace, which keeps that draw on record as replaced and cancels its "
                   "tasks",
                   y, m, no, PQgetvalue (cur, 0, 1), PQgetvalue (cur, 0, 2),
                   PQgetvalue (cur, 0, 3));
      return FALSE;
    }
  if (strcmp (PQgetvalue (cur, 0, 4), "0") != 0)
    {
      g_set_error (error, DB_TASKS_ERROR, DB_TASKS_ERROR_SAMPLED,
                   "draw %s of %s-%s cannot be replaced: %s of its tasks are sampled already "
                   "(e.g. %s); a sampled task cannot be taken back, so the month keeps this draw",
                   no, y, m, PQgetvalue (cur, 0, 4), PQgetvalue (cur, 0, 5));
      return FALSE;
    }
  if (!db_run (conn,
               "UPDATE draw SET status = 'replaced', replaced_at = now() WHERE district = $1 "
               "AND year = $2 AND month = $3 AND draw_no = $4",
               DB_ARGS (district, y, m, no), error)
      || !db_run (conn,
                  "UPDATE task SET status = 'cancelled' WHERE district = $1 AND year = $2 AND "
                  "month = $3 AND draw_no = $4 AND status = 'drawn'",
                  DB_ARGS (district, y, m, no), error))
    return FALSE;
  *replaced = (int)g_ascii_strtoll (no, NULL, 10);
  return TRUE;
}

static gboolean
copy_tasks (PGconn *conn, const char *district, const char *y, const char *m, const char *no,
            const SchedDraw *draw, GError **error)
{
  if (!db_copy_begin (conn,
                      "COPY task (district, year, month, draw_no, serial, record_no, category, "
                      "grade, uscc, street, office, inspector1, inspector2, lab, due_date) FROM "
                      "STDIN",
                      error))
    return FALSE;
  g_autoptr (GString) buf = g_string_sized_new (64 * 1024);
  for (guint i = 0; i < draw->tasks->len; i++)
    {
      const SchedDrawTask *t = g_ptr_array_index (draw->tasks, i);
      /* The serial is the record number's last seven digits (sched-draw.h step 4). */
      gsize len = strlen (t->record);
      g_autofree char *serial
          = int_text (len >= 7 ? g_ascii_strtoll (t->record + len - 7, NULL, 10) : i + 1);
      char grade[2] = { t->grade, 0 };
      g_autofree char *due = core_date_format (&t->due);
      const char *fields[]
          = { district,         y,     m,           no,        serial,    t->record,
              t->category,      grade, t->business, t->street, t->office, t->inspectors[0],
              t->inspectors[1], t->lab };
      for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
        db_copy_field (buf, fields[f], '\t');
      db_copy_field (buf, due, '\n');
      if (buf->len > 60 * 1024 || i + 1 == draw->tasks->len)
        {
          if (!db_copy_put (conn, buf->str, buf->len, error))
            return db_copy_end (conn, "storing tasks failed", NULL), FALSE;
          g_string_truncate (buf, 0);
        }
    }
  return db_copy_end (conn, NULL, error);
}

static gboolean
store (PGconn *conn, const DbDrawContext *ctx, const char *y, const char *m, int plan_version,
       const char *input_text, const SchedDraw *draw, const char *output_digest, int replaced,
       int *draw_no, GError **error)
{
  const char *district = ctx->catalog->district;
  g_autofree char *no = db_scalar (conn,
                                   "SELECT coalesce (max (draw_no), 0) + 1 FROM draw WHERE "
                                   "district = $1 AND year = $2 AND month = $3",
                                   DB_ARGS (district, y, m), error);
  if (no == NULL)
    return FALSE;
  guint short_total = 0;
  for (guint i = 0; i < draw->shortfalls->len; i++)
    short_total += ((SchedDrawShortfall *)g_ptr_array_index (draw->shortfalls, i))->count;
  g_autofree char *pv = int_text (plan_version), *n_tasks = int_text (draw->tasks->len),
                  *n_short = int_text (short_total), *old = int_text (replaced);
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, draw->seed);
  if (!db_run (conn,
               "INSERT INTO draw (district, year, month, draw_no, plan_version, seed, algorithm, "
               "input_text, input_digest, output_digest, tasks, shortfall, created_by) VALUES "
               "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
               DB_ARGS (district, y, m, no, pv, seed, draw->algorithm, input_text,
                        draw->input_digest, output_digest, n_tasks, n_short, ctx->actor),
               error)
      || !copy_tasks (conn, district, y, m, no, draw, error))
    return FALSE;
  for (guint i = 0; i < draw->shortfalls->len; i++)
    {
      const SchedDrawShortfall *s = g_ptr_array_index (draw->shortfalls, i);
      char grade[2] = { s->grade, 0 };
      g_autofree char *count = int_text (s->count);
      if (!db_run (conn,
                   "INSERT INTO draw_shortfall (district, year, month, draw_no, category, grade, "
                   "reason, count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                   DB_ARGS (district, y, m, no, s->category, grade,
                            sched_shortfall_reason_name (s->reason), count),
                   error))
        return FALSE;
    }
  g_autofree char *subject = g_strdup_printf ("%s-%02d", y, atoi (m));
  if (!db_run (conn,
               "INSERT INTO audit_log (district, actor, action, subject, detail) VALUES ($1, $2, "
               "'tasks.generate', $3, jsonb_build_object ('draw_no', $4::int, 'seed', "
               "$5::numeric, 'input_digest', $6::text, 'output_digest', $7::text, 'tasks', "
               "$8::int, 'shortfall', $9::int, 'replaced', nullif ($10::int, 0)))",
               DB_ARGS (district, ctx->actor, subject, no, seed, draw->input_digest, output_digest,
                        n_tasks, n_short, old),
               error))
    return FALSE;
  *draw_no = (int)g_ascii_strtoll (no, NULL, 10);
  return TRUE;
}

gboolean
db_tasks_generate (PGconn *conn, const DbDrawContext *ctx, int year, int month, guint64 seed,
                   gboolean replace, DbDrawInfo **info, SchedDraw **draw_out, GError **error)
{
  const char *district = ctx->catalog->district;
  g_autofree char *y = int_text (year), *m = int_text (month);
  g_autoptr (DbTransaction) tx = db_transaction_begin (conn, error);
  if (tx == NULL)
    return FALSE;
  /* One drawer per district and month at a time. */
  g_autofree char *lock_key = g_strdup_printf ("draw %s %d-%02d", district, year, month);
  int replaced = 0, plan_version = 0, draw_no = 0;
  if (!db_run (conn, "SELECT pg_advisory_xact_lock (hashtext ($1))", DB_ARGS (lock_key), error)
      || !clear_month (conn, district, y, m, replace, &replaced, error))
    return FALSE;
  g_autoptr (SchedDrawInput) in
      = db_tasks_load_input (conn, ctx, year, month, seed, &plan_version, error);
  if (in == NULL)
    return FALSE;
  g_autofree char *input_text = sched_draw_input_serialize (in, error);
  if (input_text == NULL)
    return FALSE;
  g_autoptr (SchedDraw) draw = sched_draw_run (in, error);
  if (draw == NULL)
    return FALSE;
  g_autofree char *output = sched_draw_serialize (draw);
  g_autofree char *output_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, output, -1);
  if (!store (conn, ctx, y, m, plan_version, input_text, draw, output_digest, replaced, &draw_no,
              error)
      || !db_transaction_commit (tx, error))
    return FALSE;
  g_autoptr (DbDrawInfo) stored = db_tasks_draw_get (conn, district, year, month, draw_no, error);
  if (stored == NULL)
    return FALSE;
  stored->replaced = replaced;
  *info = g_steal_pointer (&stored);
  if (draw_out != NULL)
    *draw_out = g_steal_pointer (&draw);
  return TRUE;
}
