/* db-registry.c: directory imports as staged, checked, set-based upserts (a
 * few thousand rows in one COPY and a handful of statements), and lookups. */
#include "db/db-registry.h"

#include "db/db-conn.h"

#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (db - registry - error - quark, db_registry_error)

/* A check run on the staged rows: each result row (line, value) is a problem
 * in @field's column. */
typedef struct
{
  const char *sql;
  guint field;
  const char *why;
} StageCheck;

/* Everything that differs between the three directories. */
typedef struct
{
  const char *name;
  const char *stage_sql; /* CREATE TEMP TABLE stage (...) */
  const char *copy_sql;
  const StageCheck *checks;
  gsize n_checks;
  const char *mark_new;
  const char *mark_changed;
  const char *const *apply; /* statements with $1 = district */
  gsize n_apply;
  void (*copy_row) (GString *buf, gconstpointer row);
} KindOps;

/* Lists go to COPY as text[] literals. */
static void
copy_array (GString *buf, char **v, char sep)
{
  g_autofree char *lit = db_array_literal ((const char *const *)v, -1);
  db_copy_field (buf, lit, sep);
}

static void
copy_line (GString *buf, guint line)
{
  char text[16];
  g_snprintf (text, sizeof text, "%u", line);
  db_copy_field (buf, text, '\t');
}

static void
copy_business (GString *buf, gconstpointer row)
{
  const IntakeBusiness *b = row;
  char grade[2] = { b->grade, 0 };
  copy_line (buf, b->line);
  db_copy_field (buf, b->uscc, '\t');
  db_copy_field (buf, b->licence, '\t');
  db_copy_field (buf, b->name, '\t');
  db_copy_field (buf, intake_stage_name (b->stage), '\t');
  db_copy_field (buf, b->street, '\t');
  db_copy_field (buf, b->address, '\t');
  db_copy_field (buf, grade, '\t');
  db_copy_field (buf, b->active ? "t" : "f", '\t');
  copy_array (buf, b->categories, '\n');
}

static void
copy_inspector (GString *buf, gconstpointer row)
{
  const IntakeInspector *s = row;
  copy_line (buf, s->line);
  db_copy_field (buf, s->id, '\t');
  db_copy_field (buf, s->name, '\t');
  db_copy_field (buf, s->office, '\t');
  db_copy_field (buf, s->active ? "t" : "f", '\t');
  copy_array (buf, s->conflicts, '\n');
}

static void
copy_lab (GString *buf, gconstpointer row)
{
  const IntakeLab *l = row;
  char capacity[16];
  g_snprintf (capacity, sizeof capacity, "%u", l->capacity);
  copy_line (buf, l->line);
  db_copy_field (buf, l->code, '\t');
  db_copy_field (buf, l->name, '\t');
  db_copy_field (buf, capacity, '\t');
  db_copy_field (buf, l->active ? "t" : "f", '\t');
  copy_array (buf, l->categories, '\n');
}

static const StageCheck business_checks[] = {
  { "SELECT s.line, s.street FROM stage s WHERE NOT EXISTS (SELECT 1 FROM street t "
    "WHERE t.district = $1 AND t.code = s.street) ORDER BY s.line",
    INTAKE_BUSINESS_STREET, "no such street of the district in the database" },
  { "SELECT s.line, c FROM stage s, unnest (s.categories) c WHERE NOT EXISTS (SELECT 1 FROM "
    "category WHERE code = c) ORDER BY s.line",
    INTAKE_BUSINESS_CATEGORIES, "no such food category in the database catalogue" },
};

static const char *const business_apply[] = {
  "INSERT INTO business (district, uscc, licence, name, stage, street, address, grade, active) "
  "SELECT $1, uscc, licence, name, stage, street, address, grade, active FROM stage "
  "WHERE status <> 'same' ON CONFLICT (district, uscc) DO UPDATE SET licence = "
  "excluded.licence, name = excluded.name, stage = excluded.stage, street = excluded.street, "
  "address = excluded.address, grade = excluded.grade, active = excluded.active, "
  "updated_at = now()",
  "DELETE FROM business_category bc USING stage s WHERE s.status = 'changed' AND bc.district = "
  "$1 AND bc.uscc = s.uscc AND bc.category::text <> ALL (s.categories)",
  "INSERT INTO business_category (district, uscc, category) SELECT $1, s.uscc, c FROM stage s, "
  "unnest (s.categories) c WHERE s.status <> 'same' ON CONFLICT DO NOTHING",
};

static const StageCheck inspector_checks[] = {
  { "SELECT s.line, s.office FROM stage s WHERE NOT EXISTS (SELECT 1 FROM office o "
    "WHERE o.district = $1 AND o.code = s.office) ORDER BY s.line",
    INTAKE_INSPECTOR_OFFICE, "no such office of the district in the database" },
  { "SELECT s.line, c FROM stage s, unnest (s.conflicts) c WHERE NOT EXISTS (SELECT 1 FROM "
    "business b WHERE b.district = $1 AND b.uscc = c) ORDER BY s.line, c",
    INTAKE_INSPECTOR_CONFLICTS, "no business with this credit code is on record" },
};

static const char *const inspector_apply[] = {
  "INSERT INTO inspector (district, id, name, office, active) SELECT $1, id, name, office, "
  "active FROM stage WHERE status <> 'same' ON CONFLICT (district, id) DO UPDATE SET name = "
  "excluded.name, office = excluded.office, active = excluded.active, updated_at = now()",
  "DELETE FROM inspector_conflict ic USING stage s WHERE s.status = 'changed' AND ic.district = "
  "$1 AND ic.inspector = s.id AND ic.uscc::text <> ALL (s.conflicts)",
  "INSERT INTO inspector_conflict (district, inspector, uscc) SELECT $1, s.id, c FROM stage s, "
  "unnest (s.conflicts) c WHERE s.status <> 'same' ON CONFLICT DO NOTHING",
};

static const StageCheck lab_checks[] = {
  { "SELECT s.line, c FROM stage s, unnest (s.categories) c WHERE NOT EXISTS (SELECT 1 FROM "
    "category WHERE code = c) ORDER BY s.line",
    INTAKE_LAB_CATEGORIES, "no such food category in the database catalogue" },
};

static const char *const lab_apply[] = {
  "INSERT INTO lab (district, code, name, capacity, active) SELECT $1, code, name, capacity, "
  "active FROM stage WHERE status <> 'same' ON CONFLICT (district, code) DO UPDATE SET name = "
  "excluded.name, capacity = excluded.capacity, active = excluded.active, updated_at = now()",
  "DELETE FROM lab_category lc USING stage s WHERE s.status = 'changed' AND lc.district = $1 "
  "AND lc.lab = s.code AND lc.category::text <> ALL (s.categories)",
  "INSERT INTO lab_category (district, lab, category) SELECT $1, s.code, c FROM stage s, "
  "unnest (s.categories) c WHERE s.status <> 'same' ON CONFLICT DO NOTHING",
};

static const KindOps kinds[] = {
  [DB_REGISTRY_BUSINESSES]
  = { "businesses",
      "CREATE TEMP TABLE stage (line integer, uscc char(18), licence text, name text, stage text, "
      "street text, address text, grade char(1), active boolean, categories text[], status text) "
      "ON COMMIT DROP",
      "COPY stage (line, uscc, licence, name, stage, street, address, grade, active, categories) "
      "FROM STDIN",
      business_checks, G_N_ELEMENTS (business_checks),
      "UPDATE stage s SET status = 'new' WHERE NOT EXISTS (SELECT 1 FROM business b "
      "WHERE b.district = $1 AND b.uscc = s.uscc)",
      "UPDATE stage s SET status = CASE WHEN (b.licence, b.name, b.stage, b.street, b.address, "
      "b.grade, b.active) IS DISTINCT FROM (s.licence, s.name, s.stage, s.street, s.address, "
      "s.grade, s.active) OR coalesce ((SELECT array_agg (bc.category::text ORDER BY bc.category) "
      "FROM business_category bc WHERE bc.district = b.district AND bc.uscc = b.uscc), '{}') "
      "IS DISTINCT FROM s.categories THEN 'changed' ELSE 'same' END FROM business b "
      "WHERE s.status IS NULL AND b.district = $1 AND b.uscc = s.uscc",
      business_apply, G_N_ELEMENTS (business_apply), copy_business },
  [DB_REGISTRY_INSPECTORS]
  = { "inspectors",
      "CREATE TEMP TABLE stage (line integer, id text, name text, office text, active boolean, "
      "conflicts text[], status text) ON COMMIT DROP",
      "COPY stage (line, id, name, office, active, conflicts) FROM STDIN", inspector_checks,
      G_N_ELEMENTS (inspector_checks),
      "UPDATE stage s SET status = 'new' WHERE NOT EXISTS (SELECT 1 FROM inspector i "
      "WHERE i.district = $1 AND i.id = s.id)",
      "UPDATE stage s SET status = CASE WHEN (i.name, i.office, i.active) IS DISTINCT FROM "
      "(s.name, s.office, s.active) OR coalesce ((SELECT array_agg (ic.uscc::text ORDER BY "
      "ic.uscc) FROM inspector_conflict ic WHERE ic.district = i.district AND ic.inspector = "
      "i.id), '{}') IS DISTINCT FROM (SELECT coalesce (array_agg (c ORDER BY c), '{}') FROM "
      "unnest (s.conflicts) c) THEN 'changed' ELSE 'same' END FROM inspector i "
      "WHERE s.status IS NULL AND i.district = $1 AND i.id = s.id",
      inspector_apply, G_N_ELEMENTS (inspector_apply), copy_inspector },
  [DB_REGISTRY_LABS]
  = { "labs",
      "CREATE TEMP TABLE stage (line integer, code text, name text, capacity integer, "
      "active boolean, categories text[], status text) ON COMMIT DROP",
      "COPY stage (line, code, name, capacity, active, categories) FROM STDIN", lab_checks,
      G_N_ELEMENTS (lab_checks),
      "UPDATE stage s SET status = 'new' WHERE NOT EXISTS (SELECT 1 FROM lab l "
      "WHERE l.district = $1 AND l.code = s.code)",
      "UPDATE stage s SET status = CASE WHEN (l.name, l.capacity, l.active) IS DISTINCT FROM "
      "(s.name, s.capacity, s.active) OR coalesce ((SELECT array_agg (lc.category::text ORDER BY "
      "lc.category) FROM lab_category lc WHERE lc.district = l.district AND lc.lab = l.code), "
      "'{}') IS DISTINCT FROM s.categories THEN 'changed' ELSE 'same' END FROM lab l "
      "WHERE s.status IS NULL AND l.district = $1 AND l.code = s.code",
      lab_apply, G_N_ELEMENTS (lab_apply), copy_lab },
};

const char *
db_registry_kind_name (DbRegistryKind kind)
{
  return kinds[kind].name;
}

gboolean
db_registry_kind_parse (const char *name, DbRegistryKind *kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (name != NULL && strcmp (name, kinds[i].name) == 0)
      {
        *kind = (DbRegistryKind)i;
        return TRUE;
      }
  return FALSE;
}

static const IntakeSchema *
kind_schema (DbRegistryKind kind)
{
  switch (kind)
    {
    case DB_REGISTRY_BUSINESSES:
      return intake_business_schema ();
    case DB_REGISTRY_INSPECTORS:
      return intake_inspector_schema ();
    case DB_REGISTRY_LABS:
      break;
    }
  return intake_lab_schema ();
}

typedef struct
{
  const KindOps *ops;
  GPtrArray *rows;
  guint next;
} StageFeed;

static gboolean
next_stage_row (GString *buf, gpointer data, G_GNUC_UNUSED GError **error)
{
  StageFeed *f = data;
  if (f->next < f->rows->len)
    f->ops->copy_row (buf, g_ptr_array_index (f->rows, f->next++));
  return f->next < f->rows->len;
}

static gboolean
stage_rows (PGconn *conn, const KindOps *ops, GPtrArray *rows, GError **error)
{
  StageFeed feed = { ops, rows, 0 };
  return db_run (conn, ops->stage_sql, DB_NO_ARGS, error)
         && db_copy_rows (conn, ops->copy_sql, next_stage_row, &feed, error);
}

/* Runs the kind's checks; every offending row and value becomes a problem. */
static gboolean
check_staged (PGconn *conn, const char *district, DbRegistryKind kind, const IntakeTable *table,
              CoreProblems *problems, GError **error)
{
  const KindOps *ops = &kinds[kind];
  for (gsize c = 0; c < ops->n_checks; c++)
    {
      const StageCheck *ck = &ops->checks[c];
      /* Checks against the shared catalogue take no district. */
      const char *const params[] = { district };
      g_autoptr (PGresult) res
          = db_exec (conn, ck->sql, strstr (ck->sql, "$1") ? 1 : 0, params, error);
      if (res == NULL)
        return FALSE;
      for (int r = 0; r < PQntuples (res); r++)
        intake_table_problem (problems, table, kind_schema (kind),
                              (guint)g_ascii_strtoull (PQgetvalue (res, r, 0), NULL, 10), ck->field,
                              PQgetvalue (res, r, 1), "%s", ck->why);
    }
  return TRUE;
}

static gboolean
classify (PGconn *conn, const char *district, const KindOps *ops, DbImportCounts *counts,
          GError **error)
{
  if (!db_run (conn, ops->mark_new, DB_ARGS (district), error)
      || !db_run (conn, ops->mark_changed, DB_ARGS (district), error))
    return FALSE;
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT count(*) FILTER (WHERE status = 'new'), count(*) FILTER (WHERE status "
                 "= 'changed'), count(*) FILTER (WHERE status = 'same') FROM stage",
                 DB_NO_ARGS, error);
  if (res == NULL)
    return FALSE;
  counts->inserted = (guint)g_ascii_strtoull (PQgetvalue (res, 0, 0), NULL, 10);
  counts->updated = (guint)g_ascii_strtoull (PQgetvalue (res, 0, 1), NULL, 10);
  counts->unchanged = (guint)g_ascii_strtoull (PQgetvalue (res, 0, 2), NULL, 10);
  return TRUE;
}

static gboolean
audit (PGconn *conn, const char *district, const char *actor, DbRegistryKind kind, const char *file,
       const DbImportCounts *c, GError **error)
{
  g_autoptr (GString) detail = g_string_new ("{\"file\": ");
  db_json_string (detail, file);
  g_string_append_printf (detail, ", \"inserted\": %u, \"updated\": %u, \"unchanged\": %u}",
                          c->inserted, c->updated, c->unchanged);
  return db_audit (conn, district, actor, "registry.import", db_registry_kind_name (kind),
                   detail->str, error);
}

gboolean
db_registry_import (PGconn *conn, const char *district, DbRegistryKind kind,
                    const IntakeTable *table, GPtrArray *rows, CoreProblems *problems,
                    const char *actor, DbImportCounts *counts, GError **error)
{
  const KindOps *ops = &kinds[kind];
  *counts = (DbImportCounts){ 0 };
  /* Rows intake rejected are already problems; the rest are still checked
   * against the database so that one run lists every problem. The staging
   * table lives until the caller's transaction ends. */
  if (!db_in_transaction (conn, error) || !stage_rows (conn, ops, rows, error)
      || !check_staged (conn, district, kind, table, problems, error))
    return FALSE;
  if (!core_problems_check (problems, error))
    return FALSE;
  if (!classify (conn, district, ops, counts, error))
    return FALSE;
  for (gsize i = 0; i < ops->n_apply; i++)
    if (!db_run (conn, ops->apply[i], DB_ARGS (district), error))
      return FALSE;
  return audit (conn, district, actor, kind, core_problems_file (problems), counts, error);
}

/* Each list query takes $1 district, $2 key (show) and its filters; its
 * columns are the kind's columns below, in order. */
static const char business_list_sql[]
    = "SELECT b.uscc, b.name, coalesce (b.licence, ''), b.stage, b.street, st.name_zh, "
      "coalesce (st.office, ''), coalesce (b.address, ''), b.grade, coalesce ((SELECT "
      "string_agg (category, ';' ORDER BY category) FROM business_category bc WHERE bc.district "
      "= b.district AND bc.uscc = b.uscc), ''), b.active "
      "FROM business b JOIN street st ON st.district = b.district AND st.code = b.street "
      "WHERE b.district = $1 AND ($2::text IS NULL OR b.uscc = upper ($2)) "
      "AND ($3::text IS NULL OR b.street = $3) AND ($4::text IS NULL OR st.office = $4) "
      "AND ($5::text IS NULL OR b.grade = upper ($5)) AND ($6::text IS NULL OR EXISTS (SELECT 1 "
      "FROM business_category bc WHERE bc.district = b.district AND bc.uscc = b.uscc AND "
      "bc.category = $6)) ORDER BY b.uscc";

static const CoreColumn business_columns[] = {
  { "uscc", N_ ("Credit code"), CORE_CELL_TEXT },
  { "name", N_ ("Business name"), CORE_CELL_TEXT },
  { "licence", N_ ("Licence"), CORE_CELL_TEXT },
  { "stage", N_ ("Stage"), CORE_CELL_TEXT },
  { "street", N_ ("Street"), CORE_CELL_TEXT },
  { "street_name", N_ ("Street name"), CORE_CELL_TEXT },
  { "office", N_ ("Office"), CORE_CELL_TEXT },
  { "address", N_ ("Address"), CORE_CELL_TEXT },
  { "grade", N_ ("Grade"), CORE_CELL_TEXT },
  { "categories", N_ ("Categories"), CORE_CELL_TEXT },
  { "active", N_ ("In business"), CORE_CELL_BOOL },
};

static const char inspector_list_sql[]
    = "SELECT i.id, i.name, i.office, o.name_zh, i.active, coalesce ((SELECT string_agg (uscc, "
      "';' ORDER BY uscc) FROM inspector_conflict ic WHERE ic.district = i.district AND "
      "ic.inspector = i.id), '') FROM inspector i JOIN office o ON o.district = i.district AND "
      "o.code = i.office WHERE i.district = $1 AND ($2::text IS NULL OR i.id = $2) "
      "AND ($3::text IS NULL OR i.office = $3) ORDER BY i.id";

static const CoreColumn inspector_columns[] = {
  { "id", N_ ("ID"), CORE_CELL_TEXT },
  { "name", N_ ("Full name"), CORE_CELL_TEXT },
  { "office", N_ ("Office code"), CORE_CELL_TEXT },
  { "office_name", N_ ("Office name"), CORE_CELL_TEXT },
  { "active", N_ ("On duty"), CORE_CELL_BOOL },
  { "conflicts", N_ ("Conflicts"), CORE_CELL_TEXT },
};

static const char lab_list_sql[]
    = "SELECT l.code, l.name, l.capacity, l.active, coalesce ((SELECT string_agg (category, ';' "
      "ORDER BY category) FROM lab_category lc WHERE lc.district = l.district AND lc.lab = "
      "l.code), '') FROM lab l WHERE l.district = $1 AND ($2::text IS NULL OR l.code = $2) AND "
      "($3::text IS NULL OR EXISTS (SELECT 1 FROM lab_category lc WHERE lc.district = "
      "l.district AND lc.lab = l.code AND lc.category = $3)) ORDER BY l.code";

static const CoreColumn lab_columns[] = {
  { "code", N_ ("Code"), CORE_CELL_TEXT },
  { "name", N_ ("Lab name"), CORE_CELL_TEXT },
  { "capacity", N_ ("Monthly capacity"), CORE_CELL_INT },
  { "active", N_ ("Active"), CORE_CELL_BOOL },
  { "categories", N_ ("Categories tested"), CORE_CELL_TEXT },
};

/* Per kind: the table's key and titles, one row's key (for show) and columns. */
static const struct
{
  const char *title, *one, *one_title;
  const CoreColumn *columns;
  guint n_columns;
} tables[] = {
  [DB_REGISTRY_BUSINESSES] = { N_ ("Businesses"), "business", N_ ("Business"), business_columns,
                               G_N_ELEMENTS (business_columns) },
  [DB_REGISTRY_INSPECTORS] = { N_ ("Inspectors"), "inspector", N_ ("Inspector"), inspector_columns,
                               G_N_ELEMENTS (inspector_columns) },
  [DB_REGISTRY_LABS] = { N_ ("Labs"), "lab", N_ ("Lab"), lab_columns, G_N_ELEMENTS (lab_columns) },
};

static gboolean
filter_refused (GError **error, DbRegistryKind kind, const char *filter)
{
  g_set_error (error, DB_REGISTRY_ERROR, DB_REGISTRY_ERROR_FILTER,
               _ ("the %s filter does not apply to %s"), filter, db_registry_kind_name (kind));
  return FALSE;
}

gboolean
db_registry_filter_applies (DbRegistryKind kind, const DbRegistryFilter *filter, GError **error)
{
  if (filter == NULL)
    return TRUE;
  const char *refused = NULL;
  if (kind != DB_REGISTRY_BUSINESSES && (filter->street || filter->grade))
    refused = filter->street ? "street" : "grade";
  else if (kind == DB_REGISTRY_INSPECTORS && filter->category)
    refused = "category";
  else if (kind == DB_REGISTRY_LABS && filter->office)
    refused = "office";
  return refused == NULL || filter_refused (error, kind, refused);
}

static PGresult *
list_by (PGconn *conn, const char *district, DbRegistryKind kind, const char *key,
         const DbRegistryFilter *f, GError **error)
{
  DbRegistryFilter none = { 0 };
  if (f == NULL)
    f = &none;
  if (!db_registry_filter_applies (kind, f, error))
    return NULL;
  switch (kind)
    {
    case DB_REGISTRY_BUSINESSES:
      return db_exec (conn, business_list_sql,
                      DB_ARGS (district, key, f->street, f->office, f->grade, f->category), error);
    case DB_REGISTRY_INSPECTORS:
      return db_exec (conn, inspector_list_sql, DB_ARGS (district, key, f->office), error);
    case DB_REGISTRY_LABS:
      break;
    }
  return db_exec (conn, lab_list_sql, DB_ARGS (district, key, f->category), error);
}

CoreTable *
db_registry_list (PGconn *conn, const char *district, DbRegistryKind kind,
                  const DbRegistryFilter *filter, GError **error)
{
  g_autoptr (PGresult) res = list_by (conn, district, kind, NULL, filter, error);
  if (res == NULL)
    return NULL;
  return db_result_table (res, kinds[kind].name, _ (tables[kind].title), tables[kind].columns,
                          tables[kind].n_columns);
}

CoreTable *
db_registry_show (PGconn *conn, const char *district, const char *key, DbRegistryKind *kind,
                  GError **error)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (PGresult) res = list_by (conn, district, (DbRegistryKind)i, key, NULL, error);
      if (res == NULL)
        return NULL;
      if (PQntuples (res) > 0)
        {
          *kind = (DbRegistryKind)i;
          CoreTable *t = db_result_table (res, tables[i].one, _ (tables[i].one_title),
                                          tables[i].columns, tables[i].n_columns);
          core_table_set_shape (t, CORE_TABLE_RECORD);
          return t;
        }
    }
  g_set_error (error, DB_REGISTRY_ERROR, DB_REGISTRY_ERROR_NOT_FOUND,
               _ ("no business (credit code), inspector (id) or lab (code) '%s' in district %s"),
               key, district);
  return NULL;
}
