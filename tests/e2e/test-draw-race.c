/* test-draw-race.c: two months drawn at the same moment by two spotcheck
 * processes against one database. Each draw reads the year's tasks to keep
 * the no-repeat rule, so the two must not read before the other has stored:
 * the result must be exactly what drawing them one after the other gives, and
 * `tasks verify` must catch a year where that did not happen. */
#include "tests/support/test-pg.h"
#include "tests/support/test-run.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define OK(r) ck_assert_msg ((r)->status == 0, "exit %d: %s", (r)->status, (r)->err)

static const char *const seeds[] = { NULL, NULL, NULL, NULL, "41", "52" };

/* A demo district with an approved 2024 plan, January to March drawn. */
static void
setup_district (TestDb *db, const char *dir)
{
  test_run_demo_district (db, dir, 3000, NULL);
  /* January to March first, so that April and May meet drawn businesses */
  for (int m = 1; m <= 3; m++)
    {
      g_auto (TestRun) draw = { 0 };
      g_autofree char *month = g_strdup_printf ("2024-%02d", m);
      RUN (&draw, db, "tasks", "generate", "--month", month, "--seed", "7");
      OK (&draw);
    }
}

static GPid
start_draw (TestDb *db, int month)
{
  g_autofree char *m = g_strdup_printf ("2024-%02d", month);
  const char *argv[] = { g_getenv ("SPOTCHECK_BIN"),
                         "--db",
                         db->conninfo,
                         "tasks",
                         "generate",
                         "--month",
                         m,
                         "--seed",
                         seeds[month],
                         NULL };
  GPid pid = 0;
  g_autoptr (GError) error = NULL;
  ck_assert_msg (g_spawn_async (NULL, (char **)argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                &pid, &error),
                 "%s", error ? error->message : "");
  return pid;
}

static void
wait_ok (GPid pid)
{
  int status = 0;
  ck_assert (waitpid (pid, &status, 0) == pid);
  ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0, "a draw failed: %d", status);
}

/* Businesses with live tasks in both April and May. */
static char *
repeats (TestDb *db)
{
  return test_scalar (db,
                      "SELECT count(*) FROM (SELECT uscc FROM task WHERE month IN (4, 5) AND "
                      "status <> 'cancelled' GROUP BY uscc HAVING count (DISTINCT month) = 2) x");
}

START_TEST (test_two_months_at_once)
{
  g_autoptr (TestDb) race = test_db_new ();
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-race-XXXXXX", NULL);
  setup_district (race, dir);
  GPid april = start_draw (race, 4), may = start_draw (race, 5);
  wait_ok (april);
  wait_ok (may);
  g_autofree char *order
      = test_scalar (race, "SELECT string_agg (month::text, ',' ORDER BY seq) FROM "
                           "draw WHERE month IN (4, 5)");
  g_autofree char *raced = repeats (race);
  g_autofree char *digests = test_scalar (race, "SELECT string_agg (output_digest, ',' ORDER BY "
                                                "month) FROM draw WHERE month IN (4, 5)");
  for (int m = 4; m <= 5; m++)
    {
      g_auto (TestRun) verify = { 0 };
      g_autofree char *month = g_strdup_printf ("2024-%02d", m);
      RUN (&verify, race, "tasks", "verify", "--month", month);
      OK (&verify);
    }

  /* the same two draws one after the other, in the order the race took */
  g_autoptr (TestDb) calm = test_db_new ();
  g_autofree char *dir2 = g_dir_make_tmp ("spotcheck-race-XXXXXX", NULL);
  setup_district (calm, dir2);
  g_auto (GStrv) months = g_strsplit (order, ",", -1);
  ck_assert_uint_eq (g_strv_length (months), 2);
  for (int i = 0; i < 2; i++)
    wait_ok (start_draw (calm, atoi (months[i])));
  g_autofree char *sequential = repeats (calm);
  ck_assert_str_eq (raced, sequential);
  g_autofree char *digests2 = test_scalar (calm, "SELECT string_agg (output_digest, ',' ORDER BY "
                                                 "month) FROM draw WHERE month IN (4, 5)");
  ck_assert_str_eq (digests, digests2);

  /* a year where June was drawn blind to May's tasks (as two draws at once
   * used to be) does not verify, though June re-runs byte for byte */
  g_autoptr (GError) error = NULL;
  ck_assert (db_run (calm->conn, "UPDATE task SET status = 'cancelled' WHERE month = 5", DB_NO_ARGS,
                     &error));
  g_auto (TestRun) blind = { 0 }, verify = { 0 };
  RUN (&blind, calm, "tasks", "generate", "--month", "2024-06", "--seed", "63");
  OK (&blind);
  ck_assert (
      db_run (calm->conn, "UPDATE task SET status = 'drawn' WHERE month = 5", DB_NO_ARGS, &error));
  RUN (&verify, calm, "tasks", "verify", "--month", "2024-06");
  ck_assert_int_eq (verify.status, 1);
  ck_assert_msg (strstr (verify.err, "does NOT verify") == NULL, "%s", verify.err);
  ck_assert_msg (strstr (verify.err, "in 2024-05 (draw 1) and again in 2024-06 (draw 1)") != NULL,
                 "%s", verify.err);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("draw-race");
  TCase *tc = tcase_create ("race");
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_two_months_at_once);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
