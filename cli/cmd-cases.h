/* cmd-cases.h: the step commands of `spotcheck cases` (cmd-cases-steps.c),
 * listed in cmd-cases.c's command table. Not for other files. */
#pragma once

#include "cli/cli.h"

G_BEGIN_DECLS

int cli_cases_advance (CliContext *ctx, int argc, char **argv);
int cli_cases_close (CliContext *ctx, int argc, char **argv);
int cli_cases_extend (CliContext *ctx, int argc, char **argv);
int cli_cases_assign (CliContext *ctx, int argc, char **argv);
int cli_cases_reinspect (CliContext *ctx, int argc, char **argv);
int cli_cases_steps (CliContext *ctx, int argc, char **argv);

G_END_DECLS
