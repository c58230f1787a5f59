/* sched-round.h: controlled rounding of the ideal month × category × grade table
 * by a small integer program (GLPK), and plain independent rounding to compare. */
#pragma once

#include "scheduler/sched-apportion.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean within_one;  /* every cell, two-way and grade total strictly within one of its ideal */
  double max_deviation; /* the largest deviation over cells, two-way and grade totals */
} SchedRoundResult;

/* Rounds @ideal (nm × nc × ng, index (m * nc + c) * ng + g) to @cells so that
 * month totals equal @month_totals and category totals equal @category_totals
 * exactly (both must add up to the same sum, and match the ideal's margins).
 *
 * Stage 1 looks for a table whose every cell, month × category, month × grade,
 * category × grade and grade total is the floor or the ceiling of its ideal
 * ("within one"), preferring the nearer of the two for each cell (a linear
 * objective). Only when GLPK proves no such table exists does stage 2 minimise
 * the largest deviation t over the same cells and totals, cells allowed one
 * step further, one-way totals still exact; then, at that t, the number of
 * cells and totals that miss the within-one bound (the lines `plan balance`
 * lists). Cells whose ideal is zero (season, empty grade pool) stay zero in both.
 *
 * Exactness: the one-way totals are equality rows and the solution is read back
 * by rounding GLPK's integral values, then checked again in integers.
 * Determinism: GLPK's branch and bound is sequential, uses no random numbers
 * and no time limit; rows and columns are built in a fixed order; so the same
 * ideal gives the same table. SCHED_ERROR_SOLVER when GLPK fails. */
gboolean sched_round_controlled (guint nm, guint nc, guint ng, const double *ideal,
                                 const gint64 *month_totals, const gint64 *category_totals,
                                 gint64 *cells, SchedRoundResult *result, GError **error);

/* Each cell to the nearest integer (halves up), ignoring every total: the
 * baseline `plan balance` compares against. */
void sched_round_independent (gsize n, const double *ideal, gint64 *cells);

G_END_DECLS
