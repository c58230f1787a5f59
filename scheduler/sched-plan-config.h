/* sched-plan-config.h: the inputs of an annual plan, read from the [plan YEAR]
 * groups of a CoreConfig (see config/plan-2024.conf for every key). */
#pragma once

#include "core/core-config.h"

G_BEGIN_DECLS

#define SCHED_GRADE_LETTERS "ABCD" /* risk grades, lowest risk first (SAMR Order No. 49) */
#define SCHED_N_GRADES 4
#define SCHED_N_MONTHS 12

/* Bounds of the [plan YEAR…] keys, each named in the message that refuses a
 * value beyond it.
 * - total, minimum: plan.total and plan_cell.quota are int4 columns; a
 *   hundred million batches is fifteen times China's yearly national sampling
 *   (6.56 M in 2022) and keeps every ideal value exact to 1e-7 batch in double
 *   precision, which the fitting's tolerance needs.
 * - weights (weight, default_weight, month_weights, grade_weights,
 *   grade_shares): up to a million, so that weight × focus (up to 1000) stays
 *   exact as a decimal (sched-apportion.h) and shares fit in 128 bits.
 * - solver_seconds: the rounding's time limit, 1 s to an hour; 60 by default. */
#define SCHED_PLAN_TOTAL_MAX G_GINT64_CONSTANT (100000000)
#define SCHED_PLAN_WEIGHT_MAX 1e6
#define SCHED_PLAN_BOOST_MAX 1000.0 /* focus, season boost */
#define SCHED_PLAN_SOLVER_SECONDS 60.0
#define SCHED_PLAN_SOLVER_SECONDS_MAX 3600.0

/* A total given outside the configuration (`plan generate --total N`): TRUE
 * when 1 <= @total <= SCHED_PLAN_TOTAL_MAX, else SCHED_ERROR_INPUT saying the
 * bound. sched_plan_input_from_config() checks its override the same way. */
gboolean sched_plan_config_check_total (gint64 total, GError **error);

/* Everything the plan is computed from. Arrays are owned by the struct.
 * n_months is 12 for real plans; tests use fewer to stay fast. */
typedef struct
{
  int year;
  gint64 total;         /* annual batches, reserve included */
  double reserve_share; /* 应急 reserve kept out of the cells, 0 <= share < 1 */
  guint n_months;
  guint n_categories;
  guint n_grades;
  double *month_weights;    /* [n_months] */
  char **codes;             /* [n_categories] category codes, NULL-terminated */
  double *category_weights; /* [n_categories] weight × focus boost */
  gint64 *minimums;         /* [n_categories] */
  double *seed;             /* [n_months × n_categories]: 0 outside a season, else season boosts */
  double *pools;            /* [n_categories × n_grades]: businesses × grade weight, or shares */
  double solver_seconds;    /* time limit of the rounding (sched_round_controlled), 0 for none */
} SchedPlanInput;

/* Equal weights, no minimums, every month allowed, equal grade pools, codes
 * "01", "02", …; callers then adjust the arrays. Free with sched_plan_input_free(). */
SchedPlanInput *sched_plan_input_new (int year, gint64 total, guint n_months, guint n_categories,
                                      guint n_grades);
SchedPlanInput *sched_plan_input_copy (const SchedPlanInput *input);
void sched_plan_input_free (SchedPlanInput *input);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedPlanInput, sched_plan_input_free)

/* Businesses per risk grade handling each category, from the registry. A
 * category or grade never set counts zero: no business, so no batches there. */
typedef struct SchedGradeCounts SchedGradeCounts;
SchedGradeCounts *sched_grade_counts_new (void);
void sched_grade_counts_set (SchedGradeCounts *counts, const char *category_code, guint grade,
                             gint64 businesses);
gint64 sched_grade_counts_get (const SchedGradeCounts *counts, const char *category_code,
                               guint grade);
void sched_grade_counts_free (SchedGradeCounts *counts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedGradeCounts, sched_grade_counts_free)

/* Reads [plan YEAR], [plan YEAR category CODE] and [plan YEAR season NAME] for
 * the categories of the catalogue ([category CODE] groups). @total_override > 0
 * replaces the configured total. With @counts (may be NULL) a category's grade
 * pools are its businesses per grade × grade_weights; without, grade_shares.
 * Checks what can be told from the configuration alone — weights negative or
 * all zero, total below the sum of minimums, a season naming an unknown
 * category or month, a seasonal category needing more than its months hold, a
 * planned category with no business — each CORE_CONFIG_ERROR_INVALID naming
 * the file, group and key — and every number beyond its bound above. A
 * @total_override beyond SCHED_PLAN_TOTAL_MAX is SCHED_ERROR_INPUT (see
 * sched_plan_config_check_total()). Free the result with sched_plan_input_free(). */
SchedPlanInput *sched_plan_input_from_config (const CoreConfig *config, int year,
                                              gint64 total_override, const SchedGradeCounts *counts,
                                              GError **error);

/* The effective [plan YEAR…] groups as key-file text (values after layering,
 * in first-seen order), to store beside a plan: added on top of the built-in
 * defaults it gives the same inputs. Registry counts are not part of it.
 * Free with g_free(). */
char *sched_plan_config_snapshot (const CoreConfig *config, int year);

G_END_DECLS
