/* cmd-cases.c: `spotcheck cases import-referrals|list|show` (the steps are in
 * cmd-cases-steps.c): the
 * verification-and-disposal queue of nonconforming batches. The work is the
 * service's (service/svc-cases.h); this file parses and renders. */
#include "cli/cmd-cases.h"

#include "service/svc-cases.h"

#include <stdio.h>
#include <string.h>
#include "core/core-i18n.h"

static int
cases_import_referrals (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *date = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date,
      N_ ("Import date (default today): cases open on it"), "YYYY-MM-DD" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "FILE",
      _ ("Import nonconforming notices from national, provincial and city sampling "
         "(国抽/省抽/市抽) "
         "about businesses of the district into the case queue. CSV or JSON with columns 抽检级别/"
         "level, 通知书编号/notice_no, 统一社会信用代码/uscc, 企业名称/business_name, "
         "样品名称/product, "
         "不合格项目/failed_items, 通知日期/notice_date. All rows or none; every business must be "
         "in "
         "the registry. Deadlines count from the notice date; a notice already imported is "
         "skipped."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("cases import-referrals", _ ("give one referral FILE"));
  GDate on;
  if (date != NULL && !core_date_parse (date, &on))
    return cli_usage_error ("cases import-referrals", _ ("--date must be YYYY-MM-DD, not \"%s\""),
                            date);
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  if (date != NULL)
    svc.today = on;
  guint opened = 0, skipped = 0;
  if (!svc_cases_import_referrals (&svc, argv[1], NULL, &opened, &skipped, &error))
    return cli_report (error);
  printf (_ ("%s: %u case%s opened, %u notice%s already on record\n"), argv[1], opened,
          opened == 1 ? "" : "s", skipped, skipped == 1 ? "" : "s");
  return CLI_EXIT_OK;
}

/* The columns `cases list` shows people; CSV, JSON and XLSX get them all. */
static const char *const TEXT_KEYS[]
    = { "case_no",   "source",        "state",       "uscc",   "office",
        "opened_on", "next_deadline", "next_status", "version" };

static CoreTable *
text_view (const CoreTable *all)
{
  CoreColumn cols[G_N_ELEMENTS (TEXT_KEYS)];
  int at[G_N_ELEMENTS (TEXT_KEYS)];
  for (gsize k = 0; k < G_N_ELEMENTS (TEXT_KEYS); k++)
    {
      at[k] = core_table_find (all, TEXT_KEYS[k]);
      g_assert (at[k] >= 0);
      cols[k] = *core_table_column (all, (guint)at[k]);
    }
  CoreTable *t
      = core_table_new (core_table_key (all), core_table_title (all), cols, G_N_ELEMENTS (cols));
  for (guint r = 0; r < core_table_n_rows (all); r++)
    {
      guint row = core_table_add_row (t);
      for (gsize k = 0; k < G_N_ELEMENTS (TEXT_KEYS); k++)
        {
          const char *v = core_table_get (all, r, (guint)at[k]);
          const char *shown = core_table_get_shown (all, r, (guint)at[k]);
          core_table_set (t, row, (guint)k, v ? v : "-");
          if (shown != v)
            core_table_set_shown (t, row, (guint)k, shown);
        }
    }
  return t;
}

/* `cases list` and `cases show` count deadlines to this day (the statuses
 * "due in N days", "overdue by N days", --overdue, --due-within). */
#define DATE_HELP N_ ("The day deadlines count to (default today)")

static gboolean
parse_date (const char *command, const char *date, GDate *on, int *code)
{
  g_date_clear (on, 1);
  if (date == NULL || core_date_parse (date, on))
    return TRUE;
  *code = cli_usage_error (command, _ ("--date must be YYYY-MM-DD, not \"%s\""), date);
  return FALSE;
}

static int
cases_list (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *state = NULL, *format = NULL, *out = NULL, *office = NULL, *within = NULL;
  g_autofree char *date = NULL;
  gboolean overdue = FALSE;
  const GOptionEntry entries[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING, &state,
      N_ ("Only cases in this state (e.g. open, closed)"), "STATE" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, N_ ("Only cases of this office"), "CODE" },
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue,
      N_ ("Only cases with a deadline passed and unmet"), NULL },
    { "due-within", 0, 0, G_OPTION_ARG_STRING, &within,
      N_ ("Only cases with an unmet deadline within N days (overdue ones included)"), "N" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, DATE_HELP, "YYYY-MM-DD" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text (default), csv, json or xlsx"),
      "FORMAT" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("Write to FILE instead of standard output"),
      "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx
      = cli_option_context ("", _ ("List cases with their state and next deadline."), entries);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_format_option ("cases list", format, CLI_FORMATS_ALL, &fmt, &code))
    return code;
  SvcCasesFilter filter
      = { .state = state, .office = office, .overdue = overdue, .due_within = -1 };
  if (within != NULL
      && !cli_parse_number ("cases list", "--due-within", within, 0, 3660, &filter.due_within,
                            &code))
    return code;
  if (argc != 1)
    return cli_usage_error ("cases list", _ ("takes no arguments"));
  GDate on;
  if (!parse_date ("cases list", date, &on, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  g_autoptr (CoreTable) table = NULL;
  if (cli_service (ctx, &svc, &error))
    {
      if (date != NULL)
        svc.today = on;
      table = svc_cases_list_where (&svc, &filter, &error);
    }
  if (table == NULL)
    return cli_report (error);
  if (fmt != REPORT_FORMAT_TEXT)
    return cli_write_table (fmt, out, table);
  if (out == NULL && core_table_n_rows (table) == 0)
    {
      printf (_ ("no cases%s%s%s%s%s\n"), state ? _ (" in state ") : "", state ? state : "",
              office ? _ (" of office ") : "", office ? office : "",
              overdue  ? _ (" overdue")
              : within ? _ (" due soon")
                       : "");
      return CLI_EXIT_OK;
    }
  g_autoptr (CoreTable) view = text_view (table);
  return cli_write_table (fmt, out, view);
}

static int
cases_show (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *format = NULL, *out = NULL, *date = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, DATE_HELP, "YYYY-MM-DD" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text (default), csv, json or xlsx"),
      "FORMAT" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("Write to FILE instead of standard output"),
      "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "CASE", _ ("Show one case with its deadlines and its history of events."), entries);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_format_option ("cases show", format, CLI_FORMATS_ALL, &fmt, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("cases show", _ ("give one CASE number, e.g. HC2024-00001"));
  GDate on;
  if (!parse_date ("cases show", date, &on, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  g_autoptr (CoreDocument) doc = NULL;
  if (cli_service (ctx, &svc, &error))
    {
      if (date != NULL)
        svc.today = on;
      doc = svc_cases_show (&svc, argv[1], &error);
    }
  if (doc == NULL)
    return cli_report (error);
  return cli_write_document (fmt, out, doc);
}

static const CliCommand cases_commands[] = {
  { "import-referrals", N_ ("国抽/省抽/市抽 nonconforming notices into the queue"),
    cases_import_referrals },
  { "list", N_ ("cases with state and next deadline"), cases_list },
  { "show", N_ ("one case with deadlines, events and the steps possible next"), cases_show },
  { "advance", N_ ("take one step of the workflow on a case"), cli_cases_advance },
  { "close", N_ ("close a case with its outcome"), cli_cases_close },
  { "extend", N_ ("extend a case's overall time limit (recorded approval)"), cli_cases_extend },
  { "assign", N_ ("hand a case to another office"), cli_cases_assign },
  { "reinspect", N_ ("re-inspection: apply, accept (lab drawn), refuse, result"),
    cli_cases_reinspect },
  { "steps", N_ ("the case workflow: steps, states, roles, fields, deadlines"), cli_cases_steps },
  { NULL },
};

const CliGroup cli_group_cases
    = { "cases", N_ ("Verification-and-disposal cases of nonconforming batches."), cases_commands };
