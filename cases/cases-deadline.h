/* cases-deadline.h: the statutory deadlines of sampling and disposal, read from
 * the [deadline NAME] groups of config/deadlines.conf, and their due dates
 * through the working-day calendar. No database. */
#pragma once

#include "core/core-calendar.h"

G_BEGIN_DECLS

#define CASES_DEADLINE_ERROR (cases_deadline_error_quark ())
GQuark cases_deadline_error_quark (void);

typedef enum
{
  CASES_DEADLINE_ERROR_CONFIG, /* a [deadline NAME] group is malformed */
  CASES_DEADLINE_ERROR_DATE,   /* the due date falls outside the known calendars */
} CasesDeadlineError;

/* The event a case's first deadlines count from: the regulator receives the
 * nonconforming conclusion (a lab report, or a referral notice). Deadlines whose
 * `from` names it are set when a case opens. */
#define CASES_EVENT_CONCLUSION_RECEIVED "conclusion received"

typedef enum
{
  CASES_UNIT_WORKING_DAYS, /* "working-days": through the holiday calendar */
  CASES_UNIT_DAYS,         /* "days": calendar days (a last day on a rest day rolls: roll) */
  CASES_UNIT_MONTHS,       /* "months": same day of the month, clamped to its end */
} CasesDeadlineUnit;

typedef struct
{
  char *name; /* NAME of [deadline NAME] */
  char *zh;   /* may be NULL */
  int amount;
  CasesDeadlineUnit unit;
  char *from; /* the event the count starts at */
  /* holiday-roll: a due date on a rest day moves to the next working day (the
   * rule of Chinese law for periods; default TRUE for days, FALSE otherwise). */
  gboolean roll;
  /* window: a period granted to the business, which lapses unused instead of
   * falling overdue (default FALSE). */
  gboolean window;
} CasesDeadline;

typedef struct
{
  GPtrArray *all; /* CasesDeadline*, in configuration order; owned */
} CasesDeadlines;

/* Reads every [deadline NAME] group of @config. Errors name the file, group
 * and key. Free with cases_deadlines_free(). */
CasesDeadlines *cases_deadlines_load (const CoreConfig *config, GError **error);
void cases_deadlines_free (CasesDeadlines *deadlines);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CasesDeadlines, cases_deadlines_free)

/* The deadline named @name, or NULL. Owned by @deadlines. */
const CasesDeadline *cases_deadlines_find (const CasesDeadlines *deadlines, const char *name);

/* The deadlines counting from @event, in configuration order. Free the array
 * with g_ptr_array_unref(); the elements are owned by @deadlines. */
GPtrArray *cases_deadlines_from (const CasesDeadlines *deadlines, const char *event);

/* "working-days", "days" or "months". */
const char *cases_deadline_unit_name (CasesDeadlineUnit unit);

/* The due date of @deadline counted from @start into @due; with roll set, a
 * due date on a rest day moves to the next working day. Fails with
 * CASES_DEADLINE_ERROR_DATE, naming the deadline, when a working-day count or
 * a roll leaves the years the calendar covers. */
gboolean cases_deadline_due (const CasesDeadline *deadline, const CoreCalendar *calendar,
                             const GDate *start, GDate *due, GError **error);

G_END_DECLS
