/* server-main.c: the main loop. libsoup reads requests here; each is copied
 * into a ServerRequest, its message paused, and handed to a worker; the
 * worker's answer comes back here, where the message is unpaused. Also the
 * body limit (413 before a large body is read), the 429 for addresses that
 * keep failing to log in, one log line per request, the metrics, and the
 * orderly stop on SIGTERM. Whatever is said for a request, here or on its
 * worker, is said in the request's language (server-lang.c), set as the
 * thread's for that while and put back after. Log lines stay English. */
#include "server/server-private.h"

#include <glib-unix.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  const ServerOptions *opts;
  SoupServer *soup;
  GMainLoop *loop;
  ServerPool *pool;
  ServerThrottle *throttle;
  guint in_flight; /* requests handed to a worker and not yet answered */
  gboolean stopping;
  const char *lang; /* the server's own language, for requests that ask none */
} Server;

/* What the main loop keeps about a message, from its first byte to the end. */
typedef struct
{
  gint64 started;
  gsize body_bytes;
  const char *route; /* the route's pattern, for the log and the metrics */
  char *user;
  gboolean counted; /* in in_flight */
} Tracking;

static void
tracking_free (gpointer data)
{
  Tracking *t = data;
  g_free (t->user);
  g_free (t);
}

static Tracking *
tracking (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "spotcheck-tracking");
}

static void
respond (SoupServerMessage *msg, int status, const char *type, GBytes *body)
{
  soup_server_message_set_status (msg, (guint)status, NULL);
  if (body != NULL && type != NULL)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (body, &len);
      soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, data, len);
    }
}

static void
respond_request (SoupServerMessage *msg, ServerRequest *req)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  respond (msg, req->status, req->answer_type, req->answer);
  /* A replayed answer is in the language of the request that made it. */
  if (req->lang != NULL && !req->replayed)
    soup_message_headers_replace (h, "Content-Language", server_lang_tag (req->lang));
  soup_message_headers_append (h, "Vary", "Accept-Language");
  if (req->status == 401)
    soup_message_headers_replace (h, "WWW-Authenticate", "Bearer realm=\"spotcheck\"");
  if (req->retry_after > 0)
    {
      char seconds[16];
      g_snprintf (seconds, sizeof seconds, "%d", req->retry_after);
      soup_message_headers_replace (h, "Retry-After", seconds);
    }
  if (req->filename != NULL)
    {
      g_autofree char *value = g_strdup_printf ("attachment; filename=\"%s\"", req->filename);
      soup_message_headers_replace (h, "Content-Disposition", value);
    }
  if (req->replayed)
    soup_message_headers_replace (h, "Idempotent-Replay", "true");
}

/* A page: nothing from elsewhere may run in it or frame it; the report it
 * shows comes as a blob in a sandboxed frame. */
static void
respond_page (SoupServerMessage *msg, const char *type, GBytes *page)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  /* revalidated on every use (no-cache), and unchanged ones are not sent again */
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, page);
  g_autofree char *etag = g_strdup_printf ("\"%.32s\"", sum);
  const char *seen = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "If-None-Match");
  if (seen != NULL && strstr (seen, etag) != NULL)
    respond (msg, 304, NULL, NULL);
  else
    respond (msg, 200, type, page);
  soup_message_headers_replace (h, "ETag", etag);
  soup_message_headers_replace (h, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data: blob:; "
                                "frame-src blob:; style-src 'self' 'unsafe-inline'; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  soup_message_headers_replace (h, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (h, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (h, "Cache-Control", "no-cache");
}

/* A quick answer worded by the server, on the main loop, in the thread's
 * language (the request's, set by handle()). */
static void
respond_problem (const Server *s, SoupServerMessage *msg, int status, const char *code,
                 const char *message, int retry_after)
{
  ServerRequest req = { .opts = s->opts, .retry_after = retry_after, .lang = core_i18n_lang () };
  server_answer_problem (&req, status, code, message);
  respond_request (msg, &req);
  g_free (req.answer_type);
  g_bytes_unref (req.answer);
}

/* @error answered on the main loop, as a worker would. */
static void
respond_error (const Server *s, SoupServerMessage *msg, const GError *error)
{
  ServerRequest req = { .opts = s->opts, .lang = core_i18n_lang () };
  server_answer_error (&req, error);
  respond_request (msg, &req);
  g_free (req.answer_type);
  g_bytes_unref (req.answer);
}

/* The language @msg asks for (server-lang.c); FALSE with @error for a bad
 * ?lang, *@lang then the one to say so in. @query: the parsed query, NULL
 * to read it from the URI (before the body, when libsoup has not parsed it). */
static gboolean
message_lang (const Server *s, SoupServerMessage *msg, GHashTable *query, const char **lang,
              GError **error)
{
  g_autoptr (GHashTable) parsed = NULL;
  if (query == NULL)
    {
      GUri *uri = soup_server_message_get_uri (msg);
      const char *text = uri ? g_uri_get_query (uri) : NULL;
      if (text != NULL)
        parsed = g_uri_parse_params (text, -1, "&", G_URI_PARAMS_NONE, NULL);
      query = parsed;
    }
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  return server_lang_choose (query ? g_hash_table_lookup (query, "lang") : NULL,
                             soup_message_headers_get_one (h, "Accept-Language"), s->lang, lang,
                             error);
}

static void
stop_when_idle (Server *s)
{
  if (s->stopping && s->in_flight == 0)
    g_main_loop_quit (s->loop);
}

static void
on_finished (SoupServerMessage *msg, gpointer data)
{
  Server *s = data;
  Tracking *t = tracking (msg);
  if (t == NULL)
    return;
  double ms = (double)(g_get_monotonic_time () - t->started) / 1000.0;
  guint status = soup_server_message_get_status (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  /* Never the query string nor a header: the token is in neither, but a
   * log line should not depend on that. */
  fprintf (stderr, "%s %s %u %.1fms %s\n", soup_server_message_get_method (msg),
           uri ? g_uri_get_path (uri) : "-", status, ms, t->user ? t->user : "-");
  fflush (stderr);
  server_metrics_record (t->route ? t->route : "unmatched", (int)status, ms);
  if (t->counted)
    {
      t->counted = FALSE;
      s->in_flight--;
      stop_when_idle (s);
    }
}

/* libsoup reads a body it will not use unless the client asked first
 * (Expect: 100-continue, which curl sends for large uploads): then the 413 goes
 * out at once and the body is never sent. Otherwise what still arrives is
 * counted and dropped, never kept. */
static void
too_large (Server *s, SoupServerMessage *msg)
{
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  const char *lang = NULL;
  message_lang (s, msg, NULL, &lang, NULL);
  const char *previous = core_i18n_set_thread (lang);
  /* The number apart: xgettext does not read GLib's format macros. */
  g_autofree char *limit = g_strdup_printf ("%" G_GSIZE_FORMAT, s->opts->max_body_bytes);
  g_autofree char *why = g_strdup_printf (_ ("the body is larger than %s bytes ([server] "
                                             "max-body-bytes); send the file in parts"),
                                          limit);
  respond_problem (s, msg, 413, "too_large", why, 0);
  core_i18n_set_thread (previous);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
}

/* Before the body is read: a Content-Length over the limit is refused now. */
static void
on_got_headers (SoupServerMessage *msg, gpointer data)
{
  Server *s = data;
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  if (soup_message_headers_get_encoding (h) == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64)soup_message_headers_get_content_length (h) > s->opts->max_body_bytes)
    too_large (s, msg);
}

/* A chunked body is counted as it arrives. */
static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer data)
{
  Server *s = data;
  Tracking *t = tracking (msg);
  t->body_bytes += g_bytes_get_size (chunk);
  if (t->body_bytes > s->opts->max_body_bytes && soup_server_message_get_status (msg) == 0)
    too_large (s, msg);
}

static void
on_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  Tracking *t = g_new0 (Tracking, 1);
  t->started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "spotcheck-tracking", t, tracking_free);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), data);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), data);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), data);
}

typedef struct
{
  Server *server;
  SoupServerMessage *msg; /* referenced while the worker has it */
} Pending;

static void
answered (ServerRequest *req, gpointer tag)
{
  Pending *p = tag;
  Server *s = p->server;
  Tracking *t = tracking (p->msg);
  if (t != NULL)
    t->user = g_strdup (req->user);
  if (req->auth_failed)
    server_throttle_failed (s->throttle, soup_server_message_get_remote_host (p->msg));
  respond_request (p->msg, req);
  soup_server_message_unpause (p->msg);
  g_object_unref (p->msg);
  g_free (p);
  server_request_free (req);
}

static GHashTable *
copy_query (GHashTable *query)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (query != NULL)
    {
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init (&it, query);
      while (g_hash_table_iter_next (&it, &k, &v))
        g_hash_table_insert (copy, g_strdup (k), g_strdup (v));
    }
  return copy;
}

/* @msg in the thread's language, @lang_error the bad ?lang if any. */
static void
handle_in_lang (Server *s, SoupServerMessage *msg, const char *path, GHashTable *query,
                const GError *lang_error)
{
  Tracking *t = tracking (msg);
  if (s->stopping)
    {
      respond_problem (s, msg, 503, "stopping", _ ("the server is stopping; try again shortly"), 5);
      return;
    }
  const char *method = soup_server_message_get_method (msg);
  if (strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0)
    {
      const char *type = NULL;
      g_autoptr (GBytes) page = server_pages_lookup (path, query, &type);
      if (page != NULL)
        {
          if (t != NULL)
            t->route = "pages";
          respond_page (msg, type, page);
          return;
        }
    }
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gboolean path_known = FALSE;
  const ServerRoute *route = server_route_match (method, path, params, &path_known);
  if (route == NULL)
    {
      if (path_known)
        respond_problem (s, msg, 405, "method_not_allowed",
                         _ ("this path does not take that method; openapi.yaml lists the routes"),
                         0);
      else
        respond_problem (s, msg, 404, "not_found",
                         _ ("no such route; openapi.yaml lists the routes"), 0);
      return;
    }
  if (t != NULL)
    t->route = route->pattern;
  if (lang_error != NULL)
    {
      respond_error (s, msg, lang_error);
      return;
    }
  if (route->handler == NULL)
    {
      g_autoptr (GBytes) text = server_metrics_text ();
      respond (msg, 200, "text/plain; version=0.0.4", text);
      return;
    }
  const char *address = soup_server_message_get_remote_host (msg);
  int wait = server_throttle_wait (s->throttle, address);
  if (wait > 0 && route->action != SERVER_PUBLIC)
    {
      respond_problem (s, msg, 429, "too_many_failures",
                       _ ("too many failed logins from this address; wait and check the token"),
                       wait);
      return;
    }
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  ServerRequest *req = g_new0 (ServerRequest, 1);
  req->route = route;
  req->opts = s->opts;
  req->method = g_strdup (method);
  req->path = g_strdup (path);
  req->params = g_steal_pointer (&params);
  req->query = copy_query (query);
  req->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  req->content_type = g_strdup (soup_message_headers_get_content_type (h, NULL));
  req->idempotency_key = g_strdup (soup_message_headers_get_one (h, "Idempotency-Key"));
  req->token = server_bearer_token (soup_message_headers_get_one (h, "Authorization"));
  req->lang = core_i18n_lang ();
  Pending *p = g_new0 (Pending, 1);
  p->server = s;
  p->msg = g_object_ref (msg);
  if (t != NULL)
    t->counted = TRUE;
  s->in_flight++;
  soup_server_message_pause (msg);
  server_pool_push (s->pool, req, p);
}

static void
handle (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer data)
{
  Server *s = data;
  if (soup_server_message_get_status (msg) != 0)
    return; /* answered already (413) */
  const char *lang = NULL;
  g_autoptr (GError) lang_error = NULL;
  message_lang (s, msg, query, &lang, &lang_error);
  const char *previous = core_i18n_set_thread (lang);
  handle_in_lang (s, msg, path, query, lang_error);
  core_i18n_set_thread (previous);
}

static gboolean
on_stop_signal (gpointer data)
{
  Server *s = data;
  if (s->stopping)
    return G_SOURCE_CONTINUE;
  s->stopping = TRUE;
  fprintf (stderr, "stopping: no new connections; finishing %u request%s in flight\n", s->in_flight,
           s->in_flight == 1 ? "" : "s");
  fflush (stderr);
  /* Close the listening sockets only: connections already open finish. */
  for (GSList *l = soup_server_get_listeners (s->soup); l != NULL; l = l->next)
    g_socket_close (l->data, NULL);
  stop_when_idle (s);
  return G_SOURCE_CONTINUE;
}

static GSocketAddress *
listen_address (const char *listen, GError **error)
{
  const char *colon = listen ? strrchr (listen, ':') : NULL;
  guint64 port = 0;
  g_autofree char *host = colon ? g_strndup (listen, (gsize)(colon - listen)) : NULL;
  if (host != NULL && host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);
      g_free (host);
      host = inner;
    }
  GSocketAddress *addr = NULL;
  if (colon != NULL && g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    addr = g_inet_socket_address_new_from_string (host, (guint)port);
  if (addr == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 _ ("cannot listen on \"%s\": give HOST:PORT with a numeric address, e.g. "
                    "127.0.0.1:8080"),
                 listen ? listen : "");
  return addr;
}

gboolean
server_run (const ServerOptions *opts, GError **error)
{
  /* Requests that ask for no language get the one `serve` runs in. */
  Server s = { .opts = opts, .lang = core_i18n_lang () };
  g_autoptr (GSocketAddress) addr = listen_address (opts->listen, error);
  if (addr == NULL)
    return FALSE;
  g_autoptr (GTlsCertificate) cert = NULL;
  if (opts->tls_cert != NULL)
    {
      cert = g_tls_certificate_new_from_files (opts->tls_cert, opts->tls_key, error);
      if (cert == NULL)
        return FALSE;
    }
  s.soup = g_object_new (SOUP_TYPE_SERVER, "server-header", "spotcheck", "tls-certificate", cert,
                         NULL);
  s.loop = g_main_loop_new (NULL, FALSE);
  s.throttle = server_throttle_new (opts->failed_logins_per_minute);
  s.pool
      = server_pool_new (opts->conninfo, opts->workers, g_main_context_default (), answered, error);
  gboolean ok = s.pool != NULL;
  if (ok)
    {
      g_signal_connect (s.soup, "request-started", G_CALLBACK (on_request_started), &s);
      soup_server_add_handler (s.soup, NULL, handle, &s, NULL);
      ok = soup_server_listen (s.soup, addr, cert ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
    }
  if (ok)
    {
      /* Before saying it listens: a SIGTERM sent as soon as a supervisor
       * reads that line stops the server in order, not by the signal. */
      guint term = g_unix_signal_add (SIGTERM, on_stop_signal, &s);
      guint intr = g_unix_signal_add (SIGINT, on_stop_signal, &s);
      GSList *uris = soup_server_get_uris (s.soup);
      for (GSList *l = uris; l != NULL; l = l->next)
        {
          g_autofree char *text = g_uri_to_string (l->data);
          fprintf (stderr, "listening on %s\n", text);
        }
      g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
      fflush (stderr);
      g_main_loop_run (s.loop);
      g_source_remove (term);
      g_source_remove (intr);
      soup_server_disconnect (s.soup);
    }
  server_pool_free (s.pool);
  server_throttle_free (s.throttle);
  g_main_loop_unref (s.loop);
  g_object_unref (s.soup);
  if (ok)
    {
      fprintf (stderr, "stopped\n");
      fflush (stderr);
    }
  return ok;
}
