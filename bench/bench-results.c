/* bench-results.c: importing a lab result file of 1,000,000 items (parse,
 * check, COPY into staging, set-based validation, insert, cases) against
 * `psql \copy` of the same result_item rows into the same table, with the
 * same indexes, in the same run on a throw-away cluster.
 *
 *   build/bench/bench-results [ITEMS]   (default 1000000, 10 items a report) */
#include "db/db-cluster.h"
#include "db/db-conn.h"
#include "db/db-migrate.h"
#include "db/db-results.h"
#include "service/svc-results.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#define ITEMS_PER_REPORT 10

static void
check (gboolean ok, GError *error)
{
  if (!ok)
    {
      fprintf (stderr, "bench-results: %s\n", error ? error->message : "failed");
      exit (1);
    }
}

static double
seconds_since (gint64 t0)
{
  return (double)(g_get_monotonic_time () - t0) / 1e6;
}

static void
sql (PGconn *conn, const char *text)
{
  GError *error = NULL;
  check (db_run_script (conn, text, &error), error);
}

/* One business, two inspectors, one lab, a draw and @n sampled tasks. */
static void
fixture (PGconn *conn, int n)
{
  sql (conn,
       "INSERT INTO business (district, uscc, name, stage, street, grade) VALUES "
       "('120104', '91350100M000100Y43', '南开示范餐饮有限公司', 'catering', '120104001', 'B');"
       "INSERT INTO inspector (district, id, name, office) VALUES "
       "('120104', 'I1', '张一', '12010401'), ('120104', 'I2', '李二', '12010401');"
       "INSERT INTO lab (district, code, name, capacity) VALUES ('120104', 'LAB1', 'lab', 100000);"
       "INSERT INTO plan (district, year, version, total, reserve, within_one, max_deviation, "
       "config_snapshot, digest, created_by) VALUES "
       "('120104', 2024, 1, 5520, 0, true, 0.5, '', 'x', 'bench');"
       "INSERT INTO draw (district, year, month, draw_no, plan_version, seed, algorithm, "
       "input_text, input_digest, output_digest, tasks, shortfall, created_by) VALUES "
       "('120104', 2024, 1, 1, 1, 1, 'bench', '', 'x', 'x', 0, 0, 'bench');");
  g_autofree char *tasks = g_strdup_printf (
      "INSERT INTO task (district, year, month, draw_no, serial, record_no, category, grade, uscc, "
      "street, office, inspector1, inspector2, lab, due_date, status) SELECT '120104', 2024, 1, 1, "
      "g, 'DC2412010' || lpad(g::text, 7, '0'), '24', 'B', '91350100M000100Y43', '120104001', "
      "'12010401', 'I1', 'I2', 'LAB1', '2024-01-31', 'sampled' FROM generate_series(1, %d) g;"
      "INSERT INTO sample (district, record_no, year, month, draw_no, serial, sample_name, "
      "quantity, sampling_date, recorded_by) SELECT '120104', 'DC2412010' || lpad(g::text, 7, "
      "'0'), 2024, 1, 1, g, 'sample', '2kg', '2024-01-15', 'bench' FROM generate_series(1, %d) g;"
      "ANALYZE;",
      n, n);
  sql (conn, tasks);
}

/* The result file: @reports reports of ten items each (numbers against a
 * maximum, not-detected against a detection limit, a sampling plan); one
 * report in fifty fails. */
static void
write_file (const char *path, int reports)
{
  FILE *f = fopen (path, "w");
  check (f != NULL, NULL);
  fputs ("抽样单编号,报告编号,检验项目,检验结果,单位,标准限值,检出限,单项判定,结论,检验日期\n", f);
  for (int r = 1; r <= reports; r++)
    {
      gboolean fails = r % 50 == 0;
      const char *conclusion = fails ? "不合格" : "合格";
      for (int i = 0; i < ITEMS_PER_REPORT; i++)
        {
          fprintf (f, "DC2412010%07d,BG2024-%07d,", r, r);
          if (i == 0)
            fprintf (f, "铅(以Pb计),%s,mg/kg,≤0.5,0.01,%s,", fails ? "0.92" : "0.12", conclusion);
          else if (i == 8)
            fputs ("镉(以Cd计),未检出,mg/kg,≤0.1,0.01,合格,", f);
          else if (i == 9)
            fputs ("菌落总数,\"10,20,<10,30,15\",CFU/g,\"n=5,c=2,m=100,M=1000\",,合格,", f);
          else
            fprintf (f, "项目%d,0.0%d%d,mg/kg,≤0.5,0.01,合格,", i, i, r % 10);
          fprintf (f, "%s,2024-02-05\n", conclusion);
        }
    }
  check (fclose (f) == 0, NULL);
}

/* Runs psql with one meta-command; returns its wall time. */
static double
psql (const DbCluster *cluster, const char *conninfo, const char *command)
{
  g_autofree char *bin = g_build_filename (db_cluster_bindir (cluster), "psql", NULL);
  const char *argv[]
      = { bin, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", command, NULL };
  GError *error = NULL;
  int status = 0;
  gint64 t0 = g_get_monotonic_time ();
  check (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                       &error),
         error);
  double s = seconds_since (t0);
  check (g_spawn_check_wait_status (status, &error), error);
  return s;
}

int
main (int argc, char **argv)
{
  int items = argc > 1 ? atoi (argv[1]) : 1000000;
  int reports = items / ITEMS_PER_REPORT;
  items = reports * ITEMS_PER_REPORT;
  GError *error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  check (config != NULL, error);
  g_autoptr (CoreCatalog) catalog = core_catalog_load (config, &error);
  g_autoptr (CoreCalendar) calendar = core_calendar_new (config, &error);
  g_autoptr (CasesDeadlines) deadlines = cases_deadlines_load (config, &error);
  check (catalog != NULL && calendar != NULL && deadlines != NULL, error);

  g_autofree char *tmp = g_dir_make_tmp ("spotcheck-bench-XXXXXX", &error);
  check (tmp != NULL, error);
  g_chmod (tmp, 0755); /* under root the cluster runs as postgres, which reads the dump */
  g_autofree char *data_dir = g_build_filename (tmp, "pg", NULL);
  DbClusterOptions options = {
    .data_dir = data_dir, .port = 5432, .run_as = (char *)"postgres", .timeout = 60, .fast = FALSE
  };
  g_autoptr (DbCluster) cluster = db_cluster_new (&options, &error);
  check (cluster != NULL && db_cluster_ensure (cluster, "bench", &error), error);
  g_autofree char *conninfo = db_cluster_conninfo (cluster, "bench");
  g_autoptr (PGconn) conn = db_connect (conninfo, &error);
  check (conn != NULL && db_migrate (conn, NULL, &error) && db_sync_catalog (conn, catalog, &error),
         error);
  fixture (conn, reports);

  g_autofree char *file = g_build_filename (tmp, "results.csv", NULL);
  write_file (file, reports);

  /* The parser alone, for the split of the import's time. */
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (CoreProblems) problems = core_problems_new (file);
  IntakeResultFile *parsed
      = intake_results_read_file (file, NULL, INTAKE_FORMAT_AUTO, problems, &error);
  check (parsed != NULL && core_problems_count (problems) == 0, error);
  double parse_s = seconds_since (t0);
  intake_result_file_free (parsed);

  /* CHECKPOINT needs the owner (the cluster's superuser). */
  g_autofree char *owner_info = db_cluster_owner_conninfo (cluster, "bench");
  g_autoptr (PGconn) owner = db_connect (owner_info, &error);
  check (owner != NULL, error);
  sql (owner, "CHECKPOINT");
  SvcContext svc = { .conn = conn,
                     .config = config,
                     .catalog = catalog,
                     .calendar = calendar,
                     .deadlines = deadlines,
                     .actor = "bench",
                     .role = SVC_ROLE_COORDINATOR };
  g_date_clear (&svc.today, 1);
  g_date_set_dmy (&svc.today, 8, 2, 2024);
  SvcResultsOptions opts = { .lab = "LAB1" };
  g_auto (SvcResultsSummary) sum = { 0 };
  t0 = g_get_monotonic_time ();
  check (svc_results_import_file (&svc, file, NULL, &opts, &sum, &error), error);
  double import_s = seconds_since (t0);
  check (sum.reports_new == (guint)reports, NULL);

  /* The same rows through psql \copy into the same (emptied) table. */
  g_autofree char *dump = g_build_filename (tmp, "result_item.copy", NULL);
  g_autofree char *out = g_strdup_printf ("\\copy result_item TO '%s'", dump);
  psql (cluster, conninfo, out);
  /* Emptying the record is refused to everyone; the throw-away cluster's
   * owner lifts the guard for this one comparison. */
  sql (owner, "ALTER TABLE result_item DISABLE TRIGGER result_item_no_truncate; "
              "TRUNCATE result_item; "
              "ALTER TABLE result_item ENABLE TRIGGER result_item_no_truncate; CHECKPOINT");
  g_autofree char *in = g_strdup_printf ("\\copy result_item FROM '%s'", dump);
  double copy_s = psql (cluster, conninfo, in);
  g_autofree char *n = db_scalar (conn, "SELECT count(*) FROM result_item", DB_NO_ARGS, &error);
  check (n != NULL && atoi (n) == items, error);

  printf ("%d result items in %d reports, %u cases opened\n", items, reports, sum.cases_opened);
  printf ("spotcheck results import: %7.2f s  %9.0f items/s  (parse and check alone %.2f s)\n",
          import_s, items / import_s, parse_s);
  printf ("psql \\copy result_item:    %7.2f s  %9.0f items/s\n", copy_s, items / copy_s);
  printf ("import rate / \\copy rate: %.2f (goal >= 0.50); without the parser: %.2f\n",
          copy_s / import_s, copy_s / (import_s - parse_s));

  g_clear_pointer (&conn, PQfinish);
  g_clear_pointer (&owner, PQfinish);
  g_remove (dump);
  g_remove (file);
  check (db_cluster_destroy (cluster, &error), error);
  g_rmdir (tmp);
  return 0;
}
