/* svc-results.h: a lab's result file imported (or amended), and the reports
 * whose verdicts need a person's look.
 *
 * An import is one transaction: the file is parsed and checked (intake), its
 * reports are staged and checked against the stored tasks, samples and reports
 * (db), and either everything is stored with the cases the verdicts call for
 * (cases opened with their first deadlines counted from ctx->today) or nothing
 * is, with every problem listed (CORE_PROBLEMS_ERROR_REJECTED). A lab actor
 * imports for its own lab only; a coordinator names the lab. */
#pragma once

#include "core/core-table.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

typedef struct
{
  const char *lab;    /* the lab that sends the file; NULL for a lab actor's own */
  gboolean amend;     /* changed results for stored reports become new versions */
  const char *reason; /* why (required with @amend) */
} SvcResultsOptions;

typedef struct
{
  gboolean unchanged; /* nothing stored: the file, or every report in it, is on record */
  gint64 import_id;   /* the new import; with @unchanged, the earlier one (0: none) */
  char *imported_at;  /* with @unchanged and an earlier import: when, "YYYY-MM-DD HH:MM" */
  char *lab;          /* the lab the file was imported for */
  guint rows;         /* data rows in the file */
  guint reports_new;  /* first versions stored */
  guint reports_amended;
  guint reports_same; /* already stored as they are */
  guint review;       /* stored reports flagged for review */
  guint cases_opened, cases_reopened, cases_closed, cases_amended;
  /* Set also when the file is rejected: how many of its reports change a
   * stored report without being sent as an amendment. */
  guint refused_changes;
} SvcResultsSummary;

void svc_results_summary_clear (SvcResultsSummary *summary);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SvcResultsSummary, svc_results_summary_clear)

/* Imports the result file at @path (CSV or JSON; UTF-8 with or without BOM,
 * or GB18030). @name is used in messages (NULL: @path). A file that cannot be
 * read is INTAKE_TABLE_ERROR_READ ("cannot read PATH: why"). Fills @summary
 * (clear it with svc_results_summary_clear()). */
gboolean svc_results_import_file (const SvcContext *ctx, const char *path, const char *name,
                                  const SvcResultsOptions *opts, SvcResultsSummary *summary,
                                  GError **error);

/* Same from memory (@data need not be NUL-terminated). */
gboolean svc_results_import_data (const SvcContext *ctx, const char *data, gsize len,
                                  const char *name, const SvcResultsOptions *opts,
                                  SvcResultsSummary *summary, GError **error);

/* Current reports flagged for review whose flag is not resolved yet, by lab
 * and report number; a lab actor sees its own only. Columns lab, report_no,
 * version, record_no, lab_conclusion, computed, governing, test_date, reason,
 * flagged_items (the flagged items' own computed verdicts), then
 * resolved_verdict, resolved_on, resolved_by, resolution_reason (empty here).
 * Free with core_table_unref(). */
CoreTable *svc_results_review (const SvcContext *ctx, GError **error);

/* The same with the resolved flags too, each with its resolution. */
CoreTable *svc_results_review_all (const SvcContext *ctx, GError **error);

/* The samples sent to a lab still awaiting its results, and the lab's
 * earlier uploads: a lab user's own lab, which other roles with
 * SVC_ACTION_RESULTS_IMPORT must name as @lab (svc_scope_lab). */
CoreTable *svc_results_pending (const SvcContext *ctx, const char *lab, GError **error);
CoreTable *svc_results_uploads (const SvcContext *ctx, const char *lab, GError **error);

/* What a resolution says. Borrowed. */
typedef struct
{
  const char *report_no;
  const char *lab;     /* NULL: the one lab with a current report so numbered */
  gboolean conforming; /* the verdict the bureau adopts: 合格 (TRUE) or 不合格 */
  const char *reason;  /* why, required */
} SvcResultsResolve;

typedef struct
{
  char *lab;
  int version;
  char *previous;        /* the verdict that governed until now */
  guint cases_opened;    /* 1 when a nonconforming resolution opened (or reopened) a case */
  guint cases_withdrawn; /* 1 when a conforming resolution withdrew the open case */
} SvcResultsResolved;

void svc_results_resolved_clear (SvcResultsResolved *out);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SvcResultsResolved, svc_results_resolved_clear)

/* Clears the review flag of the current version of a report, on the record
 * (review_resolution and audit_log: who, when, verdict, reason), in one
 * transaction. The adopted verdict governs the report from then on, in place
 * of the stricter of the lab's and the recomputed one: a nonconforming
 * resolution of a report no case rests on opens a case (dated ctx->today,
 * with its first deadlines), a conforming one of a failing report withdraws
 * its case through the system's withdraw step, as an amendment does; a
 * resolution that keeps the verdict leaves the cases alone. Coordinators only.
 * SVC_ERROR_NOT_FOUND: no current report so numbered (of that lab);
 * SVC_ERROR_INVALID: no reason, or the number is used by several labs and no
 * lab is named; SVC_ERROR_CONFLICT: the report is not flagged, or its flag is
 * resolved already. */
gboolean svc_results_resolve (const SvcContext *ctx, const SvcResultsResolve *what,
                              SvcResultsResolved *out, GError **error);

/* Reads @path whole for an import; INTAKE_TABLE_ERROR_READ "cannot read PATH:
 * why" when it cannot. */
gboolean svc_read_input (const char *path, char **data, gsize *len, GError **error);

G_END_DECLS
