/* test-openapi.c: openapi.yaml and the served route table say the same: every
 * path and method of the file is served, every served route is in the file,
 * with the same path and query parameters. A line reader of the `paths:`
 * block is enough: two-space keys are paths, four-space keys methods, and
 * each parameter is "- name: N" followed by "in: WHERE", or a "- $ref:" to
 * one under components/parameters (the ones every route takes: lang). */
#include "tests/support/test-run.h"

#include <check.h>
#include <string.h>

static int
by_text (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* The first group of @re in @line, or NULL (g_regex_match() hands back match
 * info even when nothing matched: freed here every time). */
static char *
group1 (const GRegex *re, const char *line)
{
  g_autoptr (GMatchInfo) m = NULL;
  return g_regex_match (re, line, 0, &m) ? g_match_info_fetch (m, 1) : NULL;
}

/* components/parameters: key -> "WHERE:NAME". */
static GHashTable *
shared_parameters (char **lines)
{
  GHashTable *shared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GRegex) key_re = g_regex_new ("^    ([\\w-]+):$", 0, 0, NULL);
  g_autoptr (GRegex) name_re = g_regex_new ("^      name: (\\S+)$", 0, 0, NULL);
  g_autoptr (GRegex) in_re = g_regex_new ("^      in: (\\w+)$", 0, 0, NULL);
  gboolean in_components = FALSE, in_parameters = FALSE;
  g_autofree char *key = NULL, *name = NULL;
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];
      if (*l != ' ' && *l != '\0')
        in_components = strcmp (l, "components:") == 0;
      if (!in_components)
        in_parameters = FALSE;
      if (in_components && g_str_has_prefix (l, "  ") && l[2] != ' ')
        in_parameters = strcmp (l, "  parameters:") == 0;
      if (!in_parameters)
        continue;
      g_autofree char *k = group1 (key_re, l), *n = NULL, *where = NULL;
      if (k != NULL)
        {
          g_free (key);
          key = g_steal_pointer (&k);
          g_clear_pointer (&name, g_free);
        }
      else if ((n = group1 (name_re, l)) != NULL)
        {
          g_free (name);
          name = g_steal_pointer (&n);
        }
      else if (key != NULL && name != NULL && (where = group1 (in_re, l)) != NULL)
        g_hash_table_insert (shared, g_strdup (key), g_strdup_printf ("%s:%s", where, name));
    }
  return shared;
}

static GHashTable *
from_file (void)
{
  g_autofree char *path
      = g_build_filename (g_getenv ("SPOTCHECK_SOURCE_DIR"), "openapi.yaml", NULL);
  g_autofree char *text = NULL;
  ck_assert_msg (g_file_get_contents (path, &text, NULL, NULL), "cannot read %s", path);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GHashTable) shared = shared_parameters (lines);
  g_autoptr (GRegex) ref_re
      = g_regex_new ("^        - \\$ref: \"#/components/parameters/([\\w-]+)\"$", 0, 0, NULL);
  GHashTable *ops = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GRegex) path_re = g_regex_new ("^  (/\\S*):$", 0, 0, NULL);
  g_autoptr (GRegex) method_re = g_regex_new ("^    (get|post|put|patch|delete):$", 0, 0, NULL);
  g_autoptr (GRegex) name_re = g_regex_new ("^        - name: (\\S+)$", 0, 0, NULL);
  g_autoptr (GRegex) in_re = g_regex_new ("^          in: (\\w+)$", 0, 0, NULL);
  gboolean in_paths = FALSE;
  g_autofree char *cur_path = NULL, *cur_op = NULL, *pending = NULL;
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  for (gsize i = 0;; i++)
    {
      const char *l = lines[i];
      gboolean end = l == NULL || (in_paths && *l != ' ' && *l != '\0');
      gboolean new_path = !end && in_paths && g_regex_match (path_re, l, 0, NULL);
      gboolean new_method = !end && in_paths && g_regex_match (method_re, l, 0, NULL);
      if ((end || new_path || new_method) && cur_op != NULL)
        {
          g_ptr_array_sort (params, by_text);
          g_autoptr (GString) sig = g_string_new (NULL);
          for (guint p = 0; p < params->len; p++)
            g_string_append_printf (sig, "%s%s", p ? "," : "", (char *)params->pdata[p]);
          ck_assert_msg (!g_hash_table_contains (ops, cur_op), "%s twice", cur_op);
          g_hash_table_insert (ops, g_steal_pointer (&cur_op),
                               g_string_free (g_steal_pointer (&sig), FALSE));
          g_ptr_array_set_size (params, 0);
        }
      if (l == NULL || end)
        break;
      if (strcmp (l, "paths:") == 0)
        {
          in_paths = TRUE;
          continue;
        }
      if (!in_paths)
        continue;
      g_autofree char *path_v = group1 (path_re, l), *method_v = NULL, *name_v = NULL;
      g_autofree char *where = NULL, *ref = NULL;
      if (path_v != NULL)
        {
          g_free (cur_path);
          cur_path = g_steal_pointer (&path_v);
        }
      else if ((method_v = group1 (method_re, l)) != NULL)
        {
          g_autofree char *up = g_ascii_strup (method_v, -1);
          cur_op = g_strdup_printf ("%s %s", up, cur_path);
        }
      else if ((ref = group1 (ref_re, l)) != NULL)
        {
          const char *param = g_hash_table_lookup (shared, ref);
          ck_assert_msg (param != NULL, "%s: no components/parameters/%s", cur_op, ref);
          if (!g_str_has_prefix (param, "header:"))
            g_ptr_array_add (params, g_strdup (param));
        }
      else if ((name_v = group1 (name_re, l)) != NULL)
        {
          g_free (pending);
          pending = g_steal_pointer (&name_v);
        }
      else if (pending != NULL && (where = group1 (in_re, l)) != NULL)
        {
          /* Headers (Idempotency-Key) are not routing; the file documents them. */
          if (strcmp (where, "header") != 0)
            g_ptr_array_add (params, g_strdup_printf ("%s:%s", where, pending));
          g_clear_pointer (&pending, g_free);
        }
    }
  return ops;
}

static GHashTable *
from_server (void)
{
  g_auto (TestRun) r = { 0 };
  RUN (&r, NULL, "serve", "--routes");
  ck_assert_int_eq (r.status, 0);
  g_auto (GStrv) lines = g_strsplit (r.out, "\n", -1);
  GHashTable *ops = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GRegex) param_re = g_regex_new ("\\{(\\w+)\\}", 0, 0, NULL);
  for (gsize i = 0; lines[i] != NULL && *lines[i]; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], " ", 4);
      ck_assert_uint_eq (g_strv_length (f), 4);
      g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GMatchInfo) m = NULL;
      for (g_regex_match (param_re, f[1], 0, &m); g_match_info_matches (m);
           g_match_info_next (m, NULL))
        {
          g_autofree char *name = g_match_info_fetch (m, 1);
          g_ptr_array_add (params, g_strdup_printf ("path:%s", name));
        }
      g_auto (GStrv) query = g_strsplit (f[3], ",", -1);
      for (gsize q = 0; strcmp (f[3], "-") != 0 && query[q] != NULL; q++)
        g_ptr_array_add (params, g_strdup_printf ("query:%s", query[q]));
      g_ptr_array_sort (params, by_text);
      g_autoptr (GString) sig = g_string_new (NULL);
      for (guint p = 0; p < params->len; p++)
        g_string_append_printf (sig, "%s%s", p ? "," : "", (char *)params->pdata[p]);
      g_hash_table_insert (ops, g_strdup_printf ("%s %s", f[0], f[1]),
                           g_string_free (g_steal_pointer (&sig), FALSE));
    }
  return ops;
}

START_TEST (test_file_and_table_agree)
{
  g_autoptr (GHashTable) file = from_file ();
  g_autoptr (GHashTable) served = from_server ();
  ck_assert_uint_ge (g_hash_table_size (served), 10);
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, served);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      const char *documented = g_hash_table_lookup (file, k);
      ck_assert_msg (documented != NULL, "%s is served but not in openapi.yaml", (char *)k);
      ck_assert_msg (strcmp (documented, v) == 0,
                     "%s: openapi.yaml has parameters [%s], the server reads [%s]", (char *)k,
                     documented, (char *)v);
    }
  g_hash_table_iter_init (&it, file);
  while (g_hash_table_iter_next (&it, &k, NULL))
    ck_assert_msg (g_hash_table_contains (served, k), "%s is in openapi.yaml but not served",
                   (char *)k);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("openapi");
  TCase *tc = tcase_create ("openapi");
  tcase_add_test (tc, test_file_and_table_agree);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
