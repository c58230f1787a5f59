/* cmd-samples.c: `spotcheck samples ...` (commands are added as the capability lands). */
#include "cli/cli.h"

static const CliCommand samples_commands[] = {
  { NULL },
};

const CliGroup cli_group_samples = { "samples", "Sampling records: what was taken for each task.", samples_commands };
