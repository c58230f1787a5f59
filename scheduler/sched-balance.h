/* sched-balance.h: evenness figures of an integer plan against its ideal table,
 * and the list of totals that miss the within-one bound. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SCHED_TOTAL_CELL,
  SCHED_TOTAL_MONTH_CATEGORY,
  SCHED_TOTAL_MONTH_GRADE,
  SCHED_TOTAL_CATEGORY_GRADE,
  SCHED_TOTAL_MONTH,
  SCHED_TOTAL_CATEGORY,
  SCHED_TOTAL_GRADE,
  SCHED_N_TOTAL_KINDS
} SchedTotalKind;

/* One cell or total at least one batch away from its ideal. Indices are
 * 0-based; -1 where the total does not run over that dimension. */
typedef struct
{
  SchedTotalKind kind;
  int month;
  int category;
  int grade;
  double ideal;
  gint64 actual;
  double deviation; /* actual - ideal */
} SchedMiss;

typedef struct
{
  double max_deviation[SCHED_N_TOTAL_KINDS]; /* largest |actual - ideal| per kind */
  gint64 month_min, month_max;               /* smallest and largest month total */
  gint64 total;                              /* sum of all cells */
  GArray *misses;                            /* of SchedMiss, in kind then index order */
} SchedBalance;

/* Figures for @cells against @ideal (both nm × nc × ng, index (m * nc + c) * ng + g).
 * A miss is |actual - ideal| >= 1 (less a hair for floating error). Free with
 * sched_balance_free(). */
SchedBalance *sched_balance_compute (guint nm, guint nc, guint ng, const double *ideal,
                                     const gint64 *cells);
void sched_balance_free (SchedBalance *balance);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedBalance, sched_balance_free)

/* "cell", "month × category", … for reports. Static string. */
const char *sched_total_kind_name (SchedTotalKind kind);

/* Text table: each kind's largest deviation for @plan beside @baseline (e.g.
 * independent rounding), the month spread, then each miss of @plan named by
 * month, category code and grade letter. Free with g_free(). */
char *sched_balance_to_text (const SchedBalance *plan, const SchedBalance *baseline,
                             const char *const *category_codes, const char *grade_letters);

G_END_DECLS
