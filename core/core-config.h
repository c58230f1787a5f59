/* core-config.h: layered GKeyFile configuration with the origin of every value.
 *
 * The effective configuration is a stack of layers: the built-in defaults
 * shipped in config/ (compiled in as a GResource) at the bottom, then the
 * user's file and any files it includes, then files added by commands
 * (e.g. `plan generate --config`). A key is looked up from the top down. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CORE_CONFIG_ERROR (core_config_error_quark ())
GQuark core_config_error_quark (void);

typedef enum
{
  CORE_CONFIG_ERROR_FILE,    /* a file cannot be read or parsed */
  CORE_CONFIG_ERROR_MISSING, /* a required group or key is absent */
  CORE_CONFIG_ERROR_INVALID, /* a value has the wrong form or range */
} CoreConfigError;

typedef struct CoreConfig CoreConfig;

/* Loads the built-in defaults, then the first user file found in this order:
 * @explicit_path, $SPOTCHECK_CONFIG, $XDG_CONFIG_HOME/spotcheck/spotcheck.conf.
 * An explicitly named file that does not exist is an error; the XDG file is
 * optional. Returns a new config (free with core_config_free()). */
CoreConfig *core_config_load (const char *explicit_path, GError **error);

/* Only the built-in defaults; for tests and `config show --defaults`. */
CoreConfig *core_config_new_builtin (GError **error);

/* Pushes @path (and the files named by its [spotcheck] include key) on top. */
gboolean core_config_add_file (CoreConfig *config, const char *path, GError **error);

/* Pushes in-memory text as a layer named @origin (used by tests and snapshots). */
gboolean core_config_add_data (CoreConfig *config, const char *data, const char *origin,
                               GError **error);

void core_config_free (CoreConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoreConfig, core_config_free)

gboolean core_config_has_group (const CoreConfig *config, const char *group);
gboolean core_config_has_key (const CoreConfig *config, const char *group, const char *key);

/* Origin (a path or "built-in config/NAME") of the layer that supplies the key,
 * or NULL when no layer has it. Owned by @config. */
const char *core_config_origin (const CoreConfig *config, const char *group, const char *key);

/* All groups (or those starting with @prefix, NULL for all) in first-seen
 * order from the bottom layer up. Free with g_strfreev(). */
char **core_config_groups (const CoreConfig *config, const char *prefix);

/* All keys of @group across layers, first-seen order. Free with g_strfreev(). */
char **core_config_keys (const CoreConfig *config, const char *group);

/* Getters. A missing key is CORE_CONFIG_ERROR_MISSING; a malformed value is
 * CORE_CONFIG_ERROR_INVALID with a message naming file, group and key. */
char *core_config_get_string (const CoreConfig *config, const char *group, const char *key,
                              GError **error);
char *core_config_get_string_or (const CoreConfig *config, const char *group, const char *key,
                                 const char *fallback);
char **core_config_get_list (const CoreConfig *config, const char *group, const char *key,
                             GError **error);
gboolean core_config_get_int (const CoreConfig *config, const char *group, const char *key,
                              gint64 min, gint64 max, gint64 *out, GError **error);
gboolean core_config_get_double (const CoreConfig *config, const char *group, const char *key,
                                 double min, double max, double *out, GError **error);

/* Sets an error naming the key's origin, group and key, followed by @fmt. */
void core_config_set_invalid (const CoreConfig *config, GError **error, const char *group,
                              const char *key, const char *fmt, ...) G_GNUC_PRINTF (5, 6);

/* The whole effective configuration as key file text, each key annotated with
 * its origin in a comment. Free with g_free(). */
char *core_config_dump (const CoreConfig *config, gboolean with_origins);

G_END_DECLS
