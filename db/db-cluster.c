/* db-cluster.c: initdb / pg_ctl driven as the invoking user, or as an
 * unprivileged account when spotcheck runs as root. */
#include "db/db-cluster.h"

#include "db/db-conn.h"
#include "db/db-migrate.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (spotcheck - db - cluster - error - quark, db_cluster_error)

#define SUPERUSER "spotcheck"

struct DbCluster
{
  DbClusterOptions options;
  char *bindir;
  gboolean as_other_user; /* running as root: drop to options.run_as */
  uid_t uid;
  gid_t gid;
};

void
db_cluster_options_clear (DbClusterOptions *options)
{
  g_clear_pointer (&options->data_dir, g_free);
  g_clear_pointer (&options->run_as, g_free);
}

char *
db_cluster_default_data_dir (void)
{
  /* Read each time (g_get_user_data_dir caches); the XDG spec ignores a
   * relative value. */
  const char *xdg = g_getenv ("XDG_DATA_HOME");
  if (xdg != NULL && g_path_is_absolute (xdg))
    return g_build_filename (xdg, "spotcheck", "pg", NULL);
  if (geteuid () == 0)
    return g_strdup ("/var/lib/spotcheck/pg");
  return g_build_filename (g_get_user_data_dir (), "spotcheck", "pg", NULL);
}

gboolean
db_cluster_options_from_config (const CoreConfig *config, const char *data_dir_override,
                                DbClusterOptions *out, GError **error)
{
  gint64 port = 5432, timeout = 30;
  memset (out, 0, sizeof *out);
  if (core_config_has_key (config, "database", "port")
      && !core_config_get_int (config, "database", "port", 1, 65535, &port, error))
    return FALSE;
  if (core_config_has_key (config, "database", "timeout")
      && !core_config_get_int (config, "database", "timeout", 1, 3600, &timeout, error))
    return FALSE;
  out->port = (int)port;
  out->timeout = (int)timeout;
  out->run_as = core_config_get_string_or (config, "database", "run_as", "postgres");
  if (data_dir_override != NULL && *data_dir_override != '\0')
    out->data_dir = g_strdup (data_dir_override);
  else
    {
      g_autofree char *configured = core_config_get_string_or (config, "database", "data_dir", "");
      out->data_dir = *configured ? g_steal_pointer (&configured) : db_cluster_default_data_dir ();
    }
  if (!g_path_is_absolute (out->data_dir))
    {
      g_autofree char *cwd = g_get_current_dir ();
      g_autofree char *abs = g_build_filename (cwd, out->data_dir, NULL);
      g_free (out->data_dir);
      out->data_dir = g_canonicalize_filename (abs, NULL);
    }
  return TRUE;
}

/* pg_config --bindir, then PATH, then the newest /usr/lib/postgresql/N/bin. */
static char *
find_bindir (void)
{
  g_autofree char *out = NULL;
  const char *argv[] = { "pg_config", N_ ("--bindir"), NULL };
  if (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, &out, NULL, NULL, NULL))
    {
      g_autofree char *dir = g_strstrip (g_strdup (out));
      g_autofree char *initdb = g_build_filename (dir, "initdb", NULL);
      if (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&dir);
    }
  g_autofree char *in_path = g_find_program_in_path ("initdb");
  if (in_path != NULL)
    return g_path_get_dirname (in_path);
  g_autoptr (GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  gint64 best = -1;
  char *found = NULL;
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      gint64 v = 0;
      if (!g_ascii_string_to_signed (name, 10, 1, 1000, &v, NULL) || v <= best)
        continue;
      g_autofree char *bin = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
      g_autofree char *initdb = g_build_filename (bin, "initdb", NULL);
      if (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_free (found);
          found = g_steal_pointer (&bin);
          best = v;
        }
    }
  return found;
}

/* pg_ctl runs the server through /bin/sh with the data directory inside
 * double quotes, where $ ` \ " are live; ' , \ and control characters break
 * the unix_socket_directories setting. Such paths are refused, not quoted. */
static gboolean
check_data_dir_chars (const char *dir, GError **error)
{
  g_autoptr (GString) bad = g_string_new (NULL);
  for (const char *p = dir; *p; p++)
    {
      unsigned char c = (unsigned char)*p;
      if (strchr ("$`\\\"',", c) == NULL && c >= 0x20 && c != 0x7f)
        continue;
      g_autofree char *one = g_strndup (p, 1);
      g_autofree char *shown = g_strescape (one, NULL);
      g_autofree char *quoted = g_strdup_printf ("'%s'", shown);
      if (strstr (bad->str, quoted) == NULL)
        g_string_append_printf (bad, "%s%s", bad->len ? " " : "", quoted);
    }
  if (bad->len == 0)
    return TRUE;
  g_autofree char *shown = g_strescape (dir, NULL);
  g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR,
               _ ("data directory \"%s\" contains %s, which PostgreSQL's pg_ctl would hand to the "
                  "shell or which break its socket setting; choose a path without $ ` \\ \" ' , "
                  "or control characters with --data-dir or [database] data_dir"),
               shown, bad->str);
  return FALSE;
}

DbCluster *
db_cluster_new (const DbClusterOptions *options, GError **error)
{
  if (!check_data_dir_chars (options->data_dir, error))
    return NULL;
  g_autoptr (DbCluster) cluster = g_new0 (DbCluster, 1);
  cluster->options.data_dir = g_strdup (options->data_dir);
  cluster->options.run_as = g_strdup (options->run_as ? options->run_as : "postgres");
  cluster->options.port = options->port ? options->port : 5432;
  cluster->options.timeout = options->timeout ? options->timeout : 30;
  cluster->options.fast = options->fast;

  struct sockaddr_un addr;
  g_autofree char *socket = g_strdup_printf ("%s/.s.PGSQL.%d", options->data_dir, options->port);
  if (strlen (socket) >= sizeof addr.sun_path)
    {
      g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR,
                   _ ("data directory %s is too long a path for a Unix socket (%zu bytes at most); "
                      "choose a shorter --data-dir"),
                   options->data_dir, sizeof addr.sun_path - 16);
      return NULL;
    }
  cluster->bindir = find_bindir ();
  if (cluster->bindir == NULL)
    {
      g_set_error (
          error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_NOT_INSTALLED,
          _ ("PostgreSQL server programs (initdb, pg_ctl) not found via pg_config, PATH or "
             "/usr/lib/postgresql/*/bin; install them (Debian: apt-get install "
             "postgresql-15 libpq-dev) or configure an existing server with --db"));
      return NULL;
    }
  if (geteuid () == 0)
    {
      struct passwd *pw = getpwnam (cluster->options.run_as);
      if (pw == NULL || pw->pw_uid == 0)
        {
          g_set_error (
              error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_USER,
              _ ("running as root, and PostgreSQL refuses root: the embedded cluster runs "
                 "as [database] run_as=%s, but no such unprivileged account exists; create "
                 "it (adduser --system %s) or set run_as to another account"),
              cluster->options.run_as, cluster->options.run_as);
          return NULL;
        }
      cluster->as_other_user = TRUE;
      cluster->uid = pw->pw_uid;
      cluster->gid = pw->pw_gid;
    }
  return g_steal_pointer (&cluster);
}

void
db_cluster_free (DbCluster *cluster)
{
  if (cluster == NULL)
    return;
  db_cluster_options_clear (&cluster->options);
  g_free (cluster->bindir);
  g_free (cluster);
}

const char *
db_cluster_data_dir (const DbCluster *cluster)
{
  return cluster->options.data_dir;
}

const char *
db_cluster_bindir (const DbCluster *cluster)
{
  return cluster->bindir;
}

char *
db_cluster_log_path (const DbCluster *cluster)
{
  return g_build_filename (cluster->options.data_dir, "server.log", NULL);
}

/* Quotes a conninfo value: single quotes, with ' and \ escaped. */
static void
append_conn_value (GString *s, const char *key, const char *value)
{
  g_string_append_printf (s, "%s%s='", s->len ? " " : "", key);
  for (const char *p = value; *p; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');
}

static char *
conninfo_as (const DbCluster *cluster, const char *user, const char *dbname)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_autofree char *port = g_strdup_printf ("%d", cluster->options.port);
  append_conn_value (s, "host", cluster->options.data_dir);
  append_conn_value (s, "port", port);
  append_conn_value (s, "user", user);
  append_conn_value (s, "dbname", dbname);
  append_conn_value (s, "connect_timeout", "10");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
db_cluster_conninfo (const DbCluster *cluster, const char *dbname)
{
  return conninfo_as (cluster, DB_WORKING_ROLE, dbname);
}

char *
db_cluster_owner_conninfo (const DbCluster *cluster, const char *dbname)
{
  return conninfo_as (cluster, SUPERUSER, dbname);
}

gboolean
db_cluster_is_initialised (const DbCluster *cluster)
{
  g_autofree char *version = g_build_filename (cluster->options.data_dir, "PG_VERSION", NULL);
  return g_file_test (version, G_FILE_TEST_EXISTS);
}

gboolean
db_cluster_is_running (const DbCluster *cluster)
{
  g_autofree char *conninfo = db_cluster_owner_conninfo (cluster, "postgres");
  return PQping (conninfo) == PQPING_OK;
}

typedef struct
{
  const DbCluster *cluster;
  int inherit_fd; /* kept open across exec, or -1 */
} ChildSetup;

static void
child_setup (gpointer data)
{
  const ChildSetup *setup = data;
  const DbCluster *cluster = setup->cluster;
  /* Runs in the child between fork and exec (after GLib marked every other
   * descriptor close-on-exec); failures end the child. */
  if (setup->inherit_fd >= 0 && fcntl (setup->inherit_fd, F_SETFD, 0) != 0)
    _exit (126);
  if (cluster->as_other_user
      && (setgroups (0, NULL) != 0 || setgid (cluster->gid) != 0 || setuid (cluster->uid) != 0))
    _exit (126);
}

/* Runs a server program (in bindir, or a full path) as the cluster's user,
 * handing it @inherit_fd (-1: none); on failure the error holds its output. */
static gboolean
run_tool_with_fd (const DbCluster *cluster, const char *const *args, int inherit_fd, int error_code,
                  GError **error)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_path_is_absolute (args[0])
                             ? g_strdup (args[0])
                             : g_build_filename (cluster->bindir, args[0], NULL));
  for (const char *const *a = args + 1; *a != NULL; a++)
    g_ptr_array_add (argv, g_strdup (*a));
  g_ptr_array_add (argv, NULL);

  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_autoptr (GError) local = NULL;
  const char *envp[] = { "LC_ALL=C.UTF-8", "PATH=/usr/bin:/bin", NULL };
  ChildSetup setup = { cluster, inherit_fd };
  if (!g_spawn_sync ("/", (char **)argv->pdata, (char **)envp, G_SPAWN_DEFAULT, child_setup, &setup,
                     &out, &err, &status, &local))
    {
      g_set_error (error, DB_CLUSTER_ERROR, error_code, _ ("cannot run %s: %s"),
                   (char *)argv->pdata[0], local->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, DB_CLUSTER_ERROR, error_code, _ ("%s failed: %s%s"),
                   (char *)argv->pdata[0], g_strstrip (err), g_strstrip (out));
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_tool (const DbCluster *cluster, const char *const *args, int error_code, GError **error)
{
  return run_tool_with_fd (cluster, args, -1, error_code, error);
}

/* Creates the parents and hands the directory to the cluster's user. */
static gboolean
prepare_dir (const DbCluster *cluster, const char *dir, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (dir);
  if (g_mkdir_with_parents (parent, 0755) != 0 || (g_mkdir (dir, 0700) != 0 && errno != EEXIST))
    {
      int saved = errno;
      g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR,
                   _ ("cannot create data directory %s: %s; choose a writable one with --data-dir "
                      "or [database] data_dir"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  if (cluster->as_other_user)
    {
      if (chown (dir, cluster->uid, cluster->gid) != 0 || chmod (dir, 0700) != 0)
        {
          int saved = errno;
          g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR,
                       _ ("cannot hand %s to account %s: %s"), dir, cluster->options.run_as,
                       g_strerror (saved));
          return FALSE;
        }
      /* Every parent must let that account through. */
      const char *test_args[] = { "/usr/bin/test", "-w", dir, NULL };
      g_autoptr (GError) local = NULL;
      if (!run_tool (cluster, test_args, DB_CLUSTER_ERROR_DATA_DIR, &local))
        {
          g_set_error (
              error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR,
              _ ("the embedded cluster runs as %s (PostgreSQL refuses root), but %s cannot "
                 "reach %s: a parent directory is closed to it; choose a --data-dir under a "
                 "directory it can enter (e.g. /var/lib/spotcheck/pg)"),
              cluster->options.run_as, cluster->options.run_as, dir);
          return FALSE;
        }
    }
  else if (access (dir, W_OK | X_OK) != 0)
    {
      g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR,
                   _ ("data directory %s is not writable; choose another with --data-dir"), dir);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_server_settings (const DbCluster *cluster, const char *pgdata, GError **error)
{
  g_autofree char *conf = g_build_filename (pgdata, "postgresql.conf", NULL);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (conf, &text, NULL, error))
    return FALSE;
  g_autoptr (GString) s = g_string_new (text);
  g_string_append (s, "\n# spotcheck embedded cluster: Unix socket in the data directory, no TCP.\n"
                      "listen_addresses = ''\n"
                      "unix_socket_directories = '");
  for (const char *p = cluster->options.data_dir; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (s, '\'');
      g_string_append_c (s, *p);
    }
  g_string_append (s, "'\nunix_socket_permissions = 0700\n"
                      "max_connections = 50\n"
                      "shared_buffers = 128MB\n"
                      "timezone = 'UTC'\n");
  if (cluster->options.fast)
    g_string_append (s, "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
  if (!g_file_set_contents (conf, s->str, (gssize)s->len, error))
    return FALSE;
  if (cluster->as_other_user && chown (conf, cluster->uid, cluster->gid) != 0)
    {
      int saved = errno;
      g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_INIT, _ ("cannot chown %s: %s"), conf,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static int
remove_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  return remove (path);
}

/* rm -rf, without following links. */
static gboolean
remove_tree (const char *path, GError **error)
{
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (nftw (path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
    {
      int saved = errno;
      g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR, _ ("cannot remove %s: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* initdb into a scratch directory beside the data directory, then rename it
 * into place: an interrupted initdb never leaves a half-made cluster. initdb
 * inherits @lock_fd, so when we are killed the lock stays held until the
 * orphaned initdb (and the server it runs) are gone. */
static gboolean
initialise (DbCluster *cluster, int lock_fd, GError **error)
{
  const char *dir = cluster->options.data_dir;
  g_autofree char *scratch = g_strconcat (dir, ".init", NULL);
  if (!remove_tree (scratch, error) || !prepare_dir (cluster, scratch, error))
    return FALSE;
  const char *args[] = { "initdb", "-D", scratch, "-U", SUPERUSER,
                         /* Only the socket, which only the cluster's account may open. */
                         "--auth-local=trust", "--auth-host=reject", "--encoding=UTF8",
                         "--locale=C.UTF-8", NULL, NULL };
  if (cluster->options.fast)
    args[9] = "--no-sync";
  if (!run_tool_with_fd (cluster, args, lock_fd, DB_CLUSTER_ERROR_INIT, error))
    {
      g_prefix_error (error, _ ("initialising the embedded cluster in %s: "), dir);
      return FALSE;
    }
  if (!write_server_settings (cluster, scratch, error))
    return FALSE;
  /* The empty target directory (if any) gives way to the finished cluster. */
  g_rmdir (dir);
  if (g_rename (scratch, dir) != 0)
    {
      int saved = errno;
      g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR,
                   _ ("cannot move the new cluster into %s: %s; the directory must be empty or "
                      "absent"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static char *
log_tail (const DbCluster *cluster)
{
  g_autofree char *path = db_cluster_log_path (cluster);
  g_autofree char *text = NULL;
  gsize len = 0;
  if (!g_file_get_contents (path, &text, &len, NULL))
    return g_strdup ("");
  const char *start = text;
  int lines = 0;
  for (const char *p = text + len; p > text; p--)
    if (p[-1] == '\n' && ++lines > 6)
      {
        start = p;
        break;
      }
  return g_strstrip (g_strdup (start));
}

/* The first line of @log that says why the server stopped (FATAL or PANIC,
 * as PostgreSQL writes them), without its timestamp prefix, after the line
 * before it when that one gives the detail (a bad setting is logged just
 * before the FATAL "configuration file contains errors"); NULL when none. */
static char *
first_failure (const char *log)
{
  g_auto (GStrv) lines = g_strsplit (log, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      const char *at = strstr (*l, "FATAL:");
      if (at == NULL)
        at = strstr (*l, "PANIC:");
      if (at == NULL)
        continue;
      const char *before = l > lines ? l[-1] : "";
      const char *detail = strstr (before, "ERROR:");
      if (detail == NULL && (strstr (before, "invalid") || strstr (before, "could not")))
        detail = strstr (before, "LOG:");
      g_autofree char *last = g_strstrip (g_strdup (at));
      if (detail == NULL)
        return g_steal_pointer (&last);
      g_autofree char *first = g_strstrip (g_strdup (detail));
      return g_strdup_printf ("%s; %s", first, last);
    }
  return NULL;
}

/* TRUE once a server answers on the cluster's socket, within its timeout. */
static gboolean
wait_until_running (const DbCluster *cluster)
{
  g_autofree char *pidfile = g_build_filename (cluster->options.data_dir, "postmaster.pid", NULL);
  for (int i = 0; i < cluster->options.timeout * 10; i++)
    {
      if (db_cluster_is_running (cluster))
        return TRUE;
      if (!g_file_test (pidfile, G_FILE_TEST_EXISTS))
        return FALSE; /* nobody is starting */
      g_usleep (100 * 1000);
    }
  return FALSE;
}

static gboolean
start (DbCluster *cluster, GError **error)
{
  g_autofree char *log = db_cluster_log_path (cluster);
  g_autofree char *timeout = g_strdup_printf ("%d", cluster->options.timeout);
  g_autofree char *opts = g_strdup_printf ("-p %d", cluster->options.port);
  const char *args[] = { "pg_ctl", "start", "-w", "-t", timeout, "-D", cluster->options.data_dir,
                         "-l",     log,     "-o", opts, NULL };
  g_autoptr (GError) local = NULL;
  if (!run_tool (cluster, args, DB_CLUSTER_ERROR_START, &local))
    {
      /* A server of this data directory may already be on its way up (a
       * `db start` killed after launching it): its postmaster.pid stops ours.
       * Waiting for it is the same as starting. */
      if (wait_until_running (cluster))
        return TRUE;
      g_autofree char *tail = log_tail (cluster);
      g_autofree char *cause = first_failure (tail);
      if (cause != NULL)
        g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_START,
                     _ ("the embedded PostgreSQL in %s did not start: %s\n%s\nserver log %s ends "
                        "with:\n%s"),
                     cluster->options.data_dir, cause, local->message, log, tail);
      else
        g_set_error (
            error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_START,
            _ ("the embedded PostgreSQL in %s did not start within %d s (is another server "
               "using its socket or port %d? set [database] port, or stop the other one).\n"
               "%s\nserver log %s ends with:\n%s"),
            cluster->options.data_dir, cluster->options.timeout, cluster->options.port,
            local->message, log, tail);
      return FALSE;
    }
  return TRUE;
}

static char *
lock_path (const DbCluster *cluster)
{
  g_autofree char *parent = g_path_get_dirname (cluster->options.data_dir);
  g_autofree char *base = g_path_get_basename (cluster->options.data_dir);
  g_autofree char *name = g_strdup_printf (".%s.lock", base);
  return g_build_filename (parent, name, NULL);
}

/* Serialises init/start between processes (tests run in parallel). Waits up
 * to the timeout: a holder may be an initdb left running by a killed start. */
static int
lock_cluster (const DbCluster *cluster, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (cluster->options.data_dir);
  g_autofree char *path = lock_path (cluster);
  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR, _ ("cannot create %s: %s"),
                   parent, g_strerror (saved));
      return -1;
    }
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR,
                   _ ("cannot open lock file %s: %s; is the directory writable?"), path,
                   g_strerror (saved));
      return -1;
    }
  gint64 deadline = g_get_monotonic_time () + (gint64)cluster->options.timeout * G_USEC_PER_SEC;
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;
      if (saved != EWOULDBLOCK && saved != EINTR)
        {
          close (fd);
          g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_DATA_DIR, _ ("cannot lock %s: %s"),
                       path, g_strerror (saved));
          return -1;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          close (fd);
          g_set_error (
              error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_START,
              _ ("another process has been initialising or starting the embedded cluster "
                 "in %s for more than %d s (it holds the lock file %s; an initdb left by an "
                 "interrupted `spotcheck db start` holds it too): wait for it, or see what "
                 "it is with `fuser -v %s` and end it, then run the command again"),
              cluster->options.data_dir, cluster->options.timeout, path, path);
          return -1;
        }
      g_usleep (100 * 1000);
    }
  return fd;
}

static gboolean
ensure_database (const DbCluster *cluster, const char *dbname, GError **error)
{
  g_autofree char *conninfo = db_cluster_owner_conninfo (cluster, "postgres");
  g_autoptr (PGconn) conn = db_connect (conninfo, error);
  if (conn == NULL)
    return FALSE;
  g_autoptr (PGresult) res
      = db_exec (conn, "SELECT 1 FROM pg_database WHERE datname = $1", DB_ARGS (dbname), error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    return TRUE;
  /* Identifiers cannot be parameters: quote it with libpq's own escaping. */
  char *ident = PQescapeIdentifier (conn, dbname, strlen (dbname));
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", ident);
  PQfreemem (ident);
  g_autoptr (GError) local = NULL;
  /* Another process creating it at the same moment: 42P04 when its row was
   * committed first, 23505 (pg_database's unique index) when both raced. */
  if (!db_run (conn, sql, DB_NO_ARGS, &local) && !db_error_is (local, "42P04")
      && !db_error_is (local, "23505"))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate_database (const DbCluster *cluster, const char *dbname, GError **error)
{
  g_autofree char *conninfo = db_cluster_owner_conninfo (cluster, dbname);
  g_autoptr (PGconn) conn = db_connect (conninfo, error);
  return conn != NULL && db_migrate (conn, NULL, error);
}

/* Whether the server answering on our socket runs from our data directory:
 * the socket could be another cluster's whose settings point here. */
static gboolean
serves_our_data_dir (const DbCluster *cluster, GError **error)
{
  g_autofree char *conninfo = db_cluster_owner_conninfo (cluster, "postgres");
  g_autoptr (PGconn) conn = db_connect (conninfo, error);
  if (conn == NULL)
    return FALSE;
  g_autofree char *theirs = db_scalar (conn, "SHOW data_directory", DB_NO_ARGS, error);
  if (theirs == NULL)
    return FALSE;
  g_autofree char *a = realpath (theirs, NULL);
  g_autofree char *b = realpath (cluster->options.data_dir, NULL);
  if (a == NULL || b == NULL || strcmp (a, b) != 0)
    {
      g_set_error (error, DB_CLUSTER_ERROR, DB_CLUSTER_ERROR_STOP,
                   _ ("the server answering on the socket in %s runs from %s, not from that "
                      "directory; stop it with its own pg_ctl -D %s"),
                   cluster->options.data_dir, theirs, theirs);
      return FALSE;
    }
  return TRUE;
}

gboolean
db_cluster_stop (DbCluster *cluster, GError **error)
{
  if (!db_cluster_is_initialised (cluster))
    return TRUE;
  /* Only a server that answers on our socket is ours to stop: pg_ctl would
   * signal whatever process a stale postmaster.pid names. */
  g_autofree char *conninfo = db_cluster_owner_conninfo (cluster, "postgres");
  PGPing ping = PQping (conninfo);
  if (ping != PQPING_OK && ping != PQPING_REJECT)
    return TRUE;
  /* A server still starting (or shutting down) rejects connections; the
   * socket in our data directory is then the evidence it is ours. */
  if (ping == PQPING_OK && !serves_our_data_dir (cluster, error))
    return FALSE;
  g_autofree char *timeout = g_strdup_printf ("%d", cluster->options.timeout);
  const char *args[] = {
    "pg_ctl", "stop", "-w", "-t", timeout, "-m", "fast", "-D", cluster->options.data_dir, NULL
  };
  return run_tool (cluster, args, DB_CLUSTER_ERROR_STOP, error);
}

gboolean
db_cluster_destroy (DbCluster *cluster, GError **error)
{
  return db_cluster_stop (cluster, error) && remove_tree (cluster->options.data_dir, error);
}

gboolean
db_cluster_ensure (DbCluster *cluster, const char *dbname, GError **error)
{
  if (!db_cluster_is_running (cluster))
    {
      int fd = lock_cluster (cluster, error);
      if (fd < 0)
        return FALSE;
      gboolean ok = TRUE;
      if (!db_cluster_is_running (cluster))
        {
          if (!db_cluster_is_initialised (cluster))
            ok = initialise (cluster, fd, error);
          if (ok)
            ok = start (cluster, error);
        }
      close (fd);
      if (!ok)
        return FALSE;
    }
  /* Migrations run as the owner here, so that the application's own
   * connection (db_cluster_conninfo) works as the working role from the start. */
  return dbname == NULL
         || (ensure_database (cluster, dbname, error) && migrate_database (cluster, dbname, error));
}
