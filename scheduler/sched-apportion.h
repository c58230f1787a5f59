/* sched-apportion.h: whole-number apportionment of a total by weights: largest
 * remainder (Hamilton) with optional minimums, and Huntington–Hill. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SCHED_ERROR (sched_error_quark ())
GQuark sched_error_quark (void);

/* One error domain for the annual plan (apportionment, ideal table, rounding,
 * rebalance); configuration errors use CORE_CONFIG_ERROR instead. */
typedef enum
{
  SCHED_ERROR_INPUT,      /* arguments out of range (negative weight, no weight at all…) */
  SCHED_ERROR_INFEASIBLE, /* targets that no table can meet; the message names the cause */
  SCHED_ERROR_SOLVER,     /* the integer-program solver failed */
} SchedError;

/* Largest remainder (Hamilton): out[i] = floor(q_i) plus one for the
 * (total - sum floor) largest remainders, where q_i = total * w_i / sum(w).
 *
 * With @minimums (may be NULL) each share is first lifted to its minimum and
 * the rest spread in proportion to the weights of those above their minimum
 * ("water filling": q_i = max(min_i, lambda * w_i) with sum q_i = total), so a
 * minimum takes only what it needs from the others, in proportion.
 *
 * Exact arithmetic: each weight is read as the shortest decimal that gives
 * back the same double (what a configuration wrote, e.g. 0.5 or 1.3, for up
 * to 15 significant digits), all are scaled to one power of ten, and quotas,
 * remainders and the water level are compared as 128-bit integers, so a tie is
 * a true tie of the decimals and never rounding noise.
 *
 * Ties, documented because plans must be reproducible byte for byte: among
 * equal remainders the larger weight wins, then the lower index.
 *
 * Errors (SCHED_ERROR_INPUT): a negative or non-finite weight, all weights
 * zero while total exceeds the minimums, total smaller than the sum of
 * minimums, weights or total too large to share exactly in 128 bits (weights
 * more than about 10^12 apart in size, with many digits). */
gboolean sched_apportion_largest_remainder (gint64 total, const double *weights,
                                            const gint64 *minimums, gsize n, gint64 *out,
                                            GError **error);

/* The part of @total at @share (0 <= share < 1, read as its decimal): total ×
 * share rounded to the nearest whole number, computed exactly. An exact half
 * goes to the larger of the part and the rest, which is largest remainder
 * between the two (ties to the larger weight, then to the rest, which comes
 * first): a share below one half, or exactly one half, rounds a half down
 * (0.07 × 7350 = 514.5 gives 514, 0.05 × 5530 = 276.5 gives 276), a share
 * above one half rounds it up. */
gint64 sched_apportion_part (gint64 total, double share);

/* Huntington–Hill (equal proportions, US House since 1941): every share gets
 * one seat, then each further seat goes to the largest p_i / sqrt(n_i (n_i + 1));
 * ties to the lower index. Needs seats >= n and every population > 0. */
gboolean sched_apportion_huntington_hill (gint64 seats, const double *populations, gsize n,
                                          gint64 *out, GError **error);

G_END_DECLS
