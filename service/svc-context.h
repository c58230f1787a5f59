/* svc-context.h: what every service function is given, and the role rules
 * every face shares.
 *
 * A service function is one thing a user does (import a directory, draw a
 * month, import results, ...). It takes an SvcContext built by the face (the
 * CLI from its options and environment, the server from a token), checks the
 * actor's role and scope itself, owns its transaction from start to end, calls
 * the pure folders and db/, and returns typed results. It never prints, never
 * reads the environment and never words advice about flags or status codes:
 * its errors are a domain, a code and a message stating the fact, which the
 * face words for its users (cli/cli-errors.c). */
#pragma once

#include "cases/cases-workflow.h"
#include "core/core-calendar.h"
#include "core/core-catalog.h"
#include "core/core-config.h"
#include "core/core-progress.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

#define SVC_ERROR (svc_error_quark ())
GQuark svc_error_quark (void);

typedef enum
{
  SVC_ERROR_FORBIDDEN, /* the actor's role may not do this */
  SVC_ERROR_SCOPE,     /* the actor asked to act for another lab or office */
  SVC_ERROR_INVALID,   /* an argument out of range or inconsistent */
  SVC_ERROR_NOT_FOUND, /* no such object (or one outside the actor's scope) */
  SVC_ERROR_CONFLICT,  /* the object is not in a state that allows this */
} SvcError;

/* The argument (a key such as "office", "draw", "month") an error in
 * SVC_ERROR is about, or NULL; faces name it as they name arguments. */
void svc_error_set_argument (GError *error, const char *argument);
const char *svc_error_argument (const GError *error);
/* Sets SVC_ERROR_INVALID about @argument. */
void svc_error_invalid (GError **error, const char *argument, const char *fmt, ...)
    G_GNUC_PRINTF (3, 4);

typedef enum
{
  SVC_ROLE_ADMIN,       /* users, tokens, config; reads everything */
  SVC_ROLE_COORDINATOR, /* directories, plans, draws; acts for any lab or office */
  SVC_ROLE_INSPECTOR,   /* records samples and works cases of one office */
  SVC_ROLE_LAB,         /* uploads results for the samples sent to one lab */
} SvcRole;

/* "admin", "coordinator", "inspector", "lab" and back. */
const char *svc_role_name (SvcRole role);
gboolean svc_role_parse (const char *name, SvcRole *role);

/* What the actor wants to do, for the role table (svc-context.c). */
typedef enum
{
  SVC_ACTION_DIRECTORY_IMPORT,
  SVC_ACTION_DIRECTORY_READ,
  SVC_ACTION_PLAN_WRITE, /* generate, approve, rebalance */
  SVC_ACTION_PLAN_READ,
  SVC_ACTION_DRAW, /* monthly and emergency draws, redraws */
  SVC_ACTION_DRAW_VERIFY,
  SVC_ACTION_TASKS_READ,
  SVC_ACTION_SAMPLES_RECORD,
  SVC_ACTION_SAMPLES_READ,
  SVC_ACTION_RESULTS_IMPORT,
  SVC_ACTION_RESULTS_REVIEW,
  SVC_ACTION_REFERRALS_IMPORT,
  SVC_ACTION_CASES_READ,
  SVC_ACTION_CASES_WORK,
  SVC_ACTION_PROGRESS_READ,
  SVC_ACTION_USERS,
  SVC_ACTION_AUDIT_VERIFY,    /* check the record's hash chains */
  SVC_ACTION_RESULTS_RESOLVE, /* clear a review flag with the verdict the bureau adopts */
  SVC_ACTION_GRADES_SUGGEST,  /* suggest risk grades from a year's record */
  SVC_ACTION_SELF_READ,       /* who the actor is: name, role, lab, office */
  SVC_N_ACTIONS
} SvcAction;

const char *svc_action_name (SvcAction action);

/* Everything a service needs, borrowed from the face for one call. */
typedef struct
{
  PGconn *conn;
  const CoreConfig *config;
  const CoreCatalog *catalog; /* the district: catalog->district keys every row */
  const CoreCalendar *calendar;
  const CasesDeadlines *deadlines;
  const CasesWorkflow *workflow; /* config/case-workflow.conf; NULL: no case steps */
  const char *actor;             /* who, for audit records and events */
  SvcRole role;
  const char *lab;    /* SVC_ROLE_LAB: the actor's lab code; else NULL */
  const char *office; /* SVC_ROLE_INSPECTOR: the actor's office code; else NULL */
  GDate today;        /* the day the actor acts on: cases open on it, deadlines count from it */
  /* Where long work (a large results or directory import, a plan) reports
   * how far it got; NULL: nobody listens. The face decides how to show it. */
  const CoreProgress *progress;
} SvcContext;

/* The district code of @ctx. */
const char *svc_district (const SvcContext *ctx);

/* TRUE when @ctx's role may take @action (the role table); otherwise
 * SVC_ERROR_FORBIDDEN naming the role and the action. */
gboolean svc_authorize (const SvcContext *ctx, SvcAction action, GError **error);

/* The lab an action is for. A lab actor acts for its own lab only: @lab NULL
 * or its own code gives its own code, another code is SVC_ERROR_SCOPE. Other
 * roles must name the lab (NULL is SVC_ERROR_INVALID). */
const char *svc_scope_lab (const SvcContext *ctx, const char *lab, GError **error);

/* The office an action is for, by the same rule for inspectors. For other
 * roles @office is returned as given (NULL: every office). */
gboolean svc_scope_office (const SvcContext *ctx, const char *office, const char **out,
                           GError **error);

/* TRUE when an object belonging to @office (a case, a task) is within the
 * actor's scope: always, except for inspectors of another office. */
gboolean svc_in_office (const SvcContext *ctx, const char *office);

G_END_DECLS
