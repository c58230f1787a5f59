/* db-tasks-read.c: reading stored draws back as typed rows: their headers,
 * their tasks and shortfalls, the list for the offices, the year's tasks and
 * the reserve used. */
#include "db/db-tasks.h"

#include "db/db-conn.h"
#include "core/core-i18n.h"

#include <string.h>

static char *
int_text (gint64 v)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, v);
}

static int
int_at (const PGresult *res, int r, int c)
{
  return (int)g_ascii_strtoll (PQgetvalue (res, r, c), NULL, 10);
}

static char *
text_or_null (const PGresult *res, int r, int c)
{
  return PQgetisnull (res, r, c) ? NULL : g_strdup (PQgetvalue (res, r, c));
}

#define DRAW_COLUMNS                                                                               \
  "year, month, draw_no, plan_version, seed, algorithm, input_digest, output_digest, status, "     \
  "tasks, shortfall, to_char (created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "           \
  "created_by, kind, seq, coalesce (replaced_by, 0), category, reason, over_reserve_reason"

static DbDrawInfo *
draw_from_row (const PGresult *res, int r)
{
  DbDrawInfo *info = g_new0 (DbDrawInfo, 1);
  info->year = int_at (res, r, 0);
  info->month = int_at (res, r, 1);
  info->draw_no = int_at (res, r, 2);
  info->plan_version = int_at (res, r, 3);
  info->seed = g_ascii_strtoull (PQgetvalue (res, r, 4), NULL, 10);
  info->algorithm = g_strdup (PQgetvalue (res, r, 5));
  info->input_digest = g_strdup (PQgetvalue (res, r, 6));
  info->output_digest = g_strdup (PQgetvalue (res, r, 7));
  info->status = g_strdup (PQgetvalue (res, r, 8));
  info->tasks = int_at (res, r, 9);
  info->shortfall = int_at (res, r, 10);
  info->created_at = g_strdup (PQgetvalue (res, r, 11));
  info->created_by = g_strdup (PQgetvalue (res, r, 12));
  info->kind
      = strcmp (PQgetvalue (res, r, 13), "emergency") == 0 ? DB_DRAW_EMERGENCY : DB_DRAW_ROUTINE;
  info->seq = g_ascii_strtoll (PQgetvalue (res, r, 14), NULL, 10);
  info->replaced_by = int_at (res, r, 15);
  info->category = text_or_null (res, r, 16);
  info->reason = text_or_null (res, r, 17);
  info->over_reserve_reason = text_or_null (res, r, 18);
  return info;
}

gboolean
db_tasks_draw_get (PGconn *conn, const char *district, int year, int month, int draw_no,
                   DbDrawInfo **info, GError **error)
{
  g_autofree char *y = int_text (year), *m = int_text (month),
                  *no = draw_no > 0 ? int_text (draw_no) : NULL;
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT " DRAW_COLUMNS " FROM draw WHERE district = $1 AND year = $2 AND month "
                 "= $3 AND (CASE WHEN $4::int IS NULL THEN status = 'current' AND kind = "
                 "'routine' ELSE draw_no = $4::int END)",
                 DB_ARGS (district, y, m, no), error);
  if (res == NULL)
    return FALSE;
  *info = PQntuples (res) ? draw_from_row (res, 0) : NULL;
  return TRUE;
}

GPtrArray *
db_tasks_draws (PGconn *conn, const char *district, int year, int month, GError **error)
{
  g_autofree char *y = int_text (year), *m = month > 0 ? int_text (month) : NULL;
  g_autoptr (PGresult) res = db_exec (conn,
                                      "SELECT " DRAW_COLUMNS " FROM draw WHERE district = $1 AND "
                                      "year = $2 AND ($3::int IS NULL OR month = $3) ORDER BY seq",
                                      DB_ARGS (district, y, m), error);
  if (res == NULL)
    return NULL;
  GPtrArray *draws = g_ptr_array_new_with_free_func ((GDestroyNotify)db_draw_info_free);
  for (int r = 0; r < PQntuples (res); r++)
    g_ptr_array_add (draws, draw_from_row (res, r));
  return draws;
}

char *
db_tasks_draw_input (PGconn *conn, const char *district, const DbDrawInfo *info, GError **error)
{
  g_autofree char *y = int_text (info->year), *m = int_text (info->month),
                  *no = int_text (info->draw_no);
  return db_scalar (conn,
                    "SELECT input_text FROM draw WHERE district = $1 AND year = $2 AND month = "
                    "$3 AND draw_no = $4",
                    DB_ARGS (district, y, m, no), error);
}

static SchedShortfallReason
reason_parse (const char *name)
{
  for (SchedShortfallReason r = SCHED_SHORTFALL_EMPTY_POOL; r <= SCHED_SHORTFALL_LAB_CAPACITY; r++)
    if (strcmp (name, sched_shortfall_reason_name (r)) == 0)
      return r;
  return SCHED_SHORTFALL_EMPTY_POOL;
}

SchedDraw *
db_tasks_draw_rows (PGconn *conn, const char *district, const DbDrawInfo *info, GError **error)
{
  g_autofree char *y = int_text (info->year), *m = int_text (info->month),
                  *no = int_text (info->draw_no);
  g_autoptr (PGresult) tasks = db_exec (
      conn,
      "SELECT record_no, category, grade, uscc, street, office, inspector1, inspector2, lab, "
      "to_char (due_date, 'YYYY-MM-DD') FROM task WHERE district = $1 AND year = $2 AND month "
      "= $3 AND draw_no = $4 ORDER BY serial",
      DB_ARGS (district, y, m, no), error);
  if (tasks == NULL)
    return NULL;
  /* Shortfalls come out in cell order (category, grade), then in the order
   * the draw reports reasons for one cell. */
  g_autoptr (PGresult) shorts = db_exec (
      conn,
      "SELECT category, grade, count, reason FROM draw_shortfall WHERE district = $1 AND year = "
      "$2 AND month = $3 AND draw_no = $4 ORDER BY category, grade, array_position (ARRAY "
      "['empty-pool', 'pool-too-small', 'no-inspectors', 'no-lab', 'lab-capacity'], reason)",
      DB_ARGS (district, y, m, no), error);
  if (shorts == NULL)
    return NULL;
  SchedDraw *draw = sched_draw_new ((guint)info->year, (guint)info->month, info->seed,
                                    info->algorithm, info->input_digest);
  for (int r = 0; r < PQntuples (tasks); r++)
    {
      SchedDrawTask *t = g_new0 (SchedDrawTask, 1);
      t->record = g_strdup (PQgetvalue (tasks, r, 0));
      t->category = g_strdup (PQgetvalue (tasks, r, 1));
      t->grade = PQgetvalue (tasks, r, 2)[0];
      t->business = g_strdup (PQgetvalue (tasks, r, 3));
      t->street = g_strdup (PQgetvalue (tasks, r, 4));
      t->office = g_strdup (PQgetvalue (tasks, r, 5));
      t->inspectors[0] = g_strdup (PQgetvalue (tasks, r, 6));
      t->inspectors[1] = g_strdup (PQgetvalue (tasks, r, 7));
      t->lab = g_strdup (PQgetvalue (tasks, r, 8));
      g_date_clear (&t->due, 1);
      core_date_parse (PQgetvalue (tasks, r, 9), &t->due);
      g_ptr_array_add (draw->tasks, t);
    }
  for (int r = 0; r < PQntuples (shorts); r++)
    {
      SchedDrawShortfall *s = g_new0 (SchedDrawShortfall, 1);
      s->category = g_strdup (PQgetvalue (shorts, r, 0));
      s->grade = PQgetvalue (shorts, r, 1)[0];
      s->count = (guint)int_at (shorts, r, 2);
      s->reason = reason_parse (PQgetvalue (shorts, r, 3));
      g_ptr_array_add (draw->shortfalls, s);
    }
  return draw;
}

static const CoreColumn list_columns[] = {
  { "office", N_ ("office code"), CORE_CELL_TEXT },
  { "office_name", N_ ("office name"), CORE_CELL_TEXT },
  { "record_no", N_ ("record number"), CORE_CELL_TEXT },
  { "business", N_ ("business"), CORE_CELL_TEXT },
  { "uscc", N_ ("credit code"), CORE_CELL_TEXT },
  { "address", N_ ("address"), CORE_CELL_TEXT },
  { "street", N_ ("street"), CORE_CELL_TEXT },
  { "category", N_ ("category code"), CORE_CELL_TEXT },
  { "category_name", N_ ("category name"), CORE_CELL_TEXT },
  { "grade", N_ ("grade"), CORE_CELL_TEXT },
  { "inspector1", N_ ("inspector 1"), CORE_CELL_TEXT },
  { "inspector2", N_ ("inspector 2"), CORE_CELL_TEXT },
  { "lab", N_ ("lab code"), CORE_CELL_TEXT },
  { "lab_name", N_ ("lab name"), CORE_CELL_TEXT },
  { "due_date", N_ ("task due"), CORE_CELL_DATE },
  { "status", N_ ("status"), CORE_CELL_TEXT },
  { "kind", N_ ("kind"), CORE_CELL_TEXT },
};

CoreTable *
db_tasks_list (PGconn *conn, const char *district, int year, int month, const char *office,
               const char *lab, GError **error)
{
  g_autofree char *y = int_text (year), *m = int_text (month);
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT t.office, o.name_zh, t.record_no, b.name, t.uscc, coalesce (b.address, ''), "
      "st.name_zh, t.category, c.name_zh, t.grade, i1.name, i2.name, t.lab, l.name, "
      "to_char (t.due_date, 'YYYY-MM-DD'), t.status, d.kind "
      "FROM task t JOIN draw d ON d.district = t.district AND d.year = t.year AND d.month = "
      "t.month AND d.draw_no = t.draw_no "
      "JOIN business b ON b.district = t.district AND b.uscc = t.uscc "
      "JOIN street st ON st.district = t.district AND st.code = t.street "
      "JOIN office o ON o.district = t.district AND o.code = t.office "
      "JOIN category c ON c.code = t.category "
      "JOIN inspector i1 ON i1.district = t.district AND i1.id = t.inspector1 "
      "JOIN inspector i2 ON i2.district = t.district AND i2.id = t.inspector2 "
      "JOIN lab l ON l.district = t.district AND l.code = t.lab "
      "WHERE t.district = $1 AND t.year = $2 AND t.month = $3 AND d.status = 'current' AND "
      "t.status <> 'cancelled' AND ($4::text IS NULL OR t.office = $4) AND ($5::text IS NULL "
      "OR t.lab = $5) ORDER BY t.office, t.serial",
      DB_ARGS (district, y, m, office, lab), error);
  if (res == NULL)
    return NULL;
  CoreTable *table
      = core_table_new ("tasks", _ ("task list"), list_columns, G_N_ELEMENTS (list_columns));
  for (int r = 0; r < PQntuples (res); r++)
    {
      guint row = core_table_add_row (table);
      for (guint c = 0; c < G_N_ELEMENTS (list_columns); c++)
        core_table_set (table, row, c, PQgetvalue (res, r, (int)c));
    }
  return table;
}

GArray *
db_tasks_year (PGconn *conn, const char *district, int year, GError **error)
{
  g_autofree char *y = int_text (year);
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT t.uscc, t.category, t.grade, t.month, t.draw_no, t.serial, d.seq, coalesce "
      "(r.seq, 9223372036854775807), d.status = 'current' AND t.status <> 'cancelled' FROM "
      "task t JOIN draw d ON (d.district, d.year, d.month, d.draw_no) = (t.district, t.year, "
      "t.month, t.draw_no) LEFT JOIN draw r ON (r.district, r.year, r.month, r.draw_no) = "
      "(d.district, d.year, d.month, d.replaced_by) WHERE t.district = $1 AND t.year = $2 "
      "ORDER BY t.uscc, d.seq, t.serial",
      DB_ARGS (district, y), error);
  if (res == NULL)
    return NULL;
  GArray *rows = g_array_sized_new (FALSE, TRUE, sizeof (DbYearTask), (guint)PQntuples (res));
  for (int r = 0; r < PQntuples (res); r++)
    {
      DbYearTask t = { 0 };
      g_strlcpy (t.uscc, PQgetvalue (res, r, 0), sizeof t.uscc);
      g_strlcpy (t.category, PQgetvalue (res, r, 1), sizeof t.category);
      t.grade = PQgetvalue (res, r, 2)[0];
      t.month = int_at (res, r, 3);
      t.draw_no = int_at (res, r, 4);
      t.serial = int_at (res, r, 5);
      t.seq = g_ascii_strtoll (PQgetvalue (res, r, 6), NULL, 10);
      t.until = g_ascii_strtoll (PQgetvalue (res, r, 7), NULL, 10);
      t.live = PQgetvalue (res, r, 8)[0] == 't';
      g_array_append_val (rows, t);
    }
  return rows;
}

gboolean
db_tasks_reserve_used (PGconn *conn, const char *district, int year, gint64 *used, GError **error)
{
  g_autofree char *y = int_text (year);
  g_autofree char *sum = db_scalar (conn,
                                    "SELECT coalesce (sum (tasks), 0) FROM draw WHERE district = "
                                    "$1 AND year = $2 AND kind = 'emergency'",
                                    DB_ARGS (district, y), error);
  if (sum == NULL)
    return FALSE;
  *used = g_ascii_strtoll (sum, NULL, 10);
  return TRUE;
}
