/* test-rng.c: the draw's generator reproduces the published reference outputs,
 * so that anyone re-implementing it from sched-rng.h gets the same draws. */
#include "scheduler/sched-rng.h"

#include <check.h>

START_TEST (test_splitmix64_reference)
{
  /* splitmix64.c (Vigna) from state 1477776061723855037, as published with
   * the rand_xoshiro crate's reference test. */
  const guint64 expected[] = {
    G_GUINT64_CONSTANT (1985237415132408290),  G_GUINT64_CONSTANT (2979275885539914483),
    G_GUINT64_CONSTANT (13511426838097143398), G_GUINT64_CONSTANT (8488337342461049707),
    G_GUINT64_CONSTANT (15141737807933549159), G_GUINT64_CONSTANT (17093170987380407015),
    G_GUINT64_CONSTANT (16389528042912955399), G_GUINT64_CONSTANT (13177319091862933652),
  };
  guint64 state = G_GUINT64_CONSTANT (1477776061723855037);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    ck_assert_uint_eq (sched_splitmix64_next (&state), expected[i]);
}
END_TEST

START_TEST (test_xoshiro256starstar_reference)
{
  /* xoshiro256starstar.c (Blackman and Vigna) from state {1, 2, 3, 4}. */
  const guint64 state[4] = { 1, 2, 3, 4 };
  const guint64 expected[] = {
    11520,
    0,
    1509978240,
    G_GUINT64_CONSTANT (1215971899390074240),
    G_GUINT64_CONSTANT (1216172134540287360),
    G_GUINT64_CONSTANT (607988272756665600),
    G_GUINT64_CONSTANT (16172922978634559625),
    G_GUINT64_CONSTANT (8476171486693032832),
    G_GUINT64_CONSTANT (10595114339597558777),
    G_GUINT64_CONSTANT (2904607092377533576),
  };
  SchedRng rng;
  sched_rng_init_state (&rng, state);
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    ck_assert_uint_eq (sched_rng_next (&rng), expected[i]);
}
END_TEST

/* The values below come from a separate re-implementation of sched-rng.h's
 * description (128-bit integers in a scripting language), not from this code. */
START_TEST (test_seeding_bounded_and_shuffle)
{
  SchedRng rng;
  sched_rng_init (&rng, 0);
  const guint64 first[] = {
    G_GUINT64_CONSTANT (11091344671253066420),
    G_GUINT64_CONSTANT (13793997310169335082),
    G_GUINT64_CONSTANT (1900383378846508768),
    G_GUINT64_CONSTANT (7684712102626143532),
  };
  for (gsize i = 0; i < G_N_ELEMENTS (first); i++)
    ck_assert_uint_eq (sched_rng_next (&rng), first[i]);

  sched_rng_init (&rng, 20240301);
  const guint64 bounds[]
      = { 1, 2, 3, 6, 10, 100, 1000003, G_GUINT64_CONSTANT (0x8000000000000005), G_MAXUINT64 };
  const guint64 below[] = { 0,
                            1,
                            1,
                            0,
                            6,
                            94,
                            796231,
                            G_GUINT64_CONSTANT (2892635352520289010),
                            G_GUINT64_CONSTANT (14354769232863909214) };
  for (gsize i = 0; i < G_N_ELEMENTS (bounds); i++)
    ck_assert_uint_eq (sched_rng_below (&rng, bounds[i]), below[i]);

  sched_rng_init (&rng, 42);
  guint a[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  const guint shuffled[10] = { 9, 1, 4, 2, 8, 7, 6, 5, 3, 0 };
  sched_rng_shuffle (&rng, a, 10, sizeof (guint));
  for (int i = 0; i < 10; i++)
    ck_assert_uint_eq (a[i], shuffled[i]);
}
END_TEST

START_TEST (test_bounded_is_uniform)
{
  /* 60000 draws in [0, 6): each face within 5 standard deviations of 10000. */
  SchedRng rng;
  sched_rng_init (&rng, 7);
  guint count[6] = { 0 };
  for (int i = 0; i < 60000; i++)
    {
      guint64 v = sched_rng_below (&rng, 6);
      ck_assert_uint_lt (v, 6);
      count[v]++;
    }
  for (int f = 0; f < 6; f++)
    ck_assert_msg (count[f] > 10000 - 460 && count[f] < 10000 + 460, "face %d: %u", f, count[f]);
}
END_TEST

START_TEST (test_shuffle_is_a_permutation)
{
  SchedRng rng;
  sched_rng_init (&rng, 99);
  guint a[257];
  for (guint i = 0; i < G_N_ELEMENTS (a); i++)
    a[i] = i;
  sched_rng_shuffle (&rng, a, G_N_ELEMENTS (a), sizeof (guint));
  gboolean seen[257] = { FALSE };
  guint moved = 0;
  for (guint i = 0; i < G_N_ELEMENTS (a); i++)
    {
      ck_assert (!seen[a[i]]);
      seen[a[i]] = TRUE;
      moved += a[i] != i;
    }
  ck_assert_uint_gt (moved, 200);
}
END_TEST

static Suite *
rng_suite (void)
{
  Suite *s = suite_create ("rng");
  TCase *tc = tcase_create ("reference");
  tcase_add_test (tc, test_splitmix64_reference);
  tcase_add_test (tc, test_xoshiro256starstar_reference);
  tcase_add_test (tc, test_seeding_bounded_and_shuffle);
  tcase_add_test (tc, test_bounded_is_uniform);
  tcase_add_test (tc, test_shuffle_is_a_permutation);
  suite_add_tcase (s, tc);
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (rng_suite ());
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
