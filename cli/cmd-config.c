/* cmd-config.c: `spotcheck config show`. */
#include "cli/cli.h"

#include <stdio.h>
#include "core/core-i18n.h"

static int
config_show (CliContext *ctx, int argc, char **argv)
{
  gboolean bare = FALSE;
  char *group = NULL;
  const GOptionEntry entries[] = {
    { "bare", 0, 0, G_OPTION_ARG_NONE, &bare, N_ ("Omit the origin comments"), NULL },
    { "group", 0, 0, G_OPTION_ARG_STRING, &group,
      N_ ("Only this group (or groups with this prefix)"), "NAME" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "", _ ("Print the effective configuration; each value is followed by the file it came from."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  g_autofree char *prefix = group;
  g_autoptr (GError) error = NULL;
  if (!cli_config (ctx, &error) || cli_catalog (ctx, &error) == NULL
      || cli_calendar (ctx, &error) == NULL)
    return cli_report (error);
  if (prefix == NULL)
    {
      g_autofree char *dump = core_config_dump (ctx->config, !bare);
      fputs (dump, stdout);
      return CLI_EXIT_OK;
    }
  g_auto (GStrv) groups = core_config_groups (ctx->config, prefix);
  if (groups[0] == NULL)
    return cli_usage_error ("config show", _ ("--group: no group starts with \"%s\""), prefix);
  for (char **g = groups; *g != NULL; g++)
    {
      printf ("[%s]\n", *g);
      g_auto (GStrv) keys = core_config_keys (ctx->config, *g);
      for (char **k = keys; *k != NULL; k++)
        {
          g_autofree char *v = core_config_get_string_or (ctx->config, *g, *k, "");
          if (bare)
            printf ("%s=%s\n", *k, v);
          else
            printf ("%s=%s  # %s\n", *k, v, core_config_origin (ctx->config, *g, *k));
        }
    }
  return CLI_EXIT_OK;
}

static const CliCommand config_commands[] = {
  { "show", N_ ("print the effective configuration and where each value came from"), config_show },
  { NULL },
};

const CliGroup cli_group_config
    = { "config", N_ ("Inspect the configuration (categories, district, deadlines, calendars)."),
        config_commands };
