/* test-pg.h: a real PostgreSQL for the database tests.
 *
 * One throw-away cluster serves a whole `meson test` run: the pg-start test
 * (run first) creates it in a temporary directory with the project's own
 * embedded-cluster code, pg-stop (run last) removes it. Each test then gets a
 * fresh, migrated database of its own, dropped when the test ends. Running a
 * single database test alone starts the cluster on demand. */
#pragma once

#include "db/db-conn.h"

G_BEGIN_DECLS

typedef struct
{
  PGconn *conn;
  char *dbname;
  char *conninfo;       /* for spawning the spotcheck binary with --db */
  char *owner_conninfo; /* the schema's owner (the cluster's superuser) */
} TestDb;

/* Fresh database, migrated by its owner, with the built-in catalog synced;
 * conn and conninfo work as the working role, as the application does.
 * Aborts the test (g_error) when no cluster can be had. */
TestDb *test_db_new (void);
void test_db_free (TestDb *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestDb, test_db_free)

/* Fresh empty database, nothing applied, conn and conninfo as its owner
 * (for migration tests). */
TestDb *test_db_new_empty (void);

/* Start / stop the shared cluster (used by the pg-start / pg-stop tests). */
gboolean test_pg_start (GError **error);
gboolean test_pg_stop (GError **error);

G_END_DECLS
