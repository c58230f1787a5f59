/* test-server.c: `spotcheck serve` as its users meet it: the role × route
 * matrix generated from the served route table, uploads good and bad, the
 * scope of labs and offices, hostile parameters, downloads, users and tokens,
 * health and metrics. Faults are in test-server-faults.c. */
#include "tests/server/server-fixture.h"

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
  g_string_replace (p, "{kind}", "progress", 0);
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
  /* and as fields, for a table */
  JsonArray *details = json_object_get_array_member (e, "details");
  ck_assert_uint_eq (json_array_get_length (details), json_array_get_length (problems));
  JsonObject *first = json_array_get_object_element (details, 0);
  ck_assert_int_eq (json_object_get_int_member (first, "line"), 2);
  ck_assert_str_eq (json_object_get_string_member (first, "column"), "抽样单编号");
  ck_assert_str_eq (json_object_get_string_member (first, "value"), "DC24120104000099");
  ck_assert (strstr (json_object_get_string_member (first, "why"), "unknown sampling number"));
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
  /* a coordinator uploads for a lab it names, and must name one */
  g_autofree char *lab2_file = g_strdup (
      "抽样单编号,报告编号,检验项目,检验结果,单位,标准限值,检出限,单项判定,结论,检验日期\n"
      "DC24120104000003,BG2024-0003,铅(以Pb计),0.12,mg/kg,≤0.5,0.01,合格,合格,2024-02-05\n");
  fx_request (&fx, &a, "POST", "/api/v1/results", fx.coordinator, lab2_file, strlen (lab2_file),
              NULL);
  ck_assert_msg (a.status == 400 && strstr (a.body, "no lab given")
                     && strstr (a.body, "\"argument\":\"lab\""),
                 "%u %s", a.status, a.body);
  fx_request (&fx, &a, "POST", "/api/v1/results?lab=LAB2", fx.coordinator, lab2_file,
              strlen (lab2_file), NULL);
  ck_assert_msg (a.status == 201, "%u %s", a.status, a.body);
  /* the same file again stores nothing */
  fx_request (&fx, &a, "POST", "/api/v1/results", fx.lab1, good, len, NULL);
  ck_assert_msg (a.status == 200 && strstr (a.body, "\"unchanged\":true"), "%u %s", a.status,
                 a.body);
}
END_TEST

START_TEST (test_pages_routes_me_pending_uploads)
{
  g_auto (Answer) a = { 0 };
  GET (&fx, &a, "/api/v1/me", fx.lab1);
  ck_assert_msg (a.status == 200 && strstr (a.body, "\"role\":\"lab\"")
                     && strstr (a.body, "\"lab\":\"LAB1\""),
                 "%u %s", a.status, a.body);
  GET (&fx, &a, "/api/v1/me", fx.inspector);
  ck_assert_msg (a.status == 200 && strstr (a.body, "\"office\":\"12010401\""), "%s", a.body);
  /* the samples awaiting a lab's results: its own only */
  GET (&fx, &a, "/api/v1/results/pending", fx.lab1);
  ck_assert_msg (a.status == 200 && strstr (a.body, "DC24120104000001")
                     && !strstr (a.body, "DC24120104000003"),
                 "%u %s", a.status, a.body);
  GET (&fx, &a, "/api/v1/results/pending?lab=LAB2", fx.lab1);
  ck_assert_msg (a.status == 404, "another lab's list: %u %s", a.status, a.body);
  GET (&fx, &a, "/api/v1/results/pending", fx.coordinator);
  ck_assert_msg (a.status == 400 && strstr (a.body, "\"argument\":\"lab\""), "%s", a.body);
  GET (&fx, &a, "/api/v1/results/pending?lab=LAB2", fx.coordinator);
  ck_assert_msg (a.status == 200 && strstr (a.body, "DC24120104000003"), "%s", a.body);
  /* an upload named by the page, then in the history; a path is no name */
  gsize len = 0;
  g_autofree char *good = fx_data ("results.csv", &len);
  fx_request (&fx, &a, "POST", "/api/v1/results?file=../x.csv", fx.lab1, good, len, NULL);
  ck_assert_msg (a.status == 400 && strstr (a.body, "\"argument\":\"file\""), "%s", a.body);
  fx_request (&fx, &a, "POST", "/api/v1/results?file=%E7%BB%93%E6%9E%9C.csv", fx.lab1, good, len,
              NULL);
  ck_assert_msg (a.status == 201, "%u %s", a.status, a.body);
  GET (&fx, &a, "/api/v1/results/uploads", fx.lab1);
  ck_assert_msg (a.status == 200 && strstr (a.body, "结果.csv"), "%u %s", a.status, a.body);
  GET (&fx, &a, "/api/v1/results/uploads", fx.lab2);
  ck_assert_msg (a.status == 200 && !strstr (a.body, "import_id"), "%s", a.body);
  GET (&fx, &a, "/api/v1/results/pending", fx.lab1);
  ck_assert_msg (a.status == 200 && !strstr (a.body, "DC24120104000001"), "%s", a.body);
  /* the pages: from the binary, with a policy that loads nothing from elsewhere */
  GET (&fx, &a, "/lab", NULL);
  ck_assert_msg (a.status == 200 && strstr (a.body, "/web/lab.js"), "%u", a.status);
  ck_assert_str_eq (soup_message_headers_get_content_type (a.headers, NULL), "text/html");
  ck_assert (strstr (soup_message_headers_get_one (a.headers, "Content-Security-Policy"),
                     "default-src 'self'"));
  GET (&fx, &a, "/web/app.js", NULL);
  ck_assert_msg (a.status == 200 && strstr (a.body, "sessionStorage"), "%u", a.status);
  /* the pages' words from the catalogue: the server's language (English
   * here, the msgids themselves), or the one asked for */
  GET (&fx, &a, "/web/words.json", NULL);
  ck_assert_msg (a.status == 200, "%u", a.status);
  ck_assert_str_eq (soup_message_headers_get_content_type (a.headers, NULL), "application/json");
  {
    g_autoptr (JsonObject) o = parse (a.body);
    ck_assert_str_eq (json_object_get_string_member (o, "lang"), "en");
    ck_assert_int_eq (json_object_get_size (json_object_get_object_member (o, "words")), 0);
  }
  GET (&fx, &a, "/web/words.json?lang=zh", NULL);
  ck_assert_msg (a.status == 200, "%u", a.status);
  g_autofree char *etag = g_strdup (soup_message_headers_get_one (a.headers, "ETag"));
  ck_assert (etag != NULL);
  ck_assert_str_eq (soup_message_headers_get_one (a.headers, "Cache-Control"), "no-cache");
  {
    g_autoptr (JsonObject) o = parse (a.body);
    ck_assert_str_eq (json_object_get_string_member (o, "lang"), "zh");
    JsonObject *w = json_object_get_object_member (o, "words");
    ck_assert_str_eq (json_object_get_string_member (w, "Sign in"), "登录");
    ck_assert_str_eq (json_object_get_string_member (w, "Lab"), "承检机构");
    /* the pages' words only: no message of the CLI or the API */
    ck_assert (!json_object_has_member (w, "Language of messages: zh or en"));
    ck_assert_int_gt (json_object_get_size (w), 50);
  }
  /* unchanged: not sent again */
  fx_request (&fx, &a, "GET", "/web/words.json?lang=zh", NULL, NULL, 0,
              (const char *const[]){ "If-None-Match", etag, NULL });
  ck_assert_msg (a.status == 304 && (a.body == NULL || *a.body == '\0'), "%u", a.status);
  GET (&fx, &a, "/web/words.json?lang=en", NULL);
  ck_assert_msg (a.status == 200 && strstr (a.body, "\"en\"")
                     && g_strcmp0 (etag, soup_message_headers_get_one (a.headers, "ETag")) != 0,
                 "%s", a.body);
  const char *outside[] = { "/web/../config/spotcheck.conf",
                            "/web/%2e%2e/x.js",
                            "/web/app.js.bak",
                            "/web/",
                            "/web/.js",
                            "/lab/" };
  for (gsize i = 0; i < G_N_ELEMENTS (outside); i++)
    {
      GET (&fx, &a, outside[i], NULL);
      ck_assert_msg (a.status == 404, "%s: %u", outside[i], a.status);
    }
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
  /* recording a sample takes the CLI's rules: a task is sampled once */
  const char *rec = "{\"record_no\": \"DC24120104000001\", \"sample_name\": \"样品\", "
                    "\"quantity\": \"1kg\", \"sampling_date\": \"2024-01-20\"}";
  fx_request (&fx, &a, "POST", "/api/v1/samples", fx.inspector, rec, strlen (rec), NULL);
  ck_assert_msg (a.status == 400 && strstr (a.body, "sampled already"), "%u %s", a.status, a.body);
  g_autofree char *samples = COUNT ("SELECT count(*) FROM sample");
  ck_assert_str_eq (samples, "3");
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
  /* an expired token is as bad as an unknown one */
  g_autoptr (PGconn) owner = db_connect (fx.db->owner_conninfo, NULL);
  ck_assert (db_run (owner,
                     "UPDATE app_user SET expires_at = now () - interval '1 day' WHERE name = "
                     "'lab2'",
                     DB_NO_ARGS, NULL));
  GET (&fx, &a, "/api/v1/samples/DC24120104000003", fx.lab2);
  ck_assert_uint_eq (a.status, 401);
  /* a lab user for a lab that does not exist is refused */
  const char *ghost = "{\"name\": \"lab8\", \"role\": \"lab\", \"lab\": \"NOPE\"}";
  fx_request (&fx, &a, "POST", "/api/v1/users", fx.admin, ghost, strlen (ghost), NULL);
  ck_assert_msg (a.status == 400 && strstr (a.body, "\"argument\":\"lab\""), "%u %s", a.status,
                 a.body);
}
END_TEST

START_TEST (test_emergency_draw)
{
  /* the fixture's plan, approved (its reserve is 0: the draw goes over it, with a reason) */
  g_autoptr (PGconn) owner = db_connect (fx.db->owner_conninfo, NULL);
  ck_assert (db_run (owner,
                     "UPDATE plan SET status = 'approved', approved_at = now (), approved_by = "
                     "'test' WHERE year = 2024",
                     DB_NO_ARGS, NULL));
  fx_sql (fx.db,
          "INSERT INTO business_category (district, uscc, category) VALUES ('120104', '" FX_USCC1
          "', '24');"
          "INSERT INTO lab_category (district, lab, category) VALUES ('120104', 'LAB1', '24')");
  const char *body = "{\"month\": \"2024-01\", \"category\": \"24\", \"businesses\": [\"" FX_USCC1
                     "\"], \"reason\": \"投诉\", \"over_reserve\": \"complaint\", \"seed\": 5}";
  const char *const key[] = { "Idempotency-Key", "emergency-1", NULL };
  g_auto (Answer) a = { 0 }, b = { 0 };
  fx_request (&fx, &a, "POST", "/api/v1/draws/emergency", fx.coordinator, body, strlen (body), key);
  ck_assert_msg (a.status == 201, "%u %s", a.status, a.body);
  ck_assert (strstr (a.body, "\"record_no\"") != NULL);
  fx_request (&fx, &b, "POST", "/api/v1/draws/emergency", fx.coordinator, body, strlen (body), key);
  ck_assert_str_eq (b.body, a.body);
  g_autofree char *draws = COUNT ("SELECT count(*) FROM draw");
  ck_assert_str_eq (draws, "2");
  const char *bad
      = "{\"month\": \"2024-13\", \"category\": \"24\", \"count\": 1, \"reason\": \"x\"}";
  fx_request (&fx, &a, "POST", "/api/v1/draws/emergency", fx.coordinator, bad, strlen (bad), NULL);
  ck_assert_msg (a.status == 400 && strstr (a.body, "\"argument\":\"month\""), "%u %s", a.status,
                 a.body);
}
END_TEST

/* A case worked over HTTP: the inspector of its office delivers and then
 * controls risk, each change naming the version seen; a stale version is
 * 409 with nothing lost, another office's inspector finds no such case, a
 * step of the coordinator's is 403 for an inspector, the filters of the CLI
 * work. */
START_TEST (test_case_worked_over_http)
{
  gsize len = 0;
  g_autofree char *good = fx_data ("results.csv", &len);
  g_auto (Answer) a = { 0 };
  fx_request (&fx, &a, "POST", "/api/v1/results", fx.lab1, good, len, NULL);
  ck_assert_msg (a.status == 201, "%u %s", a.status, a.body);
  g_autofree char *office = COUNT ("SELECT office FROM nc_case");
  ck_assert_str_eq (office, "12010401");

  GET (&fx, &a, "/api/v1/cases/HC2024-00001", fx.inspector);
  ck_assert_msg (a.status == 200 && strstr (a.body, "\"next\"") != NULL
                     && strstr (a.body, "delivered-on") != NULL,
                 "%u %s", a.status, a.body);
  const char *deliver = "{\"step\": \"deliver\", \"version\": 1, \"fields\": "
                        "{\"delivered-on\": \"2024-02-09\", \"delivery-method\": \"直接送达\"}}";
  fx_request (&fx, &a, "POST", "/api/v1/cases/HC2024-00001/steps", fx.inspector2, deliver,
              strlen (deliver), NULL);
  ck_assert_msg (a.status == 404, "another office: %u %s", a.status, a.body);
  fx_request (&fx, &a, "POST", "/api/v1/cases/HC2024-00001/steps", fx.inspector, deliver,
              strlen (deliver), NULL);
  ck_assert_msg (a.status == 200 && strstr (a.body, "\"to_state\":\"notified\"")
                     && strstr (a.body, "\"version\":2"),
                 "%u %s", a.status, a.body);
  /* the same version again: someone changed the case meanwhile */
  const char *stale = "{\"step\": \"risk-control\", \"version\": 1, \"fields\": {}}";
  fx_request (&fx, &a, "POST", "/api/v1/cases/HC2024-00001/steps", fx.inspector, stale,
              strlen (stale), NULL);
  ck_assert_msg (a.status == 409 && strstr (a.body, "version 1"), "%u %s", a.status, a.body);
  /* a step without its fields names each one */
  const char *bare = "{\"step\": \"risk-control\", \"version\": 2}";
  fx_request (&fx, &a, "POST", "/api/v1/cases/HC2024-00001/steps", fx.inspector, bare,
              strlen (bare), NULL);
  ck_assert_msg (a.status == 400 && strstr (a.body, "sealed-qty"), "%u %s", a.status, a.body);
  const char *control
      = "{\"step\": \"risk-control\", \"version\": 2, \"note\": \"现场检查\", \"fields\": "
        "{\"controlled-on\": \"2024-02-10\", \"measures\": \"封存\", \"sealed-qty\": 12, "
        "\"off-shelf-qty\": 0, \"recalled-qty\": 0, \"upstream-notified\": true, "
        "\"downstream-notified\": false}}";
  fx_request (&fx, &a, "POST", "/api/v1/cases/HC2024-00001/steps", fx.inspector, control,
              strlen (control), NULL);
  ck_assert_msg (a.status == 200 && strstr (a.body, "\"version\":3"), "%u %s", a.status, a.body);
  /* an extension is the coordinator's */
  const char *extend = "{\"until\": \"2024-06-30\", \"approved_by\": \"局长\", "
                       "\"reason\": \"需外省协查\", \"version\": 3}";
  fx_request (&fx, &a, "POST", "/api/v1/cases/HC2024-00001/extend", fx.inspector, extend,
              strlen (extend), NULL);
  ck_assert_msg (a.status == 403, "an inspector extending: %u %s", a.status, a.body);
  fx_request (&fx, &a, "POST", "/api/v1/cases/HC2024-00001/extend", fx.coordinator, extend,
              strlen (extend), NULL);
  ck_assert_msg (a.status == 200 && strstr (a.body, "\"version\":4"), "%u %s", a.status, a.body);
  g_autofree char *due
      = COUNT ("SELECT due_on FROM case_deadline WHERE name = 'disposal-complete'");
  ck_assert_str_eq (due, "2024-06-30");
  /* on the record, by the token's users */
  g_autofree char *events = COUNT ("SELECT string_agg (event || ':' || actor, ' ' ORDER BY id) "
                                   "FROM case_event");
  ck_assert_str_eq (events, "opened:lab1 deliver:insp1 risk-control:insp1 extend:coord1");
  /* the list's filters */
  GET (&fx, &a, "/api/v1/cases?state=controlled&office=12010401", fx.coordinator);
  ck_assert_msg (a.status == 200 && strstr (a.body, "HC2024-00001"), "%u %s", a.status, a.body);
  GET (&fx, &a, "/api/v1/cases?state=open", fx.coordinator);
  ck_assert_msg (a.status == 200 && strstr (a.body, "HC2024-00001") == NULL, "%u %s", a.status,
                 a.body);
  GET (&fx, &a, "/api/v1/cases?due_within=-3", fx.coordinator);
  ck_assert_msg (a.status == 400 && strstr (a.body, "\"argument\":\"due_within\""), "%u %s",
                 a.status, a.body);
  GET (&fx, &a, "/api/v1/cases", fx.inspector2);
  ck_assert_msg (a.status == 200 && strstr (a.body, "HC2024-00001") == NULL, "%u %s", a.status,
                 a.body);
}
END_TEST

/* The reports of `spotcheck report`, as JSON, an HTML page with its charts
 * and an XLSX download; a lab may not read them. */
/* GET /api/v1/workflow: the states and steps as data, the same JSON in
 * either language, with the workflow's Chinese names for a page to show;
 * nothing without a token. */
START_TEST (test_the_workflow_as_data)
{
  static const char *const zh_h[] = { "Accept-Language", "zh-CN,zh;q=0.9", NULL };
  static const char *const en_h[] = { "Accept-Language", "en-US,en;q=0.9", NULL };
  g_auto (Answer) zh = { 0 }, en = { 0 }, none = { 0 };
  fx_request (&fx, &zh, "GET", "/api/v1/workflow", fx.inspector, NULL, 0, zh_h);
  fx_request (&fx, &en, "GET", "/api/v1/workflow", fx.inspector, NULL, 0, en_h);
  ck_assert_msg (zh.status == 200, "%u %s", zh.status, zh.body);
  ck_assert_msg (en.status == 200, "%u %s", en.status, en.body);
  ck_assert_str_eq (zh.body, en.body);
  g_autoptr (JsonObject) root = parse (zh.body);
  JsonArray *states = json_object_get_array_member (root, "states");
  JsonArray *steps = json_object_get_array_member (root, "steps");
  ck_assert_uint_ge (json_array_get_length (states), 5);
  ck_assert_uint_ge (json_array_get_length (steps), 5);
  gboolean notified = FALSE, deliver = FALSE;
  for (guint i = 0; i < json_array_get_length (states); i++)
    {
      JsonObject *s = json_array_get_object_element (states, i);
      ck_assert_msg (json_object_get_string_member (s, "zh") != NULL
                         && json_object_get_string_member (s, "en") != NULL,
                     "%s", zh.body);
      if (strcmp (json_object_get_string_member (s, "state"), "notified") == 0)
        {
          ck_assert_str_eq (json_object_get_string_member (s, "zh"), "已送达");
          notified = TRUE;
        }
    }
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *s = json_array_get_object_element (steps, i);
      if (strcmp (json_object_get_string_member (s, "step"), "deliver") == 0)
        {
          ck_assert_str_eq (json_object_get_string_member (s, "zh"), "送达检验结论");
          ck_assert_str_eq (json_object_get_string_member (s, "from"), "open");
          ck_assert_str_eq (json_object_get_string_member (s, "to"), "notified");
          deliver = TRUE;
        }
    }
  ck_assert_msg (notified && deliver, "%s", zh.body);
  ck_assert_uint_ge (json_array_get_length (json_object_get_array_member (root, "deadlines")), 1);
  GET (&fx, &none, "/api/v1/workflow", NULL);
  ck_assert_uint_eq (none.status, 401);
}
END_TEST

START_TEST (test_reports_over_http)
{
  g_auto (Answer) a = { 0 };
  GET (&fx, &a, "/api/v1/reports/progress?year=2024", fx.coordinator);
  ck_assert_msg (a.status == 200 && strstr (a.body, "\"charts\""), "%u %.300s", a.status, a.body);
  GET (&fx, &a, "/api/v1/reports/cases?quarter=2024-Q1&format=html&lang=en", fx.coordinator);
  ck_assert_msg (a.status == 200 && strstr (a.body, "<svg") && strstr (a.body, "<html"), "%u",
                 a.status);
  ck_assert (
      g_str_has_prefix (soup_message_headers_get_one (a.headers, "Content-Type"), "text/html"));
  GET (&fx, &a, "/api/v1/reports/disclosure?month=2024-01&format=xlsx", fx.coordinator);
  ck_assert_uint_eq (a.status, 200);
  const char *disposition = soup_message_headers_get_one (a.headers, "Content-Disposition");
  ck_assert_msg (disposition && strstr (disposition, "disclosure-2024-01.xlsx"), "%s",
                 disposition ? disposition : "(none)");
  GET (&fx, &a, "/api/v1/reports/progress?year=2024", fx.lab1);
  ck_assert_uint_eq (a.status, 403);
  GET (&fx, &a, "/api/v1/reports/gossip", fx.coordinator);
  ck_assert_uint_eq (a.status, 404);
  GET (&fx, &a, "/api/v1/reports/progress?lang=fr", fx.coordinator);
  ck_assert_msg (a.status == 400 && strstr (a.body, "\"argument\":\"lang\""), "%u %s", a.status,
                 a.body);
  GET (&fx, &a, "/api/v1/reports/progress?month=2024-01&year=2024", fx.coordinator);
  ck_assert_uint_eq (a.status, 400);
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
  tcase_add_test (tc, test_pages_routes_me_pending_uploads);
  tcase_add_test (tc, test_hostile_parameters);
  tcase_add_test (tc, test_health_metrics_and_log);
  tcase_add_test (tc, test_xlsx_download);
  tcase_add_test (tc, test_emergency_draw);
  tcase_add_test (tc, test_case_worked_over_http);
  tcase_add_test (tc, test_reports_over_http);
  tcase_add_test (tc, test_the_workflow_as_data);
  tcase_add_test (tc, test_users_tokens_and_the_working_role);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
