/* test-demo.c: `spotcheck demo` over a shortened year on an embedded cluster
 * of the test's own: the figures it prints are those the database holds,
 * every report is written, a second run without a terminal resets the first
 * demo and plays the same year again, and a database holding other data is
 * refused without --yes, unchanged. */
#include "tests/support/test-run.h"

#include <check.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN_OK(r) ck_assert_msg ((r)->status == 0, "exit %d\n%s%s", (r)->status, (r)->out, (r)->err)

static char *
query (const char *dir, const char *sql)
{
  g_auto (TestRun) r = { 0 };
  RUN_DIR (&r, dir, "db", "psql", "--", "-XAtq", "-c", sql);
  RUN_OK (&r);
  return g_strstrip (g_strdup (r.out));
}

/* The number the summary prints after @label ("  drawn   1386"). */
static char *
figure (const char *out, const char *label)
{
  g_autofree char *pattern = g_strdup_printf ("\n  %s ", label);
  const char *at = strstr (out, pattern);
  ck_assert_msg (at != NULL, "no \"%s\" in the summary:\n%s", label, out);
  at += strlen (pattern);
  while (*at == ' ')
    at++;
  return g_strndup (at, strspn (at, "0123456789"));
}

static const struct
{
  const char *label, *sql;
} figures[] = {
  { "planned", "SELECT sum(c.quota) FROM plan_cell c JOIN plan p USING (district, year, version) "
               "WHERE p.status = 'approved' AND c.month <= 3" },
  { "drawn", "SELECT count(*) FROM task WHERE status <> 'cancelled' AND month <= 3" },
  { "sampled", "SELECT count(*) FROM task WHERE status = 'sampled'" },
  { "reported", "SELECT count(*) FROM lab_report WHERE current" },
  { "nonconforming", "SELECT count(*) FROM lab_report WHERE current AND governing = 'fail'" },
  { "cases open", "SELECT count(*) FROM nc_case WHERE state <> 'closed'" },
  { "cases closed", "SELECT count(*) FROM nc_case WHERE state = 'closed'" },
  { "cases overdue", "SELECT count(DISTINCT c.case_no) FROM nc_case c JOIN case_deadline d "
                     "USING (district, case_no) WHERE c.state <> 'closed' AND d.met_at IS NULL "
                     "AND NOT d.business_window AND d.due_on < '2024-03-31'" },
};

static void
check_figures (const char *dir, const char *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      g_autofree char *printed = figure (out, figures[i].label);
      g_autofree char *stored = query (dir, figures[i].sql);
      ck_assert_msg (strcmp (printed, stored) == 0, "%s: printed %s, the database holds %s",
                     figures[i].label, printed, stored);
    }
}

START_TEST (test_shortened_year)
{
  g_autofree char *scratch = test_scratch_dir ();
  g_autofree char *dir = g_build_filename (scratch, "pg", NULL);
  g_autofree char *out = g_build_filename (scratch, "reports", NULL);
  g_auto (TestRun) first = { 0 }, second = { 0 };
  RUN_DIR (&first, dir, "demo", "--months", "3", "--out", out);
  RUN_OK (&first);
  check_figures (dir, first.out);
  /* a year that did something of each kind */
  g_autofree char *nonconforming = figure (first.out, "nonconforming");
  g_autofree char *closed = figure (first.out, "cases closed");
  ck_assert_int_gt (atoi (nonconforming), 0);
  ck_assert_int_gt (atoi (closed), 0);
  ck_assert_msg (strstr (first.out, "was rejected, nothing stored") != NULL, "%s", first.out);
  ck_assert (strstr (first.out, "amended report") != NULL);
  ck_assert (strstr (first.out, "emergency draw") != NULL);
  ck_assert (strstr (first.out, "city referral imported") != NULL);
  g_autofree char *referrals = query (dir, "SELECT count(*) FROM nc_case WHERE source = 'city'");
  g_autofree char *closing = query (dir, "SELECT count(*) FROM case_event WHERE event = 'close'");
  g_autofree char *cleared
      = query (dir, "SELECT count(*) FROM case_event WHERE event = 'reinspection-conforming'");
  g_autofree char *extended = query (dir, "SELECT count(*) FROM case_event WHERE event = 'extend'");
  ck_assert_int_gt (atoi (closing), 0);
  ck_assert_int_gt (atoi (cleared), 0);
  ck_assert_str_eq (extended, "1");
  ck_assert_str_eq (referrals, "2");
  static const char *const kinds[]
      = { "progress", "nonconformity", "cases", "disclosure", "business" };
  static const char *const formats[] = { "html", "xlsx", "csv" };
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (gsize f = 0; f < G_N_ELEMENTS (formats); f++)
      {
        g_autofree char *name = g_strdup_printf ("%s-2024.%s", kinds[k], formats[f]);
        g_autofree char *path = g_build_filename (out, name, NULL);
        GStatBuf st;
        ck_assert_msg (g_stat (path, &st) == 0 && st.st_size > 0, "%s missing or empty", path);
      }
  g_autofree char *chain_before = query (dir, "SELECT count(*) FROM audit_log");

  /* again, without a terminal: the previous demo is reset, the same year played */
  RUN_DIR (&second, dir, "demo", "--months", "3", "--out", out);
  RUN_OK (&second);
  ck_assert_msg (strstr (second.out, "database reset") != NULL, "%s", second.out);
  check_figures (dir, second.out);
  const char *a = strstr (first.out, "\n== "), *b = strstr (second.out, "\n== ");
  g_autofree char *fa = g_strndup (a, strcspn (a, "(")), *fb = g_strndup (b, strcspn (b, "("));
  const char *ra = strstr (a, "\n  planned"), *rb = strstr (b, "\n  planned");
  g_autofree char *sa = g_strndup (ra, (gsize)(strstr (ra, "case steps") - ra));
  g_autofree char *sb = g_strndup (rb, (gsize)(strstr (rb, "case steps") - rb));
  ck_assert_str_eq (fa, fb);
  ck_assert_str_eq (sa, sb);
  g_autofree char *marks
      = query (dir, "SELECT count(*) FROM audit_log WHERE action = 'demo.start'");
  ck_assert_str_eq (marks, "1");
  g_autofree char *chain_after = query (dir, "SELECT count(*) FROM audit_log");
  ck_assert_str_eq (chain_after, chain_before);

  g_auto (TestRun) stop = { 0 }, rm = { 0 };
  RUN_DIR (&stop, dir, "db", "stop");
  test_run_argv (&rm, (const char *const[]){ "rm", "-rf", scratch, NULL });
}
END_TEST

static const char *FINGERPRINT
    = "SELECT (SELECT count(*) FROM business) || '/' || (SELECT count(*) FROM audit_log) || '/' "
      "|| (SELECT coalesce(max(id), 0) FROM audit_log)";

START_TEST (test_other_data_is_refused)
{
  g_autofree char *scratch = test_scratch_dir ();
  g_autofree char *dir = g_build_filename (scratch, "pg", NULL);
  g_autofree char *files = g_build_filename (scratch, "registry", NULL);
  g_autofree char *out = g_build_filename (scratch, "reports", NULL);
  g_auto (TestRun) load = { 0 }, refused = { 0 };
  RUN_DIR (&load, dir, "registry", "demo", "--businesses", "120", "--out", files, "--load");
  RUN_OK (&load);
  g_autofree char *before = query (dir, FINGERPRINT);
  RUN_DIR (&refused, dir, "demo", "--months", "1", "--out", out);
  ck_assert_msg (refused.status == 1, "exit %d\n%s%s", refused.status, refused.out, refused.err);
  ck_assert_msg (strstr (refused.err, "not a demo") && strstr (refused.err, "--yes")
                     && strstr (refused.err, "nothing was changed"),
                 "%s", refused.err);
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
  Suite *s = suite_create ("demo");
  TCase *tc = tcase_create ("demo");
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_other_data_is_refused);
  tcase_add_test (tc, test_shortened_year);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
