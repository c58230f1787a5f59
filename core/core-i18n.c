/* core-i18n.c: per-thread language and a reader of msgfmt's .mo catalogues
 * (the GNU format: a header, then two tables of (length, offset) pairs for
 * the originals and their translations; the hash table is not needed since
 * the entries go into a GHashTable once). */
#include "core/core-i18n.h"

#include <string.h>

#define MO_MAGIC 0x950412deU
#define MO_SWAPPED 0xde120495U

static char *localedir;
static const char *default_lang = "en";
static GPrivate thread_lang;

/* The Chinese catalogue: msgid (with "context\004" when it has one) to its
 * translation, read once. */
static GHashTable *zh_catalogue;
static GOnce zh_once = G_ONCE_INIT;

void
core_i18n_set_localedir (const char *dir)
{
  if (zh_catalogue != NULL)
    return;
  g_free (localedir);
  localedir = g_strdup (dir);
}

void
core_i18n_set_default (const char *lang)
{
  const char *l = core_i18n_lang_parse (lang);
  default_lang = l != NULL ? l : "en";
}

const char *
core_i18n_set_thread (const char *lang)
{
  const char *before = g_private_get (&thread_lang);
  g_private_set (&thread_lang, (gpointer)(lang ? core_i18n_lang_parse (lang) : NULL));
  return before;
}

const char *
core_i18n_lang (void)
{
  const char *l = g_private_get (&thread_lang);
  return l != NULL ? l : default_lang;
}

const char *
core_i18n_lang_parse (const char *text)
{
  if (text == NULL)
    return NULL;
  gsize n = strspn (text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
  if (n != 2 || (text[2] != '\0' && strchr ("-_.@", text[2]) == NULL))
    return NULL;
  if (g_ascii_strncasecmp (text, "zh", 2) == 0)
    return "zh";
  if (g_ascii_strncasecmp (text, "en", 2) == 0)
    return "en";
  return NULL;
}

const char *
core_i18n_lang_accept (const char *header)
{
  if (header == NULL)
    return NULL;
  g_auto (GStrv) items = g_strsplit (header, ",", -1);
  const char *best = NULL;
  double best_q = 0;
  for (char **it = items; *it; it++)
    {
      g_auto (GStrv) parts = g_strsplit (*it, ";", -1);
      const char *lang = core_i18n_lang_parse (g_strstrip (parts[0]));
      double q = 1;
      for (char **p = parts + 1; *p; p++)
        {
          const char *s = g_strstrip (*p);
          if (g_ascii_strncasecmp (s, "q=", 2) == 0)
            q = g_ascii_strtod (s + 2, NULL);
        }
      /* The first of equal quality wins, as the header lists preference. */
      if (lang != NULL && q > best_q)
        {
          best = lang;
          best_q = q;
        }
    }
  return best;
}

static guint32
mo_word (const guint8 *data, gsize at, gboolean swapped)
{
  guint32 w;
  memcpy (&w, data + at, sizeof w);
  return swapped ? GUINT32_SWAP_LE_BE (w) : w;
}

/* Reads @path into @into; FALSE (and nothing added) when it is missing or
 * not a catalogue. */
static gboolean
mo_read (const char *path, GHashTable *into)
{
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  if (file == NULL)
    return FALSE;
  const guint8 *data = (const guint8 *)g_mapped_file_get_contents (file);
  gsize size = g_mapped_file_get_length (file);
  if (size < 28)
    return FALSE;
  guint32 magic;
  memcpy (&magic, data, sizeof magic);
  if (magic != MO_MAGIC && magic != MO_SWAPPED)
    return FALSE;
  gboolean swapped = magic == MO_SWAPPED;
  /* Every entry is checked before any is kept: a damaged file adds none. */
  g_autoptr (GHashTable) read = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint32 n = mo_word (data, 8, swapped);
  guint32 originals = mo_word (data, 12, swapped);
  guint32 translations = mo_word (data, 16, swapped);
  if ((guint64)originals + 8ULL * n > size || (guint64)translations + 8ULL * n > size)
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    {
      guint32 olen = mo_word (data, originals + 8 * i, swapped);
      guint32 ooff = mo_word (data, originals + 8 * i + 4, swapped);
      guint32 tlen = mo_word (data, translations + 8 * i, swapped);
      guint32 toff = mo_word (data, translations + 8 * i + 4, swapped);
      if ((guint64)ooff + olen >= size || (guint64)toff + tlen >= size)
        return FALSE;
      if (olen == 0)
        continue; /* the header entry */
      /* A plural entry holds "singular\0plural": the singular is the key,
       * the first form the translation. */
      g_hash_table_replace (read, g_strndup ((const char *)data + ooff, olen),
                            g_strndup ((const char *)data + toff, tlen));
    }
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, read);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      g_hash_table_iter_steal (&it);
      g_hash_table_replace (into, k, v);
    }
  return TRUE;
}

static gpointer
zh_load (gpointer unused)
{
  (void)unused;
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (localedir != NULL)
    {
      g_autofree char *path
          = g_build_filename (localedir, "zh_CN", "LC_MESSAGES", "spotcheck.mo", NULL);
      if (!mo_read (path, t))
        g_debug ("no Chinese catalogue at %s: messages stay English", path);
    }
  zh_catalogue = t;
  return t;
}

static GHashTable *
catalogue (const char *lang)
{
  if (lang == NULL || strcmp (lang, "zh") != 0)
    return NULL;
  return g_once (&zh_once, zh_load, NULL);
}

const char *
core_i18n_translate (const char *lang, const char *msgid)
{
  GHashTable *t = catalogue (lang);
  if (t == NULL || msgid == NULL || *msgid == '\0')
    return msgid;
  const char *s = g_hash_table_lookup (t, msgid);
  return s != NULL && *s != '\0' ? s : msgid;
}

const char *
core_gettext (const char *msgid)
{
  return core_i18n_translate (core_i18n_lang (), msgid);
}

const char *
core_pgettext (const char *key, gsize context_len)
{
  const char *s = core_gettext (key);
  return s == key ? key + context_len : s;
}

void
core_i18n_foreach (const char *lang, GHFunc func, gpointer data)
{
  GHashTable *t = catalogue (lang);
  if (t != NULL)
    g_hash_table_foreach (t, func, data);
}
