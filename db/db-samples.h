/* db-samples.h: sampling records (抽样单) in PostgreSQL: a file of them marks
 * tasks sampled, all or nothing. */
#pragma once

#include "core/core-table.h"
#include "intake/intake-sample.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

/* Records @samples (IntakeSample*, already checked by intake) in the
 * caller's transaction (25P01 when none is open): each must name the record
 * number of a live task of a current or earlier draw that is not sampled yet
 * and, when @office is not NULL, whose task belongs to that office. A record
 * number no task has, one whose task was cancelled by a redraw, one already
 * sampled or one of another office is a problem in @problems with its line
 * and the column name @record_column (NULL: "record"); then nothing is
 * written and FALSE is returned with CORE_PROBLEMS_ERROR_REJECTED listing
 * every problem (the caller rolls back). On success the tasks become
 * 'sampled', an audit_log row names @actor and the file, and *@recorded
 * receives the count. @rejected (IntakeSample*, may be NULL) holds rows
 * intake refused: only their line and record number are read, so that their
 * record-number problems are listed in the same run. */
gboolean db_samples_record (PGconn *conn, const char *district, GPtrArray *samples,
                            GPtrArray *rejected, CoreProblems *problems, const char *record_column,
                            const char *office, const char *actor, guint *recorded, GError **error);

/* Whose a recorded sample is: its task's office and lab (owned strings). */
typedef struct
{
  char *office;
  char *lab;
} DbSampleScope;

void db_sample_scope_clear (DbSampleScope *scope);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DbSampleScope, db_sample_scope_clear)

/* A task's sample as a new record table (CORE_TABLE_RECORD, key "sample"):
 * one row, or none when the task is not sampled. Columns: record_no,
 * sample_name, batch, production_date, specification, quantity,
 * sampling_date, labelled_producer, recorded_by. @scope (may be NULL)
 * receives the task's office and lab when there is a row. */
CoreTable *db_samples_get (PGconn *conn, const char *district, const char *record,
                           DbSampleScope *scope, GError **error);

G_END_DECLS
