/* cmd-user.c: `spotcheck user add|list|revoke`: the people the HTTP server
 * acts for. At the terminal the bureau's operator acts as admin. */
#include "cli/cli.h"

#include "service/svc-users.h"

#include <stdio.h>
#include "core/core-i18n.h"

/* The terminal user manages users as an admin (the service checks the role). */
static gboolean
admin_service (CliContext *ctx, SvcContext *svc, GError **error)
{
  if (!cli_service (ctx, svc, error))
    return FALSE;
  svc->role = SVC_ROLE_ADMIN;
  return TRUE;
}

static int
user_add (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *role = NULL, *lab = NULL, *office = NULL, *expires = NULL;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_ ("admin, coordinator, inspector or lab"),
      "ROLE" },
    { "lab", 0, 0, G_OPTION_ARG_STRING, &lab, N_ ("The lab a lab user uploads for"), "CODE" },
    { "office", 0, 0, G_OPTION_ARG_STRING, &office, N_ ("The office an inspector works for"), "O" },
    { "expires", 0, 0, G_OPTION_ARG_STRING, &expires,
      N_ ("Day the token stops working (default: never)"), "YYYY-MM-DD" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "NAME",
      _ ("Add a user of the HTTP API and print its bearer token once: only its hash is stored, so "
         "a lost token is replaced by revoking the user and adding another."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("user add", _ ("give one user NAME"));
  SvcUserRequest req = { .name = argv[1], .lab = lab, .office = office, .expires_on = expires };
  if (!svc_role_parse (role, &req.role))
    return cli_usage_error ("user add",
                            _ ("--role must be admin, coordinator, inspector or lab, not \"%s\""),
                            role ? role : "");
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  g_autofree char *token = NULL;
  if (!admin_service (ctx, &svc, &error) || !svc_users_add (&svc, &req, &token, &error))
    return cli_report (error);
  g_printerr (_ ("spotcheck: user %s added as %s; its token follows, shown this once\n"), argv[1],
              role);
  printf ("%s\n", token);
  return CLI_EXIT_OK;
}

static int
user_list (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *format = NULL, *out = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_ ("text, csv, json or xlsx"), "FORMAT" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_ ("Write to FILE instead of stdout"), "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      NULL, _ ("List the users of the HTTP API (never their tokens)."), entries);
  int code = CLI_EXIT_OK;
  ReportFormat fmt;
  if (!cli_parse (octx, &argc, &argv, &code)
      || !cli_format_option ("user list", format, CLI_FORMATS_ALL, &fmt, &code))
    return code;
  if (argc != 1)
    return cli_usage_error ("user list", _ ("takes no arguments"));
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  g_autoptr (CoreTable) table
      = admin_service (ctx, &svc, &error) ? svc_users_list (&svc, &error) : NULL;
  if (table == NULL)
    return cli_report (error);
  return cli_write_table (fmt, out, table);
}

static int
user_revoke (CliContext *ctx, int argc, char **argv)
{
  g_autoptr (GOptionContext) octx = cli_option_context (
      "NAME", _ ("Revoke a user's token for good; the user stays on record."), NULL);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return cli_usage_error ("user revoke", _ ("give one user NAME"));
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!admin_service (ctx, &svc, &error) || !svc_users_revoke (&svc, argv[1], &error))
    return cli_report (error);
  printf (_ ("user %s revoked\n"), argv[1]);
  return CLI_EXIT_OK;
}

static const CliCommand user_commands[] = {
  { "add", N_ ("a user of the HTTP API; prints its token once"), user_add },
  { "list", N_ ("users, roles, labs, offices, expiry"), user_list },
  { "revoke", N_ ("end a user's token"), user_revoke },
  { NULL },
};

const CliGroup cli_group_user
    = { "user", N_ ("Users and bearer tokens of the HTTP API."), user_commands };
