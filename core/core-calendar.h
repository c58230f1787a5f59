/* core-calendar.h: Chinese working days from the holiday calendars in config/.
 *
 * A working day is Monday–Friday that is not a public holiday, or a weekend day
 * declared a working day (调休). Only years with a [calendar YYYY] group are
 * known; asking about any other date is an error, never a guess. */
#pragma once

#include "core/core-config.h"

G_BEGIN_DECLS

#define CORE_CALENDAR_ERROR (core_calendar_error_quark ())
GQuark core_calendar_error_quark (void);

typedef enum
{
  CORE_CALENDAR_ERROR_UNKNOWN_YEAR, /* the date lies in a year no calendar covers */
  CORE_CALENDAR_ERROR_INVALID,      /* a calendar file is malformed */
} CoreCalendarError;

typedef struct CoreCalendar CoreCalendar;

/* Reads every [calendar YYYY] group of @config. Returns NULL with an error that
 * names file, group and key when a group is malformed. */
CoreCalendar *core_calendar_new (const CoreConfig *config, GError **error);
void core_calendar_free (CoreCalendar *calendar);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoreCalendar, core_calendar_free)

/* Parses YYYY-MM-DD strictly into @out. */
gboolean core_date_parse (const char *text, GDate *out);
/* Formats @date as YYYY-MM-DD into a new string. */
char *core_date_format (const GDate *date);

gboolean core_calendar_covers (const CoreCalendar *calendar, const GDate *date);

/* Sets *@working; fails when the date's year has no calendar. */
gboolean core_calendar_is_working_day (const CoreCalendar *calendar, const GDate *date,
                                       gboolean *working, GError **error);

/* The date @n working days after @from (n >= 0; from itself is not counted,
 * n = 0 gives @from). Fails when the count runs past the known calendars. */
gboolean core_calendar_add_working_days (const CoreCalendar *calendar, const GDate *from, int n,
                                         GDate *out, GError **error);

/* Working days in (@from, @to]; negative when @to is before @from. */
gboolean core_calendar_count_working_days (const CoreCalendar *calendar, const GDate *from,
                                           const GDate *to, int *out, GError **error);

G_END_DECLS
