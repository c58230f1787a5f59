/* test-web.c: the web pages in a real browser. Starts a real `spotcheck
 * serve` over a fresh test database (the server tests' fixture: labs LAB1 and
 * LAB2, January's tasks and samples, a user of every role), then runs
 * pages.mjs, which drives Debian's chromium through puppeteer-core: sign-in
 * as each role, a lab's bad and good uploads, an inspector's two steps and a
 * conflict, the coordinator's tasks, download and draw, a 403 page, the
 * pages in the server's language (Chinese) and in the one asked for, and a
 * screenshot of every page. Without node or chromium it is a visible skip
 * (77), never a pass. */
#include "tests/server/server-fixture.h"

#include <stdio.h>
#include <unistd.h>

static const char *shots_dir; /* argv[1]: where the screenshots go */

static const char *
chromium_path (void)
{
  const char *env = g_getenv ("SPOTCHECK_CHROMIUM");
  return env && *env ? env : "/usr/bin/chromium";
}

START_TEST (test_pages_in_chromium)
{
  /* a Chinese server: the pages are Chinese unless asked for English */
  fx_setup_lang (&fx, "failed-logins-per-minute=1000", "zh");
  /* one more LAB1 sample that no file reports, so the lab page has one pending
   * after its upload; the plan approved and a category of business 1 served by
   * LAB1, for the emergency draw */
  fx_sql (fx.db,
          "INSERT INTO task (district, year, month, draw_no, serial, record_no, category, grade, "
          "uscc, street, office, inspector1, inspector2, lab, due_date, status) VALUES "
          "('120104', 2024, 1, 1, 4, 'DC24120104000004', '24', 'B', '" FX_USCC2 "', "
          "'120104001', '12010401', 'I1', 'I2', 'LAB1', '2024-01-31', 'sampled');"
          "INSERT INTO sample (district, record_no, year, month, draw_no, serial, sample_name, "
          "quantity, sampling_date, recorded_by) VALUES ('120104', 'DC24120104000004', 2024, 1, "
          "1, 4, '样品4', '2kg', '2024-01-16', 'test');"
          "INSERT INTO business_category (district, uscc, category) VALUES ('120104', '" FX_USCC1
          "', '24');"
          "INSERT INTO lab_category (district, lab, category) VALUES ('120104', 'LAB1', '24')");
  g_autoptr (PGconn) owner = db_connect (fx.db->owner_conninfo, NULL);
  ck_assert (db_run (owner,
                     "UPDATE plan SET status = 'approved', approved_at = now (), approved_by = "
                     "'test' WHERE year = 2024",
                     DB_NO_ARGS, NULL));

  const char *src = g_getenv ("SPOTCHECK_SOURCE_DIR");
  g_autofree char *script = g_build_filename (src, "tests", "web", "pages.mjs", NULL);
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (l, "WEB_BASE", fx.base, TRUE);
  g_subprocess_launcher_setenv (l, "WEB_CHROMIUM", chromium_path (), TRUE);
  g_subprocess_launcher_setenv (l, "WEB_SHOTS", shots_dir, TRUE);
  g_subprocess_launcher_setenv (l, "WEB_DATA", src, TRUE);
  g_subprocess_launcher_setenv (l, "WEB_USCC1", FX_USCC1, TRUE);
  g_subprocess_launcher_setenv (l, "TOKEN_ADMIN", fx.admin, TRUE);
  g_subprocess_launcher_setenv (l, "TOKEN_COORDINATOR", fx.coordinator, TRUE);
  g_subprocess_launcher_setenv (l, "TOKEN_INSPECTOR", fx.inspector, TRUE);
  g_subprocess_launcher_setenv (l, "TOKEN_INSPECTOR2", fx.inspector2, TRUE);
  g_subprocess_launcher_setenv (l, "TOKEN_LAB", fx.lab1, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) node = g_subprocess_launcher_spawn (l, &error, "node", script, NULL);
  ck_assert_msg (node != NULL, "%s", error ? error->message : "");
  ck_assert (g_subprocess_wait (node, NULL, &error));
  g_autofree char *log = fx_log (&fx);
  ck_assert_msg (test_subprocess_status (node) == 0, "pages.mjs failed; the server's log:\n%s",
                 log);
  /* what the pages did is in the database */
  g_autofree char *stored = COUNT ("SELECT count(*) FROM lab_report");
  ck_assert_str_eq (stored, "2");
  g_autofree char *steps = COUNT ("SELECT count(*) FROM case_event WHERE actor = 'insp1'");
  ck_assert_str_eq (steps, "2");
  fx_teardown (&fx);
}
END_TEST

int
main (int argc, char **argv)
{
  shots_dir = argc > 1 ? argv[1] : "shots";
  g_autofree char *node = g_find_program_in_path ("node");
  if (node == NULL || access (chromium_path (), X_OK) != 0)
    {
      printf ("SKIP: the web pages' browser test needs node and chromium (%s): %s is missing; "
              "./bootstrap installs both\n",
              chromium_path (), node == NULL ? "node" : chromium_path ());
      return 77;
    }
  g_autofree char *modules = g_build_filename (g_getenv ("SPOTCHECK_SOURCE_DIR"), "tests", "web",
                                               "node_modules", "puppeteer-core", NULL);
  if (!g_file_test (modules, G_FILE_TEST_IS_DIR))
    {
      printf ("FAIL: %s is missing: run `npm ci` in tests/web (./bootstrap test does)\n", modules);
      return 1;
    }
  Suite *s = suite_create ("web");
  TCase *tc = tcase_create ("web");
  tcase_set_timeout (tc, 400);
  tcase_add_test (tc, test_pages_in_chromium);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
