/* db-conn.c: libpq wrappers; errors keep the server's SQLSTATE, detail and hint. */
#include "db/db-conn.h"

#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (spotcheck - db - error - quark, db_error)

struct DbTransaction
{
  PGconn *conn;
  gboolean done;
};

int
db_sqlstate_code (const char *sqlstate)
{
  int code = 0;
  if (sqlstate == NULL || strlen (sqlstate) != 5)
    sqlstate = "XX000";
  for (int i = 0; i < 5; i++)
    code |= ((sqlstate[i] - '0') & 0x3F) << (6 * i);
  return code;
}

void
db_error_sqlstate (const GError *error, char buf[6])
{
  buf[0] = '\0';
  if (error == NULL || error->domain != DB_ERROR)
    return;
  for (int i = 0; i < 5; i++)
    buf[i] = (char)(((error->code >> (6 * i)) & 0x3F) + '0');
  buf[5] = '\0';
}

gboolean
db_error_is (const GError *error, const char *sqlstate)
{
  return error != NULL && error->domain == DB_ERROR && error->code == db_sqlstate_code (sqlstate);
}

/* Trims the trailing newline libpq leaves on its messages. */
static char *
clean_message (const char *text)
{
  return g_strchomp (g_strdup (text ? text : ""));
}

static void
set_result_error (GError **error, PGconn *conn, const PGresult *res)
{
  const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  const char *detail = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_DETAIL) : NULL;
  const char *hint = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_HINT) : NULL;
  g_autofree char *fallback = clean_message (PQerrorMessage (conn));
  if (state == NULL)
    state = PQstatus (conn) == CONNECTION_OK ? "XX000" : "08006";
  g_autoptr (GString) msg = g_string_new (primary ? primary : fallback);
  if (detail)
    g_string_append_printf (msg, " (%s)", detail);
  if (hint)
    g_string_append_printf (msg, "; %s", hint);
  g_string_append_printf (msg, " [SQLSTATE %s]", state);
  g_set_error_literal (error, DB_ERROR, db_sqlstate_code (state), msg->str);
}

PGconn *
db_connect (const char *conninfo, GError **error)
{
  g_autoptr (PGconn) conn = PQconnectdb (conninfo);
  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *why = clean_message (conn ? PQerrorMessage (conn) : "out of memory");
      g_set_error (error, DB_ERROR, db_sqlstate_code ("08001"),
                   _ ("cannot connect to PostgreSQL: %s; check --db / SPOTCHECK_DB / [database] "
                      "conninfo, or leave them unset to use the embedded cluster"),
                   why);
      return NULL;
    }
  if (!db_run (conn, "SET TIME ZONE 'UTC'", DB_NO_ARGS, error)
      || !db_run (conn, "SET client_min_messages = warning", DB_NO_ARGS, error)
      || PQsetClientEncoding (conn, "UTF8") != 0)
    {
      if (error && *error == NULL)
        g_set_error (error, DB_ERROR, db_sqlstate_code ("08006"),
                     _ ("cannot set the client encoding to UTF8"));
      return NULL;
    }
  return g_steal_pointer (&conn);
}

PGresult *
db_exec (PGconn *conn, const char *sql, int n, const char *const *params, GError **error)
{
  g_autoptr (PGresult) res = PQexecParams (conn, sql, n, NULL, params, NULL, NULL, 0);
  ExecStatusType status = res ? PQresultStatus (res) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_result_error (error, conn, res);
      return NULL;
    }
  return g_steal_pointer (&res);
}

CoreTable *
db_result_table (const PGresult *res, const char *key, const char *title, const CoreColumn *columns,
                 guint n_columns)
{
  g_return_val_if_fail (PQnfields (res) >= (int)n_columns, NULL);
  CoreTable *table = core_table_new (key, title, columns, n_columns);
  for (int r = 0; r < PQntuples (res); r++)
    {
      guint row = core_table_add_row (table);
      for (guint c = 0; c < n_columns; c++)
        {
          if (PQgetisnull (res, r, (int)c))
            continue;
          const char *v = PQgetvalue (res, r, (int)c);
          if (columns[c].type == CORE_CELL_BOOL)
            core_table_set_bool (table, row, c, v[0] == 't');
          else
            core_table_set (table, row, c, v);
        }
    }
  return table;
}

gboolean
db_run (PGconn *conn, const char *sql, int n, const char *const *params, GError **error)
{
  g_autoptr (PGresult) res = db_exec (conn, sql, n, params, error);
  return res != NULL;
}

gboolean
db_run_script (PGconn *conn, const char *sql, GError **error)
{
  g_autoptr (PGresult) res = PQexec (conn, sql);
  if (res == NULL || PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_result_error (error, conn, res);
      return FALSE;
    }
  return TRUE;
}

char *
db_scalar (PGconn *conn, const char *sql, int n, const char *const *params, GError **error)
{
  g_autoptr (PGresult) res = db_exec (conn, sql, n, params, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) < 1 || PQnfields (res) < 1)
    {
      g_set_error (error, DB_ERROR, db_sqlstate_code ("P0002"), _ ("query returned no row"));
      return NULL;
    }
  return g_strdup (PQgetvalue (res, 0, 0));
}

DbTransaction *
db_transaction_begin (PGconn *conn, GError **error)
{
  if (!db_run (conn, "BEGIN", DB_NO_ARGS, error))
    return NULL;
  DbTransaction *tx = g_new0 (DbTransaction, 1);
  tx->conn = conn;
  return tx;
}

gboolean
db_transaction_commit (DbTransaction *tx, GError **error)
{
  tx->done = TRUE;
  return db_run (tx->conn, "COMMIT", DB_NO_ARGS, error);
}

void
db_transaction_free (DbTransaction *tx)
{
  if (tx == NULL)
    return;
  if (!tx->done && PQstatus (tx->conn) == CONNECTION_OK)
    {
      /* A COPY still in progress must be ended before ROLLBACK is accepted. */
      if (PQtransactionStatus (tx->conn) == PQTRANS_ACTIVE)
        {
          PQputCopyEnd (tx->conn, "aborted");
          PGresult *r;
          while ((r = PQgetResult (tx->conn)) != NULL)
            PQclear (r);
        }
      PQclear (PQexec (tx->conn, "ROLLBACK"));
    }
  g_free (tx);
}

gboolean
db_in_transaction (PGconn *conn, GError **error)
{
  if (PQtransactionStatus (conn) == PQTRANS_INTRANS)
    return TRUE;
  g_set_error_literal (
      error, DB_ERROR, db_sqlstate_code ("25P01"),
      _ ("this store function runs in its caller's transaction, and none is open"));
  return FALSE;
}

gboolean
db_copy_begin (PGconn *conn, const char *copy_sql, GError **error)
{
  g_autoptr (PGresult) res = PQexec (conn, copy_sql);
  if (res == NULL || PQresultStatus (res) != PGRES_COPY_IN)
    {
      set_result_error (error, conn, res);
      return FALSE;
    }
  return TRUE;
}

gboolean
db_copy_put (PGconn *conn, const char *data, gsize len, GError **error)
{
  if (len > G_MAXINT || PQputCopyData (conn, data, (int)len) != 1)
    {
      set_result_error (error, conn, NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
db_copy_end (PGconn *conn, const char *failure, GError **error)
{
  if (PQputCopyEnd (conn, failure) != 1)
    {
      set_result_error (error, conn, NULL);
      return FALSE;
    }
  gboolean ok = TRUE;
  PGresult *res;
  while ((res = PQgetResult (conn)) != NULL)
    {
      if (ok && PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          set_result_error (error, conn, res);
          ok = FALSE;
        }
      PQclear (res);
    }
  return ok;
}

void
db_copy_field (GString *row, const char *value, char sep)
{
  if (value == NULL)
    g_string_append_len (row, "\\N", 2);
  else
    /* Runs between special characters are copied whole: bulk loads spend
     * their time here. */
    for (const char *p = value;;)
      {
        gsize run = strcspn (p, "\\\t\n\r");
        g_string_append_len (row, p, (gssize)run);
        p += run;
        if (*p == '\0')
          break;
        char esc[2] = { '\\', *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : 'r' };
        g_string_append_len (row, esc, 2);
        p++;
      }
  g_string_append_c (row, sep);
}

/* Flush threshold: libpq copies each call into its own buffer, so fewer,
 * larger calls are cheaper; 64 KiB keeps memory flat for any row count. */
#define COPY_CHUNK (64 * 1024)

gboolean
db_copy_rows (PGconn *conn, const char *copy_sql, DbCopyRowFunc next, gpointer data, GError **error)
{
  if (!db_copy_begin (conn, copy_sql, error))
    return FALSE;
  g_autoptr (GString) buf = g_string_sized_new (COPY_CHUNK + 4096);
  g_autoptr (GError) local = NULL;
  gboolean more = TRUE;
  while (more)
    {
      more = next (buf, data, &local);
      if (local != NULL)
        {
          db_copy_end (conn, "rows could not be produced", NULL);
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (buf->len >= COPY_CHUNK || (!more && buf->len > 0))
        {
          if (!db_copy_put (conn, buf->str, buf->len, error))
            return db_copy_end (conn, "sending failed", NULL), FALSE;
          g_string_truncate (buf, 0);
        }
    }
  return db_copy_end (conn, NULL, error);
}

char *
db_array_literal (const char *const *items, gssize n)
{
  GString *s = g_string_new ("{");
  for (gssize i = 0; n < 0 ? items[i] != NULL : i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      if (items[i] == NULL)
        {
          g_string_append (s, "NULL");
          continue;
        }
      /* Always quoted, so "NULL", empty strings, braces, commas and spaces
       * stay text; inside quotes only " and \ need a backslash. */
      g_string_append_c (s, '"');
      for (const char *p = items[i]; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}
