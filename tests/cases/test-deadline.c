/* test-deadline.c: statutory deadlines from config/deadlines.conf through the 2024 calendar. */
#include "cases/cases-deadline.h"

#include <check.h>
#include <string.h>

typedef struct
{
  CoreConfig *config;
  CoreCalendar *calendar;
  CasesDeadlines *deadlines;
} Fixture;

static void
fixture_clear (Fixture *f)
{
  cases_deadlines_free (f->deadlines);
  core_calendar_free (f->calendar);
  core_config_free (f->config);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

static void
fixture_init (Fixture *f, const char *extra)
{
  g_autoptr (GError) error = NULL;
  f->config = core_config_new_builtin (&error);
  ck_assert (f->config != NULL);
  if (extra != NULL)
    ck_assert (core_config_add_data (f->config, extra, "test.conf", &error));
  f->calendar = core_calendar_new (f->config, &error);
  ck_assert_msg (f->calendar != NULL, "%s", error ? error->message : "");
  f->deadlines = cases_deadlines_load (f->config, &error);
}

static char *
due (const Fixture *f, const char *name, const char *from)
{
  g_autoptr (GError) error = NULL;
  const CasesDeadline *d = cases_deadlines_find (f->deadlines, name);
  ck_assert_msg (d != NULL, "no deadline %s", name);
  GDate start, out;
  ck_assert (core_date_parse (from, &start));
  ck_assert_msg (cases_deadline_due (d, f->calendar, &start, &out, &error), "%s",
                 error ? error->message : "");
  return core_date_format (&out);
}

START_TEST (test_builtin_deadlines)
{
  g_auto (Fixture) f = { 0 };
  fixture_init (&f, NULL);
  ck_assert (f.deadlines != NULL);
  const CasesDeadline *d = cases_deadlines_find (f.deadlines, "lab-report");
  ck_assert_int_eq (d->amount, 20);
  ck_assert_int_eq (d->unit, CASES_UNIT_WORKING_DAYS);
  ck_assert_str_eq (d->zh, "检验机构出具检验报告");
  /* periods in days roll past rest days; working days and months do not */
  ck_assert (!d->roll);
  ck_assert (cases_deadlines_find (f.deadlines, "disposal-complete")->roll);
  ck_assert (!cases_deadlines_find (f.deadlines, "backup-sample-nonconforming")->roll);
  /* a case opens with the deadlines that count from the conclusion's receipt */
  g_autoptr (GPtrArray) first = cases_deadlines_from (f.deadlines, CASES_EVENT_CONCLUSION_RECEIVED);
  ck_assert_uint_eq (first->len, 2);
  ck_assert_str_eq (((CasesDeadline *)first->pdata[0])->name, "deliver-conclusion");
  ck_assert_str_eq (((CasesDeadline *)first->pdata[1])->name, "disposal-complete");
}
END_TEST

START_TEST (test_spring_festival_2024)
{
  g_auto (Fixture) f = { 0 };
  fixture_init (&f, NULL);
  /* Feb 9, then the declared working Sunday Feb 18, 19, 20, 21 (DOMAIN.md) */
  g_autofree char *deliver = due (&f, "deliver-conclusion", "2024-02-08");
  ck_assert_str_eq (deliver, "2024-02-21");
  /* calendar days run through the holiday */
  g_autofree char *disposal = due (&f, "disposal-complete", "2024-02-08");
  ck_assert_str_eq (disposal, "2024-05-08");
  g_autofree char *backup = due (&f, "backup-sample-nonconforming", "2024-08-31");
  ck_assert_str_eq (backup, "2025-02-28");
  /* National Day week: the declared working Sunday Sep 29, Sep 30, Oct 8, 9, 10 */
  g_autofree char *october = due (&f, "deliver-conclusion", "2024-09-27");
  ck_assert_str_eq (october, "2024-10-10");
}
END_TEST

START_TEST (test_outside_calendar_is_an_error)
{
  g_auto (Fixture) f = { 0 };
  fixture_init (&f, NULL);
  g_autoptr (GError) error = NULL;
  GDate start, out;
  ck_assert (core_date_parse ("2026-12-28", &start));
  const CasesDeadline *d = cases_deadlines_find (f.deadlines, "deliver-conclusion");
  ck_assert (!cases_deadline_due (d, f.calendar, &start, &out, &error));
  ck_assert (g_error_matches (error, CASES_DEADLINE_ERROR, CASES_DEADLINE_ERROR_DATE));
  ck_assert_msg (strstr (error->message, "deliver-conclusion") != NULL
                     && strstr (error->message, "2026-12-28") != NULL,
                 "%s", error->message);
}
END_TEST

START_TEST (test_day_count_rolls_to_working_day)
{
  g_auto (Fixture) f = { 0 };
  /* 10 days from 2024-09-21 is Tue Oct 1: the period ends Tue Oct 8 */
  fixture_init (&f, "[deadline ten]\namount=10\nunit=days\nfrom=x\n"
                    "[deadline ten-plain]\namount=10\nunit=days\nfrom=x\nholiday-roll=false\n");
  g_autofree char *rolled = due (&f, "ten", "2024-09-21");
  ck_assert_str_eq (rolled, "2024-10-08");
  g_autofree char *plain = due (&f, "ten-plain", "2024-09-21");
  ck_assert_str_eq (plain, "2024-10-01");
  g_auto (Fixture) bad = { 0 };
  fixture_init (&bad, "[deadline odd]\namount=3\nunit=days\nfrom=x\nholiday-roll=sometimes\n");
  ck_assert (bad.deadlines == NULL);
}
END_TEST

START_TEST (test_bad_unit_names_group)
{
  g_auto (Fixture) f = { 0 };
  fixture_init (&f, "[deadline odd]\namount=3\nunit=weeks\nfrom=x\n");
  ck_assert (f.deadlines == NULL);
  g_autoptr (GError) error = NULL;
  CasesDeadlines *none = cases_deadlines_load (f.config, &error);
  ck_assert (none == NULL);
  ck_assert (g_error_matches (error, CASES_DEADLINE_ERROR, CASES_DEADLINE_ERROR_CONFIG));
  ck_assert_msg (strstr (error->message, "deadline odd") && strstr (error->message, "weeks"), "%s",
                 error->message);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("deadline");
  TCase *tc = tcase_create ("deadline");
  tcase_add_test (tc, test_builtin_deadlines);
  tcase_add_test (tc, test_spring_festival_2024);
  tcase_add_test (tc, test_outside_calendar_is_an_error);
  tcase_add_test (tc, test_day_count_rolls_to_working_day);
  tcase_add_test (tc, test_bad_unit_names_group);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
