/* test-config.c: layered configuration, origins, catalog validation. */
#include "core/core-catalog.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

static CoreConfig *
builtin (void)
{
  g_autoptr (GError) error = NULL;
  CoreConfig *config = core_config_new_builtin (&error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  return config;
}

START_TEST (test_builtin_catalog)
{
  g_autoptr (CoreConfig) config = builtin ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreCatalog) cat = core_catalog_load (config, &error);
  ck_assert_msg (cat != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (cat->district, "120104");
  ck_assert_str_eq (cat->zh, "南开区");
  ck_assert_uint_eq (cat->categories->len, 34);
  const CoreCategory *first = g_ptr_array_index (cat->categories, 0);
  const CoreCategory *last = g_ptr_array_index (cat->categories, 33);
  ck_assert_str_eq (first->code, "01");
  ck_assert_str_eq (first->zh, "粮食加工品");
  ck_assert_str_eq (last->code, "34");
  ck_assert_str_eq (core_catalog_category (cat, "30")->zh, "婴幼儿配方食品");
  ck_assert_uint_eq (cat->streets->len, 12);
  ck_assert_uint_eq (cat->offices->len, 6);
  for (guint i = 0; i < cat->streets->len; i++)
    {
      const CoreStreet *s = g_ptr_array_index (cat->streets, i);
      ck_assert (core_catalog_office_for_street (cat, s->code) != NULL);
    }
}
END_TEST

START_TEST (test_user_layer_overrides_with_origin)
{
  g_autoptr (CoreConfig) config = builtin ();
  g_autoptr (GError) error = NULL;
  ck_assert_str_eq (core_config_origin (config, "database", "port"),
                    "built-in config/spotcheck.conf");
  ck_assert (core_config_add_data (config, "[database]\nport=6543\n", "user.conf", &error));
  gint64 port = 0;
  ck_assert (core_config_get_int (config, "database", "port", 1, 65535, &port, &error));
  ck_assert_int_eq (port, 6543);
  ck_assert_str_eq (core_config_origin (config, "database", "port"), "user.conf");
  /* Keys not overridden still come from below. */
  ck_assert_str_eq (core_config_origin (config, "database", "run_as"),
                    "built-in config/spotcheck.conf");
  g_autofree char *dump = core_config_dump (config, TRUE);
  ck_assert (strstr (dump, "port=6543  # user.conf") != NULL);
}
END_TEST

START_TEST (test_invalid_value_names_file_group_key)
{
  g_autoptr (CoreConfig) config = builtin ();
  g_autoptr (GError) error = NULL;
  ck_assert (core_config_add_data (config, "[database]\nport=abc\n", "mine.conf", &error));
  gint64 port = 0;
  ck_assert (!core_config_get_int (config, "database", "port", 1, 65535, &port, &error));
  ck_assert (g_error_matches (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_INVALID));
  ck_assert_msg (strstr (error->message, "mine.conf") && strstr (error->message, "[database]")
                     && strstr (error->message, "port") && strstr (error->message, "abc"),
                 "%s", error->message);
  g_clear_error (&error);
  g_autofree char *missing = core_config_get_string (config, "nothing", "here", &error);
  ck_assert (missing == NULL);
  ck_assert (g_error_matches (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_MISSING));
}
END_TEST

START_TEST (test_file_search_order_and_include)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-config-XXXXXX", &error);
  ck_assert (dir != NULL);
  g_autofree char *main_path = g_build_filename (dir, "main.conf", NULL);
  g_autofree char *extra_path = g_build_filename (dir, "extra.conf", NULL);
  ck_assert (g_file_set_contents (
      main_path, "[spotcheck]\ninclude=extra.conf\n[database]\nport=7000\n", -1, NULL));
  ck_assert (g_file_set_contents (extra_path, "[database]\nport=7001\ntimeout=9\n", -1, NULL));

  g_setenv ("SPOTCHECK_CONFIG", main_path, TRUE);
  g_autoptr (CoreConfig) config = core_config_load (NULL, &error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  /* The included file is a layer above the including one. */
  ck_assert_str_eq (core_config_origin (config, "database", "port"), extra_path);
  ck_assert_str_eq (core_config_origin (config, "database", "timeout"), extra_path);

  /* --config wins over the environment; a missing explicit file is an error. */
  g_autofree char *nope = g_build_filename (dir, "nope.conf", NULL);
  CoreConfig *bad = core_config_load (nope, &error);
  ck_assert (bad == NULL);
  ck_assert (g_error_matches (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_FILE));
  ck_assert (strstr (error->message, "nope.conf") != NULL);
  g_clear_error (&error);

  /* A syntax error names the file and line. */
  ck_assert (g_file_set_contents (main_path, "[database\nport=1\n", -1, NULL));
  bad = core_config_load (main_path, &error);
  ck_assert (bad == NULL);
  ck_assert_msg (strstr (error->message, "main.conf") != NULL, "%s", error->message);
  g_unsetenv ("SPOTCHECK_CONFIG");
  g_remove (main_path);
  g_remove (extra_path);
  g_rmdir (dir);
}
END_TEST

START_TEST (test_catalog_rejects_uncovered_street)
{
  g_autoptr (CoreConfig) config = builtin ();
  g_autoptr (GError) error = NULL;
  ck_assert (core_config_add_data (config, "[street 120104099]\ndistrict=120104\nzh=新街道\n",
                                   "x.conf", &error));
  g_autoptr (CoreCatalog) cat = core_catalog_load (config, &error);
  ck_assert (cat == NULL);
  ck_assert_msg (strstr (error->message, "120104099") != NULL, "%s", error->message);
  g_clear_error (&error);
  ck_assert (core_config_add_data (config,
                                   "[office 12010407]\ndistrict=120104\nzh=重复所\n"
                                   "streets=120104099;120104001\n",
                                   "y.conf", &error));
  g_autoptr (CoreCatalog) cat2 = core_catalog_load (config, &error);
  ck_assert (cat2 == NULL);
  ck_assert_msg (strstr (error->message, "y.conf") && strstr (error->message, "120104001"), "%s",
                 error->message);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("config");
  TCase *tc = tcase_create ("config");
  tcase_add_test (tc, test_builtin_catalog);
  tcase_add_test (tc, test_user_layer_overrides_with_origin);
  tcase_add_test (tc, test_invalid_value_names_file_group_key);
  tcase_add_test (tc, test_file_search_order_and_include);
  tcase_add_test (tc, test_catalog_rejects_uncovered_street);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
