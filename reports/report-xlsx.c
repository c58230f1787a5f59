/* report-xlsx.c: workbooks for people (libxlsxwriter): one sheet per table,
 * named after its sheet name or else its title, the title in the first row, a
 * bold header row of labels in the writer's
 * language, numbers stored as numbers, the header frozen; a chart of the
 * table becomes a native Excel chart below it, over a copy of its data to the
 * right of the table (a chart holds data, not cell references). libxlsxwriter
 * writes to a file, so the workbook is built in a private temporary file and
 * then copied to the output stream. */
#include "reports/report-writer.h"

#include "core/core-i18n.h"

#include <glib/gstdio.h>
#include <string.h>
#include <xlsxwriter.h>

typedef struct
{
  ReportWriter base;
  char *dir, *path;
  lxw_workbook *wb;
  lxw_format *bold;
  lxw_worksheet *ws;
  lxw_row_t next_row;
  char *sheet;         /* the current sheet's name, for chart ranges */
  guint n_cols;        /* the current table's columns */
  lxw_col_t chart_col; /* where the next chart's data goes */
  double *widths;
  GHashTable *sheet_names;
} XlsxWriter;

static gboolean
xlsx_begin (ReportWriter *w, const char *title, guint n_tables, GError **error)
{
  XlsxWriter *x = (XlsxWriter *)w;
  x->dir = g_dir_make_tmp ("spotcheck-xlsx-XXXXXX", error);
  if (x->dir == NULL)
    return FALSE;
  x->path = g_build_filename (x->dir, "out.xlsx", NULL);
  x->wb = workbook_new (x->path);
  if (x->wb == NULL)
    {
      g_set_error (error, REPORT_ERROR, REPORT_ERROR_WRITE, "cannot create a workbook in %s",
                   x->dir);
      return FALSE;
    }
  x->bold = workbook_add_format (x->wb);
  format_set_bold (x->bold);
  return TRUE;
}

/* Excel sheet names: at most 31 characters, none of []:*?/\, unique. */
static char *
sheet_name (XlsxWriter *x, const CoreTable *table)
{
  const char *title = core_table_title (table);
  const char *sheet = core_table_sheet (table);
  g_autofree char *name = g_strdup (sheet != NULL   ? sheet
                                    : title != NULL ? title
                                                    : core_table_key (table));
  g_strdelimit (name, "[]:*?/\\", '_');
  glong len = g_utf8_strlen (name, -1);
  for (int n = 1;; n++)
    {
      g_autofree char *suffix = n == 1 ? g_strdup ("") : g_strdup_printf (" (%d)", n);
      glong keep = MIN (len, 31 - (glong)strlen (suffix));
      const char *end = g_utf8_offset_to_pointer (name, keep);
      char *candidate = g_strdup_printf ("%.*s%s", (int)(end - name), name, suffix);
      if (!g_hash_table_contains (x->sheet_names, candidate))
        {
          g_hash_table_add (x->sheet_names, candidate);
          return g_strdup (candidate);
        }
      g_free (candidate);
    }
}

static gboolean
xlsx_table_begin (ReportWriter *w, const CoreTable *table, GError **error)
{
  XlsxWriter *x = (XlsxWriter *)w;
  g_autofree char *name = sheet_name (x, table);
  x->ws = workbook_add_worksheet (x->wb, name);
  x->next_row = 0;
  g_free (x->sheet);
  x->sheet = g_steal_pointer (&name);
  guint nc = core_table_n_columns (table);
  x->n_cols = nc;
  x->chart_col = (lxw_col_t)nc + 1;
  g_free (x->widths);
  x->widths = g_new0 (double, nc);
  const char *title = core_table_title (table);
  if (title != NULL)
    worksheet_write_string (x->ws, x->next_row++, 0, title, x->bold);
  for (guint c = 0; c < nc; c++)
    {
      const char *label = core_column_label (core_table_column (table, c));
      worksheet_write_string (x->ws, x->next_row, (lxw_col_t)c, label, x->bold);
      x->widths[c] = report_text_width (label) + 2;
    }
  x->next_row++;
  worksheet_freeze_panes (x->ws, x->next_row, 0);
  return TRUE;
}

static gboolean
xlsx_row (ReportWriter *w, const CoreTable *table, guint row, GError **error)
{
  XlsxWriter *x = (XlsxWriter *)w;
  for (guint c = 0; c < core_table_n_columns (table); c++)
    {
      const CoreColumn *col = core_table_column (table, c);
      const char *v = core_table_get (table, row, c);
      if (v == NULL)
        continue;
      char *end = NULL;
      double d = g_ascii_strtod (v, &end);
      gboolean numeric = (col->type == CORE_CELL_INT || col->type == CORE_CELL_NUMBER) && end != v
                         && *end == '\0';
      if (numeric)
        worksheet_write_number (x->ws, x->next_row, (lxw_col_t)c, d, NULL);
      else if (col->type == CORE_CELL_BOOL)
        worksheet_write_boolean (x->ws, x->next_row, (lxw_col_t)c, g_str_equal (v, "true"), NULL);
      else
        {
          v = core_table_get_shown (table, row, c);
          worksheet_write_string (x->ws, x->next_row, (lxw_col_t)c, v, NULL);
        }
      x->widths[c] = MAX (x->widths[c], MIN (report_text_width (v) + 2, 60));
    }
  x->next_row++;
  return TRUE;
}

static gboolean
xlsx_table_end (ReportWriter *w, const CoreTable *table, GError **error)
{
  XlsxWriter *x = (XlsxWriter *)w;
  /* An empty list says so, as the text writer's "(0 rows)" does. */
  if (core_table_n_rows (table) == 0 && core_table_shape (table) == CORE_TABLE_LIST)
    worksheet_write_string (x->ws, x->next_row++, 0, report_text (w, N_ ("(none)")), NULL);
  for (guint c = 0; c < core_table_n_columns (table); c++)
    worksheet_set_column (x->ws, (lxw_col_t)c, (lxw_col_t)c, x->widths[c], NULL);
  return TRUE;
}

static gboolean
xlsx_chart (ReportWriter *w, const CoreChart *chart, GError **error)
{
  XlsxWriter *x = (XlsxWriter *)w;
  guint n = chart->categories->len;
  if (x->ws == NULL || n == 0 || chart->series->len == 0)
    return TRUE;
  /* The data: a column of categories and one per series, headed by names. */
  lxw_col_t col = x->chart_col;
  lxw_row_t top = 1;
  for (guint i = 0; i < n; i++)
    worksheet_write_string (x->ws, top + 1 + i, col, g_ptr_array_index (chart->categories, i),
                            NULL);
  lxw_chart *c = workbook_add_chart (x->wb, chart->kind == CORE_CHART_LINE ? LXW_CHART_LINE
                                                                           : LXW_CHART_COLUMN);
  for (guint s = 0; s < chart->series->len; s++)
    {
      const CoreChartSeries *series = g_ptr_array_index (chart->series, s);
      lxw_col_t vcol = col + 1 + (lxw_col_t)s;
      worksheet_write_string (x->ws, top, vcol, series->name ? series->name : "", x->bold);
      for (guint i = 0; i < n && i < series->values->len; i++)
        worksheet_write_number (x->ws, top + 1 + i, vcol, g_array_index (series->values, double, i),
                                NULL);
      lxw_chart_series *cs = chart_add_series (c, NULL, NULL);
      chart_series_set_categories (cs, x->sheet, top + 1, col, top + n, col);
      chart_series_set_values (cs, x->sheet, top + 1, vcol, top + n, vcol);
      chart_series_set_name_range (cs, x->sheet, top, vcol);
    }
  chart_title_set_name (c, chart->title ? chart->title : "");
  lxw_chart_options place = { .x_scale = 1.6, .y_scale = 1.2 };
  worksheet_insert_chart_opt (x->ws, x->next_row + 1, 0, c, &place);
  /* Room for the chart (about 18 rows at this scale) and the next one's data. */
  x->next_row += 20;
  x->chart_col = col + 2 + (lxw_col_t)chart->series->len;
  return TRUE;
}

static gboolean
xlsx_finish (ReportWriter *w, GError **error)
{
  XlsxWriter *x = (XlsxWriter *)w;
  if (x->ws == NULL)
    workbook_add_worksheet (x->wb, NULL);
  lxw_error status = workbook_close (x->wb);
  x->wb = NULL;
  if (status != LXW_NO_ERROR)
    {
      g_set_error (error, REPORT_ERROR, REPORT_ERROR_WRITE, "cannot write the workbook: %s",
                   lxw_strerror (status));
      return FALSE;
    }
  g_autofree char *bytes = NULL;
  gsize len = 0;
  if (!g_file_get_contents (x->path, &bytes, &len, error))
    return FALSE;
  return report_put (w, bytes, (gssize)len, error);
}

static void
xlsx_free (ReportWriter *w)
{
  XlsxWriter *x = (XlsxWriter *)w;
  if (x->wb != NULL)
    workbook_close (x->wb);
  if (x->path != NULL)
    g_unlink (x->path);
  if (x->dir != NULL)
    g_rmdir (x->dir);
  g_free (x->path);
  g_free (x->dir);
  g_free (x->widths);
  g_free (x->sheet);
  g_hash_table_unref (x->sheet_names);
  g_free (x);
}

static const ReportWriterClass xlsx_class = {
  xlsx_begin, xlsx_table_begin, xlsx_row, xlsx_table_end, xlsx_finish, xlsx_free, xlsx_chart,
};

ReportWriter *
report_writer_xlsx_new (void)
{
  XlsxWriter *x = g_new0 (XlsxWriter, 1);
  x->base.klass = &xlsx_class;
  x->sheet_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return &x->base;
}
