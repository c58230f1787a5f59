/* test-cli-errors.c: the CLI's error table covers every error domain and code
 * of the code base, and command-line text is taken as UTF-8 under any locale. */
#include "cli/cli.h"
#include "tests/support/test-run.h"

#include <check.h>
#include <string.h>

/* Error domains defined in the sources: the NAME of every
 * G_DEFINE_QUARK (..., NAME) or G_DEFINE_EXTENDED_ERROR (Type, NAME) in the
 * library folders and cli/. */
static GPtrArray *
defined_domains (GPtrArray *headers)
{
  static const char *const folders[]
      = { "core", "scheduler", "intake", "cases", "db", "service", "reports", "server", "cli" };
  const char *src = g_getenv ("SPOTCHECK_SOURCE_DIR");
  ck_assert_ptr_nonnull (src);
  g_autoptr (GRegex) quark = g_regex_new (
      "G_DEFINE_QUARK \\([^,]+, (\\w+)\\)|G_DEFINE_EXTENDED_ERROR \\(\\w+, (\\w+)\\)", 0, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  for (gsize f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_autofree char *dir_path = g_build_filename (src, folders[f], NULL);
      g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
      if (dir == NULL)
        continue;
      for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *text = NULL;
          if (!g_file_get_contents (path, &text, NULL, NULL))
            continue;
          if (g_str_has_suffix (name, ".h"))
            g_ptr_array_add (headers, g_strdup (text));
          if (!g_str_has_suffix (name, ".c"))
            continue;
          g_autoptr (GMatchInfo) m = NULL;
          for (g_regex_match (quark, text, 0, &m); g_match_info_matches (m);
               g_match_info_next (m, NULL))
            {
              char *domain = g_match_info_fetch (m, 1);
              if (domain == NULL || *domain == '\0')
                {
                  g_free (domain);
                  domain = g_match_info_fetch (m, 2);
                }
              g_ptr_array_add (names, domain);
            }
        }
    }
  return names;
}

/* How many enum constants PREFIX_* the headers declare (one per line). */
static guint
count_codes (GPtrArray *headers, const char *domain)
{
  g_autofree char *prefix = g_ascii_strup (domain, -1);
  g_autofree char *pattern = g_strdup_printf ("^\\s+%s_[A-Z0-9_]+\\s*(=[^,]*)?,", prefix);
  g_autoptr (GRegex) re = g_regex_new (pattern, G_REGEX_MULTILINE, 0, NULL);
  guint n = 0;
  for (guint i = 0; i < headers->len; i++)
    {
      g_autoptr (GMatchInfo) m = NULL;
      for (g_regex_match (re, headers->pdata[i], 0, &m); g_match_info_matches (m);
           g_match_info_next (m, NULL))
        n++;
    }
  return n;
}

START_TEST (test_table_covers_every_domain_and_code)
{
  gsize n_rules;
  const CliErrorRule *rules = cli_error_rules (&n_rules);
  g_autoptr (GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) domains = defined_domains (headers);
  ck_assert_uint_gt (domains->len, 10);
  for (guint d = 0; d < domains->len; d++)
    {
      const char *domain = domains->pdata[d];
      guint n_codes = count_codes (headers, domain);
      gboolean any = FALSE;
      g_autoptr (GHashTable) codes = g_hash_table_new (NULL, NULL);
      for (gsize r = 0; r < n_rules; r++)
        if (strcmp (rules[r].name, domain) == 0)
          {
            ck_assert_msg (rules[r].exit == CLI_EXIT_USER || rules[r].exit == CLI_EXIT_SYSTEM,
                           "%s code %d: exit %d", domain, rules[r].code, rules[r].exit);
            if (rules[r].code < 0)
              any = TRUE;
            else
              g_hash_table_add (codes, GINT_TO_POINTER (rules[r].code + 1));
          }
      ck_assert_msg (any || g_hash_table_size (codes) > 0,
                     "error domain %s is missing from cli/cli-errors.c", domain);
      if (any)
        continue;
      for (guint c = 0; c < n_codes; c++)
        ck_assert_msg (g_hash_table_contains (codes, GINT_TO_POINTER (c + 1)),
                       "%s code %u has no row in cli/cli-errors.c", domain, c);
      ck_assert_msg (g_hash_table_size (codes) == n_codes,
                     "%s: %u rows for %u codes in cli/cli-errors.c", domain,
                     g_hash_table_size (codes), n_codes);
    }
  /* And a rule's domain function really is that domain. */
  for (gsize r = 0; r < n_rules; r++)
    {
      g_autofree char *quark_name = g_strdup (g_quark_to_string (rules[r].domain ()));
      ck_assert_ptr_nonnull (quark_name);
    }
}
END_TEST

START_TEST (test_exit_status_and_advice)
{
  g_autoptr (GError) user = g_error_new (CLI_ERROR, CLI_ERROR_USAGE, "x");
  g_autoptr (GError) system = g_error_new (CLI_ERROR, CLI_ERROR_SYSTEM, "x");
  g_autoptr (GError) file = g_error_new (G_FILE_ERROR, G_FILE_ERROR_NOENT, "x");
  g_autoptr (GError) forbidden = g_error_new (SVC_ERROR, SVC_ERROR_FORBIDDEN, "x");
  ck_assert_int_eq (cli_error_exit (user), CLI_EXIT_USER);
  ck_assert_int_eq (cli_error_exit (system), CLI_EXIT_SYSTEM);
  ck_assert_int_eq (cli_error_exit (file), CLI_EXIT_USER);
  ck_assert_int_eq (cli_error_exit (forbidden), CLI_EXIT_USER);
  g_autoptr (GError) lost = g_error_new (DB_ERROR, db_sqlstate_code ("08006"), "x");
  g_autoptr (GError) unique = g_error_new (DB_ERROR, db_sqlstate_code ("23505"), "x");
  ck_assert_int_eq (cli_error_exit (lost), CLI_EXIT_SYSTEM);
  ck_assert_int_eq (cli_error_exit (unique), CLI_EXIT_USER);
  /* A server that went away mid-command: say that nothing was stored and what next. */
  g_autoptr (GError) crash = g_error_new (DB_ERROR, db_sqlstate_code ("57P01"), "x");
  ck_assert_ptr_nonnull (strstr (cli_error_advice (lost), "run the command again"));
  ck_assert_ptr_nonnull (strstr (cli_error_advice (crash), "nothing of it is stored"));
  ck_assert_ptr_null (cli_error_advice (unique));
}
END_TEST

/* Under the C locale (cron, systemd, env -i) Chinese option values are taken
 * as UTF-8, and a value that is not UTF-8 is named by its option. */
START_TEST (test_utf8_arguments_under_c_locale)
{
  const char *bin = g_getenv ("SPOTCHECK_BIN");
  g_auto (TestRun) r = { 0 };
  test_run_argv (&r, (const char *const[]){ "env", "LC_ALL=C", "LANG=C", bin, "config", "show",
                                            "--group", "不存在的组", NULL });
  ck_assert_int_eq (r.status, 1);
  ck_assert_msg (strstr (r.err, "不存在的组") != NULL, "stderr: %s", r.err);
  ck_assert_ptr_null (strstr (r.err, "Invalid byte sequence"));

  g_auto (TestRun) ok = { 0 };
  test_run_argv (&ok, (const char *const[]){ "env", "LC_ALL=POSIX", bin, "config", "show",
                                             "--group", "category 01", NULL });
  ck_assert_int_eq (ok.status, 0);
  ck_assert_msg (strstr (ok.out, "粮食加工品") != NULL, "stdout: %s", ok.out);

  g_auto (TestRun) bad = { 0 };
  test_run_argv (&bad, (const char *const[]){ "env", "LC_ALL=C", bin, "config", "show", "--group",
                                              "\xff\xfe", NULL });
  ck_assert_int_eq (bad.status, 1);
  ck_assert_msg (strstr (bad.err, "--group") != NULL && strstr (bad.err, "UTF-8") != NULL,
                 "stderr: %s", bad.err);

  g_auto (TestRun) eq = { 0 };
  test_run_argv (&eq, (const char *const[]){ "env", "LC_ALL=C", bin, "config", "show",
                                             "--group=\xb2\xe2", NULL });
  ck_assert_int_eq (eq.status, 1);
  ck_assert_msg (strstr (eq.err, "--group") != NULL, "stderr: %s", eq.err);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cli-errors");
  TCase *tc = tcase_create ("errors");
  tcase_add_test (tc, test_table_covers_every_domain_and_code);
  tcase_add_test (tc, test_exit_status_and_advice);
  tcase_add_test (tc, test_utf8_arguments_under_c_locale);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
