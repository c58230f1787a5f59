/* sched-ideal.h: the ideal real-valued month × category × grade table: two-way
 * proportional fitting of month × category, then each category's grade split. */
#pragma once

#include "scheduler/sched-apportion.h"

G_BEGIN_DECLS

/* How far (in batches) the fitted month sums may be from their totals. */
#define SCHED_IDEAL_TOLERANCE 1e-7

/* Finds a set of months whose categories confined to it (a category's months
 * are where @seed is positive) need more than the set holds: TRUE and the
 * smallest such set (bit m-1 for month m), what they need and what it holds;
 * FALSE when every set has room (Gale/Hall), so that some table exists. At
 * most 16 months. */
gboolean sched_ideal_months_overfull (guint nm, guint nc, const gint64 *month_totals,
                                      const gint64 *category_totals, const double *seed, guint *set,
                                      gint64 *need, gint64 *hold);

/* Checks that some non-negative month × category table with zeros where
 * @seed is zero has the given margins (Gale/Hall: for every set of months,
 * the categories confined to it need no more than its months hold), zeroes
 * the cells every such table leaves empty (months that the categories
 * confined to them fill exactly), then fits one by iterative proportional
 * fitting from @seed (nm × nc, row-major by month) until every month sum is
 * within SCHED_IDEAL_TOLERANCE batches of its total (category sums exact). @codes name the
 * categories in messages. Writes nm × nc values to
 * @mc_out. SCHED_ERROR_INFEASIBLE names the categories and months at fault. */
gboolean sched_ideal_fit_months (guint nm, guint nc, const gint64 *month_totals,
                                 const gint64 *category_totals, const double *seed,
                                 const char *const *codes, double *mc_out, GError **error);

/* Cell (m, c, g) = mc(m, c) × pools(c, g) / sum_g pools(c, g), written to
 * @ideal_out (nm × nc × ng, index (m * nc + c) * ng + g). A category with a
 * positive total whose pools are all zero is SCHED_ERROR_INFEASIBLE. */
gboolean sched_ideal_split_grades (guint nm, guint nc, guint ng, const double *mc,
                                   const gint64 *category_totals, const double *pools,
                                   const char *const *codes, double *ideal_out, GError **error);

/* "5-9", "1-2,12": a month set (bit m-1 for month m) for messages. Free with g_free(). */
char *sched_ideal_months_text (guint mask);

G_END_DECLS
