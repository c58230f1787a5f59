/* sched-ideal.c: a consistent ideal table; infeasible targets are refused with
 * their cause rather than fitted badly. */
#include "scheduler/sched-ideal.h"

#include <math.h>

#define FIT_MAX_ROUNDS 20000
#define FIT_TOLERANCE 1e-10 /* relative to the total */
#define FIT_ACCEPT 1e-6     /* tight (boundary) cases converge slowly; good enough */

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

/* Gale's condition over every set of months (2^12 sets at most). */
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
  for (guint set = 0; set < (1u << nm); set++)
    {
      gint64 need = 0, hold = 0;
      for (guint m = 0; m < nm; m++)
        if (set & (1u << m))
          hold += month_totals[m];
      for (guint c = 0; c < nc; c++)
        if ((masks[c] & ~set) == 0)
          need += category_totals[c];
      if (need <= hold)
        continue;
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
  return TRUE;
}

gboolean
sched_ideal_fit_months (guint nm, guint nc, const gint64 *month_totals,
                        const gint64 *category_totals, const double *seed, const char *const *codes,
                        double *mc_out, GError **error)
{
  g_return_val_if_fail (nm <= 31, FALSE);
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

  double err = INFINITY;
  for (int round = 0; round < FIT_MAX_ROUNDS && err > FIT_TOLERANCE * MAX (1.0, (double)total);
       round++)
    {
      for (guint m = 0; m < nm; m++)
        {
          double s = 0.0;
          for (guint c = 0; c < nc; c++)
            s += mc_out[m * nc + c];
          if (s > 0.0)
            for (guint c = 0; c < nc; c++)
              mc_out[m * nc + c] *= (double)month_totals[m] / s;
        }
      err = 0.0;
      for (guint c = 0; c < nc; c++)
        {
          double s = 0.0;
          for (guint m = 0; m < nm; m++)
            s += mc_out[m * nc + c];
          if (s > 0.0)
            for (guint m = 0; m < nm; m++)
              mc_out[m * nc + c] *= (double)category_totals[c] / s;
        }
      /* Columns are exact now; the rows tell how far from both margins we are. */
      for (guint m = 0; m < nm; m++)
        {
          double s = 0.0;
          for (guint c = 0; c < nc; c++)
            s += mc_out[m * nc + c];
          err = MAX (err, fabs (s - (double)month_totals[m]));
        }
    }
  if (err > FIT_ACCEPT * MAX (1.0, (double)total))
    {
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INFEASIBLE,
                   "month × category fitting did not converge (month totals off by %g after %d "
                   "rounds); the seasons leave almost no room: widen a season or lower a "
                   "seasonal category's weight",
                   err, FIT_MAX_ROUNDS);
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
