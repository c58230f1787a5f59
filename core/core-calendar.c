/* core-calendar.c: working-day arithmetic over per-year holiday calendars. */
#include "core/core-calendar.h"

#include <stdio.h>
#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (core - calendar - error - quark, core_calendar_error)

typedef enum
{
  DAY_DEFAULT = 0, /* follows the weekday rule */
  DAY_HOLIDAY,
  DAY_WORKDAY,
} DayKind;

struct CoreCalendar
{
  /* year -> guint8[367] indexed by day of year (1-based) */
  GHashTable *years;
};

void
core_calendar_free (CoreCalendar *calendar)
{
  if (calendar == NULL)
    return;
  g_hash_table_unref (calendar->years);
  g_free (calendar);
}

gboolean
core_date_parse (const char *text, GDate *out)
{
  unsigned y, m, d;
  char tail;
  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  if (sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay)d, (GDateMonth)m, (GDateYear)y))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
  return TRUE;
}

char *
core_date_format (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* Marks one date or FIRST..LAST range in @days; every date must lie in @year. */
static gboolean
mark_item (const CoreConfig *config, const char *group, const char *key, guint year,
           const char *item, guint8 *days, DayKind kind, GError **error)
{
  g_auto (GStrv) ends = g_strsplit (item, "..", 2);
  GDate first, last;
  if (!core_date_parse (g_strstrip (ends[0]), &first)
      || !core_date_parse (ends[1] ? g_strstrip (ends[1]) : ends[0], &last))
    {
      core_config_set_invalid (config, error, group, key,
                               _ ("\"%s\" is not a date YYYY-MM-DD or a range FIRST..LAST"), item);
      return FALSE;
    }
  if (g_date_get_year (&first) != year || g_date_get_year (&last) != year
      || g_date_compare (&first, &last) > 0)
    {
      core_config_set_invalid (config, error, group, key,
                               _ ("\"%s\" must lie within %u, first date before last"), item, year);
      return FALSE;
    }
  for (GDate d = first; g_date_compare (&d, &last) <= 0; g_date_add_days (&d, 1))
    {
      GDateWeekday wd = g_date_get_weekday (&d);
      gboolean weekend = wd == G_DATE_SATURDAY || wd == G_DATE_SUNDAY;
      if (kind == DAY_WORKDAY && !weekend)
        {
          core_config_set_invalid (config, error, group, key,
                                   _ ("%s is not a Saturday or Sunday: only weekend days can be "
                                      "declared working days"),
                                   item);
          return FALSE;
        }
      guint doy = g_date_get_day_of_year (&d);
      if (days[doy] != DAY_DEFAULT && days[doy] != kind)
        {
          core_config_set_invalid (config, error, group, key,
                                   _ ("%s is listed both as a holiday and as a working day"), item);
          return FALSE;
        }
      days[doy] = (guint8)kind;
    }
  return TRUE;
}

static gboolean
load_year (CoreCalendar *calendar, const CoreConfig *config, const char *group, GError **error)
{
  gint64 year = 0;
  const char *digits = group + strlen ("calendar ");
  if (!g_ascii_string_to_signed (digits, 10, 1949, 2200, &year, NULL))
    {
      g_set_error (error, CORE_CALENDAR_ERROR, CORE_CALENDAR_ERROR_INVALID,
                   _ ("calendar group [%s] must be named [calendar YYYY]"), group);
      return FALSE;
    }
  g_autofree guint8 *days = g_new0 (guint8, 367);
  static const struct
  {
    const char *key;
    DayKind kind;
  } lists[] = { { "holidays", DAY_HOLIDAY }, { "workdays", DAY_WORKDAY } };
  for (gsize l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      if (!core_config_has_key (config, group, lists[l].key))
        continue;
      g_auto (GStrv) items = core_config_get_list (config, group, lists[l].key, error);
      if (items == NULL)
        return FALSE;
      for (char **it = items; *it != NULL; it++)
        if (!mark_item (config, group, lists[l].key, (guint)year, *it, days, lists[l].kind, error))
          return FALSE;
    }
  g_hash_table_insert (calendar->years, GINT_TO_POINTER ((int)year), g_steal_pointer (&days));
  return TRUE;
}

CoreCalendar *
core_calendar_new (const CoreConfig *config, GError **error)
{
  g_autoptr (CoreCalendar) calendar = g_new0 (CoreCalendar, 1);
  calendar->years = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_auto (GStrv) groups = core_config_groups (config, "calendar ");
  for (char **g = groups; *g != NULL; g++)
    if (!load_year (calendar, config, *g, error))
      return NULL;
  return g_steal_pointer (&calendar);
}

gboolean
core_calendar_covers (const CoreCalendar *calendar, const GDate *date)
{
  return g_hash_table_contains (calendar->years, GINT_TO_POINTER ((int)g_date_get_year (date)));
}

gboolean
core_calendar_is_working_day (const CoreCalendar *calendar, const GDate *date, gboolean *working,
                              GError **error)
{
  const guint8 *days
      = g_hash_table_lookup (calendar->years, GINT_TO_POINTER ((int)g_date_get_year (date)));
  if (days == NULL)
    {
      g_autofree char *text = core_date_format (date);
      g_set_error (
          error, CORE_CALENDAR_ERROR, CORE_CALENDAR_ERROR_UNKNOWN_YEAR,
          _ ("no holiday calendar covers %s: add a [calendar %u] group (a calendar-%u.conf "
             "file, from the State Council's holiday notice) to the configuration"),
          text, g_date_get_year (date), g_date_get_year (date));
      return FALSE;
    }
  switch ((DayKind)days[g_date_get_day_of_year (date)])
    {
    case DAY_HOLIDAY:
      *working = FALSE;
      break;
    case DAY_WORKDAY:
      *working = TRUE;
      break;
    case DAY_DEFAULT:
    default:
      {
        GDateWeekday wd = g_date_get_weekday (date);
        *working = wd != G_DATE_SATURDAY && wd != G_DATE_SUNDAY;
      }
    }
  return TRUE;
}

gboolean
core_calendar_add_working_days (const CoreCalendar *calendar, const GDate *from, int n, GDate *out,
                                GError **error)
{
  g_return_val_if_fail (n >= 0, FALSE);
  GDate d = *from;
  if (!core_calendar_covers (calendar, &d))
    {
      gboolean unused;
      return core_calendar_is_working_day (calendar, &d, &unused, error);
    }
  while (n > 0)
    {
      g_date_add_days (&d, 1);
      gboolean working = FALSE;
      if (!core_calendar_is_working_day (calendar, &d, &working, error))
        return FALSE;
      if (working)
        n--;
    }
  *out = d;
  return TRUE;
}

gboolean
core_calendar_count_working_days (const CoreCalendar *calendar, const GDate *from, const GDate *to,
                                  int *out, GError **error)
{
  int sign = 1;
  const GDate *lo = from, *hi = to;
  if (g_date_compare (from, to) > 0)
    {
      sign = -1;
      lo = to;
      hi = from;
    }
  int count = 0;
  GDate d = *lo;
  while (g_date_compare (&d, hi) < 0)
    {
      g_date_add_days (&d, 1);
      gboolean working = FALSE;
      if (!core_calendar_is_working_day (calendar, &d, &working, error))
        return FALSE;
      count += working;
    }
  *out = sign * count;
  return TRUE;
}
