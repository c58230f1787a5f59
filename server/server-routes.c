/* server-routes.c: THE route table, and what happens to a request on a
 * worker: who is asking (the bearer token), may that role take the route's
 * action, a stored answer for a retried upload, then the handler. Adding a
 * route is one row here and one handler in the resource's file. */
#include "server/server-private.h"

#include "db/db-conn.h"
#include "service/svc-users.h"

#include <string.h>

#define Q(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NO_QUERY ((const char *const[]){ NULL })

static const ServerRoute routes[] = {
  { "GET", "/healthz", SERVER_PUBLIC, NO_QUERY, FALSE, server_healthz },
  { "GET", "/metrics", SERVER_PUBLIC, NO_QUERY, FALSE, NULL },
  { "GET", "/api/v1/me", SVC_ACTION_SELF_READ, NO_QUERY, FALSE, server_me },
  { "GET", "/api/v1/users", SVC_ACTION_USERS, NO_QUERY, FALSE, server_users_list },
  { "POST", "/api/v1/users", SVC_ACTION_USERS, NO_QUERY, FALSE, server_users_add },
  { "DELETE", "/api/v1/users/{name}", SVC_ACTION_USERS, NO_QUERY, FALSE, server_users_revoke },
  { "GET", "/api/v1/tasks", SVC_ACTION_TASKS_READ, Q ("month", "office", "format"), FALSE,
    server_tasks_list },
  { "GET", "/api/v1/tasks/{record_no}", SVC_ACTION_TASKS_READ, Q ("month"), FALSE,
    server_tasks_show },
  { "GET", "/api/v1/reports/{kind}", SVC_ACTION_PROGRESS_READ,
    Q ("month", "quarter", "year", "office", "format"), FALSE, server_reports_get },
  { "POST", "/api/v1/draws/emergency", SVC_ACTION_DRAW, NO_QUERY, TRUE, server_tasks_emergency },
  { "POST", "/api/v1/samples", SVC_ACTION_SAMPLES_RECORD, NO_QUERY, TRUE, server_samples_record },
  { "GET", "/api/v1/samples/{record_no}", SVC_ACTION_SAMPLES_READ, NO_QUERY, FALSE,
    server_samples_show },
  { "POST", "/api/v1/results", SVC_ACTION_RESULTS_IMPORT, Q ("lab", "amend", "reason", "file"),
    TRUE, server_results_upload },
  { "GET", "/api/v1/results/pending", SVC_ACTION_RESULTS_IMPORT, Q ("lab"), FALSE,
    server_results_pending },
  { "GET", "/api/v1/results/uploads", SVC_ACTION_RESULTS_IMPORT, Q ("lab"), FALSE,
    server_results_uploads },
  { "GET", "/api/v1/results/review", SVC_ACTION_RESULTS_REVIEW, NO_QUERY, FALSE,
    server_results_review },
  { "GET", "/api/v1/cases", SVC_ACTION_CASES_READ, Q ("state", "office", "overdue", "due_within"),
    FALSE, server_cases_list },
  { "GET", "/api/v1/cases/{case_no}", SVC_ACTION_CASES_READ, NO_QUERY, FALSE, server_cases_show },
  { "POST", "/api/v1/cases/{case_no}/steps", SVC_ACTION_CASES_WORK, NO_QUERY, TRUE,
    server_cases_step },
  { "POST", "/api/v1/cases/{case_no}/extend", SVC_ACTION_CASES_WORK, NO_QUERY, TRUE,
    server_cases_extend },
  { "POST", "/api/v1/cases/{case_no}/assign", SVC_ACTION_CASES_WORK, NO_QUERY, TRUE,
    server_cases_assign },
  { "GET", "/api/v1/workflow", SVC_ACTION_CASES_READ, NO_QUERY, FALSE, server_cases_workflow },
};

const ServerRoute *
server_routes (gsize *n)
{
  *n = G_N_ELEMENTS (routes);
  return routes;
}

/* Segment by segment; "{name}" takes one non-empty segment. */
static gboolean
path_matches (const char *pattern, const char *path, GHashTable *params)
{
  g_auto (GStrv) want = g_strsplit (pattern, "/", -1);
  g_auto (GStrv) got = g_strsplit (path, "/", -1);
  if (g_strv_length (want) != g_strv_length (got))
    return FALSE;
  for (gsize i = 0; want[i] != NULL; i++)
    {
      gsize n = strlen (want[i]);
      if (n > 2 && want[i][0] == '{' && want[i][n - 1] == '}')
        {
          if (*got[i] == '\0')
            return FALSE;
          if (params != NULL)
            g_hash_table_insert (params, g_strndup (want[i] + 1, n - 2), g_strdup (got[i]));
        }
      else if (strcmp (want[i], got[i]) != 0)
        return FALSE;
    }
  return TRUE;
}

const ServerRoute *
server_route_match (const char *method, const char *path, GHashTable *params, gboolean *path_known)
{
  *path_known = FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (!path_matches (routes[i].pattern, path, NULL))
        continue;
      *path_known = TRUE;
      if (strcmp (routes[i].method, method) == 0)
        {
          path_matches (routes[i].pattern, path, params);
          return &routes[i];
        }
    }
  return NULL;
}

void
server_routes_print (GString *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      const ServerRoute *r = &routes[i];
      g_string_append_printf (out, "%s %s ", r->method, r->pattern);
      if (r->action == SERVER_PUBLIC)
        g_string_append (out, "public");
      else
        {
          gboolean first = TRUE;
          for (SvcRole role = SVC_ROLE_ADMIN; role <= SVC_ROLE_LAB; role++)
            {
              SvcContext probe = { .role = role };
              if (svc_authorize (&probe, (SvcAction)r->action, NULL))
                {
                  g_string_append_printf (out, "%s%s", first ? "" : ",", svc_role_name (role));
                  first = FALSE;
                }
            }
        }
      g_string_append_c (out, ' ');
      for (gsize q = 0; r->query[q] != NULL; q++)
        g_string_append_printf (out, "%s,", r->query[q]);
      /* Every route reads ?lang, before its own (server-main.c). */
      g_string_append (out, "lang\n");
    }
}

static void
today (const ServerOptions *o, GDate *date)
{
  if (g_date_valid (&o->today))
    {
      *date = o->today;
      return;
    }
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay)g_date_time_get_day_of_month (now),
                  (GDateMonth)g_date_time_get_month (now), (GDateYear)g_date_time_get_year (now));
}

static void run_keyed (ServerRequest *req, const SvcContext *ctx, const char *key);

/* A stored answer replayed, or the handler's answer remembered, for uploads
 * sent with an Idempotency-Key. The key is held for the whole request, so a
 * retry racing the first attempt waits for it and replays its answer instead
 * of drawing or importing a second time. A replay is in the language of
 * the answer stored. */
static void
run_handler (ServerRequest *req, const SvcContext *ctx)
{
  const char *key = req->route->idempotent ? req->idempotency_key : NULL;
  g_autoptr (GError) error = NULL;
  if (key != NULL && strlen (key) > 200)
    {
      svc_error_invalid (&error, "Idempotency-Key",
                         _ ("an Idempotency-Key has at most 200 characters"));
      server_answer_error (req, error);
      return;
    }
  if (key != NULL && !svc_answer_lock (ctx, key, &error))
    {
      server_answer_error (req, error);
      return;
    }
  run_keyed (req, ctx, key);
  if (key != NULL)
    svc_answer_unlock (ctx, key);
}

static void
run_keyed (ServerRequest *req, const SvcContext *ctx, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *route = g_strdup_printf ("%s %s", req->method, req->path);
  if (key != NULL)
    {
      int status = 0;
      g_autofree char *type = NULL;
      g_autoptr (GBytes) body = NULL;
      if (!svc_answer_replay (ctx, key, route, &status, &type, &body, &error))
        {
          server_answer_error (req, error);
          return;
        }
      if (status != 0)
        {
          server_answer (req, status, type, body);
          req->replayed = TRUE;
          return;
        }
    }
  if (!req->route->handler (req, ctx, &error))
    server_answer_error (req, error);
  /* Answers the client may want again are kept; a server failure is not an
   * answer, and the retry should try again. */
  if (key != NULL && req->status < 500 && req->answer != NULL)
    {
      g_autoptr (GError) local = NULL;
      if (!svc_answer_remember (ctx, key, route, req->status, req->answer_type, req->answer,
                                &local))
        g_warning ("the answer to Idempotency-Key %s was not stored: %s", key, local->message);
    }
}

void
server_dispatch (ServerRequest *req, PGconn *conn)
{
  const ServerOptions *o = req->opts;
  SvcContext ctx = { .conn = conn,
                     .config = o->config,
                     .catalog = o->catalog,
                     .calendar = o->calendar,
                     .deadlines = o->deadlines,
                     .workflow = o->workflow };
  today (o, &ctx.today);
  if (conn == NULL)
    {
      req->retry_after = 5;
      server_answer_problem (req, 503, "unavailable",
                             _ ("the database is unreachable; the server reconnects by itself, "
                                "try again shortly"));
      return;
    }
  if (req->route->action == SERVER_PUBLIC)
    {
      ctx.role = SVC_ROLE_ADMIN;
      ctx.actor = "anonymous";
      run_handler (req, &ctx);
      return;
    }
  if (req->token == NULL)
    {
      req->auth_failed = TRUE;
      server_answer_problem (req, 401, "unauthenticated",
                             _ ("send the user's token as Authorization: Bearer TOKEN"));
      return;
    }
  g_auto (SvcUser) user = { 0 };
  g_autoptr (GError) error = NULL;
  if (!svc_users_authenticate (conn, svc_district (&ctx), req->token, &user, &error))
    {
      req->auth_failed = error->domain == SVC_USERS_ERROR;
      server_answer_error (req, error);
      return;
    }
  req->user = g_strdup (user.name);
  ctx.actor = user.name;
  ctx.role = user.role;
  ctx.lab = user.lab;
  ctx.office = user.office;
  if (!svc_authorize (&ctx, (SvcAction)req->route->action, &error))
    {
      server_answer_error (req, error);
      return;
    }
  run_handler (req, &ctx);
}
