/* test-run.h: runs the spotcheck binary (or another program) as a user would
 * and keeps its exit status and output for assertions. */
#pragma once

#include "tests/support/test-pg.h"

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  int status; /* exit status, -1 when killed by a signal */
  char *out;
  char *err;
} TestRun;

void test_run_clear (TestRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TestRun, test_run_clear)

/* Runs @argv (NULL-terminated; argv[0] looked up in PATH). */
void test_run_argv (TestRun *run, const char *const *argv);

/* Runs $SPOTCHECK_BIN [--db CONNINFO of @db] @args (NULL-terminated); @db may be NULL. */
void test_run_spotcheck (TestRun *run, const TestDb *db, const char *const *args);

/* A new temporary directory the embedded cluster's account can enter (under
 * root the cluster runs as an unprivileged account). Free with g_free(). */
char *test_scratch_dir (void);

/* Runs $SPOTCHECK_BIN --data-dir @data_dir @args (NULL-terminated). */
void test_run_spotcheck_dir (TestRun *run, const char *data_dir, const char *const *args);

/* Starts $SPOTCHECK_BIN --data-dir @data_dir @args without waiting; collect it
 * with test_run_wait(). */
GSubprocess *test_spawn_spotcheck_dir (const char *data_dir, const char *const *args);
void test_run_wait (TestRun *run, GSubprocess *proc);

/* After g_subprocess_wait() or _communicate(): waits (up to 5 s) until GLib
 * has taken the child's status in, which can come a moment after the wait
 * returned on a loaded machine; asking for it before is a GLib critical and
 * reads as "not exited". Returns the exit status, or -1 when the child did
 * not exit normally. */
int test_subprocess_status (GSubprocess *proc);

#define RUN_DIR(r, dir, ...)                                                                       \
  test_run_spotcheck_dir (r, dir, (const char *const[]){ __VA_ARGS__, NULL })
/* The value of a one-row, one-column query on @db (test-aborting on error).
 * Free with g_free(). */
char *test_scalar (const TestDb *db, const char *sql);

/* Through the binary, as a coordinator does it: a demo registry of
 * @businesses loaded (checked to be inserted), then the 2024 plan generated —
 * categories the district lacks weighted 0, @extra_conf (may be NULL) laid
 * over — and approved as version 1. Scratch files go under @dir. */
void test_run_demo_district (const TestDb *db, const char *dir, int businesses,
                             const char *extra_conf);

#define RUN(r, db, ...) test_run_spotcheck (r, db, (const char *const[]){ __VA_ARGS__, NULL })

G_END_DECLS
