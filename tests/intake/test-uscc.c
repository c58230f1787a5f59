/* test-uscc.c: GB 32100-2015 credit codes, checked against codes whose check
 * characters were computed independently and against published codes. */
#include "intake/intake-uscc.h"

#include <check.h>
#include <string.h>

/* Published credit codes of large companies (business licences shown on their
 * websites); each passes the GB 32100-2015 check, which a random 18th
 * character would do once in 31 times. */
static const char *const VALID[] = {
  "91350100M000100Y43", "91110108551385082Q", "91440300708461136T", "91310000MA1FL1MMXL",
  "9111000071093123XX", "91330000742906207U", "91110000802100433B",
};

START_TEST (test_valid_codes)
{
  for (gsize i = 0; i < G_N_ELEMENTS (VALID); i++)
    {
      g_autoptr (GError) error = NULL;
      char check = 0;
      ck_assert_msg (intake_uscc_validate (VALID[i], &error), "%s: %s", VALID[i],
                     error ? error->message : "");
      ck_assert (intake_uscc_check_char (VALID[i], &check, NULL));
      ck_assert_int_eq (check, VALID[i][17]);
    }
}
END_TEST

START_TEST (test_check_char_computes)
{
  char check = 0;
  /* 31 - sum mod 31 with sum = 0 gives 31, written as 0. */
  ck_assert (intake_uscc_check_char ("00000000000000000", &check, NULL));
  ck_assert_int_eq (check, '0');
  ck_assert (intake_uscc_check_char ("91110000100000000", &check, NULL));
  ck_assert_int_eq (check, 'R');
  g_autoptr (GError) error = NULL;
  ck_assert (!intake_uscc_check_char ("9111000010000000I", &check, &error));
  ck_assert (g_error_matches (error, INTAKE_USCC_ERROR, INTAKE_USCC_ERROR_CHARSET));
  ck_assert_msg (strstr (error->message, "character 17 'I'"), "%s", error->message);
}
END_TEST

START_TEST (test_rejections)
{
  struct
  {
    const char *code;
    int error;
    const char *message;
  } cases[] = {
    { "91110000100000000A", INTAKE_USCC_ERROR_CHECK, "should be 'R' for the first 17, not 'A'" },
    { "91350100M000100Y44", INTAKE_USCC_ERROR_CHECK, "should be '3'" },
    { "91350100M000100Y4", INTAKE_USCC_ERROR_LENGTH, "this one has 17" },
    { "91350100M000100Y433", INTAKE_USCC_ERROR_LENGTH, "this one has 19" },
    { "", INTAKE_USCC_ERROR_LENGTH, "this one has 0" },
    { "91350100m000100Y43", INTAKE_USCC_ERROR_CHARSET, "character 9 'm'" },
    { "91350100O000100Y43", INTAKE_USCC_ERROR_CHARSET, "character 9 'O'" },
    { "91350100M000100Y4Z", INTAKE_USCC_ERROR_CHARSET, "character 18 'Z'" },
    { "9135010０M000100Y43", INTAKE_USCC_ERROR_CHARSET, "character 8 is not an ASCII" },
    { "91350100M000100Y４3", INTAKE_USCC_ERROR_CHARSET, "character 17 is not an ASCII" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      ck_assert_msg (!intake_uscc_validate (cases[i].code, &error), "%s", cases[i].code);
      ck_assert_msg (g_error_matches (error, INTAKE_USCC_ERROR, cases[i].error), "%s: %s",
                     cases[i].code, error->message);
      ck_assert_msg (strstr (error->message, cases[i].message), "%s: %s", cases[i].code,
                     error->message);
    }
  g_autoptr (GError) error = NULL;
  ck_assert (!intake_uscc_validate (NULL, &error));
}
END_TEST

START_TEST (test_every_single_typo_is_caught)
{
  /* The check character catches any one mistyped character. */
  const char *alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  for (gsize pos = 0; pos < 17; pos++)
    for (const char *c = alphabet; *c; c++)
      {
        char code[19];
        memcpy (code, VALID[0], 19);
        if (code[pos] == *c)
          continue;
        code[pos] = *c;
        ck_assert_msg (!intake_uscc_validate (code, NULL), "%s", code);
      }
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("intake-uscc");
  TCase *tc = tcase_create ("uscc");
  tcase_add_test (tc, test_valid_codes);
  tcase_add_test (tc, test_check_char_computes);
  tcase_add_test (tc, test_rejections);
  tcase_add_test (tc, test_every_single_typo_is_caught);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
