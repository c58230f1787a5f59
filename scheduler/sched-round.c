/* sched-round.c: controlled rounding through GLPK. Every total is a "group" of
 * cells; the program bounds each group's sum around its ideal. */
#include "scheduler/sched-round.h"

#include <glpk.h>
#include <math.h>
#include <string.h>
#include "core/core-i18n.h"

#define INTEGRAL_TOL 1e-6 /* an ideal this close to an integer counts as that integer */
#define BOUND_EPS 1e-9    /* a deviation equal to the bound is within it */
#define T_LIMIT 3.0       /* largest deviations looked at: below this */

enum
{
  KIND_MONTH,
  KIND_CATEGORY,
  KIND_MONTH_CATEGORY,
  KIND_MONTH_GRADE,
  KIND_CATEGORY_GRADE,
  KIND_GRADE,
  N_KINDS
};

typedef struct
{
  guint nm, nc, ng;
  guint offset[N_KINDS + 1]; /* first group index of each kind */
  double *group_ideal;       /* per group, sum of its cells' ideals */
} Groups;

static void
groups_init (Groups *gr, guint nm, guint nc, guint ng, const double *ideal)
{
  guint sizes[N_KINDS] = { nm, nc, nm * nc, nm * ng, nc * ng, ng };
  gr->nm = nm;
  gr->nc = nc;
  gr->ng = ng;
  gr->offset[0] = 0;
  for (int k = 0; k < N_KINDS; k++)
    gr->offset[k + 1] = gr->offset[k] + sizes[k];
  gr->group_ideal = g_new0 (double, gr->offset[N_KINDS]);
  for (guint m = 0; m < nm; m++)
    for (guint c = 0; c < nc; c++)
      for (guint g = 0; g < ng; g++)
        {
          guint idx[N_KINDS];
          double v = ideal[(m * nc + c) * ng + g];
          idx[KIND_MONTH] = m;
          idx[KIND_CATEGORY] = c;
          idx[KIND_MONTH_CATEGORY] = m * nc + c;
          idx[KIND_MONTH_GRADE] = m * ng + g;
          idx[KIND_CATEGORY_GRADE] = c * ng + g;
          idx[KIND_GRADE] = g;
          for (int k = 0; k < N_KINDS; k++)
            gr->group_ideal[gr->offset[k] + idx[k]] += v;
        }
}

/* The group of each kind that cell (m, c, g) belongs to, as GLPK row numbers. */
static void
cell_rows (const Groups *gr, guint m, guint c, guint g, int rows[N_KINDS])
{
  guint idx[N_KINDS] = { m, c, m * gr->nc + c, m * gr->ng + g, c * gr->ng + g, g };
  for (int k = 0; k < N_KINDS; k++)
    rows[k] = (int)(gr->offset[k] + idx[k]) + 1;
}

/* An ideal this close to an integer is that integer (absolute: the fitting
 * is exact to far less). */
static double
snap (double v)
{
  double r = nearbyint (v);
  return fabs (v - r) <= INTEGRAL_TOL ? r : v;
}

/* The within-one interval of an ideal: its floor and ceiling, or the integer. */
static void
within_one_bounds (double v, double *lo, double *hi)
{
  *lo = floor (v);
  *hi = ceil (v);
}

/* The integers within @t of @v: [lo, hi], maybe empty (lo > hi). */
static void
t_bounds (double v, double t, double *lo, double *hi)
{
  *lo = ceil (v - t - BOUND_EPS);
  *hi = floor (v + t + BOUND_EPS);
}

/* Silences GLPK's terminal output for this thread. */
static int
glpk_quiet (void *info, const char *s)
{
  return 1;
}

/* The program at one bound t: cells and totals within t of their ideals. */
typedef struct
{
  const Groups *gr;
  const double *ideal;  /* snapped cell ideals */
  const double *gideal; /* snapped group ideals */
  const gint64 *month_totals, *category_totals;
  gint64 *base; /* per cell: its lowest value at t */
  int *first;   /* per cell: its first column (0: fixed at base) */
  int *width;   /* per cell: its columns (polish) or 1 (feasibility) */
} Problem;

/* A cell's cost in the polish: its deviation, plus @big for each batch
 * outside its within-one interval (a miss). Convex in x. */
static double
cell_cost (double v, double x, double big)
{
  double lo, hi;
  within_one_bounds (v, &lo, &hi);
  return fabs (x - v) + big * (MAX (0.0, x - hi) + MAX (0.0, lo - x));
}

/* Builds the program at @t. Feasibility (polish FALSE): one integer column per
 * free cell, no objective. Polish: one binary column per step of each cell,
 * costs of those steps (convex, so they fill in order), and per two-way and
 * grade total a pair of slacks priced @big per batch outside its within-one
 * interval: fewest misses first, then the least total cell deviation. NULL
 * when some bound is empty, so the answer is "no" without a solve. */
static glp_prob *
problem_build (Problem *pb, double t, gboolean polish)
{
  const Groups *gr = pb->gr;
  guint n = gr->nm * gr->nc * gr->ng, n_groups = gr->offset[N_KINDS];
  double big = 2.0 * n + 2.0;
  g_autofree double *base_sum = g_new0 (double, n_groups);
  g_autofree double *width_sum = g_new0 (double, n_groups);
  g_autoptr (GArray) ia = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) ja = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) ar = g_array_new (FALSE, FALSE, sizeof (double));
  int zero = 0;
  double dzero = 0.0, one = 1.0;
  g_array_append_val (ia, zero); /* GLPK arrays are 1-based */
  g_array_append_val (ja, zero);
  g_array_append_val (ar, dzero);
  glp_prob *lp = glp_create_prob ();
  glp_set_obj_dir (lp, GLP_MIN);
  glp_add_rows (lp, (int)n_groups);
  int n_cols = 0;
  double constant = 0.0;
  for (guint m = 0; m < gr->nm; m++)
    for (guint c = 0; c < gr->nc; c++)
      for (guint g = 0; g < gr->ng; g++)
        {
          guint i = (m * gr->nc + c) * gr->ng + g;
          double v = pb->ideal[i], lo = 0.0, hi = 0.0;
          int rows[N_KINDS];
          cell_rows (gr, m, c, g, rows);
          if (v != 0.0) /* else a structural zero: season or empty grade pool */
            {
              t_bounds (v, t, &lo, &hi);
              lo = MAX (lo, 0.0);
            }
          if (lo > hi)
            {
              glp_delete_prob (lp);
              return NULL;
            }
          pb->base[i] = (gint64)lo;
          pb->first[i] = 0;
          pb->width[i] = (int)(hi - lo);
          constant += polish ? cell_cost (v, lo, big) : 0.0;
          for (int k = 0; k < N_KINDS; k++)
            {
              base_sum[rows[k] - 1] += lo;
              width_sum[rows[k] - 1] += hi - lo;
            }
          if (hi == lo)
            continue;
          int steps = polish ? pb->width[i] : 1;
          pb->first[i] = n_cols + 1;
          glp_add_cols (lp, steps);
          for (int s = 0; s < steps; s++)
            {
              int col = ++n_cols;
              if (polish || hi - lo == 1.0)
                glp_set_col_kind (lp, col, GLP_BV);
              else
                {
                  glp_set_col_kind (lp, col, GLP_IV);
                  glp_set_col_bnds (lp, col, GLP_DB, 0.0, hi - lo);
                }
              if (polish)
                glp_set_obj_coef (lp, col,
                                  cell_cost (v, lo + s + 1, big) - cell_cost (v, lo + s, big));
              for (int k = 0; k < N_KINDS; k++)
                {
                  g_array_append_val (ia, rows[k]);
                  g_array_append_val (ja, col);
                  g_array_append_val (ar, one);
                }
            }
        }
  glp_set_obj_coef (lp, 0, constant);
  for (guint row = 0; row < n_groups; row++)
    {
      double lo, hi;
      if (row < gr->offset[KIND_CATEGORY])
        lo = hi = (double)pb->month_totals[row - gr->offset[KIND_MONTH]];
      else if (row < gr->offset[KIND_MONTH_CATEGORY])
        lo = hi = (double)pb->category_totals[row - gr->offset[KIND_CATEGORY]];
      else
        {
          t_bounds (pb->gideal[row], t, &lo, &hi);
          lo = MAX (lo, 0.0);
          double wlo, whi;
          within_one_bounds (pb->gideal[row], &wlo, &whi);
          if (polish && (lo < wlo || hi > whi))
            {
              /* sum - up + down within [wlo, whi], up and down priced big */
              int r = glp_add_rows (lp, 1);
              int up = glp_add_cols (lp, 2);
              glp_set_col_bnds (lp, up, GLP_LO, 0.0, 0.0);
              glp_set_col_bnds (lp, up + 1, GLP_LO, 0.0, 0.0);
              glp_set_obj_coef (lp, up, big);
              glp_set_obj_coef (lp, up + 1, big);
              glp_set_row_bnds (lp, r, wlo == whi ? GLP_FX : GLP_DB, wlo - base_sum[row],
                                whi - base_sum[row]);
              double minus = -1.0;
              int cols[2] = { up, up + 1 };
              double coefs[2] = { minus, one };
              for (int k = 0; k < 2; k++)
                {
                  g_array_append_val (ia, r);
                  g_array_append_val (ja, cols[k]);
                  g_array_append_val (ar, coefs[k]);
                }
              /* the same cells as the group's own row */
              for (guint e = 1; e < ia->len; e++)
                if (g_array_index (ia, int, e) == (int)row + 1
                    && g_array_index (ja, int, e) <= n_cols)
                  {
                    int col = g_array_index (ja, int, e);
                    g_array_append_val (ia, r);
                    g_array_append_val (ja, col);
                    g_array_append_val (ar, one);
                  }
            }
        }
      lo -= base_sum[row];
      hi -= base_sum[row];
      if (lo > hi || hi < 0.0 || lo > width_sum[row])
        {
          glp_delete_prob (lp);
          return NULL;
        }
      glp_set_row_bnds (lp, (int)row + 1, lo == hi ? GLP_FX : GLP_DB, lo, hi);
    }
  if (n_cols == 0)
    {
      /* Nothing to choose; the bounds above already hold (every width 0). */
      glp_add_cols (lp, 1);
      glp_set_col_bnds (lp, 1, GLP_FX, 0.0, 0.0);
    }
  else
    glp_load_matrix (lp, (int)ia->len - 1, &g_array_index (ia, int, 0), &g_array_index (ja, int, 0),
                     &g_array_index (ar, double, 0));
  return lp;
}

/* Cells from a solved program. */
static void
problem_cells (const Problem *pb, glp_prob *lp, gboolean polish, gint64 *cells)
{
  guint n = pb->gr->nm * pb->gr->nc * pb->gr->ng;
  for (guint i = 0; i < n; i++)
    {
      cells[i] = pb->base[i];
      if (pb->first[i] == 0)
        continue;
      int steps = polish ? pb->width[i] : 1;
      for (int s = 0; s < steps; s++)
        cells[i] += (gint64)nearbyint (glp_mip_col_val (lp, pb->first[i] + s));
    }
}

typedef enum
{
  ANSWER_YES,     /* solved: a table (the best one, when polishing) */
  ANSWER_NO,      /* no table within t */
  ANSWER_PARTIAL, /* out of time with a table within t, not proven best */
  ANSWER_TIMEOUT, /* out of time without a table */
  ANSWER_FAILED,
} Answer;

/* Solves the program at @t within @deadline (monotonic µs, 0 for none);
 * on YES and PARTIAL writes the cells. */
static Answer
problem_solve (Problem *pb, double t, gboolean polish, gint64 deadline, gint64 *cells)
{
  glp_prob *lp = problem_build (pb, t, polish);
  if (lp == NULL)
    return ANSWER_NO;
  glp_iocp parm;
  glp_init_iocp (&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  /* The feasibility pump finds a first table quickly on these 0/1 programs;
   * like the rest of branch and bound it is deterministic. */
  parm.fp_heur = GLP_ON;
  if (deadline > 0)
    {
      gint64 left = deadline - g_get_monotonic_time ();
      if (left <= 0)
        {
          glp_delete_prob (lp);
          return ANSWER_TIMEOUT;
        }
      parm.tm_lim = (int)MIN (left / 1000 + 1, G_MAXINT);
    }
  int rc = glp_intopt (lp, &parm), status = glp_mip_status (lp);
  Answer answer;
  if (rc == GLP_ENOPFS || rc == GLP_ENODFS || (rc == 0 && status == GLP_NOFEAS))
    answer = ANSWER_NO;
  else if (rc == 0 && status == GLP_OPT)
    answer = ANSWER_YES;
  else if (rc == GLP_ETMLIM)
    /* Past a time limit the best table found so far still holds the bound. */
    answer = status == GLP_FEAS ? ANSWER_PARTIAL : ANSWER_TIMEOUT;
  else
    answer = ANSWER_FAILED;
  if (answer == ANSWER_YES || answer == ANSWER_PARTIAL)
    problem_cells (pb, lp, polish, cells);
  glp_delete_prob (lp);
  return answer;
}

static int
compare_doubles (gconstpointer pa, gconstpointer pb)
{
  double a = *(const double *)pa, b = *(const double *)pb;
  return a < b ? -1 : (a > b ? 1 : 0);
}

/* Every largest deviation an integer table can have: the distances from each
 * cell's and two-way or grade total's ideal to the integers near it, from the
 * least any table must have up to T_LIMIT, sorted, near-equal ones merged
 * (keeping the larger). */
static GArray *
candidate_bounds (const Groups *gr, const double *ideal, const double *gideal, double *least)
{
  guint n = gr->nm * gr->nc * gr->ng;
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < n; i++)
    if (ideal[i] != 0.0)
      g_array_append_val (values, ideal[i]);
  for (guint r = gr->offset[KIND_MONTH_CATEGORY]; r < gr->offset[N_KINDS]; r++)
    g_array_append_val (values, gideal[r]);
  *least = 0.0;
  for (guint k = 0; k < values->len; k++)
    {
      double v = g_array_index (values, double, k);
      *least = MAX (*least, MIN (v - floor (v), ceil (v) - v));
    }
  GArray *all = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint k = 0; k < values->len; k++)
    {
      double v = g_array_index (values, double, k);
      for (double x = floor (v) - 3.0; x <= ceil (v) + 3.0; x += 1.0)
        {
          double d = fabs (x - v);
          if (d < T_LIMIT && d >= *least - BOUND_EPS)
            g_array_append_val (all, d);
        }
    }
  g_array_sort (all, compare_doubles);
  guint kept = 0;
  for (guint k = 0; k < all->len; k++)
    {
      double d = g_array_index (all, double, k);
      if (kept > 0 && d - g_array_index (all, double, kept - 1) <= BOUND_EPS)
        g_array_index (all, double, kept - 1) = d;
      else
        g_array_index (all, double, kept++) = d;
    }
  g_array_set_size (all, kept);
  return all;
}

/* Index of the largest candidate not above @t (the deviation of a table found). */
static int
candidate_index (const GArray *cands, double t)
{
  int k = (int)cands->len - 1;
  while (k > 0 && g_array_index (cands, double, k) > t + BOUND_EPS)
    k--;
  return k;
}

/* Largest deviation of @cells from @ideal over cells, two-way and grade
 * totals (group ideals @gideal). */
static double
max_deviation (const Groups *gr, const double *ideal, const double *gideal, const gint64 *cells)
{
  guint n = gr->nm * gr->nc * gr->ng;
  g_autofree double *sums = g_new0 (double, gr->offset[N_KINDS]);
  double worst = 0.0;
  for (guint m = 0; m < gr->nm; m++)
    for (guint c = 0; c < gr->nc; c++)
      for (guint g = 0; g < gr->ng; g++)
        {
          int rows[N_KINDS];
          guint i = (m * gr->nc + c) * gr->ng + g;
          cell_rows (gr, m, c, g, rows);
          for (int k = 0; k < N_KINDS; k++)
            sums[rows[k] - 1] += (double)cells[i];
        }
  for (guint i = 0; i < n; i++)
    worst = MAX (worst, fabs ((double)cells[i] - ideal[i]));
  for (guint r = gr->offset[KIND_MONTH_CATEGORY]; r < gr->offset[N_KINDS]; r++)
    worst = MAX (worst, fabs (sums[r] - gideal[r]));
  return worst;
}

/* Integer re-check of what the solver promised. */
static gboolean
totals_exact (const Groups *gr, const gint64 *cells, const gint64 *month_totals,
              const gint64 *category_totals)
{
  g_autofree gint64 *ms = g_new0 (gint64, gr->nm);
  g_autofree gint64 *cs = g_new0 (gint64, gr->nc);
  for (guint m = 0; m < gr->nm; m++)
    for (guint c = 0; c < gr->nc; c++)
      for (guint g = 0; g < gr->ng; g++)
        {
          gint64 v = cells[(m * gr->nc + c) * gr->ng + g];
          if (v < 0)
            return FALSE;
          ms[m] += v;
          cs[c] += v;
        }
  for (guint m = 0; m < gr->nm; m++)
    if (ms[m] != month_totals[m])
      return FALSE;
  for (guint c = 0; c < gr->nc; c++)
    if (cs[c] != category_totals[c])
      return FALSE;
  return TRUE;
}

gboolean
sched_round_controlled (guint nm, guint nc, guint ng, const double *ideal,
                        const gint64 *month_totals, const gint64 *category_totals, double seconds,
                        gint64 *cells, SchedRoundResult *result, GError **error)
{
  Groups gr;
  groups_init (&gr, nm, nc, ng, ideal);
  guint n = nm * nc * ng, n_groups = gr.offset[N_KINDS];
  gint64 deadline = seconds > 0.0 ? g_get_monotonic_time () + (gint64)(seconds * 1e6) : 0;
  g_autofree double *snapped = g_new (double, n);
  g_autofree double *gsnapped = g_new (double, n_groups);
  for (guint i = 0; i < n; i++)
    snapped[i] = ideal[i] == 0.0 ? 0.0 : snap (ideal[i]);
  for (guint r = 0; r < n_groups; r++)
    gsnapped[r] = snap (gr.group_ideal[r]);
  g_autofree gint64 *base = g_new (gint64, n);
  g_autofree int *first = g_new (int, n);
  g_autofree int *width = g_new (int, n);
  g_autofree gint64 *found = g_new (gint64, n);
  Problem pb = { &gr, snapped, gsnapped, month_totals, category_totals, base, first, width };
  double least;
  g_autoptr (GArray) cands = candidate_bounds (&gr, snapped, gsnapped, &least);

  /* Bisection over the candidate bounds with feasibility solves: cands[lo]
   * has no table (or lo = -1), cands[hi] has one (or hi = len). The first
   * question is the within-one table, which most plans have. */
  glp_term_hook (glpk_quiet, NULL);
  int lo = -1, hi = (int)cands->len;
  gboolean timed_out = FALSE, failed = FALSE;
  int probe = candidate_index (cands, 1.0 - 2 * BOUND_EPS);
  if (cands->len > 0 && g_array_index (cands, double, probe) >= 1.0 - 2 * BOUND_EPS)
    probe = (int)cands->len - 1;
  while (hi - lo > 1 && cands->len > 0)
    {
      double t = g_array_index (cands, double, probe);
      Answer a = problem_solve (&pb, t, FALSE, deadline, found);
      if (a == ANSWER_YES || a == ANSWER_PARTIAL)
        {
          memcpy (cells, found, sizeof (gint64) * n);
          hi = MIN (probe, candidate_index (cands, max_deviation (&gr, snapped, gsnapped, cells)));
        }
      else if (a == ANSWER_NO)
        lo = probe;
      else
        {
          timed_out = a == ANSWER_TIMEOUT;
          failed = a == ANSWER_FAILED;
          break;
        }
      probe = hi == (int)cands->len ? (int)cands->len - 1 : lo + (hi - lo) / 2;
    }
  gboolean polished = FALSE;
  if (hi < (int)cands->len && !failed)
    {
      /* At the smallest bound found: fewest misses, then least deviation. */
      Answer a = problem_solve (&pb, g_array_index (cands, double, hi), TRUE, deadline, found);
      if (a == ANSWER_YES || a == ANSWER_PARTIAL)
        memcpy (cells, found, sizeof (gint64) * n);
      polished = a == ANSWER_YES;
      timed_out = timed_out || a == ANSWER_PARTIAL || a == ANSWER_TIMEOUT;
    }
  glp_term_hook (NULL, NULL);
  if (hi == (int)cands->len || !totals_exact (&gr, cells, month_totals, category_totals))
    {
      g_free (gr.group_ideal);
      if (timed_out)
        g_set_error (error, SCHED_ERROR, SCHED_ERROR_SOLVER,
                     _ ("no rounding of the plan was found within the solver's time limit of "
                        "%g s; raise [plan YEAR] solver_seconds"),
                     seconds);
      else
        g_set_error (error, SCHED_ERROR, SCHED_ERROR_SOLVER,
                     _ ("the integer program for the plan's rounding failed (no table within %g "
                        "of the ideal%s); check that month and category totals add up to the same "
                        "number and match the ideal table"),
                     T_LIMIT, failed ? ", GLPK failed" : "");
      return FALSE;
    }
  result->max_deviation = max_deviation (&gr, ideal, gr.group_ideal, cells);
  result->within_one = max_deviation (&gr, snapped, gsnapped, cells) < 1.0 - 2 * BOUND_EPS;
  result->proven = hi == lo + 1 && polished;
  result->lower_bound = lo + 1 < (int)cands->len ? g_array_index (cands, double, lo + 1) : least;
  result->lower_bound = MIN (MAX (result->lower_bound, least), result->max_deviation);
  g_free (gr.group_ideal);
  return TRUE;
}

void
sched_round_independent (gsize n, const double *ideal, gint64 *cells)
{
  for (gsize i = 0; i < n; i++)
    cells[i] = (gint64)floor (ideal[i] + 0.5);
}
