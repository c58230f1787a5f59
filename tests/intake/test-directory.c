/* test-directory.c: business, inspector and lab directory files checked
 * against the catalogue built from config/, with every problem listed. */
#include "intake/intake-directory.h"

#include <check.h>
#include <string.h>

static CoreCatalog *
catalog (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  CoreCatalog *c = core_catalog_load (config, &error);
  ck_assert_msg (c != NULL, "%s", error ? error->message : "");
  return c;
}

typedef GPtrArray *(*FromTable) (const IntakeTable *, const CoreCatalog *, CoreProblems *);

static GPtrArray *
check_text (const char *csv, const IntakeSchema *schema, FromTable from, CoreProblems *p)
{
  g_autoptr (CoreCatalog) cat = catalog ();
  g_autoptr (GError) error = NULL;
  g_autoptr (IntakeTable) t
      = intake_table_read_data (csv, strlen (csv), "d.csv", INTAKE_FORMAT_AUTO, schema, p, &error);
  ck_assert_msg (t != NULL, "%s", error ? error->message : "");
  return from (t, cat, p);
}

START_TEST (test_businesses_gb18030_chinese_headers)
{
  g_autoptr (CoreCatalog) cat = catalog ();
  g_autofree char *path = g_build_filename (INTAKE_TEST_DATA, "businesses-gb18030.csv", NULL);
  g_autoptr (CoreProblems) p = core_problems_new ("businesses.csv");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list
      = intake_businesses_read_file (path, "businesses.csv", INTAKE_FORMAT_AUTO, cat, p, &error);
  ck_assert_msg (list != NULL, "%s", error ? error->message : "");
  g_autofree char *text = core_problems_format (p);
  ck_assert_msg (core_problems_count (p) == 0, "%s", text);
  ck_assert_uint_eq (list->len, 2);
  const IntakeBusiness *a = g_ptr_array_index (list, 0);
  const IntakeBusiness *b = g_ptr_array_index (list, 1);
  ck_assert_str_eq (a->uscc, "91350100M000100Y43");
  ck_assert_str_eq (a->name, "南开区示例超市有限公司");
  ck_assert_int_eq (a->stage, INTAKE_STAGE_DISTRIBUTION);
  ck_assert_str_eq (a->street, "120104001");
  ck_assert_int_eq (a->grade, 'B');
  ck_assert_uint_eq (g_strv_length (a->categories), 3);
  ck_assert_str_eq (a->categories[0], "01");
  ck_assert_str_eq (a->categories[2], "33");
  ck_assert (a->active);
  ck_assert_str_eq (b->street, "120104002"); /* by name: 鼓楼街道 */
  ck_assert_int_eq (b->stage, INTAKE_STAGE_PRODUCTION);
  ck_assert_ptr_null (b->address);
  ck_assert_uint_eq (b->line, 3);
}
END_TEST

START_TEST (test_businesses_english_and_every_problem)
{
  const char *csv = "USCC,Licence,Name,Stage,Street,Address,Risk Grade,Categories,Active\n"
                    "91350100M000100Y43,,Shop A,market,120104001,,a,33,yes\n"
                    "91350100M000100Y44,,Shop B,catering,120104001,,B,31,no\n"
                    "91350100M000100Y43,,Shop C,retail,120104999,,E,99;肉制品,maybe\n"
                    "91110108551385082Q,JY123,,wholesale,Changhong Subdistrict,,B,,\n";
  g_autoptr (CoreProblems) p = core_problems_new ("d.csv");
  g_autoptr (GPtrArray) list
      = check_text (csv, intake_business_schema (), intake_businesses_from_table, p);
  g_autofree char *text = core_problems_format (p);
  ck_assert_uint_eq (list->len, 1);
  const IntakeBusiness *a = g_ptr_array_index (list, 0);
  ck_assert_int_eq (a->grade, 'A');
  ck_assert_int_eq (a->stage, INTAKE_STAGE_MARKET);
  const char *expect[] = {
    "d.csv:3: column USCC: value \"91350100M000100Y44\": not a valid credit code: the check "
    "character (the 18th) should be '3'",
    "d.csv:4: column USCC: value \"91350100M000100Y43\": already given on line 2",
    "d.csv:4: column Street: value \"120104999\": not a street of district 120104",
    "d.csv:4: column Risk Grade: value \"E\": a risk grade is A, B, C or D",
    "d.csv:4: column Categories: value \"99;肉制品\": \"99\" is not a food category",
    "d.csv:4: column Active: value \"maybe\": write 是 or 否",
    "d.csv:5: column Licence: value \"JY123\": an SC or JY licence number is the two letters and "
    "14 digits",
    "d.csv:5: column Name: value \"\": missing; this column is required",
    "d.csv:5: column Stage: value \"wholesale\": write production, distribution, catering or "
    "market",
    "d.csv:5: column Categories: value \"\": name at least one food category",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    ck_assert_msg (strstr (text, expect[i]), "expected \"%s\" in:\n%s", expect[i], text);
  ck_assert_uint_eq (core_problems_count (p), G_N_ELEMENTS (expect) + 0);
}
END_TEST

START_TEST (test_category_names_and_separators)
{
  const char *csv
      = "统一社会信用代码,名称,环节,街道,风险等级,经营类别\n"
        "91350100M000100Y43,甲,餐饮,120104001,D级,\"4, 肉制品、餐饮食品；Dairy products\"\n";
  g_autoptr (CoreProblems) p = core_problems_new ("d.csv");
  g_autoptr (GPtrArray) list
      = check_text (csv, intake_business_schema (), intake_businesses_from_table, p);
  g_autofree char *text = core_problems_format (p);
  ck_assert_msg (list->len == 1, "%s", text);
  const IntakeBusiness *b = g_ptr_array_index (list, 0);
  ck_assert_int_eq (b->grade, 'D');
  ck_assert_uint_eq (g_strv_length (b->categories), 3);
  ck_assert_str_eq (b->categories[0], "04");
  ck_assert_str_eq (b->categories[1], "05");
  ck_assert_str_eq (b->categories[2], "31");
}
END_TEST

START_TEST (test_inspectors)
{
  const char *csv = "人员编号,姓名,所属监管所,状态,回避企业\n"
                    "I-001,张三,12010401,在岗,91350100M000100Y43;91110108551385082Q\n"
                    "I-002,李四,鼓楼市场监管所,否,\n"
                    "I-001,王五,12010499,是,91350100M000100Y44\n"
                    "I 3,,,,\n";
  g_autoptr (CoreProblems) p = core_problems_new ("d.csv");
  g_autoptr (GPtrArray) list
      = check_text (csv, intake_inspector_schema (), intake_inspectors_from_table, p);
  g_autofree char *text = core_problems_format (p);
  ck_assert_uint_eq (list->len, 2);
  const IntakeInspector *a = g_ptr_array_index (list, 0);
  const IntakeInspector *b = g_ptr_array_index (list, 1);
  ck_assert_str_eq (a->office, "12010401");
  ck_assert_uint_eq (g_strv_length (a->conflicts), 2);
  ck_assert (a->active);
  ck_assert_str_eq (b->office, "12010402");
  ck_assert (!b->active);
  ck_assert_uint_eq (g_strv_length (b->conflicts), 0);
  const char *expect[] = {
    "d.csv:4: column 人员编号: value \"I-001\": already given on line 2",
    "d.csv:4: column 所属监管所: value \"12010499\": not an office of district 120104",
    "d.csv:4: column 回避企业: value \"91350100M000100Y44\": \"91350100M000100Y44\" is not a "
    "valid credit code",
    "d.csv:5: column 人员编号: value \"I 3\": may hold only letters, digits, '-' and '_'",
    "d.csv:5: column 姓名: value \"\": missing",
    "d.csv:5: column 所属监管所: value \"\": not an office",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    ck_assert_msg (strstr (text, expect[i]), "expected \"%s\" in:\n%s", expect[i], text);
  ck_assert_msg (core_problems_count (p) == G_N_ELEMENTS (expect), "%s", text);
}
END_TEST

START_TEST (test_labs)
{
  const char *csv = "code,name,accredited categories,monthly capacity\n"
                    "LAB01,天津市食品检验所,01;02;03;31;33,300\n"
                    "LAB02,第二检测公司,33,0\n"
                    "LAB03,第三,34,-5\n"
                    "LAB04,第四,35,1.5\n"
                    "LAB01,again,01,10\n";
  g_autoptr (CoreProblems) p = core_problems_new ("d.csv");
  g_autoptr (GPtrArray) list = check_text (csv, intake_lab_schema (), intake_labs_from_table, p);
  g_autofree char *text = core_problems_format (p);
  ck_assert_uint_eq (list->len, 2);
  const IntakeLab *a = g_ptr_array_index (list, 0);
  ck_assert_uint_eq (a->capacity, 300);
  ck_assert_uint_eq (g_strv_length (a->categories), 5);
  const char *expect[] = {
    "d.csv:4: column monthly capacity: value \"-5\": the monthly capacity is a whole number",
    "d.csv:5: column accredited categories: value \"35\": \"35\" is not a food category",
    "d.csv:5: column monthly capacity: value \"1.5\"",
    "d.csv:6: column code: value \"LAB01\": already given on line 2",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    ck_assert_msg (strstr (text, expect[i]), "expected \"%s\" in:\n%s", expect[i], text);
  ck_assert_msg (core_problems_count (p) == G_N_ELEMENTS (expect), "%s", text);
}
END_TEST

START_TEST (test_json_directory)
{
  const char *json = "[{\"code\": \"LAB01\", \"name\": \"一所\", \"categories\": \"01;02\", "
                     "\"capacity\": 120}]";
  g_autoptr (CoreProblems) p = core_problems_new ("d.json");
  g_autoptr (GPtrArray) list = check_text (json, intake_lab_schema (), intake_labs_from_table, p);
  ck_assert_uint_eq (core_problems_count (p), 0);
  ck_assert_uint_eq (((IntakeLab *)g_ptr_array_index (list, 0))->capacity, 120);
}
END_TEST

START_TEST (test_header_errors)
{
  g_autoptr (CoreCatalog) cat = catalog ();
  const char *csv = "USCC,Name,Stage,Grade,Categories,Colour\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (IntakeTable) t = intake_table_read_data (csv, strlen (csv), "d.csv", INTAKE_FORMAT_CSV,
                                                      intake_business_schema (), NULL, &error);
  ck_assert (t == NULL);
  ck_assert (g_error_matches (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_HEADER));
  ck_assert_msg (strstr (error->message, "missing required column street")
                     && strstr (error->message, "unknown column \"Colour\""),
                 "%s", error->message);
  ck_assert_str_eq (intake_stage_name (INTAKE_STAGE_CATERING), "catering");
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("intake-directory");
  TCase *tc = tcase_create ("directory");
  tcase_add_test (tc, test_businesses_gb18030_chinese_headers);
  tcase_add_test (tc, test_businesses_english_and_every_problem);
  tcase_add_test (tc, test_category_names_and_separators);
  tcase_add_test (tc, test_inspectors);
  tcase_add_test (tc, test_labs);
  tcase_add_test (tc, test_json_directory);
  tcase_add_test (tc, test_header_errors);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
