/* svc-samples.h: sampling records (抽样单) as the sampling inspectors enter
 * them: a file of them, or one at a time, marks tasks sampled. */
#pragma once

#include "core/core-table.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

/* What to record: a file (@path set; @name names it in problems, NULL: the
 * path), or one record from its fields (@path NULL; @record and the others,
 * optional ones may be NULL). */
typedef struct
{
  const char *path;
  const char *name;
  const char *record; /* 抽样单编号 */
  const char *sample_name;
  const char *batch;
  const char *production_date; /* YYYY-MM-DD */
  const char *specification;
  const char *quantity;
  const char *sampling_date; /* YYYY-MM-DD */
  const char *producer;
} SvcSamplesInput;

/* Checks and records @input in one transaction, all or nothing: every row
 * must name a live task not sampled yet; an inspector's rows must name tasks
 * of its office. Coordinators and inspectors only (SVC_ERROR_FORBIDDEN
 * otherwise). Any problem is CORE_PROBLEMS_ERROR_REJECTED listing them all,
 * and nothing is stored. *@recorded receives the number of tasks marked
 * sampled. */
gboolean svc_samples_record (const SvcContext *ctx, const SvcSamplesInput *input, guint *recorded,
                             GError **error);

/* The sample recorded for the task with record number @record, as a new
 * record table (see db_samples_get()). SVC_ERROR_NOT_FOUND when none is
 * recorded, or when the task is outside the actor's scope (an inspector's
 * office, a lab's own tasks). */
CoreTable *svc_samples_show (const SvcContext *ctx, const char *record, GError **error);

G_END_DECLS
