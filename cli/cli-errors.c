/* cli-errors.c: how the CLI words an error and which exit status it gives.
 *
 * Below the faces an error is a domain, a code and a message stating the
 * fact. This table is the CLI's half of the contract: for every domain and
 * code, the exit status (1: the user can fix it; 2: the system failed) and,
 * where there is one, the advice in terms of this face (flags, commands). The
 * server keeps its own table for HTTP status codes. Every domain a command can
 * raise is listed here; tests/cli/test-cli-errors.c walks the table. */
#include "cli/cli.h"

#include "cases/cases-deadline.h"
#include "core/core-calendar.h"
#include "core/core-config.h"
#include "core/core-problems.h"
#include "db/db-cases.h"
#include "db/db-cluster.h"
#include "db/db-conn.h"
#include "db/db-plan.h"
#include "db/db-registry.h"
#include "db/db-results.h"
#include "db/db-tasks.h"
#include "intake/intake-limit.h"
#include "intake/intake-table.h"
#include "intake/intake-uscc.h"
#include "intake/intake-value.h"
#include "reports/report-writer.h"
#include "scheduler/sched-apportion.h"
#include "scheduler/sched-demo.h"
#include "scheduler/sched-draw.h"
#include "service/svc-context.h"

#include <gio/gio.h>

#define U CLI_EXIT_USER
#define S CLI_EXIT_SYSTEM
/* A code of -1 covers every code of the domain (SQLSTATEs, GLib's own). */
#define ANY -1

static const CliErrorRule rules[] = {
  { cli_error_quark, CLI_ERROR_USAGE, U, NULL },
  { cli_error_quark, CLI_ERROR_INPUT, U, NULL },
  { cli_error_quark, CLI_ERROR_SYSTEM, S, NULL },

  { svc_error_quark, SVC_ERROR_FORBIDDEN, U, NULL },
  { svc_error_quark, SVC_ERROR_SCOPE, U, NULL },
  { svc_error_quark, SVC_ERROR_INVALID, U, NULL },
  { svc_error_quark, SVC_ERROR_NOT_FOUND, U, NULL },
  { svc_error_quark, SVC_ERROR_CONFLICT, U, NULL },

  { core_config_error_quark, CORE_CONFIG_ERROR_FILE, U, NULL },
  { core_config_error_quark, CORE_CONFIG_ERROR_MISSING, U, NULL },
  { core_config_error_quark, CORE_CONFIG_ERROR_INVALID, U, NULL },
  { core_calendar_error_quark, CORE_CALENDAR_ERROR_UNKNOWN_YEAR, U,
    "add the year's [calendar YYYY] file to the configuration (see `spotcheck config show`)" },
  { core_calendar_error_quark, CORE_CALENDAR_ERROR_INVALID, U, NULL },
  { core_problems_error_quark, CORE_PROBLEMS_ERROR_REJECTED, U,
    "nothing was stored; correct the file and send it again" },

  { cases_deadline_error_quark, CASES_DEADLINE_ERROR_CONFIG, U, NULL },
  { cases_deadline_error_quark, CASES_DEADLINE_ERROR_DATE, U,
    "add the year's [calendar YYYY] file to the configuration" },

  { sched_error_quark, SCHED_ERROR_INPUT, U, NULL },
  { sched_error_quark, SCHED_ERROR_INFEASIBLE, U, NULL },
  { sched_error_quark, SCHED_ERROR_SOLVER, S, NULL },
  { sched_draw_error_quark, SCHED_DRAW_ERROR_INVALID, U, NULL },
  { sched_draw_error_quark, SCHED_DRAW_ERROR_DUE_DATE, U, NULL },
  { sched_draw_error_quark, SCHED_DRAW_ERROR_CONFIG, U, NULL },
  { sched_demo_error_quark, SCHED_DEMO_ERROR_CATALOG, U, NULL },
  { sched_demo_error_quark, SCHED_DEMO_ERROR_WRITE, S, NULL },

  { intake_table_error_quark, INTAKE_TABLE_ERROR_READ, U, NULL },
  { intake_table_error_quark, INTAKE_TABLE_ERROR_ENCODING, U,
    "save the file as UTF-8 or GB18030 text" },
  { intake_table_error_quark, INTAKE_TABLE_ERROR_SYNTAX, U, NULL },
  { intake_table_error_quark, INTAKE_TABLE_ERROR_HEADER, U, NULL },
  { intake_uscc_error_quark, INTAKE_USCC_ERROR_LENGTH, U, NULL },
  { intake_uscc_error_quark, INTAKE_USCC_ERROR_CHARSET, U, NULL },
  { intake_uscc_error_quark, INTAKE_USCC_ERROR_CHECK, U, NULL },
  { intake_limit_error_quark, INTAKE_LIMIT_ERROR_SYNTAX, U, NULL },
  { intake_limit_error_quark, INTAKE_LIMIT_ERROR_RANGE, U, NULL },
  { intake_value_error_quark, INTAKE_VALUE_ERROR_SYNTAX, U, NULL },
  { intake_value_error_quark, INTAKE_VALUE_ERROR_COUNT, U, NULL },

  { db_cluster_error_quark, DB_CLUSTER_ERROR_NOT_INSTALLED, S,
    "install PostgreSQL (apt-get install postgresql-15) or point --db at a server" },
  { db_cluster_error_quark, DB_CLUSTER_ERROR_DATA_DIR, U, NULL },
  { db_cluster_error_quark, DB_CLUSTER_ERROR_USER, U, NULL },
  { db_cluster_error_quark, DB_CLUSTER_ERROR_INIT, S, NULL },
  { db_cluster_error_quark, DB_CLUSTER_ERROR_START, S, NULL },
  { db_cluster_error_quark, DB_CLUSTER_ERROR_STOP, S, NULL },
  /* SQLSTATEs: classes 22 and 23 (data, integrity) and P0 (raised by our
   * triggers) are the user's to fix; the rest is the system (cli_error_exit). */
  { db_error_quark, ANY, S, NULL },
  { db_plan_error_quark, DB_PLAN_ERROR_NOT_FOUND, U, "`spotcheck plan list` shows the versions" },
  { db_plan_error_quark, DB_PLAN_ERROR_ALREADY_APPROVED, U,
    "add --supersede to replace the approved version" },
  { db_plan_error_quark, DB_PLAN_ERROR_NOT_DRAFT, U, NULL },
  { db_plan_error_quark, DB_PLAN_ERROR_MISMATCH, U, NULL },
  { db_registry_error_quark, DB_REGISTRY_ERROR_NOT_FOUND, U,
    "`spotcheck registry list businesses|inspectors|labs` shows what is on record" },
  { db_registry_error_quark, DB_REGISTRY_ERROR_FILTER, U, NULL },
  { db_tasks_error_quark, DB_TASKS_ERROR_NO_PLAN, U,
    "generate and approve the year's plan first (`spotcheck plan generate`, `plan approve`)" },
  { db_tasks_error_quark, DB_TASKS_ERROR_EXISTS, U,
    "add --replace to draw it again (the old draw stays on record)" },
  { db_tasks_error_quark, DB_TASKS_ERROR_SAMPLED, U, NULL },
  { db_tasks_error_quark, DB_TASKS_ERROR_NOT_FOUND, U, NULL },
  { db_tasks_error_quark, DB_TASKS_ERROR_MISMATCH, U, NULL },
  { db_results_error_quark, DB_RESULTS_ERROR_UNKNOWN_LAB, U,
    "check --lab (`spotcheck registry list labs` lists the codes), or import the lab directory "
    "first" },
  { db_cases_error_quark, DB_CASES_ERROR_NOT_FOUND, U, "`spotcheck cases list` shows the cases" },
  { db_cases_error_quark, DB_CASES_ERROR_BAD_STATE, U, NULL },

  { report_error_quark, REPORT_ERROR_FORMAT, U, NULL },
  { report_error_quark, REPORT_ERROR_WRITE, S, NULL },

  { g_option_error_quark, ANY, U, NULL },
  { g_convert_error_quark, ANY, U, NULL },
  /* An input file that is missing or unreadable is the user's to fix. */
  { g_file_error_quark, ANY, U, NULL },
  { g_io_error_quark, ANY, U, NULL },
};

const CliErrorRule *
cli_error_rules (gsize *n)
{
  *n = G_N_ELEMENTS (rules);
  return rules;
}

static const CliErrorRule *
find (const GError *error)
{
  const CliErrorRule *any = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (rules); i++)
    if (rules[i].domain () == error->domain)
      {
        if (rules[i].code == error->code)
          return &rules[i];
        if (rules[i].code == ANY)
          any = &rules[i];
      }
  return any;
}

int
cli_error_exit (const GError *error)
{
  if (error->domain == DB_ERROR)
    {
      char state[6];
      db_error_sqlstate (error, state);
      return (g_str_has_prefix (state, "22") || g_str_has_prefix (state, "23")
              || g_str_has_prefix (state, "P0"))
                 ? CLI_EXIT_USER
                 : CLI_EXIT_SYSTEM;
    }
  const CliErrorRule *rule = find (error);
  /* A domain missing from the table is a bug the table test catches; treat
   * it as the system's failure rather than blame the user. */
  return rule ? rule->exit : CLI_EXIT_SYSTEM;
}

const char *
cli_error_advice (const GError *error)
{
  const CliErrorRule *rule = find (error);
  return rule ? rule->advice : NULL;
}
