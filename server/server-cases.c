/* server-cases.c: the case queue over HTTP: the list with the CLI's filters,
 * one case (with the steps possible next and the fields each requires, which
 * the inspector's page builds its form from), and the changes: a step of the
 * workflow, an extension, closing, handing to another office. Every change
 * names the version the client saw; a change based on an older one is 409
 * and nothing is lost. */
#include "server/server-private.h"

#include "service/svc-cases.h"

#include <string.h>

/* A yes/no query parameter: absent, "false", "0" or "true", "1". */
static gboolean
query_flag (const ServerRequest *req, const char *name, gboolean *out, GError **error)
{
  const char *v = server_query (req, name);
  *out = FALSE;
  if (v == NULL || strcmp (v, "false") == 0 || strcmp (v, "0") == 0)
    return TRUE;
  if (strcmp (v, "true") == 0 || strcmp (v, "1") == 0 || *v == '\0')
    return (*out = TRUE);
  svc_error_invalid (error, name, _ ("%s must be true or false, not \"%s\""), name, v);
  return FALSE;
}

gboolean
server_cases_list (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  SvcCasesFilter filter = { .state = server_query (req, "state"),
                            .office = server_query (req, "office"),
                            .due_within = -1 };
  const char *within = server_query (req, "due_within");
  if (!query_flag (req, "overdue", &filter.overdue, error))
    return FALSE;
  if (within != NULL)
    {
      char *end = NULL;
      gint64 n = g_ascii_strtoll (within, &end, 10);
      if (*within == '\0' || *end != '\0' || n < 0 || n > 3660)
        {
          svc_error_invalid (error, "due_within",
                             _ ("due_within must be a number of days from 0 "
                                "to 3660, not \"%s\""),
                             within);
          return FALSE;
        }
      filter.due_within = (int)n;
    }
  g_autoptr (CoreTable) table = svc_cases_list_where (ctx, &filter, error);
  return table != NULL && server_answer_table (req, table, error);
}

gboolean
server_cases_show (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (CoreDocument) doc = svc_cases_show (ctx, server_param (req, "case_no"), error);
  return doc != NULL && server_answer_document (req, doc, NULL, error);
}

/* GET /api/v1/workflow: the states and steps of the case workflow, the same
 * in every language, for a face that names them itself. */
gboolean
server_cases_workflow (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (CoreDocument) doc = svc_cases_workflow (ctx, error);
  return doc != NULL && server_answer_document (req, doc, NULL, error);
}

/* The version the client saw: required, so that two people changing one
 * case are told instead of one overwriting the other. */
static gboolean
member_version (JsonObject *obj, int *version, GError **error)
{
  JsonNode *node = json_object_get_member (obj, "version");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64 && json_node_get_int (node) >= 1
      && json_node_get_int (node) <= G_MAXINT)
    {
      *version = (int)json_node_get_int (node);
      return TRUE;
    }
  svc_error_invalid (error, "version", "%s",
                     _ ("give the case's version you saw as \"version\" (a whole number, from "
                        "GET /api/v1/cases/{case_no})"));
  return FALSE;
}

/* "fields": an object of the step's fields; numbers and booleans are taken
 * as they are written, everything is checked by the workflow. */
static gboolean
member_fields (JsonObject *obj, GHashTable **out, GError **error)
{
  *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonNode *node = json_object_get_member (obj, "fields");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      svc_error_invalid (error, "fields", "%s",
                         _ ("fields must be an object of field names and values"));
      return FALSE;
    }
  JsonObject *fields = json_node_get_object (node);
  g_autoptr (GList) names = json_object_get_members (fields);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *v = json_object_get_member (fields, l->data);
      char *text = NULL;
      if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (v));
      else if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_INT64)
        text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (v));
      else if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_DOUBLE)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          text = g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (v)));
        }
      else if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_BOOLEAN)
        text = g_strdup (json_node_get_boolean (v) ? "true" : "false");
      else
        {
          svc_error_invalid (error, "fields", _ ("field %s must be text, a number or true/false"),
                             (const char *)l->data);
          return FALSE;
        }
      g_hash_table_insert (*out, g_strdup (l->data), text);
    }
  return TRUE;
}

static void
answer_step (ServerRequest *req, const SvcCaseStepResult *r)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  const char *names[] = { "case_no", "step", "from_state", "to_state", "lab", "seed" };
  const char *values[] = { r->case_no, r->step, r->from_state, r->to_state, r->lab, r->seed };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_builder_set_member_name (b, names[i]);
      if (values[i] != NULL)
        json_builder_add_string_value (b, values[i]);
      else
        json_builder_add_null_value (b);
    }
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, r->version);
  json_builder_end_object (b);
  server_answer_json (req, 200, b);
}

/* POST /api/v1/cases/{case_no}/steps: {"step", "version", "fields", "note",
 * "seed"}: any step of the workflow the caller's role takes; closing names
 * every missing step and field; accepting a re-inspection draws its lab. */
gboolean
server_cases_step (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (JsonObject) obj = server_body_object (req, error);
  if (obj == NULL)
    return FALSE;
  const char *step = NULL, *note = NULL, *seed = NULL;
  int version = 0;
  g_autoptr (GHashTable) fields = NULL;
  if (!server_member_string (obj, "step", &step, error)
      || !server_member_string (obj, "note", &note, error)
      || !server_member_string (obj, "seed", &seed, error) || !member_fields (obj, &fields, error))
    return FALSE;
  if (step == NULL)
    {
      svc_error_invalid (error, "step", "%s",
                         _ ("name the step as \"step\" (the case's \"next\" table "
                            "lists the steps possible next)"));
      return FALSE;
    }
  if (!member_version (obj, &version, error))
    return FALSE;
  const char *case_no = server_param (req, "case_no");
  g_auto (SvcCaseStepResult) r = { 0 };
  gboolean ok
      = strcmp (step, "close") == 0
            ? svc_cases_close (ctx, case_no, fields, note, version, &r, error)
        : strcmp (step, "accept-reinspection") == 0
            ? svc_cases_reinspect_accept (ctx, case_no, fields, seed, note, version, &r, error)
            : svc_cases_advance (ctx, case_no, step, fields, note, version, &r, error);
  if (ok)
    answer_step (req, &r);
  return ok;
}

/* POST /api/v1/cases/{case_no}/extend: {"until", "approved_by", "reason", "version"}. */
gboolean
server_cases_extend (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (JsonObject) obj = server_body_object (req, error);
  if (obj == NULL)
    return FALSE;
  const char *until_text = NULL, *approved_by = NULL, *reason = NULL;
  int version = 0;
  if (!server_member_string (obj, "until", &until_text, error)
      || !server_member_string (obj, "approved_by", &approved_by, error)
      || !server_member_string (obj, "reason", &reason, error)
      || !member_version (obj, &version, error))
    return FALSE;
  GDate until;
  if (until_text == NULL || !core_date_parse (until_text, &until))
    {
      svc_error_invalid (error, "until", "%s", _ ("give the new limit as \"until\": YYYY-MM-DD"));
      return FALSE;
    }
  g_auto (SvcCaseStepResult) r = { 0 };
  if (!svc_cases_extend (ctx, server_param (req, "case_no"), &until, approved_by, reason, version,
                         &r, error))
    return FALSE;
  answer_step (req, &r);
  return TRUE;
}

/* POST /api/v1/cases/{case_no}/assign: {"office", "note", "version"} (coordinators). */
gboolean
server_cases_assign (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (JsonObject) obj = server_body_object (req, error);
  if (obj == NULL)
    return FALSE;
  const char *office = NULL, *note = NULL;
  int version = 0;
  if (!server_member_string (obj, "office", &office, error)
      || !server_member_string (obj, "note", &note, error)
      || !member_version (obj, &version, error))
    return FALSE;
  if (office == NULL)
    {
      svc_error_invalid (error, "office", "%s", _ ("name the office as \"office\""));
      return FALSE;
    }
  g_auto (SvcCaseStepResult) r = { 0 };
  if (!svc_cases_assign (ctx, server_param (req, "case_no"), office, note, version, &r, error))
    return FALSE;
  answer_step (req, &r);
  return TRUE;
}
