/* intake-text.c: white-space trimming and key folding for headers and words. */
#include "intake/intake-text.h"

#include <string.h>

static gboolean
is_space_char (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x00A0 || c == 0x3000 || c == 0xFEFF || c == 0x200B;
}

/* TRUE when @c (a byte) is plain ASCII that is not white space. */
static gboolean
solid_ascii (char c)
{
  return (unsigned char)c < 0x80 && !g_ascii_isspace (c) && c != '\0';
}

char *
intake_text_strip (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  /* Fast path for the common cell that starts and ends with a visible ASCII
   * character: nothing to strip (large files have millions of cells). */
  gsize len = strlen (text);
  if (len > 0 && solid_ascii (text[0]) && solid_ascii (text[len - 1]))
    return g_strndup (text, len);
  if (!g_utf8_validate (text, -1, NULL))
    return g_strstrip (g_strdup (text));
  const char *start = text;
  while (*start != '\0' && is_space_char (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  const char *end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);
      if (!is_space_char (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

/* TRUE when NFKC and case folding leave @text alone apart from ASCII case:
 * ASCII and CJK unified ideographs only, the text of nearly every cell. */
static gboolean
fold_is_simple (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if ((unsigned char)*p < 0x80)
        continue;
      gunichar c = g_utf8_get_char (p);
      if (c < 0x4E00 || c > 0x9FFF)
        return FALSE;
    }
  return TRUE;
}

char *
intake_text_fold (const char *text)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");
  if (fold_is_simple (text))
    {
      char *out = g_malloc (strlen (text) + 1), *q = out;
      for (const char *p = text; *p != '\0'; p++)
        if (!(g_ascii_isspace (*p) || *p == '_' || *p == '-' || *p == '.'))
          *q++ = g_ascii_tolower (*p);
      *q = '\0';
      return out;
    }
  g_autofree char *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = g_utf8_casefold (nfkc ? nfkc : text, -1);
  GString *out = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (is_space_char (c) || c == '_' || c == '-' || c == '.')
        continue;
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/* TRUE when @word, folded, equals @key; no allocation for simple words,
 * which every built-in word list mostly holds. */
static gboolean
folds_to (const char *word, const char *key)
{
  if (!fold_is_simple (word))
    {
      g_autofree char *w = intake_text_fold (word);
      return strcmp (key, w) == 0;
    }
  const char *k = key;
  for (const char *p = word; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || *p == '_' || *p == '-' || *p == '.')
        continue;
      if (*k++ != g_ascii_tolower (*p))
        return FALSE;
    }
  return *k == '\0';
}

gboolean
intake_text_is_one_of (const char *text, const char *const *words)
{
  g_autofree char *key = intake_text_fold (text);
  for (gsize i = 0; words[i] != NULL; i++)
    if (folds_to (words[i], key))
      return TRUE;
  return FALSE;
}

gboolean
intake_text_is_placeholder (const char *text)
{
  static const char *const MARKS[] = { "-", "—", "–", "/", "／", "－" };
  g_autofree char *s = intake_text_strip (text);
  const char *p = s;
  if (*p == '\0')
    return FALSE;
  while (*p != '\0')
    {
      gsize i;
      for (i = 0; i < G_N_ELEMENTS (MARKS); i++)
        if (g_str_has_prefix (p, MARKS[i]))
          break;
      if (i == G_N_ELEMENTS (MARKS))
        return FALSE;
      p += strlen (MARKS[i]);
    }
  return TRUE;
}

gboolean
intake_text_is_blank (const char *text)
{
  g_autofree char *s = intake_text_strip (text);
  return *s == '\0';
}

/* Superscript exponents become ^N before NFKC, which would turn 10⁵ into 105. */
char *
intake_text_normalize (const char *text)
{
  static const char *const SUPER[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "⁻" };
  g_autofree char *stripped = intake_text_strip (text);
  if (!g_utf8_validate (stripped, -1, NULL))
    return g_strdup ("\x01"); /* never parses; callers report the original text */
  if (fold_is_simple (stripped))
    return g_steal_pointer (&stripped); /* NFKC leaves ASCII and CJK ideographs alone */
  GString *out = g_string_new (NULL);
  gboolean in_super = FALSE;
  for (const char *p = stripped; *p != '\0';)
    {
      gsize i;
      for (i = 0; i < G_N_ELEMENTS (SUPER); i++)
        if (g_str_has_prefix (p, SUPER[i]))
          break;
      if (i < G_N_ELEMENTS (SUPER))
        {
          if (!in_super)
            g_string_append_c (out, '^');
          g_string_append_c (out, i == 10 ? '-' : (char)('0' + i));
          in_super = TRUE;
          p += strlen (SUPER[i]);
          continue;
        }
      in_super = FALSE;
      const char *next = g_utf8_next_char (p);
      g_string_append_len (out, p, next - p);
      p = next;
    }
  g_autofree char *raw = g_string_free (out, FALSE);
  return g_utf8_normalize (raw, -1, G_NORMALIZE_NFKC);
}

const char *
intake_text_skip_spaces (const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}
