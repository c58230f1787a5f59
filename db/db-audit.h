/* db-audit.h: checking the hash chains of the record (audit_log and
 * case_event, db/migrations/0012_hash_chain.sql) outside the database: every
 * row's canonical text is rebuilt and hashed here, so a check does not trust
 * the database's own functions. The writer, db_audit(), is in db-conn.h. */
#pragma once

#include "db/db-conn.h"

G_BEGIN_DECLS

typedef enum
{
  DB_CHAIN_AUDIT_LOG,
  DB_CHAIN_CASE_EVENT,
  DB_N_CHAIN_TABLES
} DbChainTable;

/* "audit_log", "case_event". */
const char *db_chain_table_name (DbChainTable table);

/* One chain (a table's rows of one district) as far as it was checked. */
typedef struct
{
  DbChainTable table;
  char district[7]; /* "" for a table with no rows at all */
  gint64 rows;      /* rows that matched */
  gint64 last_id;   /* the last row that matched; 0 when none */
  char head[65];    /* its row_hash in hex: the chain's head; "" when none */
  gboolean broken;
  /* When broken, the first row that does not match and why: its prev_hash is
   * not the row_hash of the row before it (a row before it was removed or
   * changed with its hash), or its row_hash is not the hash of its content
   * (the row was changed). */
  gint64 bad_id;
  const char *bad_field; /* "prev_hash" or "row_hash" */
  char expected[65], stored[65];
} DbChain;

typedef struct
{
  GArray *chains; /* of DbChain: by table, then district */
} DbChainReport;

void db_chain_report_clear (DbChainReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DbChainReport, db_chain_report_clear)

/* The first broken chain of @report, or NULL when every chain holds. */
const DbChain *db_chain_report_first_broken (const DbChainReport *report);

/* Walks the chains of @table (of @district; NULL: of every district) in id
 * order, reading rows in batches, recomputes each row's hashes and appends one
 * DbChain per district to @out (created when NULL; a table with no rows gives
 * one empty chain). A chain's walk stops at its first row that does not match;
 * that is a finding in @out, not an error. FALSE only when the database fails.
 * Runs in the caller's transaction or none. */
gboolean db_audit_verify (PGconn *conn, const char *district, DbChainTable table,
                          DbChainReport *out, GError **error);

G_END_DECLS
