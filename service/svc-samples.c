/* svc-samples.c: sampling records: parsed and checked by intake, checked
 * against the task list and stored by db, in one transaction. */
#include "service/svc-samples.h"

#include "db/db-conn.h"
#include "db/db-samples.h"
#include "core/core-i18n.h"

/* Rows intake refused, by line and record number only, so that the database
 * can still say whether their record numbers name a task. */
static GPtrArray *
rejected_rows (const IntakeTable *table, GPtrArray *samples)
{
  g_autoptr (GHashTable) passed = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < samples->len; i++)
    g_hash_table_add (passed,
                      GUINT_TO_POINTER (((IntakeSample *)g_ptr_array_index (samples, i))->line));
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)intake_sample_free);
  for (guint i = 0; i < table->rows->len; i++)
    {
      const IntakeRow *row = g_ptr_array_index (table->rows, i);
      if (g_hash_table_contains (passed, GUINT_TO_POINTER (row->line)))
        continue;
      IntakeSample *r = intake_sample_new (intake_row_get (row, INTAKE_SAMPLE_RECORD), NULL, NULL,
                                           NULL, NULL, NULL, NULL, NULL);
      r->line = row->line;
      g_ptr_array_add (out, r);
    }
  return out;
}

/* The one record of @in, checked; NULL when intake refused it (its problems
 * are in @problems). */
static GPtrArray *
single_record (const SvcSamplesInput *in, CoreProblems *problems)
{
  GPtrArray *samples = g_ptr_array_new_with_free_func ((GDestroyNotify)intake_sample_free);
  IntakeSample *s
      = intake_sample_new (in->record, in->sample_name, in->batch, in->production_date,
                           in->specification, in->quantity, in->sampling_date, in->producer);
  if (intake_sample_check (s, problems))
    g_ptr_array_add (samples, s);
  else
    intake_sample_free (s);
  return samples;
}

gboolean
svc_samples_record (const SvcContext *ctx, const SvcSamplesInput *in, guint *recorded,
                    GError **error)
{
  *recorded = 0;
  /* An inspector records for its own office only (@office); others for any (NULL). */
  const char *office = NULL;
  if (!svc_authorize (ctx, SVC_ACTION_SAMPLES_RECORD, error)
      || !svc_scope_office (ctx, NULL, &office, error))
    return FALSE;
  const char *source = in->path ? (in->name ? in->name : in->path) : "command line";
  g_autoptr (CoreProblems) problems = core_problems_new (source);
  g_autoptr (IntakeTable) table = NULL;
  g_autoptr (GPtrArray) samples = NULL, rejected = NULL;
  if (in->path != NULL)
    {
      table = intake_table_read_file (in->path, source, INTAKE_FORMAT_AUTO, intake_sample_schema (),
                                      problems, error);
      if (table == NULL)
        return FALSE;
      samples = intake_samples_from_table (table, problems);
      rejected = rejected_rows (table, samples);
    }
  else
    {
      if (in->field_names != NULL)
        core_problems_rename_columns (problems, in->field_names);
      samples = single_record (in, problems);
    }
  const char *column = table ? intake_table_column (table, INTAKE_SAMPLE_RECORD)
                             : intake_sample_schema ()->fields[INTAKE_SAMPLE_RECORD].key;
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  return tx != NULL
         && db_samples_record (ctx->conn, svc_district (ctx), samples, rejected, problems, column,
                               office, ctx->actor, recorded, error)
         && db_transaction_commit (tx, error);
}

CoreTable *
svc_samples_show (const SvcContext *ctx, const char *record, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_SAMPLES_READ, error))
    return NULL;
  g_auto (DbSampleScope) scope = { 0 };
  g_autoptr (CoreTable) t = db_samples_get (ctx->conn, svc_district (ctx), record, &scope, error);
  if (t == NULL)
    return NULL;
  gboolean visible = core_table_n_rows (t) > 0 && svc_in_office (ctx, scope.office)
                     && (ctx->role != SVC_ROLE_LAB || g_strcmp0 (scope.lab, ctx->lab) == 0);
  if (!visible)
    {
      g_set_error (error, SVC_ERROR, SVC_ERROR_NOT_FOUND, _ ("no sample is recorded for %s"),
                   record);
      return NULL;
    }
  return g_steal_pointer (&t);
}
