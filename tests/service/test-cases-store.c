/* test-cases-store.c: referral notices into the case queue
 * (svc_cases_import_referrals), the queue read back, and the workflow the
 * database enforces. */
#include "tests/db/results-fixture.h"

#include "core/core-problems.h"
#include "db/db-cases.h"
#include "service/svc-cases.h"

#include <glib/gstdio.h>
#include <stdlib.h>

typedef struct
{
  CoreConfig *config;
  CoreCatalog *catalog;
  CoreCalendar *calendar;
  CasesDeadlines *deadlines;
  SvcContext svc;
  char *dir;
} Env;

static void
env_clear (Env *e)
{
  cases_deadlines_free (e->deadlines);
  core_calendar_free (e->calendar);
  core_catalog_free (e->catalog);
  core_config_free (e->config);
  if (e->dir)
    {
      g_autoptr (GDir) d = g_dir_open (e->dir, 0, NULL);
      for (const char *n; d && (n = g_dir_read_name (d));)
        {
          g_autofree char *p = g_build_filename (e->dir, n, NULL);
          g_remove (p);
        }
      g_rmdir (e->dir);
      g_free (e->dir);
    }
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Env, env_clear)

static void
env_init (Env *e, const char *today)
{
  g_autoptr (GError) error = NULL;
  e->config = core_config_new_builtin (&error);
  e->catalog = core_catalog_load (e->config, &error);
  e->calendar = core_calendar_new (e->config, &error);
  e->deadlines = cases_deadlines_load (e->config, &error);
  ck_assert (e->deadlines != NULL);
  e->svc = (SvcContext){ .config = e->config,
                         .catalog = e->catalog,
                         .calendar = e->calendar,
                         .deadlines = e->deadlines,
                         .actor = "tester",
                         .role = SVC_ROLE_COORDINATOR };
  ck_assert (core_date_parse (today, &e->svc.today));
  e->dir = g_dir_make_tmp ("spotcheck-cases-XXXXXX", NULL);
}

static gboolean
import_referrals (TestDb *db, Env *e, const char *path, const char *name, guint *opened,
                  guint *skipped, GError **error)
{
  e->svc.conn = db->conn;
  return svc_cases_import_referrals (&e->svc, path, name, opened, skipped, error);
}

#define REF_HEADER "抽检级别,通知书编号,统一社会信用代码,企业名称,样品名称,不合格项目,通知日期\n"

static int
count (TestDb *db, const char *sql)
{
  g_autofree char *v = fx_scalar (db, sql);
  return atoi (v);
}

START_TEST (test_referrals_open_cases_from_notice_date)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_auto (Env) e = { 0 };
  env_init (&e, "2024-02-20");
  g_autofree char *path = fx_write (
      e.dir, "ref.csv",
      REF_HEADER
      "国抽,GC2024-001," FX_USCC1 ",南开示范餐饮有限公司,花生油,黄曲霉毒素B1；酸价,2024-02-08\n"
      "市抽,SC2024-017," FX_USCC2 ",鼓楼示范食品店,\"桃酥\",\"铝的残留量、菌落总数\",2024-02-19\n");
  g_autoptr (GError) error = NULL;
  guint opened = 0, skipped = 0;
  ck_assert_msg (import_referrals (db, &e, path, "ref.csv", &opened, &skipped, &error), "%s",
                 error ? error->message : "");
  ck_assert_uint_eq (opened, 2);
  ck_assert_uint_eq (skipped, 0);
  g_autoptr (GPtrArray) all = db_cases_list (db->conn, "120104", NULL, NULL, &error);
  ck_assert_uint_eq (all->len, 2);
  DbCase *c = g_ptr_array_index (all, 0);
  ck_assert_str_eq (c->case_no, "HC2024-00001");
  ck_assert_str_eq (c->source, "national");
  ck_assert_str_eq (c->state, "open");
  ck_assert_str_eq (c->failed_items, "黄曲霉毒素B1; 酸价");
  ck_assert_str_eq (c->office, "12010401");
  ck_assert_str_eq (c->opened_on, "2024-02-20");
  /* deadlines count from the notice date, through the Spring Festival holiday */
  ck_assert_str_eq (c->next_deadline, "deliver-conclusion 2024-02-21");
  g_autoptr (DbCaseDetail) d = db_cases_show (db->conn, "120104", "HC2024-00002", &error);
  ck_assert (d != NULL);
  ck_assert_str_eq (d->header->source, "city");
  ck_assert_str_eq (d->header->failed_items, "铝的残留量; 菌落总数");
  ck_assert_uint_eq (d->deadlines->len, 2);
  DbCaseDeadline *first = g_ptr_array_index (d->deadlines, 0);
  ck_assert_str_eq (first->name, "deliver-conclusion");
  ck_assert_str_eq (first->due_on, "2024-02-26");
  ck_assert_uint_eq (d->events->len, 1);
  ck_assert_str_eq (((DbCaseEvent *)g_ptr_array_index (d->events, 0))->event, "opened");
  /* the same notices again are skipped, not duplicated */
  ck_assert (import_referrals (db, &e, path, "ref.csv", &opened, &skipped, &error));
  ck_assert_uint_eq (opened, 0);
  ck_assert_uint_eq (skipped, 2);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM nc_case"), 2);
}
END_TEST

START_TEST (test_referral_problems_reject_the_file)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_auto (Env) e = { 0 };
  env_init (&e, "2024-03-01");
  g_autofree char *path = fx_write (
      e.dir, "bad.csv",
      REF_HEADER "国抽,GC-1," FX_USCC1 ",甲,油,酸价,2024-02-08\n"        /* 2: fine */
                 "区抽,GC-2," FX_USCC1 ",甲,油,酸价,2024-02-08\n"        /* 3: level */
                 "省抽,GC-3," FX_USCC_UNKNOWN ",丙,油,酸价,2024-02-08\n" /* 4: not ours */
                 "省抽,GC-4,91350100M000100Y44,甲,油,酸价,2024-02-08\n"  /* 5: check char */
                 "国抽,GC-1," FX_USCC1 ",甲,油,酸价,2024-02-08\n"        /* 6: twice */
                 "市抽,SC-5," FX_USCC2 ",乙,饼,,2024-02-30\n");          /* 7: items, date */
  g_autoptr (GError) error = NULL;
  guint opened = 0, skipped = 0;
  ck_assert (!import_referrals (db, &e, path, "bad.csv", &opened, &skipped, &error));
  ck_assert (g_error_matches (error, CORE_PROBLEMS_ERROR, CORE_PROBLEMS_ERROR_REJECTED));
  const char *expect[] = {
    "bad.csv:3: column 抽检级别: value \"区抽\": not a sampling level",
    "bad.csv:4: column 统一社会信用代码: value \"" FX_USCC_UNKNOWN "\": no business of district "
    "120104",
    "bad.csv:5: column 统一社会信用代码",
    "bad.csv:6: column 通知书编号: value \"GC-1\": notice listed twice (first on line 2)",
    "bad.csv:7: column 不合格项目",
    "bad.csv:7: column 通知日期: value \"2024-02-30\": not a date",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (expect); i++)
    ck_assert_msg (strstr (error->message, expect[i]) != NULL, "missing <%s> in:\n%s", expect[i],
                   error->message);
  ck_assert (strstr (error->message, "bad.csv:2:") == NULL);
  ck_assert_int_eq (count (db, "SELECT count(*) FROM nc_case"), 0);
}
END_TEST

START_TEST (test_list_by_state_and_workflow_enforced)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_auto (Env) e = { 0 };
  env_init (&e, "2024-03-01");
  g_autofree char *path
      = fx_write (e.dir, "ref.csv",
                  REF_HEADER "national,GC-1," FX_USCC1 ",甲,油,酸价,2024-02-28\n"
                             "city,SC-1," FX_USCC2 ",乙,饼,菌落总数,2024-02-28\n");
  g_autoptr (GError) error = NULL;
  guint opened = 0, skipped = 0;
  ck_assert_msg (import_referrals (db, &e, path, NULL, &opened, &skipped, &error), "%s",
                 error ? error->message : "");
  /* the working role may not write a state at all (migration 0013) ... */
  ck_assert (!db_run (db->conn,
                      "UPDATE nc_case SET state = 'notified' WHERE case_no = 'HC2024-00001'",
                      DB_NO_ARGS, &error));
  ck_assert_msg (db_error_is (error, "42501"), "%s", error->message);
  g_clear_error (&error);
  /* ... and for the owner a step the workflow does not list is refused by the trigger */
  g_autoptr (PGconn) owner = db_connect (db->owner_conninfo, &error);
  ck_assert_msg (owner != NULL, "%s", error ? error->message : "");
  ck_assert (!db_run (owner,
                      "UPDATE nc_case SET state = 'disposing' WHERE case_no = "
                      "'HC2024-00001'",
                      DB_NO_ARGS, &error));
  ck_assert_msg (strstr (error->message, "no step from open to disposing") != NULL, "%s",
                 error->message);
  g_clear_error (&error);
  ck_assert (db_run (owner,
                     "UPDATE nc_case SET state = 'notified' WHERE case_no = "
                     "'HC2024-00001'",
                     DB_NO_ARGS, &error));
  g_autoptr (GPtrArray) open = db_cases_list (db->conn, "120104", "open", NULL, &error);
  ck_assert_uint_eq (open->len, 1);
  ck_assert_str_eq (((DbCase *)g_ptr_array_index (open, 0))->case_no, "HC2024-00002");
  ck_assert (db_cases_list (db->conn, "120104", "pending", NULL, &error) == NULL);
  ck_assert (g_error_matches (error, DB_CASES_ERROR, DB_CASES_ERROR_BAD_STATE));
  ck_assert_msg (strstr (error->message, "closed, disposing, notified, open") != NULL, "%s",
                 error->message);
  g_clear_error (&error);
  ck_assert (db_cases_show (db->conn, "120104", "HC2024-99999", &error) == NULL);
  ck_assert (g_error_matches (error, DB_CASES_ERROR, DB_CASES_ERROR_NOT_FOUND));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("cases-store");
  TCase *tc = tcase_create ("cases-store");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_referrals_open_cases_from_notice_date);
  tcase_add_test (tc, test_referral_problems_reject_the_file);
  tcase_add_test (tc, test_list_by_state_and_workflow_enforced);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
