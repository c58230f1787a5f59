/* svc-registry.h: the directories as a user works them: a coordinator imports
 * businesses, inspectors or labs from a file; the bureau lists and looks them
 * up. */
#pragma once

#include "db/db-registry.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

/* What an import did. */
typedef struct
{
  guint rows;            /* rows in the file */
  DbImportCounts counts; /* inserted, updated, unchanged */
} SvcRegistryImport;

/* Reads @path (CSV or JSON, UTF-8 with or without BOM, or GB18030; Chinese or
 * English headers), checks every row against the catalog and the database,
 * and upserts the directory @kind in one transaction, all or nothing; @name
 * names the file in problems (NULL: @path). Coordinators only
 * (SVC_ERROR_FORBIDDEN otherwise). A file with problems is
 * CORE_PROBLEMS_ERROR_REJECTED listing them all, and nothing is stored. */
gboolean svc_registry_import (const SvcContext *ctx, DbRegistryKind kind, const char *path,
                              const char *name, SvcRegistryImport *result, GError **error);

/* The same from an upload held in memory (@data, @len bytes), named @name. */
gboolean svc_registry_import_data (const SvcContext *ctx, DbRegistryKind kind, const char *data,
                                   gsize len, const char *name, SvcRegistryImport *result,
                                   GError **error);

/* Filters for svc_registry_list(); NULL fields do not filter. */
typedef DbRegistryFilter SvcRegistryFilter;

/* The directory @kind, filtered, as a new table (see db_registry_list() for
 * its columns). A street, office or category the district's catalog lacks, a
 * grade that is not one of CORE_GRADES, or a filter that does not apply to
 * @kind is SVC_ERROR_INVALID naming it, never an empty list. */
CoreTable *svc_registry_list (const SvcContext *ctx, DbRegistryKind kind,
                              const SvcRegistryFilter *filter, GError **error);

/* The business, inspector or lab whose credit code, id or code is @key, as a
 * new record table keyed "business", "inspector" or "lab"; *@kind (may be
 * NULL) says which. DB_REGISTRY_ERROR_NOT_FOUND when none matches. */
CoreTable *svc_registry_show (const SvcContext *ctx, const char *key, DbRegistryKind *kind,
                              GError **error);

/* A business's stage key ("production", "distribution", "catering",
 * "market") in this thread's language; an unknown one as it is. Static. */
const char *svc_stage_name (const char *stage);

/* Shows the keys of @table's column @key (when it has one) by name for people
 * (core_table_set_shown), through @name; CSV and JSON keep the keys. */
void svc_show_names (CoreTable *table, const char *key, const char *(*name) (const char *));

/* A lab verdict key ("pass", "fail") in this thread's language. Static. */
const char *svc_verdict_name (const char *verdict);

G_END_DECLS
