/* test-migrate.c: migrations apply once, in order, atomically, and are checked. */
#include "tests/support/test-pg.h"

#include "db/db-migrate.h"

#include <check.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

START_TEST (test_apply_and_idempotent)
{
  g_autoptr (TestDb) db = test_db_new_empty ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) before = db_migrate_status (db->conn, &error);
  ck_assert_msg (before != NULL, "%s", error ? error->message : "");
  ck_assert_uint_gt (before->len, 0);
  for (guint i = 0; i < before->len; i++)
    ck_assert (((DbMigration *)g_ptr_array_index (before, i))->applied_at == NULL);
  int applied = -1;
  ck_assert (db_migrate (db->conn, &applied, &error));
  ck_assert_int_eq (applied, (int)before->len);
  ck_assert (db_migrate (db->conn, &applied, &error));
  ck_assert_int_eq (applied, 0);
  g_autoptr (GPtrArray) after = db_migrate_status (db->conn, &error);
  /* In order; numbers may leave gaps (work done in parallel takes numbers
   * given out ahead). */
  int previous = 0;
  for (guint i = 0; i < after->len; i++)
    {
      const DbMigration *m = g_ptr_array_index (after, i);
      ck_assert (m->applied_at != NULL);
      ck_assert_int_gt (m->version, previous);
      previous = m->version;
    }
  ck_assert_int_eq (((DbMigration *)g_ptr_array_index (after, 0))->version, 1);
}
END_TEST

START_TEST (test_changed_migration_detected)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  ck_assert (db_run (db->conn, "UPDATE schema_migrations SET checksum = 'x' WHERE version = 1",
                     DB_NO_ARGS, &error));
  ck_assert (db_migrate_status (db->conn, &error) == NULL);
  ck_assert_msg (strstr (error->message, "0001_foundation") != NULL, "%s", error->message);
}
END_TEST

START_TEST (test_concurrent_migrate)
{
  /* Two connections migrating the same database at once: both succeed, each
   * migration is applied exactly once. */
  g_autoptr (TestDb) db = test_db_new_empty ();
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) other = db_connect (db->conninfo, &error);
  ck_assert (other != NULL);
  pid_t pid = fork ();
  if (pid == 0)
    _exit (db_migrate (other, NULL, NULL) ? 0 : 1);
  gboolean ok = db_migrate (db->conn, NULL, &error);
  int status = 0;
  waitpid (pid, &status, 0);
  ck_assert_msg (ok, "%s", error ? error->message : "");
  ck_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_autoptr (GPtrArray) all = db_migrate_status (db->conn, &error);
  g_autofree char *n
      = db_scalar (db->conn, "SELECT count(*) FROM schema_migrations", DB_NO_ARGS, &error);
  ck_assert_int_eq (atoi (n), (int)all->len);
}
END_TEST

START_TEST (test_every_table_keyed_by_district)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  /* Reference tables shared by all districts are the only exceptions. */
  g_autoptr (PGresult) res
      = db_exec (db->conn,
                 "SELECT t.table_name FROM information_schema.tables t "
                 "WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' "
                 "AND t.table_name NOT IN ('schema_migrations', 'category') "
                 "AND NOT EXISTS (SELECT 1 FROM information_schema.columns c "
                 "  WHERE c.table_schema = 'public' AND c.table_name = t.table_name "
                 "  AND c.column_name = 'district')",
                 DB_NO_ARGS, &error);
  ck_assert (res != NULL);
  ck_assert_msg (PQntuples (res) == 0, "table without district: %s",
                 PQntuples (res) ? PQgetvalue (res, 0, 0) : "");
}
END_TEST

START_TEST (test_catalog_synced_and_audit_append_only)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *name
      = db_scalar (db->conn, "SELECT name_zh FROM category WHERE code = '33'", DB_NO_ARGS, &error);
  ck_assert_str_eq (name, "食用农产品");
  g_autofree char *office = db_scalar (
      db->conn, "SELECT office FROM street WHERE district = '120104' AND code = '120104012'",
      DB_NO_ARGS, &error);
  ck_assert_str_eq (office, "12010406");
  ck_assert (db_run (db->conn,
                     "INSERT INTO audit_log (district, actor, action) VALUES ('120104','t','x')",
                     DB_NO_ARGS, &error));
  ck_assert (!db_run (db->conn, "DELETE FROM audit_log", DB_NO_ARGS, &error));
  ck_assert (db_error_is (error, "42501"));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("db-migrate");
  TCase *tc = tcase_create ("migrate");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_apply_and_idempotent);
  tcase_add_test (tc, test_changed_migration_detected);
  tcase_add_test (tc, test_concurrent_migrate);
  tcase_add_test (tc, test_every_table_keyed_by_district);
  tcase_add_test (tc, test_catalog_synced_and_audit_append_only);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
