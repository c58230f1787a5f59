/* intake-limit.h: the limits a result is judged against, parsed from the forms
 * labs write (result values are in intake-value.h):
 *
 * limits                       meaning
 *   (empty) / - — 无           no limit: the item is not judged
 *   ≤0.5  <=0.5  不大于0.5      maximum 0.5, inclusive   (≦ ⩽ 不超过 不高于 too)
 *   <10  ＜10  小于10           maximum 10, exclusive    (低于 too)
 *   ≥1  >=1  不小于1            minimum 1, inclusive     (≧ ⩾ 不低于 too)
 *   >1  大于1                   minimum 1, exclusive     (高于 too)
 *   0.1-2.0  0.1~2.0  0.1～2.0  range, both ends inclusive (– — 至 到 too)
 *   不得检出  ND                 must not be detected
 *   n=5,c=2,m=100,M=1000        microbiological sampling plan (separators , ; 、 or
 *                               spaces; m and M are case-sensitive)
 * Any of these may carry a unit after the number(s): "≤0.5 mg/kg", "n=5,c=2,
 * m=10^2,M=10^3 CFU/g". Numbers may be written 1.5e3, 1.5×10^3 or 1.5×10³.
 * A bare number ("0.5") is refused in a limit column because it does not say
 * whether it is a maximum or a minimum; in the separate min/max columns it means
 * an inclusive bound.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define INTAKE_LIMIT_ERROR (intake_limit_error_quark ())
GQuark intake_limit_error_quark (void);

typedef enum
{
  INTAKE_LIMIT_ERROR_SYNTAX, /* not one of the documented forms */
  INTAKE_LIMIT_ERROR_RANGE,  /* well-formed but impossible: min > max, c > n, m > M, n values */
} IntakeLimitError;

typedef enum
{
  INTAKE_LIMIT_NONE,         /* no limit */
  INTAKE_LIMIT_BOUNDS,       /* a minimum and/or a maximum */
  INTAKE_LIMIT_NOT_DETECTED, /* 不得检出 */
  INTAKE_LIMIT_PLAN,         /* n/c/m/M */
} IntakeLimitKind;

typedef struct
{
  IntakeLimitKind kind;
  gboolean has_min, has_max;
  gboolean min_inclusive, max_inclusive;
  double min, max;
  guint n, c;      /* PLAN: units tested, units allowed above m */
  double m, big_m; /* PLAN: m and M */
  char *unit;      /* the unit written with the limit, or NULL */
} IntakeLimit;

/* Parses a limit column. On failure @out is left cleared (kind NONE). Release
 * what a parsed limit holds with intake_limit_clear(). */
gboolean intake_limit_parse (const char *text, IntakeLimit *out, GError **error);

/* Parses separate minimum and maximum columns (either may be empty or NULL). */
gboolean intake_limit_parse_bounds (const char *min_text, const char *max_text, IntakeLimit *out,
                                    GError **error);

void intake_limit_clear (IntakeLimit *limit);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IntakeLimit, intake_limit_clear)

/* The limit in canonical form ("≤0.5 mg/kg", "0.1–2 ", "n=5 c=2 m=100 M=1000").
 * Free with g_free(). */
char *intake_limit_to_string (const IntakeLimit *limit);

/* Parses a number in the forms above from the start of @text; *@end is set
 * past it. FALSE when @text does not start with a number. */
gboolean intake_number_parse (const char *text, const char **end, double *out);

/* TRUE when two unit spellings name the same unit (case, spaces, full-width
 * forms, µ/μ/u ignored). NULL or "" equals only NULL or "". */
gboolean intake_unit_equal (const char *a, const char *b);

/* The unit written after a number: *@unit is NULL for empty @rest, else a
 * stripped copy (free with g_free()). FALSE when @rest is stray text rather
 * than a unit: a unit starts with a letter, %, ‰, ° or /, and is a ratio
 * ("mg/kg", "CFU/g") or one of %, ‰, g, kg, mg, μg, ng, L, mL, °T, °C, 倍, 个,
 * ppm, ppb. */
gboolean intake_unit_take (const char *rest, char **unit);

G_END_DECLS
