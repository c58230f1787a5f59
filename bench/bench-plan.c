/* bench-plan.c: time of annual plan generation for the Nankai 2024 defaults and
 * for synthetic 34 × 4 × 12 configurations of growing totals, by stage, and
 * for full-size tables with no within-one rounding, against plain independent
 * rounding of the same table measured in the same run. */
#include "scheduler/sched-ideal.h"
#include "scheduler/sched-plan.h"
#include "scheduler/sched-round.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  double targets_ideal; /* seconds: apportionment, fitting, grade split */
  double controlled;    /* seconds: the GLPK controlled rounding */
  double independent;   /* seconds: plain rounding of the same table */
  double build;         /* seconds: sched_plan_build end to end */
  gboolean within_one;
  double max_dev, max_dev_plain;
} Timing;

static double
now (void)
{
  return (double)g_get_monotonic_time () / 1e6;
}

/* Best of @reps runs of each stage (best-of damps noise from other processes). */
static gboolean
time_input (const SchedPlanInput *in, int reps, Timing *t, GError **error)
{
  guint nm = in->n_months, nc = in->n_categories, ng = in->n_grades;
  gsize n = (gsize)nm * nc * ng;
  g_autofree gint64 *months = g_new (gint64, nm);
  g_autofree gint64 *cats = g_new (gint64, nc);
  g_autofree double *mc = g_new (double, (gsize)nm *nc);
  g_autofree double *ideal = g_new (double, n);
  g_autofree gint64 *cells = g_new (gint64, n);
  g_autofree gint64 *plain = g_new (gint64, n);
  const char *const *codes = (const char *const *)in->codes;
  *t = (Timing){ G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE, FALSE, 0, 0 };
  for (int r = 0; r < reps; r++)
    {
      gint64 reserve;
      SchedRoundResult res;
      double t0 = now ();
      if (!sched_plan_targets (in, &reserve, months, cats, error)
          || !sched_ideal_fit_months (nm, nc, months, cats, in->seed, codes, mc, error)
          || !sched_ideal_split_grades (nm, nc, ng, mc, cats, in->pools, codes, ideal, error))
        return FALSE;
      double t1 = now ();
      if (!sched_round_controlled (nm, nc, ng, ideal, months, cats, in->solver_seconds, cells, &res,
                                   error))
        return FALSE;
      double t2 = now ();
      for (int k = 0; k < 100; k++) /* too fast to time once */
        sched_round_independent (n, ideal, plain);
      double t3 = now ();
      g_autoptr (SchedPlan) plan = sched_plan_build (in, error);
      if (plan == NULL)
        return FALSE;
      double t4 = now ();
      t->targets_ideal = MIN (t->targets_ideal, t1 - t0);
      t->controlled = MIN (t->controlled, t2 - t1);
      t->independent = MIN (t->independent, (t3 - t2) / 100.0);
      t->build = MIN (t->build, t4 - t3);
      t->within_one = plan->within_one;
      t->max_dev = plan->max_deviation;
      t->max_dev_plain = 0.0;
      for (int k = SCHED_TOTAL_CELL; k < SCHED_N_TOTAL_KINDS; k++)
        t->max_dev_plain = MAX (t->max_dev_plain, plan->independent->max_deviation[k]);
    }
  return TRUE;
}

/* 34 categories, 4 grades, 12 months shaped like the Nankai defaults: one
 * large category, a summer-only one, a boosted festival, empty grade pools. */
static SchedPlanInput *
synthetic_input (gint64 total, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  SchedPlanInput *in = sched_plan_input_new (2024, total, 12, 34, 4);
  for (guint c = 0; c < 34; c++)
    {
      in->category_weights[c] = c == 32 ? 1800.0 : g_rand_double_range (rand, 10, 200);
      in->minimums[c] = 12;
      for (guint g = 0; g < 4; g++)
        in->pools[c * 4 + g] = g_rand_int_range (rand, 0, 6) == 0
                                   ? 0.0
                                   : (double)g_rand_int_range (rand, 1, 500) * (g + 1);
      in->pools[c * 4 + 1] += 1.0;
    }
  for (guint m = 0; m < 12; m++)
    {
      in->seed[m * 34 + 9] = (m >= 4 && m <= 8) ? 1.0 : 0.0; /* frozen drinks May-Sep */
      if (m == 7 || m == 8)
        in->seed[m * 34 + 23] = 3.0; /* mooncakes */
    }
  g_rand_free (rand);
  return in;
}

/* A full-size 12 × 34 × 4 table without a within-one rounding: months 1-2 ×
 * categories 01-02 hold an odd cycle of half batches in grades C and D, which
 * nothing else uses (grade C needs a + d = 1, grade D b + c = 1, while the
 * month and category totals force b = c); months 3-12 × categories 03-34 are
 * random quarters in grades A and B with whole month and category totals. */
static void
hard_table (guint32 seed, double *ideal, gint64 *months, gint64 *cats)
{
  const guint nm = 12, nc = 34, ng = 4;
  GRand *rand = g_rand_new_with_seed (seed);
  gint64 *q = g_new0 (gint64, (gsize)nm * nc * ng);
  for (guint m = 2; m < nm; m++)
    for (guint c = 2; c < nc; c++)
      for (guint g = 0; g < 2; g++)
        q[(m * nc + c) * ng + g]
            = g_rand_int_range (rand, 0, 3) == 0 ? 0 : g_rand_int_range (rand, 1, 40);
  /* Whole totals: top up each month in its last category, each category in
   * the last month, the last month in its last cell. */
  for (guint m = 2; m + 1 < nm; m++)
    {
      gint64 s = 0;
      for (guint i = m * nc * ng; i < (m + 1) * nc * ng; i++)
        s += q[i];
      q[(m * nc + nc - 1) * ng] += (4 - s % 4) % 4;
    }
  for (guint c = 2; c + 1 < nc; c++)
    {
      gint64 s = 0;
      for (guint m = 0; m < nm; m++)
        for (guint g = 0; g < ng; g++)
          s += q[(m * nc + c) * ng + g];
      q[((nm - 1) * nc + c) * ng] += (4 - s % 4) % 4;
    }
  gint64 last = 0;
  for (guint i = (nm - 1) * nc * ng; i < nm * nc * ng; i++)
    last += q[i];
  q[((nm - 1) * nc + nc - 1) * ng] += (4 - last % 4) % 4;
  /* a = (1,01,C), b = (1,02,D), c = (2,01,D), d = (2,02,C), each a half. */
  q[(0 * nc + 0) * ng + 2] = q[(0 * nc + 1) * ng + 3] = 2;
  q[(1 * nc + 0) * ng + 3] = q[(1 * nc + 1) * ng + 2] = 2;
  memset (months, 0, sizeof (gint64) * nm);
  memset (cats, 0, sizeof (gint64) * nc);
  for (guint m = 0; m < nm; m++)
    for (guint c = 0; c < nc; c++)
      for (guint g = 0; g < ng; g++)
        {
          gint64 v = q[(m * nc + c) * ng + g];
          ideal[(m * nc + c) * ng + g] = (double)v / 4.0;
          months[m] += v;
          cats[c] += v;
        }
  for (guint m = 0; m < nm; m++)
    months[m] /= 4;
  for (guint c = 0; c < nc; c++)
    cats[c] /= 4;
  g_free (q);
  g_rand_free (rand);
}

/* The hard tables: time of the rounding (one run each, it is long) against
 * plain independent rounding of the same table. */
static gboolean
bench_hard (double seconds, GError **error)
{
  const guint nm = 12, nc = 34, ng = 4;
  gsize n = (gsize)nm * nc * ng;
  g_autofree double *ideal = g_new (double, n);
  g_autofree gint64 *months = g_new (gint64, nm);
  g_autofree gint64 *cats = g_new (gint64, nc);
  g_autofree gint64 *cells = g_new (gint64, n);
  g_autofree gint64 *plain = g_new (gint64, n);
  printf ("\nhard tables (no within-one rounding), time limit %g s\n", seconds);
  printf ("%-22s %10s %10s %10s %7s %7s %7s\n", "table", "glpk", "plain", "ratio", "proven",
          "maxdev", "bound");
  for (guint32 seed = 1; seed <= 3; seed++)
    {
      hard_table (seed, ideal, months, cats);
      SchedRoundResult res;
      double t0 = now ();
      if (!sched_round_controlled (nm, nc, ng, ideal, months, cats, seconds, cells, &res, error))
        return FALSE;
      double t1 = now ();
      for (int k = 0; k < 100; k++)
        sched_round_independent (n, ideal, plain);
      double t2 = now ();
      double base = MAX ((t2 - t1) / 100.0, 1e-9);
      printf ("hard seed %-12u %10.3f %10.6f %9.0fx %7s %7.3f %7.3f\n", seed, t1 - t0, base,
              (t1 - t0) / base, res.proven ? "yes" : "no", res.max_deviation, res.lower_bound);
    }
  return TRUE;
}

static void
print_row (const char *name, gint64 total, const Timing *t)
{
  printf ("%-22s %9" G_GINT64_FORMAT " %10.4f %10.4f %10.6f %10.4f %9.0fx %6s %7.3f %7.3f\n", name,
          total, t->targets_ideal, t->controlled, t->independent, t->build,
          t->build / MAX (t->independent, 1e-9), t->within_one ? "yes" : "no", t->max_dev,
          t->max_dev_plain);
}

int
main (int argc, char **argv)
{
  int reps = argc > 1 ? atoi (argv[1]) : 3;
  double hard_seconds = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 600.0;
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  if (config == NULL)
    {
      fprintf (stderr, "bench-plan: %s\n", error->message);
      return 1;
    }
  g_autoptr (SchedPlanInput) nankai = sched_plan_input_from_config (config, 2024, 0, NULL, &error);
  if (nankai == NULL)
    {
      fprintf (stderr, "bench-plan: %s\n", error->message);
      return 1;
    }
  printf ("best of %d runs; seconds per stage; ratio = whole build / independent rounding\n", reps);
  printf ("%-22s %9s %10s %10s %10s %10s %10s %6s %7s %7s\n", "config", "batches", "ideal", "glpk",
          "plain", "build", "ratio", "within", "maxdev", "plain");
  Timing t;
  if (!time_input (nankai, reps, &t, &error))
    {
      fprintf (stderr, "bench-plan: Nankai 2024: %s\n", error->message);
      return 1;
    }
  print_row ("Nankai 2024", nankai->total, &t);
  const gint64 totals[] = { 10000, 100000, 1000000, 10000000 };
  double base = 0.0;
  for (gsize i = 0; i < G_N_ELEMENTS (totals); i++)
    {
      for (guint32 seed = 1; seed <= 3; seed++)
        {
          g_autoptr (SchedPlanInput) in = synthetic_input (totals[i], seed);
          g_autofree char *name = g_strdup_printf ("synthetic seed %u", seed);
          if (!time_input (in, reps, &t, &error))
            {
              fprintf (stderr, "bench-plan: %s: %s\n", name, error->message);
              return 1;
            }
          print_row (name, totals[i], &t);
          if (i == 0 && seed == 1)
            base = t.build;
          else if (seed == 1)
            printf ("%-22s build time x%.2f for x%" G_GINT64_FORMAT " batches\n", "",
                    t.build / base, totals[i] / totals[0]);
        }
    }
  if (hard_seconds > 0.0 && !bench_hard (hard_seconds, &error))
    {
      fprintf (stderr, "bench-plan: hard table: %s\n", error->message);
      return 1;
    }
  return 0;
}
