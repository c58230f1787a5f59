/* db-results.h: storing lab result files, whole or not at all.
 *
 * The service (service/svc-results.c) parses and checks the file (intake),
 * opens the transaction and hands this module the reports to store: they are
 * COPYed into a temporary staging table, compared with the reports already
 * stored and checked against the tasks and samples with set-based queries
 * (problems come back as rows for the service to list); then the reports are
 * inserted and their items COPYed straight into result_item. Every function
 * here runs inside the caller's transaction. */
#pragma once

#include "core/core-table.h"
#include "intake/intake-results.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

#define DB_RESULTS_ERROR (db_results_error_quark ())
GQuark db_results_error_quark (void);

typedef enum
{
  DB_RESULTS_ERROR_UNKNOWN_LAB, /* the lab is not in the district's lab directory */
} DbResultsError;

/* Serialises imports of one lab until the transaction ends (so that two files
 * naming the same report cannot both pass the checks) and checks that the lab
 * exists (DB_RESULTS_ERROR_UNKNOWN_LAB otherwise). */
gboolean db_results_lock_lab (PGconn *conn, const char *district, const char *lab, GError **error);

/* An earlier import of the same bytes from the same lab whose reports are all
 * still current (no amendment of the lab has been stored since): *@id is 0
 * when there is none; else *@at is when ("YYYY-MM-DD HH:MM", free it). */
gboolean db_results_find_earlier (PGconn *conn, const char *district, const char *lab,
                                  const char *sha256, gint64 *id, char **at, GError **error);

/* One report to stage, as the service computed it. Borrowed for one call. */
typedef struct
{
  guint line;
  const char *report_no;
  const char *record_no;
  const char *conclusion_text;
  IntakeVerdict lab_conclusion, computed, governing;
  const char *review_reason; /* NULL: no review */
  GDate test_date;           /* the latest of its items */
  GDate first_date;          /* the earliest of its items ... */
  guint first_line;          /* ... and the line of that item */
  guint items;
  const char *digest;        /* SHA-256 of the report's content (hex) */
  const char *const *failed; /* items whose governing verdict fails; NULL-terminated */
} DbResultsReport;

/* Fills *@report with the next report and returns TRUE; FALSE at the end. */
typedef gboolean (*DbResultsNextFunc) (gpointer data, DbResultsReport *report);

/* Creates the staging table, COPYs every report @next gives into it (in
 * chunks, as they come) and compares them with the stored reports of @lab:
 * each becomes new, an amendment of the current version, or the same. */
gboolean db_results_stage (PGconn *conn, const char *district, const char *lab,
                           DbResultsNextFunc next, gpointer data, GError **error);

/* What the stored data says against the staged reports. */
typedef enum
{
  DB_RESULTS_AT_SAMPLING_NO,
  DB_RESULTS_AT_REPORT_NO,
  DB_RESULTS_AT_TEST_DATE,
} DbResultsAt;

typedef struct
{
  guint line;
  DbResultsAt at;  /* which column the problem is about */
  gboolean change; /* changed results for a stored report, sent without amending */
  char *value;
  char *why;
} DbResultsProblem;

/* Every problem with the staged reports: unknown sampling numbers, samples of
 * another lab or not yet sampled, tests dated before the sampling, reports
 * stored for another sample or another report for the sample, and (unless
 * @amend) changed results for stored reports. GPtrArray of DbResultsProblem*
 * by line (owned). */
GPtrArray *db_results_check (PGconn *conn, const char *district, const char *lab, gboolean amend,
                             GError **error);

typedef struct
{
  guint reports_new, reports_amended, reports_same;
  guint review;  /* stored reports flagged for review */
  guint failing; /* reports being stored whose governing verdict fails */
} DbResultsCounts;

gboolean db_results_count (PGconn *conn, DbResultsCounts *out, GError **error);

/* What the import record says. All borrowed. */
typedef struct
{
  const char *district;
  const char *lab;
  const char *actor;
  const char *file_name;
  const char *sha256;
  guint rows;
  const char *reason; /* amendments: why; else NULL */
} DbResultsImport;

/* Records the import, stores the staged new and amended reports under it and
 * COPYs their items from @file. *@import_id is the new import's id. */
gboolean db_results_store (PGconn *conn, const DbResultsImport *import,
                           const IntakeResultFile *file, gint64 *import_id, GError **error);

/* The audit record of a stored import. */
gboolean db_results_audit (PGconn *conn, const DbResultsImport *import, gint64 import_id,
                           guint n_new, guint n_amended, guint n_cases, GError **error);

/* A current report flagged for review: the lab's and spotcheck's verdicts
 * disagree. */
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
  char *flagged; /* the flagged items' computed verdicts, "ITEM VERDICT; ..." */
  /* The resolution (all NULL while unresolved). */
  char *resolved_verdict; /* "pass" or "fail": the verdict the bureau adopted */
  char *resolved_on;
  char *resolved_by;
  char *resolution_reason;
} DbResultsReview;

void db_results_review_free (DbResultsReview *review);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbResultsReview, db_results_review_free)

/* The samples sent to @lab that have no current report yet, by sampling
 * date; and @lab's uploads, newest first (db-results-lab.c). */
CoreTable *db_results_pending (PGconn *conn, const char *district, const char *lab, GError **error);
CoreTable *db_results_uploads (PGconn *conn, const char *district, const char *lab, GError **error);

/* Current reports flagged for review, by lab and report number; of @lab only
 * unless NULL; unresolved ones only unless @all. GPtrArray of
 * DbResultsReview* (owned). (db-results-review.c) */
GPtrArray *db_results_review_list (PGconn *conn, const char *district, const char *lab,
                                   gboolean all, GError **error);

/* The current reports numbered @report_no (of @lab only unless NULL),
 * row-locked until the transaction ends so that two resolutions of one flag
 * cannot both pass: DbResultsReview* with the flag's state (review_reason NULL
 * when the report is not flagged). Usually none or one; one per lab when labs
 * share a number. */
GPtrArray *db_results_flag_find (PGconn *conn, const char *district, const char *lab,
                                 const char *report_no, GError **error);

/* What a resolution records. Borrowed. */
typedef struct
{
  const char *district;
  const char *lab;
  const char *report_no;
  int version;
  const char *verdict; /* "pass" or "fail" */
  const char *reason;
  const char *actor;
  const GDate *on;
} DbResultsResolution;

/* Stores the resolution (*@stored FALSE, and nothing done, when the version
 * has one already: another resolution committed first) and, when the adopted
 * verdict changes whether the report fails (@was_failing is the verdict that
 * governed until now), stages the report as stage_report would hold an
 * amendment with that verdict, so that db_cases_apply_results() opens,
 * reopens or withdraws its case the way an amendment does. *@staged says
 * whether it did. */
gboolean db_results_resolve (PGconn *conn, const DbResultsResolution *r, gboolean was_failing,
                             gboolean *stored, gboolean *staged, GError **error);

/* The audit record of a resolution, with what it did to the cases. */
gboolean db_results_resolve_audit (PGconn *conn, const DbResultsResolution *r, const char *previous,
                                   guint cases_opened, guint cases_withdrawn, GError **error);

G_END_DECLS
