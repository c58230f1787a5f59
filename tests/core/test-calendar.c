/* test-calendar.c: working days against the State Council calendars shipped in config/. */
#include "core/core-calendar.h"

#include <check.h>
#include <string.h>

static CoreCalendar *
builtin_calendar (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  ck_assert_msg (config != NULL, "%s", error ? error->message : "");
  CoreCalendar *cal = core_calendar_new (config, &error);
  ck_assert_msg (cal != NULL, "%s", error ? error->message : "");
  return cal;
}

static char *
add_days (const CoreCalendar *cal, const char *from, int n)
{
  GDate d, out;
  g_autoptr (GError) error = NULL;
  ck_assert (core_date_parse (from, &d));
  ck_assert_msg (core_calendar_add_working_days (cal, &d, n, &out, &error), "%s",
                 error ? error->message : "");
  return core_date_format (&out);
}

START_TEST (test_spring_festival_2024)
{
  g_autoptr (CoreCalendar) cal = builtin_calendar ();
  /* DOMAIN.md: Feb 9, Feb 18 (a declared Sunday working day), 19, 20, 21. */
  g_autofree char *due = add_days (cal, "2024-02-08", 5);
  ck_assert_str_eq (due, "2024-02-21");
  g_autofree char *one = add_days (cal, "2024-02-08", 1);
  ck_assert_str_eq (one, "2024-02-09");
  g_autofree char *two = add_days (cal, "2024-02-08", 2);
  ck_assert_str_eq (two, "2024-02-18");
}
END_TEST

START_TEST (test_weekday_rules)
{
  g_autoptr (CoreCalendar) cal = builtin_calendar ();
  struct
  {
    const char *date;
    gboolean working;
  } cases[] = {
    { "2024-01-01", FALSE },                          /* New Year, a Monday */
    { "2024-01-02", TRUE },  { "2024-01-06", FALSE }, /* ordinary Saturday */
    { "2024-02-04", TRUE },                           /* Sunday declared working */
    { "2024-10-07", FALSE }, { "2024-10-12", TRUE },  { "2025-10-08", FALSE },
    { "2025-09-28", TRUE },  { "2026-02-23", FALSE }, { "2026-02-28", TRUE },
    { "2026-01-02", FALSE },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate d;
      gboolean working = !cases[i].working;
      ck_assert (core_date_parse (cases[i].date, &d));
      ck_assert (core_calendar_is_working_day (cal, &d, &working, NULL));
      ck_assert_msg (working == cases[i].working, "%s", cases[i].date);
    }
}
END_TEST

START_TEST (test_zero_and_year_boundary)
{
  g_autoptr (CoreCalendar) cal = builtin_calendar ();
  g_autofree char *same = add_days (cal, "2024-03-05", 0);
  ck_assert_str_eq (same, "2024-03-05");
  /* Across the 2024/2025 boundary: Dec 31 Tue -> Jan 2 Thu (Jan 1 is a holiday). */
  g_autofree char *next = add_days (cal, "2024-12-31", 1);
  ck_assert_str_eq (next, "2025-01-02");
}
END_TEST

START_TEST (test_count_working_days)
{
  g_autoptr (CoreCalendar) cal = builtin_calendar ();
  GDate a, b;
  int n = -1;
  ck_assert (core_date_parse ("2024-02-08", &a));
  ck_assert (core_date_parse ("2024-02-21", &b));
  ck_assert (core_calendar_count_working_days (cal, &a, &b, &n, NULL));
  ck_assert_int_eq (n, 5);
  ck_assert (core_calendar_count_working_days (cal, &b, &a, &n, NULL));
  ck_assert_int_eq (n, -5);
  /* February 2024: 21 weekdays, minus Feb 12-16 (holidays), plus Feb 4 and 18. */
  ck_assert (core_date_parse ("2024-01-31", &a));
  ck_assert (core_date_parse ("2024-02-29", &b));
  ck_assert (core_calendar_count_working_days (cal, &a, &b, &n, NULL));
  ck_assert_int_eq (n, 21 - 5 + 2);
}
END_TEST

START_TEST (test_unknown_year_is_error)
{
  g_autoptr (CoreCalendar) cal = builtin_calendar ();
  GDate d, out;
  g_autoptr (GError) error = NULL;
  ck_assert (core_date_parse ("2027-03-01", &d));
  ck_assert (!core_calendar_add_working_days (cal, &d, 1, &out, &error));
  ck_assert (g_error_matches (error, CORE_CALENDAR_ERROR, CORE_CALENDAR_ERROR_UNKNOWN_YEAR));
  ck_assert (strstr (error->message, "2027") != NULL);
  g_clear_error (&error);
  /* Running off the end of the last known year is an error too. */
  ck_assert (core_date_parse ("2026-12-30", &d));
  ck_assert (!core_calendar_add_working_days (cal, &d, 5, &out, &error));
  ck_assert (g_error_matches (error, CORE_CALENDAR_ERROR, CORE_CALENDAR_ERROR_UNKNOWN_YEAR));
}
END_TEST

START_TEST (test_bad_calendar_names_file_and_key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  ck_assert (config != NULL);
  ck_assert (core_config_add_data (
      config, "[calendar 2027]\nholidays=2027-01-01\nworkdays=2027-01-05\n", "bad.conf", &error));
  CoreCalendar *cal = core_calendar_new (config, &error);
  ck_assert (cal == NULL);
  ck_assert (g_error_matches (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_INVALID));
  ck_assert_msg (strstr (error->message, "bad.conf") && strstr (error->message, "workdays")
                     && strstr (error->message, "calendar 2027"),
                 "%s", error->message);
  g_clear_error (&error);
  ck_assert (
      core_config_add_data (config, "[calendar 2028]\nholidays=2028-02-30\n", "bad2.conf", &error));
  cal = core_calendar_new (config, &error);
  ck_assert (cal == NULL);
  ck_assert_msg (strstr (error->message, "bad") != NULL, "%s", error->message);
}
END_TEST

START_TEST (test_date_parse_strict)
{
  GDate d;
  ck_assert (!core_date_parse ("2024-2-8", &d));
  ck_assert (!core_date_parse ("2024-02-30", &d));
  ck_assert (!core_date_parse ("2024-02-08x", &d));
  ck_assert (!core_date_parse (NULL, &d));
  ck_assert (core_date_parse ("2024-02-29", &d));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("calendar");
  TCase *tc = tcase_create ("calendar");
  tcase_add_test (tc, test_spring_festival_2024);
  tcase_add_test (tc, test_weekday_rules);
  tcase_add_test (tc, test_zero_and_year_boundary);
  tcase_add_test (tc, test_count_working_days);
  tcase_add_test (tc, test_unknown_year_is_error);
  tcase_add_test (tc, test_bad_calendar_names_file_and_key);
  tcase_add_test (tc, test_date_parse_strict);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
