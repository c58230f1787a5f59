/* cmd-tasks.c: `spotcheck tasks generate|verify|list|export|rerun`: the
 * monthly double-random draw, its verification (一公开) and the task lists. */
#include "cli/cli-rows.h"
#include "cli/cli-tasks-xlsx.h"
#include "cli/cli.h"

#include "db/db-tasks.h"
#include "scheduler/sched-draw-parse.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* A fresh seed from the kernel's generator, so nobody can choose it. */
static guint64
fresh_seed (void)
{
  guint64 seed = 0;
  if (getrandom (&seed, sizeof seed, 0) != (ssize_t)sizeof seed)
    seed = ((guint64)g_random_int () << 32) | g_random_int ();
  return seed;
}

static gboolean
parse_seed (const char *text, guint64 *seed)
{
  return g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, seed, NULL);
}

static const char *
reason_text (const char *reason)
{
  static const struct
  {
    const char *name, *text;
  } texts[] = {
    { "empty-pool", "no active business of this grade handles the category" },
    { "pool-too-small", "fewer such businesses than the quota" },
    { "no-inspectors", "their offices lack two inspectors free of conflicts" },
    { "no-lab", "no active lab is accredited for the category" },
    { "lab-capacity", "the accredited labs are full this month" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    if (strcmp (reason, texts[i].name) == 0)
      return texts[i].text;
  return reason;
}

static void
print_shortfalls (const CoreCatalog *catalog, const SchedDraw *draw)
{
  if (draw->shortfalls->len == 0)
    {
      printf ("every cell of the month is filled\n");
      return;
    }
  printf ("unfilled cells:\n");
  for (guint i = 0; i < draw->shortfalls->len; i++)
    {
      const SchedDrawShortfall *s = g_ptr_array_index (draw->shortfalls, i);
      const CoreCategory *c = core_catalog_category (catalog, s->category);
      const char *reason = sched_shortfall_reason_name (s->reason);
      printf ("  %s %-12s grade %c: %3u batch%s  %s (%s)\n", s->category, c ? c->zh : "", s->grade,
              s->count, s->count == 1 ? "" : "es", reason, reason_text (reason));
    }
}

static gboolean
draw_context (CliContext *ctx, DbDrawContext *dc, GError **error)
{
  if (cli_catalog (ctx, error) == NULL || cli_calendar (ctx, error) == NULL)
    return FALSE;
  dc->catalog = ctx->catalog;
  dc->config = ctx->config;
  dc->calendar = ctx->calendar;
  g_date_clear (&dc->draw_date, 1);
  g_date_set_time_t (&dc->draw_date, time (NULL));
  dc->actor = cli_actor ();
  return TRUE;
}

static int
tasks_generate (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *month_text = NULL, *seed_text = NULL;
  gboolean replace = FALSE;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month_text, "Month to draw", "YYYY-MM" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      "Seed, 0 to 18446744073709551615 (default: a fresh random one, printed)", "S" },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      "Draw a month again: the old draw stays on record as replaced, its tasks cancelled "
      "(refused once any is sampled)",
      NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      "Draw a month's tasks (双随机) from the approved plan: businesses of each cell's grade and "
      "category spread over streets, two inspectors of the covering office, a lab with "
      "capacity. Seed, algorithm and input digest are stored so anyone can re-run it.",
      entries);
  int code = CLI_EXIT_OK, year = 0, month = 0;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_parse_month ("tasks generate", "--month", month_text, &year, &month, &code))
    return code;
  guint64 seed = 0;
  if (seed_text != NULL && !parse_seed (seed_text, &seed))
    return cli_usage_error ("tasks generate", "--seed must be a whole number from 0 to %s",
                            "18446744073709551615");
  if (seed_text == NULL)
    seed = fresh_seed ();
  g_autoptr (GError) error = NULL;
  DbDrawContext dc;
  PGconn *conn = cli_db (ctx, &error);
  if (conn == NULL || !draw_context (ctx, &dc, &error))
    return cli_report (error);
  g_autoptr (DbDrawInfo) info = NULL;
  g_autoptr (SchedDraw) draw = NULL;
  if (!db_tasks_generate (conn, &dc, year, month, seed, replace, &info, &draw, &error))
    return cli_report (error);
  if (info->replaced)
    printf ("draw %d of %d-%02d is kept on record as replaced; its tasks are cancelled\n",
            info->replaced, year, month);
  printf ("drew %d-%02d: %d tasks (draw %d, plan version %d), %d batches unfilled\n", year, month,
          info->tasks, info->draw_no, info->plan_version, info->shortfall);
  printf ("seed          %" G_GUINT64_FORMAT "%s\n", info->seed,
          seed_text ? "" : "  (fresh random seed: publish it with the list)");
  printf ("algorithm     %s\ninput sha256  %s\noutput sha256 %s\n", info->algorithm,
          info->input_digest, info->output_digest);
  print_shortfalls (ctx->catalog, draw);
  printf ("check it with `spotcheck tasks verify --month %d-%02d`; print it with `spotcheck "
          "tasks list --month %d-%02d`\n",
          year, month, year, month);
  return CLI_EXIT_OK;
}

static int
tasks_verify (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *month_text = NULL;
  int draw_no = 0;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month_text, "Month", "YYYY-MM" },
    { "draw", 0, 0, G_OPTION_ARG_INT, &draw_no, "Draw number (default: the current one)", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      "Re-run a stored draw from its stored input text and seed and confirm, byte for byte, "
      "that the input digest, the output digest and the stored tasks all match.",
      entries);
  int code = CLI_EXIT_OK, year = 0, month = 0;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_parse_month ("tasks verify", "--month", month_text, &year, &month, &code))
    return code;
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  const CoreCalendar *calendar = conn ? cli_calendar (ctx, &error) : NULL;
  g_autoptr (DbDrawInfo) info = NULL;
  if (calendar == NULL
      || !db_tasks_verify (conn, ctx->catalog->district, calendar, year, month, draw_no, &info,
                           &error))
    return cli_report (error);
  printf ("draw %d of %d-%02d (%s) verified: re-running %s with seed %" G_GUINT64_FORMAT
          " on the stored input (sha256 %s) reproduces its %d tasks and %d unfilled batches "
          "byte for byte (output sha256 %s)\n",
          info->draw_no, year, month, info->status, info->algorithm, info->seed, info->input_digest,
          info->tasks, info->shortfall, info->output_digest);
  return CLI_EXIT_OK;
}

static gboolean
write_text (const char *dir, const char *name, const char *text, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return g_file_set_contents (path, text, -1, error);
}

static int
tasks_export (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *month_text = NULL, *dir = NULL;
  int draw_no = 0;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month_text, "Month", "YYYY-MM" },
    { "draw", 0, 0, G_OPTION_ARG_INT, &draw_no, "Draw number (default: the current one)", "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Directory to write into (required)", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      "Write what is published with a draw so anyone can check it: input.txt (the canonical "
      "input), seed.txt, and draw.txt (the canonical list); `spotcheck tasks rerun` re-runs it "
      "without a database.",
      entries);
  int code = CLI_EXIT_OK, year = 0, month = 0;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_parse_month ("tasks export", "--month", month_text, &year, &month, &code))
    return code;
  if (dir == NULL)
    return cli_usage_error ("tasks export", "--out DIR is required");
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  if (conn == NULL)
    return cli_report (error);
  g_autoptr (DbDrawInfo) info
      = db_tasks_draw_get (conn, ctx->catalog->district, year, month, draw_no, &error);
  if (info == NULL)
    return cli_report (error);
  g_autofree char *y = g_strdup_printf ("%d", year), *m = g_strdup_printf ("%d", month),
                  *no = g_strdup_printf ("%d", info->draw_no);
  g_autofree char *input = db_scalar (conn,
                                      "SELECT input_text FROM draw WHERE district = $1 AND year "
                                      "= $2 AND month = $3 AND draw_no = $4",
                                      DB_ARGS (ctx->catalog->district, y, m, no), &error);
  g_autofree char *output
      = input ? db_tasks_draw_text (conn, ctx->catalog->district, info, &error) : NULL;
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT "\n", info->seed);
  if (output == NULL)
    return cli_report (error);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (&error, CLI_ERROR, CLI_ERROR_SYSTEM, "cannot create %s: %s", dir,
                   g_strerror (errno));
      return cli_report (error);
    }
  if (!write_text (dir, "input.txt", input, &error) || !write_text (dir, "seed.txt", seed, &error)
      || !write_text (dir, "draw.txt", output, &error))
    return cli_report (error);
  printf ("wrote input.txt (sha256 %s), seed.txt (%" G_GUINT64_FORMAT
          ") and draw.txt (sha256 %s) to %s\n",
          info->input_digest, info->seed, info->output_digest, dir);
  return CLI_EXIT_OK;
}

static int
tasks_rerun (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *input_path = NULL, *seed_text = NULL;
  const GOptionEntry entries[] = {
    { "input", 0, 0, G_OPTION_ARG_FILENAME, &input_path, "Published input text", "FILE" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, "Published seed", "S" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      "Re-run a published draw from its input text and seed, without any database: prints the "
      "canonical list on stdout and its SHA-256 on stderr, to compare with the published one.",
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  guint64 seed = 0;
  if (input_path == NULL || seed_text == NULL || !parse_seed (seed_text, &seed))
    return cli_usage_error ("tasks rerun", "--input FILE and --seed S are required");
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  if (!g_file_get_contents (input_path, &text, NULL, &error))
    return cli_report (error);
  /* The calendar matters only for due dates in working days. */
  const CoreCalendar *calendar = cli_calendar (ctx, &error);
  if (calendar == NULL)
    return cli_report (error);
  g_autoptr (SchedDrawInput) in = sched_draw_input_parse (text, seed, calendar, &error);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  g_autoptr (SchedDraw) draw = in ? sched_draw_run (in, &error) : NULL;
  if (draw == NULL)
    return cli_report (error);
  g_autofree char *out = sched_draw_serialize (draw);
  g_autofree char *out_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, out, -1);
  fputs (out, stdout);
  g_printerr ("input sha256  %s\noutput sha256 %s\n", digest, out_digest);
  return CLI_EXIT_OK;
}

static const char *const list_headers[]
    = { "office", "office_name", "record_no",     "business", "uscc",       "address",
        "street", "category",    "category_name", "grade",    "inspector1", "inspector2",
        "lab",    "lab_name",    "due_date",      "status" };

static void
print_list_text (FILE *out, const PGresult *res, int year, int month)
{
  const char *office = NULL;
  for (int r = 0; r < PQntuples (res); r++)
    {
      if (office == NULL || strcmp (office, PQgetvalue (res, r, 0)) != 0)
        {
          office = PQgetvalue (res, r, 0);
          int n = 0;
          for (int k = r; k < PQntuples (res) && strcmp (PQgetvalue (res, k, 0), office) == 0; k++)
            n++;
          fprintf (out, "%s== %s (%s) %d-%02d: %d task%s\n", r ? "\n" : "", PQgetvalue (res, r, 1),
                   office, year, month, n, n == 1 ? "" : "s");
        }
      fprintf (out, "%s  %s  %s  %s %s %s  %s/%s  %s  due %s\n", PQgetvalue (res, r, 2),
               PQgetvalue (res, r, 3), PQgetvalue (res, r, 5), PQgetvalue (res, r, 7),
               PQgetvalue (res, r, 8), PQgetvalue (res, r, 9), PQgetvalue (res, r, 10),
               PQgetvalue (res, r, 11), PQgetvalue (res, r, 13), PQgetvalue (res, r, 14));
    }
  if (PQntuples (res) == 0)
    fprintf (out, "no tasks\n");
}

static int
tasks_list (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *month_text = NULL, *office = NULL, *format = NULL, *out_path = NULL;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month_text, "Month", "YYYY-MM" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, "Only this office (code)", "CODE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "text (default), csv, json or xlsx", "FORMAT" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, "Write to FILE (required for xlsx)", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      "The month's task list per office: business, address, category, grade, inspectors, lab, "
      "record number and due date. XLSX has one sheet per office with Chinese headers.",
      entries);
  int code = CLI_EXIT_OK, year = 0, month = 0;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_parse_month ("tasks list", "--month", month_text, &year, &month, &code))
    return code;
  gboolean xlsx = format != NULL && strcmp (format, "xlsx") == 0;
  CliRowsFormat fmt = CLI_ROWS_TEXT;
  if (!xlsx && !cli_rows_format_parse (format, &fmt))
    return cli_usage_error ("tasks list", "--format must be text, csv, json or xlsx");
  if (xlsx && out_path == NULL)
    return cli_usage_error ("tasks list", "--format xlsx needs --out FILE.xlsx");
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  if (conn == NULL)
    return cli_report (error);
  gboolean known = office == NULL;
  for (guint i = 0; !known && i < ctx->catalog->offices->len; i++)
    known
        = strcmp (((CoreOffice *)g_ptr_array_index (ctx->catalog->offices, i))->code, office) == 0;
  if (!known)
    return cli_usage_error ("tasks list", "no office '%s' in district %s", office,
                            ctx->catalog->district);
  g_autoptr (DbDrawInfo) info
      = db_tasks_draw_get (conn, ctx->catalog->district, year, month, 0, &error);
  g_autoptr (PGresult) res
      = info ? db_tasks_list (conn, ctx->catalog->district, year, month, office, &error) : NULL;
  if (res == NULL)
    return cli_report (error);
  if (xlsx)
    {
      if (!cli_tasks_write_xlsx (out_path, ctx->catalog, office, res, year, month, &error))
        return cli_report (error);
      printf ("wrote %d tasks to %s\n", PQntuples (res), out_path);
      return CLI_EXIT_OK;
    }
  FILE *out = out_path ? fopen (out_path, "w") : stdout;
  if (out == NULL)
    {
      g_set_error (&error, CLI_ERROR, CLI_ERROR_SYSTEM, "cannot write %s: %s", out_path,
                   g_strerror (errno));
      return cli_report (error);
    }
  if (fmt == CLI_ROWS_TEXT)
    print_list_text (out, res, year, month);
  else
    cli_rows_print (out, res, fmt, list_headers);
  if (out != stdout && fclose (out) != 0)
    {
      g_set_error (&error, CLI_ERROR, CLI_ERROR_SYSTEM, "cannot write %s", out_path);
      return cli_report (error);
    }
  return CLI_EXIT_OK;
}

static const CliCommand tasks_commands[] = {
  { "generate", "draw a month's tasks from the approved plan", tasks_generate },
  { "verify", "re-run a stored draw and check it reproduces byte for byte", tasks_verify },
  { "list", "the month's task list per office (text, csv, json or xlsx)", tasks_list },
  { "export", "write a draw's published input, seed and list", tasks_export },
  { "rerun", "re-run a published draw from its files, without a database", tasks_rerun },
  { NULL },
};

const CliGroup cli_group_tasks
    = { "tasks", "Monthly task lists: the reproducible double-random draw.", tasks_commands };
