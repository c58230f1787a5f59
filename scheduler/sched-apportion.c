/* sched-apportion.c: largest remainder with minimums (water filling) and
 * Huntington–Hill; the tie-breaks are part of the plan's reproducibility. */
#include "scheduler/sched-apportion.h"

#include "scheduler/sched-exact-private.h"

#include <math.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (sched - error - quark, sched_error)

typedef struct
{
  SchedInt128 remainder; /* over the common denominator of this apportionment */
  SchedInt128 weight;
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

static gboolean
too_large (GError **error)
{
  g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
               _ ("the total and the weights are too large or too far apart in size to share "
                  "out exactly; use weights with fewer digits or a smaller total"));
  return FALSE;
}

/* a * b, FALSE on overflow. */
static gboolean
mul_ok (SchedInt128 a, SchedInt128 b, SchedInt128 *out)
{
  return !__builtin_mul_overflow (a, b, out);
}

/* Water filling in integers: shares q_i = max(min_i, rest * w_i / F) where
 * rest and F run over the parts above their minimum. Sets @fixed (at its
 * minimum), @rest and @free_weight. */
static gboolean
water_fill (gint64 total, const SchedInt128 *w, const gint64 *minimums, gsize n, gboolean *fixed,
            gint64 *rest_out, SchedInt128 *free_out, GError **error)
{
  for (gsize i = 0; i < n; i++)
    fixed[i] = w[i] == 0;
  for (;;)
    {
      gint64 rest = total;
      SchedInt128 free_weight = 0;
      for (gsize i = 0; i < n; i++)
        {
          if (fixed[i])
            rest -= minimums ? minimums[i] : 0;
          else if (__builtin_add_overflow (free_weight, w[i], &free_weight))
            return too_large (error);
        }
      *rest_out = rest;
      *free_out = free_weight;
      if (free_weight == 0)
        {
          if (rest != 0)
            {
              g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                           "every weight is zero, so %" G_GINT64_FORMAT
                           " batches cannot be shared out; give at least one a positive weight",
                           rest);
              return FALSE;
            }
          return TRUE;
        }
      gboolean changed = FALSE;
      for (gsize i = 0; minimums && i < n; i++)
        {
          SchedInt128 share, need;
          if (fixed[i])
            continue;
          if (!mul_ok (rest, w[i], &share) || !mul_ok (minimums[i], free_weight, &need))
            return too_large (error);
          if (share < need)
            fixed[i] = changed = TRUE;
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
      if (minimums && __builtin_add_overflow (min_sum, minimums[i], &min_sum))
        min_sum = G_MAXINT64;
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
  g_autofree SchedInt128 *w = g_new (SchedInt128, n);
  g_autofree gboolean *fixed = g_new (gboolean, n);
  gint64 rest;
  SchedInt128 free_weight;
  if (!sched_decimal_common_scale (weights, n, w))
    return too_large (error);
  if (!water_fill (total, w, minimums, n, fixed, &rest, &free_weight, error))
    return FALSE;

  g_autofree Rank *ranks = g_new (Rank, n);
  gsize n_ranks = 0;
  gint64 given = 0;
  for (gsize i = 0; i < n; i++)
    {
      if (fixed[i])
        out[i] = minimums ? minimums[i] : 0;
      else
        {
          SchedInt128 share;
          if (!mul_ok (rest, w[i], &share))
            return too_large (error);
          out[i] = (gint64)(share / free_weight);
          ranks[n_ranks++] = (Rank){ .remainder = share % free_weight, .weight = w[i], .index = i };
        }
      given += out[i];
    }
  /* The exact shares add up to total, so total - given is the sum of the
   * remainders over free_weight: fewer than the parts with a remainder. */
  qsort (ranks, n_ranks, sizeof *ranks, rank_compare);
  for (gsize k = 0; given < total; k++)
    {
      g_assert (k < n_ranks && ranks[k].remainder > 0);
      out[ranks[k].index]++;
      given++;
    }
  return TRUE;
}

gint64
sched_apportion_part (gint64 total, double share)
{
  SchedDecimal d = sched_decimal_from_double (share);
  if (total <= 0 || d.mantissa == 0 || !(share < 1.0))
    return total > 0 && share >= 1.0 ? total : 0;
  if (d.exponent >= 0 || -d.exponent > 38)
    return 0; /* share >= 1 is excluded above; below 1e-38 of at most 2^63 is nothing */
  SchedInt128 denominator = 1;
  for (int k = 0; k < -d.exponent; k++)
    denominator *= 10;
  /* total × mantissa < 2^63 × 10^17 < 2^120 */
  SchedInt128 q = (SchedInt128)total * d.mantissa;
  gint64 part = (gint64)(q / denominator);
  SchedInt128 r = q % denominator, twice = 2 * r;
  if (twice > denominator || (twice == denominator && 2 * (SchedInt128)d.mantissa > denominator))
    part++;
  return part;
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
