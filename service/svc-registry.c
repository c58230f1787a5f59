/* svc-registry.c: directory imports (parse and check in intake, store in db,
 * one transaction) and lookups with filters checked against the catalog. */
#include "service/svc-registry.h"

#include "db/db-conn.h"

#include <string.h>
#include "core/core-i18n.h"

static const IntakeSchema *
schema_of (DbRegistryKind kind)
{
  return kind == DB_REGISTRY_BUSINESSES   ? intake_business_schema ()
         : kind == DB_REGISTRY_INSPECTORS ? intake_inspector_schema ()
                                          : intake_lab_schema ();
}

static GPtrArray *
rows_from_table (DbRegistryKind kind, const IntakeTable *table, const CoreCatalog *catalog,
                 CoreProblems *problems)
{
  switch (kind)
    {
    case DB_REGISTRY_BUSINESSES:
      return intake_businesses_from_table (table, catalog, problems);
    case DB_REGISTRY_INSPECTORS:
      return intake_inspectors_from_table (table, catalog, problems);
    case DB_REGISTRY_LABS:
      break;
    }
  return intake_labs_from_table (table, catalog, problems);
}

/* Checks the rows of @table and stores them; takes the table. */
static gboolean
import_table (const SvcContext *ctx, DbRegistryKind kind, IntakeTable *owned,
              CoreProblems *problems, SvcRegistryImport *result, GError **error)
{
  g_autoptr (IntakeTable) table = owned;
  *result = (SvcRegistryImport){ 0 };
  if (table == NULL)
    return FALSE;
  core_progress_update (ctx->progress, _ ("checking rows"), 0, 0);
  g_autoptr (GPtrArray) rows = rows_from_table (kind, table, ctx->catalog, problems);
  core_progress_update (ctx->progress, _ ("storing rows"), 0, 0);
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL
      || !db_registry_import (ctx->conn, svc_district (ctx), kind, table, rows, problems,
                              ctx->actor, &result->counts, error)
      || !db_transaction_commit (tx, error))
    return FALSE;
  result->rows = rows->len;
  return TRUE;
}

gboolean
svc_registry_import (const SvcContext *ctx, DbRegistryKind kind, const char *path, const char *name,
                     SvcRegistryImport *result, GError **error)
{
  *result = (SvcRegistryImport){ 0 };
  if (!svc_authorize (ctx, SVC_ACTION_DIRECTORY_IMPORT, error))
    return FALSE;
  if (name == NULL)
    name = path;
  core_progress_update (ctx->progress, _ ("reading the file"), 0, 0);
  g_autoptr (CoreProblems) problems = core_problems_new (name);
  IntakeTable *table
      = intake_table_read_file (path, name, INTAKE_FORMAT_AUTO, schema_of (kind), problems, error);
  return import_table (ctx, kind, table, problems, result, error);
}

gboolean
svc_registry_import_data (const SvcContext *ctx, DbRegistryKind kind, const char *data, gsize len,
                          const char *name, SvcRegistryImport *result, GError **error)
{
  *result = (SvcRegistryImport){ 0 };
  if (!svc_authorize (ctx, SVC_ACTION_DIRECTORY_IMPORT, error))
    return FALSE;
  g_autoptr (CoreProblems) problems = core_problems_new (name);
  IntakeTable *table = intake_table_read_data (data, len, name, INTAKE_FORMAT_AUTO,
                                               schema_of (kind), problems, error);
  return import_table (ctx, kind, table, problems, result, error);
}

static gboolean
known_office (const CoreCatalog *catalog, const char *code)
{
  for (guint i = 0; i < catalog->offices->len; i++)
    if (strcmp (((const CoreOffice *)g_ptr_array_index (catalog->offices, i))->code, code) == 0)
      return TRUE;
  return FALSE;
}

/* Each filter value must name something the district has, so that a typo is
 * an error rather than an empty list. */
static gboolean
check_filter (const SvcContext *ctx, DbRegistryKind kind, const SvcRegistryFilter *f,
              GError **error)
{
  const CoreCatalog *cat = ctx->catalog;
  const char *what = NULL, *value = NULL, *argument = NULL;
  if (f->street != NULL && core_catalog_street (cat, f->street) == NULL)
    what = "street", value = f->street, argument = "street";
  else if (f->office != NULL && !known_office (cat, f->office))
    what = "office", value = f->office, argument = "office";
  else if (f->category != NULL && core_catalog_category (cat, f->category) == NULL)
    what = "food category", value = f->category, argument = "category";
  if (what != NULL)
    {
      svc_error_invalid (error, argument, _ ("no %s '%s' in district %s"), what, value,
                         cat->district);
      return FALSE;
    }
  if (f->grade != NULL && (strlen (f->grade) != 1 || core_grade_index (f->grade[0]) < 0))
    {
      svc_error_invalid (error, "grade", _ ("no risk grade '%s'; the grades are the letters %s"),
                         f->grade, CORE_GRADES);
      return FALSE;
    }
  g_autoptr (GError) local = NULL;
  if (!db_registry_filter_applies (kind, f, &local))
    {
      g_set_error_literal (error, SVC_ERROR, SVC_ERROR_INVALID, local->message);
      return FALSE;
    }
  return TRUE;
}

const char *
svc_stage_name (const char *stage)
{
  if (g_strcmp0 (stage, "production") == 0)
    return _ ("production");
  if (g_strcmp0 (stage, "distribution") == 0)
    return _ ("distribution");
  if (g_strcmp0 (stage, "catering") == 0)
    return _ ("catering");
  if (g_strcmp0 (stage, "market") == 0)
    return _ ("market");
  return stage;
}

const char *
svc_verdict_name (const char *verdict)
{
  if (g_strcmp0 (verdict, "pass") == 0)
    return C_ ("verdict", "pass");
  if (g_strcmp0 (verdict, "fail") == 0)
    return C_ ("verdict", "fail");
  return verdict;
}

void
svc_show_names (CoreTable *table, const char *key, const char *(*name) (const char *))
{
  int col = table ? core_table_find (table, key) : -1;
  for (guint r = 0; col >= 0 && r < core_table_n_rows (table); r++)
    {
      const char *v = core_table_get (table, r, (guint)col);
      if (v != NULL)
        core_table_set_shown (table, r, (guint)col, name (v));
    }
}

CoreTable *
svc_registry_list (const SvcContext *ctx, DbRegistryKind kind, const SvcRegistryFilter *filter,
                   GError **error)
{
  SvcRegistryFilter none = { 0 };
  if (filter == NULL)
    filter = &none;
  if (!svc_authorize (ctx, SVC_ACTION_DIRECTORY_READ, error)
      || !check_filter (ctx, kind, filter, error))
    return NULL;
  CoreTable *t = db_registry_list (ctx->conn, svc_district (ctx), kind, filter, error);
  svc_show_names (t, "stage", svc_stage_name);
  return t;
}

CoreTable *
svc_registry_show (const SvcContext *ctx, const char *key, DbRegistryKind *kind, GError **error)
{
  DbRegistryKind found;
  if (!svc_authorize (ctx, SVC_ACTION_DIRECTORY_READ, error))
    return NULL;
  CoreTable *t = db_registry_show (ctx->conn, svc_district (ctx), key, &found, error);
  if (t != NULL && kind != NULL)
    *kind = found;
  svc_show_names (t, "stage", svc_stage_name);
  return t;
}
