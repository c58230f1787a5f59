/* server-pages.c: the web pages (web/), compiled into the binary as a
 * GResource and served as they are. They hold no data: each page signs in
 * with a token kept in the browser's session and calls the documented API,
 * so the role rules stay the API's. */
#include "server/server-private.h"

#include "web/spotcheck-web-resources.h"

#include <string.h>

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

GBytes *
server_pages_lookup (const char *path, const char **type)
{
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
