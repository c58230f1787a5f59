/* cmd-audit.c: `spotcheck audit verify`: is the record (audit_log,
 * case_event) as it was written? */
#include "cli/cli.h"

#include "service/svc-audit.h"

#include <string.h>
#include "core/core-i18n.h"

static int
audit_verify (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *district = NULL, *format = NULL;
  const GOptionEntry entries[] = {
    { "district", 0, 0, G_OPTION_ARG_STRING, &district,
      N_ ("Only this district (default: every one)"), "CODE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text (default), csv or json"), "FORMAT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Walk the hash chains of audit_log and case_event (one per district), recompute every "
         "row's SHA-256 from its content and the row before it, and print the rows checked and "
         "each chain's head. Exits 1 naming the first row that does not match."),
      entries);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_format_option ("audit verify", format, CLI_FORMATS_ROWS, &fmt, &code))
    return code;
  if (argc != 1)
    return cli_usage_error ("audit verify", _ ("takes no arguments besides its options"));
  if (district != NULL && (strlen (district) != 6 || strspn (district, "0123456789") != 6))
    return cli_usage_error (
        "audit verify", _ ("--district must be a six-digit district code, not \"%s\""), district);
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  g_auto (DbChainReport) report = { 0 };
  gboolean held = svc_audit_verify (&svc, district, &report, &error);
  if (!held && !g_error_matches (error, SVC_AUDIT_ERROR, SVC_AUDIT_ERROR_BROKEN))
    return cli_report (error);
  g_autoptr (CoreTable) table = svc_audit_report_table (&report);
  code = cli_write_table (fmt, NULL, table);
  if (!held)
    return cli_report (error);
  return code;
}

static const CliCommand audit_commands[] = {
  { "verify", N_ ("check the hash chains of the audit log and case events"), audit_verify },
  { NULL },
};

const CliGroup cli_group_audit = {
  "audit",
  N_ ("The record of who did what: audit_log and case_event, hash-chained per district."),
  audit_commands,
};
