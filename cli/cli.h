/* cli.h: what every command file shares: the context passed to commands,
 * the command table types, option parsing and error reporting. */
#pragma once

#include "core/core-calendar.h"
#include "core/core-catalog.h"
#include "db/db-cluster.h"
#include "db/db-conn.h"
#include "reports/report-writer.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

/* Exit codes: 0 ok, 1 the user can fix it (input, config, usage), 2 the
 * system failed (database unreachable, PostgreSQL missing, I/O). */
enum
{
  CLI_EXIT_OK = 0,
  CLI_EXIT_USER = 1,
  CLI_EXIT_SYSTEM = 2,
};

#define CLI_ERROR (cli_error_quark ())
GQuark cli_error_quark (void);
typedef enum
{
  CLI_ERROR_USAGE,  /* wrong arguments */
  CLI_ERROR_INPUT,  /* bad input data: exit 1 */
  CLI_ERROR_SYSTEM, /* exit 2 */
} CliError;

typedef struct
{
  /* global options */
  char *config_path;
  char *conninfo;
  char *data_dir;
  /* loaded on demand */
  CoreConfig *config;
  CoreCatalog *catalog;
  CoreCalendar *calendar;
  CasesDeadlines *deadlines;
  CasesWorkflow *workflow; /* config/case-workflow.conf, loaded by cli_service() */
  DbCluster *cluster;      /* the embedded cluster, when no server is configured */
  PGconn *conn;
  char *conninfo_source; /* "--db", "SPOTCHECK_DB", a config origin, or "embedded" */
} CliContext;

typedef struct
{
  const char *name;    /* subcommand, e.g. "start"; NULL for a group's only command */
  const char *summary; /* one line for the listing */
  int (*run) (CliContext *ctx, int argc, char **argv);
} CliCommand;

typedef struct
{
  const char *name;
  const char *summary;
  const CliCommand *commands; /* terminated by an entry with run == NULL */
} CliGroup;

/* The command groups, one file each (cmd-*.c). */
extern const CliGroup cli_group_db;
extern const CliGroup cli_group_config;
extern const CliGroup cli_group_plan;
extern const CliGroup cli_group_registry;
extern const CliGroup cli_group_tasks;
extern const CliGroup cli_group_samples;
extern const CliGroup cli_group_results;
extern const CliGroup cli_group_cases;
extern const CliGroup cli_group_report;
extern const CliGroup cli_group_demo;
extern const CliGroup cli_group_audit;
extern const CliGroup cli_group_user;
extern const CliGroup cli_group_serve;

void cli_context_clear (CliContext *ctx);
gboolean cli_config (CliContext *ctx, GError **error);
const CoreCatalog *cli_catalog (CliContext *ctx, GError **error);
const CoreCalendar *cli_calendar (CliContext *ctx, GError **error);
/* The configured connection string, or NULL for the embedded cluster. */
char *cli_configured_conninfo (CliContext *ctx, GError **error);
/* Opens the database (starting the embedded cluster when needed), applies
 * pending migrations and syncs the catalog when the configured one changed
 * since the last sync. Owned by @ctx. */
PGconn *cli_db (CliContext *ctx, GError **error);
/* The embedded cluster object (not started); fails when a server is configured. */
DbCluster *cli_cluster (CliContext *ctx, GError **error);

/* Fills @svc for a service call from the terminal: the database (opened and
 * migrated), the district's catalog, calendar and deadlines, the actor
 * (cli_actor()) acting as coordinator for the whole district, and today's
 * date. Everything is owned by @ctx; a command may change svc->today (--date). */
gboolean cli_service (CliContext *ctx, SvcContext *svc, GError **error);

/* Bits of ReportFormat a command offers with --format. */
#define CLI_FORMATS_ROWS                                                                           \
  ((1u << REPORT_FORMAT_TEXT) | (1u << REPORT_FORMAT_CSV) | (1u << REPORT_FORMAT_JSON))
#define CLI_FORMATS_ALL (CLI_FORMATS_ROWS | (1u << REPORT_FORMAT_XLSX))

/* The --format option of @command: @text (NULL: text) must name one of the
 * formats in @allowed; otherwise prints a usage error listing them, sets
 * *@code and returns FALSE. */
gboolean cli_format_option (const char *command, const char *text, guint allowed,
                            ReportFormat *format, int *code);

/* Writes @doc (or one @table) in @format to @out_path, or to stdout when
 * @out_path is NULL or "-". XLSX needs an --out file unless stdout is not a
 * terminal. On failure prints the error and returns its exit code; 0 on success. */
int cli_write_document (ReportFormat format, const char *out_path, const CoreDocument *doc);
int cli_write_table (ReportFormat format, const char *out_path, const CoreTable *table);
/* cli_write_document() with labels in @lang ("zh" or "en"), for outputs whose
 * readers work in one language (the offices' Chinese workbooks). */
int cli_write_document_in (ReportFormat format, const char *out_path, const char *lang,
                           const CoreDocument *doc);

/* Parses a command's options; prints --help and sets *@exit_code on request
 * or on a usage error. Returns FALSE when the command should stop. */
gboolean cli_parse (GOptionContext *octx, int *argc, char ***argv, int *exit_code);
/* @text followed by spaces up to @width terminal columns (a Chinese
 * character takes two), for aligned lines of text. Free with g_free(). */
char *cli_padded (const char *text, guint width);

/* GOption's translate function: option descriptions are marked N_() in the
 * tables and translated through the catalogue when help is printed. */
const char *cli_option_translate (const char *text, gpointer unused);
/* Creates an option context titled after the command, e.g. "db start". */
GOptionContext *cli_option_context (const char *usage, const char *summary,
                                    const GOptionEntry *entries);

/* Parses @text as YYYY-MM (2000-2099) for @option of @command; on failure
 * prints a usage error, sets *@code and returns FALSE. */
gboolean cli_parse_month (const char *command, const char *option, const char *text, int *year,
                          int *month, int *code);

/* Parses @text (NULL: leaves *@out alone) as a decimal integer in
 * [@min, @max] for @option of @command; on failure prints a usage error
 * naming the option and the bounds, sets *@code and returns FALSE. */
gboolean cli_parse_number (const char *command, const char *option, const char *text, gint64 min,
                           gint64 max, int *out, int *code);

/* Runs a command as if typed after `spotcheck` (e.g. {"plan", "show", "--year",
 * "2024", NULL}) in @ctx; returns its exit code. The demo scripts commands so. */
int cli_run (CliContext *ctx, const char *const *args);

/* Who is acting, for audit records: $SPOTCHECK_ACTOR, else the login name. */
const char *cli_actor (void);

/* The CLI's wording of errors (cli-errors.c): for each domain and code (-1:
 * every code) the exit status and the advice in this face's terms. */
typedef struct
{
  GQuark (*domain) (void);
  const char *name; /* the domain's prefix, e.g. "db_tasks_error" */
  int code;
  int exit;
  const char *advice; /* NULL: the message says it all */
} CliErrorRule;

const CliErrorRule *cli_error_rules (gsize *n);
/* The exit status for @error (1 or 2) and the advice to print after it. */
int cli_error_exit (const GError *error);
const char *cli_error_advice (const GError *error);

/* Prints "spotcheck: MESSAGE" (and the advice, when there is one) on stderr and
 * returns the exit code for it. */
int cli_report (const GError *error);
int cli_usage_error (const char *command, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
