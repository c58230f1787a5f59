/* db-cases.h: the verification-and-disposal queue (核查处置) in PostgreSQL:
 * cases opened by nonconforming lab reports and by referral notices from
 * national, provincial and city sampling, their statutory deadlines and their
 * append-only event history. States and allowed steps are data in the schema
 * (case_state, case_transition) and a trigger enforces them. */
#pragma once

#include "cases/cases-workflow.h"
#include "core/core-calendar.h"
#include "intake/intake-referral.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

#define DB_CASES_ERROR (db_cases_error_quark ())
GQuark db_cases_error_quark (void);

typedef enum
{
  DB_CASES_ERROR_NOT_FOUND, /* no such case */
  DB_CASES_ERROR_BAD_STATE, /* a state filter names no state */
  DB_CASES_ERROR_CONFLICT,  /* the case changed since the version the user saw */
  DB_CASES_ERROR_STEP,      /* the database has no such step from the case's state */
  DB_CASES_ERROR_ROLE,      /* the database's workflow gives the step to another role */
  DB_CASES_ERROR_OFFICE,    /* no such office in the district */
} DbCasesError;

/* A first deadline of a new case, as the service computed it from the
 * deadline rules (cases-deadline.h). Borrowed. */
typedef struct
{
  const char *name;
  const char *zh;
  int amount;
  const char *unit; /* cases_deadline_unit_name() */
  GDate due;
} DbCaseDue;

typedef struct
{
  guint opened, reopened, closed, amended;
} DbCasesEffects;

/* For the results import, inside its transaction: applies the verdicts of the
 * reports just stored from the staging table stage_report (db-results.h) to
 * the cases: a report that fails opens a case (or reopens a closed one when
 * an amendment makes it fail again), an amendment that no longer fails closes
 * its case, and one that still fails updates the failed items; each change is
 * a case_event dated @today. New and reopened cases get the @n_dues first
 * deadlines @dues. */
gboolean db_cases_apply_results (PGconn *conn, const char *district, const char *actor,
                                 const char *lab, const char *reason, const GDate *today,
                                 const DbCaseDue *dues, guint n_dues, DbCasesEffects *effects,
                                 GError **error);

/* Referral notices (intake-referral.h), inside the service's transaction:
 * stages the notices of @file with their first deadlines (@n_dues per notice,
 * notice after notice, in @dues). */
gboolean db_cases_stage_referrals (PGconn *conn, const IntakeReferralFile *file,
                                   const DbCaseDue *dues, guint n_dues, GError **error);

/* A staged notice whose business is not in the registry. */
typedef struct
{
  guint line;
  char *uscc;
} DbCasesUnknown;

/* The staged notices naming no business of @district: GPtrArray of
 * DbCasesUnknown* by line (owned). */
GPtrArray *db_cases_referrals_unknown (PGconn *conn, const char *district, GError **error);

/* Opens a case for every staged notice not already on record (*@skipped
 * counts those), dated @today, and records the import in the audit log under
 * @name. */
gboolean db_cases_insert_referrals (PGconn *conn, const char *district, const char *actor,
                                    const GDate *today, const char *name, guint *opened,
                                    guint *skipped, GError **error);

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
  char *next_due;      /* its date alone, or NULL */
  int version;         /* bumped by every step (case_take_step) */
} DbCase;

void db_case_free (DbCase *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbCase, db_case_free)

/* Cases of @district, optionally in @state only and of @office only (NULL:
 * all), by case number. GPtrArray of DbCase* (owned). */
GPtrArray *db_cases_list (PGconn *conn, const char *district, const char *state, const char *office,
                          GError **error);

/* What db_cases_where() keeps; every member NULL/invalid: everything. */
typedef struct
{
  const char *state;  /* a state the district's workflow has (else BAD_STATE) */
  const char *office; /* an office code */
  GDate overdue_on;   /* valid: only cases with an unmet deadline due before it */
  GDate due_by;       /* valid: only open cases with an unmet deadline due on or before it */
} DbCasesFilter;

GPtrArray *db_cases_where (PGconn *conn, const char *district, const DbCasesFilter *filter,
                           GError **error);

typedef struct
{
  char *name;
  char *zh;
  char *from_on;
  int amount;
  char *unit;
  char *due_on;
  char *met_at;    /* NULL while unmet */
  gboolean window; /* a period granted to the business: lapses, never overdue */
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
  char *fields; /* a step's fields as "k=v; k=v" by name, else NULL */
  char *note;   /* a step's note, or an older event's detail text */
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

/* ---- steps (db-cases-step.c) ---- */

/* A deadline a step starts or (extended) moves. Borrowed. */
typedef struct
{
  const char *name;
  const char *zh;
  int amount;
  const char *unit;
  GDate from;
  GDate due;
  gboolean extended; /* TRUE: only due_on moves */
  gboolean window;   /* a period granted to the business: lapses, never overdue */
} DbStepDue;

typedef struct
{
  const char *case_no;
  const char *step;
  int expected_version; /* the version the user saw */
  const char *actor;
  const char *role;
  GDate on;           /* the step's date */
  GHashTable *fields; /* char* -> char*, may be NULL */
  const char *note;   /* may be NULL */
  const DbStepDue *dues;
  guint n_dues;
  const char *const *meets; /* deadline names, NULL-terminated; may be NULL */
} DbCaseStep;

/* Takes one step through the database's case_take_step(), inside the caller's
 * transaction: the case is locked, its version compared (CONFLICT naming both
 * versions), the step checked against case_transition for its state and the
 * role (STEP, ROLE), the state, closed_on and version changed, the deadlines
 * written and the event (fields and note as JSON) appended. *@version gets the
 * new version. */
gboolean db_cases_step (PGconn *conn, const char *district, const DbCaseStep *step, int *version,
                        GError **error);

/* Hands the case to @office (case_assign(): versioned, an `assign` event). */
gboolean db_cases_assign (PGconn *conn, const char *district, const char *case_no,
                          const char *office, int expected_version, const char *actor,
                          const GDate *on, const char *note, int *version, GError **error);

/* What the workflow check reads about a case. */
typedef struct
{
  char *state;
  char *office;
  int version;
  char *category;  /* of the sample (district sampling), else NULL */
  GPtrArray *labs; /* char*: active labs accredited for the category (all active without one) */
  CasesHistory *history;
} DbCaseFacts;

void db_case_facts_free (DbCaseFacts *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbCaseFacts, db_case_facts_free)

/* The case's state, version and history: every event written by a step (in
 * order) with its fields, the failed items, the first lab and its report's
 * test date (else the notice date). With @lock, the row is locked FOR UPDATE
 * until the transaction ends. NOT_FOUND when there is no such case. */
DbCaseFacts *db_cases_facts (PGconn *conn, const char *district, const char *case_no, gboolean lock,
                             GError **error);

G_END_DECLS
