/* svc-tasks-year.c: the no-repeat rule checked against the stored year.
 *
 * Each draw re-runs from its own input, so a draw that read the year before
 * another draw's tasks were stored verifies on its own and still breaks the
 * rule. This check reads the year as it is stored: whenever a business has a
 * live task after an earlier live one, every business of the pool the later
 * task was drawn from (by that draw's own input: active, of the cell's grade
 * and category, or the emergency draw's category and street, and staffable)
 * must have held a task by then, i.e. in a draw made before it and not
 * replaced before it, or earlier in the same draw. Emergency draws of named
 * businesses choose nobody, so their tasks are never the repeat in question,
 * though they count as drawn for everyone else. */
#include "service/svc-tasks-private.h"

#include "scheduler/sched-draw-parse.h"

#include <string.h>
#include "core/core-i18n.h"

typedef struct
{
  const DbDrawInfo *info;
  SchedDrawInput *in;
  gboolean *staffable;
  guint *first_row;  /* per business of @in: its first row of the year + 1, 0: none */
  GHashTable *pools; /* "CC G" -> GArray of business indexes */
} DrawView;

static void
view_free (gpointer p)
{
  DrawView *v = p;
  sched_draw_input_free (v->in);
  g_free (v->staffable);
  g_free (v->first_row);
  g_hash_table_unref (v->pools);
  g_free (v);
}

typedef struct
{
  const SvcContext *ctx;
  GArray *rows;      /* DbYearTask, by business, draw order, serial */
  guint *run;        /* per business's first row: how many rows it has */
  GHashTable *start; /* uscc -> first row + 1 */
  GHashTable *draws; /* seq -> DbDrawInfo* */
  GHashTable *views; /* seq -> DrawView* */
} YearCheck;

static DrawView *
view_for (YearCheck *y, gint64 seq, GError **error)
{
  DrawView *v = g_hash_table_lookup (y->views, &seq);
  if (v != NULL)
    return v;
  const DbDrawInfo *info = g_hash_table_lookup (y->draws, &seq);
  g_autofree char *text = db_tasks_draw_input (y->ctx->conn, svc_district (y->ctx), info, error);
  if (text == NULL)
    return NULL;
  SchedDrawInput *in = sched_draw_input_parse (text, info->seed, y->ctx->calendar, error);
  if (in == NULL)
    return NULL;
  v = g_new0 (DrawView, 1);
  v->info = info;
  v->in = in;
  v->staffable = sched_draw_staffable (in);
  v->first_row = g_new0 (guint, in->businesses->len);
  for (guint b = 0; b < in->businesses->len; b++)
    v->first_row[b] = GPOINTER_TO_UINT (g_hash_table_lookup (
        y->start, ((SchedDrawBusiness *)g_ptr_array_index (in->businesses, b))->id));
  v->pools = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
  g_hash_table_insert (y->views, (gpointer)&info->seq, v);
  return v;
}

/* The pool a task of @category and @grade (0: any) came from in @v. */
static GArray *
pool_for (DrawView *v, const char *category, char grade)
{
  g_autofree char *key = g_strdup_printf ("%s %c", category, grade ? grade : '*');
  GArray *pool = g_hash_table_lookup (v->pools, key);
  if (pool != NULL)
    return pool;
  const char *street = v->in->emergency ? v->in->emergency->street : NULL;
  pool = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint b = 0; b < v->in->businesses->len; b++)
    {
      const SchedDrawBusiness *row = g_ptr_array_index (v->in->businesses, b);
      if (row->active && v->staffable[b] && (grade == 0 || row->grade == grade)
          && g_strv_contains ((const char *const *)row->categories, category)
          && (street == NULL || strcmp (row->street, street) == 0))
        g_array_append_val (pool, b);
    }
  g_hash_table_insert (v->pools, g_steal_pointer (&key), pool);
  return pool;
}

/* TRUE when the business whose rows start at @first (+ 1; 0: none) held a
 * task when task @t was drawn. */
static gboolean
held (const YearCheck *y, guint first, const DbYearTask *t)
{
  if (first == 0)
    return FALSE;
  for (guint i = first - 1; i < first - 1 + y->run[first - 1]; i++)
    {
      const DbYearTask *u = &g_array_index (y->rows, DbYearTask, i);
      if ((u->seq < t->seq && u->until > t->seq) || (u->seq == t->seq && u->serial < t->serial))
        return TRUE;
    }
  return FALSE;
}

static gboolean
check_repeat (YearCheck *y, const DbYearTask *before, const DbYearTask *t, GError **error)
{
  DrawView *v = view_for (y, t->seq, error);
  if (v == NULL)
    return FALSE;
  if (v->in->emergency != NULL && v->in->emergency->businesses[0] != NULL)
    return TRUE;
  char grade = v->in->emergency ? 0 : t->grade;
  GArray *pool = pool_for (v, t->category, grade);
  guint missed = 0;
  const char *example = NULL;
  for (guint i = 0; i < pool->len; i++)
    {
      guint b = g_array_index (pool, guint, i);
      if (!held (y, v->first_row[b], t))
        {
          missed++;
          if (example == NULL)
            example = ((SchedDrawBusiness *)g_ptr_array_index (v->in->businesses, b))->id;
        }
    }
  if (missed == 0)
    return TRUE;
  g_autofree char *cell = grade ? g_strdup_printf ("category %s, grade %c", t->category, grade)
                                : g_strdup_printf ("category %s", t->category);
  g_set_error (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_REPEAT,
               _ ("business %s was drawn in %d-%02d (draw %d) and again in %d-%02d (draw %d) while "
                  "%u business%s of its pool (%s) had not been drawn this year, e.g. %s"),
               t->uscc, v->info->year, before->month, before->draw_no, v->info->year, t->month,
               t->draw_no, missed, missed == 1 ? "" : "es", cell, example);
  return FALSE;
}

gboolean
svc_tasks_check_year (const SvcContext *ctx, int year, GError **error)
{
  g_autoptr (GArray) rows = db_tasks_year (ctx->conn, svc_district (ctx), year, error);
  g_autoptr (GPtrArray) draws
      = rows ? db_tasks_draws (ctx->conn, svc_district (ctx), year, 0, error) : NULL;
  if (draws == NULL)
    return FALSE;
  YearCheck y = { .ctx = ctx, .rows = rows };
  y.start = g_hash_table_new (g_str_hash, g_str_equal);
  y.draws = g_hash_table_new (g_int64_hash, g_int64_equal);
  y.views = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, view_free);
  for (guint i = 0; i < draws->len; i++)
    {
      DbDrawInfo *d = g_ptr_array_index (draws, i);
      g_hash_table_insert (y.draws, &d->seq, d);
    }
  y.run = g_new0 (guint, MAX (rows->len, 1));
  for (guint i = 0, first = 0; i < rows->len; i++)
    {
      DbYearTask *t = &g_array_index (rows, DbYearTask, i);
      if (i == 0 || strcmp (g_array_index (rows, DbYearTask, first).uscc, t->uscc) != 0)
        {
          first = i;
          g_hash_table_insert (y.start, t->uscc, GUINT_TO_POINTER (i + 1));
        }
      y.run[first]++;
    }
  gboolean ok = TRUE;
  const DbYearTask *before = NULL;
  for (guint i = 0; ok && i < rows->len; i++)
    {
      const DbYearTask *t = &g_array_index (rows, DbYearTask, i);
      if (before != NULL && strcmp (before->uscc, t->uscc) != 0)
        before = NULL;
      if (!t->live)
        continue;
      if (before != NULL)
        ok = check_repeat (&y, before, t, error);
      before = t;
    }
  g_hash_table_unref (y.views);
  g_hash_table_unref (y.draws);
  g_hash_table_unref (y.start);
  g_free (y.run);
  return ok;
}
