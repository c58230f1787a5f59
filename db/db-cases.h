/* db-cases.h: the verification-and-disposal queue (核查处置) in PostgreSQL:
 * cases opened by nonconforming lab reports and by referral notices from
 * national, provincial and city sampling, their statutory deadlines and their
 * append-only event history. States and allowed steps are data in the schema
 * (case_state, case_transition) and a trigger enforces them. */
#pragma once

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
} DbCase;

void db_case_free (DbCase *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbCase, db_case_free)

/* Cases of @district, optionally in @state only and of @office only (NULL:
 * all), by case number. GPtrArray of DbCase* (owned). */
GPtrArray *db_cases_list (PGconn *conn, const char *district, const char *state, const char *office,
                          GError **error);

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
