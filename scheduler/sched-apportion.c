/* sched-apportion.c: largest remainder with minimums (water filling) and
 * Huntington–Hill; the tie-breaks are part of the plan's reproducibility. */
#include "scheduler/sched-apportion.h"

#include <math.h>

G_DEFINE_QUARK (sched - error - quark, sched_error)

typedef struct
{
  double remainder;
  double weight;
  gsize index;
} Rank;

/* Larger remainder first, then larger weight, then lower index. */
static int
rank_compare (gconstpointer pa, gconstpointer pb)
{
  const Rank *a = pa, *b = pb;
  if (a->remainder != b->remainder)
    return a->remainder > b->remainder ? -1 : 1;
  if (a->weight != b->weight)
    return a->weight > b->weight ? -1 : 1;
  return a->index < b->index ? -1 : (a->index > b->index ? 1 : 0);
}

/* Real shares q_i = max(min_i, lambda * w_i) summing to @total. */
static gboolean
water_fill (gint64 total, const double *weights, const gint64 *minimums, gsize n, double *q,
            GError **error)
{
  g_autofree gboolean *fixed = g_new0 (gboolean, n);
  for (gsize i = 0; i < n; i++)
    fixed[i] = weights[i] == 0.0;
  for (;;)
    {
      gint64 rest = total;
      double free_weight = 0.0;
      for (gsize i = 0; i < n; i++)
        {
          if (fixed[i])
            rest -= minimums ? minimums[i] : 0;
          else
            free_weight += weights[i];
        }
      if (free_weight == 0.0)
        {
          if (rest != 0)
            {
              g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                           "every weight is zero, so %" G_GINT64_FORMAT
                           " batches cannot be shared out; give at least one a positive weight",
                           rest);
              return FALSE;
            }
          for (gsize i = 0; i < n; i++)
            q[i] = minimums ? (double)minimums[i] : 0.0;
          return TRUE;
        }
      gboolean changed = FALSE;
      for (gsize i = 0; i < n; i++)
        {
          if (fixed[i])
            {
              q[i] = minimums ? (double)minimums[i] : 0.0;
              continue;
            }
          q[i] = (double)rest * weights[i] / free_weight;
          if (minimums && q[i] < (double)minimums[i])
            {
              fixed[i] = TRUE;
              changed = TRUE;
            }
        }
      if (!changed)
        return TRUE;
    }
}

gboolean
sched_apportion_largest_remainder (gint64 total, const double *weights, const gint64 *minimums,
                                   gsize n, gint64 *out, GError **error)
{
  gint64 min_sum = 0;
  if (total < 0 || n == 0)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                   "cannot share %" G_GINT64_FORMAT " batches among %" G_GSIZE_FORMAT " parts",
                   total, n);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (weights[i]) || weights[i] < 0.0)
        {
          g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                       "weight %" G_GSIZE_FORMAT " is %g; weights must be zero or positive", i + 1,
                       weights[i]);
          return FALSE;
        }
      if (minimums && minimums[i] < 0)
        {
          g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                       "minimum %" G_GSIZE_FORMAT " is negative", i + 1);
          return FALSE;
        }
      min_sum += minimums ? minimums[i] : 0;
    }
  if (min_sum > total)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                   "the minimums add up to %" G_GINT64_FORMAT
                   ", more than the total %" G_GINT64_FORMAT
                   "; lower the minimums or raise the total",
                   min_sum, total);
      return FALSE;
    }
  g_autofree double *q = g_new (double, n);
  if (!water_fill (total, weights, minimums, n, q, error))
    return FALSE;

  g_autofree Rank *ranks = g_new (Rank, n);
  gint64 given = 0;
  for (gsize i = 0; i < n; i++)
    {
      double f = floor (q[i]);
      out[i] = (gint64)f;
      if (minimums && out[i] < minimums[i])
        out[i] = minimums[i]; /* q_i >= min_i; guards a rounding hair below it */
      ranks[i] = (Rank){ .remainder = q[i] - (double)out[i], .weight = weights[i], .index = i };
      given += out[i];
    }
  qsort (ranks, n, sizeof *ranks, rank_compare);
  /* The shares sum to total, so 0 <= total - given < n up to rounding of the
   * doubles; the second loop only undoes such a hair from the smallest
   * remainders, never below a minimum. */
  for (gsize k = 0; given < total; k = (k + 1) % n)
    if (weights[ranks[k].index] > 0.0)
      {
        out[ranks[k].index]++;
        given++;
      }
  for (gsize k = n; given > total; k = k == 1 ? n : k - 1)
    {
      gsize i = ranks[k - 1].index;
      if (out[i] > (minimums ? minimums[i] : 0))
        {
          out[i]--;
          given--;
        }
    }
  return TRUE;
}

gboolean
sched_apportion_huntington_hill (gint64 seats, const double *populations, gsize n, gint64 *out,
                                 GError **error)
{
  if (n == 0 || seats < (gint64)n)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                   "Huntington–Hill gives every part one seat first: %" G_GINT64_FORMAT
                   " seats are too few for %" G_GSIZE_FORMAT " parts",
                   seats, n);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (populations[i]) || populations[i] <= 0.0)
        {
          g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                       "population %" G_GSIZE_FORMAT " is %g; it must be positive", i + 1,
                       populations[i]);
          return FALSE;
        }
      out[i] = 1;
    }
  /* A linear scan per seat is fine for the sizes a plan has (tens of parts). */
  for (gint64 s = (gint64)n; s < seats; s++)
    {
      gsize best = 0;
      double best_priority = -1.0;
      for (gsize i = 0; i < n; i++)
        {
          double nn = (double)out[i];
          double priority = populations[i] / sqrt (nn * (nn + 1.0));
          if (priority > best_priority)
            {
              best_priority = priority;
              best = i;
            }
        }
      out[best]++;
    }
  return TRUE;
}
