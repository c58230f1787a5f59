/* sched-balance.c: how far a plan is from its ideal, total by total. */
#include "scheduler/sched-balance.h"

#include <math.h>

#define MISS_TOL 1e-6

const char *
sched_total_kind_name (SchedTotalKind kind)
{
  static const char *const names[SCHED_N_TOTAL_KINDS] = {
    "cell", "month × category", "month × grade", "category × grade", "month", "category", "grade",
  };
  return kind < SCHED_N_TOTAL_KINDS ? names[kind] : "?";
}

typedef struct
{
  SchedTotalKind kind;
  guint size;
  double *ideal;
  gint64 *actual;
} Sums;

/* Which total of @kind the cell (m, c, g) adds to, and the indices it reports. */
static guint
sum_index (SchedTotalKind kind, guint nc, guint ng, guint m, guint c, guint g)
{
  switch (kind)
    {
    case SCHED_TOTAL_CELL:
      return (m * nc + c) * ng + g;
    case SCHED_TOTAL_MONTH_CATEGORY:
      return m * nc + c;
    case SCHED_TOTAL_MONTH_GRADE:
      return m * ng + g;
    case SCHED_TOTAL_CATEGORY_GRADE:
      return c * ng + g;
    case SCHED_TOTAL_MONTH:
      return m;
    case SCHED_TOTAL_CATEGORY:
      return c;
    default:
      return g;
    }
}

static void
miss_indices (SchedTotalKind kind, guint nc, guint ng, guint i, SchedMiss *miss)
{
  miss->month = miss->category = miss->grade = -1;
  switch (kind)
    {
    case SCHED_TOTAL_CELL:
      miss->month = (int)(i / (nc * ng));
      miss->category = (int)(i / ng % nc);
      miss->grade = (int)(i % ng);
      break;
    case SCHED_TOTAL_MONTH_CATEGORY:
      miss->month = (int)(i / nc);
      miss->category = (int)(i % nc);
      break;
    case SCHED_TOTAL_MONTH_GRADE:
      miss->month = (int)(i / ng);
      miss->grade = (int)(i % ng);
      break;
    case SCHED_TOTAL_CATEGORY_GRADE:
      miss->category = (int)(i / ng);
      miss->grade = (int)(i % ng);
      break;
    case SCHED_TOTAL_MONTH:
      miss->month = (int)i;
      break;
    case SCHED_TOTAL_CATEGORY:
      miss->category = (int)i;
      break;
    default:
      miss->grade = (int)i;
      break;
    }
}

SchedBalance *
sched_balance_compute (guint nm, guint nc, guint ng, const double *ideal, const gint64 *cells)
{
  guint sizes[SCHED_N_TOTAL_KINDS] = { nm * nc * ng, nm * nc, nm * ng, nc * ng, nm, nc, ng };
  SchedBalance *bal = g_new0 (SchedBalance, 1);
  bal->misses = g_array_new (FALSE, FALSE, sizeof (SchedMiss));
  for (int k = 0; k < SCHED_N_TOTAL_KINDS; k++)
    {
      g_autofree double *want = g_new0 (double, sizes[k]);
      g_autofree gint64 *got = g_new0 (gint64, sizes[k]);
      for (guint m = 0; m < nm; m++)
        for (guint c = 0; c < nc; c++)
          for (guint g = 0; g < ng; g++)
            {
              guint cell = (m * nc + c) * ng + g;
              guint i = sum_index ((SchedTotalKind)k, nc, ng, m, c, g);
              want[i] += ideal[cell];
              got[i] += cells[cell];
            }
      for (guint i = 0; i < sizes[k]; i++)
        {
          double dev = (double)got[i] - want[i];
          bal->max_deviation[k] = MAX (bal->max_deviation[k], fabs (dev));
          if (fabs (dev) >= 1.0 - MISS_TOL)
            {
              SchedMiss miss = {
                .kind = (SchedTotalKind)k, .ideal = want[i], .actual = got[i], .deviation = dev
              };
              miss_indices ((SchedTotalKind)k, nc, ng, i, &miss);
              g_array_append_val (bal->misses, miss);
            }
          if (k == SCHED_TOTAL_MONTH)
            {
              bal->month_min = i == 0 ? got[i] : MIN (bal->month_min, got[i]);
              bal->month_max = i == 0 ? got[i] : MAX (bal->month_max, got[i]);
            }
          if (k == SCHED_TOTAL_GRADE)
            bal->total += got[i];
        }
    }
  return bal;
}

void
sched_balance_free (SchedBalance *balance)
{
  if (balance == NULL)
    return;
  g_array_unref (balance->misses);
  g_free (balance);
}

static char *
fmt_dev (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.3f", v));
}

char *
sched_balance_to_text (const SchedBalance *plan, const SchedBalance *baseline,
                       const char *const *category_codes, const char *grade_letters)
{
  GString *out = g_string_new (NULL);
  g_string_append_printf (out, "%-20s %12s %12s\n", "largest deviation", "plan",
                          baseline ? "independent" : "");
  for (int k = 0; k < SCHED_N_TOTAL_KINDS; k++)
    {
      g_autofree char *a = fmt_dev (plan->max_deviation[k]);
      g_autofree char *b = baseline ? fmt_dev (baseline->max_deviation[k]) : g_strdup ("");
      g_string_append_printf (out, "%-20s %12s %12s\n", sched_total_kind_name (k), a, b);
    }
  g_string_append_printf (out, "%-20s %12" G_GINT64_FORMAT, "month spread",
                          plan->month_max - plan->month_min);
  if (baseline)
    g_string_append_printf (out, " %12" G_GINT64_FORMAT, baseline->month_max - baseline->month_min);
  g_string_append_printf (out, "\n%-20s %12" G_GINT64_FORMAT, "total", plan->total);
  if (baseline)
    g_string_append_printf (out, " %12" G_GINT64_FORMAT, baseline->total);
  g_string_append_printf (out, "\nmisses of the within-one bound: %u\n", plan->misses->len);
  for (guint i = 0; i < plan->misses->len; i++)
    {
      const SchedMiss *m = &g_array_index (plan->misses, SchedMiss, i);
      g_autofree char *ideal = fmt_dev (m->ideal);
      g_autofree char *dev = fmt_dev (m->deviation);
      g_string_append_printf (out, "  %s", sched_total_kind_name (m->kind));
      if (m->month >= 0)
        g_string_append_printf (out, " month %d", m->month + 1);
      if (m->category >= 0)
        g_string_append_printf (out, " category %s", category_codes[m->category]);
      if (m->grade >= 0)
        g_string_append_printf (out, " grade %c", grade_letters[m->grade]);
      g_string_append_printf (out, ": %" G_GINT64_FORMAT " against ideal %s (off by %s)\n",
                              m->actual, ideal, dev);
    }
  return g_string_free (out, FALSE);
}
