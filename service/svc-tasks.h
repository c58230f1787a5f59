/* svc-tasks.h: drawing tasks and reading them: the monthly draw of the
 * approved plan (双随机), emergency draws from its reserve (应急抽检), their
 * verification (一公开), the offices' lists and what is published.
 *
 * Every draw of a district and year, monthly or emergency, takes the
 * advisory lock ("draw", "DISTRICT:YEAR") before it reads anything, so two
 * draws of the same year never read the year before the other has stored
 * its tasks: the no-repeat rule holds across months however the draws are
 * started, and svc_tasks_verify() checks it against the stored year. */
#pragma once

#include "db/db-tasks.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

#define SVC_TASKS_ERROR (svc_tasks_error_quark ())
GQuark svc_tasks_error_quark (void);

typedef enum
{
  SVC_TASKS_ERROR_NO_PLAN,   /* no approved plan for the year */
  SVC_TASKS_ERROR_DRAWN,     /* the month has a current monthly draw */
  SVC_TASKS_ERROR_SAMPLED,   /* the draw to replace has sampled tasks */
  SVC_TASKS_ERROR_NOT_DRAWN, /* no such draw */
  SVC_TASKS_ERROR_MISMATCH,  /* a re-run does not reproduce the stored draw */
  SVC_TASKS_ERROR_REPEAT,    /* the stored year breaks the no-repeat rule */
  SVC_TASKS_ERROR_RESERVE,   /* an emergency draw needs more than the reserve has left */
  SVC_TASKS_ERROR_SHORT,     /* an emergency draw cannot be filled */
} SvcTasksError;

/* Draws @year-@month of the approved plan with @seed and stores it. A month
 * with a current draw is SVC_TASKS_ERROR_DRAWN unless @replace, which keeps
 * that draw on record as replaced and cancels its tasks (SVC_TASKS_ERROR_SAMPLED,
 * changing nothing, once one is sampled). *@info (free with
 * db_draw_info_free(); ->replaced names the draw replaced) and, when @draw is
 * not NULL, *@draw (sched_draw_free(): its shortfalls) describe what was
 * stored. Coordinators only. */
gboolean svc_tasks_draw (const SvcContext *ctx, int year, int month, guint64 seed, gboolean replace,
                         DbDrawInfo **info, SchedDraw **draw, GError **error);

/* An emergency draw (sched-draw.h steps E0-E4). */
typedef struct
{
  int year;
  int month;
  const char *category;
  guint count;                   /* 0 with @businesses: one task each */
  const char *reason;            /* required: why (recorded) */
  const char *street;            /* NULL: every street of the district */
  const char *const *businesses; /* NULL-terminated credit codes, or NULL: drawn at random */
  const char *over_reserve;      /* NULL: refuse to go beyond the reserve; else why (recorded) */
  guint64 seed;
} SvcEmergencyRequest;

/* Draws @req's tasks at once and stores them as an emergency draw of the
 * month, charged to the approved plan's reserve: refused with
 * SVC_TASKS_ERROR_RESERVE when more than what is left unless
 * @req->over_reserve gives a reason, and with SVC_TASKS_ERROR_SHORT (storing
 * nothing) when not every task can be filled. Output as svc_tasks_draw().
 * Coordinators only. */
gboolean svc_tasks_emergency (const SvcContext *ctx, const SvcEmergencyRequest *req,
                              DbDrawInfo **info, SchedDraw **draw, GError **error);

/* The approved plan's 应急 reserve for @year and how much of it emergency
 * draws took (*@used may exceed *@reserve after draws over it). */
gboolean svc_tasks_reserve (const SvcContext *ctx, int year, gint64 *reserve, gint64 *used,
                            GError **error);

/* Re-runs a stored draw (@draw_no 0: the month's current monthly draw) from
 * its stored input text and seed and checks byte for byte that the input
 * digest, the output digest and the stored rows match
 * (SVC_TASKS_ERROR_MISMATCH naming the first difference); then checks the
 * year's stored tasks for the no-repeat rule (SVC_TASKS_ERROR_REPEAT naming
 * the business and both months). *@info (may be NULL) gets the draw checked. */
gboolean svc_tasks_verify (const SvcContext *ctx, int year, int month, int draw_no,
                           DbDrawInfo **info, GError **error);

/* The month's draws (monthly, replaced and emergency) in the order they
 * were made. GPtrArray of DbDrawInfo*. */
GPtrArray *svc_tasks_draws (const SvcContext *ctx, int year, int month, GError **error);

typedef enum
{
  SVC_TASKS_ONE_TABLE,  /* every column (db_tasks_list()), for CSV and JSON */
  SVC_TASKS_PER_OFFICE, /* one printable table per office, titled, for text and XLSX */
} SvcTasksLayout;

/* The month's task list of its current draws (SVC_TASKS_ERROR_NOT_DRAWN
 * when the month has none, monthly or emergency): @office NULL for every office (an
 * inspector sees its own office only, a lab the tasks sent to it). Free with
 * core_document_free(). */
CoreDocument *svc_tasks_list (const SvcContext *ctx, int year, int month, const char *office,
                              SvcTasksLayout layout, GError **error);

/* What is published with a draw (@draw_no 0: the current monthly one): its
 * header, its input text and its list as sched_draw_serialize() writes it
 * (free both with g_free()). */
gboolean svc_tasks_export (const SvcContext *ctx, int year, int month, int draw_no,
                           DbDrawInfo **info, char **input_text, char **draw_text, GError **error);

/* Re-runs a published draw from its input text and seed alone, with no
 * database (@calendar only for due dates in working days): returns the list
 * (free with g_free()) and the two digests. */
char *svc_tasks_rerun (const char *input_text, guint64 seed, const CoreCalendar *calendar,
                       char **input_digest, char **output_digest, GError **error);

G_END_DECLS
