/* intake-verdict.c: verdict rules; see intake-verdict.h for the rules in words. */
#include "intake/intake-verdict.h"
#include "intake/intake-text.h"

#include <string.h>

static const char *const NOT_JUDGED_WORDS[]
    = { "不判定", "未判定", "n/a", "not judged", "无", NULL }; /* and "/", "—"… */
/* Written folded (lower case, no spaces or hyphens), as contains_word() needs.
 * Negative words first: "不合格" contains "合格", "nonconforming" contains "conforming". */
static const char *const FAIL_WORDS[]
    = { "不合格",       "不符合", "未通过", "nonconforming", "nonconformity", "notconform",
        "noncompliant", "fail",   NULL };
static const char *const PASS_WORDS[]
    = { "合格", "符合", "通过", "conform", "compliant", "pass", "ok", NULL };

static void set_reason (char **reason, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
set_reason (char **reason, const char *fmt, ...)
{
  va_list ap;
  if (reason == NULL)
    return;
  va_start (ap, fmt);
  *reason = g_strdup_vprintf (fmt, ap);
  va_end (ap);
}

/* A measured number against bounds. */
static IntakeVerdict
judge_number (double v, const IntakeLimit *l, char **reason)
{
  if (l->has_max && (l->max_inclusive ? v > l->max : v >= l->max))
    {
      set_reason (reason, "%g is %s the maximum %s%g", v, v == l->max ? "at" : "above",
                  l->max_inclusive ? "≤" : "<", l->max);
      return INTAKE_VERDICT_FAIL;
    }
  if (l->has_min && (l->min_inclusive ? v < l->min : v <= l->min))
    {
      set_reason (reason, "%g is %s the minimum %s%g", v, v == l->min ? "at" : "below",
                  l->min_inclusive ? "≥" : ">", l->min);
      return INTAKE_VERDICT_FAIL;
    }
  set_reason (reason, "%g is within the limit", v);
  return INTAKE_VERDICT_PASS;
}

/* Not detected, the true value lying below @lod when @has_lod. */
static IntakeVerdict
judge_not_detected (const IntakeLimit *l, gboolean has_lod, double lod, char **reason)
{
  if (l->has_min)
    {
      if (!has_lod || lod <= l->min)
        {
          set_reason (reason, "not detected, so below the minimum %g", l->min);
          return INTAKE_VERDICT_FAIL;
        }
      set_reason (reason,
                  "not detected with a detection limit %g above the minimum %g: the "
                  "result cannot show whether the minimum is met",
                  lod, l->min);
      return INTAKE_VERDICT_UNDETERMINED;
    }
  /* "< lod" is strictly below lod, so lod == max passes even an exclusive max. */
  if (has_lod && lod > l->max)
    {
      set_reason (reason,
                  "not detected, but the detection limit %g is above the maximum %g: "
                  "the method cannot show compliance",
                  lod, l->max);
      return INTAKE_VERDICT_UNDETERMINED;
    }
  set_reason (reason, has_lod ? "not detected, detection limit within the maximum"
                              : "not detected (no detection limit given)");
  return INTAKE_VERDICT_PASS;
}

static IntakeVerdict
judge_plan (const IntakeValue *value, const IntakeLimit *l, char **reason)
{
  guint above_m = 0, above_big_m = 0;
  for (guint i = 0; value->units && i < value->units->len; i++)
    {
      const IntakeUnitValue *u = &g_array_index (value->units, IntakeUnitValue, i);
      double v = u->kind == INTAKE_VALUE_NOT_DETECTED ? 0 : u->number;
      /* "<x" lies below x: above a bound only if x is (cautious reading). */
      if (v > l->m)
        above_m++;
      if (v > l->big_m)
        above_big_m++;
    }
  if (above_big_m > 0)
    {
      set_reason (reason, "%u unit%s above M=%g", above_big_m, above_big_m == 1 ? "" : "s",
                  l->big_m);
      return INTAKE_VERDICT_FAIL;
    }
  if (above_m > l->c)
    {
      set_reason (reason, "%u units above m=%g, more than c=%u", above_m, l->m, l->c);
      return INTAKE_VERDICT_FAIL;
    }
  set_reason (reason, "%u unit%s above m=%g, at most c=%u, none above M=%g", above_m,
              above_m == 1 ? "" : "s", l->m, l->c, l->big_m);
  return INTAKE_VERDICT_PASS;
}

IntakeVerdict
intake_verdict_compute (const IntakeValue *value, const IntakeLimit *limit, gboolean has_lod,
                        double lod, char **reason)
{
  if (reason)
    *reason = NULL;
  switch (limit->kind)
    {
    case INTAKE_LIMIT_NONE:
      set_reason (reason, "no limit to judge by");
      return INTAKE_VERDICT_NOT_JUDGED;
    case INTAKE_LIMIT_PLAN:
      if (value->kind != INTAKE_VALUE_UNITS)
        break;
      return judge_plan (value, limit, reason);
    case INTAKE_LIMIT_NOT_DETECTED:
      if (value->kind == INTAKE_VALUE_NOT_DETECTED || value->kind == INTAKE_VALUE_BELOW
          || (value->kind == INTAKE_VALUE_NUMBER
              && (value->number <= 0 || (has_lod && value->number < lod))))
        {
          set_reason (reason, "not detected, as required");
          return INTAKE_VERDICT_PASS;
        }
      if (value->kind == INTAKE_VALUE_UNITS)
        break;
      set_reason (reason, "detected where the limit is 不得检出 (must not be detected)");
      return INTAKE_VERDICT_FAIL;
    case INTAKE_LIMIT_BOUNDS:
      if (value->kind == INTAKE_VALUE_NUMBER)
        return judge_number (value->number, limit, reason);
      if (value->kind == INTAKE_VALUE_NOT_DETECTED)
        return judge_not_detected (limit, has_lod, lod, reason);
      if (value->kind == INTAKE_VALUE_BELOW)
        return judge_not_detected (limit, TRUE, value->number, reason);
      break;
    }
  set_reason (reason, "this kind of result cannot be judged against this kind of limit");
  return INTAKE_VERDICT_UNDETERMINED;
}

/* TRUE when the folded @text contains one of @words, which are written in
 * folded form already (lower case, no spaces): see the lists above. */
static gboolean
contains_word (const char *folded, const char *const *words)
{
  for (gsize i = 0; words[i] != NULL; i++)
    if (strstr (folded, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

gboolean
intake_verdict_parse (const char *text, IntakeVerdict *out)
{
  g_autofree char *stripped = intake_text_strip (text);
  g_autofree char *folded = intake_text_fold (stripped);
  if (*stripped == '\0')
    return FALSE;
  if (intake_text_is_placeholder (stripped) || intake_text_is_one_of (stripped, NOT_JUDGED_WORDS))
    return *out = INTAKE_VERDICT_NOT_JUDGED, TRUE;
  if (contains_word (folded, FAIL_WORDS))
    return *out = INTAKE_VERDICT_FAIL, TRUE;
  if (contains_word (folded, PASS_WORDS))
    return *out = INTAKE_VERDICT_PASS, TRUE;
  return FALSE;
}

IntakeVerdict
intake_verdict_stricter (IntakeVerdict a, IntakeVerdict b)
{
  return a > b ? a : b;
}

gboolean
intake_verdict_disagree (IntakeVerdict lab, IntakeVerdict computed)
{
  if (computed == INTAKE_VERDICT_UNDETERMINED)
    return TRUE;
  if (computed == INTAKE_VERDICT_NOT_JUDGED)
    return lab == INTAKE_VERDICT_FAIL;
  if (lab == INTAKE_VERDICT_NOT_JUDGED)
    return computed == INTAKE_VERDICT_FAIL;
  return lab != computed;
}

IntakeVerdict
intake_verdict_govern (IntakeVerdict lab, IntakeVerdict computed)
{
  if (computed == INTAKE_VERDICT_UNDETERMINED
      && (lab == INTAKE_VERDICT_PASS || lab == INTAKE_VERDICT_FAIL))
    return lab;
  return intake_verdict_stricter (lab, computed);
}

IntakeVerdict
intake_verdict_conclude (const IntakeVerdict *items, gsize n_items)
{
  IntakeVerdict v = INTAKE_VERDICT_NOT_JUDGED;
  for (gsize i = 0; i < n_items; i++)
    v = intake_verdict_stricter (v, items[i]);
  return v;
}

const char *
intake_verdict_name (IntakeVerdict verdict)
{
  switch (verdict)
    {
    case INTAKE_VERDICT_PASS:
      return "pass";
    case INTAKE_VERDICT_FAIL:
      return "fail";
    case INTAKE_VERDICT_UNDETERMINED:
      return "undetermined";
    case INTAKE_VERDICT_NOT_JUDGED:
    default:
      return "not judged";
    }
}
