/* test-i18n.c: the messages' language per thread, the .mo reader against
 * the build tree's catalogue, Accept-Language, and a broken catalogue. */
#include "core/core-i18n.h"

#include "spotcheck-config.h"

#include <check.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#define MSGID "Print the version"

START_TEST (test_parse)
{
  ck_assert_str_eq (core_i18n_lang_parse ("zh"), "zh");
  ck_assert_str_eq (core_i18n_lang_parse ("zh-CN"), "zh");
  ck_assert_str_eq (core_i18n_lang_parse ("zh_CN.UTF-8"), "zh");
  ck_assert_str_eq (core_i18n_lang_parse ("EN"), "en");
  ck_assert_str_eq (core_i18n_lang_parse ("en-US"), "en");
  ck_assert_ptr_null (core_i18n_lang_parse ("fr"));
  ck_assert_ptr_null (core_i18n_lang_parse ("zhx"));
  ck_assert_ptr_null (core_i18n_lang_parse ("z"));
  ck_assert_ptr_null (core_i18n_lang_parse (""));
  ck_assert_ptr_null (core_i18n_lang_parse (NULL));
}
END_TEST

START_TEST (test_accept_language)
{
  ck_assert_str_eq (core_i18n_lang_accept ("zh-CN,zh;q=0.9,en;q=0.8"), "zh");
  ck_assert_str_eq (core_i18n_lang_accept ("en-US,en;q=0.9,zh-CN;q=0.8"), "en");
  /* quality decides, not order */
  ck_assert_str_eq (core_i18n_lang_accept ("zh;q=0.3, en;q=0.7"), "en");
  /* languages not spoken are passed over */
  ck_assert_str_eq (core_i18n_lang_accept ("fr-FR, de;q=0.9, zh;q=0.1"), "zh");
  ck_assert_ptr_null (core_i18n_lang_accept ("fr, de"));
  ck_assert_ptr_null (core_i18n_lang_accept ("zh;q=0"));
  ck_assert_ptr_null (core_i18n_lang_accept (""));
  ck_assert_ptr_null (core_i18n_lang_accept (NULL));
}
END_TEST

START_TEST (test_translate_build_catalogue)
{
  core_i18n_set_localedir (SPOTCHECK_BUILD_LOCALEDIR);
  ck_assert_str_eq (core_i18n_lang (), "en");
  ck_assert_str_eq (_ (MSGID), MSGID);
  ck_assert_str_eq (core_i18n_translate ("zh", MSGID), "打印版本号");
  ck_assert_str_eq (core_i18n_translate ("en", MSGID), MSGID);

  core_i18n_set_default ("zh");
  ck_assert_str_eq (_ (MSGID), "打印版本号");
  /* an entry the catalogue lacks stays as it is */
  ck_assert_str_eq (_ ("no such message in any catalogue"), "no such message in any catalogue");
  ck_assert_str_eq (C_ ("nowhere", "no such message"), "no such message");

  /* this thread's choice wins over the default, and is put back */
  ck_assert_ptr_null (core_i18n_set_thread ("en"));
  ck_assert_str_eq (_ (MSGID), MSGID);
  ck_assert_str_eq (core_i18n_set_thread (NULL), "en");
  ck_assert_str_eq (_ (MSGID), "打印版本号");
  core_i18n_set_default ("en");
}
END_TEST

static void
count (gpointer key, gpointer value, gpointer data)
{
  (void)key;
  ck_assert (value != NULL);
  (*(guint *)data)++;
}

START_TEST (test_foreach)
{
  core_i18n_set_localedir (SPOTCHECK_BUILD_LOCALEDIR);
  guint zh = 0, en = 0;
  core_i18n_foreach ("zh", count, &zh);
  core_i18n_foreach ("en", count, &en);
  ck_assert_uint_gt (zh, 100);
  ck_assert_uint_eq (en, 0);
}
END_TEST

/* Two threads in two languages at once: neither sees the other's. */
static gpointer
speak (gpointer lang)
{
  core_i18n_set_thread (lang);
  const char *want = strcmp (lang, "zh") == 0 ? "打印版本号" : MSGID;
  for (int i = 0; i < 20000; i++)
    if (strcmp (_ (MSGID), want) != 0)
      return GINT_TO_POINTER (1);
  return NULL;
}

START_TEST (test_threads)
{
  core_i18n_set_localedir (SPOTCHECK_BUILD_LOCALEDIR);
  GThread *a = g_thread_new ("zh", speak, "zh");
  GThread *b = g_thread_new ("en", speak, "en");
  ck_assert_ptr_null (g_thread_join (a));
  ck_assert_ptr_null (g_thread_join (b));
  /* the main thread chose nothing: the default */
  ck_assert_str_eq (core_i18n_lang (), "en");
}
END_TEST

/* A catalogue cut short, or not a catalogue at all: English, no crash. The
 * catalogue is read once per process, so each case runs in a process of its
 * own (this program again, with --child), also when Check does not fork. */
static char *self_path;

static void
broken_catalogue (const char *bytes, gsize n)
{
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-i18n-XXXXXX", NULL);
  g_autofree char *sub = g_build_filename (dir, "zh_CN", "LC_MESSAGES", NULL);
  ck_assert_int_eq (g_mkdir_with_parents (sub, 0700), 0);
  g_autofree char *mo = g_build_filename (sub, "spotcheck.mo", NULL);
  ck_assert (g_file_set_contents (mo, bytes, n, NULL));
  g_autofree char *out = NULL, *err = NULL;
  int status = -1;
  const char *argv[] = { self_path, "--child", dir, NULL };
  ck_assert (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                           &status, NULL));
  ck_assert_msg (g_spawn_check_wait_status (status, NULL), "child failed: %s", err);
  ck_assert_str_eq (out, MSGID "\n");
  g_unlink (mo);
  g_rmdir (sub);
  g_autofree char *lc = g_path_get_dirname (sub);
  g_rmdir (lc);
  g_rmdir (dir);
}

START_TEST (test_truncated_catalogue)
{
  g_autofree char *path
      = g_build_filename (SPOTCHECK_BUILD_LOCALEDIR, "zh_CN", "LC_MESSAGES", "spotcheck.mo", NULL);
  g_autofree char *text = NULL;
  gsize n = 0;
  ck_assert (g_file_get_contents (path, &text, &n, NULL));
  /* the tables whole, the strings cut off */
  broken_catalogue (text, n / 2);
}
END_TEST

START_TEST (test_not_a_catalogue)
{
  broken_catalogue ("msgid \"x\"\nmsgstr \"y\"\n", 22);
}
END_TEST

START_TEST (test_missing_catalogue)
{
  g_autofree char *out = NULL;
  int status = -1;
  const char *argv[] = { self_path, "--child", "/nonexistent/spotcheck/locale", NULL };
  ck_assert (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                           &status, NULL));
  ck_assert (g_spawn_check_wait_status (status, NULL));
  ck_assert_str_eq (out, MSGID "\n");
}
END_TEST

int
main (int argc, char **argv)
{
  if (argc == 3 && strcmp (argv[1], "--child") == 0)
    {
      core_i18n_set_localedir (argv[2]);
      printf ("%s\n", core_i18n_translate ("zh", MSGID));
      return 0;
    }
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  Suite *s = suite_create ("i18n");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_parse);
  tcase_add_test (tc, test_accept_language);
  tcase_add_test (tc, test_translate_build_catalogue);
  tcase_add_test (tc, test_foreach);
  tcase_add_test (tc, test_threads);
  tcase_add_test (tc, test_truncated_catalogue);
  tcase_add_test (tc, test_not_a_catalogue);
  tcase_add_test (tc, test_missing_catalogue);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  g_free (self_path);
  return failed == 0 ? 0 : 1;
}
