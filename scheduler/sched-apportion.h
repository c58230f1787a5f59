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
 * Ties, documented because plans must be reproducible byte for byte: among
 * equal remainders the larger weight wins, then the lower index. Quotas are
 * computed by one expression for every i, so equal weights give bit-equal
 * remainders (IEEE 754 double, no fast-math).
 *
 * Errors (SCHED_ERROR_INPUT): a negative or non-finite weight, all weights
 * zero while total exceeds the minimums, total smaller than the sum of minimums. */
gboolean sched_apportion_largest_remainder (gint64 total, const double *weights,
                                            const gint64 *minimums, gsize n, gint64 *out,
                                            GError **error);

/* Huntington–Hill (equal proportions, US House since 1941): every share gets
 * one seat, then each further seat goes to the largest p_i / sqrt(n_i (n_i + 1));
 * ties to the lower index. Needs seats >= n and every population > 0. */
gboolean sched_apportion_huntington_hill (gint64 seats, const double *populations, gsize n,
                                          gint64 *out, GError **error);

G_END_DECLS
