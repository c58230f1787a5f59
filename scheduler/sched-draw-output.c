/* sched-draw-output.c: what a draw hands back: freeing, the canonical text a
 * re-run is compared with, and carrying "last drawn" into the next month. */
#include "scheduler/sched-draw-private.h"

#include <stdlib.h>
#include <string.h>

void
sched_draw_task_free (gpointer p)
{
  SchedDrawTask *t = p;
  g_free (t->record);
  g_free (t->category);
  g_free (t->business);
  g_free (t->street);
  g_free (t->office);
  g_free (t->inspectors[0]);
  g_free (t->inspectors[1]);
  g_free (t->lab);
  g_free (t);
}

void
sched_draw_shortfall_free (gpointer p)
{
  SchedDrawShortfall *s = p;
  g_free (s->category);
  g_free (s);
}

void
sched_draw_free (SchedDraw *draw)
{
  if (draw == NULL)
    return;
  g_free (draw->algorithm);
  g_free (draw->input_digest);
  g_clear_pointer (&draw->tasks, g_ptr_array_unref);
  g_clear_pointer (&draw->shortfalls, g_ptr_array_unref);
  g_free (draw);
}

SchedDraw *
sched_draw_new (guint year, guint month, guint64 seed, const char *algorithm,
                const char *input_digest)
{
  SchedDraw *draw = g_new0 (SchedDraw, 1);
  draw->year = year;
  draw->month = month;
  draw->seed = seed;
  draw->algorithm = g_strdup (algorithm);
  draw->input_digest = g_strdup (input_digest);
  draw->tasks = g_ptr_array_new_with_free_func (sched_draw_task_free);
  draw->shortfalls = g_ptr_array_new_with_free_func (sched_draw_shortfall_free);
  return draw;
}

const char *
sched_shortfall_reason_name (SchedShortfallReason reason)
{
  switch (reason)
    {
    case SCHED_SHORTFALL_EMPTY_POOL:
      return "empty-pool";
    case SCHED_SHORTFALL_POOL_TOO_SMALL:
      return "pool-too-small";
    case SCHED_SHORTFALL_NO_INSPECTORS:
      return "no-inspectors";
    case SCHED_SHORTFALL_NO_LAB:
      return "no-lab";
    case SCHED_SHORTFALL_LAB_CAPACITY:
      return "lab-capacity";
    }
  return "unknown";
}

char *
sched_draw_serialize (const SchedDraw *draw)
{
  GString *out = g_string_sized_new (256 + 120 * draw->tasks->len);
  /* The first line names the kind of draw: the algorithm's first word. */
  const char *space = strchr (draw->algorithm, ' ');
  int kind = space ? (int)(space - draw->algorithm) : (int)strlen (draw->algorithm);
  g_string_append_printf (
      out, "%.*s\nalgorithm\t%s\nmonth\t%04u-%02u\nseed\t%" G_GUINT64_FORMAT "\ninput-sha256\t%s\n",
      kind, draw->algorithm, draw->algorithm, draw->year, draw->month, draw->seed,
      draw->input_digest);
  for (guint i = 0; i < draw->tasks->len; i++)
    {
      const SchedDrawTask *t = g_ptr_array_index (draw->tasks, i);
      g_string_append_printf (out, "task\t%s\t%s\t%c\t%s\t%s\t%s\t%s\t%s\t%s\t%04u-%02u-%02u\n",
                              t->record, t->category, t->grade, t->business, t->street, t->office,
                              t->inspectors[0], t->inspectors[1], t->lab, g_date_get_year (&t->due),
                              g_date_get_month (&t->due), g_date_get_day (&t->due));
    }
  for (guint i = 0; i < draw->shortfalls->len; i++)
    {
      const SchedDrawShortfall *s = g_ptr_array_index (draw->shortfalls, i);
      g_string_append_printf (out, "shortfall\t%s\t%c\t%u\t%s\n", s->category, s->grade, s->count,
                              sched_shortfall_reason_name (s->reason));
    }
  return g_string_free (out, FALSE);
}

void
sched_draw_input_mark_drawn (SchedDrawInput *input, const SchedDraw *draw)
{
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < input->businesses->len; i++)
    {
      SchedDrawBusiness *b = g_ptr_array_index (input->businesses, i);
      g_hash_table_insert (by_id, b->id, b);
    }
  for (guint i = 0; i < draw->tasks->len; i++)
    {
      const SchedDrawTask *t = g_ptr_array_index (draw->tasks, i);
      SchedDrawBusiness *b = g_hash_table_lookup (by_id, t->business);
      size_t len = strlen (t->record);
      if (b == NULL || len < 9)
        continue;
      /* The key is the record number's last 9 digits: MM and the serial. */
      guint64 key = g_ascii_strtoull (t->record + len - 9, NULL, 10);
      b->last_drawn = MAX (b->last_drawn, key);
    }
}
