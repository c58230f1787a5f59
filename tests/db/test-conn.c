/* test-conn.c: the libpq layer against a real server. */
#include "tests/support/test-pg.h"

#include <check.h>
#include <string.h>

START_TEST (test_params_never_spliced)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  const char *evil = "x'); DROP TABLE category; --";
  g_autofree char *echoed = db_scalar (db->conn, "SELECT $1::text", DB_ARGS (evil), &error);
  ck_assert_str_eq (echoed, evil);
  g_autofree char *n = db_scalar (db->conn, "SELECT count(*) FROM category", DB_NO_ARGS, &error);
  ck_assert_str_eq (n, "34");
  /* SQL NULL parameter */
  g_autofree char *isnull
      = db_scalar (db->conn, "SELECT ($1::text IS NULL)::text", DB_ARGS (NULL), &error);
  ck_assert_str_eq (isnull, "true");
}
END_TEST

START_TEST (test_error_carries_sqlstate)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  ck_assert (!db_run (db->conn, "INSERT INTO category (code, name_zh, name_en) VALUES ($1,$2,$3)",
                      DB_ARGS ("01", "重复", "dup"), &error));
  ck_assert (db_error_is (error, "23505"));
  char state[6];
  db_error_sqlstate (error, state);
  ck_assert_str_eq (state, "23505");
  ck_assert_msg (strstr (error->message, "category_pkey") && strstr (error->message, "23505"), "%s",
                 error->message);
  g_clear_error (&error);
  ck_assert (!db_run (db->conn, "SELECT * FROM no_such_table", DB_NO_ARGS, &error));
  ck_assert (db_error_is (error, "42P01"));
  ck_assert_int_eq (db_sqlstate_code ("23505"), db_sqlstate_code ("23505"));
  ck_assert_int_ne (db_sqlstate_code ("23505"), db_sqlstate_code ("23503"));
}
END_TEST

static gboolean
insert_then_fail (PGconn *conn, GError **error)
{
  g_autoptr (DbTransaction) tx = db_transaction_begin (conn, error);
  if (tx == NULL)
    return FALSE;
  if (!db_run (conn, "INSERT INTO category VALUES ('99', 'x', 'x')", DB_NO_ARGS, error))
    return FALSE;
  /* fails: the early return must roll the insert back */
  return db_run (conn, "INSERT INTO category VALUES ('99', 'y', 'y')", DB_NO_ARGS, error)
         && db_transaction_commit (tx, error);
}

START_TEST (test_transaction_rolls_back_on_early_return)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  ck_assert (!insert_then_fail (db->conn, &error));
  ck_assert (db_error_is (error, "23505"));
  g_clear_error (&error);
  ck_assert_int_eq (PQtransactionStatus (db->conn), PQTRANS_IDLE);
  g_autofree char *n
      = db_scalar (db->conn, "SELECT count(*) FROM category WHERE code = '99'", DB_NO_ARGS, &error);
  ck_assert_str_eq (n, "0");
  /* and a committed one stays */
  g_autoptr (DbTransaction) tx = db_transaction_begin (db->conn, &error);
  ck_assert (db_run (db->conn, "INSERT INTO category VALUES ('98', 'z', 'z')", DB_NO_ARGS, &error));
  ck_assert (db_transaction_commit (tx, &error));
  g_autofree char *m
      = db_scalar (db->conn, "SELECT count(*) FROM category WHERE code = '98'", DB_NO_ARGS, &error);
  ck_assert_str_eq (m, "1");
}
END_TEST

START_TEST (test_copy_round_trip)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  ck_assert (db_run (db->conn, "CREATE TEMP TABLE t (a text, b text)", DB_NO_ARGS, &error));
  const char *values[][2]
      = { { "tab\there", "new\nline" }, { "back\\slash", NULL }, { "中文,逗号", "cr\rx" } };
  g_autoptr (GString) buf = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      db_copy_field (buf, values[i][0], '\t');
      db_copy_field (buf, values[i][1], '\n');
    }
  ck_assert (db_copy_begin (db->conn, "COPY t (a, b) FROM STDIN", &error));
  ck_assert (db_copy_put (db->conn, buf->str, buf->len, &error));
  ck_assert_msg (db_copy_end (db->conn, NULL, &error), "%s", error ? error->message : "");
  g_autoptr (PGresult) res
      = db_exec (db->conn, "SELECT a, b FROM t ORDER BY a", DB_NO_ARGS, &error);
  ck_assert_int_eq (PQntuples (res), 3);
  ck_assert_str_eq (PQgetvalue (res, 0, 0), "back\\slash");
  ck_assert (PQgetisnull (res, 0, 1));
  ck_assert_str_eq (PQgetvalue (res, 1, 0), "tab\there");
  ck_assert_str_eq (PQgetvalue (res, 1, 1), "new\nline");
  ck_assert_str_eq (PQgetvalue (res, 2, 1), "cr\rx");
}
END_TEST

START_TEST (test_copy_bad_data_rolls_back)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  ck_assert (db_run (db->conn, "CREATE TEMP TABLE n (x integer)", DB_NO_ARGS, &error));
  {
    g_autoptr (DbTransaction) tx = db_transaction_begin (db->conn, &error);
    ck_assert (db_copy_begin (db->conn, "COPY n FROM STDIN", &error));
    ck_assert (db_copy_put (db->conn, "1\nnot-a-number\n", 15, &error));
    ck_assert (!db_copy_end (db->conn, NULL, &error));
    ck_assert (db_error_is (error, "22P02"));
  }
  g_clear_error (&error);
  g_autofree char *n = db_scalar (db->conn, "SELECT count(*) FROM n", DB_NO_ARGS, &error);
  ck_assert_str_eq (n, "0");
}
END_TEST

START_TEST (test_connect_failure_is_clear)
{
  g_autoptr (GError) error = NULL;
  PGconn *conn = db_connect ("host=/nonexistent-dir port=1 connect_timeout=2", &error);
  ck_assert (conn == NULL);
  ck_assert (db_error_is (error, "08001"));
  ck_assert_msg (strstr (error->message, "cannot connect") != NULL, "%s", error->message);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("db-conn");
  TCase *tc = tcase_create ("conn");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_params_never_spliced);
  tcase_add_test (tc, test_error_carries_sqlstate);
  tcase_add_test (tc, test_transaction_rolls_back_on_early_return);
  tcase_add_test (tc, test_copy_round_trip);
  tcase_add_test (tc, test_copy_bad_data_rolls_back);
  tcase_add_test (tc, test_connect_failure_is_clear);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
