/* db-backup.c: pg_dump to a file, and pg_restore through a scratch database
 * swapped in for the live one. */
#include "db/db-backup.h"

#include "db/db-conn.h"
#include "db/db-migrate.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (db - backup - error - quark, db_backup_error)

/* Runs a PostgreSQL client program as the current user (it reads or writes
 * the user's file); on failure the error holds what it printed. */
static gboolean
run_client (const char *bindir, const char *const *argv, GError **error)
{
  g_autofree char *program = bindir ? g_build_filename (bindir, argv[0], NULL) : g_strdup (argv[0]);
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_ptr_array_add (args, program);
  for (const char *const *a = argv + 1; *a != NULL; a++)
    g_ptr_array_add (args, (char *)*a);
  g_ptr_array_add (args, NULL);
  g_autoptr (GError) local = NULL;
  g_autoptr (GSubprocess) proc = g_subprocess_newv (
      (const char *const *)args->pdata,
      G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &local);
  g_autofree char *err = NULL;
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &local))
    {
      g_set_error (error, DB_BACKUP_ERROR, DB_BACKUP_ERROR_TOOL,
                   _ ("cannot run %s: %s; install postgresql-client"), program, local->message);
      return FALSE;
    }
  if (!g_subprocess_get_successful (proc))
    {
      g_set_error (error, DB_BACKUP_ERROR, DB_BACKUP_ERROR_TOOL, _ ("%s failed: %s"), argv[0],
                   err ? g_strstrip (err) : "(no message)");
      return FALSE;
    }
  return TRUE;
}

gboolean
db_backup (const char *bindir, const char *conninfo, const char *path, GError **error)
{
  /* pg_dump writes under a name of its own in the target's folder, renamed
   * into place only when it finished: an interrupted backup is never taken
   * for a whole one. */
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmpl = g_strdup_printf ("%s/.%s.partial-XXXXXX", dir, base);
  int fd = g_mkstemp_full (tmpl, O_WRONLY, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DB_BACKUP_ERROR, DB_BACKUP_ERROR_FILE, _ ("cannot write %s: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  close (fd);
  g_autofree char *file_arg = g_strdup_printf ("--file=%s", tmpl);
  g_autofree char *db_arg = g_strdup_printf ("--dbname=%s", conninfo);
  const char *argv[] = { "pg_dump", "--format=custom", "--no-password", file_arg, db_arg, NULL };
  if (!run_client (bindir, argv, error))
    {
      g_unlink (tmpl);
      return FALSE;
    }
  if (g_rename (tmpl, path) != 0)
    {
      int saved = errno;
      g_unlink (tmpl);
      g_set_error (error, DB_BACKUP_ERROR, DB_BACKUP_ERROR_FILE, _ ("cannot write %s: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static char *
quote_ident (PGconn *conn, const char *name)
{
  char *q = PQescapeIdentifier (conn, name, strlen (name));
  char *copy = g_strdup (q);
  PQfreemem (q);
  return copy;
}

/* Runs a statement about databases, whose names are given to @fmt already
 * quoted with quote_ident() (they cannot be parameters). */
static gboolean run_sqlf (PGconn *conn, GError **error, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
run_sqlf (PGconn *conn, GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *sql = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return db_run (conn, sql, DB_NO_ARGS, error);
}

/* The scratch database holds what a spotcheck database holds. */
static gboolean
check_restored (const DbCluster *cluster, const char *scratch, const char *path, GError **error)
{
  g_autofree char *conninfo = db_cluster_owner_conninfo (cluster, scratch);
  g_autoptr (PGconn) conn = db_connect (conninfo, error);
  if (conn == NULL)
    return FALSE;
  g_autofree char *ours = db_scalar (
      conn,
      "SELECT to_regclass('schema_migrations') IS NOT NULL AND to_regclass('district') IS NOT NULL",
      DB_NO_ARGS, error);
  if (ours == NULL)
    return FALSE;
  if (strcmp (ours, "t") != 0)
    {
      g_set_error (error, DB_BACKUP_ERROR, DB_BACKUP_ERROR_NOT_OURS,
                   _ ("%s holds a PostgreSQL database without spotcheck's schema"), path);
      return FALSE;
    }
  return TRUE;
}

/* Swaps @scratch in for @dbname: connections to it are refused and ended, both
 * renames run in one transaction, the old database is dropped. */
static gboolean
swap_in (PGconn *conn, const char *dbname, const char *scratch, const char *old, GError **error)
{
  g_autofree char *q_dbname = quote_ident (conn, dbname);
  g_autofree char *q_scratch = quote_ident (conn, scratch);
  g_autofree char *q_old = quote_ident (conn, old);
  if (!run_sqlf (conn, error, "DROP DATABASE IF EXISTS %s WITH (FORCE)", q_old))
    return FALSE;
  g_autoptr (PGresult) exists
      = db_exec (conn, "SELECT 1 FROM pg_database WHERE datname = $1", DB_ARGS (dbname), error);
  if (exists == NULL)
    return FALSE;
  gboolean live = PQntuples (exists) > 0;
  if (live)
    {
      if (!run_sqlf (conn, error, "ALTER DATABASE %s WITH ALLOW_CONNECTIONS false", q_dbname))
        return FALSE;
    }
  /* Sessions just ended may take a moment to go: a rename meanwhile fails
   * with 55006 (in use), so it is tried again for a few seconds. */
  g_autoptr (GError) local = NULL;
  for (int attempt = 0; attempt < 50; attempt++)
    {
      g_clear_error (&local);
      if (live)
        {
          g_autoptr (PGresult) ended
              = db_exec (conn,
                         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = $1 AND pid <> pg_backend_pid()",
                         DB_ARGS (dbname), &local);
          if (ended == NULL)
            break;
        }
      gboolean ok
          = db_run (conn, "BEGIN", DB_NO_ARGS, &local)
            && (!live || run_sqlf (conn, &local, "ALTER DATABASE %s RENAME TO %s", q_dbname, q_old))
            && run_sqlf (conn, &local, "ALTER DATABASE %s RENAME TO %s", q_scratch, q_dbname)
            && db_run (conn, "COMMIT", DB_NO_ARGS, &local);
      if (ok)
        break;
      db_run (conn, "ROLLBACK", DB_NO_ARGS, NULL);
      if (!db_error_is (local, "55006"))
        break;
      g_usleep (100 * 1000);
    }
  if (local != NULL)
    {
      if (live)
        run_sqlf (conn, NULL, "ALTER DATABASE %s WITH ALLOW_CONNECTIONS true", q_dbname);
      g_set_error (error, DB_BACKUP_ERROR, DB_BACKUP_ERROR_BUSY,
                   _ ("cannot replace database %s: %s"), dbname, local->message);
      return FALSE;
    }
  return !live || run_sqlf (conn, error, "DROP DATABASE %s WITH (FORCE)", q_old);
}

gboolean
db_cluster_restore (DbCluster *cluster, const char *dbname, const char *path, GError **error)
{
  if (!db_cluster_ensure (cluster, NULL, error))
    return FALSE;
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, DB_BACKUP_ERROR, DB_BACKUP_ERROR_FILE, _ ("cannot read %s: %s"), path,
                   g_file_test (path, G_FILE_TEST_EXISTS) ? _ ("not a regular file")
                                                          : _ ("no such file"));
      return FALSE;
    }
  /* pg_restore --list reads the whole table of contents: a file that is not
   * a dump (or is cut short at its start) stops here. */
  g_autofree char *list_arg = g_strdup_printf ("--file=/dev/null");
  const char *list[] = { "pg_restore", "--list", list_arg, path, NULL };
  g_autoptr (GError) local = NULL;
  if (!run_client (db_cluster_bindir (cluster), list, &local))
    {
      g_set_error (error, DB_BACKUP_ERROR, DB_BACKUP_ERROR_NOT_OURS,
                   _ ("%s is not a backup written by `spotcheck db backup` (%s)"), path,
                   local->message);
      return FALSE;
    }
  g_autofree char *admin_info = db_cluster_owner_conninfo (cluster, "postgres");
  g_autoptr (PGconn) admin = db_connect (admin_info, error);
  if (admin == NULL)
    return FALSE;
  g_autofree char *scratch = g_strdup_printf ("%s_restore", dbname);
  g_autofree char *old = g_strdup_printf ("%s_replaced", dbname);
  g_autofree char *q_scratch = quote_ident (admin, scratch);
  if (!run_sqlf (admin, error, "DROP DATABASE IF EXISTS %s WITH (FORCE)", q_scratch)
      || !run_sqlf (admin, error, "CREATE DATABASE %s", q_scratch))
    return FALSE;
  g_autofree char *scratch_info = db_cluster_owner_conninfo (cluster, scratch);
  g_autofree char *db_arg = g_strdup_printf ("--dbname=%s", scratch_info);
  const char *restore[] = {
    "pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--no-password", db_arg,
    path,         NULL
  };
  if (!run_client (db_cluster_bindir (cluster), restore, error)
      || !check_restored (cluster, scratch, path, error)
      || !swap_in (admin, dbname, scratch, old, error))
    {
      run_sqlf (admin, NULL, "DROP DATABASE IF EXISTS %s WITH (FORCE)", q_scratch);
      return FALSE;
    }
  /* A backup of an older schema is brought up to this version's. */
  return db_cluster_ensure (cluster, dbname, error);
}
