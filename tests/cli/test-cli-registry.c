/* test-cli-registry.c: registry, tasks and samples commands through the
 * spotcheck binary, as a coordinator runs them: exit codes, messages, files. */
#include "tests/db/history-fixture.h"
#include "tests/support/test-pg.h"
#include "tests/support/test-run.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#define OK(r) ck_assert_msg ((r)->status == 0, "exit %d: %s", (r)->status, (r)->err)

START_TEST (test_import_list_show_and_rejection)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-cli-reg-XXXXXX", NULL);
  g_autofree char *demo_dir = g_build_filename (dir, "demo", NULL);
  g_auto (TestRun) demo = { 0 }, list = { 0 }, show = { 0 }, bad = { 0 }, json = { 0 };
  RUN (&demo, db, "registry", "demo", "--businesses", "500", "--out", demo_dir, "--load");
  OK (&demo);
  RUN (&list, db, "registry", "list", "businesses", "--grade", "A", "--format", "csv");
  OK (&list);
  ck_assert (g_str_has_prefix (list.out, "uscc,name,licence,stage,street"));
  g_auto (GStrv) lines = g_strsplit (list.out, "\r\n", -1);
  ck_assert (lines[1] != NULL && strlen (lines[1]) > 18);
  g_autofree char *first = g_strndup (lines[1], 18);
  RUN (&show, db, "registry", "show", first);
  OK (&show);
  ck_assert (g_str_has_prefix (show.out, "Business:\n"));
  ck_assert (strstr (show.out, first) != NULL);
  RUN (&json, db, "registry", "list", "labs", "--format", "json");
  OK (&json);
  ck_assert (strstr (json.out, "\"capacity\"") != NULL);
  /* every format a list or show offers works; typos and extra words are refused */
  g_auto (TestRun) text = { 0 }, show_csv = { 0 }, show_json = { 0 }, office = { 0 }, grade = { 0 },
                   extra = { 0 }, xlsx = { 0 };
  RUN (&text, db, "registry", "list", "inspectors", "--office", "12010401");
  OK (&text);
  ck_assert_msg (g_str_has_prefix (text.out, "ID") && strstr (text.out, " rows)\n") != NULL, "%s",
                 text.out);
  RUN (&show_csv, db, "registry", "show", first, "--format", "csv");
  OK (&show_csv);
  ck_assert_msg (g_str_has_prefix (show_csv.out, "uscc,name,licence"), "%s", show_csv.out);
  RUN (&show_json, db, "registry", "show", "LAB01", "--format", "json");
  OK (&show_json);
  ck_assert_msg (g_str_has_prefix (show_json.out, "{") && strstr (show_json.out, "\"LAB01\""), "%s",
                 show_json.out);
  RUN (&office, db, "registry", "list", "businesses", "--office", "99999999");
  ck_assert_int_eq (office.status, 1);
  ck_assert_msg (strstr (office.err, "no office '99999999'") != NULL, "%s", office.err);
  RUN (&grade, db, "registry", "list", "businesses", "--grade", "E");
  ck_assert_int_eq (grade.status, 1);
  ck_assert_msg (strstr (grade.err, "no risk grade 'E'") != NULL, "%s", grade.err);
  RUN (&extra, db, "registry", "list", "labs", "extra");
  ck_assert_int_eq (extra.status, 1);
  RUN (&xlsx, db, "registry", "list", "labs", "--format", "xlsx");
  ck_assert_int_eq (xlsx.status, 1);
  ck_assert_msg (strstr (xlsx.err, "text, csv, json") != NULL, "%s", xlsx.err);

  g_autofree char *before
      = test_scalar (db, "SELECT count(*) || md5 (string_agg (b::text, '' ORDER "
                         "BY uscc)) FROM business b");
  g_autofree char *path = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *row = g_strdup_printf ("统一社会信用代码,名称,环节,街道,风险等级,经营类别\n"
                                          "%s,改名,流通,长虹街道,A,31\n"
                                          "91120104MA05W0QW10,校验位错,流通,长虹街道,A,31\n"
                                          "91120104MA05W0QW1D,无此街道,流通,火星街道,B,31\n",
                                          first);
  ck_assert (g_file_set_contents (path, row, -1, NULL));
  RUN (&bad, db, "registry", "import", "businesses", path);
  ck_assert_int_eq (bad.status, 1);
  g_autofree char *l3 = g_strdup_printf ("%s:3: column 统一社会信用代码", path);
  g_autofree char *l4 = g_strdup_printf ("%s:4: column 街道: value \"火星街道\"", path);
  ck_assert_msg (strstr (bad.err, l3) != NULL && strstr (bad.err, l4) != NULL, "%s", bad.err);
  g_autofree char *after = test_scalar (db, "SELECT count(*) || md5 (string_agg (b::text, '' ORDER "
                                            "BY uscc)) FROM business b");
  ck_assert_str_eq (before, after);
}
END_TEST

/* Sheet names of an XLSX file, checked with Python's zipfile. */
static char *
xlsx_sheets (const char *path)
{
  g_auto (TestRun) py = { 0 };
  const char *argv[] = { "python3", "-c",
                         "import re, sys, zipfile\n"
                         "z = zipfile.ZipFile(sys.argv[1])\n"
                         "assert z.testzip() is None\n"
                         "print(';'.join(re.findall(r'<sheet name=\"([^\"]+)\"', "
                         "z.read('xl/workbook.xml').decode())))\n",
                         path, NULL };
  test_run_argv (&py, argv);
  ck_assert_msg (py.status == 0, "%s", py.err);
  return g_strdup (g_strstrip (py.out));
}

START_TEST (test_month_drawn_listed_verified_and_sampled)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-cli-reg-XXXXXX", NULL);
  test_run_demo_district (db, dir, 3000, NULL);
  g_auto (TestRun) gen = { 0 }, verify = { 0 }, twice = { 0 }, replace = { 0 }, xlsx = { 0 },
                   csv = { 0 }, exported = { 0 }, rerun = { 0 }, rec = { 0 }, again = { 0 },
                   locked = { 0 }, noplan = { 0 };
  RUN (&noplan, db, "tasks", "generate", "--month", "2025-01");
  ck_assert_int_eq (noplan.status, 1);
  ck_assert (strstr (noplan.err, "plan approve") != NULL);
  RUN (&gen, db, "tasks", "generate", "--month", "2024-03");
  OK (&gen);
  ck_assert_msg (strstr (gen.out, "fresh random seed") != NULL, "%s", gen.out);
  RUN (&verify, db, "tasks", "verify", "--month", "2024-03");
  OK (&verify);
  ck_assert (strstr (verify.out, "verified") != NULL);
  RUN (&twice, db, "tasks", "generate", "--month", "2024-03", "--seed", "5");
  ck_assert_int_eq (twice.status, 1);
  ck_assert (strstr (twice.err, "--replace") != NULL);
  RUN (&replace, db, "tasks", "generate", "--month", "2024-03", "--seed", "5", "--replace");
  OK (&replace);
  ck_assert (strstr (replace.out, "replaced") != NULL);

  g_autofree char *book = g_build_filename (dir, "tasks.xlsx", NULL);
  RUN (&xlsx, db, "tasks", "list", "--month", "2024-03", "--format", "xlsx", "--out", book);
  OK (&xlsx);
  g_autofree char *sheets = xlsx_sheets (book);
  g_autofree char *offices = test_scalar (db, "SELECT string_agg (name_zh, ';' ORDER BY code) FROM "
                                              "office");
  ck_assert_str_eq (sheets, offices);

  RUN (&csv, db, "tasks", "list", "--month", "2024-03", "--format", "csv");
  OK (&csv);
  g_auto (GStrv) rows = g_strsplit (csv.out, "\r\n", -1);
  g_autofree char *tasks = test_scalar (db, "SELECT tasks FROM draw WHERE status = 'current'");
  ck_assert_uint_eq (g_strv_length (rows) - 2, (guint)g_ascii_strtoll (tasks, NULL, 10));

  /* an outsider re-runs the published draw without the database */
  g_autofree char *pub = g_build_filename (dir, "published", NULL);
  RUN (&exported, db, "tasks", "export", "--month", "2024-03", "--out", pub);
  OK (&exported);
  g_autofree char *input = g_build_filename (pub, "input.txt", NULL);
  g_autofree char *seed_path = g_build_filename (pub, "seed.txt", NULL);
  g_autofree char *draw_path = g_build_filename (pub, "draw.txt", NULL);
  g_autofree char *seed = NULL, *published = NULL;
  ck_assert (g_file_get_contents (seed_path, &seed, NULL, NULL));
  ck_assert (g_file_get_contents (draw_path, &published, NULL, NULL));
  const char *argv[] = { g_getenv ("SPOTCHECK_BIN"), "tasks", "rerun", "--input", input, "--seed",
                         g_strstrip (seed),          NULL };
  test_run_argv (&rerun, argv);
  OK (&rerun);
  ck_assert_str_eq (rerun.out, published);

  /* samples: recorded once, refused twice with the problem listed */
  g_auto (GStrv) f1 = g_strsplit (rows[1], ",", -1);
  g_auto (GStrv) f2 = g_strsplit (rows[2], ",", -1);
  g_autofree char *file = g_build_filename (dir, "samples.csv", NULL);
  g_autofree char *text
      = g_strdup_printf ("抽样单编号,样品名称,生产日期,规格型号,抽样数量,抽样日期,"
                         "标称生产企业\n"
                         "%s,酱油,2024-02-01,500mL/瓶,4瓶,2024-03-12,某厂\n"
                         "%s,馒头,2024-03-11,,2kg,2024-03-12,\n",
                         f1[2], f2[2]);
  ck_assert (g_file_set_contents (file, text, -1, NULL));
  RUN (&rec, db, "samples", "record", file);
  OK (&rec);
  ck_assert (strstr (rec.out, "2 tasks marked sampled") != NULL);
  RUN (&again, db, "samples", "record", "--record", f1[2], "--name", "酱油", "--quantity", "1",
       "--sampling-date", "2024-03-13");
  ck_assert_int_eq (again.status, 1);
  ck_assert_msg (strstr (again.err, "sampled already") != NULL, "%s", again.err);
  g_auto (TestRun) shown = { 0 }, shown_json = { 0 }, unsampled = { 0 };
  RUN (&shown, db, "samples", "show", f1[2]);
  OK (&shown);
  ck_assert_msg (strstr (shown.out, "酱油") != NULL, "%s", shown.out);
  RUN (&shown_json, db, "samples", "show", f1[2], "--format", "json");
  OK (&shown_json);
  ck_assert_msg (strstr (shown_json.out, "\"sampling_date\" : \"2024-03-12\"") != NULL, "%s",
                 shown_json.out);
  RUN (&unsampled, db, "samples", "show", "NO-SUCH-RECORD");
  ck_assert_int_eq (unsampled.status, 1);
  ck_assert_msg (strstr (unsampled.err, "no sample is recorded") != NULL, "%s", unsampled.err);
  /* a row with a bad date still has its record number checked */
  g_auto (TestRun) both = { 0 };
  g_autofree char *file2 = g_build_filename (dir, "samples2.csv", NULL);
  g_autofree char *text2 = g_strdup_printf ("record,sample_name,quantity,sampling_date\n"
                                            "%s,x,1,2024-13-01\n",
                                            f1[2]);
  ck_assert (g_file_set_contents (file2, text2, -1, NULL));
  RUN (&both, db, "samples", "record", file2);
  ck_assert_int_eq (both.status, 1);
  ck_assert_msg (strstr (both.err, "not a date") != NULL
                     && strstr (both.err, "sampled already") != NULL,
                 "%s", both.err);
  RUN (&locked, db, "tasks", "generate", "--month", "2024-03", "--replace");
  ck_assert_int_eq (locked.status, 1);
  ck_assert (strstr (locked.err, "sampled") != NULL);
}
END_TEST

/* Exit @status with @out_has in stdout and @err_has in stderr (NULL: anything). */
static void
expect (const TestRun *r, int status, const char *out_has, const char *err_has)
{
  const char *out = r->out ? r->out : "", *err = r->err ? r->err : "";
  ck_assert_msg (r->status == status, "exit %d, wanted %d\nout: %s\nerr: %s", r->status, status,
                 out, err);
  if (out_has)
    ck_assert_msg (strstr (out, out_has) != NULL, "<%s> not in stdout:\n%s", out_has, out);
  if (err_has)
    ck_assert_msg (strstr (err, err_has) != NULL, "<%s> not in stderr:\n%s", err_has, err);
}

/* Every business column but the grade, to see that an import changed grades only. */
#define BUSINESS_BUT_GRADE                                                                         \
  "SELECT md5(string_agg(concat_ws('|', uscc, name, licence, stage, street, address, active, "     \
  "(SELECT string_agg(category, ';' ORDER BY category) FROM business_category c "                  \
  "WHERE c.district = b.district AND c.uscc = b.uscc)), ',' ORDER BY uscc)) FROM business b"

START_TEST (test_review_resolved_history_and_grades_round_trip)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 6, 6);
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-cli-hist-XXXXXX", NULL);
  g_autofree char *results = fx_write (dir, "results.csv", HX_RESULTS);
  g_auto (TestRun) imp = { 0 }, review = { 0 }, conf = { 0 }, nonconf = { 0 }, empty = { 0 },
                   all = { 0 }, unflagged = { 0 }, twice = { 0 };
  RUN (&imp, db, "results", "import", results, "--lab", "LAB1", "--date", "2024-03-01");
  expect (&imp, 0, "cases: 3 opened", NULL);
  RUN (&review, db, "results", "review", "--format", "csv");
  expect (&review, 0, "LAB1,BG-3,1,DC24120104000003,pass,fail,fail,", NULL);
  ck_assert (strstr (review.out, "LAB1,BG-5,1,") != NULL);
  RUN (&conf, db, "results", "review", "--resolve", "BG-3", "--verdict", "conforming", "--reason",
       "the limit is inclusive (GB 2762)", "--date", "2024-03-01");
  expect (&conf, 0, "report BG-3 of lab LAB1 (version 1): review resolved as conforming (was fail)",
          NULL);
  ck_assert (strstr (conf.out, "withdrawn") != NULL);
  RUN (&nonconf, db, "results", "review", "--resolve", "BG-5", "--lab", "LAB1", "--verdict",
       "nonconforming", "--reason", "retested: cadmium found", "--date", "2024-03-01");
  expect (&nonconf, 0, "resolved as nonconforming (was pass)", NULL);
  ck_assert (strstr (nonconf.out, "a case opened") != NULL);
  RUN (&empty, db, "results", "review");
  expect (&empty, 0, "no reports to review", NULL);
  RUN (&all, db, "results", "review", "--all", "--format", "csv");
  expect (&all, 0, ",resolved_verdict,resolved_on,resolved_by,resolution_reason\r\n", NULL);
  ck_assert_msg (strstr (all.out, ",pass,2024-03-01,") != NULL
                     && strstr (all.out, ",retested: cadmium found\r\n") != NULL,
                 "%s", all.out);
  RUN (&unflagged, db, "results", "review", "--resolve", "BG-2", "--verdict", "conforming",
       "--reason", "x");
  expect (&unflagged, 1, NULL, "BG-2 of lab LAB1 (version 1) is not flagged for review");
  RUN (&twice, db, "results", "review", "--resolve", "BG-3", "--verdict", "nonconforming",
       "--reason", "x");
  expect (&twice, 1, NULL, "was resolved on 2024-03-01");
  fx_sql (db, HX_MORE_SQL);
  /* the directory file needs each business's categories, as any directory row does */
  fx_sql (db, "INSERT INTO business_category (district, uscc, category) VALUES "
              "('120104', '" FX_USCC1 "', '24'), ('120104', '" FX_USCC2 "', '24'), "
              "('120104', '" FX_USCC2 "', '31'), ('120104', '" HX_USCC3 "', '31');");

  /* the business's record, in every format */
  g_auto (TestRun) show = { 0 }, json = { 0 }, xlsx = { 0 };
  RUN (&show, db, "registry", "show", FX_USCC1);
  expect (&show, 0, "Business:\n", NULL);
  ck_assert_msg (strstr (show.out, "DC24120104000005") && strstr (show.out, "苯甲酸")
                     && strstr (show.out, "HC2024-00004") && strstr (show.out, "0.62"),
                 "%s", show.out);
  RUN (&json, db, "registry", "show", FX_USCC1, "--format", "json");
  expect (&json, 0, "\"samples\"", NULL);
  ck_assert_msg (strstr (json.out, "\"nonconformities\"") && strstr (json.out, "\"cases\"")
                     && strstr (json.out, "\"HC2024-00002\""),
                 "%s", json.out);
  g_autofree char *book = g_build_filename (dir, "record.xlsx", NULL);
  RUN (&xlsx, db, "registry", "show", FX_USCC1, "--format", "xlsx", "--out", book);
  expect (&xlsx, 0, NULL, NULL);
  g_autofree char *sheets = xlsx_sheets (book);
  g_auto (GStrv) names = g_strsplit (sheets, ";", -1);
  ck_assert_msg (g_strv_length (names) == 4, "%s", sheets);

  /* the suggestions, and the directory file that applies them */
  g_autofree char *file = g_build_filename (dir, "grades.csv", NULL);
  g_auto (TestRun) sug = { 0 }, import = { 0 }, again = { 0 };
  g_autofree char *grades_before
      = test_scalar (db, "SELECT string_agg(grade, '' ORDER BY uscc) FROM business");
  ck_assert_str_eq (grades_before, "CAB");
  g_autofree char *rest_before = test_scalar (db, BUSINESS_BUT_GRADE);
  RUN (&sug, db, "registry", "suggest-grades", "--year", "2024", "--format", "csv",
       "--as-directory", file);
  expect (&sug, 0, "uscc,name,grade,suggested,nonconformities,filed_cases,reason\r\n",
          "wrote 3 businesses with suggested grades");
  ck_assert (strstr (sug.out, FX_USCC2 ",鼓楼示范食品店,C,D,1,HC2024-00003,") != NULL);
  g_autofree char *unchanged
      = test_scalar (db, "SELECT string_agg(grade, '' ORDER BY uscc) FROM business");
  ck_assert_str_eq (unchanged, "CAB"); /* a suggestion changes nothing */
  RUN (&import, db, "registry", "import", "businesses", file);
  expect (&import, 0, "0 inserted, 3 updated", NULL);
  g_autofree char *grades_after
      = test_scalar (db, "SELECT string_agg(grade, '' ORDER BY uscc) FROM business");
  ck_assert_str_eq (grades_after, "DBC");
  g_autofree char *rest_after = test_scalar (db, BUSINESS_BUT_GRADE);
  ck_assert_str_eq (rest_before, rest_after);
  /* applied, the sampled businesses' record suggests nothing more; the one
   * known from a referral only has no sampled grade to count from, so its
   * current grade is raised again (see svc_registry_suggest_grades()) */
  RUN (&again, db, "registry", "suggest-grades", "--year", "2024", "--format", "csv");
  expect (&again, 0, NULL, NULL);
  ck_assert_msg (strstr (again.out, HX_USCC3 ",南开示范超市,B,C,1,,") != NULL
                     && strstr (again.out, FX_USCC1) == NULL
                     && strstr (again.out, FX_USCC2) == NULL,
                 "%s", again.out);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cli-registry");
  TCase *tc = tcase_create ("cli-registry");
  tcase_set_timeout (tc, 240);
  tcase_add_test (tc, test_import_list_show_and_rejection);
  tcase_add_test (tc, test_month_drawn_listed_verified_and_sampled);
  tcase_add_test (tc, test_review_resolved_history_and_grades_round_trip);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
