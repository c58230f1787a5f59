/* cli-progress.c: a redrawn bar on a terminal, plain lines elsewhere. */
#include "cli/cli-progress.h"

#include <string.h>
#include <unistd.h>

struct CliProgress
{
  FILE *out;
  CliProgressStyle style;
  CoreProgress core;
  char *phase;       /* the phase last shown */
  int tenth;         /* LINES: the last tenth shown of the phase */
  gint64 drawn_at;   /* BAR: monotonic time of the last redraw */
  gboolean open_bar; /* BAR: a line is drawn and not yet ended */
};

#define BAR_WIDTH 30
#define REDRAW_US (100 * 1000)

static void
draw_bar (CliProgress *p, const char *phase, guint64 done, guint64 total)
{
  char bar[BAR_WIDTH + 1];
  guint filled = total ? (guint)(done >= total ? BAR_WIDTH : done * BAR_WIDTH / total) : 0;
  for (guint i = 0; i < BAR_WIDTH; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[BAR_WIDTH] = '\0';
  /* \r and erase-to-end: the line is redrawn in place, however long it was. */
  if (total)
    fprintf (p->out, "\r\033[K[%s] %3u%% %s (%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT ")", bar,
             (guint)(done >= total ? 100 : done * 100 / total), phase, done, total);
  else
    fprintf (p->out, "\r\033[K%s (%" G_GUINT64_FORMAT ")", phase, done);
  fflush (p->out);
  p->open_bar = TRUE;
}

static void
update (gpointer data, const char *phase, guint64 done, guint64 total)
{
  CliProgress *p = data;
  gboolean new_phase = g_strcmp0 (phase, p->phase) != 0;
  if (new_phase)
    {
      g_free (p->phase);
      p->phase = g_strdup (phase);
      p->tenth = -1;
    }
  switch (p->style)
    {
    case CLI_PROGRESS_QUIET:
      return;
    case CLI_PROGRESS_LINES:
      {
        /* A line when the phase starts and at each further tenth. */
        int tenth = total ? (int)(done >= total ? 10 : done * 10 / total) : 0;
        if (!new_phase && tenth <= p->tenth)
          return;
        p->tenth = tenth;
        if (total)
          fprintf (p->out, "%s: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " (%d%%)\n", phase, done,
                   total, tenth * 10);
        else
          fprintf (p->out, "%s\n", phase);
        fflush (p->out);
        return;
      }
    case CLI_PROGRESS_BAR:
      {
        gint64 now = g_get_monotonic_time ();
        gboolean last = total && done >= total;
        if (!new_phase && !last && now - p->drawn_at < REDRAW_US)
          return;
        p->drawn_at = now;
        draw_bar (p, phase, done, total);
        return;
      }
    }
}

CliProgress *
cli_progress_new (FILE *out, CliProgressStyle style)
{
  CliProgress *p = g_new0 (CliProgress, 1);
  p->out = out;
  p->style = style;
  p->core.update = update;
  p->core.data = p;
  p->tenth = -1;
  return p;
}

CliProgress *
cli_progress_for_stderr (CliProgressStyle otherwise)
{
  gboolean terminal = isatty (STDERR_FILENO) && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
  return cli_progress_new (stderr, terminal ? CLI_PROGRESS_BAR : otherwise);
}

void
cli_progress_done (CliProgress *progress)
{
  if (progress->open_bar)
    {
      fputc ('\n', progress->out);
      fflush (progress->out);
      progress->open_bar = FALSE;
    }
}

void
cli_progress_free (CliProgress *progress)
{
  if (progress == NULL)
    return;
  cli_progress_done (progress);
  g_free (progress->phase);
  g_free (progress);
}

const CoreProgress *
cli_progress_core (CliProgress *progress)
{
  return &progress->core;
}
