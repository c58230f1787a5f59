/* db-report.c: the progress and nonconformity queries, and the one entry
 * point that runs any report query. Each is one statement over the
 * district's rows (every table is keyed by district first, so the indexes
 * keep a district's report to its own rows). */
#include "db/db-report-private.h"

#include "db/db-conn.h"

/* The year's live tasks of the district (or office), with what happened to
 * each: sampled, reported (a current lab report), failed (it governs
 * 'fail'), and the kind of draw it came from. Periods filter on month. */
#define TF                                                                                         \
  ", tf AS (SELECT t.month, t.category, t.grade, t.street, t.uscc, t.record_no, d.kind, "          \
  "  t.status = 'sampled' AS sampled, r.record_no IS NOT NULL AS reported, "                       \
  "  coalesce (r.governing = 'fail', false) AS failed, r.lab, r.report_no, r.version "             \
  "  FROM task t JOIN draw d USING (district, year, month, draw_no) "                              \
  "  LEFT JOIN lab_report r ON r.district = t.district AND r.record_no = t.record_no "             \
  "    AND r.current AND t.status = 'sampled', p "                                                 \
  "  WHERE t.district = p.d AND t.year = p.y AND t.status <> 'cancelled' "                         \
  "    AND (p.office IS NULL OR t.office = p.office)) "

/* The cells of the year's approved plan. */
#define PC                                                                                         \
  ", pc AS (SELECT c.month, c.category, c.grade, c.quota FROM plan_cell c "                        \
  "  JOIN plan pl USING (district, year, version), p "                                             \
  "  WHERE pl.district = p.d AND pl.year = p.y AND pl.status = 'approved') "

/* The five counts of a group of tf rows in the period. */
#define COUNTS                                                                                     \
  "count (*) AS drawn, count (*) FILTER (WHERE sampled) AS sampled, "                              \
  "count (*) FILTER (WHERE reported) AS reported, count (*) FILTER (WHERE failed) AS nc "

#define IN_PERIOD " tf.month BETWEEN p.m1 AND p.m2 "

static const char PROGRESS_MONTHS[] = DB_REPORT_P TF PC
    ", planned AS (SELECT month, sum (quota) AS n FROM pc GROUP BY 1), "
    "done AS (SELECT month, " COUNTS ", count (*) FILTER (WHERE kind = 'emergency') AS emergency, "
    "  count (*) FILTER (WHERE sampled AND kind = 'routine') AS routine_done FROM tf GROUP BY 1), "
    "m AS (SELECT g AS month, coalesce (pl.n, 0) AS planned, coalesce (d.drawn, 0) AS drawn, "
    "  coalesce (d.sampled, 0) AS sampled, coalesce (d.reported, 0) AS reported, "
    "  coalesce (d.nc, 0) AS nc, coalesce (d.emergency, 0) AS emergency, "
    "  sum (coalesce (pl.n, 0)) OVER w AS cum_planned, "
    "  sum (coalesce (d.routine_done, 0)) OVER w AS cum_done "
    "  FROM generate_series (1, 12) AS g LEFT JOIN planned pl ON pl.month = g "
    "  LEFT JOIN done d ON d.month = g WINDOW w AS (ORDER BY g)) "
    "SELECT to_char (make_date (p.y, m.month, 1), 'YYYY-MM'), "
    "  CASE WHEN p.office IS NULL THEN m.planned END, m.drawn, m.sampled, m.reported, m.nc, "
    "  m.emergency, CASE WHEN p.office IS NULL THEN m.cum_planned END, m.cum_done, "
    "  CASE WHEN p.office IS NULL THEN m.cum_planned - m.cum_done END, "
    "  CASE WHEN p.office IS NULL THEN (make_date (p.y, m.month, 1) + interval '1 month')::date "
    "    <= p.today AND m.cum_done < m.cum_planned END "
    "FROM m, p WHERE m.month BETWEEN p.m1 AND p.m2 ORDER BY m.month";

static const char PROGRESS_CATEGORIES[] = DB_REPORT_P TF PC
    ", planned AS (SELECT category, sum (quota) AS n FROM pc, p "
    "  WHERE pc.month BETWEEN p.m1 AND p.m2 GROUP BY 1), "
    "done AS (SELECT category, " COUNTS " FROM tf, p WHERE" IN_PERIOD "GROUP BY 1) "
    "SELECT c.code, CASE WHEN p.lang = 'zh' THEN c.name_zh ELSE c.name_en END, "
    "  CASE WHEN p.office IS NULL THEN coalesce (pl.n, 0) END, coalesce (d.drawn, 0), "
    "  coalesce (d.sampled, 0), coalesce (d.reported, 0), coalesce (d.nc, 0) "
    "FROM category c CROSS JOIN p LEFT JOIN planned pl ON pl.category = c.code "
    "LEFT JOIN done d ON d.category = c.code "
    "WHERE (p.office IS NULL AND coalesce (pl.n, 0) > 0) OR d.drawn > 0 ORDER BY c.code";

static const char PROGRESS_GRADES[] = DB_REPORT_P TF PC
    ", planned AS (SELECT grade, sum (quota) AS n FROM pc, p "
    "  WHERE pc.month BETWEEN p.m1 AND p.m2 GROUP BY 1), "
    "done AS (SELECT grade, " COUNTS " FROM tf, p WHERE" IN_PERIOD "GROUP BY 1) "
    "SELECT g.grade, CASE WHEN p.office IS NULL THEN coalesce (pl.n, 0) END, "
    "  coalesce (d.drawn, 0), coalesce (d.sampled, 0), coalesce (d.reported, 0), "
    "  coalesce (d.nc, 0) "
    "FROM (VALUES ('A'), ('B'), ('C'), ('D')) AS g (grade) CROSS JOIN p "
    "LEFT JOIN planned pl ON pl.grade = g.grade LEFT JOIN done d ON d.grade = g.grade "
    "ORDER BY g.grade";

static const char PROGRESS_STREETS[] = DB_REPORT_P TF
    ", done AS (SELECT street, " COUNTS " FROM tf, p WHERE" IN_PERIOD "GROUP BY 1) "
    "SELECT s.code, CASE WHEN p.lang = 'zh' THEN s.name_zh ELSE s.name_en END, "
    "  CASE WHEN p.lang = 'zh' THEN o.name_zh ELSE o.name_en END, coalesce (d.drawn, 0), "
    "  coalesce (d.sampled, 0), coalesce (d.reported, 0), coalesce (d.nc, 0) "
    "FROM street s JOIN p ON s.district = p.d "
    "LEFT JOIN office o ON o.district = s.district AND o.code = s.office "
    "LEFT JOIN done d ON d.street = s.code "
    "WHERE p.office IS NULL OR s.office = p.office OR d.drawn > 0 ORDER BY s.code";

static const char PROGRESS_RESERVE[] = DB_REPORT_P TF
    ", dr AS (SELECT draw.month, draw.tasks FROM draw, p WHERE draw.district = p.d "
    "  AND draw.year = p.y AND draw.kind = 'emergency'), "
    "pl AS (SELECT reserve FROM plan, p WHERE plan.district = p.d AND plan.year = p.y "
    "  AND plan.status = 'approved') "
    "SELECT (SELECT count (*) FROM dr, p WHERE dr.month BETWEEN p.m1 AND p.m2), "
    "  (SELECT count (*) FROM tf, p WHERE kind = 'emergency' AND" IN_PERIOD "), "
    "  (SELECT reserve FROM pl), "
    "  (SELECT coalesce (sum (tasks), 0) FROM dr, p WHERE dr.month <= p.m2), "
    "  (SELECT reserve FROM pl) - (SELECT coalesce (sum (tasks), 0) FROM dr, p "
    "    WHERE dr.month <= p.m2)";

#define RATE "round (100.0 * count (*) FILTER (WHERE failed) / nullif (count (*), 0), 2)"

static const char NC_CATEGORIES[] = DB_REPORT_P TF
    "SELECT tf.category, min (CASE WHEN p.lang = 'zh' THEN c.name_zh ELSE c.name_en END), "
    "  count (*), count (*) FILTER (WHERE failed), " RATE " "
    "FROM tf JOIN category c ON c.code = tf.category, p WHERE reported AND" IN_PERIOD
    "GROUP BY ROLLUP (tf.category) ORDER BY tf.category NULLS LAST";

static const char NC_STAGES[] = DB_REPORT_P TF
    "SELECT b.stage, count (*), count (*) FILTER (WHERE failed), " RATE " "
    "FROM p CROSS JOIN tf JOIN business b ON b.district = p.d AND b.uscc = tf.uscc "
    "WHERE reported AND" IN_PERIOD "GROUP BY ROLLUP (b.stage) "
    "ORDER BY array_position (ARRAY['production', 'distribution', 'catering', 'market'], b.stage) "
    "NULLS LAST";

static const char NC_FAILED_ITEMS[] = DB_REPORT_P TF
    "SELECT tf.record_no, ri.item FROM p CROSS JOIN tf JOIN result_item ri ON ri.district = p.d "
    "  AND ri.lab = tf.lab AND ri.report_no = tf.report_no AND ri.version = tf.version "
    "WHERE tf.reported AND ri.governing_verdict = 'fail' AND" IN_PERIOD
    "ORDER BY tf.record_no, ri.line, ri.item";

static const char NC_RATE[]
    = DB_REPORT_P TF "SELECT count (*), count (*) FILTER (WHERE failed), " RATE " FROM tf, p "
                     "WHERE reported AND" IN_PERIOD;

static const char BUSINESSES[] = DB_REPORT_P TF
    ", per AS (SELECT uscc, " COUNTS " FROM tf, p WHERE" IN_PERIOD "GROUP BY 1), "
    "cs AS (SELECT c.uscc, count (*) AS cases, count (*) FILTER (WHERE c.state <> 'closed') AS "
    "open, "
    "  count (*) FILTER (WHERE EXISTS (SELECT 1 FROM case_event e WHERE e.district = c.district "
    "    AND e.case_no = c.case_no AND e.event = 'decide-filed')) AS filed "
    "  FROM nc_case c, p WHERE c.district = p.d AND c.opened_on BETWEEN p.ps AND p.pe "
    "  AND (p.office IS NULL OR c.office = p.office) GROUP BY 1) "
    "SELECT b.uscc, b.name, b.grade, b.stage, coalesce (per.drawn, 0), coalesce (per.sampled, 0), "
    "  coalesce (per.reported, 0), coalesce (per.nc, 0), coalesce (cs.cases, 0), "
    "  coalesce (cs.open, 0), coalesce (cs.filed, 0) "
    "FROM business b JOIN p ON b.district = p.d LEFT JOIN per ON per.uscc = b.uscc "
    "LEFT JOIN cs ON cs.uscc = b.uscc WHERE per.uscc IS NOT NULL OR cs.uscc IS NOT NULL "
    "ORDER BY coalesce (per.nc, 0) DESC, coalesce (cs.cases, 0) DESC, b.uscc";

static const char *
query_sql (DbReportQuery query)
{
  switch (query)
    {
    case DB_REPORT_PROGRESS_MONTHS:
      return PROGRESS_MONTHS;
    case DB_REPORT_PROGRESS_CATEGORIES:
      return PROGRESS_CATEGORIES;
    case DB_REPORT_PROGRESS_GRADES:
      return PROGRESS_GRADES;
    case DB_REPORT_PROGRESS_STREETS:
      return PROGRESS_STREETS;
    case DB_REPORT_PROGRESS_RESERVE:
      return PROGRESS_RESERVE;
    case DB_REPORT_NC_CATEGORIES:
      return NC_CATEGORIES;
    case DB_REPORT_NC_STAGES:
      return NC_STAGES;
    case DB_REPORT_NC_FAILED_ITEMS:
      return NC_FAILED_ITEMS;
    case DB_REPORT_NC_RATE:
      return NC_RATE;
    case DB_REPORT_BUSINESSES:
      return BUSINESSES;
    default:
      return db_report_cases_sql (query);
    }
}

CoreTable *
db_report_table (PGconn *conn, const DbReportScope *scope, DbReportQuery query, const char *key,
                 const char *title, const CoreColumn *columns, guint n_columns, GError **error)
{
  const char *sql = query_sql (query);
  g_return_val_if_fail (sql != NULL, NULL);
  g_autofree char *year = g_strdup_printf ("%d", scope->year);
  g_autofree char *m1 = g_strdup_printf ("%d", scope->first_month);
  g_autofree char *m2 = g_strdup_printf ("%d", scope->last_month);
  g_autoptr (PGresult) res
      = db_exec (conn, sql,
                 DB_ARGS (scope->district, year, m1, m2, scope->office ? scope->office : "",
                          scope->lang, scope->today),
                 error);
  if (res == NULL)
    return NULL;
  return db_result_table (res, key, title, columns, n_columns);
}
