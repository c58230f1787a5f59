/* intake-verdict.h: an item's verdict recomputed from its value and limit, the
 * lab's own verdict words, and the report-level conclusion.
 *
 * Rules (DOMAIN.md, "Results"):
 * - bounds: a value exactly at an inclusive bound passes, at an exclusive one fails;
 * - not detected (未检出/ND/<LOD, or "<x"): the true value lies below the detection
 *   limit (x for "<x"). Against a maximum it passes when the detection limit is at
 *   or below the maximum (below it for an exclusive maximum); when the detection
 *   limit is above the maximum the result cannot show compliance: UNDETERMINED.
 *   With no detection limit given it passes a maximum (the method is presumed fit
 *   for the limit, as labs report it). Against a minimum, not detected fails when
 *   the detection limit is at or below the minimum (or none is given), else
 *   UNDETERMINED;
 * - 不得检出 (must not be detected): not detected or negative passes; a number
 *   fails when it is above zero and not below the detection limit; positive fails;
 * - n/c/m/M: fails if any unit is above M or more than c units are above m; a
 *   unit "<x" counts as above m (or M) only when x itself is above it, the
 *   cautious reading when the lab's bound does not settle it; not detected is 0;
 * - no limit: NOT_JUDGED. */
#pragma once

#include "intake/intake-value.h"

G_BEGIN_DECLS

/* Ordered from least to most strict: intake_verdict_stricter() picks the larger. */
typedef enum
{
  INTAKE_VERDICT_NOT_JUDGED,   /* no limit, or the lab writes "/" */
  INTAKE_VERDICT_PASS,         /* 合格 */
  INTAKE_VERDICT_UNDETERMINED, /* the value cannot show either way */
  INTAKE_VERDICT_FAIL,         /* 不合格 */
} IntakeVerdict;

/* Recomputes the verdict of @value against @limit. @lod is the method's
 * detection limit when @has_lod. When @reason is not NULL it receives a short
 * English explanation ("0.6 is above the maximum ≤0.5"), free with g_free(). */
IntakeVerdict intake_verdict_compute (const IntakeValue *value, const IntakeLimit *limit,
                                      gboolean has_lod, double lod, char **reason);

/* Reads a lab's verdict or conclusion: 合格/符合/pass/passed/conforming/compliant,
 * 不合格/不符合/fail/failed/nonconforming, "/" or 不判定 for not judged. Sentences
 * such as "经抽样检验，所检项目符合GB 2762-2022要求" are read by their words (a
 * negative word wins). FALSE when the text says neither (empty included). */
gboolean intake_verdict_parse (const char *text, IntakeVerdict *out);

/* The stricter of two verdicts: FAIL over UNDETERMINED over PASS over NOT_JUDGED. */
IntakeVerdict intake_verdict_stricter (IntakeVerdict a, IntakeVerdict b);

/* TRUE when the lab's verdict and the computed one disagree in a way someone
 * must look at: PASS vs FAIL either way, an UNDETERMINED computation, or a lab
 * FAIL where spotcheck finds no limit to judge by. */
gboolean intake_verdict_disagree (IntakeVerdict lab, IntakeVerdict computed);

/* The verdict that governs an item: the stricter of the two, except that an
 * UNDETERMINED computation defers to the lab's PASS/FAIL (the lab knows its
 * method; the item is flagged for review instead). */
IntakeVerdict intake_verdict_govern (IntakeVerdict lab, IntakeVerdict computed);

/* A report's conclusion from its items' verdicts: FAIL if any fails, else
 * UNDETERMINED if any is, else PASS if any passes, else NOT_JUDGED. */
IntakeVerdict intake_verdict_conclude (const IntakeVerdict *items, gsize n_items);

/* "pass", "fail", "undetermined", "not judged" (for logs, CSV, JSON). */
const char *intake_verdict_name (IntakeVerdict verdict);

G_END_DECLS
