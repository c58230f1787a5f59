/* server-private.h: what the server's files share: one request as the worker
 * sees it, the route table's row and the helpers handlers answer with. */
#pragma once

#include "core/core-i18n.h"
#include "core/core-table.h"
#include "server/server.h"

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* A request copied off the main loop, handled on a worker, answered back on
 * the main loop. Handlers read the request half and fill the answer half. */
typedef struct ServerRequest ServerRequest;
typedef struct ServerRoute ServerRoute;

struct ServerRequest
{
  const ServerRoute *route;
  const ServerOptions *opts;
  char *method;
  char *path;
  GHashTable *params; /* path parameters by name */
  GHashTable *query;  /* query parameters by name */
  GBytes *body;
  char *content_type;
  char *idempotency_key;
  char *token;      /* the bearer token; never logged */
  const char *lang; /* "zh" or "en" (static): the answer's language */
  /* the answer */
  int status;
  char *answer_type;
  GBytes *answer;
  char *filename; /* a download: Content-Disposition attachment */
  gboolean auth_failed;
  gboolean replayed;
  int retry_after; /* seconds, 0: none */
  char *user;      /* for the log line */
};

/* A handler answers through server_answer_*() and returns TRUE, or returns
 * FALSE with @error, which server-errors.c turns into a status and JSON. */
typedef gboolean (*ServerHandler) (ServerRequest *req, const SvcContext *ctx, GError **error);

#define SERVER_PUBLIC (-1) /* no token needed */

struct ServerRoute
{
  const char *method;
  const char *pattern;      /* "/api/v1/cases/{case_no}" */
  int action;               /* SvcAction, or SERVER_PUBLIC */
  const char *const *query; /* query parameters the route reads, NULL-terminated */
  gboolean idempotent;      /* honours Idempotency-Key (uploads) */
  ServerHandler handler;    /* NULL: answered on the main loop (metrics) */
};

/* The language of a request (server-lang.c): @query_lang ("zh" or "en"),
 * else the first of @accept_language spotcheck speaks, else @fallback. A bad
 * @query_lang is FALSE with SVC_ERROR_INVALID about "lang", *@lang still set
 * from the header or @fallback to say it in. */
gboolean server_lang_choose (const char *query_lang, const char *accept_language,
                             const char *fallback, const char **lang, GError **error);
/* The Content-Language of @lang: "zh-CN" or "en". */
const char *server_lang_tag (const char *lang);

/* The route table (server-routes.c). Every route also reads ?lang, taken
 * on the main loop before the route's handler runs. */
const ServerRoute *server_routes (gsize *n);
/* The route for @method and @path, filling @params; NULL with *@path_known
 * TRUE when only the method is wrong. */
const ServerRoute *server_route_match (const char *method, const char *path, GHashTable *params,
                                       gboolean *path_known);

/* Runs @req on a worker with @conn (NULL: the database is unreachable). */
void server_dispatch (ServerRequest *req, PGconn *conn);

void server_request_free (ServerRequest *req);

void server_answer (ServerRequest *req, int status, const char *type, GBytes *body);
void server_answer_json (ServerRequest *req, int status, JsonBuilder *builder);
gboolean server_answer_table (ServerRequest *req, const CoreTable *table, GError **error);
gboolean server_answer_document (ServerRequest *req, const CoreDocument *doc,
                                 const char *download_name, GError **error);
/* The same in @lang ("zh" or "en"), HTML allowed when @html (reports);
 * server_answer_document() labels in the request's language. */
gboolean server_answer_document_in (ServerRequest *req, const CoreDocument *doc,
                                    const char *download_name, const char *lang, gboolean html,
                                    GError **error);
/* The error body {"error": {...}} and the status for @error (server-errors.c). */
void server_answer_error (ServerRequest *req, const GError *error);
/* An error the server itself words (401, 404, 413, 429, 503 ...). */
void server_answer_problem (ServerRequest *req, int status, const char *code, const char *message);

/* The HTTP status for @error, -1 when no rule covers it. */
int server_error_status (const GError *error);
typedef struct
{
  GQuark (*domain) (void);
  const char *name;
  int code; /* -1: every code */
  int status;
} ServerErrorRule;
const ServerErrorRule *server_error_rules (gsize *n);

/* A query parameter, or NULL. */
const char *server_query (const ServerRequest *req, const char *name);
const char *server_param (const ServerRequest *req, const char *name);
/* Parses @text as "YYYY-MM"; SVC_ERROR_INVALID about @name otherwise. */
gboolean server_parse_month (const char *name, const char *text, int *year, int *month,
                             GError **error);
/* Parses "YYYY-MM" from query parameter @name; SVC_ERROR_INVALID naming it. */
gboolean server_query_month (const ServerRequest *req, const char *name, int *year, int *month,
                             GError **error);

/* Handlers, one file per resource. */
gboolean server_healthz (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_me (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_results_pending (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_results_uploads (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_users_list (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_users_add (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_users_revoke (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_tasks_list (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_tasks_show (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_tasks_emergency (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_samples_record (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_samples_show (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_results_upload (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_results_review (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_cases_list (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_cases_show (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_reports_get (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_cases_step (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_cases_extend (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_cases_assign (ServerRequest *req, const SvcContext *ctx, GError **error);
gboolean server_cases_workflow (ServerRequest *req, const SvcContext *ctx, GError **error);

/* The web pages (server-pages.c), served from the binary on the main loop:
 * the file for @path with its type, or NULL when @path is not a page.
 * /web/words.json is the pages' words in the language of @query's "lang",
 * else the server's. */
GBytes *server_pages_lookup (const char *path, GHashTable *query, const char **type);

/* Metrics (server-metrics.c), main loop only. */
void server_metrics_record (const char *route, int status, double ms);
GBytes *server_metrics_text (void);

G_END_DECLS

G_BEGIN_DECLS
/* The request body as a JSON object (SVC_ERROR_INVALID about "body" when it
 * is not one); a new reference. */
JsonObject *server_body_object (const ServerRequest *req, GError **error);
/* A string member of @obj, or NULL when missing or null; SVC_ERROR_INVALID
 * when it is there but not a string. */
gboolean server_member_string (JsonObject *obj, const char *name, const char **out, GError **error);
G_END_DECLS

G_BEGIN_DECLS
/* The workers (server-pool.c): N threads, one PGconn each, opened on first
 * use and again after it breaks, so the server rides out a PostgreSQL restart
 * (503 meanwhile). @done runs on @main_context with each finished job. */
typedef struct ServerPool ServerPool;
typedef void (*ServerPoolDone) (ServerRequest *req, gpointer tag);
ServerPool *server_pool_new (const char *conninfo, int workers, GMainContext *main_context,
                             ServerPoolDone done, GError **error);
void server_pool_push (ServerPool *pool, ServerRequest *req, gpointer tag);
/* Waits for queued jobs, then closes every connection. */
void server_pool_free (ServerPool *pool);

/* Failed logins per address (server-auth.c), main loop only. */
typedef struct ServerThrottle ServerThrottle;
ServerThrottle *server_throttle_new (int per_minute);
void server_throttle_free (ServerThrottle *t);
/* Seconds the address must wait (0: go ahead). */
int server_throttle_wait (ServerThrottle *t, const char *address);
void server_throttle_failed (ServerThrottle *t, const char *address);
/* The token of "Authorization: Bearer TOKEN", or NULL. */
char *server_bearer_token (const char *authorization);
G_END_DECLS
