/* db-progress.c: set-based progress figures over plan, tasks, samples, reports, cases. */
#include "db/db-progress.h"

#include "db/db-conn.h"

#include <stdlib.h>
#include <string.h>

gboolean
db_progress_by_month (PGconn *conn, const char *district, int year, DbProgressMonth months[12],
                      GError **error)
{
  g_autofree char *y = g_strdup_printf ("%d", year);
  g_autoptr (PGresult) res = db_exec (
      conn,
      "WITH months AS (SELECT generate_series(1, 12) AS month), "
      "planned AS (SELECT c.month, sum(c.quota) AS n FROM plan_cell c JOIN plan p "
      "  USING (district, year, version) WHERE p.district = $1 AND p.year = $2 "
      "  AND p.status = 'approved' GROUP BY 1), "
      "tasks AS (SELECT t.month, count(*) AS drawn, "
      "  count(*) FILTER (WHERE t.status = 'sampled') AS sampled, "
      "  count(r.record_no) AS reported, "
      "  count(r.record_no) FILTER (WHERE r.governing = 'fail') AS nonconforming, "
      "  count(k.record_no) AS cases "
      "  FROM task t "
      "  LEFT JOIN lab_report r ON r.district = t.district AND r.record_no = t.record_no "
      "    AND r.current AND t.status = 'sampled' "
      "  LEFT JOIN nc_case k ON k.district = t.district AND k.record_no = t.record_no "
      "    AND t.status = 'sampled' "
      "  WHERE t.district = $1 AND t.year = $2 AND t.status <> 'cancelled' GROUP BY 1) "
      "SELECT m.month, coalesce(p.n, 0), coalesce(t.drawn, 0), coalesce(t.sampled, 0), "
      "  coalesce(t.reported, 0), coalesce(t.nonconforming, 0), coalesce(t.cases, 0) "
      "FROM months m LEFT JOIN planned p USING (month) LEFT JOIN tasks t USING (month) "
      "ORDER BY m.month",
      DB_ARGS (district, y), error);
  if (res == NULL)
    return FALSE;
  memset (months, 0, 12 * sizeof *months);
  for (int r = 0; r < PQntuples (res) && r < 12; r++)
    {
      DbProgressMonth *m = &months[r];
      gint64 *figures[]
          = { &m->planned, &m->drawn, &m->sampled, &m->reported, &m->nonconforming, &m->cases };
      m->month = atoi (PQgetvalue (res, r, 0));
      for (gsize f = 0; f < G_N_ELEMENTS (figures); f++)
        *figures[f] = g_ascii_strtoll (PQgetvalue (res, r, (int)f + 1), NULL, 10);
    }
  return TRUE;
}

/* The tables counted, in the order the query returns them. */
static const char *const counted[] = {
  "street", "office", "category", "business",   "inspector",   "lab",     "plan",
  "draw",   "task",   "sample",   "lab_report", "result_item", "nc_case", "audit_log",
};

GArray *
db_progress_table_counts (PGconn *conn, const char *district, GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT 'street', count(*) FROM street WHERE district = $1 "
                 "UNION ALL SELECT 'office', count(*) FROM office WHERE district = $1 "
                 "UNION ALL SELECT 'category', count(*) FROM category "
                 "UNION ALL SELECT 'business', count(*) FROM business WHERE district = $1 "
                 "UNION ALL SELECT 'inspector', count(*) FROM inspector WHERE district = $1 "
                 "UNION ALL SELECT 'lab', count(*) FROM lab WHERE district = $1 "
                 "UNION ALL SELECT 'plan', count(*) FROM plan WHERE district = $1 "
                 "UNION ALL SELECT 'draw', count(*) FROM draw WHERE district = $1 "
                 "UNION ALL SELECT 'task', count(*) FROM task WHERE district = $1 "
                 "UNION ALL SELECT 'sample', count(*) FROM sample WHERE district = $1 "
                 "UNION ALL SELECT 'lab_report', count(*) FROM lab_report WHERE district = $1 "
                 "UNION ALL SELECT 'result_item', count(*) FROM result_item WHERE district = $1 "
                 "UNION ALL SELECT 'nc_case', count(*) FROM nc_case WHERE district = $1 "
                 "UNION ALL SELECT 'audit_log', count(*) FROM audit_log WHERE district = $1",
                 DB_ARGS (district), error);
  if (res == NULL)
    return NULL;
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (DbTableCount), G_N_ELEMENTS (counted));
  for (int r = 0; r < PQntuples (res) && r < (int)G_N_ELEMENTS (counted); r++)
    {
      g_warn_if_fail (strcmp (PQgetvalue (res, r, 0), counted[r]) == 0);
      DbTableCount count = { counted[r], g_ascii_strtoll (PQgetvalue (res, r, 1), NULL, 10) };
      g_array_append_val (out, count);
    }
  return out;
}
