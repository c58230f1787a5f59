/* sched-draw-private.h: pieces of the monthly draw shared between its own
 * files; nothing outside scheduler/sched-draw*.c uses them. */
#pragma once

#include "scheduler/sched-draw.h"
#include "scheduler/sched-rng.h"

G_BEGIN_DECLS

/* Step 3d of sched-draw.h: draws @n businesses from @staffable (business
 * indexes in id order, n <= staffable->len) spread over streets. @street
 * gives each business's street rank (< @n_streets), @last its last-drawn key
 * (0 = not drawn this year). Returns the chosen indexes in task order; free
 * with g_array_unref(). */
GArray *sched_draw_pick_businesses (SchedRng *rng, const GArray *staffable, guint n,
                                    const guint *street, guint n_streets, const guint64 *last);

/* Step 3d's apportionment of @seats over @m streets with weights @w and caps
 * @cap (seats <= sum of caps); writes each street's share into @k. */
void sched_draw_apportion (SchedRng *rng, guint64 seats, const guint64 *w, const guint64 *cap,
                           guint64 *k, guint m);

void sched_draw_task_free (gpointer task);
void sched_draw_shortfall_free (gpointer shortfall);

G_END_DECLS
