/* intake-sample.h: rows of a sampling-record upload (抽样单, what was taken for
 * each task) checked into structs, every problem listed, without the database.
 *
 * Columns (Chinese or English names; * = required):
 *   record 抽样单编号*, sample_name 样品名称*, batch 批号 (batch number or
 *   production date as labelled), production_date 生产日期 (YYYY-MM-DD),
 *   specification 规格型号, quantity 抽样数量*, sampling_date 抽样日期*
 *   (YYYY-MM-DD), producer 标称生产企业 (labelled producer).
 * Whether the record names a live, unsampled task is for the caller to check
 * against the database. */
#pragma once

#include "intake/intake-table.h"

G_BEGIN_DECLS

typedef enum
{
  INTAKE_SAMPLE_RECORD,
  INTAKE_SAMPLE_NAME,
  INTAKE_SAMPLE_BATCH,
  INTAKE_SAMPLE_PRODUCTION_DATE,
  INTAKE_SAMPLE_SPECIFICATION,
  INTAKE_SAMPLE_QUANTITY,
  INTAKE_SAMPLE_SAMPLING_DATE,
  INTAKE_SAMPLE_PRODUCER,
  INTAKE_SAMPLE_N_FIELDS
} IntakeSampleField;

typedef struct
{
  guint line;
  char *record; /* 抽样单编号 */
  char *sample_name;
  char *batch;           /* NULL when not given */
  char *production_date; /* YYYY-MM-DD or NULL */
  char *specification;   /* NULL when not given */
  char *quantity;
  char *sampling_date; /* YYYY-MM-DD */
  char *producer;      /* NULL when not given */
} IntakeSample;

/* The schema for intake_table_read_*() (static; do not free). */
const IntakeSchema *intake_sample_schema (void);

/* A new sample with the given fields (copied; optional ones may be NULL), for
 * records entered one at a time. Free with intake_sample_free(). */
IntakeSample *intake_sample_new (const char *record, const char *sample_name, const char *batch,
                                 const char *production_date, const char *specification,
                                 const char *quantity, const char *sampling_date,
                                 const char *producer);
void intake_sample_free (IntakeSample *sample);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IntakeSample, intake_sample_free)

/* The rows that passed (free with g_ptr_array_unref()); every problem goes
 * into @problems. A record number given twice is a problem. A production date
 * after the sampling date is a problem. */
GPtrArray *intake_samples_from_table (const IntakeTable *table, CoreProblems *problems);

/* Checks a sample entered one at a time (line 0) the same way. */
gboolean intake_sample_check (const IntakeSample *sample, CoreProblems *problems);

G_END_DECLS
