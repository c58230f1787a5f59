/* svc-results-stage.h: what the results import hands db/ for each report of a
 * parsed file: its digest, why it needs review, its failed items and its test
 * dates; and the first deadlines of a case. Only for svc-results*.c. */
#pragma once

#include "core/core-progress.h"

#include "db/db-results.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

typedef struct
{
  const IntakeResultFile *file;
  guint next;
  GString *scratch;
  char *digest;
  char *why;
  GPtrArray *failed;            /* const char*, NULL-terminated */
  const CoreProgress *progress; /* told every few hundred reports; may be NULL */
} SvcResultsStage;

void svc_results_stage_init (SvcResultsStage *stage, const IntakeResultFile *file);
void svc_results_stage_clear (SvcResultsStage *stage);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SvcResultsStage, svc_results_stage_clear)

/* A DbResultsNextFunc over the reports of the file (@data is the stage). */
gboolean svc_results_stage_next (gpointer data, DbResultsReport *report);

/* The first deadlines of a case opened on @start (DbCaseDue, borrowing the
 * deadline rules' names), as db stores them; NULL when @start is outside the
 * calendars. */
GArray *svc_results_first_dues (const SvcContext *ctx, const GDate *start, GError **error);

G_END_DECLS
