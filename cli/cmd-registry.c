/* cmd-registry.c: `spotcheck registry ...` (commands are added as the capability lands). */
#include "cli/cli.h"

static const CliCommand registry_commands[] = {
  { NULL },
};

const CliGroup cli_group_registry = { "registry", "The directories: businesses, inspectors and labs.", registry_commands };
