/* cmd-results.c: `spotcheck results import|review`: lab result files stored
 * whole or not at all, and the reports whose verdicts need a person's look.
 * The work is the service's (service/svc-results.h); this file parses the
 * options and renders what comes back. */
#include "cli/cli.h"
#include "cli/cli-progress.h"

#include "service/svc-results.h"

#include <stdio.h>
#include <string.h>
#include "core/core-i18n.h"

static void
print_summary (const char *file, const SvcResultsSummary *s)
{
  if (s->unchanged)
    {
      if (s->import_id > 0)
        printf (_ ("%s: already imported on %s (import %lld); nothing changed\n"), file,
                s->imported_at, (long long)s->import_id);
      else
        printf (_ ("%s: every report in it is already stored as it is (%u); nothing changed\n"),
                file, s->reports_same);
      return;
    }
  printf (_ ("%s: import %lld: %u rows; %u new report%s, %u amended, %u already stored\n"), file,
          (long long)s->import_id, s->rows, s->reports_new, s->reports_new == 1 ? "" : "s",
          s->reports_amended, s->reports_same);
  if (s->review > 0)
    printf (_ ("%u report%s flagged for review (lab and computed verdicts disagree): see "
               "`spotcheck results review`\n"),
            s->review, s->review == 1 ? "" : "s");
  if (s->cases_opened + s->cases_reopened + s->cases_closed + s->cases_amended > 0)
    printf (_ ("cases: %u opened, %u reopened, %u closed by amendment, %u updated: see "
               "`spotcheck cases list`\n"),
            s->cases_opened, s->cases_reopened, s->cases_closed, s->cases_amended);
}

static int
results_import (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *lab = NULL, *reason = NULL, *date = NULL;
  gboolean amend = FALSE;
  const GOptionEntry entries[] = {
    { "lab", 0, 0, G_OPTION_ARG_STRING, &lab, N_ ("Code of the lab that sends the file"), "CODE" },
    { "amend", 0, 0, G_OPTION_ARG_NONE, &amend,
      N_ ("Store changed results for reports already on record as new versions"), NULL },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_ ("Why the results changed (with --amend)"),
      "TEXT" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date,
      N_ ("Import date (default today): cases open on it and deadlines count from it"),
      "YYYY-MM-DD" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "FILE",
      _ ("Import a lab's result file (CSV or JSON; UTF-8, UTF-8 with BOM or GB18030; Chinese or "
         "English headers; one row per test item, see README). The whole file is one transaction: "
         "any problem rejects it with every problem listed and nothing stored. The same content "
         "again changes nothing. Verdicts are recomputed from value and limit; disagreement with "
         "the lab flags the report for review, and the stricter verdict governs. A nonconforming "
         "report opens a case with its first statutory deadlines."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("results import", _ ("give one result FILE"));
  if (lab == NULL || *lab == '\0')
    return cli_usage_error ("results import", _ ("--lab CODE is required"));
  if (amend && (reason == NULL || *reason == '\0'))
    return cli_usage_error ("results import", _ ("--amend needs --reason \"why\""));
  if (!amend && reason != NULL)
    return cli_usage_error ("results import", _ ("--reason goes with --amend"));
  GDate on;
  if (date != NULL && !core_date_parse (date, &on))
    return cli_usage_error ("results import", _ ("--date must be YYYY-MM-DD, not \"%s\""), date);
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  if (date != NULL)
    svc.today = on;
  SvcResultsOptions opts = { .lab = lab, .amend = amend, .reason = reason };
  g_auto (SvcResultsSummary) summary = { 0 };
  /* A bar on a terminal; nothing in a pipe, whose output scripts read. */
  g_autoptr (CliProgress) progress = cli_progress_for_stderr (CLI_PROGRESS_QUIET);
  svc.progress = cli_progress_core (progress);
  gboolean imported = svc_results_import_file (&svc, argv[1], NULL, &opts, &summary, &error);
  cli_progress_done (progress);
  if (!imported)
    {
      code = cli_report (error);
      if (summary.refused_changes > 0)
        g_printerr (_ ("to replace stored reports with these results, import with --amend --reason "
                       "\"why\"\n"));
      return code;
    }
  print_summary (argv[1], &summary);
  return CLI_EXIT_OK;
}

/* `results review --resolve REPORT`: the verdict the bureau adopts, and what
 * it did to the cases. */
static int
results_resolve (CliContext *ctx, const char *report, const char *lab, const char *verdict,
                 const char *reason, const char *date)
{
  if (verdict == NULL)
    return cli_usage_error ("results review",
                            _ ("--resolve needs --verdict conforming or nonconforming"));
  gboolean conforming = strcmp (verdict, "conforming") == 0;
  if (!conforming && strcmp (verdict, "nonconforming") != 0)
    return cli_usage_error (
        "results review", _ ("--verdict must be conforming or nonconforming, not \"%s\""), verdict);
  if (reason == NULL || *reason == '\0')
    return cli_usage_error ("results review", _ ("--resolve needs --reason \"why this verdict\""));
  GDate on;
  if (date != NULL && !core_date_parse (date, &on))
    return cli_usage_error ("results review", _ ("--date must be YYYY-MM-DD, not \"%s\""), date);
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  if (date != NULL)
    svc.today = on;
  SvcResultsResolve what
      = { .report_no = report, .lab = lab, .conforming = conforming, .reason = reason };
  g_auto (SvcResultsResolved) done = { 0 };
  if (!svc_results_resolve (&svc, &what, &done, &error))
    return cli_report (error);
  printf (_ ("report %s of lab %s (version %d): review resolved as %s (was %s)\n"), report,
          done.lab, done.version, verdict, done.previous);
  if (done.cases_opened > 0)
    printf (_ ("a case opened: see `spotcheck cases list`\n"));
  if (done.cases_withdrawn > 0)
    printf (_ ("its case was withdrawn (closed): see `spotcheck cases list --state closed`\n"));
  return CLI_EXIT_OK;
}

static int
results_review (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *format = NULL, *out = NULL, *resolve = NULL, *lab = NULL, *verdict = NULL,
                  *reason = NULL, *date = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text (default), csv, json or xlsx"),
      "FORMAT" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("Write to FILE instead of standard output"),
      "FILE" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_ ("Also list resolved flags, with their resolution"),
      NULL },
    { "resolve", 0, 0, G_OPTION_ARG_STRING, &resolve,
      N_ ("Clear the review flag of report REPORT (with --verdict and --reason)"), "REPORT" },
    { "lab", 0, 0, G_OPTION_ARG_STRING, &lab,
      N_ ("With --resolve: the lab of the report, when labs share the number"), "CODE" },
    { "verdict", 0, 0, G_OPTION_ARG_STRING, &verdict,
      N_ ("With --resolve: the verdict adopted, conforming or nonconforming"), "VERDICT" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_ ("With --resolve: why this verdict"),
      "TEXT" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date,
      N_ ("With --resolve: the day of the resolution (default today); a case it opens opens on it"),
      "YYYY-MM-DD" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("List current reports whose lab verdicts disagree with the recomputed ones and whose flag "
         "is not resolved yet (--all: resolved ones too). With --resolve REPORT --verdict "
         "conforming|nonconforming --reason R, a coordinator adopts one verdict, on the record: "
         "from then on it governs the report. Nonconforming opens a case when none rests on the "
         "report; conforming withdraws the report's open case as an amended report would."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return cli_usage_error ("results review", _ ("unexpected argument \"%s\""), argv[1]);
  if (resolve != NULL)
    {
      if (*resolve == '\0')
        return cli_usage_error ("results review", _ ("--resolve needs a report number"));
      if (all || format != NULL || out != NULL)
        return cli_usage_error ("results review",
                                _ ("--resolve does not list: drop --all, --format and --out"));
      return results_resolve (ctx, resolve, lab, verdict, reason, date);
    }
  if (lab != NULL || verdict != NULL || reason != NULL || date != NULL)
    return cli_usage_error ("results review",
                            _ ("--lab, --verdict, --reason and --date go with --resolve"));
  ReportFormat fmt;
  if (!cli_format_option ("results review", format, CLI_FORMATS_ALL, &fmt, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  g_autoptr (CoreTable) table
      = cli_service (ctx, &svc, &error)
            ? (all ? svc_results_review_all (&svc, &error) : svc_results_review (&svc, &error))
            : NULL;
  if (table == NULL)
    return cli_report (error);
  if (fmt == REPORT_FORMAT_TEXT && out == NULL && core_table_n_rows (table) == 0)
    {
      printf (all ? _ ("no reports flagged for review\n") : _ ("no reports to review\n"));
      return CLI_EXIT_OK;
    }
  return cli_write_table (fmt, out, table);
}

static const CliCommand results_commands[] = {
  { "import", N_ ("store a lab's result file, all or nothing"), results_import },
  { "review", N_ ("reports whose lab and computed verdicts disagree; resolve a flag"),
    results_review },
  { NULL },
};

const CliGroup cli_group_results
    = { "results", N_ ("Lab results: validated, atomic, idempotent uploads."), results_commands };
