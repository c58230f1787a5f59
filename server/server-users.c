/* server-users.c: users and tokens (admins), and sampling records: one
 * recorded from a JSON object with the fields of `samples record`, or read. */
#include "server/server-private.h"

#include "service/svc-samples.h"
#include "service/svc-users.h"

/* GET /api/v1/me: who the token belongs to, for the pages' sign-in; the
 * office's name in the request's language. */
gboolean
server_me (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_SELF_READ, error))
    return FALSE;
  const char *office_name = NULL;
  for (guint i = 0; ctx->office != NULL && i < ctx->catalog->offices->len; i++)
    {
      const CoreOffice *o = g_ptr_array_index (ctx->catalog->offices, i);
      if (g_strcmp0 (o->code, ctx->office) == 0)
        office_name = g_strcmp0 (req->lang, "en") == 0 && o->en != NULL ? o->en : o->zh;
    }
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  const char *names[] = { "name", "role", "lab", "office", "office_name" };
  const char *values[]
      = { ctx->actor, svc_role_name (ctx->role), ctx->lab, ctx->office, office_name };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      json_builder_set_member_name (b, names[i]);
      if (values[i] != NULL)
        json_builder_add_string_value (b, values[i]);
      else
        json_builder_add_null_value (b);
    }
  json_builder_end_object (b);
  server_answer_json (req, 200, b);
  return TRUE;
}

gboolean
server_users_list (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (CoreTable) table = svc_users_list (ctx, error);
  return table != NULL && server_answer_table (req, table, error);
}

gboolean
server_users_add (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (JsonObject) obj = server_body_object (req, error);
  if (obj == NULL)
    return FALSE;
  SvcUserRequest ur = { 0 };
  const char *role = NULL;
  if (!server_member_string (obj, "name", &ur.name, error)
      || !server_member_string (obj, "role", &role, error)
      || !server_member_string (obj, "lab", &ur.lab, error)
      || !server_member_string (obj, "office", &ur.office, error)
      || !server_member_string (obj, "expires", &ur.expires_on, error))
    return FALSE;
  if (!svc_role_parse (role, &ur.role))
    {
      svc_error_invalid (error, "role", "%s",
                         _ ("role must be admin, coordinator, inspector or lab"));
      return FALSE;
    }
  g_autofree char *token = NULL;
  if (!svc_users_add (ctx, &ur, &token, error))
    return FALSE;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, ur.name);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, role);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_end_object (b);
  server_answer_json (req, 201, b);
  return TRUE;
}

gboolean
server_users_revoke (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  if (!svc_users_revoke (ctx, server_param (req, "name"), error))
    return FALSE;
  server_answer (req, 204, NULL, NULL);
  return TRUE;
}

gboolean
server_samples_show (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (CoreTable) table = svc_samples_show (ctx, server_param (req, "record_no"), error);
  return table != NULL && server_answer_table (req, table, error);
}

gboolean
server_samples_record (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autoptr (JsonObject) obj = server_body_object (req, error);
  if (obj == NULL)
    return FALSE;
  SvcSamplesInput in = { 0 };
  struct
  {
    const char *key;
    const char **to;
  } fields[] = {
    { "record_no", &in.record },
    { "sample_name", &in.sample_name },
    { "batch", &in.batch },
    { "production_date", &in.production_date },
    { "specification", &in.specification },
    { "quantity", &in.quantity },
    { "sampling_date", &in.sampling_date },
    { "producer", &in.producer },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!server_member_string (obj, fields[i].key, fields[i].to, error))
      return FALSE;
  if (in.record == NULL)
    {
      svc_error_invalid (error, "record_no", "%s", _ ("record_no is required"));
      return FALSE;
    }
  /* Problems name the JSON members, as the client wrote them. */
  static const char *const names[] = { "record", "record_no", NULL };
  in.field_names = names;
  guint recorded = 0;
  if (!svc_samples_record (ctx, &in, &recorded, error))
    return FALSE;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "recorded");
  json_builder_add_int_value (b, recorded);
  json_builder_end_object (b);
  server_answer_json (req, 201, b);
  return TRUE;
}
