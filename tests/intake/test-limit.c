/* test-limit.c: limits, result values and detection limits in the forms labs write. */
#include "intake/intake-value.h"

#include <check.h>
#include <math.h>
#include <string.h>

typedef struct
{
  const char *text;
  IntakeLimitKind kind;
  gboolean has_min, min_inclusive;
  double min;
  gboolean has_max, max_inclusive;
  double max;
  const char *unit;
} LimitCase;

START_TEST (test_limit_forms)
{
  const LimitCase cases[] = {
    { "", INTAKE_LIMIT_NONE },
    { " / ", INTAKE_LIMIT_NONE },
    { "-", INTAKE_LIMIT_NONE },
    { "—", INTAKE_LIMIT_NONE },
    { "≤0.5", INTAKE_LIMIT_BOUNDS, FALSE, FALSE, 0, TRUE, TRUE, 0.5 },
    { "<=0.5", INTAKE_LIMIT_BOUNDS, FALSE, FALSE, 0, TRUE, TRUE, 0.5 },
    { "＜10", INTAKE_LIMIT_BOUNDS, FALSE, FALSE, 0, TRUE, FALSE, 10 },
    { "<10", INTAKE_LIMIT_BOUNDS, FALSE, FALSE, 0, TRUE, FALSE, 10 },
    { "不大于 0.2", INTAKE_LIMIT_BOUNDS, FALSE, FALSE, 0, TRUE, TRUE, 0.2 },
    { "≥1", INTAKE_LIMIT_BOUNDS, TRUE, TRUE, 1 },
    { "＞1", INTAKE_LIMIT_BOUNDS, TRUE, FALSE, 1 },
    { ">1", INTAKE_LIMIT_BOUNDS, TRUE, FALSE, 1 },
    { "不小于3.5g/100g", INTAKE_LIMIT_BOUNDS, TRUE, TRUE, 3.5, FALSE, FALSE, 0, "g/100g" },
    { "0.1-2.0", INTAKE_LIMIT_BOUNDS, TRUE, TRUE, 0.1, TRUE, TRUE, 2.0 },
    { "0.1~2.0", INTAKE_LIMIT_BOUNDS, TRUE, TRUE, 0.1, TRUE, TRUE, 2.0 },
    { "0.1～2.0 %", INTAKE_LIMIT_BOUNDS, TRUE, TRUE, 0.1, TRUE, TRUE, 2.0, "%" },
    { "≤0.5 mg/kg", INTAKE_LIMIT_BOUNDS, FALSE, FALSE, 0, TRUE, TRUE, 0.5, "mg/kg" },
    { "≤1.0×10^5 CFU/g", INTAKE_LIMIT_BOUNDS, FALSE, FALSE, 0, TRUE, TRUE, 1e5, "CFU/g" },
    { "≤10⁴", INTAKE_LIMIT_BOUNDS, FALSE, FALSE, 0, TRUE, TRUE, 1e4 },
    { "≤1.5e-3", INTAKE_LIMIT_BOUNDS, FALSE, FALSE, 0, TRUE, TRUE, 1.5e-3 },
    { "不得检出", INTAKE_LIMIT_NOT_DETECTED },
    { "ND", INTAKE_LIMIT_NOT_DETECTED },
    { "nd", INTAKE_LIMIT_NOT_DETECTED },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const LimitCase *c = &cases[i];
      g_auto (IntakeLimit) l = { 0 };
      g_autoptr (GError) error = NULL;
      ck_assert_msg (intake_limit_parse (c->text, &l, &error), "%s: %s", c->text,
                     error ? error->message : "");
      ck_assert_msg (l.kind == c->kind, "%s: kind %d", c->text, l.kind);
      ck_assert_msg (l.has_min == c->has_min && l.has_max == c->has_max, "%s", c->text);
      if (c->has_min)
        ck_assert_msg (l.min == c->min && l.min_inclusive == c->min_inclusive, "%s", c->text);
      if (c->has_max)
        ck_assert_msg (fabs (l.max - c->max) < 1e-12 && l.max_inclusive == c->max_inclusive,
                       "%s: %g", c->text, l.max);
      ck_assert_msg (g_strcmp0 (l.unit, c->unit) == 0, "%s: unit %s", c->text, l.unit);
    }
}
END_TEST

START_TEST (test_plan)
{
  const char *forms[] = { "n=5,c=2,m=100,M=1000", "n=5;c=2;m=100;M=1000 CFU/g",
                          "n=5, c=2, m=10^2, M=10³", "n=5 c=2 m=100CFU/g M=1000CFU/g" };
  for (gsize i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_auto (IntakeLimit) l = { 0 };
      g_autoptr (GError) error = NULL;
      ck_assert_msg (intake_limit_parse (forms[i], &l, &error), "%s: %s", forms[i],
                     error ? error->message : "");
      ck_assert_int_eq (l.kind, INTAKE_LIMIT_PLAN);
      ck_assert_uint_eq (l.n, 5);
      ck_assert_uint_eq (l.c, 2);
      ck_assert (l.m == 100 && l.big_m == 1000);
    }
}
END_TEST

START_TEST (test_limit_rejections)
{
  struct
  {
    const char *text;
    int code;
    const char *message;
  } cases[] = {
    { "0.5", INTAKE_LIMIT_ERROR_SYNTAX, "a bare number does not say" },
    { "≤", INTAKE_LIMIT_ERROR_SYNTAX, "not a limit" },
    { "≤abc", INTAKE_LIMIT_ERROR_SYNTAX, "not a limit" },
    { "≤0.5 0.6", INTAKE_LIMIT_ERROR_SYNTAX, "not a limit" },
    { "2.0-0.1", INTAKE_LIMIT_ERROR_RANGE, "write the smaller number first" },
    { "≤nan", INTAKE_LIMIT_ERROR_SYNTAX, "not a limit" },
    { "≤1e999", INTAKE_LIMIT_ERROR_SYNTAX, "not a limit" },
    { "n=5,c=2,m=100", INTAKE_LIMIT_ERROR_SYNTAX, "give all of n, c, m and M" },
    { "n=5,c=6,m=100,M=1000", INTAKE_LIMIT_ERROR_RANGE, "c <= n" },
    { "n=5,c=2,m=1000,M=100", INTAKE_LIMIT_ERROR_RANGE, "m <= M" },
    { "n=5,c=2,m=100,m=1000", INTAKE_LIMIT_ERROR_SYNTAX, "once" },
    { "n=2.5,c=2,m=100,M=1000", INTAKE_LIMIT_ERROR_SYNTAX, "whole numbers" },
    { "n=5,c=2,m=100mg,M=1000g", INTAKE_LIMIT_ERROR_SYNTAX, "share one unit" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (IntakeLimit) l = { 0 };
      g_autoptr (GError) error = NULL;
      ck_assert_msg (!intake_limit_parse (cases[i].text, &l, &error), "%s", cases[i].text);
      ck_assert_msg (g_error_matches (error, INTAKE_LIMIT_ERROR, cases[i].code), "%s: %s",
                     cases[i].text, error->message);
      ck_assert_msg (strstr (error->message, cases[i].message), "%s: %s", cases[i].text,
                     error->message);
      ck_assert_int_eq (l.kind, INTAKE_LIMIT_NONE);
      ck_assert_ptr_null (l.unit);
    }
}
END_TEST

START_TEST (test_bounds_columns)
{
  g_auto (IntakeLimit) l = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert (intake_limit_parse_bounds ("0.1", "<2 mg/kg", &l, &error));
  ck_assert (l.has_min && l.min_inclusive && l.min == 0.1);
  ck_assert (l.has_max && !l.max_inclusive && l.max == 2);
  ck_assert_str_eq (l.unit, "mg/kg");
  intake_limit_clear (&l);
  ck_assert (intake_limit_parse_bounds ("", "0.5", &l, &error));
  ck_assert (!l.has_min && l.has_max && l.max_inclusive);
  intake_limit_clear (&l);
  ck_assert (intake_limit_parse_bounds (NULL, "/", &l, &error));
  ck_assert_int_eq (l.kind, INTAKE_LIMIT_NONE);
  ck_assert (!intake_limit_parse_bounds ("3", "2", &l, &error));
  ck_assert_msg (strstr (error->message, "minimum 3 is above the maximum 2"), "%s", error->message);
  g_clear_error (&error);
  ck_assert (!intake_limit_parse_bounds ("≤3", "", &l, &error));
  g_clear_error (&error);
  ck_assert (!intake_limit_parse_bounds ("1 g/kg", "2 mg/kg", &l, &error));
  ck_assert_msg (strstr (error->message, "g/kg but the maximum in mg/kg"), "%s", error->message);
}
END_TEST

START_TEST (test_limit_to_string)
{
  const char *in[] = { "≤0.5 mg/kg", "<10", "0.1~2", "n=5,c=2,m=100,M=1000", "不得检出", "" };
  const char *out[] = { "≤0.5 mg/kg", "<10", "0.1–2", "n=5 c=2 m=100 M=1000", "不得检出", "/" };
  for (gsize i = 0; i < G_N_ELEMENTS (in); i++)
    {
      g_auto (IntakeLimit) l = { 0 };
      ck_assert (intake_limit_parse (in[i], &l, NULL));
      g_autofree char *s = intake_limit_to_string (&l);
      ck_assert_str_eq (s, out[i]);
    }
}
END_TEST

START_TEST (test_values)
{
  struct
  {
    const char *text;
    IntakeValueKind kind;
    double number;
    const char *unit;
  } cases[] = {
    { "0.32", INTAKE_VALUE_NUMBER, 0.32 },
    { " 0.32 mg/kg ", INTAKE_VALUE_NUMBER, 0.32, "mg/kg" },
    { "０.３２", INTAKE_VALUE_NUMBER, 0.32 },
    { "1.2×10³", INTAKE_VALUE_NUMBER, 1200 },
    { "未检出", INTAKE_VALUE_NOT_DETECTED },
    { "ND", INTAKE_VALUE_NOT_DETECTED },
    { "<LOD", INTAKE_VALUE_NOT_DETECTED },
    { "＜LOD", INTAKE_VALUE_NOT_DETECTED },
    { "低于检出限", INTAKE_VALUE_NOT_DETECTED },
    { "阴性", INTAKE_VALUE_NOT_DETECTED },
    { "阳性", INTAKE_VALUE_DETECTED },
    { "检出", INTAKE_VALUE_DETECTED },
    { "<0.01", INTAKE_VALUE_BELOW, 0.01 },
    { "< 0.01 mg/kg", INTAKE_VALUE_BELOW, 0.01, "mg/kg" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (IntakeValue) v = { 0 };
      g_autoptr (GError) error = NULL;
      ck_assert_msg (intake_value_parse (cases[i].text, NULL, &v, &error), "%s: %s", cases[i].text,
                     error ? error->message : "");
      ck_assert_msg (v.kind == cases[i].kind, "%s: %d", cases[i].text, v.kind);
      ck_assert_msg (fabs (v.number - cases[i].number) < 1e-9, "%s", cases[i].text);
      ck_assert_msg (g_strcmp0 (v.unit, cases[i].unit) == 0, "%s", cases[i].text);
    }
  const char *bad[] = { "", "abc", "0.3.2", "1,2", "-", "<", "0.5 0.6", "<-1", "0.6x" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto (IntakeValue) v = { 0 };
      g_autoptr (GError) error = NULL;
      ck_assert_msg (!intake_value_parse (bad[i], NULL, &v, &error), "%s", bad[i]);
      ck_assert (g_error_matches (error, INTAKE_VALUE_ERROR, INTAKE_VALUE_ERROR_SYNTAX));
    }
}
END_TEST

START_TEST (test_unit_values)
{
  g_auto (IntakeLimit) l = { 0 };
  ck_assert (intake_limit_parse ("n=5,c=2,m=100,M=1000", &l, NULL));
  g_auto (IntakeValue) v = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert (intake_value_parse ("10,20,<10,30、未检出", &l, &v, &error));
  ck_assert_int_eq (v.kind, INTAKE_VALUE_UNITS);
  ck_assert_uint_eq (v.units->len, 5);
  ck_assert_int_eq (g_array_index (v.units, IntakeUnitValue, 2).kind, INTAKE_VALUE_BELOW);
  ck_assert_int_eq (g_array_index (v.units, IntakeUnitValue, 4).kind, INTAKE_VALUE_NOT_DETECTED);
  intake_value_clear (&v);
  ck_assert (!intake_value_parse ("10,20,30", &l, &v, &error));
  ck_assert (g_error_matches (error, INTAKE_VALUE_ERROR, INTAKE_VALUE_ERROR_COUNT));
  ck_assert_msg (strstr (error->message, "n=5 units but the result lists 3"), "%s", error->message);
  g_clear_error (&error);
  ck_assert (!intake_value_parse ("10,20,x,1,1", &l, &v, &error));
  ck_assert_msg (strstr (error->message, "unit 3 \"x\""), "%s", error->message);
  g_clear_error (&error);
  ck_assert (!intake_value_parse ("10,20,阳性,1,1", &l, &v, &error));
  g_clear_error (&error);
  ck_assert (!intake_value_parse ("10,20", NULL, &v, &error));
  ck_assert_msg (strstr (error->message, "needs an n/c/m/M limit"), "%s", error->message);
}
END_TEST

START_TEST (test_detection_limit_and_units)
{
  double lod;
  g_autofree char *unit = NULL;
  ck_assert (intake_detection_limit_parse ("0.01 mg/kg", &lod, &unit, NULL));
  ck_assert (lod == 0.01);
  ck_assert_str_eq (unit, "mg/kg");
  g_autoptr (GError) error = NULL;
  char *u2 = NULL;
  ck_assert (!intake_detection_limit_parse ("-1", &lod, &u2, &error));
  ck_assert (!intake_detection_limit_parse ("about 1", &lod, &u2, NULL));
  ck_assert (intake_unit_equal ("mg/kg", " MG / KG"));
  ck_assert (intake_unit_equal ("μg/kg", "µg/kg"));
  ck_assert (intake_unit_equal ("ug/kg", "μg/kg"));
  ck_assert (intake_unit_equal ("ｍｇ／ｋｇ", "mg/kg"));
  ck_assert (!intake_unit_equal ("mg/kg", "g/kg"));
  ck_assert (!intake_unit_equal ("mg/kg", NULL));
  ck_assert (intake_unit_equal (NULL, ""));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("intake-limit");
  TCase *tc = tcase_create ("limit");
  tcase_add_test (tc, test_limit_forms);
  tcase_add_test (tc, test_plan);
  tcase_add_test (tc, test_limit_rejections);
  tcase_add_test (tc, test_bounds_columns);
  tcase_add_test (tc, test_limit_to_string);
  tcase_add_test (tc, test_values);
  tcase_add_test (tc, test_unit_values);
  tcase_add_test (tc, test_detection_limit_and_units);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
