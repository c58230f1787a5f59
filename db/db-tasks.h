/* db-tasks.h: monthly draws in PostgreSQL: load a month's inputs (approved
 * plan, directories, what was drawn this year), run and store the draw with
 * its seed and digests in one transaction, re-run it to verify (一公开), and
 * list the tasks for the offices. */
#pragma once

#include "scheduler/sched-draw.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

#define DB_TASKS_ERROR (db_tasks_error_quark ())
GQuark db_tasks_error_quark (void);

typedef enum
{
  DB_TASKS_ERROR_NO_PLAN,   /* no approved plan for the year */
  DB_TASKS_ERROR_EXISTS,    /* the month is drawn already (use replace) */
  DB_TASKS_ERROR_SAMPLED,   /* the draw to replace has sampled tasks */
  DB_TASKS_ERROR_NOT_FOUND, /* no draw for that month */
  DB_TASKS_ERROR_MISMATCH,  /* a re-run does not reproduce the stored draw */
} DbTasksError;

/* What the draw needs besides the database; all borrowed. */
typedef struct
{
  const CoreCatalog *catalog;   /* district, offices and the streets they cover */
  const CoreConfig *config;     /* the [draw] group */
  const CoreCalendar *calendar; /* for due dates in working days */
  GDate draw_date;              /* today, for due dates in working days */
  const char *actor;            /* recorded as created_by and in audit_log */
} DbDrawContext;

/* A stored draw. */
typedef struct
{
  int year;
  int month;
  int draw_no;
  int plan_version;
  guint64 seed;
  char *algorithm;
  char *input_digest;
  char *output_digest;
  char *status; /* current, replaced */
  int tasks;
  int shortfall;
  char *created_at;
  char *created_by;
  int replaced; /* with db_tasks_generate(): the draw it replaced, else 0 */
} DbDrawInfo;

void db_draw_info_free (DbDrawInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbDrawInfo, db_draw_info_free)

/* The month's draw input from the database (see sched-draw.h): the approved
 * plan's cells for @month (DB_TASKS_ERROR_NO_PLAN naming the fix when there is
 * none), every business with its last-drawn key from this year's live tasks,
 * inspectors with conflicts, active labs with the load live tasks of the month
 * already put on them, the catalog's offices, and the [draw] rules.
 * *@plan_version receives the approved version. Free with sched_draw_input_free(). */
SchedDrawInput *db_tasks_load_input (PGconn *conn, const DbDrawContext *ctx, int year, int month,
                                     guint64 seed, int *plan_version, GError **error);

/* Draws @year-@month with @seed and stores the draw (seed, algorithm, input
 * text and digest, output digest), its tasks and its shortfalls in one
 * transaction. A month with a current draw is DB_TASKS_ERROR_EXISTS unless
 * @replace, which marks that draw 'replaced' and cancels its tasks first
 * (DB_TASKS_ERROR_SAMPLED, changing nothing, when some are sampled), so the
 * new draw is made as if they had never been. On success *@info (free with
 * db_draw_info_free()) and, when @draw is not NULL, *@draw (sched_draw_free())
 * describe what was stored. */
gboolean db_tasks_generate (PGconn *conn, const DbDrawContext *ctx, int year, int month,
                            guint64 seed, gboolean replace, DbDrawInfo **info, SchedDraw **draw,
                            GError **error);

/* The current draw of the month (@draw_no 0) or the numbered one. */
DbDrawInfo *db_tasks_draw_get (PGconn *conn, const char *district, int year, int month, int draw_no,
                               GError **error);

/* Re-runs a stored draw (@draw_no 0: the current one) from its stored input
 * text and seed and checks, byte for byte: the text reads back to itself, its
 * SHA-256 is the stored input digest, the re-run's serialisation has the
 * stored output digest, and equals the serialisation of the stored task and
 * shortfall rows. DB_TASKS_ERROR_MISMATCH names the first difference.
 * *@info (may be NULL) receives the draw checked. */
gboolean db_tasks_verify (PGconn *conn, const char *district, const CoreCalendar *calendar,
                          int year, int month, int draw_no, DbDrawInfo **info, GError **error);

/* The stored draw's serialisation (sched_draw_serialize() form) rebuilt
 * from its rows, as an outsider re-running it should get. Free with g_free(). */
char *db_tasks_draw_text (PGconn *conn, const char *district, const DbDrawInfo *info,
                          GError **error);

/* The month's live tasks of the current draw, by office then serial (free with
 * PQclear). Columns: office, office_name, record_no, business, uscc, address,
 * street_name, category, category_name, grade, inspector1, inspector2, lab,
 * lab_name, due_date, status. @office NULL: every office. */
PGresult *db_tasks_list (PGconn *conn, const char *district, int year, int month,
                         const char *office, GError **error);

G_END_DECLS
