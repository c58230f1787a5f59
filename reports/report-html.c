/* report-html.c: one self-contained HTML page: inline CSS, charts as inline
 * SVG, nothing fetched from the network, so the file can be mailed, archived
 * or printed as it is. Every table is a section; on paper (A4) each section
 * starts a page. Cells and labels are HTML-escaped. */
#include "reports/report-writer.h"

#include "core/core-i18n.h"

#include <math.h>
#include <string.h>

typedef struct
{
  ReportWriter base;
  gboolean in_section;
  char *title; /* the document's heading, written inside the first section */
} HtmlWriter;

/* Noto Sans CJK SC first: the Debian package fonts-noto-cjk carries it, and
 * without a CJK font Chinese prints as boxes. */
static const char STYLE[]
    = "body{font-family:'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','WenQuanYi Micro "
      "Hei','Microsoft YaHei',sans-serif;color:#1d2733;margin:24px auto;max-width:1100px;"
      "font-size:13px;line-height:1.45}"
      "h1{font-size:22px;border-bottom:3px solid #b22222;padding-bottom:6px;margin:0 0 4px}"
      "h2{font-size:16px;margin:18px 0 8px;color:#7a1616}"
      "table{border-collapse:collapse;width:100%;margin:4px 0 12px}"
      "th,td{border:1px solid #c8ced6;padding:3px 7px;text-align:left;vertical-align:top}"
      "th{background:#eef1f5;font-weight:600}"
      "td.n{text-align:right;font-variant-numeric:tabular-nums}"
      "td.flag{color:#b22222;font-weight:700}"
      "tr:nth-child(even) td{background:#fafbfc}"
      "p.empty{color:#6b7785;font-style:italic}"
      "figure{margin:6px 0 14px}figcaption{font-weight:600;margin-bottom:2px}"
      "svg text{font-family:inherit}"
      "@page{size:A4;margin:14mm}@page wide{size:A4 landscape}section.wide{page:wide}"
      "@media print{body{margin:0;max-width:none;font-size:10.5px}"
      "section+section{break-before:page}tr,figure{break-inside:avoid}"
      "thead{display:table-header-group}}";

static gboolean
put_escaped (ReportWriter *w, const char *text, GError **error)
{
  g_autofree char *e = g_markup_escape_text (text ? text : "", -1);
  return report_put (w, e, -1, error);
}

static gboolean
html_begin (ReportWriter *w, const char *title, guint n_tables, GError **error)
{
  const char *lang = strcmp (w->lang, "zh") == 0 ? "zh-CN" : "en";
  if (!report_printf (w, error,
                      "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width\">\n<title>",
                      lang)
      || !put_escaped (w, title ? title : "spotcheck", error)
      || !report_printf (w, error, "</title>\n<style>%s</style>\n</head>\n<body>\n", STYLE))
    return FALSE;
  /* Inside the first section, so that a landscape section does not leave
   * the heading alone on a portrait page. */
  ((HtmlWriter *)w)->title = g_strdup (title);
  return TRUE;
}

static gboolean
put_heading (ReportWriter *w, GError **error)
{
  HtmlWriter *h = (HtmlWriter *)w;
  if (h->title == NULL)
    return TRUE;
  g_autofree char *title = g_steal_pointer (&h->title);
  return report_put (w, "<h1>", -1, error) && put_escaped (w, title, error)
         && report_put (w, "</h1>\n", -1, error);
}

static gboolean
close_section (ReportWriter *w, GError **error)
{
  HtmlWriter *h = (HtmlWriter *)w;
  if (!h->in_section)
    return TRUE;
  h->in_section = FALSE;
  return report_put (w, "</section>\n", -1, error);
}

static gboolean
numeric (const CoreColumn *c)
{
  return c->type == CORE_CELL_INT || c->type == CORE_CELL_NUMBER;
}

static gboolean
html_table_begin (ReportWriter *w, const CoreTable *table, GError **error)
{
  HtmlWriter *h = (HtmlWriter *)w;
  /* A table too wide for a portrait page (the disclosure form) prints across. */
  gboolean wide = core_table_n_columns (table) > 11;
  if (!close_section (w, error)
      || !report_put (w, wide ? "<section class=\"wide\">\n" : "<section>\n", -1, error))
    return FALSE;
  h->in_section = TRUE;
  if (!put_heading (w, error))
    return FALSE;
  const char *title = core_table_title (table);
  if (title != NULL
      && !(report_put (w, "<h2>", -1, error) && put_escaped (w, title, error)
           && report_put (w, "</h2>\n", -1, error)))
    return FALSE;
  if (core_table_n_rows (table) == 0)
    return report_printf (w, error, "<p class=\"empty\">%s</p>\n", report_text (w, N_ ("no rows")));
  if (core_table_shape (table) == CORE_TABLE_RECORD)
    return report_put (w, "<table>\n<tbody>\n", -1, error);
  if (!report_put (w, "<table>\n<thead><tr>", -1, error))
    return FALSE;
  for (guint c = 0; c < core_table_n_columns (table); c++)
    if (!report_put (w, "<th>", -1, error)
        || !put_escaped (w, core_column_label (core_table_column (table, c)), error)
        || !report_put (w, "</th>", -1, error))
      return FALSE;
  return report_put (w, "</tr></thead>\n<tbody>\n", -1, error);
}

/* Booleans read as words, and a true one (a month behind, say) stands out. */
static gboolean
html_cell (ReportWriter *w, const CoreColumn *col, const char *value, GError **error)
{
  if (col->type == CORE_CELL_BOOL && value != NULL)
    {
      gboolean yes = strcmp (value, "true") == 0;
      return report_printf (w, error, "<td%s>%s</td>", yes ? " class=\"flag\"" : "",
                            report_text (w, yes ? N_ ("yes") : N_ ("no")));
    }
  return report_put (w, numeric (col) ? "<td class=\"n\">" : "<td>", -1, error)
         && put_escaped (w, value, error) && report_put (w, "</td>", -1, error);
}

static gboolean
html_row (ReportWriter *w, const CoreTable *table, guint row, GError **error)
{
  guint n = core_table_n_columns (table);
  if (core_table_shape (table) == CORE_TABLE_RECORD)
    {
      for (guint c = 0; c < n; c++)
        {
          const CoreColumn *col = core_table_column (table, c);
          if (!report_put (w, "<tr><th>", -1, error)
              || !put_escaped (w, core_column_label (col), error)
              || !report_put (w, "</th>", -1, error)
              || !html_cell (w, col, core_table_get_shown (table, row, c), error)
              || !report_put (w, "</tr>\n", -1, error))
            return FALSE;
        }
      return TRUE;
    }
  if (!report_put (w, "<tr>", -1, error))
    return FALSE;
  for (guint c = 0; c < n; c++)
    if (!html_cell (w, core_table_column (table, c), core_table_get_shown (table, row, c), error))
      return FALSE;
  return report_put (w, "</tr>\n", -1, error);
}

static gboolean
html_table_end (ReportWriter *w, const CoreTable *table, GError **error)
{
  if (core_table_n_rows (table) == 0)
    return TRUE;
  return report_put (w, "</tbody>\n</table>\n", -1, error);
}

/* The chart geometry, in SVG user units. */
enum
{
  CHART_W = 960,
  PLOT_LEFT = 64,
  PLOT_RIGHT = 16,
  PLOT_TOP = 36,
  PLOT_H = 220,
};

static const char *const COLOURS[]
    = { "#1f5fa8", "#d9822b", "#2f9e44", "#b22222", "#7048e8", "#868e96" };

/* A round axis maximum at or above @max: 1, 2 or 5 times a power of ten. */
static double
nice_max (double max)
{
  if (max <= 0)
    return 1;
  double p = pow (10, floor (log10 (max)));
  static const double steps[] = { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * p >= max)
      return steps[i] * p;
  return 10 * p;
}

static char *
number_label (double v)
{
  if (v == floor (v) && fabs (v) < 1e15)
    return g_strdup_printf ("%.0f", v);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.1f", v));
}

static gboolean
html_chart (ReportWriter *w, const CoreChart *chart, GError **error)
{
  guint n = chart->categories->len;
  double max = 0;
  for (guint s = 0; s < chart->series->len; s++)
    {
      const CoreChartSeries *series = g_ptr_array_index (chart->series, s);
      for (guint i = 0; i < series->values->len; i++)
        max = MAX (max, g_array_index (series->values, double, i));
    }
  double top = nice_max (max);
  /* Long or many labels are set at a slant so they do not overlap. */
  guint longest = 0;
  for (guint i = 0; i < n; i++)
    longest = MAX (longest, report_text_width (g_ptr_array_index (chart->categories, i)));
  double plot_w = CHART_W - PLOT_LEFT - PLOT_RIGHT;
  double step = n ? plot_w / n : plot_w;
  gboolean slant = n > 0 && longest * 7.0 > step;
  int label_h = slant ? (int)MIN (140, 16 + longest * 5) : 24;
  int height = PLOT_TOP + PLOT_H + label_h;
  g_autofree char *caption = g_markup_escape_text (chart->title ? chart->title : "", -1);
  GString *svg = g_string_new (NULL);
  g_string_append_printf (svg,
                          "<figure><figcaption>%s</figcaption>\n<svg xmlns=\"http://www.w3.org/"
                          "2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\">\n",
                          caption, CHART_W, height);
  /* legend */
  double lx = PLOT_LEFT;
  for (guint s = 0; s < chart->series->len; s++)
    {
      const CoreChartSeries *series = g_ptr_array_index (chart->series, s);
      g_autofree char *name = g_markup_escape_text (series->name ? series->name : "", -1);
      g_string_append_printf (svg,
                              "<rect x=\"%.0f\" y=\"8\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                              "<text x=\"%.0f\" y=\"20\" font-size=\"13\">%s</text>\n",
                              lx, COLOURS[s % G_N_ELEMENTS (COLOURS)], lx + 20, name);
      lx += 40 + report_text_width (name) * 7.5;
    }
  /* grid and y labels */
  for (int g = 0; g <= 4; g++)
    {
      double y = PLOT_TOP + PLOT_H - PLOT_H * g / 4.0;
      g_autofree char *label = number_label (top * g / 4.0);
      g_string_append_printf (svg,
                              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>"
                              "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" "
                              "text-anchor=\"end\">%s</text>\n",
                              PLOT_LEFT, y, CHART_W - PLOT_RIGHT, y, g ? "#e3e7ec" : "#8a94a0",
                              PLOT_LEFT - 6, y + 4, label);
    }
  /* x labels */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = g_markup_escape_text (g_ptr_array_index (chart->categories, i), -1);
      double x = PLOT_LEFT + step * (i + 0.5);
      double y = PLOT_TOP + PLOT_H + 16;
      if (slant)
        g_string_append_printf (svg,
                                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" "
                                "transform=\"rotate(-40 %.1f %.1f)\">%s</text>\n",
                                x, y, x, y, label);
      else
        g_string_append_printf (svg,
                                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" "
                                "text-anchor=\"middle\">%s</text>\n",
                                x, y, label);
    }
  /* the data */
  guint n_series = MAX (chart->series->len, 1);
  for (guint s = 0; s < chart->series->len; s++)
    {
      const CoreChartSeries *series = g_ptr_array_index (chart->series, s);
      const char *colour = COLOURS[s % G_N_ELEMENTS (COLOURS)];
      if (chart->kind == CORE_CHART_LINE)
        g_string_append_printf (svg,
                                "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" "
                                "points=\"",
                                colour);
      for (guint i = 0; i < n && i < series->values->len; i++)
        {
          double v = g_array_index (series->values, double, i);
          double h = PLOT_H * v / top;
          if (chart->kind == CORE_CHART_LINE)
            g_string_append_printf (svg, "%s%.1f,%.1f", i ? " " : "", PLOT_LEFT + step * (i + 0.5),
                                    PLOT_TOP + PLOT_H - h);
          else
            {
              double bw = step * 0.8 / n_series;
              double x = PLOT_LEFT + step * i + step * 0.1 + bw * s;
              g_string_append_printf (svg,
                                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                      "fill=\"%s\"/>",
                                      x, PLOT_TOP + PLOT_H - h, bw, h, colour);
            }
        }
      if (chart->kind == CORE_CHART_LINE)
        {
          g_string_append (svg, "\"/>\n");
          for (guint i = 0; i < n && i < series->values->len; i++)
            g_string_append_printf (svg, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>",
                                    PLOT_LEFT + step * (i + 0.5),
                                    PLOT_TOP + PLOT_H
                                        - PLOT_H * g_array_index (series->values, double, i) / top,
                                    colour);
        }
      g_string_append_c (svg, '\n');
    }
  g_string_append (svg, "</svg></figure>\n");
  g_autofree char *text = g_string_free (svg, FALSE);
  return report_put (w, text, -1, error);
}

static gboolean
html_finish (ReportWriter *w, GError **error)
{
  return put_heading (w, error) && close_section (w, error)
         && report_put (w, "</body>\n</html>\n", -1, error);
}

static void
html_free (ReportWriter *w)
{
  g_free (((HtmlWriter *)w)->title);
  g_free (w);
}

static const ReportWriterClass html_class = {
  html_begin, html_table_begin, html_row, html_table_end, html_finish, html_free, html_chart,
};

ReportWriter *
report_writer_html_new (void)
{
  HtmlWriter *h = g_new0 (HtmlWriter, 1);
  h->base.klass = &html_class;
  return &h->base;
}
