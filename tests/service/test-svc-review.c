/* test-svc-review.c: review flags resolved (svc_results_resolve) against
 * PostgreSQL: both verdicts and what they do to the cases, the refusals that
 * leave the database as it was, and an amendment after a resolution. */
#include "tests/db/results-fixture.h"

#include "service/svc-results.h"

#include <stdlib.h>

typedef struct
{
  CoreConfig *config;
  CoreCatalog *catalog;
  CoreCalendar *calendar;
  CasesDeadlines *deadlines;
  SvcContext svc; /* a coordinator on 2024-03-01 */
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

/* BG-1: the lab says pass, the value is at an exclusive maximum: fails,
 * flagged, a case opens. BG-2: not detected with a detection limit above the
 * maximum: undetermined, flagged, passes, no case. BG-3: agreed pass. */
static const char FLAGGED[]
    = FX_HEADER "DC24120104000001,BG-1,亚硝酸盐,10,mg/kg,<10,,合格,合格,2024-02-05\n"
                "DC24120104000002,BG-2,镉,未检出,mg/kg,≤0.005,0.01,合格,合格,2024-02-05\n"
                "DC24120104000003,BG-3,铅,0.1,mg/kg,≤0.5,,合格,合格,2024-02-05\n";

static void
env_init (Env *e, TestDb *db)
{
  g_autoptr (GError) error = NULL;
  fx_registry (db, 4, 4);
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
                         .actor = "coord",
                         .role = SVC_ROLE_COORDINATOR };
  ck_assert (core_date_parse ("2024-03-01", &e->svc.today));
  SvcResultsOptions opts = { .lab = "LAB1" };
  g_auto (SvcResultsSummary) s = { 0 };
  ck_assert_msg (
      svc_results_import_data (&e->svc, FLAGGED, strlen (FLAGGED), "r.csv", &opts, &s, &error),
      "%s", error ? error->message : "");
  ck_assert_uint_eq (s.review, 2);
  ck_assert_uint_eq (s.cases_opened, 1);
}

static gboolean
resolve (Env *e, const char *report, gboolean conforming, const char *reason,
         SvcResultsResolved *out, GError **error)
{
  SvcResultsResolve what = { .report_no = report, .conforming = conforming, .reason = reason };
  return svc_results_resolve (&e->svc, &what, out, error);
}

/* Everything a resolution may change, in one string. */
static char *
fingerprint (TestDb *db)
{
  return fx_scalar (db, "SELECT (SELECT count(*) FROM review_resolution) || '/' || "
                        "(SELECT count(*) FROM audit_log) || '/' || "
                        "(SELECT count(*) FROM case_event) || '/' || "
                        "(SELECT string_agg(case_no || state, ',' ORDER BY case_no) FROM nc_case)");
}

START_TEST (test_conforming_withdraws_the_case)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_auto (SvcResultsResolved) out = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert_msg (resolve (&e, "BG-1", TRUE, "limit read as inclusive by GB 2762", &out, &error),
                 "%s", error ? error->message : "");
  ck_assert_str_eq (out.lab, "LAB1");
  ck_assert_str_eq (out.previous, "fail");
  ck_assert_uint_eq (out.cases_withdrawn, 1);
  ck_assert_uint_eq (out.cases_opened, 0);
  g_autofree char *c = fx_scalar (db, "SELECT state || ' ' || closed_on FROM nc_case");
  ck_assert_str_eq (c, "closed 2024-03-01");
  /* the case closes through the system's withdraw step, the one an amendment
   * takes, by the resolving coordinator and with the resolution's reason */
  g_autofree char *ev = fx_scalar (
      db, "SELECT from_state || '|' || to_state || '|' || actor || '|' || "
          "(detail LIKE '%review resolved as conforming by coord: limit read as inclusive by "
          "GB 2762%') || '|' || (event IN ('withdraw', 'withdrawn by amendment')) "
          "FROM case_event ORDER BY id DESC LIMIT 1");
  ck_assert_str_eq (ev, "open|closed|coord|true|true");
  g_autofree char *res = fx_scalar (
      db, "SELECT lab || report_no || version || verdict || actor || resolved_on || reason "
          "FROM review_resolution");
  ck_assert_str_eq (res, "LAB1BG-11passcoord2024-03-01limit read as inclusive by GB 2762");
  g_autofree char *audit = fx_scalar (
      db, "SELECT subject || ' ' || (detail->>'verdict') || ' ' || (detail->>'previous') || ' ' "
          "|| (detail->>'cases_withdrawn') FROM audit_log WHERE action = 'results.resolve'");
  ck_assert_str_eq (audit, "report LAB1/BG-1 version 1 pass fail 1");
  /* the list shows unresolved flags; --all shows the resolution too */
  g_autoptr (CoreTable) open = svc_results_review (&e.svc, &error);
  ck_assert_uint_eq (core_table_n_rows (open), 1);
  ck_assert_str_eq (core_table_get_by_key (open, 0, "report_no"), "BG-2");
  g_autoptr (CoreTable) all = svc_results_review_all (&e.svc, &error);
  ck_assert_uint_eq (core_table_n_rows (all), 2);
  ck_assert_str_eq (core_table_get_by_key (all, 0, "resolved_verdict"), "pass");
  ck_assert_str_eq (core_table_get_by_key (all, 0, "resolved_by"), "coord");
  ck_assert_ptr_null (core_table_get_by_key (all, 1, "resolved_verdict"));
}
END_TEST

START_TEST (test_nonconforming_opens_a_case)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_auto (SvcResultsResolved) out = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert_msg (
      resolve (&e, "BG-2", FALSE, "retested below the limit of detection elsewhere", &out, &error),
      "%s", error ? error->message : "");
  ck_assert_str_eq (out.previous, "pass");
  ck_assert_uint_eq (out.cases_opened, 1);
  g_autofree char *c = fx_scalar (
      db, "SELECT case_no || ' ' || state || ' ' || report_no || ' ' || opened_on || ' ' || "
          "array_to_string(failed_items, ';') FROM nc_case WHERE record_no = "
          "'DC24120104000002'");
  ck_assert_str_eq (c, "HC2024-00002 open BG-2 2024-03-01 镉");
  g_autofree char *deadlines
      = fx_scalar (db, "SELECT count(*) FROM case_deadline WHERE case_no = 'HC2024-00002'");
  ck_assert_str_eq (deadlines, "2");
  /* resolving to the verdict that already governs changes no case */
  g_auto (SvcResultsResolved) same = { 0 };
  ck_assert (resolve (&e, "BG-1", FALSE, "confirmed: the limit is exclusive", &same, &error));
  ck_assert_uint_eq (same.cases_opened + same.cases_withdrawn, 0);
  g_autofree char *states
      = fx_scalar (db, "SELECT string_agg(state, ',' ORDER BY case_no) FROM nc_case");
  ck_assert_str_eq (states, "open,open");
  g_autofree char *resolutions = fx_scalar (db, "SELECT count(*) FROM review_resolution");
  ck_assert_str_eq (resolutions, "2");
}
END_TEST

START_TEST (test_refusals_change_nothing)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autofree char *before = fingerprint (db);
  g_auto (SvcResultsResolved) out = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert (!resolve (&e, "BG-3", TRUE, "looks fine", &out, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_CONFLICT));
  ck_assert_msg (strstr (error->message, "BG-3 of lab LAB1 (version 1) is not flagged") != NULL,
                 "%s", error->message);
  g_clear_error (&error);
  ck_assert (!resolve (&e, "BG-9", TRUE, "looks fine", &out, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_NOT_FOUND));
  ck_assert_msg (strstr (error->message, "no current report BG-9 in district 120104") != NULL, "%s",
                 error->message);
  g_clear_error (&error);
  SvcResultsResolve other = { .report_no = "BG-1", .lab = "LAB2", .reason = "x" };
  ck_assert (!svc_results_resolve (&e.svc, &other, &out, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_NOT_FOUND));
  g_clear_error (&error);
  ck_assert (!resolve (&e, "BG-1", TRUE, "  ", &out, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_INVALID));
  g_clear_error (&error);
  /* a lab may see its flags but not clear them */
  e.svc.role = SVC_ROLE_LAB;
  e.svc.lab = "LAB1";
  ck_assert (!resolve (&e, "BG-1", TRUE, "our verdict stands", &out, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
  g_clear_error (&error);
  g_autofree char *after = fingerprint (db);
  ck_assert_str_eq (before, after);
  /* a resolved flag is not resolved again */
  e.svc.role = SVC_ROLE_COORDINATOR;
  e.svc.lab = NULL;
  ck_assert (resolve (&e, "BG-1", TRUE, "inclusive limit", &out, &error));
  g_autofree char *once = fingerprint (db);
  g_auto (SvcResultsResolved) again = { 0 };
  ck_assert (!resolve (&e, "BG-1", FALSE, "changed my mind", &again, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_CONFLICT));
  ck_assert_msg (strstr (error->message, "resolved on 2024-03-01 by coord as pass") != NULL, "%s",
                 error->message);
  g_autofree char *twice = fingerprint (db);
  ck_assert_str_eq (once, twice);
}
END_TEST

START_TEST (test_amendment_after_resolution_reopens)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_auto (SvcResultsResolved) out = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert (resolve (&e, "BG-1", TRUE, "inclusive limit", &out, &error));
  /* the lab's amended report fails plainly: the verdict that governed was the
   * resolution's pass, so the withdrawn case reopens */
  const char *amended = FX_HEADER "DC24120104000001,BG-1,亚硝酸盐,12,mg/kg,<10,,不合格,不合格,"
                                  "2024-02-05\n";
  SvcResultsOptions opts = { .lab = "LAB1", .amend = TRUE, .reason = "value re-read" };
  g_auto (SvcResultsSummary) s = { 0 };
  ck_assert_msg (
      svc_results_import_data (&e.svc, amended, strlen (amended), "a.csv", &opts, &s, &error), "%s",
      error ? error->message : "");
  ck_assert_uint_eq (s.reports_amended, 1);
  ck_assert_uint_eq (s.cases_reopened, 1);
  g_autofree char *c = fx_scalar (db, "SELECT state FROM nc_case WHERE report_no = 'BG-1'");
  ck_assert_str_eq (c, "open");
}
END_TEST

typedef struct
{
  Env *env;
  gboolean ok;
  GError *error;
} Racer;

static gpointer
race_resolve (gpointer data)
{
  Racer *r = data;
  g_auto (SvcResultsResolved) out = { 0 };
  r->ok = resolve (r->env, "BG-1", TRUE, "second", &out, &r->error);
  return NULL;
}

START_TEST (test_two_resolutions_at_once)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autoptr (GError) error = NULL;
  /* another coordinator holds the report and resolves it first */
  g_autoptr (PGconn) other = db_connect (db->conninfo, &error);
  ck_assert_msg (other != NULL, "%s", error ? error->message : "");
  ck_assert (db_run (other, "BEGIN", DB_NO_ARGS, &error));
  ck_assert (db_run (other,
                     "SELECT 1 FROM lab_report WHERE report_no = 'BG-1' AND current FOR UPDATE",
                     DB_NO_ARGS, &error));
  Racer racer = { .env = &e };
  GThread *t = g_thread_new ("resolve", race_resolve, &racer);
  /* wait until the second resolution waits for the row */
  gboolean waiting = FALSE;
  for (int i = 0; i < 200 && !waiting; i++)
    {
      g_autofree char *n = db_scalar (other,
                                      "SELECT count(*) FROM pg_stat_activity WHERE "
                                      "wait_event_type = 'Lock' AND datname = current_database()",
                                      DB_NO_ARGS, &error);
      waiting = n != NULL && strcmp (n, "0") != 0;
      if (!waiting)
        g_usleep (50000);
    }
  ck_assert_msg (waiting, "the second resolution never waited for the report's row");
  ck_assert (db_run (other,
                     "INSERT INTO review_resolution (district, lab, report_no, version, verdict, "
                     "reason, actor, resolved_on) VALUES ('120104', 'LAB1', 'BG-1', 1, 'fail', "
                     "'first', 'other', '2024-03-01')",
                     DB_NO_ARGS, &error));
  ck_assert (db_run (other, "COMMIT", DB_NO_ARGS, &error));
  g_thread_join (t);
  ck_assert (!racer.ok);
  ck_assert_msg (g_error_matches (racer.error, SVC_ERROR, SVC_ERROR_CONFLICT), "%s",
                 racer.error ? racer.error->message : "");
  ck_assert_msg (strstr (racer.error->message, "resolved by someone else meanwhile") != NULL, "%s",
                 racer.error->message);
  g_clear_error (&racer.error);
  /* the first resolution stands, and the case was not touched by the second */
  g_autofree char *v = fx_scalar (db, "SELECT string_agg(actor || verdict, ',') FROM "
                                      "review_resolution");
  ck_assert_str_eq (v, "otherfail");
  g_autofree char *c = fx_scalar (db, "SELECT state FROM nc_case WHERE report_no = 'BG-1'");
  ck_assert_str_eq (c, "open");
}
END_TEST

START_TEST (test_shared_report_number_needs_the_lab)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  /* LAB2 numbers its report of sample 4 BG-1 as well, and it is flagged too */
  const char *lab2
      = FX_HEADER "DC24120104000004,BG-1,亚硝酸盐,30,mg/kg,<30,,合格,合格,2024-02-05\n";
  SvcResultsOptions opts = { .lab = "LAB2" };
  g_auto (SvcResultsSummary) s = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert_msg (svc_results_import_data (&e.svc, lab2, strlen (lab2), "l2.csv", &opts, &s, &error),
                 "%s", error ? error->message : "");
  g_autofree char *before = fingerprint (db);
  g_auto (SvcResultsResolved) out = { 0 };
  ck_assert (!resolve (&e, "BG-1", TRUE, "inclusive", &out, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_INVALID));
  ck_assert_str_eq (svc_error_argument (error), "lab");
  ck_assert_msg (strstr (error->message, "used by labs LAB1, LAB2") != NULL, "%s", error->message);
  g_clear_error (&error);
  g_autofree char *after = fingerprint (db);
  ck_assert_str_eq (before, after);
  SvcResultsResolve what
      = { .report_no = "BG-1", .lab = "LAB2", .conforming = TRUE, .reason = "inclusive" };
  ck_assert_msg (svc_results_resolve (&e.svc, &what, &out, &error), "%s",
                 error ? error->message : "");
  ck_assert_str_eq (out.lab, "LAB2");
  g_autofree char *c = fx_scalar (db, "SELECT string_agg(record_no || state, ',' ORDER BY "
                                      "case_no) FROM nc_case");
  ck_assert_str_eq (c, "DC24120104000001open,DC24120104000004closed");
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("svc-review");
  TCase *tc = tcase_create ("resolve");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_conforming_withdraws_the_case);
  tcase_add_test (tc, test_nonconforming_opens_a_case);
  tcase_add_test (tc, test_refusals_change_nothing);
  tcase_add_test (tc, test_amendment_after_resolution_reopens);
  tcase_add_test (tc, test_two_resolutions_at_once);
  tcase_add_test (tc, test_shared_report_number_needs_the_lab);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
