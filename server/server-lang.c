/* server-lang.c: the language a request is answered in: ?lang=zh|en, else
 * the first of Accept-Language spotcheck speaks, else the server's own (its
 * --lang, [spotcheck] lang or locale). Machine output (codes, keys, statuses)
 * is the same in both. */
#include "server/server-private.h"

#include <string.h>

gboolean
server_lang_choose (const char *query_lang, const char *accept_language, const char *fallback,
                    const char **lang, GError **error)
{
  const char *asked = core_i18n_lang_accept (accept_language);
  *lang = asked != NULL ? asked : fallback;
  if (query_lang == NULL)
    return TRUE;
  if (strcmp (query_lang, "zh") == 0 || strcmp (query_lang, "en") == 0)
    {
      *lang = strcmp (query_lang, "zh") == 0 ? "zh" : "en";
      return TRUE;
    }
  /* Said in the header's language, which is the best guess left. */
  const char *previous = core_i18n_set_thread (*lang);
  svc_error_invalid (error, "lang", _ ("lang must be zh or en, not \"%s\""), query_lang);
  core_i18n_set_thread (previous);
  return FALSE;
}

const char *
server_lang_tag (const char *lang)
{
  return g_strcmp0 (lang, "zh") == 0 ? "zh-CN" : "en";
}
