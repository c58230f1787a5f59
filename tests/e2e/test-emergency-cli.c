/* test-emergency-cli.c: emergency sampling (应急抽检) through the spotcheck
 * binary as a coordinator runs it: drawn from the reserve, verified,
 * published and re-run, refused beyond the reserve with the way out named,
 * listed with the month's tasks in every format. */
#include "tests/support/test-pg.h"
#include "tests/support/test-run.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#define OK(r) ck_assert_msg ((r)->status == 0, "exit %d: %s", (r)->status, (r)->err)

START_TEST (test_emergency_through_the_binary)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-emergency-XXXXXX", NULL);
  /* a 2024 plan with a small reserve */
  test_run_demo_district (db, dir, 1500, "[plan 2024]\nreserve_share=0.002\n");
  g_autofree char *reserve = test_scalar (db, "SELECT reserve FROM plan WHERE version = 1");
  ck_assert_int_gt (atoi (reserve), 5);

  g_auto (TestRun) none = { 0 }, drew = { 0 }, verify = { 0 }, over = { 0 }, forced = { 0 },
                   noreason = { 0 }, csv = { 0 }, json = { 0 }, text = { 0 }, book = { 0 },
                   exported = { 0 }, rerun = { 0 };
  /* only emergency tasks this month: the list shows them */
  RUN (&none, db, "tasks", "list", "--month", "2024-04");
  ck_assert_int_eq (none.status, 1);
  ck_assert_msg (strstr (none.err, "tasks generate --month") != NULL, "%s", none.err);
  RUN (&drew, db, "tasks", "emergency", "--month", "2024-04", "--category", "31", "--count", "3",
       "--reason", "群众投诉：某连锁餐饮", "--seed", "8");
  OK (&drew);
  ck_assert_msg (strstr (drew.out, "drew 3 emergency tasks of category 31") != NULL, "%s",
                 drew.out);
  g_autofree char *left = g_strdup_printf ("3 of %s used", reserve);
  ck_assert_msg (strstr (drew.out, left) != NULL, "%s", drew.out);
  RUN (&verify, db, "tasks", "verify", "--month", "2024-04", "--emergency");
  OK (&verify);
  ck_assert_msg (strstr (verify.out, "emergency draw 1 of 2024-04 (current) verified") != NULL,
                 "%s", verify.out);

  /* beyond the reserve: refused, with the way out named; allowed with a reason */
  RUN (&over, db, "tasks", "emergency", "--month", "2024-04", "--category", "31", "--count",
       reserve, "--reason", "more");
  ck_assert_int_eq (over.status, 1);
  ck_assert_msg (strstr (over.err, "--over-reserve") != NULL, "%s", over.err);
  RUN (&noreason, db, "tasks", "emergency", "--month", "2024-04", "--category", "31", "--count",
       "1");
  ck_assert_int_eq (noreason.status, 1);
  RUN (&forced, db, "tasks", "emergency", "--month", "2024-04", "--category", "31", "--count",
       reserve, "--reason", "more", "--over-reserve", "局长批准的专项整治");
  OK (&forced);
  g_autofree char *why = test_scalar (db, "SELECT over_reserve_reason FROM draw WHERE draw_no = 2");
  ck_assert_str_eq (why, "局长批准的专项整治");

  /* every format of the list carries them */
  RUN (&csv, db, "tasks", "list", "--month", "2024-04", "--format", "csv");
  OK (&csv);
  ck_assert (g_str_has_prefix (csv.out, "office,office_name,record_no,business,uscc,address,"
                                        "street,category,category_name,grade,inspector1,"
                                        "inspector2,lab,lab_name,due_date,status,kind\r\n"));
  g_auto (GStrv) rows = g_strsplit (csv.out, "\r\n", -1);
  ck_assert_uint_eq (g_strv_length (rows) - 2, 3 + (guint)atoi (reserve));
  RUN (&json, db, "tasks", "list", "--month", "2024-04", "--format", "json");
  OK (&json);
  ck_assert (g_str_has_prefix (json.out, "[") && strstr (json.out, "\"kind\"") != NULL
             && strstr (json.out, "\"emergency\"") != NULL);
  RUN (&text, db, "tasks", "list", "--month", "2024-04");
  OK (&text);
  ck_assert (strstr (text.out, "DC2412010404900000") != NULL);
  g_autofree char *xlsx = g_build_filename (dir, "april.xlsx", NULL);
  RUN (&book, db, "tasks", "list", "--month", "2024-04", "--format", "xlsx", "--out", xlsx);
  OK (&book);
  ck_assert (g_file_test (xlsx, G_FILE_TEST_IS_REGULAR));

  /* published and re-run without the database */
  g_autofree char *pub = g_build_filename (dir, "published", NULL);
  RUN (&exported, db, "tasks", "export", "--month", "2024-04", "--draw", "1", "--out", pub);
  OK (&exported);
  g_autofree char *input = g_build_filename (pub, "input.txt", NULL);
  g_autofree char *draw_path = g_build_filename (pub, "draw.txt", NULL);
  g_autofree char *published = NULL;
  ck_assert (g_file_get_contents (draw_path, &published, NULL, NULL));
  ck_assert (g_str_has_prefix (published, "spotcheck-emergency/1\n"));
  RUN (&rerun, NULL, "tasks", "rerun", "--input", input, "--seed", "8");
  OK (&rerun);
  ck_assert_str_eq (rerun.out, published);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("emergency-cli");
  TCase *tc = tcase_create ("emergency");
  tcase_set_timeout (tc, 300);
  tcase_add_test (tc, test_emergency_through_the_binary);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
