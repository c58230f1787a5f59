/* db-tasks.c: what a draw reads (plan cells, directories, this year's tasks)
 * and storing the draw the service made, with its tasks and shortfalls. */
#include "db/db-tasks.h"

#include "db/db-conn.h"
#include "db/db-plan.h"

#include <string.h>

static const char grade_letters[] = "ABCD";

const char *
db_draw_kind_name (DbDrawKind kind)
{
  return kind == DB_DRAW_EMERGENCY ? "emergency" : "routine";
}

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
  g_free (info->category);
  g_free (info->reason);
  g_free (info->over_reserve_reason);
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

gboolean
db_tasks_plan (PGconn *conn, const char *district, int year, int *version, gint64 *reserve,
               GError **error)
{
  g_autofree char *y = int_text (year);
  g_autoptr (PGresult) res = db_exec (conn,
                                      "SELECT version, reserve FROM plan WHERE district = $1 AND "
                                      "year = $2 AND status = 'approved'",
                                      DB_ARGS (district, y), error);
  if (res == NULL)
    return FALSE;
  *version = PQntuples (res) ? (int)g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) : 0;
  *reserve = PQntuples (res) ? g_ascii_strtoll (PQgetvalue (res, 0, 1), NULL, 10) : 0;
  return TRUE;
}

gboolean
db_tasks_add_cells (PGconn *conn, const char *district, int year, int version, int month,
                    SchedDrawInput *in, GError **error)
{
  g_autoptr (DbPlanCells) cells = db_plan_cells (conn, district, year, version, error);
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
  return TRUE;
}

gboolean
db_tasks_add_directories (PGconn *conn, const char *district, int year, int month,
                          SchedDrawInput *in, GError **error)
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

gboolean
db_tasks_current (PGconn *conn, const char *district, int year, int month, DbDrawInfo **current,
                  int *sampled, char **first_sampled, GError **error)
{
  g_autofree char *y = int_text (year), *m = int_text (month);
  *current = NULL;
  *sampled = 0;
  *first_sampled = NULL;
  /* Locks the row, so a concurrent replace of the same month waits. */
  g_autoptr (PGresult) cur = db_exec (
      conn,
      "SELECT d.draw_no, (SELECT count(*) FROM task t WHERE t.district = d.district AND t.year "
      "= d.year AND t.month = d.month AND t.draw_no = d.draw_no AND t.status = 'sampled'), "
      "(SELECT min (record_no) FROM task t WHERE t.district = d.district AND t.year = d.year "
      "AND t.month = d.month AND t.draw_no = d.draw_no AND t.status = 'sampled') FROM draw d "
      "WHERE d.district = $1 AND d.year = $2 AND d.month = $3 AND d.status = 'current' AND "
      "d.kind = 'routine' FOR UPDATE",
      DB_ARGS (district, y, m), error);
  if (cur == NULL)
    return FALSE;
  if (PQntuples (cur) == 0)
    return TRUE;
  int no = (int)g_ascii_strtoll (PQgetvalue (cur, 0, 0), NULL, 10);
  if (!db_tasks_draw_get (conn, district, year, month, no, current, error))
    return FALSE;
  *sampled = (int)g_ascii_strtoll (PQgetvalue (cur, 0, 1), NULL, 10);
  if (*sampled > 0)
    *first_sampled = g_strdup (PQgetvalue (cur, 0, 2));
  return TRUE;
}

gboolean
db_tasks_next_emergency_serial (PGconn *conn, const char *district, int year, int month,
                                guint *serial, GError **error)
{
  g_autofree char *y = int_text (year), *m = int_text (month);
  g_autofree char *first = int_text (SCHED_EMERGENCY_FIRST_SERIAL);
  g_autofree char *next = db_scalar (
      conn,
      "SELECT greatest ($4::int, coalesce (max (t.serial) + 1, 0)) FROM task t JOIN draw d ON "
      "(d.district, d.year, d.month, d.draw_no) = (t.district, t.year, t.month, t.draw_no) "
      "WHERE t.district = $1 AND t.year = $2 AND t.month = $3 AND d.kind = 'emergency'",
      DB_ARGS (district, y, m, first), error);
  if (next == NULL)
    return FALSE;
  *serial = (guint)g_ascii_strtoull (next, NULL, 10);
  return TRUE;
}

typedef struct
{
  const char *district, *y, *m, *no;
  const SchedDraw *draw;
  guint next;
} TaskRows;

/* One task a call, for db_copy_rows(). */
static gboolean
task_row (GString *buf, gpointer data, GError **error)
{
  TaskRows *rows = data;
  if (rows->next >= rows->draw->tasks->len)
    return FALSE;
  const SchedDrawTask *t = g_ptr_array_index (rows->draw->tasks, rows->next++);
  /* The serial is the record number's last seven digits (sched-draw.h step 4). */
  gsize len = strlen (t->record);
  g_autofree char *serial
      = int_text (len >= 7 ? g_ascii_strtoll (t->record + len - 7, NULL, 10) : rows->next);
  char grade[2] = { t->grade, 0 };
  g_autofree char *due = core_date_format (&t->due);
  const char *fields[]
      = { rows->district,   rows->y, rows->m,     rows->no,  serial,    t->record,
          t->category,      grade,   t->business, t->street, t->office, t->inspectors[0],
          t->inspectors[1], t->lab };
  for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
    db_copy_field (buf, fields[f], '\t');
  db_copy_field (buf, due, '\n');
  return TRUE;
}

gboolean
db_tasks_retire (PGconn *conn, const char *district, int year, int month, int draw_no,
                 GError **error)
{
  g_autofree char *y = int_text (year), *m = int_text (month), *no = int_text (draw_no);
  return db_run (conn,
                 "UPDATE draw SET status = 'replaced', replaced_at = now(), replaced_by = (SELECT "
                 "max (draw_no) + 1 FROM draw WHERE district = $1 AND year = $2 AND month = $3) "
                 "WHERE district = $1 AND year = $2 AND month = $3 AND draw_no = $4",
                 DB_ARGS (district, y, m, no), error)
         && db_run (conn,
                    "UPDATE task SET status = 'cancelled' WHERE district = $1 AND year = $2 AND "
                    "month = $3 AND draw_no = $4 AND status = 'drawn'",
                    DB_ARGS (district, y, m, no), error);
}

gboolean
db_tasks_store (PGconn *conn, const char *district, const DbDrawStore *what, int *draw_no,
                GError **error)
{
  const SchedDraw *draw = what->draw;
  g_autofree char *y = int_text (what->year), *m = int_text (what->month);
  g_autofree char *no = db_scalar (conn,
                                   "SELECT coalesce (max (draw_no), 0) + 1 FROM draw WHERE "
                                   "district = $1 AND year = $2 AND month = $3",
                                   DB_ARGS (district, y, m), error);
  if (no == NULL)
    return FALSE;
  guint short_total = 0;
  for (guint i = 0; i < draw->shortfalls->len; i++)
    short_total += ((SchedDrawShortfall *)g_ptr_array_index (draw->shortfalls, i))->count;
  g_autofree char *pv = int_text (what->plan_version), *n_tasks = int_text (draw->tasks->len),
                  *n_short = int_text (short_total);
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, draw->seed);
  /* seq comes from the sequence here, inside the caller's lock, so it gives
   * the order in which draws saw one another. */
  if (!db_run (conn,
               "INSERT INTO draw (district, year, month, draw_no, plan_version, seed, algorithm, "
               "input_text, input_digest, output_digest, tasks, shortfall, created_by, kind, "
               "category, reason, over_reserve_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
               "$9, $10, $11, $12, $13, $14, $15, $16, $17)",
               DB_ARGS (district, y, m, no, pv, seed, draw->algorithm, what->input_text,
                        draw->input_digest, what->output_digest, n_tasks, n_short, what->actor,
                        db_draw_kind_name (what->kind), what->category, what->reason,
                        what->over_reserve_reason),
               error))
    return FALSE;
  TaskRows rows = { district, y, m, no, draw, 0 };
  if (draw->tasks->len > 0
      && !db_copy_rows (conn,
                        "COPY task (district, year, month, draw_no, serial, record_no, category, "
                        "grade, uscc, street, office, inspector1, inspector2, lab, due_date) "
                        "FROM STDIN",
                        task_row, &rows, error))
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
  *draw_no = (int)g_ascii_strtoll (no, NULL, 10);
  return TRUE;
}
