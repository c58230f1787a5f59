/* db-cases.h: the verification-and-disposal queue (核查处置) in PostgreSQL:
 * cases opened by nonconforming lab reports and by referral notices from
 * national, provincial and city sampling, their statutory deadlines and their
 * append-only event history. States and allowed steps are data in the schema
 * (case_state, case_transition) and a trigger enforces them. */
#pragma once

#include "cases/cases-deadline.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

#define DB_CASES_ERROR (db_cases_error_quark ())
GQuark db_cases_error_quark (void);

typedef enum
{
  DB_CASES_ERROR_NOT_FOUND, /* no such case */
  DB_CASES_ERROR_BAD_STATE, /* --state names no state */
} DbCasesError;

/* What opening cases needs. All borrowed. */
typedef struct
{
  const char *district;
  const char *actor;
  GDate today; /* cases open on it; events are dated by it */
  const CasesDeadlines *deadlines;
  const CoreCalendar *calendar;
} DbCasesContext;

typedef struct
{
  guint opened, reopened, closed, amended;
} DbCasesEffects;

/* For db-results.c, inside its import transaction: applies the verdicts of the
 * reports just stored from the staging table stage_report (columns district,
 * lab, record_no, report_no, version, action 'new'/'amend'/'same', governing,
 * prev_governing, failed: the items whose governing verdict fails) to the
 * cases: a report that fails opens a case (or reopens a closed one when an
 * amendment makes it fail again), an amendment that no longer fails closes its
 * case, and one that still fails updates the failed items; each change is a
 * case_event. The first deadlines (those counting from the receipt of the
 * conclusion) are set from @ctx->today. */
gboolean db_cases_apply_results (PGconn *conn, const DbCasesContext *ctx, const char *lab,
                                 const char *reason, DbCasesEffects *effects, GError **error);

/* Imports a referral file (CSV or JSON, same encodings as result files) of
 * 国抽/省抽/市抽 nonconforming notices, columns:
 *   level (国抽/省抽/市抽 or national/provincial/city), notice_no (通知书编号),
 *   uscc (统一社会信用代码), business_name (企业名称), product (样品名称),
 *   failed_items (不合格项目, separated by ; 、 or ,), notice_date (通知日期).
 * Every business must be in the district's registry. All rows or none; on
 * rejection CORE_PROBLEMS_ERROR_REJECTED lists every problem. A notice
 * already imported is skipped (*@skipped counts them). Deadlines count from the
 * notice date. */
gboolean db_cases_import_referrals (PGconn *conn, const DbCasesContext *ctx, const char *path,
                                    const char *name, guint *opened, guint *skipped,
                                    GError **error);

typedef struct
{
  char *case_no;
  char *source; /* district, city, provincial, national */
  char *state;
  char *uscc;
  char *business_name;
  char *product;
  char *record_no; /* district sampling, else NULL */
  char *lab;
  char *report_no;
  char *notice_no; /* referrals, else NULL */
  char *notice_date;
  char *failed_items; /* "; "-separated */
  char *opened_on;
  char *closed_on; /* NULL while open */
  char *office;
  char *next_deadline; /* "NAME YYYY-MM-DD" of the earliest unmet deadline; NULL when closed */
} DbCase;

void db_case_free (DbCase *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbCase, db_case_free)

/* Cases of @district, optionally in @state only (NULL: all), by case number.
 * GPtrArray of DbCase* (owned). */
GPtrArray *db_cases_list (PGconn *conn, const char *district, const char *state, GError **error);

typedef struct
{
  char *name;
  char *zh;
  char *from_on;
  int amount;
  char *unit;
  char *due_on;
  char *met_at; /* NULL while unmet */
} DbCaseDeadline;

typedef struct
{
  char *at; /* "YYYY-MM-DD HH:MM:SS" */
  char *on_date;
  char *actor;
  char *event;
  char *from_state; /* NULL for the opening */
  char *to_state;
  char *detail;
} DbCaseEvent;

typedef struct
{
  DbCase *header;
  GPtrArray *deadlines; /* DbCaseDeadline*, by due date */
  GPtrArray *events;    /* DbCaseEvent*, oldest first */
} DbCaseDetail;

void db_case_detail_free (DbCaseDetail *detail);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbCaseDetail, db_case_detail_free)

/* One case with its deadlines and events; DB_CASES_ERROR_NOT_FOUND when none. */
DbCaseDetail *db_cases_show (PGconn *conn, const char *district, const char *case_no,
                             GError **error);

G_END_DECLS
