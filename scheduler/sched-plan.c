/* sched-plan.c: the annual plan from its inputs, and the mid-year rebalance
 * that re-spreads what is left over the remaining months. */
#include "scheduler/sched-plan.h"

#include "scheduler/sched-ideal.h"
#include "scheduler/sched-round.h"

#include <math.h>
#include <string.h>
#include "core/core-i18n.h"

gint64
sched_plan_reserve (const SchedPlanInput *in)
{
  return sched_apportion_part (in->total, in->reserve_share);
}

gboolean
sched_plan_targets (const SchedPlanInput *in, gint64 *reserve, gint64 *month_totals,
                    gint64 *category_totals, GError **error)
{
  *reserve = sched_plan_reserve (in);
  gint64 cells_total = in->total - *reserve;
  if (!sched_apportion_largest_remainder (cells_total, in->month_weights, NULL, in->n_months,
                                          month_totals, error))
    {
      g_prefix_error (error, _ ("month totals: "));
      return FALSE;
    }
  if (!sched_apportion_largest_remainder (cells_total, in->category_weights, in->minimums,
                                          in->n_categories, category_totals, error))
    {
      g_prefix_error (error, _ ("category totals: "));
      return FALSE;
    }
  return TRUE;
}

static SchedPlan *
plan_new (const SchedPlanInput *in)
{
  SchedPlan *plan = g_new0 (SchedPlan, 1);
  gsize n = (gsize)in->n_months * in->n_categories * in->n_grades;
  plan->year = in->year;
  plan->total = in->total;
  plan->n_months = in->n_months;
  plan->n_categories = in->n_categories;
  plan->n_grades = in->n_grades;
  plan->category_codes = g_strdupv (in->codes);
  plan->month_totals = g_new0 (gint64, in->n_months);
  plan->category_totals = g_new0 (gint64, in->n_categories);
  plan->grade_totals = g_new0 (gint64, in->n_grades);
  plan->cells = g_new0 (gint64, n);
  plan->ideal = g_new0 (double, n);
  plan->from_month = 1;
  plan->optimum_proven = TRUE;
  plan->input = sched_plan_input_copy (in);
  return plan;
}

void
sched_plan_free (SchedPlan *plan)
{
  if (plan == NULL)
    return;
  g_strfreev (plan->category_codes);
  g_free (plan->month_totals);
  g_free (plan->category_totals);
  g_free (plan->grade_totals);
  g_free (plan->cells);
  g_free (plan->ideal);
  sched_balance_free (plan->balance);
  sched_balance_free (plan->independent);
  sched_plan_input_free (plan->input);
  g_free (plan);
}

/* Ideal table and its controlled rounding for given margins over @nm months. */
static gboolean
solve_table (guint nm, guint nc, guint ng, const gint64 *month_totals,
             const gint64 *category_totals, const double *seed, const double *pools,
             const char *const *codes, double seconds, double *ideal, gint64 *cells,
             SchedPlan *plan, GError **error)
{
  g_autofree double *mc = g_new (double, (gsize)nm *nc);
  SchedRoundResult result;
  if (!sched_ideal_fit_months (nm, nc, month_totals, category_totals, seed, codes, mc, error)
      || !sched_ideal_split_grades (nm, nc, ng, mc, category_totals, pools, codes, ideal, error)
      || !sched_round_controlled (nm, nc, ng, ideal, month_totals, category_totals, seconds, cells,
                                  &result, error))
    return FALSE;
  plan->optimum_proven = result.proven;
  plan->deviation_bound = result.lower_bound;
  return TRUE;
}

/* Totals and balance figures from the cells and the ideal. */
static void
plan_finish (SchedPlan *plan)
{
  guint nm = plan->n_months, nc = plan->n_categories, ng = plan->n_grades;
  gsize n = (gsize)nm * nc * ng;
  g_autofree gint64 *plain = g_new (gint64, n);
  memset (plan->month_totals, 0, sizeof (gint64) * nm);
  memset (plan->category_totals, 0, sizeof (gint64) * nc);
  memset (plan->grade_totals, 0, sizeof (gint64) * ng);
  for (guint m = 0; m < nm; m++)
    for (guint c = 0; c < nc; c++)
      for (guint g = 0; g < ng; g++)
        {
          gint64 v = plan->cells[((gsize)m * nc + c) * ng + g];
          plan->month_totals[m] += v;
          plan->category_totals[c] += v;
          plan->grade_totals[g] += v;
        }
  plan->balance = sched_balance_compute (nm, nc, ng, plan->ideal, plan->cells);
  sched_round_independent (n, plan->ideal, plain);
  plan->independent = sched_balance_compute (nm, nc, ng, plan->ideal, plain);
  plan->within_one = plan->balance->misses->len == 0;
  plan->max_deviation = 0.0;
  for (int k = SCHED_TOTAL_CELL; k <= SCHED_TOTAL_GRADE; k++)
    plan->max_deviation = MAX (plan->max_deviation, plan->balance->max_deviation[k]);
  if (plan->optimum_proven)
    plan->deviation_bound = plan->max_deviation;
}

SchedPlan *
sched_plan_build (const SchedPlanInput *in, GError **error)
{
  if (in->total != 0 && !sched_plan_config_check_total (in->total, error))
    return NULL;
  g_autoptr (SchedPlan) plan = plan_new (in);
  g_autofree gint64 *months = g_new (gint64, in->n_months);
  g_autofree gint64 *cats = g_new (gint64, in->n_categories);
  if (!sched_plan_targets (in, &plan->reserve, months, cats, error)
      || !solve_table (in->n_months, in->n_categories, in->n_grades, months, cats, in->seed,
                       in->pools, (const char *const *)in->codes, in->solver_seconds, plan->ideal,
                       plan->cells, plan, error))
    return NULL;
  plan_finish (plan);
  return g_steal_pointer (&plan);
}

SchedPlan *
sched_plan_build_from_config (const CoreConfig *config, int year, gint64 total_override,
                              const SchedGradeCounts *counts, GError **error)
{
  g_autoptr (SchedPlanInput) in
      = sched_plan_input_from_config (config, year, total_override, counts, error);
  return in ? sched_plan_build (in, error) : NULL;
}

SchedPlan *
sched_plan_rebalance (const SchedPlan *old, int from_month, const gint64 *done_cells,
                      GError **error)
{
  const SchedPlanInput *in = old->input;
  guint nm = old->n_months, nc = old->n_categories, ng = old->n_grades;
  if (from_month < 1 || from_month > (int)nm)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                   _ ("cannot rebalance from month %d; choose a month from 1 to %u"), from_month,
                   nm);
      return NULL;
    }
  guint past = (guint)from_month - 1, rest_m = nm - past;
  g_autoptr (SchedPlan) plan = plan_new (in);
  plan->reserve = old->reserve;
  plan->from_month = from_month;

  /* Past months: what was done, which is also their ideal. */
  g_autofree gint64 *done_cg = g_new0 (gint64, (gsize)nc * ng);
  gint64 done = 0;
  for (guint m = 0; m < past; m++)
    for (guint c = 0; c < nc; c++)
      for (guint g = 0; g < ng; g++)
        {
          gsize i = ((gsize)m * nc + c) * ng + g;
          gint64 v = done_cells ? done_cells[i] : 0;
          if (v < 0)
            {
              g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                           _ ("done batches for month %u, category %s, grade %c are negative"),
                           m + 1, old->category_codes[c], SCHED_GRADE_LETTERS[g % 4]);
              return NULL;
            }
          plan->cells[i] = v;
          plan->ideal[i] = (double)v;
          done_cg[c * ng + g] += v;
          done += v;
        }
  gint64 left = old->total - old->reserve - done;
  if (left < 0)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                   "%" G_GINT64_FORMAT " batches are done, more than the %" G_GINT64_FORMAT
                   " the plan holds; raise the plan's total before rebalancing",
                   done, old->total - old->reserve);
      return NULL;
    }

  /* What each category and category × grade has left, never below zero. */
  g_autofree double *cat_left = g_new0 (double, nc);
  g_autofree double *pools = g_new0 (double, (gsize)nc *ng);
  for (guint c = 0; c < nc; c++)
    {
      double pool = 0.0;
      for (guint g = 0; g < ng; g++)
        {
          gint64 planned = 0;
          for (guint m = 0; m < nm; m++)
            planned += old->cells[((gsize)m * nc + c) * ng + g];
          gint64 rest = in->pools[c * ng + g] > 0.0 ? planned - done_cg[c * ng + g] : 0;
          pools[c * ng + g] = (double)MAX (rest, 0);
          pool += pools[c * ng + g];
        }
      if (!(pool > 0.0))
        for (guint g = 0; g < ng; g++)
          pools[c * ng + g] = in->pools[c * ng + g];
      gint64 done_c = 0;
      for (guint g = 0; g < ng; g++)
        done_c += done_cg[c * ng + g];
      cat_left[c] = (double)MAX (old->category_totals[c] - done_c, 0);
    }

  g_autofree gint64 *months = g_new0 (gint64, rest_m);
  g_autofree gint64 *cats = g_new0 (gint64, nc);
  g_autofree double *seed = g_new (double, (gsize)rest_m *nc);
  g_autofree double *ideal = g_new0 (double, (gsize)rest_m *nc *ng);
  g_autofree gint64 *cells = g_new0 (gint64, (gsize)rest_m * nc * ng);
  memcpy (seed, in->seed + (gsize)past * nc, sizeof (double) * rest_m * nc);
  double cat_left_sum = 0.0;
  for (guint c = 0; c < nc; c++)
    cat_left_sum += cat_left[c];
  if (left > 0
      && (!sched_apportion_largest_remainder (left, in->month_weights + past, NULL, rest_m, months,
                                              error)
          || !sched_apportion_largest_remainder (
              left, cat_left_sum > 0.0 ? cat_left : in->category_weights, NULL, nc, cats, error)
          || !solve_table (rest_m, nc, ng, months, cats, seed, pools,
                           (const char *const *)old->category_codes, in->solver_seconds, ideal,
                           cells, plan, error)))
    {
      g_prefix_error (error, _ ("rebalance from month %d: "), from_month);
      return NULL;
    }
  memcpy (plan->cells + (gsize)past * nc * ng, cells, sizeof (gint64) * rest_m * nc * ng);
  memcpy (plan->ideal + (gsize)past * nc * ng, ideal, sizeof (double) * rest_m * nc * ng);
  plan_finish (plan);
  return g_steal_pointer (&plan);
}

gint64
sched_plan_cell (const SchedPlan *plan, guint month, guint c, guint g)
{
  g_return_val_if_fail (month >= 1 && month <= plan->n_months, 0);
  g_return_val_if_fail (c < plan->n_categories && g < plan->n_grades, 0);
  return plan->cells[((gsize)(month - 1) * plan->n_categories + c) * plan->n_grades + g];
}

char *
sched_plan_to_csv (const SchedPlan *plan)
{
  GString *out = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append_printf (out,
                          "year,%d\ntotal,%" G_GINT64_FORMAT "\nreserve,%" G_GINT64_FORMAT
                          "\nfrom_month,%d\nwithin_one,%s\n",
                          plan->year, plan->total, plan->reserve, plan->from_month,
                          plan->within_one ? "yes" : "no");
  if (!plan->optimum_proven)
    g_string_append (out, "optimum,not proven\n");
  g_string_append (out, "month,category,grade,batches,ideal\n");
  for (guint m = 0; m < plan->n_months; m++)
    for (guint c = 0; c < plan->n_categories; c++)
      for (guint g = 0; g < plan->n_grades; g++)
        {
          gsize i = ((gsize)m * plan->n_categories + c) * plan->n_grades + g;
          g_string_append_printf (out, "%u,%s,%c,%" G_GINT64_FORMAT ",%s\n", m + 1,
                                  plan->category_codes[c], g < 4 ? SCHED_GRADE_LETTERS[g] : '?',
                                  plan->cells[i],
                                  g_ascii_formatd (buf, sizeof buf, "%.6f", plan->ideal[i]));
        }
  return g_string_free (out, FALSE);
}
