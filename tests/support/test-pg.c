/* test-pg.c: the shared throw-away cluster and per-test databases. */
#include "tests/support/test-pg.h"

#include "core/core-catalog.h"
#include "db/db-cluster.h"
#include "db/db-migrate.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

/* The file naming the running test cluster's data directory. */
static const char *
state_path (void)
{
  const char *path = g_getenv ("SPOTCHECK_TEST_PG_STATE");
  if (path == NULL)
    g_error ("SPOTCHECK_TEST_PG_STATE is not set: run the tests with `meson test`");
  return path;
}

static DbCluster *
cluster_for (const char *data_dir, GError **error)
{
  DbClusterOptions options = { .data_dir = (char *)data_dir,
                               .port = 5432,
                               .run_as = (char *)"postgres",
                               .timeout = 60,
                               .fast = TRUE };
  return db_cluster_new (&options, error);
}

static int
lock_state (void)
{
  g_autofree char *lock = g_strconcat (state_path (), ".lock", NULL);
  int fd = g_open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || flock (fd, LOCK_EX) != 0)
    g_error ("cannot lock %s", lock);
  return fd;
}

/* Returns the data directory of the running test cluster, starting one if
 * none is recorded. Caller holds the state lock. */
static char *
ensure_cluster_locked (GError **error)
{
  g_autofree char *recorded = NULL;
  if (g_file_get_contents (state_path (), &recorded, NULL, NULL))
    {
      g_strstrip (recorded);
      g_autoptr (DbCluster) cluster = cluster_for (recorded, error);
      if (cluster == NULL || !db_cluster_ensure (cluster, NULL, error))
        return NULL;
      return g_steal_pointer (&recorded);
    }
  g_autofree char *tmp = g_dir_make_tmp ("spotcheck-test-XXXXXX", error);
  if (tmp == NULL)
    return NULL;
  /* Under root the cluster runs as postgres, which must be able to enter. */
  g_chmod (tmp, 0755);
  g_autofree char *data_dir = g_build_filename (tmp, "pg", NULL);
  g_autoptr (DbCluster) cluster = cluster_for (data_dir, error);
  if (cluster == NULL || !db_cluster_ensure (cluster, NULL, error))
    return NULL;
  if (!g_file_set_contents (state_path (), data_dir, -1, error))
    return NULL;
  return g_steal_pointer (&data_dir);
}

gboolean
test_pg_start (GError **error)
{
  int fd = lock_state ();
  g_autofree char *dir = ensure_cluster_locked (error);
  close (fd);
  return dir != NULL;
}

gboolean
test_pg_stop (GError **error)
{
  int fd = lock_state ();
  g_autofree char *recorded = NULL;
  gboolean ok = TRUE;
  if (g_file_get_contents (state_path (), &recorded, NULL, NULL))
    {
      g_strstrip (recorded);
      g_autoptr (DbCluster) cluster = cluster_for (recorded, error);
      ok = cluster != NULL && db_cluster_destroy (cluster, error);
      if (ok)
        {
          g_autofree char *parent = g_path_get_dirname (recorded);
          g_rmdir (parent);
          g_remove (state_path ());
        }
    }
  close (fd);
  return ok;
}

static TestDb *
create_db (gboolean migrate)
{
  g_autoptr (GError) error = NULL;
  int fd = lock_state ();
  g_autofree char *data_dir = ensure_cluster_locked (&error);
  close (fd);
  if (data_dir == NULL)
    g_error ("no test PostgreSQL: %s", error->message);
  g_autoptr (DbCluster) cluster = cluster_for (data_dir, &error);
  g_assert_nonnull (cluster);

  static guint counter = 0;
  TestDb *db = g_new0 (TestDb, 1);
  db->dbname = g_strdup_printf ("t_%d_%u_%u", (int)getpid (), counter++, g_random_int ());
  g_autofree char *admin_info = db_cluster_owner_conninfo (cluster, "postgres");
  g_autoptr (PGconn) admin = db_connect (admin_info, &error);
  if (admin == NULL)
    g_error ("%s", error->message);
  /* The name is generated above from digits only; identifiers cannot be parameters. */
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", db->dbname);
  if (!db_run (admin, sql, DB_NO_ARGS, &error))
    g_error ("%s", error->message);
  db->owner_conninfo = db_cluster_owner_conninfo (cluster, db->dbname);
  if (migrate)
    {
      /* Migrated by the owner; the test then works as the application does. */
      g_autoptr (PGconn) owner = db_connect (db->owner_conninfo, &error);
      if (owner == NULL || !db_migrate (owner, NULL, &error))
        g_error ("%s", error->message);
      db->conninfo = db_cluster_conninfo (cluster, db->dbname);
    }
  else
    db->conninfo = g_strdup (db->owner_conninfo);
  db->conn = db_connect (db->conninfo, &error);
  if (db->conn == NULL)
    g_error ("%s", error->message);
  if (migrate)
    {
      g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
      g_autoptr (CoreCatalog) catalog = config ? core_catalog_load (config, &error) : NULL;
      if (catalog == NULL || !db_sync_catalog (db->conn, catalog, &error))
        g_error ("%s", error->message);
    }
  return db;
}

TestDb *
test_db_new (void)
{
  return create_db (TRUE);
}

TestDb *
test_db_new_empty (void)
{
  return create_db (FALSE);
}

void
test_db_free (TestDb *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->conn, PQfinish);
  g_autofree char *recorded = NULL;
  if (g_file_get_contents (state_path (), &recorded, NULL, NULL))
    {
      g_strstrip (recorded);
      g_autoptr (DbCluster) cluster = cluster_for (recorded, NULL);
      g_autofree char *admin_info
          = cluster ? db_cluster_owner_conninfo (cluster, "postgres") : NULL;
      g_autoptr (PGconn) admin = admin_info ? db_connect (admin_info, NULL) : NULL;
      g_autofree char *sql
          = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", db->dbname);
      if (admin != NULL)
        db_run (admin, sql, DB_NO_ARGS, NULL);
    }
  g_free (db->dbname);
  g_free (db->conninfo);
  g_free (db->owner_conninfo);
  g_free (db);
}
