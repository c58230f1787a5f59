/* cmd-plan.c: `spotcheck plan generate|list|show|balance|approve|rebalance`. */
#include "cli/cli.h"
#include "cli/cli-rows.h"

#include "db/db-plan.h"
#include "scheduler/sched-round.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

static const char grade_letters[] = "ABCD";
static const char *const month_names[]
    = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static gboolean
check_year (const char *command, int year, int *code)
{
  if (year >= 2000 && year <= 2200)
    return TRUE;
  *code = cli_usage_error (command, "--year YYYY is required (2000-2200)");
  return FALSE;
}

/* The plan's inputs: the effective configuration, plus --config laid on top. */
static gboolean
plan_config (CliContext *ctx, const char *extra, GError **error)
{
  if (!cli_config (ctx, error))
    return FALSE;
  return extra == NULL || core_config_add_file (ctx->config, extra, error);
}

static void
print_stored (const char *district, const DbPlanInfo *info, const SchedPlan *plan)
{
  printf ("stored plan %s/%d version %d (draft): %" G_GINT64_FORMAT " batches", district,
          info->year, info->version, plan->total);
  if (plan->reserve > 0)
    printf (", %" G_GINT64_FORMAT " of them in the 应急 reserve", plan->reserve);
  printf ("\nmonths: ");
  for (guint m = 0; m < plan->n_months; m++)
    printf ("%s%" G_GINT64_FORMAT, m ? " " : "", plan->month_totals[m]);
  printf ("\nevery cell, two-way and grade total within one batch of ideal: %s "
          "(largest deviation %.3f)\n",
          plan->within_one ? "yes" : "NO, see `spotcheck plan balance`", plan->max_deviation);
  printf ("approve it with `spotcheck plan approve --year %d --version %d`\n", info->year,
          info->version);
}

static int
plan_generate (CliContext *ctx, int argc, char **argv)
{
  int year = 0;
  gint64 total = 0;
  g_autofree char *extra = NULL;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &year, "Plan year", "YYYY" },
    { "total", 0, 0, G_OPTION_ARG_INT64, &total, "Annual batches (overrides the config)", "N" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &extra, "Plan configuration laid over the rest",
      "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      "Generate a balanced annual plan (month × category × risk grade) and store it as a "
      "new draft version. Grade shares come from the business registry when it is loaded.",
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code) || !check_year ("plan generate", year, &code))
    return code;
  if (total < 0)
    return cli_usage_error ("plan generate", "--total must be positive");
  g_autoptr (GError) error = NULL;
  if (!plan_config (ctx, extra, &error))
    return cli_report (error);
  PGconn *conn = cli_db (ctx, &error);
  if (conn == NULL)
    return cli_report (error);
  const char *district = ctx->catalog->district;
  g_autofree char *counts_text = NULL;
  g_autoptr (SchedGradeCounts) counts
      = db_plan_registry_counts (conn, district, &counts_text, &error);
  if (error != NULL)
    return cli_report (error);
  g_autoptr (SchedPlan) plan
      = sched_plan_build_from_config (ctx->config, year, total, counts, &error);
  if (plan == NULL)
    return cli_report (error);
  g_autofree char *snapshot = sched_plan_config_snapshot (ctx->config, year);
  int version = 0;
  if (!db_plan_insert (conn, district, plan, snapshot, counts_text, 0, cli_actor (), &version,
                       &error))
    return cli_report (error);
  g_autoptr (DbPlanInfo) info = db_plan_get (conn, district, year, version, &error);
  if (info == NULL)
    return cli_report (error);
  if (counts == NULL)
    printf ("no business registry loaded: grade shares from [plan %d] grade_shares\n", year);
  print_stored (district, info, plan);
  return CLI_EXIT_OK;
}

static int
plan_list (CliContext *ctx, int argc, char **argv)
{
  int year = 0;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &year, "Only this year", "YYYY" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx
      = cli_option_context ("", "List plan versions with their status.", entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  if (conn == NULL)
    return cli_report (error);
  g_autoptr (GPtrArray) list = db_plan_list (conn, ctx->catalog->district, year, &error);
  if (list == NULL)
    return cli_report (error);
  if (list->len == 0)
    {
      printf ("no plans yet; make one with `spotcheck plan generate --year YYYY`\n");
      return CLI_EXIT_OK;
    }
  printf ("%-5s %-7s %-10s %7s %7s %-5s %-9s %-19s %s\n", "year", "version", "status", "total",
          "reserve", "from", "within 1", "created", "based on");
  for (guint i = 0; i < list->len; i++)
    {
      const DbPlanInfo *p = g_ptr_array_index (list, i);
      g_autofree char *base = p->based_on ? g_strdup_printf ("v%d", p->based_on) : g_strdup ("-");
      printf ("%-5d %-7d %-10s %7" G_GINT64_FORMAT " %7" G_GINT64_FORMAT " %-5s %-9s %-19s %s\n",
              p->year, p->version, p->status, p->total, p->reserve, month_names[p->from_month - 1],
              p->within_one ? "yes" : "no", p->created_at, base);
    }
  return CLI_EXIT_OK;
}

/* Loads a stored plan's header and cells for show/balance. */
static gboolean
load_plan (CliContext *ctx, int year, int version, DbPlanInfo **info, DbPlanCells **cells,
           GError **error)
{
  PGconn *conn = cli_db (ctx, error);
  if (conn == NULL)
    return FALSE;
  *info = db_plan_get (conn, ctx->catalog->district, year, version, error);
  if (*info == NULL)
    return FALSE;
  *cells = db_plan_cells (conn, ctx->catalog->district, year, (*info)->version, error);
  return *cells != NULL;
}

static gint64
cell (const DbPlanCells *p, guint m, guint c, guint g)
{
  return p->cells[((gsize)m * p->n_categories + c) * p->n_grades + g];
}

static void
show_text (CliContext *ctx, const DbPlanInfo *info, const DbPlanCells *p, gboolean grades)
{
  printf ("plan %s/%d version %d (%s): %" G_GINT64_FORMAT " batches, reserve %" G_GINT64_FORMAT
          ", within one of ideal: %s\n\n",
          ctx->catalog->district, info->year, info->version, info->status, info->total,
          info->reserve, info->within_one ? "yes" : "no");
  if (info->reserve > 0)
    printf ("应急 reserve: %" G_GINT64_FORMAT
            " batches, kept out of the monthly cells and drawn on demand\n\n",
            info->reserve);
  printf ("%-6s", grades ? "cat gr" : "cat");
  for (guint m = 0; m < p->n_months; m++)
    printf (" %4s", month_names[m]);
  printf (" %6s  %s\n", "total", "category");
  gint64 month_total[12] = { 0 };
  for (guint c = 0; c < p->n_categories; c++)
    {
      const CoreCategory *cat = core_catalog_category (ctx->catalog, p->category_codes[c]);
      for (guint g = 0; g < (grades ? p->n_grades : 1); g++)
        {
          g_autofree char *label
              = grades ? g_strdup_printf ("%s %c", p->category_codes[c], grade_letters[g])
                       : g_strdup (p->category_codes[c]);
          printf ("%-6s", label);
          gint64 row = 0;
          for (guint m = 0; m < p->n_months; m++)
            {
              gint64 v = 0;
              for (guint gg = 0; gg < p->n_grades; gg++)
                if (!grades || gg == g)
                  v += cell (p, m, c, gg);
              printf (" %4" G_GINT64_FORMAT, v);
              row += v;
              month_total[m] += v;
            }
          printf (" %6" G_GINT64_FORMAT "  %s\n", row, grades && g > 0 ? "" : (cat ? cat->zh : ""));
        }
    }
  printf ("%-6s", "total");
  gint64 all = 0;
  for (guint m = 0; m < p->n_months; m++)
    {
      printf (" %4" G_GINT64_FORMAT, month_total[m]);
      all += month_total[m];
    }
  printf (" %6" G_GINT64_FORMAT "\n", all);
}

static void
show_csv (const DbPlanInfo *info, const DbPlanCells *p)
{
  printf ("year,version,month,category,grade,batches,ideal\n");
  for (guint m = 0; m < p->n_months; m++)
    for (guint c = 0; c < p->n_categories; c++)
      for (guint g = 0; g < p->n_grades; g++)
        printf ("%d,%d,%u,%s,%c,%" G_GINT64_FORMAT ",%.6f\n", info->year, info->version, m + 1,
                p->category_codes[c], grade_letters[g], cell (p, m, c, g),
                p->ideal[((gsize)m * p->n_categories + c) * p->n_grades + g]);
}

static void
show_json (CliContext *ctx, const DbPlanInfo *info, const DbPlanCells *p)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "district");
  json_builder_add_string_value (b, ctx->catalog->district);
  json_builder_set_member_name (b, "year");
  json_builder_add_int_value (b, info->year);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, info->version);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, info->status);
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, info->total);
  json_builder_set_member_name (b, "reserve");
  json_builder_add_int_value (b, info->reserve);
  json_builder_set_member_name (b, "within_one");
  json_builder_add_boolean_value (b, info->within_one);
  json_builder_set_member_name (b, "digest");
  json_builder_add_string_value (b, info->digest);
  json_builder_set_member_name (b, "cells");
  json_builder_begin_array (b);
  for (guint m = 0; m < p->n_months; m++)
    for (guint c = 0; c < p->n_categories; c++)
      for (guint g = 0; g < p->n_grades; g++)
        {
          char grade[2] = { grade_letters[g], 0 };
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "month");
          json_builder_add_int_value (b, m + 1);
          json_builder_set_member_name (b, "category");
          json_builder_add_string_value (b, p->category_codes[c]);
          json_builder_set_member_name (b, "grade");
          json_builder_add_string_value (b, grade);
          json_builder_set_member_name (b, "batches");
          json_builder_add_int_value (b, cell (p, m, c, g));
          json_builder_set_member_name (b, "ideal");
          json_builder_add_double_value (
              b, p->ideal[((gsize)m * p->n_categories + c) * p->n_grades + g]);
          json_builder_end_object (b);
        }
  json_builder_end_array (b);
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = json_to_string (root, TRUE);
  printf ("%s\n", text);
}

static int
plan_show (CliContext *ctx, int argc, char **argv)
{
  int year = 0, version = 0;
  gboolean grades = FALSE;
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &year, "Plan year", "YYYY" },
    { "version", 0, 0, G_OPTION_ARG_INT, &version, "Version (default: approved, else newest)",
      "N" },
    { "grades", 0, 0, G_OPTION_ARG_NONE, &grades, "One row per category and risk grade", NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "text (default), csv or json", "FORMAT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "", "Show a plan: batches per month for each category (and grade).", entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code) || !check_year ("plan show", year, &code))
    return code;
  CliRowsFormat fmt;
  if (!cli_rows_format_option ("plan show", format, &fmt, &code))
    return code;
  g_autoptr (GError) error = NULL;
  g_autoptr (DbPlanInfo) info = NULL;
  g_autoptr (DbPlanCells) cells = NULL;
  if (!load_plan (ctx, year, version, &info, &cells, &error))
    return cli_report (error);
  if (fmt == CLI_ROWS_TEXT)
    show_text (ctx, info, cells, grades);
  else if (fmt == CLI_ROWS_CSV)
    show_csv (info, cells);
  else
    show_json (ctx, info, cells);
  return CLI_EXIT_OK;
}

static int
plan_balance (CliContext *ctx, int argc, char **argv)
{
  int year = 0, version = 0;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &year, "Plan year", "YYYY" },
    { "version", 0, 0, G_OPTION_ARG_INT, &version, "Version (default: approved, else newest)",
      "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      "Evenness figures: largest deviation from the ideal table for cells and each total, "
      "month spread, beside plain independent rounding; and every total that misses.",
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code) || !check_year ("plan balance", year, &code))
    return code;
  g_autoptr (GError) error = NULL;
  g_autoptr (DbPlanInfo) info = NULL;
  g_autoptr (DbPlanCells) p = NULL;
  if (!load_plan (ctx, year, version, &info, &p, &error))
    return cli_report (error);
  gsize n = (gsize)p->n_months * p->n_categories * p->n_grades;
  g_autofree gint64 *plain = g_new0 (gint64, n);
  sched_round_independent (n, p->ideal, plain);
  g_autoptr (SchedBalance) ours
      = sched_balance_compute (p->n_months, p->n_categories, p->n_grades, p->ideal, p->cells);
  g_autoptr (SchedBalance) theirs
      = sched_balance_compute (p->n_months, p->n_categories, p->n_grades, p->ideal, plain);
  g_autofree char *text
      = sched_balance_to_text (ours, theirs, (const char *const *)p->category_codes, grade_letters);
  printf ("plan %s/%d version %d (%s)\n%s", ctx->catalog->district, info->year, info->version,
          info->status, text);
  return CLI_EXIT_OK;
}

static int
plan_approve (CliContext *ctx, int argc, char **argv)
{
  int year = 0, version = 0;
  gboolean supersede = FALSE;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &year, "Plan year", "YYYY" },
    { "version", 0, 0, G_OPTION_ARG_INT, &version, "Version to approve (required)", "N" },
    { "supersede", 0, 0, G_OPTION_ARG_NONE, &supersede,
      "Replace the approved version of the year (after a rebalance)", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "", "Approve (freeze) a draft plan. Only one version a year is approved.", entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code) || !check_year ("plan approve", year, &code))
    return code;
  if (version <= 0)
    return cli_usage_error ("plan approve", "--version N is required (`plan list` shows them)");
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  if (conn == NULL
      || !db_plan_approve (conn, ctx->catalog->district, year, version, supersede, cli_actor (),
                           &error))
    return cli_report (error);
  printf ("plan %s/%d version %d approved\n", ctx->catalog->district, year, version);
  return CLI_EXIT_OK;
}

/* Rebuilds the stored version's plan from its inputs, then puts the stored
 * cells in (a rebalanced version differs from a fresh build of its inputs). */
static SchedPlan *
rebuild (const DbPlanInfo *info, const DbPlanCells *stored, GError **error)
{
  g_autoptr (CoreConfig) config = core_config_new_builtin (error);
  if (config == NULL
      || !core_config_add_data (config, info->config_snapshot, "plan snapshot", error))
    return NULL;
  g_autoptr (SchedGradeCounts) counts = db_plan_counts_parse (info->grade_counts);
  g_autoptr (SchedPlan) plan
      = sched_plan_build_from_config (config, info->year, info->total, counts, error);
  if (plan == NULL)
    return NULL;
  gsize n = (gsize)plan->n_months * plan->n_categories * plan->n_grades;
  if (plan->n_categories != stored->n_categories
      || !g_strv_equal ((const char *const *)plan->category_codes,
                        (const char *const *)stored->category_codes))
    {
      g_set_error (error, DB_PLAN_ERROR, DB_PLAN_ERROR_MISMATCH,
                   "plan %d version %d cannot be rebuilt from its stored inputs (the category "
                   "catalogue changed since); generate a new plan instead",
                   info->year, info->version);
      return NULL;
    }
  memcpy (plan->cells, stored->cells, n * sizeof (gint64));
  return g_steal_pointer (&plan);
}

static int
plan_rebalance (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *from = NULL;
  int version = 0;
  const GOptionEntry entries[] = {
    { "from-month", 0, 0, G_OPTION_ARG_STRING, &from, "First month to re-spread", "YYYY-MM" },
    { "version", 0, 0, G_OPTION_ARG_INT, &version, "Version to start from (default: approved)",
      "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      "Make a new draft whose past months equal what was sampled and whose remaining months "
      "re-spread what is left, with the same guarantees.",
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  int year = 0, month = 0;
  if (!cli_parse_month ("plan rebalance", "--from-month", from, &year, &month, &code))
    return code;
  g_autoptr (GError) error = NULL;
  g_autoptr (DbPlanInfo) info = NULL;
  g_autoptr (DbPlanCells) stored = NULL;
  if (!load_plan (ctx, year, version, &info, &stored, &error))
    return cli_report (error);
  g_autoptr (SchedPlan) old = rebuild (info, stored, &error);
  if (old == NULL)
    return cli_report (error);
  gsize n = (gsize)old->n_months * old->n_categories * old->n_grades;
  g_autofree gint64 *done = g_new0 (gint64, n);
  if (!db_plan_done_cells (ctx->conn, ctx->catalog->district, year, month,
                           (const char *const *)old->category_codes, old->n_grades, done, &error))
    return cli_report (error);
  g_autoptr (SchedPlan) plan = sched_plan_rebalance (old, month, done, &error);
  if (plan == NULL)
    return cli_report (error);
  int new_version = 0;
  if (!db_plan_insert (ctx->conn, ctx->catalog->district, plan, info->config_snapshot,
                       info->grade_counts, info->version, cli_actor (), &new_version, &error))
    return cli_report (error);
  g_autoptr (DbPlanInfo) stored_info
      = db_plan_get (ctx->conn, ctx->catalog->district, year, new_version, &error);
  if (stored_info == NULL)
    return cli_report (error);
  gint64 done_total = 0;
  for (gsize i = 0; i < n; i++)
    done_total += done[i];
  printf ("rebalanced version %d from %s: %" G_GINT64_FORMAT
          " batches sampled before it, the rest re-spread\n",
          info->version, from, done_total);
  print_stored (ctx->catalog->district, stored_info, plan);
  if (strcmp (info->status, "approved") == 0)
    printf ("(version %d is approved: use --supersede when approving the new one)\n",
            info->version);
  return CLI_EXIT_OK;
}

static const CliCommand plan_commands[] = {
  { "generate", "make a balanced annual plan and store it as a draft", plan_generate },
  { "list", "plan versions and their status", plan_list },
  { "show", "batches per month, category and grade", plan_show },
  { "balance", "evenness figures against the ideal and plain rounding", plan_balance },
  { "approve", "freeze a draft (one approved version a year)", plan_approve },
  { "rebalance", "re-spread what is left from a month on", plan_rebalance },
  { NULL },
};

const CliGroup cli_group_plan
    = { "plan", "The annual sampling plan: month × food category × risk grade.", plan_commands };
