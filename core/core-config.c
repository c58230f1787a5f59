/* core-config.c: layered key files; every value remembers the file it came from. */
#include "core/core-config.h"

#include "config/spotcheck-config-resources.h"

#include <gio/gio.h>
#include <string.h>
#include "core/core-i18n.h"

#define BUILTIN_PREFIX "/org/spotcheck/config"
#define MAX_INCLUDE_DEPTH 8

G_DEFINE_QUARK (core - config - error - quark, core_config_error)

typedef struct
{
  GKeyFile *keys;
  char *origin;
} Layer;

struct CoreConfig
{
  GPtrArray *layers; /* of Layer*, bottom first */
};

static void
layer_free (gpointer data)
{
  Layer *layer = data;
  g_key_file_unref (layer->keys);
  g_free (layer->origin);
  g_free (layer);
}

static CoreConfig *
config_new_empty (void)
{
  CoreConfig *config = g_new0 (CoreConfig, 1);
  config->layers = g_ptr_array_new_with_free_func (layer_free);
  return config;
}

void
core_config_free (CoreConfig *config)
{
  if (config == NULL)
    return;
  g_ptr_array_unref (config->layers);
  g_free (config);
}

static gboolean add_file_depth (CoreConfig *config, const char *path, int depth, GError **error);

/* Files named by [spotcheck] include=a.conf;b.conf, relative to the including file. */
static gboolean
add_includes (CoreConfig *config, GKeyFile *keys, const char *path, int depth, GError **error)
{
  g_auto (GStrv) includes = g_key_file_get_string_list (keys, "spotcheck", "include", NULL, NULL);
  if (includes == NULL)
    return TRUE;
  if (depth >= MAX_INCLUDE_DEPTH)
    {
      g_set_error (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_FILE,
                   _ ("%s: [spotcheck] include: includes nest deeper than %d files; "
                      "look for a file that includes itself"),
                   path, MAX_INCLUDE_DEPTH);
      return FALSE;
    }
  g_autofree char *dir = g_path_get_dirname (path);
  for (char **p = includes; *p != NULL; p++)
    {
      g_autofree char *name = g_strstrip (g_strdup (*p));
      if (*name == '\0')
        continue;
      g_autofree char *full
          = g_path_is_absolute (name) ? g_strdup (name) : g_build_filename (dir, name, NULL);
      if (!add_file_depth (config, full, depth + 1, error))
        {
          g_prefix_error (error, _ ("%s: [spotcheck] include: "), path);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
add_file_depth (CoreConfig *config, const char *path, int depth, GError **error)
{
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  g_autoptr (GError) local = NULL;

  if (!g_key_file_load_from_file (keys, path, G_KEY_FILE_KEEP_COMMENTS, &local))
    {
      g_set_error (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_FILE,
                   _ ("cannot read configuration file %s: %s; check the path and the file's syntax "
                      "(GKeyFile: [group] lines and key=value lines)"),
                   path, local->message);
      return FALSE;
    }
  Layer *layer = g_new0 (Layer, 1);
  layer->keys = g_key_file_ref (keys);
  layer->origin = g_strdup (path);
  g_ptr_array_add (config->layers, layer);
  return add_includes (config, keys, path, depth, error);
}

gboolean
core_config_add_file (CoreConfig *config, const char *path, GError **error)
{
  return add_file_depth (config, path, 0, error);
}

gboolean
core_config_add_data (CoreConfig *config, const char *data, const char *origin, GError **error)
{
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  g_autoptr (GError) local = NULL;

  if (!g_key_file_load_from_data (keys, data, (gsize)-1, G_KEY_FILE_KEEP_COMMENTS, &local))
    {
      g_set_error (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_FILE,
                   _ ("cannot parse configuration %s: %s"), origin, local->message);
      return FALSE;
    }
  Layer *layer = g_new0 (Layer, 1);
  layer->keys = g_key_file_ref (keys);
  layer->origin = g_strdup (origin);
  g_ptr_array_add (config->layers, layer);
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

CoreConfig *
core_config_new_builtin (GError **error)
{
  g_autoptr (CoreConfig) config = config_new_empty ();
  GResource *resource = spotcheck_config_get_resource ();
  g_auto (GStrv) names = g_resource_enumerate_children (resource, BUILTIN_PREFIX,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    {
      g_prefix_error (error, _ ("built-in configuration missing from the binary: "));
      return NULL;
    }
  qsort (names, g_strv_length (names), sizeof (char *), compare_strings);
  for (char **n = names; *n != NULL; n++)
    {
      if (!g_str_has_suffix (*n, ".conf"))
        continue;
      g_autofree char *path = g_strconcat (BUILTIN_PREFIX "/", *n, NULL);
      g_autoptr (GBytes) bytes
          = g_resource_lookup_data (resource, path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return NULL;
      g_autofree char *origin = g_strconcat ("built-in config/", *n, NULL);
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (!core_config_add_data (config, text, origin, error))
        return NULL;
    }
  return g_steal_pointer (&config);
}

CoreConfig *
core_config_load (const char *explicit_path, GError **error)
{
  g_autoptr (CoreConfig) config = core_config_new_builtin (error);
  if (config == NULL)
    return NULL;

  const char *path = explicit_path;
  if (path == NULL || *path == '\0')
    path = g_getenv ("SPOTCHECK_CONFIG");
  if (path != NULL && *path != '\0')
    {
      if (!core_config_add_file (config, path, error))
        return NULL;
      return g_steal_pointer (&config);
    }
  g_autofree char *xdg
      = g_build_filename (g_get_user_config_dir (), "spotcheck", "spotcheck.conf", NULL);
  if (g_file_test (xdg, G_FILE_TEST_EXISTS) && !core_config_add_file (config, xdg, error))
    return NULL;
  return g_steal_pointer (&config);
}

static const Layer *
find_layer (const CoreConfig *config, const char *group, const char *key)
{
  for (guint i = config->layers->len; i > 0; i--)
    {
      const Layer *layer = g_ptr_array_index (config->layers, i - 1);
      if (g_key_file_has_key (layer->keys, group, key, NULL))
        return layer;
    }
  return NULL;
}

gboolean
core_config_has_group (const CoreConfig *config, const char *group)
{
  for (guint i = 0; i < config->layers->len; i++)
    {
      const Layer *layer = g_ptr_array_index (config->layers, i);
      if (g_key_file_has_group (layer->keys, group))
        return TRUE;
    }
  return FALSE;
}

gboolean
core_config_has_key (const CoreConfig *config, const char *group, const char *key)
{
  return find_layer (config, group, key) != NULL;
}

const char *
core_config_origin (const CoreConfig *config, const char *group, const char *key)
{
  const Layer *layer = find_layer (config, group, key);
  return layer ? layer->origin : NULL;
}

static void
add_unique (GPtrArray *out, GHashTable *seen, const char *name)
{
  if (g_hash_table_contains (seen, name))
    return;
  char *copy = g_strdup (name);
  g_hash_table_add (seen, copy);
  g_ptr_array_add (out, g_strdup (name));
}

char **
core_config_groups (const CoreConfig *config, const char *prefix)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < config->layers->len; i++)
    {
      const Layer *layer = g_ptr_array_index (config->layers, i);
      g_auto (GStrv) groups = g_key_file_get_groups (layer->keys, NULL);
      for (char **g = groups; *g != NULL; g++)
        if (prefix == NULL || g_str_has_prefix (*g, prefix))
          add_unique (out, seen, *g);
    }
  g_ptr_array_add (out, NULL);
  return (char **)g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

char **
core_config_keys (const CoreConfig *config, const char *group)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < config->layers->len; i++)
    {
      const Layer *layer = g_ptr_array_index (config->layers, i);
      g_auto (GStrv) keys = g_key_file_get_keys (layer->keys, group, NULL, NULL);
      if (keys == NULL)
        continue;
      for (char **k = keys; *k != NULL; k++)
        add_unique (out, seen, *k);
    }
  g_ptr_array_add (out, NULL);
  return (char **)g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

void
core_config_set_invalid (const CoreConfig *config, GError **error, const char *group,
                         const char *key, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *what = g_strdup_vprintf (fmt, args);
  va_end (args);
  const char *origin = core_config_origin (config, group, key);
  g_set_error (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_INVALID, "%s: [%s] %s: %s",
               origin ? origin : "configuration", group, key, what);
}

char *
core_config_get_string (const CoreConfig *config, const char *group, const char *key,
                        GError **error)
{
  const Layer *layer = find_layer (config, group, key);
  if (layer == NULL)
    {
      g_set_error (
          error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_MISSING,
          _ ("configuration has no key %s in group [%s]; add it to your configuration file "
             "(see `spotcheck config show`)"),
          key, group);
      return NULL;
    }
  g_autoptr (GError) local = NULL;
  char *value = g_key_file_get_string (layer->keys, group, key, &local);
  if (value == NULL)
    {
      g_set_error (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_INVALID, "%s: [%s] %s: %s",
                   layer->origin, group, key, local->message);
      return NULL;
    }
  return g_strstrip (value);
}

char *
core_config_get_string_or (const CoreConfig *config, const char *group, const char *key,
                           const char *fallback)
{
  if (!core_config_has_key (config, group, key))
    return g_strdup (fallback);
  char *value = core_config_get_string (config, group, key, NULL);
  return value ? value : g_strdup (fallback);
}

char **
core_config_get_list (const CoreConfig *config, const char *group, const char *key, GError **error)
{
  const Layer *layer = find_layer (config, group, key);
  if (layer == NULL)
    {
      g_set_error (
          error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_MISSING,
          _ ("configuration has no key %s in group [%s]; add it to your configuration file"), key,
          group);
      return NULL;
    }
  g_autoptr (GError) local = NULL;
  gsize n = 0;
  char **list = g_key_file_get_string_list (layer->keys, group, key, &n, &local);
  if (list == NULL)
    {
      if (g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE)
          || local == NULL)
        return g_new0 (char *, 1);
      g_set_error (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_INVALID, "%s: [%s] %s: %s",
                   layer->origin, group, key, local->message);
      return NULL;
    }
  /* Drop empty items and surrounding blanks so "a; b;" reads as {a, b}. */
  guint w = 0;
  for (guint r = 0; r < n; r++)
    {
      g_strstrip (list[r]);
      if (*list[r] == '\0')
        g_free (list[r]);
      else
        list[w++] = list[r];
    }
  list[w] = NULL;
  return list;
}

gboolean
core_config_get_int (const CoreConfig *config, const char *group, const char *key, gint64 min,
                     gint64 max, gint64 *out, GError **error)
{
  g_autofree char *text = core_config_get_string (config, group, key, error);
  if (text == NULL)
    return FALSE;
  gint64 value = 0;
  if (!g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
    {
      core_config_set_invalid (config, error, group, key,
                               "expected a whole number from %" G_GINT64_FORMAT
                               " to %" G_GINT64_FORMAT ", got \"%s\"",
                               min, max, text);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

gboolean
core_config_get_double (const CoreConfig *config, const char *group, const char *key, double min,
                        double max, double *out, GError **error)
{
  g_autofree char *text = core_config_get_string (config, group, key, error);
  if (text == NULL)
    return FALSE;
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(value >= min && value <= max))
    {
      core_config_set_invalid (config, error, group, key,
                               _ ("expected a number from %g to %g, got \"%s\""), min, max, text);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

char *
core_config_dump (const CoreConfig *config, gboolean with_origins)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) groups = core_config_groups (config, NULL);
  for (char **g = groups; *g != NULL; g++)
    {
      g_string_append_printf (out, "%s[%s]\n", out->len ? "\n" : "", *g);
      g_auto (GStrv) keys = core_config_keys (config, *g);
      for (char **k = keys; *k != NULL; k++)
        {
          const Layer *layer = find_layer (config, *g, *k);
          g_autofree char *raw = g_key_file_get_value (layer->keys, *g, *k, NULL);
          if (with_origins)
            g_string_append_printf (out, "%s=%s  # %s\n", *k, raw ? raw : "", layer->origin);
          else
            g_string_append_printf (out, "%s=%s\n", *k, raw ? raw : "");
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
