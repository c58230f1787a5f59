/* test-run.c: spawning the binary under test. */
#include "tests/support/test-run.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

void
test_run_clear (TestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

void
test_run_argv (TestRun *run, const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  int wait = 0;
  test_run_clear (run);
  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &run->out,
                     &run->err, &wait, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  run->status = WIFEXITED (wait) ? WEXITSTATUS (wait) : -1;
}

void
test_run_spotcheck (TestRun *run, const TestDb *db, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *bin = g_getenv ("SPOTCHECK_BIN");
  if (bin == NULL)
    g_error ("SPOTCHECK_BIN is not set: run the tests with `meson test`");
  g_ptr_array_add (argv, (char *)bin);
  if (db != NULL)
    {
      g_ptr_array_add (argv, (char *)"--db");
      g_ptr_array_add (argv, db->conninfo);
    }
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (char *)*a);
  g_ptr_array_add (argv, NULL);
  test_run_argv (run, (const char *const *)argv->pdata);
}

char *
test_scratch_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("spotcheck-e2e-XXXXXX", &error);
  if (dir == NULL)
    g_error ("cannot make a temporary directory: %s", error->message);
  g_chmod (dir, 0755);
  return dir;
}

static const char *
spotcheck_bin (void)
{
  const char *bin = g_getenv ("SPOTCHECK_BIN");
  if (bin == NULL)
    g_error ("SPOTCHECK_BIN is not set: run the tests with `meson test`");
  return bin;
}

static GPtrArray *
dir_argv (const char *data_dir, const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *)spotcheck_bin ());
  g_ptr_array_add (argv, (char *)"--data-dir");
  g_ptr_array_add (argv, (char *)data_dir);
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add (argv, (char *)*a);
  g_ptr_array_add (argv, NULL);
  return argv;
}

void
test_run_spotcheck_dir (TestRun *run, const char *data_dir, const char *const *args)
{
  g_autoptr (GPtrArray) argv = dir_argv (data_dir, args);
  test_run_argv (run, (const char *const *)argv->pdata);
}

GSubprocess *
test_spawn_spotcheck_dir (const char *data_dir, const char *const *args)
{
  g_autoptr (GPtrArray) argv = dir_argv (data_dir, args);
  g_autoptr (GError) error = NULL;
  GSubprocess *proc
      = g_subprocess_newv ((const char *const *)argv->pdata,
                           G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  if (proc == NULL)
    g_error ("cannot run %s: %s", spotcheck_bin (), error->message);
  return proc;
}

void
test_run_wait (TestRun *run, GSubprocess *proc)
{
  g_autoptr (GError) error = NULL;
  test_run_clear (run);
  if (!g_subprocess_communicate_utf8 (proc, NULL, NULL, &run->out, &run->err, &error))
    g_error ("waiting for %s: %s", spotcheck_bin (), error->message);
  run->status = test_subprocess_status (proc);
}

int
test_subprocess_status (GSubprocess *proc)
{
  for (int i = 0; i < 500 && g_subprocess_get_identifier (proc) != NULL; i++)
    g_usleep (10 * 1000);
  if (g_subprocess_get_identifier (proc) != NULL)
    g_error ("the child %s has not been reaped 5 s after its wait returned",
             g_subprocess_get_identifier (proc));
  return g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

char *
test_scalar (const TestDb *db, const char *sql)
{
  g_autoptr (GError) error = NULL;
  char *v = db_scalar (db->conn, sql, DB_NO_ARGS, &error);
  ck_assert_msg (v != NULL, "%s", error ? error->message : "");
  return v;
}

#define RUN_OK(r) ck_assert_msg ((r)->status == 0, "exit %d: %s", (r)->status, (r)->err)

void
test_run_demo_district (const TestDb *db, const char *dir, int businesses, const char *extra_conf)
{
  g_auto (TestRun) demo = { 0 }, gen = { 0 }, approve = { 0 };
  g_autofree char *demo_dir = g_build_filename (dir, "demo", NULL);
  g_autofree char *count = g_strdup_printf ("%d", businesses);
  RUN (&demo, db, "registry", "demo", "--businesses", count, "--out", demo_dir, "--load");
  RUN_OK (&demo);
  g_autofree char *inserted = g_strdup_printf ("%d inserted", businesses);
  ck_assert_msg (strstr (demo.out, inserted) != NULL, "%s", demo.out);
  /* the plan gives no batches to categories the demo district lacks */
  g_autofree char *missing = test_scalar (
      db, "SELECT coalesce (string_agg (format (E'[plan 2024 category %s]\\nweight=0\\n"
          "minimum=0\\n', code), ''), '') FROM category c WHERE NOT EXISTS (SELECT 1 FROM "
          "business_category b WHERE b.category = c.code)");
  g_autofree char *text = g_strconcat (missing, extra_conf, NULL);
  g_autofree char *overlay = g_build_filename (dir, "plan.conf", NULL);
  ck_assert (g_file_set_contents (overlay, text, -1, NULL));
  RUN (&gen, db, "plan", "generate", "--year", "2024", "--config", overlay);
  RUN_OK (&gen);
  RUN (&approve, db, "plan", "approve", "--year", "2024", "--version", "1");
  RUN_OK (&approve);
}
