/* test-server-restart.c: the server outlives its database. On an embedded
 * cluster of the test's own, PostgreSQL is stopped under a running `spotcheck
 * serve` and started again: meanwhile requests get 503 with Retry-After, and
 * afterwards the workers have reconnected by themselves. */
#include "tests/server/server-fixture.h"

#define RUN_OK(r) ck_assert_msg ((r)->status == 0, "exit %d\n%s%s", (r)->status, (r)->out, (r)->err)

START_TEST (test_database_restart_under_the_server)
{
  Fx f = { 0 };
  f.dir = test_scratch_dir ();
  f.data_dir = g_build_filename (f.dir, "pg", NULL);
  g_auto (TestRun) start = { 0 }, user = { 0 }, stop = { 0 }, again = { 0 };
  RUN_DIR (&start, f.data_dir, "db", "start");
  RUN_OK (&start);
  RUN_DIR (&user, f.data_dir, "user", "add", "root1", "--role", "admin");
  RUN_OK (&user);
  f.admin = g_strstrip (g_strdup (user.out));
  fx_start (&f, NULL);

  g_auto (Answer) a = { 0 };
  GET (&f, &a, "/api/v1/users", f.admin);
  ck_assert_msg (a.status == 200, "%u %s", a.status, a.body);

  RUN_DIR (&stop, f.data_dir, "db", "stop");
  RUN_OK (&stop);
  /* every worker finds its connection gone: 503 and when to come back */
  for (int i = 0; i < 4; i++)
    {
      GET (&f, &a, "/api/v1/users", f.admin);
      ck_assert_msg (a.status == 503, "with the database down: %u %s", a.status, a.body);
      ck_assert_ptr_nonnull (soup_message_headers_get_one (a.headers, "Retry-After"));
    }
  GET (&f, &a, "/healthz", NULL);
  ck_assert_msg (a.status == 503, "healthz with the database down: %u %s", a.status, a.body);

  RUN_DIR (&again, f.data_dir, "db", "start");
  RUN_OK (&again);
  /* back without a restart of the server (workers retry as requests come) */
  guint status = 0;
  for (int i = 0; i < 100 && status != 200; i++)
    {
      GET (&f, &a, "/api/v1/users", f.admin);
      status = a.status;
      if (status != 200)
        g_usleep (100 * 1000);
    }
  ck_assert_msg (status == 200, "after the restart: %u %s", a.status, a.body);
  GET (&f, &a, "/healthz", NULL);
  ck_assert_uint_eq (a.status, 200);

  ck_assert_int_eq (fx_stop (&f), 0);
  g_clear_object (&f.session);
  g_auto (TestRun) down = { 0 }, rm = { 0 };
  RUN_DIR (&down, f.data_dir, "db", "stop");
  test_run_argv (&rm, (const char *const[]){ "rm", "-rf", f.dir, NULL });
  g_free (f.base);
  g_free (f.log_path);
  g_free (f.admin);
  g_free (f.data_dir);
  g_free (f.dir);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("server-restart");
  TCase *tc = tcase_create ("restart");
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_database_restart_under_the_server);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
