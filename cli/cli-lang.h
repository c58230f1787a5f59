/* cli-lang.h: which language the CLI speaks, and where its catalogues are. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Binds the message catalogue (the build tree's po/ when this binary runs from
 * the build tree, else the installed locale directory) and picks the
 * language: @lang ("zh" or "en") when given, else Chinese under a zh_*
 * locale and English otherwise. Call after setlocale (LC_ALL, ""). FALSE with
 * @error when @lang is neither "zh" nor "en". */
gboolean cli_lang_init (const char *lang, GError **error);

/* "zh" or "en": the language chosen by cli_lang_init(). */
const char *cli_lang_current (void);

G_END_DECLS
