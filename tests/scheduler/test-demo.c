/* test-demo.c: the demo district is plausible, valid and reproducible, and
 * its CSV files carry the documented headers. */
#include "scheduler/sched-demo.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

static CoreConfig *config;
static CoreCatalog *catalog;

static void
setup (void)
{
  g_autoptr (GError) error = NULL;
  config = core_config_new_builtin (&error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  catalog = core_catalog_load (config, &error);
  ck_assert_msg (catalog != NULL, "%s", error ? error->message : "");
}

static void
teardown (void)
{
  g_clear_pointer (&catalog, core_catalog_free);
  g_clear_pointer (&config, core_config_free);
}

static SchedDemo *
generate (guint64 seed, guint n)
{
  g_autoptr (GError) error = NULL;
  SchedDemo *demo = sched_demo_generate (catalog, seed, n, 4, &error);
  ck_assert_msg (demo != NULL, "%s", error ? error->message : "");
  return demo;
}

START_TEST (test_uscc_check_character)
{
  /* Examples published with GB 32100-2015 explanations. */
  ck_assert_int_eq (sched_demo_uscc_check_char ("91350100M000100Y4"), '3');
  ck_assert_int_eq (sched_demo_uscc_check_char ("91110000802100433"), 'B');
  ck_assert_int_eq (sched_demo_uscc_check_char ("9135010OM000100Y4"), 0); /* letter O */
}
END_TEST

START_TEST (test_businesses_plausible)
{
  g_autoptr (SchedDemo) demo = generate (1, 3000);
  ck_assert_uint_eq (demo->businesses->len, 3000);
  g_autoptr (GHashTable) usccs = g_hash_table_new (g_str_hash, g_str_equal);
  guint grades[4] = { 0 }, catering = 0;
  for (guint i = 0; i < demo->businesses->len; i++)
    {
      SchedDemoBusiness *b = g_ptr_array_index (demo->businesses, i);
      ck_assert_uint_eq (strlen (b->uscc), 18);
      ck_assert_int_eq (sched_demo_uscc_check_char (b->uscc), b->uscc[17]);
      ck_assert (g_str_has_prefix (b->uscc + 2, "120104"));
      ck_assert (g_hash_table_add (usccs, b->uscc));
      ck_assert_ptr_nonnull (core_catalog_street (catalog, b->street));
      ck_assert (b->grade >= 'A' && b->grade <= 'D');
      grades[b->grade - 'A']++;
      ck_assert_uint_ge (g_strv_length (b->categories), 1);
      for (char **c = b->categories; *c; c++)
        ck_assert_ptr_nonnull (core_catalog_category (catalog, *c));
      ck_assert_uint_eq (strlen (b->licence), 16);
      if (strcmp (b->stage, "catering") == 0)
        {
          catering++;
          ck_assert (g_strv_contains ((const char *const *)b->categories, "31"));
          ck_assert (g_str_has_prefix (b->licence, "JY2120104"));
        }
      else if (strcmp (b->stage, "market") == 0)
        ck_assert (g_strv_contains ((const char *const *)b->categories, "33"));
      else if (strcmp (b->stage, "production") == 0)
        ck_assert (g_str_has_prefix (b->licence, "SC1"));
      else
        ck_assert_str_eq (b->stage, "distribution");
    }
  /* Mostly A and B, fewer C, fewest D. */
  ck_assert_uint_gt (grades[0] + grades[1], 2 * (grades[2] + grades[3]));
  ck_assert_uint_gt (grades[2], grades[3]);
  ck_assert_uint_gt (grades[3], 0);
  ck_assert_uint_gt (catering, 1000);
}
END_TEST

START_TEST (test_inspectors_and_labs)
{
  g_autoptr (SchedDemo) demo = generate (2, 3000);
  guint conflicts = 0, capacity = 0;
  for (guint o = 0; o < catalog->offices->len; o++)
    {
      const CoreOffice *office = g_ptr_array_index (catalog->offices, o);
      guint n = 0, active = 0;
      for (guint i = 0; i < demo->inspectors->len; i++)
        {
          SchedDemoInspector *s = g_ptr_array_index (demo->inspectors, i);
          if (strcmp (s->office, office->code) != 0)
            continue;
          n++;
          active += s->active;
          conflicts += g_strv_length (s->conflicts);
        }
      ck_assert_uint_ge (n, 6);
      ck_assert_uint_le (n, 10);
      ck_assert_uint_ge (active, 5);
    }
  ck_assert_uint_gt (conflicts, 0);
  ck_assert_uint_eq (demo->labs->len, 4);
  /* Every category has an accredited lab. */
  for (guint c = 0; c < catalog->categories->len; c++)
    {
      const char *code = ((CoreCategory *)g_ptr_array_index (catalog->categories, c))->code;
      gboolean found = FALSE;
      for (guint l = 0; l < demo->labs->len; l++)
        found |= g_strv_contains (
            (const char *const *)((SchedDemoLab *)g_ptr_array_index (demo->labs, l))->categories,
            code);
      ck_assert_msg (found, "no lab for %s", code);
    }
  for (guint l = 0; l < demo->labs->len; l++)
    capacity += ((SchedDemoLab *)g_ptr_array_index (demo->labs, l))->capacity;
  ck_assert_uint_ge (capacity, 460);
}
END_TEST

START_TEST (test_same_seed_same_district)
{
  g_autoptr (SchedDemo) a = generate (7, 500);
  g_autoptr (SchedDemo) b = generate (7, 500);
  g_autoptr (SchedDemo) c = generate (8, 500);
  guint differ = 0;
  for (guint i = 0; i < 500; i++)
    {
      SchedDemoBusiness *x = g_ptr_array_index (a->businesses, i);
      SchedDemoBusiness *y = g_ptr_array_index (b->businesses, i);
      SchedDemoBusiness *z = g_ptr_array_index (c->businesses, i);
      ck_assert_str_eq (x->uscc, y->uscc);
      ck_assert_str_eq (x->name, y->name);
      differ += strcmp (x->uscc, z->uscc) != 0;
    }
  ck_assert_uint_gt (differ, 490);
}
END_TEST

static char **
read_lines (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  ck_assert (g_utf8_validate (text, -1, NULL));
  return g_strsplit (text, "\n", -1);
}

START_TEST (test_csv_files)
{
  g_autoptr (SchedDemo) demo = generate (3, 200);
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-demo-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  ck_assert_msg (sched_demo_write_csv (demo, dir, &error), "%s", error ? error->message : "");
  g_auto (GStrv) biz = read_lines (dir, SCHED_DEMO_BUSINESSES_FILE);
  g_auto (GStrv) ins = read_lines (dir, SCHED_DEMO_INSPECTORS_FILE);
  g_auto (GStrv) labs = read_lines (dir, SCHED_DEMO_LABS_FILE);
  ck_assert_str_eq (biz[0], "uscc,licence,name,stage,street,address,grade,categories,active");
  ck_assert_str_eq (ins[0], "id,name,office,active,conflicts");
  ck_assert_str_eq (labs[0], "code,name,categories,capacity");
  ck_assert_uint_eq (g_strv_length (biz), 200 + 2); /* header, rows, empty after last \n */
  ck_assert_uint_eq (g_strv_length (ins), demo->inspectors->len + 2);
  ck_assert_uint_eq (g_strv_length (labs), 4 + 2);
  SchedDemoBusiness *b = g_ptr_array_index (demo->businesses, 0);
  g_auto (GStrv) fields = g_strsplit (biz[1], ",", -1);
  ck_assert_uint_eq (g_strv_length (fields), 9);
  ck_assert_str_eq (fields[0], b->uscc);
  g_autofree char *cats = g_strjoinv (";", b->categories);
  ck_assert_str_eq (fields[7], cats);
  ck_assert_str_eq (fields[8], b->active ? "1" : "0");
  const char *names[]
      = { SCHED_DEMO_BUSINESSES_FILE, SCHED_DEMO_INSPECTORS_FILE, SCHED_DEMO_LABS_FILE };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}
END_TEST

START_TEST (test_scaled_district)
{
  g_autoptr (CoreCatalog) big = sched_demo_scale_catalog (catalog, 3);
  ck_assert_uint_eq (big->streets->len, 3 * catalog->streets->len);
  ck_assert_uint_eq (big->offices->len, 3 * catalog->offices->len);
  ck_assert_ptr_nonnull (core_catalog_office_for_street (big, "120104012-2"));
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedDemo) demo = sched_demo_generate (big, 5, 9000, 12, &error);
  ck_assert_msg (demo != NULL, "%s", error ? error->message : "");
  g_autoptr (SchedDrawInput) in = sched_demo_draw_input (demo, big, 2024, 6, 5);
  sched_demo_add_cells (in, 1380);
  guint quota = 0;
  for (guint i = 0; i < in->cells->len; i++)
    quota += ((SchedDrawCell *)g_ptr_array_index (in->cells, i))->quota;
  ck_assert_uint_eq (quota, 1380);
  g_autoptr (SchedDraw) draw = sched_draw_run (in, &error);
  ck_assert_msg (draw != NULL, "%s", error ? error->message : "");
  ck_assert_uint_gt (draw->tasks->len, 1300);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("demo");
  TCase *tc = tcase_create ("demo");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_uscc_check_character);
  tcase_add_test (tc, test_businesses_plausible);
  tcase_add_test (tc, test_inspectors_and_labs);
  tcase_add_test (tc, test_same_seed_same_district);
  tcase_add_test (tc, test_csv_files);
  tcase_add_test (tc, test_scaled_district);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
