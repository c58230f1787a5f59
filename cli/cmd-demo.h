/* cmd-demo.h: what the files of `spotcheck demo` share. The demo walks a
 * whole sampling year through the services real use goes through, with a
 * simulated "today" (SvcContext.today) that advances month by month, so that
 * deadlines and overdue cases are real relative to the simulated date.
 *
 *   cmd-demo.c            options, the reset, the run, the summary, --serve
 *   cmd-demo-setup.c      what the database holds, the reset, directories, plan
 *   cmd-demo-month.c      the month loop: draw, sampling, emergency draw,
 *                         rebalance, city referrals
 *   cmd-demo-labs.c       the labs' result files (one rejected and sent again,
 *                         one amended report)
 *   cmd-demo-inspectors.c the inspectors and the coordinator working cases */
#pragma once

#include "cli/cli.h"
#include "cli/cli-progress.h"
#include "scheduler/sched-demo.h"
#include "scheduler/sched-rng.h"

G_BEGIN_DECLS

typedef struct
{
  CliContext *ctx;
  SvcContext svc; /* the coordinator; role and office change for inspectors */
  int year;
  int months; /* simulated months, 1..12 */
  guint64 seed;
  guint businesses;
  char *out;  /* reports */
  char *work; /* the files users would have sent (samples, results, referrals) */
  CliProgress *bar;
  const CoreProgress *progress; /* the bar's */
  SchedDemo *district;          /* the generated directories */
  /* what happened, for the summary */
  guint rejected_files, amended_reports, referrals, emergency_tasks, steps, extended;
  gboolean rebalanced;
  GHashTable *kinds; /* case_no -> DemoCaseKind, given when a case is first seen */
  guint cases_seen;
  /* the report amended in month 2: lab, record, report number, category */
  char *amend_lab, *amend_record, *amend_category;
} DemoRun;

/* What the database holds before the demo. */
typedef enum
{
  DEMO_DB_EMPTY,
  DEMO_DB_DEMO,  /* a previous demo's */
  DEMO_DB_OTHER, /* somebody's data: never reset without --yes */
} DemoDbState;

/* The date @year-@month-@day, the day clamped to the month's length. */
GDate demo_date (int year, int month, int day);
/* "YYYY-MM-DD" of @date. */
char *demo_date_text (const GDate *date);
/* Prints a line of the demo's story on stdout, ending the bar's line first. */
void demo_say (DemoRun *run, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
/* Writes @text into the work folder as @name; the path (free it) or NULL. */
char *demo_write (DemoRun *run, const char *name, const GString *text, GError **error);

/* cmd-demo-setup.c */
gboolean demo_db_state (DemoRun *run, DemoDbState *state, char **what, GError **error);
gboolean demo_reset (DemoRun *run, GError **error);
gboolean demo_directories (DemoRun *run, GError **error);
gboolean demo_plan (DemoRun *run, GError **error);

/* cmd-demo-month.c: month @m of the year, from its draw to its results. */
gboolean demo_month (DemoRun *run, int m, GError **error);

/* cmd-demo-labs.c: the labs' files for month @m's sampled tasks, imported on
 * run->svc.today. */
gboolean demo_labs (DemoRun *run, int m, GError **error);

/* cmd-demo-inspectors.c: every step of every case due by run->svc.today. */
gboolean demo_inspectors (DemoRun *run, GError **error);

G_END_DECLS
