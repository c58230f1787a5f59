/* db-plan.c: plan versions and cells in PostgreSQL. */
#include "db/db-plan.h"

#include "core/core-catalog.h"
#include "db/db-conn.h"

#include <stdlib.h>
#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (spotcheck - db - plan - error - quark, db_plan_error)

static const char grade_letters[] = CORE_GRADES;

void
db_plan_info_free (DbPlanInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->status);
  g_free (info->digest);
  g_free (info->created_at);
  g_free (info->created_by);
  g_free (info->approved_at);
  g_free (info->approved_by);
  g_free (info->config_snapshot);
  g_free (info->grade_counts);
  g_free (info);
}

void
db_plan_cells_free (DbPlanCells *cells)
{
  if (cells == NULL)
    return;
  g_strfreev (cells->category_codes);
  g_free (cells->cells);
  g_free (cells->ideal);
  g_free (cells);
}

SchedGradeCounts *
db_plan_registry_counts (PGconn *conn, const char *district, char **as_text, GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT bc.category, b.grade, count(*) FROM business b "
                 "JOIN business_category bc ON bc.district = b.district AND bc.uscc = b.uscc "
                 "WHERE b.district = $1 AND b.active GROUP BY 1, 2 ORDER BY 1, 2",
                 DB_ARGS (district), error);
  if (as_text)
    *as_text = NULL;
  if (res == NULL || PQntuples (res) == 0)
    return NULL;
  g_autoptr (SchedGradeCounts) counts = sched_grade_counts_new ();
  g_autoptr (GString) text = g_string_new (NULL);
  const char *last = "";
  for (int r = 0; r < PQntuples (res); r++)
    {
      const char *cat = PQgetvalue (res, r, 0);
      char grade = PQgetvalue (res, r, 1)[0];
      gint64 n = g_ascii_strtoll (PQgetvalue (res, r, 2), NULL, 10);
      sched_grade_counts_set (counts, cat, (guint)(strchr (grade_letters, grade) - grade_letters),
                              n);
      if (strcmp (cat, last) != 0)
        g_string_append_printf (text, "%s%s:", text->len ? ";" : "", cat);
      else
        g_string_append_c (text, ',');
      g_string_append_printf (text, "%c=%" G_GINT64_FORMAT, grade, n);
      last = cat;
    }
  if (as_text)
    *as_text = g_string_free (g_steal_pointer (&text), FALSE);
  return g_steal_pointer (&counts);
}

SchedGradeCounts *
db_plan_counts_parse (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;
  SchedGradeCounts *counts = sched_grade_counts_new ();
  g_auto (GStrv) cats = g_strsplit (text, ";", -1);
  for (char **c = cats; *c != NULL; c++)
    {
      g_auto (GStrv) parts = g_strsplit (*c, ":", 2);
      if (parts[0] == NULL || parts[1] == NULL)
        continue;
      g_auto (GStrv) grades = g_strsplit (parts[1], ",", -1);
      for (char **g = grades; *g != NULL; g++)
        {
          const char *letter = strchr (grade_letters, (*g)[0]);
          if (letter != NULL && (*g)[0] != '\0' && (*g)[1] == '=')
            sched_grade_counts_set (counts, parts[0], (guint)(letter - grade_letters),
                                    g_ascii_strtoll (*g + 2, NULL, 10));
        }
    }
  return counts;
}

gboolean
db_plan_lock (PGconn *conn, const char *district, int year, GError **error)
{
  g_autofree char *key = g_strdup_printf ("%s:%d", district, year);
  return db_advisory_xact_lock (conn, "plan", key, error);
}

typedef struct
{
  const SchedPlan *plan;
  const char *district, *year, *version;
  gsize next; /* the next cell to send */
} CellRows;

/* Sends the cells a month at a time. */
static gboolean
cell_rows (GString *buf, gpointer data, GError **error)
{
  CellRows *r = data;
  const SchedPlan *plan = r->plan;
  gsize n = (gsize)plan->n_months * plan->n_categories * plan->n_grades;
  gsize per_month = (gsize)plan->n_categories * plan->n_grades;
  for (gsize end = MIN (n, r->next + per_month); r->next < end; r->next++)
    {
      gsize i = r->next;
      guint g = (guint)(i % plan->n_grades), c = (guint)(i / plan->n_grades % plan->n_categories);
      guint m = (guint)(i / per_month);
      char month[8], quota[24], ideal[G_ASCII_DTOSTR_BUF_SIZE], grade[2] = { grade_letters[g] };
      g_snprintf (month, sizeof month, "%u", m + 1);
      g_snprintf (quota, sizeof quota, "%" G_GINT64_FORMAT, plan->cells[i]);
      g_ascii_dtostr (ideal, sizeof ideal, plan->ideal[i]);
      db_copy_field (buf, r->district, '\t');
      db_copy_field (buf, r->year, '\t');
      db_copy_field (buf, r->version, '\t');
      db_copy_field (buf, month, '\t');
      db_copy_field (buf, plan->category_codes[c], '\t');
      db_copy_field (buf, grade, '\t');
      db_copy_field (buf, quota, '\t');
      db_copy_field (buf, ideal, '\n');
    }
  return r->next < n;
}

gboolean
db_plan_insert (PGconn *conn, const char *district, const SchedPlan *plan,
                const char *config_snapshot, const char *grade_counts, int based_on,
                const char *actor, int *version, GError **error)
{
  g_autofree char *year = g_strdup_printf ("%d", plan->year);
  g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, plan->total);
  g_autofree char *reserve = g_strdup_printf ("%" G_GINT64_FORMAT, plan->reserve);
  g_autofree char *from = g_strdup_printf ("%d", plan->from_month);
  g_autofree char *base = based_on > 0 ? g_strdup_printf ("%d", based_on) : NULL;
  char maxdev[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_dtostr (maxdev, sizeof maxdev, plan->max_deviation);
  g_autofree char *csv = sched_plan_to_csv (plan);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, csv, -1);

  g_autofree char *next = db_scalar (
      conn, "SELECT coalesce(max(version), 0) + 1 FROM plan WHERE district = $1 AND year = $2",
      DB_ARGS (district, year), error);
  if (next == NULL
      || !db_run (conn,
                  "INSERT INTO plan (district, year, version, total, reserve, from_month, "
                  "based_on, within_one, max_deviation, config_snapshot, grade_counts, digest, "
                  "created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                  DB_ARGS (district, year, next, total, reserve, from, base,
                           plan->within_one ? "true" : "false", maxdev, config_snapshot,
                           grade_counts, digest, actor),
                  error))
    return FALSE;
  CellRows rows = { plan, district, year, next, 0 };
  if (!db_copy_rows (conn,
                     "COPY plan_cell (district, year, version, month, category, grade, quota, "
                     "ideal) FROM STDIN",
                     cell_rows, &rows, error))
    return FALSE;
  g_autofree char *subject = g_strdup_printf ("plan %s v%s", year, next);
  g_autofree char *detail
      = g_strdup_printf ("{\"digest\": \"%s\", \"based_on\": %s}", digest, base ? base : "null");
  if (!db_audit (conn, district, actor, "plan.generate", subject, detail, error))
    return FALSE;
  *version = atoi (next);
  return TRUE;
}

#define INFO_COLUMNS                                                                               \
  "year, version, status, total, reserve, from_month, coalesce(based_on, 0), within_one, "         \
  "max_deviation, digest, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS'), created_by, "              \
  "to_char(approved_at, 'YYYY-MM-DD HH24:MI:SS'), approved_by, config_snapshot, grade_counts"

static DbPlanInfo *
info_from_row (const PGresult *res, int r)
{
  DbPlanInfo *info = g_new0 (DbPlanInfo, 1);
  info->year = atoi (PQgetvalue (res, r, 0));
  info->version = atoi (PQgetvalue (res, r, 1));
  info->status = g_strdup (PQgetvalue (res, r, 2));
  info->total = g_ascii_strtoll (PQgetvalue (res, r, 3), NULL, 10);
  info->reserve = g_ascii_strtoll (PQgetvalue (res, r, 4), NULL, 10);
  info->from_month = atoi (PQgetvalue (res, r, 5));
  info->based_on = atoi (PQgetvalue (res, r, 6));
  info->within_one = PQgetvalue (res, r, 7)[0] == 't';
  info->max_deviation = g_ascii_strtod (PQgetvalue (res, r, 8), NULL);
  info->digest = g_strdup (PQgetvalue (res, r, 9));
  info->created_at = g_strdup (PQgetvalue (res, r, 10));
  info->created_by = g_strdup (PQgetvalue (res, r, 11));
  info->approved_at = PQgetisnull (res, r, 12) ? NULL : g_strdup (PQgetvalue (res, r, 12));
  info->approved_by = PQgetisnull (res, r, 13) ? NULL : g_strdup (PQgetvalue (res, r, 13));
  info->config_snapshot = g_strdup (PQgetvalue (res, r, 14));
  info->grade_counts = PQgetisnull (res, r, 15) ? NULL : g_strdup (PQgetvalue (res, r, 15));
  return info;
}

GPtrArray *
db_plan_list (PGconn *conn, const char *district, int year, GError **error)
{
  g_autofree char *y = g_strdup_printf ("%d", year);
  g_autoptr (PGresult) res = db_exec (conn,
                                      "SELECT " INFO_COLUMNS " FROM plan WHERE district = $1 "
                                      "AND ($2::int = 0 OR year = $2::int) ORDER BY year, version",
                                      DB_ARGS (district, y), error);
  if (res == NULL)
    return NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)db_plan_info_free);
  for (int r = 0; r < PQntuples (res); r++)
    g_ptr_array_add (out, info_from_row (res, r));
  return out;
}

DbPlanInfo *
db_plan_get (PGconn *conn, const char *district, int year, int version, GError **error)
{
  g_autofree char *y = g_strdup_printf ("%d", year);
  g_autofree char *v = g_strdup_printf ("%d", version);
  /* Version 0: the approved one if there is one, else the newest. */
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT " INFO_COLUMNS " FROM plan WHERE district = $1 AND year = $2 "
                 "AND ($3::int = 0 OR version = $3::int) "
                 "ORDER BY (status = 'approved') DESC, version DESC LIMIT 1",
                 DB_ARGS (district, y, v), error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      if (version == 0)
        g_set_error (error, DB_PLAN_ERROR, DB_PLAN_ERROR_NOT_FOUND,
                     _ ("district %s has no plan for %d"), district, year);
      else
        g_set_error (error, DB_PLAN_ERROR, DB_PLAN_ERROR_NO_VERSION,
                     _ ("district %s has no plan version %d for %d"), district, version, year);
      return NULL;
    }
  return info_from_row (res, 0);
}

DbPlanCells *
db_plan_cells (PGconn *conn, const char *district, int year, int version, GError **error)
{
  g_autofree char *y = g_strdup_printf ("%d", year);
  g_autofree char *v = g_strdup_printf ("%d", version);
  g_autoptr (PGresult) cats = db_exec (conn,
                                       "SELECT DISTINCT category FROM plan_cell WHERE district = "
                                       "$1 AND year = $2 AND version = $3 ORDER BY 1",
                                       DB_ARGS (district, y, v), error);
  if (cats == NULL)
    return NULL;
  g_autoptr (DbPlanCells) out = g_new0 (DbPlanCells, 1);
  out->n_months = 12;
  out->n_grades = 4;
  out->n_categories = (guint)PQntuples (cats);
  out->category_codes = g_new0 (char *, out->n_categories + 1);
  for (guint c = 0; c < out->n_categories; c++)
    out->category_codes[c] = g_strdup (PQgetvalue (cats, (int)c, 0));
  gsize n = (gsize)out->n_months * out->n_categories * out->n_grades;
  out->cells = g_new0 (gint64, n);
  out->ideal = g_new0 (double, n);
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT month, category, grade, quota, ideal FROM plan_cell WHERE district = $1 AND "
      "year = $2 AND version = $3 ORDER BY category, month, grade",
      DB_ARGS (district, y, v), error);
  if (res == NULL)
    return NULL;
  guint c = 0;
  for (int r = 0; r < PQntuples (res); r++)
    {
      while (strcmp (out->category_codes[c], PQgetvalue (res, r, 1)) != 0)
        c++;
      guint m = (guint)atoi (PQgetvalue (res, r, 0)) - 1;
      guint g = (guint)(strchr (grade_letters, PQgetvalue (res, r, 2)[0]) - grade_letters);
      gsize i = ((gsize)m * out->n_categories + c) * out->n_grades + g;
      out->cells[i] = g_ascii_strtoll (PQgetvalue (res, r, 3), NULL, 10);
      out->ideal[i] = g_ascii_strtod (PQgetvalue (res, r, 4), NULL);
    }
  return g_steal_pointer (&out);
}

gboolean
db_plan_approve (PGconn *conn, const char *district, int year, int version, gboolean supersede,
                 const char *actor, GError **error)
{
  g_autoptr (DbPlanInfo) info = db_plan_get (conn, district, year, version, error);
  if (info == NULL)
    return FALSE;
  if (strcmp (info->status, "draft") != 0)
    {
      g_set_error (error, DB_PLAN_ERROR, DB_PLAN_ERROR_NOT_DRAFT,
                   _ ("plan %d version %d is %s already; only a draft can be approved"), year,
                   version, info->status);
      return FALSE;
    }
  g_autofree char *y = g_strdup_printf ("%d", year);
  g_autofree char *v = g_strdup_printf ("%d", version);
  g_autofree char *approved
      = db_scalar (conn,
                   "SELECT coalesce(max(version), 0) FROM plan WHERE district = $1 AND year = $2 "
                   "AND status = 'approved'",
                   DB_ARGS (district, y), error);
  if (approved == NULL)
    return FALSE;
  if (atoi (approved) != 0)
    {
      if (!supersede)
        {
          g_set_error (error, DB_PLAN_ERROR, DB_PLAN_ERROR_ALREADY_APPROVED,
                       _ ("plan %d version %s is already approved, and only one version a year can "
                          "be; version %d was not approved"),
                       year, approved, version);
          return FALSE;
        }
      if (!db_run (conn,
                   "UPDATE plan SET status = 'superseded' WHERE district = $1 AND year = $2 AND "
                   "status = 'approved'",
                   DB_ARGS (district, y), error))
        return FALSE;
    }
  g_autofree char *subject = g_strdup_printf ("plan %d v%d", year, version);
  g_autofree char *detail
      = g_strdup_printf ("{\"superseded\": %s}", atoi (approved) ? approved : "null");
  return db_run (conn,
                 "UPDATE plan SET status = 'approved', approved_at = now(), approved_by = $4 "
                 "WHERE district = $1 AND year = $2 AND version = $3",
                 DB_ARGS (district, y, v, actor), error)
         && db_audit (conn, district, actor, "plan.approve", subject, detail, error);
}

gboolean
db_plan_done_cells (PGconn *conn, const char *district, int year, int from_month,
                    const char *const *codes, guint n_grades, gint64 *done, GError **error)
{
  g_autofree char *y = g_strdup_printf ("%d", year);
  g_autofree char *f = g_strdup_printf ("%d", from_month);
  guint nc = g_strv_length ((char **)codes);
  memset (done, 0, sizeof (gint64) * 12 * nc * n_grades);
  /* Done means sampled: a task of a current draw with a sample recorded. */
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT t.month, t.category, t.grade, count(*) FROM task t "
                 "JOIN sample s ON s.district = t.district AND s.record_no = t.record_no "
                 "WHERE t.district = $1 AND t.year = $2 AND t.month < $3 AND t.status = 'sampled' "
                 "GROUP BY 1, 2, 3",
                 DB_ARGS (district, y, f), error);
  if (res == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (res); r++)
    {
      guint m = (guint)atoi (PQgetvalue (res, r, 0)) - 1;
      const char *cat = PQgetvalue (res, r, 1);
      const char *letter = strchr (grade_letters, PQgetvalue (res, r, 2)[0]);
      for (guint c = 0; c < nc; c++)
        if (strcmp (codes[c], cat) == 0 && letter != NULL)
          done[((gsize)m * nc + c) * n_grades + (guint)(letter - grade_letters)]
              = g_ascii_strtoll (PQgetvalue (res, r, 3), NULL, 10);
    }
  return TRUE;
}
