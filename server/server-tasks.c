/* server-tasks.c: task lists of a month (JSON, CSV or an XLSX download), one
 * task, and emergency draws. */
#include "server/server-private.h"

#include "service/svc-tasks.h"
#include "core/core-i18n.h"

#include <string.h>

gboolean
server_tasks_list (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  int year = 0, month = 0;
  if (!server_query_month (req, "month", &year, &month, error))
    return FALSE;
  /* Workbooks get the printable per-office sheets, data formats every column. */
  const char *format = server_query (req, "format");
  SvcTasksLayout layout
      = g_strcmp0 (format, "xlsx") == 0 ? SVC_TASKS_PER_OFFICE : SVC_TASKS_ONE_TABLE;
  g_autoptr (CoreDocument) doc
      = svc_tasks_list (ctx, year, month, server_query (req, "office"), layout, error);
  if (doc == NULL)
    return FALSE;
  g_autofree char *name = g_strdup_printf ("tasks-%d-%02d", year, month);
  return server_answer_document (req, doc, name, error);
}

gboolean
server_tasks_show (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  int year = 0, month = 0;
  const char *record = server_param (req, "record_no");
  if (!server_query_month (req, "month", &year, &month, error))
    return FALSE;
  g_autoptr (CoreDocument) doc
      = svc_tasks_list (ctx, year, month, NULL, SVC_TASKS_ONE_TABLE, error);
  if (doc == NULL)
    return FALSE;
  const CoreTable *all = doc->tables->len ? g_ptr_array_index (doc->tables, 0) : NULL;
  int col = all ? core_table_find (all, "record_no") : -1;
  for (guint r = 0; col >= 0 && r < core_table_n_rows (all); r++)
    if (g_strcmp0 (core_table_get (all, r, (guint)col), record) == 0)
      {
        guint n = core_table_n_columns (all);
        g_autofree CoreColumn *cols = g_new (CoreColumn, n);
        for (guint c = 0; c < n; c++)
          cols[c] = *core_table_column (all, c);
        g_autoptr (CoreTable) one = core_table_new ("task", _ ("Task"), cols, n);
        guint row = core_table_add_row (one);
        for (guint c = 0; c < n; c++)
          core_table_set (one, row, c, core_table_get (all, r, c));
        core_table_set_shape (one, CORE_TABLE_RECORD);
        return server_answer_table (req, one, error);
      }
  /* Another lab's or office's task is as absent as one never drawn. */
  g_set_error (error, SVC_ERROR, SVC_ERROR_NOT_FOUND, _ ("there is no task %s in %d-%02d"), record,
               year, month);
  return FALSE;
}

static gboolean
member_uint (JsonObject *obj, const char *name, guint64 max, guint64 *out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
      && json_node_get_int (node) >= 0 && (guint64)json_node_get_int (node) <= max)
    {
      *out = (guint64)json_node_get_int (node);
      return TRUE;
    }
  /* The number apart: xgettext does not read GLib's format macros. */
  g_autofree char *most = g_strdup_printf ("%" G_GUINT64_FORMAT, max);
  svc_error_invalid (error, name, _ ("%s must be a whole number from 0 to %s"), name, most);
  return FALSE;
}

gboolean
server_tasks_emergency (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (JsonObject) obj = server_body_object (req, error);
  if (obj == NULL)
    return FALSE;
  const char *month_text = NULL;
  SvcEmergencyRequest er = { 0 };
  guint64 count = 0, seed = ((guint64)g_random_int () << 32) | g_random_int ();
  if (!server_member_string (obj, "month", &month_text, error)
      || !server_member_string (obj, "category", &er.category, error)
      || !server_member_string (obj, "reason", &er.reason, error)
      || !server_member_string (obj, "street", &er.street, error)
      || !server_member_string (obj, "over_reserve", &er.over_reserve, error)
      || !member_uint (obj, "count", 10000, &count, error)
      || !member_uint (obj, "seed", G_MAXINT64, &seed, error))
    return FALSE;
  int year = 0, month = 0;
  if (!server_parse_month ("month", month_text, &year, &month, error))
    return FALSE;
  g_autoptr (GPtrArray) businesses = g_ptr_array_new ();
  JsonNode *list = json_object_get_member (obj, "businesses");
  if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    {
      JsonArray *a = json_node_get_array (list);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          const char *uscc = json_array_get_string_element (a, i);
          if (uscc == NULL)
            {
              svc_error_invalid (error, "businesses", "%s", _ ("businesses must be credit codes"));
              return FALSE;
            }
          g_ptr_array_add (businesses, (gpointer)uscc);
        }
    }
  g_ptr_array_add (businesses, NULL);
  if (er.category == NULL || er.reason == NULL || (count == 0 && businesses->len == 1))
    {
      svc_error_invalid (error, "body", "%s",
                         _ ("category, reason and count (or businesses) are required"));
      return FALSE;
    }
  er.year = year;
  er.month = month;
  er.count = (guint)count;
  er.seed = seed;
  er.businesses = businesses->len > 1 ? (const char *const *)businesses->pdata : NULL;
  g_autoptr (DbDrawInfo) info = NULL;
  g_autoptr (SchedDraw) draw = NULL;
  if (!svc_tasks_emergency (ctx, &er, &info, &draw, error))
    return FALSE;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "draw_no");
  json_builder_add_int_value (b, info->draw_no);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64)info->seed);
  json_builder_set_member_name (b, "output_digest");
  json_builder_add_string_value (b, info->output_digest);
  json_builder_set_member_name (b, "tasks");
  json_builder_begin_array (b);
  for (guint i = 0; i < draw->tasks->len; i++)
    {
      const SchedDrawTask *t = g_ptr_array_index (draw->tasks, i);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "record_no");
      json_builder_add_string_value (b, t->record);
      json_builder_set_member_name (b, "business");
      json_builder_add_string_value (b, t->business);
      json_builder_set_member_name (b, "office");
      json_builder_add_string_value (b, t->office);
      json_builder_set_member_name (b, "lab");
      json_builder_add_string_value (b, t->lab);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  server_answer_json (req, 201, b);
  return TRUE;
}
