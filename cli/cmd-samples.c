/* cmd-samples.c: `spotcheck samples record|show`: what the sampling inspectors
 * took for each task (抽样单), from a file or one at a time. */
#include "cli/cli-rows.h"
#include "cli/cli.h"

#include "db/db-samples.h"

#include <stdio.h>

/* Rows intake refused, by line and record number only, so that the database
 * can still say whether their record numbers name a task. */
static GPtrArray *
rejected_rows (const IntakeTable *table, GPtrArray *samples)
{
  g_autoptr (GHashTable) passed = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < samples->len; i++)
    g_hash_table_add (passed,
                      GUINT_TO_POINTER (((IntakeSample *)g_ptr_array_index (samples, i))->line));
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)intake_sample_free);
  for (guint i = 0; i < table->rows->len; i++)
    {
      const IntakeRow *row = g_ptr_array_index (table->rows, i);
      if (g_hash_table_contains (passed, GUINT_TO_POINTER (row->line)))
        continue;
      IntakeSample *r = intake_sample_new (intake_row_get (row, INTAKE_SAMPLE_RECORD), NULL, NULL,
                                           NULL, NULL, NULL, NULL, NULL);
      r->line = row->line;
      g_ptr_array_add (out, r);
    }
  return out;
}

static int
samples_record (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *record = NULL, *name = NULL, *batch = NULL, *made = NULL, *spec = NULL,
                  *quantity = NULL, *taken = NULL, *producer = NULL;
  const GOptionEntry entries[] = {
    { "record", 0, 0, G_OPTION_ARG_STRING, &record, "Record number (抽样单编号) of the task",
      "NO" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Sample name (样品名称)", "TEXT" },
    { "batch", 0, 0, G_OPTION_ARG_STRING, &batch, "Batch number as labelled (批号)", "TEXT" },
    { "production-date", 0, 0, G_OPTION_ARG_STRING, &made, "Production date (生产日期)",
      "YYYY-MM-DD" },
    { "specification", 0, 0, G_OPTION_ARG_STRING, &spec, "Specification (规格型号), e.g. 180g/袋",
      "TEXT" },
    { "quantity", 0, 0, G_OPTION_ARG_STRING, &quantity, "Quantity taken (抽样数量)", "TEXT" },
    { "sampling-date", 0, 0, G_OPTION_ARG_STRING, &taken, "Sampling date (抽样日期)",
      "YYYY-MM-DD" },
    { "producer", 0, 0, G_OPTION_ARG_STRING, &producer, "Labelled producer (标称生产企业)",
      "TEXT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "[FILE]",
      "Mark tasks sampled. From FILE (CSV or JSON, Chinese or English headers: 抽样单编号/record, "
      "样品名称/sample_name, 批号/batch, 生产日期/production_date, 规格型号/specification, "
      "抽样数量/quantity, 抽样日期/sampling_date, 标称生产企业/producer), all or nothing with "
      "every "
      "problem listed; or one at a time with --record and the other options. A task is sampled "
      "once; unknown and cancelled tasks are refused.",
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if ((argc == 2) == (record != NULL) || argc > 2)
    return cli_usage_error ("samples record", "give either one FILE or --record NO with the "
                                              "sample's fields");
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  if (conn == NULL)
    return cli_report (error);
  const char *source = argc == 2 ? argv[1] : "command line";
  g_autoptr (CoreProblems) problems = core_problems_new (source);
  g_autoptr (IntakeTable) table = NULL;
  g_autoptr (GPtrArray) samples = NULL, rejected = NULL;
  if (argc == 2)
    {
      table = intake_table_read_file (argv[1], argv[1], INTAKE_FORMAT_AUTO, intake_sample_schema (),
                                      problems, &error);
      if (table == NULL)
        return cli_report (error);
      samples = intake_samples_from_table (table, problems);
      rejected = rejected_rows (table, samples);
    }
  else
    {
      samples = g_ptr_array_new_with_free_func ((GDestroyNotify)intake_sample_free);
      IntakeSample *s
          = intake_sample_new (record, name, batch, made, spec, quantity, taken, producer);
      if (intake_sample_check (s, problems))
        g_ptr_array_add (samples, s);
      else
        intake_sample_free (s);
    }
  const char *column = table ? intake_table_column (table, INTAKE_SAMPLE_RECORD) : "record";
  guint recorded = 0;
  if (!db_samples_record (conn, ctx->catalog->district, samples, rejected, problems, column,
                          cli_actor (), &recorded, &error))
    return cli_report (error);
  printf ("%s: %u task%s marked sampled\n", source, recorded, recorded == 1 ? "" : "s");
  return CLI_EXIT_OK;
}

static int
samples_show (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx
      = cli_option_context ("RECORD-NO", "Show the sample recorded for a task.", NULL);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("samples show", "give one record number");
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  g_autoptr (PGresult) res
      = conn ? db_samples_get (conn, ctx->catalog->district, argv[1], &error) : NULL;
  if (res == NULL)
    return cli_report (error);
  if (PQntuples (res) == 0)
    {
      g_printerr ("spotcheck: no sample is recorded for %s\n", argv[1]);
      return CLI_EXIT_USER;
    }
  cli_rows_print_record (stdout, res, 0);
  return CLI_EXIT_OK;
}

static const CliCommand samples_commands[] = {
  { "record", "mark tasks sampled, from a file or one at a time", samples_record },
  { "show", "the sample recorded for a task", samples_show },
  { NULL },
};

const CliGroup cli_group_samples
    = { "samples", "Sampling records: what was taken for each task.", samples_commands };
