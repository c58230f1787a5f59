/* db-registry.h: the directories in PostgreSQL: businesses, inspectors and
 * labs imported whole-file-or-nothing by upsert, listed and looked up. */
#pragma once

#include "core/core-table.h"
#include "intake/intake-directory.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

#define DB_REGISTRY_ERROR (db_registry_error_quark ())
GQuark db_registry_error_quark (void);

typedef enum
{
  DB_REGISTRY_ERROR_NOT_FOUND, /* no business, inspector or lab with that key */
  DB_REGISTRY_ERROR_FILTER,    /* a filter that does not apply to that directory */
} DbRegistryError;

typedef enum
{
  DB_REGISTRY_BUSINESSES,
  DB_REGISTRY_INSPECTORS,
  DB_REGISTRY_LABS,
} DbRegistryKind;

/* "businesses", "inspectors", "labs"; and back (FALSE for anything else). */
const char *db_registry_kind_name (DbRegistryKind kind);
gboolean db_registry_kind_parse (const char *name, DbRegistryKind *kind);

/* What an import did, row by row of the file. */
typedef struct
{
  guint inserted;
  guint updated;   /* a field, category, conflict or the active flag changed */
  guint unchanged; /* the row equals what was stored */
} DbImportCounts;

/* Imports checked rows (IntakeBusiness*, IntakeInspector* or IntakeLab*, as
 * @kind says) in the caller's transaction (25P01 when none is open): rows are staged with COPY,
 * checked against the database (streets, offices, categories, and for inspectors the businesses
 * their conflicts name), then upserted by USCC / id / code; each row's categories or conflicts
 * replace the stored ones. Rows not in the file are left alone. Any problem goes into @problems
 * with the line and the column name from @table (NULL: the schema key) and nothing is written:
 * FALSE with CORE_PROBLEMS_ERROR_REJECTED listing them all (the caller rolls
 * back). An audit_log row records @actor, the file name and the counts. */
gboolean db_registry_import (PGconn *conn, const char *district, DbRegistryKind kind,
                             const IntakeTable *table, GPtrArray *rows, CoreProblems *problems,
                             const char *actor, DbImportCounts *counts, GError **error);

/* Filters for db_registry_list(); NULL fields do not filter. A filter that
 * does not apply to @kind is DB_REGISTRY_ERROR_FILTER. */
typedef struct
{
  const char *street;   /* businesses */
  const char *office;   /* businesses (through their street) and inspectors */
  const char *grade;    /* businesses */
  const char *category; /* businesses and labs */
} DbRegistryFilter;

/* FALSE with DB_REGISTRY_ERROR_FILTER when @filter sets a filter that does
 * not apply to @kind. */
gboolean db_registry_filter_applies (DbRegistryKind kind, const DbRegistryFilter *filter,
                                     GError **error);

/* The directory as a new table keyed by the kind's name ("businesses", ...),
 * ordered by key, lists joined by ';'. Columns: businesses uscc, name,
 * licence, stage, street, street_name, office, address, grade, categories,
 * active; inspectors id, name, office, office_name, active, conflicts; labs
 * code, name, capacity, active, categories. */
CoreTable *db_registry_list (PGconn *conn, const char *district, DbRegistryKind kind,
                             const DbRegistryFilter *filter, GError **error);

/* The business, inspector or lab whose USCC / id / code is @key (tried in
 * that order): a new one-row record table (CORE_TABLE_RECORD) keyed
 * "business", "inspector" or "lab", with db_registry_list()'s columns and
 * *@kind set. DB_REGISTRY_ERROR_NOT_FOUND when none matches. */
CoreTable *db_registry_show (PGconn *conn, const char *district, const char *key,
                             DbRegistryKind *kind, GError **error);

G_END_DECLS
