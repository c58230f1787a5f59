/* test-plan-store.c: plan versions, approval rules and rebalance against PostgreSQL. */
#include "tests/support/test-pg.h"

#include "db/db-plan.h"

#include <check.h>
#include <math.h>
#include <string.h>

static SchedPlan *
nankai_plan (gint64 total)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  SchedPlan *plan = sched_plan_build_from_config (config, 2024, total, NULL, &error);
  ck_assert_msg (plan != NULL, "%s", error ? error->message : "");
  return plan;
}

static int
store (TestDb *db, const SchedPlan *plan, int based_on)
{
  g_autoptr (GError) error = NULL;
  int version = 0;
  ck_assert_msg (db_plan_insert (db->conn, "120104", plan, "[plan 2024]\ntotal=5520\n", NULL,
                                 based_on, "tester", &version, &error),
                 "%s", error ? error->message : "");
  return version;
}

START_TEST (test_versions_and_cells_round_trip)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPlan) plan = nankai_plan (0);
  ck_assert_int_eq (store (db, plan, 0), 1);
  ck_assert_int_eq (store (db, plan, 0), 2);
  g_autoptr (DbPlanCells) cells = db_plan_cells (db->conn, "120104", 2024, 2, &error);
  ck_assert (cells != NULL);
  ck_assert_uint_eq (cells->n_categories, plan->n_categories);
  gsize n = (gsize)plan->n_months * plan->n_categories * plan->n_grades;
  gint64 sum = 0;
  for (gsize i = 0; i < n; i++)
    {
      ck_assert_int_eq (cells->cells[i], plan->cells[i]);
      ck_assert (fabs (cells->ideal[i] - plan->ideal[i]) < 1e-9);
      sum += cells->cells[i];
    }
  ck_assert_int_eq (sum, 5520);
  g_autofree char *per_month = db_scalar (
      db->conn,
      "SELECT string_agg(DISTINCT s::text, ',') FROM (SELECT sum(quota) s FROM plan_cell "
      "WHERE version = 2 GROUP BY month) x",
      DB_NO_ARGS, &error);
  ck_assert_str_eq (per_month, "460");
  g_autoptr (GPtrArray) list = db_plan_list (db->conn, "120104", 2024, &error);
  ck_assert_uint_eq (list->len, 2);
  DbPlanInfo *first = g_ptr_array_index (list, 0);
  ck_assert_str_eq (first->status, "draft");
  ck_assert (first->within_one);
  g_autofree char *csv = sched_plan_to_csv (plan);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, csv, -1);
  ck_assert_str_eq (first->digest, digest);
}
END_TEST

START_TEST (test_one_approved_per_year)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPlan) plan = nankai_plan (0);
  store (db, plan, 0);
  store (db, plan, 0);
  ck_assert (db_plan_approve (db->conn, "120104", 2024, 1, FALSE, "boss", &error));
  /* approving again, or another version, is refused and changes nothing */
  ck_assert (!db_plan_approve (db->conn, "120104", 2024, 1, FALSE, "boss", &error));
  ck_assert (g_error_matches (error, DB_PLAN_ERROR, DB_PLAN_ERROR_NOT_DRAFT));
  g_clear_error (&error);
  ck_assert (!db_plan_approve (db->conn, "120104", 2024, 2, FALSE, "boss", &error));
  ck_assert (g_error_matches (error, DB_PLAN_ERROR, DB_PLAN_ERROR_ALREADY_APPROVED));
  /* The fact names the approved version; the CLI adds the --supersede advice
   * (tests/cli/test-cli.c test_plan_approve). */
  ck_assert (strstr (error->message, "version 1 is already approved") != NULL);
  g_clear_error (&error);
  g_autoptr (DbPlanInfo) v2 = db_plan_get (db->conn, "120104", 2024, 2, &error);
  ck_assert_str_eq (v2->status, "draft");
  /* version 0 finds the approved one */
  g_autoptr (DbPlanInfo) current = db_plan_get (db->conn, "120104", 2024, 0, &error);
  ck_assert_int_eq (current->version, 1);
  /* with --supersede the old one steps aside in the same transaction */
  ck_assert (db_plan_approve (db->conn, "120104", 2024, 2, TRUE, "boss", &error));
  g_autoptr (DbPlanInfo) v1 = db_plan_get (db->conn, "120104", 2024, 1, &error);
  ck_assert_str_eq (v1->status, "superseded");
  g_autofree char *audits = db_scalar (
      db->conn, "SELECT count(*) FROM audit_log WHERE action = 'plan.approve'", DB_NO_ARGS, &error);
  ck_assert_str_eq (audits, "2");
}
END_TEST

START_TEST (test_approved_cells_frozen)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SchedPlan) plan = nankai_plan (0);
  store (db, plan, 0);
  ck_assert (db_plan_approve (db->conn, "120104", 2024, 1, FALSE, "boss", &error));
  /* The application has no right to change cells; the schema's owner meets the trigger. */
  ck_assert (!db_run (db->conn, "UPDATE plan_cell SET quota = quota + 1", DB_NO_ARGS, &error));
  ck_assert (db_error_is (error, "42501"));
  g_clear_error (&error);
  g_autoptr (PGconn) owner = db_connect (db->owner_conninfo, &error);
  ck_assert (owner != NULL);
  ck_assert (!db_run (owner, "UPDATE plan_cell SET quota = quota + 1", DB_NO_ARGS, &error));
  ck_assert (db_error_is (error, "55000"));
}
END_TEST

START_TEST (test_missing_plan_is_clear)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  DbPlanInfo *info = db_plan_get (db->conn, "120104", 2031, 0, &error);
  ck_assert (info == NULL);
  ck_assert (g_error_matches (error, DB_PLAN_ERROR, DB_PLAN_ERROR_NOT_FOUND));
  /* The CLI adds how to make one (tests/cli/test-cli.c asserts "plan generate"). */
  ck_assert (strstr (error->message, "no plan for 2031") != NULL);
}
END_TEST

START_TEST (test_registry_counts_text_round_trip)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr (SchedGradeCounts) none = db_plan_registry_counts (db->conn, "120104", &text, &error);
  ck_assert (none == NULL && error == NULL && text == NULL);
  ck_assert (db_run (db->conn,
                     "INSERT INTO business (district, uscc, name, stage, street, grade) VALUES "
                     "('120104', '91120104MA05K0XX1X', 'A店', 'catering', '120104001', 'B'),"
                     "('120104', '91120104MA05K0XX2X', 'B店', 'catering', '120104002', 'B'),"
                     "('120104', '91120104MA05K0XX3X', 'C店', 'market', '120104002', 'D')",
                     DB_NO_ARGS, &error));
  ck_assert (db_run (db->conn,
                     "INSERT INTO business_category VALUES ('120104','91120104MA05K0XX1X','31'),"
                     "('120104','91120104MA05K0XX2X','31'),('120104','91120104MA05K0XX3X','33'),"
                     "('120104','91120104MA05K0XX3X','31')",
                     DB_NO_ARGS, &error));
  g_autoptr (SchedGradeCounts) counts = db_plan_registry_counts (db->conn, "120104", &text, &error);
  ck_assert (counts != NULL);
  ck_assert_str_eq (text, "31:B=2,D=1;33:D=1");
  ck_assert_int_eq (sched_grade_counts_get (counts, "31", 1), 2);
  g_autoptr (SchedGradeCounts) back = db_plan_counts_parse (text);
  ck_assert_int_eq (sched_grade_counts_get (back, "31", 3), 1);
  ck_assert_int_eq (sched_grade_counts_get (back, "33", 3), 1);
  ck_assert_int_eq (sched_grade_counts_get (back, "33", 0), 0);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("db-plan");
  TCase *tc = tcase_create ("plan");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_versions_and_cells_round_trip);
  tcase_add_test (tc, test_one_approved_per_year);
  tcase_add_test (tc, test_approved_cells_frozen);
  tcase_add_test (tc, test_missing_plan_is_clear);
  tcase_add_test (tc, test_registry_counts_text_round_trip);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
