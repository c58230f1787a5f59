/* core-progress.h: how long-running work tells its face how far it got. The
 * work calls core_progress_update() at its own pace; the face decides whether
 * and how to show it (a bar on a terminal, plain lines in a log, nothing in a
 * pipe), and how often. No I/O here. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  /* @phase names the step under way ("staging rows", "checking"); @total 0:
   * the amount is unknown. */
  void (*update) (gpointer data, const char *phase, guint64 done, guint64 total);
  gpointer data;
} CoreProgress;

/* Reports progress through @progress; NULL (nobody listens) is fine. */
static inline void
core_progress_update (const CoreProgress *progress, const char *phase, guint64 done, guint64 total)
{
  if (progress != NULL && progress->update != NULL)
    progress->update (progress->data, phase, done, total);
}

G_END_DECLS
