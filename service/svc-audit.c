/* svc-audit.c: the record's hash chains checked (db/db-audit-verify.c) and
 * told as a table. */
#include "service/svc-audit.h"

#include "db/db-conn.h"

#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (spotcheck - audit - error - quark, svc_audit_error)

static const CoreColumn report_columns[] = {
  { "table", N_ ("table"), CORE_CELL_TEXT },       { "district", N_ ("district"), CORE_CELL_TEXT },
  { "rows", N_ ("rows checked"), CORE_CELL_INT },  { "last_id", N_ ("last id"), CORE_CELL_INT },
  { "head", N_ ("head sha256"), CORE_CELL_TEXT },  { "bad_id", N_ ("bad id"), CORE_CELL_INT },
  { "mismatch", N_ ("mismatch"), CORE_CELL_TEXT },
};

/* Six ASCII digits, as the district table's CHECK has it. */
static gboolean
district_code_valid (const char *code)
{
  for (int i = 0; i < 6; i++)
    if (!g_ascii_isdigit (code[i]))
      return FALSE;
  return code[6] == '\0';
}

gboolean
svc_audit_verify (const SvcContext *ctx, const char *district, DbChainReport *report,
                  GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_AUDIT_VERIFY, error))
    return FALSE;
  if (district != NULL && !district_code_valid (district))
    {
      g_set_error (error, SVC_ERROR, SVC_ERROR_INVALID,
                   _ ("a district is six digits (GB/T 2260), not \"%s\""), district);
      return FALSE;
    }
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL)
    return FALSE;
  for (int t = 0; t < DB_N_CHAIN_TABLES; t++)
    if (!db_audit_verify (ctx->conn, district, (DbChainTable)t, report, error))
      return FALSE;
  if (!db_transaction_commit (tx, error))
    return FALSE;
  const DbChain *bad = db_chain_report_first_broken (report);
  if (bad == NULL)
    return TRUE;
  g_set_error (error, SVC_AUDIT_ERROR, SVC_AUDIT_ERROR_BROKEN,
               "%s of district %s does not match at id %" G_GINT64_FORMAT
               ": its %s is %s, the chain gives %s (%s)",
               db_chain_table_name (bad->table), bad->district, bad->bad_id, bad->bad_field,
               bad->stored, bad->expected,
               strcmp (bad->bad_field, "row_hash") == 0
                   ? _ ("the row was changed after it was written")
                   : _ ("a row before it was removed or changed"));
  return FALSE;
}

CoreTable *
svc_audit_report_table (const DbChainReport *report)
{
  CoreTable *t = core_table_new ("chains", _ ("hash chains of the record"), report_columns,
                                 G_N_ELEMENTS (report_columns));
  for (guint i = 0; report->chains != NULL && i < report->chains->len; i++)
    {
      const DbChain *c = &g_array_index (report->chains, DbChain, i);
      guint r = core_table_add_row (t);
      core_table_set (t, r, 0, db_chain_table_name (c->table));
      if (*c->district)
        core_table_set (t, r, 1, c->district);
      core_table_set_int (t, r, 2, c->rows);
      if (c->rows > 0)
        {
          core_table_set_int (t, r, 3, c->last_id);
          core_table_set (t, r, 4, c->head);
        }
      if (c->broken)
        {
          core_table_set_int (t, r, 5, c->bad_id);
          core_table_set (t, r, 6, c->bad_field);
        }
    }
  return t;
}
