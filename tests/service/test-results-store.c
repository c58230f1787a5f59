/* test-results-store.c: lab result imports (svc_results_import_data) against
 * PostgreSQL: all or nothing with every problem listed, idempotent, amendable,
 * verdicts recomputed, cases opened in the same transaction, concurrent
 * imports. */
#include "tests/db/results-fixture.h"

#include "core/core-problems.h"
#include "db/db-results.h"
#include "service/svc-results.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  CoreConfig *config;
  CoreCatalog *catalog;
  CoreCalendar *calendar;
  CasesDeadlines *deadlines;
  SvcContext svc; /* a coordinator; svc.today is the import date */
  SvcResultsOptions opts;
} Env;

static void
env_clear (Env *e)
{
  cases_deadlines_free (e->deadlines);
  core_calendar_free (e->calendar);
  core_catalog_free (e->catalog);
  core_config_free (e->config);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Env, env_clear)

static void
env_init (Env *e, const char *lab, const char *today)
{
  g_autoptr (GError) error = NULL;
  e->config = core_config_new_builtin (&error);
  e->catalog = core_catalog_load (e->config, &error);
  e->calendar = core_calendar_new (e->config, &error);
  e->deadlines = cases_deadlines_load (e->config, &error);
  ck_assert_msg (e->deadlines != NULL, "%s", error ? error->message : "");
  e->svc = (SvcContext){ .config = e->config,
                         .catalog = e->catalog,
                         .calendar = e->calendar,
                         .deadlines = e->deadlines,
                         .actor = "tester",
                         .role = SVC_ROLE_COORDINATOR };
  e->opts = (SvcResultsOptions){ .lab = lab };
  ck_assert (core_date_parse (today, &e->svc.today));
}

static gboolean
import_as (PGconn *conn, Env *e, const char *text, gsize len, const char *name,
           SvcResultsSummary *s, GError **error)
{
  e->svc.conn = conn;
  return svc_results_import_data (&e->svc, text, len, name, &e->opts, s, error);
}

static gboolean
import (TestDb *db, Env *e, const char *text, SvcResultsSummary *s, GError **error)
{
  return import_as (db->conn, e, text, strlen (text), "r.csv", s, error);
}

static void
import_ok (TestDb *db, Env *e, const char *text, SvcResultsSummary *s)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (import (db, e, text, s, &error), "%s", error ? error->message : "");
}

static int
count (TestDb *db, const char *sql)
{
  g_autofree char *v = fx_scalar (db, sql);
  return atoi (v);
}

/* BG-1 passes, BG-2 fails (benzoic acid over its maximum). */
static char *
two_reports (const char *benzoic)
{
  GString *s = g_string_new (FX_HEADER);
  fx_row (s, 1, "铅(以Pb计)", "0.12", "≤0.5", "合格", "合格");
  fx_row (s, 1, "镉(以Cd计)", "未检出", "≤0.1", "合格", "合格");
  gboolean fails = g_ascii_strtod (benzoic, NULL) > 0.5;
  fx_row (s, 2, "苯甲酸", benzoic, "≤0.5", fails ? "不合格" : "合格", fails ? "不合格" : "合格");
  return g_string_free (s, FALSE);
}

START_TEST (test_import_opens_case_with_deadlines)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, "LAB1", "2024-02-08"); /* the day before Spring Festival Eve */
  g_autofree char *text = two_reports ("0.62");
  g_auto (SvcResultsSummary) s = { 0 };
  import_ok (db, &e, text, &s);
  ck_assert (!s.unchanged);
  ck_assert_uint_eq (s.rows, 3);
  ck_assert_uint_eq (s.reports_new, 2);
  ck_assert_uint_eq (s.cases_opened, 1);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM result_item"), 3);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM lab_report WHERE governing = 'fail'"), 1);
  g_autofree char *c = fx_scalar (
      db, "SELECT case_no || ' ' || source || ' ' || state || ' ' || uscc || ' ' || record_no "
          "|| ' ' || report_no || ' ' || office || ' ' || opened_on || ' ' || "
          "array_to_string(failed_items, ';') FROM nc_case");
  ck_assert_str_eq (c, "HC2024-00001 district open " FX_USCC2
                       " DC24120104000002 BG-2 12010401 2024-02-08 苯甲酸");
  /* 5 working days: Feb 9, Feb 18 (declared working Sunday), 19, 20, 21; 90 calendar days */
  g_autofree char *due = fx_scalar (
      db, "SELECT string_agg(name || '=' || due_on, ' ' ORDER BY name) FROM case_deadline");
  ck_assert_str_eq (due, "deliver-conclusion=2024-02-21 disposal-complete=2024-05-08");
  g_autofree char *ev = fx_scalar (db, "SELECT event || ':' || to_state FROM case_event");
  ck_assert_str_eq (ev, "opened:open");
  ck_assert_int_eq (count (db, "SELECT count(*) FROM audit_log WHERE action = 'results.import'"),
                    1);
  /* the case history cannot be rewritten */
  g_autoptr (GError) error = NULL;
  ck_assert (!db_run (db->conn, "DELETE FROM case_event", DB_NO_ARGS, &error));
  ck_assert (db_error_is (error, "42501"));
  g_clear_error (&error);
  g_autoptr (PGconn) owner = db_connect (db->owner_conninfo, &error);
  ck_assert (owner != NULL);
  ck_assert (!db_run (owner, "DELETE FROM case_event", DB_NO_ARGS, &error));
  ck_assert (strstr (error->message, "append-only") != NULL);
}
END_TEST

START_TEST (test_passing_file_opens_no_case)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, "LAB1", "2024-03-01");
  g_autofree char *text = two_reports ("0.5"); /* exactly at the inclusive maximum */
  g_auto (SvcResultsSummary) s = { 0 };
  import_ok (db, &e, text, &s);
  ck_assert_uint_eq (s.cases_opened, 0);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM nc_case"), 0);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM lab_report WHERE governing = 'pass'"), 2);
}
END_TEST

START_TEST (test_every_rejection_listed_nothing_stored)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 6, 4); /* 5: LAB1 not sampled; 6: LAB2 */
  g_auto (Env) e = { 0 };
  env_init (&e, "LAB1", "2024-03-01");
  GString *s = g_string_new (FX_HEADER);
  fx_row (s, 1, "铅", "0.12", "≤0.5", "合格", "合格");      /* line 2: fine */
  fx_row (s, 99, "铅", "0.12", "≤0.5", "合格", "合格");     /* 3: unknown */
  fx_row (s, 6, "铅", "0.12", "≤0.5", "合格", "合格");      /* 4: other lab */
  fx_row (s, 5, "铅", "0.12", "≤0.5", "合格", "合格");      /* 5: not sampled */
  fx_row (s, 2, "铅", "0.1.2", "≤0.5", "合格", "合格");     /* 6: malformed */
  fx_row (s, 3, "铅", "0.12", "≤0.5 g/kg", "合格", "合格"); /* 7: units */
  g_string_append (s, "DC24120104000004,BG-1,镉,0.01,mg/kg,≤0.1,,合格,合格,2024-02-05\n"); /* 8 */
  fx_row (s, 4, "汞", "0.01", "≤0.1", "合格", ""); /* 9: no conclusion */
  g_autofree char *text = g_string_free (s, FALSE);
  g_autoptr (GError) error = NULL;
  g_auto (SvcResultsSummary) sum = { 0 };
  ck_assert (!import (db, &e, text, &sum, &error));
  ck_assert (g_error_matches (error, CORE_PROBLEMS_ERROR, CORE_PROBLEMS_ERROR_REJECTED));
  const char *expect[] = {
    "r.csv:3: column 抽样单编号: value \"DC24120104000099\": unknown sampling number",
    "r.csv:4: column 抽样单编号: value \"DC24120104000006\": sample DC24120104000006 was sent "
    "to lab LAB2, not to lab LAB1",
    "r.csv:5: column 抽样单编号: value \"DC24120104000005\": task DC24120104000005 has not been "
    "sampled yet",
    "r.csv:6: column 检验结果: value \"0.1.2\"",
    "r.csv:7: column 单位",
    "r.csv:8: column 抽样单编号: value \"DC24120104000004\": report BG-1 belongs to sample "
    "DC24120104000001",
    "r.csv:9: column 结论",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    ck_assert_msg (strstr (error->message, expect[i]) != NULL, "missing <%s> in:\n%s", expect[i],
                   error->message);
  ck_assert (strstr (error->message, "r.csv:2:") == NULL);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM result_import"), 0);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM lab_report"), 0);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM nc_case"), 0);
}
END_TEST

START_TEST (test_stored_report_of_other_sample_and_lab_checks)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, "LAB1", "2024-03-01");
  g_autofree char *text = two_reports ("0.3");
  g_auto (SvcResultsSummary) s = { 0 };
  import_ok (db, &e, text, &s);
  /* a stored report number sent again for another sample, and a second report for a sample */
  GString *b = g_string_new (FX_HEADER);
  g_string_append (b, "DC24120104000002,BG-1,铅,0.1,mg/kg,≤0.5,,合格,合格,2024-02-05\n");
  g_string_append (b, "DC24120104000001,BG-77,铅,0.1,mg/kg,≤0.5,,合格,合格,2024-02-05\n");
  g_autofree char *bad = g_string_free (b, FALSE);
  g_autoptr (GError) error = NULL;
  g_auto (SvcResultsSummary) s2 = { 0 };
  ck_assert (!import (db, &e, bad, &s2, &error));
  ck_assert_msg (strstr (error->message, "r.csv:2: column 报告编号: value \"BG-1\": report BG-1 "
                                         "is stored for sample DC24120104000001")
                     && strstr (error->message, "r.csv:3: column 抽样单编号: value "
                                                "\"DC24120104000001\": sample DC24120104000001 "
                                                "already has report BG-1"),
                 "%s", error->message);
  g_clear_error (&error);
  e.opts.lab = "NOLAB";
  ck_assert (!import (db, &e, text, &s2, &error));
  ck_assert (g_error_matches (error, DB_RESULTS_ERROR, DB_RESULTS_ERROR_UNKNOWN_LAB));
  g_clear_error (&error);
  e.opts.lab = "LAB1";
  e.opts.amend = TRUE;
  ck_assert (!import (db, &e, text, &s2, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_INVALID));
}
END_TEST

START_TEST (test_same_content_changes_nothing)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, "LAB1", "2024-03-01");
  g_autofree char *text = two_reports ("0.62");
  g_auto (SvcResultsSummary) a = { 0 }, b = { 0 }, c = { 0 };
  import_ok (db, &e, text, &a);
  import_ok (db, &e, text, &b);
  ck_assert (b.unchanged);
  ck_assert_int_eq (b.import_id, a.import_id);
  ck_assert (b.imported_at != NULL);
  /* the same reports in another order with CRLF line ends: recognised report by report */
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *reordered
      = g_strdup_printf ("%s\r\n%s\r\n%s\r\n%s\r\n", lines[0], lines[3], lines[2], lines[1]);
  import_ok (db, &e, reordered, &c);
  ck_assert (c.unchanged);
  ck_assert_uint_eq (c.reports_same, 2);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM result_import"), 1);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM lab_report"), 2);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM result_item"), 3);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM nc_case"), 1);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM case_event"), 1);
}
END_TEST

START_TEST (test_amendments_flip_cases)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, "LAB1", "2024-03-01");
  g_autofree char *fail = two_reports ("0.62");
  g_autofree char *pass = two_reports ("0.31");
  g_autofree char *fail2 = two_reports ("0.70");
  g_auto (SvcResultsSummary) s1 = { 0 }, s2 = { 0 }, s3 = { 0 }, s4 = { 0 };
  import_ok (db, &e, fail, &s1);
  /* a changed result is refused without an amendment; the summary counts
   * the refused changes, for the face to name the way out (the CLI test
   * checks its wording) */
  g_autoptr (GError) error = NULL;
  ck_assert (!import (db, &e, pass, &s2, &error));
  ck_assert_msg (strstr (error->message, "r.csv:4: column 报告编号: value \"BG-2\": report BG-2 "
                                         "is already stored (version 1")
                     && s2.refused_changes == 1,
                 "%s", error->message);
  svc_results_summary_clear (&s2);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM lab_report"), 2);
  /* amended to pass: version 2, the case is withdrawn */
  e.opts.amend = TRUE;
  e.opts.reason = "复核计算错误";
  ck_assert (core_date_parse ("2024-03-04", &e.svc.today));
  import_ok (db, &e, pass, &s2);
  ck_assert_uint_eq (s2.reports_amended, 1);
  ck_assert_uint_eq (s2.reports_same, 1);
  ck_assert_uint_eq (s2.cases_closed, 1);
  g_autofree char *versions
      = fx_scalar (db, "SELECT string_agg(version || ':' || current || ':' || governing || ':' || "
                       "coalesce(amend_reason, '-'), ' ' ORDER BY version) FROM lab_report "
                       "WHERE report_no = 'BG-2'");
  ck_assert_str_eq (versions, "1:false:fail:- 2:true:pass:复核计算错误");
  g_autofree char *closed = fx_scalar (db, "SELECT state || ' ' || closed_on FROM nc_case");
  ck_assert_str_eq (closed, "closed 2024-03-04");
  /* amended to fail again: version 3, the same case reopens with fresh deadlines */
  ck_assert (core_date_parse ("2024-03-11", &e.svc.today));
  import_ok (db, &e, fail2, &s3);
  ck_assert_uint_eq (s3.cases_reopened, 1);
  ck_assert_uint_eq (s3.cases_opened, 0);
  g_autofree char *events = fx_scalar (
      db, "SELECT string_agg(on_date || ' ' || event || ' ' || coalesce(from_state, '-') || '>' "
          "|| to_state, ', ' ORDER BY id) FROM case_event");
  ck_assert_str_eq (events, "2024-03-01 opened ->open, 2024-03-04 withdrawn by amendment "
                            "open>closed, 2024-03-11 reopened closed>open");
  g_autofree char *due
      = fx_scalar (db, "SELECT due_on FROM case_deadline WHERE name = 'deliver-conclusion'");
  ck_assert_str_eq (due, "2024-03-18");
  /* still failing with other numbers: the case stays open and says so, as a
   * new version of the case (a form filled in from the old items is stale) */
  g_autofree char *version_before = fx_scalar (db, "SELECT version FROM nc_case");
  g_autofree char *fail3 = two_reports ("0.80");
  import_ok (db, &e, fail3, &s4);
  g_autofree char *version_after = fx_scalar (db, "SELECT version FROM nc_case");
  ck_assert_int_eq (atoi (version_after), atoi (version_before) + 1);
  ck_assert_uint_eq (s4.cases_amended, 1);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM nc_case"), 1);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM lab_report WHERE report_no = 'BG-2'"), 4);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM case_event WHERE event = 'report amended'"),
                    1);
}
END_TEST

START_TEST (test_verdict_boundaries_and_review)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 4, 4);
  g_auto (Env) e = { 0 };
  env_init (&e, "LAB1", "2024-03-01");
  GString *s = g_string_new (FX_HEADER);
  fx_row (s, 1, "at inclusive max", "0.5", "≤0.5", "合格", "合格");
  fx_row (s, 1, "at inclusive min", "1", "≥1", "合格", "合格");
  fx_row (s, 2, "at exclusive max", "10", "<10", "合格", "合格"); /* lab says pass: wrong */
  fx_row (s, 3, "ND with lod above max", "未检出", "≤0.005", "合格", "合格");
  g_string_append (s, "DC24120104000001,BG-1,菌落总数,\"10,200,150,30,15\",CFU/g,"
                      "\"n=5,c=2,m=100,M=1000\",,合格,合格,2024-02-05\n");
  g_string_append (s, "DC24120104000001,BG-1,大肠菌群,\"10,200,150,130,15\",CFU/g,"
                      "\"n=5,c=2,m=100,M=1000\",,合格,合格,2024-02-05\n");
  g_autofree char *text = g_string_free (s, FALSE);
  g_auto (SvcResultsSummary) sum = { 0 };
  import_ok (db, &e, text, &sum);
  g_autofree char *items = fx_scalar (
      db, "SELECT string_agg(item || '=' || computed_verdict || '/' || governing_verdict || "
          "(CASE WHEN review THEN '!' ELSE '' END), ' | ' ORDER BY line) FROM result_item");
  ck_assert_str_eq (items, "at inclusive max=pass/pass | at inclusive min=pass/pass | "
                           "at exclusive max=fail/fail! | ND with lod above "
                           "max=undetermined/pass! | 菌落总数=pass/pass | 大肠菌群=fail/fail!");
  g_autofree char *plan = fx_scalar (
      db, "SELECT plan_n || ' ' || plan_c || ' ' || plan_m || ' ' || plan_big_m FROM result_item "
          "WHERE item = '大肠菌群'");
  ck_assert_str_eq (plan, "5 2 100 1000");
  /* the stricter verdict governs: BG-1 and BG-2 fail although the lab says pass */
  g_autofree char *reports = fx_scalar (
      db, "SELECT string_agg(report_no || ':' || lab_conclusion || '/' || governing || ':' || "
          "review, ' ' ORDER BY report_no) FROM lab_report");
  ck_assert_str_eq (reports, "BG-1:pass/fail:true BG-2:pass/fail:true BG-3:pass/pass:true");
  ck_assert_uint_eq (sum.review, 3);
  ck_assert_uint_eq (sum.cases_opened, 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) review = db_results_review_list (db->conn, "120104", NULL, FALSE, &error);
  ck_assert_uint_eq (review->len, 3);
  DbResultsReview *r2 = g_ptr_array_index (review, 1);
  ck_assert_str_eq (r2->report_no, "BG-2");
  ck_assert_msg (strstr (r2->reason, "at exclusive max: lab pass, computed fail") != NULL, "%s",
                 r2->reason);
}
END_TEST

/* @utf8 converted to GB18030 bytes. */
static char *
to_gb18030 (const char *utf8, gsize *len)
{
  g_autoptr (GError) error = NULL;
  char *out = g_convert (utf8, -1, "GB18030", "UTF-8", NULL, len, &error);
  ck_assert_msg (out != NULL, "%s", error ? error->message : "");
  return out;
}

START_TEST (test_gb18030_and_bom_files)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, "LAB1", "2024-03-01");
  GString *a = g_string_new (FX_HEADER);
  fx_row (a, 1, "铅(以Pb计)", "0.12", "≤0.5", "合格", "合格");
  g_autofree char *utf8 = g_string_free (a, FALSE);
  gsize len = 0;
  g_autofree char *gb = to_gb18030 (utf8, &len);
  ck_assert (len != strlen (utf8));
  g_autoptr (GError) error = NULL;
  g_auto (SvcResultsSummary) s1 = { 0 }, s2 = { 0 };
  ck_assert_msg (import_as (db->conn, &e, gb, len, "gb.csv", &s1, &error), "%s",
                 error ? error->message : "");
  GString *b = g_string_new ("\xEF\xBB\xBF" FX_HEADER);
  fx_row (b, 2, "苯甲酸及其钠盐(以苯甲酸计)", "0.2", "≤0.5", "合格", "合格");
  g_autofree char *bom = g_string_free (b, FALSE);
  ck_assert_msg (import_as (db->conn, &e, bom, strlen (bom), "bom.csv", &s2, &error), "%s",
                 error ? error->message : "");
  g_autofree char *names
      = fx_scalar (db, "SELECT string_agg(item, ' ' ORDER BY report_no) FROM result_item");
  ck_assert_str_eq (names, "铅(以Pb计) 苯甲酸及其钠盐(以苯甲酸计)");
}
END_TEST

START_TEST (test_deadline_outside_calendar_is_an_error)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, "LAB1", "2026-12-30");
  g_autofree char *text = two_reports ("0.62");
  g_autoptr (GError) error = NULL;
  g_auto (SvcResultsSummary) s = { 0 };
  ck_assert (!import (db, &e, text, &s, &error));
  ck_assert (g_error_matches (error, CASES_DEADLINE_ERROR, CASES_DEADLINE_ERROR_DATE));
  ck_assert_msg (strstr (error->message, "deliver-conclusion") != NULL, "%s", error->message);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM lab_report"), 0);
}
END_TEST

/* The child's work, with its own connection; 0 when every report was stored. */
static int
child_import (const TestDb *db, int first, int n)
{
  g_auto (Env) e = { 0 };
  env_init (&e, "LAB1", "2024-03-01");
  g_autoptr (GString) s = g_string_new (FX_HEADER);
  for (int i = first; i < first + n; i++)
    {
      gboolean fails = i % 5 == 0;
      fx_row (s, i, "铅", fails ? "0.9" : "0.1", "≤0.5", fails ? "不合格" : "合格",
              fails ? "不合格" : "合格");
      fx_row (s, i, "镉", "0.01", "≤0.1", "合格", fails ? "不合格" : "合格");
    }
  g_autoptr (PGconn) conn = db_connect (db->conninfo, NULL);
  g_auto (SvcResultsSummary) sum = { 0 };
  gboolean ok = conn != NULL && import_as (conn, &e, s->str, s->len, "c.csv", &sum, NULL);
  return ok && sum.reports_new == (guint)n ? 0 : 1;
}

/* Imports @n reports starting at @first from a child process. */
static pid_t
spawn_import (const TestDb *db, int first, int n)
{
  pid_t pid = fork ();
  ck_assert (pid >= 0);
  if (pid == 0)
    _exit (child_import (db, first, n));
  return pid;
}

START_TEST (test_concurrent_imports_lose_nothing)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 201, 201);
  pid_t a = spawn_import (db, 1, 100);
  pid_t b = spawn_import (db, 101, 100);
  int sa = 0, sb = 0;
  ck_assert (waitpid (a, &sa, 0) == a && waitpid (b, &sb, 0) == b);
  ck_assert (WIFEXITED (sa) && WEXITSTATUS (sa) == 0);
  ck_assert (WIFEXITED (sb) && WEXITSTATUS (sb) == 0);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM result_import"), 2);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM lab_report"), 200);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM result_item"), 400);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM nc_case"), 40);
  ck_assert_int_eq (count (db, "SELECT count(DISTINCT case_no) FROM nc_case"), 40);
  g_autofree char *last = fx_scalar (db, "SELECT max(case_no) FROM nc_case");
  ck_assert_str_eq (last, "HC2024-00040");
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("results-store");
  TCase *tc = tcase_create ("results-store");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_import_opens_case_with_deadlines);
  tcase_add_test (tc, test_passing_file_opens_no_case);
  tcase_add_test (tc, test_every_rejection_listed_nothing_stored);
  tcase_add_test (tc, test_stored_report_of_other_sample_and_lab_checks);
  tcase_add_test (tc, test_same_content_changes_nothing);
  tcase_add_test (tc, test_amendments_flip_cases);
  tcase_add_test (tc, test_verdict_boundaries_and_review);
  tcase_add_test (tc, test_gb18030_and_bom_files);
  tcase_add_test (tc, test_deadline_outside_calendar_is_an_error);
  tcase_add_test (tc, test_concurrent_imports_lose_nothing);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
