/* test-svc-results.c: the results and cases services' role and scope rules
 * against PostgreSQL (a lab imports and reviews for itself only, an inspector
 * sees its own office's cases only), and the import's hardening: amendments
 * compared with the current version, test dates checked against the sampling
 * and import dates, unreadable files. */
#include "tests/db/results-fixture.h"

#include "core/core-problems.h"
#include "db/db-cases.h"
#include "db/db-results.h"
#include "service/svc-cases.h"
#include "service/svc-results.h"

#include <stdlib.h>

typedef struct
{
  CoreConfig *config;
  CoreCatalog *catalog;
  CoreCalendar *calendar;
  CasesDeadlines *deadlines;
  SvcContext svc;
} Env;

static void
env_clear (Env *e)
{
  cases_deadlines_free (e->deadlines);
  core_calendar_free (e->calendar);
  core_catalog_free (e->catalog);
  core_config_free (e->config);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Env, env_clear)

/* A coordinator acting on @today; tests change the role and scope. */
static void
env_init (Env *e, TestDb *db, const char *today)
{
  g_autoptr (GError) error = NULL;
  e->config = core_config_new_builtin (&error);
  e->catalog = core_catalog_load (e->config, &error);
  e->calendar = core_calendar_new (e->config, &error);
  e->deadlines = cases_deadlines_load (e->config, &error);
  ck_assert_msg (e->deadlines != NULL, "%s", error ? error->message : "");
  e->svc = (SvcContext){ .conn = db->conn,
                         .config = e->config,
                         .catalog = e->catalog,
                         .calendar = e->calendar,
                         .deadlines = e->deadlines,
                         .actor = "tester",
                         .role = SVC_ROLE_COORDINATOR };
  ck_assert (core_date_parse (today, &e->svc.today));
}

static void
act_as (Env *e, SvcRole role, const char *lab, const char *office)
{
  e->svc.role = role;
  e->svc.lab = lab;
  e->svc.office = office;
}

static gboolean
import (Env *e, const char *lab, gboolean amend, const char *text, SvcResultsSummary *s,
        GError **error)
{
  SvcResultsOptions opts = { .lab = lab, .amend = amend, .reason = amend ? "re-tested" : NULL };
  svc_results_summary_clear (s);
  return svc_results_import_data (&e->svc, text, strlen (text), "r.csv", &opts, s, error);
}

static int
count (TestDb *db, const char *sql)
{
  g_autofree char *v = fx_scalar (db, sql);
  return atoi (v);
}

/* Report BG-1 for sample 1 with lead at @lead (≤0.5). */
static char *
one_report (const char *lead, const char *date)
{
  gboolean fails = g_ascii_strtod (lead, NULL) > 0.5;
  return g_strdup_printf (FX_HEADER "DC24120104000001,BG-1,铅,%s,mg/kg,≤0.5,0.01,%s,%s,%s\n", lead,
                          fails ? "不合格" : "合格", fails ? "不合格" : "合格", date);
}

START_TEST (test_lab_imports_for_itself_only)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-03-01");
  g_autofree char *text = one_report ("0.1", "2024-02-05");
  g_auto (SvcResultsSummary) s = { 0 };
  g_autoptr (GError) error = NULL;
  act_as (&e, SVC_ROLE_LAB, "LAB2", NULL);
  ck_assert (!import (&e, "LAB1", FALSE, text, &s, &error));
  ck_assert_msg (g_error_matches (error, SVC_ERROR, SVC_ERROR_SCOPE), "%s", error->message);
  g_clear_error (&error);
  /* the sample went to LAB1: LAB1 itself imports it, naming no lab */
  act_as (&e, SVC_ROLE_LAB, "LAB1", NULL);
  ck_assert_msg (import (&e, NULL, FALSE, text, &s, &error), "%s", error ? error->message : "");
  ck_assert_str_eq (s.lab, "LAB1");
  ck_assert_uint_eq (s.reports_new, 1);
  g_autofree char *lab = fx_scalar (db, "SELECT lab FROM lab_report");
  ck_assert_str_eq (lab, "LAB1");
}
END_TEST

START_TEST (test_coordinator_names_the_lab_and_inspector_may_not_import)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-03-01");
  g_autofree char *text = one_report ("0.1", "2024-02-05");
  g_auto (SvcResultsSummary) s = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert (!import (&e, NULL, FALSE, text, &s, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_INVALID));
  g_clear_error (&error);
  act_as (&e, SVC_ROLE_INSPECTOR, NULL, "12010401");
  ck_assert (!import (&e, "LAB1", FALSE, text, &s, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
  g_clear_error (&error);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM lab_report"), 0);
  act_as (&e, SVC_ROLE_COORDINATOR, NULL, NULL);
  ck_assert_msg (import (&e, "LAB1", FALSE, text, &s, &error), "%s", error ? error->message : "");
  ck_assert_uint_eq (s.reports_new, 1);
}
END_TEST

START_TEST (test_lab_reviews_its_own_reports_only)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-03-06");
  /* not detected with a detection limit above the maximum: undetermined */
  const char *lab1 = FX_HEADER "DC24120104000001,BG-1,镉,未检出,mg/kg,≤0.005,0.01,合格,合格,"
                               "2024-03-05\n";
  const char *lab2
      = FX_HEADER "DC24120104000003,BG-3,亚硝酸盐,30,mg/kg,<30,,合格,合格,2024-03-05\n";
  g_auto (SvcResultsSummary) s = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert_msg (import (&e, "LAB1", FALSE, lab1, &s, &error), "%s", error ? error->message : "");
  ck_assert_msg (import (&e, "LAB2", FALSE, lab2, &s, &error), "%s", error ? error->message : "");
  g_autoptr (CoreTable) all = svc_results_review (&e.svc, &error);
  ck_assert_uint_eq (core_table_n_rows (all), 2);
  /* the report's computed verdict is pass, but the flagged item's is shown */
  ck_assert_str_eq (core_table_get_by_key (all, 0, "computed"), "pass");
  ck_assert_str_eq (core_table_get_by_key (all, 0, "flagged_items"), "镉 undetermined");
  act_as (&e, SVC_ROLE_LAB, "LAB2", NULL);
  g_autoptr (CoreTable) own = svc_results_review (&e.svc, &error);
  ck_assert_uint_eq (core_table_n_rows (own), 1);
  ck_assert_str_eq (core_table_get_by_key (own, 0, "lab"), "LAB2");
  act_as (&e, SVC_ROLE_INSPECTOR, NULL, "12010401");
  ck_assert (svc_results_review (&e.svc, &error) == NULL);
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
}
END_TEST

START_TEST (test_inspector_sees_its_office_only)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-02-20");
  g_autofree char *refs = g_build_filename (g_getenv ("SPOTCHECK_SOURCE_DIR"), "tests", "data",
                                            "results", "referrals.csv", NULL);
  guint opened = 0, skipped = 0;
  g_autoptr (GError) error = NULL;
  act_as (&e, SVC_ROLE_INSPECTOR, NULL, "12010401");
  ck_assert (!svc_cases_import_referrals (&e.svc, refs, NULL, &opened, &skipped, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
  g_clear_error (&error);
  act_as (&e, SVC_ROLE_COORDINATOR, NULL, NULL);
  ck_assert_msg (svc_cases_import_referrals (&e.svc, refs, NULL, &opened, &skipped, &error), "%s",
                 error ? error->message : "");
  ck_assert_uint_eq (opened, 2);
  g_autoptr (CoreTable) all = svc_cases_list (&e.svc, NULL, &error);
  ck_assert_uint_eq (core_table_n_rows (all), 2);
  /* HC2024-00001 is at a business of office 12010401, HC2024-00002 of 12010402 */
  act_as (&e, SVC_ROLE_INSPECTOR, NULL, "12010402");
  g_autoptr (CoreTable) own = svc_cases_list (&e.svc, NULL, &error);
  ck_assert_uint_eq (core_table_n_rows (own), 1);
  ck_assert_str_eq (core_table_get_by_key (own, 0, "case_no"), "HC2024-00002");
  ck_assert (svc_cases_show (&e.svc, "HC2024-00001", &error) == NULL);
  ck_assert (g_error_matches (error, DB_CASES_ERROR, DB_CASES_ERROR_NOT_FOUND));
  ck_assert_str_eq (error->message, "no case HC2024-00001 in district 120104");
  g_clear_error (&error);
  g_autoptr (CoreDocument) doc = svc_cases_show (&e.svc, "HC2024-00002", &error);
  ck_assert_msg (doc != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (doc->tables->len, 5); /* case, deadlines, events, next, fields */
  /* every field a next step requires is described, once */
  const CoreTable *next = g_ptr_array_index (doc->tables, 3);
  const CoreTable *fields = g_ptr_array_index (doc->tables, 4);
  ck_assert_str_eq (core_table_key (fields), "fields");
  for (guint r = 0; r < core_table_n_rows (next); r++)
    {
      const char *req = core_table_get_by_key (next, r, "requires");
      g_auto (GStrv) names = g_strsplit (req ? req : "", ";", -1);
      for (gsize i = 0; names[i] != NULL && *names[i]; i++)
        {
          guint found = 0;
          for (guint f = 0; f < core_table_n_rows (fields); f++)
            found += g_strcmp0 (core_table_get_by_key (fields, f, "field"), names[i]) == 0;
          ck_assert_msg (found == 1, "field %s of step %s described %u times", names[i],
                         core_table_get_by_key (next, r, "step"), found);
        }
    }
  const CoreTable *dl = g_ptr_array_index (doc->tables, 1);
  const CoreTable *ev = g_ptr_array_index (doc->tables, 2);
  ck_assert_str_eq (core_table_key (dl), "deadlines");
  ck_assert_uint_eq (core_table_n_rows (dl), 2);
  ck_assert_str_eq (core_table_get_by_key (ev, 0, "event"), "opened");
  /* a lab reads no cases */
  act_as (&e, SVC_ROLE_LAB, "LAB1", NULL);
  ck_assert (svc_cases_list (&e.svc, NULL, &error) == NULL);
}
END_TEST

/* Sending the original results again after an amendment restores them as a
 * new amendment; without --amend it is a change, refused, not "nothing
 * changed" (the file's digest is on record, but its reports are no longer
 * current). */
START_TEST (test_original_results_restored_after_amendment)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-03-01");
  g_autofree char *first = one_report ("0.1", "2024-02-05");
  g_autofree char *changed = one_report ("0.2", "2024-02-05");
  g_auto (SvcResultsSummary) s = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert (import (&e, "LAB1", FALSE, first, &s, &error));
  ck_assert (import (&e, "LAB1", TRUE, changed, &s, &error));
  ck_assert_uint_eq (s.reports_amended, 1);
  /* without --amend: refused as a change */
  ck_assert (!import (&e, "LAB1", FALSE, first, &s, &error));
  ck_assert (g_error_matches (error, CORE_PROBLEMS_ERROR, CORE_PROBLEMS_ERROR_REJECTED));
  ck_assert_msg (strstr (error->message, "report BG-1 is already stored (version 2") != NULL, "%s",
                 error->message);
  ck_assert_uint_eq (s.refused_changes, 1);
  g_clear_error (&error);
  /* with --amend, byte for byte the first file: version 3 has its results */
  ck_assert_msg (import (&e, "LAB1", TRUE, first, &s, &error), "%s", error ? error->message : "");
  ck_assert (!s.unchanged);
  ck_assert_uint_eq (s.reports_amended, 1);
  g_autofree char *v = fx_scalar (db, "SELECT r.version || ' ' || i.value FROM lab_report r "
                                      "JOIN result_item i USING (district, lab, report_no, "
                                      "version) WHERE r.current");
  ck_assert_str_eq (v, "3 0.1");
  /* and now the same bytes again are on record as they are */
  ck_assert (import (&e, "LAB1", TRUE, first, &s, &error));
  ck_assert (s.unchanged);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM result_import"), 3);
}
END_TEST

START_TEST (test_test_dates_checked)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3); /* sampled on 2024-01-15 */
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-03-01");
  g_autoptr (GString) t = g_string_new (FX_HEADER);
  g_string_append (t, "DC24120104000001,BG-1,铅,0.1,mg/kg,≤0.5,,合格,合格,2024-02-05\n");
  g_string_append (t, "DC24120104000001,BG-1,镉,0.01,mg/kg,≤0.1,,合格,合格,2024-01-10\n");
  g_string_append (t, "DC24120104000002,BG-2,铅,0.1,mg/kg,≤0.5,,合格,合格,2024-03-05\n");
  g_auto (SvcResultsSummary) s = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert (!import (&e, "LAB1", FALSE, t->str, &s, &error));
  const char *expect[] = {
    "r.csv:3: column 检验日期: value \"2024-01-10\": tested before the sample was taken "
    "(2024-01-15)",
    "r.csv:4: column 检验日期: value \"2024-03-05\": after the import date 2024-03-01",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    ck_assert_msg (strstr (error->message, expect[i]) != NULL, "missing <%s> in:\n%s", expect[i],
                   error->message);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM lab_report"), 0);
}
END_TEST

START_TEST (test_unreadable_file)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-03-01");
  SvcResultsOptions opts = { .lab = "LAB1" };
  g_auto (SvcResultsSummary) s = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert (!svc_results_import_file (&e.svc, "/nonexistent/r.csv", NULL, &opts, &s, &error));
  ck_assert (g_error_matches (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_READ));
  ck_assert_str_eq (error->message, "cannot read /nonexistent/r.csv: No such file or directory");
  g_clear_error (&error);
  ck_assert (!svc_results_import_file (&e.svc, "/tmp", NULL, &opts, &s, &error));
  ck_assert_str_eq (error->message, "cannot read /tmp: it is a directory");
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("svc-results");
  TCase *tc = tcase_create ("svc-results");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_lab_imports_for_itself_only);
  tcase_add_test (tc, test_coordinator_names_the_lab_and_inspector_may_not_import);
  tcase_add_test (tc, test_lab_reviews_its_own_reports_only);
  tcase_add_test (tc, test_inspector_sees_its_office_only);
  tcase_add_test (tc, test_original_results_restored_after_amendment);
  tcase_add_test (tc, test_test_dates_checked);
  tcase_add_test (tc, test_unreadable_file);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
