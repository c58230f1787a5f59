/* test-cases-steps.c: cases worked step by step through the service
 * (svc_cases_advance and friends) against PostgreSQL: every step checked
 * against config/case-workflow.conf and again by the database's
 * case_take_step(), deadlines written, versions compared, the record's chain
 * intact afterwards. */
#include "tests/db/results-fixture.h"

#include "db/db-audit.h"
#include "db/db-cases.h"
#include "service/svc-audit.h"
#include "service/svc-cases.h"
#include "service/svc-results.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdlib.h>

typedef struct
{
  CoreConfig *config;
  CoreCatalog *catalog;
  CoreCalendar *calendar;
  CasesDeadlines *deadlines;
  CasesWorkflow *workflow;
  SvcContext svc;
} Env;

static void
env_clear (Env *e)
{
  cases_workflow_free (e->workflow);
  cases_deadlines_free (e->deadlines);
  core_calendar_free (e->calendar);
  core_catalog_free (e->catalog);
  core_config_free (e->config);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Env, env_clear)

static void
env_init (Env *e, TestDb *db, const char *today)
{
  g_autoptr (GError) error = NULL;
  e->config = core_config_new_builtin (&error);
  e->catalog = core_catalog_load (e->config, &error);
  e->calendar = core_calendar_new (e->config, &error);
  e->deadlines = cases_deadlines_load (e->config, &error);
  e->workflow = cases_workflow_load (e->config, &error);
  ck_assert_msg (e->workflow != NULL, "%s", error ? error->message : "");
  e->svc = (SvcContext){ .conn = db->conn,
                         .config = e->config,
                         .catalog = e->catalog,
                         .calendar = e->calendar,
                         .deadlines = e->deadlines,
                         .workflow = e->workflow,
                         .actor = "tester",
                         .role = SVC_ROLE_COORDINATOR };
  ck_assert (core_date_parse (today, &e->svc.today));
}

static void
act_as (Env *e, SvcRole role, const char *office)
{
  e->svc.role = role;
  e->svc.office = office;
}

#define REF_HEADER "抽检级别,通知书编号,统一社会信用代码,企业名称,样品名称,不合格项目,通知日期\n"

/* Referral cases HC2024-00001 (business 1, office 12010401) and, with a second
 * line, HC2024-00002 (business 2, office 12010402). */
static void
referrals (Env *e, const char *csv)
{
  g_autofree char *text = g_strconcat (REF_HEADER, csv, NULL);
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-steps-XXXXXX", NULL);
  g_autofree char *path = fx_write (dir, "ref.csv", text);
  guint opened = 0, skipped = 0;
  g_autoptr (GError) error = NULL;
  SvcRole role = e->svc.role;
  e->svc.role = SVC_ROLE_COORDINATOR;
  ck_assert_msg (svc_cases_import_referrals (&e->svc, path, "ref.csv", &opened, &skipped, &error),
                 "%s", error ? error->message : "");
  e->svc.role = role;
  g_remove (path);
  g_rmdir (dir);
}

/* A field table from NAME, VALUE, ..., NULL. */
static GHashTable *
F (const char *first, ...)
{
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list ap;
  va_start (ap, first);
  for (const char *k = first; k; k = va_arg (ap, const char *))
    g_hash_table_insert (t, g_strdup (k), g_strdup (va_arg (ap, const char *)));
  va_end (ap);
  return t;
}

/* Takes @step based on the current version; the fields table is consumed. */
static gboolean
step (Env *e, const char *case_no, const char *name, GHashTable *fields, GError **error)
{
  g_autoptr (GHashTable) f = fields;
  int version = 0;
  g_auto (SvcCaseStepResult) r = { 0 };
  return svc_cases_version (&e->svc, case_no, &version, error)
         && svc_cases_advance (&e->svc, case_no, name, f, NULL, version, &r, error);
}

static void
ok_step (Env *e, const char *case_no, const char *name, GHashTable *fields)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (step (e, case_no, name, fields, &error), "%s %s: %s", case_no, name,
                 error ? error->message : "");
}

static void
refused (Env *e, const char *case_no, const char *name, GHashTable *fields, GQuark domain, int code,
         const char *const *says)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (!step (e, case_no, name, fields, &error), "%s %s was taken", case_no, name);
  ck_assert_msg (g_error_matches (error, domain, code), "%s %s: %s", case_no, name, error->message);
  for (; says && *says; says++)
    ck_assert_msg (strstr (error->message, *says) != NULL, "<%s> not in: %s", *says,
                   error->message);
}
#define SAYS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static char *
q (TestDb *db, const char *sql)
{
  return fx_scalar (db, sql);
}

static void
assert_q (TestDb *db, const char *sql, const char *want)
{
  g_autofree char *v = q (db, sql);
  ck_assert_msg (g_strcmp0 (v, want) == 0, "%s: got <%s>, want <%s>", sql, v, want);
}

static void
chain_holds (Env *e)
{
  g_auto (DbChainReport) report = { 0 };
  g_autoptr (GError) error = NULL;
  SvcContext admin = e->svc;
  admin.role = SVC_ROLE_ADMIN;
  ck_assert_msg (svc_audit_verify (&admin, NULL, &report, &error), "%s",
                 error ? error->message : "");
  ck_assert (db_chain_report_first_broken (&report) == NULL);
}

/* Every step the workflow does not allow from @state is refused with the
 * step and the state named (close, from a state before it, names what is
 * missing instead). */
static void
refuse_all_but_allowed (Env *e, const char *case_no, const char *state)
{
  for (guint i = 0; i < e->workflow->steps->len; i++)
    {
      const CasesStep *s = g_ptr_array_index (e->workflow->steps, i);
      if (g_strv_contains ((const char *const *)s->from, state))
        continue;
      g_autoptr (GError) error = NULL;
      ck_assert_msg (!step (e, case_no, s->name, NULL, &error), "%s taken from %s", s->name, state);
      if (g_error_matches (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_INCOMPLETE)
          || g_error_matches (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_FIELDS))
        ck_assert_str_eq (s->name, "close");
      else
        {
          ck_assert_msg (g_error_matches (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_STEP),
                         "%s from %s: %s", s->name, state, error->message);
          ck_assert_msg (strstr (error->message, s->name) && strstr (error->message, state),
                         "%s from %s: %s", s->name, state, error->message);
        }
    }
}

#define C1 "HC2024-00001"
#define C2 "HC2024-00002"
#define STATE(c) "SELECT state || ' v' || version FROM nc_case WHERE case_no = '" c "'"

static GHashTable *
delivered (const char *on)
{
  return F ("delivered-on", on, "delivery-method", "直接送达", NULL);
}

static GHashTable *
controlled (void)
{
  return F ("controlled-on", "2024-02-22", "measures", "封存;下架", "sealed-qty", "10",
            "off-shelf-qty", "5", "recalled-qty", "0", "upstream-notified", "true",
            "downstream-notified", "false", NULL);
}

START_TEST (test_referral_case_to_closure_and_every_refusal)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-02-20");
  referrals (&e, "国抽,GC-1," FX_USCC1 ",甲,花生油,酸价,2024-02-08\n");
  act_as (&e, SVC_ROLE_COORDINATOR, NULL);
  /* the coordinator does not deliver; the inspector does */
  refused (&e, C1, "deliver", delivered ("2024-02-20"), CASES_WORKFLOW_ERROR,
           CASES_WORKFLOW_ERROR_ROLE, SAYS ("step deliver (送达检验结论) is taken by inspector"));
  act_as (&e, SVC_ROLE_INSPECTOR, "12010401");
  refused (&e, C1, "no-such-step", NULL, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_STEP,
           SAYS ("no-such-step"));
  refused (&e, C1, "investigate",
           F ("investigated-on", "2024-02-20", "cause", "x", "producer-elsewhere", "false", NULL),
           CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_STEP, SAYS ("investigate", "open"));
  /* each required field missing is named, and a field the step does not take */
  refused (&e, C1, "deliver", F ("delivered-on", "2024-02-20", NULL), CASES_WORKFLOW_ERROR,
           CASES_WORKFLOW_ERROR_FIELDS, SAYS ("delivery-method"));
  refused (&e, C1, "deliver", F ("delivery-method", "直接送达", NULL), CASES_WORKFLOW_ERROR,
           CASES_WORKFLOW_ERROR_FIELDS, SAYS ("delivered-on"));
  refused (&e, C1, "deliver",
           F ("delivered-on", "2024-02-20", "delivery-method", "喊话", "colour", "red", NULL),
           CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_FIELDS, SAYS ("delivery-method", "colour"));
  assert_q (db, STATE (C1), "open v1");
  refuse_all_but_allowed (&e, C1, "open");
  ok_step (&e, C1, "deliver", delivered ("2024-02-20"));
  refuse_all_but_allowed (&e, C1, "notified");
  assert_q (db, STATE (C1), "notified v2");
  /* deliver met its deadline and started the re-inspection window: 7 working
   * days from Tue Feb 20 */
  assert_q (db,
            "SELECT met_at::date FROM case_deadline WHERE case_no = '" C1
            "' AND name = 'deliver-conclusion'",
            "2024-02-20");
  assert_q (db,
            "SELECT due_on FROM case_deadline WHERE case_no = '" C1
            "' AND name = 'reinspection-apply'",
            "2024-02-29");
  ok_step (&e, C1, "risk-control", controlled ());
  refused (
      &e, C1, "investigate",
      F ("investigated-on", "2024-02-23", "cause", "原料", "producer-elsewhere", "maybe", NULL),
      CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_FIELDS, SAYS ("producer-elsewhere"));
  ok_step (
      &e, C1, "investigate",
      F ("investigated-on", "2024-02-23", "cause", "原料", "producer-elsewhere", "false", NULL));
  /* closing before the decision names every missing step, whatever the state */
  act_as (&e, SVC_ROLE_COORDINATOR, NULL);
  {
    g_autoptr (GError) error = NULL;
    g_auto (SvcCaseStepResult) r = { 0 };
    g_autoptr (GHashTable) f = F ("closed-on", "2024-03-01", "outcome", "done", NULL);
    ck_assert (!svc_cases_close (&e.svc, C1, f, NULL, 4, &r, &error));
    ck_assert_msg (g_error_matches (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_INCOMPLETE),
                   "%s", error->message);
    ck_assert_msg (strstr (error->message, "decide-filed")
                       && strstr (error->message, "decide-not-filed")
                       && strstr (error->message, "verify-rectification"),
                   "%s", error->message);
  }
  act_as (&e, SVC_ROLE_INSPECTOR, "12010401");
  ok_step (&e, C1, "decide-not-filed",
           F ("decided-on", "2024-02-26", "not-filed-reason", "首次轻微并及时改正", NULL));
  refuse_all_but_allowed (&e, C1, "decided");
  ok_step (&e, C1, "verify-rectification",
           F ("verified-on", "2024-02-28", "rectification", "更换供货商", NULL));
  refuse_all_but_allowed (&e, C1, "rectified");
  /* the inspector may not close */
  refused (&e, C1, "close", F ("closed-on", "2024-03-01", "outcome", "done", NULL),
           CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_ROLE, SAYS ("coordinator"));
  act_as (&e, SVC_ROLE_COORDINATOR, NULL);
  {
    g_autoptr (GError) error = NULL;
    g_auto (SvcCaseStepResult) r = { 0 };
    g_autoptr (GHashTable) f = F ("closed-on", "2024-03-01", "outcome", "已处置", NULL);
    ck_assert_msg (svc_cases_close (&e.svc, C1, f, "all done", 6, &r, &error), "%s",
                   error ? error->message : "");
    ck_assert_int_eq (r.version, 7);
    ck_assert_str_eq (r.to_state, "closed");
  }
  assert_q (db, "SELECT state || ' ' || closed_on FROM nc_case WHERE case_no = '" C1 "'",
            "closed 2024-03-01");
  refuse_all_but_allowed (&e, C1, "closed");
  assert_q (db,
            "SELECT met_at::date FROM case_deadline WHERE case_no = '" C1
            "' AND name = 'disposal-complete'",
            "2024-03-01");
  /* the record: one event per step, fields and note in the hashed detail */
  assert_q (db,
            "SELECT string_agg(event || ':' || coalesce(from_state, '-') || '>' || to_state, ' ' "
            "ORDER BY id) FROM case_event WHERE case_no = '" C1 "'",
            "opened:->open deliver:open>notified risk-control:notified>controlled "
            "investigate:controlled>investigated decide-not-filed:investigated>decided "
            "verify-rectification:decided>rectified close:rectified>closed");
  assert_q (db,
            "SELECT (detail::jsonb) -> 'fields' ->> 'outcome' || '/' || ((detail::jsonb) ->> "
            "'note') FROM case_event WHERE case_no = '" C1 "' AND event = 'close'",
            "已处置/all done");
  chain_holds (&e);
  /* show: the timeline with fields, deadlines with status, nothing next */
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreDocument) doc = svc_cases_show (&e.svc, C1, &error);
  ck_assert_msg (doc != NULL, "%s", error ? error->message : "");
  const CoreTable *dl = g_ptr_array_index (doc->tables, 1);
  const CoreTable *ev = g_ptr_array_index (doc->tables, 2);
  const CoreTable *next = g_ptr_array_index (doc->tables, 3);
  ck_assert_str_eq (core_table_get_by_key (dl, 0, "status"), "met");
  ck_assert_str_eq (core_table_get_by_key (ev, 1, "fields"),
                    "delivered-on=2024-02-20; delivery-method=直接送达");
  ck_assert_uint_eq (core_table_n_rows (next), 0);
}
END_TEST

START_TEST (test_producer_elsewhere_needs_referral)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-03-04");
  referrals (&e, "国抽,GC-1," FX_USCC1 ",甲,花生油,酸价,2024-02-28\n"
                 "国抽,GC-2," FX_USCC1 ",甲,花生油,酸价,2024-02-28\n");
  act_as (&e, SVC_ROLE_INSPECTOR, "12010401");
  const char *cases[] = { C1, C2 };
  for (int i = 0; i < 2; i++)
    {
      ok_step (&e, cases[i], "deliver", delivered ("2024-03-04"));
      ok_step (&e, cases[i], "risk-control", controlled ());
      ok_step (&e, cases[i], "investigate",
               F ("investigated-on", "2024-03-05", "cause", "生产者", "producer-elsewhere", "true",
                  "producer-district", "350102", NULL));
    }
  /* case 1 is referred (协查), case 2 is not */
  ok_step (&e, C1, "refer",
           F ("referred-on", "2024-03-06", "referral-letter-no", "津南协〔2024〕3号", "referred-to",
              "福州市鼓楼区市场监督管理局", NULL));
  for (int i = 0; i < 2; i++)
    {
      ok_step (&e, cases[i], "decide-filed",
               F ("decided-on", "2024-03-08", "filing-no", "津南市监立〔2024〕9号", "penalty",
                  "警告", NULL));
      ok_step (&e, cases[i], "verify-rectification",
               F ("verified-on", "2024-03-11", "rectification", "下架", NULL));
    }
  act_as (&e, SVC_ROLE_COORDINATOR, NULL);
  ok_step (&e, C1, "close", F ("closed-on", "2024-03-12", "outcome", "已处置", NULL));
  refused (&e, C2, "close", F ("closed-on", "2024-03-12", "outcome", "已处置", NULL),
           CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_INCOMPLETE, SAYS ("refer"));
  assert_q (db, STATE (C1), "closed v8");
  assert_q (db, STATE (C2), "rectified v6");
  assert_q (db,
            "SELECT (detail::jsonb) -> 'fields' ->> 'referral-letter-no' FROM case_event "
            "WHERE case_no = '" C1 "' AND event = 'refer'",
            "津南协〔2024〕3号");
}
END_TEST

static char *
two_failing_reports (void)
{
  return g_strdup (FX_HEADER
                   "DC24120104000001,BG-1,铅,0.9,mg/kg,≤0.5,0.01,不合格,不合格,2024-02-05\n"
                   "DC24120104000002,BG-2,铅,0.8,mg/kg,≤0.5,0.01,不合格,不合格,2024-02-05\n");
}

START_TEST (test_reinspection_both_ways)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  fx_sql (db, "INSERT INTO lab (district, code, name, capacity) VALUES "
              "('120104', 'LAB3', '第三检测', 100);"
              "INSERT INTO lab_category (district, lab, category) VALUES "
              "('120104', 'LAB1', '24'), ('120104', 'LAB2', '24'), ('120104', 'LAB3', '24')");
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-02-08");
  g_autofree char *text = two_failing_reports ();
  SvcResultsOptions opts = { .lab = "LAB1" };
  g_auto (SvcResultsSummary) s = { 0 };
  g_autoptr (GError) error = NULL;
  ck_assert_msg (svc_results_import_data (&e.svc, text, strlen (text), "r.csv", &opts, &s, &error),
                 "%s", error ? error->message : "");
  assert_q (db, "SELECT count(*) FROM nc_case WHERE lab = 'LAB1'", "2");
  act_as (&e, SVC_ROLE_INSPECTOR, "12010401");
  const char *cases[] = { C1, C2 };
  for (int i = 0; i < 2; i++)
    {
      ok_step (&e, cases[i], "deliver", delivered ("2024-02-08"));
      ok_step (&e, cases[i], "apply-reinspection",
               F ("applied-on", "2024-02-20", "application-kind", "复检", NULL));
    }
  /* the application ends the business's window */
  assert_q (db,
            "SELECT met_at::date FROM case_deadline WHERE case_no = '" C1
            "' AND name = 'reinspection-apply'",
            "2024-02-20");
  act_as (&e, SVC_ROLE_COORDINATOR, NULL);
  /* case 1: accepted, the lab drawn (never LAB1, reproducibly), conforming: closed */
  g_auto (SvcCaseStepResult) r = { 0 };
  g_autoptr (GHashTable) acc = F ("accepted-on", "2024-02-21", NULL);
  ck_assert_msg (svc_cases_reinspect_accept (&e.svc, C1, acc, "seed-1", NULL, 3, &r, &error), "%s",
                 error ? error->message : "");
  ck_assert (r.lab != NULL);
  ck_assert_str_ne (r.lab, "LAB1");
  const char *labs[] = { "LAB1", "LAB2", "LAB3", NULL };
  g_autofree char *again = cases_reinspection_draw_lab ("seed-1", C1, labs, "LAB1", &error);
  ck_assert_str_eq (r.lab, again);
  g_autofree char *recorded_sql = g_strdup_printf (
      "SELECT string_agg(f.key || '=' || f.value, ' ' ORDER BY f.key) FROM case_event e, "
      "jsonb_each_text((e.detail::jsonb) -> 'fields') f WHERE e.case_no = '%s' AND "
      "e.event = 'accept-reinspection' AND f.key LIKE 'lab-draw%%' OR (e.case_no = '%s' AND "
      "e.event = 'accept-reinspection' AND f.key = 'reinspection-lab')",
      C1, C1);
  g_autofree char *want = g_strdup_printf ("lab-draw-algorithm=sha256-mod-1 "
                                           "lab-draw-candidates=LAB2;LAB3 lab-draw-seed=seed-1 "
                                           "reinspection-lab=%s",
                                           r.lab);
  assert_q (db, recorded_sql, want);
  ok_step (&e, C1, "reinspection-conforming",
           F ("result-on", "2024-03-05", "reinspection-report-no", "FJ-1", NULL));
  assert_q (db, STATE (C1), "closed v5");
  /* case 2: the first lab is refused, another named, nonconforming: disposal goes on */
  refused (&e, C2, "accept-reinspection",
           F ("accepted-on", "2024-02-21", "reinspection-lab", "LAB1", NULL), CASES_WORKFLOW_ERROR,
           CASES_WORKFLOW_ERROR_FIELDS, SAYS ("LAB1 made the first report"));
  ok_step (&e, C2, "accept-reinspection",
           F ("accepted-on", "2024-02-21", "reinspection-lab", "LAB3", NULL));
  ok_step (&e, C2, "reinspection-nonconforming",
           F ("result-on", "2024-03-05", "reinspection-report-no", "FJ-2", NULL));
  assert_q (db, STATE (C2), "disposing v5");
  act_as (&e, SVC_ROLE_INSPECTOR, "12010401");
  ok_step (&e, C2, "risk-control", controlled ());
  ok_step (
      &e, C2, "investigate",
      F ("investigated-on", "2024-03-06", "cause", "原料", "producer-elsewhere", "false", NULL));
  ok_step (&e, C2, "decide-filed",
           F ("decided-on", "2024-03-07", "filing-no", "立-1", "penalty", "罚款", "fine-yuan",
              "5000", NULL));
  ok_step (&e, C2, "verify-rectification",
           F ("verified-on", "2024-03-08", "rectification", "整改", NULL));
  act_as (&e, SVC_ROLE_COORDINATOR, NULL);
  ok_step (&e, C2, "close", F ("closed-on", "2024-03-11", "outcome", "已处罚", NULL));
  assert_q (db, STATE (C2), "closed v10");
  assert_q (db,
            "SELECT count(*) FROM case_deadline WHERE case_no = '" C2 "' AND met_at IS NULL "
            "AND name IN ('reinspection-accept', 'reinspection-test', 'disposal-complete')",
            "0");
  chain_holds (&e);
}
END_TEST

START_TEST (test_deadlines_across_spring_festivals_and_extension)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-11-05");
  referrals (&e, "国抽,GC-1," FX_USCC1 ",甲,花生油,酸价,2024-11-01\n"
                 "国抽,GC-2," FX_USCC1 ",甲,花生油,酸价,2024-11-01\n");
  /* 90 days from 2024-11-01 end on 2025-01-30, in the Spring Festival: Feb 5 */
  assert_q (db,
            "SELECT due_on FROM case_deadline WHERE case_no = '" C1
            "' AND name = 'disposal-complete'",
            "2025-02-05");
  act_as (&e, SVC_ROLE_INSPECTOR, "12010401");
  /* 2025: 7 working days from Fri Jan 24 (the working Sunday Jan 26, ... Feb 10) */
  ok_step (&e, C1, "deliver", delivered ("2025-01-24"));
  assert_q (db,
            "SELECT due_on FROM case_deadline WHERE case_no = '" C1
            "' AND name = 'reinspection-apply'",
            "2025-02-10");
  /* 2024: from Thu Feb 8 (Feb 9, the working Sunday Feb 18, 19..23) */
  ok_step (&e, C2, "deliver", delivered ("2024-02-08"));
  assert_q (db,
            "SELECT due_on FROM case_deadline WHERE case_no = '" C2
            "' AND name = 'reinspection-apply'",
            "2024-02-23");
  /* the extension: refused without its reason, then recorded and in force */
  act_as (&e, SVC_ROLE_COORDINATOR, NULL);
  g_autoptr (GError) error = NULL;
  g_auto (SvcCaseStepResult) r = { 0 };
  GDate until;
  g_date_set_dmy (&until, 31, 3, 2025);
  ck_assert (!svc_cases_extend (&e.svc, C1, &until, "局长", NULL, 2, &r, &error));
  ck_assert_msg (g_error_matches (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_FIELDS), "%s",
                 error->message);
  ck_assert (strstr (error->message, "extension-reason") != NULL);
  g_clear_error (&error);
  ck_assert_msg (svc_cases_extend (&e.svc, C1, &until, "局长", "协查未复函", 2, &r, &error), "%s",
                 error ? error->message : "");
  ck_assert_str_eq (r.to_state, "notified");
  assert_q (db,
            "SELECT from_on || ' ' || due_on FROM case_deadline WHERE case_no = '" C1
            "' AND name = 'disposal-complete'",
            "2024-11-01 2025-03-31");
  assert_q (db,
            "SELECT (detail::jsonb) -> 'fields' ->> 'approved-by' FROM case_event "
            "WHERE case_no = '" C1 "' AND event = 'extend'",
            "局长");
  /* list: overdue and due-within count from today; the business's windows
   * (reinspection-apply) lapse unused and never make a case overdue */
  e.svc.today = until; /* 2025-03-31: case 1's extended limit is today, case 2's passed */
  SvcCasesFilter overdue = { .overdue = TRUE, .due_within = -1 };
  g_autoptr (CoreTable) late = svc_cases_list_where (&e.svc, &overdue, &error);
  ck_assert_msg (late != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (core_table_n_rows (late), 1);
  ck_assert_str_eq (core_table_get_by_key (late, 0, "case_no"), C2);
  ck_assert_str_eq (core_table_get_by_key (late, 0, "next_deadline"),
                    "disposal-complete 2025-02-05");
  g_date_set_dmy (&e.svc.today, 20, 1, 2025);
  SvcCasesFilter soon = { .due_within = 20 };
  g_autoptr (CoreTable) near = svc_cases_list_where (&e.svc, &soon, &error);
  ck_assert_uint_eq (core_table_n_rows (near), 1);
  ck_assert_str_eq (core_table_get_by_key (near, 0, "case_no"), C2);
  ck_assert_str_eq (core_table_get_by_key (near, 0, "next_status"), "due in 16 days");
  /* the case shows its passed window as lapsed, not overdue */
  g_autoptr (CoreDocument) shown = svc_cases_show (&e.svc, C2, &error);
  ck_assert_msg (shown != NULL, "%s", error ? error->message : "");
  const CoreTable *dl = g_ptr_array_index (shown->tables, 1);
  gboolean seen = FALSE;
  for (guint row = 0; row < core_table_n_rows (dl); row++)
    if (g_strcmp0 (core_table_get_by_key (dl, row, "name"), "reinspection-apply") == 0)
      {
        ck_assert_str_eq (core_table_get (dl, row, core_table_n_columns (dl) - 1),
                          "lapsed (the business's window)");
        seen = TRUE;
      }
  ck_assert (seen);
  SvcCasesFilter other = { .office = "12010402", .due_within = -1 };
  g_autoptr (CoreTable) none = svc_cases_list_where (&e.svc, &other, &error);
  ck_assert_uint_eq (core_table_n_rows (none), 0);
}
END_TEST

START_TEST (test_concurrent_edit_and_direct_writes)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_auto (Env) a = { 0 }, b = { 0 };
  env_init (&a, db, "2024-03-04");
  env_init (&b, db, "2024-03-04");
  referrals (&a, "国抽,GC-1," FX_USCC1 ",甲,花生油,酸价,2024-02-28\n");
  act_as (&a, SVC_ROLE_INSPECTOR, "12010401");
  act_as (&b, SVC_ROLE_INSPECTOR, "12010401");
  b.svc.actor = "second";
  /* both saw version 1 */
  g_autoptr (GError) error = NULL;
  g_auto (SvcCaseStepResult) ra = { 0 };
  g_auto (SvcCaseStepResult) rb = { 0 };
  g_autoptr (GHashTable) fa = delivered ("2024-03-04");
  g_autoptr (GHashTable) fb = F ("delivered-on", "2024-03-04", "delivery-method", "邮寄送达", NULL);
  ck_assert_msg (svc_cases_advance (&a.svc, C1, "deliver", fa, NULL, 1, &ra, &error), "%s",
                 error ? error->message : "");
  ck_assert (!svc_cases_advance (&b.svc, C1, "deliver", fb, NULL, 1, &rb, &error));
  ck_assert_msg (g_error_matches (error, DB_CASES_ERROR, DB_CASES_ERROR_CONFLICT), "%s",
                 error->message);
  ck_assert_str_eq (error->message,
                    "case HC2024-00001 was changed meanwhile: you saw version 1, it is now "
                    "version 2");
  g_clear_error (&error);
  /* nothing lost: the first change stands, the second wrote nothing */
  assert_q (db, STATE (C1), "notified v2");
  assert_q (db, "SELECT string_agg(actor, ',' ORDER BY id) FROM case_event", "tester,tester");
  /* the database's own check, past the service: a stale version ... */
  DbCaseStep stale = {
    .case_no = C1, .step = "risk-control", .expected_version = 1, .actor = "x", .role = "inspector"
  };
  g_date_set_dmy (&stale.on, 4, 3, 2024);
  int v = 0;
  ck_assert (!db_cases_step (db->conn, "120104", &stale, &v, &error));
  ck_assert_msg (g_error_matches (error, DB_CASES_ERROR, DB_CASES_ERROR_CONFLICT), "%s",
                 error->message);
  g_clear_error (&error);
  /* ... the wrong role, a step not from the state */
  DbCaseStep close = { .case_no = C1,
                       .step = "extend",
                       .expected_version = 2,
                       .actor = "x",
                       .role = "inspector",
                       .on = stale.on };
  ck_assert (!db_cases_step (db->conn, "120104", &close, &v, &error));
  ck_assert_msg (g_error_matches (error, DB_CASES_ERROR, DB_CASES_ERROR_ROLE), "%s",
                 error->message);
  g_clear_error (&error);
  close.step = "close";
  close.role = "coordinator";
  ck_assert (!db_cases_step (db->conn, "120104", &close, &v, &error));
  ck_assert_msg (g_error_matches (error, DB_CASES_ERROR, DB_CASES_ERROR_STEP), "%s",
                 error->message);
  g_clear_error (&error);
  /* writing the state directly: refused to the working role ... */
  ck_assert (!db_run (db->conn, "UPDATE nc_case SET state = 'closed', closed_on = '2024-03-04'",
                      DB_NO_ARGS, &error));
  ck_assert_msg (db_error_is (error, "42501"), "%s", error->message);
  g_clear_error (&error);
  ck_assert (!db_run (db->conn, "UPDATE nc_case SET version = 9", DB_NO_ARGS, &error));
  ck_assert_msg (db_error_is (error, "42501"), "%s", error->message);
  g_clear_error (&error);
  /* ... and to the owner when no step makes the move (the trigger) */
  g_autoptr (PGconn) owner = db_connect (db->owner_conninfo, &error);
  ck_assert (owner != NULL);
  ck_assert (!db_run (owner, "UPDATE nc_case SET state = 'decided'", DB_NO_ARGS, &error));
  ck_assert_msg (strstr (error->message, "no step from notified to decided") != NULL, "%s",
                 error->message);
  assert_q (db, STATE (C1), "notified v2");
  chain_holds (&a);
}
END_TEST

START_TEST (test_inspector_of_another_office)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-03-04");
  referrals (&e, "国抽,GC-1," FX_USCC1 ",甲,花生油,酸价,2024-02-28\n");
  act_as (&e, SVC_ROLE_INSPECTOR, "12010402");
  g_autoptr (GError) error = NULL;
  g_auto (SvcCaseStepResult) r = { 0 };
  g_autoptr (GHashTable) f = delivered ("2024-03-04");
  ck_assert (!svc_cases_advance (&e.svc, C1, "deliver", f, NULL, 1, &r, &error));
  ck_assert (g_error_matches (error, DB_CASES_ERROR, DB_CASES_ERROR_NOT_FOUND));
  ck_assert_str_eq (error->message, "no case HC2024-00001 in district 120104");
  g_clear_error (&error);
  /* assigning is the coordinator's; once assigned, the other office works it */
  ck_assert (!svc_cases_assign (&e.svc, C1, "12010402", NULL, 1, &r, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
  g_clear_error (&error);
  act_as (&e, SVC_ROLE_COORDINATOR, NULL);
  ck_assert (!svc_cases_assign (&e.svc, C1, "99999999", NULL, 1, &r, &error));
  ck_assert_msg (g_error_matches (error, DB_CASES_ERROR, DB_CASES_ERROR_OFFICE), "%s",
                 error->message);
  g_clear_error (&error);
  ck_assert_msg (svc_cases_assign (&e.svc, C1, "12010402", "片区调整", 1, &r, &error), "%s",
                 error ? error->message : "");
  ck_assert_int_eq (r.version, 2);
  act_as (&e, SVC_ROLE_INSPECTOR, "12010402");
  ok_step (&e, C1, "deliver", delivered ("2024-03-04"));
  assert_q (db, "SELECT office || ' ' || state || ' v' || version FROM nc_case",
            "12010402 notified v3");
  /* show offers the next steps with their fields */
  g_autoptr (CoreDocument) doc = svc_cases_show (&e.svc, C1, &error);
  ck_assert (doc != NULL);
  const CoreTable *next = g_ptr_array_index (doc->tables, 3);
  ck_assert_str_eq (core_table_key (next), "next");
  ck_assert_str_eq (core_table_get_by_key (next, 0, "step"), "apply-reinspection");
  ck_assert_str_eq (core_table_get_by_key (next, 0, "requires"), "applied-on;application-kind");
  chain_holds (&e);
}
END_TEST

START_TEST (test_reinspection_refused_by_rule)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-02-20");
  /* case 1: a microbiological item; case 2: applied after the window */
  referrals (&e, "国抽,GC-1," FX_USCC1 ",甲,桃酥,菌落总数,2024-02-19\n"
                 "国抽,GC-2," FX_USCC1 ",甲,花生油,酸价,2024-02-19\n");
  act_as (&e, SVC_ROLE_INSPECTOR, "12010401");
  ok_step (&e, C1, "deliver", delivered ("2024-02-20"));
  ok_step (&e, C2, "deliver", delivered ("2024-02-20"));
  ok_step (&e, C1, "apply-reinspection",
           F ("applied-on", "2024-02-21", "application-kind", "复检", NULL));
  /* 7 working days from Feb 20 end on Feb 29: March 1 is late */
  ok_step (&e, C2, "apply-reinspection",
           F ("applied-on", "2024-03-01", "application-kind", "复检", NULL));
  refuse_all_but_allowed (&e, C1, "reinspection");
  act_as (&e, SVC_ROLE_COORDINATOR, NULL);
  refused (&e, C1, "accept-reinspection",
           F ("accepted-on", "2024-02-22", "reinspection-lab", "LAB2", NULL), CASES_WORKFLOW_ERROR,
           CASES_WORKFLOW_ERROR_REINSPECTION,
           SAYS ("refused by rule", "microbiological items are not re-tested: 菌落总数"));
  refused (&e, C2, "accept-reinspection",
           F ("accepted-on", "2024-03-04", "reinspection-lab", "LAB2", NULL), CASES_WORKFLOW_ERROR,
           CASES_WORKFLOW_ERROR_REINSPECTION, SAYS ("refused by rule", "2024-03-01"));
  /* refusing needs its reason, and then disposal goes on */
  refused (&e, C1, "refuse-reinspection", F ("refused-on", "2024-02-22", NULL),
           CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_FIELDS, SAYS ("refusal-reason"));
  ok_step (&e, C1, "refuse-reinspection",
           F ("refused-on", "2024-02-22", "refusal-reason", "微生物项目不予复检", NULL));
  assert_q (db, STATE (C1), "disposing v4");
  assert_q (db,
            "SELECT met_at::date FROM case_deadline WHERE case_no = '" C1
            "' AND name = 'reinspection-accept'",
            "2024-02-22");
  assert_q (db, STATE (C2), "reinspection v3");
}
END_TEST

static gboolean
import_report (Env *e, const char *lead, gboolean amend, GError **error)
{
  gboolean fails = g_ascii_strtod (lead, NULL) > 0.5;
  g_autofree char *text
      = g_strdup_printf (FX_HEADER "DC24120104000001,BG-1,铅,%s,mg/kg,≤0.5,0.01,%s,%s,2024-02-05\n",
                         lead, fails ? "不合格" : "合格", fails ? "不合格" : "合格");
  SvcResultsOptions opts = { .lab = "LAB1", .amend = amend, .reason = amend ? "re-tested" : NULL };
  g_auto (SvcResultsSummary) s = { 0 };
  SvcContext coordinator = e->svc;
  coordinator.role = SVC_ROLE_COORDINATOR;
  return svc_results_import_data (&coordinator, text, strlen (text), "r.csv", &opts, &s, error);
}

START_TEST (test_amendments_are_the_systems_steps)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_auto (Env) e = { 0 };
  env_init (&e, db, "2024-02-08");
  g_autoptr (GError) error = NULL;
  ck_assert_msg (import_report (&e, "0.9", FALSE, &error), "%s", error ? error->message : "");
  act_as (&e, SVC_ROLE_INSPECTOR, "12010401");
  ok_step (&e, C1, "deliver", delivered ("2024-02-08")); /* the workflow is now the config's */
  /* an amended report that passes withdraws the case through the system's step ... */
  ck_assert_msg (import_report (&e, "0.1", TRUE, &error), "%s", error ? error->message : "");
  assert_q (db, STATE (C1), "closed v3");
  /* ... and one that fails again reopens it, with fresh deadlines */
  ck_assert_msg (import_report (&e, "0.8", TRUE, &error), "%s", error ? error->message : "");
  assert_q (db, STATE (C1), "open v4");
  assert_q (db,
            "SELECT string_agg(event || ':' || from_state || '>' || to_state || ':' || actor, ' ' "
            "ORDER BY id) FROM case_event WHERE case_no = '" C1 "' AND from_state IS NOT NULL",
            "deliver:open>notified:tester withdraw:notified>closed:tester "
            "reopen:closed>open:tester");
  assert_q (db,
            "SELECT count(*) FROM case_deadline WHERE case_no = '" C1 "' AND met_at IS NULL "
            "AND name IN ('deliver-conclusion', 'disposal-complete')",
            "2");
  /* the system's steps are no one else's */
  act_as (&e, SVC_ROLE_COORDINATOR, NULL);
  refused (&e, C1, "withdraw", NULL, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_ROLE,
           SAYS ("taken by system, not by coordinator"));
  chain_holds (&e);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cases-steps");
  TCase *tc = tcase_create ("steps");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_referral_case_to_closure_and_every_refusal);
  tcase_add_test (tc, test_producer_elsewhere_needs_referral);
  tcase_add_test (tc, test_reinspection_both_ways);
  tcase_add_test (tc, test_reinspection_refused_by_rule);
  tcase_add_test (tc, test_amendments_are_the_systems_steps);
  tcase_add_test (tc, test_deadlines_across_spring_festivals_and_extension);
  tcase_add_test (tc, test_concurrent_edit_and_direct_writes);
  tcase_add_test (tc, test_inspector_of_another_office);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
