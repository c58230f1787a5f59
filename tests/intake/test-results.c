/* test-results.c: result files checked and grouped into reports; every
 * rejection the issue lists, with its message. */
#include "intake/intake-results.h"

#include <check.h>
#include <string.h>

#define HEADER "抽样单编号,报告编号,检验项目,检验结果,单位,标准限值,检出限,单项判定,结论,检验日期\n"
#define OK_ROW "S1,R1,铅,0.12,mg/kg,≤0.5,0.01,合格,合格,2024-03-05\n"

static IntakeResultFile *
parse (const char *csv, CoreProblems *problems)
{
  g_autoptr (GError) error = NULL;
  IntakeResultFile *f
      = intake_results_read_data (csv, strlen (csv), "r.csv", INTAKE_FORMAT_AUTO, problems, &error);
  ck_assert_msg (f != NULL, "%s", error ? error->message : "");
  return f;
}

/* Asserts that @csv is rejected with exactly one problem whose formatted line is @expect. */
static void
rejected_with (const char *csv, const char *expect)
{
  g_autoptr (CoreProblems) p = core_problems_new ("r.csv");
  g_autoptr (IntakeResultFile) f = parse (csv, p);
  g_autofree char *text = core_problems_format (p);
  ck_assert_msg (core_problems_count (p) == 1, "expected one problem, got:\n%s", text);
  ck_assert_msg (strstr (text, expect) != NULL, "expected \"%s\" in:\n%s", expect, text);
}

static const IntakeResultItem *
item (const IntakeReport *r, guint i)
{
  ck_assert_uint_lt (i, r->items->len);
  return g_ptr_array_index (r->items, i);
}

START_TEST (test_files_in_every_encoding)
{
  const char *names[]
      = { "results-utf8.csv", "results-bom-crlf.csv", "results-gb18030.csv", "results.json" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (INTAKE_TEST_DATA, names[i], NULL);
      g_autoptr (CoreProblems) p = core_problems_new (names[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (IntakeResultFile) f
          = intake_results_read_file (path, names[i], INTAKE_FORMAT_AUTO, p, &error);
      ck_assert_msg (f != NULL, "%s", error ? error->message : "");
      g_autofree char *text = core_problems_format (p);
      ck_assert_msg (core_problems_count (p) == 0, "%s", text);
      gboolean json = g_str_has_suffix (names[i], ".json");
      ck_assert_uint_eq (f->reports->len, json ? 2 : 3);
      const IntakeReport *r1 = intake_result_file_find (f, "BG2024-0001");
      const IntakeReport *r2 = intake_result_file_find (f, "BG2024-0002");
      ck_assert (r1 && r2);
      ck_assert_str_eq (r1->sampling_no, "DC24120104000001");
      ck_assert_int_eq (r1->governing, INTAKE_VERDICT_PASS);
      ck_assert_int_eq (r2->lab_conclusion, INTAKE_VERDICT_FAIL);
      ck_assert_int_eq (r2->governing, INTAKE_VERDICT_FAIL);
      ck_assert_int_eq (item (r2, 0)->computed, INTAKE_VERDICT_FAIL);
      ck_assert (!r2->review);
      ck_assert_str_eq (item (r1, 0)->item, "铅(以Pb计)");
      ck_assert_uint_eq (item (r2, 0)->line, json ? 5 : 4);
      if (!json)
        {
          ck_assert_uint_eq (r1->items->len, 2);
          ck_assert_int_eq (item (r1, 1)->limit.kind, INTAKE_LIMIT_PLAN);
          ck_assert_int_eq (item (r1, 1)->computed, INTAKE_VERDICT_PASS);
          ck_assert_int_eq (item (r2, 1)->computed, INTAKE_VERDICT_PASS);
          ck_assert_uint_eq (item (r2, 1)->line, 5);
          ck_assert_str_eq (intake_result_file_column (f, INTAKE_RESULT_REPORT_NO), "报告编号");
        }
    }
}
END_TEST

START_TEST (test_english_headers_and_bounds_columns)
{
  const char *csv = "Sampling No,Report No,Test Item,Result,Unit,Min Limit,Max Limit,"
                    "Detection Limit,Item Verdict,Conclusion,Test Date\n"
                    "S1,R1,protein,2.9,g/100g,2.9,,,pass,pass,2024/03/05\n"
                    "S1,R1,pH,7.5,,6.5,<7.5,,pass,pass,2024年3月5日\n";
  g_autoptr (CoreProblems) p = core_problems_new ("r.csv");
  g_autoptr (IntakeResultFile) f = parse (csv, p);
  ck_assert_uint_eq (core_problems_count (p), 0);
  const IntakeReport *r = intake_result_file_find (f, "R1");
  ck_assert_int_eq (item (r, 0)->computed, INTAKE_VERDICT_PASS); /* at an inclusive minimum */
  ck_assert_int_eq (item (r, 1)->computed, INTAKE_VERDICT_FAIL); /* at an exclusive maximum */
  ck_assert (item (r, 1)->review);
  ck_assert_int_eq (item (r, 1)->governing, INTAKE_VERDICT_FAIL);
  ck_assert_int_eq (r->lab_conclusion, INTAKE_VERDICT_PASS);
  ck_assert_int_eq (r->governing, INTAKE_VERDICT_FAIL); /* the stricter governs */
  ck_assert (r->review);
  ck_assert_int_eq (g_date_get_day (&item (r, 1)->test_date), 5);
}
END_TEST

START_TEST (test_lab_stricter_than_computation)
{
  /* The lab fails an item that computes as a pass: the lab's verdict stands, flagged. */
  g_autoptr (CoreProblems) p = core_problems_new ("r.csv");
  g_autoptr (IntakeResultFile) f
      = parse (HEADER "S1,R1,铅,0.12,mg/kg,≤0.5,,不合格,不合格,2024-03-05\n", p);
  ck_assert_uint_eq (core_problems_count (p), 0);
  const IntakeReport *r = g_ptr_array_index (f->reports, 0);
  ck_assert_int_eq (item (r, 0)->governing, INTAKE_VERDICT_FAIL);
  ck_assert (item (r, 0)->review);
  ck_assert_int_eq (r->governing, INTAKE_VERDICT_FAIL);
}
END_TEST

START_TEST (test_each_rejection)
{
  struct
  {
    const char *rows;
    const char *expect;
  } cases[] = {
    { "S1,R1,铅,0.6x,mg/kg,≤0.5,,合格,合格,2024-03-05\n",
      "r.csv:2: column 检验结果: value \"0.6x\": not a result value" },
    { "S1,R1,铅,0.12,mg/kg,≤0.5 g/kg,,合格,合格,2024-03-05\n",
      "r.csv:2: column 单位: value \"mg/kg\": the result is in mg/kg but the limit is in g/kg" },
    { "S1,R1,铅,0.12 g/kg,mg/kg,≤0.5,,合格,合格,2024-03-05\n",
      "the result is written in g/kg but the unit column says mg/kg" },
    { "S1,R1,铅,0.12,mg/kg,≤0.5,0.01 μg/kg,合格,合格,2024-03-05\n",
      "column 检出限: value \"0.01 μg/kg\": the detection limit is in μg/kg but the result is in "
      "mg/kg" },
    { "S1,R1,铅,0.12,mg/kg,≤0.5,,合格,,2024-03-05\n",
      "r.csv:2: column 结论: value \"\": missing conclusion" },
    { "S1,R1,铅,0.12,mg/kg,≤0.5,,合格,/,2024-03-05\n",
      "column 结论: value \"/\": not a conclusion" },
    { OK_ROW "S2,R1,镉,0.01,mg/kg,≤0.1,,合格,合格,2024-03-05\n",
      "r.csv:3: column 抽样单编号: value \"S2\": report R1 belongs to sample S1 (line 2); a report "
      "covers one sample" },
    { OK_ROW "S1,R2,镉,0.01,mg/kg,≤0.1,,合格,合格,2024-03-05\n",
      "r.csv:3: column 报告编号: value \"R2\": sample S1 already has report R1 (line 2)" },
    { OK_ROW "S1,R1,镉,0.01,mg/kg,≤0.1,,合格,不合格,2024-03-05\n",
      "r.csv:3: column 结论: value \"不合格\": report R1 concludes \"合格\" on line 2; all its "
      "rows "
      "must carry the same conclusion" },
    { OK_ROW "S1,R1,铅 ,0.2,mg/kg,≤0.5,,合格,合格,2024-03-05\n",
      "r.csv:3: column 检验项目: value \"铅\": report R1 already lists this item on line 2" },
    { "S1,R1,铅,0.12,mg/kg,≤0.5,,合格,合格,2024-03-05\n"
      "S1,R1,镉,0.3,mg/kg,≤0.1,,不合格,合格,2024-03-05\n",
      "r.csv:3: column 结论: value \"合格\": report R1 concludes pass but the lab itself judges "
      "item "
      "\"镉\" as failed" },
    { "S1,R1,铅,0.12,mg/kg,≤0.5,,合格,不合格,2024-03-05\n",
      "r.csv:2: column 结论: value \"不合格\": report R1 concludes fail but the lab judges none" },
    { "S1,R1,铅,0.12,mg/kg,≤0.5,,合格,合格,2024-02-30\n",
      "column 检验日期: value \"2024-02-30\": not a date" },
    { "S1,R1,铅,0.12,mg/kg,≤0.5,about,合格,合格,2024-03-05\n",
      "column 检出限: value \"about\": not a detection limit" },
    { "S1,R1,铅,0.12,mg/kg,0.5,,合格,合格,2024-03-05\n",
      "column 标准限值: value \"0.5\": not a limit" },
    { "S1,R1,铅,0.12,mg/kg,≤0.5,,maybe,合格,2024-03-05\n",
      "column 单项判定: value \"maybe\": not a verdict; write 合格 or 不合格" },
    { "S1,R1,铅,0.12,mg/kg,≤0.5,,,合格,2024-03-05\n", "column 单项判定: value \"\": missing" },
    { ",R1,铅,0.12,mg/kg,≤0.5,,合格,合格,2024-03-05\n",
      "column 抽样单编号: value \"\": missing; every row needs it" },
    { "S 1,R1,铅,0.12,mg/kg,≤0.5,,合格,合格,2024-03-05\n",
      "may hold only letters, digits and '-'" },
    { "S1,R1,,0.12,mg/kg,≤0.5,,合格,合格,2024-03-05\n", "column 检验项目: value \"\": missing" },
    { "S1,R1,菌落总数,\"10,20\",CFU/g,\"n=5,c=2,m=100,M=1000\",,合格,合格,2024-03-05\n",
      "the sampling plan tests n=5 units but the result lists 2 values" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *csv = g_strconcat (HEADER, cases[i].rows, NULL);
      rejected_with (csv, cases[i].expect);
    }
}
END_TEST

START_TEST (test_both_limit_forms_on_a_row)
{
  rejected_with ("sampling_no,report_no,item,result,limit,limit_max,item_verdict,conclusion,"
                 "test_date\nS1,R1,铅,0.1,≤0.5,0.5,pass,pass,2024-03-05\n",
                 "column limit: value \"≤0.5\": give the limit either in this column or in the "
                 "minimum/maximum columns, not both");
}
END_TEST

START_TEST (test_no_rows)
{
  rejected_with (HEADER, "r.csv: no result rows");
}
END_TEST

START_TEST (test_every_problem_listed_in_line_order)
{
  const char *csv = HEADER "S1,R1,铅,x,mg/kg,≤0.5,,合格,合格,2024-03-05\n"
                           "S1,R1,镉,0.01,mg/kg,≤0.1,,合格,,2024-13-01\n"
                           "\"S2\",R1,汞,0.01,mg/kg,≤0.1,,合格,合格,2024-03-05\n";
  g_autoptr (CoreProblems) p = core_problems_new ("r.csv");
  g_autoptr (IntakeResultFile) f = parse (csv, p);
  g_autofree char *text = core_problems_format (p);
  ck_assert_str_eq (
      text,
      "r.csv:2: column 检验结果: value \"x\": not a result value; write a number, 未检出/ND, "
      "<0.01 or 阴性/阳性\n"
      "r.csv:3: column 结论: value \"\": missing conclusion; every row carries its report's "
      "conclusion, 合格 or 不合格 (pass or fail)\n"
      "r.csv:3: column 检验日期: value \"2024-13-01\": not a date; write YYYY-MM-DD\n"
      "r.csv:4: column 抽样单编号: value \"S2\": report R1 belongs to sample S1 (line 2); a report "
      "covers one sample\n");
  g_autoptr (GError) error = NULL;
  ck_assert (!core_problems_check (p, &error));
  ck_assert (g_error_matches (error, CORE_PROBLEMS_ERROR, CORE_PROBLEMS_ERROR_REJECTED));
}
END_TEST

START_TEST (test_caller_adds_database_problems)
{
  /* The database side reports unknown sampling numbers through the same list. */
  g_autoptr (CoreProblems) p = core_problems_new ("r.csv");
  g_autoptr (IntakeResultFile) f = parse (HEADER OK_ROW, p);
  const IntakeReport *r = g_ptr_array_index (f->reports, 0);
  core_problems_add (p, r->line, intake_result_file_column (f, INTAKE_RESULT_SAMPLING_NO),
                     r->sampling_no, "no such sampling record");
  g_autofree char *text = core_problems_format (p);
  ck_assert_str_eq (text, "r.csv:2: column 抽样单编号: value \"S1\": no such sampling record\n");
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("intake-results");
  TCase *tc = tcase_create ("results");
  tcase_add_test (tc, test_files_in_every_encoding);
  tcase_add_test (tc, test_english_headers_and_bounds_columns);
  tcase_add_test (tc, test_lab_stricter_than_computation);
  tcase_add_test (tc, test_each_rejection);
  tcase_add_test (tc, test_both_limit_forms_on_a_row);
  tcase_add_test (tc, test_no_rows);
  tcase_add_test (tc, test_every_problem_listed_in_line_order);
  tcase_add_test (tc, test_caller_adds_database_problems);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
