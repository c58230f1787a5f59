/* cli-progress.h: progress shown the way the terminal allows. On a terminal,
 * one line redrawn in place (a bar, the phase, done of total); otherwise plain
 * lines (for the demo and logs) or nothing at all (for commands in a pipe, so
 * their output stays what scripts expect). */
#pragma once

#include "core/core-progress.h"

#include <stdio.h>

G_BEGIN_DECLS

typedef enum
{
  CLI_PROGRESS_QUIET, /* nothing */
  CLI_PROGRESS_LINES, /* a plain line per phase and per tenth of it */
  CLI_PROGRESS_BAR,   /* one line redrawn in place, at most ten times a second */
} CliProgressStyle;

typedef struct CliProgress CliProgress;

/* Progress onto @out (not owned) in @style. */
CliProgress *cli_progress_new (FILE *out, CliProgressStyle style);
/* The style for stderr: a bar on a terminal (unless TERM=dumb), else @otherwise. */
CliProgress *cli_progress_for_stderr (CliProgressStyle otherwise);
void cli_progress_free (CliProgress *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliProgress, cli_progress_free)

/* What to hand the work (owned by @progress). */
const CoreProgress *cli_progress_core (CliProgress *progress);

/* Ends the bar's line (or the last plain line) before other output. */
void cli_progress_done (CliProgress *progress);

G_END_DECLS
