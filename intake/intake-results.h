/* intake-results.h: a lab's result file (one row per test item) parsed,
 * checked row by row and grouped into reports, without the database.
 *
 * Columns (any order; Chinese or English names, see intake-results.c for every
 * accepted alias):
 *   sampling_no   抽样单编号   required  the sampling record the report belongs to
 *   report_no     报告编号     required  unique per lab
 *   item          检验项目     required
 *   result        检验结果     required  see intake-value.h
 *   unit          单位         optional  must agree with the units in limit and lod
 *   limit         标准限值     optional  see intake-limit.h; or instead:
 *   limit_min     最小允许限   optional  ≥x, >x or x (inclusive)
 *   limit_max     最大允许限   optional  ≤x, <x or x (inclusive)
 *   lod           检出限       optional  the method's detection limit
 *   item_verdict  单项判定     required  合格/不合格/pass/fail, or / when not judged
 *   conclusion    结论         required  the report's overall conclusion, on every row
 *   test_date     检验日期     required  YYYY-MM-DD (also 2024/03/05, 2024年3月5日)
 *
 * What this module checks: every cell's form, units that contradict each other,
 * one sample per report and one report per sample within the file, one
 * conclusion per report, no item twice in a report, the lab's conclusion against
 * its own item verdicts. What it cannot check (the caller, with the database,
 * adds those problems to the same CoreProblems, using each report's and item's
 * line and intake_result_file_column()): unknown sampling numbers, samples not
 * sent to this lab, tasks not yet sampled, reports already stored. */
#pragma once

#include "intake/intake-table.h"
#include "intake/intake-verdict.h"

G_BEGIN_DECLS

typedef enum
{
  INTAKE_RESULT_SAMPLING_NO,
  INTAKE_RESULT_REPORT_NO,
  INTAKE_RESULT_ITEM,
  INTAKE_RESULT_VALUE,
  INTAKE_RESULT_UNIT,
  INTAKE_RESULT_LIMIT,
  INTAKE_RESULT_LIMIT_MIN,
  INTAKE_RESULT_LIMIT_MAX,
  INTAKE_RESULT_LOD,
  INTAKE_RESULT_ITEM_VERDICT,
  INTAKE_RESULT_CONCLUSION,
  INTAKE_RESULT_TEST_DATE,
  INTAKE_RESULT_N_FIELDS
} IntakeResultField;

/* The column schema of a result file (static; do not free). */
const IntakeSchema *intake_results_schema (void);

typedef struct
{
  guint line;       /* where the row starts */
  char *item;       /* 检验项目 as written */
  char *value_text; /* 检验结果 as written */
  IntakeValue value;
  char *unit; /* the unit column, else the unit written with the value or limit; may be NULL */
  IntakeLimit limit; /* from the limit column or the min/max columns */
  char *limit_text;  /* canonical form (intake_limit_to_string) */
  gboolean has_lod;
  double lod;
  IntakeVerdict lab_verdict; /* 单项判定 */
  IntakeVerdict computed;    /* recomputed from value and limit */
  IntakeVerdict governing;   /* intake_verdict_govern (lab, computed) */
  gboolean review;           /* lab and computation disagree */
  char *reason;              /* why the computation came out as it did */
  GDate test_date;
} IntakeResultItem;

typedef struct
{
  char *report_no;
  char *sampling_no;
  guint line;            /* first row of the report */
  char *conclusion_text; /* 结论 as written on the first row */
  IntakeVerdict lab_conclusion;
  IntakeVerdict computed;  /* from the items' governing verdicts */
  IntakeVerdict governing; /* stricter of lab_conclusion and computed */
  gboolean review;         /* some item disagrees, or the conclusions do */
  GPtrArray *items;        /* IntakeResultItem*, file order; owned */
} IntakeReport;

typedef struct
{
  char *name;         /* file name used in messages */
  char **columns;     /* per IntakeResultField: column name as written, or the key */
  GPtrArray *reports; /* IntakeReport*, in order of first appearance; owned */
  guint n_rows;       /* data rows read */
} IntakeResultFile;

/* Validates @table (read with intake_results_schema()) into reports, adding
 * every problem found to @problems. Always returns a file (free with
 * intake_result_file_free()); it is complete only when @problems stays empty,
 * and the caller must reject the upload otherwise. */
IntakeResultFile *intake_results_from_table (const IntakeTable *table, CoreProblems *problems);

/* Reads and validates in one go. NULL with @error set when the file cannot be
 * read as a table at all; otherwise as intake_results_from_table(). */
IntakeResultFile *intake_results_read_file (const char *path, const char *name, IntakeFormat format,
                                            CoreProblems *problems, GError **error);
IntakeResultFile *intake_results_read_data (const char *data, gsize len, const char *name,
                                            IntakeFormat format, CoreProblems *problems,
                                            GError **error);

/* Adds a problem for every item tested after @today (the import date): a
 * result cannot be dated in the future. */
void intake_results_check_dates (const IntakeResultFile *file, const GDate *today,
                                 CoreProblems *problems);

void intake_result_file_free (IntakeResultFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IntakeResultFile, intake_result_file_free)

/* The column name for messages about @field ("抽样单编号" when the file says so). */
const char *intake_result_file_column (const IntakeResultFile *file, IntakeResultField field);

/* The report numbered @report_no, or NULL. Owned by @file. */
const IntakeReport *intake_result_file_find (const IntakeResultFile *file, const char *report_no);

G_END_DECLS
