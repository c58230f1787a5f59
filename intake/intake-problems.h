/* intake-problems.h: the list of every problem found in an uploaded file, so that
 * a file is rejected whole with each problem named by line, column and value. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define INTAKE_PROBLEMS_ERROR (intake_problems_error_quark ())
GQuark intake_problems_error_quark (void);

typedef enum
{
  INTAKE_PROBLEMS_ERROR_REJECTED, /* the file has problems; the message lists them all */
} IntakeProblemsError;

typedef struct
{
  guint line;   /* physical line (1-based) where the record starts; 0 = the whole file */
  char *column; /* column name as the file writes it, or NULL */
  char *value;  /* the offending value, or NULL */
  char *why;    /* what is wrong and what to do */
} IntakeProblem;

typedef struct IntakeProblems IntakeProblems;

/* @file is the name printed in front of every problem (usually the path the
 * user gave). Free with intake_problems_free(). */
IntakeProblems *intake_problems_new (const char *file);
void intake_problems_free (IntakeProblems *problems);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IntakeProblems, intake_problems_free)

const char *intake_problems_file (const IntakeProblems *problems);

/* Records a problem. @column and @value may be NULL; the strings are copied.
 * Safe to call from any validation pass, in any line order. */
void intake_problems_add (IntakeProblems *problems, guint line, const char *column,
                          const char *value, const char *why_fmt, ...) G_GNUC_PRINTF (5, 6);

guint intake_problems_count (const IntakeProblems *problems);

/* The @index-th problem in the order added. Owned by @problems. */
const IntakeProblem *intake_problems_get (const IntakeProblems *problems, guint index);

/* TRUE when some problem's why contains @needle (for tests and callers that
 * branch on a kind of problem). */
gboolean intake_problems_contain (const IntakeProblems *problems, const char *needle);

/* All problems sorted by line (stable), one per line:
 *   FILE:LINE: column COL: value "V": why
 * with "column …" and "value …" left out when unknown, LINE left out for
 * file-level problems, and control characters and quotes in V escaped. Long values
 * are cut at 60 characters. Free with g_free(). */
char *intake_problems_format (const IntakeProblems *problems);

/* TRUE when there is no problem; otherwise sets INTAKE_PROBLEMS_ERROR_REJECTED
 * whose message counts the problems and lists them all, and returns FALSE. */
gboolean intake_problems_check (const IntakeProblems *problems, GError **error);

G_END_DECLS
