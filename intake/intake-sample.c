/* intake-sample.c: the sampling-record upload: required fields, dates, one
 * row per record number. */
#include "intake/intake-sample.h"

#include "core/core-calendar.h"

#include <string.h>
#include "core/core-i18n.h"

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const IntakeField SAMPLE_FIELDS[INTAKE_SAMPLE_N_FIELDS] = {
  [INTAKE_SAMPLE_RECORD]
  = { "record",
      A ("抽样单编号", "抽样编号", "record no", "record number", "record_no", "sampling number"),
      TRUE },
  [INTAKE_SAMPLE_NAME] = { "sample_name", A ("样品名称", "sample", "name", "样品"), TRUE },
  [INTAKE_SAMPLE_BATCH] = { "batch", A ("批号", "生产批号", "batch number", "batch no"), FALSE },
  [INTAKE_SAMPLE_PRODUCTION_DATE]
  = { "production_date", A ("生产日期", "生产/加工/购进日期", "production date"), FALSE },
  [INTAKE_SAMPLE_SPECIFICATION]
  = { "specification", A ("规格型号", "规格", "specification", "spec"), FALSE },
  [INTAKE_SAMPLE_QUANTITY] = { "quantity", A ("抽样数量", "数量", "quantity"), TRUE },
  [INTAKE_SAMPLE_SAMPLING_DATE]
  = { "sampling_date", A ("抽样日期", "sampling date", "date"), TRUE },
  [INTAKE_SAMPLE_PRODUCER] = { "producer",
                               A ("标称生产企业", "标称生产企业名称", "生产企业",
                                  "labelled producer", "labeled producer", "manufacturer"),
                               FALSE },
};
static const IntakeSchema SAMPLE_SCHEMA = { SAMPLE_FIELDS, INTAKE_SAMPLE_N_FIELDS, FALSE };

#define MAX_CHARS 200

const IntakeSchema *
intake_sample_schema (void)
{
  return &SAMPLE_SCHEMA;
}

static char *
dup_or_null (const char *s)
{
  return s != NULL && *s != '\0' ? g_strdup (s) : NULL;
}

IntakeSample *
intake_sample_new (const char *record, const char *sample_name, const char *batch,
                   const char *production_date, const char *specification, const char *quantity,
                   const char *sampling_date, const char *producer)
{
  IntakeSample *s = g_new0 (IntakeSample, 1);
  s->record = g_strdup (record ? record : "");
  s->sample_name = g_strdup (sample_name ? sample_name : "");
  s->batch = dup_or_null (batch);
  s->production_date = dup_or_null (production_date);
  s->specification = dup_or_null (specification);
  s->quantity = g_strdup (quantity ? quantity : "");
  s->sampling_date = g_strdup (sampling_date ? sampling_date : "");
  s->producer = dup_or_null (producer);
  return s;
}

void
intake_sample_free (IntakeSample *s)
{
  if (s == NULL)
    return;
  g_free (s->record);
  g_free (s->sample_name);
  g_free (s->batch);
  g_free (s->production_date);
  g_free (s->specification);
  g_free (s->quantity);
  g_free (s->sampling_date);
  g_free (s->producer);
  g_free (s);
}

static gboolean
check_text (const IntakeTable *table, guint line, guint field, const char *v, gboolean required,
            CoreProblems *problems)
{
  if (v == NULL || *v == '\0')
    {
      if (required)
        intake_table_problem (problems, table, &SAMPLE_SCHEMA, line, field, NULL,
                              _ ("missing; this column is required"));
      return !required;
    }
  if ((guint)g_utf8_strlen (v, -1) > MAX_CHARS)
    {
      intake_table_problem (problems, table, &SAMPLE_SCHEMA, line, field, v,
                            _ ("longer than %u characters"), MAX_CHARS);
      return FALSE;
    }
  for (const char *p = v; *p; p++)
    if (g_ascii_iscntrl (*p))
      {
        intake_table_problem (problems, table, &SAMPLE_SCHEMA, line, field, v,
                              _ ("holds a line break or control character"));
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_date (const IntakeTable *table, guint line, guint field, const char *v, GDate *out,
            CoreProblems *problems)
{
  if (v == NULL || *v == '\0')
    return TRUE;
  if (core_date_parse (v, out))
    return TRUE;
  intake_table_problem (problems, table, &SAMPLE_SCHEMA, line, field, v,
                        _ ("not a date; write it as YYYY-MM-DD, e.g. 2024-03-15"));
  return FALSE;
}

static gboolean
check (const IntakeTable *table, const IntakeSample *s, CoreProblems *problems)
{
  guint line = s->line;
  gboolean ok = check_text (table, line, INTAKE_SAMPLE_RECORD, s->record, TRUE, problems);
  ok &= check_text (table, line, INTAKE_SAMPLE_NAME, s->sample_name, TRUE, problems);
  ok &= check_text (table, line, INTAKE_SAMPLE_BATCH, s->batch, FALSE, problems);
  ok &= check_text (table, line, INTAKE_SAMPLE_SPECIFICATION, s->specification, FALSE, problems);
  ok &= check_text (table, line, INTAKE_SAMPLE_QUANTITY, s->quantity, TRUE, problems);
  ok &= check_text (table, line, INTAKE_SAMPLE_PRODUCER, s->producer, FALSE, problems);
  GDate made, taken;
  g_date_clear (&made, 1);
  g_date_clear (&taken, 1);
  if (s->sampling_date == NULL || *s->sampling_date == '\0')
    ok &= check_text (table, line, INTAKE_SAMPLE_SAMPLING_DATE, s->sampling_date, TRUE, problems);
  else
    ok &= check_date (table, line, INTAKE_SAMPLE_SAMPLING_DATE, s->sampling_date, &taken, problems);
  ok &= check_date (table, line, INTAKE_SAMPLE_PRODUCTION_DATE, s->production_date, &made,
                    problems);
  if (g_date_valid (&made) && g_date_valid (&taken) && g_date_compare (&made, &taken) > 0)
    {
      intake_table_problem (problems, table, &SAMPLE_SCHEMA, line, INTAKE_SAMPLE_PRODUCTION_DATE,
                            s->production_date, _ ("later than the sampling date %s"),
                            s->sampling_date);
      ok = FALSE;
    }
  return ok;
}

gboolean
intake_sample_check (const IntakeSample *sample, CoreProblems *problems)
{
  return check (NULL, sample, problems);
}

GPtrArray *
intake_samples_from_table (const IntakeTable *table, CoreProblems *problems)
{
  g_return_val_if_fail (table->schema == &SAMPLE_SCHEMA, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)intake_sample_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < table->rows->len; i++)
    {
      const IntakeRow *row = g_ptr_array_index (table->rows, i);
      g_autoptr (IntakeSample) s = intake_sample_new (
          intake_row_get (row, INTAKE_SAMPLE_RECORD), intake_row_get (row, INTAKE_SAMPLE_NAME),
          intake_row_get (row, INTAKE_SAMPLE_BATCH),
          intake_row_get (row, INTAKE_SAMPLE_PRODUCTION_DATE),
          intake_row_get (row, INTAKE_SAMPLE_SPECIFICATION),
          intake_row_get (row, INTAKE_SAMPLE_QUANTITY),
          intake_row_get (row, INTAKE_SAMPLE_SAMPLING_DATE),
          intake_row_get (row, INTAKE_SAMPLE_PRODUCER));
      s->line = row->line;
      if (!check (table, s, problems))
        continue;
      gpointer first = g_hash_table_lookup (seen, s->record);
      if (first != NULL)
        {
          intake_table_problem (problems, table, &SAMPLE_SCHEMA, s->line, INTAKE_SAMPLE_RECORD,
                                s->record,
                                _ ("the same record number is already on line %u; a task is "
                                   "sampled once"),
                                GPOINTER_TO_UINT (first));
          continue;
        }
      g_hash_table_insert (seen, g_strdup (s->record), GUINT_TO_POINTER (s->line));
      g_ptr_array_add (out, g_steal_pointer (&s));
    }
  return out;
}
