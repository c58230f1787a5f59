/* intake-uscc.c: GB 32100-2015 check character. The alphabet and weights are
 * fixed by the national standard, not policy, so they live here, not in config/. */
#include "intake/intake-uscc.h"

#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (intake - uscc - error - quark, intake_uscc_error)

/* GB 32100-2015 table: character -> value 0..30. */
static const char ALPHABET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int WEIGHTS[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };

static int
char_value (char c)
{
  const char *p = c ? strchr (ALPHABET, c) : NULL;
  return p ? (int)(p - ALPHABET) : -1;
}

static gboolean
bad_char (GError **error, const char *code, gsize i)
{
  unsigned char c = (unsigned char)code[i];
  if (c >= 0x80)
    g_set_error (error, INTAKE_USCC_ERROR, INTAKE_USCC_ERROR_CHARSET,
                 _ ("character %zu is not an ASCII letter or digit; a credit code uses 0-9 and "
                    "capital letters except I, O, S, V, Z"),
                 i + 1);
  else
    g_set_error (error, INTAKE_USCC_ERROR, INTAKE_USCC_ERROR_CHARSET,
                 _ ("character %zu '%c' is not allowed; a credit code uses 0-9 and capital "
                    "letters except I, O, S, V, Z"),
                 i + 1, c);
  return FALSE;
}

gboolean
intake_uscc_check_char (const char *first17, char *out, GError **error)
{
  int sum = 0;
  for (gsize i = 0; i < 17; i++)
    {
      int v = char_value (first17[i]);
      if (v < 0)
        return bad_char (error, first17, i);
      sum += v * WEIGHTS[i];
    }
  int check = 31 - sum % 31;
  *out = ALPHABET[check == 31 ? 0 : check];
  return TRUE;
}

gboolean
intake_uscc_validate (const char *code, GError **error)
{
  gsize len = code ? strlen (code) : 0;
  glong chars = code && g_utf8_validate (code, -1, NULL) ? g_utf8_strlen (code, -1) : (glong)len;
  if (chars != INTAKE_USCC_LENGTH)
    return g_set_error (error, INTAKE_USCC_ERROR, INTAKE_USCC_ERROR_LENGTH,
                        _ ("a credit code has 18 characters, this one has %ld"), chars),
           FALSE;
  if (len != INTAKE_USCC_LENGTH)
    {
      /* 18 characters but more bytes: some are full-width or otherwise non-ASCII. */
      glong i = 0;
      for (const char *p = code; (unsigned char)*p < 0x80; p = g_utf8_next_char (p))
        i++;
      return g_set_error (error, INTAKE_USCC_ERROR, INTAKE_USCC_ERROR_CHARSET,
                          _ ("character %ld is not an ASCII letter or digit (full-width?); a "
                             "credit code uses 0-9 and capital letters except I, O, S, V, Z"),
                          i + 1),
             FALSE;
    }
  char expected;
  if (!intake_uscc_check_char (code, &expected, error))
    return FALSE;
  if (char_value (code[17]) < 0)
    return bad_char (error, code, 17);
  if (code[17] != expected)
    return g_set_error (error, INTAKE_USCC_ERROR, INTAKE_USCC_ERROR_CHECK,
                        _ ("the check character (the 18th) should be '%c' for the first 17, not "
                           "'%c'; look for a mistyped character"),
                        expected, code[17]),
           FALSE;
  return TRUE;
}
