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
  RUN (&assign, db, "cases", "assign", "HC2024-00002", "--office", "12010401");
  expect (&assign, 0, "HC2024-00002: assigned to office 12010401 (version 2)", NULL);
  RUN (&verify, db, "audit", "verify");
  expect (&verify, 0, NULL, NULL);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cli-cases");
  TCase *tc = tcase_create ("cli-cases");
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_a_case_worked_at_the_terminal);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
