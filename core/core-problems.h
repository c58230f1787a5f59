/* core-problems.h: the list of every problem found in an uploaded file, so that
 * a file is rejected whole with each problem named by line, column and value. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CORE_PROBLEMS_ERROR (core_problems_error_quark ())
GQuark core_problems_error_quark (void);

typedef enum
{
  CORE_PROBLEMS_ERROR_REJECTED, /* the file has problems; the message lists them all */
} CoreProblemsError;

typedef struct
{
  guint line;   /* physical line (1-based) where the record starts; 0 = the whole file */
  char *column; /* column name as the file writes it, or NULL */
  char *value;  /* the offending value, or NULL */
  char *why;    /* what is wrong and what to do */
} CoreProblem;

typedef struct CoreProblems CoreProblems;

/* @file is the name printed in front of every problem (usually the path the
 * user gave). Free with core_problems_free(). */
CoreProblems *core_problems_new (const char *file);
void core_problems_free (CoreProblems *problems);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoreProblems, core_problems_free)

const char *core_problems_file (const CoreProblems *problems);

/* Records a problem. @column and @value may be NULL; the strings are copied.
 * Safe to call from any validation pass, in any line order. */
void core_problems_add (CoreProblems *problems, guint line, const char *column, const char *value,
                        const char *why_fmt, ...) G_GNUC_PRINTF (5, 6);

/* Problems added later under one of the column keys in @pairs (key, name,
 * key, name, …, NULL) are named by the paired name instead: a record given
 * as command-line options names the option ("--sampling-date"), which the
 * formatted line calls "option" rather than "column". */
void core_problems_rename_columns (CoreProblems *problems, const char *const *pairs);

/* Problems added later on a line (> 0) under @column, as the file names it,
 * also name the cell as a spreadsheet does, @letters and the line: a workbook's
 * problems read `column 检验结果 (D17)`. */
void core_problems_set_sheet_column (CoreProblems *problems, const char *column,
                                     const char *letters);

guint core_problems_count (const CoreProblems *problems);

/* The @index-th problem in the order added. Owned by @problems. */
const CoreProblem *core_problems_get (const CoreProblems *problems, guint index);

/* TRUE when some problem's why contains @needle (for tests and callers that
 * branch on a kind of problem). */
gboolean core_problems_contain (const CoreProblems *problems, const char *needle);

/* All problems sorted by line (stable), one per line:
 *   FILE:LINE: column COL: value "V": why
 * with "column …" and "value …" left out when unknown, LINE left out for
 * file-level problems, and control characters and quotes in V escaped. Long values
 * are cut at 60 characters. Free with g_free(). */
char *core_problems_format (const CoreProblems *problems);

/* TRUE when there is no problem; otherwise sets CORE_PROBLEMS_ERROR_REJECTED
 * whose message counts the problems and lists them all, and returns FALSE. */
gboolean core_problems_check (const CoreProblems *problems, GError **error);

/* The problems a CORE_PROBLEMS_ERROR_REJECTED error carries (CoreProblem*,
 * sorted as core_problems_format() lists them), or NULL for any other error.
 * Owned by @error. */
const GPtrArray *core_problems_error_list (const GError *error);

G_END_DECLS
