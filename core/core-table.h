/* core-table.h: a small typed table: columns with a machine key, a label
 * for people and a type, then rows of text cells. Services and report
 * definitions return these; one set of writers (reports/report-writer.h)
 * renders them as text, CSV, JSON or XLSX, so every face shows the same rows.
 *
 * Cells are stored as text (NULL is a missing value) in the form the column's
 * type reads: integers and numbers in C-locale decimal, dates as YYYY-MM-DD,
 * booleans as "true"/"false". Writers use the type to emit JSON numbers,
 * XLSX numbers and right-aligned text columns.
 *
 * Titles and labels are text for people in one language: the language of
 * the thread that built the table (core/core-i18n.h). Column labels are
 * English msgids marked N_() in static tables and translated when a table
 * is made; titles come translated already (_()). Keys never change. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CORE_CELL_TEXT,
  CORE_CELL_INT,    /* a 64-bit integer */
  CORE_CELL_NUMBER, /* a decimal number */
  CORE_CELL_DATE,   /* YYYY-MM-DD */
  CORE_CELL_BOOL,   /* "true" / "false" */
} CoreCellType;

typedef struct
{
  const char *key;   /* CSV header, JSON member: never translated, never changes */
  const char *label; /* for people: an English msgid, N_() (NULL: the key) */
  CoreCellType type;
} CoreColumn;

typedef enum
{
  CORE_TABLE_LIST,   /* any number of rows: a list */
  CORE_TABLE_RECORD, /* one row shown as "label: value" lines; a JSON object */
} CoreTableShape;

typedef struct CoreTable CoreTable;

/* A new empty table. @key names it in a document of several tables (the JSON
 * member, the XLSX sheet); @title, already translated, titles it for people
 * (may be NULL). The column descriptions are copied, their labels
 * translated into this thread's language (a label that is no msgid, such as
 * one already translated, stays as it is). */
CoreTable *core_table_new (const char *key, const char *title, const CoreColumn *columns,
                           guint n_columns);
CoreTable *core_table_ref (CoreTable *table);
void core_table_unref (CoreTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoreTable, core_table_unref)

void core_table_set_shape (CoreTable *table, CoreTableShape shape);
CoreTableShape core_table_shape (const CoreTable *table);

const char *core_table_key (const CoreTable *table);
/* The title; NULL when the table has none. */
const char *core_table_title (const CoreTable *table);

/* A short name for the table's sheet in a workbook, when its title is too
 * long for one (Excel keeps 31 characters); NULL: the title is used. */
void core_table_set_sheet (CoreTable *table, const char *name);
const char *core_table_sheet (const CoreTable *table);

guint core_table_n_columns (const CoreTable *table);
const CoreColumn *core_table_column (const CoreTable *table, guint col);
/* The column whose key is @key, or -1. */
int core_table_find (const CoreTable *table, const char *key);
/* A column's label (translated when the table was made), else its key. */
const char *core_column_label (const CoreColumn *column);

guint core_table_n_rows (const CoreTable *table);

/* Appends an empty row (every cell NULL) and returns its index. */
guint core_table_add_row (CoreTable *table);
/* Sets a cell (copied; NULL clears it). */
void core_table_set (CoreTable *table, guint row, guint col, const char *value);
/* Takes ownership of @value. */
void core_table_take (CoreTable *table, guint row, guint col, char *value);
void core_table_set_int (CoreTable *table, guint row, guint col, gint64 value);
/* @value with @decimals digits after the point, C locale. */
void core_table_set_number (CoreTable *table, guint row, guint col, double value, int decimals);
void core_table_set_bool (CoreTable *table, guint row, guint col, gboolean value);
/* Sets the cell in column @key; a key the table lacks is a programming error. */
void core_table_set_by_key (CoreTable *table, guint row, const char *key, const char *value);

/* The cell's text, or NULL when missing. Owned by @table. */
const char *core_table_get (const CoreTable *table, guint row, guint col);
const char *core_table_get_by_key (const CoreTable *table, guint row, const char *key);

/* What people read in place of a cell's value (copied; NULL: the value): a
 * state's name for its key, a status in the thread's language. The writers
 * for people (text, HTML, XLSX) show it; CSV and JSON keep the value, so
 * machine output does not change with the language. */
void core_table_set_shown (CoreTable *table, guint row, guint col, const char *shown);
/* The cell as people read it: its shown text, else its value. Owned by @table. */
const char *core_table_get_shown (const CoreTable *table, guint row, guint col);

/* @text (NULL: empty) as an RFC 4180 CSV field: quoted when it holds a comma,
 * quote or line break, inner quotes doubled. The one CSV quoter. Free with
 * g_free(). */
char *core_csv_field (const char *text);

/* A chart as data only: what to draw, not how. Writers that can draw (HTML
 * as inline SVG) render it after the table named by @after; the others
 * ignore it, since the same figures are in that table. */
typedef enum
{
  CORE_CHART_LINE,
  CORE_CHART_BAR,
} CoreChartKind;

typedef struct
{
  char *name;     /* for people, translated */
  GArray *values; /* double, one per category */
} CoreChartSeries;

typedef struct
{
  CoreChartKind kind;
  char *after;           /* key of the table it illustrates (NULL: at the end) */
  char *title;           /* for people, translated (may be NULL) */
  GPtrArray *categories; /* char*: the x axis labels, already in the document's language */
  GPtrArray *series;     /* CoreChartSeries* */
} CoreChart;

/* @title and the series' names come translated (_()). */
CoreChart *core_chart_new (CoreChartKind kind, const char *after, const char *title);
void core_chart_free (CoreChart *chart);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoreChart, core_chart_free)
void core_chart_add_category (CoreChart *chart, const char *label);
/* Appends a series (values added with core_chart_series_add) and returns it. */
CoreChartSeries *core_chart_add_series (CoreChart *chart, const char *name);
void core_chart_series_add (CoreChartSeries *series, double value);

/* Several tables under one title: what a `show` command or a report returns. */
typedef struct
{
  char *title;       /* for people, translated (may be NULL) */
  GPtrArray *tables; /* CoreTable*, owned */
  GPtrArray *charts; /* CoreChart*, owned; may be empty */
} CoreDocument;

/* @title comes translated (_()); may be NULL. */
CoreDocument *core_document_new (const char *title);
/* Appends @table (takes the reference). */
void core_document_add (CoreDocument *doc, CoreTable *table);
/* Appends @chart (takes ownership). */
void core_document_add_chart (CoreDocument *doc, CoreChart *chart);
void core_document_free (CoreDocument *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoreDocument, core_document_free)

G_END_DECLS
