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
  ck_assert (db_run (db->conn, "CREATE TABLE n (x integer)", DB_NO_ARGS, &error));
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

START_TEST (test_array_literal_round_trip)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  const char *items[] = { "plain", "with \"quote\"", "back\\slash", "a,b {c}", "", "NULL", NULL };
  g_autofree char *lit = db_array_literal (items, G_N_ELEMENTS (items));
  g_autoptr (PGresult) res
      = db_exec (db->conn,
                 "SELECT i, a[i] IS NULL, coalesce (a[i], '') FROM (SELECT $1::text[] AS a) x, "
                 "generate_series (1, array_length (a, 1)) i ORDER BY i",
                 DB_ARGS (lit), &error);
  ck_assert_msg (res != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (PQntuples (res), G_N_ELEMENTS (items));
  for (int i = 0; i < PQntuples (res); i++)
    {
      ck_assert_str_eq (PQgetvalue (res, i, 1), items[i] == NULL ? "t" : "f");
      ck_assert_str_eq (PQgetvalue (res, i, 2), items[i] == NULL ? "" : items[i]);
    }
  /* NULL-terminated form, and the empty array */
  const char *two[] = { "x", "y", NULL };
  g_autofree char *l2 = db_array_literal (two, -1);
  ck_assert_str_eq (l2, "{\"x\",\"y\"}");
  g_autofree char *l0 = db_array_literal (two, 0);
  ck_assert_str_eq (l0, "{}");
}
END_TEST

typedef struct
{
  guint calls, produced, total, fail_at;
} RowGen;

#define LONG_VALUE "tab\tand a longer value, so that the rows cross the 64 KiB chunks"

/* Appends 0, 1 or 2 rows a call (a call may append none), @total in all. */
static gboolean
gen_rows (GString *buf, gpointer data, GError **error)
{
  RowGen *g = data;
  if (g->fail_at && g->produced >= g->fail_at)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "generator failed");
      return FALSE;
    }
  for (guint k = 0; k < g->calls % 3 && g->produced < g->total; k++)
    {
      char n[16];
      g_snprintf (n, sizeof n, "%u", ++g->produced);
      db_copy_field (buf, n, '\t');
      db_copy_field (buf, LONG_VALUE, '\n');
    }
  g->calls++;
  return g->produced < g->total;
}

START_TEST (test_copy_rows_in_chunks)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  ck_assert (db_run (db->conn, "CREATE TABLE r (n integer, v text)", DB_NO_ARGS, &error));
  RowGen g = { .total = 20000 };
  ck_assert_msg (db_copy_rows (db->conn, "COPY r (n, v) FROM STDIN", gen_rows, &g, &error), "%s",
                 error ? error->message : "");
  g_autofree char *n = db_scalar (db->conn,
                                  "SELECT count(DISTINCT n) || ' ' || max(n) || ' ' || "
                                  "(sum (length (v)) > 65536) || ' ' || bool_and (v = $1) FROM r",
                                  DB_ARGS (LONG_VALUE), &error);
  ck_assert_str_eq (n, "20000 20000 true true");

  /* A generator error aborts the COPY and leaves the connection usable. */
  ck_assert (db_run (db->conn, "CREATE TABLE e (n integer, v text)", DB_NO_ARGS, &error));
  RowGen bad = { .total = 50000, .fail_at = 30000 };
  ck_assert (!db_copy_rows (db->conn, "COPY e (n, v) FROM STDIN", gen_rows, &bad, &error));
  ck_assert (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_FAILED));
  g_clear_error (&error);
  g_autofree char *e = db_scalar (db->conn, "SELECT count(*) FROM e", DB_NO_ARGS, &error);
  ck_assert_str_eq (e, "0");
}
END_TEST

START_TEST (test_audit_and_lock)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autoptr (GError) error = NULL;
  ck_assert (db_audit (db->conn, "120104", "tester", "test.action", "thing",
                       "{\"n\": 3, \"file\": \"a'b.csv\"}", &error));
  ck_assert (db_audit (db->conn, "120104", "tester", "test.bare", NULL, NULL, &error));
  g_autofree char *row = db_scalar (
      db->conn,
      "SELECT actor || '|' || subject || '|' || (detail->>'n') || '|' || (detail->>'file') FROM "
      "audit_log WHERE action = 'test.action'",
      DB_NO_ARGS, &error);
  ck_assert_str_eq (row, "tester|thing|3|a'b.csv");
  g_autofree char *bare = db_scalar (
      db->conn,
      "SELECT (subject IS NULL AND detail IS NULL)::text FROM audit_log WHERE action = "
      "'test.bare'",
      DB_NO_ARGS, &error);
  ck_assert_str_eq (bare, "true");
  ck_assert (!db_audit (db->conn, "120104", "tester", "test.bad", NULL, "not json", &error));
  g_clear_error (&error);

  /* The lock is held until the transaction ends; another session cannot
   * take the same (scope, key) meanwhile, but can take another key. */
  g_autoptr (PGconn) other = db_connect (db->conninfo, &error);
  ck_assert_msg (other != NULL, "%s", error ? error->message : "");
  {
    g_autoptr (DbTransaction) tx = db_transaction_begin (db->conn, &error);
    ck_assert (db_advisory_xact_lock (db->conn, "draw", "120104:2024-03", &error));
    ck_assert (db_advisory_xact_lock (db->conn, "draw", "120104:2024-03", &error));
    g_autofree char *same = db_scalar (
        other,
        "SELECT pg_try_advisory_xact_lock (hashtext ('draw'), hashtext ('120104:2024-03'))::text",
        DB_NO_ARGS, &error);
    ck_assert_str_eq (same, "false");
    g_autofree char *diff = db_scalar (
        other,
        "SELECT pg_try_advisory_xact_lock (hashtext ('plan'), hashtext ('120104:2024-03'))::text",
        DB_NO_ARGS, &error);
    ck_assert_str_eq (diff, "true");
  }
  g_autofree char *after = db_scalar (
      other,
      "SELECT pg_try_advisory_xact_lock (hashtext ('draw'), hashtext ('120104:2024-03'))::text",
      DB_NO_ARGS, &error);
  ck_assert_str_eq (after, "true");
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
  tcase_add_test (tc, test_array_literal_round_trip);
  tcase_add_test (tc, test_copy_rows_in_chunks);
  tcase_add_test (tc, test_audit_and_lock);
  tcase_add_test (tc, test_connect_failure_is_clear);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
