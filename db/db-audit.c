/* db-audit.c: the one writer of audit_log and the one way to take an advisory
 * lock, so every store records and serialises the same way. */
#include "db/db-conn.h"

gboolean
db_audit (PGconn *conn, const char *district, const char *actor, const char *action,
          const char *object, const char *detail_json, GError **error)
{
  return db_run (conn,
                 "INSERT INTO audit_log (district, actor, action, subject, detail) "
                 "VALUES ($1, $2, $3, $4, $5::jsonb)",
                 DB_ARGS (district, actor, action, object, detail_json), error);
}

void
db_json_string (GString *out, const char *value)
{
  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *)value; *p; p++)
    if (*p == '"' || *p == '\\')
      g_string_append_printf (out, "\\%c", *p);
    else if (*p < 0x20)
      g_string_append_printf (out, "\\u%04x", *p);
    else
      g_string_append_c (out, (char)*p); /* UTF-8 passes through as is */
  g_string_append_c (out, '"');
}

gboolean
db_advisory_xact_lock (PGconn *conn, const char *scope, const char *key, GError **error)
{
  /* The two-key form keeps scopes apart: ("draw", k) never collides with
   * ("plan", k), whatever the hash of k. */
  return db_run (conn, "SELECT pg_advisory_xact_lock (hashtext ($1), hashtext ($2))",
                 DB_ARGS (scope, key), error);
}
