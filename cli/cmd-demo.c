/* cmd-demo.c: `spotcheck demo`: the district's whole sampling year, end to
 * end, through the services real use goes through (cmd-demo.h says which
 * file does what): it resets the database it is pointed at (asking first on
 * a terminal), plays the year month by month on a simulated today, writes
 * every report and prints what the year came to. With --serve it then
 * serves the HTTP API with a token per role. */
#include "cli/cmd-demo.h"

#include "db/db-demo.h"
#include "service/svc-cases.h"
#include "service/svc-progress.h"
#include "service/svc-users.h"

#include "core/core-i18n.h"
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

GDate
demo_date (int year, int month, int day)
{
  GDate d;
  g_date_clear (&d, 1);
  int last = g_date_get_days_in_month ((GDateMonth)month, (GDateYear)year);
  g_date_set_dmy (&d, (GDateDay)MIN (day, last), (GDateMonth)month, (GDateYear)year);
  return d;
}

char *
demo_date_text (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

void
demo_say (DemoRun *run, const char *fmt, ...)
{
  if (run->bar != NULL)
    cli_progress_done (run->bar);
  va_list ap;
  va_start (ap, fmt);
  vprintf (fmt, ap);
  va_end (ap);
  fflush (stdout);
}

char *
demo_write (DemoRun *run, const char *name, const GString *text, GError **error)
{
  char *path = g_build_filename (run->work, name, NULL);
  if (!g_file_set_contents (path, text->str, (gssize)text->len, error))
    g_clear_pointer (&path, g_free);
  return path;
}

static gboolean
on_terminal (void)
{
  return isatty (STDIN_FILENO) && isatty (STDERR_FILENO);
}

static gboolean
confirmed (const char *question)
{
  fprintf (stderr, _ ("%s [y/N] "), question);
  fflush (stderr);
  char answer[16] = "";
  return fgets (answer, sizeof answer, stdin) != NULL && (answer[0] == 'y' || answer[0] == 'Y');
}

/* Resets the database when it holds anything, as the rules of `demo --help`
 * say; exit code, or -1 to go on. */
static int
prepare (DemoRun *run, gboolean yes)
{
  g_autoptr (GError) error = NULL;
  DemoDbState state;
  g_autofree char *what = NULL;
  if (!demo_db_state (run, &state, &what, &error))
    return cli_report (error);
  if (state != DEMO_DB_EMPTY)
    {
      if (run->ctx->cluster == NULL)
        {
          g_printerr (_ ("spotcheck demo: the database from %s is not empty (%s); the demo resets "
                         "only the embedded cluster: point it at an empty database (createdb) or "
                         "run it without --db and SPOTCHECK_DB; nothing was changed\n"),
                      run->ctx->conninfo_source, what);
          return CLI_EXIT_USER;
        }
      const char *dir = db_cluster_data_dir (run->ctx->cluster);
      if (on_terminal () && !yes)
        {
          g_autofree char *q = g_strdup_printf (
              _ ("spotcheck demo: reset the embedded database in %s? It holds %s%s"), dir,
              state == DEMO_DB_DEMO ? _ ("a previous demo: ") : "", what);
          if (!confirmed (q))
            {
              g_printerr (_ ("spotcheck demo: nothing was changed\n"));
              return CLI_EXIT_USER;
            }
        }
      else if (state == DEMO_DB_OTHER && !yes)
        {
          g_printerr (_ ("spotcheck demo: the embedded database in %s holds data that is not a "
                         "demo's (%s); the demo would reset it: back it up (`spotcheck db backup "
                         "FILE`) and pass --yes, or use another cluster with --data-dir DIR; "
                         "nothing was changed\n"),
                      dir, what);
          return CLI_EXIT_USER;
        }
      if (!demo_reset (run, &error))
        return cli_report (error);
      printf (_ ("database reset: %s\n"), dir);
    }
  g_autofree char *detail
      = g_strdup_printf ("{\"year\": %d, \"months\": %d, \"seed\": %" G_GUINT64_FORMAT "}",
                         run->year, run->months, run->seed);
  if (!db_demo_mark (run->svc.conn, svc_district (&run->svc), run->svc.actor, detail, &error)
      || !db_demo_fast_commits (run->svc.conn, &error))
    return cli_report (error);
  return -1;
}

static gboolean
write_reports (DemoRun *run, GError **error)
{
  static const char *const kinds[]
      = { "progress", "nonconformity", "cases", "disclosure", "business" };
  static const char *const formats[] = { "html", "xlsx", "csv" };
  g_autofree char *year = g_strdup_printf ("%d", run->year);
  g_autofree char *date = demo_date_text (&run->svc.today);
  for (gsize k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (gsize f = 0; f < G_N_ELEMENTS (formats); f++)
      {
        core_progress_update (run->progress, _ ("reports"), k * G_N_ELEMENTS (formats) + f,
                              G_N_ELEMENTS (kinds) * G_N_ELEMENTS (formats));
        g_autofree char *name = g_strdup_printf ("%s-%d.%s", kinds[k], run->year, formats[f]);
        g_autofree char *path = g_build_filename (run->out, name, NULL);
        const char *args[] = { "report",   kinds[k],   "--year", year, "--date", date,
                               "--format", formats[f], "--out",  path, NULL };
        if (cli_run (run->ctx, args) != 0)
          {
            g_set_error (error, CLI_ERROR, CLI_ERROR_SYSTEM,
                         _ ("the %s report could not be written"), kinds[k]);
            return FALSE;
          }
      }
  core_progress_update (run->progress, _ ("reports"), G_N_ELEMENTS (kinds) * G_N_ELEMENTS (formats),
                        G_N_ELEMENTS (kinds) * G_N_ELEMENTS (formats));
  return TRUE;
}

static gboolean
print_summary (DemoRun *run, double seconds, GError **error)
{
  g_autoptr (CoreTable) months = svc_progress_by_month (&run->svc, run->year, error);
  SvcCasesFilter every = { .due_within = -1 }, late = { .due_within = -1, .overdue = TRUE };
  g_autoptr (CoreTable) cases = months ? svc_cases_list_where (&run->svc, &every, error) : NULL;
  g_autoptr (CoreTable) overdue = cases ? svc_cases_list_where (&run->svc, &late, error) : NULL;
  if (overdue == NULL)
    return FALSE;
  static const char *const keys[] = { "planned", "drawn", "sampled", "reported", "nonconforming" };
  static const char *const labels[]
      = { N_ ("planned"), N_ ("drawn"), N_ ("sampled"), N_ ("reported"), N_ ("nonconforming") };
  gint64 sums[G_N_ELEMENTS (keys)] = { 0 };
  for (guint r = 0; r < core_table_n_rows (months) && r < (guint)run->months; r++)
    for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
      sums[k] += g_ascii_strtoll (core_table_get_by_key (months, r, keys[k]), NULL, 10);
  guint open = 0, closed = 0;
  for (guint r = 0; r < core_table_n_rows (cases); r++)
    *(strcmp (core_table_get_by_key (cases, r, "state"), "closed") == 0 ? &closed : &open) += 1;
  g_autofree char *today = demo_date_text (&run->svc.today);
  printf (_ ("\n== %d, months 1 to %d, simulated to %s (%.0f s)\n"), run->year, run->months, today,
          seconds);
  for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      g_autofree char *label = cli_padded (_ (labels[k]), 14);
      printf ("  %s %6lld\n", label, (long long)sums[k]);
    }
  g_autofree char *rate = cli_padded (_ ("rate"), 14);
  printf ("  %s %6.2f %%\n", rate, sums[3] ? 100.0 * (double)sums[4] / (double)sums[3] : 0.0);
  const char *case_labels[] = { _ ("cases open"), _ ("cases closed"), _ ("cases overdue") };
  const guint case_counts[] = { open, closed, core_table_n_rows (overdue) };
  for (gsize k = 0; k < G_N_ELEMENTS (case_labels); k++)
    {
      g_autofree char *label = cli_padded (case_labels[k], 14);
      printf ("  %s %6u\n", label, case_counts[k]);
    }
  printf (_ ("  %u case steps taken; %u emergency tasks; %u city referrals; %u file rejected and "
             "sent again; %u report amended; %u case extended; %s\n"),
          run->steps, run->emergency_tasks, run->referrals, run->rejected_files,
          run->amended_reports, run->extended,
          run->rebalanced ? _ ("plan rebalanced from July")
                          : _ ("plan not rebalanced (shortened year)"));
  printf (_ ("reports (HTML, XLSX, CSV): %s\nfiles the users sent: %s\n"), run->out, run->work);
  return TRUE;
}

/* A user and token per role, then the server `spotcheck serve` runs. */
static int
serve (DemoRun *run, const char *listen)
{
  g_autoptr (GError) error = NULL;
  SvcContext admin = run->svc;
  admin.role = SVC_ROLE_ADMIN;
  const SchedDemoLab *lab = g_ptr_array_index (run->district->labs, 0);
  const CoreOffice *office = g_ptr_array_index (run->svc.catalog->offices, 0);
  const SvcUserRequest users[] = {
    { .name = "demo-admin", .role = SVC_ROLE_ADMIN },
    { .name = "demo-coordinator", .role = SVC_ROLE_COORDINATOR },
    { .name = "demo-inspector", .role = SVC_ROLE_INSPECTOR, .office = office->code },
    { .name = "demo-lab", .role = SVC_ROLE_LAB, .lab = lab->code },
  };
  printf (_ ("\ntokens for the API (shown once):\n"));
  for (gsize i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *token = NULL;
      if (!svc_users_add (&admin, &users[i], &token, &error))
        return cli_report (error);
      printf ("  %-12s %s  %s\n", svc_role_name (users[i].role), token,
              users[i].office ? users[i].office
              : users[i].lab  ? users[i].lab
                              : "");
    }
  const char *at = listen ? listen : "ADDRESS";
  printf (_ ("try: curl -H \"Authorization: Bearer TOKEN\" http://%s/api/v1/tasks?month=%d-01\n"
             "     curl -H \"Authorization: Bearer TOKEN\" -o progress.html "
             "\"http://%s/api/v1/reports/progress?year=%d&format=html\"\n"
             "(the API of openapi.yaml; the server runs until interrupted)\n"),
          at, run->year, at, run->year);
  fflush (stdout);
  g_autofree char *date = demo_date_text (&run->svc.today);
  const char *args[] = { "serve", "--date", date, listen ? "--listen" : NULL, listen, NULL };
  return cli_run (run->ctx, args);
}

static int
demo_run (CliContext *ctx, int argc, char **argv)
{
  int year = 2024, months = 12, businesses = 3000;
  gint64 seed = 120104;
  gboolean yes = FALSE, with_server = FALSE;
  g_autofree char *out = NULL, *listen = NULL;
  const GOptionEntry entries[] = {
    { "year", 0, 0, G_OPTION_ARG_INT, &year, N_ ("The year to play (default 2024)"), "YYYY" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      N_ ("Where the reports go (default ./spotcheck-demo)"), "DIR" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_ ("Seed of the district and of every draw (default 120104): same seed, same year"), "S" },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, N_ ("Reset the database without asking"), NULL },
    { "months", 0, 0, G_OPTION_ARG_INT, &months, N_ ("Play months 1 to N only (default 12)"), "N" },
    { "businesses", 0, 0, G_OPTION_ARG_INT, &businesses, N_ ("Businesses (default 3000)"), "N" },
    { "serve", 0, 0, G_OPTION_ARG_NONE, &with_server,
      N_ ("Then serve the HTTP API, with a token printed per role"), NULL },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_ ("With --serve: address and port"), "ADDR" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("Play the district's sampling year through the real services: directories, the annual "
         "plan, monthly draws, sampling, lab results, cases worked to closure, city referrals, an "
         "emergency draw, the mid-year rebalance, and every report. The database is reset first: "
         "on a terminal after asking (unless --yes); otherwise when it is empty or a previous "
         "demo's, and never when it holds other data unless --yes. A server given with --db or "
         "SPOTCHECK_DB is used only when empty."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc > 1)
    return cli_usage_error ("demo", _ ("unexpected argument \"%s\""), argv[1]);
  if (year < 2000 || year > 2099)
    return cli_usage_error ("demo", _ ("--year must be 2000 to 2099, not %d"), year);
  if (months < 1 || months > 12)
    return cli_usage_error ("demo", _ ("--months must be 1 to 12, not %d"), months);
  if (businesses < 100 || businesses > 100000)
    return cli_usage_error ("demo", _ ("--businesses must be 100 to 100000, not %d"), businesses);
  if (seed < 0)
    return cli_usage_error ("demo", _ ("--seed must be 0 or more"));
  if (listen != NULL && !with_server)
    return cli_usage_error ("demo", _ ("--listen goes with --serve"));
  if (out == NULL)
    out = g_strdup ("spotcheck-demo");
  g_autofree char *work = g_build_filename (out, "files", NULL);
  if (g_mkdir_with_parents (work, 0755) != 0)
    {
      g_printerr (
          _ ("spotcheck demo: cannot create %s: %s; choose another folder with --out DIR\n"), work,
          g_strerror (errno));
      return CLI_EXIT_USER;
    }
  DemoRun run = {
    .ctx = ctx,
    .year = year,
    .months = months,
    .seed = (guint64)seed,
    .businesses = (guint)businesses,
    .out = out,
    .work = work,
    .kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  g_autoptr (GHashTable) kinds = run.kinds;
  g_autoptr (GError) error = NULL;
  if (!cli_service (ctx, &run.svc, &error))
    return cli_report (error);
  run.svc.today = demo_date (year, 1, 1);
  /* Refused before anything is reset: the year needs its plan and calendar. */
  g_autofree char *plan_group = g_strdup_printf ("plan %d", year);
  g_autofree char *calendar_group = g_strdup_printf ("calendar %d", year);
  if (!core_config_has_group (ctx->config, plan_group)
      || !core_config_has_group (ctx->config, calendar_group))
    {
      g_printerr (_ ("spotcheck demo: the configuration has no [%s] or no [%s] group; play 2024, "
                     "or copy config/plan-2024.conf and config/calendar-2024.conf for %d first; "
                     "nothing was changed\n"),
                  plan_group, calendar_group, year);
      return CLI_EXIT_USER;
    }
  if ((code = prepare (&run, yes)) >= 0)
    return code;
  const CoreCatalog *catalog = run.svc.catalog;
  printf (_ ("district %s %s (%s): %u streets, %u market-supervision offices; database: %s\n"),
          catalog->district, catalog->zh, catalog->en, catalog->streets->len, catalog->offices->len,
          ctx->cluster ? db_cluster_data_dir (ctx->cluster) : ctx->conninfo_source);
  g_autoptr (SchedDemo) district = NULL;
  g_autoptr (CliProgress) progress = cli_progress_for_stderr (CLI_PROGRESS_LINES);
  run.bar = progress;
  run.progress = cli_progress_core (progress);
  gint64 started = g_get_monotonic_time ();
  gboolean ok = demo_directories (&run, &error);
  district = run.district;
  ok = ok && demo_plan (&run, &error);
  for (int m = 1; ok && m <= months; m++)
    ok = demo_month (&run, m, &error);
  ok = ok && write_reports (&run, &error);
  cli_progress_done (progress);
  ok = ok && print_summary (&run, (double)(g_get_monotonic_time () - started) / 1e6, &error);
  g_free (run.amend_lab);
  g_free (run.amend_record);
  g_free (run.amend_category);
  if (!ok)
    return cli_report (error);
  return with_server ? serve (&run, listen) : CLI_EXIT_OK;
}

static const CliCommand demo_commands[] = {
  { NULL, N_ ("play the district's sampling year end to end"), demo_run },
  { NULL, NULL, NULL },
};

const CliGroup cli_group_demo = { "demo", N_ ("Show the system at work."), demo_commands };
