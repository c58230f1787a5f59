/* test-svc-users.c: users and tokens against PostgreSQL: only admins manage
 * them, a token is shown once and works until revoked or expired, the same
 * error answers every bad token, and answers are kept per user and key. */
#include "tests/support/test-pg.h"

#include "service/svc-users.h"

#include <check.h>
#include <string.h>

static CoreCatalog *catalog;

static SvcContext
context (TestDb *db, SvcRole role)
{
  SvcContext svc = { .conn = db->conn, .catalog = catalog, .actor = "root1", .role = role };
  g_date_set_dmy (&svc.today, 15, 3, 2024);
  return svc;
}

static void
load_catalog (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  catalog = core_catalog_load (config, &error);
  ck_assert_msg (catalog != NULL, "%s", error ? error->message : "");
}

START_TEST (test_only_admins_and_tokens_work_until_revoked)
{
  load_catalog ();
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  SvcContext coord = context (db, SVC_ROLE_COORDINATOR), admin = context (db, SVC_ROLE_ADMIN);
  SvcUserRequest req = { .name = "insp1", .role = SVC_ROLE_INSPECTOR, .office = "12010401" };
  g_autofree char *token = NULL;
  ck_assert (!svc_users_add (&coord, &req, &token, &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_FORBIDDEN));
  g_clear_error (&error);
  ck_assert_msg (svc_users_add (&admin, &req, &token, &error), "%s", error ? error->message : "");
  ck_assert_uint_eq (strlen (token), 64);
  g_autofree char *again = NULL;
  ck_assert (!svc_users_add (&admin, &req, &again, &error));
  ck_assert (g_error_matches (error, SVC_USERS_ERROR, SVC_USERS_ERROR_TAKEN));
  g_clear_error (&error);

  g_auto (SvcUser) who = { 0 };
  ck_assert (svc_users_authenticate (db->conn, "120104", token, &who, &error));
  ck_assert_str_eq (who.name, "insp1");
  ck_assert_int_eq (who.role, SVC_ROLE_INSPECTOR);
  ck_assert_str_eq (who.office, "12010401");
  /* one character off, empty, another district: the same answer */
  g_autofree char *off = g_strdup (token);
  off[0] = off[0] == 'a' ? 'b' : 'a';
  const char *bad[] = { off, "", "x' OR '1'='1" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto (SvcUser) nobody = { 0 };
      ck_assert (!svc_users_authenticate (db->conn, "120104", bad[i], &nobody, &error));
      ck_assert (g_error_matches (error, SVC_USERS_ERROR, SVC_USERS_ERROR_UNAUTHENTICATED));
      g_clear_error (&error);
    }
  g_auto (SvcUser) elsewhere = { 0 };
  ck_assert (!svc_users_authenticate (db->conn, "110101", token, &elsewhere, &error));
  g_clear_error (&error);

  ck_assert (svc_users_revoke (&admin, "insp1", &error));
  g_auto (SvcUser) revoked = { 0 };
  ck_assert (!svc_users_authenticate (db->conn, "120104", token, &revoked, &error));
  ck_assert (g_error_matches (error, SVC_USERS_ERROR, SVC_USERS_ERROR_UNAUTHENTICATED));
  g_clear_error (&error);
  ck_assert (!svc_users_revoke (&admin, "insp1", &error));
  ck_assert (g_error_matches (error, SVC_ERROR, SVC_ERROR_NOT_FOUND));
  g_clear_error (&error);

  g_autoptr (CoreTable) list = svc_users_list (&admin, &error);
  ck_assert_uint_eq (core_table_n_rows (list), 1);
  ck_assert_int_lt (core_table_find (list, "token_hash"), 0);
  core_catalog_free (catalog);
}
END_TEST

START_TEST (test_requests_are_checked)
{
  load_catalog ();
  g_autoptr (TestDb) db = test_db_new ();
  SvcContext admin = context (db, SVC_ROLE_ADMIN);
  const SvcUserRequest bad[] = {
    { .name = "lab1", .role = SVC_ROLE_LAB },                             /* no lab */
    { .name = "lab1", .role = SVC_ROLE_LAB, .lab = "NOPE" },              /* unknown lab */
    { .name = "c1", .role = SVC_ROLE_COORDINATOR, .lab = "LAB1" },        /* not a lab */
    { .name = "i1", .role = SVC_ROLE_INSPECTOR },                         /* no office */
    { .name = "i1", .role = SVC_ROLE_INSPECTOR, .office = "99" },         /* unknown */
    { .name = "a b", .role = SVC_ROLE_ADMIN },                            /* the name */
    { .name = "a1", .role = SVC_ROLE_ADMIN, .expires_on = "2024-03-15" }, /* not after today */
    { .name = "a1", .role = SVC_ROLE_ADMIN, .expires_on = "2024-02-30" }, /* no such day */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *token = NULL;
      ck_assert_msg (!svc_users_add (&admin, &bad[i], &token, &error), "case %zu accepted", i);
      ck_assert_msg (g_error_matches (error, SVC_ERROR, SVC_ERROR_INVALID), "case %zu: %s", i,
                     error->message);
    }
  g_autofree char *users = NULL;
  {
    g_autoptr (GError) error = NULL;
    users = db_scalar (db->conn, "SELECT count(*) FROM app_user", DB_NO_ARGS, &error);
  }
  ck_assert_str_eq (users, "0");
  core_catalog_free (catalog);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("svc-users");
  TCase *tc = tcase_create ("svc-users");
  tcase_add_test (tc, test_only_admins_and_tokens_work_until_revoked);
  tcase_add_test (tc, test_requests_are_checked);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
