/* test-round.c: controlled rounding of the plan's ideal table: within one where
 * such a table exists, and the fallback (smallest largest deviation, then the
 * fewest misses) on tables where none exists, checked against brute force. */
#include "scheduler/sched-balance.h"
#include "scheduler/sched-plan-config.h"
#include "scheduler/sched-round.h"

#include <check.h>
#include <math.h>
#include <string.h>

#define MAX_CELLS 18
#define MAX_TOTALS 64
#define TOL 1e-9

typedef struct
{
  guint nm, nc, ng;
  double ideal[MAX_CELLS];
  gint64 months[4], categories[4];
} Table;

/* Fills the one-way totals from @ideal, which must give integers. */
static Table
table_new (guint nm, guint nc, guint ng, const double *ideal)
{
  Table t = { .nm = nm, .nc = nc, .ng = ng };
  for (guint m = 0; m < nm; m++)
    for (guint c = 0; c < nc; c++)
      for (guint g = 0; g < ng; g++)
        {
          double v = ideal[(m * nc + c) * ng + g];
          t.ideal[(m * nc + c) * ng + g] = v;
          t.months[m] += (gint64)(v * 4.0); /* quarters at most: exact in binary */
          t.categories[c] += (gint64)(v * 4.0);
        }
  for (guint m = 0; m < nm; m++)
    {
      ck_assert (t.months[m] % 4 == 0);
      t.months[m] /= 4;
    }
  for (guint c = 0; c < nc; c++)
    {
      ck_assert (t.categories[c] % 4 == 0);
      t.categories[c] /= 4;
    }
  return t;
}

/* Brute force over every integer table whose cells lie in floor-1..ceil+1 (a
 * zero ideal stays zero), one-way totals exact: first the smallest largest
 * deviation over cells and the other totals, then at that deviation the fewest
 * cells and totals at least one away. Totals are checked as soon as their last
 * cell is set, which keeps these tiny tables to milliseconds. */
typedef struct
{
  const Table *t;
  guint n, n_totals;
  guint member[MAX_CELLS][6]; /* the totals each cell adds to */
  guint last[MAX_TOTALS];     /* the cell that completes each total */
  gboolean exact[MAX_TOTALS]; /* month and category totals */
  double want[MAX_TOTALS];
  gint64 sum[MAX_TOTALS];
  double t_max; /* second pass: the bound on every deviation */
  double best_t;
  guint best_misses;
} Brute;

static void
brute_init (Brute *b, const Table *t)
{
  memset (b, 0, sizeof *b);
  b->t = t;
  b->n = t->nm * t->nc * t->ng;
  guint sizes[6] = { t->nm, t->nc, t->nm * t->nc, t->nm * t->ng, t->nc * t->ng, t->ng }, off[7];
  off[0] = 0;
  for (int k = 0; k < 6; k++)
    off[k + 1] = off[k] + sizes[k];
  b->n_totals = off[6];
  ck_assert (b->n <= MAX_CELLS && b->n_totals <= MAX_TOTALS);
  for (guint r = 0; r < off[2]; r++)
    b->exact[r] = TRUE;
  for (guint m = 0; m < t->nm; m++)
    for (guint c = 0; c < t->nc; c++)
      for (guint g = 0; g < t->ng; g++)
        {
          guint i = (m * t->nc + c) * t->ng + g;
          guint idx[6] = { m, c, m * t->nc + c, m * t->ng + g, c * t->ng + g, g };
          for (int k = 0; k < 6; k++)
            {
              guint r = off[k] + idx[k];
              b->member[i][k] = r;
              b->want[r] += t->ideal[i];
              b->last[r] = i;
            }
        }
}

/* Pass 1 (t_max < 0): smallest largest deviation. Pass 2: fewest misses. */
static void
brute_search (Brute *b, guint i, double dev, guint misses)
{
  gboolean fewest = b->t_max >= 0.0;
  if (fewest ? misses >= b->best_misses : dev >= b->best_t - TOL)
    return;
  if (i == b->n)
    {
      if (fewest)
        b->best_misses = misses;
      else
        b->best_t = dev;
      return;
    }
  double v = b->t->ideal[i];
  gint64 lo = v == 0.0 ? 0 : MAX (0, (gint64)floor (v) - 1);
  gint64 hi = v == 0.0 ? 0 : (gint64)ceil (v) + 1;
  for (gint64 x = lo; x <= hi; x++)
    {
      double d = fabs ((double)x - v), dev2 = MAX (dev, d);
      guint misses2 = misses + (d >= 1.0 - TOL);
      gboolean ok = !fewest || d <= b->t_max + TOL;
      for (int k = 0; k < 6; k++)
        b->sum[b->member[i][k]] += x;
      for (int k = 0; k < 6 && ok; k++)
        {
          guint r = b->member[i][k];
          if (b->last[r] != i)
            continue;
          double dr = fabs ((double)b->sum[r] - b->want[r]);
          if (b->exact[r])
            ok = dr < TOL;
          else
            {
              dev2 = MAX (dev2, dr);
              misses2 += dr >= 1.0 - TOL;
              ok = !fewest || dr <= b->t_max + TOL;
            }
        }
      if (ok)
        brute_search (b, i + 1, dev2, misses2);
      for (int k = 0; k < 6; k++)
        b->sum[b->member[i][k]] -= x;
    }
}

static void
brute_optimum (const Table *t, double *best_t, guint *best_misses)
{
  Brute b;
  brute_init (&b, t);
  b.t_max = -1.0;
  b.best_t = G_MAXDOUBLE;
  brute_search (&b, 0, 0.0, 0);
  b.t_max = b.best_t;
  b.best_misses = G_MAXUINT;
  brute_search (&b, 0, 0.0, 0);
  *best_t = b.best_t;
  *best_misses = b.best_misses;
}

static void
round_table (const Table *t, gint64 *cells, SchedRoundResult *result)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = sched_round_controlled (t->nm, t->nc, t->ng, t->ideal, t->months, t->categories,
                                        0.0, cells, result, &error);
  ck_assert_msg (ok, "%s", error ? error->message : "");
}

/* Month and category totals exact, nothing negative, zero ideals kept zero. */
static void
assert_one_way_exact (const Table *t, const gint64 *cells)
{
  for (guint m = 0; m < t->nm; m++)
    {
      gint64 s = 0;
      for (guint j = 0; j < t->nc * t->ng; j++)
        s += cells[m * t->nc * t->ng + j];
      ck_assert_int_eq (s, t->months[m]);
    }
  for (guint c = 0; c < t->nc; c++)
    {
      gint64 s = 0;
      for (guint m = 0; m < t->nm; m++)
        for (guint g = 0; g < t->ng; g++)
          s += cells[(m * t->nc + c) * t->ng + g];
      ck_assert_int_eq (s, t->categories[c]);
    }
  for (guint i = 0; i < t->nm * t->nc * t->ng; i++)
    {
      ck_assert (cells[i] >= 0);
      if (t->ideal[i] == 0.0)
        ck_assert_int_eq (cells[i], 0);
    }
}

/* Each listed miss names a real total: recomputed from the cells over the
 * indices it reports (-1 for a dimension the total runs over). */
static void
assert_misses_true (const Table *t, const gint64 *cells, const SchedBalance *bal)
{
  for (guint k = 0; k < bal->misses->len; k++)
    {
      const SchedMiss *miss = &g_array_index (bal->misses, SchedMiss, k);
      double want = 0.0;
      gint64 got = 0;
      for (guint m = 0; m < t->nm; m++)
        for (guint c = 0; c < t->nc; c++)
          for (guint g = 0; g < t->ng; g++)
            if ((miss->month < 0 || miss->month == (int)m)
                && (miss->category < 0 || miss->category == (int)c)
                && (miss->grade < 0 || miss->grade == (int)g))
              {
                want += t->ideal[(m * t->nc + c) * t->ng + g];
                got += cells[(m * t->nc + c) * t->ng + g];
              }
      ck_assert_int_eq (miss->actual, got);
      ck_assert (fabs (miss->ideal - want) < TOL);
      ck_assert (fabs (miss->deviation - ((double)got - want)) < TOL);
      ck_assert (fabs (miss->deviation) >= 1.0 - TOL);
      ck_assert (miss->kind != SCHED_TOTAL_MONTH && miss->kind != SCHED_TOTAL_CATEGORY);
    }
}

/* Within one exists: every cell the floor or the ceiling, no miss. */
static void
assert_within_one (const Table *t)
{
  gint64 cells[MAX_CELLS];
  SchedRoundResult result;
  round_table (t, cells, &result);
  ck_assert (result.within_one);
  ck_assert (result.max_deviation < 1.0);
  assert_one_way_exact (t, cells);
  for (guint i = 0; i < t->nm * t->nc * t->ng; i++)
    ck_assert_msg ((double)cells[i] == floor (t->ideal[i])
                       || (double)cells[i] == ceil (t->ideal[i]),
                   "cell %u: %" G_GINT64_FORMAT " for %g", i, cells[i], t->ideal[i]);
  g_autoptr (SchedBalance) bal = sched_balance_compute (t->nm, t->nc, t->ng, t->ideal, cells);
  ck_assert_uint_eq (bal->misses->len, 0);
}

START_TEST (test_within_one_halves)
{
  /* 2 × 2 × 2 with halves on a pattern that an even cycle can absorb. */
  const double ideal[] = { 0.5, 0.5, 0.5, 0.5, 1.5, 0.5, 0.5, 1.5 };
  Table t = table_new (2, 2, 2, ideal);
  assert_within_one (&t);
}
END_TEST

START_TEST (test_within_one_quarters_with_zeros)
{
  /* 2 months × 3 categories × 2 grades, integral and zero cells among them:
   * the integral ones come back unchanged, the zeros stay zero. */
  const double ideal[] = { 1.25, 0.75, 2.0, 0.0, 0.5, 1.5, 0.75, 0.25, 1.0, 3.0, 0.0, 0.0 };
  Table t = table_new (2, 3, 2, ideal);
  assert_within_one (&t);
  gint64 cells[MAX_CELLS];
  SchedRoundResult result;
  round_table (&t, cells, &result);
  ck_assert_int_eq (cells[2], 2);
  ck_assert_int_eq (cells[9], 3);
  double best_t;
  guint best_misses;
  brute_optimum (&t, &best_t, &best_misses);
  ck_assert (best_t < 1.0 && best_misses == 0);
}
END_TEST

/* Stage 2 on a table without a within-one rounding: the result matches the
 * brute-force optimum, is reported as not within one, and `plan balance`
 * lists each miss with its amount. Returns the balance text. */
static char *
assert_fallback (const Table *t, guint *n_misses)
{
  double best_t;
  guint best_misses;
  brute_optimum (t, &best_t, &best_misses);
  /* Any table outside within-one is at least one away somewhere, and every
   * within-one table lies in the enumerated range: so none exists. */
  ck_assert_msg (best_t >= 1.0 - TOL, "a within-one table exists (largest deviation %g)", best_t);

  gint64 cells[MAX_CELLS];
  SchedRoundResult result;
  round_table (t, cells, &result);
  ck_assert (!result.within_one);
  assert_one_way_exact (t, cells);
  ck_assert_msg (fabs (result.max_deviation - best_t) < 1e-6, "largest deviation %g, optimum %g",
                 result.max_deviation, best_t);

  g_autoptr (SchedBalance) bal = sched_balance_compute (t->nm, t->nc, t->ng, t->ideal, cells);
  double worst = 0.0;
  for (int k = 0; k < SCHED_N_TOTAL_KINDS; k++)
    worst = MAX (worst, bal->max_deviation[k]);
  ck_assert (fabs (worst - result.max_deviation) < 1e-6);
  ck_assert_uint_eq (bal->misses->len, best_misses);
  assert_misses_true (t, cells, bal);
  *n_misses = bal->misses->len;
  const char *codes[] = { "01", "02", "03", "04" };
  char *text = sched_balance_to_text (bal, NULL, codes, SCHED_GRADE_LETTERS);
  g_autofree char *count = g_strdup_printf ("misses of the within-one bound: %u\n", best_misses);
  ck_assert_msg (strstr (text, count) != NULL, "%s", text);

  /* Deterministic: a second run gives the same table and the same text. */
  gint64 again[MAX_CELLS];
  SchedRoundResult result2;
  round_table (t, again, &result2);
  ck_assert (memcmp (cells, again, sizeof (gint64) * t->nm * t->nc * t->ng) == 0);
  ck_assert (result2.within_one == result.within_one
             && result2.max_deviation == result.max_deviation);
  g_autoptr (SchedBalance) bal2 = sched_balance_compute (t->nm, t->nc, t->ng, t->ideal, again);
  g_autofree char *text2 = sched_balance_to_text (bal2, NULL, codes, SCHED_GRADE_LETTERS);
  ck_assert_str_eq (text, text2);
  return text;
}

START_TEST (test_no_within_one_parity)
{
  /* Found by a random search over 2-3 × 2-3 × 2-3 tables of quarters (within
   * one checked by enumerating every floor/ceiling choice); the smallest kind.
   * Four cells of one half, a = (1,01,A), b = (1,02,B), c = (2,01,B),
   * d = (2,02,A), the rest zero; every total is one. Months and categories
   * give a + b = a + c = 1, so b = c, and grade B needs b + c = 1: no 0/1
   * choice does it. Grades must then miss: one gets 2, the other 0. */
  const double ideal[] = { 0.5, 0, 0, 0.5, 0, 0.5, 0.5, 0 };
  Table t = table_new (2, 2, 2, ideal);
  guint n_misses;
  g_autofree char *text = assert_fallback (&t, &n_misses);
  ck_assert_uint_eq (n_misses, 2);
  gboolean a_high
      = strstr (text, "  grade grade A: 2 against ideal 1.000 (off by 1.000)\n") != NULL;
  const char *a_line = a_high ? "  grade grade A: 2 against ideal 1.000 (off by 1.000)\n"
                              : "  grade grade A: 0 against ideal 1.000 (off by -1.000)\n";
  const char *b_line = a_high ? "  grade grade B: 0 against ideal 1.000 (off by -1.000)\n"
                              : "  grade grade B: 2 against ideal 1.000 (off by 1.000)\n";
  ck_assert_msg (strstr (text, a_line) && strstr (text, b_line), "%s", text);
}
END_TEST

START_TEST (test_no_within_one_fewest_misses)
{
  /* Found by the same search (2 × 2 × 3, halves): enumeration finds no
   * within-one table. At the smallest largest deviation, 1, a table may miss
   * seven cells and totals (integral cells and totals drifting by one for
   * nothing, as the first table GLPK finds at that deviation did); one miss is
   * the least, and the rounding must find it. */
  const double ideal[] = { 0.0, 0.5, 1.5, 2.0, 0.0, 0.0, 0.5, 1.5, 0.0, 1.0, 0.5, 1.5 };
  Table t = table_new (2, 2, 3, ideal);
  ck_assert_int_eq (t.months[0], 4);
  ck_assert_int_eq (t.categories[1], 5);
  guint n_misses;
  g_autofree char *text = assert_fallback (&t, &n_misses);
  ck_assert_uint_eq (n_misses, 1);
}
END_TEST

/* Random quarters (0 to 2 batches, a third of them zero) in an nm × nc × ng
 * table, topped up in a few cells so that every month and category total is
 * a whole number. */
static void
random_quarters (GRand *rand, guint nm, guint nc, guint ng, double *ideal)
{
  gint64 q[256];
  g_assert (nm * nc * ng <= G_N_ELEMENTS (q));
  for (guint i = 0; i < nm * nc * ng; i++)
    q[i] = g_rand_int_range (rand, 0, 3) == 0 ? 0 : g_rand_int_range (rand, 1, 9);
  for (guint m = 0; m < nm; m++)
    {
      gint64 sum = 0;
      for (guint i = m * nc * ng; i < (m + 1) * nc * ng; i++)
        sum += q[i];
      if (m + 1 < nm)
        q[(m * nc + nc - 1) * ng] += (4 - sum % 4) % 4;
    }
  for (guint c = 0; c + 1 < nc; c++)
    {
      gint64 sum = 0;
      for (guint m = 0; m < nm; m++)
        for (guint g = 0; g < ng; g++)
          sum += q[(m * nc + c) * ng + g];
      q[((nm - 1) * nc + c) * ng] += (4 - sum % 4) % 4;
    }
  gint64 last = 0;
  for (guint i = (nm - 1) * nc * ng; i < nm * nc * ng; i++)
    last += q[i];
  q[((nm - 1) * nc + nc - 1) * ng] += (4 - last % 4) % 4;
  for (guint i = 0; i < nm * nc * ng; i++)
    ideal[i] = (double)q[i] / 4.0;
}

START_TEST (test_smallest_largest_deviation)
{
  /* Random small tables in quarters, integral one-way totals: the rounding
   * reaches the brute-force smallest largest deviation and says it proved it
   * (a table merely within one, as before, often sat above it). */
  GRand *rand = g_rand_new_with_seed (2024);
  for (int round = 0; round < 40; round++)
    {
      guint nm = 2, nc = (guint)g_rand_int_range (rand, 2, 4);
      guint ng = (guint)g_rand_int_range (rand, 2, 4);
      double ideal[MAX_CELLS];
      random_quarters (rand, nm, nc, ng, ideal);
      Table t = table_new (nm, nc, ng, ideal);
      double best_t;
      guint best_misses;
      brute_optimum (&t, &best_t, &best_misses);
      gint64 cells[MAX_CELLS];
      SchedRoundResult result;
      round_table (&t, cells, &result);
      assert_one_way_exact (&t, cells);
      ck_assert_msg (fabs (result.max_deviation - best_t) < 1e-9, "round %d: %g, optimum %g", round,
                     result.max_deviation, best_t);
      ck_assert (result.proven && result.lower_bound == result.max_deviation);
      ck_assert (result.within_one == (best_t < 1.0 - TOL));
    }
  g_rand_free (rand);
}
END_TEST

/* Months 1-2 × categories 1-2 hold the parity block of
 * test_no_within_one_parity in grades C and D, alone in those months,
 * categories and grades; the rest is random in grades A and B: no
 * within-one rounding. With no time limit the optimum is proven; with one too
 * short for the bisection the best table found so far comes back marked as
 * not proven, still with exact totals, or the solver says it ran out of time. */
START_TEST (test_time_limit)
{
  const guint nm = 6, nc = 8, ng = 4, n = nm * nc * ng;
  g_autofree double *ideal = g_new0 (double, n);
  g_autofree gint64 *months = g_new0 (gint64, nm);
  g_autofree gint64 *cats = g_new0 (gint64, nc);
  g_autofree gint64 *cells = g_new (gint64, n);
  double rest[4 * 6 * 2];
  GRand *rand = g_rand_new_with_seed (15);
  random_quarters (rand, 4, 6, 2, rest);
  g_rand_free (rand);
  for (guint m = 0; m < 4; m++)
    for (guint c = 0; c < 6; c++)
      for (guint g = 0; g < 2; g++)
        ideal[((m + 2) * nc + c + 2) * ng + g] = rest[(m * 6 + c) * 2 + g];
  const double block[] = { 0.5, 0, 0, 0.5, 0, 0.5, 0.5, 0 };
  for (guint m = 0; m < 2; m++)
    for (guint c = 0; c < 2; c++)
      for (guint g = 0; g < 2; g++)
        ideal[(m * nc + c) * ng + g + 2] = block[(m * 2 + c) * 2 + g];
  for (guint m = 0; m < nm; m++)
    for (guint c = 0; c < nc; c++)
      for (guint g = 0; g < ng; g++)
        {
          months[m] += (gint64)(4 * ideal[(m * nc + c) * ng + g]);
          cats[c] += (gint64)(4 * ideal[(m * nc + c) * ng + g]);
        }
  for (guint m = 0; m < nm; m++)
    months[m] /= 4;
  for (guint c = 0; c < nc; c++)
    cats[c] /= 4;
  SchedRoundResult full;
  g_autoptr (GError) error = NULL;
  ck_assert_msg (
      sched_round_controlled (nm, nc, ng, ideal, months, cats, 0.0, cells, &full, &error), "%s",
      error ? error->message : "");
  ck_assert (!full.within_one && full.proven);
  ck_assert (full.max_deviation >= 1.0 && full.lower_bound == full.max_deviation);
  SchedRoundResult cut;
  g_autoptr (GError) cut_error = NULL;
  if (sched_round_controlled (nm, nc, ng, ideal, months, cats, 1e-6, cells, &cut, &cut_error))
    {
      ck_assert (!cut.proven);
      ck_assert (cut.lower_bound <= cut.max_deviation);
      ck_assert (cut.max_deviation >= full.max_deviation - 1e-9);
      for (guint m = 0; m < nm; m++)
        {
          gint64 s = 0;
          for (guint i = m * nc * ng; i < (m + 1) * nc * ng; i++)
            s += cells[i];
          ck_assert_int_eq (s, months[m]);
        }
    }
  else
    ck_assert_msg (g_error_matches (cut_error, SCHED_ERROR, SCHED_ERROR_SOLVER)
                       && strstr (cut_error->message, "solver_seconds"),
                   "%s", cut_error->message);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("round");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_within_one_halves);
  tcase_add_test (tc, test_within_one_quarters_with_zeros);
  tcase_add_test (tc, test_no_within_one_parity);
  tcase_add_test (tc, test_no_within_one_fewest_misses);
  tcase_add_test (tc, test_smallest_largest_deviation);
  tcase_add_test (tc, test_time_limit);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
