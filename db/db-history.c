/* db-history.c: a business's samples, nonconformities and cases, and a year's
 * record of every business, read from the tables the other stores write. */
#include "db/db-history.h"

#include "db/db-conn.h"
#include "core/core-i18n.h"

#include <stdlib.h>

/* The current reports with the verdict that governs each: a review
 * resolution's, else the stored stricter one (migration 0014). */
#define GOVERNED_REPORTS                                                                           \
  "(SELECT r.*, coalesce(v.verdict, r.governing) AS verdict, v.verdict AS resolved "               \
  "FROM lab_report r LEFT JOIN review_resolution v ON v.district = r.district "                    \
  "AND v.lab = r.lab AND v.report_no = r.report_no AND v.version = r.version "                     \
  "WHERE r.district = $1 AND r.current)"

/* Samples with their live task (the business) and their current report. */
#define SAMPLES_OF                                                                                 \
  "FROM sample m JOIN task t ON t.district = m.district AND t.record_no = m.record_no "            \
  "AND t.status <> 'cancelled' LEFT JOIN " GOVERNED_REPORTS " g ON g.record_no = m.record_no "

static const CoreColumn SAMPLE_COLUMNS[] = {
  { "record_no", N_ ("sample"), CORE_CELL_TEXT },
  { "sampling_date", N_ ("sampling date"), CORE_CELL_DATE },
  { "category", N_ ("category"), CORE_CELL_TEXT },
  { "category_name", N_ ("category name"), CORE_CELL_TEXT },
  { "product", N_ ("product"), CORE_CELL_TEXT },
  { "lab", N_ ("lab"), CORE_CELL_TEXT },
  { "report_no", N_ ("report"), CORE_CELL_TEXT },
  { "verdict", N_ ("verdict"), CORE_CELL_TEXT },
};

CoreTable *
db_history_samples (PGconn *conn, const char *district, const char *uscc, GError **error)
{
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT m.record_no, m.sampling_date, t.category, c.name_zh, m.sample_name, "
      "g.lab, g.report_no, g.verdict " SAMPLES_OF "JOIN category c ON c.code = t.category "
      "WHERE m.district = $1 AND t.uscc = $2 ORDER BY m.sampling_date, m.record_no",
      DB_ARGS (district, uscc), error);
  return res ? db_result_table (res, "samples", _ ("samples"), SAMPLE_COLUMNS,
                                G_N_ELEMENTS (SAMPLE_COLUMNS))
             : NULL;
}

static const CoreColumn NC_COLUMNS[] = {
  { "record_no", N_ ("sample"), CORE_CELL_TEXT },
  { "sampling_date", N_ ("sampling date"), CORE_CELL_DATE },
  { "lab", N_ ("lab"), CORE_CELL_TEXT },
  { "report_no", N_ ("report"), CORE_CELL_TEXT },
  { "item", N_ ("failed item"), CORE_CELL_TEXT },
  { "value", N_ ("result"), CORE_CELL_TEXT },
  { "unit", N_ ("unit"), CORE_CELL_TEXT },
  { "limit", N_ ("limit"), CORE_CELL_TEXT },
  { "verdict", N_ ("item verdict"), CORE_CELL_TEXT },
};

CoreTable *
db_history_nonconformities (PGconn *conn, const char *district, const char *uscc, GError **error)
{
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT m.record_no, m.sampling_date, g.lab, g.report_no, i.item, i.value_text, i.unit, "
      "i.limit_text, i.governing_verdict " SAMPLES_OF
      "JOIN result_item i ON i.district = g.district AND i.lab = g.lab "
      "AND i.report_no = g.report_no AND i.version = g.version "
      "WHERE m.district = $1 AND t.uscc = $2 AND g.verdict = 'fail' "
      "AND (i.governing_verdict = 'fail' OR (g.resolved = 'fail' AND i.review)) "
      "ORDER BY m.sampling_date, m.record_no, i.line",
      DB_ARGS (district, uscc), error);
  return res ? db_result_table (res, "nonconformities", _ ("nonconforming items"), NC_COLUMNS,
                                G_N_ELEMENTS (NC_COLUMNS))
             : NULL;
}

static const CoreColumn CASE_COLUMNS[] = {
  { "case_no", N_ ("case number"), CORE_CELL_TEXT },
  { "source", N_ ("source"), CORE_CELL_TEXT },
  { "state", N_ ("state"), CORE_CELL_TEXT },
  { "product", N_ ("product"), CORE_CELL_TEXT },
  { "failed_items", N_ ("failed items"), CORE_CELL_TEXT },
  { "opened_on", N_ ("opened"), CORE_CELL_DATE },
  { "closed_on", N_ ("closed"), CORE_CELL_DATE },
  { "outcome", N_ ("outcome"), CORE_CELL_TEXT },
  { "filed", N_ ("filed"), CORE_CELL_BOOL },
};

CoreTable *
db_history_cases (PGconn *conn, const char *district, const char *uscc, const char *filed_step,
                  GError **error)
{
  /* A step's fields are JSON in the event's detail ({"fields": {...}});
   * the events the system writes carry prose, which never starts with "{". */
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT c.case_no, c.source, c.state, c.product, array_to_string(c.failed_items, '; '), "
      "c.opened_on, c.closed_on, CASE WHEN c.state = 'closed' THEN (SELECT CASE WHEN "
      "e.detail LIKE '{%' THEN coalesce(e.detail::jsonb #>> '{fields,outcome}', e.event) "
      "ELSE e.event END FROM case_event e WHERE e.district = c.district "
      "AND e.case_no = c.case_no AND e.to_state = 'closed' ORDER BY e.id DESC LIMIT 1) END, "
      "EXISTS (SELECT 1 FROM case_event e WHERE e.district = c.district "
      "AND e.case_no = c.case_no AND e.event = $3) "
      "FROM nc_case c WHERE c.district = $1 AND c.uscc = $2 ORDER BY c.opened_on, c.case_no",
      DB_ARGS (district, uscc, filed_step), error);
  return res ? db_result_table (res, "cases", _ ("cases"), CASE_COLUMNS,
                                G_N_ELEMENTS (CASE_COLUMNS))
             : NULL;
}

void
db_history_year_free (DbHistoryYear *row)
{
  if (row == NULL)
    return;
  g_free (row->uscc);
  g_free (row->name);
  g_free (row->what);
  g_free (row->filed_cases);
  g_free (row);
}

static const char YEAR_SQL[]
    = "WITH nc AS (SELECT t.uscc, m.record_no AS what " SAMPLES_OF
      "WHERE m.district = $1 AND g.verdict = 'fail' "
      "AND m.sampling_date >= make_date($2::int, 1, 1) "
      "AND m.sampling_date < make_date($2::int + 1, 1, 1) "
      "UNION ALL SELECT c.uscc, c.notice_no FROM nc_case c WHERE c.district = $1 "
      "AND $3::boolean AND c.source <> 'district' "
      "AND extract(year FROM coalesce(c.notice_date, c.opened_on)) = $2::int), "
      "filed AS (SELECT DISTINCT c.uscc, c.case_no FROM nc_case c JOIN case_event e "
      "ON e.district = c.district AND e.case_no = c.case_no WHERE c.district = $1 "
      "AND e.event = $4 AND extract(year FROM e.on_date) = $2::int) "
      "SELECT b.uscc, b.name, b.grade, coalesce((SELECT t.grade FROM task t "
      "WHERE t.district = $1 AND t.uscc = b.uscc AND t.year = $2::int "
      "AND t.status <> 'cancelled' ORDER BY t.month, t.draw_no, t.serial LIMIT 1), b.grade), "
      "(SELECT count(*) FROM nc WHERE nc.uscc = b.uscc), "
      "(SELECT string_agg(what, '; ' ORDER BY what) FROM nc WHERE nc.uscc = b.uscc), "
      "(SELECT count(*) FROM filed f WHERE f.uscc = b.uscc), "
      "(SELECT string_agg(case_no, '; ' ORDER BY case_no) FROM filed f WHERE f.uscc = b.uscc) "
      "FROM business b WHERE b.district = $1 AND (b.uscc IN (SELECT uscc FROM nc) "
      "OR b.uscc IN (SELECT uscc FROM filed)) ORDER BY b.uscc";

GPtrArray *
db_history_year (PGconn *conn, const char *district, int year, gboolean referrals,
                 const char *filed_step, GError **error)
{
  char y[16];
  g_snprintf (y, sizeof y, "%d", year);
  g_autoptr (PGresult) res
      = db_exec (conn, YEAR_SQL, DB_ARGS (district, y, referrals ? "t" : "f", filed_step), error);
  if (res == NULL)
    return NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)db_history_year_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      DbHistoryYear *r = g_new0 (DbHistoryYear, 1);
      r->uscc = g_strdup (PQgetvalue (res, i, 0));
      r->name = g_strdup (PQgetvalue (res, i, 1));
      r->grade = PQgetvalue (res, i, 2)[0];
      r->sampled_grade = PQgetvalue (res, i, 3)[0];
      r->nonconformities = (guint)atoi (PQgetvalue (res, i, 4));
      r->what = PQgetisnull (res, i, 5) ? NULL : g_strdup (PQgetvalue (res, i, 5));
      r->filed = (guint)atoi (PQgetvalue (res, i, 6));
      r->filed_cases = PQgetisnull (res, i, 7) ? NULL : g_strdup (PQgetvalue (res, i, 7));
      g_ptr_array_add (list, r);
    }
  return list;
}

/* The columns of the business schema (intake-directory.c), in its order. */
static const CoreColumn DIRECTORY_COLUMNS[] = {
  { "uscc", N_ ("credit code"), CORE_CELL_TEXT },
  { "licence", N_ ("licence"), CORE_CELL_TEXT },
  { "name", N_ ("name"), CORE_CELL_TEXT },
  { "stage", N_ ("stage"), CORE_CELL_TEXT },
  { "street", N_ ("street"), CORE_CELL_TEXT },
  { "address", N_ ("address"), CORE_CELL_TEXT },
  { "grade", N_ ("grade"), CORE_CELL_TEXT },
  { "categories", N_ ("categories"), CORE_CELL_TEXT },
  { "active", N_ ("active"), CORE_CELL_BOOL },
};

CoreTable *
db_history_directory_rows (PGconn *conn, const char *district, const char *const *usccs,
                           GError **error)
{
  g_autofree char *list = db_array_literal (usccs, -1);
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT b.uscc, b.licence, b.name, b.stage, b.street, b.address, b.grade, "
                 "(SELECT string_agg(category, ';' ORDER BY category) FROM business_category bc "
                 "WHERE bc.district = b.district AND bc.uscc = b.uscc), b.active FROM business b "
                 "WHERE b.district = $1 AND b.uscc = ANY ($2::text[]) ORDER BY b.uscc",
                 DB_ARGS (district, list), error);
  return res ? db_result_table (res, "businesses", _ ("business directory"), DIRECTORY_COLUMNS,
                                G_N_ELEMENTS (DIRECTORY_COLUMNS))
             : NULL;
}
