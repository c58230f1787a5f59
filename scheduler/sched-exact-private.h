/* sched-exact-private.h: exact decimal arithmetic for the apportionment (not
 * for other folders). Every weight is taken as the shortest decimal that reads
 * back as the same double, which is what a configuration file wrote whenever
 * it has at most 15 significant digits. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

__extension__ typedef __int128 SchedInt128;

/* value = mantissa × 10^exponent, mantissa without trailing zeros (0 for zero). */
typedef struct
{
  gint64 mantissa;
  int exponent;
} SchedDecimal;

/* The shortest decimal (at most 17 significant digits) that reads back as @v.
 * @v must be finite and >= 0. */
SchedDecimal sched_decimal_from_double (double v);

/* The double nearest to the exact product of @a and @b, each read as its
 * shortest decimal: 0.7 × 1.3 gives the double that reads "0.91". */
double sched_decimal_product (double a, double b);

/* @n weights as integers over one common power of ten, so that equal decimals
 * give equal integers and ratios are exact. FALSE when that needs more than
 * 2^100 (weights too far apart in size). */
gboolean sched_decimal_common_scale (const double *weights, gsize n, SchedInt128 *out);

G_END_DECLS
