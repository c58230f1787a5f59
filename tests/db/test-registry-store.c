/* test-registry-store.c: directory imports against PostgreSQL: upsert counts,
 * whole-file rejection with every problem listed and the database unchanged,
 * encodings, lookups. */
#include "tests/support/test-pg.h"

#include "db/db-registry.h"
#include "scheduler/sched-demo.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

static CoreCatalog *
catalog_new (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  ck_assert (config != NULL);
  CoreCatalog *catalog = core_catalog_load (config, &error);
  ck_assert_msg (catalog != NULL, "%s", error ? error->message : "");
  return catalog;
}

static const IntakeSchema *
schema_of (DbRegistryKind kind)
{
  return kind == DB_REGISTRY_BUSINESSES   ? intake_business_schema ()
         : kind == DB_REGISTRY_INSPECTORS ? intake_inspector_schema ()
                                          : intake_lab_schema ();
}

/* Imports @path as the CLI does; returns the problems (caller frees) and the
 * outcome in *@ok. */
static CoreProblems *
import (TestDb *db, const CoreCatalog *catalog, DbRegistryKind kind, const char *path,
        DbImportCounts *counts, gboolean *ok, GError **error)
{
  CoreProblems *problems = core_problems_new (path);
  g_autoptr (IntakeTable) table
      = intake_table_read_file (path, path, INTAKE_FORMAT_AUTO, schema_of (kind), problems, error);
  ck_assert_msg (table != NULL, "%s", (*error)->message);
  g_autoptr (GPtrArray) rows
      = kind == DB_REGISTRY_BUSINESSES   ? intake_businesses_from_table (table, catalog, problems)
        : kind == DB_REGISTRY_INSPECTORS ? intake_inspectors_from_table (table, catalog, problems)
                                         : intake_labs_from_table (table, catalog, problems);
  /* The store runs in its caller's transaction, as the service opens it. */
  g_autoptr (DbTransaction) tx = db_transaction_begin (db->conn, error);
  *ok = tx != NULL
        && db_registry_import (db->conn, "120104", kind, table, rows, problems, "tester", counts,
                               error)
        && db_transaction_commit (tx, error);
  return problems;
}

/* A valid credit code from its first 17 characters. */
static char *
uscc (const char *first17)
{
  char check = sched_demo_uscc_check_char (first17);
  ck_assert (check != 0);
  return g_strdup_printf ("%s%c", first17, check);
}

static char *
demo_dir (const CoreCatalog *catalog, guint n)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("spotcheck-registry-XXXXXX", &error);
  g_autoptr (SchedDemo) demo = sched_demo_generate (catalog, 7, n, 4, &error);
  ck_assert (demo != NULL);
  ck_assert (sched_demo_write_csv (demo, dir, &error));
  return dir;
}

static void
import_ok (TestDb *db, const CoreCatalog *catalog, DbRegistryKind kind, const char *path,
           DbImportCounts *counts)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = FALSE;
  g_autoptr (CoreProblems) p = import (db, catalog, kind, path, counts, &ok, &error);
  ck_assert_msg (ok, "%s", error ? error->message : "");
}

/* A digest of everything the directories hold, to prove a rejected import
 * changed nothing. */
static char *
registry_checksum (TestDb *db)
{
  g_autoptr (GError) error = NULL;
  char *sum = db_scalar (
      db->conn,
      "SELECT md5 ((SELECT coalesce (string_agg (b::text, '|' ORDER BY uscc), '') FROM business b)"
      " || (SELECT coalesce (string_agg (c::text, '|' ORDER BY uscc, category), '') FROM "
      "business_category c) || (SELECT coalesce (string_agg (i::text, '|' ORDER BY id), '') FROM "
      "inspector i) || (SELECT coalesce (string_agg (x::text, '|' ORDER BY inspector, uscc), '') "
      "FROM inspector_conflict x) || (SELECT coalesce (string_agg (l::text, '|' ORDER BY code), "
      "'') FROM lab l) || (SELECT count(*) FROM audit_log)::text)",
      DB_NO_ARGS, &error);
  ck_assert_msg (sum != NULL, "%s", error ? error->message : "");
  return sum;
}

START_TEST (test_demo_import_is_an_upsert)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (CoreCatalog) catalog = catalog_new ();
  g_autofree char *dir = demo_dir (catalog, 3000);
  g_autofree char *biz = g_build_filename (dir, SCHED_DEMO_BUSINESSES_FILE, NULL);
  g_autofree char *staff = g_build_filename (dir, SCHED_DEMO_INSPECTORS_FILE, NULL);
  g_autofree char *labs = g_build_filename (dir, SCHED_DEMO_LABS_FILE, NULL);
  DbImportCounts c;
  gint64 t0 = g_get_monotonic_time ();
  import_ok (db, catalog, DB_REGISTRY_BUSINESSES, biz, &c);
  gint64 elapsed = g_get_monotonic_time () - t0;
  ck_assert_uint_eq (c.inserted, 3000);
  /* set-based: a few thousand rows take well under a second on a quiet
   * machine (see bench/README.md); the bound here only catches a row-by-row
   * regression on a loaded CI runner */
  ck_assert_msg (elapsed < 8000000, "3000 businesses took %" G_GINT64_FORMAT " us", elapsed);
  import_ok (db, catalog, DB_REGISTRY_INSPECTORS, staff, &c);
  ck_assert_uint_gt (c.inserted, 0);
  import_ok (db, catalog, DB_REGISTRY_LABS, labs, &c);
  ck_assert_uint_eq (c.inserted, 4);
  /* the same file again changes nothing */
  import_ok (db, catalog, DB_REGISTRY_BUSINESSES, biz, &c);
  ck_assert_uint_eq (c.inserted + c.updated, 0);
  ck_assert_uint_eq (c.unchanged, 3000);
  /* one changed grade and one changed category set are two updates */
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (biz, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_auto (GStrv) f1 = g_strsplit (lines[1], ",", -1);
  g_auto (GStrv) f2 = g_strsplit (lines[2], ",", -1);
  g_autofree char *first = g_strdup (f1[0]);
  const char *grade = strcmp (f1[6], "D") == 0 ? "A" : "D";
  g_free (f1[6]);
  f1[6] = g_strdup (grade);
  const char *cats = strcmp (f2[7], "01;34") == 0 ? "02" : "01;34";
  g_free (f2[7]);
  f2[7] = g_strdup (cats);
  g_free (lines[1]);
  lines[1] = g_strjoinv (",", f1);
  g_free (lines[2]);
  lines[2] = g_strjoinv (",", f2);
  g_autofree char *changed = g_strjoinv ("\n", lines);
  ck_assert (g_file_set_contents (biz, changed, -1, NULL));
  import_ok (db, catalog, DB_REGISTRY_BUSINESSES, biz, &c);
  ck_assert_uint_eq (c.inserted, 0);
  ck_assert_uint_eq (c.updated, 2);
  ck_assert_uint_eq (c.unchanged, 2998);
  g_autoptr (GError) error = NULL;
  DbRegistryKind kind;
  g_autoptr (CoreTable) shown = db_registry_show (db->conn, "120104", first, &kind, &error);
  ck_assert (shown != NULL);
  ck_assert_int_eq (kind, DB_REGISTRY_BUSINESSES);
  ck_assert_str_eq (core_table_get_by_key (shown, 0, "grade"), grade);
  g_autofree char *audits
      = db_scalar (db->conn, "SELECT count(*) FROM audit_log WHERE action = 'registry.import'",
                   DB_NO_ARGS, &error);
  ck_assert_str_eq (audits, "5");
}
END_TEST

START_TEST (test_bad_file_lists_every_problem_and_changes_nothing)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (CoreCatalog) catalog = catalog_new ();
  g_autofree char *dir = demo_dir (catalog, 200);
  g_autofree char *biz = g_build_filename (dir, SCHED_DEMO_BUSINESSES_FILE, NULL);
  g_autofree char *staff = g_build_filename (dir, SCHED_DEMO_INSPECTORS_FILE, NULL);
  DbImportCounts c;
  import_ok (db, catalog, DB_REGISTRY_BUSINESSES, biz, &c);
  import_ok (db, catalog, DB_REGISTRY_INSPECTORS, staff, &c);
  g_autofree char *before = registry_checksum (db);

  /* line 2 fine (would be new), line 3 a wrong check character, line 4 an
   * unknown street, line 5 an unknown category, line 6 repeats line 2's code */
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *good = uscc ("91120104MA05W0QW1"), *other = uscc ("92120104MA05W0QX3"),
                  *third = uscc ("92120104MA05W0QY1");
  g_autofree char *wrong = g_strdup (good);
  wrong[17] = wrong[17] == '0' ? '1' : '0';
  g_autofree char *csv = g_strdup_printf (SCHED_DEMO_BUSINESSES_HEADER
                                          "\n"
                                          "%s,,新店,distribution,120104001,,A,31,1\n"
                                          "%s,,错校验位,distribution,120104001,,A,31,1\n"
                                          "%s,,无此街道,catering,999999999,,B,31,1\n"
                                          "%s,,无此类别,catering,120104002,,B,99,1\n"
                                          "%s,,重复,distribution,120104001,,A,31,1\n",
                                          good, wrong, other, third, good);
  ck_assert (g_file_set_contents (bad, csv, -1, NULL));
  g_autoptr (GError) error = NULL;
  gboolean ok = TRUE;
  g_autoptr (CoreProblems) p = import (db, catalog, DB_REGISTRY_BUSINESSES, bad, &c, &ok, &error);
  ck_assert (!ok);
  ck_assert (g_error_matches (error, CORE_PROBLEMS_ERROR, CORE_PROBLEMS_ERROR_REJECTED));
  g_autofree char *listed = core_problems_format (p);
  for (guint line = 3; line <= 6; line++)
    {
      g_autofree char *where = g_strdup_printf ("bad.csv:%u: column ", line);
      ck_assert_msg (strstr (listed, where) != NULL, "no problem on line %u in:\n%s", line, listed);
    }
  g_autofree char *wrong_col = g_strdup_printf ("column uscc: value \"%s\"", wrong);
  ck_assert_msg (strstr (listed, wrong_col) != NULL, "%s", listed);
  ck_assert_msg (strstr (listed, "column street: value \"999999999\"") != NULL, "%s", listed);
  g_autofree char *after = registry_checksum (db);
  ck_assert_str_eq (before, after);

  /* an inspector's conflict naming a business not on record is found in the
   * database, with its line and column, alongside an unknown office */
  g_autofree char *bad_staff = g_build_filename (dir, "bad-staff.csv", NULL);
  g_autofree char *staff_csv = g_strdup_printf ("人员编号,姓名,所属监管所,状态,回避企业\n"
                                                "X1,张三,12010401,是,%s\n"
                                                "X2,李四,99999999,是,\n",
                                                good);
  ck_assert (g_file_set_contents (bad_staff, staff_csv, -1, NULL));
  g_clear_error (&error);
  g_autoptr (CoreProblems) p2
      = import (db, catalog, DB_REGISTRY_INSPECTORS, bad_staff, &c, &ok, &error);
  ck_assert (!ok);
  g_autofree char *listed2 = core_problems_format (p2);
  g_autofree char *conflict_col
      = g_strdup_printf ("bad-staff.csv:2: column 回避企业: value \"%s\"", good);
  ck_assert_msg (strstr (listed2, conflict_col) != NULL, "%s", listed2);
  ck_assert_msg (strstr (listed2, "bad-staff.csv:3: column 所属监管所") != NULL, "%s", listed2);
  g_autofree char *after2 = registry_checksum (db);
  ck_assert_str_eq (before, after2);
}
END_TEST

START_TEST (test_bom_and_gb18030_read_alike)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (CoreCatalog) catalog = catalog_new ();
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-registry-XXXXXX", NULL);
  const char *text = "机构代码,机构名称,承检类别,月检验能力\n"
                     "L1,天津检测中心,粮食加工品;餐饮食品,100\n"
                     "L2,南开检验所,31;33,50\n";
  g_autofree char *with_bom = g_strconcat ("\xEF\xBB\xBF", text, NULL);
  g_autofree char *bom_path = g_build_filename (dir, "labs-bom.csv", NULL);
  ck_assert (g_file_set_contents (bom_path, with_bom, -1, NULL));
  gsize gb_len = 0;
  g_autofree char *gb = g_convert (text, -1, "GB18030", "UTF-8", NULL, &gb_len, NULL);
  ck_assert (gb != NULL);
  g_autofree char *gb_path = g_build_filename (dir, "labs-gb.csv", NULL);
  ck_assert (g_file_set_contents (gb_path, gb, (gssize)gb_len, NULL));
  DbImportCounts c;
  import_ok (db, catalog, DB_REGISTRY_LABS, bom_path, &c);
  ck_assert_uint_eq (c.inserted, 2);
  import_ok (db, catalog, DB_REGISTRY_LABS, gb_path, &c);
  ck_assert_uint_eq (c.unchanged, 2);
  g_autoptr (GError) error = NULL;
  DbRegistryFilter f = { .category = "31" };
  g_autoptr (CoreTable) res = db_registry_list (db->conn, "120104", DB_REGISTRY_LABS, &f, &error);
  ck_assert_int_eq (core_table_n_rows (res), 2);
  ck_assert_str_eq (core_table_get (res, 0, 1), "天津检测中心");
  ck_assert_str_eq (core_table_get (res, 0, 4), "01;31");
  DbRegistryFilter wrong = { .grade = "A" };
  g_autoptr (CoreTable) none
      = db_registry_list (db->conn, "120104", DB_REGISTRY_LABS, &wrong, &error);
  ck_assert_ptr_null (none);
  ck_assert (g_error_matches (error, DB_REGISTRY_ERROR, DB_REGISTRY_ERROR_FILTER));
  g_clear_error (&error);
  DbRegistryKind kind;
  ck_assert_ptr_null (db_registry_show (db->conn, "120104", "NOPE", &kind, &error));
  ck_assert (g_error_matches (error, DB_REGISTRY_ERROR, DB_REGISTRY_ERROR_NOT_FOUND));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("registry-store");
  TCase *tc = tcase_create ("registry");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_demo_import_is_an_upsert);
  tcase_add_test (tc, test_bad_file_lists_every_problem_and_changes_nothing);
  tcase_add_test (tc, test_bom_and_gb18030_read_alike);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
