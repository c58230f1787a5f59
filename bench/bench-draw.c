/* bench-draw.c: a whole year of monthly draws for the demo district and for a
 * synthetic district 100 times larger, against a baseline measured in the
 * same run: merely ordering the directory and shuffling every cell's pool. */
#include "scheduler/sched-demo.h"
#include "scheduler/sched-draw.h"
#include "scheduler/sched-rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  double draw_s;
  double baseline_s;
  guint tasks;
  guint shortfall;
} YearResult;

static int
compare_business (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(SchedDrawBusiness *const *)a)->id, (*(SchedDrawBusiness *const *)b)->id);
}

/* The least any draw must do: put the directory in a fixed order and shuffle
 * each cell's pool once. Returns a checksum so the work is not optimised away. */
static guint64
baseline_month (const SchedDrawInput *in, guint64 seed)
{
  SchedRng rng;
  sched_rng_init (&rng, seed);
  guint n = in->businesses->len;
  g_autoptr (GPtrArray) order = g_ptr_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (order, g_ptr_array_index (in->businesses, i));
  sched_rng_shuffle (&rng, order->pdata, n, sizeof (gpointer));
  g_ptr_array_sort (order, compare_business);
  /* One pass puts each business in the pools of its categories. */
  g_autoptr (GHashTable) cell_of = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  GArray **pools = g_new (GArray *, in->cells->len);
  for (guint c = 0; c < in->cells->len; c++)
    {
      const SchedDrawCell *cell = g_ptr_array_index (in->cells, c);
      guint *grades = g_hash_table_lookup (cell_of, cell->category);
      if (grades == NULL)
        g_hash_table_insert (cell_of, cell->category, grades = g_new0 (guint, 4));
      grades[cell->grade - 'A'] = c + 1;
      pools[c] = g_array_new (FALSE, FALSE, sizeof (guint));
    }
  for (guint i = 0; i < n; i++)
    {
      const SchedDrawBusiness *b = g_ptr_array_index (order, i);
      for (char **cat = b->categories; b->active && *cat; cat++)
        {
          guint *grades = g_hash_table_lookup (cell_of, *cat);
          if (grades != NULL && grades[b->grade - 'A'] != 0)
            g_array_append_val (pools[grades[b->grade - 'A'] - 1], i);
        }
    }
  guint64 sum = 0;
  for (guint c = 0; c < in->cells->len; c++)
    {
      sched_rng_shuffle (&rng, pools[c]->data, pools[c]->len, sizeof (guint));
      if (pools[c]->len > 0)
        sum += g_array_index (pools[c], guint, 0);
      g_array_unref (pools[c]);
    }
  g_free (pools);
  return sum;
}

static YearResult
run_year (SchedDrawInput *in, guint64 seed)
{
  YearResult r = { 0 };
  guint64 checksum = 0;
  for (guint month = 1; month <= 12; month++)
    {
      g_autoptr (GError) error = NULL;
      in->month = month;
      in->seed = seed + month;
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (SchedDraw) draw = sched_draw_run (in, &error);
      gint64 t1 = g_get_monotonic_time ();
      if (draw == NULL)
        {
          fprintf (stderr, "bench-draw: %s\n", error->message);
          exit (1);
        }
      checksum += baseline_month (in, seed + month);
      gint64 t2 = g_get_monotonic_time ();
      r.draw_s += (double)(t1 - t0) / G_USEC_PER_SEC;
      r.baseline_s += (double)(t2 - t1) / G_USEC_PER_SEC;
      r.tasks += draw->tasks->len;
      for (guint i = 0; i < draw->shortfalls->len; i++)
        r.shortfall += ((SchedDrawShortfall *)g_ptr_array_index (draw->shortfalls, i))->count;
      sched_draw_input_mark_drawn (in, draw);
    }
  if (checksum == G_MAXUINT64)
    printf ("(checksum %" G_GUINT64_FORMAT ")\n", checksum);
  return r;
}

static void
bench (const char *label, const CoreCatalog *catalog, guint businesses, guint labs, guint monthly)
{
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (SchedDemo) demo = sched_demo_generate (catalog, 2024, businesses, labs, &error);
  if (demo == NULL)
    {
      fprintf (stderr, "bench-draw: %s\n", error->message);
      exit (1);
    }
  g_autoptr (SchedDrawInput) in = sched_demo_draw_input (demo, catalog, 2024, 1, 0);
  sched_demo_add_cells (in, monthly);
  double gen_s = (double)(g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  YearResult r = run_year (in, 20240000);
  printf ("%-9s %7u businesses %5u inspectors %3u labs %4u cells  %6u tasks/month\n", label,
          businesses, demo->inspectors->len, labs, in->cells->len, monthly);
  printf ("          generate %.3f s; year: %u tasks, %u short; draw %.3f s (%.1f ms/month), "
          "baseline %.3f s, ratio %.2f\n",
          gen_s, r.tasks, r.shortfall, r.draw_s, r.draw_s * 1000 / 12, r.baseline_s,
          r.draw_s / r.baseline_s);
}

int
main (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  g_autoptr (CoreCatalog) catalog = config ? core_catalog_load (config, &error) : NULL;
  if (catalog == NULL)
    {
      fprintf (stderr, "bench-draw: %s\n", error->message);
      return 1;
    }
  g_autoptr (CoreCatalog) big = sched_demo_scale_catalog (catalog, 100);
  bench ("demo", catalog, 3000, 4, 460);
  bench ("100x", big, 300000, 40, 46000);
  return 0;
}
