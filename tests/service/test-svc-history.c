/* test-svc-history.c: a business's record (svc_registry_show_document) and
 * the risk-grade suggestions (svc_registry_suggest_grades) against
 * PostgreSQL, on the known year of tests/db/history-fixture.h, rule by rule. */
#include "tests/db/history-fixture.h"

#include "service/svc-history.h"
#include "service/svc-results.h"

#include <stdlib.h>

typedef struct
{
  CoreConfig *config;
  CoreCatalog *catalog;
  CoreCalendar *calendar;
  CasesDeadlines *deadlines;
  SvcContext svc;
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
resolve (Env *e, const char *report, gboolean conforming)
{
  g_autoptr (GError) error = NULL;
  SvcResultsResolve what = { .report_no = report, .conforming = conforming, .reason = "checked" };
  g_auto (SvcResultsResolved) out = { 0 };
  ck_assert_msg (svc_results_resolve (&e->svc, &what, &out, &error), "%s",
                 error ? error->message : "");
}

/* The fixture's year, as a coordinator on 2024-03-01 made it. */
static void
env_init (Env *e, TestDb *db)
{
  g_autoptr (GError) error = NULL;
  fx_registry (db, 6, 6);
  e->config = core_config_new_builtin (&error);
  e->catalog = core_catalog_load (e->config, &error);
  e->calendar = core_calendar_new (e->config, &error);
  e->deadlines = cases_deadlines_load (e->config, &error);
  ck_assert_msg (e->deadlines != NULL, "%s", error ? error->message : "");
  e->svc = (SvcContext){ .conn = db->conn,
                         .config = e->config,
                         .catalog = e->catalog,
                         .calendar = e->calendar,
                         .deadlines = e->deadlines,
                         .actor = "coord",
                         .role = SVC_ROLE_COORDINATOR };
  ck_assert (core_date_parse ("2024-03-01", &e->svc.today));
  SvcResultsOptions opts = { .lab = "LAB1" };
  g_auto (SvcResultsSummary) s = { 0 };
  const char *text = HX_RESULTS;
  ck_assert_msg (svc_results_import_data (&e->svc, text, strlen (text), "r.csv", &opts, &s, &error),
                 "%s", error ? error->message : "");
  ck_assert_uint_eq (s.cases_opened, 3);
  resolve (e, "BG-3", TRUE);
  resolve (e, "BG-5", FALSE);
  fx_sql (db, HX_MORE_SQL);
}

/* The table keyed @key in @doc. */
static const CoreTable *
table_of (const CoreDocument *doc, const char *key)
{
  for (guint i = 0; i < doc->tables->len; i++)
    if (strcmp (core_table_key (g_ptr_array_index (doc->tables, i)), key) == 0)
      return g_ptr_array_index (doc->tables, i);
  ck_abort_msg ("no table %s", key);
  return NULL;
}

/* Column @key of every row, joined by " | ". */
static char *
column (const CoreTable *t, const char *key)
{
  GString *s = g_string_new (NULL);
  for (guint r = 0; r < core_table_n_rows (t); r++)
    {
      const char *v = core_table_get_by_key (t, r, key);
      g_string_append_printf (s, "%s%s", r ? " | " : "", v ? v : "-");
    }
  return g_string_free (s, FALSE);
}

START_TEST (test_show_business_record)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autoptr (GError) error = NULL;
  DbRegistryKind kind;
  /* the credit code in lower case finds the business too */
  g_autofree char *lower = g_ascii_strdown (FX_USCC1, -1);
  g_autoptr (CoreDocument) doc = svc_registry_show_document (&e.svc, lower, &kind, &error);
  ck_assert_msg (doc != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (kind, DB_REGISTRY_BUSINESSES);
  ck_assert_uint_eq (doc->tables->len, 4);
  ck_assert_str_eq (core_table_get_by_key (table_of (doc, "business"), 0, "grade"), "B");
  const CoreTable *samples = table_of (doc, "samples");
  g_autofree char *records = column (samples, "record_no");
  ck_assert_str_eq (records, "DC24120104000001 | DC24120104000003 | DC24120104000005");
  g_autofree char *verdicts = column (samples, "verdict");
  ck_assert_str_eq (verdicts, "fail | pass | fail"); /* BG-3 and BG-5 as resolved */
  g_autofree char *products = column (samples, "product");
  ck_assert_str_eq (products, "样品1 | 样品3 | 样品5");
  ck_assert_str_eq (core_table_get_by_key (samples, 0, "category"), "24");
  const CoreTable *nc = table_of (doc, "nonconformities");
  g_autofree char *items = column (nc, "item");
  ck_assert_str_eq (items, "苯甲酸 | 镉(以Cd计)");
  g_autofree char *values = column (nc, "value");
  ck_assert_str_eq (values, "0.62 | 未检出");
  const CoreTable *cases = table_of (doc, "cases");
  g_autofree char *nos = column (cases, "case_no");
  ck_assert_str_eq (nos, "HC2024-00001 | HC2024-00002 | HC2024-00004");
  g_autofree char *states = column (cases, "state");
  ck_assert_str_eq (states, "open | closed | open");
  /* the withdrawn case's outcome is the step that closed it */
  g_autofree char *closing
      = fx_scalar (db, "SELECT event FROM case_event WHERE case_no = 'HC2024-00002' "
                       "AND to_state = 'closed'");
  ck_assert_str_eq (core_table_get_by_key (cases, 1, "outcome"), closing);
  ck_assert_str_eq (core_table_get_by_key (cases, 1, "closed_on"), "2024-03-01");
  ck_assert_ptr_null (core_table_get_by_key (cases, 0, "outcome"));
  g_autofree char *filed = column (cases, "filed");
  ck_assert_str_eq (filed, "false | false | false");

  /* business 2: its filed case; business 3: the referral */
  g_autoptr (CoreDocument) two = svc_registry_show_document (&e.svc, FX_USCC2, NULL, &error);
  const CoreTable *cases2 = table_of (two, "cases");
  ck_assert_uint_eq (core_table_n_rows (cases2), 1);
  ck_assert_str_eq (core_table_get_by_key (cases2, 0, "filed"), "true");
  g_autoptr (CoreDocument) three = svc_registry_show_document (&e.svc, HX_USCC3, NULL, &error);
  ck_assert_uint_eq (core_table_n_rows (table_of (three, "samples")), 0);
  ck_assert_str_eq (core_table_get_by_key (table_of (three, "cases"), 0, "source"), "provincial");

  /* a lab is one record, and an unknown key is not found */
  g_autoptr (CoreDocument) lab = svc_registry_show_document (&e.svc, "LAB1", &kind, &error);
  ck_assert_int_eq (kind, DB_REGISTRY_LABS);
  ck_assert_uint_eq (lab->tables->len, 1);
  ck_assert (svc_registry_show_document (&e.svc, "91120104000000000X", NULL, &error) == NULL);
  ck_assert (g_error_matches (error, DB_REGISTRY_ERROR, DB_REGISTRY_ERROR_NOT_FOUND));
}
END_TEST

static CoreTable *
suggest_ok (Env *e, int year, CoreTable **dir)
{
  g_autoptr (GError) error = NULL;
  CoreTable *t = svc_registry_suggest_grades (&e->svc, year, dir, &error);
  ck_assert_msg (t != NULL, "%s", error ? error->message : "");
  return t;
}

START_TEST (test_suggestions_rule_by_rule)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autoptr (CoreTable) dir = NULL;
  g_autoptr (CoreTable) t = suggest_ok (&e, 2024, &dir);
  g_autofree char *usccs = column (t, "uscc");
  ck_assert_str_eq (usccs, FX_USCC2 " | " HX_USCC3 " | " FX_USCC1);
  g_autofree char *from = column (t, "grade");
  ck_assert_str_eq (from, "C | A | B");
  /* business 1: two nonconformities, two steps from B, but the cap is C;
   * business 2: already C, the cap adds nothing, the filed case gives D;
   * business 3: the referral counts as one nonconformity */
  g_autofree char *to = column (t, "suggested");
  ck_assert_str_eq (to, "D | B | C");
  g_autofree char *n = column (t, "nonconformities");
  ck_assert_str_eq (n, "1 | 1 | 2");
  ck_assert_str_eq (core_table_get_by_key (t, 2, "reason"),
                    "2 nonconformities in 2024 (DC24120104000001; DC24120104000005): 1 grade up "
                    "each from B, at most C");
  ck_assert_str_eq (core_table_get_by_key (t, 0, "reason"), "case HC2024-00003 filed in 2024: D");
  ck_assert_str_eq (core_table_get_by_key (t, 0, "filed_cases"), "HC2024-00003");
  ck_assert_str_eq (core_table_get_by_key (t, 1, "reason"),
                    "1 nonconformity in 2024 (JC-2024-017): 1 grade up each from A, at most C");
  /* the directory rows: the same businesses with the suggested grades */
  g_autofree char *dir_usccs = column (dir, "uscc");
  ck_assert_str_eq (dir_usccs, usccs);
  g_autofree char *dir_grades = column (dir, "grade");
  ck_assert_str_eq (dir_grades, "D | B | C");
  ck_assert_str_eq (core_table_get_by_key (dir, 2, "name"), "南开示范餐饮有限公司");
  /* nothing changed */
  g_autofree char *grades
      = fx_scalar (db, "SELECT string_agg(grade, '' ORDER BY uscc) FROM business");
  ck_assert_str_eq (grades, "CAB");
  /* another year has no record */
  g_autoptr (CoreTable) none = suggest_ok (&e, 2025, NULL);
  ck_assert_uint_eq (core_table_n_rows (none), 0);

  /* the rules are config: no cap below D, no referrals, two steps; a filed
   * case suggesting only C adds nothing to a C business */
  ck_assert (core_config_add_data (e.config,
                                   "[grade-suggestion]\nnonconformity-cap=D\n"
                                   "count-referrals=false\nsteps-per-nonconformity=2\n"
                                   "filed-grade=C\n",
                                   "test", NULL));
  g_autoptr (CoreTable) other = suggest_ok (&e, 2024, NULL);
  g_autofree char *other_usccs = column (other, "uscc");
  ck_assert_str_eq (other_usccs, FX_USCC2 " | " FX_USCC1);
  g_autofree char *other_to = column (other, "suggested");
  ck_assert_str_eq (other_to, "D | D");
  ck_assert_str_eq (
      core_table_get_by_key (other, 0, "reason"),
      "1 nonconformity in 2024 (DC24120104000004): 2 grades up each from B, at most D");
}
END_TEST

START_TEST (test_rules_checked_and_roles)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_auto (Env) e = { 0 };
  env_init (&e, db);
  g_autoptr (GError) error = NULL;
  ck_assert (svc_registry_suggest_grades (&e.svc, 1999, NULL, &error) == NULL);
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_INVALID));
  g_clear_error (&error);
  e.svc.role = SVC_ROLE_INSPECTOR;
  e.svc.office = "12010401";
  ck_assert (svc_registry_suggest_grades (&e.svc, 2024, NULL, &error) == NULL);
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
  g_clear_error (&error);
  /* an inspector reads the record, though */
  g_autoptr (CoreDocument) doc = svc_registry_show_document (&e.svc, FX_USCC1, NULL, &error);
  ck_assert (doc != NULL);
  e.svc.role = SVC_ROLE_COORDINATOR;
  ck_assert (core_config_add_data (e.config, "[grade-suggestion]\nfiled-grade=E\n", "bad", NULL));
  ck_assert (svc_registry_suggest_grades (&e.svc, 2024, NULL, &error) == NULL);
  ck_assert (g_error_matches (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_INVALID));
  ck_assert_msg (strstr (error->message, "filed-grade") != NULL, "%s", error->message);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("svc-history");
  TCase *tc = tcase_create ("history");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_show_business_record);
  tcase_add_test (tc, test_suggestions_rule_by_rule);
  tcase_add_test (tc, test_rules_checked_and_roles);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
