/* test-server-lang.c: `spotcheck serve` answers each request in the request's
 * language: ?lang, else Accept-Language, else the server's own. The same
 * refusal (a rejected upload, a stale case step, an unknown route, a missing
 * token) is Chinese or English in message and problems and the same in
 * status, code, argument and details; clients of different languages at
 * once each get their own; reports without ?lang follow the header. */
#include "tests/server/server-fixture.h"

static const char *const ZH[] = { "Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8", NULL };
static const char *const EN[] = { "Accept-Language", "en-US,en;q=0.9", NULL };

/* Has @text a Chinese character? */
static gboolean
has_han (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c >= 0x4E00 && c <= 0x9FFF)
        return TRUE;
    }
  return FALSE;
}

/* The answer's "error" object (a new reference). */
static JsonObject *
error_of (const Answer *a)
{
  g_autoptr (JsonObject) root = parse (a->body);
  ck_assert_msg (json_object_has_member (root, "error"), "%s", a->body);
  return json_object_ref (json_object_get_object_member (root, "error"));
}

static const char *
header (const Answer *a, const char *name)
{
  const char *v = soup_message_headers_get_one (a->headers, name);
  return v ? v : "";
}

/* The problems as one text. */
static char *
problems_of (JsonObject *e)
{
  JsonArray *list = json_object_get_array_member (e, "problems");
  g_autoptr (GString) out = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_string_append_printf (out, "%s\n", json_array_get_string_element (list, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
member_or_null (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  return n == NULL || JSON_NODE_HOLDS_NULL (n) ? NULL : json_node_get_string (n);
}

/* @method @path refused with @status asked in Chinese, in English, and with
 * ?lang=en over a Chinese header: the machine's half is the same, the
 * people's half is each language's, and ?lang wins over the header. */
static void
same_refusal (const char *method, const char *path, const char *token, const char *body, gsize len,
              guint status, gboolean has_problems)
{
  g_auto (Answer) zh = { 0 }, en = { 0 }, over = { 0 };
  fx_request (&fx, &zh, method, path, token, body, len, ZH);
  fx_request (&fx, &en, method, path, token, body, len, EN);
  g_autofree char *en_path = g_strconcat (path, strchr (path, '?') ? "&" : "?", "lang=en", NULL);
  fx_request (&fx, &over, method, en_path, token, body, len, ZH);
  ck_assert_msg (zh.status == status, "%s %s in Chinese: %u %s", method, path, zh.status, zh.body);
  ck_assert_msg (en.status == status, "%s %s in English: %u %s", method, path, en.status, en.body);
  ck_assert_msg (over.status == status, "%s %s: %u %s", method, en_path, over.status, over.body);
  ck_assert_str_eq (header (&zh, "Content-Language"), "zh-CN");
  ck_assert_str_eq (header (&en, "Content-Language"), "en");
  ck_assert_str_eq (header (&over, "Content-Language"), "en");
  ck_assert_msg (strstr (header (&zh, "Vary"), "Accept-Language") != NULL, "Vary: %s",
                 header (&zh, "Vary"));
  /* ?lang=en over a Chinese header is word for word the English answer */
  ck_assert_str_eq (over.body, en.body);

  g_autoptr (JsonObject) z = error_of (&zh);
  g_autoptr (JsonObject) e = error_of (&en);
  ck_assert_str_eq (json_object_get_string_member (z, "code"),
                    json_object_get_string_member (e, "code"));
  ck_assert_str_eq (member_or_null (z, "argument") ? member_or_null (z, "argument") : "(null)",
                    member_or_null (e, "argument") ? member_or_null (e, "argument") : "(null)");
  const char *zm = json_object_get_string_member (z, "message");
  const char *em = json_object_get_string_member (e, "message");
  ck_assert_msg (has_han (zm), "a Chinese message: %s", zm);
  ck_assert_msg (!has_han (em), "an English message: %s", em);
  g_autofree char *zp = problems_of (z);
  g_autofree char *ep = problems_of (e);
  ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (z, "problems")),
                     json_array_get_length (json_object_get_array_member (e, "problems")));
  if (has_problems)
    ck_assert_msg (strcmp (zp, ep) != 0 && has_han (zp), "problems:\n%s\n%s", zp, ep);
  JsonArray *zd = json_object_get_array_member (z, "details");
  JsonArray *ed = json_object_get_array_member (e, "details");
  ck_assert_uint_eq (json_array_get_length (zd), json_array_get_length (ed));
  for (guint i = 0; i < json_array_get_length (zd); i++)
    {
      JsonObject *a = json_array_get_object_element (zd, i);
      JsonObject *b = json_array_get_object_element (ed, i);
      ck_assert_int_eq (json_object_get_int_member (a, "line"),
                        json_object_get_int_member (b, "line"));
      ck_assert_str_eq (member_or_null (a, "column") ? member_or_null (a, "column") : "",
                        member_or_null (b, "column") ? member_or_null (b, "column") : "");
      ck_assert_str_eq (member_or_null (a, "value") ? member_or_null (a, "value") : "",
                        member_or_null (b, "value") ? member_or_null (b, "value") : "");
      const char *zw = member_or_null (a, "why"), *ew = member_or_null (b, "why");
      ck_assert_msg (zw && ew && has_han (zw) && strcmp (zw, ew) != 0, "why: %s / %s", zw, ew);
    }
}

START_TEST (test_a_rejected_upload_in_either_language)
{
  gsize len = 0;
  g_autofree char *bad = fx_data ("rejected.csv", &len);
  same_refusal ("POST", "/api/v1/results", fx.lab1, bad, len, 400, TRUE);
  g_auto (Answer) a = { 0 };
  fx_request (&fx, &a, "POST", "/api/v1/results", fx.lab1, bad, len, EN);
  ck_assert_msg (strstr (a.body, "unknown sampling number") != NULL, "%s", a.body);
  g_autofree char *none = COUNT ("SELECT count(*) FROM lab_report");
  ck_assert_str_eq (none, "0");
}
END_TEST

START_TEST (test_a_stale_case_step_in_either_language)
{
  gsize len = 0;
  g_autofree char *good = fx_data ("results.csv", &len);
  g_auto (Answer) a = { 0 };
  fx_request (&fx, &a, "POST", "/api/v1/results", fx.lab1, good, len, NULL);
  ck_assert_msg (a.status == 201, "%u %s", a.status, a.body);
  const char *deliver = "{\"step\": \"deliver\", \"version\": 1, \"fields\": "
                        "{\"delivered-on\": \"2024-02-09\", \"delivery-method\": \"直接送达\"}}";
  fx_request (&fx, &a, "POST", "/api/v1/cases/HC2024-00001/steps", fx.inspector, deliver,
              strlen (deliver), ZH);
  ck_assert_msg (a.status == 200, "%u %s", a.status, a.body);
  /* a success says its language too, and its keys and states are the same */
  ck_assert_str_eq (header (&a, "Content-Language"), "zh-CN");
  ck_assert_msg (strstr (a.body, "\"to_state\":\"notified\""), "%s", a.body);
  const char *stale = "{\"step\": \"risk-control\", \"version\": 1, \"fields\": {}}";
  same_refusal ("POST", "/api/v1/cases/HC2024-00001/steps", fx.inspector, stale, strlen (stale),
                409, FALSE);
  g_autofree char *events = COUNT ("SELECT count(*) FROM case_event");
  ck_assert_str_eq (events, "2");
}
END_TEST

START_TEST (test_the_server_s_own_refusals_in_either_language)
{
  same_refusal ("GET", "/api/v1/nowhere", NULL, NULL, 0, 404, FALSE);
  same_refusal ("DELETE", "/api/v1/me", fx.admin, NULL, 0, 405, FALSE);
  same_refusal ("GET", "/api/v1/me", NULL, NULL, 0, 401, FALSE);
  same_refusal ("GET", "/api/v1/me", "0123456789abcdef", NULL, 0, 401, FALSE);
  same_refusal ("GET", "/api/v1/tasks?month=2024-13", fx.coordinator, NULL, 0, 400, FALSE);
  /* 413 before the body is read */
  g_autofree char *big = g_strnfill (5000, 'x');
  same_refusal ("POST", "/api/v1/results", fx.lab1, big, strlen (big), 413, FALSE);
  /* a bad ?lang names the parameter, in the header's language */
  g_auto (Answer) a = { 0 };
  fx_request (&fx, &a, "GET", "/api/v1/me?lang=fr", fx.admin, NULL, 0, ZH);
  ck_assert_msg (a.status == 400 && strstr (a.body, "\"argument\":\"lang\"")
                     && strstr (a.body, "\"code\":\"svc_error.2\"") /* SVC_ERROR_INVALID */,
                 "%u %s", a.status, a.body);
  ck_assert_str_eq (header (&a, "Content-Language"), "zh-CN");
  g_autoptr (JsonObject) e = error_of (&a);
  ck_assert (has_han (json_object_get_string_member (e, "message")));
  fx_request (&fx, &a, "GET", "/api/v1/reports/progress?lang=zh-CN", fx.coordinator, NULL, 0, EN);
  ck_assert_msg (a.status == 400 && strstr (a.body, "\"argument\":\"lang\""), "%u %s", a.status,
                 a.body);
  ck_assert_str_eq (header (&a, "Content-Language"), "en");
  /* no header, no ?lang: the server's own language (English in the tests) */
  GET (&fx, &a, "/api/v1/nowhere", NULL);
  ck_assert_str_eq (header (&a, "Content-Language"), "en");
  ck_assert_msg (strstr (a.body, "no such route"), "%s", a.body);
  /* a language spotcheck does not speak falls back to the server's */
  const char *const fr[] = { "Accept-Language", "fr-FR,de;q=0.5", NULL };
  fx_request (&fx, &a, "GET", "/api/v1/nowhere", NULL, NULL, 0, fr);
  ck_assert_str_eq (header (&a, "Content-Language"), "en");
  /* a successful answer's data is the same in both */
  g_auto (Answer) zh = { 0 }, en = { 0 };
  fx_request (&fx, &zh, "GET", "/api/v1/cases", fx.coordinator, NULL, 0, ZH);
  fx_request (&fx, &en, "GET", "/api/v1/cases", fx.coordinator, NULL, 0, EN);
  ck_assert_uint_eq (zh.status, 200);
  ck_assert_str_eq (zh.body, en.body);
  ck_assert_str_eq (header (&zh, "Content-Language"), "zh-CN");
}
END_TEST

START_TEST (test_a_report_follows_the_header)
{
  g_auto (Answer) a = { 0 };
  fx_request (&fx, &a, "GET", "/api/v1/reports/cases?quarter=2024-Q1&format=html", fx.coordinator,
              NULL, 0, EN);
  ck_assert_msg (a.status == 200 && strstr (a.body, "<html lang=\"en\">"), "%u %.200s", a.status,
                 a.body);
  ck_assert_str_eq (header (&a, "Content-Language"), "en");
  fx_request (&fx, &a, "GET", "/api/v1/reports/cases?quarter=2024-Q1&format=html", fx.coordinator,
              NULL, 0, ZH);
  ck_assert_msg (a.status == 200 && strstr (a.body, "<html lang=\"zh-CN\">"), "%u %.200s", a.status,
                 a.body);
  ck_assert_str_eq (header (&a, "Content-Language"), "zh-CN");
  /* ?lang still wins */
  fx_request (&fx, &a, "GET", "/api/v1/reports/cases?quarter=2024-Q1&format=html&lang=en",
              fx.coordinator, NULL, 0, ZH);
  ck_assert_msg (a.status == 200 && strstr (a.body, "<html lang=\"en\">"), "%u", a.status);
  /* JSON: the same keys, the charts titled in each language */
  g_auto (Answer) zh = { 0 }, en = { 0 };
  fx_request (&fx, &zh, "GET", "/api/v1/reports/progress?year=2024", fx.coordinator, NULL, 0, ZH);
  fx_request (&fx, &en, "GET", "/api/v1/reports/progress?year=2024", fx.coordinator, NULL, 0, EN);
  ck_assert_uint_eq (zh.status, 200);
  ck_assert_uint_eq (en.status, 200);
  ck_assert_msg (strcmp (zh.body, en.body) != 0, "the same report in both: %.200s", zh.body);
  g_autoptr (JsonObject) z = parse (zh.body);
  g_autoptr (JsonObject) e = parse (en.body);
  g_autoptr (GList) zk = json_object_get_members (z);
  g_autoptr (GList) ek = json_object_get_members (e);
  ck_assert_uint_eq (g_list_length (zk), g_list_length (ek));
  for (GList *l = zk; l != NULL; l = l->next)
    ck_assert_msg (json_object_has_member (e, l->data), "%s only in Chinese", (char *)l->data);
}
END_TEST

/* Requests of one language, sent one after another by one client while
 * the others send theirs: every answer must be the one that language gets
 * alone. A language left behind on a worker or the main loop would show
 * as another language's answer here. */
typedef struct
{
  const char *const *headers; /* Accept-Language, or NULL for none */
  const char *tag;            /* the Content-Language expected */
  char **expected;            /* the bodies of the requests below, alone */
  GString *failures;
} Client;

static const struct
{
  const char *method, *path;
  gboolean token, body;
} mix[] = {
  { "POST", "/api/v1/results", TRUE, TRUE },             /* a rejected file, worker */
  { "GET", "/api/v1/tasks?month=2024-13", TRUE, FALSE }, /* a bad month, worker */
  { "GET", "/api/v1/me", FALSE, FALSE },                 /* 401, worker */
  { "GET", "/api/v1/nowhere", FALSE, FALSE },            /* 404, main loop */
};

static char *bad_file;
static gsize bad_len;

static void
send_mix (SoupSession *session, gsize k, const char *const *headers, guint *status, char **body,
          char **lang)
{
  g_autofree char *url = g_strconcat (fx.base, mix[k].path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (mix[k].method, url);
  SoupMessageHeaders *h = soup_message_get_request_headers (msg);
  if (mix[k].token)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", fx.lab1);
      soup_message_headers_replace (h, "Authorization", auth);
    }
  for (gsize i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (h, headers[i], headers[i + 1]);
  if (mix[k].body)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (bad_file, bad_len);
      soup_message_set_request_body_from_bytes (msg, "text/csv", bytes);
    }
  g_autoptr (GBytes) got = soup_session_send_and_read (session, msg, NULL, NULL);
  *status = soup_message_get_status (msg);
  *body = got ? g_strndup (g_bytes_get_data (got, NULL), g_bytes_get_size (got)) : g_strdup ("");
  *lang = g_strdup (
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Language"));
}

static gpointer
client_run (gpointer data)
{
  Client *c = data;
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  for (int round = 0; round < 6; round++)
    for (gsize k = 0; k < G_N_ELEMENTS (mix); k++)
      {
        guint status = 0;
        g_autofree char *body = NULL, *lang = NULL;
        send_mix (session, (k + (gsize)round) % G_N_ELEMENTS (mix), c->headers, &status, &body,
                  &lang);
        gsize at = (k + (gsize)round) % G_N_ELEMENTS (mix);
        if (g_strcmp0 (body, c->expected[at]) != 0 || g_strcmp0 (lang, c->tag) != 0)
          g_string_append_printf (c->failures, "%s %s (%s, round %d): %u %s [%s]\n", mix[at].method,
                                  mix[at].path, c->tag, round, status, body,
                                  lang ? lang : "no Content-Language");
      }
  return NULL;
}

START_TEST (test_clients_of_both_languages_at_once)
{
  bad_file = fx_data ("rejected.csv", &bad_len);
  const char *const *langs[] = { ZH, EN, NULL };
  const char *tags[] = { "zh-CN", "en", "en" };
  Client clients[G_N_ELEMENTS (langs)];
  g_autoptr (SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  for (gsize c = 0; c < G_N_ELEMENTS (langs); c++)
    {
      clients[c] = (Client){ .headers = langs[c],
                             .tag = tags[c],
                             .expected = g_new0 (char *, G_N_ELEMENTS (mix) + 1),
                             .failures = g_string_new (NULL) };
      for (gsize k = 0; k < G_N_ELEMENTS (mix); k++)
        {
          guint status = 0;
          g_autofree char *lang = NULL;
          send_mix (session, k, langs[c], &status, &clients[c].expected[k], &lang);
          ck_assert_msg (status >= 400 && status < 500, "%s: %u", mix[k].path, status);
        }
    }
  /* the languages differ where they should, so a mix-up cannot pass */
  for (gsize k = 0; k < G_N_ELEMENTS (mix); k++)
    ck_assert_str_ne (clients[0].expected[k], clients[1].expected[k]);
  GThread *threads[G_N_ELEMENTS (langs)];
  for (gsize c = 0; c < G_N_ELEMENTS (langs); c++)
    threads[c] = g_thread_new ("client", client_run, &clients[c]);
  for (gsize c = 0; c < G_N_ELEMENTS (langs); c++)
    g_thread_join (threads[c]);
  for (gsize c = 0; c < G_N_ELEMENTS (langs); c++)
    {
      ck_assert_msg (clients[c].failures->len == 0, "answers in the wrong language:\n%s",
                     clients[c].failures->str);
      g_string_free (clients[c].failures, TRUE);
      g_strfreev (clients[c].expected);
    }
  g_clear_pointer (&bad_file, g_free);
}
END_TEST

/* `spotcheck serve` in Chinese ([spotcheck] lang = zh) answers in Chinese
 * whoever asks for nothing, and in English whoever asks for it. */
START_TEST (test_the_server_s_own_language)
{
  fx_restart (&fx, "max-body-bytes=4096\n[spotcheck]\nlang=zh", NULL, NULL);
  g_auto (Answer) a = { 0 };
  GET (&fx, &a, "/api/v1/nowhere", NULL);
  ck_assert_uint_eq (a.status, 404);
  ck_assert_str_eq (header (&a, "Content-Language"), "zh-CN");
  g_autoptr (JsonObject) e = error_of (&a);
  ck_assert_msg (has_han (json_object_get_string_member (e, "message")), "%s", a.body);
  GET (&fx, &a, "/api/v1/me", NULL);
  ck_assert_uint_eq (a.status, 401);
  ck_assert_str_eq (header (&a, "Content-Language"), "zh-CN");
  fx_request (&fx, &a, "GET", "/api/v1/me", NULL, NULL, 0, EN);
  ck_assert_str_eq (header (&a, "Content-Language"), "en");
  ck_assert_msg (strstr (a.body, "Authorization: Bearer TOKEN") && !has_han (a.body), "%s", a.body);
  GET (&fx, &a, "/api/v1/reports/cases?quarter=2024-Q1&format=html", fx.coordinator);
  ck_assert_msg (a.status == 200 && strstr (a.body, "<html lang=\"zh-CN\">"), "%u", a.status);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("server-lang");
  TCase *tc = tcase_create ("server-lang");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_a_rejected_upload_in_either_language);
  tcase_add_test (tc, test_a_stale_case_step_in_either_language);
  tcase_add_test (tc, test_the_server_s_own_refusals_in_either_language);
  tcase_add_test (tc, test_a_report_follows_the_header);
  tcase_add_test (tc, test_clients_of_both_languages_at_once);
  tcase_add_test (tc, test_the_server_s_own_language);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
