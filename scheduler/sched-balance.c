/* sched-balance.c: how far a plan is from its ideal, total by total. */
#include "scheduler/sched-balance.h"

#include "core/core-i18n.h"

#include <math.h>

#define MISS_TOL 1e-6

const char *
sched_total_kind_name (SchedTotalKind kind)
{
  static const char *const names[SCHED_N_TOTAL_KINDS] = {
    N_ ("cell"),  N_ ("month × category"), N_ ("month × grade"), N_ ("category × grade"),
    N_ ("month"), N_ ("category"),         N_ ("grade"),
  };
  return kind < SCHED_N_TOTAL_KINDS ? _ (names[kind]) : "?";
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

/* @text padded with spaces to @width terminal columns (a Chinese character
 * takes two), left- or right-aligned. */
static void
put_padded (GString *out, const char *text, int width, gboolean right)
{
  int w = 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    w += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  if (!right)
    g_string_append (out, text);
  for (; w < width; w++)
    g_string_append_c (out, ' ');
  if (right)
    g_string_append (out, text);
}

static void
put_row (GString *out, const char *label, const char *a, const char *b)
{
  put_padded (out, label, 20, FALSE);
  g_string_append_c (out, ' ');
  put_padded (out, a, 12, TRUE);
  if (b != NULL)
    {
      g_string_append_c (out, ' ');
      put_padded (out, b, 12, TRUE);
    }
  g_string_append_c (out, '\n');
}

char *
sched_balance_to_text (const SchedBalance *plan, const SchedBalance *baseline,
                       const char *const *category_codes, const char *grade_letters)
{
  GString *out = g_string_new (NULL);
  put_row (out, _ ("largest deviation"), _ ("plan"), baseline ? _ ("independent") : "");
  for (int k = 0; k < SCHED_N_TOTAL_KINDS; k++)
    {
      g_autofree char *a = fmt_dev (plan->max_deviation[k]);
      g_autofree char *b = baseline ? fmt_dev (baseline->max_deviation[k]) : g_strdup ("");
      put_row (out, sched_total_kind_name (k), a, b);
    }
  g_autofree char *spread
      = g_strdup_printf ("%" G_GINT64_FORMAT, plan->month_max - plan->month_min);
  g_autofree char *spread_b
      = baseline ? g_strdup_printf ("%" G_GINT64_FORMAT, baseline->month_max - baseline->month_min)
                 : NULL;
  put_row (out, _ ("month spread"), spread, spread_b);
  g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, plan->total);
  g_autofree char *total_b
      = baseline ? g_strdup_printf ("%" G_GINT64_FORMAT, baseline->total) : NULL;
  put_row (out, _ ("total"), total, total_b);
  g_string_append_printf (out, _ ("misses of the within-one bound: %u\n"), plan->misses->len);
  for (guint i = 0; i < plan->misses->len; i++)
    {
      const SchedMiss *m = &g_array_index (plan->misses, SchedMiss, i);
      g_autofree char *ideal = fmt_dev (m->ideal);
      g_autofree char *dev = fmt_dev (m->deviation);
      g_string_append_printf (out, "  %s", sched_total_kind_name (m->kind));
      if (m->month >= 0)
        g_string_append_printf (out, _ (" month %d"), m->month + 1);
      if (m->category >= 0)
        g_string_append_printf (out, _ (" category %s"), category_codes[m->category]);
      if (m->grade >= 0)
        g_string_append_printf (out, _ (" grade %c"), grade_letters[m->grade]);
      g_string_append_printf (out, _ (": %lld against ideal %s (off by %s)\n"),
                              (long long)m->actual, ideal, dev);
    }
  return g_string_free (out, FALSE);
}
