/* core-table.c: the typed table behind every list, record and report. */
#include "core/core-table.h"

#include "core/core-i18n.h"

#include <string.h>

struct CoreTable
{
  gint refs;
  char *key, *title;
  char *sheet; /* a short name for a workbook sheet; NULL: the title */
  CoreTableShape shape;
  GArray *columns;   /* CoreColumn with strings owned (below) */
  GPtrArray *names;  /* owned copies of the column strings */
  GPtrArray *cells;  /* row-major, n_rows × n_columns, owned strings or NULL */
  GHashTable *shown; /* cell index → owned text for people; NULL: none yet */
  guint n_rows;
};

static const char *
keep (CoreTable *t, const char *s)
{
  if (s == NULL)
    return NULL;
  char *copy = g_strdup (s);
  g_ptr_array_add (t->names, copy);
  return copy;
}

CoreTable *
core_table_new (const char *key, const char *title, const CoreColumn *columns, guint n_columns)
{
  CoreTable *t = g_new0 (CoreTable, 1);
  t->refs = 1;
  t->key = g_strdup (key);
  t->title = g_strdup (title);
  t->shape = CORE_TABLE_LIST;
  t->names = g_ptr_array_new_with_free_func (g_free);
  t->columns = g_array_sized_new (FALSE, FALSE, sizeof (CoreColumn), n_columns);
  for (guint c = 0; c < n_columns; c++)
    {
      g_return_val_if_fail (columns[c].key != NULL, NULL);
      const char *label = columns[c].label;
      CoreColumn col
          = { keep (t, columns[c].key), keep (t, label ? _ (label) : NULL), columns[c].type };
      g_array_append_val (t->columns, col);
    }
  t->cells = g_ptr_array_new_with_free_func (g_free);
  return t;
}

CoreTable *
core_table_ref (CoreTable *table)
{
  g_atomic_int_inc (&table->refs);
  return table;
}

void
core_table_unref (CoreTable *table)
{
  if (table == NULL || !g_atomic_int_dec_and_test (&table->refs))
    return;
  g_ptr_array_unref (table->cells);
  g_clear_pointer (&table->shown, g_hash_table_unref);
  g_array_unref (table->columns);
  g_ptr_array_unref (table->names);
  g_free (table->key);
  g_free (table->title);
  g_free (table->sheet);
  g_free (table);
}

void
core_table_set_shape (CoreTable *table, CoreTableShape shape)
{
  table->shape = shape;
}

CoreTableShape
core_table_shape (const CoreTable *table)
{
  return table->shape;
}

const char *
core_table_key (const CoreTable *table)
{
  return table->key;
}

const char *
core_table_title (const CoreTable *table)
{
  return table->title;
}

void
core_table_set_sheet (CoreTable *table, const char *name)
{
  g_free (table->sheet);
  table->sheet = g_strdup (name);
}

const char *
core_table_sheet (const CoreTable *table)
{
  return table->sheet;
}

guint
core_table_n_columns (const CoreTable *table)
{
  return table->columns->len;
}

const CoreColumn *
core_table_column (const CoreTable *table, guint col)
{
  g_return_val_if_fail (col < table->columns->len, NULL);
  return &g_array_index (table->columns, CoreColumn, col);
}

int
core_table_find (const CoreTable *table, const char *key)
{
  for (guint c = 0; c < table->columns->len; c++)
    if (strcmp (g_array_index (table->columns, CoreColumn, c).key, key) == 0)
      return (int)c;
  return -1;
}

const char *
core_column_label (const CoreColumn *column)
{
  return column->label != NULL ? column->label : column->key;
}

guint
core_table_n_rows (const CoreTable *table)
{
  return table->n_rows;
}

guint
core_table_add_row (CoreTable *table)
{
  for (guint c = 0; c < table->columns->len; c++)
    g_ptr_array_add (table->cells, NULL);
  return table->n_rows++;
}

static char **
cell (CoreTable *table, guint row, guint col)
{
  g_return_val_if_fail (row < table->n_rows && col < table->columns->len, NULL);
  return (char **)&g_ptr_array_index (table->cells, row * table->columns->len + col);
}

void
core_table_take (CoreTable *table, guint row, guint col, char *value)
{
  char **p = cell (table, row, col);
  if (p == NULL)
    {
      g_free (value);
      return;
    }
  g_free (*p);
  *p = value;
}

void
core_table_set (CoreTable *table, guint row, guint col, const char *value)
{
  core_table_take (table, row, col, g_strdup (value));
}

void
core_table_set_int (CoreTable *table, guint row, guint col, gint64 value)
{
  core_table_take (table, row, col, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

void
core_table_set_number (CoreTable *table, guint row, guint col, double value, int decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *fmt = g_strdup_printf ("%%.%df", CLAMP (decimals, 0, 17));
  core_table_set (table, row, col, g_ascii_formatd (buf, sizeof buf, fmt, value));
}

void
core_table_set_bool (CoreTable *table, guint row, guint col, gboolean value)
{
  core_table_set (table, row, col, value ? "true" : "false");
}

void
core_table_set_by_key (CoreTable *table, guint row, const char *key, const char *value)
{
  int col = core_table_find (table, key);
  g_return_if_fail (col >= 0);
  core_table_set (table, row, (guint)col, value);
}

const char *
core_table_get (const CoreTable *table, guint row, guint col)
{
  g_return_val_if_fail (row < table->n_rows && col < table->columns->len, NULL);
  return g_ptr_array_index (table->cells, row * table->columns->len + col);
}

const char *
core_table_get_by_key (const CoreTable *table, guint row, const char *key)
{
  int col = core_table_find (table, key);
  g_return_val_if_fail (col >= 0, NULL);
  return core_table_get (table, row, (guint)col);
}

void
core_table_set_shown (CoreTable *table, guint row, guint col, const char *shown)
{
  g_return_if_fail (row < table->n_rows && col < table->columns->len);
  gpointer index = GUINT_TO_POINTER (row * table->columns->len + col);
  if (shown == NULL)
    {
      if (table->shown != NULL)
        g_hash_table_remove (table->shown, index);
      return;
    }
  if (table->shown == NULL)
    table->shown = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_hash_table_insert (table->shown, index, g_strdup (shown));
}

const char *
core_table_get_shown (const CoreTable *table, guint row, guint col)
{
  const char *shown = table->shown == NULL
                          ? NULL
                          : g_hash_table_lookup (
                              table->shown, GUINT_TO_POINTER (row * table->columns->len + col));
  return shown != NULL ? shown : core_table_get (table, row, col);
}

CoreDocument *
core_document_new (const char *title)
{
  CoreDocument *doc = g_new0 (CoreDocument, 1);
  doc->title = g_strdup (title);
  doc->tables = g_ptr_array_new_with_free_func ((GDestroyNotify)core_table_unref);
  doc->charts = g_ptr_array_new_with_free_func ((GDestroyNotify)core_chart_free);
  return doc;
}

void
core_document_add (CoreDocument *doc, CoreTable *table)
{
  g_ptr_array_add (doc->tables, table);
}

void
core_document_add_chart (CoreDocument *doc, CoreChart *chart)
{
  g_ptr_array_add (doc->charts, chart);
}

static void
chart_series_free (CoreChartSeries *series)
{
  g_free (series->name);
  g_array_unref (series->values);
  g_free (series);
}

CoreChart *
core_chart_new (CoreChartKind kind, const char *after, const char *title)
{
  CoreChart *chart = g_new0 (CoreChart, 1);
  chart->kind = kind;
  chart->after = g_strdup (after);
  chart->title = g_strdup (title);
  chart->categories = g_ptr_array_new_with_free_func (g_free);
  chart->series = g_ptr_array_new_with_free_func ((GDestroyNotify)chart_series_free);
  return chart;
}

void
core_chart_free (CoreChart *chart)
{
  if (chart == NULL)
    return;
  g_free (chart->after);
  g_free (chart->title);
  g_ptr_array_unref (chart->categories);
  g_ptr_array_unref (chart->series);
  g_free (chart);
}

void
core_chart_add_category (CoreChart *chart, const char *label)
{
  g_ptr_array_add (chart->categories, g_strdup (label ? label : ""));
}

CoreChartSeries *
core_chart_add_series (CoreChart *chart, const char *name)
{
  CoreChartSeries *series = g_new0 (CoreChartSeries, 1);
  series->name = g_strdup (name);
  series->values = g_array_new (FALSE, FALSE, sizeof (double));
  g_ptr_array_add (chart->series, series);
  return series;
}

void
core_chart_series_add (CoreChartSeries *series, double value)
{
  g_array_append_val (series->values, value);
}

void
core_document_free (CoreDocument *doc)
{
  if (doc == NULL)
    return;
  g_ptr_array_unref (doc->tables);
  g_ptr_array_unref (doc->charts);
  g_free (doc->title);
  g_free (doc);
}

char *
core_csv_field (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  if (strpbrk (text, ",\"\r\n") == NULL)
    return g_strdup (text);
  GString *q = g_string_new ("\"");
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (q, '"');
      g_string_append_c (q, *p);
    }
  g_string_append_c (q, '"');
  return g_string_free (q, FALSE);
}
