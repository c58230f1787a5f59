/* cmd-tasks.c: `spotcheck tasks ...` (commands are added as the capability lands). */
#include "cli/cli.h"

static const CliCommand tasks_commands[] = {
  { NULL },
};

const CliGroup cli_group_tasks = { "tasks", "Monthly task lists: the reproducible double-random draw.", tasks_commands };
