/* test-cluster.c: the embedded cluster's life cycle and its failures. */
#include "tests/support/test-pg.h"

#include "db/db-cluster.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static char *
scratch_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("spotcheck-cluster-XXXXXX", &error);
  ck_assert (dir != NULL);
  g_chmod (dir, 0755);
  return dir;
}

static DbCluster *
cluster_in (const char *data_dir, int port, GError **error)
{
  DbClusterOptions options = { .data_dir = (char *)data_dir,
                               .port = port,
                               .run_as = (char *)"postgres",
                               .timeout = 20,
                               .fast = TRUE };
  return db_cluster_new (&options, error);
}

START_TEST (test_life_cycle)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *data = g_build_filename (dir, "pg", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCluster) cluster = cluster_in (data, 5433, &error);
  ck_assert_msg (cluster != NULL, "%s", error ? error->message : "");
  ck_assert (!db_cluster_is_initialised (cluster));
  ck_assert (!db_cluster_is_running (cluster));
  ck_assert_msg (db_cluster_ensure (cluster, "spotcheck", &error), "%s",
                 error ? error->message : "");
  ck_assert (db_cluster_is_initialised (cluster));
  ck_assert (db_cluster_is_running (cluster));
  /* idempotent */
  ck_assert (db_cluster_ensure (cluster, "spotcheck", &error));
  g_autofree char *conninfo = db_cluster_conninfo (cluster, "spotcheck");
  g_autoptr (PGconn) conn = db_connect (conninfo, &error);
  ck_assert (conn != NULL);
  /* No TCP listener: only the socket in the data directory. */
  g_autofree char *listen = db_scalar (conn, "SHOW listen_addresses", DB_NO_ARGS, &error);
  ck_assert_str_eq (listen, "");
  /* The application's connection works as the working role; TCP is refused
   * even if someone turns listen_addresses on. */
  g_autofree char *user = db_scalar (conn, "SELECT current_user", DB_NO_ARGS, &error);
  ck_assert_str_eq (user, "spotcheck_app");
  g_autofree char *owner_info = db_cluster_owner_conninfo (cluster, "spotcheck");
  g_autoptr (PGconn) owner = db_connect (owner_info, &error);
  ck_assert (owner != NULL);
  g_autofree char *tcp = db_scalar (owner,
                                    "SELECT count(*) FROM pg_hba_file_rules WHERE type <> 'local' "
                                    "AND auth_method <> 'reject'",
                                    DB_NO_ARGS, &error);
  ck_assert_str_eq (tcp, "0");
  g_clear_pointer (&owner, PQfinish);
  g_clear_pointer (&conn, PQfinish);
  ck_assert (db_cluster_stop (cluster, &error));
  ck_assert (!db_cluster_is_running (cluster));
  ck_assert (db_cluster_stop (cluster, &error)); /* stopping twice is fine */
  /* restart keeps the data */
  ck_assert (db_cluster_ensure (cluster, NULL, &error));
  conn = db_connect (conninfo, &error);
  ck_assert (conn != NULL);
  g_clear_pointer (&conn, PQfinish);
  ck_assert (db_cluster_destroy (cluster, &error));
  ck_assert (!g_file_test (data, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}
END_TEST

START_TEST (test_unwritable_data_dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCluster) cluster = cluster_in ("/proc/spotcheck-cannot/pg", 5434, &error);
  ck_assert (cluster != NULL);
  ck_assert (!db_cluster_ensure (cluster, NULL, &error));
  ck_assert_msg (g_error_matches (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR), "%s",
                 error->message);
  ck_assert_msg (strstr (error->message, "/proc/spotcheck-cannot") != NULL, "%s", error->message);
}
END_TEST

START_TEST (test_socket_path_too_long)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *longdir = g_strnfill (120, 'x');
  g_autofree char *path = g_strconcat ("/tmp/", longdir, NULL);
  DbCluster *cluster = cluster_in (path, 5435, &error);
  ck_assert (cluster == NULL);
  ck_assert (g_error_matches (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR));
  ck_assert (strstr (error->message, "shorter") != NULL);
}
END_TEST

START_TEST (test_start_failure_reports_log_not_hang)
{
  g_autofree char *dir = scratch_dir ();
  g_autofree char *data = g_build_filename (dir, "pg", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCluster) cluster = cluster_in (data, 5436, &error);
  ck_assert (db_cluster_ensure (cluster, NULL, &error));
  ck_assert (db_cluster_stop (cluster, &error));
  /* A second server on the same socket: simulate with a broken setting. */
  g_autofree char *conf = g_build_filename (data, "postgresql.auto.conf", NULL);
  ck_assert (g_file_set_contents (conf, "shared_buffers = 'lots'\n", -1, NULL));
  if (geteuid () == 0)
    ck_assert (chown (conf, 0, 0) == 0 && g_chmod (conf, 0644) == 0);
  gint64 t0 = g_get_monotonic_time ();
  ck_assert (!db_cluster_ensure (cluster, NULL, &error));
  ck_assert ((g_get_monotonic_time () - t0) < 30 * G_USEC_PER_SEC);
  ck_assert (g_error_matches (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_START));
  ck_assert_msg (strstr (error->message, "server log") != NULL, "%s", error->message);
  /* The real cause comes first, and a server that failed at once is not
   * said to have timed out. */
  const char *cause = strstr (error->message, "shared_buffers");
  const char *log_line = strstr (error->message, "server log");
  ck_assert_msg (cause != NULL && cause < log_line, "%s", error->message);
  ck_assert_msg (strstr (error->message, "did not start within") == NULL, "%s", error->message);
  g_remove (conf);
  ck_assert (db_cluster_destroy (cluster, NULL));
  g_rmdir (dir);
}
END_TEST

START_TEST (test_default_data_dir_follows_xdg)
{
  g_autofree char *saved = g_strdup (g_getenv ("XDG_DATA_HOME"));
  g_setenv ("XDG_DATA_HOME", "/srv/data", TRUE);
  g_autofree char *set = db_cluster_default_data_dir ();
  ck_assert_str_eq (set, "/srv/data/spotcheck/pg");
  g_unsetenv ("XDG_DATA_HOME");
  g_autofree char *unset = db_cluster_default_data_dir ();
  if (geteuid () == 0)
    ck_assert_str_eq (unset, "/var/lib/spotcheck/pg");
  else
    ck_assert (g_str_has_suffix (unset, "/spotcheck/pg"));
  if (saved != NULL)
    g_setenv ("XDG_DATA_HOME", saved, TRUE);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("db-cluster");
  TCase *tc = tcase_create ("cluster");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_life_cycle);
  tcase_add_test (tc, test_unwritable_data_dir);
  tcase_add_test (tc, test_socket_path_too_long);
  tcase_add_test (tc, test_start_failure_reports_log_not_hang);
  tcase_add_test (tc, test_default_data_dir_follows_xdg);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
