/* test-workflow-store.c: config/case-workflow.conf synced into a district's
 * case_state and case_transition rows, and the trigger enforcing exactly it. */
#include "tests/db/results-fixture.h"

#include "db/db-workflow.h"

#include <stdlib.h>

static CasesWorkflow *
builtin_workflow (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  ck_assert (config != NULL);
  CasesWorkflow *wf = cases_workflow_load (config, &error);
  ck_assert_msg (wf != NULL, "%s", error ? error->message : "");
  return wf;
}

static gboolean
sync_workflow (TestDb *db, const char *district, const CasesWorkflow *wf, GError **error)
{
  g_autoptr (DbTransaction) tx = db_transaction_begin (db->conn, error);
  return tx != NULL && db_workflow_sync (db->conn, district, wf, error)
         && db_transaction_commit (tx, error);
}

/* A referral case HC2024-0000@n in @state, inserted as the queue would. */
static void
insert_case (TestDb *db, int n, const char *state)
{
  g_autofree char *sql = g_strdup_printf (
      "INSERT INTO nc_case (district, case_no, source, state, uscc, business_name, notice_no, "
      "notice_date, failed_items, opened_on, created_by) VALUES ('120104', 'HC2024-0000%d', "
      "'national', '%s', '" FX_USCC1 "', '甲', 'GC-%d', '2024-02-28', '{酸价}', '2024-03-01', "
      "'test')",
      n, state, n);
  fx_sql (db, sql);
}

/* Moves the case directly, as the schema's owner writing the column would (the
 * working role may not: migration 0013), so only the trigger stands in the way. */
static gboolean
move (TestDb *db, int n, const char *state, GError **error)
{
  g_autoptr (PGconn) owner = db_connect (db->owner_conninfo, error);
  if (owner == NULL)
    return FALSE;
  g_autofree char *sql = g_strdup_printf (
      "UPDATE nc_case SET state = '%s', closed_on = CASE WHEN '%s' = 'closed' THEN "
      "date '2024-05-01' END WHERE district = '120104' AND case_no = 'HC2024-0000%d'",
      state, state, n);
  return db_run (owner, sql, DB_NO_ARGS, error);
}

static int
count (TestDb *db, const char *sql)
{
  g_autofree char *v = fx_scalar (db, sql);
  return atoi (v);
}

START_TEST (test_trigger_enforces_the_config)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  insert_case (db, 1, "open");
  insert_case (db, 2, "notified");
  g_autoptr (GError) error = NULL;
  /* the first schema's rows let a notified case go straight to disposing */
  ck_assert_msg (move (db, 2, "disposing", &error), "%s", error ? error->message : "");
  insert_case (db, 3, "notified");

  g_autoptr (CasesWorkflow) wf = builtin_workflow ();
  ck_assert_msg (sync_workflow (db, "120104", wf, &error), "%s", error ? error->message : "");

  /* every state of the config, the initial one marked */
  ck_assert_int_eq (count (db, "SELECT count(*) FROM case_state WHERE district = '120104'"), 11);
  g_autofree char *initial
      = fx_scalar (db, "SELECT state FROM case_state WHERE district = '120104' AND initial");
  ck_assert_str_eq (initial, "open");
  /* one row per step and state it is taken from, with its role and fields */
  guint rows = 0;
  for (guint i = 0; i < wf->steps->len; i++)
    rows += g_strv_length (((CasesStep *)g_ptr_array_index (wf->steps, i))->from);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM case_transition WHERE district = '120104'"),
                    (int)rows);
  g_autofree char *filed = fx_scalar (
      db, "SELECT to_state || ' ' || array_to_string(roles, ',') || ' ' || "
          "array_to_string(requires, ',') FROM case_transition WHERE district = '120104' "
          "AND step = 'decide-filed' AND from_state = 'referred'");
  ck_assert_str_eq (filed, "decided inspector decided-on,filing-no,penalty");

  /* a move the config has no step for is refused by the database ... */
  ck_assert (!move (db, 1, "disposing", &error));
  ck_assert_msg (strstr (error->message, "no step from open to disposing") != NULL, "%s",
                 error->message);
  g_clear_error (&error);
  /* ... including one the first schema allowed */
  ck_assert (!move (db, 3, "disposing", &error));
  ck_assert_msg (strstr (error->message, "no step from notified to disposing") != NULL, "%s",
                 error->message);
  g_clear_error (&error);
  ck_assert (!move (db, 1, "decided", &error));
  g_clear_error (&error);
  /* the config's steps pass, into its new states too */
  ck_assert_msg (move (db, 1, "notified", &error), "%s", error ? error->message : "");
  ck_assert_msg (move (db, 1, "controlled", &error), "%s", error ? error->message : "");
  ck_assert_msg (move (db, 1, "investigated", &error), "%s", error ? error->message : "");
  /* the system's withdrawal from any state and reopening still work */
  ck_assert_msg (move (db, 1, "closed", &error), "%s", error ? error->message : "");
  ck_assert_msg (move (db, 1, "open", &error), "%s", error ? error->message : "");
  ck_assert (!move (db, 1, "rectified", &error));
  g_clear_error (&error);
  /* a case stored in a state of the first schema goes on under the new one */
  ck_assert_msg (move (db, 2, "controlled", &error), "%s", error ? error->message : "");
}
END_TEST

START_TEST (test_sync_is_per_district_and_idempotent)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_sql (db, "INSERT INTO district (district, name_zh, name_en) VALUES ('120105', '河北区', "
              "'Hebei')");
  int before = count (db, "SELECT count(*) FROM case_transition WHERE district = '120105'");
  g_autoptr (CasesWorkflow) wf = builtin_workflow ();
  g_autoptr (GError) error = NULL;
  ck_assert_msg (sync_workflow (db, "120104", wf, &error), "%s", error ? error->message : "");
  g_autofree char *first = db_workflow_digest (db->conn, "120104", &error);
  ck_assert (first != NULL);
  int rows = count (db, "SELECT count(*) FROM case_transition WHERE district = '120104'");
  ck_assert_msg (sync_workflow (db, "120104", wf, &error), "%s", error ? error->message : "");
  g_autofree char *second = db_workflow_digest (db->conn, "120104", &error);
  ck_assert_str_eq (first, second);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM case_transition WHERE district = '120104'"),
                    rows);
  /* the other district keeps its own rows */
  ck_assert_int_eq (count (db, "SELECT count(*) FROM case_transition WHERE district = '120105'"),
                    before);
  ck_assert (db_workflow_digest (db->conn, "120105", &error) == NULL);
  ck_assert (error == NULL);
  /* a changed configuration replaces the rows: one initial state, the new one */
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  ck_assert (core_config_add_data (config, "[workflow]\ninitial=notified\n", "t.conf", &error));
  g_autoptr (CasesWorkflow) changed = cases_workflow_load (config, &error);
  ck_assert_msg (changed != NULL, "%s", error ? error->message : "");
  ck_assert_msg (sync_workflow (db, "120104", changed, &error), "%s", error ? error->message : "");
  g_autofree char *initial
      = fx_scalar (db, "SELECT string_agg(state, ',') FROM case_state WHERE district = '120104' "
                       "AND initial");
  ck_assert_str_eq (initial, "notified");
  g_autofree char *third = db_workflow_digest (db->conn, "120104", &error);
  ck_assert_str_ne (third, first);
  /* a store function runs in its caller's transaction */
  ck_assert (!db_workflow_sync (db->conn, "120104", wf, &error));
  ck_assert (db_error_is (error, "25P01"));
}
END_TEST

START_TEST (test_sync_never_strands_a_case)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  /* a state the district added itself, with a case in it */
  fx_sql (db, "INSERT INTO case_state (district, state, zh, terminal, meaning) VALUES "
              "('120104', 'limbo', '悬置', false, 'a local state');");
  insert_case (db, 1, "limbo");
  g_autoptr (CasesWorkflow) wf = builtin_workflow ();
  g_autoptr (GError) error = NULL;
  ck_assert (!sync_workflow (db, "120104", wf, &error));
  ck_assert (db_error_is (error, "23514"));
  ck_assert_msg (strstr (error->message, "HC2024-00001") && strstr (error->message, "limbo"), "%s",
                 error->message);
  g_clear_error (&error);
  /* nothing changed */
  ck_assert_int_eq (count (db, "SELECT count(*) FROM case_transition WHERE district = '120104' "
                               "AND step = 'disposal started'"),
                    1);
  /* once the case has moved on, the state goes, but the events that name it keep it */
  fx_sql (db, "INSERT INTO case_transition (district, step, from_state, to_state, event) VALUES "
              "('120104', 'leave limbo', 'limbo', 'open', 'leave limbo');");
  ck_assert (move (db, 1, "open", &error));
  fx_sql (db, "INSERT INTO case_event (district, case_no, on_date, actor, event, from_state, "
              "to_state) VALUES ('120104', 'HC2024-00001', '2024-03-02', 'test', 'leave limbo', "
              "'limbo', 'open');");
  ck_assert_msg (sync_workflow (db, "120104", wf, &error), "%s", error ? error->message : "");
  ck_assert_int_eq (
      count (db, "SELECT count(*) FROM case_state WHERE district = '120104' AND state = 'limbo'"),
      1);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM case_transition WHERE district = '120104' "
                               "AND 'limbo' IN (from_state, to_state)"),
                    0);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("workflow-store");
  TCase *tc = tcase_create ("workflow-store");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_trigger_enforces_the_config);
  tcase_add_test (tc, test_sync_is_per_district_and_idempotent);
  tcase_add_test (tc, test_sync_never_strands_a_case);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
