/* test-draw.c: the monthly draw's promises, checked over many seeds on the
 * demo district: quotas met or reported, nobody drawn twice while others
 * remain, inspectors and labs as the rules say, and the same list on re-run. */
#include "scheduler/sched-demo.h"
#include "scheduler/sched-draw.h"
#include "scheduler/sched-rng.h"

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
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
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
demo_month (guint month, guint64 seed)
{
  SchedDrawInput *in = sched_demo_draw_input (demo, catalog, 2024, month, seed);
  sched_demo_add_cells (in, 460);
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

static gint
find (GPtrArray *rows, const char *key)
{
  for (guint i = 0; i < rows->len; i++)
    if (strcmp (*(char **)g_ptr_array_index (rows, i), key) == 0)
      return (gint)i;
  return -1;
}

static const SchedDrawOffice *
office_of_street (const SchedDrawInput *in, const char *street)
{
  for (guint i = 0; i < in->offices->len; i++)
    {
      SchedDrawOffice *o = g_ptr_array_index (in->offices, i);
      if (g_strv_contains ((const char *const *)o->streets, street))
        return o;
    }
  return NULL;
}

static gboolean
conflicted (const SchedDrawInspector *s, const char *business)
{
  return g_strv_contains ((const char *const *)s->conflicts, business);
}

/* Whether the business's office has two active inspectors free to inspect it. */
static gboolean
staffable (const SchedDrawInput *in, const SchedDrawBusiness *b)
{
  const SchedDrawOffice *o = office_of_street (in, b->street);
  guint n = 0;
  for (guint i = 0; o != NULL && i < in->inspectors->len; i++)
    {
      SchedDrawInspector *s = g_ptr_array_index (in->inspectors, i);
      n += s->active && strcmp (s->office, o->code) == 0 && !conflicted (s, b->id);
    }
  return n >= 2;
}

/* Checks every rule of sched-draw.h against an independent reading of the
 * input (not the draw's own indexes). @in is canonical after the run. */
static void
check_draw (const SchedDrawInput *in, const SchedDraw *draw)
{
  g_autoptr (GHashTable) last = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < in->businesses->len; i++)
    {
      SchedDrawBusiness *b = g_ptr_array_index (in->businesses, i);
      g_hash_table_insert (last, b->id, g_memdup2 (&b->last_drawn, sizeof (guint64)));
    }
  g_autofree guint *lab_used = g_new0 (guint, in->labs->len);
  g_autoptr (GHashTable) records = g_hash_table_new (g_str_hash, g_str_equal);
  guint t = 0;
  for (guint c = 0; c < in->cells->len; c++)
    {
      SchedDrawCell *cell = g_ptr_array_index (in->cells, c);
      guint missing = 0;
      for (guint k = 0; k < draw->shortfalls->len; k++)
        {
          SchedDrawShortfall *s = g_ptr_array_index (draw->shortfalls, k);
          if (strcmp (s->category, cell->category) == 0 && s->grade == cell->grade)
            missing += s->count;
        }
      g_autoptr (GHashTable) chosen = g_hash_table_new (g_str_hash, g_str_equal);
      guint64 newest_repeat = 0;
      for (; t < draw->tasks->len; t++)
        {
          SchedDrawTask *task = g_ptr_array_index (draw->tasks, t);
          if (strcmp (task->category, cell->category) != 0 || task->grade != cell->grade)
            break;
          ck_assert_uint_eq (strlen (task->record), 19);
          g_autofree char *expect
              = g_strdup_printf ("%s%02u%s%02u%07u", in->record_prefix, in->year % 100,
                                 in->district, in->month, t + 1);
          ck_assert_str_eq (task->record, expect);
          ck_assert (g_hash_table_add (records, task->record));
          SchedDrawBusiness *b
              = g_ptr_array_index (in->businesses, find (in->businesses, task->business));
          ck_assert (b->active && b->grade == cell->grade);
          ck_assert (g_strv_contains ((const char *const *)b->categories, cell->category));
          ck_assert_str_eq (task->street, b->street);
          ck_assert (g_hash_table_add (chosen, b->id)); /* not twice in one cell */
          const SchedDrawOffice *o = office_of_street (in, b->street);
          ck_assert_str_eq (task->office, o->code);
          ck_assert_str_ne (task->inspectors[0], task->inspectors[1]);
          for (int k = 0; k < 2; k++)
            {
              SchedDrawInspector *s
                  = g_ptr_array_index (in->inspectors, find (in->inspectors, task->inspectors[k]));
              ck_assert (s->active);
              ck_assert_str_eq (s->office, o->code);
              ck_assert_msg (!conflicted (s, b->id), "%s inspects %s despite a conflict", s->id,
                             b->id);
            }
          gint l = find (in->labs, task->lab);
          SchedDrawLab *lab = g_ptr_array_index (in->labs, l);
          ck_assert (g_strv_contains ((const char *const *)lab->categories, cell->category));
          ck_assert_uint_le (++lab_used[l] + lab->used, lab->capacity);
          guint64 before = *(guint64 *)g_hash_table_lookup (last, b->id);
          newest_repeat = MAX (newest_repeat, before);
        }
      ck_assert_uint_eq (g_hash_table_size (chosen) + missing, cell->quota);
      /* Nobody twice in the year while others remain; then least recent first. */
      if (newest_repeat > 0)
        for (guint i = 0; i < in->businesses->len; i++)
          {
            SchedDrawBusiness *b = g_ptr_array_index (in->businesses, i);
            if (!b->active || b->grade != cell->grade
                || !g_strv_contains ((const char *const *)b->categories, cell->category)
                || !staffable (in, b) || g_hash_table_contains (chosen, b->id))
              continue;
            guint64 other = *(guint64 *)g_hash_table_lookup (last, b->id);
            ck_assert_msg (other != 0, "%s drawn again while %s was never drawn", cell->category,
                           b->id);
            ck_assert_uint_ge (other, newest_repeat);
          }
      GHashTableIter it;
      gpointer id;
      g_hash_table_iter_init (&it, chosen);
      while (g_hash_table_iter_next (&it, &id, NULL))
        *(guint64 *)g_hash_table_lookup (last, id) = G_MAXUINT64 / 2 + t;
    }
  ck_assert_uint_eq (t, draw->tasks->len);
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, last);
  while (g_hash_table_iter_next (&it, NULL, &value))
    g_free (value);
}

/* Property loops run fewer rounds under SPOTCHECK_TEST_QUICK (set for the
 * valgrind pass, which looks for memory errors, not statistical coverage). */
static guint
rounds (guint full)
{
  return g_getenv ("SPOTCHECK_TEST_QUICK") != NULL ? MAX (full / 10, 1) : full;
}

START_TEST (test_properties_over_many_seeds)
{
  for (guint64 seed = 1; seed <= rounds (200); seed++)
    {
      g_autoptr (SchedDrawInput) in = demo_month (1 + seed % 12, seed * 7919);
      g_autoptr (SchedDraw) draw = run (in);
      check_draw (in, draw);
      ck_assert_uint_gt (draw->tasks->len, 400);
    }
}
END_TEST

START_TEST (test_whole_year_never_repeats_early)
{
  g_autoptr (SchedDrawInput) in = demo_month (1, 99);
  for (guint month = 1; month <= 12; month++)
    {
      in->month = month;
      g_autoptr (SchedDraw) draw = run (in);
      check_draw (in, draw);
      sched_draw_input_mark_drawn (in, draw);
    }
}
END_TEST

/* Shuffles every list of the input, rows and inside rows. */
static void
scramble (SchedDrawInput *in, guint64 seed)
{
  SchedRng rng;
  sched_rng_init (&rng, seed);
  GPtrArray *lists[] = { in->cells, in->businesses, in->inspectors, in->offices, in->labs };
  for (gsize i = 0; i < G_N_ELEMENTS (lists); i++)
    sched_rng_shuffle (&rng, lists[i]->pdata, lists[i]->len, sizeof (gpointer));
  for (guint i = 0; i < in->businesses->len; i++)
    {
      char **cats = ((SchedDrawBusiness *)g_ptr_array_index (in->businesses, i))->categories;
      sched_rng_shuffle (&rng, cats, g_strv_length (cats), sizeof (char *));
    }
}

START_TEST (test_reproducible_and_order_independent)
{
  g_autoptr (SchedDrawInput) a = demo_month (3, 20240301);
  g_autoptr (SchedDrawInput) b = demo_month (3, 20240301);
  g_autoptr (SchedDrawInput) c = demo_month (3, 20240302);
  scramble (b, 5);
  g_autoptr (SchedDraw) da = run (a);
  g_autoptr (SchedDraw) db = run (b);
  g_autoptr (SchedDraw) dc = run (c);
  g_autofree char *ta = sched_draw_serialize (da);
  g_autofree char *tb = sched_draw_serialize (db);
  g_autofree char *tc = sched_draw_serialize (dc);
  ck_assert_str_eq (ta, tb);
  ck_assert_str_eq (da->input_digest, dc->input_digest); /* same inputs, other seed */
  ck_assert_str_ne (ta, tc);
  ck_assert (g_str_has_prefix (ta, "spotcheck-draw/1\nalgorithm\t" SCHED_DRAW_ALGORITHM "\n"));
  ck_assert_str_eq (((SchedDrawTask *)g_ptr_array_index (da->tasks, 0))->record,
                    "DC24120104030000001");
  /* Most businesses differ between two seeds. */
  guint same = 0;
  for (guint i = 0; i < MIN (da->tasks->len, dc->tasks->len); i++)
    same += strcmp (((SchedDrawTask *)g_ptr_array_index (da->tasks, i))->business,
                    ((SchedDrawTask *)g_ptr_array_index (dc->tasks, i))->business)
            == 0;
  ck_assert_uint_lt (same, da->tasks->len / 4);
}
END_TEST

START_TEST (test_digest_follows_inputs)
{
  g_autoptr (SchedDrawInput) a = demo_month (3, 1);
  g_autoptr (SchedDrawInput) b = demo_month (3, 1);
  g_autofree char *da = sched_draw_input_digest (a, NULL);
  ((SchedDrawBusiness *)g_ptr_array_index (b->businesses, 17))->last_drawn = 1;
  g_autofree char *db = sched_draw_input_digest (b, NULL);
  ck_assert_uint_eq (strlen (da), 64);
  ck_assert_str_ne (da, db);
}
END_TEST

START_TEST (test_streets_in_proportion)
{
  /* In January nobody has been drawn: every street's share of a cell is
   * within one of its exact proportional share. */
  g_autoptr (SchedDrawInput) in = sched_demo_draw_input (demo, catalog, 2024, 1, 11);
  sched_draw_input_add_cell (in, "31", 'A', 120);
  g_autoptr (SchedDraw) draw = run (in);
  ck_assert_uint_eq (draw->tasks->len, 120);
  g_autoptr (GHashTable) pool = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) drawn = g_hash_table_new (g_str_hash, g_str_equal);
  guint total = 0;
  for (guint i = 0; i < in->businesses->len; i++)
    {
      SchedDrawBusiness *b = g_ptr_array_index (in->businesses, i);
      if (b->active && b->grade == 'A' && g_strv_contains ((const char *const *)b->categories, "31")
          && staffable (in, b))
        {
          g_hash_table_insert (
              pool, b->street,
              GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (pool, b->street)) + 1));
          total++;
        }
    }
  for (guint i = 0; i < draw->tasks->len; i++)
    {
      SchedDrawTask *t = g_ptr_array_index (draw->tasks, i);
      g_hash_table_insert (
          drawn, t->street,
          GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (drawn, t->street)) + 1));
    }
  GHashTableIter it;
  gpointer street, size;
  g_hash_table_iter_init (&it, pool);
  while (g_hash_table_iter_next (&it, &street, &size))
    {
      double exact = 120.0 * GPOINTER_TO_UINT (size) / total;
      double got = GPOINTER_TO_UINT (g_hash_table_lookup (drawn, street));
      ck_assert_msg (got > exact - 1 && got < exact + 1, "street %s: %g for %g", (char *)street,
                     got, exact);
    }
}
END_TEST

START_TEST (test_inspector_workload_balanced)
{
  g_autoptr (SchedDrawInput) in = demo_month (5, 3);
  g_autoptr (SchedDraw) draw = run (in);
  g_autoptr (GHashTable) count = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < draw->tasks->len; i++)
    for (int k = 0; k < 2; k++)
      {
        const char *id = ((SchedDrawTask *)g_ptr_array_index (draw->tasks, i))->inspectors[k];
        g_hash_table_insert (
            count, (gpointer)id,
            GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (count, id)) + 1));
      }
  for (guint o = 0; o < in->offices->len; o++)
    {
      SchedDrawOffice *office = g_ptr_array_index (in->offices, o);
      guint lo = G_MAXUINT, hi = 0;
      for (guint i = 0; i < in->inspectors->len; i++)
        {
          SchedDrawInspector *s = g_ptr_array_index (in->inspectors, i);
          if (!s->active || strcmp (s->office, office->code) != 0)
            continue;
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (count, s->id));
          lo = MIN (lo, n);
          hi = MAX (hi, n);
        }
      ck_assert_msg (hi - lo <= 2, "office %s: workloads from %u to %u", office->code, lo, hi);
    }
}
END_TEST

/* A tiny district where every kind of shortfall happens. */
static SchedDrawInput *
tiny_input (void)
{
  SchedDrawInput *in = sched_draw_input_new (2024, 2, "120104", 1);
  const char *const s1[] = { "S1", NULL }, *const s2[] = { "S2", NULL };
  sched_draw_input_add_office (in, "O1", s1);
  sched_draw_input_add_office (in, "O2", s2);
  const char *const c31[] = { "31", NULL }, *const c33[] = { "33", NULL };
  const char *const c05[] = { "05", NULL };
  sched_draw_input_add_business (in, "B1", "S1", 'A', c31, TRUE, 0);
  sched_draw_input_add_business (in, "B2", "S1", 'A', c31, TRUE, 0);
  sched_draw_input_add_business (in, "B3", "S1", 'A', c31, TRUE, 0);
  sched_draw_input_add_business (in, "B4", "S1", 'A', c31, FALSE, 0); /* closed */
  sched_draw_input_add_business (in, "B5", "S2", 'B', c33, TRUE, 0);  /* O2 has one inspector */
  sched_draw_input_add_business (in, "B6", "S1", 'C', c05, TRUE, 0);  /* no lab takes 05 */
  sched_draw_input_add_business (in, "B7", "S1", 'B', c33, TRUE, 0);
  sched_draw_input_add_business (in, "B8", "S1", 'B', c33, TRUE, 0);
  const char *const b1[] = { "B1", NULL };
  sched_draw_input_add_inspector (in, "I1", "O1", TRUE, b1);
  sched_draw_input_add_inspector (in, "I2", "O1", TRUE, NULL);
  sched_draw_input_add_inspector (in, "I3", "O1", TRUE, NULL);
  sched_draw_input_add_inspector (in, "I4", "O2", TRUE, NULL);
  sched_draw_input_add_inspector (in, "I5", "O2", FALSE, NULL);
  const char *const both[] = { "31", "33", NULL };
  sched_draw_input_add_lab (in, "L1", both, 6, 1);
  sched_draw_input_add_cell (in, "31", 'A', 5);
  sched_draw_input_add_cell (in, "27", 'D', 2);
  sched_draw_input_add_cell (in, "33", 'B', 4);
  sched_draw_input_add_cell (in, "05", 'C', 1);
  return in;
}

static guint
shortfall (const SchedDraw *draw, const char *category, SchedShortfallReason reason)
{
  for (guint i = 0; i < draw->shortfalls->len; i++)
    {
      SchedDrawShortfall *s = g_ptr_array_index (draw->shortfalls, i);
      if (strcmp (s->category, category) == 0 && s->reason == reason)
        return s->count;
    }
  return 0;
}

START_TEST (test_shortfalls_named)
{
  g_autoptr (SchedDrawInput) in = tiny_input ();
  g_autoptr (SchedDraw) draw = run (in);
  check_draw (in, draw);
  /* 31 A: three open businesses for five; B1 still staffable by I2 and I3. */
  ck_assert_uint_eq (shortfall (draw, "31", SCHED_SHORTFALL_POOL_TOO_SMALL), 2);
  ck_assert_uint_eq (shortfall (draw, "27", SCHED_SHORTFALL_EMPTY_POOL), 2);
  ck_assert_uint_eq (shortfall (draw, "05", SCHED_SHORTFALL_NO_LAB), 1);
  /* 33 B: B5's office has one active inspector; the lab has 6 - 1 - 3 = 2 left. */
  ck_assert_uint_eq (shortfall (draw, "33", SCHED_SHORTFALL_POOL_TOO_SMALL), 1);
  ck_assert_uint_eq (shortfall (draw, "33", SCHED_SHORTFALL_NO_INSPECTORS), 1);
  ck_assert_uint_eq (shortfall (draw, "33", SCHED_SHORTFALL_LAB_CAPACITY), 0);
  ck_assert_uint_eq (draw->tasks->len, 5);
  g_autofree char *text = sched_draw_serialize (draw);
  ck_assert_ptr_nonnull (strstr (text, "shortfall\t27\tD\t2\tempty-pool\n"));

  ((SchedDrawLab *)g_ptr_array_index (in->labs, 0))->used = 4;
  g_autoptr (SchedDraw) full = run (in);
  check_draw (in, full);
  /* Two places left: both go to 31 A (first in order), none to 33 B. */
  ck_assert_uint_eq (shortfall (full, "31", SCHED_SHORTFALL_LAB_CAPACITY), 1);
  ck_assert_uint_eq (shortfall (full, "33", SCHED_SHORTFALL_LAB_CAPACITY), 2);
  ck_assert_uint_eq (full->tasks->len, 2);
}
END_TEST

START_TEST (test_repeats_least_recent_first)
{
  g_autoptr (SchedDrawInput) in = tiny_input ();
  for (guint i = 0; i < in->businesses->len; i++)
    {
      SchedDrawBusiness *b = g_ptr_array_index (in->businesses, i);
      b->last_drawn = strcmp (b->id, "B2") == 0   ? 10000005
                      : strcmp (b->id, "B3") == 0 ? 10000001
                                                  : 0;
    }
  g_ptr_array_set_size (in->cells, 0);
  sched_draw_input_add_cell (in, "31", 'A', 2);
  g_autoptr (SchedDraw) draw = run (in);
  check_draw (in, draw);
  /* B1 was never drawn, then B3 before B2. */
  ck_assert_str_eq (((SchedDrawTask *)g_ptr_array_index (draw->tasks, 0))->business, "B1");
  ck_assert_str_eq (((SchedDrawTask *)g_ptr_array_index (draw->tasks, 1))->business, "B3");
}
END_TEST

START_TEST (test_due_dates)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreCalendar) cal = core_calendar_new (config, &error);
  ck_assert_msg (cal != NULL, "%s", error ? error->message : "");
  g_autoptr (SchedDrawInput) in = tiny_input ();
  g_autoptr (SchedDraw) eom = run (in);
  g_autofree char *d1
      = core_date_format (&((SchedDrawTask *)g_ptr_array_index (eom->tasks, 0))->due);
  ck_assert_str_eq (d1, "2024-02-29");

  g_autoptr (CoreConfig) rules = core_config_new_builtin (NULL);
  ck_assert (core_config_add_data (rules,
                                   "[draw]\nrecord_prefix=SC\ndue=working-days\n"
                                   "due_working_days=5\n",
                                   "test", NULL));
  ck_assert_msg (sched_draw_input_set_rules (in, rules, &error), "%s", error ? error->message : "");
  in->calendar = cal;
  ck_assert (core_date_parse ("2024-02-08", &in->draw_date));
  g_autoptr (SchedDraw) wd = run (in);
  SchedDrawTask *t = g_ptr_array_index (wd->tasks, 0);
  g_autofree char *d2 = core_date_format (&t->due);
  ck_assert_str_eq (d2, "2024-02-21");
  ck_assert (g_str_has_prefix (t->record, "SC24"));

  in->year = 2030;
  ck_assert (core_date_parse ("2030-02-08", &in->draw_date));
  g_autoptr (SchedDraw) none = sched_draw_run (in, &error);
  ck_assert_ptr_null (none);
  ck_assert (g_error_matches (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_DUE_DATE));
}
END_TEST

START_TEST (test_rules_and_rows_checked)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedDrawInput) in = tiny_input ();
  g_autoptr (CoreConfig) bare = core_config_new_builtin (NULL);
  ck_assert (
      core_config_add_data (bare, "[draw]\nrecord_prefix=D1\ndue=end-of-month\n", "t", NULL));
  ck_assert (!sched_draw_input_set_rules (in, bare, &error));
  ck_assert (g_error_matches (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_CONFIG));
  g_clear_error (&error);

  sched_draw_input_add_business (in, "B1", "S1", 'A', NULL, TRUE, 0);
  ck_assert_ptr_null (sched_draw_run (in, &error));
  ck_assert (g_error_matches (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_INVALID));
  ck_assert_ptr_nonnull (strstr (error->message, "B1"));
  g_clear_error (&error);

  g_autoptr (SchedDrawInput) other = tiny_input ();
  sched_draw_input_add_inspector (other, "I9", "O7", TRUE, NULL);
  ck_assert_ptr_null (sched_draw_run (other, &error));
  ck_assert (g_error_matches (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_INVALID));
  ck_assert_ptr_nonnull (strstr (error->message, "O7"));
  g_clear_error (&error);

  g_autoptr (SchedDrawInput) grade = tiny_input ();
  sched_draw_input_add_cell (grade, "01", 'E', 1);
  ck_assert_ptr_null (sched_draw_run (grade, &error));
  ck_assert (g_error_matches (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_INVALID));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("draw");
  TCase *tc = tcase_create ("draw");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_properties_over_many_seeds);
  tcase_add_test (tc, test_whole_year_never_repeats_early);
  tcase_add_test (tc, test_reproducible_and_order_independent);
  tcase_add_test (tc, test_digest_follows_inputs);
  tcase_add_test (tc, test_streets_in_proportion);
  tcase_add_test (tc, test_inspector_workload_balanced);
  tcase_add_test (tc, test_shortfalls_named);
  tcase_add_test (tc, test_repeats_least_recent_first);
  tcase_add_test (tc, test_due_dates);
  tcase_add_test (tc, test_rules_and_rows_checked);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
