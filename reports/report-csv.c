/* report-csv.c: RFC 4180 CSV in UTF-8 with CRLF line ends; the header row holds
 * the columns' keys. Several tables are written one after another, separated
 * by an empty line. */
#include "reports/report-writer.h"

typedef struct
{
  ReportWriter base;
  guint seen;
  GString *line;
} CsvWriter;

static gboolean
csv_begin (ReportWriter *w, const char *title, guint n_tables, GError **error)
{
  return TRUE;
}

static gboolean
put_line (ReportWriter *w, const CoreTable *table, gint row, GError **error)
{
  CsvWriter *c = (CsvWriter *)w;
  g_string_truncate (c->line, 0);
  for (guint col = 0; col < core_table_n_columns (table); col++)
    {
      const char *v
          = row < 0 ? core_table_column (table, col)->key : core_table_get (table, (guint)row, col);
      g_autofree char *field = core_csv_field (v);
      if (col > 0)
        g_string_append_c (c->line, ',');
      g_string_append (c->line, field);
    }
  g_string_append (c->line, "\r\n");
  return report_put (w, c->line->str, (gssize)c->line->len, error);
}

static gboolean
csv_table_begin (ReportWriter *w, const CoreTable *table, GError **error)
{
  CsvWriter *c = (CsvWriter *)w;
  if (c->seen++ > 0 && !report_put (w, "\r\n", 2, error))
    return FALSE;
  return put_line (w, table, -1, error);
}

static gboolean
csv_row (ReportWriter *w, const CoreTable *table, guint row, GError **error)
{
  return put_line (w, table, (gint)row, error);
}

static gboolean
csv_table_end (ReportWriter *w, const CoreTable *table, GError **error)
{
  return TRUE;
}

static gboolean
csv_finish (ReportWriter *w, GError **error)
{
  return TRUE;
}

static void
csv_free (ReportWriter *w)
{
  CsvWriter *c = (CsvWriter *)w;
  g_string_free (c->line, TRUE);
  g_free (c);
}

static const ReportWriterClass csv_class = {
  csv_begin, csv_table_begin, csv_row, csv_table_end, csv_finish, csv_free,
};

ReportWriter *
report_writer_csv_new (void)
{
  CsvWriter *c = g_new0 (CsvWriter, 1);
  c->base.klass = &csv_class;
  c->line = g_string_new (NULL);
  return &c->base;
}
