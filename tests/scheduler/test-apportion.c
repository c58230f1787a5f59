/* test-apportion.c: largest remainder and Huntington–Hill against published
 * examples, minimums, tie-breaks and refusals. */
#include "scheduler/sched-apportion.h"

#include <check.h>

/* US 1790 census apportionment populations, 15 states, total 3,615,920. */
static const double census_1790[] = {
  236841, /* Connecticut */ 55540,     /* Delaware */ 70835,     /* Georgia */
  68705,  /* Kentucky */ 278514,       /* Maryland */ 475327,    /* Massachusetts */
  141822, /* New Hampshire */ 179570,  /* New Jersey */ 331589,  /* New York */
  353523, /* North Carolina */ 432879, /* Pennsylvania */ 68446, /* Rhode Island */
  206236, /* South Carolina */ 85533,  /* Vermont */ 630560,     /* Virginia */
};

START_TEST (test_hamilton_1792_vetoed_bill)
{
  /* Hamilton's method, 120 seats: the bill Washington vetoed in 1792 (as tabled in
   * Tannenbaum-style textbooks: 9 states get their upper quota). */
  const gint64 want[] = { 8, 2, 2, 2, 9, 16, 5, 6, 11, 12, 14, 2, 7, 3, 21 };
  gint64 got[15];
  g_autoptr (GError) error = NULL;
  ck_assert (sched_apportion_largest_remainder (120, census_1790, NULL, 15, got, &error));
  for (int i = 0; i < 15; i++)
    ck_assert_int_eq (got[i], want[i]);
}
END_TEST

START_TEST (test_huntington_hill_1790)
{
  /* Equal proportions with 105 seats (the House size of 1792); the textbook
   * modified divisor 34,800 rounded at geometric means gives the same. */
  const gint64 want[] = { 7, 2, 2, 2, 8, 14, 4, 5, 10, 10, 12, 2, 6, 3, 18 };
  gint64 got[15];
  g_autoptr (GError) error = NULL;
  ck_assert (sched_apportion_huntington_hill (105, census_1790, 15, got, &error));
  for (int i = 0; i < 15; i++)
    ck_assert_int_eq (got[i], want[i]);
}
END_TEST

START_TEST (test_largest_remainder_hare_example)
{
  /* The standard Hare-quota example: 100,000 votes, 10 seats -> 5 2 1 1 1 0. */
  const double votes[] = { 47000, 16000, 15800, 12000, 6100, 3100 };
  const gint64 want[] = { 5, 2, 1, 1, 1, 0 };
  gint64 got[6];
  ck_assert (sched_apportion_largest_remainder (10, votes, NULL, 6, got, NULL));
  for (int i = 0; i < 6; i++)
    ck_assert_int_eq (got[i], want[i]);
}
END_TEST

START_TEST (test_alabama_paradox)
{
  /* Populations 6, 6, 2: 10 seats give 4 4 2, 11 seats give 5 5 1 — the third
   * state loses a seat when the house grows (the Alabama paradox of Hamilton). */
  const double pop[] = { 6, 6, 2 };
  gint64 ten[3], eleven[3];
  ck_assert (sched_apportion_largest_remainder (10, pop, NULL, 3, ten, NULL));
  ck_assert (sched_apportion_largest_remainder (11, pop, NULL, 3, eleven, NULL));
  ck_assert_int_eq (ten[0], 4);
  ck_assert_int_eq (ten[1], 4);
  ck_assert_int_eq (ten[2], 2);
  ck_assert_int_eq (eleven[0], 5);
  ck_assert_int_eq (eleven[1], 5);
  ck_assert_int_eq (eleven[2], 1);
}
END_TEST

START_TEST (test_equal_months)
{
  double w[12];
  gint64 got[12];
  for (int i = 0; i < 12; i++)
    w[i] = 1.0;
  ck_assert (sched_apportion_largest_remainder (5520, w, NULL, 12, got, NULL));
  for (int i = 0; i < 12; i++)
    ck_assert_int_eq (got[i], 460);
  /* 5525 = 12 × 460 + 5: equal remainders, equal weights: the first five months. */
  ck_assert (sched_apportion_largest_remainder (5525, w, NULL, 12, got, NULL));
  for (int i = 0; i < 12; i++)
    ck_assert_int_eq (got[i], i < 5 ? 461 : 460);
}
END_TEST

START_TEST (test_tie_prefers_larger_weight)
{
  /* Quotas 1.5 and 0.5 and 1.0 (weights 3, 1, 2 of 6 for 3 seats): remainders
   * .5 and .5 tie; the larger weight (3) wins. */
  const double w[] = { 1, 3, 2 };
  gint64 got[3];
  ck_assert (sched_apportion_largest_remainder (3, w, NULL, 3, got, NULL));
  ck_assert_int_eq (got[0], 0);
  ck_assert_int_eq (got[1], 2);
  ck_assert_int_eq (got[2], 1);
}
END_TEST

START_TEST (test_minimums_water_fill)
{
  /* 100 over weights 90, 5, 5 with minimum 12 each: the small ones get 12, the
   * large one the remaining 76. */
  const double w[] = { 90, 5, 5 };
  const gint64 min[] = { 12, 12, 12 };
  gint64 got[3];
  ck_assert (sched_apportion_largest_remainder (100, w, min, 3, got, NULL));
  ck_assert_int_eq (got[0], 76);
  ck_assert_int_eq (got[1], 12);
  ck_assert_int_eq (got[2], 12);
  /* A zero weight still gets its minimum. */
  const double w0[] = { 1, 0, 1 };
  ck_assert (sched_apportion_largest_remainder (40, w0, min, 3, got, NULL));
  ck_assert_int_eq (got[1], 12);
  ck_assert_int_eq (got[0], 14);
  ck_assert_int_eq (got[2], 14);
}
END_TEST

START_TEST (test_property_exact_and_quota)
{
  /* Totals exact, each share within one of its quota, minimums kept. */
  GRand *rand = g_rand_new_with_seed (1790);
  for (int round = 0; round < 500; round++)
    {
      gsize n = (gsize)g_rand_int_range (rand, 1, 40);
      double w[40];
      gint64 min[40], got[40];
      double wsum = 0.0;
      for (gsize i = 0; i < n; i++)
        {
          w[i] = g_rand_int_range (rand, 0, 4) == 0 ? 0.0 : g_rand_double_range (rand, 0.1, 100);
          wsum += w[i];
          min[i] = 0;
        }
      if (wsum == 0.0)
        w[0] = wsum = 1.0;
      gint64 total = g_rand_int_range (rand, 0, 200000);
      ck_assert (sched_apportion_largest_remainder (total, w, NULL, n, got, NULL));
      gint64 sum = 0;
      for (gsize i = 0; i < n; i++)
        {
          double q = (double)total * w[i] / wsum;
          ck_assert_msg (got[i] >= (gint64)q - 1 && got[i] <= (gint64)q + 1, "quota rule");
          sum += got[i];
        }
      ck_assert_int_eq (sum, total);
      for (gsize i = 0; i < n; i++)
        min[i] = g_rand_int_range (rand, 0, 13);
      gint64 msum = 0;
      for (gsize i = 0; i < n; i++)
        msum += min[i];
      ck_assert (sched_apportion_largest_remainder (total + msum, w, min, n, got, NULL));
      sum = 0;
      for (gsize i = 0; i < n; i++)
        {
          ck_assert (got[i] >= min[i]);
          sum += got[i];
        }
      ck_assert_int_eq (sum, total + msum);
    }
  g_rand_free (rand);
}
END_TEST

START_TEST (test_exact_ties_by_weight)
{
  /* 896 over these month weights (sum 17.5): quotas 51.2, 25.6, 153.6, 102.4;
   * six remainders of exactly 0.6 tie for five extra batches, so the three
   * weights of 3 win, then the earlier two of the halves. As doubles, 896 ×
   * 0.5 / 17.5 and 896 × 3 / 17.5 differ in their last bits. */
  const double w[] = { 1, 1, 0.5, 1, 3, 0.5, 3, 2, 0.5, 1, 1, 3 };
  const gint64 want[] = { 51, 51, 26, 51, 154, 26, 154, 102, 25, 51, 51, 154 };
  gint64 got[12];
  ck_assert (sched_apportion_largest_remainder (896, w, NULL, 12, got, NULL));
  for (int i = 0; i < 12; i++)
    ck_assert_msg (got[i] == want[i], "month %d: %" G_GINT64_FORMAT, i + 1, got[i]);
  /* Weights 0.1 × 3 and 0.3: the same decimal, the same quota. */
  const double tenth[] = { 0.1 * 3, 0.3, 0.3, 0.1 };
  ck_assert (sched_apportion_largest_remainder (5, tenth, NULL, 4, got, NULL));
  ck_assert_int_eq (got[0] + got[1] + got[2] + got[3], 5);
  ck_assert (got[1] == got[2]);
}
END_TEST

START_TEST (test_part_halves)
{
  /* An exact half goes to the larger of part and rest: down for a share
   * below one half, up above it. */
  ck_assert_int_eq (sched_apportion_part (7350, 0.07), 514);
  ck_assert_int_eq (sched_apportion_part (5530, 0.05), 276);
  ck_assert_int_eq (sched_apportion_part (5530, 0.95), 5254); /* 5253.5 */
  ck_assert_int_eq (sched_apportion_part (5, 0.5), 2);
  ck_assert_int_eq (sched_apportion_part (7351, 0.07), 515); /* 514.57 */
  ck_assert_int_eq (sched_apportion_part (5520, 0.0), 0);
  ck_assert_int_eq (sched_apportion_part (G_MAXINT64, 0.99), 9131138316486228049); /* .93 */
}
END_TEST

START_TEST (test_no_overflow)
{
  /* The largest total with large weights: exact, no signed overflow. */
  const double w[] = { 1e9, 1, 2.5, 1e9 };
  const gint64 min[] = { 0, G_MAXINT32, 0, 0 };
  gint64 got[4];
  g_autoptr (GError) error = NULL;
  ck_assert (sched_apportion_largest_remainder (G_MAXINT64, w, NULL, 4, got, NULL)
             || TRUE); /* may refuse as too large, but never overflow */
  ck_assert (sched_apportion_largest_remainder (9223372036854775807, w, min, 4, got, &error)
             || g_error_matches (error, SCHED_ERROR, SCHED_ERROR_INPUT));
  const gint64 huge[] = { G_MAXINT64, G_MAXINT64, 0, 0 };
  g_autoptr (GError) e2 = NULL;
  ck_assert (!sched_apportion_largest_remainder (100, w, huge, 4, got, &e2));
  ck_assert (g_error_matches (e2, SCHED_ERROR, SCHED_ERROR_INPUT));
  ck_assert (sched_apportion_largest_remainder (2000000000, w, min + 1, 3, got, NULL) || TRUE);
}
END_TEST

START_TEST (test_refusals)
{
  gint64 got[3];
  const double neg[] = { 1, -1, 1 };
  const double zero[] = { 0, 0, 0 };
  const double ok[] = { 1, 1, 1 };
  const gint64 min[] = { 12, 12, 12 };
  g_autoptr (GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
  ck_assert (!sched_apportion_largest_remainder (10, neg, NULL, 3, got, &e1));
  ck_assert (g_error_matches (e1, SCHED_ERROR, SCHED_ERROR_INPUT));
  ck_assert (!sched_apportion_largest_remainder (10, zero, NULL, 3, got, &e2));
  ck_assert (g_error_matches (e2, SCHED_ERROR, SCHED_ERROR_INPUT));
  ck_assert (!sched_apportion_largest_remainder (35, ok, min, 3, got, &e3));
  ck_assert (g_error_matches (e3, SCHED_ERROR, SCHED_ERROR_INPUT));
  ck_assert (!sched_apportion_huntington_hill (2, ok, 3, got, &e4));
  ck_assert (g_error_matches (e4, SCHED_ERROR, SCHED_ERROR_INPUT));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("apportion");
  TCase *tc = tcase_create ("core");
  tcase_add_test (tc, test_hamilton_1792_vetoed_bill);
  tcase_add_test (tc, test_huntington_hill_1790);
  tcase_add_test (tc, test_largest_remainder_hare_example);
  tcase_add_test (tc, test_alabama_paradox);
  tcase_add_test (tc, test_equal_months);
  tcase_add_test (tc, test_tie_prefers_larger_weight);
  tcase_add_test (tc, test_minimums_water_fill);
  tcase_add_test (tc, test_property_exact_and_quota);
  tcase_add_test (tc, test_exact_ties_by_weight);
  tcase_add_test (tc, test_part_halves);
  tcase_add_test (tc, test_no_overflow);
  tcase_add_test (tc, test_refusals);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
