/* main.c: global options and the command table; each group lives in cmd-*.c. */
#include "cli/cli.h"
#include "cli/cli-lang.h"

#include "spotcheck-config.h"

#include "core/core-i18n.h"
#include <locale.h>
#include <stdio.h>
#include <string.h>

static const CliGroup *const groups[] = {
  &cli_group_db,      &cli_group_config,  &cli_group_plan,  &cli_group_registry, &cli_group_tasks,
  &cli_group_samples, &cli_group_results, &cli_group_cases, &cli_group_report,   &cli_group_audit,
  &cli_group_user,    &cli_group_serve,   &cli_group_demo,
};

static void
print_overview (FILE *out)
{
  fputs (_ ("Usage: spotcheck [--lang zh|en] [--config FILE] [--db CONNINFO] [--data-dir DIR] "
            "COMMAND ...\n\n"
            "Annual food-safety sampling: plan, monthly draw, lab results, disposal cases.\n\n"
            "Commands:\n"),
         out);
  for (gsize i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      const CliGroup *g = groups[i];
      for (const CliCommand *c = g->commands; c->run != NULL; c++)
        {
          g_autofree char *name
              = c->name ? g_strdup_printf ("%s %s", g->name, c->name) : g_strdup (g->name);
          fprintf (out, "  %-22s %s\n", name, _ (c->summary));
        }
    }
  fputs (_ ("\nGlobal options:\n"
            "  --lang zh|en      language of messages (else [spotcheck] lang, then the\n"
            "                    locale: Chinese under zh_*, English otherwise)\n"
            "  --config FILE     configuration file (else $SPOTCHECK_CONFIG, then\n"
            "                    $XDG_CONFIG_HOME/spotcheck/spotcheck.conf, then built-in)\n"
            "  --db CONNINFO     use this PostgreSQL server (else $SPOTCHECK_DB, then\n"
            "                    [database] conninfo, else the private embedded cluster)\n"
            "  --data-dir DIR    data directory of the embedded cluster\n"
            "  --version         print the version\n\n"
            "`spotcheck COMMAND --help` describes each command.\n"),
         out);
}

static const CliGroup *
find_group (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (groups); i++)
    if (strcmp (groups[i]->name, name) == 0)
      return groups[i];
  return NULL;
}

static int
print_group_help (const CliGroup *g, FILE *out)
{
  fprintf (out, _ ("Usage: spotcheck %s SUBCOMMAND [OPTION...]\n\n%s\n\nSubcommands:\n"), g->name,
           _ (g->summary));
  for (const CliCommand *c = g->commands; c->run != NULL; c++)
    fprintf (out, "  %-12s %s\n", c->name, _ (c->summary));
  fprintf (out, _ ("\n`spotcheck %s SUBCOMMAND --help` describes each.\n"), g->name);
  return CLI_EXIT_OK;
}

static int
dispatch (CliContext *ctx, int argc, char **argv)
{
  const CliGroup *g = find_group (argv[0]);
  if (g == NULL)
    {
      g_printerr (_ ("spotcheck: unknown command \"%s\"; `spotcheck --help` lists them\n"),
                  argv[0]);
      return CLI_EXIT_USER;
    }
  if (g->commands[0].run == NULL)
    {
      g_printerr (_ ("spotcheck %s: this build has no %s commands\n"), g->name, g->name);
      return CLI_EXIT_USER;
    }
  /* A group with a single unnamed command takes its options directly. */
  if (g->commands[0].name == NULL)
    {
      g_autofree char *prgname = g_strdup_printf ("spotcheck %s", g->name);
      g_set_prgname (prgname);
      return g->commands[0].run (ctx, argc, argv);
    }
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      if (argc < 2)
        {
          print_group_help (g, stderr);
          return CLI_EXIT_USER;
        }
      return print_group_help (g, stdout);
    }
  for (const CliCommand *c = g->commands; c->run != NULL; c++)
    if (strcmp (c->name, argv[1]) == 0)
      {
        /* The command sees "GROUP SUB" as its program name. */
        g_autofree char *name = g_strdup_printf ("%s %s", g->name, c->name);
        g_autofree char *prgname = g_strdup_printf ("spotcheck %s", name);
        g_set_prgname (prgname);
        char *saved = argv[1];
        argv[1] = name;
        int code = c->run (ctx, argc - 1, argv + 1);
        argv[1] = saved;
        return code;
      }
  g_printerr (_ ("spotcheck %s: unknown subcommand \"%s\"; `spotcheck %s --help` lists them\n"),
              g->name, argv[1], g->name);
  return CLI_EXIT_USER;
}

int
cli_run (CliContext *ctx, const char *const *args)
{
  g_auto (GStrv) argv = g_strdupv ((char **)args);
  int argc = (int)g_strv_length (argv);
  /* Option parsing may remove arguments: keep the originals to free. */
  g_autofree char **view = g_memdup2 (argv, sizeof (char *) * ((gsize)argc + 1));
  int code = dispatch (ctx, argc, view);
  g_set_prgname ("spotcheck");
  return code;
}

/* Command-line text is UTF-8 whatever the locale: cron jobs, systemd units and
 * `env -i` run under C or POSIX, where GLib would otherwise refuse Chinese
 * option values. Under a non-UTF-8 locale the character type becomes
 * C.UTF-8 (built into glibc), so values pass through unchanged and messages
 * keep their Chinese. */
static void
use_utf8_text (void)
{
  setlocale (LC_ALL, "");
  const char *charset = NULL;
  if (!g_get_charset (&charset) && setlocale (LC_CTYPE, "C.UTF-8") == NULL)
    setlocale (LC_CTYPE, "C.utf8");
}

/* Names the argument that is not UTF-8 text: "--name" for an option's value
 * ("--name VALUE" or "--name=VALUE"), else the argument's position. */
static gboolean
check_utf8_args (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_utf8_validate (argv[i], -1, NULL))
        continue;
      g_autofree char *what = NULL;
      const char *eq = strchr (argv[i], '=');
      if (g_str_has_prefix (argv[i], "--") && eq != NULL
          && g_utf8_validate (argv[i], eq - argv[i], NULL))
        what = g_strdup_printf (_ ("the value of %.*s"), (int)(eq - argv[i]), argv[i]);
      else if (i > 1 && g_str_has_prefix (argv[i - 1], "-") && strchr (argv[i - 1], '=') == NULL)
        what = g_strdup_printf (_ ("the value of %s"), argv[i - 1]);
      else
        what = g_strdup_printf (_ ("argument %d"), i);
      g_printerr (_ ("spotcheck: %s is not UTF-8 text; give command-line text in UTF-8 (convert "
                     "it with iconv -f GB18030 -t UTF-8 if it comes from a GB18030 file)\n"),
                  what);
      return FALSE;
    }
  return TRUE;
}

/* The value of --lang among the global options (those before the command). */
static const char *
early_lang (int argc, char **argv)
{
  for (int i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      if (g_str_has_prefix (argv[i], "--lang="))
        return argv[i] + strlen ("--lang=");
      if (i + 1 < argc
          && (strcmp (argv[i], "--lang") == 0 || strcmp (argv[i], "--config") == 0
              || strcmp (argv[i], "--db") == 0 || strcmp (argv[i], "--data-dir") == 0))
        {
          if (strcmp (argv[i], "--lang") == 0)
            return argv[i + 1];
          i++;
        }
    }
  return NULL;
}

/* --lang, else [spotcheck] lang of the configuration (when it loads: a broken
 * one is reported by the command that needs it, in the locale's language). */
static gboolean
choose_lang (CliContext *ctx, const char *lang, GError **error)
{
  g_autofree char *configured = NULL;
  if (lang == NULL)
    {
      ctx->config = core_config_load (ctx->config_path, NULL);
      if (ctx->config != NULL)
        configured = core_config_get_string_or (ctx->config, "spotcheck", "lang", NULL);
      if (configured == NULL)
        return TRUE;
    }
  g_autoptr (GError) local = NULL;
  if (cli_lang_init (lang ? lang : configured, &local))
    return TRUE;
  if (lang != NULL)
    g_propagate_prefixed_error (error, g_steal_pointer (&local), "--lang: ");
  else
    g_propagate_prefixed_error (error, g_steal_pointer (&local), _ ("%s [spotcheck] lang: "),
                                core_config_origin (ctx->config, "spotcheck", "lang"));
  return FALSE;
}

int
main (int argc, char **argv)
{
  use_utf8_text ();
  /* Before any option is parsed, so that errors in the global options are
   * worded in the language asked for; a bad --lang is reported below. */
  cli_lang_init (early_lang (argc, argv), NULL);
  g_set_prgname ("spotcheck");

  CliContext ctx = { 0 };
  gboolean version = FALSE, help = FALSE;
  g_autofree char *lang = NULL;
  const GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, N_ ("Language of messages: zh or en"), "zh|en" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &ctx.config_path, N_ ("Configuration file"), "FILE" },
    { "db", 0, 0, G_OPTION_ARG_STRING, &ctx.conninfo, N_ ("PostgreSQL connection string"),
      "CONNINFO" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &ctx.data_dir, N_ ("Embedded cluster directory"),
      "DIR" },
    /* --help after other global options; print_overview() describes them all */
    { "help", 'h', G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &help, NULL, NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_ ("Print the version"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = g_option_context_new ("COMMAND ...");
  g_option_context_add_main_entries (octx, entries, NULL);
  g_option_context_set_help_enabled (octx, FALSE);
  /* The context's texts (usage, summary) and the main group's entries. */
  g_option_context_set_translate_func (octx, cli_option_translate, NULL, NULL);
  g_option_group_set_translate_func (g_option_context_get_main_group (octx), cli_option_translate,
                                     NULL, NULL);
  /* Stop at the command: what follows belongs to it. */
  g_option_context_set_strict_posix (octx, TRUE);
  g_autoptr (GError) error = NULL;
  int code;
  if (!check_utf8_args (argc, argv))
    code = CLI_EXIT_USER;
  else if (argc > 1 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      if (choose_lang (&ctx, NULL, &error))
        {
          print_overview (stdout);
          code = CLI_EXIT_OK;
        }
      else
        code = cli_report (error);
    }
  else if (!g_option_context_parse (octx, &argc, &argv, &error))
    {
      g_printerr (_ ("spotcheck: %s; `spotcheck --help` lists the options\n"), error->message);
      code = CLI_EXIT_USER;
    }
  else if (!choose_lang (&ctx, lang, &error))
    code = cli_report (error);
  else if (help)
    {
      print_overview (stdout);
      code = CLI_EXIT_OK;
    }
  else if (version)
    {
      printf ("spotcheck %s\n", SPOTCHECK_VERSION);
      code = CLI_EXIT_OK;
    }
  else if (argc < 2)
    {
      print_overview (stderr);
      code = CLI_EXIT_USER;
    }
  else if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
           || strcmp (argv[1], "help") == 0)
    {
      print_overview (stdout);
      code = CLI_EXIT_OK;
    }
  else
    code = dispatch (&ctx, argc - 1, argv + 1);
  cli_context_clear (&ctx);
  return code;
}
