/* db-results.h: lab result files into PostgreSQL, whole or not at all.
 *
 * An import parses and checks the file (intake-results.h: every cell, units,
 * one sample per report), loads its reports through COPY into a temporary
 * staging table, checks them against the tasks, samples and reports already
 * stored with set-based queries, then inserts the reports, COPYs their items
 * straight into result_item (they need no check against stored data), opens,
 * closes or reopens the cases the verdicts call for (db-cases.h) and records
 * the import, in one transaction. Any problem rejects the whole file with every
 * problem listed (FILE:LINE: column: value: why) and stores nothing. */
#pragma once

#include "cases/cases-deadline.h"
#include "intake/intake-results.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

#define DB_RESULTS_ERROR (db_results_error_quark ())
GQuark db_results_error_quark (void);

typedef enum
{
  DB_RESULTS_ERROR_UNKNOWN_LAB, /* --lab names no lab of the district */
  DB_RESULTS_ERROR_NO_REASON,   /* an amendment without a reason */
} DbResultsError;

/* What an import needs besides the file. All borrowed. */
typedef struct
{
  const char *district;
  const char *lab;                 /* the lab sending the file (lab.code) */
  const char *actor;               /* recorded on the import, the reports and case events */
  gboolean amend;                  /* changed results for stored reports become new versions */
  const char *reason;              /* why (required with @amend) */
  GDate today;                     /* the import date: cases open on it, deadlines count from it */
  const CasesDeadlines *deadlines; /* config/deadlines.conf */
  const CoreCalendar *calendar;
} DbResultsImport;

typedef struct
{
  gboolean unchanged; /* nothing stored: the file, or every report in it, is on record */
  gint64 import_id;   /* the new import; with @unchanged, the earlier one (0: none) */
  char *imported_at;  /* with @unchanged and an earlier import: when, "YYYY-MM-DD HH:MM" */
  guint rows;         /* data rows in the file */
  guint reports_new;  /* first versions stored */
  guint reports_amended;
  guint reports_same; /* already stored as they are */
  guint review;       /* stored reports flagged for review */
  guint cases_opened, cases_reopened, cases_closed, cases_amended;
} DbResultsSummary;

void db_results_summary_clear (DbResultsSummary *summary);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DbResultsSummary, db_results_summary_clear)

/* Imports the result file at @path (CSV or JSON, UTF-8 with or without BOM, or
 * GB18030). @name is used in messages (NULL: @path). On rejection returns FALSE
 * with CORE_PROBLEMS_ERROR_REJECTED listing every problem; nothing is stored.
 * Fills @summary (clear it with db_results_summary_clear()). */
gboolean db_results_import_file (PGconn *conn, const DbResultsImport *opts, const char *path,
                                 const char *name, DbResultsSummary *summary, GError **error);

/* Same from memory (@data need not be NUL-terminated). */
gboolean db_results_import_data (PGconn *conn, const DbResultsImport *opts, const char *data,
                                 gsize len, const char *name, DbResultsSummary *summary,
                                 GError **error);

/* A current report flagged for review: the lab's and spotcheck's verdicts disagree. */
typedef struct
{
  char *lab;
  char *report_no;
  int version;
  char *record_no;
  char *lab_conclusion; /* verdict names, see intake_verdict_name() */
  char *computed;
  char *governing;
  char *reason;
  char *test_date;
} DbResultsReview;

void db_results_review_free (DbResultsReview *review);

/* Current reports flagged for review, by lab and report number. GPtrArray of
 * DbResultsReview* (owned, free with g_ptr_array_unref()). */
GPtrArray *db_results_review_list (PGconn *conn, const char *district, GError **error);

G_END_DECLS
