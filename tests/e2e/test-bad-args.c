/* test-bad-args.c: every command with bad values of each option, as a hostile
 * or careless user types them: exit 1, no signal, a message naming the
 * option, and the database exactly as it was. */
#include "tests/support/test-pg.h"
#include "tests/support/test-run.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>

#define OK(r) ck_assert_msg ((r)->status == 0, "exit %d: %s", (r)->status, (r)->err)

typedef struct
{
  const char *names;    /* what the message must mention (the option), "|" between alternatives */
  const char *args[12]; /* the command line after `spotcheck --db …` */
} BadArgs;

/* @DIR@ is replaced by a scratch directory holding a valid file "ok.csv". */
static const BadArgs cases[] = {
  { "--year", { "plan", "generate", "--year", "-5" } },
  { "--year", { "plan", "generate", "--year", "20245" } },
  { "--year", { "plan", "generate", "--year", "abc" } },
  { "--year", { "plan", "generate", "--year", "" } },
  { "--total", { "plan", "generate", "--year", "2024", "--total", "0" } },
  { "--total", { "plan", "generate", "--year", "2024", "--total", "-1" } },
  { "--total", { "plan", "generate", "--year", "2024", "--total", "9223372036854775807" } },
  { "--total", { "plan", "generate", "--year", "2024", "--total", "99999999999999999999" } },
  { "--total", { "plan", "generate", "--year", "2024", "--total", "1e5" } },
  { "--config", { "plan", "generate", "--year", "2024", "--config", "@DIR@/missing.conf" } },
  { "--year", { "plan", "list", "--year", "-1" } },
  { "--year", { "plan", "show", "--year", "0" } },
  { "--version", { "plan", "show", "--year", "2024", "--version", "-1" } },
  { "--format", { "plan", "show", "--year", "2024", "--format", "pdf" } },
  { "--year", { "plan", "balance", "--year", "x" } },
  { "--version", { "plan", "balance", "--year", "2024", "--version", "abc" } },
  { "--version", { "plan", "approve", "--year", "2024", "--version", "0" } },
  { "--version", { "plan", "approve", "--year", "2024", "--version", "999" } },
  { "--from-month", { "plan", "rebalance", "--from-month", "2024-13" } },
  { "--from-month", { "plan", "rebalance", "--from-month", "2024-1" } },
  { "--version", { "plan", "rebalance", "--from-month", "2024-07", "--version", "-3" } },
  { "businesses|inspectors|labs", { "registry", "import", "companies", "@DIR@/ok.csv" } },
  { "missing.csv", { "registry", "import", "businesses", "@DIR@/missing.csv" } },
  { "--grade", { "registry", "list", "businesses", "--grade", "E" } },
  { "--street", { "registry", "list", "businesses", "--street", "999999" } },
  { "--office", { "registry", "list", "businesses", "--office", "NOPE" } },
  { "--category", { "registry", "list", "businesses", "--category", "99" } },
  { "--format", { "registry", "list", "businesses", "--format", "yaml" } },
  { "extra", { "registry", "list", "businesses", "extra" } },
  { "--businesses", { "registry", "demo", "--businesses", "-5", "--out", "@DIR@/demo" } },
  { "--businesses", { "registry", "demo", "--businesses", "0", "--out", "@DIR@/demo" } },
  { "--labs", { "registry", "demo", "--businesses", "10", "--labs", "-1", "--out", "@DIR@/d" } },
  { "--seed", { "registry", "demo", "--businesses", "10", "--seed", "x", "--out", "@DIR@/d" } },
  { "--months", { "demo", "--months", "0", "--out", "@DIR@/year" } },
  { "--months", { "demo", "--months", "13", "--out", "@DIR@/year" } },
  { "--year", { "demo", "--year", "1999", "--out", "@DIR@/year" } },
  { "--year", { "demo", "--year", "abc", "--out", "@DIR@/year" } },
  { "--businesses", { "demo", "--businesses", "5", "--out", "@DIR@/year" } },
  { "--seed", { "demo", "--seed", "-1", "--out", "@DIR@/year" } },
  { "--listen|--serve", { "demo", "--listen", "127.0.0.1:0", "--out", "@DIR@/year" } },
  { "extra", { "demo", "extra", "--out", "@DIR@/year" } },
  { "plan 2030", { "demo", "--year", "2030", "--out", "@DIR@/year" } },
  /* the shared database holds data: a server of one's own is never reset */
  { "--db", { "demo", "--months", "1", "--yes", "--out", "@DIR@/year" } },
  { "--month", { "report", "progress", "--month", "2024-13" } },
  { "--month", { "report", "progress", "--month", "2024-1" } },
  { "--quarter", { "report", "nonconformity", "--quarter", "2024-Q5" } },
  { "--quarter", { "report", "nonconformity", "--quarter", "Q1" } },
  { "--year", { "report", "cases", "--year", "24" } },
  { "--year", { "report", "cases", "--year", "1999" } },
  { "--month", { "report", "disclosure", "--year", "2024", "--month", "2024-01" } },
  { "--office", { "report", "progress", "--office", "NOPE" } },
  { "--lang", { "report", "progress", "--lang", "fr" } },
  { "--format", { "report", "cases", "--format", "pdf" } },
  { "--date", { "report", "cases", "--date", "2024-02-30" } },
  { "--out", { "report", "progress", "--format", "html", "-o", "@DIR@/no/such/dir/p.html" } },
  { "extra", { "report", "disclosure", "extra" } },
  { "--year", { "report", "business", "--year", "abc" } },
  { "gossip", { "report", "gossip" } },
  { "--month", { "tasks", "generate", "--month", "2024-00" } },
  { "--month", { "tasks", "generate", "--month", "March" } },
  { "--seed", { "tasks", "generate", "--month", "2024-02", "--seed", "-1" } },
  { "--seed", { "tasks", "generate", "--month", "2024-02", "--seed", "18446744073709551616" } },
  { "--draw", { "tasks", "verify", "--month", "2024-01", "--draw", "-1" } },
  { "--draw", { "tasks", "verify", "--month", "2024-01", "--draw", "0x10" } },
  { "--month", { "tasks", "list", "--month", "24-01" } },
  { "--office", { "tasks", "list", "--month", "2024-01", "--office", "NOPE" } },
  { "--format", { "tasks", "list", "--month", "2024-01", "--format", "html" } },
  { "--out",
    { "tasks", "list", "--month", "2024-01", "--format", "xlsx", "--out",
      "@DIR@/no/such/dir/x.xlsx" } },
  { "--out", { "tasks", "export", "--month", "2024-01" } },
  { "--draw", { "tasks", "export", "--month", "2024-01", "--draw", "-2", "--out", "@DIR@/x" } },
  { "--input|missing.txt", { "tasks", "rerun", "--input", "@DIR@/missing.txt", "--seed", "1" } },
  { "cannot read", { "tasks", "rerun", "--input", "@DIR@", "--seed", "1" } },
  { "--seed", { "tasks", "rerun", "--input", "@DIR@/ok.csv", "--seed", "abc" } },
  { "--sampling-date",
    { "samples", "record", "--record", "DC24120104010000001", "--name", "酱油", "--quantity", "1",
      "--sampling-date", "2024-02-30" } },
  { "--production-date",
    { "samples", "record", "--record", "DC24120104010000001", "--name", "酱油", "--quantity", "1",
      "--sampling-date", "2024-01-10", "--production-date", "yesterday" } },
  { "missing.csv", { "samples", "record", "@DIR@/missing.csv" } },
  { "--lab", { "results", "import", "@DIR@/ok.csv", "--lab", "NOPE" } },
  { "--date", { "results", "import", "@DIR@/ok.csv", "--lab", "LAB01", "--date", "2024-02-31" } },
  { "--reason", { "results", "import", "@DIR@/ok.csv", "--lab", "LAB01", "--amend" } },
  { "missing.csv", { "results", "import", "@DIR@/missing.csv", "--lab", "LAB01" } },
  { "--format", { "results", "review", "--format", "xml" } },
  { "--verdict", { "results", "review", "--resolve", "BG-1" } },
  { "--verdict",
    { "results", "review", "--resolve", "BG-1", "--verdict", "maybe", "--reason", "x" } },
  { "--reason", { "results", "review", "--resolve", "BG-1", "--verdict", "conforming" } },
  { "--reason",
    { "results", "review", "--resolve", "BG-1", "--verdict", "conforming", "--reason", "" } },
  { "--resolve",
    { "results", "review", "--resolve", "", "--verdict", "conforming", "--reason", "x" } },
  { "NOPE-1",
    { "results", "review", "--resolve", "NOPE-1", "--verdict", "conforming", "--reason", "x" } },
  { "--date",
    { "results", "review", "--resolve", "BG-1", "--verdict", "conforming", "--reason", "x",
      "--date", "2024-13-01" } },
  { "--all",
    { "results", "review", "--resolve", "BG-1", "--verdict", "conforming", "--reason", "x",
      "--all" } },
  { "--lab", { "results", "review", "--lab", "LAB01" } },
  { "extra", { "results", "review", "extra" } },
  { "NOPE", { "registry", "show", "NOPE" } },
  { "--format", { "registry", "show", "NOPE", "--format", "pdf" } },
  { "--year", { "registry", "suggest-grades" } },
  { "--year", { "registry", "suggest-grades", "--year", "1999" } },
  { "--year", { "registry", "suggest-grades", "--year", "abc" } },
  { "--format", { "registry", "suggest-grades", "--year", "2024", "--format", "yaml" } },
  { "--as-directory", { "registry", "suggest-grades", "--year", "2024", "--as-directory", "" } },
  { "--as-directory",
    { "registry", "suggest-grades", "--year", "2024", "--as-directory", "@DIR@/g.csv", "--out",
      "@DIR@/g.csv" } },
  { "--date", { "cases", "import-referrals", "@DIR@/ok.csv", "--date", "20240101" } },
  { "missing.csv", { "cases", "import-referrals", "@DIR@/missing.csv" } },
  { "--state", { "cases", "list", "--state", "flying" } },
  { "--format", { "cases", "list", "--format", "pdf" } },
  { "--date", { "cases", "list", "--date", "2024-13-01" } },
  { "--date", { "cases", "show", "HC2024-00001", "--date", "yesterday" } },
  { "--format", { "cases", "show", "HC2024-00001", "--format", "pdf" } },
  { "HC2099-99999", { "cases", "show", "HC2099-99999" } },
  { "--to", { "cases", "advance", "HC2024-00001" } },
  { "--field", { "cases", "advance", "HC2024-00001", "--to", "deliver", "--field", "novalue" } },
  { "--as", { "cases", "advance", "HC2024-00001", "--to", "deliver", "--as", "lab" } },
  { "--office", { "cases", "advance", "HC2024-00001", "--to", "deliver", "--as", "inspector" } },
  { "--version", { "cases", "advance", "HC2024-00001", "--to", "deliver", "--version", "0" } },
  { "--date", { "cases", "advance", "HC2024-00001", "--to", "deliver", "--date", "2024-02-30" } },
  { "HC2099-99999", { "cases", "advance", "HC2099-99999", "--to", "deliver" } },
  { "--until",
    { "cases", "extend", "HC2024-00001", "--until", "2024-13-01", "--approved-by", "x", "--reason",
      "y" } },
  { "--reason",
    { "cases", "extend", "HC2024-00001", "--until", "2024-06-30", "--approved-by", "x" } },
  { "--outcome", { "cases", "close", "HC2024-00001" } },
  { "--office", { "cases", "assign", "HC2024-00001" } },
  { "HC2099-99999", { "cases", "assign", "HC2099-99999", "--office", "12010401" } },
  { "--verdict", { "cases", "reinspect", "HC2024-00001", "result", "--verdict", "maybe" } },
  { "dance", { "cases", "reinspect", "HC2024-00001", "dance" } },
  { "--format", { "cases", "steps", "--format", "pdf" } },
  { "--due-within", { "cases", "list", "--due-within", "-3" } },
  { "--format", { "audit", "verify", "--format", "xlsx" } },
  { "--district", { "audit", "verify", "--district", "12010" } },
  { "--district", { "audit", "verify", "--district", "一二〇一〇四" } },
  { "--group", { "config", "show", "--group", "no such group" } },
  { "backup file", { "db", "backup" } },
  { "x.dump", { "db", "backup", "@DIR@/no/such/dir/x.dump" } },
  { "embedded", { "db", "restore", "@DIR@/ok.csv", "--yes" } },
  { "--frobnicate", { "plan", "list", "--frobnicate" } },
  { "--frobnicate", { "tasks", "list", "--month", "2024-01", "--frobnicate" } },
  { "--role", { "user", "add", "u1", "--role", "boss" } },
  { "--role", { "user", "add", "u1" } },
  { "--lab", { "user", "add", "u1", "--role", "lab" } },
  { "--lab", { "user", "add", "u1", "--role", "admin", "--lab", "LAB1" } },
  { "--office", { "user", "add", "u1", "--role", "inspector", "--office", "99" } },
  { "--office", { "user", "add", "u1", "--role", "coordinator", "--office", "12010401" } },
  { "--expires", { "user", "add", "u1", "--role", "admin", "--expires", "2024-02-30" } },
  { "--expires", { "user", "add", "u1", "--role", "admin", "--expires", "2001-01-01" } },
  { "user name", { "user", "add", "bad name; DROP TABLE app_user", "--role", "admin" } },
  { "user NAME", { "user", "add", "--role", "admin" } },
  { "nobody", { "user", "revoke", "nobody" } },
  { "--format", { "user", "list", "--format", "pdf" } },
  { "listen", { "serve", "--listen", "localhost" } },
  { "listen", { "serve", "--listen", "127.0.0.1:99999" } },
  { "--workers", { "serve", "--workers", "-1" } },
  { "--workers", { "serve", "--workers", "100" } },
  { "--date", { "serve", "--date", "2024-13-01" } },
  { "--tls-cert", { "serve", "--tls-cert", "@DIR@/cert.pem" } },
  { "cert.pem|key.pem", { "serve", "--tls-cert", "@DIR@/cert.pem", "--tls-key", "@DIR@/key.pem" } },
  /* the language of messages, a global option */
  { "--lang", { "--lang", "fr", "cases", "list" } },
  { "--lang", { "--lang", "", "plan", "list", "--year", "2024" } },
  { "--lang", { "--lang=ZH", "registry", "list", "labs" } },
  { "--lang", { "--lang" } },
};

/* A digest of every row of every table of the public schema. */
static char *
fingerprint (TestDb *db)
{
  g_autoptr (GError) error = NULL;
  char *v = db_scalar (
      db->conn,
      "SELECT string_agg (c.relname || '=' || (xpath ('/row/d/text()', query_to_xml (format ("
      "'SELECT md5 (coalesce (string_agg (t::text, ''|'' ORDER BY t::text), '''')) AS d "
      "FROM %I.%I t', n.nspname, c.relname), false, true, '')))[1]::text, ',' ORDER BY c.relname) "
      "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')",
      DB_NO_ARGS, &error);
  ck_assert_msg (v != NULL, "%s", error ? error->message : "");
  return v;
}

/* A demo district with an approved 2024 plan and January drawn. */
static void
setup_district (TestDb *db, const char *dir)
{
  g_autofree char *setup = g_build_filename (dir, "setup", NULL);
  g_assert_cmpint (g_mkdir (setup, 0700), ==, 0);
  test_run_demo_district (db, setup, 3000, NULL);
  g_auto (TestRun) draw = { 0 };
  RUN (&draw, db, "tasks", "generate", "--month", "2024-01", "--seed", "7");
  OK (&draw);
}

START_TEST (test_bad_arguments_exit_1_and_change_nothing)
{
  g_autoptr (TestDb) db = test_db_new ();
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-bad-args-XXXXXX", NULL);
  setup_district (db, dir);
  g_autofree char *ok_csv = g_build_filename (dir, "ok.csv", NULL);
  ck_assert (g_file_set_contents (ok_csv, "a,b\n1,2\n", -1, NULL));
  g_autofree char *before = fingerprint (db);
  g_autoptr (GString) failures = g_string_new (NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* A command that hangs (a solver without a limit) fails its line
       * instead of the whole test. */
      const char *argv[G_N_ELEMENTS (cases[i].args) + 8]
          = { "timeout", "-s", "KILL", "60", g_getenv ("SPOTCHECK_BIN"), "--db", db->conninfo };
      const gsize first = 7;
      g_autoptr (GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GString) line = g_string_new ("spotcheck");
      for (gsize a = 0; a < G_N_ELEMENTS (cases[i].args) && cases[i].args[a]; a++)
        {
          g_autoptr (GString) arg = g_string_new (cases[i].args[a]);
          g_string_replace (arg, "@DIR@", dir, 0);
          argv[first + a] = arg->str;
          g_string_append_printf (line, " %s", arg->str);
          g_ptr_array_add (owned, g_string_free (g_steal_pointer (&arg), FALSE));
        }
      g_auto (TestRun) r = { 0 };
      test_run_argv (&r, argv);
      g_auto (GStrv) names = g_strsplit (cases[i].names, "|", -1);
      gboolean named = FALSE;
      for (char **n = names; *n; n++)
        named = named || strstr (r.err, *n) != NULL;
      if (r.status != 1 || !named)
        g_string_append_printf (failures, "\n%s\n  exit %d (want 1), message %s %s: %s", line->str,
                                r.status, named ? "names" : "does not name", cases[i].names, r.err);
    }
  g_autofree char *after = fingerprint (db);
  if (failures->len > 0)
    g_printerr ("bad command lines handled wrongly:%s\n", failures->str);
  ck_assert_msg (failures->len == 0, "bad command lines handled wrongly (listed on stderr)");
  ck_assert_msg (strcmp (before, after) == 0, "the database changed");
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("bad-args");
  TCase *tc = tcase_create ("bad-args");
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_bad_arguments_exit_1_and_change_nothing);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
