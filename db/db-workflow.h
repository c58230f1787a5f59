/* db-workflow.h: a district's case workflow in the database. The loaded
 * config/case-workflow.conf (cases/cases-workflow.h) is written into the
 * district's case_state and case_transition rows, the table the
 * nc_case_transition trigger enforces on every change of nc_case.state. */
#pragma once

#include "cases/cases-workflow.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

/* Replaces @district's workflow rows with @wf, inside the caller's
 * transaction (25P01 outside one): every state (upserted, so stored cases and
 * events keep their references) and one case_transition row per step and state
 * it is taken from (steps that keep the state get a row from the state to
 * itself, which the trigger never needs). States the workflow no longer has
 * are deleted unless events still name them; a case still in one is refused
 * (SQLSTATE 23514, naming the state, how many cases and the first of them)
 * and nothing changes. Records the digest of what was written in
 * case_workflow. Syncs of one district are serialised. */
gboolean db_workflow_sync (PGconn *conn, const char *district, const CasesWorkflow *wf,
                           GError **error);

/* The digest db_workflow_sync() stored for @district, or NULL with no error
 * when the district was never synced. Free with g_free(). */
char *db_workflow_digest (PGconn *conn, const char *district, GError **error);

/* The digest db_workflow_sync() records for @wf (SHA-256 of its states and
 * transition rows), computed without a database. Free with g_free(). */
char *db_workflow_config_digest (const CasesWorkflow *wf);

/* Syncs @district's workflow when its stored digest differs from @wf's (or it
 * was never synced), inside the caller's transaction; *@synced says whether it
 * wrote. The way every case step makes sure the configured workflow is the
 * one in force. */
gboolean db_workflow_ensure (PGconn *conn, const char *district, const CasesWorkflow *wf,
                             gboolean *synced, GError **error);

G_END_DECLS
