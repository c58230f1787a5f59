/* test-cli-progress.c: what each progress style prints. */
#include "cli/cli-progress.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Runs @n updates of one phase and returns what @style printed. */
static char *
render (CliProgressStyle style, guint64 n, gint64 *elapsed_us)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  ck_assert (out != NULL);
  gint64 start = g_get_monotonic_time ();
  {
    g_autoptr (CliProgress) p = cli_progress_new (out, style);
    const CoreProgress *core = cli_progress_core (p);
    core_progress_update (core, "loading", 0, 0);
    for (guint64 i = 0; i <= n; i++)
      core_progress_update (core, "staging rows", i, n);
  }
  if (elapsed_us)
    *elapsed_us = g_get_monotonic_time () - start;
  fclose (out);
  char *copy = g_strdup (buf);
  free (buf);
  return copy;
}

static guint
count (const char *text, const char *needle)
{
  guint n = 0;
  for (const char *p = text; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

START_TEST (test_quiet_prints_nothing)
{
  g_autofree char *out = render (CLI_PROGRESS_QUIET, 500, NULL);
  ck_assert_str_eq (out, "");
}
END_TEST

START_TEST (test_lines_per_tenth)
{
  g_autofree char *out = render (CLI_PROGRESS_LINES, 1000, NULL);
  /* the unknown-length phase once, then 0 %, 10 %, ... 100 % of the counted one */
  ck_assert_uint_eq (count (out, "\n"), 12);
  ck_assert_msg (g_str_has_prefix (out, "loading\nstaging rows: 0/1000 (0%)\n"), "%s", out);
  ck_assert_msg (g_str_has_suffix (out, "staging rows: 1000/1000 (100%)\n"), "%s", out);
  ck_assert (strchr (out, '\r') == NULL);
}
END_TEST

START_TEST (test_bar_redrawn_in_place_and_rarely)
{
  gint64 elapsed = 0;
  g_autofree char *out = render (CLI_PROGRESS_BAR, 100000, &elapsed);
  guint redraws = count (out, "\r\033[K");
  /* each phase's start and its end are drawn; in between at most ten a second */
  ck_assert_uint_ge (redraws, 3);
  ck_assert_uint_le (redraws, 3 + (guint)(elapsed / (100 * 1000)));
  ck_assert_msg (strstr (out, "[##############################] 100% staging rows (100000/100000)")
                     != NULL,
                 "%s", out);
  /* one line in all, ended when the progress is done */
  ck_assert_uint_eq (count (out, "\n"), 1);
  ck_assert (g_str_has_suffix (out, "\n"));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cli-progress");
  TCase *tc = tcase_create ("styles");
  tcase_add_test (tc, test_quiet_prints_nothing);
  tcase_add_test (tc, test_lines_per_tenth);
  tcase_add_test (tc, test_bar_redrawn_in_place_and_rarely);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
