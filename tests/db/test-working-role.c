/* test-working-role.c: the application works as a role that cannot rewrite
 * the record, whatever SQL it sends. */
#include "tests/db/results-fixture.h"

#include "db/db-migrate.h"
#include "db/db-results.h"
#include "service/svc-results.h"

#include <check.h>
#include <string.h>

/* A failing report (so a case, its events and the audit log have rows), and
 * an approved plan with one cell. */
static TestDb *
record_db (void)
{
  TestDb *db = test_db_new ();
  g_autoptr (GError) error = NULL;
  fx_registry (db, 2, 2);
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  g_autoptr (CoreCalendar) calendar = core_calendar_new (config, &error);
  g_autoptr (CoreCatalog) catalog = core_catalog_load (config, &error);
  g_autoptr (CasesDeadlines) deadlines = cases_deadlines_load (config, &error);
  ck_assert_msg (deadlines != NULL && catalog != NULL, "%s", error ? error->message : "");
  SvcContext svc = { .conn = db->conn,
                     .config = config,
                     .catalog = catalog,
                     .calendar = calendar,
                     .deadlines = deadlines,
                     .actor = "tester",
                     .role = SVC_ROLE_COORDINATOR };
  ck_assert (core_date_parse ("2024-02-08", &svc.today));
  SvcResultsOptions opts = { .lab = "LAB1" };
  g_autoptr (GString) text = g_string_new (FX_HEADER);
  fx_row (text, 1, "铅(以Pb计)", "0.9", "≤0.5", "不合格", "不合格");
  g_auto (SvcResultsSummary) sum = { 0 };
  ck_assert_msg (svc_results_import_data (&svc, text->str, text->len, "r.csv", &opts, &sum, &error),
                 "%s", error ? error->message : "");
  fx_sql (db, "INSERT INTO audit_log (district, actor, action) VALUES ('120104', 't', 'x');"
              "INSERT INTO plan_cell (district, year, version, month, category, grade, quota, "
              "ideal) VALUES ('120104', 2024, 1, 1, '24', 'B', 3, 3.0);"
              "UPDATE plan SET status = 'approved', approved_at = now(), approved_by = 't' "
              "WHERE year = 2024 AND version = 1;");
  return db;
}

static const char *const record_tables[]
    = { "audit_log", "case_event", "lab_report", "result_item", "plan_cell" };

/* Row counts of every protected table, as one string. */
static char *
counts (TestDb *db)
{
  return fx_scalar (db, "SELECT (SELECT count(*) FROM audit_log) || ' ' || "
                        "(SELECT count(*) FROM case_event) || ' ' || "
                        "(SELECT count(*) FROM lab_report WHERE current) || ' ' || "
                        "(SELECT count(*) FROM result_item) || ' ' || "
                        "(SELECT count(*) FROM plan_cell) || ' ' || "
                        "(SELECT count(*) FROM plan WHERE status = 'approved')");
}

static void
refused (TestDb *db, const char *sql, const char *sqlstate)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (!db_run (db->conn, sql, DB_NO_ARGS, &error), "allowed: %s", sql);
  ck_assert_msg (db_error_is (error, sqlstate), "%s: %s (wanted SQLSTATE %s)", sql, error->message,
                 sqlstate);
}

START_TEST (test_working_role_cannot_rewrite_record)
{
  g_autoptr (TestDb) db = record_db ();
  g_autofree char *before = counts (db);
  ck_assert_str_eq (before, "2 1 1 1 1 1");
  for (guint i = 0; i < G_N_ELEMENTS (record_tables); i++)
    {
      /* Table names are identifiers from the fixed list above, not values:
       * they cannot be parameters. */
      const char *t = record_tables[i];
      g_autofree char *update = g_strdup_printf ("UPDATE %s SET district = district", t);
      g_autofree char *delete = g_strdup_printf ("DELETE FROM %s", t);
      g_autofree char *truncate = g_strdup_printf ("TRUNCATE %s CASCADE", t);
      g_autofree char *disable = g_strdup_printf ("ALTER TABLE %s DISABLE TRIGGER ALL", t);
      refused (db, update, "42501");
      refused (db, delete, "42501");
      refused (db, truncate, "42501");
      refused (db, disable, "42501");
    }
  /* The ways past triggers, and the ways to another role. */
  refused (db, "SET session_replication_role = replica", "42501");
  refused (db, "SET ROLE spotcheck", "42501");
  refused (db, "SET SESSION AUTHORIZATION spotcheck", "42501");
  refused (db, "CREATE TABLE x (a int)", "42501");
  /* The flag an amendment clears: only towards a newer version, never back. */
  refused (db, "UPDATE lab_report SET current = false", "42501");
  refused (db, "UPDATE lab_report SET current = true", "42501");
  /* A review resolution is part of the record: added, never rewritten. */
  refused (db, "UPDATE review_resolution SET verdict = 'pass'", "42501");
  refused (db, "DELETE FROM review_resolution", "42501");
  /* An approved plan is neither deleted nor changed. */
  refused (db, "DELETE FROM plan", "42501");
  refused (db, "UPDATE plan SET total = total + 1", "55000");
  refused (db, "UPDATE plan SET status = 'draft', approved_at = NULL", "55000");
  /* A case moves only through case_take_step() (migration 0013): its state,
   * closing date, version and office are not the working role's to write. */
  refused (db, "UPDATE nc_case SET state = 'closed'", "42501");
  refused (db, "UPDATE nc_case SET closed_on = now()", "42501");
  refused (db, "UPDATE nc_case SET version = version + 1", "42501");
  refused (db, "UPDATE nc_case SET office = NULL", "42501");
  g_autofree char *after = counts (db);
  ck_assert_str_eq (after, before);

  g_autofree char *facts
      = fx_scalar (db, "SELECT current_user || ' ' || r.rolsuper || ' ' || "
                       "(SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid) "
                       "FROM pg_roles r WHERE r.rolname = current_user");
  ck_assert_str_eq (facts, "spotcheck_app false 0");
}
END_TEST

START_TEST (test_owner_cannot_truncate_record)
{
  g_autoptr (TestDb) db = record_db ();
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) owner = db_connect (db->owner_conninfo, &error);
  ck_assert (owner != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (record_tables); i++)
    {
      g_autofree char *truncate = g_strdup_printf ("TRUNCATE %s CASCADE", record_tables[i]);
      g_clear_error (&error);
      ck_assert_msg (!db_run (owner, truncate, DB_NO_ARGS, &error), "allowed: %s", truncate);
      ck_assert_msg (strstr (error->message, "cannot be truncated") != NULL, "%s", error->message);
    }
  g_autofree char *after = counts (db);
  ck_assert_str_eq (after, "2 1 1 1 1 1");
}
END_TEST

START_TEST (test_migrate_names_missing_grant)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) owner = db_connect (db->owner_conninfo, &error);
  ck_assert (owner != NULL);
  ck_assert (db_migrate (db->conn, NULL, &error)); /* nothing pending: fine as the working role */
  ck_assert (db_run (owner, "REVOKE INSERT ON business FROM spotcheck_app", DB_NO_ARGS, &error));
  ck_assert (!db_migrate (db->conn, NULL, &error));
  ck_assert_msg (strstr (error->message, "INSERT on business") != NULL, "%s", error->message);
  g_clear_error (&error);
  /* The owner's migrate grants nothing new by itself, but names it too. */
  ck_assert (!db_migrate (owner, NULL, &error));
  ck_assert_msg (strstr (error->message, "INSERT on business") != NULL, "%s", error->message);
  g_clear_error (&error);
  /* A pending migration names who may apply it. */
  ck_assert (db_run (owner, "DELETE FROM schema_migrations WHERE version = 6", DB_NO_ARGS, &error));
  ck_assert (!db_migrate (db->conn, NULL, &error));
  ck_assert_msg (strstr (error->message, "0006_working_role is pending") != NULL
                     && strstr (error->message, "owner") != NULL,
                 "%s", error->message);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("db-working-role");
  TCase *tc = tcase_create ("working-role");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_working_role_cannot_rewrite_record);
  tcase_add_test (tc, test_owner_cannot_truncate_record);
  tcase_add_test (tc, test_migrate_names_missing_grant);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
