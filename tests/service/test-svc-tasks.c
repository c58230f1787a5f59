/* test-svc-tasks.c: draws through the service against PostgreSQL: a whole
 * month drawn for the demo district from an approved plan, verification,
 * replacing a draw and the rules for recording samples; emergency draws from
 * the reserve; the no-repeat rule checked against the stored year; who may
 * draw and whose tasks each role sees. */
#include "tests/support/test-pg.h"

#include "db/db-plan.h"
#include "db/db-registry.h"
#include "db/db-samples.h"
#include "scheduler/sched-demo.h"
#include "service/svc-plan.h"
#include "service/svc-tasks.h"

#include <check.h>
#include <string.h>

typedef struct
{
  TestDb *db;
  CoreConfig *config;
  CoreCatalog *catalog;
  CoreCalendar *calendar;
  CasesDeadlines *deadlines;
  SvcContext svc;
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
  /* a small 应急 reserve, for the emergency draws */
  g_string_append (overlay, "[plan 2024]\nreserve_share=0.005\n");
  ck_assert (core_config_add_data (f->config, overlay->str, "test overlay", &error));
  g_autoptr (SchedPlan) plan = sched_plan_build_from_config (f->config, 2024, 0, counts, &error);
  ck_assert_msg (plan != NULL, "%s", error ? error->message : "");
  int version = 0;
  ck_assert (db_plan_insert (f->db->conn, "120104", plan, "[plan 2024]\n", counts_text, 0, "tester",
                             &version, &error));
  ck_assert (db_plan_approve (f->db->conn, "120104", 2024, version, FALSE, "tester", &error));
}

/* @businesses: the demo district's size; the role and emergency tests need
 * fewer than a whole month's draw does (and run under valgrind too). */
static void
fixture_init_sized (Fixture *f, gboolean with_plan, guint businesses)
{
  g_autoptr (GError) error = NULL;
  f->db = test_db_new ();
  f->config = core_config_new_builtin (&error);
  f->catalog = core_catalog_load (f->config, &error);
  f->calendar = core_calendar_new (f->config, &error);
  f->deadlines = cases_deadlines_load (f->config, &error);
  ck_assert (f->catalog != NULL && f->calendar != NULL && f->deadlines != NULL);
  f->svc = (SvcContext){ .conn = f->db->conn,
                         .config = f->config,
                         .catalog = f->catalog,
                         .calendar = f->calendar,
                         .deadlines = f->deadlines,
                         .actor = "tester",
                         .role = SVC_ROLE_COORDINATOR };
  ck_assert (core_date_parse ("2024-03-01", &f->svc.today));
  load_demo (f, businesses);
  if (with_plan)
    approve_plan (f);
}

static void
fixture_init (Fixture *f, gboolean with_plan)
{
  fixture_init_sized (f, with_plan, 3000);
}

static void
fixture_clear (Fixture *f)
{
  test_db_free (f->db);
  cases_deadlines_free (f->deadlines);
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
  ck_assert_msg (svc_tasks_draw (&f->svc, 2024, month, seed, replace, &info, NULL, &error), "%s",
                 error ? error->message : "");
  return info;
}

static gboolean
verify (Fixture *f, int month, int draw_no, GError **error)
{
  return svc_tasks_verify (&f->svc, 2024, month, draw_no, NULL, error);
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
  ck_assert_msg (svc_tasks_verify (&f.svc, 2024, 3, 0, &checked, &error), "%s",
                 error ? error->message : "");
  ck_assert_str_eq (checked->output_digest, info->output_digest);
  /* a tampered task no longer verifies, and the message says where */
  g_autofree char *swapped = scalar (
      &f, "WITH x AS (UPDATE task SET inspector1 = inspector2, inspector2 = inspector1 WHERE "
          "serial = 5 AND month = 3 RETURNING 1) SELECT count(*) FROM x");
  ck_assert_str_eq (swapped, "1");
  ck_assert (!verify (&f, 3, 0, &error));
  ck_assert (g_error_matches (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_MISMATCH));
  ck_assert_msg (strstr (error->message, "line 10") != NULL, "%s", error->message);
  g_clear_error (&error);
  /* so does a changed input text, whatever the rows say */
  g_autofree char *edited
      = scalar (&f, "WITH x AS (UPDATE draw SET input_text = replace (input_text, E'\\tLAB01\\t', "
                    "E'\\tLAB01\\t1') RETURNING 1) SELECT count(*) FROM x");
  ck_assert_str_eq (edited, "1");
  ck_assert (!verify (&f, 3, 0, &error));
  ck_assert_msg (strstr (error->message, "SHA-256") != NULL, "%s", error->message);
  g_clear_error (&error);
  /* the next month does not redraw March's businesses while others remain:
   * the draw input carries their last-drawn keys */
  g_autoptr (SchedDrawInput) april = sched_draw_input_new (2024, 4, "120104", 1);
  ck_assert (db_tasks_add_directories (f.db->conn, "120104", 2024, 4, april, &error));
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
  ck_assert (!svc_tasks_draw (&f.svc, 2024, 3, 1, FALSE, &info, NULL, &error));
  ck_assert (g_error_matches (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_NO_PLAN));
  ck_assert_msg (strstr (error->message, "no approved plan for 2024") != NULL, "%s",
                 error->message);
  g_autofree char *draws = scalar (&f, "SELECT count(*) FROM draw");
  ck_assert_str_eq (draws, "0");
  fixture_clear (&f);
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
  ck_assert (!svc_tasks_draw (&f.svc, 2024, 3, 2, FALSE, &again, NULL, &error));
  ck_assert (g_error_matches (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_DRAWN));
  /* the month in the message reads as it is written everywhere else */
  ck_assert_msg (strstr (error->message, "2024-03 is drawn already") != NULL, "%s", error->message);
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
  ck_assert_msg (verify (&f, 3, 1, &error), "%s", error ? error->message : "");
  ck_assert_msg (verify (&f, 3, 0, &error), "%s", error ? error->message : "");

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
  ck_assert (!svc_tasks_draw (&f.svc, 2024, 3, 3, TRUE, &third, NULL, &error));
  ck_assert (g_error_matches (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_SAMPLED));
  ck_assert_msg (strstr (error->message, r1) != NULL, "%s", error->message);
  g_autofree char *still = scalar (&f, "SELECT string_agg (draw_no || ':' || status, ',' ORDER "
                                       "BY draw_no) FROM draw");
  ck_assert_str_eq (still, "1:replaced,2:current");
  fixture_clear (&f);
}
END_TEST

/* A draw of the month, as another role would try it. */
static void
refused_for (Fixture *f, SvcRole role, const char *lab, const char *office)
{
  SvcContext as = f->svc;
  as.role = role;
  as.lab = lab;
  as.office = office;
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDrawInfo) info = NULL;
  ck_assert (!svc_tasks_draw (&as, 2024, 4, 1, FALSE, &info, NULL, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
  g_clear_error (&error);
  SvcEmergencyRequest req
      = { .year = 2024, .month = 4, .category = "31", .count = 1, .reason = "complaint" };
  ck_assert (!svc_tasks_emergency (&as, &req, &info, NULL, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
}

START_TEST (test_roles_and_scopes)
{
  Fixture f = { 0 };
  fixture_init_sized (&f, TRUE, 1000);
  /* a lab or an inspector may not draw, a coordinator can */
  refused_for (&f, SVC_ROLE_LAB, "LAB01", NULL);
  refused_for (&f, SVC_ROLE_INSPECTOR, NULL, "12010401");
  refused_for (&f, SVC_ROLE_ADMIN, NULL, NULL);
  g_autofree char *none = scalar (&f, "SELECT count(*) FROM draw");
  ck_assert_str_eq (none, "0");
  g_autoptr (DbDrawInfo) info = generate (&f, 3, 7, FALSE);
  ck_assert_int_gt (info->tasks, 0);

  /* an inspector sees its own office's list, and no other */
  g_autofree char *office = scalar (&f, "SELECT min (office) FROM task");
  g_autofree char *other = scalar (&f, "SELECT max (office) FROM task");
  ck_assert_str_ne (office, other);
  SvcContext insp = f.svc;
  insp.role = SVC_ROLE_INSPECTOR;
  insp.office = office;
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreDocument) own = svc_tasks_list (&insp, 2024, 3, NULL, SVC_TASKS_ONE_TABLE, &error);
  ck_assert_msg (own != NULL, "%s", error ? error->message : "");
  CoreTable *t = g_ptr_array_index (own->tables, 0);
  g_autofree char *n = db_scalar (f.db->conn, "SELECT count(*) FROM task WHERE office = $1",
                                  DB_ARGS (office), &error);
  ck_assert_msg (n != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (core_table_n_rows (t), (guint)g_ascii_strtoll (n, NULL, 10));
  for (guint r = 0; r < core_table_n_rows (t); r++)
    ck_assert_str_eq (core_table_get_by_key (t, r, "office"), office);
  CoreDocument *theirs = svc_tasks_list (&insp, 2024, 3, other, SVC_TASKS_ONE_TABLE, &error);
  ck_assert_ptr_null (theirs);
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_SCOPE));
  g_clear_error (&error);

  /* a lab sees the tasks sent to it */
  g_autofree char *lab = scalar (&f, "SELECT min (lab) FROM task");
  SvcContext as_lab = f.svc;
  as_lab.role = SVC_ROLE_LAB;
  as_lab.lab = lab;
  g_autoptr (CoreDocument) sent
      = svc_tasks_list (&as_lab, 2024, 3, NULL, SVC_TASKS_ONE_TABLE, &error);
  ck_assert (sent != NULL);
  t = g_ptr_array_index (sent->tables, 0);
  ck_assert_uint_gt (core_table_n_rows (t), 0);
  for (guint r = 0; r < core_table_n_rows (t); r++)
    ck_assert_str_eq (core_table_get_by_key (t, r, "lab"), lab);
  /* the printable layout: one titled table per office */
  g_autoptr (CoreDocument) printed
      = svc_tasks_list (&f.svc, 2024, 3, NULL, SVC_TASKS_PER_OFFICE, &error);
  ck_assert_uint_eq (printed->tables->len, f.catalog->offices->len);
  const CoreOffice *o = g_ptr_array_index (f.catalog->offices, 0);
  ck_assert_str_eq (core_table_sheet (g_ptr_array_index (printed->tables, 0)), o->zh);
  fixture_clear (&f);
}
END_TEST

static DbDrawInfo *
emergency (Fixture *f, const SvcEmergencyRequest *req, GError **error)
{
  DbDrawInfo *info = NULL;
  if (!svc_tasks_emergency (&f->svc, req, &info, NULL, error))
    return NULL;
  return info;
}

START_TEST (test_emergency_from_the_reserve)
{
  Fixture f = { 0 };
  fixture_init (&f, TRUE);
  g_autoptr (GError) error = NULL;
  gint64 reserve = 0, used = -1;
  ck_assert (svc_tasks_reserve (&f.svc, 2024, &reserve, &used, &error));
  ck_assert_int_gt (reserve, 10);
  ck_assert_int_eq (used, 0);
  g_autoptr (DbDrawInfo) month = generate (&f, 5, 3, FALSE);

  /* a draw from the reserve: tasks of the category, recorded like a draw */
  SvcEmergencyRequest req = { .year = 2024,
                              .month = 5,
                              .category = "31",
                              .count = 6,
                              .reason = "complaints about a catering chain",
                              .seed = 42 };
  g_autoptr (DbDrawInfo) e = emergency (&f, &req, &error);
  ck_assert_msg (e != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (e->kind, DB_DRAW_EMERGENCY);
  ck_assert_int_eq (e->tasks, 6);
  ck_assert_int_eq (e->draw_no, 2);
  ck_assert_str_eq (e->reason, "complaints about a catering chain");
  ck_assert_ptr_null (e->over_reserve_reason);
  ck_assert (svc_tasks_reserve (&f.svc, 2024, &reserve, &used, &error));
  ck_assert_int_eq (used, 6);
  /* plan show gives the reserve used and left */
  SvcPlanArgs show_args = { .year = 2024 };
  g_autoptr (SvcPlanView) view = svc_plan_show (&f.svc, &show_args, &error);
  ck_assert_msg (view != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (core_table_get_by_key (view->summary, 0, "reserve_used"), "6");
  g_autofree char *left = g_strdup_printf ("%" G_GINT64_FORMAT, reserve - 6);
  ck_assert_str_eq (core_table_get_by_key (view->summary, 0, "reserve_left"), left);
  g_autofree char *cats = scalar (&f, "SELECT string_agg (DISTINCT category, ',') || ':' || min "
                                      "(serial) FROM task WHERE draw_no = 2");
  ck_assert_str_eq (cats, "31:9000001");
  /* reproducible through verify, and the monthly draw still verifies */
  g_autoptr (DbDrawInfo) checked = NULL;
  ck_assert_msg (svc_tasks_verify (&f.svc, 2024, 5, 2, &checked, &error), "%s",
                 error ? error->message : "");
  ck_assert_str_eq (checked->output_digest, e->output_digest);
  ck_assert (verify (&f, 5, 0, &error));
  /* the month's list carries both kinds */
  g_autoptr (CoreDocument) doc
      = svc_tasks_list (&f.svc, 2024, 5, NULL, SVC_TASKS_ONE_TABLE, &error);
  CoreTable *t = g_ptr_array_index (doc->tables, 0);
  ck_assert_int_eq (core_table_n_rows (t), month->tasks + 6);
  /* a doctored emergency task is caught */
  g_autofree char *edited = scalar (
      &f, "WITH x AS (UPDATE task SET lab = (SELECT max (code) FROM lab WHERE code <> task.lab) "
          "WHERE draw_no = 2 AND serial = 9000003 RETURNING 1) SELECT count(*) FROM x");
  ck_assert_str_eq (edited, "1");
  ck_assert (!svc_tasks_verify (&f.svc, 2024, 5, 2, NULL, &error));
  ck_assert (g_error_matches (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_MISMATCH));
  g_clear_error (&error);

  /* more than is left is refused, and nothing is stored */
  SvcEmergencyRequest big = req;
  big.count = (guint)(reserve - used + 1);
  ck_assert_ptr_null (emergency (&f, &big, &error));
  ck_assert (g_error_matches (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_RESERVE));
  g_autofree char *want = g_strdup_printf ("has %" G_GINT64_FORMAT " batches left", reserve - used);
  ck_assert_msg (strstr (error->message, want) != NULL, "%s", error->message);
  g_clear_error (&error);
  g_autofree char *draws = scalar (&f, "SELECT count(*) FROM draw");
  ck_assert_str_eq (draws, "2");
  /* with a reason it is allowed, and the reason recorded */
  big.over_reserve = "food poisoning outbreak, approved by the director";
  g_autoptr (DbDrawInfo) over = emergency (&f, &big, &error);
  ck_assert_msg (over != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (over->over_reserve_reason, "food poisoning outbreak, approved by the director");
  g_autofree char *audit
      = scalar (&f, "SELECT detail->>'over_reserve_reason' FROM audit_log WHERE action = "
                    "'tasks.emergency' ORDER BY id DESC LIMIT 1");
  ck_assert_str_eq (audit, "food poisoning outbreak, approved by the director");
  ck_assert (svc_tasks_reserve (&f.svc, 2024, &reserve, &used, &error));
  ck_assert_int_eq (used, reserve + 1);
  g_autofree char *serials = scalar (&f, "SELECT min (serial) FROM task WHERE draw_no = 3");
  ck_assert_str_eq (serials, "9000007");
  /* a reason is required, and an empty one is none */
  SvcEmergencyRequest blank = req;
  blank.reason = "  ";
  ck_assert_ptr_null (emergency (&f, &blank, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_INVALID));
  fixture_clear (&f);
}
END_TEST

START_TEST (test_emergency_named_and_street)
{
  Fixture f = { 0 };
  fixture_init_sized (&f, TRUE, 1000);
  g_autoptr (GError) error = NULL;
  g_autofree char *two = scalar (
      &f, "SELECT string_agg (uscc, ',' ORDER BY uscc) FROM (SELECT b.uscc FROM business b JOIN "
          "business_category c USING (district, uscc) WHERE c.category = '31' AND b.active "
          "ORDER BY b.uscc DESC LIMIT 2) x");
  g_auto (GStrv) named = g_strsplit (two, ",", -1);
  SvcEmergencyRequest req = { .year = 2024,
                              .month = 4,
                              .category = "31",
                              .reason = "a named complaint",
                              .businesses = (const char *const *)named,
                              .seed = 1 };
  g_autoptr (DbDrawInfo) e = emergency (&f, &req, &error);
  ck_assert_msg (e != NULL, "%s", error ? error->message : "");
  g_autofree char *drawn
      = scalar (&f, "SELECT string_agg (uscc, ',' ORDER BY uscc) FROM task WHERE month = 4");
  ck_assert_str_eq (drawn, two);
  /* the month may be drawn afterwards; emergency draws sit beside it */
  g_autoptr (DbDrawInfo) april = generate (&f, 4, 9, FALSE);
  ck_assert_int_eq (april->draw_no, 2);
  ck_assert (verify (&f, 4, 1, &error));
  ck_assert (verify (&f, 4, 2, &error));
  /* a named business that does not handle the category is refused */
  g_autofree char *stranger = scalar (
      &f, "SELECT min (uscc) FROM business b WHERE NOT EXISTS (SELECT 1 FROM business_category "
          "c WHERE c.uscc = b.uscc AND c.category = '31')");
  const char *bad[] = { stranger, NULL };
  req.businesses = bad;
  ck_assert_ptr_null (emergency (&f, &req, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_INVALID));
  ck_assert_msg (strstr (error->message, "does not handle category 31") != NULL, "%s",
                 error->message);
  g_clear_error (&error);

  /* one street only */
  g_autofree char *street = scalar (
      &f, "SELECT b.street FROM business b JOIN business_category c USING (district, uscc) "
          "WHERE c.category = '31' AND b.active GROUP BY b.street ORDER BY count(*) DESC LIMIT 1");
  SvcEmergencyRequest on_street = { .year = 2024,
                                    .month = 6,
                                    .category = "31",
                                    .count = 3,
                                    .street = street,
                                    .reason = "street market inspection",
                                    .seed = 5 };
  g_autoptr (DbDrawInfo) s = emergency (&f, &on_street, &error);
  ck_assert_msg (s != NULL, "%s", error ? error->message : "");
  g_autofree char *streets
      = scalar (&f, "SELECT string_agg (DISTINCT street, ',') FROM task WHERE month = 6");
  ck_assert_str_eq (streets, street);
  ck_assert (svc_tasks_verify (&f.svc, 2024, 6, s->draw_no, NULL, &error));
  /* more than the street can give is refused whole */
  on_street.count = 100000;
  on_street.over_reserve = "testing the limit";
  ck_assert_ptr_null (emergency (&f, &on_street, &error));
  ck_assert (g_error_matches (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_SHORT));
  fixture_clear (&f);
}
END_TEST

START_TEST (test_repeat_against_the_stored_year)
{
  Fixture f = { 0 };
  fixture_init (&f, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDrawInfo) april = generate (&f, 4, 4, FALSE);
  /* May drawn as if April's tasks were not stored yet (what two draws at
   * once did): each draw verifies on its own, the year does not */
  ck_assert (db_run (f.db->conn, "UPDATE task SET status = 'cancelled' WHERE month = 4", DB_NO_ARGS,
                     &error));
  g_autoptr (DbDrawInfo) may = generate (&f, 5, 5, FALSE);
  ck_assert (
      db_run (f.db->conn, "UPDATE task SET status = 'drawn' WHERE month = 4", DB_NO_ARGS, &error));
  ck_assert (!verify (&f, 5, 0, &error));
  ck_assert (g_error_matches (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_REPEAT));
  ck_assert_msg (strstr (error->message, "drawn in 2024-04 (draw 1) and again in 2024-05") != NULL,
                 "%s", error->message);
  g_clear_error (&error);
  /* drawn one after the other, the year holds */
  g_autoptr (DbDrawInfo) again = generate (&f, 5, 5, TRUE);
  ck_assert_msg (verify (&f, 5, 0, &error), "%s", error ? error->message : "");
  ck_assert_msg (verify (&f, 4, 0, &error), "%s", error ? error->message : "");
  fixture_clear (&f);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("svc-tasks");
  TCase *tc = tcase_create ("tasks");
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_whole_month_drawn_and_verified);
  tcase_add_test (tc, test_no_approved_plan_names_the_fix);
  tcase_add_test (tc, test_replace_and_samples);
  tcase_add_test (tc, test_roles_and_scopes);
  tcase_add_test (tc, test_emergency_from_the_reserve);
  tcase_add_test (tc, test_emergency_named_and_street);
  tcase_add_test (tc, test_repeat_against_the_stored_year);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
