/* report-text.c: tables for the terminal: aligned columns (CJK counted as
 * two), numbers right-aligned, a row count; records as "label  value" lines. */
#include "reports/report-writer.h"

#include "core/core-i18n.h"

#include <string.h>

typedef struct
{
  ReportWriter base;
  guint n_tables, seen;
  GPtrArray *pending; /* row indices of the current table: widths need every row */
} TextWriter;

static gboolean
text_begin (ReportWriter *w, const char *title, guint n_tables, GError **error)
{
  TextWriter *t = (TextWriter *)w;
  t->n_tables = n_tables;
  if (title != NULL && n_tables > 1)
    return report_printf (w, error, "%s\n", title);
  return TRUE;
}

static gboolean
text_table_begin (ReportWriter *w, const CoreTable *table, GError **error)
{
  TextWriter *t = (TextWriter *)w;
  g_ptr_array_set_size (t->pending, 0);
  const char *title = core_table_title (table);
  gboolean ok = TRUE;
  if (t->seen++ > 0)
    ok = report_put (w, "\n", 1, error);
  if (ok && title != NULL && t->n_tables > 1)
    ok = report_printf (w, error, "%s:\n", title);
  return ok;
}

static gboolean
text_row (ReportWriter *w, const CoreTable *table, guint row, GError **error)
{
  g_ptr_array_add (((TextWriter *)w)->pending, GUINT_TO_POINTER (row));
  return TRUE;
}

static gboolean
pad (GString *s, const char *text, guint to, gboolean right)
{
  guint width = report_text_width (text);
  if (right)
    for (guint i = width; i < to; i++)
      g_string_append_c (s, ' ');
  g_string_append (s, text);
  if (!right)
    for (guint i = width; i < to; i++)
      g_string_append_c (s, ' ');
  return TRUE;
}

/* A cell as people read it: its shown text, booleans as words. */
static const char *
shown (const ReportWriter *w, const CoreTable *table, guint row, guint col)
{
  const char *v = core_table_get_shown (table, row, col);
  if (v != NULL && core_table_column (table, col)->type == CORE_CELL_BOOL)
    {
      if (strcmp (v, "true") == 0)
        return report_text (w, N_ ("true"));
      if (strcmp (v, "false") == 0)
        return report_text (w, N_ ("false"));
    }
  return v;
}

static gboolean
is_numeric (const CoreColumn *c)
{
  return c->type == CORE_CELL_INT || c->type == CORE_CELL_NUMBER;
}

static gboolean
write_record (ReportWriter *w, const CoreTable *table, GError **error)
{
  TextWriter *t = (TextWriter *)w;
  guint nc = core_table_n_columns (table), width = 0;
  for (guint c = 0; c < nc; c++)
    width = MAX (width, report_text_width (core_column_label (core_table_column (table, c))));
  g_autoptr (GString) s = g_string_new (NULL);
  for (guint i = 0; i < t->pending->len; i++)
    {
      guint r = GPOINTER_TO_UINT (g_ptr_array_index (t->pending, i));
      if (i > 0)
        g_string_append_c (s, '\n');
      for (guint c = 0; c < nc; c++)
        {
          const char *v = shown (w, table, r, c);
          pad (s, core_column_label (core_table_column (table, c)), width + 2, FALSE);
          g_string_append_printf (s, "%s\n", v ? v : "");
        }
    }
  return report_put (w, s->str, (gssize)s->len, error);
}

static gboolean
text_table_end (ReportWriter *w, const CoreTable *table, GError **error)
{
  TextWriter *t = (TextWriter *)w;
  if (core_table_shape (table) == CORE_TABLE_RECORD)
    return write_record (w, table, error);
  guint nc = core_table_n_columns (table), nr = t->pending->len;
  g_autofree guint *width = g_new0 (guint, nc);
  for (guint c = 0; c < nc; c++)
    {
      width[c] = report_text_width (core_column_label (core_table_column (table, c)));
      for (guint i = 0; i < nr; i++)
        {
          const char *v = shown (w, table, GPOINTER_TO_UINT (t->pending->pdata[i]), c);
          width[c] = MAX (width[c], report_text_width (v ? v : ""));
        }
    }
  g_autoptr (GString) s = g_string_new (NULL);
  for (gint i = -1; i < (gint)nr; i++)
    {
      for (guint c = 0; c < nc; c++)
        {
          const CoreColumn *col = core_table_column (table, c);
          const char *v = i < 0 ? core_column_label (col)
                                : shown (w, table, GPOINTER_TO_UINT (t->pending->pdata[i]), c);
          gboolean last = c + 1 == nc;
          gboolean right = i >= 0 && is_numeric (col);
          pad (s, v ? v : "", last && !right ? 0 : width[c], right);
          if (!last)
            g_string_append (s, "  ");
        }
      g_string_append_c (s, '\n');
    }
  if (nr == 1)
    g_string_append_printf (s, "%s\n", report_text (w, N_ ("(1 row)")));
  else
    g_string_append_printf (s, report_text (w, N_ ("(%u rows)")), nr);
  g_string_append_c (s, '\n');
  return report_put (w, s->str, (gssize)s->len, error);
}

static gboolean
text_finish (ReportWriter *w, GError **error)
{
  return TRUE;
}

static void
text_free (ReportWriter *w)
{
  TextWriter *t = (TextWriter *)w;
  g_ptr_array_unref (t->pending);
  g_free (t);
}

static const ReportWriterClass text_class = {
  text_begin, text_table_begin, text_row, text_table_end, text_finish, text_free,
};

ReportWriter *
report_writer_text_new (void)
{
  TextWriter *t = g_new0 (TextWriter, 1);
  t->base.klass = &text_class;
  t->pending = g_ptr_array_new ();
  return &t->base;
}
