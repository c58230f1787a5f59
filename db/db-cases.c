/* db-cases.c: cases opened, closed and reopened by stored lab reports, and the
 * case numbering every way of opening a case shares. */
#include "db/db-cases-private.h"

#include "db/db-conn.h"

#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (spotcheck - db - cases - error - quark, db_cases_error)

/* The first deadlines of a case as five parallel array literals (name, zh,
 * amount, unit, due) for unnest() in SQL. */
typedef struct
{
  char *names, *zh, *amounts, *units, *dues;
} DeadlineArrays;

static void
deadline_arrays_clear (DeadlineArrays *a)
{
  g_free (a->names);
  g_free (a->zh);
  g_free (a->amounts);
  g_free (a->units);
  g_free (a->dues);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DeadlineArrays, deadline_arrays_clear)

static void
deadline_arrays (const DbCaseDue *dues, guint n, DeadlineArrays *out)
{
  g_autofree const char **names = g_new0 (const char *, n + 1);
  g_autofree const char **zh = g_new0 (const char *, n + 1);
  g_autofree const char **units = g_new0 (const char *, n + 1);
  g_autofree const char **amounts = g_new0 (const char *, n + 1);
  g_autofree const char **days = g_new0 (const char *, n + 1);
  g_autoptr (GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      names[i] = dues[i].name;
      zh[i] = dues[i].zh;
      units[i] = dues[i].unit;
      char *amount = g_strdup_printf ("%d", dues[i].amount),
           *date = core_date_format (&dues[i].due);
      g_ptr_array_add (owned, amount);
      g_ptr_array_add (owned, date);
      amounts[i] = amount;
      days[i] = date;
    }
  out->names = db_array_literal (names, n);
  out->zh = db_array_literal (zh, n);
  out->amounts = db_array_literal (amounts, n);
  out->units = db_array_literal (units, n);
  out->dues = db_array_literal (days, n);
}

char *
db_cases_reserve (PGconn *conn, const char *district, const char *year, guint n, GError **error)
{
  char count[16];
  g_snprintf (count, sizeof count, "%u", n);
  return db_scalar (conn,
                    "INSERT INTO case_counter (district, year, last) VALUES ($1, $2, $3) "
                    "ON CONFLICT (district, year) DO UPDATE SET last = case_counter.last + "
                    "EXCLUDED.last RETURNING last - $3",
                    DB_ARGS (district, year, count), error);
}

/* Case numbers read HC2024-00001 (核查 = verification). */
char *
db_cases_number_sql (int year_param, int base_param, const char *rank)
{
  return g_strdup_printf ("'HC' || $%d::text || '-' || lpad(($%d::int + %s)::text, 5, '0')",
                          year_param, base_param, rank);
}

static guint
affected (PGresult *res)
{
  return (guint)atoi (PQcmdTuples (res));
}

/* The system's step from a case's state to @to: the synced workflow's
 * (withdraw, reopen) or, before the district's workflow was synced, the first
 * schema's row, which names no roles. */
#define SYSTEM_STEP_SQL(to)                                                                        \
  "(SELECT t.step FROM case_transition t WHERE t.district = $1 AND t.from_state = c.state "        \
  "AND t.to_state = '" to "' AND (t.roles = '{}' OR 'system' = ANY (t.roles)) "                    \
  "ORDER BY t.position, t.step LIMIT 1)"

/* Withdrawn and reopened cases move through case_take_step() like any other
 * step (the working role may not write nc_case.state), one call per case. */
static gboolean
close_withdrawn (PGconn *conn, const char *district, const char *actor, const char *today,
                 const char *reason, DbCasesEffects *fx, GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT case_take_step($1, c.case_no, coalesce(" SYSTEM_STEP_SQL (
                     "closed") ", 'withdraw'), "
                               "c.version, $3, 'system', $2::date, jsonb_build_object('report-no', "
                               "s.report_no, "
                               "'report-version', s.version::text), format('report %s version %s "
                               "no longer fails; "
                               "amendment: %s', s.report_no, s.version, $4::text)) "
                               "FROM nc_case c JOIN stage_report s ON c.district = $1 AND "
                               "c.record_no = s.record_no "
                               "WHERE s.action = 'amend' AND s.governing <> 'fail' AND "
                               "s.prev_governing = 'fail' "
                               "AND c.state <> 'closed' ORDER BY c.case_no",
                 DB_ARGS (district, today, actor, reason), error);
  if (res == NULL)
    return FALSE;
  fx->closed = (guint)PQntuples (res);
  return TRUE;
}

static gboolean
reopen_or_amend (PGconn *conn, const char *district, const char *actor, const char *today,
                 const char *reason, const DeadlineArrays *dl, DbCasesEffects *fx, GError **error)
{
  /* A closed case whose report fails again is reopened with fresh deadlines:
   * first the items and report it now rests on (columns the working role may
   * write), then the step. */
  if (!db_run (conn,
               "UPDATE nc_case c SET failed_items = s.failed, report_no = s.report_no "
               "FROM stage_report s WHERE c.district = $1 AND c.record_no = s.record_no "
               "AND s.action = 'amend' AND s.governing = 'fail' AND s.prev_governing <> 'fail' "
               "AND c.state = 'closed'",
               DB_ARGS (district), error))
    return FALSE;
  g_autoptr (PGresult) reopened = db_exec (
      conn,
      "SELECT case_take_step($1, c.case_no, coalesce(" SYSTEM_STEP_SQL (
          "open") ", 'reopen'), "
                  "c.version, $3, 'system', $2::date, jsonb_build_object('report-no', s.report_no, "
                  "'report-version', s.version::text), format('report %s version %s fails again "
                  "(%s); "
                  "amendment: %s', s.report_no, s.version, array_to_string(s.failed, '; '), "
                  "$4::text), "
                  "(SELECT jsonb_agg(jsonb_build_object('name', d.name, 'zh', d.zh, 'from_on', $2, "
                  "'amount', d.amount, 'unit', d.unit, 'due_on', d.due)) "
                  "FROM unnest($5::text[], $6::text[], $7::int[], $8::text[], $9::date[]) "
                  "AS d(name, zh, amount, unit, due))) "
                  "FROM nc_case c JOIN stage_report s ON c.district = $1 AND c.record_no = "
                  "s.record_no "
                  "WHERE s.action = 'amend' AND s.governing = 'fail' "
                  "AND s.prev_governing <> 'fail' AND c.state = 'closed' ORDER BY c.case_no",
      DB_ARGS (district, today, actor, reason, dl->names, dl->zh, dl->amounts, dl->units, dl->dues),
      error);
  if (reopened == NULL)
    return FALSE;
  fx->reopened = (guint)PQntuples (reopened);
  /* An amendment that still fails keeps the case where it is, with the new items. */
  g_autoptr (PGresult) amended = db_exec (
      conn,
      "SELECT case_amend($1, c.case_no, s.failed, s.report_no, $3, $2::date, "
      "format('report %s version %s still fails (%s); amendment: %s', s.report_no, s.version, "
      "array_to_string(s.failed, '; '), $4::text)) "
      "FROM nc_case c JOIN stage_report s ON c.district = $1 AND c.record_no = s.record_no "
      "WHERE s.action = 'amend' AND s.governing = 'fail' AND s.prev_governing = 'fail' "
      "ORDER BY c.case_no",
      DB_ARGS (district, today, actor, reason), error);
  if (amended == NULL)
    return FALSE;
  fx->amended = (guint)PQntuples (amended);
  return TRUE;
}

static const char NEED_SQL[]
    = "FROM stage_report s WHERE s.action IN ('new', 'amend') AND s.governing = 'fail' "
      "AND NOT EXISTS (SELECT 1 FROM nc_case c WHERE c.district = $1 "
      "AND c.record_no = s.record_no)";

static gboolean
open_new (PGconn *conn, const char *district, const char *actor, const GDate *date,
          const char *today, const char *lab, const DeadlineArrays *dl, DbCasesEffects *fx,
          GError **error)
{
  g_autofree char *count_sql = g_strconcat ("SELECT count(*) ", NEED_SQL, NULL);
  g_autofree char *need = db_scalar (conn, count_sql, DB_ARGS (district), error);
  if (need == NULL)
    return FALSE;
  if (strcmp (need, "0") == 0)
    return TRUE;
  g_autofree char *year = g_strdup_printf ("%04d", g_date_get_year (date));
  g_autofree char *base = db_cases_reserve (conn, district, year, (guint)atoi (need), error);
  if (base == NULL)
    return FALSE;
  g_autofree char *case_no = db_cases_number_sql (5, 6, "s.k");
  g_autofree char *sql = g_strconcat (
      "WITH need AS (SELECT s.*, row_number() OVER (ORDER BY s.line) AS k ", NEED_SQL,
      "), ins AS (INSERT INTO nc_case (district, case_no, source, uscc, business_name, product, "
      "record_no, lab, report_no, failed_items, opened_on, office, created_by) "
      "SELECT $1, ",
      case_no,
      ", 'district', t.uscc, b.name, m.sample_name, s.record_no, $2, s.report_no, "
      "s.failed, $3, t.office, $4 FROM need s "
      "JOIN task t ON t.district = $1 AND t.record_no = s.record_no AND t.status <> 'cancelled' "
      "JOIN business b ON b.district = $1 AND b.uscc = t.uscc "
      "JOIN sample m ON m.district = $1 AND m.record_no = s.record_no "
      "RETURNING case_no, report_no, failed_items), "
      "dl AS (INSERT INTO case_deadline (district, case_no, name, zh, from_on, amount, unit, "
      "due_on) SELECT $1, i.case_no, d.name, d.zh, $3, d.amount, d.unit, d.due FROM ins i, "
      "unnest($7::text[], $8::text[], $9::int[], $10::text[], $11::date[]) "
      "AS d(name, zh, amount, unit, due)) "
      "INSERT INTO case_event (district, case_no, on_date, actor, event, to_state, detail) "
      "SELECT $1, case_no, $3, $4, 'opened', 'open', format('report %s of lab %s fails: %s', "
      "report_no, $2::text, array_to_string(failed_items, '; ')) FROM ins",
      NULL);
  g_autoptr (PGresult) res = db_exec (conn, sql,
                                      DB_ARGS (district, lab, today, actor, year, base, dl->names,
                                               dl->zh, dl->amounts, dl->units, dl->dues),
                                      error);
  if (res == NULL)
    return FALSE;
  fx->opened = affected (res);
  return TRUE;
}

gboolean
db_cases_apply_results (PGconn *conn, const char *district, const char *actor, const char *lab,
                        const char *reason, const GDate *today, const DbCaseDue *dues, guint n_dues,
                        DbCasesEffects *fx, GError **error)
{
  memset (fx, 0, sizeof *fx);
  g_autofree char *day = core_date_format (today);
  g_auto (DeadlineArrays) dl = { 0 };
  deadline_arrays (dues, n_dues, &dl);
  return close_withdrawn (conn, district, actor, day, reason, fx, error)
         && reopen_or_amend (conn, district, actor, day, reason, &dl, fx, error)
         && open_new (conn, district, actor, today, day, lab, &dl, fx, error);
}
