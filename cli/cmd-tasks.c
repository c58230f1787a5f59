/* cmd-tasks.c: `spotcheck tasks generate|emergency|verify|list|export|rerun`:
 * the monthly double-random draw, emergency draws from the reserve, their
 * verification (一公开) and the task lists. Parses, calls service/svc-tasks.h,
 * prints what it returns. */
#include "cli/cli.h"

#include "service/svc-results.h"
#include "service/svc-tasks.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include "core/core-i18n.h"

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
      printf (_ ("every cell of the month is filled\n"));
      return;
    }
  printf (_ ("unfilled cells:\n"));
  for (guint i = 0; i < draw->shortfalls->len; i++)
    {
      const SchedDrawShortfall *s = g_ptr_array_index (draw->shortfalls, i);
      const CoreCategory *c = core_catalog_category (catalog, s->category);
      const char *reason = sched_shortfall_reason_name (s->reason);
      printf (_ ("  %s %-12s grade %c: %3u batch%s  %s (%s)\n"), s->category, c ? c->zh : "",
              s->grade, s->count, s->count == 1 ? "" : "es", reason, reason_text (reason));
    }
}

static void
print_digests (const DbDrawInfo *info, gboolean fresh)
{
  /* The labels stay as they are: they name the published draw's fields. */
  printf ("seed          %" G_GUINT64_FORMAT "%s\n", info->seed,
          fresh ? _ ("  (fresh random seed: publish it with the list)") : "");
  printf ("algorithm     %s\ninput sha256  %s\noutput sha256 %s\n", info->algorithm,
          info->input_digest, info->output_digest);
}

static gboolean
seed_option (const char *command, const char *text, guint64 *seed, int *code)
{
  if (text == NULL)
    {
      *seed = fresh_seed ();
      return TRUE;
    }
  if (parse_seed (text, seed))
    return TRUE;
  *code = cli_usage_error (command, _ ("--seed must be a whole number from 0 to %s"),
                           "18446744073709551615");
  return FALSE;
}

static int
tasks_generate (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *month_text = NULL, *seed_text = NULL;
  gboolean replace = FALSE;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month_text, N_ ("Month to draw"), "YYYY-MM" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_ ("Seed, 0 to 18446744073709551615 (default: a fresh random one, printed)"), "S" },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_ ("Draw a month again: the old draw stays on record as replaced, its tasks cancelled "
          "(refused once any is sampled)"),
      NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Draw a month's tasks (双随机) from the approved plan: businesses of each cell's grade "
         "and "
         "category spread over streets, two inspectors of the covering office, a lab with "
         "capacity. Seed, algorithm and input digest are stored so anyone can re-run it."),
      entries);
  int code = CLI_EXIT_OK, year = 0, month = 0;
  guint64 seed = 0;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_parse_month ("tasks generate", "--month", month_text, &year, &month, &code)
      || !seed_option ("tasks generate", seed_text, &seed, &code))
    return code;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  g_autoptr (DbDrawInfo) info = NULL;
  g_autoptr (SchedDraw) draw = NULL;
  if (!cli_service (ctx, &svc, &error)
      || !svc_tasks_draw (&svc, year, month, seed, replace, &info, &draw, &error))
    return cli_report (error);
  if (info->replaced)
    printf (_ ("draw %d of %d-%02d is kept on record as replaced; its tasks are cancelled\n"),
            info->replaced, year, month);
  printf (_ ("drew %d-%02d: %d tasks (draw %d, plan version %d), %d batches unfilled\n"), year,
          month, info->tasks, info->draw_no, info->plan_version, info->shortfall);
  print_digests (info, seed_text == NULL);
  print_shortfalls (ctx->catalog, draw);
  printf (_ ("check it with `spotcheck tasks verify --month %d-%02d`; print it with `spotcheck "
             "tasks list --month %d-%02d`\n"),
          year, month, year, month);
  return CLI_EXIT_OK;
}

static int
tasks_emergency (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *month_text = NULL, *seed_text = NULL, *category = NULL, *reason = NULL,
                  *street = NULL, *over = NULL;
  g_auto (GStrv) businesses = NULL;
  int count = 0;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month_text, N_ ("Month the tasks belong to"),
      "YYYY-MM" },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category, N_ ("Food category code (required)"),
      "CC" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count,
      N_ ("Tasks to draw (required unless --business names them)"), "N" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_ ("Why, recorded with the draw (required)"),
      "TEXT" },
    { "street", 0, 0, G_OPTION_ARG_STRING, &street, N_ ("Only businesses of this street"), "CODE" },
    { "business", 0, 0, G_OPTION_ARG_STRING_ARRAY, &businesses,
      N_ ("Sample this business (credit code); repeat for several"), "USCC" },
    { "over-reserve", 0, 0, G_OPTION_ARG_STRING, &over,
      N_ ("Draw even beyond what is left of the reserve, for this reason (recorded)"), "TEXT" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_ ("Seed (default: a fresh random one, printed)"), "S" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Emergency sampling (应急抽检) from the plan's reserve: N tasks of one category at once, "
         "drawn at random among the district's (or a street's) businesses handling it, or for the "
         "named businesses, with inspectors and a lab as in the monthly draw. Recorded and "
         "reproducible like a draw."),
      entries);
  int code = CLI_EXIT_OK, year = 0, month = 0;
  guint64 seed = 0;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_parse_month ("tasks emergency", "--month", month_text, &year, &month, &code)
      || !seed_option ("tasks emergency", seed_text, &seed, &code))
    return code;
  if (category == NULL || reason == NULL || (count <= 0 && businesses == NULL))
    return cli_usage_error ("tasks emergency",
                            _ ("--category, --reason and --count N (or --business) are required"));
  SvcEmergencyRequest req = {
    .year = year,
    .month = month,
    .category = category,
    .count = count > 0 ? (guint)count : 0,
    .reason = reason,
    .street = street,
    .businesses = (const char *const *)businesses,
    .over_reserve = over,
    .seed = seed,
  };
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  g_autoptr (DbDrawInfo) info = NULL;
  g_autoptr (SchedDraw) draw = NULL;
  gint64 reserve = 0, used = 0;
  if (!cli_service (ctx, &svc, &error) || !svc_tasks_emergency (&svc, &req, &info, &draw, &error)
      || !svc_tasks_reserve (&svc, year, &reserve, &used, &error))
    return cli_report (error);
  const CoreCategory *c = core_catalog_category (ctx->catalog, category);
  printf (_ ("drew %d emergency task%s of category %s %s for %d-%02d (draw %d)\n"), info->tasks,
          info->tasks == 1 ? "" : "s", category, c ? c->zh : "", year, month, info->draw_no);
  for (guint i = 0; i < draw->tasks->len; i++)
    {
      const SchedDrawTask *t = g_ptr_array_index (draw->tasks, i);
      printf (_ ("  %s  %s  grade %c  office %s  %s/%s  lab %s\n"), t->record, t->business,
              t->grade, t->office, t->inspectors[0], t->inspectors[1], t->lab);
    }
  printf (_ ("emergency reserve %d: %lld of %lld used, %lld left%s\n"), year, (long long)used,
          (long long)reserve, (long long)MAX (reserve - used, 0),
          info->over_reserve_reason ? _ (" (this draw went beyond it; the reason is recorded)")
                                    : "");
  print_digests (info, seed_text == NULL);
  printf (_ ("check it with `spotcheck tasks verify --month %d-%02d --draw %d`\n"), year, month,
          info->draw_no);
  return CLI_EXIT_OK;
}

static void
print_verified (const DbDrawInfo *info)
{
  const char *kind
      = info->kind == DB_DRAW_EMERGENCY ? C_ ("draw", "emergency") : C_ ("draw", "monthly");
  /* The draw's status: current, or replaced by a rerun. */
  const char *status = g_strcmp0 (info->status, "current") == 0    ? C_ ("draw", "current")
                       : g_strcmp0 (info->status, "replaced") == 0 ? C_ ("draw", "replaced")
                                                                   : info->status;
  /* TRANSLATORS: the first %s is "emergency" or "monthly", the one in
   * parentheses the draw's status (current, replaced). */
  printf (_ ("%s draw %d of %d-%02d (%s) verified: re-running %s with seed %llu on the stored "
             "input (sha256 %s) reproduces its %d tasks and %d unfilled batches byte for byte "
             "(output sha256 %s)\n"),
          kind, info->draw_no, info->year, info->month, status, info->algorithm,
          (unsigned long long)info->seed, info->input_digest, info->tasks, info->shortfall,
          info->output_digest);
}

static int
tasks_verify (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *month_text = NULL;
  g_autofree char *draw_text = NULL;
  int draw_no = 0;
  gboolean emergency = FALSE;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month_text, N_ ("Month"), "YYYY-MM" },
    { "draw", 0, 0, G_OPTION_ARG_STRING, &draw_text,
      N_ ("Draw number, monthly or emergency (default: the current monthly draw)"), "N" },
    { "emergency", 0, 0, G_OPTION_ARG_NONE, &emergency,
      N_ ("Verify every emergency draw of the month"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Re-run a stored draw from its stored input text and seed and confirm, byte for byte, "
         "that the input digest, the output digest and the stored tasks all match; then check "
         "that no business of the year was drawn again while others of its pool were not."),
      entries);
  int code = CLI_EXIT_OK, year = 0, month = 0;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_parse_month ("tasks verify", "--month", month_text, &year, &month, &code)
      || !cli_parse_number ("tasks verify", "--draw", draw_text, 1, G_MAXINT, &draw_no, &code))
    return code;
  if (emergency && draw_no > 0)
    return cli_usage_error ("tasks verify", _ ("give --draw N or --emergency, not both"));
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  g_autoptr (GPtrArray) numbers = g_ptr_array_new ();
  if (emergency)
    {
      g_autoptr (GPtrArray) draws = svc_tasks_draws (&svc, year, month, &error);
      if (draws == NULL)
        return cli_report (error);
      for (guint i = 0; i < draws->len; i++)
        {
          const DbDrawInfo *d = g_ptr_array_index (draws, i);
          if (d->kind == DB_DRAW_EMERGENCY)
            g_ptr_array_add (numbers, GINT_TO_POINTER (d->draw_no));
        }
      if (numbers->len == 0)
        {
          printf (_ ("%d-%02d has no emergency draw\n"), year, month);
          return CLI_EXIT_OK;
        }
    }
  else
    g_ptr_array_add (numbers, GINT_TO_POINTER (draw_no));
  for (guint i = 0; i < numbers->len; i++)
    {
      g_autoptr (DbDrawInfo) info = NULL;
      if (!svc_tasks_verify (&svc, year, month, GPOINTER_TO_INT (numbers->pdata[i]), &info, &error))
        return cli_report (error);
      print_verified (info);
    }
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
  g_autofree char *month_text = NULL, *dir = NULL, *draw_text = NULL;
  int draw_no = 0;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month_text, N_ ("Month"), "YYYY-MM" },
    { "draw", 0, 0, G_OPTION_ARG_STRING, &draw_text,
      N_ ("Draw number, monthly or emergency (default: the current monthly draw)"), "N" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &dir, N_ ("Directory to write into (required)"), "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Write what is published with a draw so anyone can check it: input.txt (the canonical "
         "input), seed.txt, and draw.txt (the canonical list); `spotcheck tasks rerun` re-runs it "
         "without a database."),
      entries);
  int code = CLI_EXIT_OK, year = 0, month = 0;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_parse_month ("tasks export", "--month", month_text, &year, &month, &code)
      || !cli_parse_number ("tasks export", "--draw", draw_text, 1, G_MAXINT, &draw_no, &code))
    return code;
  if (dir == NULL)
    return cli_usage_error ("tasks export", _ ("--out DIR is required"));
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  g_autoptr (DbDrawInfo) info = NULL;
  g_autofree char *input = NULL, *output = NULL;
  if (!cli_service (ctx, &svc, &error)
      || !svc_tasks_export (&svc, year, month, draw_no, &info, &input, &output, &error))
    return cli_report (error);
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT "\n", info->seed);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (&error, CLI_ERROR, CLI_ERROR_SYSTEM, _ ("cannot create %s: %s"), dir,
                   g_strerror (errno));
      return cli_report (error);
    }
  if (!write_text (dir, "input.txt", input, &error) || !write_text (dir, "seed.txt", seed, &error)
      || !write_text (dir, "draw.txt", output, &error))
    return cli_report (error);
  printf (_ ("wrote input.txt (sha256 %s), seed.txt (%llu) and draw.txt (sha256 %s) to %s\n"),
          info->input_digest, (unsigned long long)info->seed, info->output_digest, dir);
  return CLI_EXIT_OK;
}

static int
tasks_rerun (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *input_path = NULL, *seed_text = NULL;
  const GOptionEntry entries[] = {
    { "input", 0, 0, G_OPTION_ARG_FILENAME, &input_path, N_ ("Published input text"), "FILE" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, N_ ("Published seed"), "S" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Re-run a published draw from its input text and seed, without any database: prints the "
         "canonical list on stdout and its SHA-256 on stderr, to compare with the published one."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  guint64 seed = 0;
  if (input_path == NULL || seed_text == NULL || !parse_seed (seed_text, &seed))
    return cli_usage_error ("tasks rerun", _ ("--input FILE and --seed S are required"));
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL, *digest = NULL, *out_digest = NULL;
  gsize len = 0;
  if (!svc_read_input (input_path, &text, &len, &error))
    {
      g_prefix_error (&error, _ ("--input: "));
      return cli_report (error);
    }
  /* The calendar matters only for due dates in working days. */
  const CoreCalendar *calendar = cli_calendar (ctx, &error);
  g_autofree char *out
      = calendar ? svc_tasks_rerun (text, seed, calendar, &digest, &out_digest, &error) : NULL;
  if (out == NULL)
    return cli_report (error);
  fputs (out, stdout);
  g_printerr ("input sha256  %s\noutput sha256 %s\n", digest, out_digest);
  return CLI_EXIT_OK;
}

static int
tasks_list (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *month_text = NULL, *office = NULL, *format_text = NULL, *out_path = NULL;
  const GOptionEntry entries[] = {
    { "month", 0, 0, G_OPTION_ARG_STRING, &month_text, N_ ("Month"), "YYYY-MM" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, N_ ("Only this office (code)"), "CODE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text, N_ ("text (default), csv, json or xlsx"),
      "FORMAT" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, N_ ("Write to FILE (required for xlsx)"),
      "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("The month's task list per office, monthly and emergency tasks: business, address, "
         "category, grade, inspectors, lab, record number and due date. XLSX has one sheet per "
         "office with Chinese headers."),
      entries);
  int code = CLI_EXIT_OK, year = 0, month = 0;
  ReportFormat format = REPORT_FORMAT_TEXT;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_parse_month ("tasks list", "--month", month_text, &year, &month, &code)
      || !cli_format_option ("tasks list", format_text, CLI_FORMATS_ALL, &format, &code))
    return code;
  if (format == REPORT_FORMAT_XLSX && out_path == NULL)
    return cli_usage_error ("tasks list", _ ("--format xlsx needs --out FILE.xlsx"));
  gboolean machine = format == REPORT_FORMAT_CSV || format == REPORT_FORMAT_JSON;
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  g_autoptr (CoreDocument) doc = NULL;
  if (!cli_service (ctx, &svc, &error)
      || (doc = svc_tasks_list (&svc, year, month, office,
                                machine ? SVC_TASKS_ONE_TABLE : SVC_TASKS_PER_OFFICE, &error))
             == NULL)
    return cli_report (error);
  code = cli_write_document_in (format, out_path, format == REPORT_FORMAT_XLSX ? "zh" : NULL, doc);
  if (code == CLI_EXIT_OK && format == REPORT_FORMAT_XLSX && strcmp (out_path, "-") != 0)
    {
      guint n = 0;
      for (guint i = 0; i < doc->tables->len; i++)
        n += core_table_n_rows (g_ptr_array_index (doc->tables, i));
      printf (_ ("wrote %u tasks to %s\n"), n, out_path);
    }
  return code;
}

static const CliCommand tasks_commands[] = {
  { "generate", N_ ("draw a month's tasks from the approved plan"), tasks_generate },
  { "emergency", N_ ("draw emergency tasks (应急抽检) from the plan's reserve"), tasks_emergency },
  { "verify", N_ ("re-run a stored draw and check it reproduces byte for byte"), tasks_verify },
  { "list", N_ ("the month's task list per office (text, csv, json or xlsx)"), tasks_list },
  { "export", N_ ("write a draw's published input, seed and list"), tasks_export },
  { "rerun", N_ ("re-run a published draw from its files, without a database"), tasks_rerun },
  { NULL },
};

const CliGroup cli_group_tasks
    = { "tasks", N_ ("Task lists: the reproducible monthly draw (双随机) and emergency draws."),
        tasks_commands };
