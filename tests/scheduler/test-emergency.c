/* test-emergency.c: the emergency draw (steps E0-E4 of sched-draw.h) on the
 * demo district: N tasks of one category, of the street or the named
 * businesses asked for, fresh businesses first, serials from the emergency
 * block, the same list again from the text alone. */
#include "scheduler/sched-demo.h"
#include "scheduler/sched-draw-parse.h"
#include "scheduler/sched-draw.h"

#include <check.h>
#include <string.h>

static CoreConfig *config;
static CoreCatalog *catalog;
static SchedDemo *demo;

static void
setup (void)
{
  g_autoptr (GError) error = NULL;
  config = core_config_new_builtin (&error);
  catalog = core_catalog_load (config, &error);
  ck_assert_msg (catalog != NULL, "%s", error ? error->message : "");
  demo = sched_demo_generate (catalog, 2024, 3000, 4, &error);
  ck_assert_msg (demo != NULL, "%s", error ? error->message : "");
}

static void
teardown (void)
{
  g_clear_pointer (&demo, sched_demo_free);
  g_clear_pointer (&catalog, core_catalog_free);
  g_clear_pointer (&config, core_config_free);
}

static SchedDrawInput *
emergency (guint count, const char *street, const char *const *named, guint64 seed)
{
  SchedDrawInput *in = sched_demo_draw_input (demo, catalog, 2024, 5, seed);
  sched_draw_input_set_emergency (in, "31", count, SCHED_EMERGENCY_FIRST_SERIAL, street, named);
  return in;
}

static SchedDraw *
run (SchedDrawInput *in)
{
  g_autoptr (GError) error = NULL;
  SchedDraw *draw = sched_draw_run (in, &error);
  ck_assert_msg (draw != NULL, "%s", error ? error->message : "");
  return draw;
}

static const SchedDrawBusiness *
business (SchedDrawInput *in, const char *id)
{
  for (guint i = 0; i < in->businesses->len; i++)
    {
      SchedDrawBusiness *b = g_ptr_array_index (in->businesses, i);
      if (strcmp (b->id, id) == 0)
        return b;
    }
  return NULL;
}

START_TEST (test_random_draw_of_one_category)
{
  g_autoptr (SchedDrawInput) in = emergency (12, NULL, NULL, 7);
  g_autoptr (SchedDraw) draw = run (in);
  ck_assert_uint_eq (draw->tasks->len, 12);
  ck_assert_uint_eq (draw->shortfalls->len, 0);
  ck_assert (g_str_has_prefix (draw->algorithm, "spotcheck-emergency/1 "));
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < draw->tasks->len; i++)
    {
      const SchedDrawTask *t = g_ptr_array_index (draw->tasks, i);
      const SchedDrawBusiness *b = business (in, t->business);
      ck_assert (b != NULL && b->active);
      ck_assert (g_strv_contains ((const char *const *)b->categories, "31"));
      ck_assert_int_eq (t->grade, b->grade);
      ck_assert_str_eq (t->category, "31");
      ck_assert (g_hash_table_add (seen, t->business));
      g_autofree char *record = g_strdup_printf ("DC2412010405%07u", 9000001 + i);
      ck_assert_str_eq (t->record, record);
      ck_assert_str_ne (t->inspectors[0], t->inspectors[1]);
    }
  g_autofree char *text = sched_draw_serialize (draw);
  ck_assert (g_str_has_prefix (text, "spotcheck-emergency/1\nalgorithm\tspotcheck-emergency/1 "));
}
END_TEST

START_TEST (test_text_reads_back_and_reruns)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedDrawInput) in = emergency (5, "120104002", NULL, 99);
  g_autofree char *text = sched_draw_input_serialize (in, &error);
  ck_assert (g_str_has_prefix (text, "spotcheck-emergency-input/1\n"));
  ck_assert (strstr (text, "\nemergency\t31\t5\t9000001\t120104002\t\n") != NULL);
  g_autoptr (SchedDrawInput) back = sched_draw_input_parse (text, 99, NULL, &error);
  ck_assert_msg (back != NULL, "%s", error ? error->message : "");
  g_autofree char *again = sched_draw_input_serialize (back, &error);
  ck_assert_str_eq (again, text);
  g_autoptr (SchedDraw) a = run (in);
  g_autoptr (SchedDraw) b = run (back);
  g_autofree char *ta = sched_draw_serialize (a), *tb = sched_draw_serialize (b);
  ck_assert_str_eq (ta, tb);
  for (guint i = 0; i < a->tasks->len; i++)
    ck_assert_str_eq (((SchedDrawTask *)g_ptr_array_index (a->tasks, i))->street, "120104002");
  /* a routine input is not an emergency one, and a cell in an emergency
   * input is refused */
  sched_draw_input_add_cell (in, "31", 'A', 1);
  ck_assert_ptr_null (sched_draw_input_serialize (in, &error));
  ck_assert (g_error_matches (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_INVALID));
}
END_TEST

START_TEST (test_named_businesses_all_taken)
{
  g_autoptr (SchedDrawInput) probe = emergency (1, NULL, NULL, 1);
  g_autoptr (GError) error = NULL;
  ck_assert (sched_draw_input_canonicalize (probe, &error));
  g_autoptr (GPtrArray) pool = sched_draw_pool (probe, "31", 0, NULL);
  ck_assert_uint_gt (pool->len, 10);
  const char *named[] = { g_ptr_array_index (pool, 7), g_ptr_array_index (pool, 2), NULL };
  g_autoptr (SchedDrawInput) in = emergency (2, NULL, named, 3);
  g_autoptr (SchedDraw) draw = run (in);
  ck_assert_uint_eq (draw->tasks->len, 2);
  ck_assert_str_eq (((SchedDrawTask *)g_ptr_array_index (draw->tasks, 0))->business, named[1]);
  ck_assert_str_eq (((SchedDrawTask *)g_ptr_array_index (draw->tasks, 1))->business, named[0]);
  /* a named business that does not handle the category is a shortfall */
  const char *stranger[] = { "NOT-IN-THE-DIRECTORY", NULL };
  g_autoptr (SchedDrawInput) none = emergency (1, NULL, stranger, 3);
  g_autoptr (SchedDraw) empty = run (none);
  ck_assert_uint_eq (empty->tasks->len, 0);
  ck_assert_uint_eq (empty->shortfalls->len, 1);
  SchedDrawShortfall *s = g_ptr_array_index (empty->shortfalls, 0);
  ck_assert_int_eq (s->reason, SCHED_SHORTFALL_EMPTY_POOL);
  ck_assert_int_eq (s->grade, '*');
}
END_TEST

START_TEST (test_fresh_businesses_first)
{
  /* Every business of the pool but three drawn already this year: those
   * three come first, then the least recently drawn. */
  g_autoptr (SchedDrawInput) in = emergency (5, NULL, NULL, 11);
  g_autoptr (GError) error = NULL;
  ck_assert (sched_draw_input_canonicalize (in, &error));
  g_autoptr (GPtrArray) pool = sched_draw_pool (in, "31", 0, NULL);
  guint64 key = 10000001;
  for (guint i = 0; i < in->businesses->len; i++)
    {
      SchedDrawBusiness *b = g_ptr_array_index (in->businesses, i);
      b->last_drawn = key++;
    }
  const char *fresh[3]
      = { g_ptr_array_index (pool, 1), g_ptr_array_index (pool, 4), g_ptr_array_index (pool, 9) };
  for (guint k = 0; k < 3; k++)
    ((SchedDrawBusiness *)business (in, fresh[k]))->last_drawn = 0;
  g_autoptr (SchedDraw) draw = run (in);
  ck_assert_uint_eq (draw->tasks->len, 5);
  for (guint i = 0; i < 3; i++)
    {
      const char *id = ((SchedDrawTask *)g_ptr_array_index (draw->tasks, i))->business;
      ck_assert (strcmp (id, fresh[0]) == 0 || strcmp (id, fresh[1]) == 0
                 || strcmp (id, fresh[2]) == 0);
    }
  guint64 earliest = G_MAXUINT64;
  for (guint i = 0; i < pool->len; i++)
    {
      guint64 k = business (in, g_ptr_array_index (pool, i))->last_drawn;
      if (k != 0)
        earliest = MIN (earliest, k);
    }
  /* the fourth task is the least recently drawn of the rest */
  const char *fourth = ((SchedDrawTask *)g_ptr_array_index (draw->tasks, 3))->business;
  ck_assert_uint_eq (business (in, fourth)->last_drawn, earliest);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("emergency");
  TCase *tc = tcase_create ("emergency");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_random_draw_of_one_category);
  tcase_add_test (tc, test_text_reads_back_and_reruns);
  tcase_add_test (tc, test_named_businesses_all_taken);
  tcase_add_test (tc, test_fresh_businesses_first);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
