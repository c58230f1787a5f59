/* test-svc-plan.c: the plan service against PostgreSQL: who may write plans,
 * approving without a version, the argument bounds, and that a rebalance
 * stores all of its new version or nothing. */
#include "tests/support/test-pg.h"

#include "service/svc-plan.h"
#include "service/svc-progress.h"

#include <check.h>
#include <string.h>

typedef struct
{
  TestDb *db;
  CoreConfig *config;
  CoreCatalog *catalog;
  SvcContext ctx;
} Fixture;

static Fixture *
fixture_new (SvcRole role)
{
  g_autoptr (GError) error = NULL;
  Fixture *f = g_new0 (Fixture, 1);
  f->db = test_db_new ();
  f->config = core_config_new_builtin (&error);
  ck_assert_msg (f->config != NULL, "%s", error ? error->message : "");
  f->catalog = core_catalog_load (f->config, &error);
  ck_assert_msg (f->catalog != NULL, "%s", error ? error->message : "");
  f->ctx = (SvcContext){
    .conn = f->db->conn,
    .config = f->config,
    .catalog = f->catalog,
    .actor = "tester",
    .role = role,
    .lab = role == SVC_ROLE_LAB ? "L01" : NULL,
    .office = role == SVC_ROLE_INSPECTOR ? "12010401" : NULL,
  };
  g_date_set_dmy (&f->ctx.today, 15, G_DATE_MARCH, 2024);
  return f;
}

static void
fixture_free (Fixture *f)
{
  test_db_free (f->db);
  core_catalog_free (f->catalog);
  core_config_free (f->config);
  g_free (f);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

static int
generate (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  SvcPlanArgs args = { .year = 2024 };
  g_autoptr (SvcPlanStored) stored = svc_plan_generate (&f->ctx, &args, &error);
  ck_assert_msg (stored != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (stored->info->status, "draft");
  return stored->info->version;
}

static int
count (Fixture *f, const char *sql)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *n = db_scalar (f->db->conn, sql, DB_NO_ARGS, &error);
  ck_assert_msg (n != NULL, "%s", error ? error->message : "");
  return atoi (n);
}

START_TEST (test_coordinator_generates_and_approves)
{
  g_autoptr (Fixture) f = fixture_new (SVC_ROLE_COORDINATOR);
  g_autoptr (GError) error = NULL;
  ck_assert_int_eq (generate (f), 1);
  SvcPlanArgs args = { .year = 2024, .has_version = TRUE, .version = 1 };
  g_autoptr (DbPlanInfo) info = svc_plan_approve (&f->ctx, &args, &error);
  ck_assert_msg (info != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (info->status, "approved");
  ck_assert_str_eq (info->approved_by, "tester");
  /* and reads it back through the list, the view and the progress */
  g_autoptr (CoreTable) list = svc_plan_list (&f->ctx, &(SvcPlanArgs){ 0 }, &error);
  ck_assert_uint_eq (core_table_n_rows (list), 1);
  ck_assert_str_eq (core_table_get_by_key (list, 0, "status"), "approved");
  g_autoptr (SvcPlanView) view = svc_plan_show (&f->ctx, &args, &error);
  ck_assert (view != NULL);
  guint last = core_table_n_rows (view->months) - 1;
  ck_assert_str_eq (core_table_get_by_key (view->months, last, "m01"), "460");
  ck_assert_str_eq (core_table_get_by_key (view->months, last, "total"), "5520");
  g_autoptr (CoreTable) progress = svc_progress_by_month (&f->ctx, 2024, &error);
  ck_assert_str_eq (core_table_get_by_key (progress, 0, "month"), "2024-01");
  ck_assert_str_eq (core_table_get_by_key (progress, 0, "planned"), "460");
  g_autoptr (CoreTable) tables = svc_progress_table_counts (&f->ctx, &error);
  ck_assert_int_eq (svc_progress_count (tables, "plan"), 1);
  /* the service left no transaction open */
  ck_assert_int_eq (PQtransactionStatus (f->db->conn), PQTRANS_IDLE);
}
END_TEST

START_TEST (test_lab_and_inspector_may_not_write)
{
  SvcRole roles[] = { SVC_ROLE_LAB, SVC_ROLE_INSPECTOR };
  for (gsize i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autoptr (Fixture) f = fixture_new (roles[i]);
      g_autoptr (GError) error = NULL;
      SvcPlanArgs args = { .year = 2024 };
      ck_assert (svc_plan_generate (&f->ctx, &args, &error) == NULL);
      ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
      g_clear_error (&error);
      ck_assert (svc_plan_approve (&f->ctx, &args, &error) == NULL);
      ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
      g_clear_error (&error);
      args.from_month = 3;
      ck_assert (svc_plan_rebalance (&f->ctx, &args, &error) == NULL);
      ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
      ck_assert_int_eq (count (f, "SELECT count(*) FROM plan"), 0);
    }
  /* an inspector reads the plan; a lab does not */
  g_autoptr (Fixture) inspector = fixture_new (SVC_ROLE_INSPECTOR);
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreTable) list = svc_plan_list (&inspector->ctx, &(SvcPlanArgs){ 0 }, &error);
  ck_assert (list != NULL);
  g_autoptr (Fixture) lab = fixture_new (SVC_ROLE_LAB);
  ck_assert (svc_plan_list (&lab->ctx, &(SvcPlanArgs){ 0 }, &error) == NULL);
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
}
END_TEST

START_TEST (test_approve_without_version)
{
  g_autoptr (Fixture) f = fixture_new (SVC_ROLE_COORDINATOR);
  g_autoptr (GError) error = NULL;
  SvcPlanArgs args = { .year = 2024 };
  /* none */
  ck_assert (svc_plan_approve (&f->ctx, &args, &error) == NULL);
  ck_assert (g_error_matches (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_NO_DRAFT));
  g_clear_error (&error);
  /* exactly one: approved without naming it */
  generate (f);
  g_autoptr (DbPlanInfo) one = svc_plan_approve (&f->ctx, &args, &error);
  ck_assert_msg (one != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (one->version, 1);
  /* none left, and the message says which one is approved */
  ck_assert (svc_plan_approve (&f->ctx, &args, &error) == NULL);
  ck_assert (g_error_matches (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_NO_DRAFT));
  ck_assert_msg (strstr (error->message, "version 1 is approved") != NULL, "%s", error->message);
  g_clear_error (&error);
  /* several: refused, listing each with its creation time and total */
  generate (f);
  generate (f);
  args.supersede = TRUE;
  ck_assert (svc_plan_approve (&f->ctx, &args, &error) == NULL);
  ck_assert (g_error_matches (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_SEVERAL_DRAFTS));
  ck_assert_msg (strstr (error->message, "version 2 (created 20") != NULL
                     && strstr (error->message, "version 3 (created 20") != NULL
                     && strstr (error->message, "5520 batches") != NULL,
                 "%s", error->message);
  ck_assert_int_eq (count (f, "SELECT count(*) FROM plan WHERE status = 'approved'"), 1);
  ck_assert_int_eq (count (f, "SELECT version FROM plan WHERE status = 'approved'"), 1);
  ck_assert_int_eq (PQtransactionStatus (f->db->conn), PQTRANS_IDLE);
}
END_TEST

START_TEST (test_bounds_refused)
{
  g_autoptr (Fixture) f = fixture_new (SVC_ROLE_COORDINATOR);
  const struct
  {
    SvcPlanArgs args;
    SvcPlanError code;
    const char *bound;
  } cases[] = {
    { { .year = -5 }, SVC_PLAN_ERROR_YEAR, "2000 to 2099" },
    { { .year = 2100 }, SVC_PLAN_ERROR_YEAR, "2000 to 2099" },
    { { .year = 2024, .has_total = TRUE, .total = 0 }, SVC_PLAN_ERROR_TOTAL, "1 to 100000000" },
    { { .year = 2024, .has_total = TRUE, .total = G_GINT64_CONSTANT (2147483648) },
      SVC_PLAN_ERROR_TOTAL,
      "1 to 100000000" },
    { { .year = 2024, .has_total = TRUE, .total = -3 }, SVC_PLAN_ERROR_TOTAL, "1 to 100000000" },
    { { .year = 2024, .has_total = TRUE, .total = SVC_PLAN_TOTAL_MAX + 1 },
      SVC_PLAN_ERROR_TOTAL,
      "1 to 100000000" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      ck_assert (svc_plan_generate (&f->ctx, &cases[i].args, &error) == NULL);
      ck_assert (g_error_matches (error, SVC_PLAN_ERROR, cases[i].code));
      ck_assert_msg (strstr (error->message, cases[i].bound) != NULL, "%s", error->message);
    }
  /* a version given is 1 or more: 0 is not "the default" */
  g_autoptr (GError) error = NULL;
  SvcPlanArgs zero = { .year = 2024, .has_version = TRUE, .version = 0 };
  ck_assert (svc_plan_approve (&f->ctx, &zero, &error) == NULL);
  ck_assert (g_error_matches (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_VERSION));
  g_clear_error (&error);
  ck_assert (svc_plan_show (&f->ctx,
                            &(SvcPlanArgs){ .year = 2024, .has_version = TRUE, .version = -1 },
                            &error)
             == NULL);
  ck_assert (g_error_matches (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_VERSION));
  ck_assert_int_eq (count (f, "SELECT count(*) FROM plan"), 0);
  /* a total within the bounds is taken as given */
  g_clear_error (&error);
  SvcPlanArgs big = { .year = 2024, .has_total = TRUE, .total = 6000 };
  g_autoptr (SvcPlanStored) stored = svc_plan_generate (&f->ctx, &big, &error);
  ck_assert_msg (stored != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (stored->info->total, 6000);
}
END_TEST

START_TEST (test_rebalance_stores_all_or_nothing)
{
  g_autoptr (Fixture) f = fixture_new (SVC_ROLE_COORDINATOR);
  g_autoptr (GError) error = NULL;
  generate (f);
  SvcPlanArgs args = { .year = 2024, .from_month = 4 };
  /* A failure after the reads, while the new version's cells are stored:
   * nothing of the new version, nor its audit record, stays. The trigger
   * is the schema owner's to create. */
  g_autoptr (PGconn) owner = db_connect (f->db->owner_conninfo, &error);
  ck_assert_msg (owner != NULL, "%s", error ? error->message : "");
  ck_assert (db_run (owner,
                     "CREATE FUNCTION refuse_cell() RETURNS trigger LANGUAGE plpgsql AS $$ "
                     "BEGIN IF NEW.version > 1 THEN RAISE EXCEPTION 'refused for the test'; "
                     "END IF; RETURN NEW; END $$",
                     DB_NO_ARGS, &error));
  ck_assert (db_run (owner,
                     "CREATE TRIGGER refuse_cell BEFORE INSERT ON plan_cell FOR EACH ROW "
                     "EXECUTE FUNCTION refuse_cell()",
                     DB_NO_ARGS, &error));
  ck_assert (svc_plan_rebalance (&f->ctx, &args, &error) == NULL);
  ck_assert_msg (strstr (error->message, "refused for the test") != NULL, "%s", error->message);
  g_clear_error (&error);
  ck_assert_int_eq (PQtransactionStatus (f->db->conn), PQTRANS_IDLE);
  ck_assert_int_eq (count (f, "SELECT count(*) FROM plan"), 1);
  ck_assert_int_eq (count (f, "SELECT count(*) FROM audit_log WHERE action = 'plan.generate'"), 1);
  /* without the failure the same rebalance stores version 2 based on 1 */
  ck_assert (db_run (owner, "DROP TRIGGER refuse_cell ON plan_cell", DB_NO_ARGS, &error));
  g_autoptr (SvcPlanStored) stored = svc_plan_rebalance (&f->ctx, &args, &error);
  ck_assert_msg (stored != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (stored->info->version, 2);
  ck_assert_int_eq (stored->info->based_on, 1);
  ck_assert_int_eq (stored->info->from_month, 4);
  ck_assert_int_eq (stored->done_total, 0);
  ck_assert_int_eq (count (f, "SELECT count(*) FROM plan_cell WHERE version = 2"),
                    count (f, "SELECT count(*) FROM plan_cell WHERE version = 1"));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("svc-plan");
  TCase *tc = tcase_create ("plan");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_coordinator_generates_and_approves);
  tcase_add_test (tc, test_lab_and_inspector_may_not_write);
  tcase_add_test (tc, test_approve_without_version);
  tcase_add_test (tc, test_bounds_refused);
  tcase_add_test (tc, test_rebalance_stores_all_or_nothing);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
