/* report-json.c: JSON for programs. One list table is an array of objects keyed
 * by the columns' keys, one record table an object; several tables are one
 * object with a member per table key, except that a record table without a
 * key lays its members into that object itself (a header beside its lists).
 * Integers, numbers and booleans are JSON numbers and booleans, missing cells
 * null. A document of several tables with charts gets a member "charts": an
 * array of {kind, after, title, categories, series: [{name, values}]}, the
 * charts' data for programs that draw their own. */
#include "reports/report-writer.h"

#include <json-glib/json-glib.h>

typedef struct
{
  ReportWriter base;
  JsonBuilder *b;
  guint n_tables;
  gboolean record;
  gboolean inline_record; /* a keyless record's members go into the document's object */
  JsonArray *charts;      /* the charts seen, written at the end; NULL: none */
} JsonWriter;

static gboolean
json_begin (ReportWriter *w, const char *title, guint n_tables, GError **error)
{
  JsonWriter *j = (JsonWriter *)w;
  j->n_tables = n_tables;
  if (n_tables != 1)
    json_builder_begin_object (j->b);
  return TRUE;
}

static gboolean
json_table_begin (ReportWriter *w, const CoreTable *table, GError **error)
{
  JsonWriter *j = (JsonWriter *)w;
  j->record = core_table_shape (table) == CORE_TABLE_RECORD;
  j->inline_record = j->record && j->n_tables != 1 && core_table_key (table) == NULL;
  if (j->inline_record)
    return TRUE;
  if (j->n_tables != 1)
    json_builder_set_member_name (j->b, core_table_key (table));
  if (!j->record)
    json_builder_begin_array (j->b);
  else if (core_table_n_rows (table) == 0)
    json_builder_add_null_value (j->b);
  return TRUE;
}

static void
add_value (JsonBuilder *b, const CoreColumn *col, const char *v)
{
  gint64 i;
  if (v == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  switch (col->type)
    {
    case CORE_CELL_INT:
      if (g_ascii_string_to_signed (v, 10, G_MININT64, G_MAXINT64, &i, NULL))
        {
          json_builder_add_int_value (b, i);
          return;
        }
      break;
    case CORE_CELL_NUMBER:
      {
        char *end = NULL;
        double d = g_ascii_strtod (v, &end);
        if (end != v && *end == '\0')
          {
            json_builder_add_double_value (b, d);
            return;
          }
        break;
      }
    case CORE_CELL_BOOL:
      if (g_str_equal (v, "true") || g_str_equal (v, "false"))
        {
          json_builder_add_boolean_value (b, g_str_equal (v, "true"));
          return;
        }
      break;
    case CORE_CELL_TEXT:
    case CORE_CELL_DATE:
      break;
    }
  json_builder_add_string_value (b, v);
}

static gboolean
json_row (ReportWriter *w, const CoreTable *table, guint row, GError **error)
{
  JsonWriter *j = (JsonWriter *)w;
  /* A record shows its first row only. */
  if (j->record && row > 0)
    return TRUE;
  if (!j->inline_record)
    json_builder_begin_object (j->b);
  for (guint c = 0; c < core_table_n_columns (table); c++)
    {
      const CoreColumn *col = core_table_column (table, c);
      json_builder_set_member_name (j->b, col->key);
      add_value (j->b, col, core_table_get (table, row, c));
    }
  if (!j->inline_record)
    json_builder_end_object (j->b);
  return TRUE;
}

static gboolean
json_table_end (ReportWriter *w, const CoreTable *table, GError **error)
{
  JsonWriter *j = (JsonWriter *)w;
  if (!j->record)
    json_builder_end_array (j->b);
  return TRUE;
}

static gboolean
json_chart (ReportWriter *w, const CoreChart *chart, GError **error)
{
  JsonWriter *j = (JsonWriter *)w;
  /* One bare table has no object to hold them. */
  if (j->n_tables == 1)
    return TRUE;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, chart->kind == CORE_CHART_LINE ? "line" : "bar");
  json_builder_set_member_name (b, "after");
  if (chart->after != NULL)
    json_builder_add_string_value (b, chart->after);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, chart->title ? chart->title : "");
  json_builder_set_member_name (b, "categories");
  json_builder_begin_array (b);
  for (guint i = 0; i < chart->categories->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (chart->categories, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "series");
  json_builder_begin_array (b);
  for (guint s = 0; s < chart->series->len; s++)
    {
      const CoreChartSeries *series = g_ptr_array_index (chart->series, s);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, series->name ? series->name : "");
      json_builder_set_member_name (b, "values");
      json_builder_begin_array (b);
      for (guint i = 0; i < series->values->len; i++)
        json_builder_add_double_value (b, g_array_index (series->values, double, i));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (j->charts == NULL)
    j->charts = json_array_new ();
  json_array_add_element (j->charts, json_builder_get_root (b));
  return TRUE;
}

static gboolean
json_finish (ReportWriter *w, GError **error)
{
  JsonWriter *j = (JsonWriter *)w;
  if (j->charts != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, g_steal_pointer (&j->charts));
      json_builder_set_member_name (j->b, "charts");
      json_builder_add_value (j->b, node);
    }
  if (j->n_tables != 1)
    json_builder_end_object (j->b);
  g_autoptr (JsonNode) root = json_builder_get_root (j->b);
  g_autofree char *text = json_to_string (root, TRUE);
  return report_put (w, text, -1, error) && report_put (w, "\n", 1, error);
}

static void
json_free (ReportWriter *w)
{
  JsonWriter *j = (JsonWriter *)w;
  g_object_unref (j->b);
  g_clear_pointer (&j->charts, json_array_unref);
  g_free (j);
}

static const ReportWriterClass json_class = {
  json_begin, json_table_begin, json_row, json_table_end, json_finish, json_free, json_chart,
};

ReportWriter *
report_writer_json_new (void)
{
  JsonWriter *j = g_new0 (JsonWriter, 1);
  j->base.klass = &json_class;
  j->b = json_builder_new ();
  return &j->base;
}
