/* test-referral.c: referral notice files checked row by row without the
 * database: level words, notice numbers, credit codes, items and dates. */
#include "intake/intake-referral.h"

#include <check.h>
#include <string.h>

#define HEADER "抽检级别,通知书编号,统一社会信用代码,企业名称,样品名称,不合格项目,通知日期\n"
#define USCC "91350100M000100Y43"

static IntakeReferralFile *
parse (const char *csv, CoreProblems *problems)
{
  g_autoptr (GError) error = NULL;
  IntakeReferralFile *f
      = intake_referral_read_data (csv, strlen (csv), "ref.csv", problems, &error);
  ck_assert_msg (f != NULL, "%s", error ? error->message : "");
  return f;
}

START_TEST (test_levels_items_and_dates)
{
  const char *csv
      = HEADER "国抽,GC-1," USCC ",甲,花生油,黄曲霉毒素B1；酸价,2024-02-08\n"
               "city,SC-2,91110108551385082Q,乙,,\"铝的残留量、 菌落总数\",2024-02-19\n";
  g_autoptr (CoreProblems) p = core_problems_new ("ref.csv");
  g_autoptr (IntakeReferralFile) f = parse (csv, p);
  g_autofree char *text = core_problems_format (p);
  ck_assert_msg (core_problems_count (p) == 0, "%s", text);
  ck_assert_uint_eq (f->referrals->len, 2);
  const IntakeReferral *a = g_ptr_array_index (f->referrals, 0);
  const IntakeReferral *b = g_ptr_array_index (f->referrals, 1);
  ck_assert_str_eq (a->source, "national");
  ck_assert_uint_eq (a->line, 2);
  ck_assert_uint_eq (g_strv_length (a->failed_items), 2);
  ck_assert_str_eq (a->failed_items[1], "酸价");
  ck_assert_str_eq (b->source, "city");
  ck_assert_str_eq (b->uscc, "91110108551385082Q");
  ck_assert (b->product == NULL);
  ck_assert_str_eq (b->failed_items[1], "菌落总数");
  ck_assert_int_eq (g_date_get_day (&b->notice_date), 19);
  ck_assert_str_eq (intake_referral_file_column (f, INTAKE_REFERRAL_LEVEL), "抽检级别");
  ck_assert_str_eq (intake_referral_source ("省级抽检"), "provincial");
  ck_assert (intake_referral_source ("区抽") == NULL);
}
END_TEST

START_TEST (test_every_problem_listed)
{
  const char *csv = HEADER "国抽,GC-1," USCC ",甲,油,酸价,2024-02-08\n"           /* 2: fine */
                           "区抽,GC-2," USCC ",甲,油,酸价,2024-02-08\n"           /* 3: level */
                           "省抽,GC-4,91350100M000100Y44,甲,油,酸价,2024-02-08\n" /* 4 */
                           "国抽,GC-1," USCC ",甲,油,酸价,2024-02-08\n"           /* 5: twice */
                           "市抽,SC-5," USCC ",,饼,,2024-02-30\n";                /* 6 */
  g_autoptr (CoreProblems) p = core_problems_new ("ref.csv");
  g_autoptr (IntakeReferralFile) f = parse (csv, p);
  g_autofree char *text = core_problems_format (p);
  const char *expect[] = {
    "ref.csv:3: column 抽检级别: value \"区抽\": not a sampling level",
    "ref.csv:4: column 统一社会信用代码",
    "ref.csv:5: column 通知书编号: value \"GC-1\": notice listed twice (first on line 2)",
    "ref.csv:6: column 企业名称",
    "ref.csv:6: column 不合格项目",
    "ref.csv:6: column 通知日期: value \"2024-02-30\": not a date",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    ck_assert_msg (strstr (text, expect[i]) != NULL, "missing <%s> in:\n%s", expect[i], text);
  ck_assert (strstr (text, "ref.csv:2:") == NULL);
  ck_assert_uint_eq (f->referrals->len, 1);
}
END_TEST

START_TEST (test_header_only_is_a_problem)
{
  g_autoptr (CoreProblems) p = core_problems_new ("ref.csv");
  g_autoptr (IntakeReferralFile) f = parse (HEADER, p);
  ck_assert_uint_eq (core_problems_count (p), 1);
  ck_assert_uint_eq (f->referrals->len, 0);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("referral");
  TCase *tc = tcase_create ("referral");
  tcase_add_test (tc, test_levels_items_and_dates);
  tcase_add_test (tc, test_every_problem_listed);
  tcase_add_test (tc, test_header_only_is_a_problem);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
