/* cli-tasks-xlsx.h: the printable monthly task list as an XLSX workbook, one
 * sheet per office, Chinese headers (offices work in spreadsheets). */
#pragma once

#include "core/core-catalog.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

/* Writes @tasks (the columns of db_tasks_list()) to @path: one sheet per
 * office of @catalog (only @office when not NULL), named after the office,
 * with a title row and one row per task. An office with no task gets a sheet
 * saying so. */
gboolean cli_tasks_write_xlsx (const char *path, const CoreCatalog *catalog, const char *office,
                               const PGresult *tasks, int year, int month, GError **error);

G_END_DECLS
