/* core-i18n.h: the language of messages and labels, and their catalogues.
 *
 * Strings for people are marked the GNU way: _() where they are used, N_()
 * where they only need extracting (a table of labels), C_() when one English
 * text needs two Chinese words. xgettext extracts them into po/spotcheck.pot
 * (po/POTFILES lists the files), po/zh_CN.po translates them and msgfmt
 * compiles it into LANG/LC_MESSAGES/spotcheck.mo, installed under localedir
 * and kept in the build tree's po/ as well.
 *
 * The catalogues are read here rather than through libc's gettext because
 * the language belongs to a thread, not to the process: the server answers
 * each request in the language the request asks for, on worker threads,
 * while libc's choice (LANGUAGE, LC_MESSAGES) is one for the whole process
 * and needs the locale installed. The CLI has one language for its whole
 * run (the default here); libc's gettext still serves GLib's and libpq's
 * own messages, set to the same language by cli/cli-lang.c.
 *
 * Languages are "zh" (Chinese, the catalogue zh_CN) and "en" (the msgids). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define _(text) core_gettext (text)
#define N_(text) (text)
/* @context tells apart two uses of one English text; a literal. */
#define C_(context, text) core_pgettext (context "\004" text, sizeof (context))

/* Where the catalogues are (LANG/LC_MESSAGES/spotcheck.mo beneath). Call
 * before the first translation; later calls are ignored once a catalogue
 * has been read. */
void core_i18n_set_localedir (const char *dir);

/* The process's language, for threads that chose none (default "en"). */
void core_i18n_set_default (const char *lang);

/* This thread's language (NULL: the process's again). Returns the one it
 * replaces (NULL when the thread had none), to put back afterwards. */
const char *core_i18n_set_thread (const char *lang);

/* The language in effect on this thread: "zh" or "en". */
const char *core_i18n_lang (void);

/* @text as a language ("zh" or "en", static), or NULL when it is neither.
 * Accepts "zh", "zh-CN", "zh_CN.UTF-8", "en", "en-US" and the like. */
const char *core_i18n_lang_parse (const char *text);

/* The first language of an HTTP Accept-Language header that spotcheck
 * speaks, by quality ("zh-CN,zh;q=0.9,en;q=0.8" is "zh"); NULL when none. */
const char *core_i18n_lang_accept (const char *header);

/* @msgid in this thread's language; @msgid itself when the catalogue has
 * no entry (or the language is English). Static: never freed. */
const char *core_gettext (const char *msgid) G_GNUC_FORMAT (1);

/* @msgid in @lang, whatever this thread's language. */
const char *core_i18n_translate (const char *lang, const char *msgid) G_GNUC_FORMAT (2);

/* For C_(): @key is "context\004text", @context_len the context's length
 * plus one. */
const char *core_pgettext (const char *key, gsize context_len) G_GNUC_FORMAT (1);

/* Calls @func (msgid, translation, data) for every entry of @lang's
 * catalogue (none for English or a missing catalogue), in no order. The
 * web pages get their words this way. */
void core_i18n_foreach (const char *lang, GHFunc func, gpointer data);

G_END_DECLS
