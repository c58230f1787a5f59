/* intake-table.h: reads a tabular upload (CSV or JSON in UTF-8 or GB18030, or
 * an XLSX workbook's first sheet) into
 * rows of named fields, each row knowing the line it starts on.
 *
 * Used for the directory imports (businesses, inspectors, labs) and for lab
 * result files alike: the caller describes its columns in an IntakeSchema and
 * gets back one value per schema field per row. Two kinds of failure:
 * - the file cannot be read as a table at all (unreadable, wrong encoding, CSV
 *   or JSON syntax, missing required or unknown columns): NULL and a GError;
 * - a row is malformed (wrong number of fields, a JSON value that is not text):
 *   the problem goes into the caller's CoreProblems and the row is skipped, so
 *   the caller can go on validating and list every problem at once. */
#pragma once

#include "core/core-problems.h"

G_BEGIN_DECLS

#define INTAKE_TABLE_ERROR (intake_table_error_quark ())
GQuark intake_table_error_quark (void);

typedef enum
{
  INTAKE_TABLE_ERROR_READ,      /* the file cannot be read */
  INTAKE_TABLE_ERROR_ENCODING,  /* neither UTF-8 nor GB18030 text, or binary */
  INTAKE_TABLE_ERROR_SYNTAX,    /* malformed CSV or JSON */
  INTAKE_TABLE_ERROR_HEADER,    /* empty file; required, unknown or repeated columns */
  INTAKE_TABLE_ERROR_TOO_LARGE, /* a workbook that unpacks to more than the limit */
} IntakeTableError;

typedef enum
{
  INTAKE_FORMAT_AUTO, /* JSON when the first visible character is '[' or '{', else CSV */
  INTAKE_FORMAT_CSV,
  INTAKE_FORMAT_JSON,
  INTAKE_FORMAT_XLSX, /* an Excel workbook: the first worksheet (AUTO: by its zip signature) */
} IntakeFormat;

typedef enum
{
  INTAKE_ENCODING_UTF8,
  INTAKE_ENCODING_UTF8_BOM,
  INTAKE_ENCODING_GB18030,
} IntakeEncoding;

/* One column the caller understands. A header (or JSON key) matches when it
 * equals @key or one of @aliases after intake_text_fold(): trimmed, NFKC,
 * case-insensitive, ignoring spaces, '_', '-' and '.'. */
typedef struct
{
  const char *key;            /* canonical English key, e.g. "report_no" */
  const char *const *aliases; /* NULL-terminated, Chinese and English; may be NULL */
  gboolean required;
} IntakeField;

typedef struct
{
  const IntakeField *fields;
  guint n_fields;
  gboolean ignore_unknown; /* FALSE: an unknown column rejects the file */
} IntakeSchema;

typedef struct
{
  guint line; /* physical line where the record starts (1-based); for JSON, its '{' */
  /* One entry per schema field, in schema order: the trimmed value, "" when
   * empty, NULL when the file has no such column (or the JSON object no such key). */
  char *values[];
} IntakeRow;

typedef struct
{
  char *name;              /* as given by the caller, used in messages */
  IntakeFormat format;     /* CSV, JSON or XLSX, never AUTO */
  IntakeEncoding encoding; /* what the bytes were */
  const IntakeSchema *schema;
  /* Per schema field, the column name as the file writes it (for messages), or
   * NULL when the file has no such column. */
  char **columns;
  /* Per schema field, the 0-based position of its column in the header, or
   * -1; XLSX problems name cells by it (D17). */
  int *positions;
  GPtrArray *rows; /* IntakeRow*, in file order; for XLSX, line is the sheet's row */
} IntakeTable;

/* Reads @path. @name is used in messages (NULL: @path). @problems receives
 * row-level problems and may be NULL only for files known to be clean (tests).
 * Returns a new table (free with intake_table_free()) or NULL with @error set. */
IntakeTable *intake_table_read_file (const char *path, const char *name, IntakeFormat format,
                                     const IntakeSchema *schema, CoreProblems *problems,
                                     GError **error);

/* Same from memory; @data need not be NUL-terminated. */
IntakeTable *intake_table_read_data (const char *data, gsize len, const char *name,
                                     IntakeFormat format, const IntakeSchema *schema,
                                     CoreProblems *problems, GError **error);

void intake_table_free (IntakeTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IntakeTable, intake_table_free)

/* The value of @field in @row, "" when the column is absent. Owned by the table. */
const char *intake_row_get (const IntakeRow *row, guint field);

/* The column name for messages: as the file writes it, else the schema key. */
const char *intake_table_column (const IntakeTable *table, guint field);

/* Records a problem in @field's column on @line with @value (may be NULL),
 * the column named as the file writes it; with @table NULL (rows entered one
 * at a time, or built in code) by @schema's key. The one way intake and db/
 * name a cell in a problem. */
void intake_table_problem (CoreProblems *problems, const IntakeTable *table,
                           const IntakeSchema *schema, guint line, guint field, const char *value,
                           const char *why_fmt, ...) G_GNUC_PRINTF (7, 8);

/* The same for the cell of @row in @field: its line and its value. */
void intake_row_problem (CoreProblems *problems, const IntakeTable *table, const IntakeRow *row,
                         guint field, const char *why_fmt, ...) G_GNUC_PRINTF (5, 6);

/* Detects the encoding of @data and returns it as UTF-8 without BOM in
 * *@utf8 (free with g_free()) and its length in *@utf8_len. Errors name @name
 * and the first bad line. */
gboolean intake_decode (const char *data, gsize len, const char *name, char **utf8, gsize *utf8_len,
                        IntakeEncoding *encoding, GError **error);

G_END_DECLS
