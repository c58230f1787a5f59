/* test-audit-chain.c: audit_log and case_event rows written the normal way
 * form one hash chain per district that db_audit_verify recomputes; a row
 * changed or removed by the schema owner breaks it at that row; racing writers
 * still give one chain; rows older than the chain are chained by its
 * migration. */
#include "tests/db/results-fixture.h"

#include "db/db-audit.h"
#include "db/db-cases.h"
#include "service/svc-cases.h"

#include <glib/gstdio.h>
#include <stdlib.h>

static void
run (TestDb *db, const char *sql)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (db_run (db->conn, sql, DB_NO_ARGS, &error), "%s: %s", sql,
                 error ? error->message : "");
}

static gint64
number (TestDb *db, const char *sql)
{
  g_autofree char *v = fx_scalar (db, sql);
  return g_ascii_strtoll (v, NULL, 10);
}

static void
audit (PGconn *conn, const char *district, const char *action, const char *subject,
       const char *detail)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (db_audit (conn, district, "tester", action, subject, detail, &error), "%s",
                 error ? error->message : "");
}

static void
verify (TestDb *db, const char *district, DbChainTable table, DbChainReport *out)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (db_audit_verify (db->conn, district, table, out, &error), "%s",
                 error ? error->message : "");
}

/* The one chain of @table in @district, after verifying that table alone. */
static DbChain
chain_of (TestDb *db, const char *district, DbChainTable table)
{
  g_auto (DbChainReport) r = { 0 };
  verify (db, district, table, &r);
  ck_assert_uint_eq (r.chains->len, 1);
  return g_array_index (r.chains, DbChain, 0);
}

static void
assert_holds (const DbChain *c, gint64 rows)
{
  ck_assert_msg (!c->broken, "%s %s broken at id %" G_GINT64_FORMAT " (%s: stored %s, expected %s)",
                 db_chain_table_name (c->table), c->district, c->bad_id, c->bad_field, c->stored,
                 c->expected);
  ck_assert_int_eq (c->rows, rows);
}

/* Opens two referral cases (case_event and audit_log rows through the store). */
static void
import_referrals (TestDb *db)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  ck_assert (config != NULL);
  g_autoptr (CoreCalendar) calendar = core_calendar_new (config, &error);
  g_autoptr (CoreCatalog) catalog = core_catalog_load (config, &error);
  g_autoptr (CasesDeadlines) deadlines = cases_deadlines_load (config, &error);
  ck_assert_msg (deadlines != NULL && catalog != NULL, "%s", error ? error->message : "");
  SvcContext svc = { .conn = db->conn,
                     .config = config,
                     .catalog = catalog,
                     .calendar = calendar,
                     .deadlines = deadlines,
                     .actor = "tester",
                     .role = SVC_ROLE_COORDINATOR };
  ck_assert (core_date_parse ("2024-02-20", &svc.today));
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-chain-XXXXXX", NULL);
  g_autofree char *path = fx_write (
      dir, "ref.csv",
      "抽检级别,通知书编号,统一社会信用代码,企业名称,样品名称,不合格项目,通知日期\n"
      "国抽,GC2024-001," FX_USCC1 ",南开示范餐饮有限公司,花生油,黄曲霉毒素B1；酸价,2024-02-08\n"
      "市抽,SC2024-017," FX_USCC2 ",鼓楼示范食品店,桃酥,铝的残留量,2024-02-19\n");
  guint opened = 0, skipped = 0;
  gboolean ok = svc_cases_import_referrals (&svc, path, "ref.csv", &opened, &skipped, &error);
  g_remove (path);
  g_rmdir (dir);
  ck_assert_msg (ok, "%s", error ? error->message : "");
  ck_assert_uint_eq (opened, 2);
}

START_TEST (test_normal_writes_chain_and_verify)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  g_autoptr (GError) error = NULL;
  /* Values that need escaping in the canonical text, NULLs, Chinese. */
  audit (db->conn, "120104", "test.one", NULL, NULL);
  audit (db->conn, "120104", "test.tab\there", "line\nbreak\\back\rslash",
         "{\"名称\": \"南开\\t区\", \"n\": [1, 2.50]}");
  audit (db->conn, "110000", "test.other", "另一个辖区", "{}");
  import_referrals (db);
  /* An INSERT that brings its own hashes and id has them replaced. */
  run (db, "INSERT INTO audit_log (district, actor, action, prev_hash, row_hash) OVERRIDING "
           "SYSTEM VALUE VALUES ('120104', 'x', 'forged', sha256 ('a'), sha256 ('b'))");
  /* Several rows of one statement chain one after another. */
  run (db, "INSERT INTO audit_log (district, actor, action) "
           "SELECT '120104', 'bulk', 'test.bulk' || i FROM generate_series (1, 5) i");

  gint64 audits = number (db, "SELECT count(*) FROM audit_log WHERE district = '120104'");
  gint64 events = number (db, "SELECT count(*) FROM case_event WHERE district = '120104'");
  ck_assert_int_ge (audits, 9);
  ck_assert_int_ge (events, 2);
  DbChain a = chain_of (db, "120104", DB_CHAIN_AUDIT_LOG);
  assert_holds (&a, audits);
  ck_assert_int_eq (a.last_id, number (db, "SELECT max(id) FROM audit_log WHERE district = "
                                           "'120104'"));
  g_autofree char *head = fx_scalar (db, "SELECT encode (row_hash, 'hex') FROM audit_log WHERE "
                                         "district = '120104' ORDER BY id DESC LIMIT 1");
  ck_assert_str_eq (a.head, head);
  DbChain e = chain_of (db, "120104", DB_CHAIN_CASE_EVENT);
  assert_holds (&e, events);

  /* Every district: one chain each, in district order. */
  g_auto (DbChainReport) all = { 0 };
  verify (db, NULL, DB_CHAIN_AUDIT_LOG, &all);
  verify (db, NULL, DB_CHAIN_CASE_EVENT, &all);
  ck_assert_uint_eq (all.chains->len, 3);
  DbChain *other = &g_array_index (all.chains, DbChain, 0);
  ck_assert_str_eq (other->district, "110000");
  assert_holds (other, 1);
  ck_assert_ptr_null (db_chain_report_first_broken (&all));
  /* A chain starts from zeros; the database's hash is the one C computes. */
  ck_assert_int_eq (number (db, "SELECT count(*) FROM audit_log WHERE district = '110000' AND "
                                "prev_hash = decode (repeat ('00', 32), 'hex')"),
                    1);
  /* A district with no rows has an empty chain, which holds. */
  DbChain none = chain_of (db, "120105", DB_CHAIN_AUDIT_LOG);
  assert_holds (&none, 0);
  ck_assert_str_eq (none.district, "120105");
}
END_TEST

/* As the schema owner, past the append-only trigger: what the working role
 * the application connects as cannot do. */
static void
tamper (TestDb *db, const char *table, const char *statement)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGconn) owner = db_connect (db->owner_conninfo, &error);
  ck_assert_msg (owner != NULL, "%s", error ? error->message : "");
  g_autofree char *sql = g_strdup_printf ("ALTER TABLE %s DISABLE TRIGGER %s_append_only; %s; "
                                          "ALTER TABLE %s ENABLE TRIGGER %s_append_only",
                                          table, table, statement, table, table);
  ck_assert_msg (db_run_script (owner, sql, &error), "%s: %s", sql, error ? error->message : "");
}

/* SHA-256 (@text || @prev) in hex, as the migration defines row_hash. */
static char *
hash_of (const char *text, const char *prev_hex)
{
  guint8 prev[32] = { 0 };
  for (int i = 0; prev_hex && i < 32; i++)
    prev[i] = (guint8)(g_ascii_xdigit_value (prev_hex[2 * i]) << 4
                       | g_ascii_xdigit_value (prev_hex[2 * i + 1]));
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, (const guchar *)text, -1);
  g_checksum_update (sum, prev, sizeof prev);
  return g_strdup (g_checksum_get_string (sum));
}

/* The canonical text exactly as the migration's comment defines it, written
 * out by hand: what an outsider recomputing a hash would build. */
START_TEST (test_documented_canonical_text)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  run (db, "INSERT INTO audit_log (district, at, actor, action, subject, detail) VALUES "
           "('120104', '2024-02-05 16:30:00+08', E'张\\\\三\\t', 'test.doc', NULL, "
           "'{\"k\": \"v\\u0009\", \"a\": [1, 2.50]}')");
  gint64 id = number (db, "SELECT id FROM audit_log WHERE action = 'test.doc'");
  g_autofree char *text = g_strdup_printf ("audit_log\t120104\t%" G_GINT64_FORMAT
                                           "\t2024-02-05T08:30:00.000000Z\t张\\\\三\\t\t"
                                           "test.doc\t\\N\t{\"a\": [1, 2.50], \"k\": \"v\\\\t\"}\n",
                                           id);
  g_autofree char *expected = hash_of (text, NULL);
  g_autofree char *stored
      = fx_scalar (db, "SELECT encode (row_hash, 'hex') FROM audit_log WHERE action = 'test.doc'");
  ck_assert_str_eq (stored, expected);

  import_referrals (db);
  run (db, "INSERT INTO case_event (district, case_no, at, on_date, actor, event, from_state, "
           "to_state, detail) VALUES ('120104', 'HC2024-00001', '2024-02-20 01:02:03.456789+00', "
           "'2024-02-21', '李四', 'note', NULL, 'open', E'第一行\n第二行\r')");
  gint64 eid = number (db, "SELECT id FROM case_event WHERE event = 'note'");
  g_autofree char *prev
      = fx_scalar (db, "SELECT encode (prev_hash, 'hex') FROM case_event WHERE event = 'note'");
  g_autofree char *etext = g_strdup_printf (
      "case_event\t120104\t%" G_GINT64_FORMAT "\tHC2024-00001\t2024-02-20T01:02:03.456789Z\t"
      "2024-02-21\t李四\tnote\t\\N\topen\t第一行\\n第二行\\r\n",
      eid);
  g_autofree char *eexpected = hash_of (etext, prev);
  g_autofree char *estored
      = fx_scalar (db, "SELECT encode (row_hash, 'hex') FROM case_event WHERE event = 'note'");
  ck_assert_str_eq (estored, eexpected);
  /* The previous event's hash is the one prev_hash names. */
  g_autofree char *before = fx_scalar (
      db, "SELECT encode (row_hash, 'hex') FROM case_event WHERE id < (SELECT id FROM case_event "
          "WHERE event = 'note') ORDER BY id DESC LIMIT 1");
  ck_assert_str_eq (prev, before);
}
END_TEST

/* Chains longer than one batch, and a district changing inside a batch. */
START_TEST (test_chains_across_batches)
{
  g_autoptr (TestDb) db = test_db_new ();
  run (db, "INSERT INTO audit_log (district, actor, action, detail) SELECT CASE WHEN i % 4 = 0 "
           "THEN '110000' ELSE '120104' END, 'bulk', 'test.bulk', jsonb_build_object ('i', i) "
           "FROM generate_series (1, 3000) i");
  run (db, "INSERT INTO audit_log (district, actor, action) SELECT '130000', 'bulk', 'test.bulk' "
           "FROM generate_series (1, 10) i");
  g_auto (DbChainReport) all = { 0 };
  verify (db, NULL, DB_CHAIN_AUDIT_LOG, &all);
  ck_assert_uint_eq (all.chains->len, 3);
  assert_holds (&g_array_index (all.chains, DbChain, 0), 750);
  assert_holds (&g_array_index (all.chains, DbChain, 1), 2250);
  assert_holds (&g_array_index (all.chains, DbChain, 2), 10);
  /* A row deep in the long chain is found; the chains after it are still walked. */
  tamper (db, "audit_log", "UPDATE audit_log SET actor = 'x' WHERE detail->>'i' = '2001'");
  g_auto (DbChainReport) after = { 0 };
  verify (db, NULL, DB_CHAIN_AUDIT_LOG, &after);
  ck_assert_uint_eq (after.chains->len, 3);
  const DbChain *bad = db_chain_report_first_broken (&after);
  ck_assert_ptr_nonnull (bad);
  ck_assert_str_eq (bad->district, "120104");
  ck_assert_int_eq (bad->bad_id,
                    number (db, "SELECT id FROM audit_log WHERE detail->>'i' = '2001'"));
  ck_assert_int_eq (bad->rows, 2001 - 2001 / 4 - 1);
  assert_holds (&g_array_index (after.chains, DbChain, 0), 750);
  assert_holds (&g_array_index (after.chains, DbChain, 2), 10);
}
END_TEST

START_TEST (test_changed_row_breaks_the_chain_there)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 1, 1);
  for (int i = 0; i < 6; i++)
    {
      g_autofree char *detail = g_strdup_printf ("{\"n\": %d}", i);
      audit (db->conn, "120104", "test.row", NULL, detail);
    }
  import_referrals (db);
  gint64 third = number (db, "SELECT id FROM audit_log WHERE detail = '{\"n\": 2}'");
  g_autofree char *stored
      = fx_scalar (db, "SELECT encode (row_hash, 'hex') FROM audit_log WHERE detail->>'n' = '2'");
  /* The working role the application connects as cannot get past the trigger. */
  g_autoptr (GError) refused = NULL;
  ck_assert (!db_run (db->conn, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                      DB_NO_ARGS, &refused));
  tamper (db, "audit_log", "UPDATE audit_log SET detail = '{\"n\": 20}' WHERE detail->>'n' = '2'");
  DbChain a = chain_of (db, "120104", DB_CHAIN_AUDIT_LOG);
  ck_assert (a.broken);
  ck_assert_int_eq (a.bad_id, third);
  ck_assert_str_eq (a.bad_field, "row_hash");
  ck_assert_str_eq (a.stored, stored); /* the row kept its old hash */
  ck_assert_str_ne (a.expected, stored);
  ck_assert_int_eq (a.rows, 2);
  /* The same for a case event whose detail was rewritten. */
  gint64 first_event = number (db, "SELECT min(id) FROM case_event");
  tamper (db, "case_event",
          "UPDATE case_event SET detail = 'nothing happened' WHERE id = (SELECT min(id) FROM "
          "case_event)");
  DbChain e = chain_of (db, "120104", DB_CHAIN_CASE_EVENT);
  ck_assert (e.broken);
  ck_assert_int_eq (e.bad_id, first_event);
  ck_assert_str_eq (e.bad_field, "row_hash");
  ck_assert_int_eq (e.rows, 0);
  /* A changed time is found as well. */
  g_autoptr (TestDb) db2 = test_db_new ();
  audit (db2->conn, "120104", "a", NULL, NULL);
  audit (db2->conn, "120104", "b", NULL, NULL);
  tamper (db2, "audit_log",
          "UPDATE audit_log SET at = at + interval '1 microsecond' WHERE action = 'b'");
  DbChain t = chain_of (db2, "120104", DB_CHAIN_AUDIT_LOG);
  ck_assert (t.broken);
  ck_assert_int_eq (t.bad_id, number (db2, "SELECT id FROM audit_log WHERE action = 'b'"));
}
END_TEST

START_TEST (test_removed_row_breaks_the_next_one)
{
  g_autoptr (TestDb) db = test_db_new ();
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *detail = g_strdup_printf ("{\"n\": %d}", i);
      audit (db->conn, "120104", "test.row", NULL, detail);
    }
  g_autofree char *second_hash
      = fx_scalar (db, "SELECT encode (row_hash, 'hex') FROM audit_log WHERE detail->>'n' = '1'");
  gint64 fourth = number (db, "SELECT id FROM audit_log WHERE detail->>'n' = '3'");
  tamper (db, "audit_log", "DELETE FROM audit_log WHERE detail->>'n' = '2'");
  DbChain a = chain_of (db, "120104", DB_CHAIN_AUDIT_LOG);
  ck_assert (a.broken);
  ck_assert_int_eq (a.bad_id, fourth);
  ck_assert_str_eq (a.bad_field, "prev_hash");
  ck_assert_str_eq (a.expected, second_hash);
  ck_assert_int_eq (a.rows, 2);
  /* Removing the last row leaves a shorter chain that holds: only a head
   * kept from an earlier run shows it (the README says so). Removing the
   * first makes the new first row's prev_hash not zeros. */
  tamper (db, "audit_log", "DELETE FROM audit_log WHERE detail->>'n' = '0'");
  DbChain b = chain_of (db, "120104", DB_CHAIN_AUDIT_LOG);
  ck_assert (b.broken);
  ck_assert_int_eq (b.bad_id, number (db, "SELECT id FROM audit_log WHERE detail->>'n' = '1'"));
  ck_assert_str_eq (b.bad_field, "prev_hash");
}
END_TEST

static PGconn *
open_conn (TestDb *db)
{
  g_autoptr (GError) error = NULL;
  PGconn *conn = db_connect (db->conninfo, &error);
  ck_assert_msg (conn != NULL, "%s", error ? error->message : "");
  return conn;
}

static void
exec_on (PGconn *conn, const char *sql)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (db_run (conn, sql, DB_NO_ARGS, &error), "%s: %s", sql,
                 error ? error->message : "");
}

typedef struct
{
  char *conninfo;
  int rows;
  gboolean ok;
} Writer;

static gpointer
write_rows (gpointer data)
{
  Writer *w = data;
  g_autoptr (PGconn) conn = db_connect (w->conninfo, NULL);
  w->ok = conn != NULL;
  for (int i = 0; w->ok && i < w->rows; i++)
    {
      g_autoptr (DbTransaction) tx = db_transaction_begin (conn, NULL);
      w->ok = tx != NULL && db_audit (conn, "120104", "writer", "test.race", NULL, NULL, NULL)
              && db_audit (conn, "120104", "writer", "test.race", NULL, NULL, NULL)
              && db_transaction_commit (tx, NULL);
    }
  return NULL;
}

START_TEST (test_racing_writers_give_one_chain)
{
  g_autoptr (TestDb) db = test_db_new ();
  /* B draws its id while A holds the chain, then A writes again: B's row
   * still joins the chain after A's, with the higher id. */
  g_autoptr (PGconn) a = open_conn (db);
  g_autoptr (PGconn) b = open_conn (db);
  exec_on (a, "BEGIN");
  audit (a, "120104", "test.a1", NULL, NULL);
  ck_assert (PQsendQuery (b, "INSERT INTO audit_log (district, actor, action) "
                             "VALUES ('120104', 'b', 'test.b')"));
  /* Wait until B waits for A's lock. */
  for (int i = 0; i < 500; i++)
    {
      if (number (db, "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                      "AND datname = current_database ()")
          > 0)
        break;
      g_usleep (10 * 1000);
    }
  audit (a, "120104", "test.a2", NULL, NULL);
  exec_on (a, "COMMIT");
  for (PGresult *res; (res = PQgetResult (b)) != NULL; PQclear (res))
    ck_assert_msg (PQresultStatus (res) == PGRES_COMMAND_OK, "%s", PQresultErrorMessage (res));
  g_autofree char *order
      = fx_scalar (db, "SELECT string_agg (action, ' ' ORDER BY id) FROM audit_log");
  ck_assert_str_eq (order, "test.a1 test.a2 test.b");
  DbChain c = chain_of (db, "120104", DB_CHAIN_AUDIT_LOG);
  assert_holds (&c, 3);

  /* Two writers at full speed. */
  Writer w1 = { db->conninfo, 40, FALSE }, w2 = { db->conninfo, 40, FALSE };
  GThread *t1 = g_thread_new ("w1", write_rows, &w1);
  GThread *t2 = g_thread_new ("w2", write_rows, &w2);
  g_thread_join (t1);
  g_thread_join (t2);
  ck_assert (w1.ok && w2.ok);
  DbChain d = chain_of (db, "120104", DB_CHAIN_AUDIT_LOG);
  assert_holds (&d, 3 + 2 * 40 + 2 * 40);
  ck_assert_int_eq (number (db, "SELECT count(DISTINCT prev_hash) FROM audit_log"), 163);
}
END_TEST

static int
by_name (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* The migrations' files in name order, from the source tree. */
static GPtrArray *
migration_files (void)
{
  g_autofree char *dir
      = g_build_filename (g_getenv ("SPOTCHECK_SOURCE_DIR"), "db", "migrations", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  ck_assert_ptr_nonnull (d);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  for (const char *n; (n = g_dir_read_name (d)) != NULL;)
    if (g_str_has_suffix (n, ".sql"))
      g_ptr_array_add (files, g_build_filename (dir, n, NULL));
  g_ptr_array_sort (files, by_name);
  return files;
}

static void
apply (TestDb *db, const char *path)
{
  g_autofree char *sql = NULL;
  ck_assert (g_file_get_contents (path, &sql, NULL, NULL));
  g_autofree char *script = g_strdup_printf ("BEGIN;\n%s\n;COMMIT;", sql);
  fx_sql (db, script);
}

START_TEST (test_migration_chains_rows_already_there)
{
  g_autoptr (TestDb) db = test_db_new_empty ();
  g_autoptr (GPtrArray) files = migration_files ();
  /* The table the migrator keeps, which a migration may refer to. */
  run (db, "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
           "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
  guint i = 0;
  for (; i < files->len && !strstr (files->pdata[i], "0012_hash_chain"); i++)
    apply (db, files->pdata[i]);
  ck_assert_uint_lt (i, files->len);
  run (db, "INSERT INTO audit_log (district, actor, action, subject, detail) VALUES "
           "('120104', 'old', 'test.old1', E'a\\tb', '{\"k\": \"v\"}'), "
           "('110000', 'old', 'test.old2', NULL, NULL), "
           "('120104', 'old', 'test.old3', '老', NULL)");
  apply (db, files->pdata[i]);
  DbChain c = chain_of (db, "120104", DB_CHAIN_AUDIT_LOG);
  assert_holds (&c, 2);
  /* New rows carry on from the old ones. */
  audit (db->conn, "120104", "test.new", NULL, NULL);
  DbChain n = chain_of (db, "120104", DB_CHAIN_AUDIT_LOG);
  assert_holds (&n, 3);
  g_auto (DbChainReport) all = { 0 };
  verify (db, NULL, DB_CHAIN_AUDIT_LOG, &all);
  ck_assert_uint_eq (all.chains->len, 2);
  ck_assert_ptr_null (db_chain_report_first_broken (&all));
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("audit-chain");
  TCase *tc = tcase_create ("chain");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_normal_writes_chain_and_verify);
  tcase_add_test (tc, test_documented_canonical_text);
  tcase_add_test (tc, test_chains_across_batches);
  tcase_add_test (tc, test_changed_row_breaks_the_chain_there);
  tcase_add_test (tc, test_removed_row_breaks_the_next_one);
  tcase_add_test (tc, test_racing_writers_give_one_chain);
  tcase_add_test (tc, test_migration_chains_rows_already_there);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
