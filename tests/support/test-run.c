/* test-run.c: spawning the binary under test. */
#include "tests/support/test-run.h"

#include <glib/gstdio.h>
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
  run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}
