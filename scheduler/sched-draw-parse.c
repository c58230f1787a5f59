/* sched-draw-parse.c: the inverse of sched_draw_input_serialize(): one
 * tab-separated row a line, lists joined by ';'. Strict, because a lenient
 * reader could re-run a draw from something other than what was published. */
#include "scheduler/sched-draw-parse.h"

#include <string.h>
#include "core/core-i18n.h"

static gboolean bad_line (GError **error, guint line, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
bad_line (GError **error, guint line, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_INVALID,
               _ ("draw input line %u: %s (the text must be exactly as published)"), line, msg);
  return FALSE;
}

/* A decimal number without sign, spaces or leading zeros (as printf writes it). */
static gboolean
parse_uint (const char *s, guint64 max, guint64 *out)
{
  if (s == NULL || *s == '\0' || (s[0] == '0' && s[1] != '\0'))
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  guint64 v = 0;
  if (!g_ascii_string_to_unsigned (s, 10, 0, max, &v, NULL))
    return FALSE;
  *out = v;
  return TRUE;
}

/* An empty field is an empty list; "a;b" is two entries. */
static char **
split_list (const char *s)
{
  return *s == '\0' ? g_new0 (char *, 1) : g_strsplit (s, ";", -1);
}

static gboolean
parse_grade (const char *s, char *out)
{
  if (strlen (s) != 1 || s[0] < 'A' || s[0] > 'D')
    return FALSE;
  *out = s[0];
  return TRUE;
}

static gboolean
parse_flag (const char *s, gboolean *out)
{
  if (strcmp (s, "0") != 0 && strcmp (s, "1") != 0)
    return FALSE;
  *out = s[0] == '1';
  return TRUE;
}

static gboolean
parse_due (SchedDrawInput *in, char **f, guint n, const CoreCalendar *calendar, guint line,
           GError **error)
{
  if (n == 2 && strcmp (f[1], "end-of-month") == 0)
    {
      in->due_kind = SCHED_DUE_END_OF_MONTH;
      return TRUE;
    }
  guint64 days = 0;
  if (n != 5 || strcmp (f[1], "working-days") != 0 || !parse_uint (f[2], 366, &days)
      || strcmp (f[3], "draw-date") != 0)
    return bad_line (error, line,
                     "expected \"due\tend-of-month\" or "
                     "\"due\tworking-days\tN\tdraw-date\tYYYY-MM-DD\"");
  in->due_kind = SCHED_DUE_WORKING_DAYS;
  in->due_working_days = (guint)days;
  in->calendar = calendar;
  if (strcmp (f[4], "none") != 0 && !core_date_parse (f[4], &in->draw_date))
    return bad_line (error, line, "draw date '%s' is not YYYY-MM-DD", f[4]);
  return TRUE;
}

/* The header lines, in the order they are written. */
static gboolean
parse_header (SchedDrawInput *in, char **lines, guint *next, const CoreCalendar *calendar,
              GError **error)
{
  if (lines[0] != NULL && strcmp (lines[0], SCHED_EMERGENCY_INPUT_FORMAT) == 0)
    sched_draw_input_set_emergency (in, "", 0, 0, NULL, NULL);
  else if (lines[0] == NULL || strcmp (lines[0], SCHED_DRAW_INPUT_FORMAT) != 0)
    return bad_line (error, 1, "the first line must be %s or %s", SCHED_DRAW_INPUT_FORMAT,
                     SCHED_EMERGENCY_INPUT_FORMAT);
  const char *keys[] = { "month", "district", "record-prefix", "due" };
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      guint line = k + 2;
      if (lines[k + 1] == NULL)
        return bad_line (error, line, "the text ends before its %s line", keys[k]);
      g_auto (GStrv) f = g_strsplit (lines[k + 1], "\t", -1);
      guint n = g_strv_length (f);
      if (strcmp (f[0], keys[k]) != 0)
        return bad_line (error, line, "expected the %s line", keys[k]);
      if (k == 0)
        {
          guint64 y = 0, m = 0;
          if (n != 2 || strlen (f[1]) != 7 || f[1][4] != '-'
              || !g_ascii_string_to_unsigned (f[1] + 5, 10, 1, 12, &m, NULL))
            return bad_line (error, line, "month is not YYYY-MM");
          f[1][4] = '\0';
          if (!parse_uint (f[1], 9999, &y))
            return bad_line (error, line, "month is not YYYY-MM");
          in->year = (guint)y;
          in->month = (guint)m;
        }
      else if (k == 1)
        {
          if (n != 2)
            return bad_line (error, line, "expected one district code");
          g_free (in->district);
          in->district = g_strdup (f[1]);
        }
      else if (k == 2)
        {
          if (n != 2 || strlen (f[1]) != 2)
            return bad_line (error, line, "the record prefix is two letters");
          memcpy (in->record_prefix, f[1], 3);
        }
      else if (!parse_due (in, f, n, calendar, line, error))
        return FALSE;
    }
  *next = G_N_ELEMENTS (keys) + 1;
  if (in->emergency == NULL)
    return TRUE;
  /* An emergency input has its request on the line after the due line. */
  guint line = *next + 1;
  g_auto (GStrv) f = lines[*next] ? g_strsplit (lines[*next], "\t", -1) : g_new0 (char *, 1);
  guint64 count = 0, first = 0;
  if (g_strv_length (f) != 6 || strcmp (f[0], "emergency") != 0
      || !parse_uint (f[2], G_MAXUINT, &count) || !parse_uint (f[3], G_MAXUINT, &first))
    return bad_line (error, line,
                     "an emergency line is emergency, category, count, first serial, street, "
                     "businesses");
  g_auto (GStrv) named = split_list (f[5]);
  sched_draw_input_set_emergency (in, f[1], (guint)count, (guint)first, f[4],
                                  (const char *const *)named);
  (*next)++;
  return TRUE;
}

static gboolean
parse_row (SchedDrawInput *in, char **f, guint n, guint line, GError **error)
{
  guint64 a = 0, b = 0;
  char grade = 0;
  gboolean flag = FALSE;
  if (strcmp (f[0], "cell") == 0)
    {
      if (n != 4 || !parse_grade (f[2], &grade) || !parse_uint (f[3], G_MAXUINT, &a))
        return bad_line (error, line, "a cell line is cell, category, grade, quota");
      sched_draw_input_add_cell (in, f[1], grade, (guint)a);
    }
  else if (strcmp (f[0], "office") == 0)
    {
      if (n != 3)
        return bad_line (error, line, "an office line is office, code, streets");
      g_auto (GStrv) streets = split_list (f[2]);
      sched_draw_input_add_office (in, f[1], (const char *const *)streets);
    }
  else if (strcmp (f[0], "business") == 0)
    {
      if (n != 7 || !parse_grade (f[3], &grade) || !parse_flag (f[4], &flag)
          || !parse_uint (f[5], G_MAXUINT64, &a))
        return bad_line (error, line,
                         "a business line is business, id, street, grade, active, "
                         "last drawn, categories");
      g_auto (GStrv) cats = split_list (f[6]);
      sched_draw_input_add_business (in, f[1], f[2], grade, (const char *const *)cats, flag, a);
    }
  else if (strcmp (f[0], "inspector") == 0)
    {
      if (n != 5 || !parse_flag (f[3], &flag))
        return bad_line (error, line,
                         "an inspector line is inspector, id, office, active, conflicts");
      g_auto (GStrv) conflicts = split_list (f[4]);
      sched_draw_input_add_inspector (in, f[1], f[2], flag, (const char *const *)conflicts);
    }
  else if (strcmp (f[0], "lab") == 0)
    {
      if (n != 5 || !parse_uint (f[2], G_MAXUINT, &a) || !parse_uint (f[3], G_MAXUINT, &b))
        return bad_line (error, line, "a lab line is lab, code, capacity, used, categories");
      g_auto (GStrv) cats = split_list (f[4]);
      sched_draw_input_add_lab (in, f[1], (const char *const *)cats, (guint)a, (guint)b);
    }
  else
    return bad_line (error, line, "unknown row type '%s'", f[0]);
  return TRUE;
}

SchedDrawInput *
sched_draw_input_parse (const char *text, guint64 seed, const CoreCalendar *calendar,
                        GError **error)
{
  if (!g_str_has_suffix (text, "\n"))
    {
      bad_line (error, 1, "the text does not end with a newline; it may be cut short");
      return NULL;
    }
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n_lines = g_strv_length (lines) - 1; /* the last piece is after the final newline */
  g_autoptr (SchedDrawInput) in = sched_draw_input_new (2000, 1, "", seed);
  guint next = 0;
  if (!parse_header (in, lines, &next, calendar, error))
    return NULL;
  for (guint i = next; i < n_lines; i++)
    {
      g_auto (GStrv) f = g_strsplit (lines[i], "\t", -1);
      if (!parse_row (in, f, g_strv_length (f), i + 1, error))
        return NULL;
    }
  if (!sched_draw_input_canonicalize (in, error))
    return NULL;
  return g_steal_pointer (&in);
}
