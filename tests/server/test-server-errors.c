/* test-server-errors.c: every error domain of the code base has an HTTP
 * status in server/server-errors.c, so no error a service raises reaches a
 * client as an unexplained 500. The domains are read from the sources as
 * tests/cli/test-cli-errors.c reads them. */
#include "db/db-conn.h"
#include "server/server-private.h"
#include "service/svc-users.h"

#include <check.h>
#include <string.h>

static GPtrArray *
defined_domains (void)
{
  static const char *const folders[]
      = { "core", "scheduler", "intake", "cases", "db", "service", "reports", "server" };
  const char *src = g_getenv ("SPOTCHECK_SOURCE_DIR");
  ck_assert_ptr_nonnull (src);
  g_autoptr (GRegex) quark = g_regex_new (
      "G_DEFINE_QUARK \\([^,]+, (\\w+)\\)|G_DEFINE_EXTENDED_ERROR \\(\\w+, (\\w+)\\)", 0, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  for (gsize f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_autofree char *dir_path = g_build_filename (src, folders[f], NULL);
      g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
      for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *text = NULL;
          if (!g_str_has_suffix (name, ".c") || !g_file_get_contents (path, &text, NULL, NULL))
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

START_TEST (test_every_domain_has_a_status)
{
  gsize n = 0;
  const ServerErrorRule *rules = server_error_rules (&n);
  g_autoptr (GPtrArray) domains = defined_domains ();
  ck_assert_uint_gt (domains->len, 10);
  for (guint d = 0; d < domains->len; d++)
    {
      gboolean found = FALSE;
      for (gsize r = 0; r < n && !found; r++)
        found = strcmp (rules[r].name, domains->pdata[d]) == 0;
      ck_assert_msg (found, "server/server-errors.c has no rule for %s", (char *)domains->pdata[d]);
    }
  for (gsize r = 0; r < n; r++)
    ck_assert_msg (rules[r].status >= 400 && rules[r].status < 600, "%s: status %d", rules[r].name,
                   rules[r].status);
}
END_TEST

START_TEST (test_statuses_that_matter)
{
  g_autoptr (GError) forbidden = g_error_new (SVC_ERROR, SVC_ERROR_FORBIDDEN, "x");
  g_autoptr (GError) scope = g_error_new (SVC_ERROR, SVC_ERROR_SCOPE, "x");
  g_autoptr (GError) login = g_error_new (SVC_USERS_ERROR, SVC_USERS_ERROR_UNAUTHENTICATED, "x");
  g_autoptr (GError) lost = g_error_new (DB_ERROR, db_sqlstate_code ("08006"), "x");
  g_autoptr (GError) other = g_error_new (g_quark_from_static_string ("nobody"), 1, "x");
  ck_assert_int_eq (server_error_status (forbidden), 403);
  ck_assert_int_eq (server_error_status (scope), 404); /* others' objects reveal nothing */
  ck_assert_int_eq (server_error_status (login), 401);
  ck_assert_int_eq (server_error_status (lost), 503);
  ck_assert_int_eq (server_error_status (other), -1);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("server-errors");
  TCase *tc = tcase_create ("server-errors");
  tcase_add_test (tc, test_every_domain_has_a_status);
  tcase_add_test (tc, test_statuses_that_matter);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
