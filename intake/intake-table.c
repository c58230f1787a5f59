/* intake-table.c: encoding detection and the CSV half of the table reader.
 * CSV goes through libcsv, fed one physical line at a time so that each record
 * knows the line it starts on even when quoted fields span lines. */
#include "intake/intake-table-private.h"
#include "intake/intake-text.h"

#include <csv.h>
#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (intake - table - error - quark, intake_table_error)

/* A file whose valid UTF-8 prefix already holds this many non-ASCII characters
 * is UTF-8 with a broken byte, not GB18030: GB18030 Chinese text almost never
 * forms several valid UTF-8 sequences in a row. */
#define UTF8_EVIDENCE_CHARS 4

static guint
line_of_offset (const char *data, gsize offset)
{
  guint line = 1;
  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      line++;
  return line;
}

static guint
count_non_ascii_chars (const char *data, gsize len)
{
  guint n = 0;
  for (gsize i = 0; i < len; i++)
    if (((unsigned char)data[i] & 0xC0) == 0xC0)
      n++;
  return n;
}

gboolean
intake_decode (const char *data, gsize len, const char *name, char **utf8, gsize *utf8_len,
               IntakeEncoding *encoding, GError **error)
{
  const char *end = NULL;
  if (data == NULL || len == 0)
    {
      /* g_strndup (NULL, 0) is NULL; callers expect a string. */
      *utf8 = g_strdup ("");
      *utf8_len = 0;
      *encoding = INTAKE_ENCODING_UTF8;
      return TRUE;
    }
  if (len >= 4 && memcmp (data, "PK\x03\x04", 4) == 0)
    return g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_ENCODING,
                        _ ("%s is a spreadsheet workbook (.xlsx), not CSV or JSON text; send it "
                           "as a workbook, or save it as CSV (UTF-8)"),
                        name),
           FALSE;
  const char *nul = memchr (data, '\0', len);
  if (nul != NULL)
    return g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_ENCODING,
                        _ ("%s:%u: contains NUL bytes, so it is UTF-16 or binary, not CSV or JSON "
                           "text; save it as CSV (UTF-8) and send it again"),
                        name, line_of_offset (data, nul - data)),
           FALSE;
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      if (!g_utf8_validate (data + 3, len - 3, &end))
        return g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_ENCODING,
                            _ ("%s:%u: the file starts with a UTF-8 byte-order mark but this line "
                               "is not valid UTF-8; save the file again as CSV (UTF-8)"),
                            name, line_of_offset (data, end - data)),
               FALSE;
      *utf8 = g_strndup (data + 3, len - 3);
      *utf8_len = len - 3;
      *encoding = INTAKE_ENCODING_UTF8_BOM;
      return TRUE;
    }
  if (g_utf8_validate (data, len, &end))
    {
      *utf8 = g_strndup (data, len);
      *utf8_len = len;
      *encoding = INTAKE_ENCODING_UTF8;
      return TRUE;
    }
  gsize utf8_bad = end - data;
  if (count_non_ascii_chars (data, utf8_bad) < UTF8_EVIDENCE_CHARS)
    {
      gsize read = 0, written = 0;
      g_autoptr (GError) conv_error = NULL;
      char *converted = g_convert (data, len, "UTF-8", "GB18030", &read, &written, &conv_error);
      /* With bytes-read asked for, g_convert() leaves a partial character at
       * the end unconverted instead of failing: the file was cut short. */
      if (converted != NULL && read < len)
        {
          g_free (converted);
          return g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_ENCODING,
                              _ ("%s:%u: the file ends inside a GB18030 character: it was cut "
                                 "short; send the whole file again"),
                              name, line_of_offset (data, read)),
                 FALSE;
        }
      if (converted != NULL)
        {
          *utf8 = converted;
          *utf8_len = written;
          *encoding = INTAKE_ENCODING_GB18030;
          return TRUE;
        }
      /* Report the later failure: the text is most plausibly what got further. */
      if (read > utf8_bad)
        utf8_bad = read;
    }
  return g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_ENCODING,
                      _ ("%s:%u: this line is neither UTF-8 nor GB18030 text; save the file as "
                         "CSV (UTF-8) and send it again"),
                      name, line_of_offset (data, utf8_bad)),
         FALSE;
}

static void
field_keys_add (GHashTable *index, const char *word, guint field)
{
  char *key = intake_text_fold (word);
  if (*key == '\0' || g_hash_table_contains (index, key))
    g_free (key); /* the first field to claim a name keeps it */
  else
    g_hash_table_insert (index, key, GUINT_TO_POINTER (field + 1));
}

GHashTable *
intake_table_field_index (const IntakeSchema *schema)
{
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint f = 0; f < schema->n_fields; f++)
    field_keys_add (index, schema->fields[f].key, f);
  for (guint f = 0; f < schema->n_fields; f++)
    for (gsize a = 0; schema->fields[f].aliases && schema->fields[f].aliases[a]; a++)
      field_keys_add (index, schema->fields[f].aliases[a], f);
  return index;
}

int
intake_table_lookup (GHashTable *index, const char *name)
{
  g_autofree char *key = intake_text_fold (name);
  return (int)GPOINTER_TO_UINT (g_hash_table_lookup (index, key)) - 1;
}

IntakeRow *
intake_row_new (guint line, guint n_fields, char *const *values)
{
  gsize size = sizeof (IntakeRow) + n_fields * sizeof (char *);
  for (guint f = 0; f < n_fields; f++)
    if (values[f] != NULL)
      size += strlen (values[f]) + 1;
  IntakeRow *row = g_malloc (size);
  char *text = (char *)&row->values[n_fields];
  row->line = line;
  for (guint f = 0; f < n_fields; f++)
    {
      if (values[f] == NULL)
        {
          row->values[f] = NULL;
          continue;
        }
      gsize n = strlen (values[f]) + 1;
      memcpy (text, values[f], n);
      row->values[f] = text;
      text += n;
    }
  return row;
}

const char *
intake_row_get (const IntakeRow *row, guint field)
{
  return row->values[field] ? row->values[field] : "";
}

const char *
intake_table_column (const IntakeTable *table, guint field)
{
  g_return_val_if_fail (field < table->schema->n_fields, "");
  return table->columns[field] ? table->columns[field] : table->schema->fields[field].key;
}

static void add_problem (CoreProblems *problems, const IntakeTable *table,
                         const IntakeSchema *schema, guint line, guint field, const char *value,
                         const char *why_fmt, va_list ap) G_GNUC_PRINTF (7, 0);

static void
add_problem (CoreProblems *problems, const IntakeTable *table, const IntakeSchema *schema,
             guint line, guint field, const char *value, const char *why_fmt, va_list ap)
{
  g_autofree char *why = g_strdup_vprintf (why_fmt, ap);
  const char *column = table                                ? intake_table_column (table, field)
                       : schema && field < schema->n_fields ? schema->fields[field].key
                                                            : NULL;
  core_problems_add (problems, line, column, value, "%s", why);
}

void
intake_table_problem (CoreProblems *problems, const IntakeTable *table, const IntakeSchema *schema,
                      guint line, guint field, const char *value, const char *why_fmt, ...)
{
  va_list ap;
  va_start (ap, why_fmt);
  add_problem (problems, table, schema, line, field, value, why_fmt, ap);
  va_end (ap);
}

void
intake_row_problem (CoreProblems *problems, const IntakeTable *table, const IntakeRow *row,
                    guint field, const char *why_fmt, ...)
{
  va_list ap;
  va_start (ap, why_fmt);
  add_problem (problems, table, NULL, row->line, field, intake_row_get (row, field), why_fmt, ap);
  va_end (ap);
}

void
intake_table_free (IntakeTable *table)
{
  if (table == NULL)
    return;
  g_free (table->name);
  if (table->columns != NULL)
    for (guint f = 0; f < table->schema->n_fields; f++)
      g_free (table->columns[f]);
  g_free (table->columns);
  g_free (table->positions);
  if (table->rows != NULL)
    g_ptr_array_unref (table->rows);
  g_free (table);
}

/* ---- CSV ---- */

/* Column -> field mapping: a field index, or one of these. */
enum
{
  COLUMN_IGNORED = -1, /* unknown but the schema ignores unknown columns */
  COLUMN_UNNAMED = -2, /* empty header cell: its values must be empty too */
};

typedef struct
{
  IntakeTable *table;
  CoreProblems *problems;
  GHashTable *index;
  GPtrArray *fields; /* char* of the record being parsed, into @text */
  GString *text;     /* the record's stripped fields, each NUL-terminated */
  GArray *starts;    /* gsize offset in @text of each field */
  int *column_field; /* per header column */
  guint n_columns;   /* 0 until the header is read */
  guint line;        /* physical line being fed */
  guint record_line; /* where the current record started, 0 = none yet */
  GError *error;     /* first structural error; stops the parse */
} CsvState;

static void
csv_on_field (void *data, size_t len, void *user_data)
{
  CsvState *st = user_data;
  gsize n, at = st->text->len;
  /* CSV_APPEND_NULL makes @data a C string (NULL for a wholly empty input).
   * Fields go into one buffer kept from record to record: no copy per field. */
  const char *start = intake_text_strip_span (data ? data : "", &n);
  g_string_append_len (st->text, start, n);
  g_string_append_c (st->text, '\0');
  g_array_append_val (st->starts, at);
}

static void
csv_read_header (CsvState *st)
{
  const IntakeSchema *schema = st->table->schema;
  g_autoptr (GString) unknown = g_string_new (NULL);
  g_autoptr (GString) repeated = g_string_new (NULL);
  st->n_columns = st->fields->len;
  st->column_field = g_new (int, st->n_columns);
  for (guint c = 0; c < st->n_columns; c++)
    {
      const char *name = g_ptr_array_index (st->fields, c);
      int f = intake_table_lookup (st->index, name);
      st->column_field[c] = f;
      if (*name == '\0')
        st->column_field[c] = COLUMN_UNNAMED;
      else if (f < 0 && !schema->ignore_unknown)
        g_string_append_printf (unknown, "%s\"%s\"", unknown->len ? ", " : "", name);
      else if (f >= 0 && st->table->columns[f] != NULL)
        g_string_append_printf (repeated, "%s\"%s\" and \"%s\"", repeated->len ? ", " : "",
                                st->table->columns[f], name);
      else if (f >= 0)
        {
          st->table->columns[f] = g_strdup (name);
          st->table->positions[f] = c;
        }
    }
  g_autoptr (GString) missing = g_string_new (NULL);
  for (guint f = 0; f < schema->n_fields; f++)
    if (schema->fields[f].required && st->table->columns[f] == NULL)
      g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", schema->fields[f].key);
  if (missing->len || unknown->len || repeated->len)
    g_set_error (&st->error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_HEADER,
                 _ ("%s:%u: the header line does not fit this kind of file:%s%s%s%s%s%s "
                    "(the header names the columns; see the accepted names in the README)"),
                 st->table->name, st->record_line, missing->len ? " missing required column " : "",
                 missing->str, unknown->len ? " unknown column " : "", unknown->str,
                 repeated->len ? " the same column twice: " : "", repeated->str);
}

static void
csv_read_row (CsvState *st)
{
  guint n_fields = st->table->schema->n_fields;
  g_autofree char **values = g_new0 (char *, n_fields);
  gboolean all_blank = TRUE;
  for (guint c = 0; c < st->fields->len; c++)
    if (*(char *)g_ptr_array_index (st->fields, c) != '\0')
      all_blank = FALSE;
  if (all_blank)
    return; /* spreadsheets leave rows of bare commas at the end */
  for (guint c = 0; c < st->fields->len; c++)
    {
      const char *v = g_ptr_array_index (st->fields, c);
      if (c >= st->n_columns)
        {
          if (*v != '\0')
            {
              core_problems_add (st->problems, st->record_line, NULL, v,
                                 _ ("this row has %u fields but the header names only %u "
                                    "columns; quote values that contain commas"),
                                 st->fields->len, st->n_columns);
              return;
            }
          continue;
        }
      if (st->column_field[c] >= 0)
        values[st->column_field[c]] = (char *)v;
      else if (st->column_field[c] == COLUMN_UNNAMED && *v != '\0')
        {
          g_autofree char *col = g_strdup_printf (_ ("%u (no name)"), c + 1);
          core_problems_add (st->problems, st->record_line, col, v,
                             _ ("a value in a column whose header is empty; name the column "
                                "or move the value"));
          return;
        }
    }
  if (st->fields->len < st->n_columns)
    {
      core_problems_add (st->problems, st->record_line, NULL, NULL,
                         _ ("this row has %u fields but the header names %u columns; every "
                            "row needs one field per column"),
                         st->fields->len, st->n_columns);
      return;
    }
  /* Columns the file has but this row leaves empty are "", not absent. */
  for (guint f = 0; f < n_fields; f++)
    if (values[f] == NULL && st->table->columns[f] != NULL)
      values[f] = "";
  g_ptr_array_add (st->table->rows, intake_row_new (st->record_line, n_fields, values));
}

static void
csv_on_record (int terminator, void *user_data)
{
  CsvState *st = user_data;
  if (st->record_line == 0)
    st->record_line = st->line;
  for (guint c = 0; c < st->starts->len; c++)
    g_ptr_array_add (st->fields, st->text->str + g_array_index (st->starts, gsize, c));
  if (st->error == NULL)
    {
      if (st->column_field == NULL)
        csv_read_header (st);
      else
        csv_read_row (st);
    }
  g_ptr_array_set_size (st->fields, 0);
  g_string_truncate (st->text, 0);
  g_array_set_size (st->starts, 0);
  st->record_line = 0;
}

/* ---- records from readers that produce them whole (XLSX) ---- */

struct IntakeRecords
{
  CsvState st;
  GHashTable *index;
  GPtrArray *fields;
};

IntakeRecords *
intake_records_new (IntakeTable *table, CoreProblems *problems)
{
  IntakeRecords *r = g_new0 (IntakeRecords, 1);
  r->index = intake_table_field_index (table->schema);
  r->fields = g_ptr_array_new ();
  r->st.table = table;
  r->st.problems = problems;
  r->st.index = r->index;
  r->st.fields = r->fields;
  return r;
}

gboolean
intake_records_add (IntakeRecords *r, guint line, char **fields, guint n_fields, GError **error)
{
  CsvState *st = &r->st;
  g_ptr_array_set_size (r->fields, 0);
  for (guint c = 0; c < n_fields; c++)
    {
      /* stripped in place, as the CSV half strips its fields */
      gsize n;
      char *start = (char *)intake_text_strip_span (fields[c] ? fields[c] : "", &n);
      if (fields[c] != NULL)
        {
          memmove (fields[c], start, n);
          fields[c][n] = '\0';
        }
      g_ptr_array_add (r->fields, fields[c] ? fields[c] : (char *)"");
    }
  /* A sheet leaves the empty cells at the end of a row out. */
  while (st->column_field != NULL && r->fields->len < st->n_columns)
    g_ptr_array_add (r->fields, (char *)"");
  st->record_line = line;
  if (st->column_field == NULL)
    {
      /* rows before the header that hold nothing (a sheet's top margin) */
      gboolean blank = TRUE;
      for (guint c = 0; c < n_fields && blank; c++)
        blank = *(char *)g_ptr_array_index (r->fields, c) == '\0';
      if (!blank)
        {
          csv_read_header (st);
          /* every problem in a column from now on names its cell too */
          const IntakeTable *t = st->table;
          for (guint f = 0; f < t->schema->n_fields; f++)
            if (t->positions[f] >= 0)
              {
                g_autofree char *letters = intake_xlsx_column_name ((guint)t->positions[f]);
                core_problems_set_sheet_column (st->problems, t->columns[f], letters);
              }
        }
    }
  else
    csv_read_row (st);
  if (st->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&st->error));
      return FALSE;
    }
  return TRUE;
}

gboolean
intake_records_finish (IntakeRecords *r, GError **error)
{
  if (r->st.column_field == NULL)
    {
      g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_HEADER,
                   _ ("%s is empty; it needs a header row naming the columns, then one row per "
                      "record"),
                   r->st.table->name);
      return FALSE;
    }
  return TRUE;
}

void
intake_records_free (IntakeRecords *r)
{
  if (r == NULL)
    return;
  g_free (r->st.column_field);
  g_clear_error (&r->st.error);
  g_hash_table_unref (r->index);
  g_ptr_array_unref (r->fields);
  g_free (r);
}

static gboolean
read_csv (IntakeTable *table, const char *text, gsize len, CoreProblems *problems, GError **error)
{
  struct csv_parser parser;
  g_autoptr (GHashTable) index = intake_table_field_index (table->schema);
  g_autoptr (GPtrArray) fields = g_ptr_array_new ();
  g_autoptr (GString) fields_text = g_string_new (NULL);
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  CsvState st = { table, problems, index, fields, fields_text, starts, NULL, 0, 0, 0, NULL };
  if (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
    g_error ("csv_init: out of memory");
  /* Lines end in LF or CRLF; a file with CR alone (old Mac exports) has no
   * LF at all, and its lines end in CR. */
  char eol = memchr (text, '\n', len) == NULL && memchr (text, '\r', len) != NULL ? '\r' : '\n';
  gsize pos = 0;
  while (pos < len && st.error == NULL)
    {
      const char *nl = memchr (text + pos, eol, len - pos);
      gsize line_len = nl ? (gsize)(nl - (text + pos)) + 1 : len - pos;
      st.line++;
      /* A record starts on the first line after the last one that is not blank:
       * libcsv skips lines holding only white space. */
      if (st.record_line == 0 && strspn (text + pos, " \t\r\n") < line_len)
        st.record_line = st.line;
      /* A header error may already be set from inside a callback on this line. */
      if (csv_parse (&parser, text + pos, line_len, csv_on_field, csv_on_record, &st) != line_len
          && st.error == NULL)
        g_set_error (&st.error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_SYNTAX,
                     _ ("%s:%u: malformed CSV (%s); a field with quotes must be wholly quoted, "
                        "with inner quotes doubled (\"\")"),
                     table->name, st.line, csv_strerror (csv_error (&parser)));
      pos += line_len;
    }
  if (st.error == NULL && csv_fini (&parser, csv_on_field, csv_on_record, &st) != 0
      && st.error == NULL)
    g_set_error (&st.error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_SYNTAX,
                 _ ("%s:%u: a quoted field is never closed; add the missing '\"'"), table->name,
                 st.record_line ? st.record_line : st.line);
  csv_free (&parser);
  if (st.error == NULL && st.column_field == NULL)
    g_set_error (&st.error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_HEADER,
                 _ ("%s is empty; it needs a header line naming the columns, then one line per "
                    "record"),
                 table->name);
  g_free (st.column_field);
  if (st.error != NULL)
    {
      g_propagate_error (error, st.error);
      return FALSE;
    }
  return TRUE;
}

static IntakeFormat
sniff_format (const char *text, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (text[i]))
      return text[i] == '[' || text[i] == '{' ? INTAKE_FORMAT_JSON : INTAKE_FORMAT_CSV;
  return INTAKE_FORMAT_CSV;
}

IntakeTable *
intake_table_read_data (const char *data, gsize len, const char *name, IntakeFormat format,
                        const IntakeSchema *schema, CoreProblems *problems, GError **error)
{
  g_autoptr (IntakeTable) table = g_new0 (IntakeTable, 1);
  g_autoptr (CoreProblems) scratch = NULL;
  g_autofree char *text = NULL;
  gsize text_len = 0;
  table->name = g_strdup (name ? name : "<input>");
  table->schema = schema;
  table->columns = g_new0 (char *, schema->n_fields + 1);
  table->positions = g_new (int, schema->n_fields);
  for (guint f = 0; f < schema->n_fields; f++)
    table->positions[f] = -1;
  table->rows = g_ptr_array_new_with_free_func (g_free);
  if (problems == NULL)
    problems = scratch = core_problems_new (table->name);
  /* A workbook is a zip archive: its first bytes say so, whatever its name. */
  if (format == INTAKE_FORMAT_XLSX
      || (format == INTAKE_FORMAT_AUTO && len >= 4 && memcmp (data, "PK\x03\x04", 4) == 0))
    {
      table->format = INTAKE_FORMAT_XLSX;
      table->encoding = INTAKE_ENCODING_UTF8;
      if (!intake_table_read_xlsx (table, data, len, problems, error))
        return NULL;
      return g_steal_pointer (&table);
    }
  if (!intake_decode (data, len, table->name, &text, &text_len, &table->encoding, error))
    return NULL;
  table->format = format == INTAKE_FORMAT_AUTO ? sniff_format (text, text_len) : format;
  if (table->format == INTAKE_FORMAT_JSON
          ? !intake_table_read_json (table, text, text_len, problems, error)
          : !read_csv (table, text, text_len, problems, error))
    return NULL;
  return g_steal_pointer (&table);
}

IntakeTable *
intake_table_read_file (const char *path, const char *name, IntakeFormat format,
                        const IntakeSchema *schema, CoreProblems *problems, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_READ, _ ("cannot read %s: %s"),
                   path, local->message);
      return NULL;
    }
  return intake_table_read_data (data, len, name ? name : path, format, schema, problems, error);
}
