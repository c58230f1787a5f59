/* cli-rows.h: prints a query result as an aligned text table, CSV (RFC 4180,
 * UTF-8) or a JSON array of objects, for the list commands. */
#pragma once

#include <glib.h>
#include <libpq-fe.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef enum
{
  CLI_ROWS_TEXT,
  CLI_ROWS_CSV,
  CLI_ROWS_JSON,
} CliRowsFormat;

/* Parses "text", "csv" or "json" (NULL: text). */
gboolean cli_rows_format_parse (const char *name, CliRowsFormat *format);

/* The --format option of @command: like cli_rows_format_parse(), but prints a
 * usage error and sets *@code when @text is not text, csv or json. */
gboolean cli_rows_format_option (const char *command, const char *text, CliRowsFormat *format,
                                 int *code);

/* Writes every row of @res with its column names as headers; @headers, when
 * not NULL, replaces them (one per column). */
void cli_rows_print (FILE *out, const PGresult *res, CliRowsFormat format,
                     const char *const *headers);

/* Writes one row as "name: value" lines (for `show` commands). */
void cli_rows_print_record (FILE *out, const PGresult *res, int row);

/* @text as a CSV field (quoted when needed). Free with g_free(). */
char *cli_rows_csv_field (const char *text);

/* Writes @text (NULL: empty) as a CSV field followed by @sep (',' or '\n'). */
void cli_rows_write_csv_field (FILE *out, const char *text, char sep);

G_END_DECLS
