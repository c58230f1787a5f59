/* db-samples.h: sampling records (抽样单) in PostgreSQL: a file of them marks
 * tasks sampled, all or nothing. */
#pragma once

#include "intake/intake-sample.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

/* Records @samples (IntakeSample*, already checked by intake) in one
 * transaction: each must name the record number of a live task of a current
 * or earlier draw that is not sampled yet. A record number no task has, one
 * whose task was cancelled by a redraw, or one already sampled is a problem in
 * @problems with its line and the column name @record_column (NULL:
 * "record"); then nothing is written and FALSE is returned with
 * CORE_PROBLEMS_ERROR_REJECTED listing every problem. On success the tasks
 * become 'sampled', an audit_log row names @actor and the file, and
 * *@recorded receives the count. @rejected (IntakeSample*, may be NULL)
 * holds rows intake refused: only their line and record number are read, so
 * that their record-number problems are listed in the same run. */
gboolean db_samples_record (PGconn *conn, const char *district, GPtrArray *samples,
                            GPtrArray *rejected, CoreProblems *problems, const char *record_column,
                            const char *actor, guint *recorded, GError **error);

/* A task's sample as a one-row result (free with PQclear), or a result with
 * no row when the task is not sampled. Columns: record_no, sample_name,
 * batch, production_date, specification, quantity, sampling_date,
 * labelled_producer, recorded_by. */
PGresult *db_samples_get (PGconn *conn, const char *district, const char *record, GError **error);

G_END_DECLS
