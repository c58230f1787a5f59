/* test-svc-audit.c: the audit verification service against PostgreSQL: who
 * may run it, and what it reports when the record holds and when it does not. */
#include "tests/support/test-pg.h"

#include "service/svc-audit.h"

#include <check.h>
#include <string.h>

static SvcContext
context (TestDb *db, CoreCatalog *catalog, SvcRole role)
{
  SvcContext svc = {
    .conn = db->conn,
    .catalog = catalog,
    .actor = "tester",
    .role = role,
    .office = role == SVC_ROLE_INSPECTOR ? "12010401" : NULL,
    .lab = role == SVC_ROLE_LAB ? "LAB1" : NULL,
  };
  g_date_set_dmy (&svc.today, 15, 3, 2024);
  return svc;
}

static void
write_rows (TestDb *db, int n)
{
  g_autoptr (GError) error = NULL;
  for (int i = 0; i < n; i++)
    ck_assert_msg (db_audit (db->conn, "120104", "tester", "test.row", NULL, NULL, &error), "%s",
                   error ? error->message : "");
}

START_TEST (test_roles)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  CoreCatalog *catalog = core_catalog_load (config, &error);
  ck_assert_ptr_nonnull (catalog);
  write_rows (db, 3);
  const SvcRole allowed[] = { SVC_ROLE_ADMIN, SVC_ROLE_COORDINATOR };
  for (gsize i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      SvcContext svc = context (db, catalog, allowed[i]);
      g_auto (DbChainReport) report = { 0 };
      ck_assert_msg (svc_audit_verify (&svc, NULL, &report, &error), "%s",
                     error ? error->message : "");
      ck_assert_uint_eq (report.chains->len, 2); /* audit_log 120104, case_event (none) */
      ck_assert_int_eq (g_array_index (report.chains, DbChain, 0).rows, 3);
    }
  const SvcRole refused[] = { SVC_ROLE_INSPECTOR, SVC_ROLE_LAB };
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      SvcContext svc = context (db, catalog, refused[i]);
      g_auto (DbChainReport) report = { 0 };
      g_autoptr (GError) e = NULL;
      ck_assert (!svc_audit_verify (&svc, NULL, &report, &e));
      ck_assert (g_error_matches (e, SVC_ERROR, SVC_ERROR_FORBIDDEN));
      ck_assert_ptr_null (report.chains); /* nothing was read */
    }
  SvcContext svc = context (db, catalog, SVC_ROLE_ADMIN);
  g_auto (DbChainReport) report = { 0 };
  g_autoptr (GError) bad = NULL;
  ck_assert (!svc_audit_verify (&svc, "12a104", &report, &bad));
  ck_assert (g_error_matches (bad, SVC_ERROR, SVC_ERROR_INVALID));
  core_catalog_free (catalog);
}
END_TEST

START_TEST (test_broken_chain_is_reported_with_the_table)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  CoreCatalog *catalog = core_catalog_load (config, &error);
  ck_assert_ptr_nonnull (catalog);
  write_rows (db, 3);
  g_autoptr (PGconn) owner = db_connect (db->owner_conninfo, &error);
  ck_assert (owner != NULL);
  ck_assert (db_run_script (owner,
                            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only; "
                            "DELETE FROM audit_log WHERE id = (SELECT min (id) FROM audit_log); "
                            "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only",
                            &error));
  SvcContext svc = context (db, catalog, SVC_ROLE_COORDINATOR);
  g_auto (DbChainReport) report = { 0 };
  ck_assert (!svc_audit_verify (&svc, "120104", &report, &error));
  ck_assert (g_error_matches (error, SVC_AUDIT_ERROR, SVC_AUDIT_ERROR_BROKEN));
  ck_assert_msg (strstr (error->message, "audit_log of district 120104") != NULL
                     && strstr (error->message, "prev_hash") != NULL,
                 "%s", error->message);
  g_autoptr (CoreTable) t = svc_audit_report_table (&report);
  ck_assert_uint_eq (core_table_n_rows (t), 2);
  ck_assert_str_eq (core_table_get_by_key (t, 0, "table"), "audit_log");
  ck_assert_str_eq (core_table_get_by_key (t, 0, "rows"), "0");
  ck_assert_str_eq (core_table_get_by_key (t, 0, "mismatch"), "prev_hash");
  ck_assert_ptr_null (core_table_get_by_key (t, 1, "mismatch"));
  core_catalog_free (catalog);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("svc-audit");
  TCase *tc = tcase_create ("audit");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_roles);
  tcase_add_test (tc, test_broken_chain_is_reported_with_the_table);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
