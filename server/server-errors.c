/* server-errors.c: the HTTP status of every error domain and code, the
 * server's half of the contract cli/cli-errors.c keeps for exit statuses. A
 * domain missing here answers 500 and fails tests/server/test-server-errors.c.
 * The body is {"error": {"code", "message", "argument", "problems", "details"}}:
 * code is the domain and code ("svc_error.4"), problems the lines of a
 * rejected file, details the same problems as {line, column, value, why}. */
#include "server/server-private.h"

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
#include "service/svc-plan.h"
#include "service/svc-tasks.h"
#include "service/svc-users.h"

#include <string.h>

#define ANY -1
#define RULE(domain, code, status)                                                                 \
  {                                                                                                \
    domain##_quark, #domain, code, status                                                          \
  }

static const ServerErrorRule rules[] = {
  RULE (svc_error, SVC_ERROR_FORBIDDEN, 403),
  /* Asking for another lab's or office's objects reveals nothing. */
  RULE (svc_error, SVC_ERROR_SCOPE, 404),
  RULE (svc_error, SVC_ERROR_INVALID, 400),
  RULE (svc_error, SVC_ERROR_NOT_FOUND, 404),
  RULE (svc_error, SVC_ERROR_CONFLICT, 409),
  RULE (svc_users_error, SVC_USERS_ERROR_UNAUTHENTICATED, 401),
  RULE (svc_users_error, SVC_USERS_ERROR_TAKEN, 409),
  RULE (svc_users_error, SVC_USERS_ERROR_KEY_REUSED, 422),
  RULE (svc_tasks_error, SVC_TASKS_ERROR_NOT_DRAWN, 404),
  RULE (svc_tasks_error, ANY, 409),
  RULE (svc_plan_error, ANY, 409),
  RULE (svc_audit_error, ANY, 409),
  RULE (core_config_error, ANY, 500),
  RULE (core_calendar_error, CORE_CALENDAR_ERROR_UNKNOWN_YEAR, 400),
  RULE (core_calendar_error, ANY, 500),
  RULE (core_problems_error, ANY, 400),
  RULE (cases_deadline_error, CASES_DEADLINE_ERROR_DATE, 400),
  RULE (cases_deadline_error, ANY, 500),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_CONFIG, 500),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_ROLE, 403),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_FIELDS, 400),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_DATE, 400),
  RULE (cases_workflow_error, CASES_WORKFLOW_ERROR_LAB, 400),
  RULE (cases_workflow_error, ANY, 409),
  RULE (sched_error, SCHED_ERROR_INPUT, 400),
  RULE (sched_error, SCHED_ERROR_INFEASIBLE, 409),
  RULE (sched_error, ANY, 500),
  RULE (sched_draw_error, SCHED_DRAW_ERROR_CONFIG, 500),
  RULE (sched_draw_error, ANY, 400),
  RULE (sched_demo_error, ANY, 500),
  RULE (intake_table_error, ANY, 400),
  RULE (intake_uscc_error, ANY, 400),
  RULE (intake_limit_error, ANY, 400),
  RULE (intake_value_error, ANY, 400),
  RULE (db_cluster_error, ANY, 503),
  RULE (db_backup_error, ANY, 500), /* not served; listed so the table is whole */
  RULE (db_error, ANY, 500),        /* refined by SQLSTATE below */
  RULE (db_plan_error, DB_PLAN_ERROR_NOT_FOUND, 404),
  RULE (db_plan_error, ANY, 409),
  RULE (db_registry_error, DB_REGISTRY_ERROR_NOT_FOUND, 404),
  RULE (db_registry_error, ANY, 400),
  RULE (db_results_error, ANY, 400),
  RULE (db_cases_error, DB_CASES_ERROR_NOT_FOUND, 404),
  RULE (db_cases_error, DB_CASES_ERROR_CONFLICT, 409),
  RULE (db_cases_error, DB_CASES_ERROR_STEP, 409),
  RULE (db_cases_error, DB_CASES_ERROR_ROLE, 403),
  RULE (db_cases_error, ANY, 400),
  RULE (report_error, REPORT_ERROR_FORMAT, 400),
  RULE (report_error, ANY, 500),
  RULE (g_option_error, ANY, 400),
  RULE (g_convert_error, ANY, 400),
  RULE (g_file_error, ANY, 500),
  RULE (g_io_error, ANY, 500),
};

const ServerErrorRule *
server_error_rules (gsize *n)
{
  *n = G_N_ELEMENTS (rules);
  return rules;
}

int
server_error_status (const GError *error)
{
  if (error->domain == DB_ERROR)
    {
      char state[6];
      db_error_sqlstate (error, state);
      /* Connection lost or refused, the server shutting down: try again. */
      if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P"))
        return 503;
      if (g_str_has_prefix (state, "22") || g_str_has_prefix (state, "23"))
        return 400;
      if (g_str_has_prefix (state, "40"))
        return 503; /* serialization failure, deadlock: a retry succeeds */
    }
  int any = -1;
  for (gsize i = 0; i < G_N_ELEMENTS (rules); i++)
    if (rules[i].domain () == error->domain)
      {
        if (rules[i].code == error->code)
          return rules[i].status;
        if (rules[i].code == ANY && any < 0)
          any = rules[i].status;
      }
  return any;
}

static const char *
domain_name (GQuark domain)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rules); i++)
    if (rules[i].domain () == domain)
      return rules[i].name;
  return "unknown_error";
}

void
server_answer_error (ServerRequest *req, const GError *error)
{
  int status = server_error_status (error);
  if (status < 0)
    {
      g_warning ("no HTTP status for error %s %d: %s", g_quark_to_string (error->domain),
                 error->code, error->message);
      status = 500;
    }
  if (status == 503)
    req->retry_after = 5;
  if (status == 401)
    req->auth_failed = TRUE;
  g_autofree char *code = g_strdup_printf ("%s.%d", domain_name (error->domain), error->code);
  /* A rejected file's message is a head line and one problem a line. */
  g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);
  const char *argument = error->domain == SVC_ERROR ? svc_error_argument (error) : NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, lines[0]);
  json_builder_set_member_name (b, "argument");
  if (argument != NULL)
    json_builder_add_string_value (b, argument);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  for (gsize i = 1; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      json_builder_add_string_value (b, lines[i]);
  json_builder_end_array (b);
  /* The same problems as fields, for a page that shows them as a table. */
  const GPtrArray *list = core_problems_error_list (error);
  json_builder_set_member_name (b, "details");
  json_builder_begin_array (b);
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      const CoreProblem *p = g_ptr_array_index (list, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "line");
      if (p->line > 0)
        json_builder_add_int_value (b, p->line);
      else
        json_builder_add_null_value (b);
      const char *names[] = { "column", "value", "why" };
      const char *values[] = { p->column, p->value, p->why };
      for (gsize k = 0; k < G_N_ELEMENTS (names); k++)
        {
          json_builder_set_member_name (b, names[k]);
          if (values[k] != NULL)
            json_builder_add_string_value (b, values[k]);
          else
            json_builder_add_null_value (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  server_answer_json (req, status, b);
}

void
server_answer_problem (ServerRequest *req, int status, const char *code, const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "argument");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "problems");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "details");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  server_answer_json (req, status, b);
}
