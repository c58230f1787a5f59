/* cmd-results.c: `spotcheck results ...` (commands are added as the capability lands). */
#include "cli/cli.h"

static const CliCommand results_commands[] = {
  { NULL },
};

const CliGroup cli_group_results = { "results", "Lab results: validated, atomic, idempotent uploads.", results_commands };
