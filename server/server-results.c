/* server-results.c: a lab's result upload (the body is the file, CSV or JSON,
 * read by the same service and rules as `spotcheck results import`) and the
 * review list. A lab's code always comes from its token. */
#include "server/server-private.h"

#include "service/svc-results.h"

gboolean
server_results_upload (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  const char *amend = server_query (req, "amend");
  SvcResultsOptions opts = {
    .lab = server_query (req, "lab"),
    .amend = g_strcmp0 (amend, "true") == 0 || g_strcmp0 (amend, "1") == 0,
    .reason = server_query (req, "reason"),
  };
  gsize len = 0;
  const char *data = req->body ? g_bytes_get_data (req->body, &len) : NULL;
  if (data == NULL || len == 0)
    {
      svc_error_invalid (error, "body", "%s",
                         _ ("the body is empty; send the result file (CSV or JSON)"));
      return FALSE;
    }
  /* The file's own name, as the page sends it, names the problems and the
   * upload in the history; a path or control character is not a name. */
  const char *file = server_query (req, "file");
  if (file != NULL)
    {
      gboolean plain
          = *file != '\0' && g_utf8_validate (file, -1, NULL) && g_utf8_strlen (file, -1) <= 120;
      for (const char *p = file; plain && *p != '\0'; p++)
        plain = *p != '/' && *p != '\\' && (guchar)*p >= 0x20 && *p != 0x7f;
      if (!plain)
        {
          svc_error_invalid (error, "file", "%s",
                             _ ("file is the file's name: at most 120 characters, no path"));
          return FALSE;
        }
    }
  g_auto (SvcResultsSummary) s = { 0 };
  if (!svc_results_import_data (ctx, data, len, file ? file : "upload", &opts, &s, error))
    return FALSE;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
#define MEMBER_INT(name, value)                                                                    \
  json_builder_set_member_name (b, name);                                                          \
  json_builder_add_int_value (b, (gint64)(value))
  json_builder_set_member_name (b, "unchanged");
  json_builder_add_boolean_value (b, s.unchanged);
  MEMBER_INT ("import_id", s.import_id);
  json_builder_set_member_name (b, "lab");
  json_builder_add_string_value (b, s.lab);
  MEMBER_INT ("rows", s.rows);
  MEMBER_INT ("reports_new", s.reports_new);
  MEMBER_INT ("reports_amended", s.reports_amended);
  MEMBER_INT ("reports_same", s.reports_same);
  MEMBER_INT ("review", s.review);
  MEMBER_INT ("cases_opened", s.cases_opened);
  MEMBER_INT ("cases_reopened", s.cases_reopened);
  MEMBER_INT ("cases_closed", s.cases_closed);
  MEMBER_INT ("cases_amended", s.cases_amended);
#undef MEMBER_INT
  json_builder_end_object (b);
  server_answer_json (req, s.unchanged ? 200 : 201, b);
  return TRUE;
}

gboolean
server_results_review (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (CoreTable) table = svc_results_review (ctx, error);
  return table != NULL && server_answer_table (req, table, error);
}

gboolean
server_results_pending (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (CoreTable) table = svc_results_pending (ctx, server_query (req, "lab"), error);
  return table != NULL && server_answer_table (req, table, error);
}

gboolean
server_results_uploads (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (CoreTable) table = svc_results_uploads (ctx, server_query (req, "lab"), error);
  return table != NULL && server_answer_table (req, table, error);
}
