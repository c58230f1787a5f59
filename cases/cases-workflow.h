/* cases-workflow.h: the verification-and-disposal workflow as one table, read
 * from config/case-workflow.conf: states, the steps between them, the role that
 * takes each, the fields each requires, the deadlines each starts; and the one
 * check every step goes through. No database: db/db-workflow.h copies the same
 * table into the database, whose trigger enforces its transitions. */
#pragma once

#include "cases/cases-deadline.h"

G_BEGIN_DECLS

#define CASES_WORKFLOW_ERROR (cases_workflow_error_quark ())
GQuark cases_workflow_error_quark (void);

typedef enum
{
  CASES_WORKFLOW_ERROR_CONFIG,       /* the workflow config is malformed or inconsistent */
  CASES_WORKFLOW_ERROR_STEP,         /* no such step, or not from the case's state */
  CASES_WORKFLOW_ERROR_ROLE,         /* the role may not take the step */
  CASES_WORKFLOW_ERROR_FIELDS,       /* fields missing, malformed or unknown (all named) */
  CASES_WORKFLOW_ERROR_INCOMPLETE,   /* earlier steps or their fields missing (all named) */
  CASES_WORKFLOW_ERROR_REINSPECTION, /* re-inspection refused by rule (every rule named) */
  CASES_WORKFLOW_ERROR_DATE,         /* a deadline leaves the known calendars */
  CASES_WORKFLOW_ERROR_LAB,          /* no lab left to draw for re-inspection */
} CasesWorkflowError;

typedef enum
{
  CASES_FIELD_DATE,   /* YYYY-MM-DD */
  CASES_FIELD_TEXT,   /* any non-blank text */
  CASES_FIELD_ENUM,   /* one of values (several, with multiple) */
  CASES_FIELD_INT,    /* an integer within min..max */
  CASES_FIELD_NUMBER, /* a decimal within min..max */
  CASES_FIELD_BOOL,   /* true/false (是/否) */
} CasesFieldType;

typedef struct
{
  char *name; /* NAME of [field NAME] */
  char *zh, *en;
  CasesFieldType type;
  char **values;     /* enum: allowed values; else NULL */
  gboolean multiple; /* enum: several values separated by ; 、 or , */
  gboolean has_min, has_max;
  double min, max;
} CasesField;

typedef struct
{
  char *name; /* NAME of [state NAME] */
  char *zh, *en;
  gboolean terminal;
} CasesState;

typedef struct
{
  char *name; /* NAME of [step NAME] */
  char *zh, *en;
  char **roles;
  char **from;      /* states it is taken from, `*` expanded */
  char *to;         /* the state it leads to; NULL: the state stays */
  char **requires;  /* field names */
  char **optional;  /* field names */
  char *date_field; /* the field the step's date is in; NULL: the day it is taken */
  char **starts;    /* deadline names */
  char **meets;     /* deadline names */
  char *extends;    /* a deadline moved to the date in until_field; else NULL */
  char *until_field;
  char **after;          /* earlier steps required, each "a" or "a|b" */
  char *required_if;     /* a bool field: when true, steps with `after` need this one */
  gboolean reinspection; /* the [reinspection] rules apply */
  gboolean reopens;      /* may leave a terminal state */
} CasesStep;

/* The [reinspection] group: which recorded facts the rules read. */
typedef struct
{
  char *application_step;
  char *applied_field, *kind_field, *items_field, *backup_field, *delivered_field, *lab_field;
  char *window;           /* deadline name: the application window */
  char *backup_deadline;  /* deadline name: how long the backup sample is kept */
  char **retest_kinds;    /* application kinds the item and backup rules apply to */
  char **microbiological; /* item name prefixes that are never re-tested */
} CasesReinspectionRules;

typedef struct
{
  GPtrArray *states; /* CasesState*, in [workflow] states order */
  GPtrArray *steps;  /* CasesStep*, in configuration order */
  GPtrArray *fields; /* CasesField*, in configuration order */
  char *initial;
  char **roles;
  CasesReinspectionRules reinspection; /* all NULL without a [reinspection] group */
  CasesDeadlines *deadlines;           /* from the same config */
  CoreCalendar *calendar;              /* from the same config */
} CasesWorkflow;

/* Reads and checks the [workflow], [state], [step], [field] and [reinspection]
 * groups of @config, with its deadlines and calendar. Refuses unknown states,
 * keys, fields and deadlines, unreachable states and steps, a step leaving a
 * terminal state (unless it reopens), duplicate names and labels; errors
 * (CASES_WORKFLOW_ERROR_CONFIG) name the file, group and key. Free with
 * cases_workflow_free(). */
CasesWorkflow *cases_workflow_load (const CoreConfig *config, GError **error);
void cases_workflow_free (CasesWorkflow *wf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CasesWorkflow, cases_workflow_free)

/* Lookups by name, or NULL. Owned by @wf. */
const CasesStep *cases_workflow_step (const CasesWorkflow *wf, const char *name);
const CasesState *cases_workflow_state (const CasesWorkflow *wf, const char *name);
const CasesField *cases_workflow_field (const CasesWorkflow *wf, const char *name);

/* The steps that may be taken from @state, in configuration order. Free the
 * array with g_ptr_array_unref(); the elements belong to @wf. */
GPtrArray *cases_workflow_steps_from (const CasesWorkflow *wf, const char *state);

/* What a case already has: the steps taken and the latest value of each field
 * recorded, plus the facts the re-inspection rules read. */
typedef struct
{
  GPtrArray *steps;    /* char*, in order taken; owned */
  GHashTable *fields;  /* char* -> char*; owned */
  char **failed_items; /* the case's failed items; owned, may be NULL */
  char *first_lab;     /* the lab of the nonconforming report; owned, may be NULL */
  GDate report_on;     /* the report's date; invalid (cleared) when unknown */
} CasesHistory;

CasesHistory *cases_history_new (void);
/* Records that @step was taken with @fields (copied; may be NULL). */
void cases_history_add (CasesHistory *history, const char *step, GHashTable *fields);
void cases_history_free (CasesHistory *history);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CasesHistory, cases_history_free)

/* The one check before a case takes @step from @from_state: the step exists and
 * is allowed from the state, @role may take it, every required field is given
 * and well formed and no other field is given (each problem named, in one
 * error), the earlier steps it needs and their fields are in @history (each
 * missing one named), and for re-inspection the rules of [reinspection]
 * (window, microbiological items, backup sample, never the first lab). @fields
 * maps field names to values and may be NULL; @history may be NULL for a case
 * with nothing recorded. */
gboolean cases_workflow_check (const CasesWorkflow *wf, const char *from_state, const char *step,
                               const char *role, GHashTable *fields, const CasesHistory *history,
                               GError **error);

/* A deadline a step starts, or moves (extended). */
typedef struct
{
  const CasesDeadline *deadline; /* owned by the workflow */
  GDate from;                    /* the day the count starts from */
  GDate due;
  gboolean extended; /* TRUE: the step's until field moved the due date */
} CasesDue;

/* The due dates @step sets, counted from its date field in @fields (or @today
 * when it has none) through the calendar: working days skip rest days, and a
 * day count ending on a rest day rolls to the next working day (holiday-roll).
 * Returns a GArray of CasesDue (free with g_array_unref()), or NULL with
 * CASES_WORKFLOW_ERROR_DATE naming the deadline. Call after a successful
 * cases_workflow_check(). */
GArray *cases_workflow_due (const CasesWorkflow *wf, const CasesStep *step, GHashTable *fields,
                            const GDate *today, GError **error);

/* The re-inspection lab draw, reproducible by anyone (algorithm "sha256-mod-1"):
 * the candidates are @labs (the labs accredited for the category) without
 * @first_lab, duplicates removed, sorted by byte value; the text
 *   "spotcheck reinspection lab 1\n" SEED "\n" CASE_NO "\n" LAB1 "\n" LAB2 ... "\n"
 * is hashed with SHA-256; the first 8 bytes of the digest, read as a big-endian
 * unsigned 64-bit number, modulo the number of candidates, index the chosen lab.
 * To re-run it by hand, with candidates LAB2 LAB3 LAB4:
 *   { printf 'spotcheck reinspection lab 1\n%s\n%s\n' SEED CASE_NO;
 *     printf '%s\n' LAB2 LAB3 LAB4; } | sha256sum
 * then take the first 16 hex digits as a number modulo 3 (0 picks LAB2).
 * Returns a new string, or NULL with CASES_WORKFLOW_ERROR_LAB when no other lab is accredited. */
#define CASES_LAB_DRAW_ALGORITHM "sha256-mod-1"
char *cases_reinspection_draw_lab (const char *seed, const char *case_no, const char *const *labs,
                                   const char *first_lab, GError **error);

G_END_DECLS
