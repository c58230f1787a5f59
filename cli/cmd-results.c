/* cmd-results.c: `spotcheck results import|review`: lab result files stored
 * whole or not at all, and the reports whose verdicts need a person's look. */
#include "cli/cli.h"
#include "cli/cli-rows.h"

#include "db/db-results.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* --date, else today's local date. */
static gboolean
import_date (const char *command, const char *text, GDate *out, int *code)
{
  if (text == NULL)
    {
      g_date_clear (out, 1);
      g_date_set_time_t (out, time (NULL));
      return TRUE;
    }
  if (core_date_parse (text, out))
    return TRUE;
  *code = cli_usage_error (command, "--date must be YYYY-MM-DD, not \"%s\"", text);
  return FALSE;
}

static void
print_summary (const char *file, const DbResultsSummary *s)
{
  if (s->unchanged)
    {
      if (s->import_id > 0)
        printf ("%s: already imported on %s (import %" G_GINT64_FORMAT "); nothing changed\n", file,
                s->imported_at, s->import_id);
      else
        printf ("%s: every report in it is already stored as it is (%u); nothing changed\n", file,
                s->reports_same);
      return;
    }
  printf ("%s: import %" G_GINT64_FORMAT ": %u rows; %u new report%s, %u amended, %u already "
          "stored\n",
          file, s->import_id, s->rows, s->reports_new, s->reports_new == 1 ? "" : "s",
          s->reports_amended, s->reports_same);
  if (s->review > 0)
    printf ("%u report%s flagged for review (lab and computed verdicts disagree): see "
            "`spotcheck results review`\n",
            s->review, s->review == 1 ? "" : "s");
  if (s->cases_opened + s->cases_reopened + s->cases_closed + s->cases_amended > 0)
    printf ("cases: %u opened, %u reopened, %u closed by amendment, %u updated: see "
            "`spotcheck cases list`\n",
            s->cases_opened, s->cases_reopened, s->cases_closed, s->cases_amended);
}

static int
results_import (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *lab = NULL, *reason = NULL, *date = NULL;
  gboolean amend = FALSE;
  const GOptionEntry entries[] = {
    { "lab", 0, 0, G_OPTION_ARG_STRING, &lab, "Code of the lab that sends the file", "CODE" },
    { "amend", 0, 0, G_OPTION_ARG_NONE, &amend,
      "Store changed results for reports already on record as new versions", NULL },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, "Why the results changed (with --amend)",
      "TEXT" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date,
      "Import date (default today): cases open on it and deadlines count from it", "YYYY-MM-DD" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "FILE",
      "Import a lab's result file (CSV or JSON; UTF-8, UTF-8 with BOM or GB18030; Chinese or "
      "English headers; one row per test item, see README). The whole file is one transaction: "
      "any problem rejects it with every problem listed and nothing stored. The same content "
      "again changes nothing. Verdicts are recomputed from value and limit; disagreement with "
      "the lab flags the report for review, and the stricter verdict governs. A nonconforming "
      "report opens a case with its first statutory deadlines.",
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("results import", "give one result FILE");
  if (lab == NULL || *lab == '\0')
    return cli_usage_error ("results import", "--lab CODE is required");
  if (amend && (reason == NULL || *reason == '\0'))
    return cli_usage_error ("results import", "--amend needs --reason \"why\"");
  if (!amend && reason != NULL)
    return cli_usage_error ("results import", "--reason goes with --amend");
  DbResultsImport opts = { .lab = lab, .actor = cli_actor (), .amend = amend, .reason = reason };
  if (!import_date ("results import", date, &opts.today, &code))
    return code;
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  const CoreCalendar *calendar = conn ? cli_calendar (ctx, &error) : NULL;
  g_autoptr (CasesDeadlines) deadlines
      = calendar ? cases_deadlines_load (ctx->config, &error) : NULL;
  if (deadlines == NULL)
    return cli_report (error);
  opts.district = ctx->catalog->district;
  opts.deadlines = deadlines;
  opts.calendar = calendar;
  g_auto (DbResultsSummary) summary = { 0 };
  if (!db_results_import_file (conn, &opts, argv[1], NULL, &summary, &error))
    return cli_report (error);
  print_summary (argv[1], &summary);
  return CLI_EXIT_OK;
}

static void
review_json (GPtrArray *list)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const DbResultsReview *r = g_ptr_array_index (list, i);
      json_builder_begin_object (b);
      const char *keys[] = { "lab",      "report_no", "record_no", "lab_conclusion",
                             "computed", "governing", "reason",    "test_date" };
      const char *values[] = { r->lab,      r->report_no, r->record_no, r->lab_conclusion,
                               r->computed, r->governing, r->reason,    r->test_date };
      for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          json_builder_set_member_name (b, keys[k]);
          json_builder_add_string_value (b, values[k]);
        }
      json_builder_set_member_name (b, "version");
      json_builder_add_int_value (b, r->version);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = json_to_string (root, TRUE);
  printf ("%s\n", text);
}

static int
results_review (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "text (default), csv or json", "FORMAT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "", "List current reports whose lab verdicts disagree with the recomputed ones.", entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  CliRowsFormat fmt;
  if (!cli_rows_format_option ("results review", format, &fmt, &code))
    return code;
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  g_autoptr (GPtrArray) list
      = conn ? db_results_review_list (conn, ctx->catalog->district, &error) : NULL;
  if (list == NULL)
    return cli_report (error);
  if (fmt == CLI_ROWS_JSON)
    review_json (list);
  else if (fmt == CLI_ROWS_CSV)
    {
      printf ("lab,report_no,version,record_no,lab_conclusion,computed,governing,test_date,"
              "reason\n");
      for (guint i = 0; i < list->len; i++)
        {
          const DbResultsReview *r = g_ptr_array_index (list, i);
          char version[16];
          g_snprintf (version, sizeof version, "%d", r->version);
          const char *v[]
              = { r->lab,      r->report_no, version,      r->record_no, r->lab_conclusion,
                  r->computed, r->governing, r->test_date, r->reason };
          for (gsize k = 0; k < G_N_ELEMENTS (v); k++)
            cli_rows_write_csv_field (stdout, v[k], k + 1 < G_N_ELEMENTS (v) ? ',' : '\n');
        }
    }
  else if (list->len == 0)
    printf ("no reports to review\n");
  else
    for (guint i = 0; i < list->len; i++)
      {
        const DbResultsReview *r = g_ptr_array_index (list, i);
        printf ("%s %s v%d (sample %s, tested %s): lab %s, computed %s, governing %s\n  %s\n",
                r->lab, r->report_no, r->version, r->record_no, r->test_date, r->lab_conclusion,
                r->computed, r->governing, r->reason);
      }
  return CLI_EXIT_OK;
}

static const CliCommand results_commands[] = {
  { "import", "store a lab's result file, all or nothing", results_import },
  { "review", "reports whose lab and computed verdicts disagree", results_review },
  { NULL },
};

const CliGroup cli_group_results
    = { "results", "Lab results: validated, atomic, idempotent uploads.", results_commands };
