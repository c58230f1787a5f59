/* intake-value.c: result values and detection limits as labs write them. */
#include "intake/intake-value.h"
#include "intake/intake-text.h"

#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (intake - value - error - quark, intake_value_error)

static const char *const NOT_DETECTED_WORDS[]
    = { "未检出",     "nd",   "not detected", "<lod",       "<检出限", "低于检出限",
        "小于检出限", "阴性", "negative",     "未检出(nd)", NULL };
static const char *const DETECTED_WORDS[] = { "检出", "阳性", "positive", "detected", NULL };

/* The forms a result value takes, worded for the user. */
static const char *
value_forms (void)
{
  return _ ("write a number, 未检出/ND, <0.01 or 阴性/阳性");
}
#define VALUE_FORMS value_forms ()

/* One value: number [unit], "<x" [unit], or a word. @text is normalised. */
static gboolean
parse_single (const char *text, IntakeValueKind *kind, double *number, char **unit)
{
  const char *p = text, *end;
  *unit = NULL;
  *number = 0;
  if (intake_text_is_one_of (text, NOT_DETECTED_WORDS))
    return *kind = INTAKE_VALUE_NOT_DETECTED, TRUE;
  if (intake_text_is_one_of (text, DETECTED_WORDS))
    return *kind = INTAKE_VALUE_DETECTED, TRUE;
  *kind = INTAKE_VALUE_NUMBER;
  if (*p == '<')
    {
      *kind = INTAKE_VALUE_BELOW;
      p = intake_text_skip_spaces (p + 1);
    }
  if (!intake_number_parse (p, &end, number))
    return FALSE;
  if (*number < 0 && *kind == INTAKE_VALUE_BELOW)
    return FALSE;
  return intake_unit_take (end, unit);
}

static gboolean
parse_units (const char *text, const IntakeLimit *limit, IntakeValue *out, GError **error)
{
  g_auto (GStrv) parts = intake_text_split (text, ",;、", INTAKE_SPLIT_TRIM);
  out->kind = INTAKE_VALUE_UNITS;
  out->units = g_array_new (FALSE, FALSE, sizeof (IntakeUnitValue));
  for (gsize i = 0; parts[i] != NULL; i++)
    {
      IntakeUnitValue u;
      g_autofree char *unit = NULL;
      if (!parse_single (parts[i], &u.kind, &u.number, &unit) || u.kind == INTAKE_VALUE_DETECTED
          || (unit && limit->unit && !intake_unit_equal (unit, limit->unit)))
        return g_set_error (error, INTAKE_VALUE_ERROR, INTAKE_VALUE_ERROR_SYNTAX,
                            _ ("unit %zu \"%s\" is not a count; a sampling-plan result lists one "
                               "value per unit, e.g. 10,20,<10,30,15"),
                            i + 1, parts[i]),
               FALSE;
      g_array_append_val (out->units, u);
    }
  if (out->units->len != limit->n)
    return g_set_error (error, INTAKE_VALUE_ERROR, INTAKE_VALUE_ERROR_COUNT,
                        _ ("the sampling plan tests n=%u units but the result lists %u values; "
                           "give one value per unit separated by commas"),
                        limit->n, out->units->len),
           FALSE;
  return TRUE;
}

gboolean
intake_value_parse (const char *text, const IntakeLimit *limit, IntakeValue *out, GError **error)
{
  g_autofree char *norm = intake_text_normalize (text);
  memset (out, 0, sizeof *out);
  if (intake_text_is_blank (norm))
    return g_set_error (error, INTAKE_VALUE_ERROR, INTAKE_VALUE_ERROR_SYNTAX,
                        _ ("the result is empty; %s"), VALUE_FORMS),
           FALSE;
  if (limit != NULL && limit->kind == INTAKE_LIMIT_PLAN)
    {
      if (!parse_units (norm, limit, out, error))
        return intake_value_clear (out), FALSE;
      return TRUE;
    }
  if (!parse_single (norm, &out->kind, &out->number, &out->unit))
    {
      intake_value_clear (out);
      return g_set_error (error, INTAKE_VALUE_ERROR, INTAKE_VALUE_ERROR_SYNTAX,
                          _ ("not a result value; %s%s"), VALUE_FORMS,
                          strpbrk (norm, ",;") ? _ (" (a list of values needs an n/c/m/M limit)")
                                               : ""),
             FALSE;
    }
  return TRUE;
}

void
intake_value_clear (IntakeValue *value)
{
  g_free (value->unit);
  if (value->units)
    g_array_unref (value->units);
  memset (value, 0, sizeof *value);
}

gboolean
intake_detection_limit_parse (const char *text, double *out, char **unit, GError **error)
{
  g_autofree char *norm = intake_text_normalize (text);
  const char *end;
  *unit = NULL;
  if (!intake_number_parse (norm, &end, out) || *out < 0 || !intake_unit_take (end, unit))
    return g_set_error (error, INTAKE_VALUE_ERROR, INTAKE_VALUE_ERROR_SYNTAX,
                        _ ("not a detection limit; write a number >= 0 with an optional unit, "
                           "e.g. 0.01 or 0.01 mg/kg")),
           FALSE;
  return TRUE;
}
