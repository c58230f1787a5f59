/* cmd-cases.c: `spotcheck cases import-referrals|list|show`: the
 * verification-and-disposal queue of nonconforming batches. */
#include "cli/cli.h"
#include "cli/cli-rows.h"

#include "db/db-cases.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int
cases_import_referrals (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *date = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, "Import date (default today): cases open on it",
      "YYYY-MM-DD" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "FILE",
      "Import nonconforming notices from national, provincial and city sampling (国抽/省抽/市抽) "
      "about businesses of the district into the case queue. CSV or JSON with columns 抽检级别/"
      "level, 通知书编号/notice_no, 统一社会信用代码/uscc, 企业名称/business_name, "
      "样品名称/product, "
      "不合格项目/failed_items, 通知日期/notice_date. All rows or none; every business must be in "
      "the registry. Deadlines count from the notice date; a notice already imported is skipped.",
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("cases import-referrals", "give one referral FILE");
  DbCasesContext cctx = { .actor = cli_actor () };
  if (date == NULL)
    g_date_set_time_t (&cctx.today, time (NULL));
  else if (!core_date_parse (date, &cctx.today))
    return cli_usage_error ("cases import-referrals", "--date must be YYYY-MM-DD, not \"%s\"",
                            date);
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  const CoreCalendar *calendar = conn ? cli_calendar (ctx, &error) : NULL;
  g_autoptr (CasesDeadlines) deadlines
      = calendar ? cases_deadlines_load (ctx->config, &error) : NULL;
  if (deadlines == NULL)
    return cli_report (error);
  cctx.district = ctx->catalog->district;
  cctx.calendar = calendar;
  cctx.deadlines = deadlines;
  guint opened = 0, skipped = 0;
  if (!db_cases_import_referrals (conn, &cctx, argv[1], NULL, &opened, &skipped, &error))
    return cli_report (error);
  printf ("%s: %u case%s opened, %u notice%s already on record\n", argv[1], opened,
          opened == 1 ? "" : "s", skipped, skipped == 1 ? "" : "s");
  return CLI_EXIT_OK;
}

static const char *
or_dash (const char *s)
{
  return s && *s ? s : "-";
}

#define CASE_KEYS                                                                                  \
  "case_no", "source", "state", "uscc", "business_name", "product", "record_no", "lab",            \
      "report_no", "notice_no", "notice_date", "failed_items", "opened_on", "closed_on", "office", \
      "next_deadline"

static void
case_values (const DbCase *c, const char *out[16])
{
  const char *v[] = { c->case_no,       c->source,    c->state,       c->uscc,
                      c->business_name, c->product,   c->record_no,   c->lab,
                      c->report_no,     c->notice_no, c->notice_date, c->failed_items,
                      c->opened_on,     c->closed_on, c->office,      c->next_deadline };
  memcpy (out, v, sizeof v);
}

static void
add_case_json (JsonBuilder *b, const DbCase *c)
{
  static const char *const keys[] = { CASE_KEYS };
  const char *v[16];
  case_values (c, v);
  json_builder_begin_object (b);
  for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      json_builder_set_member_name (b, keys[k]);
      if (v[k] == NULL)
        json_builder_add_null_value (b);
      else
        json_builder_add_string_value (b, v[k]);
    }
  json_builder_end_object (b);
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = json_to_string (root, TRUE);
  printf ("%s\n", text);
}

static int
cases_list (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *state = NULL, *format = NULL;
  const GOptionEntry entries[] = {
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, "Only cases in this state (e.g. open, closed)",
      "STATE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "text (default), csv or json", "FORMAT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx
      = cli_option_context ("", "List cases with their state and next deadline.", entries);
  int code = CLI_EXIT_OK;
  CliRowsFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_rows_format_option ("cases list", format, &fmt, &code))
    return code;
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  g_autoptr (GPtrArray) list
      = conn ? db_cases_list (conn, ctx->catalog->district, state, &error) : NULL;
  if (list == NULL)
    return cli_report (error);
  if (format != NULL && strcmp (format, "json") == 0)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        add_case_json (b, g_ptr_array_index (list, i));
      json_builder_end_array (b);
      print_json (b);
    }
  else if (format != NULL && strcmp (format, "csv") == 0)
    {
      static const char *const keys[] = { CASE_KEYS };
      for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
        printf ("%s%c", keys[k], k + 1 < G_N_ELEMENTS (keys) ? ',' : '\n');
      for (guint i = 0; i < list->len; i++)
        {
          const char *v[16];
          case_values (g_ptr_array_index (list, i), v);
          for (gsize k = 0; k < G_N_ELEMENTS (keys); k++)
            cli_rows_write_csv_field (stdout, v[k], k + 1 < G_N_ELEMENTS (keys) ? ',' : '\n');
        }
    }
  else if (list->len == 0)
    printf ("no cases%s%s\n", state ? " in state " : "", state ? state : "");
  else
    {
      printf ("%-13s %-10s %-8s %-18s %-10s %-28s %s\n", "case", "source", "state", "business",
              "opened", "next deadline", "failed items");
      for (guint i = 0; i < list->len; i++)
        {
          const DbCase *c = g_ptr_array_index (list, i);
          printf ("%-13s %-10s %-8s %-18s %-10s %-28s %s\n", c->case_no, c->source, c->state,
                  c->uscc, c->opened_on, or_dash (c->next_deadline), c->failed_items);
        }
    }
  return CLI_EXIT_OK;
}

static int
cases_show (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *format = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "text (default) or json", "FORMAT" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "CASE", "Show one case with its deadlines and its history of events.", entries);
  int code = CLI_EXIT_OK;
  CliRowsFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_rows_format_option ("cases show", format, &fmt, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("cases show", "give one CASE number, e.g. HC2024-00001");
  g_autoptr (GError) error = NULL;
  PGconn *conn = cli_db (ctx, &error);
  g_autoptr (DbCaseDetail) d
      = conn ? db_cases_show (conn, ctx->catalog->district, argv[1], &error) : NULL;
  if (d == NULL)
    return cli_report (error);
  const DbCase *c = d->header;
  if (format != NULL && strcmp (format, "json") == 0)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      add_case_json (b, c);
      print_json (b);
      return CLI_EXIT_OK;
    }
  printf ("case %s (%s sampling), state %s, opened %s%s%s\n", c->case_no, c->source, c->state,
          c->opened_on, c->closed_on ? ", closed " : "", c->closed_on ? c->closed_on : "");
  printf ("business: %s %s (office %s)\n", c->uscc, c->business_name, or_dash (c->office));
  if (c->record_no)
    printf ("sample %s, %s; report %s of lab %s\n", c->record_no, or_dash (c->product),
            c->report_no, c->lab);
  else
    printf ("notice %s of %s; product %s\n", c->notice_no, c->notice_date, or_dash (c->product));
  printf ("failed items: %s\n\ndeadlines:\n", c->failed_items);
  for (guint i = 0; i < d->deadlines->len; i++)
    {
      const DbCaseDeadline *x = g_ptr_array_index (d->deadlines, i);
      printf ("  %-22s %s  (%d %s from %s)%s%s  %s\n", x->name, x->due_on, x->amount, x->unit,
              x->from_on, x->met_at ? " met " : "", x->met_at ? x->met_at : "", or_dash (x->zh));
    }
  printf ("\nevents:\n");
  for (guint i = 0; i < d->events->len; i++)
    {
      const DbCaseEvent *e = g_ptr_array_index (d->events, i);
      printf ("  %s  %-24s %s -> %s  by %s: %s\n", e->on_date, e->event, or_dash (e->from_state),
              e->to_state, e->actor, or_dash (e->detail));
    }
  return CLI_EXIT_OK;
}

static const CliCommand cases_commands[] = {
  { "import-referrals", "国抽/省抽/市抽 nonconforming notices into the queue",
    cases_import_referrals },
  { "list", "cases with state and next deadline", cases_list },
  { "show", "one case with deadlines and events", cases_show },
  { NULL },
};

const CliGroup cli_group_cases
    = { "cases", "Verification-and-disposal cases of nonconforming batches.", cases_commands };
