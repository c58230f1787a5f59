/* db-plan.h: plan versions in PostgreSQL: store a generated plan with the
 * inputs it came from, list, load, approve (one approved plan per district
 * and year), and read what was done for a rebalance.
 *
 * The writers run in the caller's transaction (the plan service opens it and
 * takes db_plan_lock() first), so what a service reads and what it stores
 * commit or roll back together. */
#pragma once

#include "scheduler/sched-plan.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

#define DB_PLAN_ERROR (db_plan_error_quark ())
GQuark db_plan_error_quark (void);

typedef enum
{
  DB_PLAN_ERROR_NOT_FOUND,        /* the year has no plan */
  DB_PLAN_ERROR_ALREADY_APPROVED, /* another version is approved for that year */
  DB_PLAN_ERROR_NOT_DRAFT,        /* the version is approved or superseded already */
  DB_PLAN_ERROR_MISMATCH,         /* a stored plan cannot be rebuilt from its inputs */
  DB_PLAN_ERROR_NO_VERSION,       /* the year has no version of that number */
} DbPlanError;

typedef struct
{
  int year;
  int version;
  char *status; /* draft, approved, superseded */
  gint64 total;
  gint64 reserve;
  int from_month;
  int based_on; /* 0: generated, else the version it rebalances */
  gboolean within_one;
  double max_deviation;
  char *digest;
  char *created_at;
  char *created_by;
  char *approved_at; /* NULL for drafts */
  char *approved_by;
  char *config_snapshot;
  char *grade_counts; /* "CC:A=n,B=n,C=n,D=n;..." or NULL when shares were used */
} DbPlanInfo;

void db_plan_info_free (DbPlanInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbPlanInfo, db_plan_info_free)

/* A stored plan's cells, month × category × grade as in SchedPlan. */
typedef struct
{
  guint n_months, n_categories, n_grades;
  char **category_codes; /* NULL-terminated */
  gint64 *cells;
  double *ideal;
} DbPlanCells;

void db_plan_cells_free (DbPlanCells *cells);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbPlanCells, db_plan_cells_free)

/* Businesses per category and grade among the district's active businesses;
 * NULL (and no error) when the registry holds none. */
SchedGradeCounts *db_plan_registry_counts (PGconn *conn, const char *district, char **as_text,
                                           GError **error);
/* Parses the text form written by db_plan_registry_counts(). */
SchedGradeCounts *db_plan_counts_parse (const char *text);

/* Serialises the writers of one district's plans for @year until the
 * caller's transaction ends. */
gboolean db_plan_lock (PGconn *conn, const char *district, int year, GError **error);

/* Stores @plan as the next version (a draft), its cells and an audit record;
 * *@version receives its number. @based_on is 0 or the version it
 * rebalances. Runs in the caller's transaction. */
gboolean db_plan_insert (PGconn *conn, const char *district, const SchedPlan *plan,
                         const char *config_snapshot, const char *grade_counts, int based_on,
                         const char *actor, int *version, GError **error);

/* Versions of @year (0: every year), newest last. GPtrArray of DbPlanInfo*. */
GPtrArray *db_plan_list (PGconn *conn, const char *district, int year, GError **error);

/* One version; @version 0 means the approved one, else the newest.
 * DB_PLAN_ERROR_NOT_FOUND when the year has no plan, DB_PLAN_ERROR_NO_VERSION
 * when it has no version @version. */
DbPlanInfo *db_plan_get (PGconn *conn, const char *district, int year, int version, GError **error);

DbPlanCells *db_plan_cells (PGconn *conn, const char *district, int year, int version,
                            GError **error);

/* Approves a draft (DB_PLAN_ERROR_NOT_DRAFT otherwise). Refused with
 * DB_PLAN_ERROR_ALREADY_APPROVED while another version of the year is
 * approved, unless @supersede, which marks that one superseded. Runs in the
 * caller's transaction. */
gboolean db_plan_approve (PGconn *conn, const char *district, int year, int version,
                          gboolean supersede, const char *actor, GError **error);

/* Batches sampled per month × category × grade in months before @from_month,
 * laid out as @cells (n_categories from @codes). Zero where nothing was done. */
gboolean db_plan_done_cells (PGconn *conn, const char *district, int year, int from_month,
                             const char *const *codes, guint n_grades, gint64 *done,
                             GError **error);

G_END_DECLS
