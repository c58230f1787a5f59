/* db-cases-step.c: a case moved one step, through the schema's
 * case_take_step() (migration 0013), the only way the working role can change
 * a case's state; and what the workflow check reads about a case. */
#include "db/db-cases.h"

#include "db/db-conn.h"

#include <stdlib.h>
#include <string.h>
#include "core/core-i18n.h"

/* The function's own SQLSTATEs (0013_case_steps.sql) in this module's codes;
 * other errors pass unchanged. The message is the function's. */
static gboolean
map_error (GError **error)
{
  static const struct
  {
    const char *state;
    DbCasesError code;
  } map[] = {
    { "SCN01", DB_CASES_ERROR_NOT_FOUND }, { "SCV01", DB_CASES_ERROR_CONFLICT },
    { "SCS01", DB_CASES_ERROR_STEP },      { "SCR01", DB_CASES_ERROR_ROLE },
    { "SCO01", DB_CASES_ERROR_OFFICE },
  };
  for (gsize i = 0; error && *error && i < G_N_ELEMENTS (map); i++)
    if (db_error_is (*error, map[i].state))
      {
        (*error)->domain = DB_CASES_ERROR;
        (*error)->code = map[i].code;
        break;
      }
  return FALSE;
}

static char *
fields_json (GHashTable *fields)
{
  GString *s = g_string_new ("{");
  if (fields != NULL)
    {
      g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (fields), (GCompareFunc)strcmp);
      for (GList *k = keys; k; k = k->next)
        {
          if (k != keys)
            g_string_append (s, ", ");
          db_json_string (s, k->data);
          g_string_append (s, ": ");
          db_json_string (s, g_hash_table_lookup (fields, k->data));
        }
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static char *
dues_json (const DbStepDue *dues, guint n)
{
  GString *s = g_string_new ("[");
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *from = core_date_format (&dues[i].from);
      g_autofree char *due = core_date_format (&dues[i].due);
      g_string_append (s, i ? ", {\"name\": " : "{\"name\": ");
      db_json_string (s, dues[i].name);
      g_string_append (s, ", \"zh\": ");
      db_json_string (s, dues[i].zh);
      g_string_append (s, ", \"unit\": ");
      db_json_string (s, dues[i].unit);
      g_string_append_printf (s,
                              ", \"amount\": %d, \"from_on\": \"%s\", \"due_on\": \"%s\", "
                              "\"extended\": %s, \"window\": %s}",
                              dues[i].amount, from, due, dues[i].extended ? "true" : "false",
                              dues[i].window ? "true" : "false");
    }
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

gboolean
db_cases_step (PGconn *conn, const char *district, const DbCaseStep *step, int *version,
               GError **error)
{
  g_autofree char *expected = g_strdup_printf ("%d", step->expected_version);
  g_autofree char *on = core_date_format (&step->on);
  g_autofree char *fields = fields_json (step->fields);
  g_autofree char *dues = dues_json (step->dues, step->n_dues);
  g_autofree char *meets
      = db_array_literal (step->meets ? step->meets : (const char *[]){ NULL }, -1);
  g_autofree char *v = db_scalar (
      conn,
      "SELECT case_take_step($1, $2, $3, $4::int, $5, $6, $7::date, $8::jsonb, $9, $10::jsonb, "
      "$11::text[])",
      DB_ARGS (district, step->case_no, step->step, expected, step->actor, step->role, on, fields,
               step->note, dues, meets),
      error);
  if (v == NULL)
    return map_error (error);
  *version = atoi (v);
  return TRUE;
}

gboolean
db_cases_assign (PGconn *conn, const char *district, const char *case_no, const char *office,
                 int expected_version, const char *actor, const GDate *on, const char *note,
                 int *version, GError **error)
{
  g_autofree char *expected = g_strdup_printf ("%d", expected_version);
  g_autofree char *day = core_date_format (on);
  g_autofree char *v
      = db_scalar (conn, "SELECT case_assign($1, $2, $3, $4::int, $5, $6::date, $7)",
                   DB_ARGS (district, case_no, office, expected, actor, day, note), error);
  if (v == NULL)
    return map_error (error);
  *version = atoi (v);
  return TRUE;
}

void
db_case_facts_free (DbCaseFacts *f)
{
  if (f == NULL)
    return;
  g_free (f->state);
  g_free (f->office);
  g_free (f->category);
  if (f->labs)
    g_ptr_array_unref (f->labs);
  cases_history_free (f->history);
  g_free (f);
}

static char *
opt (const PGresult *res, int r, int c)
{
  return PQgetisnull (res, r, c) ? NULL : g_strdup (PQgetvalue (res, r, c));
}

/* The steps taken and their fields: events written by case_take_step() carry
 * {"fields": {...}} in detail; the opening and the import's own events do not. */
static gboolean
load_history (PGconn *conn, const char *district, const char *case_no, CasesHistory *h,
              GError **error)
{
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT e.id, e.event, f.key, f.value FROM case_event e "
      "LEFT JOIN LATERAL jsonb_each_text(CASE WHEN e.detail LIKE '{%' "
      "THEN (e.detail::jsonb) -> 'fields' END) f ON true "
      "WHERE e.district = $1 AND e.case_no = $2 "
      "AND CASE WHEN e.detail LIKE '{%' THEN (e.detail::jsonb) ? 'fields' ELSE false END "
      "ORDER BY e.id, f.key",
      DB_ARGS (district, case_no), error);
  if (res == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (res);)
    {
      const char *id = PQgetvalue (res, r, 0);
      g_autoptr (GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
      const char *event = PQgetvalue (res, r, 1);
      for (; r < PQntuples (res) && strcmp (PQgetvalue (res, r, 0), id) == 0; r++)
        if (!PQgetisnull (res, r, 2))
          g_hash_table_insert (fields, PQgetvalue (res, r, 2), PQgetvalue (res, r, 3));
      cases_history_add (h, event, fields);
    }
  return TRUE;
}

DbCaseFacts *
db_cases_facts (PGconn *conn, const char *district, const char *case_no, gboolean lock,
                GError **error)
{
  g_autofree char *sql = g_strconcat (
      "SELECT c.state, c.office, c.version, t.category, c.lab, "
      "array_to_string(c.failed_items, E'\\x1f'), "
      "coalesce((SELECT r.test_date FROM lab_report r WHERE r.district = c.district "
      "AND r.lab = c.lab AND r.report_no = c.report_no AND r.current), c.notice_date) "
      "FROM nc_case c LEFT JOIN task t ON t.district = c.district AND t.record_no = c.record_no "
      "AND t.status <> 'cancelled' WHERE c.district = $1 AND c.case_no = $2",
      lock ? " FOR UPDATE OF c" : "", NULL);
  g_autoptr (PGresult) res = db_exec (conn, sql, DB_ARGS (district, case_no), error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, DB_CASES_ERROR, DB_CASES_ERROR_NOT_FOUND, _ ("no case %s in district %s"),
                   case_no, district);
      return NULL;
    }
  g_autoptr (DbCaseFacts) f = g_new0 (DbCaseFacts, 1);
  f->state = opt (res, 0, 0);
  f->office = opt (res, 0, 1);
  f->version = atoi (PQgetvalue (res, 0, 2));
  f->category = opt (res, 0, 3);
  f->history = cases_history_new ();
  f->history->first_lab = opt (res, 0, 4);
  if (!PQgetisnull (res, 0, 5) && *PQgetvalue (res, 0, 5))
    f->history->failed_items = g_strsplit (PQgetvalue (res, 0, 5), "\x1f", -1);
  if (!PQgetisnull (res, 0, 6))
    core_date_parse (PQgetvalue (res, 0, 6), &f->history->report_on);
  g_autoptr (PGresult) labs
      = db_exec (conn,
                 "SELECT l.code FROM lab l WHERE l.district = $1 AND l.active "
                 "AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM lab_category k "
                 "WHERE k.district = l.district AND k.lab = l.code AND k.category = $2)) "
                 "ORDER BY l.code",
                 DB_ARGS (district, f->category), error);
  if (labs == NULL || !load_history (conn, district, case_no, f->history, error))
    return NULL;
  f->labs = g_ptr_array_new_with_free_func (g_free);
  for (int r = 0; r < PQntuples (labs); r++)
    g_ptr_array_add (f->labs, g_strdup (PQgetvalue (labs, r, 0)));
  return g_steal_pointer (&f);
}
