/* cmd-samples.c: `spotcheck samples record|show`: what the sampling inspectors
 * took for each task (抽样单), from a file or one at a time. */
#include "cli/cli.h"

#include "service/svc-samples.h"

#include <stdio.h>
#include "core/core-i18n.h"

static int
samples_record (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *record = NULL, *name = NULL, *batch = NULL, *made = NULL, *spec = NULL,
                  *quantity = NULL, *taken = NULL, *producer = NULL;
  const GOptionEntry entries[] = {
    { "record", 0, 0, G_OPTION_ARG_STRING, &record, N_ ("Record number (抽样单编号) of the task"),
      "NO" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("Sample name (样品名称)"), "TEXT" },
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch, N_ ("Batch number as labelled (批号)"), "TEXT" },
    { "production-date", 0, 0, G_OPTION_ARG_STRING, &made, N_ ("Production date (生产日期)"),
      "YYYY-MM-DD" },
    { "specification", 0, 0, G_OPTION_ARG_STRING, &spec,
      N_ ("Specification (规格型号), e.g. 180g/袋"), "TEXT" },
    { "quantity", 0, 0, G_OPTION_ARG_STRING, &quantity, N_ ("Quantity taken (抽样数量)"), "TEXT" },
    { "sampling-date", 0, 0, G_OPTION_ARG_STRING, &taken, N_ ("Sampling date (抽样日期)"),
      "YYYY-MM-DD" },
    { "producer", 0, 0, G_OPTION_ARG_STRING, &producer, N_ ("Labelled producer (标称生产企业)"),
      "TEXT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "[FILE]",
      _ ("Mark tasks sampled. From FILE (CSV or JSON, Chinese or English headers: "
         "抽样单编号/record, "
         "样品名称/sample_name, 批号/batch, 生产日期/production_date, 规格型号/specification, "
         "抽样数量/quantity, 抽样日期/sampling_date, 标称生产企业/producer), all or nothing with "
         "every "
         "problem listed; or one at a time with --record and the other options. A task is sampled "
         "once; unknown and cancelled tasks are refused."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if ((argc == 2) == (record != NULL) || argc > 2)
    return cli_usage_error ("samples record", _ ("give either one FILE or --record NO with the "
                                                 "sample's fields"));
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  /* A record typed as options is named by its options in problems. */
  static const char *const options[] = { "record",
                                         "--record",
                                         "sample_name",
                                         "--name",
                                         "batch",
                                         "--batch",
                                         "production_date",
                                         "--production-date",
                                         "specification",
                                         "--specification",
                                         "quantity",
                                         "--quantity",
                                         "sampling_date",
                                         "--sampling-date",
                                         "producer",
                                         "--producer",
                                         NULL };
  const SvcSamplesInput input = {
    .field_names = options,
    .path = argc == 2 ? argv[1] : NULL,
    .record = record,
    .sample_name = name,
    .batch = batch,
    .production_date = made,
    .specification = spec,
    .quantity = quantity,
    .sampling_date = taken,
    .producer = producer,
  };
  guint recorded = 0;
  if (!svc_samples_record (&svc, &input, &recorded, &error))
    return cli_report (error);
  printf (_ ("%s: %u task%s marked sampled\n"), argc == 2 ? argv[1] : "command line", recorded,
          recorded == 1 ? "" : "s");
  return CLI_EXIT_OK;
}

static int
samples_show (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text (default), csv or json"), "FORMAT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx
      = cli_option_context ("RECORD-NO", _ ("Show the sample recorded for a task."), entries);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("samples show", _ ("give one record number"));
  if (!cli_format_option ("samples show", format, CLI_FORMATS_ROWS, &fmt, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  g_autoptr (CoreTable) table = svc_samples_show (&svc, argv[1], &error);
  if (table == NULL)
    return cli_report (error);
  return cli_write_table (fmt, NULL, table);
}

static const CliCommand samples_commands[] = {
  { "record", N_ ("mark tasks sampled, from a file or one at a time"), samples_record },
  { "show", N_ ("the sample recorded for a task"), samples_show },
  { NULL },
};

const CliGroup cli_group_samples
    = { "samples", N_ ("Sampling records: what was taken for each task."), samples_commands };
