/* server-pool.c: database work never runs on the main loop. A fixed set of
 * worker threads each keeps one connection of its own (thread-private), made
 * on first use and made again when it broke, so a PostgreSQL restart costs
 * 503 answers while it lasts and nothing after. Each job runs in its
 * request's language. */
#include "server/server-private.h"

#include "service/svc-health.h"

struct ServerPool
{
  GThreadPool *threads;
  char *conninfo;
  GMainContext *main_context;
  ServerPoolDone done;
};

typedef struct
{
  ServerPool *pool;
  ServerRequest *req;
  gpointer tag;
} Job;

static void
close_conn (gpointer conn)
{
  svc_health_close (conn);
}

static GPrivate worker_conn = G_PRIVATE_INIT (close_conn);

/* The thread's connection, fit for a new transaction, or NULL when the
 * database cannot be reached now. */
static PGconn *
thread_conn (ServerPool *pool)
{
  PGconn *conn = g_private_get (&worker_conn);
  if (svc_health_conn_ready (conn))
    return conn;
  g_autoptr (GError) error = NULL;
  conn = svc_health_connect (pool->conninfo, &error);
  if (conn == NULL)
    g_warning ("cannot connect to the database: %s", error->message);
  g_private_replace (&worker_conn, conn);
  return conn;
}

static gboolean
deliver (gpointer data)
{
  Job *job = data;
  job->pool->done (job->req, job->tag);
  g_free (job);
  return G_SOURCE_REMOVE;
}

static void
work (gpointer data, gpointer user_data)
{
  Job *job = data;
  PGconn *conn = thread_conn (job->pool);
  /* The request's language for everything said while it runs, then this
   * worker's own again, so the next request starts from nothing of it. */
  const char *previous = core_i18n_set_thread (job->req->lang);
  server_dispatch (job->req, conn);
  core_i18n_set_thread (previous);
  /* A connection that broke during the request is dropped now, so the next
   * request on this worker reconnects instead of failing too. */
  if (conn != NULL && !svc_health_conn_ready (conn))
    g_private_replace (&worker_conn, NULL);
  g_main_context_invoke (job->pool->main_context, deliver, job);
}

ServerPool *
server_pool_new (const char *conninfo, int workers, GMainContext *main_context, ServerPoolDone done,
                 GError **error)
{
  ServerPool *pool = g_new0 (ServerPool, 1);
  pool->conninfo = g_strdup (conninfo);
  pool->main_context = g_main_context_ref (main_context);
  pool->done = done;
  /* Exclusive threads live as long as the pool, and so do their connections. */
  pool->threads = g_thread_pool_new (work, pool, workers, TRUE, error);
  if (pool->threads == NULL)
    {
      server_pool_free (pool);
      return NULL;
    }
  return pool;
}

void
server_pool_push (ServerPool *pool, ServerRequest *req, gpointer tag)
{
  Job *job = g_new0 (Job, 1);
  job->pool = pool;
  job->req = req;
  job->tag = tag;
  g_thread_pool_push (pool->threads, job, NULL);
}

void
server_pool_free (ServerPool *pool)
{
  if (pool == NULL)
    return;
  if (pool->threads != NULL)
    g_thread_pool_free (pool->threads, FALSE, TRUE);
  g_main_context_unref (pool->main_context);
  g_free (pool->conninfo);
  g_free (pool);
}
