/* test-server-faults.c: `spotcheck serve` under load and faults: labs
 * uploading at once, Idempotency-Key retries (also racing each other), body
 * limits, failed logins, lost database connections, a client gone before its
 * answer, and SIGTERM with a request in flight. */
#include "tests/server/server-fixture.h"

#define LAB2_RESULTS                                                                                                        \
  "抽样单编号,报告编号,检验项目,检验结果,单位,标准限值,检出限,单项判定,结论,检验日期\n" \
  "DC24120104000003,BG2024-0003,铅(以Pb计),0.12,mg/kg,≤0.5,0.01,合格,合格,2024-02-05\n"

typedef struct
{
  const char *token;
  const char *body;
  gsize len;
  const char *const *headers;
  Answer answer;
} Racer;

static gpointer
race (gpointer data)
{
  Racer *r = data;
  fx_request (&fx, &r->answer, "POST", "/api/v1/results", r->token, r->body, r->len, r->headers);
  return NULL;
}

START_TEST (test_concurrent_uploads_from_two_labs)
{
  gsize len = 0;
  g_autofree char *one = fx_data ("results.csv", &len);
  g_autoptr (GString) two = g_string_new (LAB2_RESULTS);
  Racer a = { .token = fx.lab1, .body = one, .len = len };
  Racer b = { .token = fx.lab2, .body = two->str, .len = two->len };
  GThread *ta = g_thread_new ("lab1", race, &a), *tb = g_thread_new ("lab2", race, &b);
  g_thread_join (ta);
  g_thread_join (tb);
  ck_assert_msg (a.answer.status == 201, "%u %s", a.answer.status, a.answer.body);
  ck_assert_msg (b.answer.status == 201, "%u %s", b.answer.status, b.answer.body);
  answer_clear (&a.answer);
  answer_clear (&b.answer);
  g_autofree char *labs = COUNT ("SELECT string_agg (DISTINCT lab, ',' ORDER BY lab) FROM "
                                 "result_import");
  ck_assert_str_eq (labs, "LAB1,LAB2");
}
END_TEST

START_TEST (test_idempotent_retry_stores_once)
{
  gsize len = 0;
  g_autofree char *good = fx_data ("results.csv", &len);
  const char *const key[] = { "Idempotency-Key", "upload-7f3a", NULL };
  g_auto (Answer) a = { 0 }, b = { 0 }, c = { 0 };
  fx_request (&fx, &a, "POST", "/api/v1/results", fx.lab1, good, len, key);
  ck_assert_msg (a.status == 201, "%u %s", a.status, a.body);
  fx_request (&fx, &b, "POST", "/api/v1/results", fx.lab1, good, len, key);
  ck_assert_uint_eq (b.status, 201);
  ck_assert_str_eq (b.body, a.body);
  ck_assert_str_eq (soup_message_headers_get_one (b.headers, "Idempotent-Replay"), "true");
  g_autofree char *imports = COUNT ("SELECT count(*) FROM result_import");
  ck_assert_str_eq (imports, "1");
  /* two retries racing each other with a new key store once, and agree */
  const char *const key2[] = { "Idempotency-Key", "upload-race", NULL };
  const char *lab2_file = LAB2_RESULTS;
  Racer r1 = { .token = fx.lab2, .body = lab2_file, .len = strlen (lab2_file), .headers = key2 };
  Racer r2 = r1;
  GThread *t1 = g_thread_new ("r1", race, &r1), *t2 = g_thread_new ("r2", race, &r2);
  g_thread_join (t1);
  g_thread_join (t2);
  ck_assert_msg (r1.answer.status == 201 && r2.answer.status == 201, "%u %s / %u %s",
                 r1.answer.status, r1.answer.body, r2.answer.status, r2.answer.body);
  ck_assert_str_eq (r1.answer.body, r2.answer.body);
  answer_clear (&r1.answer);
  answer_clear (&r2.answer);
  g_autofree char *after = COUNT ("SELECT count(*) FROM result_import");
  ck_assert_str_eq (after, "2");

  /* the same key from another user is that user's own */
  fx_request (&fx, &c, "POST", "/api/v1/results", fx.lab2, good, len, key);
  ck_assert_ptr_null (soup_message_headers_get_one (c.headers, "Idempotent-Replay"));
}
END_TEST

/* A request announcing a large body (and waiting, as curl does, for leave to
 * send it) is refused at once from its headers: the body is never read. */
static void
announce_only (const Fx *f, guint64 length, char **answer)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_socket_client_set_timeout (client, 10);
  const char *port = strrchr (f->base, ':') + 1;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) c
      = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16)atoi (port), NULL, &error);
  ck_assert_msg (c != NULL, "%s", error ? error->message : "");
  g_autofree char *head = g_strdup_printf (
      "POST /api/v1/results HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
      "Content-Type: text/csv\r\nExpect: 100-continue\r\nContent-Length: %" G_GUINT64_FORMAT
      "\r\n\r\n",
      f->lab1, length);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (c));
  ck_assert (g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL));
  char buf[4096] = { 0 };
  gssize n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (c)), buf,
                                  sizeof buf - 1, NULL, &error);
  ck_assert_msg (n > 0, "no answer before the body: %s", error ? error->message : "closed");
  *answer = g_strndup (buf, (gsize)n);
}

START_TEST (test_large_body_is_413)
{
  g_autofree char *early = NULL;
  announce_only (&fx, 1000000000, &early);
  ck_assert_msg (g_str_has_prefix (early, "HTTP/1.1 413"), "%s", early);
  gsize n = 100 * 1024;
  g_autofree char *big = g_malloc (n);
  memset (big, 'x', n);
  g_auto (Answer) a = { 0 };
  fx_request (&fx, &a, "POST", "/api/v1/results", fx.lab1, big, n, NULL);
  ck_assert_msg (a.status == 413, "%u %s", a.status, a.body);
  ck_assert (strstr (a.body, "max-body-bytes") != NULL);
  /* a chunked body of unannounced length is counted as it arrives */
  g_autofree char *url = g_strconcat (fx.base, "/api/v1/results", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", fx.lab1);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_data (big, (gssize)n, NULL);
  soup_message_set_request_body (msg, "text/csv", stream, -1);
  g_autoptr (GBytes) got = soup_session_send_and_read (fx.session, msg, NULL, NULL);
  ck_assert_uint_eq (soup_message_get_status (msg), 413);
  /* malformed JSON is a 400 with the reason */
  const char *json = "[{\"抽样单编号\": ";
  fx_request (&fx, &a, "POST", "/api/v1/results", fx.lab1, json, strlen (json), NULL);
  ck_assert_msg (a.status == 400, "%u %s", a.status, a.body);
}
END_TEST

/* A SIGTERM sent the moment the server says it listens stops it in order
 * (exit 0), not by the signal: the handlers come before that line. The
 * window was narrow (seen once, under ASan, as a restart that ended by the
 * signal); this repeats the moment so that load widens it. */
START_TEST (test_sigterm_as_soon_as_it_listens)
{
  for (int i = 0; i < 5; i++)
    fx_restart (&fx, NULL, NULL, NULL);
  ck_assert_int_eq (fx_stop (&fx), 0);
}
END_TEST

START_TEST (test_failed_logins_are_slowed_down)
{
  fx_restart (&fx, "failed-logins-per-minute=5", NULL, NULL);
  g_auto (Answer) a = { 0 };
  for (int i = 0; i < 5; i++)
    {
      GET (&fx, &a, "/api/v1/tasks?month=2024-01", "bad-token");
      ck_assert_uint_eq (a.status, 401);
    }
  GET (&fx, &a, "/api/v1/tasks?month=2024-01", fx.lab1);
  ck_assert_uint_eq (a.status, 429);
  ck_assert_ptr_nonnull (soup_message_headers_get_one (a.headers, "Retry-After"));
  /* the log names users and never a token */
  g_autofree char *log = fx_log (&fx);
  ck_assert (strstr (log, "bad-token") == NULL && strstr (log, fx.lab1) == NULL);
}
END_TEST

START_TEST (test_lost_connections_come_back)
{
  g_auto (Answer) a = { 0 };
  GET (&fx, &a, "/api/v1/cases", fx.coordinator);
  ck_assert_uint_eq (a.status, 200);
  /* What a PostgreSQL restart does to the workers' connections. */
  g_autofree char *sql = g_strdup_printf (
      "SELECT count(pg_terminate_backend (pid)) >= 0 FROM pg_stat_activity WHERE datname = '%s' "
      "AND pid <> pg_backend_pid ()",
      fx.db->dbname);
  g_autoptr (PGconn) owner = db_connect (fx.db->owner_conninfo, NULL);
  ck_assert_ptr_nonnull (owner);
  g_autofree char *killed = db_scalar (owner, sql, DB_NO_ARGS, NULL);
  ck_assert_str_eq (killed, "t");
  int ok_at = -1;
  for (int i = 0; i < 6 && ok_at < 0; i++)
    {
      GET (&fx, &a, "/api/v1/cases", fx.coordinator);
      if (a.status == 200)
        ok_at = i;
      else
        {
          ck_assert_msg (a.status == 503, "%u %s", a.status, a.body);
          ck_assert_ptr_nonnull (soup_message_headers_get_one (a.headers, "Retry-After"));
        }
    }
  ck_assert_msg (ok_at >= 0 && ok_at <= 2, "no answer after the reconnect");
}
END_TEST

START_TEST (test_client_gone_before_the_answer)
{
  g_autoptr (PGconn) owner = db_connect (fx.db->owner_conninfo, NULL);
  ck_assert (db_run (owner, "BEGIN", DB_NO_ARGS, NULL));
  ck_assert (db_run (owner, "LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE", DB_NO_ARGS, NULL));
  g_autoptr (SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);
  g_autofree char *url = g_strconcat (fx.base, "/api/v1/cases", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", fx.coordinator);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) got = soup_session_send_and_read (impatient, msg, NULL, &error);
  ck_assert_ptr_null (got); /* timed out: the client is gone */
  ck_assert (db_run (owner, "COMMIT", DB_NO_ARGS, NULL));
  g_usleep (300 * 1000);
  g_auto (Answer) a = { 0 };
  GET (&fx, &a, "/api/v1/cases", fx.coordinator);
  ck_assert_uint_eq (a.status, 200);
  ck_assert_int_eq (fx_stop (&fx), 0);
  g_autofree char *log = fx_log (&fx);
  ck_assert_msg (strstr (log, "CRITICAL") == NULL && strstr (log, "WARNING") == NULL, "%s", log);
}
END_TEST

typedef struct
{
  const Fx *fx;
  Answer answer;
} Background;

static gpointer
background_get (gpointer data)
{
  Background *b = data;
  GET (b->fx, &b->answer, "/api/v1/cases", b->fx->coordinator);
  return NULL;
}

START_TEST (test_sigterm_finishes_the_request_in_flight)
{
  /* Hold the users table, so the request waits on a worker. */
  g_autoptr (PGconn) owner = db_connect (fx.db->owner_conninfo, NULL);
  ck_assert (db_run (owner, "BEGIN", DB_NO_ARGS, NULL));
  ck_assert (db_run (owner, "LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE", DB_NO_ARGS, NULL));
  Background b = { .fx = &fx };
  GThread *t = g_thread_new ("request", background_get, &b);
  for (int i = 0; i < 100; i++)
    {
      g_autofree char *waiting = NULL;
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_locks l JOIN pg_class c ON "
                                              "c.oid = l.relation WHERE c.relname = 'app_user' "
                                              "AND NOT l.granted");
      waiting = db_scalar (owner, sql, DB_NO_ARGS, NULL);
      if (waiting && strcmp (waiting, "0") != 0)
        break;
      g_usleep (50 * 1000);
    }
  g_subprocess_send_signal (fx.proc, SIGTERM);
  g_usleep (300 * 1000);
  /* still there (the identifier goes when it has exited) */
  ck_assert_msg (g_subprocess_get_identifier (fx.proc) != NULL, "the server left before answering");
  ck_assert (db_run (owner, "COMMIT", DB_NO_ARGS, NULL));
  g_thread_join (t);
  ck_assert_msg (b.answer.status == 200, "%u %s", b.answer.status, b.answer.body);
  answer_clear (&b.answer);
  g_autoptr (GError) error = NULL;
  ck_assert (g_subprocess_wait (fx.proc, NULL, &error));
  ck_assert_int_eq (test_subprocess_status (fx.proc), 0);
  g_clear_object (&fx.proc);
}
END_TEST

static gboolean
accept_any (SoupMessage *msg, GTlsCertificate *cert, GTlsCertificateFlags errors, gpointer data)
{
  return TRUE; /* the test's own self-signed certificate */
}

START_TEST (test_https)
{
  g_autofree char *cert = g_build_filename (fx.dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (fx.dir, "key.pem", NULL);
  g_auto (TestRun) r = { 0 };
  test_run_argv (&r, (const char *const[]){ "openssl", "req", "-x509", "-newkey", "rsa:2048",
                                            "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                                            "-subj", "/CN=127.0.0.1", NULL });
  ck_assert_msg (r.status == 0, "openssl: %s", r.err);
  fx_restart (&fx, NULL, cert, key);
  ck_assert (g_str_has_prefix (fx.base, "https://"));
  g_autofree char *url = g_strconcat (fx.base, "/api/v1/cases", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any), NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", fx.coordinator);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) got = soup_session_send_and_read (fx.session, msg, NULL, &error);
  ck_assert_msg (got != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (soup_message_get_status (msg), 200);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("server-faults");
  TCase *tc = tcase_create ("server-faults");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_concurrent_uploads_from_two_labs);
  tcase_add_test (tc, test_idempotent_retry_stores_once);
  tcase_add_test (tc, test_large_body_is_413);
  tcase_add_test (tc, test_sigterm_as_soon_as_it_listens);
  tcase_add_test (tc, test_failed_logins_are_slowed_down);
  tcase_add_test (tc, test_lost_connections_come_back);
  tcase_add_test (tc, test_client_gone_before_the_answer);
  tcase_add_test (tc, test_https);
  tcase_add_test (tc, test_sigterm_finishes_the_request_in_flight);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
