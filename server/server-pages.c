/* server-pages.c: the web pages (web/), compiled into the binary as a
 * GResource and served as they are. They hold no data: each page signs in
 * with a token kept in the browser's session and calls the documented API,
 * so the role rules stay the API's. Their words come from the message
 * catalogue (context "web", marked C_('web', ...) in the scripts) as
 * /web/words.json, in the language the page asks for or the server's. */
#include "server/server-private.h"

#include "core/core-i18n.h"

#include "web/spotcheck-web-resources.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define WEB_CONTEXT "web\004"

static const struct
{
  const char *path;
  const char *file;
} pages[] = {
  { "/", "index.html" },
  { "/lab", "lab.html" },
  { "/inspector", "inspector.html" },
  { "/inspector/case", "case.html" },
  { "/coordinator", "coordinator.html" },
};

static const struct
{
  const char *suffix;
  const char *type;
} types[] = {
  { ".html", "text/html; charset=utf-8" },
  { ".css", "text/css; charset=utf-8" },
  { ".js", "text/javascript; charset=utf-8" },
  { ".png", "image/png" },
  { ".svg", "image/svg+xml" },
};

/* A file name of the web folder: letters, digits, '-' and one '.'; nothing
 * that could climb out of it. */
static gboolean
plain_name (const char *name)
{
  int dots = 0;
  if (*name == '\0' || *name == '.')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '.')
      dots++;
    else if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return dots == 1;
}

static void
add_word (gpointer key, gpointer value, gpointer data)
{
  if (g_str_has_prefix (key, WEB_CONTEXT))
    g_ptr_array_add (data, key);
}

static int
by_text (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* {"lang": "zh", "words": {"Sign in": "登录", ...}}, sorted; English has
 * no words (the msgids are the English). */
static GBytes *
build_words (const char *lang)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  core_i18n_foreach (lang, add_word, keys);
  g_ptr_array_sort (keys, by_text);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "lang");
  json_builder_add_string_value (b, lang);
  json_builder_set_member_name (b, "words");
  json_builder_begin_object (b);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = keys->pdata[i];
      json_builder_set_member_name (b, key + strlen (WEB_CONTEXT));
      json_builder_add_string_value (b, core_i18n_translate (lang, key));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  g_autoptr (JsonGenerator) g = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (g, root);
  gsize len = 0;
  char *text = json_generator_to_data (g, &len);
  return g_bytes_new_take (text, len);
}

/* The words in @lang, built once per language and kept. */
static GBytes *
words (const char *lang)
{
  static GBytes *built[2];
  G_LOCK_DEFINE_STATIC (built);
  int i = strcmp (lang, "zh") == 0 ? 0 : 1;
  G_LOCK (built);
  if (built[i] == NULL)
    built[i] = build_words (i == 0 ? "zh" : "en");
  GBytes *bytes = g_bytes_ref (built[i]);
  G_UNLOCK (built);
  return bytes;
}

GBytes *
server_pages_lookup (const char *path, GHashTable *query, const char **type)
{
  if (strcmp (path, "/web/words.json") == 0)
    {
      const char *asked = query ? g_hash_table_lookup (query, "lang") : NULL;
      const char *lang = asked ? core_i18n_lang_parse (asked) : NULL;
      if (lang == NULL)
        {
          /* the server's own: the process's, whatever this thread was set to */
          const char *thread = core_i18n_set_thread (NULL);
          lang = core_i18n_lang ();
          core_i18n_set_thread (thread);
        }
      *type = "application/json; charset=utf-8";
      return words (lang);
    }
  const char *file = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (pages); i++)
    if (strcmp (path, pages[i].path) == 0)
      file = pages[i].file;
  if (file == NULL && g_str_has_prefix (path, "/web/") && plain_name (path + 5))
    file = path + 5;
  if (file == NULL)
    return NULL;
  *type = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_str_has_suffix (file, types[i].suffix))
      *type = types[i].type;
  if (*type == NULL)
    return NULL;
  g_autofree char *name = g_strconcat ("/org/spotcheck/web/", file, NULL);
  return g_resource_lookup_data (spotcheck_web_get_resource (), name, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                 NULL);
}
