/* cmd-cases-steps.c: `spotcheck cases advance|close|extend|assign|reinspect|
 * steps`: a case worked one step at a time. The workflow and its checks are the
 * service's (service/svc-cases.h); this file parses --field NAME=VALUE and
 * the actor's role, and says what happened. */
#include "cli/cmd-cases.h"

#include "service/svc-cases.h"

#include <stdio.h>
#include <string.h>
#include "core/core-i18n.h"

/* Options every step command shares. */
typedef struct
{
  char **fields;
  char *note, *version, *as, *office, *date;
} StepArgs;

static void
step_args_clear (StepArgs *a)
{
  g_strfreev (a->fields);
  g_free (a->note);
  g_free (a->version);
  g_free (a->as);
  g_free (a->office);
  g_free (a->date);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StepArgs, step_args_clear)

#define STEP_ENTRIES(a)                                                                            \
  { "field",     0,                                                                                \
    0,           G_OPTION_ARG_STRING_ARRAY,                                                        \
    &(a).fields, N_ ("A field of the step (repeatable); `spotcheck cases show ID` lists them"),    \
    "NAME=VALUE" },                                                                                \
      { "note", 0, 0, G_OPTION_ARG_STRING, &(a).note, N_ ("A note for the record"), "TEXT" },      \
      { "version",                                                                                 \
        0,                                                                                         \
        0,                                                                                         \
        G_OPTION_ARG_STRING,                                                                       \
        &(a).version,                                                                              \
        N_ ("The case version you saw (default: the current one)"),                                \
        "N" },                                                                                     \
      { "as",    0,                                                                                \
        0,       G_OPTION_ARG_STRING,                                                              \
        &(a).as, N_ ("Act as coordinator (default) or inspector (with --office)"),                 \
        "ROLE" },                                                                                  \
      { "office", 0, 0, G_OPTION_ARG_STRING, &(a).office, N_ ("The inspector's office"), "CODE" }, \
  {                                                                                                \
    "date", 0, 0, G_OPTION_ARG_STRING, &(a).date,                                                  \
        N_ ("The day you act on (default today): deadlines count from it"), "YYYY-MM-DD"           \
  }

/* Checks the shared options and fills @svc and @fields; FALSE with *@code set. */
static gboolean
step_setup (CliContext *ctx, const char *command, const StepArgs *a, SvcContext *svc,
            GHashTable *fields, int *code)
{
  for (char **f = a->fields; f && *f; f++)
    {
      const char *eq = strchr (*f, '=');
      if (eq == NULL || eq == *f)
        {
          *code = cli_usage_error (command, _ ("--field must be NAME=VALUE, not \"%s\""), *f);
          return FALSE;
        }
      g_autofree char *name = g_strndup (*f, (gsize)(eq - *f));
      if (g_hash_table_contains (fields, name))
        {
          *code = cli_usage_error (command, _ ("--field %s is given twice"), name);
          return FALSE;
        }
      g_hash_table_insert (fields, g_steal_pointer (&name), g_strdup (eq + 1));
    }
  SvcRole role = SVC_ROLE_COORDINATOR;
  if (a->as != NULL
      && (!svc_role_parse (a->as, &role)
          || (role != SVC_ROLE_COORDINATOR && role != SVC_ROLE_INSPECTOR)))
    {
      *code = cli_usage_error (command, _ ("--as must be coordinator or inspector, not \"%s\""),
                               a->as);
      return FALSE;
    }
  if ((role == SVC_ROLE_INSPECTOR) != (a->office != NULL))
    {
      *code = cli_usage_error (command, role == SVC_ROLE_INSPECTOR
                                            ? _ ("--as inspector needs --office CODE")
                                            : _ ("--office goes with --as inspector"));
      return FALSE;
    }
  GDate on;
  if (a->date != NULL && !core_date_parse (a->date, &on))
    {
      *code = cli_usage_error (command, _ ("--date must be YYYY-MM-DD, not \"%s\""), a->date);
      return FALSE;
    }
  int version = 0;
  if (a->version != NULL
      && !cli_parse_number (command, "--version", a->version, 1, G_MAXINT, &version, code))
    return FALSE;
  g_autoptr (GError) error = NULL;
  if (!cli_service (ctx, svc, &error))
    {
      *code = cli_report (error);
      return FALSE;
    }
  svc->role = role;
  svc->office = a->office;
  if (a->date != NULL)
    svc->today = on;
  return TRUE;
}

/* The version the user saw: --version, else the current one (read now). */
static gboolean
step_version (const SvcContext *svc, const StepArgs *a, const char *case_no, int *version,
              GError **error)
{
  if (a->version != NULL)
    {
      *version = (int)g_ascii_strtoll (a->version, NULL, 10);
      return TRUE;
    }
  return svc_cases_version (svc, case_no, version, error);
}

static int
step_done (const SvcCaseStepResult *r)
{
  printf (_ ("%s: %s: %s -> %s (version %d)\n"), r->case_no, r->step, r->from_state, r->to_state,
          r->version);
  if (r->lab != NULL)
    printf (_ ("re-inspection lab: %s%s%s%s\n"), r->lab, r->seed ? _ (" (drawn, seed \"") : "",
            r->seed ? r->seed : "", r->seed ? "\")" : "");
  return CLI_EXIT_OK;
}

typedef enum
{
  KIND_ADVANCE,
  KIND_CLOSE,
  KIND_ACCEPT,
} StepKind;

static int
run_step (CliContext *ctx, const char *command, const StepArgs *a, const char *case_no,
          const char *step, StepKind kind, const char *seed, GHashTable *extra)
{
  g_autoptr (GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  SvcContext svc;
  int code = CLI_EXIT_OK;
  if (!step_setup (ctx, command, a, &svc, fields, &code))
    return code;
  if (extra != NULL)
    {
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init (&it, extra);
      while (g_hash_table_iter_next (&it, &k, &v))
        if (!g_hash_table_contains (fields, k))
          g_hash_table_insert (fields, g_strdup (k), g_strdup (v));
    }
  g_autoptr (GError) error = NULL;
  g_auto (SvcCaseStepResult) r = { 0 };
  int version = 0;
  gboolean ok = step_version (&svc, a, case_no, &version, &error);
  if (ok && kind == KIND_CLOSE)
    ok = svc_cases_close (&svc, case_no, fields, a->note, version, &r, &error);
  else if (ok && kind == KIND_ACCEPT)
    ok = svc_cases_reinspect_accept (&svc, case_no, fields, seed, a->note, version, &r, &error);
  else if (ok)
    ok = svc_cases_advance (&svc, case_no, step, fields, a->note, version, &r, &error);
  return ok ? step_done (&r) : cli_report (error);
}

int
cli_cases_advance (CliContext *ctx, int argc, char **argv)
{
  g_auto (StepArgs) a = { 0 };
  g_autofree char *to = NULL;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_ ("The step to take (`spotcheck cases steps`)"),
      "STEP" },
    STEP_ENTRIES (a),
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "CASE", _ ("Take one step of the case workflow (config/case-workflow.conf) on a case."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("cases advance", _ ("give one CASE number, e.g. HC2024-00001"));
  if (to == NULL)
    return cli_usage_error ("cases advance", _ ("give the step with --to STEP"));
  return run_step (ctx, "cases advance", &a, argv[1], to, KIND_ADVANCE, NULL, NULL);
}

int
cli_cases_close (CliContext *ctx, int argc, char **argv)
{
  g_auto (StepArgs) a = { 0 };
  g_autofree char *outcome = NULL;
  const GOptionEntry entries[] = {
    { "outcome", 0, 0, G_OPTION_ARG_STRING, &outcome, N_ ("The outcome of the disposal"), "TEXT" },
    STEP_ENTRIES (a),
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "CASE",
      _ ("Close a case with its outcome (closed-on defaults to --date or today). Refused while a "
         "step or field is missing; the message names each one."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("cases close", _ ("give one CASE number, e.g. HC2024-00001"));
  if (outcome == NULL)
    return cli_usage_error ("cases close", _ ("give the outcome with --outcome TEXT"));
  g_autoptr (GHashTable) extra = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (extra, "outcome", g_strdup (outcome));
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_hash_table_insert (extra, "closed-on",
                       a.date ? g_strdup (a.date) : g_date_time_format (now, "%Y-%m-%d"));
  return run_step (ctx, "cases close", &a, argv[1], "close", KIND_CLOSE, NULL, extra);
}

int
cli_cases_extend (CliContext *ctx, int argc, char **argv)
{
  g_auto (StepArgs) a = { 0 };
  g_autofree char *until = NULL, *approved_by = NULL, *reason = NULL;
  const GOptionEntry entries[] = {
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_ ("The new overall time limit"), "YYYY-MM-DD" },
    { "approved-by", 0, 0, G_OPTION_ARG_STRING, &approved_by, N_ ("Who approved the extension"),
      "NAME" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_ ("Why it was needed"), "TEXT" },
    STEP_ENTRIES (a),
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "CASE", _ ("Extend a case's overall time limit on a recorded approval."), entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("cases extend", _ ("give one CASE number, e.g. HC2024-00001"));
  if (until == NULL || approved_by == NULL || reason == NULL)
    return cli_usage_error ("cases extend",
                            _ ("give --until DATE, --approved-by NAME and --reason R"));
  GDate day;
  if (!core_date_parse (until, &day))
    return cli_usage_error ("cases extend", _ ("--until must be YYYY-MM-DD, not \"%s\""), until);
  g_autoptr (GHashTable) extra = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (extra, "extended-until", until);
  g_hash_table_insert (extra, "approved-by", approved_by);
  g_hash_table_insert (extra, "extension-reason", reason);
  return run_step (ctx, "cases extend", &a, argv[1], "extend", KIND_ADVANCE, NULL, extra);
}

int
cli_cases_assign (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *office = NULL, *note = NULL, *version_text = NULL, *date = NULL;
  const GOptionEntry entries[] = {
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, N_ ("The office the case goes to"), "CODE" },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_ ("A note for the record"), "TEXT" },
    { "version", 0, 0, G_OPTION_ARG_STRING, &version_text,
      N_ ("The case version you saw (default: the current one)"), "N" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_ ("The day you act on (default today)"),
      "YYYY-MM-DD" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "CASE", _ ("Hand a case to another office (a coordinator's decision, on the record)."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("cases assign", _ ("give one CASE number, e.g. HC2024-00001"));
  if (office == NULL)
    return cli_usage_error ("cases assign", _ ("give the office with --office CODE"));
  int version = 0;
  GDate on;
  if (version_text != NULL
      && !cli_parse_number ("cases assign", "--version", version_text, 1, G_MAXINT, &version,
                            &code))
    return code;
  if (date != NULL && !core_date_parse (date, &on))
    return cli_usage_error ("cases assign", _ ("--date must be YYYY-MM-DD, not \"%s\""), date);
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  if (date != NULL)
    svc.today = on;
  g_auto (SvcCaseStepResult) r = { 0 };
  if ((version_text == NULL && !svc_cases_version (&svc, argv[1], &version, &error))
      || !svc_cases_assign (&svc, argv[1], office, note, version, &r, &error))
    return cli_report (error);
  printf (_ ("%s: assigned to office %s (version %d)\n"), r.case_no, office, r.version);
  return CLI_EXIT_OK;
}

int
cli_cases_reinspect (CliContext *ctx, int argc, char **argv)
{
  g_auto (StepArgs) a = { 0 };
  g_autofree char *seed = NULL, *verdict = NULL;
  const GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      N_ ("accept: the lab draw's seed (default: the case number and accepted-on date)"), "TEXT" },
    { "verdict", 0, 0, G_OPTION_ARG_STRING, &verdict, N_ ("result: conforming or nonconforming"),
      "VERDICT" },
    STEP_ENTRIES (a),
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "CASE apply|accept|refuse|result",
      _ ("Re-inspection (复检) or objection (异议): record the application, accept it (the lab is "
         "drawn at random, never the first lab, unless --field reinspection-lab=LAB), refuse it "
         "with a reason, or record the result (--verdict)."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 3)
    return cli_usage_error ("cases reinspect", _ ("give a CASE number and apply, accept, refuse or "
                                                  "result"));
  const char *what = argv[2];
  if (strcmp (what, "apply") == 0)
    return run_step (ctx, "cases reinspect", &a, argv[1], "apply-reinspection", KIND_ADVANCE, NULL,
                     NULL);
  if (strcmp (what, "accept") == 0)
    return run_step (ctx, "cases reinspect", &a, argv[1], "accept-reinspection", KIND_ACCEPT, seed,
                     NULL);
  if (strcmp (what, "refuse") == 0)
    return run_step (ctx, "cases reinspect", &a, argv[1], "refuse-reinspection", KIND_ADVANCE, NULL,
                     NULL);
  if (strcmp (what, "result") == 0)
    {
      if (verdict == NULL
          || (strcmp (verdict, "conforming") != 0 && strcmp (verdict, "nonconforming") != 0))
        return cli_usage_error ("cases reinspect",
                                _ ("result needs --verdict conforming or nonconforming"));
      return run_step (ctx, "cases reinspect", &a, argv[1],
                       strcmp (verdict, "conforming") == 0 ? "reinspection-conforming"
                                                           : "reinspection-nonconforming",
                       KIND_ADVANCE, NULL, NULL);
    }
  return cli_usage_error ("cases reinspect",
                          _ ("the action must be apply, accept, refuse or result, not \"%s\""),
                          what);
}

int
cli_cases_steps (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *format = NULL, *out = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text (default), csv, json or xlsx"),
      "FORMAT" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("Write to FILE instead of standard output"),
      "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      _ ("The case workflow (config/case-workflow.conf): each step, the states it leads from and "
         "to, who takes it, the fields it requires and the deadlines it starts, meets or extends."),
      entries);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_format_option ("cases steps", format, CLI_FORMATS_ALL, &fmt, &code))
    return code;
  if (argc != 1)
    return cli_usage_error ("cases steps", _ ("takes no arguments"));
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  g_autoptr (CoreTable) table
      = cli_service (ctx, &svc, &error) ? svc_cases_steps (&svc, &error) : NULL;
  if (table == NULL)
    return cli_report (error);
  return cli_write_table (fmt, out, table);
}
