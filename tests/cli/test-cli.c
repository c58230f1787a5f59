/* test-cli.c: the spotcheck binary as a user runs it: help, exit codes, errors. */
#include "tests/support/test-pg.h"
#include "tests/support/test-run.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

START_TEST (test_help_everywhere)
{
  g_auto (TestRun) top = { 0 };
  RUN (&top, NULL, "--help");
  ck_assert_int_eq (top.status, 0);
  ck_assert (strstr (top.out, "db start") != NULL);
  /* every command listed in the overview answers --help with exit 0 */
  g_auto (GStrv) lines = g_strsplit (top.out, "\n", -1);
  int checked = 0;
  for (char **l = lines; *l; l++)
    {
      if (!g_str_has_prefix (*l, "  ") || g_str_has_prefix (*l, "   ") || strstr (*l, "--"))
        continue;
      g_auto (GStrv) words = g_strsplit_set (g_strstrip (*l), " ", -1);
      gboolean two = words[1] != NULL && *words[1] != '\0' && g_ascii_islower (words[1][0])
                     && words[2] != NULL && *words[2] == '\0';
      g_auto (TestRun) r = { 0 };
      if (two)
        RUN (&r, NULL, words[0], words[1], "--help");
      else
        RUN (&r, NULL, words[0], "--help");
      ck_assert_msg (r.status == 0, "%s --help: %d %s", words[0], r.status, r.err);
      ck_assert (strstr (r.out, "Usage") != NULL);
      checked++;
    }
  ck_assert_int_ge (checked, 6);
}
END_TEST

START_TEST (test_exit_codes)
{
  g_auto (TestRun) a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
  RUN (&a, NULL, "nonsense");
  ck_assert_int_eq (a.status, 1);
  ck_assert (strstr (a.err, "unknown command") != NULL);
  RUN (&b, NULL, "db", "nonsense");
  ck_assert_int_eq (b.status, 1);
  RUN (&c, NULL, "--config", "/nonexistent/spotcheck.conf", "config", "show");
  ck_assert_int_eq (c.status, 1);
  ck_assert (strstr (c.err, "/nonexistent/spotcheck.conf") != NULL);
  /* an unreachable server is a system failure: exit 2 */
  RUN (&d, NULL, "--db", "host=/nonexistent port=1 connect_timeout=2", "db", "migrate");
  ck_assert_int_eq (d.status, 2);
  ck_assert (strstr (d.err, "cannot connect") != NULL);
}
END_TEST

START_TEST (test_bad_config_names_file_group_key)
{
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.conf", NULL);
  ck_assert (g_file_set_contents (path, "[calendar 2024]\nworkdays=2024-02-05\n", -1, NULL));
  g_auto (TestRun) r = { 0 };
  RUN (&r, NULL, "--config", path, "config", "show");
  ck_assert_int_eq (r.status, 1);
  ck_assert_msg (strstr (r.err, "bad.conf") && strstr (r.err, "calendar 2024")
                     && strstr (r.err, "workdays"),
                 "%s", r.err);
  g_remove (path);
  g_rmdir (dir);
}
END_TEST

START_TEST (test_config_show_origins)
{
  g_auto (TestRun) r = { 0 };
  RUN (&r, NULL, "config", "show", "--group", "deadline lab-report");
  ck_assert_int_eq (r.status, 0);
  ck_assert_msg (strstr (r.out, "amount=20  # built-in config/deadlines.conf") != NULL, "%s",
                 r.out);
}
END_TEST

START_TEST (test_db_status_and_demo)
{
  g_autoptr (TestDb) db = test_db_new_empty ();
  g_auto (TestRun) before = { 0 }, migrate = { 0 }, again = { 0 }, status = { 0 }, demo = { 0 };
  RUN (&before, db, "db", "status");
  ck_assert_int_eq (before.status, 0);
  ck_assert (strstr (before.out, "pending") != NULL);
  RUN (&migrate, db, "db", "migrate");
  ck_assert_int_eq (migrate.status, 0);
  ck_assert (strstr (migrate.err, "applied") != NULL);
  RUN (&again, db, "db", "migrate");
  ck_assert_int_eq (again.status, 0);
  ck_assert (strstr (again.err, "applied") == NULL);
  RUN (&status, db, "db", "status");
  ck_assert (strstr (status.out, "0 pending") != NULL);
  g_autofree char *out = g_dir_make_tmp ("spotcheck-demo-XXXXXX", NULL);
  RUN (&demo, db, "demo", "--months", "1", "--out", out);
  ck_assert_msg (demo.status == 0, "%s", demo.err);
  ck_assert (strstr (demo.out, "plan 2024 version 1 approved") != NULL);
  ck_assert (strstr (demo.out, "== 2024, months 1 to 1") != NULL);
  ck_assert (strstr (demo.out, "南开区") != NULL);
  /* a server of one's own is never reset: a second run is refused, unchanged */
  g_autofree char *marks = test_scalar (db, "SELECT count(*) FROM audit_log");
  g_auto (TestRun) again_demo = { 0 };
  RUN (&again_demo, db, "demo", "--months", "1", "--out", out);
  ck_assert_int_eq (again_demo.status, 1);
  ck_assert_msg (strstr (again_demo.err, "not empty") && strstr (again_demo.err, "embedded"), "%s",
                 again_demo.err);
  g_autofree char *after = test_scalar (db, "SELECT count(*) FROM audit_log");
  ck_assert_str_eq (after, marks);
  /* stop/start refer to the embedded cluster only */
  g_auto (TestRun) stop = { 0 };
  RUN (&stop, db, "db", "stop");
  ck_assert_int_eq (stop.status, 1);
  ck_assert (strstr (stop.err, "--db") != NULL);
}
END_TEST

START_TEST (test_plan_bad_input_stores_nothing)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-cli-plan-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "frozen.conf", NULL);
  /* Frozen drinks confined to May-September cannot take 2400 of 5520 batches. */
  ck_assert (
      g_file_set_contents (path, "[plan 2024 category 10]\nmonths=5-9\nminimum=2400\n", -1, NULL));
  g_auto (TestRun) bad = { 0 }, list = { 0 }, show = { 0 }, noyear = { 0 }, good = { 0 };
  RUN (&bad, db, "plan", "generate", "--year", "2024", "--config", path);
  ck_assert_int_eq (bad.status, 1);
  ck_assert_msg (strstr (bad.err, "frozen.conf") && strstr (bad.err, "[plan 2024 category 10]")
                     && strstr (bad.err, "months"),
                 "%s", bad.err);
  RUN (&list, db, "plan", "list");
  ck_assert_int_eq (list.status, 0);
  ck_assert (strstr (list.out, "no plans yet") != NULL);
  RUN (&show, db, "plan", "show", "--year", "2024");
  ck_assert_int_eq (show.status, 1);
  ck_assert (strstr (show.err, "plan generate") != NULL);
  RUN (&noyear, db, "plan", "generate");
  ck_assert_int_eq (noyear.status, 1);
  ck_assert (strstr (noyear.err, "--year") != NULL);
  /* the same command without the bad overlay stores version 1 */
  RUN (&good, db, "plan", "generate", "--year", "2024");
  ck_assert_msg (good.status == 0, "%s", good.err);
  ck_assert (strstr (good.out, "version 1 (draft)") != NULL);
  ck_assert (strstr (good.out, "460 460 460") != NULL);
  g_remove (path);
  g_rmdir (dir);
}
END_TEST

START_TEST (test_plan_approve_and_bounds)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (TestRun) none = { 0 }, gen1 = { 0 }, one = { 0 }, gen2 = { 0 }, gen3 = { 0 };
  g_auto (TestRun) several = { 0 }, again = { 0 }, list = { 0 }, csv = { 0 }, json = { 0 };
  /* with no draft, approving without --version says so */
  RUN (&none, db, "plan", "approve", "--year", "2024");
  ck_assert_int_eq (none.status, 1);
  ck_assert_msg (strstr (none.err, "no draft plan for 2024") != NULL, "%s", none.err);
  /* with exactly one, --version is not needed */
  RUN (&gen1, db, "plan", "generate", "--year", "2024");
  ck_assert_msg (gen1.status == 0, "%s", gen1.err);
  RUN (&one, db, "plan", "approve", "--year", "2024");
  ck_assert_msg (one.status == 0, "%s", one.err);
  ck_assert (strstr (one.out, "version 1 approved") != NULL);
  /* with several, the error lists them and asks for --version */
  RUN (&gen2, db, "plan", "generate", "--year", "2024");
  RUN (&gen3, db, "plan", "generate", "--year", "2024", "--total", "6000");
  ck_assert_msg (gen3.status == 0, "%s", gen3.err);
  RUN (&several, db, "plan", "approve", "--year", "2024");
  ck_assert_int_eq (several.status, 1);
  ck_assert_msg (strstr (several.err, "version 2 (created ") && strstr (several.err, "5520 batches")
                     && strstr (several.err, "version 3 (created ")
                     && strstr (several.err, "6000 batches") && strstr (several.err, "--version"),
                 "%s", several.err);
  /* another version while one is approved: the advice names --supersede */
  RUN (&again, db, "plan", "approve", "--year", "2024", "--version", "2");
  ck_assert_int_eq (again.status, 1);
  ck_assert_msg (strstr (again.err, "--supersede") != NULL, "%s", again.err);
  /* the list and the cells keep their keys in CSV and JSON */
  RUN (&list, db, "plan", "list", "--year", "2024", "--format", "csv");
  ck_assert_int_eq (list.status, 0);
  ck_assert (g_str_has_prefix (list.out, "year,version,status,total,reserve,from_month,"));
  RUN (&csv, db, "plan", "show", "--year", "2024", "--format", "csv");
  ck_assert_int_eq (csv.status, 0);
  ck_assert (g_str_has_prefix (csv.out, "year,version,month,category,grade,batches,ideal\r\n"));
  ck_assert (strstr (csv.out, "\r\n2024,1,1,01,A,") != NULL);
  RUN (&json, db, "plan", "show", "--year", "2024", "--format", "json");
  ck_assert_int_eq (json.status, 0);
  ck_assert_msg (strstr (json.out, "\"district\" : \"120104\"")
                     && strstr (json.out, "\"within_one\" : true")
                     && strstr (json.out, "\"cells\" : [") && strstr (json.out, "\"ideal\" : "),
                 "%s", json.out);
  /* numbers out of bounds are refused with the bound, not reinterpreted */
  const char *const *bad[] = {
    (const char *const[]){ "plan", "generate", "--year", "2024", "--total", "0", NULL },
    (const char *const[]){ "plan", "generate", "--year", "2024", "--total", "2147483648", NULL },
    (const char *const[]){ "plan", "generate", "--year", "2024", "--total", "100000001", NULL },
    (const char *const[]){ "plan", "generate", "--year", "-5", NULL },
    (const char *const[]){ "plan", "show", "--year", "2100", NULL },
  };
  const char *bounds[]
      = { "1 to 100000000", "1 to 100000000", "1 to 100000000", "2000 to 2099", "2000 to 2099" };
  const char *options[] = { "--total", "--total", "--total", "--year", "--year" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto (TestRun) r = { 0 };
      test_run_spotcheck (&r, db, bad[i]);
      ck_assert_int_eq (r.status, 1);
      ck_assert_msg (strstr (r.err, bounds[i]) && strstr (r.err, options[i]), "%s", r.err);
    }
  g_auto (TestRun) count = { 0 };
  RUN (&count, db, "plan", "list", "--format", "csv");
  g_auto (GStrv) lines = g_strsplit (count.out, "\r\n", -1);
  ck_assert_uint_eq (g_strv_length (lines), 5); /* header, three versions, "" */
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cli");
  TCase *tc = tcase_create ("cli");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_help_everywhere);
  tcase_add_test (tc, test_exit_codes);
  tcase_add_test (tc, test_bad_config_names_file_group_key);
  tcase_add_test (tc, test_config_show_origins);
  tcase_add_test (tc, test_db_status_and_demo);
  tcase_add_test (tc, test_plan_bad_input_stores_nothing);
  tcase_add_test (tc, test_plan_approve_and_bounds);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
