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

/* TRUE when the character at @p cannot be white space (is_space_char), for
 * valid UTF-8 or not (invalid text is stripped of ASCII white space only):
 * only the lead bytes C2, E1, E2 80/81, E3 and EF start non-ASCII spaces. */
static gboolean
solid_at (const char *p)
{
  guchar b = (guchar)p[0];
  if (b < 0x80)
    return solid_ascii (p[0]);
  if (b == 0xC2 || b == 0xE1 || b == 0xE3 || b == 0xEF)
    return FALSE;
  return b != 0xE2 || ((guchar)p[1] != 0x80 && (guchar)p[1] != 0x81);
}

/* TRUE when the last character of @text (@len > 0 bytes) cannot be white space. */
static gboolean
solid_end (const char *text, gsize len)
{
  const char *p = text + len - 1;
  for (int k = 0; k < 3 && p > text && ((guchar)*p & 0xC0) == 0x80; k++)
    p--;
  return solid_at (p);
}

/* Where @text starts and how long it is without leading and trailing white
 * space; no copy, so that checks such as intake_text_is_blank() allocate nothing. */
static gsize
strip_span (const char *text, const char **start_out)
{
  /* Fast path for the common cell that starts and ends with a visible
   * character: nothing to strip (large files have millions of cells). */
  gsize len = strlen (text);
  *start_out = text;
  if (len > 0 && solid_at (text) && solid_end (text, len))
    return len;
  const char *start = text, *end;
  if (!g_utf8_validate (text, len, NULL))
    {
      /* As g_strstrip(): ASCII white space only. */
      while (g_ascii_isspace (*start))
        start++;
      end = text + len;
      while (end > start && g_ascii_isspace (end[-1]))
        end--;
      *start_out = start;
      return end - start;
    }
  while (*start != '\0' && is_space_char (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = text + len;
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);
      if (!is_space_char (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  *start_out = start;
  return end - start;
}

const char *
intake_text_strip_span (const char *text, gsize *len)
{
  const char *start;
  *len = strip_span (text, &start);
  return start;
}

char *
intake_text_strip (const char *text)
{
  const char *start;
  if (text == NULL)
    return g_strdup ("");
  gsize len = strip_span (text, &start);
  return g_strndup (start, len);
}

/* TRUE when valid UTF-8 @p starts with a CJK unified ideograph U+4E00..U+9FFF,
 * E4 B8 80 to E9 BF BF: read off the lead bytes. */
static gboolean
is_cjk_at (const char *p)
{
  guchar b = (guchar)p[0];
  return (b >= 0xE5 && b <= 0xE9) || (b == 0xE4 && (guchar)p[1] >= 0xB8);
}

/* Only A-Z change, so no call is needed for the bytes of a key. */
static char
lower_ascii (char c)
{
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* TRUE when NFKC and case folding leave @text alone apart from ASCII case:
 * ASCII and CJK unified ideographs only, the text of nearly every cell. */
static gboolean
fold_is_simple (const char *text)
{
  for (const char *p = text; *p != '\0';)
    {
      if ((guchar)*p < 0x80)
        p++;
      else if (is_cjk_at (p))
        p += 3;
      else
        return FALSE;
    }
  return TRUE;
}

/* TRUE when the ASCII byte @c is dropped from a key by the simple fold. */
static gboolean
simple_fold_drops (char c)
{
  return g_ascii_isspace (c) || c == '_' || c == '-' || c == '.';
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
        if (!simple_fold_drops (*p))
          *q++ = lower_ascii (*p);
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

/* TRUE when @a and @b, both simple (fold_is_simple), fold to the same key:
 * the two folds compared as they are produced, with no copy. */
static gboolean
simple_folds_equal (const char *a, const char *b)
{
  for (;;)
    {
      while (simple_fold_drops (*a))
        a++;
      while (simple_fold_drops (*b))
        b++;
      if (*a == '\0' || *b == '\0')
        return *a == *b;
      if (lower_ascii (*a) != lower_ascii (*b))
        return FALSE;
      a++, b++;
    }
}

/* TRUE when the simple @text folds to @key (a key already folded). */
static gboolean
simple_folds_to_key (const char *text, const char *key)
{
  const char *k = key;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (simple_fold_drops (*p))
        continue;
      if (*k++ != lower_ascii (*p))
        return FALSE;
    }
  return *k == '\0';
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
  return simple_folds_to_key (word, key);
}

gboolean
intake_text_is_one_of (const char *text, const char *const *words)
{
  if (text != NULL && g_utf8_validate (text, -1, NULL) && fold_is_simple (text))
    {
      /* The common case: no key to build, both sides folded on the fly. */
      for (gsize i = 0; words[i] != NULL; i++)
        {
          if (fold_is_simple (words[i]))
            {
              if (simple_folds_equal (text, words[i]))
                return TRUE;
            }
          else
            {
              g_autofree char *w = intake_text_fold (words[i]);
              if (simple_folds_to_key (text, w))
                return TRUE;
            }
        }
      return FALSE;
    }
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
  const char *p;
  if (text == NULL)
    return FALSE;
  gsize left = strip_span (text, &p);
  if (left == 0)
    return FALSE;
  while (left > 0)
    {
      gsize i, n = 0;
      for (i = 0; i < G_N_ELEMENTS (MARKS); i++)
        {
          n = strlen (MARKS[i]);
          if (n <= left && memcmp (p, MARKS[i], n) == 0)
            break;
        }
      if (i == G_N_ELEMENTS (MARKS))
        return FALSE;
      p += n;
      left -= n;
    }
  return TRUE;
}

gboolean
intake_text_is_blank (const char *text)
{
  const char *start;
  return text == NULL || strip_span (text, &start) == 0;
}

/* TRUE when NFKC leaves @text (valid UTF-8) as it is: every character is a
 * starter that NFKC maps to itself and that never composes with its neighbour.
 * ASCII, CJK unified ideographs and the signs limits are written with. */
static gboolean
nfkc_is_identity (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if ((unsigned char)*p < 0x80 || is_cjk_at (p))
        continue;
      gunichar c = g_utf8_get_char (p);
      switch (c)
        {
        case 0x2264: /* ≤ */
        case 0x2265: /* ≥ */
        case 0x00D7: /* × */
        case 0x2013: /* – */
        case 0x2014: /* — */
        case 0x00B0: /* ° */
        case 0x2030: /* ‰ */
        case 0x03BC: /* μ (not the micro sign U+00B5, which NFKC maps to it) */
        case 0x3001: /* 、 */
          continue;
        default:
          return FALSE;
        }
    }
  return TRUE;
}

/* Superscript exponents become ^N before NFKC, which would turn 10⁵ into 105. */
char *
intake_text_normalize (const char *text)
{
  static const char *const SUPER[] = { "⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "⁻" };
  g_autofree char *stripped = intake_text_strip (text);
  if (!g_utf8_validate (stripped, -1, NULL))
    return g_strdup ("\x01"); /* never parses; callers report the original text */
  if (nfkc_is_identity (stripped))
    return g_steal_pointer (&stripped);
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

/* What \\s matches in a GRegex (PCRE2 with Unicode properties). */
static gboolean
is_regex_space (gunichar c)
{
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
         || c == 0x180E || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F
         || c == 0x205F || c == 0x3000;
}

static gboolean
is_separator (const char *separators, gunichar c)
{
  return c != 0 && g_utf8_strchr (separators, -1, c) != NULL;
}

char **
intake_text_split (const char *text, const char *separators, IntakeSplit how)
{
  if (!g_utf8_validate (text, -1, NULL))
    {
      /* Never from the readers (they decode to UTF-8 first): let the regex
       * engine handle it as it always did. */
      g_autofree char *set = g_regex_escape_string (separators, -1);
      g_autofree char *pattern = how == INTAKE_SPLIT_RUNS ? g_strdup_printf ("[%s\\s]+", set)
                                                          : g_strdup_printf ("\\s*[%s]\\s*", set);
      return g_regex_split_simple (pattern, text, 0, 0);
    }
  GPtrArray *parts = g_ptr_array_new ();
  const char *part = text; /* where the current part starts */
  if (*text == '\0')
    {
      g_ptr_array_add (parts, NULL);
      return (char **)g_ptr_array_free (parts, FALSE);
    }
  for (const char *p = text; *p != '\0';)
    {
      gunichar c = g_utf8_get_char (p);
      gboolean space = is_regex_space (c);
      if (!space && !is_separator (separators, c))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      if (how == INTAKE_SPLIT_RUNS)
        {
          /* A match is the whole run of separators and white space. */
          const char *end = p;
          while (*end != '\0'
                 && (is_regex_space (g_utf8_get_char (end))
                     || is_separator (separators, g_utf8_get_char (end))))
            end = g_utf8_next_char (end);
          g_ptr_array_add (parts, g_strndup (part, p - part));
          part = p = end;
          continue;
        }
      if (space)
        {
          /* White space is part of a match only when a separator follows it. */
          const char *q = p;
          while (is_regex_space (g_utf8_get_char (q)))
            q = g_utf8_next_char (q);
          if (!is_separator (separators, g_utf8_get_char (q)))
            {
              p = q;
              continue;
            }
          const char *start = p;
          p = g_utf8_next_char (q);
          while (is_regex_space (g_utf8_get_char (p)))
            p = g_utf8_next_char (p);
          g_ptr_array_add (parts, g_strndup (part, start - part));
          part = p;
          continue;
        }
      const char *start = p;
      p = g_utf8_next_char (p);
      while (is_regex_space (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      g_ptr_array_add (parts, g_strndup (part, start - part));
      part = p;
    }
  g_ptr_array_add (parts, g_strdup (part));
  g_ptr_array_add (parts, NULL);
  return (char **)g_ptr_array_free (parts, FALSE);
}
