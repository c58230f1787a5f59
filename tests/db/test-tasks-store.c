/* test-tasks-store.c: what db/ stores of a draw and reads back: a month
 * drawn by the scheduler on the input db/ loaded, stored, and read back row
 * for row; the list, the year's tasks, the reserve used, replacing; and the
 * input text reading back exactly. (Drawing through the service, with its
 * rules, is tests/service/test-svc-tasks.c.) */
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

/* The month's input as the service builds it, drawn by the scheduler. */
static SchedDraw *
draw_month (Fixture *f, int month, guint64 seed, int *version, char **input_text, char **digest)
{
  g_autoptr (GError) error = NULL;
  gint64 reserve = -1;
  ck_assert (db_tasks_plan (f->db->conn, "120104", 2024, version, &reserve, &error));
  ck_assert_int_eq (*version, 1);
  ck_assert_int_eq (reserve, 0);
  g_autoptr (SchedDrawInput) in = sched_draw_input_new (2024, (guint)month, "120104", seed);
  ck_assert (sched_draw_input_set_rules (in, f->config, &error));
  sched_draw_input_add_catalog_offices (in, f->catalog);
  ck_assert (db_tasks_add_cells (f->db->conn, "120104", 2024, *version, month, in, &error));
  ck_assert (db_tasks_add_directories (f->db->conn, "120104", 2024, month, in, &error));
  *input_text = sched_draw_input_serialize (in, &error);
  SchedDraw *draw = sched_draw_run (in, &error);
  ck_assert_msg (draw != NULL, "%s", error ? error->message : "");
  g_autofree char *out = sched_draw_serialize (draw);
  *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, out, -1);
  return draw;
}

static int
store (Fixture *f, int month, const SchedDraw *draw, int version, const char *input,
       const char *digest)
{
  g_autoptr (GError) error = NULL;
  DbDrawStore what = { .kind = DB_DRAW_ROUTINE,
                       .year = 2024,
                       .month = month,
                       .plan_version = version,
                       .input_text = input,
                       .draw = draw,
                       .output_digest = digest,
                       .actor = "tester" };
  int draw_no = 0;
  ck_assert_msg (db_tasks_store (f->db->conn, "120104", &what, &draw_no, &error), "%s",
                 error ? error->message : "");
  return draw_no;
}

START_TEST (test_stored_and_read_back)
{
  Fixture f = { 0 };
  fixture_init (&f, TRUE);
  g_autoptr (GError) error = NULL;
  int version = 0;
  g_autofree char *input = NULL, *digest = NULL;
  g_autoptr (SchedDraw) draw = draw_month (&f, 3, 11, &version, &input, &digest);
  ck_assert_int_gt (draw->tasks->len, 400);
  ck_assert_int_eq (store (&f, 3, draw, version, input, digest), 1);

  g_autoptr (DbDrawInfo) info = NULL;
  ck_assert (db_tasks_draw_get (f.db->conn, "120104", 2024, 3, 0, &info, &error) && info);
  ck_assert_int_eq (info->kind, DB_DRAW_ROUTINE);
  ck_assert_int_eq (info->tasks, (int)draw->tasks->len);
  ck_assert_str_eq (info->output_digest, digest);
  ck_assert_int_gt (info->seq, 0);
  g_autofree char *text = db_tasks_draw_input (f.db->conn, "120104", info, &error);
  ck_assert_str_eq (text, input);
  /* the rows read back serialise to exactly what the scheduler drew */
  g_autoptr (SchedDraw) rows = db_tasks_draw_rows (f.db->conn, "120104", info, &error);
  g_autofree char *a = sched_draw_serialize (draw), *b = sched_draw_serialize (rows);
  ck_assert_str_eq (a, b);

  /* the list: one row per task, keys as they always were */
  g_autoptr (CoreTable) list = db_tasks_list (f.db->conn, "120104", 2024, 3, NULL, NULL, &error);
  ck_assert_uint_eq (core_table_n_rows (list), draw->tasks->len);
  const char *keys[]
      = { "office", "office_name", "record_no",     "business", "uscc",       "address",
          "street", "category",    "category_name", "grade",    "inspector1", "inspector2",
          "lab",    "lab_name",    "due_date",      "status" };
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    ck_assert_str_eq (core_table_column (list, k)->key, keys[k]);

  /* the year's tasks, the reserve used, the next emergency serial */
  g_autoptr (GArray) year = db_tasks_year (f.db->conn, "120104", 2024, &error);
  ck_assert_uint_eq (year->len, draw->tasks->len);
  gint64 used = -1;
  ck_assert (db_tasks_reserve_used (f.db->conn, "120104", 2024, &used, &error));
  ck_assert_int_eq (used, 0);
  guint serial = 0;
  ck_assert (db_tasks_next_emergency_serial (f.db->conn, "120104", 2024, 3, &serial, &error));
  ck_assert_uint_eq (serial, SCHED_EMERGENCY_FIRST_SERIAL);

  /* replacing: the old draw kept on record, its tasks cancelled */
  g_autoptr (DbDrawInfo) cur = NULL;
  g_autofree char *first_sampled = NULL;
  int sampled = -1;
  ck_assert (
      db_tasks_current (f.db->conn, "120104", 2024, 3, &cur, &sampled, &first_sampled, &error));
  ck_assert (cur != NULL && cur->draw_no == 1 && sampled == 0 && first_sampled == NULL);
  ck_assert (db_tasks_retire (f.db->conn, "120104", 2024, 3, 1, &error));
  /* the next draw's input sees the retired tasks as never drawn: the same
   * seed gives the same list again */
  g_autofree char *input2 = NULL, *digest2 = NULL;
  g_autoptr (SchedDraw) second = draw_month (&f, 3, 11, &version, &input2, &digest2);
  ck_assert_str_eq (digest2, digest);
  ck_assert_int_eq (store (&f, 3, second, version, input2, digest2), 2);
  g_autofree char *statuses = scalar (&f, "SELECT string_agg (draw_no || ':' || status || ':' "
                                          "|| coalesce (replaced_by, 0), ',' ORDER BY draw_no) "
                                          "FROM draw");
  ck_assert_str_eq (statuses, "1:replaced:2,2:current:0");
  g_autofree char *live_old
      = scalar (&f, "SELECT count(*) FROM task WHERE draw_no = 1 AND status <> 'cancelled'");
  ck_assert_str_eq (live_old, "0");
  g_autoptr (GArray) again = db_tasks_year (f.db->conn, "120104", 2024, &error);
  guint live = 0;
  for (guint i = 0; i < again->len; i++)
    {
      const DbYearTask *t = &g_array_index (again, DbYearTask, i);
      live += t->live;
      if (t->draw_no == 1)
        ck_assert (!t->live && t->until > t->seq && t->until != G_MAXINT64);
    }
  ck_assert_uint_eq (live, second->tasks->len);
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

int
main (void)
{
  Suite *s = suite_create ("tasks-store");
  TCase *tc = tcase_create ("tasks");
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_stored_and_read_back);
  tcase_add_test (tc, test_input_text_reads_back_exactly);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
