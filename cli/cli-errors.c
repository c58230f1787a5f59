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
#include "cases/cases-workflow.h"
#include "core/core-calendar.h"
#include "core/core-config.h"
#include "core/core-problems.h"
#include "db/db-backup.h"
#include "db/db-cases.h"
#include "db/db-cluster.h"
#include "db/db-conn.h"
#include "db/db-plan.h"
#include "db/db-registry.h"
#include "db/db-results.h"
#include "intake/intake-limit.h"
#include "intake/intake-table.h"
#include "intake/intake-uscc.h"
#include "intake/intake-value.h"
#include "reports/report-writer.h"
#include "scheduler/sched-apportion.h"
#include "scheduler/sched-demo.h"
#include "scheduler/sched-draw.h"
#include "service/svc-audit.h"
#include "service/svc-context.h"
#include "service/svc-plan.h"
#include "service/svc-tasks.h"
#include "service/svc-users.h"

#include <gio/gio.h>
#include "core/core-i18n.h"

#define U CLI_EXIT_USER
#define S CLI_EXIT_SYSTEM
/* A code of -1 covers every code of the domain (SQLSTATEs, GLib's own). */
#define ANY -1
#define RULE(domain, code, exit, advice)                                                           \
  {                                                                                                \
    domain##_quark, #domain, code, exit, advice                                                    \
  }

static const CliErrorRule rules[] = {
  RULE (cli_error, CLI_ERROR_USAGE, U, NULL),
  RULE (cli_error, CLI_ERROR_INPUT, U, NULL),
  RULE (cli_error, CLI_ERROR_SYSTEM, S, NULL),

  RULE (svc_error, SVC_ERROR_FORBIDDEN, U, NULL),
  RULE (svc_error, SVC_ERROR_SCOPE, U, NULL),
  RULE (svc_error, SVC_ERROR_INVALID, U, NULL),
  RULE (svc_error, SVC_ERROR_NOT_FOUND, U, NULL),
  RULE (svc_error, SVC_ERROR_CONFLICT, U, NULL),

  /* Users of the HTTP API (service/svc-users.h). */
  RULE (svc_users_error, SVC_USERS_ERROR_UNAUTHENTICATED, U, NULL),
  RULE (svc_users_error, SVC_USERS_ERROR_TAKEN, U,
        N_ ("choose another name; `spotcheck user list` shows the names in use")),
  RULE (svc_users_error, SVC_USERS_ERROR_KEY_REUSED, U, NULL),

  /* Draws and task lists (service/svc-tasks.h). */
  RULE (svc_tasks_error, SVC_TASKS_ERROR_NO_PLAN, U,
        N_ ("make the year's plan with `spotcheck plan generate --year YYYY` and approve it with "
            "`spotcheck plan approve --year YYYY --version N`")),
  RULE (
      svc_tasks_error, SVC_TASKS_ERROR_DRAWN, U,
      N_ ("to draw it again add --replace, which keeps that draw on record as replaced and cancels "
          "its tasks")),
  RULE (svc_tasks_error, SVC_TASKS_ERROR_SAMPLED, U, NULL),
  RULE (svc_tasks_error, SVC_TASKS_ERROR_NOT_DRAWN, U,
        N_ ("draw it with `spotcheck tasks generate --month YYYY-MM`")),
  RULE (svc_tasks_error, SVC_TASKS_ERROR_MISMATCH, U, NULL),
  RULE (svc_tasks_error, SVC_TASKS_ERROR_REPEAT, U,
        N_ ("the draws of the year were not made one after another; replace the later month's draw "
            "(`spotcheck tasks generate --replace`) if none of its tasks is sampled")),
  RULE (svc_tasks_error, SVC_TASKS_ERROR_RESERVE, U,
        N_ ("draw fewer, or add --over-reserve \"REASON\" to go beyond the reserve (the reason is "
            "recorded)")),
  RULE (svc_tasks_error, SVC_TASKS_ERROR_SHORT, U,
        N_ ("ask for fewer tasks, another street, or add inspectors or lab capacity")),

  RULE (core_config_error, CORE_CONFIG_ERROR_FILE, U, NULL),
  RULE (core_config_error, CORE_CONFIG_ERROR_MISSING, U, NULL),
  RULE (core_config_error, CORE_CONFIG_ERROR_INVALID, U, NULL),
  RULE (core_calendar_error, CORE_CALENDAR_ERROR_UNKNOWN_YEAR, U,
        N_ ("add the year's [calendar YYYY] file to the configuration (see `spotcheck config "
            "show`)")),
  RULE (core_calendar_error, CORE_CALENDAR_ERROR_INVALID, U, NULL),
  RULE (core_problems_error, CORE_PROBLEMS_ERROR_REJECTED, U, NULL), /* the list says it all */

  RULE (cases_deadline_error, CASES_DEADLINE_ERROR_CONFIG, U, NULL),
  RULE (cases_deadline_error, CASES_DEADLINE_ERROR_DATE, U,
        N_ ("add the year's [calendar YYYY] file to the configuration")),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_CONFIG, U, NULL),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_STEP, U,
        N_ ("run `spotcheck cases show ID` to see the steps possible next")),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_ROLE, U,
        N_ ("`spotcheck cases steps` shows who takes each step; act as that role (--as ROLE, with "
            "--office for an inspector)")),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_FIELDS, U,
        N_ ("give each field as --field NAME=VALUE; `spotcheck cases show ID` lists what each next "
            "step requires")),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_INCOMPLETE, U,
        N_ ("take the missing steps first (`spotcheck cases advance ID --to STEP`)")),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_REINSPECTION, U,
        N_ ("refuse the application instead: `spotcheck cases reinspect ID refuse --field "
            "refused-on=DATE --field refusal-reason=TEXT`")),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_DATE, U,
        N_ ("add the year's [calendar YYYY] file to the configuration")),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_LAB, U,
        N_ ("accredit another lab for the category (`spotcheck registry import`) or name one with "
            "--field reinspection-lab=LAB")),

  RULE (sched_error, SCHED_ERROR_INPUT, U, NULL),
  RULE (sched_error, SCHED_ERROR_INFEASIBLE, U, NULL),
  RULE (sched_error, SCHED_ERROR_SOLVER, S, NULL),
  RULE (sched_draw_error, SCHED_DRAW_ERROR_INVALID, U, NULL),
  RULE (sched_draw_error, SCHED_DRAW_ERROR_DUE_DATE, U, NULL),
  RULE (sched_draw_error, SCHED_DRAW_ERROR_CONFIG, U, NULL),
  RULE (sched_demo_error, SCHED_DEMO_ERROR_CATALOG, U, NULL),
  RULE (sched_demo_error, SCHED_DEMO_ERROR_WRITE, S, NULL),

  RULE (intake_table_error, INTAKE_TABLE_ERROR_READ, U, NULL),
  RULE (intake_table_error, INTAKE_TABLE_ERROR_ENCODING, U,
        N_ ("save the file as UTF-8 or GB18030 text")),
  RULE (intake_table_error, INTAKE_TABLE_ERROR_SYNTAX, U, NULL),
  RULE (intake_table_error, INTAKE_TABLE_ERROR_HEADER, U, NULL),
  RULE (intake_table_error, INTAKE_TABLE_ERROR_TOO_LARGE, U, NULL),
  RULE (intake_uscc_error, INTAKE_USCC_ERROR_LENGTH, U, NULL),
  RULE (intake_uscc_error, INTAKE_USCC_ERROR_CHARSET, U, NULL),
  RULE (intake_uscc_error, INTAKE_USCC_ERROR_CHECK, U, NULL),
  RULE (intake_limit_error, INTAKE_LIMIT_ERROR_SYNTAX, U, NULL),
  RULE (intake_limit_error, INTAKE_LIMIT_ERROR_RANGE, U, NULL),
  RULE (intake_value_error, INTAKE_VALUE_ERROR_SYNTAX, U, NULL),
  RULE (intake_value_error, INTAKE_VALUE_ERROR_COUNT, U, NULL),

  RULE (db_cluster_error, DB_CLUSTER_ERROR_NOT_INSTALLED, S,
        N_ ("install PostgreSQL (apt-get install postgresql-15) or point --db at a server")),
  RULE (db_cluster_error, DB_CLUSTER_ERROR_DATA_DIR, U, NULL),
  RULE (db_cluster_error, DB_CLUSTER_ERROR_USER, U, NULL),
  RULE (db_cluster_error, DB_CLUSTER_ERROR_INIT, S, NULL),
  RULE (db_cluster_error, DB_CLUSTER_ERROR_START, S, NULL),
  RULE (db_cluster_error, DB_CLUSTER_ERROR_STOP, S, NULL),
  RULE (db_backup_error, DB_BACKUP_ERROR_TOOL, S, NULL),
  RULE (db_backup_error, DB_BACKUP_ERROR_FILE, U,
        N_ ("check the path and its folder's permissions")),
  RULE (db_backup_error, DB_BACKUP_ERROR_NOT_OURS, U,
        N_ ("give a file written by `spotcheck db backup`; the database was not changed")),
  RULE (db_backup_error, DB_BACKUP_ERROR_BUSY, S,
        N_ ("stop what keeps the database open (e.g. `spotcheck serve`) and try again")),
  /* SQLSTATEs: classes 22 and 23 (data, integrity) and P0 (raised by our
   * triggers) are the user's to fix; the rest is the system (cli_error_exit). */
  RULE (db_error, ANY, S, NULL),
  /* The annual plan (db/db-plan.h, service/svc-plan.h). */
  RULE (db_plan_error, DB_PLAN_ERROR_NOT_FOUND, U,
        N_ ("make one with `spotcheck plan generate --year YYYY`")),
  RULE (db_plan_error, DB_PLAN_ERROR_NO_VERSION, U,
        N_ ("check --version (`spotcheck plan list` shows the versions)")),
  RULE (db_plan_error, DB_PLAN_ERROR_ALREADY_APPROVED, U,
        N_ ("add --supersede to replace the approved version (e.g. after `plan rebalance`)")),
  RULE (db_plan_error, DB_PLAN_ERROR_NOT_DRAFT, U, N_ ("`spotcheck plan list` shows the drafts")),
  RULE (db_plan_error, DB_PLAN_ERROR_MISMATCH, U,
        N_ ("generate a new plan instead (`spotcheck plan generate`)")),
  RULE (svc_plan_error, SVC_PLAN_ERROR_NO_DRAFT, U,
        N_ ("make one with `spotcheck plan generate --year YYYY`")),
  RULE (svc_plan_error, SVC_PLAN_ERROR_SEVERAL_DRAFTS, U,
        N_ ("choose one with --version N (`spotcheck plan list` shows them)")),
  RULE (svc_plan_error, SVC_PLAN_ERROR_YEAR, U, N_ ("check --year")),
  RULE (svc_plan_error, SVC_PLAN_ERROR_VERSION, U, N_ ("check --version")),
  RULE (svc_plan_error, SVC_PLAN_ERROR_TOTAL, U, N_ ("check --total")),
  RULE (svc_plan_error, SVC_PLAN_ERROR_MONTH, U, N_ ("check --from-month")),
  RULE (svc_audit_error, SVC_AUDIT_ERROR_BROKEN, U,
        N_ ("the record was changed outside spotcheck: compare the row with a backup, and keep the "
            "chain heads printed by earlier runs to show which rows stand")),
  RULE (db_registry_error, DB_REGISTRY_ERROR_NOT_FOUND, U,
        N_ ("`spotcheck registry list businesses|inspectors|labs` shows what is on record")),
  RULE (db_registry_error, DB_REGISTRY_ERROR_FILTER, U, NULL),
  RULE (db_results_error, DB_RESULTS_ERROR_UNKNOWN_LAB, U,
        N_ ("check --lab (`spotcheck registry list labs` lists the codes), or import the lab "
            "directory "
            "first")),
  RULE (db_cases_error, DB_CASES_ERROR_NOT_FOUND, U, N_ ("`spotcheck cases list` shows the cases")),
  RULE (db_cases_error, DB_CASES_ERROR_BAD_STATE, U, N_ ("check --state")),
  RULE (
      db_cases_error, DB_CASES_ERROR_CONFLICT, U,
      N_ ("someone else worked the case meanwhile: see it again with `spotcheck cases show ID` and "
          "retry with --version of what you saw")),
  RULE (db_cases_error, DB_CASES_ERROR_STEP, U,
        N_ ("run `spotcheck cases show ID` to see the steps possible next")),
  RULE (db_cases_error, DB_CASES_ERROR_ROLE, U,
        N_ ("`spotcheck cases steps` shows who takes each step; act as that role (--as)")),
  RULE (
      db_cases_error, DB_CASES_ERROR_OFFICE, U,
      N_ ("check --office: the offices are those of the district configuration (`spotcheck config "
          "show`)")),

  RULE (report_error, REPORT_ERROR_FORMAT, U, NULL),
  RULE (report_error, REPORT_ERROR_WRITE, S, NULL),

  RULE (g_option_error, ANY, U, NULL),
  RULE (g_convert_error, ANY, U, NULL),
  /* An input file that is missing or unreadable is the user's to fix. */
  RULE (g_file_error, ANY, U, NULL),
  RULE (g_io_error, ANY, U, NULL),
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
  if (error->domain == DB_ERROR)
    {
      char state[6];
      db_error_sqlstate (error, state);
      /* Connection lost (08), the server shutting down or crashing (57P). */
      if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P"))
        return _ ("the command's transaction was rolled back, so nothing of it is stored; check "
                  "the server (`spotcheck db status`, its log) and run the command again");
    }
  const CliErrorRule *rule = find (error);
  /* The table holds the English text (N_); the user reads it in their language. */
  return rule && rule->advice ? _ (rule->advice) : NULL;
}
