/* cmd-report.c: `spotcheck report progress|nonconformity|cases|disclosure|business`:
 * the reports of service/svc-report.h for a month, a quarter or the year, for
 * the district or one office, in any writer's format (HTML with charts). This
 * file reads the options and the language; the figures are the service's. */
#include "cli/cli.h"
#include "cli/cli-lang.h"

#include "core/core-i18n.h"

#include "service/svc-report.h"

#include <string.h>

typedef CoreDocument *(*ReportFunc) (const SvcContext *ctx, const SvcReportPeriod *period,
                                     const char *office, const char *lang, GError **error);

static int
run_report (CliContext *ctx, int argc, char **argv, const char *name, const char *summary,
            ReportFunc make)
{
  g_autofree char *month = NULL, *quarter = NULL, *year = NULL, *office = NULL, *lang = NULL;
  g_autofree char *format = NULL, *out = NULL, *date = NULL;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month, N_ ("One month"), "YYYY-MM" },
    { "quarter", 0, 0, G_OPTION_ARG_STRING, &quarter, N_ ("One quarter"), "YYYY-Qn" },
    { "year", 0, 0, G_OPTION_ARG_STRING, &year, N_ ("The year (default: this year)"), "YYYY" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, N_ ("One office (default: the whole district)"),
      "CODE" },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang,
      N_ ("zh or en (default: the language of the messages: spotcheck --lang, [spotcheck] lang, "
          "else zh under a zh_* locale)"),
      "LANG" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text (default), csv, json, xlsx or html"),
      "FORMAT" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_ ("Write to FILE instead of standard output"),
      "FILE" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date,
      N_ ("The day figures count to (default today): months behind, overdue, ages"), "YYYY-MM-DD" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context ("", summary, entries);
  g_autofree char *command = g_strdup_printf ("report %s", name);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_format_option (command, format, CLI_FORMATS_ALL | (1u << REPORT_FORMAT_HTML), &fmt,
                             &code))
    return code;
  if (argc > 1)
    return cli_usage_error (command, _ ("unexpected argument \"%s\""), argv[1]);
  if ((month != NULL) + (quarter != NULL) + (year != NULL) > 1)
    return cli_usage_error (command, _ ("give one of --month, --quarter and --year"));
  if (lang == NULL)
    lang = g_strdup (cli_lang_current ());
  else if (strcmp (lang, "zh") != 0 && strcmp (lang, "en") != 0)
    return cli_usage_error (command, _ ("--lang must be zh or en, not \"%s\""), lang);
  GDate on;
  if (date != NULL && !core_date_parse (date, &on))
    return cli_usage_error (command, _ ("--date must be YYYY-MM-DD, not \"%s\""), date);
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  if (date != NULL)
    svc.today = on;
  SvcReportPeriod period;
  g_autofree char *this_year = g_strdup_printf ("%d", g_date_get_year (&svc.today));
  gboolean ok = month     ? svc_report_period_parse (SVC_PERIOD_MONTH, month, &period, &error)
                : quarter ? svc_report_period_parse (SVC_PERIOD_QUARTER, quarter, &period, &error)
                          : svc_report_period_parse (SVC_PERIOD_YEAR, year ? year : this_year,
                                                     &period, &error);
  if (!ok)
    return cli_report (error);
  g_autoptr (CoreDocument) doc = make (&svc, &period, office, lang, &error);
  if (doc == NULL)
    return cli_report (error);
  return cli_write_document_in (fmt, out, lang, doc);
}

static int
report_progress (CliContext *ctx, int argc, char **argv)
{
  return run_report (
      ctx, argc, argv, "progress",
      N_ ("Progress against the plan: planned, drawn, sampled, reported and nonconforming by month "
          "(with the pace check: cumulative done against cumulative plan, months behind flagged), "
          "by category, risk grade and street; emergency draws and the reserve left."),
      svc_report_progress);
}

static int
report_nonconformity (CliContext *ctx, int argc, char **argv)
{
  return run_report (ctx, argc, argv, "nonconformity",
                     N_ ("Nonconformity rates by category, by stage (production, distribution, "
                         "catering) and by failed item, failed items by cause class (config "
                         "[cause ...] groups), and the rate against the four periods before."),
                     svc_report_nonconformity);
}

static int
report_cases (CliContext *ctx, int argc, char **argv)
{
  return run_report (ctx, argc, argv, "cases",
                     N_ ("Verification-and-disposal cases: opened, open by state, overdue, closed, "
                         "median and 90th-percentile days to close, by office; extensions; "
                         "referrals in (city, provincial, national) and out; age of open cases."),
                     svc_report_cases);
}

static int
report_disclosure (CliContext *ctx, int argc, char **argv)
{
  return run_report (ctx, argc, argv, "disclosure",
                     N_ ("The public notice of nonconforming food (信息公布): labelled producer, "
                         "sampled business and addresses, food, specification, brand, production "
                         "date or batch, failed item ‖ result ‖ standard, category, lab, and the "
                         "disposal outcome once the case is closed. No inspector names."),
                     svc_report_disclosure);
}

static int
report_business (CliContext *ctx, int argc, char **argv)
{
  return run_report (ctx, argc, argv, "business",
                     N_ ("Businesses sampled in the period (or with a case opened in it): drawn, "
                         "sampled, reported, nonconforming, cases, still open, filed, the most "
                         "nonconforming first; for the whole district, the risk-grade suggestions "
                         "of the year (as `registry suggest-grades`). One business's whole record: "
                         "`spotcheck registry show USCC`."),
                     svc_report_business);
}

static const CliCommand report_commands[] = {
  { "progress", N_ ("Progress against the plan, with the pace check"), report_progress },
  { "nonconformity", N_ ("Nonconformity by category, stage, item and cause"),
    report_nonconformity },
  { "cases", N_ ("Cases: open, overdue, closed, days to close, referrals"), report_cases },
  { "disclosure", N_ ("The public notice of nonconforming food"), report_disclosure },
  { "business", N_ ("Businesses' record and risk-grade suggestions"), report_business },
  { NULL },
};

const CliGroup cli_group_report
    = { "report", N_ ("Reports for a month, a quarter or the year: text, CSV, JSON, XLSX, HTML."),
        report_commands };
