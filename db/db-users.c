/* db-users.c: app_user and idempotent_answer. Hashes and answer bodies travel
 * as hex text (encode/decode), so every statement keeps text parameters. */
#include "db/db-users.h"

#include "db/db-conn.h"
#include "core/core-i18n.h"

#include <stdlib.h>
#include <string.h>

void
db_user_free (DbUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->role);
  g_free (user->lab);
  g_free (user->office);
  g_clear_pointer (&user->token_hash, g_bytes_unref);
  g_free (user);
}

static char *
to_hex (const guint8 *data, gsize len)
{
  static const char digits[] = "0123456789abcdef";
  char *hex = g_malloc (len * 2 + 1);
  for (gsize i = 0; i < len; i++)
    {
      hex[2 * i] = digits[data[i] >> 4];
      hex[2 * i + 1] = digits[data[i] & 15];
    }
  hex[len * 2] = '\0';
  return hex;
}

static GBytes *
from_hex (const char *hex)
{
  gsize len = strlen (hex) / 2;
  guint8 *data = g_malloc (len + 1);
  for (gsize i = 0; i < len; i++)
    data[i]
        = (guint8)(g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new_take (data, len);
}

gboolean
db_users_add (PGconn *conn, const char *district, const char *name, const char *role,
              const char *lab, const char *office, const guint8 hash[32], const char *expires_at,
              const char *created_by, GError **error)
{
  g_autofree char *hex = to_hex (hash, 32);
  return db_run (conn,
                 "INSERT INTO app_user (district, name, role, lab, office, token_hash, "
                 "expires_at, created_by) VALUES ($1, $2, $3, $4, $5, decode ($6, 'hex'), "
                 "$7::date, $8)",
                 DB_ARGS (district, name, role, lab, office, hex, expires_at, created_by), error);
}

static const CoreColumn user_columns[] = {
  { "name", N_ ("User"), CORE_CELL_TEXT },
  { "role", N_ ("Role"), CORE_CELL_TEXT },
  { "lab", N_ ("Lab"), CORE_CELL_TEXT },
  { "office", N_ ("Office"), CORE_CELL_TEXT },
  { "expires", N_ ("Expires"), CORE_CELL_DATE },
  { "revoked", N_ ("Revoked"), CORE_CELL_TEXT },
  { "created", N_ ("Created"), CORE_CELL_TEXT },
  { "created_by", N_ ("Created by"), CORE_CELL_TEXT },
};

CoreTable *
db_users_list (PGconn *conn, const char *district, GError **error)
{
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT name, role, lab, office, to_char (expires_at, 'YYYY-MM-DD'), "
      "to_char (revoked_at, 'YYYY-MM-DD HH24:MI'), to_char (created_at, 'YYYY-MM-DD HH24:MI'), "
      "created_by FROM app_user WHERE district = $1 ORDER BY name",
      DB_ARGS (district), error);
  if (res == NULL)
    return NULL;
  return db_result_table (res, "users", _ ("Users"), user_columns, G_N_ELEMENTS (user_columns));
}

gboolean
db_users_revoke (PGconn *conn, const char *district, const char *name, gboolean *found,
                 GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "UPDATE app_user SET revoked_at = now () WHERE district = $1 AND name = $2 AND "
                 "revoked_at IS NULL",
                 DB_ARGS (district, name), error);
  if (res == NULL)
    return FALSE;
  *found = g_strcmp0 (PQcmdTuples (res), "1") == 0;
  return TRUE;
}

static char *
nullable (const PGresult *res, int col)
{
  return PQgetisnull (res, 0, col) ? NULL : g_strdup (PQgetvalue (res, 0, col));
}

DbUser *
db_users_by_hash (PGconn *conn, const char *district, const guint8 hash[32], GError **error)
{
  g_autofree char *hex = to_hex (hash, 32);
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT name, role, lab, office, encode (token_hash, 'hex'), revoked_at IS NULL AND "
      "(expires_at IS NULL OR expires_at > now ()) FROM app_user WHERE district = $1 AND "
      "token_hash = decode ($2, 'hex')",
      DB_ARGS (district, hex), error);
  if (res == NULL || PQntuples (res) == 0)
    return NULL;
  DbUser *user = g_new0 (DbUser, 1);
  user->name = nullable (res, 0);
  user->role = nullable (res, 1);
  user->lab = nullable (res, 2);
  user->office = nullable (res, 3);
  user->token_hash = from_hex (PQgetvalue (res, 0, 4));
  user->active = g_str_equal (PQgetvalue (res, 0, 5), "t");
  return user;
}

gboolean
db_answer_get (PGconn *conn, const char *district, const char *user, const char *key, int *status,
               char **route, char **content_type, GBytes **body, GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT status, route, content_type, encode (body, 'hex') FROM "
                 "idempotent_answer WHERE district = $1 AND user_name = $2 AND key = $3",
                 DB_ARGS (district, user, key), error);
  if (res == NULL)
    return FALSE;
  *status = 0;
  if (PQntuples (res) == 0)
    return TRUE;
  *status = atoi (PQgetvalue (res, 0, 0));
  *route = g_strdup (PQgetvalue (res, 0, 1));
  *content_type = g_strdup (PQgetvalue (res, 0, 2));
  *body = from_hex (PQgetvalue (res, 0, 3));
  return TRUE;
}

gboolean
db_answer_put (PGconn *conn, const char *district, const char *user, const char *key,
               const char *route, int status, const char *content_type, GBytes *body,
               gboolean *stored, GError **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (body, &len);
  g_autofree char *hex = to_hex (data, len);
  char status_text[16];
  g_snprintf (status_text, sizeof status_text, "%d", status);
  g_autoptr (PGresult) res = db_exec (
      conn,
      "INSERT INTO idempotent_answer (district, user_name, key, route, status, content_type, "
      "body) VALUES ($1, $2, $3, $4, $5::integer, $6, decode ($7, 'hex')) ON CONFLICT DO NOTHING",
      DB_ARGS (district, user, key, route, status_text, content_type, hex), error);
  if (res == NULL)
    return FALSE;
  *stored = g_strcmp0 (PQcmdTuples (res), "1") == 0;
  return TRUE;
}

gboolean
db_users_lab_known (PGconn *conn, const char *district, const char *lab, gboolean *known,
                    GError **error)
{
  g_autofree char *n
      = db_scalar (conn, "SELECT count(*) FROM lab WHERE district = $1 AND code = $2",
                   DB_ARGS (district, lab), error);
  if (n == NULL)
    return FALSE;
  *known = strcmp (n, "0") != 0;
  return TRUE;
}

static char *
answer_lock_key (const char *district, const char *user, const char *key)
{
  return g_strdup_printf ("%s:%s:%s", district, user, key);
}

gboolean
db_answer_lock (PGconn *conn, const char *district, const char *user, const char *key,
                GError **error)
{
  g_autofree char *k = answer_lock_key (district, user, key);
  return db_run (conn, "SELECT pg_advisory_lock (hashtext ('idempotent_answer'), hashtext ($1))",
                 DB_ARGS (k), error);
}

void
db_answer_unlock (PGconn *conn, const char *district, const char *user, const char *key)
{
  g_autofree char *k = answer_lock_key (district, user, key);
  g_autoptr (GError) error = NULL;
  /* A failure here means the session is gone, and its locks with it. */
  if (!db_run (conn, "SELECT pg_advisory_unlock (hashtext ('idempotent_answer'), hashtext ($1))",
               DB_ARGS (k), &error))
    g_debug ("advisory unlock: %s", error->message);
}
