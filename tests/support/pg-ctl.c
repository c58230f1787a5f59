/* pg-ctl.c: starts (first test) or removes (last test) the shared test cluster. */
#include "tests/support/test-pg.h"

#include <stdio.h>
#include <string.h>

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  if (argc != 2 || (strcmp (argv[1], "start") != 0 && strcmp (argv[1], "stop") != 0))
    {
      fprintf (stderr, "usage: pg-ctl start|stop\n");
      return 2;
    }
  gboolean ok = strcmp (argv[1], "start") == 0 ? test_pg_start (&error) : test_pg_stop (&error);
  if (!ok)
    {
      fprintf (stderr, "test cluster %s failed: %s\n", argv[1], error->message);
      return 1;
    }
  printf ("test cluster %s: ok\n", argv[1]);
  return 0;
}
