/* test-cli-audit.c: `spotcheck audit verify` as a user runs it: exit 0 with
 * the rows checked while the record is as written, exit 1 naming the first
 * row that is not. */
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

static void
audit (TestDb *db, const char *district, const char *action)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (db_audit (db->conn, district, "tester", action, NULL, "{\"k\": 1}", &error), "%s",
                 error ? error->message : "");
}

START_TEST (test_verify_exit_codes)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (TestRun) empty = { 0 };
  RUN (&empty, db, "audit", "verify");
  expect (&empty, 0, "case_event", "");

  for (int i = 0; i < 4; i++)
    audit (db, "120104", "test.row");
  audit (db, "110000", "test.other");
  g_auto (TestRun) ok = { 0 }, csv = { 0 }, json = { 0 };
  RUN (&ok, db, "audit", "verify");
  expect (&ok, 0, "audit_log", "");
  ck_assert_msg (strstr (ok.out, "120104") != NULL && strstr (ok.out, "110000") != NULL, "%s",
                 ok.out);
  RUN (&csv, db, "audit", "verify", "--district", "120104", "--format", "csv");
  expect (&csv, 0, "\naudit_log,120104,4,", "");
  ck_assert_ptr_null (strstr (csv.out, "110000"));
  RUN (&json, db, "audit", "verify", "--format", "json");
  expect (&json, 0, "\"rows\" : 4", "");

  /* The schema owner (not the working role the binary connects as) rewrites
   * the third row behind the append-only trigger. */
  g_autofree char *third
      = fx_scalar (db, "SELECT id FROM audit_log WHERE district = '120104' ORDER BY id OFFSET 2 "
                       "LIMIT 1");
  g_autofree char *tamper = g_strdup_printf (
      "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; "
      "UPDATE audit_log SET actor = 'someone else' WHERE district = '120104' AND id = %s; "
      "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only",
      third);
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) owner = db_connect (db->owner_conninfo, &error);
  ck_assert_msg (owner != NULL && db_run_script (owner, tamper, &error), "%s",
                 error ? error->message : "");
  g_auto (TestRun) bad = { 0 }, bad_csv = { 0 }, other = { 0 };
  RUN (&bad, db, "audit", "verify");
  g_autofree char *named
      = g_strdup_printf ("audit_log of district 120104 does not match at id %s", third);
  expect (&bad, 1, "audit_log", named);
  ck_assert_msg (strstr (bad.err, "row was changed") != NULL, "%s", bad.err);
  RUN (&bad_csv, db, "audit", "verify", "--format", "csv");
  g_autofree char *row = g_strdup_printf (",%s,row_hash", third);
  expect (&bad_csv, 1, row, named);
  /* Another district's chain is not touched by it. */
  RUN (&other, db, "audit", "verify", "--district", "110000");
  expect (&other, 0, "110000", "");

  g_auto (TestRun) usage = { 0 };
  RUN (&usage, db, "audit", "verify", "--district", "1201");
  expect (&usage, 1, NULL, "--district");
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cli-audit");
  TCase *tc = tcase_create ("audit");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_verify_exit_codes);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
