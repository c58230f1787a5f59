/* db-demo.h: what `spotcheck demo` needs of the database beside the
 * services: the mark a demo leaves (an audit_log record "demo.start"), so that
 * a later run knows it may reset what it finds, and the reset of the embedded
 * cluster's database (dropped as the owner, recreated by db_cluster_ensure()). */
#pragma once

#include "db/db-cluster.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

/* *@marked: @district's record holds a demo's mark. */
gboolean db_demo_marked (PGconn *conn, const char *district, gboolean *marked, GError **error);

/* Records the mark (detail @detail_json, may be NULL) in its own transaction. */
gboolean db_demo_mark (PGconn *conn, const char *district, const char *actor,
                       const char *detail_json, GError **error);

/* The demo's session commits without waiting for the disk (synchronous_commit
 * off): a crash can lose its last transactions, never corrupt anything, and a
 * demo is played again anyway. It halves the year's time on a slow disk. */
gboolean db_demo_fast_commits (PGconn *conn, GError **error);

/* Drops @dbname of the embedded @cluster (its sessions ended) and creates it
 * again, migrated, through db_cluster_ensure(). Close every connection of
 * your own to it first. */
gboolean db_cluster_recreate (DbCluster *cluster, const char *dbname, GError **error);

G_END_DECLS
