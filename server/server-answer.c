/* server-answer.c: how handlers answer (JSON, a table or document through the
 * report writers, a download) and read their parameters. */
#include "server/server-private.h"

#include "reports/report-writer.h"

#include <string.h>

void
server_request_free (ServerRequest *req)
{
  if (req == NULL)
    return;
  g_free (req->method);
  g_free (req->path);
  g_clear_pointer (&req->params, g_hash_table_unref);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->content_type);
  g_free (req->idempotency_key);
  if (req->token != NULL)
    explicit_bzero (req->token, strlen (req->token));
  g_free (req->token);
  g_free (req->answer_type);
  g_clear_pointer (&req->answer, g_bytes_unref);
  g_free (req->filename);
  g_free (req->user);
  g_free (req);
}

void
server_answer (ServerRequest *req, int status, const char *type, GBytes *body)
{
  req->status = status;
  g_free (req->answer_type);
  req->answer_type = g_strdup (type);
  g_clear_pointer (&req->answer, g_bytes_unref);
  req->answer = body ? g_bytes_ref (body) : NULL;
}

void
server_answer_json (ServerRequest *req, int status, JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  gsize len = 0;
  char *text = json_generator_to_data (gen, &len);
  g_autoptr (GBytes) body = g_bytes_new_take (text, len);
  server_answer (req, status, "application/json", body);
}

static GBytes *
stolen (GOutputStream *out)
{
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

gboolean
server_answer_table (ServerRequest *req, const CoreTable *table, GError **error)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  if (!report_write_table (REPORT_FORMAT_JSON, out, "en", table, error))
    return FALSE;
  g_autoptr (GBytes) body = stolen (out);
  server_answer (req, 200, "application/json", body);
  return TRUE;
}

gboolean
server_answer_document_in (ServerRequest *req, const CoreDocument *doc, const char *download_name,
                           const char *lang, gboolean html, GError **error)
{
  const char *name = server_query (req, "format");
  ReportFormat format = REPORT_FORMAT_JSON;
  if (name != NULL
      && (!report_format_parse (name, &format) || format == REPORT_FORMAT_TEXT
          || (format == REPORT_FORMAT_HTML && !html)))
    {
      if (html)
        svc_error_invalid (error, "format",
                           _ ("format must be json, csv, html or xlsx, not \"%s\""), name);
      else
        svc_error_invalid (error, "format", _ ("format must be json, csv or xlsx, not \"%s\""),
                           name);
      return FALSE;
    }
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  if (!report_write_document (format, out, lang, doc, error))
    return FALSE;
  g_autoptr (GBytes) body = stolen (out);
  server_answer (req, 200, report_format_mime (format), body);
  /* Files for download; an HTML report opens in the browser. */
  if (format != REPORT_FORMAT_JSON && format != REPORT_FORMAT_HTML && download_name != NULL)
    req->filename = g_strdup_printf ("%s.%s", download_name, report_format_name (format));
  return TRUE;
}

gboolean
server_answer_document (ServerRequest *req, const CoreDocument *doc, const char *download_name,
                        GError **error)
{
  return server_answer_document_in (req, doc, download_name, req->lang ? req->lang : "zh", FALSE,
                                    error);
}

const char *
server_query (const ServerRequest *req, const char *name)
{
  return req->query ? g_hash_table_lookup (req->query, name) : NULL;
}

const char *
server_param (const ServerRequest *req, const char *name)
{
  return req->params ? g_hash_table_lookup (req->params, name) : NULL;
}

gboolean
server_parse_month (const char *name, const char *text, int *year, int *month, GError **error)
{
  guint64 y = 0, m = 0;
  if (text != NULL && strlen (text) == 7 && text[4] == '-'
      && g_ascii_string_to_unsigned (text + 5, 10, 1, 12, &m, NULL))
    {
      g_autofree char *ys = g_strndup (text, 4);
      if (g_ascii_string_to_unsigned (ys, 10, 2000, 2099, &y, NULL))
        {
          *year = (int)y;
          *month = (int)m;
          return TRUE;
        }
    }
  if (text != NULL)
    svc_error_invalid (error, name, _ ("%s must be YYYY-MM, e.g. 2024-03, not \"%s\""), name, text);
  else
    svc_error_invalid (error, name, _ ("%s must be YYYY-MM, e.g. 2024-03"), name);
  return FALSE;
}

gboolean
server_query_month (const ServerRequest *req, const char *name, int *year, int *month,
                    GError **error)
{
  return server_parse_month (name, server_query (req, name), year, month, error);
}

JsonObject *
server_body_object (const ServerRequest *req, GError **error)
{
  gsize len = 0;
  const char *data = req->body ? g_bytes_get_data (req->body, &len) : NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (data == NULL || len == 0 || !json_parser_load_from_data (parser, data, (gssize)len, &local)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      if (local != NULL)
        svc_error_invalid (error, "body", _ ("the body must be a JSON object: %s"), local->message);
      else
        svc_error_invalid (error, "body", "%s", _ ("the body must be a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

gboolean
server_member_string (JsonObject *obj, const char *name, const char **out, GError **error)
{
  JsonNode *node = json_object_get_member (obj, name);
  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *out = json_node_get_string (node);
      return TRUE;
    }
  svc_error_invalid (error, name, _ ("%s must be a string"), name);
  return FALSE;
}
