/* test-backup.c: `db backup` and `db restore` on an embedded cluster of the
 * test's own: what was saved comes back exactly (and its record still
 * verifies), what came after is gone, and a bad file or an unconfirmed
 * restore changes nothing. */
#include "tests/support/test-run.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

#define RUN_OK(r) ck_assert_msg ((r)->status == 0, "exit %d\n%s%s", (r)->status, (r)->out, (r)->err)

/* A one-line answer of psql on the cluster in @dir. */
static char *
query (const char *dir, const char *sql)
{
  g_auto (TestRun) r = { 0 };
  RUN_DIR (&r, dir, "db", "psql", "--", "-XAtq", "-c", sql);
  RUN_OK (&r);
  return g_strstrip (g_strdup (r.out));
}

static const char *FINGERPRINT
    = "SELECT (SELECT count(*) FROM business) || '/' || (SELECT count(*) FROM audit_log) || '/' "
      "|| (SELECT coalesce(max(id), 0) FROM audit_log)";

START_TEST (test_backup_and_restore)
{
  g_autofree char *scratch = test_scratch_dir ();
  g_autofree char *dir = g_build_filename (scratch, "pg", NULL);
  g_autofree char *demo = g_build_filename (scratch, "demo", NULL);
  g_autofree char *dump = g_build_filename (scratch, "saved.dump", NULL);
  g_auto (TestRun) load = { 0 }, backup = { 0 }, more = { 0 }, restore = { 0 }, verify = { 0 };
  RUN_DIR (&load, dir, "registry", "demo", "--businesses", "120", "--out", demo, "--load");
  RUN_OK (&load);
  g_autofree char *saved = query (dir, FINGERPRINT);

  RUN_DIR (&backup, dir, "db", "backup", dump);
  RUN_OK (&backup);
  ck_assert (g_file_test (dump, G_FILE_TEST_IS_REGULAR));
  /* no partial file is left beside it */
  g_autoptr (GDir) d = g_dir_open (scratch, 0, NULL);
  for (const char *n; (n = g_dir_read_name (d)) != NULL;)
    ck_assert_msg (strstr (n, "partial") == NULL, "left behind: %s", n);

  /* what happens after the backup ... */
  g_autofree char *demo2 = g_build_filename (scratch, "demo2", NULL);
  RUN_DIR (&more, dir, "registry", "demo", "--businesses", "150", "--out", demo2, "--load");
  RUN_OK (&more);
  g_autofree char *changed = query (dir, FINGERPRINT);
  ck_assert_str_ne (changed, saved);

  /* ... is gone after the restore, and the record's chains still verify */
  RUN_DIR (&restore, dir, "db", "restore", dump, "--yes");
  RUN_OK (&restore);
  g_autofree char *back = query (dir, FINGERPRINT);
  ck_assert_str_eq (back, saved);
  RUN_DIR (&verify, dir, "audit", "verify");
  RUN_OK (&verify);
  g_autofree char *scratch_dbs
      = query (dir, "SELECT count(*) FROM pg_database WHERE datname LIKE 'spotcheck_%'");
  ck_assert_str_eq (scratch_dbs, "0");

  g_auto (TestRun) stop = { 0 }, rm = { 0 };
  RUN_DIR (&stop, dir, "db", "stop");
  test_run_argv (&rm, (const char *const[]){ "rm", "-rf", scratch, NULL });
}
END_TEST

START_TEST (test_bad_restores_change_nothing)
{
  g_autofree char *scratch = test_scratch_dir ();
  g_autofree char *dir = g_build_filename (scratch, "pg", NULL);
  g_autofree char *demo = g_build_filename (scratch, "demo", NULL);
  g_auto (TestRun) load = { 0 }, backup = { 0 };
  RUN_DIR (&load, dir, "registry", "demo", "--businesses", "80", "--out", demo, "--load");
  RUN_OK (&load);
  g_autofree char *before = query (dir, FINGERPRINT);

  g_autofree char *garbage = g_build_filename (scratch, "garbage.dump", NULL);
  g_autofree char *cut = g_build_filename (scratch, "cut.dump", NULL);
  g_autofree char *whole = g_build_filename (scratch, "whole.dump", NULL);
  g_autofree char *missing = g_build_filename (scratch, "missing.dump", NULL);
  ck_assert (g_file_set_contents (garbage, "not a dump\n", -1, NULL));
  RUN_DIR (&backup, dir, "db", "backup", whole);
  RUN_OK (&backup);
  /* a dump cut short: its table of contents reads, its data does not */
  g_autofree char *bytes = NULL;
  gsize len = 0;
  ck_assert (g_file_get_contents (whole, &bytes, &len, NULL));
  ck_assert (g_file_set_contents (cut, bytes, (gssize)(len * 2 / 3), NULL));

  const char *files[] = { garbage, cut, missing };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_auto (TestRun) r = { 0 };
      RUN_DIR (&r, dir, "db", "restore", files[i], "--yes");
      ck_assert_msg (r.status == 1, "%s: exit %d\n%s", files[i], r.status, r.err);
      ck_assert_msg (strstr (r.err, files[i]) != NULL, "message names the file: %s", r.err);
      g_autofree char *now = query (dir, FINGERPRINT);
      ck_assert_str_eq (now, before);
    }
  /* without a terminal and without --yes nothing is replaced */
  g_auto (TestRun) unconfirmed = { 0 };
  RUN_DIR (&unconfirmed, dir, "db", "restore", whole);
  ck_assert_int_eq (unconfirmed.status, 1);
  ck_assert_msg (strstr (unconfirmed.err, "--yes") != NULL, "%s", unconfirmed.err);
  /* a backup to a folder that does not exist fails, leaving nothing */
  g_auto (TestRun) nowhere = { 0 };
  g_autofree char *bad_path = g_build_filename (scratch, "no", "such", "x.dump", NULL);
  RUN_DIR (&nowhere, dir, "db", "backup", bad_path);
  ck_assert_int_eq (nowhere.status, 1);
  ck_assert_msg (strstr (nowhere.err, bad_path) != NULL, "%s", nowhere.err);

  g_autofree char *after = query (dir, FINGERPRINT);
  ck_assert_str_eq (after, before);
  g_auto (TestRun) stop = { 0 }, rm = { 0 };
  RUN_DIR (&stop, dir, "db", "stop");
  test_run_argv (&rm, (const char *const[]){ "rm", "-rf", scratch, NULL });
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("backup");
  TCase *tc = tcase_create ("embedded");
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_backup_and_restore);
  tcase_add_test (tc, test_bad_restores_change_nothing);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
