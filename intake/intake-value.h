/* intake-value.h: result values as labs write them, parsed against their limit:
 *   0.32  0.32mg/kg             a measured number (with an optional unit)
 *   未检出  ND  <LOD  低于检出限  not detected: below the method's detection limit
 *   <0.01                       below 0.01 (not detected, with 0.01 as the limit)
 *   阴性 / 阳性  检出             qualitative negative / positive
 *   10,20,<10,30,15             one value per tested unit, for a sampling-plan
 *                               (n/c/m/M) limit: exactly n values separated by
 *                               , ; or 、, each a number, <x or 未检出 (quote the
 *                               field in CSV when it holds commas). */
#pragma once

#include "intake/intake-limit.h"

G_BEGIN_DECLS

#define INTAKE_VALUE_ERROR (intake_value_error_quark ())
GQuark intake_value_error_quark (void);

typedef enum
{
  INTAKE_VALUE_ERROR_SYNTAX, /* not one of the documented forms */
  INTAKE_VALUE_ERROR_COUNT,  /* a sampling-plan result without exactly n unit values */
} IntakeValueError;

typedef enum
{
  INTAKE_VALUE_NUMBER,       /* number */
  INTAKE_VALUE_BELOW,        /* "<x": below number */
  INTAKE_VALUE_NOT_DETECTED, /* 未检出 / ND / <LOD / 阴性 */
  INTAKE_VALUE_DETECTED,     /* 阳性 / 检出 */
  INTAKE_VALUE_UNITS,        /* one value per tested unit (sampling plans) */
} IntakeValueKind;

typedef struct
{
  IntakeValueKind kind; /* NUMBER, BELOW or NOT_DETECTED */
  double number;
} IntakeUnitValue;

typedef struct
{
  IntakeValueKind kind;
  double number; /* NUMBER, BELOW */
  char *unit;    /* unit written after the number, or NULL */
  GArray *units; /* UNITS: IntakeUnitValue per unit; NULL otherwise */
} IntakeValue;

/* Parses a result into @out (release with intake_value_clear(); on failure
 * @out is left cleared). @limit may be NULL. With a PLAN @limit the result must
 * be a list of exactly n unit values; otherwise a list is an error. */
gboolean intake_value_parse (const char *text, const IntakeLimit *limit, IntakeValue *out,
                             GError **error);
void intake_value_clear (IntakeValue *value);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IntakeValue, intake_value_clear)

/* Parses a detection limit: a number >= 0 with an optional unit (*@unit is NULL
 * when none; free with g_free()). */
gboolean intake_detection_limit_parse (const char *text, double *out, char **unit, GError **error);

G_END_DECLS
