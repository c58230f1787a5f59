/* intake-limit.c: parsers for limits, results, detection limits and units in
 * the forms documented in intake-limit.h. */
#include "intake/intake-limit.h"
#include "intake/intake-text.h"

#include <math.h>
#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (intake - limit - error - quark, intake_limit_error)

/* Besides the dashes and slashes of intake_text_is_placeholder(). */
static const char *const NO_LIMIT_WORDS[] = { "无", "n/a", "不判定", "不适用", NULL };
static const char *const NOT_DETECTED_LIMIT_WORDS[]
    = { "不得检出", "nd", "不得检出(nd)", "阴性", "not detected", "must not be detected", NULL };

typedef struct
{
  const char *text;
  gboolean is_max, inclusive;
} Operator;

/* Longest spelling first so that "<=" is not read as "<" then "=". */
static const Operator OPERATORS[] = {
  { "<=", TRUE, TRUE },        { "≤", TRUE, TRUE },        { "≦", TRUE, TRUE },
  { "⩽", TRUE, TRUE },         { "小于等于", TRUE, TRUE }, { "不大于", TRUE, TRUE },
  { "不超过", TRUE, TRUE },    { "不高于", TRUE, TRUE },   { ">=", FALSE, TRUE },
  { "≥", FALSE, TRUE },        { "≧", FALSE, TRUE },       { "⩾", FALSE, TRUE },
  { "大于等于", FALSE, TRUE }, { "不小于", FALSE, TRUE },  { "不低于", FALSE, TRUE },
  { "<", TRUE, FALSE },        { "小于", TRUE, FALSE },    { "低于", TRUE, FALSE },
  { ">", FALSE, FALSE },       { "大于", FALSE, FALSE },   { "高于", FALSE, FALSE },
};

static const char *const RANGE_SEPARATORS[] = { "~", "-", "–", "—", "至", "到", NULL };

static gboolean
parse_exponent (const char *p, const char **end, int *out)
{
  char *e = NULL;
  if (!(g_ascii_isdigit (*p) || ((*p == '-' || *p == '+') && g_ascii_isdigit (p[1]))))
    return FALSE;
  gint64 v = g_ascii_strtoll (p, &e, 10);
  if (v < -300 || v > 300)
    return FALSE;
  *out = (int)v;
  *end = e;
  return TRUE;
}

/* The value of @num, [+-]digits[.digits] with at most 15 digits (so the
 * digits are an exact integer below 2^53) and at most 22 after the point (so
 * the power of ten is exact): one correctly rounded division, the double
 * strtod gives, without its arbitrary-precision machinery. FALSE for other
 * forms (exponents, long numbers). */
static gboolean
simple_decimal (const char *num, double *out)
{
  static const double POW10[]
      = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
          1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
  const char *p = num;
  gboolean negative = *p == '-';
  guint64 digits = 0;
  int n_digits = 0, n_fraction = -1;
  if (*p == '+' || *p == '-')
    p++;
  for (; *p != '\0'; p++)
    {
      if (*p == '.' && n_fraction < 0)
        n_fraction = 0;
      else if (g_ascii_isdigit (*p) && n_digits < 15)
        {
          digits = digits * 10 + (guint64)(*p - '0');
          n_digits++;
          if (n_fraction >= 0)
            n_fraction++;
        }
      else
        return FALSE;
    }
  if (n_digits == 0 || n_fraction > 22)
    return FALSE;
  double v = n_fraction > 0 ? (double)digits / POW10[n_fraction] : (double)digits;
  *out = negative ? -v : v;
  return TRUE;
}

gboolean
intake_number_parse (const char *text, const char **end, double *out)
{
  const char *p = text, *digits;
  if (*p == '+' || *p == '-')
    p++;
  digits = p;
  while (g_ascii_isdigit (*p))
    p++;
  if (*p == '.')
    p++;
  while (g_ascii_isdigit (*p))
    p++;
  if (p == digits || (p == digits + 1 && *digits == '.'))
    return FALSE;
  if ((*p == 'e' || *p == 'E')
      && (g_ascii_isdigit (p[1]) || ((p[1] == '-' || p[1] == '+') && g_ascii_isdigit (p[2]))))
    {
      p += 2;
      while (g_ascii_isdigit (*p))
        p++;
    }
  /* The number alone, so that strtod reads no further than the forms above
   * (not "0x10", say); on the stack for any number a person writes. */
  gsize num_len = p - text;
  char buf[64];
  g_autofree char *heap = num_len < sizeof buf ? NULL : g_strndup (text, num_len);
  const char *num = heap;
  if (heap == NULL)
    {
      memcpy (buf, text, num_len);
      buf[num_len] = '\0';
      num = buf;
    }
  double v;
  if (!simple_decimal (num, &v))
    v = g_ascii_strtod (num, NULL);
  int exp10;
  const char *q = intake_text_skip_spaces (p), *after;
  if (strcmp (num, "10") == 0 && *q == '^' && parse_exponent (q + 1, &after, &exp10))
    v = pow (10.0, exp10), p = after;
  else
    {
      gsize mul = g_str_has_prefix (q, "×")               ? strlen ("×")
                  : (*q == 'x' || *q == 'X' || *q == '*') ? 1
                                                          : 0;
      const char *r = mul ? intake_text_skip_spaces (q + mul) : NULL;
      if (r && g_str_has_prefix (r, "10^") && parse_exponent (r + 3, &after, &exp10))
        v *= pow (10.0, exp10), p = after;
    }
  if (!isfinite (v))
    return FALSE;
  *out = v;
  *end = p;
  return TRUE;
}

/* Units that stand without a '/': a letter typed after a number ("0.6x") must
 * not pass for a unit, so anything else needs a ratio ("mg/kg", "CFU/g"). */
static const char *const BARE_UNITS[] = { "%",  "‰",  "g", "kg", "mg", "μg", "ug",  "ng",  "l",
                                          "ml", "°t", "°", "°c", "倍", "个", "ppm", "ppb", NULL };

gboolean
intake_unit_take (const char *rest, char **unit)
{
  *unit = NULL;
  if (intake_text_is_blank (rest))
    return TRUE; /* most numbers have no unit: no copy to make */
  g_autofree char *u = intake_text_strip (rest);
  gunichar c = g_utf8_get_char (u);
  if (!(g_unichar_isalpha (c) || c == '%' || c == 0x2030 || c == 0x00B0 || c == '/'))
    return FALSE;
  if (strchr (u, '/') == NULL && !intake_text_is_one_of (u, BARE_UNITS))
    return FALSE;
  *unit = g_steal_pointer (&u);
  return TRUE;
}

static gboolean
syntax_error (GError **error, const char *what, const char *text)
{
  g_set_error (error, INTAKE_LIMIT_ERROR, INTAKE_LIMIT_ERROR_SYNTAX, _ ("not a %s; %s"), what,
               text);
  return FALSE;
}

/* The forms a limit takes, worded for the user. */
static const char *
limit_forms (void)
{
  return _ ("write ≤0.5, <10, ≥1, >1, 0.1-2.0, 不得检出 or n=5,c=2,m=100,M=1000, optionally "
            "followed by a unit");
}
#define LIMIT_FORMS limit_forms ()

static gboolean
parse_plan (const char *text, IntakeLimit *out, GError **error)
{
  g_auto (GStrv) tokens = intake_text_split (text, ",;、", INTAKE_SPLIT_RUNS);
  gboolean seen[4] = { FALSE, FALSE, FALSE, FALSE };
  for (gsize i = 0; tokens[i] != NULL; i++)
    {
      const char *t = tokens[i], *end;
      double v;
      int which = -1;
      if (*t == '\0')
        continue;
      if (t[0] != '\0' && t[1] == '=')
        which = (t[0] == 'n' || t[0] == 'N')   ? 0
                : (t[0] == 'c' || t[0] == 'C') ? 1
                : t[0] == 'm'                  ? 2
                : t[0] == 'M'                  ? 3
                                               : -1;
      if (which < 0)
        {
          if (out->unit != NULL || !intake_unit_take (t, &out->unit) || out->unit == NULL)
            return syntax_error (error, _ ("sampling plan"),
                                 _ ("write n=5,c=2,m=100,M=1000 with an optional unit"));
          continue;
        }
      if (seen[which] || !intake_number_parse (t + 2, &end, &v) || v < 0)
        return syntax_error (error, _ ("sampling plan"),
                             _ ("each of n, c, m and M once, with a number >= 0 (m and M are "
                                "case-sensitive)"));
      if (*end != '\0')
        {
          char *unit = NULL;
          if (!intake_unit_take (end, &unit) || (out->unit && !intake_unit_equal (unit, out->unit)))
            {
              g_free (unit);
              return syntax_error (error, _ ("sampling plan"), _ ("m and M must share one unit"));
            }
          if (out->unit == NULL)
            out->unit = unit;
          else
            g_free (unit);
        }
      seen[which] = TRUE;
      if (which < 2 && (v != floor (v) || v > 1000))
        return syntax_error (error, _ ("sampling plan"), _ ("n and c are whole numbers of units"));
      if (which == 0)
        out->n = (guint)v;
      else if (which == 1)
        out->c = (guint)v;
      else if (which == 2)
        out->m = v;
      else
        out->big_m = v;
    }
  if (!(seen[0] && seen[1] && seen[2] && seen[3]))
    return syntax_error (error, _ ("sampling plan"),
                         _ ("give all of n, c, m and M, e.g. n=5,c=2,m=100,M=1000"));
  out->kind = INTAKE_LIMIT_PLAN;
  if (out->n == 0 || out->c > out->n || out->m > out->big_m)
    return g_set_error (error, INTAKE_LIMIT_ERROR, INTAKE_LIMIT_ERROR_RANGE,
                        _ ("impossible sampling plan: it needs n >= 1, c <= n and m <= M")),
           FALSE;
  return TRUE;
}

/* "OP number unit" or "number SEP number unit", on normalised text. */
static gboolean
parse_bounds_text (const char *text, gboolean bare_is_max, gboolean allow_bare, IntakeLimit *out,
                   GError **error)
{
  const char *p = text, *end;
  const Operator *op = NULL;
  double a, b;
  for (gsize i = 0; i < G_N_ELEMENTS (OPERATORS) && op == NULL; i++)
    if (*p == OPERATORS[i].text[0] && g_str_has_prefix (p, OPERATORS[i].text))
      op = &OPERATORS[i];
  if (op != NULL)
    p = intake_text_skip_spaces (p + strlen (op->text));
  if (!intake_number_parse (p, &end, &a))
    return syntax_error (error, _ ("limit"), LIMIT_FORMS);
  p = intake_text_skip_spaces (end);
  out->kind = INTAKE_LIMIT_BOUNDS;
  if (op == NULL)
    for (gsize i = 0; RANGE_SEPARATORS[i] != NULL; i++)
      if (g_str_has_prefix (p, RANGE_SEPARATORS[i])
          && intake_number_parse (intake_text_skip_spaces (p + strlen (RANGE_SEPARATORS[i])), &end,
                                  &b))
        {
          if (a > b)
            return g_set_error (error, INTAKE_LIMIT_ERROR, INTAKE_LIMIT_ERROR_RANGE,
                                _ ("the range runs from %g down to %g; write the smaller number "
                                   "first"),
                                a, b),
                   FALSE;
          out->has_min = out->has_max = out->min_inclusive = out->max_inclusive = TRUE;
          out->min = a;
          out->max = b;
          return intake_unit_take (end, &out->unit)
                     ? TRUE
                     : syntax_error (error, _ ("limit"), LIMIT_FORMS);
        }
  if (op == NULL && !allow_bare)
    return syntax_error (error, _ ("limit"),
                         _ ("a bare number does not say whether it is a maximum or a minimum; "
                            "write ≤0.5 or ≥0.5"));
  gboolean is_max = op ? op->is_max : bare_is_max;
  gboolean inclusive = op ? op->inclusive : TRUE;
  if (is_max)
    out->has_max = TRUE, out->max = a, out->max_inclusive = inclusive;
  else
    out->has_min = TRUE, out->min = a, out->min_inclusive = inclusive;
  return intake_unit_take (p, &out->unit) ? TRUE : syntax_error (error, _ ("limit"), LIMIT_FORMS);
}

gboolean
intake_limit_parse (const char *text, IntakeLimit *out, GError **error)
{
  g_autofree char *norm = intake_text_normalize (text);
  memset (out, 0, sizeof *out);
  /* Most limits start with a digit or an operator: skip the word lists. */
  gboolean wordy = !(g_ascii_isdigit (norm[0]) || norm[0] == '<' || norm[0] == '>'
                     || g_str_has_prefix (norm, "≤") || g_str_has_prefix (norm, "≥"));
  if (intake_text_is_blank (norm) || intake_text_is_placeholder (norm)
      || (wordy && intake_text_is_one_of (norm, NO_LIMIT_WORDS)))
    return TRUE;
  if (wordy && intake_text_is_one_of (norm, NOT_DETECTED_LIMIT_WORDS))
    {
      out->kind = INTAKE_LIMIT_NOT_DETECTED;
      return TRUE;
    }
  /* Every plan names n; "<=" and ">=" contain '=' but never "n=". */
  gboolean is_plan = strstr (norm, "n=") != NULL || strstr (norm, "N=") != NULL;
  gboolean ok
      = is_plan ? parse_plan (norm, out, error) : parse_bounds_text (norm, TRUE, FALSE, out, error);
  if (!ok)
    intake_limit_clear (out);
  return ok;
}

gboolean
intake_limit_parse_bounds (const char *min_text, const char *max_text, IntakeLimit *out,
                           GError **error)
{
  g_auto (IntakeLimit) lo = { 0 };
  g_auto (IntakeLimit) hi = { 0 };
  g_autofree char *min_norm = intake_text_normalize (min_text);
  g_autofree char *max_norm = intake_text_normalize (max_text);
  memset (out, 0, sizeof *out);
  if (!intake_text_is_blank (min_norm) && !intake_text_is_placeholder (min_norm)
      && !intake_text_is_one_of (min_norm, NO_LIMIT_WORDS)
      && !parse_bounds_text (min_norm, FALSE, TRUE, &lo, error))
    return FALSE;
  if (!intake_text_is_blank (max_norm) && !intake_text_is_placeholder (max_norm)
      && !intake_text_is_one_of (max_norm, NO_LIMIT_WORDS)
      && !parse_bounds_text (max_norm, TRUE, TRUE, &hi, error))
    return FALSE;
  if (lo.has_max || hi.has_min)
    return syntax_error (error, _ ("limit"),
                         _ ("the minimum column takes ≥x, >x or x, and the maximum column ≤x, <x "
                            "or x"));
  if (lo.unit && hi.unit && !intake_unit_equal (lo.unit, hi.unit))
    return g_set_error (error, INTAKE_LIMIT_ERROR, INTAKE_LIMIT_ERROR_RANGE,
                        _ ("the minimum is in %s but the maximum in %s"), lo.unit, hi.unit),
           FALSE;
  if (lo.has_min && hi.has_max && lo.min > hi.max)
    return g_set_error (error, INTAKE_LIMIT_ERROR, INTAKE_LIMIT_ERROR_RANGE,
                        _ ("the minimum %g is above the maximum %g"), lo.min, hi.max),
           FALSE;
  *out = lo;
  out->kind = lo.has_min || hi.has_max ? INTAKE_LIMIT_BOUNDS : INTAKE_LIMIT_NONE;
  out->has_max = hi.has_max;
  out->max = hi.max;
  out->max_inclusive = hi.max_inclusive;
  out->unit = lo.unit ? g_steal_pointer (&lo.unit) : g_steal_pointer (&hi.unit);
  memset (&lo, 0, sizeof lo);
  return TRUE;
}

void
intake_limit_clear (IntakeLimit *limit)
{
  g_free (limit->unit);
  memset (limit, 0, sizeof *limit);
}

char *
intake_limit_to_string (const IntakeLimit *limit)
{
  GString *s = g_string_new (NULL);
  switch (limit->kind)
    {
    case INTAKE_LIMIT_NONE:
      g_string_append (s, "/");
      break;
    case INTAKE_LIMIT_NOT_DETECTED:
      g_string_append (s, "不得检出");
      break;
    case INTAKE_LIMIT_PLAN:
      g_string_append_printf (s, "n=%u c=%u m=%g M=%g", limit->n, limit->c, limit->m, limit->big_m);
      break;
    case INTAKE_LIMIT_BOUNDS:
      if (limit->has_min && limit->has_max && limit->min_inclusive && limit->max_inclusive)
        g_string_append_printf (s, "%g–%g", limit->min, limit->max);
      else
        {
          if (limit->has_min)
            g_string_append_printf (s, "%s%g", limit->min_inclusive ? "≥" : ">", limit->min);
          if (limit->has_min && limit->has_max)
            g_string_append (s, " and ");
          if (limit->has_max)
            g_string_append_printf (s, "%s%g", limit->max_inclusive ? "≤" : "<", limit->max);
        }
      break;
    }
  if (limit->unit)
    g_string_append_printf (s, " %s", limit->unit);
  return g_string_free (s, FALSE);
}

/* Spelling-insensitive key of a unit: folded, and "ug" written as "μg". */
static char *
unit_key (const char *unit)
{
  g_autofree char *norm = intake_text_normalize (unit ? unit : "");
  char *key = intake_text_fold (norm);
  if (g_str_has_prefix (key, "ug"))
    {
      char *fixed = g_strconcat ("μ", key + 1, NULL);
      g_free (key);
      key = fixed;
    }
  return key;
}

gboolean
intake_unit_equal (const char *a, const char *b)
{
  if (g_strcmp0 (a, b) == 0)
    return TRUE; /* the same spelling: the same key */
  g_autofree char *ka = unit_key (a);
  g_autofree char *kb = unit_key (b);
  return strcmp (ka, kb) == 0;
}
