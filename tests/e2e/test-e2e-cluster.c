/* test-e2e-cluster.c: the embedded cluster through the spotcheck binary, as
 * people and scripts hit it. */
#include "tests/support/test-run.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* Stops whatever runs in @dir and removes @scratch (which holds it). */
static void
clean_up (const char *scratch, const char *dir)
{
  g_auto (TestRun) stop = { 0 }, rm = { 0 };
  RUN_DIR (&stop, dir, "db", "stop");
  test_run_argv (&rm, (const char *const[]){ "rm", "-rf", scratch, NULL });
}

START_TEST (test_concurrent_first_start)
{
  g_autofree char *scratch = test_scratch_dir ();
  g_autofree char *dir = g_build_filename (scratch, "pg", NULL);
  g_autoptr (GSubprocess) a
      = test_spawn_spotcheck_dir (dir, (const char *const[]){ "db", "start", NULL });
  g_autoptr (GSubprocess) b
      = test_spawn_spotcheck_dir (dir, (const char *const[]){ "db", "start", NULL });
  g_auto (TestRun) ra = { 0 }, rb = { 0 }, status = { 0 };
  test_run_wait (&ra, a);
  test_run_wait (&rb, b);
  ck_assert_msg (ra.status == 0, "first: %s", ra.err);
  ck_assert_msg (rb.status == 0, "second: %s", rb.err);
  RUN_DIR (&status, dir, "db", "status");
  ck_assert_msg (strstr (status.out, "0 pending") != NULL, "%s%s", status.out, status.err);
  clean_up (scratch, dir);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("e2e-cluster");
  TCase *tc = tcase_create ("cluster");
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_concurrent_first_start);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
