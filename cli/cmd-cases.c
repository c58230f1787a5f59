/* cmd-cases.c: `spotcheck cases ...` (commands are added as the capability lands). */
#include "cli/cli.h"

static const CliCommand cases_commands[] = {
  { NULL },
};

const CliGroup cli_group_cases = { "cases", "Verification-and-disposal cases of nonconforming batches.", cases_commands };
