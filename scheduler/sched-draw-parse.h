/* sched-draw-parse.h: reads back the canonical input text that
 * sched_draw_input_serialize() writes, so a stored or published draw can be
 * re-run from its text and seed alone (一公开). */
#pragma once

#include "scheduler/sched-draw.h"

G_BEGIN_DECLS

/* Parses @text ("spotcheck-draw-input/1" or "spotcheck-emergency-input/1",
 * see sched-draw.h) into a new input
 * with @seed. @calendar (borrowed, may be NULL) is needed only when the text
 * asks for due dates in working days. Every line must be understood: an
 * unknown or malformed line is SCHED_DRAW_ERROR_INVALID naming its number.
 * Serialising the result gives @text back byte for byte when @text was
 * written by sched_draw_input_serialize(). Free with sched_draw_input_free(). */
SchedDrawInput *sched_draw_input_parse (const char *text, guint64 seed,
                                        const CoreCalendar *calendar, GError **error);

G_END_DECLS
