/* cli-rows.c: result printing shared by the list commands. */
#include "cli/cli-rows.h"

#include "cli/cli.h"
#include "core/core-table.h"

#include <json-glib/json-glib.h>
#include <string.h>

gboolean
cli_rows_format_parse (const char *name, CliRowsFormat *format)
{
  if (name == NULL || strcmp (name, "text") == 0)
    *format = CLI_ROWS_TEXT;
  else if (strcmp (name, "csv") == 0)
    *format = CLI_ROWS_CSV;
  else if (strcmp (name, "json") == 0)
    *format = CLI_ROWS_JSON;
  else
    return FALSE;
  return TRUE;
}

/* Display width: CJK characters take two columns in a terminal. */
static guint
width (const char *s)
{
  guint w = 0;
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    w += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return w;
}

static void
pad (FILE *out, const char *s, guint to)
{
  fputs (s, out);
  for (guint w = width (s); w < to; w++)
    fputc (' ', out);
}

char *
cli_rows_csv_field (const char *text)
{
  return core_csv_field (text);
}

gboolean
cli_rows_format_option (const char *command, const char *text, CliRowsFormat *format, int *code)
{
  if (cli_rows_format_parse (text, format))
    return TRUE;
  *code = cli_usage_error (command, "--format must be text, csv or json, not \"%s\"", text);
  return FALSE;
}

void
cli_rows_write_csv_field (FILE *out, const char *text, char sep)
{
  g_autofree char *field = cli_rows_csv_field (text ? text : "");
  fprintf (out, "%s%c", field, sep);
}

static const char *
header (const PGresult *res, const char *const *headers, int c)
{
  return headers ? headers[c] : PQfname (res, c);
}

static void
print_text (FILE *out, const PGresult *res, const char *const *headers)
{
  int nc = PQnfields (res), nr = PQntuples (res);
  g_autofree guint *w = g_new0 (guint, nc);
  for (int c = 0; c < nc; c++)
    {
      w[c] = width (header (res, headers, c));
      for (int r = 0; r < nr; r++)
        w[c] = MAX (w[c], width (PQgetvalue (res, r, c)));
    }
  for (int c = 0; c < nc; c++)
    {
      pad (out, header (res, headers, c), c + 1 < nc ? w[c] + 2 : 0);
    }
  fputc ('\n', out);
  for (int r = 0; r < nr; r++)
    {
      for (int c = 0; c < nc; c++)
        pad (out, PQgetvalue (res, r, c), c + 1 < nc ? w[c] + 2 : 0);
      fputc ('\n', out);
    }
  fprintf (out, "(%d row%s)\n", nr, nr == 1 ? "" : "s");
}

static void
print_csv (FILE *out, const PGresult *res, const char *const *headers)
{
  int nc = PQnfields (res);
  for (int r = -1; r < PQntuples (res); r++)
    {
      for (int c = 0; c < nc; c++)
        {
          g_autofree char *f
              = cli_rows_csv_field (r < 0 ? header (res, headers, c) : PQgetvalue (res, r, c));
          fprintf (out, "%s%s", c ? "," : "", f);
        }
      fputs ("\r\n", out);
    }
}

static void
print_json (FILE *out, const PGresult *res, const char *const *headers)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (int r = 0; r < PQntuples (res); r++)
    {
      json_builder_begin_object (b);
      for (int c = 0; c < PQnfields (res); c++)
        {
          json_builder_set_member_name (b, header (res, headers, c));
          if (PQgetisnull (res, r, c))
            json_builder_add_null_value (b);
          else
            json_builder_add_string_value (b, PQgetvalue (res, r, c));
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = json_to_string (root, TRUE);
  fprintf (out, "%s\n", text);
}

void
cli_rows_print (FILE *out, const PGresult *res, CliRowsFormat format, const char *const *headers)
{
  switch (format)
    {
    case CLI_ROWS_TEXT:
      print_text (out, res, headers);
      break;
    case CLI_ROWS_CSV:
      print_csv (out, res, headers);
      break;
    case CLI_ROWS_JSON:
      print_json (out, res, headers);
      break;
    }
}

void
cli_rows_print_record (FILE *out, const PGresult *res, int row)
{
  guint w = 0;
  for (int c = 0; c < PQnfields (res); c++)
    w = MAX (w, width (PQfname (res, c)));
  for (int c = 0; c < PQnfields (res); c++)
    {
      pad (out, PQfname (res, c), w + 2);
      fprintf (out, "%s\n", PQgetvalue (res, row, c));
    }
}
