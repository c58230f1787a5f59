/* test-svc-registry.c: the directory and sampling-record services against
 * PostgreSQL: who may import, what filters are refused, and that an
 * inspector records samples only for its own office's tasks. */
#include "tests/support/test-pg.h"

#include "scheduler/sched-demo.h"
#include "service/svc-registry.h"
#include "service/svc-samples.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  TestDb *db;
  CoreConfig *config;
  CoreCatalog *catalog;
  char *dir; /* the demo district's CSV files */
  SvcContext svc;
} Fixture;

static void
fixture_init (Fixture *f, guint businesses)
{
  g_autoptr (GError) error = NULL;
  f->db = test_db_new ();
  f->config = core_config_new_builtin (&error);
  ck_assert_msg (f->config != NULL, "%s", error ? error->message : "");
  f->catalog = core_catalog_load (f->config, &error);
  ck_assert_msg (f->catalog != NULL, "%s", error ? error->message : "");
  f->dir = g_dir_make_tmp ("spotcheck-svc-registry-XXXXXX", &error);
  g_autoptr (SchedDemo) demo = sched_demo_generate (f->catalog, 5, businesses, 4, &error);
  ck_assert (demo != NULL && sched_demo_write_csv (demo, f->dir, &error));
  f->svc = (SvcContext){
    .conn = f->db->conn,
    .config = f->config,
    .catalog = f->catalog,
    .actor = "tester",
    .role = SVC_ROLE_COORDINATOR,
  };
  g_date_set_dmy (&f->svc.today, 15, 3, 2024);
}

static void
fixture_clear (Fixture *f)
{
  const char *files[]
      = { SCHED_DEMO_BUSINESSES_FILE, SCHED_DEMO_INSPECTORS_FILE, SCHED_DEMO_LABS_FILE };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, files[i], NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  core_catalog_free (f->catalog);
  core_config_free (f->config);
  test_db_free (f->db);
}

static char *
demo_file (const Fixture *f, DbRegistryKind kind)
{
  return g_build_filename (f->dir,
                           kind == DB_REGISTRY_BUSINESSES   ? SCHED_DEMO_BUSINESSES_FILE
                           : kind == DB_REGISTRY_INSPECTORS ? SCHED_DEMO_INSPECTORS_FILE
                                                            : SCHED_DEMO_LABS_FILE,
                           NULL);
}

static gboolean
import (const SvcContext *svc, const Fixture *f, DbRegistryKind kind, SvcRegistryImport *r,
        GError **error)
{
  g_autofree char *path = demo_file (f, kind);
  return svc_registry_import (svc, kind, path, NULL, r, error);
}

static void
import_all (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  SvcRegistryImport r;
  for (int k = DB_REGISTRY_BUSINESSES; k <= DB_REGISTRY_LABS; k++)
    ck_assert_msg (import (&f->svc, f, (DbRegistryKind)k, &r, &error), "%s",
                   error ? error->message : "");
}

static char *
scalar (Fixture *f, const char *sql)
{
  g_autoptr (GError) error = NULL;
  char *v = db_scalar (f->db->conn, sql, DB_NO_ARGS, &error);
  ck_assert_msg (v != NULL, "%s", error ? error->message : "");
  return v;
}

START_TEST (test_coordinator_imports)
{
  Fixture f;
  fixture_init (&f, 300);
  g_autoptr (GError) error = NULL;
  SvcRegistryImport r;
  ck_assert_msg (import (&f.svc, &f, DB_REGISTRY_BUSINESSES, &r, &error), "%s",
                 error ? error->message : "");
  ck_assert_uint_eq (r.rows, 300);
  ck_assert_uint_eq (r.counts.inserted, 300);
  ck_assert (import (&f.svc, &f, DB_REGISTRY_INSPECTORS, &r, &error));
  ck_assert (import (&f.svc, &f, DB_REGISTRY_LABS, &r, &error));
  ck_assert_uint_eq (r.counts.inserted, 4);
  /* again: every row unchanged, and every import is on the audit log */
  ck_assert (import (&f.svc, &f, DB_REGISTRY_BUSINESSES, &r, &error));
  ck_assert_uint_eq (r.counts.unchanged, 300);
  g_autofree char *audits = scalar (&f, "SELECT count(*) || ' ' || min (actor) FROM audit_log "
                                        "WHERE action = 'registry.import'");
  ck_assert_str_eq (audits, "4 tester");
  /* from memory too, as an upload arrives */
  const char *labs = "code,name,categories,capacity\nLX,新检测所,31,5\n";
  ck_assert (svc_registry_import_data (&f.svc, DB_REGISTRY_LABS, labs, strlen (labs), "upload.csv",
                                       &r, &error));
  ck_assert_uint_eq (r.counts.inserted, 1);
  fixture_clear (&f);
}
END_TEST

START_TEST (test_lab_and_inspector_may_not_import)
{
  Fixture f;
  fixture_init (&f, 100);
  const SvcRole roles[] = { SVC_ROLE_LAB, SVC_ROLE_INSPECTOR, SVC_ROLE_ADMIN };
  for (gsize i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autoptr (GError) error = NULL;
      SvcContext svc = f.svc;
      svc.role = roles[i];
      svc.lab = roles[i] == SVC_ROLE_LAB ? "LAB01" : NULL;
      svc.office = roles[i] == SVC_ROLE_INSPECTOR ? "12010401" : NULL;
      SvcRegistryImport r;
      ck_assert (!import (&svc, &f, DB_REGISTRY_BUSINESSES, &r, &error));
      ck_assert_msg (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN), "%s", error->message);
      ck_assert_uint_eq (r.counts.inserted, 0);
    }
  g_autofree char *n = scalar (&f, "SELECT (SELECT count(*) FROM business) + (SELECT count(*) "
                                   "FROM audit_log)");
  ck_assert_str_eq (n, "0");
  /* but an inspector may read the directory */
  import_all (&f);
  SvcContext reader = f.svc;
  reader.role = SVC_ROLE_INSPECTOR;
  reader.office = "12010401";
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreTable) t = svc_registry_list (&reader, DB_REGISTRY_LABS, NULL, &error);
  ck_assert_msg (t != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (core_table_n_rows (t), 4);
  /* a lab may not */
  reader.role = SVC_ROLE_LAB;
  reader.lab = "LAB01";
  g_autoptr (CoreTable) none = svc_registry_list (&reader, DB_REGISTRY_LABS, NULL, &error);
  ck_assert_ptr_null (none);
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
  fixture_clear (&f);
}
END_TEST

START_TEST (test_unknown_filter_values_refused)
{
  Fixture f;
  fixture_init (&f, 200);
  import_all (&f);
  const struct
  {
    DbRegistryKind kind;
    SvcRegistryFilter filter;
    const char *says;
  } bad[] = {
    { DB_REGISTRY_BUSINESSES, { .office = "99999999" }, "no office '99999999'" },
    { DB_REGISTRY_INSPECTORS, { .office = "NOPE" }, "no office 'NOPE'" },
    { DB_REGISTRY_BUSINESSES, { .street = "999999999" }, "no street '999999999'" },
    { DB_REGISTRY_BUSINESSES, { .grade = "E" }, "no risk grade 'E'" },
    { DB_REGISTRY_BUSINESSES, { .grade = "AB" }, "no risk grade 'AB'" },
    { DB_REGISTRY_LABS, { .category = "99" }, "no food category '99'" },
    { DB_REGISTRY_LABS, { .grade = "A" }, "grade filter does not apply to labs" },
    { DB_REGISTRY_INSPECTORS, { .category = "31" }, "category filter does not apply" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (CoreTable) t = svc_registry_list (&f.svc, bad[i].kind, &bad[i].filter, &error);
      ck_assert_ptr_null (t);
      ck_assert_msg (g_error_matches (error, SVC_ERROR, SVC_ERROR_INVALID), "case %zu", i);
      ck_assert_msg (strstr (error->message, bad[i].says) != NULL, "%s", error->message);
    }
  /* known values filter; a lower-case grade is the same grade */
  g_autoptr (GError) error = NULL;
  SvcRegistryFilter by_grade = { .grade = "d", .office = "12010401" };
  g_autoptr (CoreTable) d = svc_registry_list (&f.svc, DB_REGISTRY_BUSINESSES, &by_grade, &error);
  ck_assert_msg (d != NULL, "%s", error ? error->message : "");
  g_autofree char *want = scalar (&f, "SELECT count(*) FROM business b JOIN street s ON "
                                      "s.district = b.district AND s.code = b.street WHERE "
                                      "b.grade = 'D' AND s.office = '12010401'");
  ck_assert_uint_eq (core_table_n_rows (d), (guint)g_ascii_strtoull (want, NULL, 10));
  for (guint r = 0; r < core_table_n_rows (d); r++)
    ck_assert_str_eq (core_table_get_by_key (d, r, "grade"), "D");
  /* show: a record table saying what it found */
  const char *first = core_table_n_rows (d) ? core_table_get_by_key (d, 0, "uscc") : NULL;
  if (first != NULL)
    {
      DbRegistryKind kind;
      g_autoptr (CoreTable) one = svc_registry_show (&f.svc, first, &kind, &error);
      ck_assert (one != NULL && kind == DB_REGISTRY_BUSINESSES);
      ck_assert_int_eq (core_table_shape (one), CORE_TABLE_RECORD);
      ck_assert_str_eq (core_table_key (one), "business");
    }
  g_autoptr (CoreTable) none = svc_registry_show (&f.svc, "NOPE", NULL, &error);
  ck_assert_ptr_null (none);
  ck_assert (g_error_matches (error, DB_REGISTRY_ERROR, DB_REGISTRY_ERROR_NOT_FOUND));
  fixture_clear (&f);
}
END_TEST

/* One task of each of two offices, written directly: the draw itself is not
 * what is under test here. Returns the two offices in @o1, @o2. */
static void
two_tasks (Fixture *f, char **o1, char **o2)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (
      db_run (f->db->conn,
              "INSERT INTO plan (district, year, version, total, reserve, within_one, "
              "max_deviation, config_snapshot, digest, created_by) VALUES ('120104', 2024, 1, "
              "0, 0, true, 0, '', '', 'tester')",
              DB_NO_ARGS, &error)
          && db_run (f->db->conn,
                     "INSERT INTO draw (district, year, month, draw_no, plan_version, seed, "
                     "algorithm, input_text, input_digest, output_digest, tasks, shortfall, "
                     "created_by) VALUES ('120104', 2024, 3, 1, 1, 1, 'test', '', '', '', 2, 0, "
                     "'tester')",
                     DB_NO_ARGS, &error)
          && db_run (
              f->db->conn,
              "INSERT INTO task (district, year, month, draw_no, serial, record_no, category, "
              "grade, uscc, street, office, inspector1, inspector2, lab, due_date) "
              "SELECT '120104', 2024, 3, 1, row_number () OVER (ORDER BY office), 'R-' || "
              "office, category, grade, uscc, street, office, i1, i2, 'LAB01', '2024-03-31' "
              "FROM (SELECT DISTINCT ON (s.office) s.office, b.uscc, b.street, b.grade, "
              "(SELECT min (category) FROM business_category c WHERE c.district = b.district "
              "AND c.uscc = b.uscc) AS category, (SELECT min (id) FROM inspector i WHERE "
              "i.office = s.office) AS i1, (SELECT max (id) FROM inspector i WHERE i.office = "
              "s.office) AS i2 FROM business b JOIN street s ON s.district = b.district AND "
              "s.code = b.street ORDER BY s.office, b.uscc) x WHERE i1 <> i2 ORDER BY office "
              "LIMIT 2",
              DB_NO_ARGS, &error),
      "%s", error ? error->message : "");
  *o1 = scalar (f, "SELECT office FROM task WHERE serial = 1");
  *o2 = scalar (f, "SELECT office FROM task WHERE serial = 2");
}

static gboolean
record_one (const SvcContext *svc, const char *record, guint *n, GError **error)
{
  const SvcSamplesInput in = {
    .record = record, .sample_name = "酱油", .quantity = "4瓶", .sampling_date = "2024-03-12"
  };
  return svc_samples_record (svc, &in, n, error);
}

START_TEST (test_inspector_records_own_office_only)
{
  Fixture f;
  fixture_init (&f, 300);
  import_all (&f);
  g_autofree char *o1 = NULL, *o2 = NULL;
  two_tasks (&f, &o1, &o2);
  g_autofree char *r1 = g_strconcat ("R-", o1, NULL), *r2 = g_strconcat ("R-", o2, NULL);
  SvcContext insp = f.svc;
  insp.role = SVC_ROLE_INSPECTOR;
  insp.office = o1;
  insp.actor = "inspector-1";
  g_autoptr (GError) error = NULL;
  guint n = 99;

  /* another office's task, alone or in a file beside an own one: refused
   * whole, the row named */
  ck_assert (!record_one (&insp, r2, &n, &error));
  ck_assert (g_error_matches (error, CORE_PROBLEMS_ERROR, CORE_PROBLEMS_ERROR_REJECTED));
  ck_assert_msg (strstr (error->message, "another office") != NULL, "%s", error->message);
  ck_assert_uint_eq (n, 0);
  g_clear_error (&error);
  g_autofree char *path = g_build_filename (f.dir, "samples.csv", NULL);
  g_autofree char *csv = g_strdup_printf ("抽样单编号,样品名称,抽样数量,抽样日期\n"
                                          "%s,酱油,4瓶,2024-03-12\n"
                                          "%s,馒头,2kg,2024-03-12\n",
                                          r1, r2);
  ck_assert (g_file_set_contents (path, csv, -1, NULL));
  const SvcSamplesInput file = { .path = path, .name = "samples.csv" };
  ck_assert (!svc_samples_record (&insp, &file, &n, &error));
  g_autofree char *where
      = g_strdup_printf ("samples.csv:3: column 抽样单编号: value \"%s (office %s)\"", r2, o2);
  ck_assert_msg (strstr (error->message, where) != NULL, "%s", error->message);
  g_clear_error (&error);
  g_autofree char *none = scalar (&f, "SELECT count(*) FROM sample");
  ck_assert_str_eq (none, "0");

  /* its own office's task is recorded */
  ck_assert_msg (record_one (&insp, r1, &n, &error), "%s", error ? error->message : "");
  ck_assert_uint_eq (n, 1);
  g_autofree char *by = scalar (&f, "SELECT recorded_by FROM sample");
  ck_assert_str_eq (by, "inspector-1");

  /* it sees its own office's sample, not another's; a coordinator records
   * and sees any */
  g_autoptr (CoreTable) own = svc_samples_show (&insp, r1, &error);
  ck_assert_msg (own != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (core_table_get_by_key (own, 0, "sample_name"), "酱油");
  ck_assert (record_one (&f.svc, r2, &n, &error));
  g_autoptr (CoreTable) other = svc_samples_show (&insp, r2, &error);
  ck_assert_ptr_null (other);
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_NOT_FOUND));
  g_clear_error (&error);
  g_autoptr (CoreTable) any = svc_samples_show (&f.svc, r2, &error);
  ck_assert (any != NULL);

  /* a lab may not record samples at all */
  SvcContext lab = f.svc;
  lab.role = SVC_ROLE_LAB;
  lab.lab = "LAB01";
  ck_assert (!record_one (&lab, r1, &n, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
  g_unlink (path);
  fixture_clear (&f);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("svc-registry");
  TCase *tc = tcase_create ("svc-registry");
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_coordinator_imports);
  tcase_add_test (tc, test_lab_and_inspector_may_not_import);
  tcase_add_test (tc, test_unknown_filter_values_refused);
  tcase_add_test (tc, test_inspector_records_own_office_only);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
