/* db-cluster.h: the private embedded PostgreSQL cluster.
 *
 * With no server configured, spotcheck keeps its own cluster in a data
 * directory, initialises it on first use with the installed initdb, listens on
 * a Unix socket in that directory only (no TCP), and starts it on demand.
 * PostgreSQL refuses to run as root, so under root the cluster runs as an
 * unprivileged account ([database] run_as, default postgres). */
#pragma once

#include "core/core-config.h"

G_BEGIN_DECLS

#define DB_CLUSTER_ERROR (db_cluster_error_quark ())
GQuark db_cluster_error_quark (void);

typedef enum
{
  DB_CLUSTER_ERROR_NOT_INSTALLED, /* initdb/pg_ctl not found */
  DB_CLUSTER_ERROR_DATA_DIR,      /* data directory missing, unwritable or unreachable */
  DB_CLUSTER_ERROR_USER,          /* the run_as account does not exist */
  DB_CLUSTER_ERROR_INIT,          /* initdb failed */
  DB_CLUSTER_ERROR_START,         /* the server did not start (port/socket taken, ...) */
  DB_CLUSTER_ERROR_STOP,
} DbClusterError;

typedef struct
{
  char *data_dir; /* PGDATA; also holds the socket and the server log */
  int port;       /* names the socket file .s.PGSQL.PORT */
  char *run_as;   /* account used when running as root */
  int timeout;    /* seconds to wait for start/stop */
  gboolean fast;  /* tests: initdb --no-sync and fsync=off */
} DbClusterOptions;

typedef struct DbCluster DbCluster;

/* The default data directory: $XDG_DATA_HOME/spotcheck/pg when XDG_DATA_HOME
 * is set (also under root), else /var/lib/spotcheck/pg under root and
 * ~/.local/share/spotcheck/pg otherwise. Free with g_free(). */
char *db_cluster_default_data_dir (void);

/* Options from [database] of @config; @data_dir_override (may be NULL) wins. */
gboolean db_cluster_options_from_config (const CoreConfig *config, const char *data_dir_override,
                                         DbClusterOptions *out, GError **error);
void db_cluster_options_clear (DbClusterOptions *options);

DbCluster *db_cluster_new (const DbClusterOptions *options, GError **error);
void db_cluster_free (DbCluster *cluster);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbCluster, db_cluster_free)

gboolean db_cluster_is_initialised (const DbCluster *cluster);
gboolean db_cluster_is_running (const DbCluster *cluster);

/* Initialises (first use), starts (when not running), creates @dbname when
 * missing and applies its pending migrations as the owner (@dbname NULL: only
 * the first two). Safe to call from several processes at once. */
gboolean db_cluster_ensure (DbCluster *cluster, const char *dbname, GError **error);
/* Stops the server that answers on the cluster's socket from its data
 * directory; nothing answering is success (a stale postmaster.pid and the
 * process it may name are left alone). */
gboolean db_cluster_stop (DbCluster *cluster, GError **error);
/* Stops the cluster and deletes its data directory (tests' throw-away clusters). */
gboolean db_cluster_destroy (DbCluster *cluster, GError **error);

/* Connection string for @dbname on the cluster's socket, as the working role
 * DB_WORKING_ROLE (what the application uses). Free with g_free(). */
char *db_cluster_conninfo (const DbCluster *cluster, const char *dbname);
/* The same as the cluster's bootstrap superuser, which owns the schema
 * (migrations, creating databases). Free with g_free(). */
char *db_cluster_owner_conninfo (const DbCluster *cluster, const char *dbname);
const char *db_cluster_data_dir (const DbCluster *cluster);
const char *db_cluster_bindir (const DbCluster *cluster);
/* Path of the server log. Free with g_free(). */
char *db_cluster_log_path (const DbCluster *cluster);

G_END_DECLS
