/* svc-users.c: users and tokens for the server. A token is 32 bytes from
 * getrandom(2) written as 64 hex digits; the database keeps its SHA-256 only,
 * looks the user up by that hash and the service compares the stored hash
 * with the computed one in constant time, so neither a copy of the table nor
 * response timing hands out a working token. */
#include "service/svc-users.h"

#include "db/db-conn.h"
#include "db/db-users.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (spotcheck - service - users - error - quark, svc_users_error)

void
svc_user_clear (SvcUser *user)
{
  g_clear_pointer (&user->name, g_free);
  g_clear_pointer (&user->lab, g_free);
  g_clear_pointer (&user->office, g_free);
}

static void
token_hash (const char *token, guint8 out[32])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, (const guchar *)token, (gssize)strlen (token));
  gsize len = 32;
  g_checksum_get_digest (sum, out, &len);
}

static gboolean
new_token (char **token, GError **error)
{
  guint8 raw[32];
  gsize got = 0;
  while (got < sizeof raw)
    {
      ssize_t n = getrandom (raw + got, sizeof raw - got, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _ ("cannot read random bytes for a token: %s"), g_strerror (saved));
          return FALSE;
        }
      got += (gsize)n;
    }
  GString *hex = g_string_sized_new (65);
  for (gsize i = 0; i < sizeof raw; i++)
    g_string_append_printf (hex, "%02x", raw[i]);
  explicit_bzero (raw, sizeof raw);
  *token = g_string_free (hex, FALSE);
  return TRUE;
}

static gboolean
valid_name (const char *name)
{
  gsize n = name ? strlen (name) : 0;
  if (n == 0 || n > 64)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
check_request (const SvcContext *ctx, const SvcUserRequest *req, GError **error)
{
  if (!valid_name (req->name))
    {
      /* The name is the command's operand, not an option: no argument key. */
      g_set_error (error, SVC_ERROR, SVC_ERROR_INVALID,
                   _ ("user name \"%s\" is not 1 to 64 letters, digits, '.', '_' or '-'"),
                   req->name ? req->name : "");
      return FALSE;
    }
  gboolean lab = req->role == SVC_ROLE_LAB, inspector = req->role == SVC_ROLE_INSPECTOR;
  if (lab != (req->lab != NULL && *req->lab))
    {
      svc_error_invalid (error, "lab",
                         lab ? _ ("a lab user needs its lab code")
                             : _ ("only a lab user is bound to a lab"));
      return FALSE;
    }
  if (inspector != (req->office != NULL && *req->office))
    {
      svc_error_invalid (error, "office",
                         inspector ? _ ("an inspector needs its office code")
                                   : _ ("only an inspector is bound to an office"));
      return FALSE;
    }
  if (inspector)
    {
      gboolean known = FALSE;
      for (guint i = 0; i < ctx->catalog->offices->len; i++)
        known |= strcmp (((CoreOffice *)g_ptr_array_index (ctx->catalog->offices, i))->code,
                         req->office)
                 == 0;
      if (!known)
        {
          svc_error_invalid (error, "office", _ ("there is no office %s in district %s"),
                             req->office, svc_district (ctx));
          return FALSE;
        }
    }
  if (req->expires_on != NULL)
    {
      GDate d;
      g_date_clear (&d, 1);
      if (strlen (req->expires_on) == 10)
        g_date_set_parse (&d, req->expires_on);
      if (!g_date_valid (&d) || req->expires_on[4] != '-' || g_date_compare (&d, &ctx->today) <= 0)
        {
          svc_error_invalid (error, "expires",
                             _ ("expiry \"%s\" is not a YYYY-MM-DD date after today"),
                             req->expires_on);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
svc_users_add (const SvcContext *ctx, const SvcUserRequest *req, char **token, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_USERS, error) || !check_request (ctx, req, error))
    return FALSE;
  if (req->lab != NULL)
    {
      gboolean known = FALSE;
      if (!db_users_lab_known (ctx->conn, svc_district (ctx), req->lab, &known, error))
        return FALSE;
      if (!known)
        {
          svc_error_invalid (error, "lab", _ ("lab %s is not in the lab directory of district %s"),
                             req->lab, svc_district (ctx));
          return FALSE;
        }
    }
  g_autofree char *fresh = NULL;
  if (!new_token (&fresh, error))
    return FALSE;
  guint8 hash[32];
  token_hash (fresh, hash);
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL)
    return FALSE;
  g_autoptr (GError) local = NULL;
  const char *role = svc_role_name (req->role);
  if (!db_users_add (ctx->conn, svc_district (ctx), req->name, role, req->lab, req->office, hash,
                     req->expires_on, ctx->actor, &local))
    {
      if (db_error_is (local, "23505"))
        g_set_error (error, SVC_USERS_ERROR, SVC_USERS_ERROR_TAKEN,
                     _ ("there is a user named %s already (revoked users keep their name)"),
                     req->name);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_autoptr (GString) detail = g_string_new ("{\"role\": ");
  db_json_string (detail, role);
  g_string_append (detail, ", \"lab\": ");
  db_json_string (detail, req->lab);
  g_string_append (detail, ", \"office\": ");
  db_json_string (detail, req->office);
  g_string_append (detail, ", \"expires\": ");
  db_json_string (detail, req->expires_on);
  g_string_append_c (detail, '}');
  if (!db_audit (ctx->conn, svc_district (ctx), ctx->actor, "users.add", req->name, detail->str,
                 error)
      || !db_transaction_commit (tx, error))
    return FALSE;
  *token = g_steal_pointer (&fresh);
  return TRUE;
}

CoreTable *
svc_users_list (const SvcContext *ctx, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_USERS, error))
    return NULL;
  return db_users_list (ctx->conn, svc_district (ctx), error);
}

gboolean
svc_users_revoke (const SvcContext *ctx, const char *name, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_USERS, error))
    return FALSE;
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  gboolean found = FALSE;
  if (tx == NULL || !db_users_revoke (ctx->conn, svc_district (ctx), name, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, SVC_ERROR, SVC_ERROR_NOT_FOUND, _ ("there is no active user named %s"),
                   name);
      return FALSE;
    }
  return db_audit (ctx->conn, svc_district (ctx), ctx->actor, "users.revoke", name, NULL, error)
         && db_transaction_commit (tx, error);
}

/* Every byte is looked at whatever differs, so the time taken says nothing
 * about where two hashes part. */
static gboolean
same_hash (const guint8 *a, const guint8 *b, gsize n)
{
  guint8 diff = 0;
  for (gsize i = 0; i < n; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}

gboolean
svc_users_authenticate (PGconn *conn, const char *district, const char *token, SvcUser *user,
                        GError **error)
{
  guint8 hash[32];
  token_hash (token ? token : "", hash);
  g_autoptr (GError) local = NULL;
  g_autoptr (DbUser) found = db_users_by_hash (conn, district, hash, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  gsize len = 0;
  const guint8 *stored = found ? g_bytes_get_data (found->token_hash, &len) : NULL;
  SvcRole role = SVC_ROLE_LAB;
  if (found == NULL || len != 32 || !same_hash (stored, hash, 32) || !found->active
      || !svc_role_parse (found->role, &role))
    {
      g_set_error_literal (error, SVC_USERS_ERROR, SVC_USERS_ERROR_UNAUTHENTICATED,
                           _ ("the bearer token is unknown, revoked or expired"));
      return FALSE;
    }
  user->name = g_steal_pointer (&found->name);
  user->role = role;
  user->lab = g_steal_pointer (&found->lab);
  user->office = g_steal_pointer (&found->office);
  return TRUE;
}

gboolean
svc_answer_replay (const SvcContext *ctx, const char *key, const char *route, int *status,
                   char **content_type, GBytes **body, GError **error)
{
  g_autofree char *first_route = NULL;
  if (!db_answer_get (ctx->conn, svc_district (ctx), ctx->actor, key, status, &first_route,
                      content_type, body, error))
    return FALSE;
  if (*status != 0 && g_strcmp0 (first_route, route) != 0)
    {
      *status = 0;
      g_clear_pointer (content_type, g_free);
      g_clear_pointer (body, g_bytes_unref);
      g_set_error (error, SVC_USERS_ERROR, SVC_USERS_ERROR_KEY_REUSED,
                   _ ("Idempotency-Key %s was used for %s; send a new key for %s"), key,
                   first_route, route);
      return FALSE;
    }
  return TRUE;
}

gboolean
svc_answer_remember (const SvcContext *ctx, const char *key, const char *route, int status,
                     const char *content_type, GBytes *body, GError **error)
{
  gboolean stored = FALSE;
  return db_answer_put (ctx->conn, svc_district (ctx), ctx->actor, key, route, status, content_type,
                        body, &stored, error);
}

gboolean
svc_answer_lock (const SvcContext *ctx, const char *key, GError **error)
{
  return db_answer_lock (ctx->conn, svc_district (ctx), ctx->actor, key, error);
}

void
svc_answer_unlock (const SvcContext *ctx, const char *key)
{
  db_answer_unlock (ctx->conn, svc_district (ctx), ctx->actor, key);
}
