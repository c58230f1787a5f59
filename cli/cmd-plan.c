/* cmd-plan.c: `spotcheck plan generate|list|show|balance|approve|rebalance`:
 * options in, the plan service called, its results rendered. */
#include "cli/cli.h"
#include "cli/cli-progress.h"

#include "service/svc-plan.h"

#include <stdio.h>
#include "core/core-i18n.h"

/* --year is required by every command but `plan list`; its bounds, like
 * every other number's, are the service's (svc_plan_check_args). */
static gboolean
check_args (const char *command, const SvcPlanArgs *args, gboolean any_year, int *code)
{
  if (args->year == 0 && !any_year)
    {
      *code = cli_usage_error (command, _ ("--year YYYY is required (%d-%d)"), SVC_PLAN_YEAR_MIN,
                               SVC_PLAN_YEAR_MAX);
      return FALSE;
    }
  g_autoptr (GError) error = NULL;
  if (svc_plan_check_args (args, any_year, &error))
    return TRUE;
  *code = cli_report (error);
  return FALSE;
}

/* The service context, with --config laid over the effective configuration. */
static gboolean
plan_service (CliContext *ctx, const char *extra, SvcContext *svc, GError **error)
{
  if (!cli_config (ctx, error))
    return FALSE;
  if (extra != NULL && !core_config_add_file (ctx->config, extra, error))
    {
      g_prefix_error (error, _ ("--config: "));
      return FALSE;
    }
  return cli_service (ctx, svc, error);
}

static void
print_stored (const SvcContext *svc, const SvcPlanStored *stored)
{
  const DbPlanInfo *info = stored->info;
  const SchedPlan *plan = stored->plan;
  printf (_ ("stored plan %s/%d version %d (draft): %lld batches"), svc_district (svc), info->year,
          info->version, (long long)plan->total);
  if (plan->reserve > 0)
    printf (_ (", %lld of them in the reserve for emergency sampling"), (long long)plan->reserve);
  printf (_ ("\nmonths: "));
  for (guint m = 0; m < plan->n_months; m++)
    printf ("%s%" G_GINT64_FORMAT, m ? " " : "", plan->month_totals[m]);
  printf (_ ("\nevery cell, two-way and grade total within one batch of ideal: %s "
             "(largest deviation %.3f)\n"),
          plan->within_one ? _ ("yes") : _ ("NO, see `spotcheck plan balance`"),
          plan->max_deviation);
  if (!plan->optimum_proven)
    printf (
        _ ("the solver's time limit ([plan %d] solver_seconds) ran out: the best table found is "
           "stored; no table can do better than %.3f, so up to %.3f may still be possible\n"),
        info->year, plan->deviation_bound, plan->max_deviation - plan->deviation_bound);
  else
    printf (_ ("no table can have a smaller largest deviation (proven)\n"));
  printf (_ ("approve it with `spotcheck plan approve --year %d --version %d`\n"), info->year,
          info->version);
}

/* --total and --version as given: any integer, so that the service refuses
 * what is out of its bounds (0 included) instead of a default standing in. */
static gboolean
parse_total (const char *text, SvcPlanArgs *args, int *code)
{
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &args->total, NULL))
    {
      *code = cli_usage_error ("plan generate", _ ("--total must be a number of batches, 1 to %d"),
                               SVC_PLAN_TOTAL_MAX);
      return FALSE;
    }
  args->has_total = TRUE;
  return TRUE;
}

static gboolean
parse_version (const char *command, const char *text, SvcPlanArgs *args, int *code)
{
  gint64 version = 0;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, G_MININT, G_MAXINT, &version, NULL))
    {
      *code = cli_usage_error (command, _ ("--version must be a version number, 1 or more"));
      return FALSE;
    }
  args->has_version = TRUE;
  args->version = (int)version;
  return TRUE;
}

static int
plan_generate (CliContext *ctx, int argc, char **argv)
{
  SvcPlanArgs args = { 0 };
  g_autofree char *total = NULL;
  g_autofree char *extra = NULL;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &args.year, N_ ("Plan year"), "YYYY" },
    { "total", 0, 0, G_OPTION_ARG_STRING, &total, N_ ("Annual batches (overrides the config)"),
      "N" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &extra, N_ ("Plan configuration laid over the rest"),
      "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Generate a balanced annual plan (month × category × risk grade) and store it as a "
         "new draft version. Grade shares come from the business registry when it is loaded."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code) || !parse_total (total, &args, &code)
      || !check_args ("plan generate", &args, FALSE, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!plan_service (ctx, extra, &svc, &error))
    return cli_report (error);
  g_autoptr (CliProgress) progress = cli_progress_for_stderr (CLI_PROGRESS_QUIET);
  svc.progress = cli_progress_core (progress);
  g_autoptr (SvcPlanStored) stored = svc_plan_generate (&svc, &args, &error);
  cli_progress_done (progress);
  svc.progress = NULL;
  if (stored == NULL)
    return cli_report (error);
  if (stored->shares_from_config)
    printf (_ ("no business registry loaded: grade shares from [plan %d] grade_shares\n"),
            args.year);
  print_stored (&svc, stored);
  return CLI_EXIT_OK;
}

static int
plan_list (CliContext *ctx, int argc, char **argv)
{
  SvcPlanArgs args = { 0 };
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &args.year, N_ ("Only this year"), "YYYY" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text (default), csv or json"), "FORMAT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx
      = cli_option_context ("", _ ("List plan versions with their status."), entries);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_format_option ("plan list", format, CLI_FORMATS_ROWS, &fmt, &code)
      || !check_args ("plan list", &args, TRUE, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  g_autoptr (CoreTable) list = svc_plan_list (&svc, &args, &error);
  if (list == NULL)
    return cli_report (error);
  if (fmt == REPORT_FORMAT_TEXT && core_table_n_rows (list) == 0)
    {
      printf (_ ("no plans yet; make one with `spotcheck plan generate --year YYYY`\n"));
      return CLI_EXIT_OK;
    }
  return cli_write_table (fmt, NULL, list);
}

static int
plan_show (CliContext *ctx, int argc, char **argv)
{
  SvcPlanArgs args = { 0 };
  g_autofree char *version = NULL;
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &args.year, N_ ("Plan year"), "YYYY" },
    { "version", 0, 0, G_OPTION_ARG_STRING, &version,
      N_ ("Version (default: approved, else newest)"), "N" },
    { "grades", 0, 0, G_OPTION_ARG_NONE, &args.grades, N_ ("One row per category and risk grade"),
      NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_ ("text (default), csv (every cell) or json (the plan and every cell)"), "FORMAT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "", _ ("Show a plan: batches per month for each category (and grade)."), entries);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_format_option ("plan show", format, CLI_FORMATS_ROWS, &fmt, &code)
      || !parse_version ("plan show", version, &args, &code)
      || !check_args ("plan show", &args, FALSE, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  g_autoptr (SvcPlanView) view = svc_plan_show (&svc, &args, &error);
  if (view == NULL)
    return cli_report (error);
  /* CSV is every cell, one table; text the month grid under the header, JSON
   * the header's members beside the cells. */
  if (fmt == REPORT_FORMAT_CSV)
    return cli_write_table (fmt, NULL, view->cells);
  g_autofree char *title
      = g_strdup_printf (_ ("plan %s/%d version %d (%s)"), svc_district (&svc), view->info->year,
                         view->info->version, svc_plan_status_name (view->info->status));
  g_autoptr (CoreDocument) doc = core_document_new (title);
  core_document_add (doc, core_table_ref (view->summary));
  core_document_add (doc, core_table_ref (fmt == REPORT_FORMAT_TEXT ? view->months : view->cells));
  return cli_write_document (fmt, NULL, doc);
}

static int
plan_balance (CliContext *ctx, int argc, char **argv)
{
  SvcPlanArgs args = { 0 };
  g_autofree char *version = NULL;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &args.year, N_ ("Plan year"), "YYYY" },
    { "version", 0, 0, G_OPTION_ARG_STRING, &version,
      N_ ("Version (default: approved, else newest)"), "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Evenness figures: largest deviation from the ideal table for cells and each total, "
         "month spread, beside plain independent rounding; and every total that misses."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !parse_version ("plan balance", version, &args, &code)
      || !check_args ("plan balance", &args, FALSE, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  g_autoptr (SvcPlanBalance) b = svc_plan_balance (&svc, &args, &error);
  if (b == NULL)
    return cli_report (error);
  g_autofree char *text = sched_balance_to_text (
      b->plan, b->independent, (const char *const *)b->category_codes, CORE_GRADES);
  printf (_ ("plan %s/%d version %d (%s)\n%s"), svc_district (&svc), b->info->year,
          b->info->version, svc_plan_status_name (b->info->status), text);
  return CLI_EXIT_OK;
}

static int
plan_approve (CliContext *ctx, int argc, char **argv)
{
  SvcPlanArgs args = { 0 };
  g_autofree char *version = NULL;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &args.year, N_ ("Plan year"), "YYYY" },
    { "version", 0, 0, G_OPTION_ARG_STRING, &version,
      N_ ("Version to approve (default: the year's only draft)"), "N" },
    { "supersede", 0, 0, G_OPTION_ARG_NONE, &args.supersede,
      N_ ("Replace the approved version of the year (after a rebalance)"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Approve (freeze) a draft plan: the given version, or the year's draft when it has "
         "only one. Only one version a year is approved."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !parse_version ("plan approve", version, &args, &code)
      || !check_args ("plan approve", &args, FALSE, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  g_autoptr (DbPlanInfo) info = svc_plan_approve (&svc, &args, &error);
  if (info == NULL)
    return cli_report (error);
  printf (_ ("plan %s/%d version %d approved\n"), svc_district (&svc), info->year, info->version);
  return CLI_EXIT_OK;
}

static int
plan_rebalance (CliContext *ctx, int argc, char **argv)
{
  SvcPlanArgs args = { 0 };
  g_autofree char *version = NULL;
  g_autofree char *from = NULL;
  const GOptionEntry entries[] = {
    { "from-month", 0, 0, G_OPTION_ARG_STRING, &from, N_ ("First month to re-spread"), "YYYY-MM" },
    { "version", 0, 0, G_OPTION_ARG_STRING, &version,
      N_ ("Version to start from (default: approved)"), "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Make a new draft whose past months equal what was sampled and whose remaining months "
         "re-spread what is left, with the same guarantees."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_parse_month ("plan rebalance", "--from-month", from, &args.year, &args.from_month,
                           &code)
      || !parse_version ("plan rebalance", version, &args, &code)
      || !check_args ("plan rebalance", &args, FALSE, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  g_autoptr (SvcPlanStored) stored = svc_plan_rebalance (&svc, &args, &error);
  if (stored == NULL)
    return cli_report (error);
  printf (_ ("rebalanced version %d from %s: %lld batches sampled before it, the rest re-spread\n"),
          stored->based_on, from, (long long)stored->done_total);
  print_stored (&svc, stored);
  if (stored->based_on_approved)
    printf (_ ("(version %d is approved: use --supersede when approving the new one)\n"),
            stored->based_on);
  return CLI_EXIT_OK;
}

static const CliCommand plan_commands[] = {
  { "generate", N_ ("make a balanced annual plan and store it as a draft"), plan_generate },
  { "list", N_ ("plan versions and their status"), plan_list },
  { "show", N_ ("batches per month, category and grade"), plan_show },
  { "balance", N_ ("evenness figures against the ideal and plain rounding"), plan_balance },
  { "approve", N_ ("freeze a draft (one approved version a year)"), plan_approve },
  { "rebalance", N_ ("re-spread what is left from a month on"), plan_rebalance },
  { NULL },
};

const CliGroup cli_group_plan
    = { "plan", N_ ("The annual sampling plan: month × food category × risk grade."),
        plan_commands };
