/* test-run.c: spawning the binary under test. */
#include "tests/support/test-run.h"

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
