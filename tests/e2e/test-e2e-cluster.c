/* test-e2e-cluster.c: the embedded cluster through the spotcheck binary, as
 * people and scripts hit it: two first starts at once, a start killed during
 * initdb, a stale postmaster.pid, data directories with shell syntax. */
#include "tests/support/test-run.h"

#include <check.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
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

/* Waits up to 20 s for @path to appear. */
static gboolean
wait_for_path (const char *path)
{
  for (int i = 0; i < 2000; i++)
    {
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return TRUE;
      g_usleep (10 * 1000);
    }
  return FALSE;
}

START_TEST (test_retry_after_kill_during_init)
{
  /* Killed at different moments of initdb: each retry must finish the job. */
  const int delays_ms[] = { 0, 150, 500 };
  for (guint i = 0; i < G_N_ELEMENTS (delays_ms); i++)
    {
      g_autofree char *scratch = test_scratch_dir ();
      g_autofree char *dir = g_build_filename (scratch, "pg", NULL);
      g_autofree char *init = g_strconcat (dir, ".init", NULL);
      g_autoptr (GSubprocess) first
          = test_spawn_spotcheck_dir (dir, (const char *const[]){ "db", "start", NULL });
      ck_assert_msg (wait_for_path (init), "no scratch directory %s appeared", init);
      g_usleep (delays_ms[i] * 1000);
      g_subprocess_force_exit (first);
      g_auto (TestRun) killed = { 0 }, retry = { 0 };
      test_run_wait (&killed, first);
      RUN_DIR (&retry, dir, "db", "start");
      ck_assert_msg (retry.status == 0, "retry after kill at +%d ms: %s", delays_ms[i], retry.err);
      clean_up (scratch, dir);
    }
}
END_TEST

START_TEST (test_retry_after_kill_during_server_start)
{
  /* Killed once the server has written its pid file: it is still starting. */
  g_autofree char *scratch = test_scratch_dir ();
  g_autofree char *dir = g_build_filename (scratch, "pg", NULL);
  g_autofree char *pidfile = g_build_filename (dir, "postmaster.pid", NULL);
  g_autoptr (GSubprocess) first
      = test_spawn_spotcheck_dir (dir, (const char *const[]){ "db", "start", NULL });
  ck_assert_msg (wait_for_path (pidfile), "no %s appeared", pidfile);
  g_subprocess_force_exit (first);
  g_auto (TestRun) killed = { 0 }, retry = { 0 };
  test_run_wait (&killed, first);
  RUN_DIR (&retry, dir, "db", "start");
  ck_assert_msg (retry.status == 0, "retry after kill during server start: %s", retry.err);
  clean_up (scratch, dir);
}
END_TEST

/* A `sleep` of the account the cluster's tools run as: root's run_as
 * account, else ourselves. */
static pid_t
spawn_sleeper (void)
{
  struct passwd *pw = geteuid () == 0 ? getpwnam ("postgres") : NULL;
  pid_t pid = fork ();
  ck_assert (pid >= 0);
  if (pid == 0)
    {
      if (pw != NULL
          && (setgroups (0, NULL) != 0 || setgid (pw->pw_gid) != 0 || setuid (pw->pw_uid) != 0))
        _exit (126);
      execl ("/bin/sleep", "sleep", "60", (char *)NULL);
      _exit (127);
    }
  return pid;
}

START_TEST (test_stop_spares_process_named_by_stale_pid)
{
  g_autofree char *scratch = test_scratch_dir ();
  g_autofree char *dir = g_build_filename (scratch, "pg", NULL);
  g_auto (TestRun) start = { 0 }, stop = { 0 }, stale = { 0 };
  RUN_DIR (&start, dir, "db", "start");
  ck_assert_msg (start.status == 0, "%s", start.err);
  RUN_DIR (&stop, dir, "db", "stop");
  ck_assert_msg (stop.status == 0, "%s", stop.err);

  /* The cluster is down, but its postmaster.pid names a live process. */
  pid_t sleeper = spawn_sleeper ();
  g_autofree char *pidfile = g_build_filename (dir, "postmaster.pid", NULL);
  g_autofree char *text = g_strdup_printf (
      "%d\n%s\n1700000000\n5432\n%s\n\n  5432001         0\nready   \n", (int)sleeper, dir, dir);
  ck_assert (g_file_set_contents (pidfile, text, -1, NULL));
  RUN_DIR (&stale, dir, "db", "stop");
  int wstatus = 0;
  gboolean alive = waitpid (sleeper, &wstatus, WNOHANG) == 0;
  if (alive)
    {
      kill (sleeper, SIGKILL);
      waitpid (sleeper, &wstatus, 0);
    }
  ck_assert_msg (alive, "db stop signalled pid %d, which is no server of ours", (int)sleeper);
  ck_assert_msg (stale.status == 0, "%s", stale.err);
  ck_assert_msg (strstr (stale.out, "not running") != NULL, "%s", stale.out);
  g_remove (pidfile);
  clean_up (scratch, dir);
}
END_TEST

START_TEST (test_shell_syntax_in_data_dir_refused)
{
  g_autofree char *scratch = test_scratch_dir ();
  g_autofree char *marker = g_strdup_printf ("/tmp/spotcheck-e2e-marker-%d", (int)getpid ());
  g_autofree char *dollar = g_strdup_printf ("a$(touch %s)b", marker);
  g_autofree char *backtick = g_strdup_printf ("a`touch %s`b", marker);
  const char *names[] = { dollar, backtick, "a\\b", "a\"b", "a'b", "a\nb", "a,b" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *dir = g_build_filename (scratch, names[i], NULL);
      g_auto (TestRun) start = { 0 };
      RUN_DIR (&start, dir, "db", "start");
      gboolean ran = g_file_test (marker, G_FILE_TEST_EXISTS);
      g_remove (marker);
      ck_assert_msg (!ran, "a command in data directory %s was executed", dir);
      ck_assert_msg (start.status == 1, "%s: exit %d: %s", dir, start.status, start.err);
      ck_assert_msg (strstr (start.err, "--data-dir") != NULL, "%s", start.err);
      ck_assert_msg (!g_file_test (dir, G_FILE_TEST_EXISTS), "%s was created", dir);
      g_auto (TestRun) stop = { 0 };
      RUN_DIR (&stop, dir, "db", "stop");
    }
  g_auto (TestRun) rm = { 0 };
  test_run_argv (&rm, (const char *const[]){ "rm", "-rf", scratch, NULL });
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("e2e-cluster");
  TCase *tc = tcase_create ("cluster");
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_concurrent_first_start);
  tcase_add_test (tc, test_retry_after_kill_during_init);
  tcase_add_test (tc, test_retry_after_kill_during_server_start);
  tcase_add_test (tc, test_stop_spares_process_named_by_stale_pid);
  tcase_add_test (tc, test_shell_syntax_in_data_dir_refused);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
