/* svc-audit.h: checking that the record (audit_log, case_event) is as it was
 * written: every hash chain recomputed outside the database. */
#pragma once

#include "core/core-table.h"
#include "db/db-audit.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

#define SVC_AUDIT_ERROR (svc_audit_error_quark ())
GQuark svc_audit_error_quark (void);

typedef enum
{
  SVC_AUDIT_ERROR_BROKEN, /* a chain does not match at a row: the record was changed */
} SvcAuditError;

/* Walks the chains of audit_log and case_event of @district (NULL: every
 * district) and fills @report (clear it with db_chain_report_clear), whatever
 * it finds. Returns TRUE when every chain holds; FALSE with
 * SVC_AUDIT_ERROR_BROKEN naming the first row that does not match (table,
 * district, id, expected and stored hash), or with the database's error (then
 * @report may be partly filled). Admins and coordinators only. */
gboolean svc_audit_verify (const SvcContext *ctx, const char *district, DbChainReport *report,
                           GError **error);

/* @report as a table: table, district, rows, last_id, head, bad_id, mismatch
 * (the last two missing for a chain that holds). A new table. */
CoreTable *svc_audit_report_table (const DbChainReport *report);

G_END_DECLS
