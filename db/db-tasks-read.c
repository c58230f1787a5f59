/* db-tasks-read.c: reading stored draws back: their header, the task list for
 * the offices, and verification by re-running the draw from what is stored. */
#include "db/db-tasks.h"

#include "db/db-conn.h"
#include "scheduler/sched-draw-parse.h"

#include <string.h>

static char *
int_text (gint64 v)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, v);
}

DbDrawInfo *
db_tasks_draw_get (PGconn *conn, const char *district, int year, int month, int draw_no,
                   GError **error)
{
  g_autofree char *y = int_text (year), *m = int_text (month),
                  *no = draw_no > 0 ? int_text (draw_no) : NULL;
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT draw_no, plan_version, seed, algorithm, input_digest, output_digest, status, "
      "tasks, shortfall, to_char (created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
      "created_by FROM draw WHERE district = $1 AND year = $2 AND month = $3 AND (CASE WHEN "
      "$4::int IS NULL THEN status = 'current' ELSE draw_no = $4::int END)",
      DB_ARGS (district, y, m, no), error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      if (no != NULL)
        g_set_error (error, DB_TASKS_ERROR, DB_TASKS_ERROR_NOT_FOUND,
                     "%d-%02d has no draw number %d", year, month, draw_no);
      else
        g_set_error (error, DB_TASKS_ERROR, DB_TASKS_ERROR_NOT_FOUND,
                     "%d-%02d has not been drawn; draw it with `spotcheck tasks generate "
                     "--month %d-%02d`",
                     year, month, year, month);
      return NULL;
    }
  DbDrawInfo *info = g_new0 (DbDrawInfo, 1);
  info->year = year;
  info->month = month;
  info->draw_no = (int)g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  info->plan_version = (int)g_ascii_strtoll (PQgetvalue (res, 0, 1), NULL, 10);
  info->seed = g_ascii_strtoull (PQgetvalue (res, 0, 2), NULL, 10);
  info->algorithm = g_strdup (PQgetvalue (res, 0, 3));
  info->input_digest = g_strdup (PQgetvalue (res, 0, 4));
  info->output_digest = g_strdup (PQgetvalue (res, 0, 5));
  info->status = g_strdup (PQgetvalue (res, 0, 6));
  info->tasks = (int)g_ascii_strtoll (PQgetvalue (res, 0, 7), NULL, 10);
  info->shortfall = (int)g_ascii_strtoll (PQgetvalue (res, 0, 8), NULL, 10);
  info->created_at = g_strdup (PQgetvalue (res, 0, 9));
  info->created_by = g_strdup (PQgetvalue (res, 0, 10));
  return info;
}

char *
db_tasks_draw_text (PGconn *conn, const char *district, const DbDrawInfo *info, GError **error)
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
  GString *out = g_string_new (NULL);
  g_string_append_printf (
      out,
      "spotcheck-draw/1\nalgorithm\t%s\nmonth\t%04d-%02d\nseed\t%" G_GUINT64_FORMAT
      "\ninput-sha256\t%s\n",
      info->algorithm, info->year, info->month, info->seed, info->input_digest);
  for (int r = 0; r < PQntuples (tasks); r++)
    {
      g_string_append (out, "task");
      for (int c = 0; c < 10; c++)
        g_string_append_printf (out, "\t%s", PQgetvalue (tasks, r, c));
      g_string_append_c (out, '\n');
    }
  for (int r = 0; r < PQntuples (shorts); r++)
    g_string_append_printf (out, "shortfall\t%s\t%s\t%s\t%s\n", PQgetvalue (shorts, r, 0),
                            PQgetvalue (shorts, r, 1), PQgetvalue (shorts, r, 2),
                            PQgetvalue (shorts, r, 3));
  return g_string_free (out, FALSE);
}

static gboolean mismatch (GError **error, const DbDrawInfo *info, const char *fmt, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
mismatch (GError **error, const DbDrawInfo *info, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, DB_TASKS_ERROR, DB_TASKS_ERROR_MISMATCH,
               "draw %d of %d-%02d does NOT verify: %s", info->draw_no, info->year, info->month,
               msg);
  return FALSE;
}

/* The first line where @a and @b differ, for the message. */
static char *
first_difference (const char *a, const char *b)
{
  g_auto (GStrv) la = g_strsplit (a, "\n", -1), lb = g_strsplit (b, "\n", -1);
  for (guint i = 0;; i++)
    {
      if (la[i] == NULL || lb[i] == NULL || strcmp (la[i], lb[i]) != 0)
        return g_strdup_printf ("line %u: stored \"%s\", re-run \"%s\"", i + 1,
                                la[i] ? la[i] : "(end)", lb[i] ? lb[i] : "(end)");
    }
}

gboolean
db_tasks_verify (PGconn *conn, const char *district, const CoreCalendar *calendar, int year,
                 int month, int draw_no, DbDrawInfo **info_out, GError **error)
{
  g_autoptr (DbDrawInfo) info = db_tasks_draw_get (conn, district, year, month, draw_no, error);
  if (info == NULL)
    return FALSE;
  g_autofree char *y = int_text (year), *m = int_text (month), *no = int_text (info->draw_no);
  g_autofree char *text = db_scalar (conn,
                                     "SELECT input_text FROM draw WHERE district = $1 AND year "
                                     "= $2 AND month = $3 AND draw_no = $4",
                                     DB_ARGS (district, y, m, no), error);
  if (text == NULL)
    return FALSE;
  if (strcmp (info->algorithm, SCHED_DRAW_ALGORITHM) != 0)
    return mismatch (error, info, "it was made by \"%s\" and this program runs \"%s\"",
                     info->algorithm, SCHED_DRAW_ALGORITHM);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  if (strcmp (digest, info->input_digest) != 0)
    return mismatch (error, info, "the stored input text has SHA-256 %s, not the recorded %s",
                     digest, info->input_digest);
  g_autoptr (GError) local = NULL;
  g_autoptr (SchedDrawInput) in = sched_draw_input_parse (text, info->seed, calendar, &local);
  if (in == NULL)
    return mismatch (error, info, "%s", local->message);
  g_autofree char *again = sched_draw_input_serialize (in, &local);
  if (again == NULL || strcmp (again, text) != 0)
    return mismatch (error, info, "the stored input text is not in canonical form");
  g_autoptr (SchedDraw) rerun = sched_draw_run (in, &local);
  if (rerun == NULL)
    return mismatch (error, info, "the re-run failed: %s", local->message);
  g_autofree char *output = sched_draw_serialize (rerun);
  g_autofree char *out_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, output, -1);
  if (strcmp (out_digest, info->output_digest) != 0)
    return mismatch (error, info, "the re-run's output has SHA-256 %s, not the recorded %s",
                     out_digest, info->output_digest);
  g_autofree char *stored = db_tasks_draw_text (conn, district, info, error);
  if (stored == NULL)
    return FALSE;
  if (strcmp (stored, output) != 0)
    {
      g_autofree char *where = first_difference (stored, output);
      return mismatch (error, info, "the stored tasks differ from the re-run at %s", where);
    }
  if (info_out != NULL)
    *info_out = g_steal_pointer (&info);
  return TRUE;
}

PGresult *
db_tasks_list (PGconn *conn, const char *district, int year, int month, const char *office,
               GError **error)
{
  g_autofree char *y = int_text (year), *m = int_text (month);
  return db_exec (
      conn,
      "SELECT t.office, o.name_zh AS office_name, t.record_no, b.name AS business, t.uscc, "
      "coalesce (b.address, '') AS address, st.name_zh AS street_name, t.category, c.name_zh AS "
      "category_name, t.grade, i1.name AS inspector1, i2.name AS inspector2, t.lab, l.name AS "
      "lab_name, to_char (t.due_date, 'YYYY-MM-DD') AS due_date, t.status "
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
      "t.status <> 'cancelled' AND ($4::text IS NULL OR t.office = $4) "
      "ORDER BY t.office, t.serial",
      DB_ARGS (district, y, m, office), error);
}
