/* cli-lang.c: the CLI's language. The choice is made once, before any text
 * is printed: ours is the process default of core/core-i18n.h, and it is
 * written into LANGUAGE so that libc's gettext (GLib's and libpq's
 * messages) follows it whatever the user's LANGUAGE or LC_* said. */
#include "cli/cli-lang.h"

#include "cli/cli.h"

#include "spotcheck-config.h"

#include "core/core-i18n.h"

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
  core_i18n_set_localedir (locale_dir ());

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
  core_i18n_set_default (current);

  /* GLib's and libpq's own messages (an unknown option, a refused
   * connection) come through libc's gettext: the same language for them. */

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
