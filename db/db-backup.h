/* db-backup.h: a database saved to one file with pg_dump and put back with
 * pg_restore. A backup is written under a temporary name and renamed when
 * pg_dump has finished, so a failed or killed backup leaves no file that
 * looks whole. A restore goes into a fresh database first and replaces the
 * live one only when everything was restored, so a bad file changes
 * nothing. */
#pragma once

#include "db/db-cluster.h"

G_BEGIN_DECLS

#define DB_BACKUP_ERROR (db_backup_error_quark ())
GQuark db_backup_error_quark (void);

typedef enum
{
  DB_BACKUP_ERROR_TOOL,     /* pg_dump or pg_restore could not run or failed */
  DB_BACKUP_ERROR_FILE,     /* the backup file cannot be written or read */
  DB_BACKUP_ERROR_NOT_OURS, /* the file is not a backup of a spotcheck database */
  DB_BACKUP_ERROR_BUSY,     /* the live database could not be replaced */
} DbBackupError;

/* Dumps the database @conninfo names into @path (PostgreSQL's custom format,
 * compressed) with pg_dump from @bindir (NULL: from PATH). */
gboolean db_backup (const char *bindir, const char *conninfo, const char *path, GError **error);

/* Replaces @dbname of the embedded @cluster with the backup in @path: the
 * file is checked, restored into a scratch database in one transaction,
 * checked to hold a spotcheck schema, then swapped in for @dbname (whose
 * other sessions are ended) and migrated to the current schema. On any
 * failure before the swap, @dbname is untouched. */
gboolean db_cluster_restore (DbCluster *cluster, const char *dbname, const char *path,
                             GError **error);

G_END_DECLS
