/* sched-round.c: controlled rounding through GLPK. Every total is a "group" of
 * cells; the program bounds each group's sum around its ideal. */
#include "scheduler/sched-round.h"

#include <glpk.h>
#include <math.h>

#define INTEGRAL_TOL 1e-6 /* an ideal this close to an integer counts as that integer */

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

static gboolean
near_integer (double v, double *out)
{
  double r = nearbyint (v);
  *out = r;
  return fabs (v - r) <= INTEGRAL_TOL * MAX (1.0, fabs (v));
}

/* Silences GLPK's terminal output for this thread. */
static int
glpk_quiet (void *info, const char *s)
{
  return 1;
}

static int
solve (glp_prob *lp)
{
  glp_iocp parm;
  glp_init_iocp (&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  /* The feasibility pump finds a first table quickly on these 0/1 programs;
   * like the rest of branch and bound it is deterministic. No time limit: a
   * limit would make the result depend on the machine's speed. */
  parm.fp_heur = GLP_ON;
  int rc = glp_intopt (lp, &parm);
  if (rc == GLP_ENOPFS)
    return GLP_NOFEAS;
  if (rc != 0)
    return -rc;
  return glp_mip_status (lp);
}

/* Stage 1: binary b per fractional cell, cell = floor + b. */
static int
round_within_one (const Groups *gr, const double *ideal, const gint64 *month_totals,
                  const gint64 *category_totals, gint64 *cells)
{
  guint n = gr->nm * gr->nc * gr->ng, n_groups = gr->offset[N_KINDS];
  g_autofree double *base_sum = g_new0 (double, n_groups);
  g_autofree int *col_of = g_new0 (int, n);
  g_autoptr (GArray) ia = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) ja = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) ar = g_array_new (FALSE, FALSE, sizeof (double));
  int zero = 0;
  double dzero = 0.0;
  g_array_append_val (ia, zero); /* GLPK arrays are 1-based */
  g_array_append_val (ja, zero);
  g_array_append_val (ar, dzero);

  glp_prob *lp = glp_create_prob ();
  glp_set_obj_dir (lp, GLP_MIN);
  glp_add_rows (lp, (int)n_groups);
  int n_cols = 0;
  for (guint m = 0; m < gr->nm; m++)
    for (guint c = 0; c < gr->nc; c++)
      for (guint g = 0; g < gr->ng; g++)
        {
          guint i = (m * gr->nc + c) * gr->ng + g;
          int rows[N_KINDS];
          double r, base;
          cell_rows (gr, m, c, g, rows);
          gboolean fixed = near_integer (ideal[i], &r);
          base = fixed ? r : floor (ideal[i]);
          cells[i] = (gint64)base;
          for (int k = 0; k < N_KINDS; k++)
            base_sum[rows[k] - 1] += base;
          if (fixed)
            continue;
          col_of[i] = ++n_cols;
          glp_add_cols (lp, 1);
          glp_set_col_kind (lp, n_cols, GLP_BV);
          glp_set_obj_coef (lp, n_cols, 1.0 - 2.0 * (ideal[i] - base));
          for (int k = 0; k < N_KINDS; k++)
            {
              double one = 1.0;
              g_array_append_val (ia, rows[k]);
              g_array_append_val (ja, n_cols);
              g_array_append_val (ar, one);
            }
        }
  /* The objective is then the total cell deviation sum |cell - ideal|, positive,
   * so a relative MIP gap means something. */
  double constant = 0.0;
  for (guint i = 0; i < n; i++)
    if (col_of[i] > 0)
      constant += ideal[i] - floor (ideal[i]);
  glp_set_obj_coef (lp, 0, constant);
  gboolean trivially_infeasible = FALSE;
  for (guint row = 0; row < n_groups; row++)
    {
      double lo, hi, r;
      if (row < gr->offset[KIND_CATEGORY])
        lo = hi = (double)month_totals[row - gr->offset[KIND_MONTH]];
      else if (row < gr->offset[KIND_MONTH_CATEGORY])
        lo = hi = (double)category_totals[row - gr->offset[KIND_CATEGORY]];
      else if (near_integer (gr->group_ideal[row], &r))
        lo = hi = r;
      else
        {
          lo = floor (gr->group_ideal[row]);
          hi = lo + 1.0;
        }
      lo -= base_sum[row];
      hi -= base_sum[row];
      if (hi < 0.0)
        trivially_infeasible = TRUE;
      glp_set_row_bnds (lp, (int)row + 1, lo == hi ? GLP_FX : GLP_DB, lo, hi);
    }
  int status = GLP_NOFEAS;
  if (!trivially_infeasible)
    {
      if (n_cols > 0)
        {
          glp_load_matrix (lp, (int)ia->len - 1, &g_array_index (ia, int, 0),
                           &g_array_index (ja, int, 0), &g_array_index (ar, double, 0));
          status = solve (lp);
        }
      else
        {
          status = GLP_OPT;
          for (guint row = 0; row < n_groups; row++)
            if (glp_get_row_lb (lp, (int)row + 1) > 0.0 || glp_get_row_ub (lp, (int)row + 1) < 0.0)
              status = GLP_NOFEAS;
        }
    }
  if (status == GLP_OPT || status == GLP_FEAS)
    for (guint i = 0; i < n; i++)
      if (col_of[i] > 0)
        cells[i] += (gint64)nearbyint (glp_mip_col_val (lp, col_of[i]));
  glp_delete_prob (lp);
  return status;
}

/* The within-one interval [lo, hi] of an ideal: its floor and ceiling, or the
 * integer itself when the ideal is one. */
static void
within_one_bounds (double v, double *lo, double *hi)
{
  double r;
  if (near_integer (v, &r))
    *lo = *hi = r;
  else
    {
      *lo = floor (v);
      *hi = *lo + 1.0;
    }
}

/* Stage 2, second solve: t held at its minimum @t_star, each row in @up_rows
 * (a cell's or a total's "sum - t <= ideal" row) gets a binary z that alone
 * lets it leave its within-one interval, and the number of such z is minimised.
 * Without this the first table GLPK finds at t_star is kept, and at t = 1 every
 * cell and total with an integral ideal may drift by one for nothing: each drift
 * is one more miss in `plan balance`. */
static void
add_miss_indicators (glp_prob *lp, const GArray *up_rows, double t_star)
{
  int n_cols = glp_get_num_cols (lp);
  g_autofree int *ind = g_new (int, n_cols + 2);
  g_autofree double *val = g_new (double, n_cols + 2);
  /* A sum within t_star of its ideal is at most this far outside [lo, hi]. */
  double big = ceil (t_star) + 1.0;
  glp_set_col_bnds (lp, 1, GLP_DB, 0.0, t_star + INTEGRAL_TOL);
  glp_set_obj_coef (lp, 1, 0.0);
  glp_set_obj_coef (lp, 0, 0.0);
  for (guint u = 0; u < up_rows->len; u++)
    {
      int up = g_array_index (up_rows, int, u);
      double lo, hi;
      within_one_bounds (glp_get_row_ub (lp, up), &lo, &hi);
      int len = glp_get_mat_row (lp, up, ind, val);
      int z = glp_add_cols (lp, 1);
      glp_set_col_kind (lp, z, GLP_BV);
      glp_set_obj_coef (lp, z, 1.0);
      /* The row's entries are the cells (+1) and t (-1): t gives way to z. */
      for (int e = 1; e <= len; e++)
        if (ind[e] == 1)
          ind[e] = z;
      int rows = glp_add_rows (lp, 2);
      for (int e = 1; e <= len; e++)
        if (ind[e] == z)
          val[e] = -big;
      glp_set_mat_row (lp, rows, len, ind, val);
      glp_set_row_bnds (lp, rows, GLP_UP, 0.0, hi);
      for (int e = 1; e <= len; e++)
        if (ind[e] == z)
          val[e] = big;
      glp_set_mat_row (lp, rows + 1, len, ind, val);
      glp_set_row_bnds (lp, rows + 1, GLP_LO, lo, 0.0);
    }
}

/* Stage 2: integer cells near their ideal, minimise the largest deviation t,
 * then at that t the number of cells and totals outside the within-one bound. */
static int
round_min_deviation (const Groups *gr, const double *ideal, const gint64 *month_totals,
                     const gint64 *category_totals, gint64 *cells)
{
  guint n = gr->nm * gr->nc * gr->ng, n_groups = gr->offset[N_KINDS];
  guint n_bounded = n_groups - gr->offset[KIND_MONTH_CATEGORY];
  g_autofree int *col_of = g_new0 (int, n);
  g_autoptr (GArray) ia = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) ja = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) ar = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) up_rows = g_array_new (FALSE, FALSE, sizeof (int));
  int zero = 0;
  double dzero = 0.0, one = 1.0, minus = -1.0;
  g_array_append_val (ia, zero);
  g_array_append_val (ja, zero);
  g_array_append_val (ar, dzero);

  /* Rows: the one-way groups (exact), then for each bounded group an upper row
   * (sum - t <= ideal) and a lower row (sum + t >= ideal), then the same pair
   * for every free cell. Column 1 is t. */
  glp_prob *lp = glp_create_prob ();
  glp_set_obj_dir (lp, GLP_MIN);
  glp_add_cols (lp, 1);
  glp_set_col_bnds (lp, 1, GLP_LO, 0.0, 0.0);
  glp_set_obj_coef (lp, 1, 1.0);
  guint first_pair = gr->offset[KIND_MONTH_CATEGORY];
  glp_add_rows (lp, (int)(first_pair + 2 * n_bounded));
  for (guint row = 0; row < first_pair; row++)
    {
      double v = row < gr->offset[KIND_CATEGORY]
                     ? (double)month_totals[row]
                     : (double)category_totals[row - gr->offset[KIND_CATEGORY]];
      glp_set_row_bnds (lp, (int)row + 1, GLP_FX, v, v);
    }
  for (guint b = 0; b < n_bounded; b++)
    {
      double v = gr->group_ideal[first_pair + b];
      int up = (int)(first_pair + 2 * b) + 1;
      g_array_append_val (up_rows, up);
      glp_set_row_bnds (lp, up, GLP_UP, 0.0, v);
      glp_set_row_bnds (lp, up + 1, GLP_LO, v, 0.0);
      int t_col = 1;
      g_array_append_val (ia, up);
      g_array_append_val (ja, t_col);
      g_array_append_val (ar, minus);
      up++;
      g_array_append_val (ia, up);
      g_array_append_val (ja, t_col);
      g_array_append_val (ar, one);
    }
  int n_cols = 1;
  for (guint m = 0; m < gr->nm; m++)
    for (guint c = 0; c < gr->nc; c++)
      for (guint g = 0; g < gr->ng; g++)
        {
          guint i = (m * gr->nc + c) * gr->ng + g;
          cells[i] = 0;
          if (ideal[i] == 0.0)
            continue; /* structural zero: a season or an empty grade pool */
          int rows[N_KINDS];
          cell_rows (gr, m, c, g, rows);
          col_of[i] = ++n_cols;
          glp_add_cols (lp, 1);
          glp_set_col_kind (lp, n_cols, GLP_IV);
          glp_set_col_bnds (lp, n_cols, GLP_DB, MAX (0.0, floor (ideal[i]) - 1.0),
                            ceil (ideal[i]) + 1.0);
          /* The cell's own pair of rows. */
          int own = glp_add_rows (lp, 2);
          g_array_append_val (up_rows, own);
          glp_set_row_bnds (lp, own, GLP_UP, 0.0, ideal[i]);
          glp_set_row_bnds (lp, own + 1, GLP_LO, ideal[i], 0.0);
          int pair_rows[] = { own, own + 1 };
          double t_coef[] = { -1.0, 1.0 };
          for (int p = 0; p < 2; p++)
            {
              int t_col = 1;
              g_array_append_val (ia, pair_rows[p]);
              g_array_append_val (ja, n_cols);
              g_array_append_val (ar, one);
              g_array_append_val (ia, pair_rows[p]);
              g_array_append_val (ja, t_col);
              g_array_append_val (ar, t_coef[p]);
            }
          for (int k = 0; k < N_KINDS; k++)
            {
              int r = rows[k];
              int nrows = 1;
              int targets[2];
              if (r - 1 < (int)first_pair)
                targets[0] = r;
              else
                {
                  targets[0] = (int)(first_pair + 2 * (guint)(r - 1 - (int)first_pair)) + 1;
                  targets[1] = targets[0] + 1;
                  nrows = 2;
                }
              for (int p = 0; p < nrows; p++)
                {
                  g_array_append_val (ia, targets[p]);
                  g_array_append_val (ja, n_cols);
                  g_array_append_val (ar, one);
                }
            }
        }
  glp_load_matrix (lp, (int)ia->len - 1, &g_array_index (ia, int, 0), &g_array_index (ja, int, 0),
                   &g_array_index (ar, double, 0));
  int status = solve (lp);
  if (status == GLP_OPT || status == GLP_FEAS)
    {
      for (guint i = 0; i < n; i++)
        if (col_of[i] > 0)
          cells[i] = (gint64)nearbyint (glp_mip_col_val (lp, col_of[i]));
      /* The first table stays the answer should the second solve fail: it
       * already has the smallest largest deviation. */
      add_miss_indicators (lp, up_rows, glp_mip_col_val (lp, 1));
      int fewest = solve (lp);
      if (fewest == GLP_OPT || fewest == GLP_FEAS)
        for (guint i = 0; i < n; i++)
          if (col_of[i] > 0)
            cells[i] = (gint64)nearbyint (glp_mip_col_val (lp, col_of[i]));
    }
  glp_delete_prob (lp);
  return status;
}

static double
max_deviation (const Groups *gr, const double *ideal, const gint64 *cells)
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
    worst = MAX (worst, fabs (sums[r] - gr->group_ideal[r]));
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
                        const gint64 *month_totals, const gint64 *category_totals, gint64 *cells,
                        SchedRoundResult *result, GError **error)
{
  Groups gr;
  groups_init (&gr, nm, nc, ng, ideal);
  glp_term_hook (glpk_quiet, NULL);
  int status = round_within_one (&gr, ideal, month_totals, category_totals, cells);
  gboolean within = status == GLP_OPT || status == GLP_FEAS;
  if (!within && status == GLP_NOFEAS)
    status = round_min_deviation (&gr, ideal, month_totals, category_totals, cells);
  glp_term_hook (NULL, NULL);
  if (!(status == GLP_OPT || status == GLP_FEAS)
      || !totals_exact (&gr, cells, month_totals, category_totals))
    {
      g_free (gr.group_ideal);
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_SOLVER,
                   "the integer program for the plan's rounding failed (GLPK status %d); check "
                   "that month and category totals add up to the same number and match the "
                   "ideal table",
                   status);
      return FALSE;
    }
  result->max_deviation = max_deviation (&gr, ideal, cells);
  result->within_one = within;
  g_free (gr.group_ideal);
  return TRUE;
}

void
sched_round_independent (gsize n, const double *ideal, gint64 *cells)
{
  for (gsize i = 0; i < n; i++)
    cells[i] = (gint64)floor (ideal[i] + 0.5);
}
