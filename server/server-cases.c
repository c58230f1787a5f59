/* server-cases.c: the case queue, read only for now. The case steps
 * (advance, reinspect, extend, close) become one route row and one handler
 * each here when their service functions exist. */
#include "server/server-private.h"

#include "service/svc-cases.h"

gboolean
server_cases_list (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (CoreTable) table = svc_cases_list (ctx, server_query (req, "state"), error);
  return table != NULL && server_answer_table (req, table, error);
}

gboolean
server_cases_show (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (CoreDocument) doc = svc_cases_show (ctx, server_param (req, "case_no"), error);
  return doc != NULL && server_answer_document (req, doc, NULL, error);
}
