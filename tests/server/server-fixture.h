/* server-fixture.h: a real `spotcheck serve` on 127.0.0.1 port 0 over a fresh
 * test database holding the results fixture (labs LAB1 and LAB2, tasks and
 * samples), with one user of every role, and a libsoup client for it. */
#pragma once

#include "tests/db/results-fixture.h"
#include "tests/support/test-run.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

typedef struct
{
  TestDb *db;     /* the shared test cluster's database, or NULL: */
  char *data_dir; /* an embedded cluster of the test's own (--data-dir) */
  char *dir;      /* config file and the server's log */
  char *log_path;
  GSubprocess *proc;
  const char *lang; /* the server's --lang, or NULL (the locale's: English here) */
  char *base;       /* http://127.0.0.1:PORT */
  SoupSession *session;
  /* tokens */
  char *admin, *coordinator, *inspector, *inspector2, *lab1, *lab2;
} Fx;

typedef struct
{
  guint status;
  char *body;
  SoupMessageHeaders *headers; /* the answer's, referenced */
} Answer;

static inline void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->body, g_free);
  g_clear_pointer (&a->headers, soup_message_headers_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static inline char *
fx_user (TestDb *db, const char *const *args)
{
  g_auto (TestRun) r = { 0 };
  test_run_spotcheck (&r, db, args);
  ck_assert_msg (r.status == 0, "user add failed: %s", r.err);
  return g_strstrip (g_strdup (r.out));
}
#define FX_USER(db, ...) fx_user (db, (const char *const[]){ "user", "add", __VA_ARGS__, NULL })

static inline char *
fx_log (const Fx *fx)
{
  char *text = NULL;
  g_file_get_contents (fx->log_path, &text, NULL, NULL);
  return text ? text : g_strdup ("");
}

/* Starts the server with [server] @conf_extra added to its config and
 * serving HTTPS with @cert and @key when they are given. */
static inline void
fx_start_tls (Fx *fx, const char *conf_extra, const char *cert, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = g_build_filename (fx->dir, "server.conf", NULL);
  g_autofree char *text = g_strdup_printf ("[server]\n%s\n", conf_extra ? conf_extra : "");
  ck_assert (g_file_set_contents (conf, text, -1, NULL));
  g_clear_pointer (&fx->log_path, g_free);
  /* A log of its own for every start, so an earlier server's line is never read. */
  static int starts;
  g_autofree char *log_name = g_strdup_printf ("serve-%d.log", ++starts);
  fx->log_path = g_build_filename (fx->dir, log_name, NULL);
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stderr_file_path (l, fx->log_path);
  g_subprocess_launcher_set_stdout_file_path (l, "/dev/null");
  const char *bin = g_getenv ("SPOTCHECK_BIN");
  const char *argv[] = { bin,
                         fx->db ? "--db" : "--data-dir",
                         fx->db ? fx->db->conninfo : fx->data_dir,
                         "--config",
                         conf,
                         "serve",
                         "--listen",
                         "127.0.0.1:0",
                         "--workers",
                         "2",
                         "--date",
                         "2024-02-08",
                         cert ? "--tls-cert" : NULL,
                         cert,
                         "--tls-key",
                         key,
                         NULL };
  /* the language first, when the test gives one */
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_ptr_array_add (args, (gpointer)bin);
  if (fx->lang != NULL)
    {
      g_ptr_array_add (args, "--lang");
      g_ptr_array_add (args, (gpointer)fx->lang);
    }
  for (const char *const *a = argv + 1; *a != NULL; a++)
    g_ptr_array_add (args, (gpointer)*a);
  g_ptr_array_add (args, NULL);
  fx->proc = g_subprocess_launcher_spawnv (l, (const char *const *)args->pdata, &error);
  ck_assert_msg (fx->proc != NULL, "%s", error ? error->message : "");
  for (int i = 0; i < 300 && fx->base == NULL; i++)
    {
      g_autofree char *log = fx_log (fx);
      const char *scheme = cert ? "https" : "http";
      g_autofree char *want = g_strdup_printf ("listening on %s://127.0.0.1:", scheme);
      const char *at = strstr (log, want);
      if (at != NULL && strchr (at, '\n') != NULL)
        {
          fx->base = g_strdup_printf ("%s://127.0.0.1:%d", scheme, atoi (at + strlen (want)));
          break;
        }
      /* The identifier goes once the process has exited (asking whether it
       * exited before it did is a GLib critical). */
      ck_assert_msg (g_subprocess_get_identifier (fx->proc) != NULL || i == 0,
                     "the server exited early:\n%s", log);
      g_usleep (50 * 1000);
    }
  g_autofree char *log = fx_log (fx);
  ck_assert_msg (fx->base != NULL, "the server did not start:\n%s", log);
  fx->session = soup_session_new_with_options ("timeout", 60, NULL);
}

static inline void
fx_start (Fx *fx, const char *conf_extra)
{
  fx_start_tls (fx, conf_extra, NULL, NULL);
}

/* Stops the server (SIGTERM) and starts it again with other settings. */
static inline int fx_stop (Fx *fx);
static inline void
fx_restart (Fx *fx, const char *conf_extra, const char *cert, const char *key)
{
  ck_assert_int_eq (fx_stop (fx), 0);
  g_clear_pointer (&fx->base, g_free);
  g_clear_object (&fx->session);
  fx_start_tls (fx, conf_extra, cert, key);
}

/* The server in @lang ("zh", "en"; NULL: the locale's). */
static inline void
fx_setup_lang (Fx *fx, const char *conf_extra, const char *lang)
{
  memset (fx, 0, sizeof *fx);
  fx->lang = lang;
  fx->db = test_db_new ();
  fx_registry (fx->db, 3, 3);
  fx->dir = test_scratch_dir ();
  fx->admin = FX_USER (fx->db, "root1", "--role", "admin");
  fx->coordinator = FX_USER (fx->db, "coord1", "--role", "coordinator");
  fx->inspector = FX_USER (fx->db, "insp1", "--role", "inspector", "--office", "12010401");
  fx->inspector2 = FX_USER (fx->db, "insp2", "--role", "inspector", "--office", "12010402");
  fx->lab1 = FX_USER (fx->db, "lab1", "--role", "lab", "--lab", "LAB1");
  fx->lab2 = FX_USER (fx->db, "lab2", "--role", "lab", "--lab", "LAB2");
  fx_start (fx, conf_extra);
}

static inline void
fx_setup (Fx *fx, const char *conf_extra)
{
  fx_setup_lang (fx, conf_extra, NULL);
}

/* Stops the server with SIGTERM and returns its exit status. */
static inline int
fx_stop (Fx *fx)
{
  if (fx->proc == NULL)
    return 0;
  g_subprocess_send_signal (fx->proc, SIGTERM);
  g_autoptr (GError) error = NULL;
  ck_assert (g_subprocess_wait (fx->proc, NULL, &error));
  int status = test_subprocess_status (fx->proc);
  g_clear_object (&fx->proc);
  return status;
}

static inline void
fx_teardown (Fx *fx)
{
  fx_stop (fx);
  g_clear_object (&fx->session);
  g_free (fx->base);
  g_free (fx->log_path);
  g_free (fx->admin);
  g_free (fx->coordinator);
  g_free (fx->inspector);
  g_free (fx->inspector2);
  g_free (fx->lab1);
  g_free (fx->lab2);
  g_free (fx->dir);
  test_db_free (fx->db);
}

/* One request; @token and @body may be NULL; @headers: name, value, ..., NULL. */
static inline void
fx_request (const Fx *fx, Answer *a, const char *method, const char *path, const char *token,
            const char *body, gsize body_len, const char *const *headers)
{
  answer_clear (a);
  g_autofree char *url = g_strconcat (fx->base, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  ck_assert_msg (msg != NULL, "bad URL %s", url);
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (h, "Authorization", auth);
    }
  for (gsize i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (h, headers[i], headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, body_len);
      soup_message_set_request_body_from_bytes (msg, "text/csv", bytes);
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) got = soup_session_send_and_read (fx->session, msg, NULL, &error);
  ck_assert_msg (got != NULL, "%s %s: %s", method, path, error ? error->message : "");
  a->status = soup_message_get_status (msg);
  a->body = g_strndup (g_bytes_get_data (got, NULL), g_bytes_get_size (got));
  a->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
}

#define GET(fx, a, path, token) fx_request (fx, a, "GET", path, token, NULL, 0, NULL)

static inline char *
fx_data (const char *name, gsize *len)
{
  g_autofree char *path = g_build_filename (g_getenv ("SPOTCHECK_SOURCE_DIR"), "tests", "data",
                                            "results", name, NULL);
  char *text = NULL;
  ck_assert (g_file_get_contents (path, &text, len, NULL));
  return text;
}

/* The server of each test: started by setup(), stopped by teardown(). */
static Fx fx;

G_GNUC_UNUSED static void
setup (void)
{
  fx_setup (&fx, "max-body-bytes=4096\nfailed-logins-per-minute=1000");
}

G_GNUC_UNUSED static void
teardown (void)
{
  fx_teardown (&fx);
}

static inline JsonObject *
parse (const char *text)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  ck_assert_msg (json_parser_load_from_data (p, text, -1, NULL), "not JSON: %s", text);
  ck_assert (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p)));
  return json_object_ref (json_node_get_object (json_parser_get_root (p)));
}

#define COUNT(sql) test_scalar (fx.db, sql)
