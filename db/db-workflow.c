/* db-workflow.c: writes a loaded case workflow into a district's case_state and
 * case_transition rows, so the trigger enforces exactly the configuration. */
#include "db/db-workflow.h"

#include "db/db-conn.h"

#include <string.h>
#include "core/core-i18n.h"

/* The states' names as a text[] literal. */
static char *
state_names (const CasesWorkflow *wf)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  for (guint i = 0; i < wf->states->len; i++)
    g_ptr_array_add (names, ((CasesState *)g_ptr_array_index (wf->states, i))->name);
  return db_array_literal ((const char *const *)names->pdata, names->len);
}

/* Refuses a workflow that drops a state some case is in. */
static gboolean
check_no_case_stranded (PGconn *conn, const char *district, const char *states, GError **error)
{
  g_autoptr (PGresult) res = db_exec (conn,
                                      "SELECT state, count(*), min(case_no) FROM nc_case "
                                      "WHERE district = $1 AND NOT (state = ANY ($2::text[])) "
                                      "GROUP BY state ORDER BY state",
                                      DB_ARGS (district, states), error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return TRUE;
  g_set_error (error, DB_ERROR, db_sqlstate_code ("23514"),
               _ ("district %s: %s case(s), the first %s, are in state %s, which the workflow "
                  "configuration no longer has; keep the state or move the cases first"),
               district, PQgetvalue (res, 0, 1), PQgetvalue (res, 0, 2), PQgetvalue (res, 0, 0));
  return FALSE;
}

static gboolean
write_states (PGconn *conn, const char *district, const CasesWorkflow *wf, GError **error)
{
  for (guint i = 0; i < wf->states->len; i++)
    {
      const CasesState *s = g_ptr_array_index (wf->states, i);
      const char *initial = strcmp (s->name, wf->initial) == 0 ? "true" : "false";
      const char *terminal = s->terminal ? "true" : "false";
      g_autofree char *position = g_strdup_printf ("%u", i);
      if (!db_run (conn,
                   "INSERT INTO case_state (district, state, zh, terminal, meaning, initial, "
                   "position) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                   "ON CONFLICT (district, state) DO UPDATE SET zh = EXCLUDED.zh, "
                   "terminal = EXCLUDED.terminal, meaning = EXCLUDED.meaning, "
                   "initial = EXCLUDED.initial, position = EXCLUDED.position",
                   DB_ARGS (district, s->name, s->zh, terminal, s->en ? s->en : s->zh, initial,
                            position),
                   error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_steps (PGconn *conn, const char *district, const CasesWorkflow *wf, GError **error)
{
  for (guint i = 0; i < wf->steps->len; i++)
    {
      const CasesStep *s = g_ptr_array_index (wf->steps, i);
      g_autofree char *roles = db_array_literal ((const char *const *)s->roles, -1);
      g_autofree char *requires = db_array_literal ((const char *const *)s->requires, -1);
      g_autofree char *optional = db_array_literal ((const char *const *)s->optional, -1);
      g_autofree char *position = g_strdup_printf ("%u", i);
      for (char **from = s->from; *from; from++)
        {
          const char *to = s->to ? s->to : *from;
          if (!db_run (conn,
                       "INSERT INTO case_transition (district, step, from_state, to_state, event, "
                       "zh, roles, requires, optional, position) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                       DB_ARGS (district, s->name, *from, to, s->en ? s->en : s->name, s->zh, roles,
                                requires, optional, position),
                       error))
            return FALSE;
        }
    }
  return TRUE;
}

char *
db_workflow_config_digest (const CasesWorkflow *wf)
{
  g_autoptr (GString) canon = g_string_new (NULL);
  for (guint i = 0; i < wf->states->len; i++)
    {
      const CasesState *s = g_ptr_array_index (wf->states, i);
      g_string_append_printf (canon, "state\t%s\t%s\t%s\t%s\n", s->name, s->zh,
                              s->terminal ? "true" : "false",
                              strcmp (s->name, wf->initial) == 0 ? "true" : "false");
    }
  for (guint i = 0; i < wf->steps->len; i++)
    {
      const CasesStep *s = g_ptr_array_index (wf->steps, i);
      g_autofree char *roles = db_array_literal ((const char *const *)s->roles, -1);
      g_autofree char *requires = db_array_literal ((const char *const *)s->requires, -1);
      g_autofree char *optional = db_array_literal ((const char *const *)s->optional, -1);
      for (char **from = s->from; *from; from++)
        g_string_append_printf (canon, "step\t%s\t%s\t%s\t%s\t%s\t%s\n", s->name, *from,
                                s->to ? s->to : *from, roles, requires, optional);
    }
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, canon->str, -1);
}

gboolean
db_workflow_ensure (PGconn *conn, const char *district, const CasesWorkflow *wf, gboolean *synced,
                    GError **error)
{
  g_autofree char *want = db_workflow_config_digest (wf);
  GError *local = NULL;
  g_autofree char *have = db_workflow_digest (conn, district, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  *synced = have == NULL || strcmp (have, want) != 0;
  return !*synced || db_workflow_sync (conn, district, wf, error);
}

gboolean
db_workflow_sync (PGconn *conn, const char *district, const CasesWorkflow *wf, GError **error)
{
  g_autofree char *states = state_names (wf);
  if (!db_in_transaction (conn, error)
      || !db_advisory_xact_lock (conn, "case-workflow", district, error)
      || !check_no_case_stranded (conn, district, states, error)
      || !db_run (conn, "DELETE FROM case_transition WHERE district = $1", DB_ARGS (district),
                  error)
      /* one initial state: cleared before the upserts set it again */
      || !db_run (conn, "UPDATE case_state SET initial = false WHERE district = $1",
                  DB_ARGS (district), error)
      || !write_states (conn, district, wf, error)
      /* a state events still name stays, with no step leading in or out */
      || !db_run (conn,
                  "DELETE FROM case_state s WHERE district = $1 AND NOT (state = ANY ($2::text[])) "
                  "AND NOT EXISTS (SELECT 1 FROM case_event e WHERE e.district = s.district "
                  "AND (e.from_state = s.state OR e.to_state = s.state))",
                  DB_ARGS (district, states), error)
      || !write_steps (conn, district, wf, error))
    return FALSE;
  g_autofree char *digest = db_workflow_config_digest (wf);
  g_autofree char *n_states = g_strdup_printf ("%u", wf->states->len);
  g_autofree char *n_steps = g_strdup_printf ("%u", wf->steps->len);
  return db_run (conn,
                 "INSERT INTO case_workflow (district, digest, states, steps) "
                 "VALUES ($1, $2, $3, $4) ON CONFLICT (district) DO UPDATE SET "
                 "digest = EXCLUDED.digest, states = EXCLUDED.states, steps = EXCLUDED.steps, "
                 "synced_at = now()",
                 DB_ARGS (district, digest, n_states, n_steps), error);
}

char *
db_workflow_digest (PGconn *conn, const char *district, GError **error)
{
  g_autoptr (PGresult) res = db_exec (conn, "SELECT digest FROM case_workflow WHERE district = $1",
                                      DB_ARGS (district), error);
  if (res == NULL || PQntuples (res) == 0)
    return NULL;
  return g_strdup (PQgetvalue (res, 0, 0));
}
