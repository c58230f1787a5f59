/* cases-deadline.c: [deadline NAME] groups to due dates. */
#include "cases/cases-deadline.h"

#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (spotcheck - cases - deadline - error - quark, cases_deadline_error)

#define GROUP_PREFIX "deadline "

static const char *const unit_names[] = { "working-days", "days", "months" };

const char *
cases_deadline_unit_name (CasesDeadlineUnit unit)
{
  return unit_names[unit];
}

static void
deadline_free (gpointer data)
{
  CasesDeadline *d = data;
  g_free (d->name);
  g_free (d->zh);
  g_free (d->from);
  g_free (d);
}

void
cases_deadlines_free (CasesDeadlines *deadlines)
{
  if (deadlines == NULL)
    return;
  g_ptr_array_unref (deadlines->all);
  g_free (deadlines);
}

/* holiday-roll: "true" or "false"; absent means on for day counts only. */
static gboolean
read_roll (const CoreConfig *config, const char *group, CasesDeadline *d, GError **error)
{
  d->roll = d->unit == CASES_UNIT_DAYS;
  g_autofree char *roll = core_config_get_string_or (config, group, "holiday-roll", NULL);
  if (roll == NULL)
    return TRUE;
  if (strcmp (roll, "true") == 0 || strcmp (roll, "false") == 0)
    {
      d->roll = strcmp (roll, "true") == 0;
      return TRUE;
    }
  core_config_set_invalid (config, error, group, "holiday-roll", _ ("\"%s\" is not true or false"),
                           roll);
  return FALSE;
}

/* window: "true" or "false" (absent: false). */
static gboolean
read_window (const CoreConfig *config, const char *group, CasesDeadline *d, GError **error)
{
  g_autofree char *window = core_config_get_string_or (config, group, "window", "false");
  if (strcmp (window, "true") == 0 || strcmp (window, "false") == 0)
    {
      d->window = strcmp (window, "true") == 0;
      return TRUE;
    }
  core_config_set_invalid (config, error, group, "window", _ ("\"%s\" is not true or false"),
                           window);
  return FALSE;
}

static CasesDeadline *
read_one (const CoreConfig *config, const char *group, GError **error)
{
  g_autoptr (GError) local = NULL;
  gint64 amount = 0;
  g_autofree char *unit = NULL;
  CasesDeadline *d = g_new0 (CasesDeadline, 1);
  d->name = g_strdup (group + strlen (GROUP_PREFIX));
  d->zh = core_config_get_string_or (config, group, "zh", NULL);
  if (!core_config_get_int (config, group, "amount", 0, 10000, &amount, &local)
      || (unit = core_config_get_string (config, group, "unit", &local)) == NULL
      || (d->from = core_config_get_string (config, group, "from", &local)) == NULL)
    goto fail;
  d->amount = (int)amount;
  gsize u = 0;
  while (u < G_N_ELEMENTS (unit_names) && strcmp (unit, unit_names[u]) != 0)
    u++;
  if (u == G_N_ELEMENTS (unit_names))
    {
      core_config_set_invalid (config, &local, group, "unit",
                               _ ("\"%s\" is not a unit; write working-days, days or months"),
                               unit);
      goto fail;
    }
  d->unit = (CasesDeadlineUnit)u;
  if (read_roll (config, group, d, &local) && read_window (config, group, d, &local))
    return d;
fail:
  g_set_error (error, CASES_DEADLINE_ERROR, CASES_DEADLINE_ERROR_CONFIG, "%s", local->message);
  deadline_free (d);
  return NULL;
}

CasesDeadlines *
cases_deadlines_load (const CoreConfig *config, GError **error)
{
  g_autoptr (CasesDeadlines) deadlines = g_new0 (CasesDeadlines, 1);
  deadlines->all = g_ptr_array_new_with_free_func (deadline_free);
  g_auto (GStrv) groups = core_config_groups (config, GROUP_PREFIX);
  for (char **g = groups; g && *g; g++)
    {
      CasesDeadline *d = read_one (config, *g, error);
      if (d == NULL)
        return NULL;
      g_ptr_array_add (deadlines->all, d);
    }
  return g_steal_pointer (&deadlines);
}

const CasesDeadline *
cases_deadlines_find (const CasesDeadlines *deadlines, const char *name)
{
  for (guint i = 0; i < deadlines->all->len; i++)
    {
      const CasesDeadline *d = g_ptr_array_index (deadlines->all, i);
      if (strcmp (d->name, name) == 0)
        return d;
    }
  return NULL;
}

GPtrArray *
cases_deadlines_from (const CasesDeadlines *deadlines, const char *event)
{
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < deadlines->all->len; i++)
    {
      CasesDeadline *d = g_ptr_array_index (deadlines->all, i);
      if (strcmp (d->from, event) == 0)
        g_ptr_array_add (out, d);
    }
  return out;
}

/* Moves @due forward to the next working day when it is a rest day. */
static gboolean
roll_forward (const CoreCalendar *calendar, GDate *due, GError **error)
{
  for (;;)
    {
      gboolean working = FALSE;
      if (!core_calendar_is_working_day (calendar, due, &working, error))
        return FALSE;
      if (working)
        return TRUE;
      g_date_add_days (due, 1);
    }
}

gboolean
cases_deadline_due (const CasesDeadline *deadline, const CoreCalendar *calendar, const GDate *start,
                    GDate *due, GError **error)
{
  g_autoptr (GError) local = NULL;
  *due = *start;
  gboolean ok = TRUE;
  switch (deadline->unit)
    {
    case CASES_UNIT_WORKING_DAYS:
      ok = core_calendar_add_working_days (calendar, start, deadline->amount, due, &local);
      break;
    case CASES_UNIT_DAYS:
      g_date_add_days (due, (guint)deadline->amount);
      break;
    case CASES_UNIT_MONTHS:
      g_date_add_months (due, (guint)deadline->amount);
      break;
    }
  if (ok && (!deadline->roll || roll_forward (calendar, due, &local)))
    return TRUE;
  g_autofree char *from = core_date_format (start);
  g_set_error (error, CASES_DEADLINE_ERROR, CASES_DEADLINE_ERROR_DATE,
               _ ("deadline %s (%d %s from %s): %s"), deadline->name, deadline->amount,
               unit_names[deadline->unit], from, local->message);
  return FALSE;
}
