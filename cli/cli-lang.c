/* cli-lang.c: gettext set-up. The choice is made once, before any text is
 * printed, and is written into LANGUAGE so that gettext (ours, GLib's and
 * libpq's) follows it whatever the user's LANGUAGE or LC_* said. */
#include "cli/cli-lang.h"

#include "cli/cli.h"

#include "spotcheck-config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

static const char *current = "en";

/* The messages locale as setlocale (LC_ALL, "") resolved it from LC_ALL,
 * LC_MESSAGES and LANG; the environment when the locale is not installed. */
static const char *
messages_locale (void)
{
  const char *names[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *v = g_getenv (names[i]);
      if (v != NULL && *v != '\0')
        return v;
    }
  const char *set = setlocale (LC_MESSAGES, NULL);
  return set ? set : "C";
}

/* The catalogues next to this binary when it is the build tree's, so
 * ./build/cli/spotcheck speaks Chinese before `ninja install`. */
static const char *
locale_dir (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  if (self != NULL && strcmp (self, SPOTCHECK_BUILD_EXE) == 0)
    return SPOTCHECK_BUILD_LOCALEDIR;
  return SPOTCHECK_LOCALEDIR;
}

gboolean
cli_lang_init (const char *lang, GError **error)
{
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  /* The terminal's character set is UTF-8 (main.c makes it so): no conversion. */
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  /* No textdomain (GETTEXT_PACKAGE): _() names the domain itself, and GLib
   * decides once, on its first g_dgettext(), whether to translate at all by
   * looking at the default domain, which must stay "messages" for a language
   * chosen later (from the configuration) to take effect. */

  gboolean ok = TRUE;
  if (lang != NULL && strcmp (lang, "zh") != 0 && strcmp (lang, "en") != 0)
    {
      ok = FALSE;
      g_set_error (error, CLI_ERROR, CLI_ERROR_USAGE,
                   _ ("the language must be zh or en, not \"%s\""), lang);
      lang = NULL;
    }
  if (lang == NULL)
    lang = g_str_has_prefix (messages_locale (), "zh") ? "zh" : "en";
  current = strcmp (lang, "zh") == 0 ? "zh" : "en";

  if (strcmp (current, "zh") == 0)
    {
      /* gettext ignores LANGUAGE under the "C" locale: use zh_CN.UTF-8 when
       * installed, else C.UTF-8 (built into glibc), which honours it. */
      g_setenv ("LANGUAGE", "zh_CN", TRUE);
      if (setlocale (LC_MESSAGES, "zh_CN.UTF-8") == NULL
          && setlocale (LC_MESSAGES, "C.UTF-8") == NULL)
        setlocale (LC_MESSAGES, "C.utf8");
    }
  else
    {
      g_setenv ("LANGUAGE", "en", TRUE);
      if (setlocale (LC_MESSAGES, "C.UTF-8") == NULL)
        setlocale (LC_MESSAGES, "C");
    }
  return ok;
}

const char *
cli_lang_current (void)
{
  return current;
}
