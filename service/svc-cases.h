/* svc-cases.h: the verification-and-disposal queue: referral notices imported
 * into it, and the cases read back. An inspector sees only the cases of its
 * own office; a case of another office is not found for it. */
#pragma once

#include "core/core-table.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

/* Imports a referral file (intake-referral.h: CSV or JSON, the encodings of
 * result files) of 国抽/省抽/市抽 nonconforming notices. Every business must be
 * in the district's registry; all rows or none (CORE_PROBLEMS_ERROR_REJECTED
 * lists every problem). A notice already on record is skipped (*@skipped).
 * Cases open on ctx->today; their first deadlines count from the notice date.
 * @name is used in messages (NULL: @path). */
gboolean svc_cases_import_referrals (const SvcContext *ctx, const char *path, const char *name,
                                     guint *opened, guint *skipped, GError **error);
gboolean svc_cases_import_referrals_data (const SvcContext *ctx, const char *data, gsize len,
                                          const char *name, guint *opened, guint *skipped,
                                          GError **error);

/* Cases by case number, in @state only unless NULL (a state the workflow does
 * not know is DB_CASES_ERROR_BAD_STATE). Columns case_no, source, state, uscc,
 * business_name, product, record_no, lab, report_no, notice_no, notice_date,
 * failed_items, opened_on, closed_on, office, next_deadline. */
CoreTable *svc_cases_list (const SvcContext *ctx, const char *state, GError **error);

/* One case: tables "case" (a record with the list's columns), "deadlines" and
 * "events" (oldest first). DB_CASES_ERROR_NOT_FOUND when there is no such case or
 * it is outside the actor's office. */
CoreDocument *svc_cases_show (const SvcContext *ctx, const char *case_no, GError **error);

G_END_DECLS
