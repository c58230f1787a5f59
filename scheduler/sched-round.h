/* sched-round.h: controlled rounding of the ideal month × category × grade table
 * by a small integer program (GLPK), and plain independent rounding to compare. */
#pragma once

#include "scheduler/sched-apportion.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean within_one;  /* every cell, two-way and grade total strictly within one of its ideal */
  double max_deviation; /* the largest deviation over cells, two-way and grade totals */
  gboolean proven;      /* finished within the time limit: max_deviation is the least possible
                         * and the table the best by the rules below (so it is reproducible) */
  double lower_bound;   /* no table has a largest deviation below this; = max_deviation when
                         * proven */
} SchedRoundResult;

/* Rounds @ideal (nm × nc × ng, index (m * nc + c) * ng + g) to @cells so that
 * month totals equal @month_totals and category totals equal @category_totals
 * exactly (both must add up to the same sum, and match the ideal's margins),
 * with the smallest largest deviation t possible over every cell, month ×
 * category, month × grade, category × grade and grade total.
 *
 * The candidates for t are the distances from each of those ideals to the
 * integers near it; bisection over them asks GLPK, for one t at a time,
 * whether a table has every cell and total within t (a feasibility program,
 * whose LP bound is no help to branch and bound, so each answer is quick).
 * The first question is t just below one, the within-one table ("floor or
 * ceiling" everywhere) that most plans have. At the smallest t found a last
 * program picks, among the tables within t, the fewest cells and totals
 * outside their within-one bound (the lines `plan balance` lists), then the
 * least total cell deviation (each cell the nearer of floor and ceiling where
 * it can). Cells whose ideal is zero (season, empty grade pool) stay zero; an
 * ideal within 1e-6 of an integer counts as that integer.
 *
 * Time limit: @seconds (> 0; 0 for none) bounds the whole rounding. When it
 * runs out, the best table found so far is kept and result->proven is FALSE,
 * with the deviation reached and the lower bound proven so far; such a table
 * depends on the machine's speed. Otherwise the same ideal gives the same
 * table: GLPK's branch and bound is sequential, uses no random numbers, and
 * rows and columns are built in a fixed order.
 *
 * Exactness: the one-way totals are equality rows and the solution is read back
 * by rounding GLPK's integral values, then checked again in integers.
 * SCHED_ERROR_SOLVER when GLPK fails or no table was found within the limit. */
gboolean sched_round_controlled (guint nm, guint nc, guint ng, const double *ideal,
                                 const gint64 *month_totals, const gint64 *category_totals,
                                 double seconds, gint64 *cells, SchedRoundResult *result,
                                 GError **error);

/* Each cell to the nearest integer (halves up), ignoring every total: the
 * baseline `plan balance` compares against. */
void sched_round_independent (gsize n, const double *ideal, gint64 *cells);

G_END_DECLS
