/* db-migrate.c: applies the SQL files embedded under /org/spotcheck/migrations. */
#include "db/db-migrate.h"

#include "db/db-conn.h"

#include "db/spotcheck-migrations.h"

#include <gio/gio.h>
#include <string.h>
#include "core/core-i18n.h"

#define MIGRATIONS_PREFIX "/org/spotcheck/migrations"
/* Arbitrary constant naming the migration lock among advisory locks. */
#define MIGRATION_LOCK "7210104001"

void
db_migration_free (DbMigration *migration)
{
  if (migration == NULL)
    return;
  g_free (migration->name);
  g_free (migration->checksum);
  g_free (migration->applied_at);
  g_free (migration);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* The embedded migrations in order: names and their SQL text. */
static gboolean
embedded (GPtrArray **names_out, GPtrArray **sql_out, GError **error)
{
  GResource *resource = spotcheck_migrations_get_resource ();
  g_auto (GStrv) files = g_resource_enumerate_children (resource, MIGRATIONS_PREFIX,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (files == NULL)
    return FALSE;
  qsort (files, g_strv_length (files), sizeof (char *), compare_names);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) sql = g_ptr_array_new_with_free_func (g_free);
  for (char **f = files; *f != NULL; f++)
    {
      if (!g_str_has_suffix (*f, ".sql"))
        continue;
      g_autofree char *path = g_strconcat (MIGRATIONS_PREFIX "/", *f, NULL);
      g_autoptr (GBytes) bytes
          = g_resource_lookup_data (resource, path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return FALSE;
      g_ptr_array_add (names, g_strndup (*f, strlen (*f) - 4));
      g_ptr_array_add (sql, g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
    }
  *names_out = g_steal_pointer (&names);
  *sql_out = g_steal_pointer (&sql);
  return TRUE;
}

static gboolean
table_exists (PGconn *conn, gboolean *exists, GError **error)
{
  g_autofree char *v
      = db_scalar (conn, "SELECT to_regclass('schema_migrations') IS NOT NULL", DB_NO_ARGS, error);
  *exists = v != NULL && strcmp (v, "t") == 0;
  return v != NULL;
}

/* Creates schema_migrations when missing; the check comes first because the
 * working role may read the table but not create anything. */
static gboolean
ensure_table (PGconn *conn, GError **error)
{
  gboolean exists = FALSE;
  if (!table_exists (conn, &exists, error))
    return FALSE;
  return exists
         || db_run (conn,
                    "CREATE TABLE schema_migrations ("
                    " version integer PRIMARY KEY,"
                    " name text NOT NULL,"
                    " checksum text NOT NULL,"
                    " applied_at timestamptz NOT NULL DEFAULT now())",
                    DB_NO_ARGS, error);
}

/* A pending migration needs the right to change the schema: say so plainly
 * rather than with the first statement's "permission denied". */
static gboolean
check_may_migrate (PGconn *conn, const char *name, GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT has_schema_privilege(current_schema(), 'CREATE'), current_user, "
                 "current_schema()",
                 DB_NO_ARGS, error);
  if (res == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (res, 0, 0), "t") == 0)
    return TRUE;
  g_set_error (
      error, DB_ERROR, db_sqlstate_code ("42501"),
      _ ("migration %s is pending, but role %s may not change schema %s; run `spotcheck db "
         "migrate` connected as the schema's owner (e.g. --db \"... user=OWNER\")"),
      name, PQgetvalue (res, 0, 1), PQgetvalue (res, 0, 2));
  return FALSE;
}

/* Builds the status list while holding the caller's lock (or none). */
static GPtrArray *
status_locked (PGconn *conn, GPtrArray *names, GPtrArray *sql, GError **error)
{
  gboolean exists = FALSE;
  if (!table_exists (conn, &exists, error))
    return NULL;
  /* No table yet: everything is pending (reading status creates nothing). */
  g_autoptr (PGresult) res
      = db_exec (conn,
                 exists ? "SELECT version, checksum, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS') "
                          "FROM schema_migrations ORDER BY version"
                        : "SELECT NULL, NULL, NULL WHERE false",
                 DB_NO_ARGS, error);
  if (res == NULL)
    return NULL;
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)db_migration_free);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      DbMigration *m = g_new0 (DbMigration, 1);
      m->version = atoi (name);
      m->name = g_strdup (name);
      m->checksum
          = g_compute_checksum_for_string (G_CHECKSUM_SHA256, g_ptr_array_index (sql, i), -1);
      g_ptr_array_add (out, m);
      for (int r = 0; r < PQntuples (res); r++)
        {
          if (atoi (PQgetvalue (res, r, 0)) != m->version)
            continue;
          if (strcmp (PQgetvalue (res, r, 1), m->checksum) != 0)
            {
              g_set_error (
                  error, DB_ERROR, db_sqlstate_code ("XX000"),
                  _ ("migration %s was applied with different text than this binary "
                     "carries; applied migrations must never change: add a new one instead"),
                  name);
              return NULL;
            }
          m->applied_at = g_strdup (PQgetvalue (res, r, 2));
        }
    }
  return g_steal_pointer (&out);
}

GPtrArray *
db_migrate_status (PGconn *conn, GError **error)
{
  g_autoptr (GPtrArray) names = NULL, sql = NULL;
  if (!embedded (&names, &sql, error))
    return NULL;
  return status_locked (conn, names, sql, error);
}

gboolean
db_migrate (PGconn *conn, int *applied, GError **error)
{
  g_autoptr (GPtrArray) names = NULL, sql = NULL;
  int count = 0;
  if (!embedded (&names, &sql, error))
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      /* One transaction per migration; the lock makes concurrent runs wait and
       * then find the migration applied. */
      g_autoptr (DbTransaction) tx = db_transaction_begin (conn, error);
      if (tx == NULL
          || !db_run (conn, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")", DB_NO_ARGS, error))
        return FALSE;
      g_autoptr (GPtrArray) status = status_locked (conn, names, sql, error);
      if (status == NULL)
        return FALSE;
      DbMigration *m = g_ptr_array_index (status, i);
      if (m->applied_at != NULL)
        continue;
      if (!check_may_migrate (conn, m->name, error) || !ensure_table (conn, error))
        return FALSE;
      if (!db_run_script (conn, g_ptr_array_index (sql, i), error))
        {
          g_prefix_error (error, _ ("migration %s failed, nothing of it was applied: "), m->name);
          return FALSE;
        }
      g_autofree char *version = g_strdup_printf ("%d", m->version);
      if (!db_run (conn,
                   "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                   DB_ARGS (version, m->name, m->checksum), error)
          || !db_transaction_commit (tx, error))
        return FALSE;
      count++;
    }
  if (applied)
    *applied = count;
  return db_migrate_check_working_role (conn, error);
}

gboolean
db_migrate_check_working_role (PGconn *conn, GError **error)
{
  /* Every table is read and added to by the application; schema_migrations
   * is only read. */
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT r.rolsuper, "
      " (SELECT string_agg(format('%s on %I', p.priv, c.relname), ', ' "
      "   ORDER BY c.relname, p.priv) "
      "  FROM pg_class c CROSS JOIN (VALUES ('SELECT'), ('INSERT')) AS p(priv) "
      "  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') "
      "  AND NOT (c.relname = 'schema_migrations' AND p.priv = 'INSERT') "
      "  AND NOT has_table_privilege(r.oid, c.oid, p.priv)), "
      " (SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c "
      "  WHERE c.relowner = r.oid AND c.relnamespace = current_schema()::regnamespace) "
      "FROM pg_roles r WHERE r.rolname = $1",
      DB_ARGS (DB_WORKING_ROLE), error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (
          error, DB_ERROR, db_sqlstate_code ("42704"),
          _ ("the working role %s does not exist; run `spotcheck db migrate` connected as "
             "the schema's owner, or as a superuser CREATE ROLE %s LOGIN and migrate again"),
          DB_WORKING_ROLE, DB_WORKING_ROLE);
      return FALSE;
    }
  if (strcmp (PQgetvalue (res, 0, 0), "t") == 0 || !PQgetisnull (res, 0, 2))
    {
      g_set_error (error, DB_ERROR, db_sqlstate_code ("42501"),
                   _ ("the working role %s %s, which would let the application rewrite the "
                      "record; as a superuser run ALTER ROLE %s NOSUPERUSER and give those tables "
                      "back to the schema's owner (ALTER TABLE ... OWNER TO ...)"),
                   DB_WORKING_ROLE,
                   strcmp (PQgetvalue (res, 0, 0), "t") == 0 ? _ ("is a superuser")
                                                             : _ ("owns tables"),
                   DB_WORKING_ROLE);
      if (!PQgetisnull (res, 0, 2))
        g_prefix_error (error, "%s: ", PQgetvalue (res, 0, 2));
      return FALSE;
    }
  if (!PQgetisnull (res, 0, 1))
    {
      g_set_error (error, DB_ERROR, db_sqlstate_code ("42501"),
                   _ ("the working role %s lacks %s; run `spotcheck db migrate` connected as the "
                      "schema's owner, or GRANT those to %s"),
                   DB_WORKING_ROLE, PQgetvalue (res, 0, 1), DB_WORKING_ROLE);
      return FALSE;
    }
  return TRUE;
}

/* Bumped when the sync writes something new, so that every district syncs
 * again once. */
#define CATALOG_SYNC_FORMAT "catalog-sync 1"

/* One line per row the sync writes, fields escaped as COPY text so that no
 * name can run into the next field. */
static void
catalog_line (GString *text, const char *kind, const char *const *fields, guint n)
{
  db_copy_field (text, kind, '\t');
  for (guint i = 0; i < n; i++)
    db_copy_field (text, fields[i], i + 1 < n ? '\t' : '\n');
}

char *
db_catalog_digest (const CoreCatalog *catalog)
{
  g_autoptr (GString) text = g_string_new (CATALOG_SYNC_FORMAT "\n");
  catalog_line (text, "district", (const char *[]){ catalog->district, catalog->zh, catalog->en },
                3);
  for (guint i = 0; i < catalog->categories->len; i++)
    {
      const CoreCategory *c = g_ptr_array_index (catalog->categories, i);
      catalog_line (text, "category", (const char *[]){ c->code, c->zh, c->en }, 3);
    }
  for (guint i = 0; i < catalog->streets->len; i++)
    {
      const CoreStreet *s = g_ptr_array_index (catalog->streets, i);
      catalog_line (text, "street", (const char *[]){ s->code, s->zh, s->en }, 3);
    }
  for (guint i = 0; i < catalog->offices->len; i++)
    {
      const CoreOffice *o = g_ptr_array_index (catalog->offices, i);
      catalog_line (text, "office", (const char *[]){ o->code, o->zh, o->en }, 3);
      for (char **s = o->streets; *s != NULL; s++)
        catalog_line (text, "covers", (const char *[]){ o->code, *s }, 2);
    }
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, (gssize)text->len);
}

/* The upserts, in the caller's transaction. */
static gboolean
sync_rows (PGconn *conn, const CoreCatalog *catalog, GError **error)
{
  const char *d = catalog->district;
  if (!db_run (conn,
               "INSERT INTO district (district, name_zh, name_en) VALUES ($1, $2, $3) "
               "ON CONFLICT (district) DO UPDATE SET name_zh = EXCLUDED.name_zh, "
               "name_en = EXCLUDED.name_en",
               DB_ARGS (d, catalog->zh, catalog->en), error))
    return FALSE;
  for (guint i = 0; i < catalog->categories->len; i++)
    {
      const CoreCategory *c = g_ptr_array_index (catalog->categories, i);
      if (!db_run (conn,
                   "INSERT INTO category (code, name_zh, name_en) VALUES ($1, $2, $3) "
                   "ON CONFLICT (code) DO UPDATE SET name_zh = EXCLUDED.name_zh, "
                   "name_en = EXCLUDED.name_en",
                   DB_ARGS (c->code, c->zh, c->en), error))
        return FALSE;
    }
  for (guint i = 0; i < catalog->streets->len; i++)
    {
      const CoreStreet *s = g_ptr_array_index (catalog->streets, i);
      if (!db_run (conn,
                   "INSERT INTO street (district, code, name_zh, name_en) VALUES ($1, $2, $3, $4) "
                   "ON CONFLICT (district, code) DO UPDATE SET name_zh = EXCLUDED.name_zh, "
                   "name_en = EXCLUDED.name_en",
                   DB_ARGS (d, s->code, s->zh, s->en), error))
        return FALSE;
    }
  for (guint i = 0; i < catalog->offices->len; i++)
    {
      const CoreOffice *o = g_ptr_array_index (catalog->offices, i);
      if (!db_run (conn,
                   "INSERT INTO office (district, code, name_zh, name_en) VALUES ($1, $2, $3, $4) "
                   "ON CONFLICT (district, code) DO UPDATE SET name_zh = EXCLUDED.name_zh, "
                   "name_en = EXCLUDED.name_en",
                   DB_ARGS (d, o->code, o->zh, o->en), error))
        return FALSE;
      for (char **s = o->streets; *s != NULL; s++)
        if (!db_run (conn, "UPDATE street SET office = $3 WHERE district = $1 AND code = $2",
                     DB_ARGS (d, *s, o->code), error))
          return FALSE;
    }
  return TRUE;
}

gboolean
db_sync_catalog (PGconn *conn, const CoreCatalog *catalog, GError **error)
{
  g_autofree char *digest = db_catalog_digest (catalog);
  g_autoptr (DbTransaction) tx = db_transaction_begin (conn, error);
  return tx != NULL && db_advisory_xact_lock (conn, "catalog", catalog->district, error)
         && sync_rows (conn, catalog, error)
         && db_run (conn,
                    "INSERT INTO catalog_sync (district, digest) VALUES ($1, $2) "
                    "ON CONFLICT (district) DO UPDATE SET digest = EXCLUDED.digest, "
                    "synced_at = now()",
                    DB_ARGS (catalog->district, digest), error)
         && db_transaction_commit (tx, error);
}

gboolean
db_sync_catalog_if_changed (PGconn *conn, const CoreCatalog *catalog, gboolean *synced,
                            GError **error)
{
  g_autofree char *digest = db_catalog_digest (catalog);
  g_autoptr (PGresult) res = db_exec (conn, "SELECT digest FROM catalog_sync WHERE district = $1",
                                      DB_ARGS (catalog->district), error);
  if (res == NULL)
    return FALSE;
  gboolean same = PQntuples (res) == 1 && strcmp (PQgetvalue (res, 0, 0), digest) == 0;
  if (synced)
    *synced = !same;
  /* Two processes seeing a change both sync; the upserts and the lock make
   * that harmless. */
  return same || db_sync_catalog (conn, catalog, error);
}

char *
db_server_version (PGconn *conn)
{
  int v = PQserverVersion (conn);
  return g_strdup_printf ("%d.%d", v / 10000, v % 10000);
}
