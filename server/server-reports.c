/* server-reports.c: the reports of `spotcheck report` over HTTP: JSON for
 * pages, CSV and XLSX as downloads, HTML (with its charts) to open in the
 * browser. The period is ?month=YYYY-MM, ?quarter=YYYY-Qn or ?year=YYYY (the
 * current year when none is given), in the request's language (?lang=zh|en,
 * else Accept-Language, else the server's). */
#include "server/server-private.h"

#include "service/svc-report.h"

#include <string.h>

typedef CoreDocument *(*ReportFunc) (const SvcContext *ctx, const SvcReportPeriod *period,
                                     const char *office, const char *lang, GError **error);

static const struct
{
  const char *kind;
  ReportFunc make;
} reports[] = {
  { "progress", svc_report_progress }, { "nonconformity", svc_report_nonconformity },
  { "cases", svc_report_cases },       { "disclosure", svc_report_disclosure },
  { "business", svc_report_business },
};

gboolean
server_reports_get (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  const char *kind = server_param (req, "kind");
  ReportFunc make = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (reports); i++)
    if (strcmp (reports[i].kind, kind) == 0)
      make = reports[i].make;
  if (make == NULL)
    {
      g_set_error (
          error, SVC_ERROR, SVC_ERROR_NOT_FOUND,
          _ ("there is no report \"%s\": progress, nonconformity, cases, disclosure or business"),
          kind);
      return FALSE;
    }
  const char *month = server_query (req, "month"), *quarter = server_query (req, "quarter");
  const char *year = server_query (req, "year"), *lang = req->lang;
  if ((month != NULL) + (quarter != NULL) + (year != NULL) > 1)
    {
      svc_error_invalid (error, "month", "%s", _ ("give one of month, quarter or year"));
      return FALSE;
    }
  g_autofree char *this_year = g_strdup_printf ("%d", g_date_get_year (&ctx->today));
  SvcReportPeriod period;
  gboolean ok = month     ? svc_report_period_parse (SVC_PERIOD_MONTH, month, &period, error)
                : quarter ? svc_report_period_parse (SVC_PERIOD_QUARTER, quarter, &period, error)
                          : svc_report_period_parse (SVC_PERIOD_YEAR, year ? year : this_year,
                                                     &period, error);
  if (!ok)
    return FALSE;
  g_autoptr (CoreDocument) doc = make (ctx, &period, server_query (req, "office"), lang, error);
  if (doc == NULL)
    return FALSE;
  g_autofree char *label = svc_report_period_label (&period);
  g_autofree char *name = g_strdup_printf ("%s-%s", kind, label);
  return server_answer_document_in (req, doc, name, lang, TRUE, error);
}
