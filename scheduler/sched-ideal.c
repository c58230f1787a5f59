/* sched-ideal.c: a consistent ideal table; infeasible targets are refused with
 * their cause rather than fitted badly. */
#include "scheduler/sched-ideal.h"

#include <math.h>
#include <string.h>
#include "core/core-i18n.h"

#define FIT_IPF_ROUNDS 2000
#define FIT_NEWTON_STEPS 200
/* Month sums within this many batches of their totals: far below a batch, so
 * that "within one of the ideal" means within one of the exact targets. */
#define FIT_TOLERANCE SCHED_IDEAL_TOLERANCE

char *
sched_ideal_months_text (guint mask)
{
  GString *out = g_string_new (NULL);
  for (guint m = 0; m < 32; m++)
    {
      if (!(mask & (1u << m)))
        continue;
      guint end = m;
      while (end + 1 < 32 && (mask & (1u << (end + 1))))
        end++;
      g_string_append_printf (out, "%s%u", out->len ? "," : "", m + 1);
      if (end > m)
        g_string_append_printf (out, "-%u", end + 1);
      m = end;
    }
  if (out->len == 0)
    g_string_append (out, "none");
  return g_string_free (out, FALSE);
}

static guint
category_months (guint nm, guint nc, const double *seed, guint c)
{
  guint mask = 0;
  for (guint m = 0; m < nm; m++)
    if (seed[m * nc + c] > 0.0)
      mask |= 1u << m;
  return mask;
}

/* Month set totals for every subset of the @nm months (2^12 at most). */
static gint64 *
set_holds (guint nm, const gint64 *month_totals)
{
  gint64 *hold = g_new0 (gint64, (gsize)1 << nm);
  for (guint set = 1; set < (1u << nm); set++)
    {
      guint low = (guint)__builtin_ctz (set);
      hold[set] = hold[set & (set - 1)] + month_totals[low];
    }
  return hold;
}

/* What the categories confined to each month set need. */
static gint64 *
set_needs (guint nm, guint nc, const gint64 *category_totals, const guint *masks)
{
  gint64 *need = g_new0 (gint64, (gsize)1 << nm);
  for (guint c = 0; c < nc; c++)
    need[masks[c]] += category_totals[c];
  /* Sum over subsets (each set collects what every subset of it needs). */
  for (guint m = 0; m < nm; m++)
    for (guint set = 0; set < (1u << nm); set++)
      if (set & (1u << m))
        need[set] += need[set ^ (1u << m)];
  return need;
}

gboolean
sched_ideal_months_overfull (guint nm, guint nc, const gint64 *month_totals,
                             const gint64 *category_totals, const double *seed, guint *set_out,
                             gint64 *need_out, gint64 *hold_out)
{
  g_return_val_if_fail (nm <= 16, FALSE);
  g_autofree guint *masks = g_new (guint, nc);
  for (guint c = 0; c < nc; c++)
    masks[c] = category_months (nm, nc, seed, c);
  g_autofree gint64 *hold = set_holds (nm, month_totals);
  g_autofree gint64 *need = set_needs (nm, nc, category_totals, masks);
  /* The fewest months first, so that the message names the tightest cause. */
  for (guint size = 0; size <= nm; size++)
    for (guint set = 0; set < (1u << nm); set++)
      if ((guint)__builtin_popcount (set) == size && need[set] > hold[set])
        {
          *set_out = set;
          *need_out = need[set];
          *hold_out = hold[set];
          return TRUE;
        }
  return FALSE;
}

/* Gale's condition over every set of months. */
static gboolean
check_feasible (guint nm, guint nc, const gint64 *month_totals, const gint64 *category_totals,
                const double *seed, const char *const *codes, GError **error)
{
  g_autofree guint *masks = g_new (guint, nc);
  for (guint c = 0; c < nc; c++)
    masks[c] = category_months (nm, nc, seed, c);
  for (guint m = 0; m < nm; m++)
    {
      gboolean any = FALSE;
      for (guint c = 0; c < nc; c++)
        any = any || (category_totals[c] > 0 && (masks[c] & (1u << m)));
      if (month_totals[m] > 0 && !any)
        {
          g_set_error (error, SCHED_ERROR, SCHED_ERROR_INFEASIBLE,
                       "month %u has %" G_GINT64_FORMAT
                       " batches but no category with batches may be sampled in it; widen a "
                       "season or give that month weight 0",
                       m + 1, month_totals[m]);
          return FALSE;
        }
    }
  guint set;
  gint64 need, hold;
  if (!sched_ideal_months_overfull (nm, nc, month_totals, category_totals, seed, &set, &need,
                                    &hold))
    return TRUE;
  g_autoptr (GString) who = g_string_new (NULL);
  for (guint c = 0; c < nc; c++)
    if ((masks[c] & ~set) == 0 && category_totals[c] > 0)
      g_string_append_printf (who, "%s%s", who->len ? ", " : "", codes[c]);
  g_autofree char *months = sched_ideal_months_text (set);
  g_set_error (error, SCHED_ERROR, SCHED_ERROR_INFEASIBLE,
               "seasonal categories %s need %" G_GINT64_FORMAT
               " batches but their months (%s) hold only %" G_GINT64_FORMAT
               "; widen their seasons, lower their weights or minimums, or raise the "
               "weights of those months",
               who->str, need, months, hold);
  return FALSE;
}

/* Cells that every table with these margins leaves empty: when the categories
 * confined to a month set need exactly what those months hold, no other
 * category has room there. Fitting a seed that is positive there would drive
 * those cells towards zero ever more slowly; zeroing them first keeps the
 * fitting fast and exact. Repeats until no set is newly tight. */
static void
zero_forced_cells (guint nm, guint nc, const gint64 *month_totals, const gint64 *category_totals,
                   double *mc)
{
  g_autofree guint *masks = g_new (guint, nc);
  g_autofree gint64 *hold = set_holds (nm, month_totals);
  gboolean changed = TRUE;
  while (changed)
    {
      changed = FALSE;
      for (guint c = 0; c < nc; c++)
        masks[c] = category_months (nm, nc, mc, c);
      g_autofree gint64 *need = set_needs (nm, nc, category_totals, masks);
      for (guint set = 1; set < (1u << nm); set++)
        {
          if (need[set] != hold[set])
            continue;
          for (guint c = 0; c < nc; c++)
            if ((masks[c] & ~set) != 0 && (masks[c] & set) != 0)
              {
                for (guint m = 0; m < nm; m++)
                  if (set & (1u << m))
                    mc[m * nc + c] = 0.0;
                masks[c] &= ~set;
                changed = TRUE;
              }
        }
    }
}

/* One round of proportional fitting: rows, then columns (exact after it).
 * Returns how far the month sums are from their totals. */
static double
ipf_round (guint nm, guint nc, const gint64 *month_totals, const gint64 *category_totals,
           double *mc)
{
  for (guint m = 0; m < nm; m++)
    {
      double s = 0.0;
      for (guint c = 0; c < nc; c++)
        s += mc[m * nc + c];
      if (s > 0.0)
        for (guint c = 0; c < nc; c++)
          mc[m * nc + c] *= (double)month_totals[m] / s;
    }
  for (guint c = 0; c < nc; c++)
    {
      double s = 0.0;
      for (guint m = 0; m < nm; m++)
        s += mc[m * nc + c];
      if (s > 0.0)
        for (guint m = 0; m < nm; m++)
          mc[m * nc + c] *= (double)category_totals[c] / s;
    }
  double err = 0.0;
  for (guint m = 0; m < nm; m++)
    {
      double s = 0.0;
      for (guint c = 0; c < nc; c++)
        s += mc[m * nc + c];
      err = MAX (err, fabs (s - (double)month_totals[m]));
    }
  return err;
}

/* Margins' residuals of x0 × exp(a_m + b_c) into @grad (months, then
 * categories), the table into @x; returns the convex objective
 * sum x - sum R a - sum C b whose minimum has both margins exact. */
static double
newton_eval (guint nm, guint nc, const gint64 *rows, const gint64 *cols, const double *x0,
             const double *ab, double *x, double *grad)
{
  double f = 0.0;
  for (guint k = 0; k < nm + nc; k++)
    {
      double target = k < nm ? (double)rows[k] : (double)cols[k - nm];
      grad[k] = -target;
      f -= target * ab[k];
    }
  for (guint m = 0; m < nm; m++)
    for (guint c = 0; c < nc; c++)
      {
        double v = x0[m * nc + c] > 0.0 ? x0[m * nc + c] * exp (ab[m] + ab[nm + c]) : 0.0;
        x[m * nc + c] = v;
        grad[m] += v;
        grad[nm + c] += v;
        f += v;
      }
  return f;
}

/* Solves h d = -g (n × n, h symmetric positive semi-definite with a small
 * ridge added) by Gaussian elimination with partial pivoting. */
static void
solve_newton_step (guint n, double *h, const double *g, double *d)
{
  for (guint i = 0; i < n; i++)
    {
      h[i * n + i] += 1e-9 * h[i * n + i] + 1e-12;
      d[i] = -g[i];
    }
  for (guint i = 0; i < n; i++)
    {
      guint p = i;
      for (guint r = i + 1; r < n; r++)
        if (fabs (h[r * n + i]) > fabs (h[p * n + i]))
          p = r;
      if (p != i)
        {
          for (guint k = 0; k < n; k++)
            {
              double t = h[i * n + k];
              h[i * n + k] = h[p * n + k];
              h[p * n + k] = t;
            }
          double t = d[i];
          d[i] = d[p];
          d[p] = t;
        }
      if (h[i * n + i] == 0.0)
        continue;
      for (guint r = i + 1; r < n; r++)
        {
          double f = h[r * n + i] / h[i * n + i];
          if (f == 0.0)
            continue;
          for (guint k = i; k < n; k++)
            h[r * n + k] -= f * h[i * n + k];
          d[r] -= f * d[i];
        }
    }
  for (guint i = n; i-- > 0;)
    {
      double s = d[i];
      for (guint k = i + 1; k < n; k++)
        s -= h[i * n + k] * d[k];
      d[i] = h[i * n + i] != 0.0 ? s / h[i * n + i] : 0.0;
    }
}

/* Newton's method on the row and column log-scalings of @mc (the dual of the
 * fitting), with a backtracking line search; converges where proportional
 * fitting slows to a crawl. Leaves the best table found in @mc. */
static void
newton_fit (guint nm, guint nc, const gint64 *rows, const gint64 *cols, double *mc)
{
  guint n = nm + nc;
  g_autofree double *x0 = g_memdup2 (mc, sizeof (double) * nm * nc);
  g_autofree double *x = g_new (double, (gsize)nm *nc);
  g_autofree double *xt = g_new (double, (gsize)nm *nc);
  g_autofree double *ab = g_new0 (double, n);
  g_autofree double *trial = g_new (double, n);
  g_autofree double *grad = g_new (double, n);
  g_autofree double *gt = g_new (double, n);
  g_autofree double *h = g_new (double, (gsize)n *n);
  g_autofree double *d = g_new (double, n);
  double f = newton_eval (nm, nc, rows, cols, x0, ab, x, grad);
  for (int step = 0; step < FIT_NEWTON_STEPS; step++)
    {
      double worst = 0.0, slope = 0.0;
      for (guint k = 0; k < n; k++)
        worst = MAX (worst, fabs (grad[k]));
      if (worst <= FIT_TOLERANCE / 4)
        break;
      memset (h, 0, sizeof (double) * n * n);
      for (guint m = 0; m < nm; m++)
        for (guint c = 0; c < nc; c++)
          {
            double v = x[m * nc + c];
            h[m * n + m] += v;
            h[(nm + c) * n + nm + c] += v;
            h[m * n + nm + c] += v;
            h[(nm + c) * n + m] += v;
          }
      solve_newton_step (n, h, grad, d);
      for (guint k = 0; k < n; k++)
        slope += grad[k] * d[k];
      if (!(slope < 0.0))
        break;
      gboolean moved = FALSE;
      for (double alpha = 1.0; alpha > 1e-12; alpha /= 2)
        {
          for (guint k = 0; k < n; k++)
            trial[k] = ab[k] + alpha * d[k];
          double ft = newton_eval (nm, nc, rows, cols, x0, trial, xt, gt);
          if (ft <= f + 1e-4 * alpha * slope)
            {
              memcpy (ab, trial, sizeof (double) * n);
              memcpy (x, xt, sizeof (double) * nm * nc);
              memcpy (grad, gt, sizeof (double) * n);
              f = ft;
              moved = TRUE;
              break;
            }
        }
      if (!moved)
        break;
    }
  memcpy (mc, x, sizeof (double) * nm * nc);
}

gboolean
sched_ideal_fit_months (guint nm, guint nc, const gint64 *month_totals,
                        const gint64 *category_totals, const double *seed, const char *const *codes,
                        double *mc_out, GError **error)
{
  g_return_val_if_fail (nm <= 16, FALSE);
  if (!check_feasible (nm, nc, month_totals, category_totals, seed, codes, error))
    return FALSE;
  gint64 total = 0;
  for (guint m = 0; m < nm; m++)
    total += month_totals[m];
  for (guint i = 0; i < nm * nc; i++)
    mc_out[i] = seed[i];
  for (guint c = 0; c < nc; c++)
    if (category_totals[c] == 0)
      for (guint m = 0; m < nm; m++)
        mc_out[m * nc + c] = 0.0;
  zero_forced_cells (nm, nc, month_totals, category_totals, mc_out);

  double err = INFINITY;
  int round = 0;
  for (; round < FIT_IPF_ROUNDS && err > FIT_TOLERANCE; round++)
    err = ipf_round (nm, nc, month_totals, category_totals, mc_out);
  if (err > FIT_TOLERANCE)
    {
      /* Little room left somewhere (a month nearly filled by the categories
       * confined to it): proportional fitting crawls, Newton does not. */
      newton_fit (nm, nc, month_totals, category_totals, mc_out);
      for (int more = 0; more < 10; more++, round++)
        err = ipf_round (nm, nc, month_totals, category_totals, mc_out);
    }
  if (err > FIT_TOLERANCE)
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INFEASIBLE,
                   _ ("month × category fitting did not converge (month totals off by %g after %d "
                      "rounds); the seasons leave almost no room: widen a season or lower a "
                      "seasonal category's weight"),
                   err, round);
      return FALSE;
    }
  return TRUE;
}

gboolean
sched_ideal_split_grades (guint nm, guint nc, guint ng, const double *mc,
                          const gint64 *category_totals, const double *pools,
                          const char *const *codes, double *ideal_out, GError **error)
{
  for (guint c = 0; c < nc; c++)
    {
      double pool = 0.0;
      for (guint g = 0; g < ng; g++)
        pool += pools[c * ng + g];
      if (category_totals[c] > 0 && !(pool > 0.0))
        {
          g_set_error (error, SCHED_ERROR, SCHED_ERROR_INFEASIBLE,
                       "category %s has %" G_GINT64_FORMAT
                       " batches but no business of any risk grade to sample; load businesses "
                       "handling it into the registry or give it weight 0 and minimum 0",
                       codes[c], category_totals[c]);
          return FALSE;
        }
      for (guint m = 0; m < nm; m++)
        for (guint g = 0; g < ng; g++)
          ideal_out[(m * nc + c) * ng + g]
              = pool > 0.0 ? mc[m * nc + c] * pools[c * ng + g] / pool : 0.0;
    }
  return TRUE;
}
