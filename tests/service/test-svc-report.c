/* test-svc-report.c: every figure of the four reports over a small data set
 * with known answers (made with plain INSERTs, as results-fixture.h does,
 * so that each row is there for a reason stated beside it): a year with a
 * month that has no plan, an emergency draw, a cancelled task, an amended
 * report whose case was withdrawn and reopened, referrals in and out, an
 * extension, an overdue deadline, and the year before for the comparison.
 * Then the XLSX read back with tests/support/xlsx-dump.py and the HTML
 * rendered by headless Chromium. */
#include "tests/db/results-fixture.h"
#include "tests/support/test-run.h"

#include "reports/report-writer.h"
#include "service/svc-report.h"

#include "core/core-i18n.h"
#include "spotcheck-config.h"

#include <glib/gstdio.h>
#include <stdlib.h>

typedef struct
{
  CoreConfig *config;
  CoreCatalog *catalog;
  SvcContext svc;
} Env;

static void
env_clear (Env *e)
{
  core_catalog_free (e->catalog);
  core_config_free (e->config);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Env, env_clear)

static void
env_init (Env *e, TestDb *db)
{
  g_autoptr (GError) error = NULL;
  e->config = core_config_new_builtin (&error);
  e->catalog = core_catalog_load (e->config, &error);
  ck_assert_msg (e->catalog != NULL, "%s", error ? error->message : "");
  e->svc = (SvcContext){ .conn = db->conn,
                         .config = e->config,
                         .catalog = e->catalog,
                         .actor = "tester",
                         .role = SVC_ROLE_COORDINATOR };
  /* Months are over up to March; April is under way. */
  ck_assert (core_date_parse ("2024-04-15", &e->svc.today));
}

/* Task @n of 2024 (or 2023): draw, category, grade, business, street,
 * office, lab, status. */
static void
task (TestDb *db, int year, int month, int draw, int n, const char *cat, const char *grade,
      const char *uscc, const char *street, const char *office, const char *status)
{
  g_autofree char *sql = g_strdup_printf (
      "INSERT INTO task (district, year, month, draw_no, serial, record_no, category, grade, "
      "uscc, street, office, inspector1, inspector2, lab, due_date, status) VALUES "
      "('120104', %d, %d, %d, %d, 'DC%02d120104%06d', '%s', '%s', '%s', '%s', '%s', 'I1', 'I2', "
      "'LAB1', '%d-%02d-28', '%s');",
      year, month, draw, n, year % 100, n, cat, grade, uscc, street, office, year, month, status);
  fx_sql (db, sql);
  if (strcmp (status, "sampled") == 0)
    {
      g_autofree char *s = g_strdup_printf (
          "INSERT INTO sample (district, record_no, year, month, draw_no, serial, sample_name, "
          "batch, production_date, specification, quantity, sampling_date, labelled_producer, "
          "recorded_by) VALUES ('120104', 'DC%02d120104%06d', %d, %d, %d, %d, '样品%d', 'B%03d', "
          "'%d-%02d-02', '500g/袋', '2kg', '%d-%02d-10', '天津标称食品厂%d', 'test');",
          year % 100, n, year, month, draw, n, n, n, year, month, year, month, n);
      fx_sql (db, s);
    }
}

/* Report BG-@n version @v on task @n (current or not) with @verdict. */
static void
report (TestDb *db, int year, int n, int v, gboolean current, const char *verdict)
{
  g_autofree char *sql = g_strdup_printf (
      "INSERT INTO lab_report (district, lab, report_no, version, current, record_no, import_id, "
      "line, conclusion_text, lab_conclusion, computed, governing, review, amend_reason, "
      "test_date, items, digest) VALUES ('120104', 'LAB1', 'BG-%d', %d, %s, "
      "'DC%02d120104%06d', 1, 2, '%s', '%s', '%s', '%s', false, %s, '%d-02-05', 1, "
      "repeat('0', 64));",
      n, v, current ? "true" : "false", year % 100, n, verdict, verdict, verdict, verdict,
      v == 1 ? "NULL" : "'corrected'", year);
  fx_sql (db, sql);
}

/* An item of report BG-@n version @v. */
static void
item (TestDb *db, int n, int v, int line, const char *name, const char *value, const char *unit,
      const char *limit, const char *verdict)
{
  g_autofree char *sql = g_strdup_printf (
      "INSERT INTO result_item (district, lab, report_no, version, line, item, value_text, "
      "value_kind, value, unit, limit_text, lab_verdict, computed_verdict, governing_verdict, "
      "review) VALUES ('120104', 'LAB1', 'BG-%d', %d, %d, '%s', '%s', 'number', %s, '%s', '%s', "
      "'%s', '%s', '%s', false);",
      n, v, line, name, value, value, unit, limit, verdict, verdict, verdict);
  fx_sql (db, sql);
}

static void
make_data (TestDb *db)
{
  fx_sql (db,
          "INSERT INTO business (district, uscc, name, stage, street, grade, address) VALUES "
          "('120104', '" FX_USCC1 "', '南开示范餐饮有限公司', 'catering', '120104001', 'B', "
          "'南开区示范路1号'), "
          "('120104', '" FX_USCC2 "', '鼓楼示范食品店', 'distribution', '120104002', 'C', NULL);"
          "INSERT INTO inspector (district, id, name, office) VALUES "
          "('120104', 'I1', '张一', '12010401'), ('120104', 'I2', '李二', '12010401');"
          "INSERT INTO lab (district, code, name, capacity) VALUES "
          "('120104', 'LAB1', '天津市食品检验所', 500);"
          /* 2024: 20 planned, 3 in reserve; no cells in March (a month with no plan) */
          "INSERT INTO plan (district, year, version, status, total, reserve, within_one, "
          "max_deviation, config_snapshot, digest, created_by, approved_at, approved_by) VALUES "
          "('120104', 2024, 1, 'approved', 20, 3, true, 0.5, '', 'x', 'test', now(), 'test'), "
          "('120104', 2023, 1, 'approved', 1, 0, true, 0.5, '', 'x', 'test', now(), 'test');"
          "INSERT INTO plan_cell (district, year, version, month, category, grade, quota, ideal) "
          "VALUES ('120104', 2024, 1, 1, '24', 'B', 4, 4), ('120104', 2024, 1, 1, '31', 'C', 2, 2),"
          " ('120104', 2024, 1, 2, '24', 'B', 4, 4), ('120104', 2024, 1, 4, '33', 'A', 10, 10),"
          " ('120104', 2023, 1, 12, '31', 'C', 1, 1);"
          "INSERT INTO draw (district, year, month, draw_no, plan_version, seed, algorithm, "
          "input_text, input_digest, output_digest, tasks, shortfall, created_by, kind, category, "
          "reason) VALUES "
          "('120104', 2024, 1, 1, 1, 1, 'test', '', 'x', 'x', 6, 0, 'test', 'routine', NULL, NULL),"
          "('120104', 2024, 2, 2, 1, 1, 'test', '', 'x', 'x', 2, 0, 'test', 'routine', NULL, NULL),"
          "('120104', 2024, 2, 3, 1, 1, 'test', '', 'x', 'x', 2, 0, 'test', 'emergency', '24', "
          "'complaint'),"
          "('120104', 2024, 3, 4, 1, 1, 'test', '', 'x', 'x', 1, 0, 'test', 'routine', NULL, NULL),"
          "('120104', 2023, 12, 1, 1, 1, 'test', '', 'x', 'x', 1, 0, 'test', 'routine', NULL, "
          "NULL);"
          "INSERT INTO result_import (district, lab, file_name, sha256, rows, reports, actor) "
          "VALUES ('120104', 'LAB1', 'r.csv', repeat('a', 64), 1, 1, 'test');");
  const char *b1 = FX_USCC1, *b2 = FX_USCC2;
  /* January */
  task (db, 2024, 1, 1, 1, "24", "B", b1, "120104001", "12010401", "sampled"); /* passes */
  task (db, 2024, 1, 1, 2, "24", "B", b2, "120104002", "12010402", "sampled"); /* fails */
  task (db, 2024, 1, 1, 3, "31", "C", b1, "120104001", "12010401", "sampled"); /* fails twice */
  task (db, 2024, 1, 1, 4, "31", "C", b2, "120104002", "12010402", "sampled"); /* no report */
  task (db, 2024, 1, 1, 5, "24", "B", b1, "120104001", "12010401", "drawn");
  task (db, 2024, 1, 1, 6, "24", "B", b2, "120104002", "12010402", "cancelled"); /* not counted */
  /* February: one routine draw, one emergency draw */
  task (db, 2024, 2, 2, 7, "24", "B", b1, "120104001", "12010401", "sampled"); /* amended */
  task (db, 2024, 2, 2, 8, "24", "B", b2, "120104002", "12010402", "drawn");
  task (db, 2024, 2, 3, 9, "24", "A", b2, "120104002", "12010402", "sampled"); /* emergency */
  task (db, 2024, 2, 3, 10, "24", "A", b1, "120104001", "12010401", "drawn");  /* emergency */
  /* March, with no plan */
  task (db, 2024, 3, 4, 11, "24", "B", b1, "120104001", "12010401", "drawn");
  /* December 2023, for the comparison with earlier periods */
  task (db, 2023, 12, 1, 12, "31", "C", b2, "120104002", "12010402", "sampled");

  report (db, 2024, 1, 1, TRUE, "pass");
  item (db, 1, 1, 2, "菌落总数", "100", "CFU/g", "≤10000", "pass");
  report (db, 2024, 2, 1, TRUE, "fail");
  item (db, 2, 1, 2, "毒死蜱", "0.086", "mg/kg", "≤0.02", "fail");
  item (db, 2, 1, 3, "菌落总数", "100", "CFU/g", "≤10000", "pass");
  report (db, 2024, 3, 1, TRUE, "fail");
  item (db, 3, 1, 10, "铅(以Pb计)", "0.92", "mg/kg", "≤0.5", "fail");
  item (db, 3, 1, 11, "菌落总数", "15000", "CFU/g", "≤10000", "fail");
  /* version 1 failed, version 2 passed (the case withdrawn), version 3
   * fails again (the case reopened); only version 3 counts */
  report (db, 2024, 7, 1, FALSE, "fail");
  item (db, 7, 1, 2, "山梨酸及其钾盐(以山梨酸计)", "2.1", "g/kg", "≤1.0", "fail");
  report (db, 2024, 7, 2, FALSE, "pass");
  item (db, 7, 2, 2, "山梨酸及其钾盐(以山梨酸计)", "0.5", "g/kg", "≤1.0", "pass");
  report (db, 2024, 7, 3, TRUE, "fail");
  item (db, 7, 3, 2, "苯甲酸及其钠盐(以苯甲酸计)", "1.5", "g/kg", "≤1.0", "fail");
  report (db, 2024, 9, 1, TRUE, "pass");
  item (db, 9, 1, 2, "菌落总数", "10", "CFU/g", "≤10000", "pass");
  report (db, 2023, 12, 1, TRUE, "fail");
  item (db, 12, 1, 2, "菌落总数", "99000", "CFU/g", "≤10000", "fail");

  fx_sql (
      db,
      "INSERT INTO nc_case (district, case_no, source, state, uscc, business_name, product, "
      "record_no, lab, report_no, notice_no, notice_date, failed_items, opened_on, office, "
      "closed_on, created_by) VALUES "
      /* closed after 30 days, with an extension on the way */
      "('120104', 'HC2024-00001', 'district', 'closed', '" FX_USCC2 "', '鼓楼示范食品店', "
      "'样品2', 'DC24120104000002', 'LAB1', 'BG-2', NULL, NULL, '{毒死蜱}', '2024-02-06', "
      "'12010402', '2024-03-07', 'test'),"
      /* under disposal, referred out, past its deadline */
      "('120104', 'HC2024-00002', 'district', 'disposing', '" FX_USCC1 "', '南开示范餐饮有限公司', "
      "'样品3', 'DC24120104000003', 'LAB1', 'BG-3', NULL, NULL, '{铅(以Pb计),菌落总数}', "
      "'2024-02-06', '12010401', NULL, 'test'),"
      /* withdrawn by the amendment, then reopened: open again */
      "('120104', 'HC2024-00003', 'district', 'open', '" FX_USCC1 "', '南开示范餐饮有限公司', "
      "'样品7', 'DC24120104000007', 'LAB1', 'BG-7', NULL, NULL, '{苯甲酸及其钠盐(以苯甲酸计)}', "
      "'2024-02-20', '12010401', NULL, 'test'),"
      /* referrals in */
      "('120104', 'HC2024-00004', 'national', 'open', '" FX_USCC2 "', '鼓楼示范食品店', '花生油', "
      "NULL, NULL, NULL, 'GC-1', '2024-02-01', '{酸价}', '2024-02-03', '12010402', NULL, 'test'),"
      "('120104', 'HC2024-00005', 'city', 'closed', '" FX_USCC1
      "', '南开示范餐饮有限公司', '桃酥', "
      "NULL, NULL, NULL, 'SC-1', '2024-01-08', '{菌落总数}', '2024-01-10', '12010401', "
      "'2024-01-20', 'test');"
      "INSERT INTO case_deadline (district, case_no, name, from_on, amount, unit, due_on, met_at) "
      "VALUES ('120104', 'HC2024-00002', 'disposal-complete', '2024-02-06', 20, 'days', "
      "'2024-03-01', NULL),"
      " ('120104', 'HC2024-00003', 'deliver-conclusion', '2024-02-20', 5, 'days', '2024-03-05', "
      "now()),"
      " ('120104', 'HC2024-00004', 'disposal-complete', '2024-02-03', 90, 'days', '2024-05-01', "
      "NULL);"
      "INSERT INTO case_event (district, case_no, on_date, actor, event, from_state, to_state, "
      "detail) VALUES "
      "('120104', 'HC2024-00001', '2024-02-06', 'test', 'opened', NULL, 'open', NULL),"
      "('120104', 'HC2024-00001', '2024-02-20', 'test', 'extend', 'disposing', 'disposing', "
      "'{\"approved-by\": \"局长\"}'),"
      "('120104', 'HC2024-00001', '2024-03-07', 'test', 'close', 'disposing', 'closed', "
      "'{\"closed-on\": \"2024-03-07\", \"outcome\": \"责令改正，没收不合格产品\"}'),"
      "('120104', 'HC2024-00002', '2024-02-15', 'test', 'refer', 'disposing', 'referred', NULL),"
      "('120104', 'HC2024-00003', '2024-03-01', 'test', 'withdrawn by amendment', 'open', "
      "'closed', 'report BG-7 version 2 no longer fails'),"
      "('120104', 'HC2024-00003', '2024-03-10', 'test', 'reopened', 'closed', 'open', "
      "'report BG-7 version 3 fails again'),"
      "('120104', 'HC2024-00005', '2024-01-20', 'test', 'close', 'disposing', 'closed', "
      "'{\"outcome\": \"已移交\"}');");
}

static const CoreTable *
section (const CoreDocument *doc, const char *key)
{
  for (guint i = 0; i < doc->tables->len; i++)
    if (strcmp (core_table_key (g_ptr_array_index (doc->tables, i)), key) == 0)
      return g_ptr_array_index (doc->tables, i);
  ck_abort_msg ("no section %s", key);
  return NULL;
}

/* The row whose first column is @first. */
static guint
row_of (const CoreTable *t, const char *first)
{
  for (guint r = 0; r < core_table_n_rows (t); r++)
    if (g_strcmp0 (core_table_get (t, r, 0), first) == 0)
      return r;
  ck_abort_msg ("no row %s in %s", first, core_table_key (t));
  return 0;
}

/* Row @r of @t as "a|b|c" (missing cells empty), to compare whole rows. */
static char *
row_text (const CoreTable *t, guint r)
{
  GString *s = g_string_new (NULL);
  for (guint c = 0; c < core_table_n_columns (t); c++)
    {
      const char *v = core_table_get (t, r, c);
      g_string_append_printf (s, "%s%s", c ? "|" : "", v ? v : "");
    }
  return g_string_free (s, FALSE);
}

#define ROW_EQ(t, r, expect)                                                                       \
  do                                                                                               \
    {                                                                                              \
      g_autofree char *got_ = row_text (t, r);                                                     \
      ck_assert_str_eq (got_, expect);                                                             \
    }                                                                                              \
  while (0)

static SvcReportPeriod
period (SvcPeriodKind kind, const char *text)
{
  SvcReportPeriod p;
  g_autoptr (GError) error = NULL;
  ck_assert_msg (svc_report_period_parse (kind, text, &p, &error), "%s", error->message);
  return p;
}

typedef CoreDocument *(*ReportFunc) (const SvcContext *, const SvcReportPeriod *, const char *,
                                     const char *, GError **);

static CoreDocument *
run (Env *e, ReportFunc f, SvcPeriodKind kind, const char *when, const char *office,
     const char *lang)
{
  SvcReportPeriod p = period (kind, when);
  g_autoptr (GError) error = NULL;
  CoreDocument *doc = f (&e->svc, &p, office, lang, &error);
  ck_assert_msg (doc != NULL, "%s", error ? error->message : "");
  return doc;
}

START_TEST (test_progress_year)
{
  g_autoptr (TestDb) db = test_db_new ();
  make_data (db);
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autoptr (CoreDocument) doc = run (&e, svc_report_progress, SVC_PERIOD_YEAR, "2024", NULL, "en");
  const CoreTable *m = section (doc, "months");
  ck_assert_uint_eq (core_table_n_rows (m), 12);
  /* month|planned|drawn|sampled|reported|nc|emergency|cum plan|cum done|gap|behind */
  ROW_EQ (m, 0, "2024-01|6|5|4|3|2|0|6|4|2|true");
  ROW_EQ (m, 1, "2024-02|4|4|2|2|1|2|10|5|5|true");
  ROW_EQ (m, 2, "2024-03|0|1|0|0|0|0|10|5|5|true");    /* no plan, still behind */
  ROW_EQ (m, 3, "2024-04|10|0|0|0|0|0|20|5|15|false"); /* not over yet */
  ROW_EQ (m, 11, "2024-12|0|0|0|0|0|0|20|5|15|false");
  const CoreTable *c = section (doc, "categories");
  ck_assert_uint_eq (core_table_n_rows (c), 3);
  ROW_EQ (c, 0, "24|Pastries|8|8|4|4|2");
  ROW_EQ (c, 1, "31|Catering food (tableware included)|2|2|2|1|1");
  ROW_EQ (c, 2, "33|Edible agricultural products|10|0|0|0|0");
  const CoreTable *g = section (doc, "grades");
  ROW_EQ (g, 0, "A|10|2|1|1|0");
  ROW_EQ (g, 1, "B|8|6|3|3|2");
  ROW_EQ (g, 2, "C|2|2|2|1|1");
  ROW_EQ (g, 3, "D|0|0|0|0|0");
  const CoreTable *s = section (doc, "streets");
  ck_assert_uint_eq (core_table_n_rows (s), 12);
  guint s1 = row_of (s, "120104001"), s2 = row_of (s, "120104002"), s3 = row_of (s, "120104003");
  ck_assert_str_eq (core_table_get (s, s1, 2), "Changhong Market Supervision Office");
  ck_assert_str_eq (core_table_get (s, s1, 3), "6");
  ck_assert_str_eq (core_table_get (s, s1, 4), "3");
  ck_assert_str_eq (core_table_get (s, s1, 5), "3");
  ck_assert_str_eq (core_table_get (s, s1, 6), "2");
  ck_assert_str_eq (core_table_get (s, s2, 3), "4");
  ck_assert_str_eq (core_table_get (s, s2, 4), "3");
  ck_assert_str_eq (core_table_get (s, s2, 5), "2");
  ck_assert_str_eq (core_table_get (s, s2, 6), "1");
  ck_assert_str_eq (core_table_get (s, s3, 3), "0");
  /* draws|tasks|reserve|used|left */
  ROW_EQ (section (doc, "reserve"), 0, "1|2|3|2|1");
  /* the pace line and the category bars */
  ck_assert_uint_eq (doc->charts->len, 2);
  const CoreChart *pace = g_ptr_array_index (doc->charts, 0);
  ck_assert_int_eq (pace->kind, CORE_CHART_LINE);
  ck_assert_uint_eq (pace->categories->len, 12);
  ck_assert_uint_eq (pace->series->len, 2);
  const CoreChartSeries *done = g_ptr_array_index (pace->series, 1);
  ck_assert_double_eq (g_array_index (done->values, double, 1), 5);
}
END_TEST

START_TEST (test_progress_periods_and_office)
{
  g_autoptr (TestDb) db = test_db_new ();
  make_data (db);
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  /* a month with no plan */
  g_autoptr (CoreDocument) march
      = run (&e, svc_report_progress, SVC_PERIOD_MONTH, "2024-03", NULL, "zh");
  const CoreTable *m = section (march, "months");
  ck_assert_uint_eq (core_table_n_rows (m), 1);
  ROW_EQ (m, 0, "2024-03|0|1|0|0|0|0|10|5|5|true");
  ROW_EQ (section (march, "categories"), 0, "24|糕点|0|1|0|0|0");
  ROW_EQ (section (march, "reserve"), 0, "0|0|3|2|1");
  /* an empty period */
  g_autoptr (CoreDocument) june
      = run (&e, svc_report_progress, SVC_PERIOD_MONTH, "2024-06", NULL, "en");
  ROW_EQ (section (june, "months"), 0, "2024-06|0|0|0|0|0|0|20|5|15|false");
  ck_assert_uint_eq (core_table_n_rows (section (june, "categories")), 0);
  /* a quarter */
  g_autoptr (CoreDocument) q1
      = run (&e, svc_report_progress, SVC_PERIOD_QUARTER, "2024-Q1", NULL, "en");
  ck_assert_uint_eq (core_table_n_rows (section (q1, "months")), 3);
  ROW_EQ (section (q1, "categories"), 0, "24|Pastries|8|8|4|4|2");
  /* one office: no plan of its own */
  g_autoptr (CoreDocument) office
      = run (&e, svc_report_progress, SVC_PERIOD_YEAR, "2024", "12010401", "en");
  ck_assert_str_eq (office->title, "Sampling progress, 2024, Changhong Market Supervision Office");
  ROW_EQ (section (office, "months"), 0, "2024-01||3|2|2|1|0||2||");
  ROW_EQ (section (office, "months"), 1, "2024-02||2|1|1|1|1||3||");
  ROW_EQ (section (office, "categories"), 0, "24|Pastries||5|2|2|1");
  ck_assert_uint_eq (core_table_n_rows (section (office, "streets")), 2);
  /* an unknown office, an inspector of another office, a bad language */
  SvcReportPeriod y = period (SVC_PERIOD_YEAR, "2024");
  g_autoptr (GError) error = NULL;
  ck_assert (svc_report_progress (&e.svc, &y, "12019999", "en", &error) == NULL);
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_NOT_FOUND));
  g_clear_error (&error);
  ck_assert (svc_report_progress (&e.svc, &y, NULL, "fr", &error) == NULL);
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_INVALID));
  g_clear_error (&error);
  e.svc.role = SVC_ROLE_INSPECTOR;
  e.svc.office = "12010402";
  ck_assert (svc_report_cases (&e.svc, &y, "12010401", "en", &error) == NULL);
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_SCOPE));
  g_clear_error (&error);
  g_autoptr (CoreDocument) own = svc_report_cases (&e.svc, &y, NULL, "en", &error);
  ck_assert_msg (own != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq (core_table_get (section (own, "summary"), 0, 0), "2"); /* cases 1 and 4 */
  ck_assert (!svc_report_period_parse (SVC_PERIOD_MONTH, "2024-13", &y, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_INVALID));
  g_clear_error (&error);
  ck_assert (!svc_report_period_parse (SVC_PERIOD_QUARTER, "2024-Q5", &y, &error));
  g_clear_error (&error);
  ck_assert (!svc_report_period_parse (SVC_PERIOD_YEAR, "24", &y, &error));
}
END_TEST

START_TEST (test_nonconformity)
{
  g_autoptr (TestDb) db = test_db_new ();
  make_data (db);
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autoptr (CoreDocument) doc
      = run (&e, svc_report_nonconformity, SVC_PERIOD_YEAR, "2024", NULL, "zh");
  const CoreTable *c = section (doc, "categories");
  ck_assert_uint_eq (core_table_n_rows (c), 3);
  ROW_EQ (c, 0, "24|糕点|4|2|50.00");
  ROW_EQ (c, 1, "31|餐饮食品|1|1|100.00");
  ROW_EQ (c, 2, "|合计|5|3|60.00");
  const CoreTable *st = section (doc, "stages");
  ck_assert_uint_eq (core_table_n_rows (st), 3);
  ROW_EQ (st, 0, "流通环节|2|1|50.00");
  ROW_EQ (st, 1, "餐饮环节|3|2|66.67");
  ROW_EQ (st, 2, "合计|5|3|60.00");
  /* only the current version's items: the amended-away 山梨酸 is gone */
  const CoreTable *it = section (doc, "items");
  ck_assert_uint_eq (core_table_n_rows (it), 4);
  ck_assert_str_eq (core_table_get (it, row_of (it, "毒死蜱"), 1), "农药残留超标");
  ck_assert_str_eq (core_table_get (it, row_of (it, "铅(以Pb计)"), 1), "重金属等元素污染");
  ck_assert_str_eq (core_table_get (it, row_of (it, "菌落总数"), 1), "微生物污染");
  ck_assert_str_eq (core_table_get (it, row_of (it, "苯甲酸及其钠盐(以苯甲酸计)"), 1),
                    "食品添加剂超范围超限量使用");
  ck_assert_str_eq (core_table_get (it, row_of (it, "菌落总数"), 2), "1");
  const CoreTable *ca = section (doc, "causes");
  ck_assert_uint_eq (core_table_n_rows (ca), 4);
  ROW_EQ (ca, 0, "pesticide|农药残留超标|1|1|33.33");
  ROW_EQ (ca, 1, "microbe|微生物污染|1|1|33.33");
  ROW_EQ (ca, 2, "heavy-metal|重金属等元素污染|1|1|33.33");
  ROW_EQ (ca, 3, "additive|食品添加剂超范围超限量使用|1|1|33.33");
  const CoreTable *tr = section (doc, "earlier");
  ck_assert_uint_eq (core_table_n_rows (tr), 5);
  ROW_EQ (tr, 0, "2020|0|0|");
  ROW_EQ (tr, 3, "2023|1|1|100.00");
  ROW_EQ (tr, 4, "2024|5|3|60.00");
  ck_assert_uint_eq (doc->charts->len, 2);
  /* the months before January cross into the year before */
  g_autoptr (CoreDocument) jan
      = run (&e, svc_report_nonconformity, SVC_PERIOD_MONTH, "2024-01", NULL, "en");
  const CoreTable *jt = section (jan, "earlier");
  ROW_EQ (jt, 0, "2023-09|0|0|");
  ROW_EQ (jt, 3, "2023-12|1|1|100.00");
  ROW_EQ (jt, 4, "2024-01|3|2|66.67");
  /* an empty period: only the total, and no items */
  g_autoptr (CoreDocument) june
      = run (&e, svc_report_nonconformity, SVC_PERIOD_MONTH, "2024-06", NULL, "en");
  ck_assert_uint_eq (core_table_n_rows (section (june, "categories")), 1);
  ROW_EQ (section (june, "categories"), 0, "|total|0|0|");
  ck_assert_uint_eq (core_table_n_rows (section (june, "items")), 0);
  ck_assert_uint_eq (core_table_n_rows (section (june, "causes")), 0);
}
END_TEST

START_TEST (test_cases)
{
  g_autoptr (TestDb) db = test_db_new ();
  make_data (db);
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autoptr (CoreDocument) doc = run (&e, svc_report_cases, SVC_PERIOD_YEAR, "2024", NULL, "en");
  /* opened|in|closed|open|overdue|median|p90|extensions|out|reopened */
  ROW_EQ (section (doc, "summary"), 0, "5|2|2|3|1|20.0|28.0|1|1|1");
  const CoreTable *st = section (doc, "states");
  ck_assert_str_eq (core_table_get (st, row_of (st, "closed"), 2), "2");
  ck_assert_str_eq (core_table_get (st, row_of (st, "open"), 2), "2"); /* the reopened one too */
  ck_assert_str_eq (core_table_get (st, row_of (st, "disposing"), 2), "1");
  const CoreTable *of = section (doc, "offices");
  ck_assert_uint_eq (core_table_n_rows (of), 2);
  ROW_EQ (of, 0, "12010401|Changhong Market Supervision Office|3|2|1|1|10.0|10.0");
  ROW_EQ (of, 1, "12010402|Gulou Market Supervision Office|2|1|0|1|30.0|30.0");
  const CoreTable *rf = section (doc, "referrals");
  ROW_EQ (rf, 0, "city|1");
  ROW_EQ (rf, 1, "provincial|0");
  ROW_EQ (rf, 2, "national|1");
  const CoreTable *ag = section (doc, "ageing");
  ROW_EQ (ag, 0, "0-15|0|15|0");
  ROW_EQ (ag, 2, "31-60|31|60|1");
  ROW_EQ (ag, 3, "61-90|61|90|2");
  ROW_EQ (ag, 4, ">90|91||0");
  ck_assert_uint_eq (doc->charts->len, 1);
  /* JSON carries the chart's data after the tables */
  g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  ck_assert (report_write_document (REPORT_FORMAT_JSON, mem, "en", doc, &error));
  ck_assert (g_output_stream_write_all (mem, "", 1, NULL, NULL, &error));
  const char *json = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem));
  ck_assert_msg (strstr (json, "\"charts\" : [") != NULL && strstr (json, "\"after\" : \"ageing\"")
                     && strstr (json, "\"61-90\""),
                 "%s", json);
  /* January: the city referral opened and closed in ten days */
  g_autoptr (CoreDocument) jan
      = run (&e, svc_report_cases, SVC_PERIOD_MONTH, "2024-01", NULL, "zh");
  ROW_EQ (section (jan, "summary"), 0, "1|1|1|0|0|10.0|10.0|0|0|0");
  ROW_EQ (section (jan, "referrals"), 0, "市级抽检|1");
  /* March: the closing, and the case withdrawn and reopened */
  g_autoptr (CoreDocument) mar
      = run (&e, svc_report_cases, SVC_PERIOD_MONTH, "2024-03", NULL, "en");
  ROW_EQ (section (mar, "summary"), 0, "0|0|1|3|1|30.0|30.0|0|0|1");
  /* an empty period: nothing opened or closed, the open cases still open */
  g_autoptr (CoreDocument) june
      = run (&e, svc_report_cases, SVC_PERIOD_MONTH, "2024-06", NULL, "en");
  ROW_EQ (section (june, "summary"), 0, "0|0|0|3|1|||0|0|0");
}
END_TEST

START_TEST (test_disclosure)
{
  g_autoptr (TestDb) db = test_db_new ();
  make_data (db);
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autoptr (CoreDocument) doc
      = run (&e, svc_report_disclosure, SVC_PERIOD_YEAR, "2024", NULL, "zh");
  ck_assert_uint_eq (doc->tables->len, 1);
  const CoreTable *t = g_ptr_array_index (doc->tables, 0);
  ck_assert_uint_eq (core_table_n_rows (t), 3);
  ck_assert_str_eq (core_column_label (core_table_column (t, 9)), "不合格项目‖检验结果‖标准值");
  /* no|producer|producer address|business|address|food|spec|brand|batch|failed|category|lab|
   * outcome: the producer's address and the brand are not recorded, so empty */
  ROW_EQ (t, 0,
          "1|天津标称食品厂2||鼓楼示范食品店||样品2|500g/袋||2024-01-02 / B002|"
          "毒死蜱‖0.086mg/kg‖≤0.02mg/kg|糕点|天津市食品检验所|责令改正，没收不合格产品");
  ROW_EQ (t, 1,
          "2|天津标称食品厂3||南开示范餐饮有限公司|南开区示范路1号|样品3|500g/袋||2024-01-02 / "
          "B003|铅(以Pb计)‖0.92mg/kg‖≤0.5mg/kg；菌落总数‖15000CFU/g‖≤10000CFU/g|餐饮食品|"
          "天津市食品检验所|");
  /* reopened: open again, so no outcome is published */
  ROW_EQ (t, 2,
          "3|天津标称食品厂7||南开示范餐饮有限公司|南开区示范路1号|样品7|500g/袋||2024-02-02 / "
          "B007|苯甲酸及其钠盐(以苯甲酸计)‖1.5g/kg‖≤1.0g/kg|糕点|天津市食品检验所|");
  /* never an inspector */
  g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  ck_assert (report_write_document (REPORT_FORMAT_JSON, mem, "zh", doc, &error));
  ck_assert (g_output_stream_write_all (mem, "", 1, NULL, NULL, &error));
  const char *json = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (mem));
  ck_assert (strstr (json, "张一") == NULL && strstr (json, "李二") == NULL);
  ck_assert (strstr (json, "I1") == NULL);
  g_autoptr (CoreDocument) june
      = run (&e, svc_report_disclosure, SVC_PERIOD_MONTH, "2024-06", NULL, "en");
  ck_assert_uint_eq (core_table_n_rows (g_ptr_array_index (june->tables, 0)), 0);
}
END_TEST

static char *
write_file (const CoreDocument *doc, ReportFormat format, const char *lang, const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileOutputStream) out
      = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  ck_assert_msg (out != NULL, "%s", error ? error->message : "");
  ck_assert_msg (report_write_document (format, G_OUTPUT_STREAM (out), lang, doc, &error), "%s",
                 error ? error->message : "");
  ck_assert (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  return g_strdup (path);
}

/* The business report agrees with the others: its nonconforming samples add
 * up to the nonconformity report's, its cases to the cases report's; the
 * grade suggestions come for the district only. */
START_TEST (test_business)
{
  g_autoptr (TestDb) db = test_db_new ();
  make_data (db);
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autoptr (CoreDocument) doc = run (&e, svc_report_business, SVC_PERIOD_YEAR, "2024", NULL, "en");
  const CoreTable *b = section (doc, "businesses");
  ck_assert_uint_gt (core_table_n_rows (b), 0);
  double nc = 0, cases = 0, previous = G_MAXDOUBLE;
  for (guint r = 0; r < core_table_n_rows (b); r++)
    {
      double row_nc = g_ascii_strtod (core_table_get (b, r, 7), NULL);
      ck_assert_msg (row_nc <= previous, "not the most nonconforming first at row %u", r);
      previous = row_nc;
      nc += row_nc;
      cases += g_ascii_strtod (core_table_get (b, r, 8), NULL);
    }
  g_autoptr (CoreDocument) quality
      = run (&e, svc_report_nonconformity, SVC_PERIOD_YEAR, "2024", NULL, "en");
  const CoreTable *cat = section (quality, "categories");
  guint total = core_table_n_rows (cat) - 1; /* the rollup row */
  ck_assert_int_eq ((int)nc, atoi (core_table_get (cat, total, 3)));
  g_autoptr (CoreDocument) cs = run (&e, svc_report_cases, SVC_PERIOD_YEAR, "2024", NULL, "en");
  ck_assert_int_eq ((int)cases, atoi (core_table_get (section (cs, "summary"), 0, 0)));
  section (doc, "grade_suggestions");
  /* one office: its businesses only, no district-wide suggestions */
  g_autoptr (CoreDocument) office
      = run (&e, svc_report_business, SVC_PERIOD_YEAR, "2024", "12010402", "en");
  ck_assert_uint_eq (office->tables->len, 1);
  ck_assert_uint_lt (core_table_n_rows (section (office, "businesses")), core_table_n_rows (b) + 1);
  /* an empty month: nobody */
  g_autoptr (CoreDocument) june
      = run (&e, svc_report_business, SVC_PERIOD_MONTH, "2024-06", NULL, "en");
  ck_assert_uint_eq (core_table_n_rows (section (june, "businesses")), 0);
}
END_TEST

static char *
support_script (const char *name)
{
  const char *src = g_getenv ("SPOTCHECK_SOURCE_DIR");
  ck_assert (src != NULL);
  return g_build_filename (src, "tests", "support", name, NULL);
}

START_TEST (test_xlsx_read_back)
{
  g_autoptr (TestDb) db = test_db_new ();
  make_data (db);
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autoptr (CoreDocument) doc = run (&e, svc_report_progress, SVC_PERIOD_YEAR, "2024", NULL, "zh");
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "progress.xlsx", NULL);
  g_free (write_file (doc, REPORT_FORMAT_XLSX, "zh", path));
  g_autofree char *script = support_script ("xlsx-dump.py");
  g_auto (TestRun) r = { 0 };
  test_run_argv (&r, (const char *const[]){ "python3", script, path, NULL });
  ck_assert_msg (r.status == 0, "%s", r.err);
  /* one sheet per section, titled in Chinese, Chinese headers, numbers as numbers */
  const char *expect[] = {
    "按月进度（均衡推进）\tA2\ts\t月份\n",
    "按月进度（均衡推进）\tB2\ts\t计划批次\n",
    "按月进度（均衡推进）\tA3\ts\t2024-01\n",
    "按月进度（均衡推进）\tB3\tn\t6\n",
    "按月进度（均衡推进）\tI4\tn\t5\n",
    "按食品大类\tB3\ts\t糕点\n",
    "按食品大类\tC3\tn\t8\n",
    "按风险等级\tA1\ts\t按风险等级\n",
    "按街道\tA2\ts\t街道代码\n",
    "应急抽检与机动批次\tA1\ts\t应急抽检与机动批次\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    ck_assert_msg (strstr (r.out, expect[i]) != NULL, "missing <%s> in:\n%.3000s", expect[i],
                   r.out);
  /* the pace chart's data beside the month table (11 columns, then a gap) */
  ck_assert_msg (strstr (r.out, "按月进度（均衡推进）\tN2\ts\t累计计划\n") != NULL
                     && strstr (r.out, "按月进度（均衡推进）\tO4\tn\t5\n") != NULL,
                 "%.3000s", r.out);
  /* the pace line and the category bars as native charts */
  ck_assert_msg (strstr (r.out, "\ncharts\t2\n") != NULL, "%.3000s", r.out);
  g_remove (path);
  g_rmdir (dir);
}
END_TEST

START_TEST (test_html_in_chromium)
{
  g_autoptr (TestDb) db = test_db_new ();
  make_data (db);
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autoptr (CoreDocument) doc = run (&e, svc_report_progress, SVC_PERIOD_YEAR, "2024", NULL, "zh");
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-report-XXXXXX", NULL);
  g_autofree char *html = g_build_filename (dir, "progress.html", NULL);
  g_free (write_file (doc, REPORT_FORMAT_HTML, "zh", html));
  g_autofree char *text = NULL;
  ck_assert (g_file_get_contents (html, &text, NULL, NULL));
  /* self-contained: no fetch of anything; Chinese font named; charts drawn */
  ck_assert (strstr (text, "http://") == NULL || strstr (text, "http://www.w3.org/2000/svg"));
  ck_assert (strstr (text, "src=") == NULL && strstr (text, "<link") == NULL);
  ck_assert (strstr (text, "Noto Sans CJK SC") != NULL);
  ck_assert (strstr (text, "@media print") != NULL);
  ck_assert (strstr (text, "<polyline") != NULL && strstr (text, "<rect") != NULL);
  ck_assert (strstr (text, "<th>累计计划</th>") != NULL);
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  if (chromium == NULL)
    {
      fprintf (stderr, "SKIP: chromium is not installed (apt-get install chromium "
                       "fonts-noto-cjk); the HTML was not rendered\n");
      g_remove (html);
      g_rmdir (dir);
      return;
    }
  g_autofree char *png = g_build_filename (dir, "progress.png", NULL);
  g_autofree char *shot = g_strdup_printf ("--screenshot=%s", png);
  g_autofree char *url = g_strdup_printf ("file://%s", html);
  g_autofree char *profile = g_strdup_printf ("--user-data-dir=%s/profile", dir);
  g_auto (TestRun) r = { 0 };
  test_run_argv (&r, (const char *const[]){ chromium, "--headless", "--no-sandbox", "--disable-gpu",
                                            "--hide-scrollbars", profile, shot,
                                            "--window-size=1240,1754", url, NULL });
  ck_assert_msg (g_file_test (png, G_FILE_TEST_EXISTS), "no screenshot: %s", r.err);
  g_autofree char *script = support_script ("png-ink.py");
  g_auto (TestRun) ink = { 0 };
  test_run_argv (&ink, (const char *const[]){ "python3", script, png, NULL });
  ck_assert_msg (ink.status == 0, "%s", ink.err);
  int w = 0, h = 0, inked = 0;
  ck_assert (sscanf (ink.out, "%d %d %d", &w, &h, &inked) == 3);
  ck_assert_int_eq (w, 1240);
  ck_assert_int_eq (h, 1754);
  /* text, rules and the chart: a blank page has none */
  ck_assert_msg (inked > 20000, "only %d inked pixels", inked);
  /* On paper: A4 portrait, a page per section (five of them) */
  g_autofree char *pdf = g_build_filename (dir, "progress.pdf", NULL);
  g_autofree char *print = g_strdup_printf ("--print-to-pdf=%s", pdf);
  g_auto (TestRun) p = { 0 };
  test_run_argv (&p, (const char *const[]){ chromium, "--headless", "--no-sandbox", "--disable-gpu",
                                            profile, print, url, NULL });
  g_autofree char *bytes = NULL;
  gsize len = 0;
  ck_assert_msg (g_file_get_contents (pdf, &bytes, &len, NULL), "no PDF: %s", p.err);
  int pages = 0, portrait = 0;
  for (const char *at = bytes; (at = memmem (at, len - (gsize)(at - bytes), "/MediaBox", 9));
       at += 9)
    {
      pages++;
      double wd = 0, ht = 0;
      if (sscanf (at, "/MediaBox [0 0 %lf %lf]", &wd, &ht) == 2 && ht > wd)
        portrait++;
    }
  ck_assert_msg (pages >= 5, "%d pages", pages);
  ck_assert_int_eq (portrait, pages);
  g_autofree char *keep = g_strdup (g_getenv ("SPOTCHECK_KEEP_SCREENSHOT"));
  if (keep != NULL && *keep != '\0')
    {
      g_autofree char *shot_bytes = NULL;
      gsize shot_len = 0;
      ck_assert (g_file_get_contents (png, &shot_bytes, &shot_len, NULL));
      ck_assert (g_file_set_contents (keep, shot_bytes, (gssize)shot_len, NULL));
    }
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
  ck_assert (system (rm) == 0);
}
END_TEST

/* Through the binary: the command, its formats and the language the locale
 * gives when --lang is left out. */
START_TEST (test_command_line)
{
  g_autoptr (TestDb) db = test_db_new ();
  make_data (db);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LANG", "en_US.UTF-8", TRUE);
  g_auto (TestRun) csv = { 0 };
  RUN (&csv, db, "report", "cases", "--year", "2024", "--date", "2024-04-15", "--format", "csv");
  ck_assert_msg (csv.status == 0, "%s", csv.err);
  ck_assert_msg (strstr (csv.out,
                         "opened,referrals_in,closed,open,overdue,median_days,p90_days,"
                         "extensions,referrals_out,reopened\r\n5,2,2,3,1,20.0,28.0,1,1,1\r\n")
                     != NULL,
                 "%s", csv.out);
  g_auto (TestRun) en = { 0 };
  RUN (&en, db, "report", "progress", "--month", "2024-03", "--date", "2024-04-15");
  ck_assert_msg (en.status == 0, "%s", en.err);
  ck_assert_msg (strstr (en.out, "Sampling progress, 2024-03") != NULL, "%s", en.out);
  g_setenv ("LANG", "zh_CN.UTF-8", TRUE);
  g_auto (TestRun) zh = { 0 };
  RUN (&zh, db, "report", "progress", "--month", "2024-03", "--date", "2024-04-15");
  ck_assert_msg (zh.status == 0, "%s", zh.err);
  ck_assert_msg (strstr (zh.out, "抽检计划执行进度 · 2024-03") != NULL, "%s", zh.out);
  ck_assert_msg (strstr (zh.out, "糕点") != NULL, "%s", zh.out);
  /* --lang wins over the locale */
  g_auto (TestRun) forced = { 0 };
  RUN (&forced, db, "report", "disclosure", "--quarter", "2024-Q1", "--lang", "en", "--format",
       "json");
  ck_assert_msg (forced.status == 0, "%s", forced.err);
  ck_assert_msg (strstr (forced.out, "\"Pastries\"") != NULL, "%s", forced.out);
  g_auto (TestRun) office = { 0 };
  RUN (&office, db, "report", "cases", "--office", "12010402", "--date", "2024-04-15", "--format",
       "csv", "--lang", "en");
  ck_assert_msg (office.status == 0, "%s", office.err);
  ck_assert_msg (strstr (office.out, "\r\n2,1,1,1,0,30.0,30.0,1,0,0\r\n") != NULL, "%s",
                 office.out);
  g_unsetenv ("LANG");
}
END_TEST

int
main (void)
{
  core_i18n_set_localedir (SPOTCHECK_BUILD_LOCALEDIR);
  Suite *s = suite_create ("svc-report");
  TCase *tc = tcase_create ("reports");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_progress_year);
  tcase_add_test (tc, test_progress_periods_and_office);
  tcase_add_test (tc, test_nonconformity);
  tcase_add_test (tc, test_cases);
  tcase_add_test (tc, test_disclosure);
  tcase_add_test (tc, test_business);
  tcase_add_test (tc, test_xlsx_read_back);
  tcase_add_test (tc, test_html_in_chromium);
  tcase_add_test (tc, test_command_line);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
