/* sched-plan.h: the annual plan: exact month and category totals, an ideal
 * month × category × grade table and its controlled rounding; and rebalance. */
#pragma once

#include "scheduler/sched-apportion.h"
#include "scheduler/sched-balance.h"
#include "scheduler/sched-plan-config.h"

G_BEGIN_DECLS

typedef struct
{
  int year;
  gint64 total;   /* the annual total, reserve included */
  gint64 reserve; /* 应急 reserve, kept out of the cells */
  guint n_months, n_categories, n_grades;
  char **category_codes;     /* [n_categories], NULL-terminated */
  gint64 *month_totals;      /* [n_months] */
  gint64 *category_totals;   /* [n_categories] */
  gint64 *grade_totals;      /* [n_grades] */
  gint64 *cells;             /* [(m * n_categories + c) * n_grades + g], m from 0 */
  double *ideal;             /* same layout: the real-valued table the cells round */
  int from_month;            /* 1, or the first re-spread month of a rebalanced plan */
  gboolean within_one;       /* every cell, two-way and grade total within one of ideal */
  double max_deviation;      /* largest deviation over those */
  gboolean optimum_proven;   /* the rounding finished within its time limit: max_deviation is
                              * the least any rounding has, and the plan is reproducible */
  double deviation_bound;    /* no rounding has a largest deviation below this (= max_deviation
                              * when proven); the CLI shows both when not proven */
  SchedBalance *balance;     /* figures of the cells */
  SchedBalance *independent; /* the same figures for plain independent rounding */
  SchedPlanInput *input;     /* the inputs, kept for rebalance */
} SchedPlan;

/* The 应急 reserve: total × reserve_share to the nearest batch, exactly
 * (sched_apportion_part): an exact half goes to the larger of reserve and rest,
 * so with a share up to one half the reserve rounds a half down (0.07 × 7350 =
 * 514.5 gives 514). */
gint64 sched_plan_reserve (const SchedPlanInput *input);

/* Reserve, month totals and category totals from @input, each by largest
 * remainder (sched_apportion_largest_remainder, its tie-break included):
 * reserve = the reserve share of total, the rest over months by month weight
 * and over categories by weight with their minimums. Arrays sized n_months and
 * n_categories. */
gboolean sched_plan_targets (const SchedPlanInput *input, gint64 *reserve, gint64 *month_totals,
                             gint64 *category_totals, GError **error);

/* Targets, ideal table (sched-ideal.h), controlled rounding (sched-round.h),
 * balance figures. Same input, same plan, byte for byte. Free with
 * sched_plan_free(). Errors: SCHED_ERROR (infeasible targets name the cause). */
SchedPlan *sched_plan_build (const SchedPlanInput *input, GError **error);

/* sched_plan_input_from_config() then sched_plan_build(). */
SchedPlan *sched_plan_build_from_config (const CoreConfig *config, int year, gint64 total_override,
                                         const SchedGradeCounts *counts, GError **error);

/* A new plan whose months before @from_month (1-based, 1..n_months) hold
 * exactly @done_cells (same layout as cells; NULL means nothing done; later
 * months are not read), and whose later months re-spread what is left of
 * @old's total: their month totals by month weight, their categories by what
 * each has left (planned minus done, never below zero), the grade split by
 * what each category × grade has left, seasons as in @old; then the same
 * ideal table and controlled rounding. More done than planned in all is
 * SCHED_ERROR_INPUT; left-over batches of a season already over are
 * SCHED_ERROR_INFEASIBLE naming the categories. Free with sched_plan_free(). */
SchedPlan *sched_plan_rebalance (const SchedPlan *old, int from_month, const gint64 *done_cells,
                                 GError **error);

/* Cell of 1-based @month, category index @c and grade index @g. */
gint64 sched_plan_cell (const SchedPlan *plan, guint month, guint c, guint g);

/* Canonical text: header lines (year, total, reserve, from_month, within_one,
 * and "optimum,not proven" only for a rounding cut short by its time limit),
 * then "month,category,grade,batches,ideal" for every cell in month, category,
 * grade order, ideals with six decimals. Free with g_free(). */
char *sched_plan_to_csv (const SchedPlan *plan);

void sched_plan_free (SchedPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedPlan, sched_plan_free)

G_END_DECLS
