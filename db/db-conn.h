/* db-conn.h: the libpq layer: errors that carry SQLSTATE, automatic cleanups,
 * parameterised queries, transactions that roll back on every early return,
 * COPY and array literals; and the audit log and advisory locks (db-audit.c). Every statement takes
 * its values as parameters; no SQL text is ever built from user input. */
#pragma once

#include "core/core-table.h"

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* Errors in DB_ERROR carry the five-character SQLSTATE packed into the code
 * (see db_sqlstate_code()); client-side failures use the standard classes:
 * 08001 cannot connect, 08006 connection lost, 22000 bad data, XX000 internal. */
#define DB_ERROR (db_error_quark ())
GQuark db_error_quark (void);

/* Packs a SQLSTATE such as "23505" into an error code, as PostgreSQL's
 * MAKE_SQLSTATE does (6 bits a character). */
int db_sqlstate_code (const char *sqlstate);
/* Writes the SQLSTATE of @error (DB_ERROR) into @buf; "" for other domains. */
void db_error_sqlstate (const GError *error, char buf[6]);
gboolean db_error_is (const GError *error, const char *sqlstate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Connects and checks the connection; the session runs in UTC with
 * client_encoding UTF8. Returns a new connection. */
PGconn *db_connect (const char *conninfo, GError **error);

/* Runs @sql with @n text parameters (NULL = SQL NULL). Returns the result on
 * success (COMMAND_OK or TUPLES_OK); NULL with the server's message, detail and
 * hint in @error otherwise. Free the result with PQclear (or g_autoptr). */
PGresult *db_exec (PGconn *conn, const char *sql, int n, const char *const *params, GError **error);

/* Convenience: db_exec (conn, sql, DB_ARGS (a, b), error). */
#define DB_ARGS(...)                                                                               \
  (int)(sizeof ((const char *[]){ __VA_ARGS__ }) / sizeof (const char *)), (const char *const[])   \
  {                                                                                                \
    __VA_ARGS__                                                                                    \
  }
#define DB_NO_ARGS 0, NULL

/* Every row of @res as a new CoreTable keyed @key (titled @title, translated,
 * may be NULL; core_table_new translates the labels): table column i takes result column i; SQL
 * NULL is a missing cell, and a CORE_CELL_BOOL column reads PostgreSQL's t/f as true/false. How db/
 * hands rows back instead of a PGresult. */
CoreTable *db_result_table (const PGresult *res, const char *key, const char *title,
                            const CoreColumn *columns, guint n_columns);

/* Runs a statement whose result is not needed. */
gboolean db_run (PGconn *conn, const char *sql, int n, const char *const *params, GError **error);

/* Runs a script of several statements with no parameters (migrations only:
 * the text comes from the binary, never from input). */
gboolean db_run_script (PGconn *conn, const char *sql, GError **error);

/* The value of the single row and column a query returns, or NULL (with an
 * error) when it returns no row; a SQL NULL gives an empty string. */
char *db_scalar (PGconn *conn, const char *sql, int n, const char *const *params, GError **error);

/* A transaction that rolls back when freed unless committed:
 *   g_autoptr (DbTransaction) tx = db_transaction_begin (conn, error);
 *   ... early returns roll back ...
 *   return db_transaction_commit (tx, error); */
typedef struct DbTransaction DbTransaction;
DbTransaction *db_transaction_begin (PGconn *conn, GError **error);
gboolean db_transaction_commit (DbTransaction *tx, GError **error);
void db_transaction_free (DbTransaction *tx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbTransaction, db_transaction_free)

/* TRUE inside a transaction block; otherwise 25P01 (no active transaction),
 * for store functions that must run in their caller's transaction. */
gboolean db_in_transaction (PGconn *conn, GError **error);

/* COPY ... FROM STDIN in text format. Build rows with db_copy_field(). */
gboolean db_copy_begin (PGconn *conn, const char *copy_sql, GError **error);
gboolean db_copy_put (PGconn *conn, const char *data, gsize len, GError **error);
/* Ends the COPY; on @failure (non-NULL) aborts it with that message instead. */
gboolean db_copy_end (PGconn *conn, const char *failure, GError **error);
/* Appends @value (NULL = SQL NULL) escaped for COPY text format, then @sep
 * ('\t' between fields, '\n' at the end of a row). */
void db_copy_field (GString *row, const char *value, char sep);

/* Produces rows for db_copy_rows(): appends zero or more rows (built with
 * db_copy_field()) to @buf and returns TRUE while more may follow; FALSE at
 * the end (rows appended by that last call are still sent) or with @error
 * set (then the COPY is aborted). */
typedef gboolean (*DbCopyRowFunc) (GString *buf, gpointer data, GError **error);

/* Runs @copy_sql (COPY ... FROM STDIN) and feeds it what @next produces, sent
 * in chunks of about 64 KiB, so memory stays flat however many rows there are.
 * On any failure the COPY is ended (aborted) before returning FALSE. */
gboolean db_copy_rows (PGconn *conn, const char *copy_sql, DbCopyRowFunc next, gpointer data,
                       GError **error);

/* A PostgreSQL text[] literal of @items (@n of them, or up to a NULL when @n
 * is negative; with @n given, NULL items are SQL NULL elements), every element
 * quoted and escaped, for a parameter or a COPY field. Returns a new string. */
char *db_array_literal (const char *const *items, gssize n);

/* Appends one row to audit_log, the append-only record of who did what:
 * @action such as "registry.import", @object what it was done to (the subject
 * column; may be NULL), @detail_json a JSON object (may be NULL). Runs in the
 * caller's transaction, so the record commits or rolls back with the change.
 * The row joins the district's hash chain (db-audit.h), whose lock it holds
 * until that transaction ends: write it last, after any case events. */
gboolean db_audit (PGconn *conn, const char *district, const char *actor, const char *action,
                   const char *object, const char *detail_json, GError **error);

/* Appends @value (NULL: null) to @out as a JSON string literal, for building
 * db_audit()'s @detail_json with g_string_append_printf(). */
void db_json_string (GString *out, const char *value);

/* Takes a transaction-scoped advisory lock on (@scope, @key), e.g. ("draw",
 * "120104:2024-03"): writers of the same thing wait for one another until the
 * holder's transaction ends. Call inside a transaction. */
gboolean db_advisory_xact_lock (PGconn *conn, const char *scope, const char *key, GError **error);

G_END_DECLS
