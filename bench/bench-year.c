/* bench-year.c: a whole year of monthly draws for the demo district drawn and
 * stored in PostgreSQL (db_tasks_generate, month after month), against
 * baselines measured in the same run: the pure draws alone on the same
 * inputs, and a bare COPY of the same task rows into a table without checks.
 * Starts its own throw-away cluster in a temporary directory. */
#include "db/db-cluster.h"
#include "db/db-conn.h"
#include "db/db-migrate.h"
#include "db/db-plan.h"
#include "db/db-registry.h"
#include "db/db-tasks.h"
#include "scheduler/sched-demo.h"
#include "scheduler/sched-draw-parse.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#define BUSINESSES 3000
#define DISTRICT "120104"

static void
check (gboolean ok, GError *error)
{
  if (!ok)
    g_error ("%s", error ? error->message : "failed");
}

static double
seconds_since (gint64 t0)
{
  return (double)(g_get_monotonic_time () - t0) / 1e6;
}

/* Imports the demo directories through their CSV files; returns the seconds
 * the businesses file took (read, check and store). */
static double
load_demo (PGconn *conn, const CoreCatalog *catalog, const char *dir)
{
  GError *error = NULL;
  g_autoptr (SchedDemo) demo = sched_demo_generate (catalog, 1, BUSINESSES, 4, &error);
  check (demo != NULL && sched_demo_write_csv (demo, dir, &error), error);
  const char *files[]
      = { SCHED_DEMO_BUSINESSES_FILE, SCHED_DEMO_INSPECTORS_FILE, SCHED_DEMO_LABS_FILE };
  double business_seconds = 0;
  for (int k = 0; k < 3; k++)
    {
      g_autofree char *path = g_build_filename (dir, files[k], NULL);
      g_autoptr (CoreProblems) problems = core_problems_new (path);
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (GPtrArray) rows
          = k == 0 ? intake_businesses_read_file (path, NULL, INTAKE_FORMAT_CSV, catalog, problems,
                                                  &error)
            : k == 1
                ? intake_inspectors_read_file (path, NULL, INTAKE_FORMAT_CSV, catalog, problems,
                                               &error)
                : intake_labs_read_file (path, NULL, INTAKE_FORMAT_CSV, catalog, problems, &error);
      check (rows != NULL, error);
      DbImportCounts counts;
      g_autoptr (DbTransaction) tx = db_transaction_begin (conn, &error);
      check (tx != NULL
                 && db_registry_import (conn, DISTRICT, (DbRegistryKind)k, NULL, rows, problems,
                                        "bench", &counts, &error)
                 && db_transaction_commit (tx, &error),
             error);
      if (k == 0)
        business_seconds = seconds_since (t0);
    }
  return business_seconds;
}

/* The 2024 plan from the built-in config and the registry, approved;
 * categories the demo lacks get no batches. */
static void
approve_plan (PGconn *conn, CoreConfig *config, const CoreCatalog *catalog)
{
  GError *error = NULL;
  g_autofree char *counts_text = NULL;
  g_autoptr (SchedGradeCounts) counts
      = db_plan_registry_counts (conn, DISTRICT, &counts_text, &error);
  check (counts != NULL, error);
  g_autoptr (GString) overlay = g_string_new (NULL);
  for (guint i = 0; i < catalog->categories->len; i++)
    {
      const CoreCategory *c = g_ptr_array_index (catalog->categories, i);
      g_autofree char *key = g_strdup_printf ("%s:", c->code);
      if (strstr (counts_text, key) == NULL)
        g_string_append_printf (overlay, "[plan 2024 category %s]\nweight=0\nminimum=0\n", c->code);
    }
  check (overlay->len == 0 || core_config_add_data (config, overlay->str, "bench", &error), error);
  g_autoptr (SchedPlan) plan = sched_plan_build_from_config (config, 2024, 0, counts, &error);
  check (plan != NULL, error);
  int version = 0;
  check (db_plan_insert (conn, DISTRICT, plan, "", counts_text, 0, "bench", &version, &error),
         error);
  check (db_plan_approve (conn, DISTRICT, 2024, version, FALSE, "bench", &error), error);
}

/* Baseline 1: the twelve pure draws on exactly the stored inputs. */
static double
pure_draws (PGconn *conn, const CoreCalendar *calendar)
{
  GError *error = NULL;
  double total = 0;
  for (int m = 1; m <= 12; m++)
    {
      g_autofree char *month = g_strdup_printf ("%d", m);
      g_autoptr (PGresult) res
          = db_exec (conn,
                     "SELECT input_text, seed FROM draw WHERE year = 2024 AND month = $1::int "
                     "AND status = 'current'",
                     DB_ARGS (month), &error);
      check (res != NULL && PQntuples (res) == 1, error);
      g_autoptr (SchedDrawInput) in = sched_draw_input_parse (
          PQgetvalue (res, 0, 0), g_ascii_strtoull (PQgetvalue (res, 0, 1), NULL, 10), calendar,
          &error);
      check (in != NULL, error);
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (SchedDraw) draw = sched_draw_run (in, &error);
      g_autofree char *text = draw ? sched_draw_serialize (draw) : NULL;
      g_autofree char *digest
          = text ? g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1) : NULL;
      total += seconds_since (t0);
      check (draw != NULL, error);
    }
  return total;
}

/* Baseline 2: COPY of the same task rows into a table with no keys or checks. */
static double
bare_copy (PGconn *conn, int *rows)
{
  GError *error = NULL;
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT district, year, month, draw_no, serial, record_no, category, grade, uscc, street, "
      "office, inspector1, inspector2, lab, due_date, status FROM task ORDER BY month, serial",
      DB_NO_ARGS, &error);
  check (res != NULL, error);
  g_autoptr (GString) buf = g_string_new (NULL);
  for (int r = 0; r < PQntuples (res); r++)
    for (int c = 0; c < 16; c++)
      db_copy_field (buf, PQgetvalue (res, r, c), c < 15 ? '\t' : '\n');
  *rows = PQntuples (res);
  check (db_run (conn,
                 "CREATE TABLE task_copy AS SELECT district, year, month, draw_no, serial, "
                 "record_no, category, grade, uscc, street, office, inspector1, inspector2, lab, "
                 "due_date, status FROM task WITH NO DATA",
                 DB_NO_ARGS, &error),
         error);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (DbTransaction) tx = db_transaction_begin (conn, &error);
  check (tx != NULL && db_copy_begin (conn, "COPY task_copy FROM STDIN", &error)
             && db_copy_put (conn, buf->str, buf->len, &error) && db_copy_end (conn, NULL, &error)
             && db_transaction_commit (tx, &error),
         error);
  return seconds_since (t0);
}

int
main (void)
{
  GError *error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  check (config != NULL, error);
  g_autoptr (CoreCatalog) catalog = core_catalog_load (config, &error);
  g_autoptr (CoreCalendar) calendar = core_calendar_new (config, &error);
  check (catalog != NULL && calendar != NULL, error);

  g_autofree char *tmp = g_dir_make_tmp ("spotcheck-bench-XXXXXX", &error);
  check (tmp != NULL, error);
  g_chmod (tmp, 0755); /* under root the cluster runs as postgres */
  g_autofree char *data_dir = g_build_filename (tmp, "pg", NULL);
  DbClusterOptions options = {
    .data_dir = data_dir, .port = 5432, .run_as = (char *)"postgres", .timeout = 60, .fast = FALSE
  };
  g_autoptr (DbCluster) cluster = db_cluster_new (&options, &error);
  check (cluster != NULL && db_cluster_ensure (cluster, "bench", &error), error);
  g_autofree char *conninfo = db_cluster_conninfo (cluster, "bench");
  g_autoptr (PGconn) conn = db_connect (conninfo, &error);
  int applied = 0;
  check (conn != NULL && db_migrate (conn, &applied, &error)
             && db_sync_catalog (conn, catalog, &error),
         error);

  g_autofree char *csv_dir = g_build_filename (tmp, "demo", NULL);
  double import_s = load_demo (conn, catalog, csv_dir);
  approve_plan (conn, config, catalog);

  DbDrawContext dc
      = { .catalog = catalog, .config = config, .calendar = calendar, .actor = "bench" };
  g_date_clear (&dc.draw_date, 1);
  g_date_set_dmy (&dc.draw_date, 1, 1, 2024);
  int tasks = 0, shortfall = 0;
  gint64 t0 = g_get_monotonic_time ();
  for (int m = 1; m <= 12; m++)
    {
      g_autoptr (DbDrawInfo) info = NULL;
      check (db_tasks_generate (conn, &dc, 2024, m, (guint64)m, FALSE, &info, NULL, &error), error);
      tasks += info->tasks;
      shortfall += info->shortfall;
    }
  double stored_s = seconds_since (t0);
  t0 = g_get_monotonic_time ();
  for (int m = 1; m <= 12; m++)
    check (db_tasks_verify (conn, DISTRICT, calendar, 2024, m, 0, NULL, &error), error);
  double verify_s = seconds_since (t0);
  double pure_s = pure_draws (conn, calendar);
  int copied = 0;
  double copy_s = bare_copy (conn, &copied);

  printf ("demo district: %d businesses, %d tasks in 12 months, %d batches unfilled\n", BUSINESSES,
          tasks, shortfall);
  printf ("import %d businesses (read, check, stage, upsert): %.3f s\n", BUSINESSES, import_s);
  printf ("year drawn and stored (12 x tasks generate): %.3f s (%.1f ms a month)\n", stored_s,
          stored_s * 1000 / 12);
  printf ("baseline, pure draws on the same inputs:       %.3f s  ratio %.1f\n", pure_s,
          stored_s / pure_s);
  printf ("baseline, bare COPY of the %d task rows:     %.3f s  ratio %.1f\n", copied, copy_s,
          stored_s / copy_s);
  printf ("year verified (12 x tasks verify): %.3f s\n", verify_s);

  g_clear_pointer (&conn, PQfinish);
  check (db_cluster_destroy (cluster, &error), error);
  g_rmdir (csv_dir);
  return 0;
}
