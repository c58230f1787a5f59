/* test-cli-cases.c: `spotcheck cases advance|close|extend|assign|reinspect|
 * steps|list` as a user runs them, on referral cases of
 * tests/data/results/referrals.csv. */
#include "tests/db/results-fixture.h"
#include "tests/support/test-run.h"

static void
expect (const TestRun *r, int status, const char *out_has, const char *err_has)
{
  const char *out = r->out ? r->out : "", *err = r->err ? r->err : "";
  ck_assert_msg (r->status == status, "exit %d, wanted %d\nout: %s\nerr: %s", r->status, status,
                 out, err);
  if (out_has)
    ck_assert_msg (strstr (out, out_has) != NULL, "<%s> not in stdout:\n%s", out_has, out);
  if (err_has)
    ck_assert_msg (strstr (err, err_has) != NULL, "<%s> not in stderr:\n%s", err_has, err);
}

#define AS_INSPECTOR "--as", "inspector", "--office", "12010401"

START_TEST (test_a_case_worked_at_the_terminal)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_autofree char *refs = g_build_filename (g_getenv ("SPOTCHECK_SOURCE_DIR"), "tests", "data",
                                            "results", "referrals.csv", NULL);
  g_auto (TestRun) imp = { 0 }, steps = { 0 }, role = { 0 }, deliver = { 0 }, stale = { 0 },
                   show = { 0 }, extend = { 0 }, close = { 0 }, office = { 0 }, overdue = { 0 },
                   assign = { 0 }, verify = { 0 }, apply = { 0 }, accept = { 0 };
  /* db migrate makes the configured workflow the district's, once */
  g_auto (TestRun) mig1 = { 0 }, mig2 = { 0 };
  RUN (&mig1, db, "db", "migrate");
  expect (&mig1, 0, "case workflow synced from config/case-workflow.conf", NULL);
  RUN (&mig2, db, "db", "migrate");
  expect (&mig2, 0, "nothing pending", NULL);
  ck_assert (strstr (mig2.out, "case workflow synced") == NULL);
  RUN (&imp, db, "cases", "import-referrals", refs, "--date", "2024-02-20");
  expect (&imp, 0, "2 cases opened", NULL);
  RUN (&steps, db, "cases", "steps");
  expect (&steps, 0, "delivered-on;delivery-method", NULL);
  /* the terminal acts as coordinator, who does not deliver */
  RUN (&role, db, "cases", "advance", "HC2024-00001", "--to", "deliver", "--field",
       "delivered-on=2024-02-20", "--field", "delivery-method=直接送达");
  expect (&role, 1, NULL, "is taken by inspector, not by coordinator");
  ck_assert (strstr (role.err, "--as ROLE") != NULL);
  RUN (&deliver, db, "cases", "advance", "HC2024-00001", "--to", "deliver", "--field",
       "delivered-on=2024-02-20", "--field", "delivery-method=直接送达", "--note", "签收人 王",
       AS_INSPECTOR, "--date", "2024-02-20");
  expect (&deliver, 0, "HC2024-00001: deliver: open -> notified (version 2)", NULL);
  /* a change based on what someone saw before */
  RUN (&stale, db, "cases", "advance", "HC2024-00001", "--to", "apply-reinspection", "--field",
       "applied-on=2024-02-21", "--field", "application-kind=复检", "--version", "1", AS_INSPECTOR);
  expect (&stale, 1, NULL, "you saw version 1, it is now version 2");
  ck_assert (strstr (stale.err, "spotcheck cases show ID") != NULL);
  RUN (&show, db, "cases", "show", "HC2024-00001");
  expect (&show, 0, "签收人 王", NULL);
  ck_assert_msg (strstr (show.out, "apply-reinspection") && strstr (show.out, "applied-on"), "%s",
                 show.out);
  RUN (&extend, db, "cases", "extend", "HC2024-00001", "--until", "2024-06-30", "--approved-by",
       "局长", "--reason", "协查未复函");
  expect (&extend, 0, "HC2024-00001: extend: notified -> notified (version 3)", NULL);
  RUN (&close, db, "cases", "close", "HC2024-00001", "--outcome", "已处置");
  expect (&close, 1, NULL, "risk-control");
  ck_assert_msg (strstr (close.err, "verify-rectification") != NULL, "%s", close.err);
  RUN (&apply, db, "cases", "reinspect", "HC2024-00001", "apply", "--field",
       "applied-on=2024-02-22", "--field", "application-kind=异议", AS_INSPECTOR);
  expect (&apply, 0, "notified -> reinspection (version 4)", NULL);
  RUN (&accept, db, "cases", "reinspect", "HC2024-00001", "accept", "--field",
       "accepted-on=2024-02-23", "--seed", "s1");
  expect (&accept, 0, "reinspection -> retesting (version 5)", NULL);
  ck_assert_msg (strstr (accept.out, "re-inspection lab: LAB")
                     && strstr (accept.out, "seed \"s1\""),
                 "%s", accept.out);
  RUN (&office, db, "cases", "list", "--office", "12010402", "--format", "csv");
  expect (&office, 0, "HC2024-00002,", NULL);
  ck_assert (strstr (office.out, "HC2024-00001") == NULL);
  RUN (&overdue, db, "cases", "list", "--overdue");
  expect (&overdue, 0, "overdue by", NULL);
  /* the day after the import nothing was overdue yet: --date moves today */
  g_auto (TestRun) then = { 0 }, then_show = { 0 };
  RUN (&then, db, "cases", "list", "--overdue", "--date", "2024-02-21");
  expect (&then, 0, "no cases overdue", NULL);
  RUN (&then_show, db, "cases", "show", "HC2024-00002", "--date", "2024-02-21", "--format", "csv");
  expect (&then_show, 0, "due in", NULL);
  ck_assert_msg (strstr (then_show.out, "overdue by") == NULL, "%s", then_show.out);
  RUN (&assign, db, "cases", "assign", "HC2024-00002", "--office", "12010401");
  expect (&assign, 0, "HC2024-00002: assigned to office 12010401 (version 2)", NULL);
  RUN (&verify, db, "audit", "verify");
  expect (&verify, 0, NULL, NULL);
}
END_TEST

/* English a deadline status or a state key would leave in Chinese output. */
static const char *const ENGLISH[] = {
  "due",      "overdue", "today",   "days", "met",      "lapsed",   "window", "open",
  "notified", "closed",  "(stays)", "rows", "deliver ", "deadline", "true",   "false",
};

/* Asserts @ok; the whole output goes to stderr when it fails (too long for
 * a Check message). */
static void
check_out (gboolean ok, const char *what, const char *out)
{
  if (!ok)
    fprintf (stderr, "%s:\n%s\n", what, out);
  ck_assert_msg (ok, "%s", what);
}

/* An ASCII word of ENGLISH in @text, or NULL: letters either side make it
 * part of something else (a field key, a case number). */
static const char *
english_word (const char *text)
{
  for (gsize i = 0; i < G_N_ELEMENTS (ENGLISH); i++)
    for (const char *at = strstr (text, ENGLISH[i]); at; at = strstr (at + 1, ENGLISH[i]))
      {
        gsize n = strlen (ENGLISH[i]);
        gboolean before = at > text && (g_ascii_isalnum (at[-1]) || at[-1] == '-' || at[-1] == '_');
        gboolean after = g_ascii_isalnum (at[n]) || at[n] == '-' || at[n] == '_';
        if (!before && !after)
          return ENGLISH[i];
      }
  return NULL;
}

/* `--lang zh cases show` of a case with met, lapsed and overdue deadlines
 * speaks Chinese all through; CSV and JSON do not change with the language. */
START_TEST (test_case_show_in_chinese)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_autofree char *refs = g_build_filename (g_getenv ("SPOTCHECK_SOURCE_DIR"), "tests", "data",
                                            "results", "referrals.csv", NULL);
  g_auto (TestRun) mig = { 0 }, imp = { 0 }, deliver = { 0 }, zh = { 0 }, en = { 0 },
                   csv_zh = { 0 }, csv_en = { 0 }, json_zh = { 0 }, json_en = { 0 }, list = { 0 },
                   list_csv_zh = { 0 }, list_csv_en = { 0 };
  RUN (&mig, db, "db", "migrate");
  expect (&mig, 0, NULL, NULL);
  RUN (&imp, db, "cases", "import-referrals", refs, "--date", "2024-02-20");
  expect (&imp, 0, "2 cases opened", NULL);
  RUN (&deliver, db, "cases", "advance", "HC2024-00001", "--to", "deliver", "--field",
       "delivered-on=2024-02-20", "--field", "delivery-method=直接送达", AS_INSPECTOR, "--date",
       "2024-02-20");
  expect (&deliver, 0, "open -> notified", NULL);

  RUN (&en, db, "--lang", "en", "cases", "show", "HC2024-00001");
  expect (&en, 0, "met", NULL);
  check_out (strstr (en.out, "lapsed (the business's window)") && strstr (en.out, "overdue by"),
             "English statuses", en.out);
  RUN (&zh, db, "--lang", "zh", "cases", "show", "HC2024-00001");
  expect (&zh, 0, "已完成", NULL);
  check_out (strstr (zh.out, "已届满") && strstr (zh.out, "已逾期"), "Chinese statuses", zh.out);
  /* the state's and the steps' names from the workflow */
  check_out (strstr (zh.out, "已送达") && strstr (zh.out, "送达检验结论"), "workflow names",
             zh.out);
  /* The fields table has an English name column on purpose (英文名称, for
   * forms in either language): the words are looked for before it. */
  const char *fields = strstr (zh.out, "\n填报字段:");
  check_out (fields != NULL, "the fields table", zh.out);
  g_autofree char *before_fields = g_strndup (zh.out, (gsize)(fields - zh.out));
  const char *word = english_word (before_fields);
  check_out (word == NULL, word ? word : "", zh.out);

  RUN (&list, db, "--lang", "zh", "cases", "list");
  expect (&list, 0, "已逾期", NULL);
  word = english_word (list.out);
  check_out (word == NULL, word ? word : "", list.out);

  RUN (&csv_zh, db, "--lang", "zh", "cases", "show", "HC2024-00001", "--format", "csv");
  RUN (&csv_en, db, "--lang", "en", "cases", "show", "HC2024-00001", "--format", "csv");
  expect (&csv_en, 0, "overdue by", NULL);
  ck_assert_str_eq (csv_zh.out, csv_en.out);
  RUN (&json_zh, db, "--lang", "zh", "cases", "show", "HC2024-00001", "--format", "json");
  RUN (&json_en, db, "--lang", "en", "cases", "show", "HC2024-00001", "--format", "json");
  expect (&json_zh, 0, "\"state\" : \"notified\"", NULL);
  RUN (&list_csv_zh, db, "--lang", "zh", "cases", "list", "--format", "csv");
  RUN (&list_csv_en, db, "--lang", "en", "cases", "list", "--format", "csv");
  expect (&list_csv_zh, 0, "case_no,", NULL);
  ck_assert_str_eq (list_csv_zh.out, list_csv_en.out);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cli-cases");
  TCase *tc = tcase_create ("cli-cases");
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_a_case_worked_at_the_terminal);
  tcase_add_test (tc, test_case_show_in_chinese);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
