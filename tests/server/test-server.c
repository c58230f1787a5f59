/* test-server.c: `spotcheck serve` as its clients meet it: the role × route
 * matrix generated from the served route table, uploads good and bad, the
 * scope of labs and offices, Idempotency-Key retries, body limits, failed
 * logins, health and metrics, a lost database connection and SIGTERM with a
 * request in flight. */
#include "tests/server/server-fixture.h"

#include <json-glib/json-glib.h>

static Fx fx;

static void
setup (void)
{
  fx_setup (&fx, "max-body-bytes=4096\nfailed-logins-per-minute=1000");
}

static void
teardown (void)
{
  fx_teardown (&fx);
}

static const char *
token_of (const char *role)
{
  if (strcmp (role, "admin") == 0)
    return fx.admin;
  if (strcmp (role, "coordinator") == 0)
    return fx.coordinator;
  if (strcmp (role, "inspector") == 0)
    return fx.inspector;
  return fx.lab1;
}

/* A concrete path for a route's pattern, with a month when it takes one. */
static char *
concrete (const char *pattern, const char *params)
{
  g_autoptr (GString) p = g_string_new (pattern);
  g_string_replace (p, "{name}", "nobody", 0);
  g_string_replace (p, "{record_no}", "DC24120104000001", 0);
  g_string_replace (p, "{case_no}", "HC2024-00001", 0);
  if (strstr (params, "month") != NULL)
    g_string_append (p, "?month=2024-01");
  return g_string_free (g_steal_pointer (&p), FALSE);
}

START_TEST (test_role_matrix_from_the_route_table)
{
  g_auto (TestRun) r = { 0 };
  RUN (&r, NULL, "serve", "--routes");
  ck_assert_int_eq (r.status, 0);
  g_auto (GStrv) lines = g_strsplit (r.out, "\n", -1);
  static const char *const roles[] = { "admin", "coordinator", "inspector", "lab" };
  guint checked = 0;
  for (gsize i = 0; lines[i] != NULL && *lines[i]; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], " ", 4);
      ck_assert_uint_eq (g_strv_length (f), 4);
      const char *method = f[0], *allowed = f[2];
      g_autofree char *path = concrete (f[1], f[3]);
      g_auto (Answer) a = { 0 };
      const char *body = strcmp (method, "GET") == 0 ? NULL : "";
      fx_request (&fx, &a, method, path, NULL, body, 0, NULL);
      if (strcmp (allowed, "public") == 0)
        {
          ck_assert_msg (a.status == 200, "%s %s without a token: %u", method, path, a.status);
          continue;
        }
      ck_assert_msg (a.status == 401, "%s %s without a token: %u", method, path, a.status);
      ck_assert_ptr_nonnull (soup_message_headers_get_one (a.headers, "WWW-Authenticate"));
      fx_request (&fx, &a, method, path, "0123456789abcdef", body, 0, NULL);
      ck_assert_msg (a.status == 401, "%s %s with a bad token: %u", method, path, a.status);
      g_auto (GStrv) ok = g_strsplit (allowed, ",", -1);
      for (gsize k = 0; k < G_N_ELEMENTS (roles); k++)
        {
          gboolean may = g_strv_contains ((const char *const *)ok, roles[k]);
          fx_request (&fx, &a, method, path, token_of (roles[k]), body, 0, NULL);
          if (may)
            ck_assert_msg (a.status != 401 && a.status != 403 && a.status < 500,
                           "%s %s as %s: %u %s", method, path, roles[k], a.status, a.body);
          else
            ck_assert_msg (a.status == 403, "%s %s as %s: %u, wanted 403", method, path, roles[k],
                           a.status);
          checked++;
        }
    }
  ck_assert_uint_ge (checked, 40);
}
END_TEST

static JsonObject *
parse (const char *text)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  ck_assert_msg (json_parser_load_from_data (p, text, -1, NULL), "not JSON: %s", text);
  ck_assert (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p)));
  return json_object_ref (json_node_get_object (json_parser_get_root (p)));
}

#define COUNT(sql) test_scalar (fx.db, sql)

START_TEST (test_lab_uploads_good_and_bad_files)
{
  gsize len = 0, bad_len = 0;
  g_autofree char *good = fx_data ("results.csv", &len);
  g_autofree char *bad = fx_data ("rejected.csv", &bad_len);
  g_auto (Answer) a = { 0 };
  fx_request (&fx, &a, "POST", "/api/v1/results", fx.lab1, bad, bad_len, NULL);
  ck_assert_msg (a.status == 400, "%u %s", a.status, a.body);
  g_autoptr (JsonObject) err = parse (a.body);
  JsonObject *e = json_object_get_object_member (err, "error");
  ck_assert_str_eq (json_object_get_string_member (e, "code"), "core_problems_error.0");
  JsonArray *problems = json_object_get_array_member (e, "problems");
  ck_assert_uint_ge (json_array_get_length (problems), 3);
  ck_assert_msg (strstr (json_array_get_string_element (problems, 0), "upload:") != NULL, "%s",
                 a.body);
  g_autofree char *none = COUNT ("SELECT count(*) FROM lab_report");
  ck_assert_str_eq (none, "0");

  fx_request (&fx, &a, "POST", "/api/v1/results", fx.lab1, good, len, NULL);
  ck_assert_msg (a.status == 201, "%u %s", a.status, a.body);
  g_autoptr (JsonObject) s = parse (a.body);
  ck_assert_int_eq (json_object_get_int_member (s, "reports_new"), 2);
  ck_assert_int_eq (json_object_get_int_member (s, "cases_opened"), 1);
  ck_assert_str_eq (json_object_get_string_member (s, "lab"), "LAB1");
  g_autofree char *stored = COUNT ("SELECT count(*) FROM lab_report");
  ck_assert_str_eq (stored, "2");
  /* the write is in the audit log with the user */
  g_autofree char *audit = COUNT ("SELECT count(*) FROM audit_log WHERE actor = 'lab1'");
  ck_assert_str_ne (audit, "0");
  /* the same file again stores nothing */
  fx_request (&fx, &a, "POST", "/api/v1/results", fx.lab1, good, len, NULL);
  ck_assert_msg (a.status == 200 && strstr (a.body, "\"unchanged\":true"), "%u %s", a.status,
                 a.body);
}
END_TEST

START_TEST (test_labs_and_offices_see_only_their_own)
{
  g_auto (Answer) a = { 0 };
  GET (&fx, &a, "/api/v1/samples/DC24120104000001", fx.lab1);
  ck_assert_msg (a.status == 200, "%u %s", a.status, a.body);
  GET (&fx, &a, "/api/v1/samples/DC24120104000001", fx.lab2);
  ck_assert_msg (a.status == 404, "another lab's sample: %u %s", a.status, a.body);
  GET (&fx, &a, "/api/v1/tasks/DC24120104000003?month=2024-01", fx.lab1);
  ck_assert_msg (a.status == 404, "another lab's task: %u %s", a.status, a.body);
  GET (&fx, &a, "/api/v1/tasks/DC24120104000003?month=2024-01", fx.lab2);
  ck_assert_msg (a.status == 200, "%u %s", a.status, a.body);
  GET (&fx, &a, "/api/v1/tasks?month=2024-01", fx.lab2);
  ck_assert (a.status == 200 && strstr (a.body, "DC24120104000001") == NULL);
  /* a lab's code comes from its token, never from the request */
  gsize len = 0;
  g_autofree char *good = fx_data ("results.csv", &len);
  fx_request (&fx, &a, "POST", "/api/v1/results?lab=LAB1", fx.lab2, good, len, NULL);
  ck_assert_msg (a.status == 404, "lab2 uploading as LAB1: %u %s", a.status, a.body);
  g_autofree char *none = COUNT ("SELECT count(*) FROM lab_report");
  ck_assert_str_eq (none, "0");
  /* an inspector of another office sees none of 12010401's tasks */
  GET (&fx, &a, "/api/v1/tasks?month=2024-01", fx.inspector2);
  ck_assert (a.status == 200 && strstr (a.body, "DC24120104000001") == NULL);
  GET (&fx, &a, "/api/v1/tasks/DC24120104000001?month=2024-01", fx.inspector2);
  ck_assert_uint_eq (a.status, 404);
  GET (&fx, &a, "/api/v1/samples/DC24120104000001", fx.inspector2);
  ck_assert_uint_eq (a.status, 404);
}
END_TEST

START_TEST (test_hostile_parameters)
{
  static const char *const paths[] = {
    "/api/v1/samples/'%20OR%201=1--",
    "/api/v1/samples/..%2F..%2Fetc%2Fpasswd",
    "/api/v1/cases/1;DROP%20TABLE%20app_user",
    "/api/v1/tasks?month=2024-01'--",
    "/api/v1/tasks?month=2024-01&office='%20OR%20''='",
    "/api/v1/cases?state=open'%20OR%201=1",
    "/api/v1/../../etc/passwd",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto (Answer) a = { 0 };
      GET (&fx, &a, paths[i], fx.coordinator);
      ck_assert_msg (a.status == 400 || a.status == 404, "%s: %u %s", paths[i], a.status, a.body);
    }
  g_autofree char *users = COUNT ("SELECT count(*) FROM app_user");
  ck_assert_str_eq (users, "6");
}
END_TEST

/* LAB2's sample is task 3: the first report of results.csv, renumbered. */
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

START_TEST (test_failed_logins_are_slowed_down)
{
  fx_stop (&fx);
  g_clear_pointer (&fx.base, g_free);
  g_clear_object (&fx.session);
  fx_start (&fx, "failed-logins-per-minute=5");
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

START_TEST (test_health_metrics_and_log)
{
  g_auto (Answer) a = { 0 };
  GET (&fx, &a, "/healthz", NULL);
  ck_assert_uint_eq (a.status, 200);
  ck_assert (strstr (a.body, "\"status\":\"ok\"") != NULL);
  GET (&fx, &a, "/api/v1/cases", fx.coordinator);
  ck_assert_uint_eq (a.status, 200);
  GET (&fx, &a, "/metrics", NULL);
  ck_assert_uint_eq (a.status, 200);
  ck_assert_msg (strstr (a.body, "spotcheck_http_requests_total{route=\"/api/v1/cases\","
                                 "status=\"200\"} 1")
                     != NULL,
                 "%s", a.body);
  ck_assert (strstr (a.body, "spotcheck_http_request_duration_seconds_count{route=\"/healthz\"}")
             != NULL);
  g_autofree char *log = fx_log (&fx);
  ck_assert_msg (strstr (log, "GET /api/v1/cases 200 ") != NULL && strstr (log, " coord1\n"), "%s",
                 log);
  ck_assert (strstr (log, fx.coordinator) == NULL);
}
END_TEST

START_TEST (test_xlsx_download)
{
  g_auto (Answer) a = { 0 };
  GET (&fx, &a, "/api/v1/tasks?month=2024-01&format=xlsx", fx.coordinator);
  ck_assert_uint_eq (a.status, 200);
  ck_assert (g_str_has_prefix (a.body, "PK"));
  ck_assert (
      strstr (soup_message_headers_get_one (a.headers, "Content-Disposition"), "tasks-2024-01.xlsx")
      != NULL);
  GET (&fx, &a, "/api/v1/tasks?month=2024-01&format=text", fx.coordinator);
  ck_assert_uint_eq (a.status, 400);
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

START_TEST (test_users_tokens_and_the_working_role)
{
  /* only hashes are stored, and the working role can neither delete users
   * nor rewrite a stored answer */
  g_autofree char *plain = NULL;
  g_autofree char *sql
      = g_strdup_printf ("SELECT count(*) FROM app_user WHERE encode (token_hash, 'hex') = '%s' "
                         "OR token_hash::text LIKE '%%%s%%'",
                         fx.lab1, fx.lab1);
  plain = COUNT (sql);
  ck_assert_str_eq (plain, "0");
  g_autoptr (GError) error = NULL;
  ck_assert (!db_run (fx.db->conn, "DELETE FROM app_user", DB_NO_ARGS, &error));
  ck_assert (db_error_is (error, "42501"));
  g_autofree char *audit = COUNT ("SELECT count(*) FROM audit_log WHERE action = 'users.add'");
  ck_assert_str_eq (audit, "6");
  /* an admin adds a user over HTTP; the token works at once; revoking ends it */
  const char *body = "{\"name\": \"lab9\", \"role\": \"lab\", \"lab\": \"LAB2\"}";
  g_auto (Answer) a = { 0 };
  fx_request (&fx, &a, "POST", "/api/v1/users", fx.admin, body, strlen (body), NULL);
  ck_assert_msg (a.status == 201, "%u %s", a.status, a.body);
  g_autoptr (JsonParser) p = json_parser_new ();
  ck_assert (json_parser_load_from_data (p, a.body, -1, NULL));
  g_autofree char *token = g_strdup (
      json_object_get_string_member (json_node_get_object (json_parser_get_root (p)), "token"));
  ck_assert_uint_eq (strlen (token), 64);
  GET (&fx, &a, "/api/v1/samples/DC24120104000003", token);
  ck_assert_uint_eq (a.status, 200);
  fx_request (&fx, &a, "DELETE", "/api/v1/users/lab9", fx.admin, NULL, 0, NULL);
  ck_assert_uint_eq (a.status, 204);
  GET (&fx, &a, "/api/v1/samples/DC24120104000003", token);
  ck_assert_uint_eq (a.status, 401);
  /* a lab user for a lab that does not exist is refused */
  const char *ghost = "{\"name\": \"lab8\", \"role\": \"lab\", \"lab\": \"NOPE\"}";
  fx_request (&fx, &a, "POST", "/api/v1/users", fx.admin, ghost, strlen (ghost), NULL);
  ck_assert_msg (a.status == 400 && strstr (a.body, "\"argument\":\"lab\""), "%u %s", a.status,
                 a.body);
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
  ck_assert_msg (!g_subprocess_get_if_exited (fx.proc) && !g_subprocess_get_if_signaled (fx.proc),
                 "the server left before answering");
  ck_assert (db_run (owner, "COMMIT", DB_NO_ARGS, NULL));
  g_thread_join (t);
  ck_assert_msg (b.answer.status == 200, "%u %s", b.answer.status, b.answer.body);
  answer_clear (&b.answer);
  g_autoptr (GError) error = NULL;
  ck_assert (g_subprocess_wait (fx.proc, NULL, &error));
  ck_assert (g_subprocess_get_if_exited (fx.proc));
  ck_assert_int_eq (g_subprocess_get_exit_status (fx.proc), 0);
  g_clear_object (&fx.proc);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("server");
  TCase *tc = tcase_create ("server");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_role_matrix_from_the_route_table);
  tcase_add_test (tc, test_lab_uploads_good_and_bad_files);
  tcase_add_test (tc, test_labs_and_offices_see_only_their_own);
  tcase_add_test (tc, test_hostile_parameters);
  tcase_add_test (tc, test_idempotent_retry_stores_once);
  tcase_add_test (tc, test_concurrent_uploads_from_two_labs);
  tcase_add_test (tc, test_users_tokens_and_the_working_role);
  tcase_add_test (tc, test_large_body_is_413);
  tcase_add_test (tc, test_failed_logins_are_slowed_down);
  tcase_add_test (tc, test_health_metrics_and_log);
  tcase_add_test (tc, test_xlsx_download);
  tcase_add_test (tc, test_lost_connections_come_back);
  tcase_add_test (tc, test_sigterm_finishes_the_request_in_flight);
  tcase_add_test (tc, test_client_gone_before_the_answer);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
