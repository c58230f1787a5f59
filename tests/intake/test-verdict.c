/* test-verdict.c: verdicts recomputed at the boundaries users argue about. */
#include "intake/intake-verdict.h"

#include <check.h>
#include <string.h>

/* Verdict of @value against @limit, with an optional detection limit (< 0: none). */
static IntakeVerdict
judge (const char *value, const char *limit, double lod)
{
  g_auto (IntakeLimit) l = { 0 };
  g_auto (IntakeValue) v = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *reason = NULL;
  ck_assert_msg (intake_limit_parse (limit, &l, &error), "%s: %s", limit, error->message);
  ck_assert_msg (intake_value_parse (value, &l, &v, &error), "%s: %s", value, error->message);
  IntakeVerdict verdict = intake_verdict_compute (&v, &l, lod >= 0, lod, &reason);
  ck_assert (reason != NULL && *reason != '\0');
  return verdict;
}

#define PASS INTAKE_VERDICT_PASS
#define FAIL INTAKE_VERDICT_FAIL
#define UNDET INTAKE_VERDICT_UNDETERMINED
#define NOTJ INTAKE_VERDICT_NOT_JUDGED

START_TEST (test_bounds_at_the_edge)
{
  struct
  {
    const char *value, *limit;
    IntakeVerdict expect;
  } cases[] = {
    { "0.5", "≤0.5", PASS },
    { "0.50001", "≤0.5", FAIL },
    { "0.5", "<0.5", FAIL },
    { "0.49999", "<0.5", PASS },
    { "1", "≥1", PASS },
    { "0.9999", "≥1", FAIL },
    { "1", ">1", FAIL },
    { "1.0001", ">1", PASS },
    { "0.1", "0.1-2.0", PASS },
    { "2.0", "0.1~2.0", PASS },
    { "2.01", "0.1-2.0", FAIL },
    { "0.09", "0.1-2.0", FAIL },
    { "1.0×10^5", "≤1.0×10^5", PASS },
    { "100001", "≤10⁵", FAIL },
    { "7", "", NOTJ },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    ck_assert_msg (judge (cases[i].value, cases[i].limit, -1) == cases[i].expect, "%s against %s",
                   cases[i].value, cases[i].limit);
}
END_TEST

START_TEST (test_not_detected)
{
  /* Against a maximum: passes when the detection limit is within it. */
  ck_assert_int_eq (judge ("未检出", "≤0.5", 0.01), PASS);
  ck_assert_int_eq (judge ("ND", "≤0.5", 0.5), PASS);  /* at an inclusive max */
  ck_assert_int_eq (judge ("ND", "<0.5", 0.5), PASS);  /* true value < 0.5 */
  ck_assert_int_eq (judge ("ND", "≤0.5", 0.6), UNDET); /* method too coarse */
  ck_assert_int_eq (judge ("ND", "≤0.5", -1), PASS);   /* no detection limit given */
  ck_assert_int_eq (judge ("<LOD", "≤0.5", 0.01), PASS);
  ck_assert_int_eq (judge ("<0.4", "≤0.5", -1), PASS); /* "<x" carries its own limit */
  ck_assert_int_eq (judge ("<0.6", "≤0.5", -1), UNDET);
  /* Against a minimum: not detected means below it. */
  ck_assert_int_eq (judge ("未检出", "≥1", 0.5), FAIL);
  ck_assert_int_eq (judge ("未检出", "≥1", 1), FAIL);
  ck_assert_int_eq (judge ("未检出", "≥1", -1), FAIL);
  ck_assert_int_eq (judge ("未检出", "≥1", 2), UNDET);
  /* Must not be detected. */
  ck_assert_int_eq (judge ("未检出", "不得检出", 0.01), PASS);
  ck_assert_int_eq (judge ("ND", "ND", -1), PASS);
  ck_assert_int_eq (judge ("阴性", "不得检出", -1), PASS);
  ck_assert_int_eq (judge ("阳性", "不得检出", -1), FAIL);
  ck_assert_int_eq (judge ("0.02", "不得检出", 0.01), FAIL);
  ck_assert_int_eq (judge ("0.01", "不得检出", 0.01), FAIL);  /* at the LOD: detected */
  ck_assert_int_eq (judge ("0.005", "不得检出", 0.01), PASS); /* below the LOD */
  ck_assert_int_eq (judge ("0", "不得检出", -1), PASS);
  ck_assert_int_eq (judge ("0.001", "不得检出", -1), FAIL);
  ck_assert_int_eq (judge ("阳性", "≤0.5", -1), UNDET);
}
END_TEST

START_TEST (test_sampling_plan)
{
  const char *plan = "n=5,c=2,m=100,M=1000";
  ck_assert_int_eq (judge ("10,20,<10,30,15", plan, -1), PASS);
  ck_assert_int_eq (judge ("100,100,100,100,100", plan, -1), PASS); /* at m is not above */
  ck_assert_int_eq (judge ("101,150,10,10,10", plan, -1), PASS);    /* c units above m */
  ck_assert_int_eq (judge ("101,150,200,10,10", plan, -1), FAIL);   /* c+1 units above m */
  ck_assert_int_eq (judge ("1000,10,10,10,10", plan, -1), PASS);    /* at M */
  ck_assert_int_eq (judge ("1001,10,10,10,10", plan, -1), FAIL);    /* one above M */
  ck_assert_int_eq (judge ("<10,<10,<10,未检出,ND", plan, -1), PASS);
  ck_assert_int_eq (judge ("<200,<200,<200,1,1", plan, -1), FAIL); /* cautious "<x" */
  ck_assert_int_eq (judge ("0,0", "n=2,c=0,m=0,M=0", -1), PASS);
  ck_assert_int_eq (judge ("0,1", "n=2,c=0,m=0,M=10", -1), FAIL);
}
END_TEST

START_TEST (test_lab_words)
{
  struct
  {
    const char *text;
    IntakeVerdict expect;
  } cases[] = {
    { "合格", PASS },
    { "不合格", FAIL },
    { "符合", PASS },
    { "不符合", FAIL },
    { "Pass", PASS },
    { "FAIL", FAIL },
    { "failed", FAIL },
    { "conforming", PASS },
    { "non-conforming", FAIL },
    { "Nonconforming", FAIL },
    { "经抽样检验，所检项目符合GB 2762-2022要求", PASS },
    { "经抽样检验，苯甲酸项目不符合GB 2760-2014要求，检验结论为不合格", FAIL },
    { "/", NOTJ },
    { "不判定", NOTJ },
    { " 合格 ", PASS },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      IntakeVerdict v = NOTJ;
      ck_assert_msg (intake_verdict_parse (cases[i].text, &v), "%s", cases[i].text);
      ck_assert_msg (v == cases[i].expect, "%s: %s", cases[i].text, intake_verdict_name (v));
    }
  IntakeVerdict v;
  ck_assert (!intake_verdict_parse ("", &v));
  ck_assert (!intake_verdict_parse ("maybe", &v));
  ck_assert (!intake_verdict_parse (NULL, &v));
}
END_TEST

START_TEST (test_disagreement_and_governing)
{
  ck_assert (!intake_verdict_disagree (PASS, PASS));
  ck_assert (intake_verdict_disagree (PASS, FAIL));
  ck_assert (intake_verdict_disagree (FAIL, PASS));
  ck_assert (intake_verdict_disagree (PASS, UNDET));
  ck_assert (intake_verdict_disagree (FAIL, NOTJ));
  ck_assert (!intake_verdict_disagree (NOTJ, NOTJ));
  ck_assert (!intake_verdict_disagree (PASS, NOTJ));
  ck_assert (intake_verdict_disagree (NOTJ, FAIL));
  /* The stricter governs; an undetermined computation defers to the lab. */
  ck_assert_int_eq (intake_verdict_govern (PASS, FAIL), FAIL);
  ck_assert_int_eq (intake_verdict_govern (FAIL, PASS), FAIL);
  ck_assert_int_eq (intake_verdict_govern (PASS, UNDET), PASS);
  ck_assert_int_eq (intake_verdict_govern (FAIL, UNDET), FAIL);
  ck_assert_int_eq (intake_verdict_govern (NOTJ, PASS), PASS);
  ck_assert_int_eq (intake_verdict_govern (FAIL, NOTJ), FAIL);
}
END_TEST

START_TEST (test_report_conclusion)
{
  IntakeVerdict all_pass[] = { PASS, PASS, NOTJ };
  IntakeVerdict one_fail[] = { PASS, FAIL, UNDET };
  IntakeVerdict undet[] = { PASS, UNDET };
  IntakeVerdict none[] = { NOTJ };
  ck_assert_int_eq (intake_verdict_conclude (all_pass, 3), PASS);
  ck_assert_int_eq (intake_verdict_conclude (one_fail, 3), FAIL);
  ck_assert_int_eq (intake_verdict_conclude (undet, 2), UNDET);
  ck_assert_int_eq (intake_verdict_conclude (none, 1), NOTJ);
  ck_assert_int_eq (intake_verdict_conclude (NULL, 0), NOTJ);
  ck_assert_str_eq (intake_verdict_name (FAIL), "fail");
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("intake-verdict");
  TCase *tc = tcase_create ("verdict");
  tcase_add_test (tc, test_bounds_at_the_edge);
  tcase_add_test (tc, test_not_detected);
  tcase_add_test (tc, test_sampling_plan);
  tcase_add_test (tc, test_lab_words);
  tcase_add_test (tc, test_disagreement_and_governing);
  tcase_add_test (tc, test_report_conclusion);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
