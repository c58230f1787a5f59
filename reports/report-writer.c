/* report-writer.c: choosing a writer and driving it through a table or a document. */
#include "reports/report-writer.h"

#include "core/core-i18n.h"

#include <string.h>

G_DEFINE_QUARK (spotcheck - report - error - quark, report_error)

static const struct
{
  const char *name;
  const char *mime;
  ReportWriter *(*make) (void);
} formats[] = {
  [REPORT_FORMAT_TEXT] = { "text", "text/plain; charset=utf-8", report_writer_text_new },
  [REPORT_FORMAT_CSV] = { "csv", "text/csv; charset=utf-8", report_writer_csv_new },
  [REPORT_FORMAT_JSON] = { "json", "application/json", report_writer_json_new },
  [REPORT_FORMAT_XLSX]
  = { "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      report_writer_xlsx_new },
  [REPORT_FORMAT_HTML] = { "html", "text/html; charset=utf-8", report_writer_html_new },
};
G_STATIC_ASSERT (G_N_ELEMENTS (formats) == REPORT_N_FORMATS);

const char *
report_format_name (ReportFormat format)
{
  g_return_val_if_fail ((gsize)format < G_N_ELEMENTS (formats), NULL);
  return formats[format].name;
}

const char *
report_format_mime (ReportFormat format)
{
  g_return_val_if_fail ((gsize)format < G_N_ELEMENTS (formats), NULL);
  return formats[format].mime;
}

gboolean
report_format_parse (const char *name, ReportFormat *format)
{
  for (gsize f = 0; name != NULL && f < G_N_ELEMENTS (formats); f++)
    if (strcmp (name, formats[f].name) == 0)
      {
        *format = (ReportFormat)f;
        return TRUE;
      }
  return FALSE;
}

ReportWriter *
report_writer_new (ReportFormat format, GOutputStream *out, const char *lang)
{
  g_return_val_if_fail ((gsize)format < G_N_ELEMENTS (formats), NULL);
  ReportWriter *w = formats[format].make ();
  w->out = g_object_ref (out);
  w->lang = g_strdup (lang != NULL ? lang : "en");
  return w;
}

void
report_writer_free (ReportWriter *w)
{
  if (w == NULL)
    return;
  g_clear_object (&w->out);
  g_free (w->lang);
  w->klass->free (w);
}

gboolean
report_put (ReportWriter *w, const char *text, gssize len, GError **error)
{
  gsize n = len < 0 ? strlen (text) : (gsize)len;
  if (g_output_stream_write_all (w->out, text, n, NULL, NULL, error))
    return TRUE;
  g_prefix_error (error, "cannot write the output: ");
  return FALSE;
}

gboolean
report_printf (ReportWriter *w, GError **error, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *text = g_strdup_vprintf (fmt, args);
  va_end (args);
  return report_put (w, text, -1, error);
}

guint
report_text_width (const char *s)
{
  guint width = 0;
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

static gboolean
write_one (ReportWriter *w, const CoreTable *table, GError **error)
{
  if (!w->klass->table_begin (w, table, error))
    return FALSE;
  for (guint r = 0; r < core_table_n_rows (table); r++)
    if (!w->klass->row (w, table, r, error))
      return FALSE;
  return w->klass->table_end (w, table, error);
}

/* The charts placed after table @key (NULL: those placed at the end, and
 * those naming a table the document lacks). */
static gboolean
write_charts (ReportWriter *w, const CoreDocument *doc, const char *key, GError **error)
{
  if (w->klass->chart == NULL || doc->charts == NULL)
    return TRUE;
  for (guint c = 0; c < doc->charts->len; c++)
    {
      const CoreChart *chart = g_ptr_array_index (doc->charts, c);
      gboolean here;
      if (key != NULL)
        here = g_strcmp0 (chart->after, key) == 0;
      else
        {
          here = TRUE;
          for (guint t = 0; chart->after != NULL && t < doc->tables->len; t++)
            if (g_strcmp0 (core_table_key (g_ptr_array_index (doc->tables, t)), chart->after) == 0)
              here = FALSE;
        }
      if (here && !w->klass->chart (w, chart, error))
        return FALSE;
    }
  return TRUE;
}

const char *
report_text (const ReportWriter *w, const char *msgid)
{
  return core_i18n_translate (w->lang, msgid);
}

gboolean
report_write_document (ReportFormat format, GOutputStream *out, const char *lang,
                       const CoreDocument *doc, GError **error)
{
  g_autoptr (ReportWriter) w = report_writer_new (format, out, lang);
  const char *title = doc->title;
  if (!w->klass->begin (w, title, doc->tables->len, error))
    return FALSE;
  for (guint i = 0; i < doc->tables->len; i++)
    {
      const CoreTable *table = g_ptr_array_index (doc->tables, i);
      if (!write_one (w, table, error) || !write_charts (w, doc, core_table_key (table), error))
        return FALSE;
    }
  if (!write_charts (w, doc, NULL, error))
    return FALSE;
  return w->klass->finish (w, error) && g_output_stream_flush (out, NULL, error);
}

gboolean
report_write_table (ReportFormat format, GOutputStream *out, const char *lang,
                    const CoreTable *table, GError **error)
{
  g_autoptr (ReportWriter) w = report_writer_new (format, out, lang);
  return w->klass->begin (w, NULL, 1, error) && write_one (w, table, error)
         && w->klass->finish (w, error) && g_output_stream_flush (out, NULL, error);
}
