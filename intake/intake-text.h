/* intake-text.h: the small text normalisations every intake parser shares, so
 * that "  抽样单编号 ", "Sampling_No" and full-width "ＮＤ" compare as users expect. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A copy of @text without leading and trailing white space, including the
 * no-break space, the ideographic space U+3000 and a stray BOM. Free with g_free(). */
char *intake_text_strip (const char *text);

/* Where the stripped text of @text starts (within @text); *@len is set to its
 * length in bytes. No copy: intake_text_strip() without the allocation. */
const char *intake_text_strip_span (const char *text, gsize *len);

/* The key under which @text is compared: NFKC (full-width forms to ASCII),
 * case-folded, with white space, '_', '-' and '.' removed. Free with g_free(). */
char *intake_text_fold (const char *text);

/* TRUE when @text folds to the same key as one of the NULL-terminated @words. */
gboolean intake_text_is_one_of (const char *text, const char *const *words);

/* TRUE when @text holds only the dashes and slashes forms use for "not
 * applicable" (- — – / ／), at least one, and white space. */
gboolean intake_text_is_placeholder (const char *text);

/* TRUE when @text is empty or white space only (NULL counts as blank). */
gboolean intake_text_is_blank (const char *text);

/* @text stripped, superscript exponents written as ^N (10⁵ -> 10^5) and then
 * NFKC-normalised (full-width ＜０.５ -> <0.5). Invalid UTF-8 gives a string no
 * parser accepts. Free with g_free(). */
char *intake_text_normalize (const char *text);

typedef enum
{
  INTAKE_SPLIT_TRIM, /* as a regex split at "\\s*[SEPARATORS]\\s*": empty parts kept */
  INTAKE_SPLIT_RUNS, /* as a regex split at "[SEPARATORS\\s]+" */
} IntakeSplit;

/* @text split at any of the characters of @separators (UTF-8), the parts
 * exactly those g_regex_split_simple() gives for the pattern @how names, where
 * \\s is Unicode white space; "" gives no part. Without compiling a pattern on
 * every call. Free with g_strfreev(). */
char **intake_text_split (const char *text, const char *separators, IntakeSplit how);

/* @p past ASCII spaces and tabs. */
const char *intake_text_skip_spaces (const char *p);

G_END_DECLS
