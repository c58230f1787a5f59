/* test-cli-results.c: `spotcheck results` and `spotcheck cases` as a user runs
 * them, on the example files in tests/data/results/. */
#include "tests/db/results-fixture.h"
#include "tests/support/test-run.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/wait.h>

static char *
data (const char *name)
{
  return g_build_filename (g_getenv ("SPOTCHECK_SOURCE_DIR"), "tests", "data", "results", name,
                           NULL);
}

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

/* The line of @out holding @needle, which must also hold each of @also. */
static void
line_has (const char *out, const char *needle, const char *const *also)
{
  const char *at = strstr (out, needle);
  ck_assert_msg (at != NULL, "<%s> not in:\n%s", needle, out);
  const char *start = at, *end = strchr (at, '\n');
  while (start > out && start[-1] != '\n')
    start--;
  g_autofree char *line = g_strndup (start, end ? (gsize)(end - start) : strlen (start));
  for (gsize i = 0; also[i] != NULL; i++)
    ck_assert_msg (strstr (line, also[i]) != NULL, "<%s> not in line: %s", also[i], line);
}

START_TEST (test_import_idempotent_in_every_encoding)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_autofree char *csv = data ("results.csv"), *gb = data ("results-gb18030.csv"),
                  *bom = data ("results-bom-crlf.csv"), *json = data ("results.json");
  g_auto (TestRun) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 }, list = { 0 };
  RUN (&a, db, "results", "import", csv, "--lab", "LAB1", "--date", "2024-02-08");
  expect (&a, 0, "2 new reports", "");
  ck_assert (strstr (a.out, "cases: 1 opened") != NULL);
  RUN (&b, db, "results", "import", csv, "--lab", "LAB1", "--date", "2024-02-08");
  expect (&b, 0, "already imported on", NULL);
  ck_assert (strstr (b.out, "nothing changed") != NULL);
  /* the same reports re-encoded, or as JSON, change nothing either */
  RUN (&c, db, "results", "import", gb, "--lab", "LAB1");
  expect (&c, 0, "every report in it is already stored as it is (2); nothing changed", NULL);
  RUN (&d, db, "results", "import", bom, "--lab", "LAB1");
  expect (&d, 0, "nothing changed", NULL);
  RUN (&e, db, "results", "import", json, "--lab", "LAB1");
  expect (&e, 0, "nothing changed", NULL);
  /* and so does the same file saved as a workbook by LibreOffice */
  g_autofree char *xlsx = data ("results.xlsx");
  g_auto (TestRun) x = { 0 };
  RUN (&x, db, "results", "import", xlsx, "--lab", "LAB1");
  expect (&x, 0, "nothing changed", NULL);
  RUN (&list, db, "cases", "list");
  expect (&list, 0, "HC2024-00001  district  open", NULL);
  ck_assert (strstr (list.out, "deliver-conclusion 2024-02-21") != NULL);
  g_autofree char *n = fx_scalar (db, "SELECT count(*) FROM result_import");
  ck_assert_str_eq (n, "1");
}
END_TEST

START_TEST (test_rejected_file_lists_every_problem)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_autofree char *bad = data ("rejected.csv");
  g_auto (TestRun) r = { 0 }, missing = { 0 };
  RUN (&r, db, "results", "import", bad, "--lab", "LAB1");
  expect (&r, 1, NULL, "nothing stored");
  RUN (&missing, db, "results", "import", "/nonexistent/results.csv", "--lab", "LAB1");
  expect (&missing, 1, NULL, "cannot read /nonexistent/results.csv: No such file or directory");
  const char *lines[] = {
    ":2: column 抽样单编号: value \"DC24120104000099\": unknown sampling number",
    ":3: column 抽样单编号: value \"DC24120104000003\": sample DC24120104000003 was sent to lab "
    "LAB2, not to lab LAB1",
    ":4: column 检验结果: value \"0.0x3\"",
    ":5: column 单位",
    ":5: column 结论: value \"\": missing conclusion",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    ck_assert_msg (strstr (r.err, lines[i]) != NULL, "<%s> not in:\n%s", lines[i], r.err);
  /* the same file as a workbook: the same problems, each naming its cell */
  g_autofree char *bad_xlsx = data ("rejected.xlsx");
  g_auto (TestRun) x = { 0 };
  RUN (&x, db, "results", "import", bad_xlsx, "--lab", "LAB1");
  expect (&x, 1, NULL, "nothing stored");
  const char *cells[] = {
    ":2: column 抽样单编号 (A2): value \"DC24120104000099\": unknown sampling number",
    ":4: column 检验结果 (D4): value \"0.0x3\"",
    ":5: column 结论 (I5): value \"\": missing conclusion",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cells); i++)
    ck_assert_msg (strstr (x.err, cells[i]) != NULL, "<%s> not in:\n%s", cells[i], x.err);
  g_autofree char *n = fx_scalar (db, "SELECT count(*) FROM lab_report");
  ck_assert_str_eq (n, "0");
}
END_TEST

START_TEST (test_amend_closes_case_on_record)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_autofree char *csv = data ("results.csv"), *amended = data ("results-amended.csv");
  g_auto (TestRun) a = { 0 }, refused = { 0 }, noreason = { 0 }, ok = { 0 }, closed = { 0 },
                   show = { 0 };
  RUN (&a, db, "results", "import", csv, "--lab", "LAB1", "--date", "2024-02-08");
  expect (&a, 0, "cases: 1 opened", NULL);
  RUN (&refused, db, "results", "import", amended, "--lab", "LAB1");
  expect (&refused, 1, NULL, "report BG2024-0002 is already stored (version 1");
  /* the way out is the face's to word */
  ck_assert (strstr (refused.err, "import with --amend --reason") != NULL);
  RUN (&noreason, db, "results", "import", amended, "--lab", "LAB1", "--amend");
  expect (&noreason, 1, NULL, "--amend needs --reason");
  RUN (&ok, db, "results", "import", amended, "--lab", "LAB1", "--amend", "--reason",
       "lab re-ran the benzoic acid test", "--date", "2024-02-20");
  expect (&ok, 0, "1 amended", NULL);
  ck_assert (strstr (ok.out, "1 closed by amendment") != NULL);
  RUN (&closed, db, "cases", "list", "--state", "closed", "--format", "csv");
  expect (&closed, 0, "HC2024-00001,district,closed," FX_USCC2, NULL);
  /* a closed case has no deadline left to chase */
  /* ... and its version shows the withdrawal was a step (case_take_step) */
  ck_assert_msg (strstr (closed.out, ",2024-02-08,2024-02-20,12010401,,,2\r\n") != NULL, "%s",
                 closed.out);
  RUN (&show, db, "cases", "show", "HC2024-00001");
  expect (&show, 0, NULL, NULL);
  line_has (show.out, "withdrawn by amendment", (const char *[]){ " open ", " closed ", NULL });
  ck_assert (strstr (show.out, "lab re-ran the benzoic acid test") != NULL);
  line_has (show.out, "deliver-conclusion",
            (const char *[]){ "2024-02-21", " 5 ", "working-days", "2024-02-08", NULL });
  /* every format carries the record, its deadlines and its events */
  g_auto (TestRun) json = { 0 }, as_csv = { 0 };
  RUN (&json, db, "cases", "show", "HC2024-00001", "--format", "json");
  expect (&json, 0, NULL, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  ck_assert_msg (json_parser_load_from_data (parser, json.out, -1, NULL), "%s", json.out);
  JsonObject *doc = json_node_get_object (json_parser_get_root (parser));
  ck_assert_str_eq (
      json_object_get_string_member (json_object_get_object_member (doc, "case"), "state"),
      "closed");
  ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (doc, "deadlines")), 2);
  ck_assert_uint_eq (json_array_get_length (json_object_get_array_member (doc, "events")), 2);
  RUN (&as_csv, db, "cases", "show", "HC2024-00001", "--format", "csv");
  expect (&as_csv, 0, "case_no,source,state,", NULL);
  ck_assert_msg (strstr (as_csv.out, "\r\nname,due_on,")
                     && strstr (as_csv.out, "\r\non_date,event,")
                     && strstr (as_csv.out, "withdrawn by amendment,open,closed,"),
                 "%s", as_csv.out);
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-cli-XXXXXX", NULL);
  g_autofree char *book = g_build_filename (dir, "case.xlsx", NULL);
  g_auto (TestRun) xlsx = { 0 }, list_xlsx = { 0 };
  RUN (&xlsx, db, "cases", "show", "HC2024-00001", "--format", "xlsx", "--out", book);
  expect (&xlsx, 0, NULL, NULL);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  ck_assert (g_file_get_contents (book, &bytes, &len, NULL) && len > 4);
  ck_assert (memcmp (bytes, "PK", 2) == 0);
  g_remove (book);
  RUN (&list_xlsx, db, "cases", "list", "--format", "xlsx", "--out", book);
  expect (&list_xlsx, 0, NULL, NULL);
  ck_assert (g_file_test (book, G_FILE_TEST_EXISTS));
  g_remove (book);
  g_rmdir (dir);
}
END_TEST

START_TEST (test_review_and_referrals)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-cli-XXXXXX", NULL);
  g_autofree char *file
      = fx_write (dir, "review.csv",
                  FX_HEADER "DC24120104000001,BG-9,亚硝酸盐,30,mg/kg,<30,,合格,合格,2024-03-05\n");
  g_autofree char *refs = data ("referrals.csv");
  g_auto (TestRun) none = { 0 }, imp = { 0 }, rev = { 0 }, ref = { 0 }, list = { 0 }, late = { 0 },
                   bad = { 0 };
  RUN (&none, db, "results", "review");
  expect (&none, 0, "no reports to review", NULL);
  RUN (&imp, db, "results", "import", file, "--lab", "LAB1", "--date", "2024-03-06");
  expect (&imp, 0, "1 report flagged for review", NULL);
  g_auto (TestRun) text = { 0 };
  RUN (&text, db, "results", "review");
  expect (&text, 0, "亚硝酸盐 fail", NULL);
  RUN (&rev, db, "results", "review", "--format", "json");
  expect (&rev, 0, "\"computed\" : \"fail\"", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  ck_assert (json_parser_load_from_data (parser, rev.out, -1, NULL));
  ck_assert_uint_eq (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                     1);
  RUN (&ref, db, "cases", "import-referrals", refs, "--date", "2024-02-20");
  expect (&ref, 0, "2 cases opened, 0 notices already on record", NULL);
  RUN (&list, db, "cases", "list", "--format", "json");
  expect (&list, 0, "\"source\" : \"national\"", NULL);
  ck_assert (strstr (list.out, "\"source\" : \"city\"") != NULL);
  /* a nonconforming report on a date no calendar covers: the user sees why */
  g_autofree char *fail
      = fx_write (dir, "fail.csv",
                  FX_HEADER "DC24120104000002,BG-10,铅,0.9,mg/kg,≤0.5,,不合格,不合格,2026-12-28\n");
  RUN (&late, db, "results", "import", fail, "--lab", "LAB1", "--date", "2026-12-30");
  expect (&late, 1, NULL, "deliver-conclusion");
  RUN (&bad, db, "cases", "list", "--state", "pending");
  expect (&bad, 1, NULL, "no case state \"pending\"");
  g_remove (file);
  g_remove (fail);
  g_rmdir (dir);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cli-results");
  TCase *tc = tcase_create ("cli-results");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_import_idempotent_in_every_encoding);
  tcase_add_test (tc, test_rejected_file_lists_every_problem);
  tcase_add_test (tc, test_amend_closes_case_on_record);
  tcase_add_test (tc, test_review_and_referrals);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
