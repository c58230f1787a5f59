/* db-tasks.h: monthly and emergency draws in PostgreSQL. db/ reads what a
 * draw needs (the approved plan's cells, the directories, what this year's
 * draws took) into the scheduler's input, stores the draw the service hands
 * it (seed, input text and digests, tasks, shortfalls), and reads draws back
 * as typed rows: their headers, their rows, the offices' list, the year's
 * tasks for the no-repeat check and the reserve used. It never runs the draw
 * and opens no transaction: every function runs inside the caller's
 * (service/svc-tasks.c). */
#pragma once

#include "core/core-table.h"
#include "scheduler/sched-draw.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

typedef enum
{
  DB_DRAW_ROUTINE,   /* the monthly draw of the plan's cells */
  DB_DRAW_EMERGENCY, /* 应急抽检, charged to the plan's reserve */
} DbDrawKind;

/* "routine" / "emergency", as stored. */
const char *db_draw_kind_name (DbDrawKind kind);

/* A stored draw's header. */
typedef struct
{
  int year;
  int month;
  int draw_no;
  DbDrawKind kind;
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
  gint64 seq;      /* the order draws of the district were made in */
  int replaced_by; /* 0, or the month's draw that replaced this one */
  /* Emergency draws: the category, the reason, and the reason for going over
   * the reserve (NULL when it stayed within). */
  char *category;
  char *reason;
  char *over_reserve_reason;
  int replaced; /* filled by the service after a draw: the draw it replaced, else 0 */
} DbDrawInfo;

void db_draw_info_free (DbDrawInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbDrawInfo, db_draw_info_free)

/* The approved plan of @year: *@version (0 when no version is approved) and
 * its 应急 *@reserve. */
gboolean db_tasks_plan (PGconn *conn, const char *district, int year, int *version, gint64 *reserve,
                        GError **error);

/* Adds the cells of @month of plan @version to @input. */
gboolean db_tasks_add_cells (PGconn *conn, const char *district, int year, int version, int month,
                             SchedDrawInput *input, GError **error);

/* Adds every business (with its last-drawn key from this year's live tasks),
 * inspector (with conflicts) and active lab (with the load the month's live
 * tasks already put on it) to @input. */
gboolean db_tasks_add_directories (PGconn *conn, const char *district, int year, int month,
                                   SchedDrawInput *input, GError **error);

/* The month's current monthly draw, locked for update: *@current (NULL when
 * the month has none), how many of its tasks are sampled and the first such
 * record number (free with g_free(); NULL when none). */
gboolean db_tasks_current (PGconn *conn, const char *district, int year, int month,
                           DbDrawInfo **current, int *sampled, char **first_sampled,
                           GError **error);

/* The next emergency serial of the month (SCHED_EMERGENCY_FIRST_SERIAL when
 * the month has no emergency task yet). */
gboolean db_tasks_next_emergency_serial (PGconn *conn, const char *district, int year, int month,
                                         guint *serial, GError **error);

/* What the service hands db_tasks_store(); all borrowed. */
typedef struct
{
  DbDrawKind kind;
  int year;
  int month;
  int plan_version;
  const char *input_text; /* the canonical input the draw ran on */
  const SchedDraw *draw;
  const char *output_digest; /* SHA-256 of sched_draw_serialize (draw) */
  const char *actor;
  const char *category;            /* emergency */
  const char *reason;              /* emergency */
  const char *over_reserve_reason; /* emergency beyond the reserve, else NULL */
} DbDrawStore;

/* Marks the month's draw @draw_no replaced by the month's next draw number
 * (the one db_tasks_store() gives next) and cancels its tasks, so that the
 * input read next sees the year as if they had never been. */
gboolean db_tasks_retire (PGconn *conn, const char *district, int year, int month, int draw_no,
                          GError **error);

/* Stores a draw as the month's next draw number (*@draw_no), its tasks
 * (COPY) and shortfalls. */
gboolean db_tasks_store (PGconn *conn, const char *district, const DbDrawStore *what, int *draw_no,
                         GError **error);

/* The month's draw @draw_no, or its current monthly draw when @draw_no is 0:
 * *@info (NULL when there is none). */
gboolean db_tasks_draw_get (PGconn *conn, const char *district, int year, int month, int draw_no,
                            DbDrawInfo **info, GError **error);

/* Every draw of @year (@month 0) or of one month, in the order they were
 * made. GPtrArray of DbDrawInfo*. */
GPtrArray *db_tasks_draws (PGconn *conn, const char *district, int year, int month, GError **error);

/* The stored input text of a draw. Free with g_free(). */
char *db_tasks_draw_input (PGconn *conn, const char *district, const DbDrawInfo *info,
                           GError **error);

/* The draw as its rows hold it: tasks in serial order, shortfalls in cell
 * order, header from @info, so that sched_draw_serialize() gives what a
 * re-run should. Free with sched_draw_free(). */
SchedDraw *db_tasks_draw_rows (PGconn *conn, const char *district, const DbDrawInfo *info,
                               GError **error);

/* The month's live tasks of its current draws (monthly and emergency), by
 * office then serial, for the offices. Columns (keys): office, office_name,
 * record_no, business, uscc, address, street (its name), category,
 * category_name, grade, inspector1, inspector2 (names), lab, lab_name,
 * due_date, status, kind. @office / @lab NULL: every one. */
CoreTable *db_tasks_list (PGconn *conn, const char *district, int year, int month,
                          const char *office, const char *lab, GError **error);

/* A task of the year as the no-repeat check needs it. */
typedef struct
{
  char uscc[19];
  char category[3];
  char grade;
  int month;
  int draw_no;
  int serial;
  gint64 seq;   /* its draw's */
  gint64 until; /* the seq of the draw that replaced its draw; G_MAXINT64 while current */
  gboolean live;
} DbYearTask;

/* Every task of every draw of @year, replaced ones included, by business,
 * then draw order, then serial. GArray of DbYearTask. */
GArray *db_tasks_year (PGconn *conn, const char *district, int year, GError **error);

/* Batches the year's emergency draws took. */
gboolean db_tasks_reserve_used (PGconn *conn, const char *district, int year, gint64 *used,
                                GError **error);

G_END_DECLS
