/* db-migrate.h: numbered SQL migrations compiled into the binary.
 *
 * db/migrations/NNNN_name.sql are applied in order, each in its own
 * transaction, and recorded with a checksum in schema_migrations. Applying is
 * idempotent and serialised between processes by an advisory lock. */
#pragma once

#include "core/core-catalog.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

typedef struct
{
  int version;
  char *name;       /* e.g. "0001_foundation" */
  char *checksum;   /* SHA-256 of the SQL text */
  char *applied_at; /* NULL when pending */
} DbMigration;

void db_migration_free (DbMigration *migration);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbMigration, db_migration_free)

/* Every migration the binary carries, with applied_at filled from the
 * database. Fails when an applied migration's text has changed since. Returns
 * a GPtrArray of DbMigration* (free with g_ptr_array_unref). */
GPtrArray *db_migrate_status (PGconn *conn, GError **error);

/* The role the application works as. The schema belongs to whoever runs
 * the migrations; this role owns nothing, is no superuser and may not change
 * or delete the record (audit_log, case_event, lab_report, result_item, the
 * cells of a plan). */
#define DB_WORKING_ROLE "spotcheck_app"

/* Applies the pending migrations (which need a connection as the schema's
 * owner) and checks the working role; *@applied (may be NULL) counts them.
 * With nothing pending, any role that can read schema_migrations may call it. */
gboolean db_migrate (PGconn *conn, int *applied, GError **error);

/* Fails, naming what to fix, when DB_WORKING_ROLE is missing, a superuser,
 * owns a table, or lacks SELECT or INSERT on a table of the schema. */
gboolean db_migrate_check_working_role (PGconn *conn, GError **error);

/* Upserts the configured district, its streets and offices and the food
 * categories, and records the catalog's digest, in one transaction. */
gboolean db_sync_catalog (PGconn *conn, const CoreCatalog *catalog, GError **error);

/* Syncs as db_sync_catalog() only when @catalog's digest differs from the one
 * the last sync of its district recorded (the configuration changed), so
 * that every command need not rewrite the catalog. *@synced (may be NULL)
 * tells whether it did. */
gboolean db_sync_catalog_if_changed (PGconn *conn, const CoreCatalog *catalog, gboolean *synced,
                                     GError **error);

/* SHA-256 of the canonical text of what the sync writes for @catalog. Free
 * with g_free(). */
char *db_catalog_digest (const CoreCatalog *catalog);

/* The server's version as "MAJOR.MINOR", e.g. "15.4". Free with g_free(). */
char *db_server_version (PGconn *conn);

G_END_DECLS
