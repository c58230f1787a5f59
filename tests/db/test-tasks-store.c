/* test-tasks-store.c: a whole month drawn for the demo district against
 * PostgreSQL from an approved plan; verification, --replace, and the rules
 * for recording samples. */
#include "tests/support/test-pg.h"

#include "db/db-plan.h"
#include "db/db-registry.h"
#include "db/db-samples.h"
#include "db/db-tasks.h"
#include "scheduler/sched-demo.h"
#include "scheduler/sched-draw-parse.h"

#include <check.h>
#include <string.h>

typedef struct
{
  TestDb *db;
  CoreConfig *config;
  CoreCatalog *catalog;
  CoreCalendar *calendar;
  DbDrawContext dc;
} Fixture;

static void
import_rows (Fixture *f, DbRegistryKind kind, GPtrArray *rows)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreProblems) problems = core_problems_new ("demo");
  DbImportCounts c;
  g_autoptr (DbTransaction) tx = db_transaction_begin (f->db->conn, &error);
  ck_assert_msg (
      db_registry_import (f->db->conn, "120104", kind, NULL, rows, problems, "tester", &c, &error)
          && db_transaction_commit (tx, &error),
      "%s", error ? error->message : "");
}

/* The demo district's directories, imported through the CSV files. */
static void
load_demo (Fixture *f, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-tasks-XXXXXX", &error);
  g_autoptr (SchedDemo) demo = sched_demo_generate (f->catalog, 11, n, 4, &error);
  ck_assert (demo != NULL && sched_demo_write_csv (demo, dir, &error));
  const char *files[]
      = { SCHED_DEMO_BUSINESSES_FILE, SCHED_DEMO_INSPECTORS_FILE, SCHED_DEMO_LABS_FILE };
  for (int k = 0; k < 3; k++)
    {
      g_autofree char *path = g_build_filename (dir, files[k], NULL);
      g_autoptr (CoreProblems) problems = core_problems_new (path);
      g_autoptr (GPtrArray) rows
          = k == 0   ? intake_businesses_read_file (path, NULL, INTAKE_FORMAT_CSV, f->catalog,
                                                    problems, &error)
            : k == 1 ? intake_inspectors_read_file (path, NULL, INTAKE_FORMAT_CSV, f->catalog,
                                                    problems, &error)
                     : intake_labs_read_file (path, NULL, INTAKE_FORMAT_CSV, f->catalog, problems,
                                              &error);
      ck_assert (rows != NULL && core_problems_count (problems) == 0);
      import_rows (f, (DbRegistryKind)k, rows);
    }
}

/* The 2024 plan from the built-in config with the registry's grade counts, approved. */
static void
approve_plan (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *counts_text = NULL;
  g_autoptr (SchedGradeCounts) counts
      = db_plan_registry_counts (f->db->conn, "120104", &counts_text, &error);
  ck_assert (counts != NULL);
  /* Categories the demo district has no business for get no batches. */
  g_autoptr (GString) overlay = g_string_new (NULL);
  for (guint i = 0; i < f->catalog->categories->len; i++)
    {
      const CoreCategory *c = g_ptr_array_index (f->catalog->categories, i);
      g_autofree char *key = g_strdup_printf ("%s:", c->code);
      if (strstr (counts_text, key) == NULL)
        g_string_append_printf (overlay, "[plan 2024 category %s]\nweight=0\nminimum=0\n", c->code);
    }
  if (overlay->len > 0)
    ck_assert (core_config_add_data (f->config, overlay->str, "test overlay", &error));
  g_autoptr (SchedPlan) plan = sched_plan_build_from_config (f->config, 2024, 0, counts, &error);
  ck_assert_msg (plan != NULL, "%s", error ? error->message : "");
  int version = 0;
  ck_assert (db_plan_insert (f->db->conn, "120104", plan, "[plan 2024]\n", counts_text, 0, "tester",
                             &version, &error));
  ck_assert (db_plan_approve (f->db->conn, "120104", 2024, version, FALSE, "tester", &error));
}

static void
fixture_init (Fixture *f, gboolean with_plan)
{
  g_autoptr (GError) error = NULL;
  f->db = test_db_new ();
  f->config = core_config_new_builtin (&error);
  f->catalog = core_catalog_load (f->config, &error);
  f->calendar = core_calendar_new (f->config, &error);
  ck_assert (f->catalog != NULL && f->calendar != NULL);
  f->dc.catalog = f->catalog;
  f->dc.config = f->config;
  f->dc.calendar = f->calendar;
  ck_assert (core_date_parse ("2024-03-01", &f->dc.draw_date));
  f->dc.actor = "tester";
  load_demo (f, 3000);
  if (with_plan)
    approve_plan (f);
}

static void
fixture_clear (Fixture *f)
{
  test_db_free (f->db);
  core_calendar_free (f->calendar);
  core_catalog_free (f->catalog);
  core_config_free (f->config);
}

static char *
scalar (Fixture *f, const char *sql)
{
  g_autoptr (GError) error = NULL;
  char *v = db_scalar (f->db->conn, sql, DB_NO_ARGS, &error);
  ck_assert_msg (v != NULL, "%s: %s", sql, error ? error->message : "");
  return v;
}

static DbDrawInfo *
generate (Fixture *f, int month, guint64 seed, gboolean replace)
{
  g_autoptr (GError) error = NULL;
  DbDrawInfo *info = NULL;
  ck_assert_msg (
      db_tasks_generate (f->db->conn, &f->dc, 2024, month, seed, replace, &info, NULL, &error),
      "%s", error ? error->message : "");
  return info;
}

START_TEST (test_whole_month_drawn_and_verified)
{
  Fixture f = { 0 };
  fixture_init (&f, TRUE);
  g_autoptr (DbDrawInfo) info = generate (&f, 3, 20240301, FALSE);
  /* every batch of the plan's month is a task or a reported shortfall */
  g_autofree char *planned = scalar (
      &f, "SELECT sum(quota) FROM plan_cell WHERE year = 2024 AND month = 3 AND version = 1");
  ck_assert_int_eq (info->tasks + info->shortfall, (int)g_ascii_strtoll (planned, NULL, 10));
  ck_assert_int_gt (info->tasks, 400);
  g_autofree char *stored = scalar (&f, "SELECT count(*) FROM task WHERE month = 3");
  ck_assert_int_eq ((int)g_ascii_strtoll (stored, NULL, 10), info->tasks);
  /* inspectors belong to the office covering the street, never conflicted */
  g_autofree char *wrong_office = scalar (
      &f, "SELECT count(*) FROM task t JOIN street s ON s.district = t.district AND s.code = "
          "t.street JOIN inspector i ON i.district = t.district AND i.id IN (t.inspector1, "
          "t.inspector2) WHERE s.office <> t.office OR i.office <> t.office");
  ck_assert_str_eq (wrong_office, "0");
  g_autofree char *conflicted = scalar (
      &f, "SELECT count(*) FROM task t JOIN inspector_conflict c ON c.district = t.district AND "
          "c.uscc = t.uscc AND c.inspector IN (t.inspector1, t.inspector2)");
  ck_assert_str_eq (conflicted, "0");
  /* lab capacity held; businesses match the cell */
  g_autofree char *over = scalar (
      &f, "SELECT count(*) FROM (SELECT t.lab, count(*) n FROM task t GROUP BY t.lab) x JOIN lab "
          "l ON l.code = x.lab WHERE x.n > l.capacity");
  ck_assert_str_eq (over, "0");
  g_autofree char *mismatched = scalar (
      &f, "SELECT count(*) FROM task t JOIN business b USING (district, uscc) WHERE b.grade <> "
          "t.grade OR NOT b.active OR NOT EXISTS (SELECT 1 FROM business_category c WHERE "
          "c.district = t.district AND c.uscc = t.uscc AND c.category = t.category)");
  ck_assert_str_eq (mismatched, "0");
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDrawInfo) checked = NULL;
  ck_assert_msg (db_tasks_verify (f.db->conn, "120104", f.calendar, 2024, 3, 0, &checked, &error),
                 "%s", error ? error->message : "");
  ck_assert_str_eq (checked->output_digest, info->output_digest);
  /* a tampered task no longer verifies, and the message says where */
  g_autofree char *swapped = scalar (
      &f, "WITH x AS (UPDATE task SET inspector1 = inspector2, inspector2 = inspector1 WHERE "
          "serial = 5 AND month = 3 RETURNING 1) SELECT count(*) FROM x");
  ck_assert_str_eq (swapped, "1");
  ck_assert (!db_tasks_verify (f.db->conn, "120104", f.calendar, 2024, 3, 0, NULL, &error));
  ck_assert (g_error_matches (error, DB_TASKS_ERROR, DB_TASKS_ERROR_MISMATCH));
  ck_assert_msg (strstr (error->message, "line 10") != NULL, "%s", error->message);
  g_clear_error (&error);
  /* so does a changed input text, whatever the rows say */
  g_autofree char *edited
      = scalar (&f, "WITH x AS (UPDATE draw SET input_text = replace (input_text, E'\\tLAB01\\t', "
                    "E'\\tLAB01\\t1') RETURNING 1) SELECT count(*) FROM x");
  ck_assert_str_eq (edited, "1");
  ck_assert (!db_tasks_verify (f.db->conn, "120104", f.calendar, 2024, 3, 0, NULL, &error));
  ck_assert_msg (strstr (error->message, "SHA-256") != NULL, "%s", error->message);
  g_clear_error (&error);
  /* the next month does not redraw March's businesses while others remain:
   * the draw input carries their last-drawn keys */
  int pv = 0;
  g_autoptr (SchedDrawInput) april
      = db_tasks_load_input (f.db->conn, &f.dc, 2024, 4, 1, &pv, &error);
  ck_assert (april != NULL);
  guint marked = 0;
  for (guint i = 0; i < april->businesses->len; i++)
    marked += ((SchedDrawBusiness *)g_ptr_array_index (april->businesses, i))->last_drawn > 0;
  g_autofree char *distinct = scalar (&f, "SELECT count(DISTINCT uscc) FROM task");
  ck_assert_uint_eq (marked, (guint)g_ascii_strtoll (distinct, NULL, 10));
  fixture_clear (&f);
}
END_TEST

START_TEST (test_no_approved_plan_names_the_fix)
{
  Fixture f = { 0 };
  fixture_init (&f, FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDrawInfo) info = NULL;
  ck_assert (!db_tasks_generate (f.db->conn, &f.dc, 2024, 3, 1, FALSE, &info, NULL, &error));
  ck_assert (g_error_matches (error, DB_TASKS_ERROR, DB_TASKS_ERROR_NO_PLAN));
  ck_assert_msg (strstr (error->message, "plan approve") != NULL, "%s", error->message);
  g_autofree char *draws = scalar (&f, "SELECT count(*) FROM draw");
  ck_assert_str_eq (draws, "0");
  fixture_clear (&f);
}
END_TEST

START_TEST (test_input_text_reads_back_exactly)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  g_autoptr (CoreCatalog) catalog = core_catalog_load (config, &error);
  g_autoptr (CoreCalendar) calendar = core_calendar_new (config, &error);
  g_autoptr (SchedDemo) demo = sched_demo_generate (catalog, 3, 500, 4, &error);
  g_autoptr (SchedDrawInput) in = sched_demo_draw_input (demo, catalog, 2024, 6, 77);
  sched_demo_add_cells (in, 460);
  in->due_kind = SCHED_DUE_WORKING_DAYS;
  in->due_working_days = 5;
  in->calendar = calendar;
  ck_assert (core_date_parse ("2024-06-03", &in->draw_date));
  g_autofree char *text = sched_draw_input_serialize (in, &error);
  ck_assert (text != NULL);
  g_autoptr (SchedDrawInput) back = sched_draw_input_parse (text, 77, calendar, &error);
  ck_assert_msg (back != NULL, "%s", error ? error->message : "");
  g_autofree char *again = sched_draw_input_serialize (back, &error);
  ck_assert_str_eq (again, text);
  g_autoptr (SchedDraw) a = sched_draw_run (in, &error);
  g_autoptr (SchedDraw) b = sched_draw_run (back, &error);
  g_autofree char *ta = sched_draw_serialize (a), *tb = sched_draw_serialize (b);
  ck_assert_str_eq (ta, tb);
  /* a malformed line is named, never skipped */
  g_autofree char *bad = g_strconcat (text, "business\tX\n", NULL);
  g_autoptr (SchedDrawInput) none = sched_draw_input_parse (bad, 77, calendar, &error);
  ck_assert_ptr_null (none);
  ck_assert (g_error_matches (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_INVALID));
  guint lines = 0;
  for (const char *p = text; *p; p++)
    lines += *p == '\n';
  g_autofree char *where = g_strdup_printf ("line %u: a business line", lines + 1);
  ck_assert_msg (strstr (error->message, where) != NULL, "%s", error->message);
  g_clear_error (&error);
  g_autofree char *cut = g_strndup (text, strlen (text) - 1);
  ck_assert_ptr_null (sched_draw_input_parse (cut, 77, calendar, &error));
}
END_TEST

static gboolean
record (Fixture *f, const char *const *records, CoreProblems *problems, guint *n, GError **error)
{
  g_autoptr (GPtrArray) samples
      = g_ptr_array_new_with_free_func ((GDestroyNotify)intake_sample_free);
  for (guint i = 0; records[i]; i++)
    {
      IntakeSample *s = intake_sample_new (records[i], "酱油", "20240301", "2024-03-01", "500mL/瓶",
                                           "4瓶", "2024-03-12", "某酿造厂");
      s->line = i + 2;
      g_ptr_array_add (samples, s);
    }
  /* The store runs in its caller's transaction, as the service opens it. */
  g_autoptr (DbTransaction) tx = db_transaction_begin (f->db->conn, error);
  return tx != NULL
         && db_samples_record (f->db->conn, "120104", samples, NULL, problems, "抽样单编号", NULL,
                               "tester", n, error)
         && db_transaction_commit (tx, error);
}

START_TEST (test_replace_and_samples)
{
  Fixture f = { 0 };
  fixture_init (&f, TRUE);
  g_autoptr (DbDrawInfo) first = generate (&f, 3, 1, FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDrawInfo) again = NULL;
  ck_assert (!db_tasks_generate (f.db->conn, &f.dc, 2024, 3, 2, FALSE, &again, NULL, &error));
  ck_assert (g_error_matches (error, DB_TASKS_ERROR, DB_TASKS_ERROR_EXISTS));
  ck_assert (strstr (error->message, "--replace") != NULL);
  g_clear_error (&error);

  g_autoptr (DbDrawInfo) second = generate (&f, 3, 2, TRUE);
  ck_assert_int_eq (second->draw_no, 2);
  ck_assert_int_eq (second->replaced, 1);
  g_autofree char *statuses
      = scalar (&f, "SELECT string_agg (draw_no || ':' || status, ',' ORDER BY draw_no) FROM draw");
  ck_assert_str_eq (statuses, "1:replaced,2:current");
  g_autofree char *live_old
      = scalar (&f, "SELECT count(*) FROM task WHERE draw_no = 1 AND status <> 'cancelled'");
  ck_assert_str_eq (live_old, "0");
  /* both draws stay verifiable */
  ck_assert (db_tasks_verify (f.db->conn, "120104", f.calendar, 2024, 3, 1, NULL, &error));
  ck_assert (db_tasks_verify (f.db->conn, "120104", f.calendar, 2024, 3, 0, NULL, &error));

  /* samples: two live tasks recorded; then every rule refuses, listing all */
  g_autofree char *r1 = scalar (&f, "SELECT record_no FROM task WHERE draw_no = 2 AND serial = 1");
  g_autofree char *r2 = scalar (&f, "SELECT record_no FROM task WHERE draw_no = 2 AND serial = 2");
  g_autofree char *r3 = scalar (&f, "SELECT record_no FROM task WHERE draw_no = 2 AND serial = 3");
  guint n = 0;
  g_autoptr (CoreProblems) ok = core_problems_new ("samples.csv");
  ck_assert_msg (record (&f, (const char *const[]){ r1, r2, NULL }, ok, &n, &error), "%s",
                 error ? error->message : "");
  ck_assert_uint_eq (n, 2);
  g_autofree char *sampled = scalar (&f, "SELECT count(*) FROM task WHERE status = 'sampled'");
  ck_assert_str_eq (sampled, "2");
  /* a cancelled task (its twin record number gone from the new draw) */
  g_autofree char *gone = scalar (
      &f, "WITH x AS (UPDATE task SET status = 'cancelled' WHERE draw_no = 2 AND serial = 3 "
          "RETURNING 1) SELECT count(*) FROM x");
  ck_assert_str_eq (gone, "1");
  g_autofree char *before = scalar (&f, "SELECT count(*) || '/' || (SELECT count(*) FROM "
                                        "task WHERE status = 'sampled') FROM sample");
  g_autoptr (CoreProblems) bad = core_problems_new ("samples.csv");
  ck_assert (
      !record (&f, (const char *const[]){ r1, "DC99120104039999999", r3, NULL }, bad, &n, &error));
  ck_assert (g_error_matches (error, CORE_PROBLEMS_ERROR, CORE_PROBLEMS_ERROR_REJECTED));
  g_clear_error (&error);
  ck_assert_uint_eq (core_problems_count (bad), 3);
  ck_assert (core_problems_contain (bad, "sampled already"));
  ck_assert (core_problems_contain (bad, "no task has this record number"));
  ck_assert (core_problems_contain (bad, "cancelled"));
  g_autofree char *after = scalar (&f, "SELECT count(*) || '/' || (SELECT count(*) FROM "
                                       "task WHERE status = 'sampled') FROM sample");
  ck_assert_str_eq (before, after);

  /* a month with sampled tasks cannot be redrawn, and nothing changes */
  g_autoptr (DbDrawInfo) third = NULL;
  ck_assert (!db_tasks_generate (f.db->conn, &f.dc, 2024, 3, 3, TRUE, &third, NULL, &error));
  ck_assert (g_error_matches (error, DB_TASKS_ERROR, DB_TASKS_ERROR_SAMPLED));
  ck_assert_msg (strstr (error->message, r1) != NULL, "%s", error->message);
  g_autofree char *still = scalar (&f, "SELECT string_agg (draw_no || ':' || status, ',' ORDER "
                                       "BY draw_no) FROM draw");
  ck_assert_str_eq (still, "1:replaced,2:current");
  fixture_clear (&f);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("tasks-store");
  TCase *tc = tcase_create ("tasks");
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_whole_month_drawn_and_verified);
  tcase_add_test (tc, test_no_approved_plan_names_the_fix);
  tcase_add_test (tc, test_replace_and_samples);
  tcase_add_test (tc, test_input_text_reads_back_exactly);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
