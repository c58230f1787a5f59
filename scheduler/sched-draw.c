/* sched-draw.c: the draw itself (steps 1-5 of sched-draw.h, and E1-E4 for an
 * emergency draw): indexes the canonical input, then fills each plan cell in
 * order, or the emergency request. */
#include "scheduler/sched-draw.h"
#include "scheduler/sched-draw-private.h"
#include "scheduler/sched-rng.h"

#include <string.h>
#include "core/core-i18n.h"

#define KEY_MONTH_FACTOR G_GUINT64_CONSTANT (10000000)

typedef struct
{
  SchedDrawInput *in;
  SchedRng rng;
  GHashTable *street_rank; /* street code -> rank + 1, over every street named */
  guint n_streets;
  guint *b_street; /* per business: street rank */
  gint *b_office;  /* per business: office index, or -1 */
  gboolean *b_staffable;
  guint64 *last;              /* working last-drawn keys */
  GHashTable *conflicts;      /* business index + 1 -> GArray of inspector indexes */
  GArray **office_inspectors; /* per office: its active inspectors, id order */
  guint *insp_count;
  guint *lab_load;
  GArray *scratch; /* candidates while picking inspectors and labs */
  guint serial;
  GDate due;
  SchedDraw *draw;
} DrawCtx;

static void
ctx_clear (DrawCtx *ctx)
{
  g_clear_pointer (&ctx->street_rank, g_hash_table_unref);
  g_clear_pointer (&ctx->conflicts, g_hash_table_unref);
  if (ctx->office_inspectors != NULL)
    for (guint i = 0; i < ctx->in->offices->len; i++)
      g_array_unref (ctx->office_inspectors[i]);
  g_free (ctx->office_inspectors);
  g_free (ctx->b_street);
  g_free (ctx->b_office);
  g_free (ctx->b_staffable);
  g_free (ctx->last);
  g_free (ctx->insp_count);
  g_free (ctx->lab_load);
  g_clear_pointer (&ctx->scratch, g_array_unref);
  g_clear_pointer (&ctx->draw, sched_draw_free);
}

/* Index of the row whose key is @key in canonical @rows, or -1. */
static gint
find_row (GPtrArray *rows, const char *key)
{
  guint lo = 0, hi = rows->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int c = strcmp (*(char **)g_ptr_array_index (rows, mid), key);
      if (c == 0)
        return (gint)mid;
      if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return -1;
}

static int
compare_cstr (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* Ranks every street named by an office or a business in code order. */
static void
index_streets (DrawCtx *ctx)
{
  SchedDrawInput *in = ctx->in;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < in->offices->len; i++)
    for (char **s = ((SchedDrawOffice *)g_ptr_array_index (in->offices, i))->streets; *s; s++)
      g_hash_table_add (seen, *s);
  for (guint i = 0; i < in->businesses->len; i++)
    g_hash_table_add (seen, ((SchedDrawBusiness *)g_ptr_array_index (in->businesses, i))->street);
  guint n = 0;
  g_autofree gpointer *codes = g_hash_table_get_keys_as_array (seen, &n);
  qsort (codes, n, sizeof (gpointer), compare_cstr);
  ctx->n_streets = n;
  ctx->street_rank = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    g_hash_table_insert (ctx->street_rank, codes[i], GUINT_TO_POINTER (i + 1));
}

static gboolean
in_conflict (const DrawCtx *ctx, guint business, guint inspector)
{
  GArray *list = g_hash_table_lookup (ctx->conflicts, GUINT_TO_POINTER (business + 1));
  if (list == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    if (g_array_index (list, guint, i) == inspector)
      return TRUE;
  return FALSE;
}

static void
index_inspectors (DrawCtx *ctx)
{
  SchedDrawInput *in = ctx->in;
  ctx->office_inspectors = g_new0 (GArray *, in->offices->len);
  for (guint i = 0; i < in->offices->len; i++)
    ctx->office_inspectors[i] = g_array_new (FALSE, FALSE, sizeof (guint));
  ctx->conflicts = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_array_unref);
  for (guint i = 0; i < in->inspectors->len; i++)
    {
      SchedDrawInspector *s = g_ptr_array_index (in->inspectors, i);
      if (s->active)
        g_array_append_val (ctx->office_inspectors[find_row (in->offices, s->office)], i);
      /* A conflict naming a business not in the directory cannot be violated. */
      for (char **c = s->conflicts; *c; c++)
        {
          gint b = find_row (in->businesses, *c);
          if (b < 0)
            continue;
          GArray *list = g_hash_table_lookup (ctx->conflicts, GUINT_TO_POINTER (b + 1));
          if (list == NULL)
            {
              list = g_array_new (FALSE, FALSE, sizeof (guint));
              g_hash_table_insert (ctx->conflicts, GUINT_TO_POINTER (b + 1), list);
            }
          g_array_append_val (list, i);
        }
    }
}

static void
index_businesses (DrawCtx *ctx)
{
  SchedDrawInput *in = ctx->in;
  guint n = in->businesses->len;
  g_autoptr (GHashTable) street_office = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < in->offices->len; i++)
    for (char **s = ((SchedDrawOffice *)g_ptr_array_index (in->offices, i))->streets; *s; s++)
      g_hash_table_insert (street_office, *s, GUINT_TO_POINTER (i + 1));
  ctx->b_street = g_new (guint, n);
  ctx->b_office = g_new (gint, n);
  ctx->b_staffable = g_new (gboolean, n);
  ctx->last = g_new (guint64, n);
  for (guint b = 0; b < n; b++)
    {
      SchedDrawBusiness *row = g_ptr_array_index (in->businesses, b);
      ctx->b_street[b] = GPOINTER_TO_UINT (g_hash_table_lookup (ctx->street_rank, row->street)) - 1;
      ctx->b_office[b]
          = (gint)GPOINTER_TO_UINT (g_hash_table_lookup (street_office, row->street)) - 1;
      ctx->last[b] = row->last_drawn;
      guint free_inspectors = 0;
      if (ctx->b_office[b] >= 0)
        {
          GArray *staff = ctx->office_inspectors[ctx->b_office[b]];
          for (guint k = 0; k < staff->len; k++)
            if (!in_conflict (ctx, b, g_array_index (staff, guint, k)))
              free_inspectors++;
        }
      ctx->b_staffable[b] = free_inspectors >= 2;
    }
}

/* Pools of every cell: active businesses of its grade handling its category,
 * in id order. One pass over the directory, whatever the number of cells. */
static GArray **
build_pools (const DrawCtx *ctx)
{
  SchedDrawInput *in = ctx->in;
  GArray **pools = g_new0 (GArray *, in->cells->len);
  g_autoptr (GHashTable) by_category
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint c = 0; c < in->cells->len; c++)
    {
      SchedDrawCell *cell = g_ptr_array_index (in->cells, c);
      pools[c] = g_array_new (FALSE, FALSE, sizeof (guint));
      guint *grades = g_hash_table_lookup (by_category, cell->category);
      if (grades == NULL)
        {
          grades = g_new0 (guint, 4);
          g_hash_table_insert (by_category, cell->category, grades);
        }
      grades[cell->grade - 'A'] = c + 1;
    }
  for (guint b = 0; b < in->businesses->len; b++)
    {
      SchedDrawBusiness *row = g_ptr_array_index (in->businesses, b);
      if (!row->active)
        continue;
      for (char **cat = row->categories; *cat; cat++)
        {
          guint *grades = g_hash_table_lookup (by_category, *cat);
          if (grades != NULL && grades[row->grade - 'A'] != 0)
            g_array_append_val (pools[grades[row->grade - 'A'] - 1], b);
        }
    }
  return pools;
}

static gboolean
compute_due (DrawCtx *ctx, GError **error)
{
  SchedDrawInput *in = ctx->in;
  if (in->due_kind == SCHED_DUE_END_OF_MONTH)
    {
      g_date_clear (&ctx->due, 1);
      g_date_set_dmy (&ctx->due, g_date_get_days_in_month (in->month, in->year), in->month,
                      in->year);
      return TRUE;
    }
  if (in->calendar == NULL || !g_date_valid (&in->draw_date))
    {
      g_set_error (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_DUE_DATE,
                   _ ("due dates in working days need the draw date and the holiday calendar"));
      return FALSE;
    }
  g_autoptr (GError) local = NULL;
  if (!core_calendar_add_working_days (in->calendar, &in->draw_date, (int)in->due_working_days,
                                       &ctx->due, &local))
    {
      g_set_error (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_DUE_DATE,
                   _ ("cannot set the tasks' due date: %s"), local->message);
      return FALSE;
    }
  return TRUE;
}

static void
add_shortfall (DrawCtx *ctx, const SchedDrawCell *cell, guint count, SchedShortfallReason why)
{
  if (count == 0)
    return;
  SchedDrawShortfall *s = g_new0 (SchedDrawShortfall, 1);
  s->category = g_strdup (cell->category);
  s->grade = cell->grade;
  s->count = count;
  s->reason = why;
  g_ptr_array_add (ctx->draw->shortfalls, s);
}

/* Among @candidates (indexes in id order) keeps those minimising @score and
 * returns one of them drawn uniformly; load/capacity scores compare as
 * fractions num/den without rounding. */
static guint
pick_least (DrawCtx *ctx, const guint *candidates, guint n, const guint64 *num, const guint64 *den)
{
  g_array_set_size (ctx->scratch, 0);
  guint best = 0;
  for (guint i = 0; i < n; i++)
    {
      if (ctx->scratch->len > 0)
        {
          guint64 lhs = num[i] * den[best], rhs = num[best] * den[i];
          if (lhs > rhs)
            continue;
          if (lhs < rhs)
            g_array_set_size (ctx->scratch, 0);
        }
      if (ctx->scratch->len == 0)
        best = i;
      g_array_append_val (ctx->scratch, candidates[i]);
    }
  return g_array_index (ctx->scratch, guint, sched_rng_below (&ctx->rng, ctx->scratch->len));
}

static void
pick_inspectors (DrawCtx *ctx, guint business, SchedDrawTask *task)
{
  GArray *staff = ctx->office_inspectors[ctx->b_office[business]];
  g_autofree guint *cand = g_new (guint, staff->len);
  g_autofree guint64 *num = g_new (guint64, staff->len);
  g_autofree guint64 *den = g_new (guint64, staff->len);
  guint first = G_MAXUINT;
  for (int round = 0; round < 2; round++)
    {
      guint n = 0;
      for (guint k = 0; k < staff->len; k++)
        {
          guint s = g_array_index (staff, guint, k);
          if (s == first || in_conflict (ctx, business, s))
            continue;
          cand[n] = s;
          num[n] = ctx->insp_count[s];
          den[n] = 1;
          n++;
        }
      guint chosen = pick_least (ctx, cand, n, num, den);
      ctx->insp_count[chosen]++;
      first = chosen;
      task->inspectors[round]
          = g_strdup (((SchedDrawInspector *)g_ptr_array_index (ctx->in->inspectors, chosen))->id);
    }
}

static void
pick_lab (DrawCtx *ctx, const GArray *accredited, SchedDrawTask *task)
{
  g_autofree guint *cand = g_new (guint, accredited->len);
  g_autofree guint64 *num = g_new (guint64, accredited->len);
  g_autofree guint64 *den = g_new (guint64, accredited->len);
  guint n = 0;
  for (guint k = 0; k < accredited->len; k++)
    {
      guint l = g_array_index (accredited, guint, k);
      SchedDrawLab *lab = g_ptr_array_index (ctx->in->labs, l);
      if (ctx->lab_load[l] >= lab->capacity)
        continue;
      cand[n] = l;
      num[n] = ctx->lab_load[l];
      den[n] = lab->capacity;
      n++;
    }
  guint chosen = pick_least (ctx, cand, n, num, den);
  ctx->lab_load[chosen]++;
  task->lab = g_strdup (((SchedDrawLab *)g_ptr_array_index (ctx->in->labs, chosen))->code);
}

static void
make_task (DrawCtx *ctx, const SchedDrawCell *cell, guint business, const GArray *accredited)
{
  SchedDrawInput *in = ctx->in;
  SchedDrawBusiness *row = g_ptr_array_index (in->businesses, business);
  char grade = cell->grade != 0 ? cell->grade : row->grade;
  SchedDrawTask *task = g_new0 (SchedDrawTask, 1);
  ctx->serial++;
  task->record = g_strdup_printf ("%s%02u%s%02u%07u", in->record_prefix, in->year % 100,
                                  in->district, in->month, ctx->serial);
  ctx->last[business] = in->month * KEY_MONTH_FACTOR + ctx->serial;
  task->category = g_strdup (cell->category);
  task->grade = grade;
  task->business = g_strdup (row->id);
  task->street = g_strdup (row->street);
  task->office = g_strdup (
      ((SchedDrawOffice *)g_ptr_array_index (in->offices, ctx->b_office[business]))->code);
  pick_inspectors (ctx, business, task);
  pick_lab (ctx, accredited, task);
  task->due = ctx->due;
  g_ptr_array_add (ctx->draw->tasks, task);
}

/* Steps 3a-3e for one cell; @pool in id order. An emergency draw passes a
 * cell of grade 0 (each task takes its business's grade) and @named. */
static void
draw_cell (DrawCtx *ctx, const SchedDrawCell *cell, const GArray *pool, gboolean named)
{
  SchedDrawInput *in = ctx->in;
  g_autoptr (GArray) staffable = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < pool->len; i++)
    if (ctx->b_staffable[g_array_index (pool, guint, i)])
      g_array_append_val (staffable, g_array_index (pool, guint, i));
  g_autoptr (GArray) accredited = g_array_new (FALSE, FALSE, sizeof (guint));
  guint64 capacity = 0;
  for (guint l = 0; l < in->labs->len; l++)
    {
      SchedDrawLab *lab = g_ptr_array_index (in->labs, l);
      if (!g_strv_contains ((const char *const *)lab->categories, cell->category))
        continue;
      g_array_append_val (accredited, l);
      if (ctx->lab_load[l] < lab->capacity)
        capacity += lab->capacity - ctx->lab_load[l];
    }

  guint q = cell->quota;
  guint in_pool = MIN (q, pool->len), staffed = MIN (in_pool, staffable->len);
  guint n = (guint)MIN ((guint64)staffed, capacity);
  SchedDrawCell shown = *cell; /* an emergency draw's shortfalls show grade '*' */
  if (shown.grade == 0)
    shown.grade = '*';
  if (pool->len == 0)
    add_shortfall (ctx, &shown, q, SCHED_SHORTFALL_EMPTY_POOL);
  add_shortfall (ctx, &shown, pool->len > 0 ? q - in_pool : 0, SCHED_SHORTFALL_POOL_TOO_SMALL);
  add_shortfall (ctx, &shown, in_pool - staffed, SCHED_SHORTFALL_NO_INSPECTORS);
  add_shortfall (ctx, &shown, staffed - n,
                 accredited->len == 0 ? SCHED_SHORTFALL_NO_LAB : SCHED_SHORTFALL_LAB_CAPACITY);
  if (n == 0)
    return;

  g_autoptr (GArray) chosen = NULL;
  if (named)
    chosen = g_array_ref (staffable); /* step E3: the first n of S */
  else if (in->emergency != NULL)
    {
      /* Step E3: one street holding all of S. */
      g_autofree guint *one = g_new0 (guint, in->businesses->len);
      chosen = sched_draw_pick_businesses (&ctx->rng, staffable, n, one, 1, ctx->last);
    }
  else
    chosen = sched_draw_pick_businesses (&ctx->rng, staffable, n, ctx->b_street, ctx->n_streets,
                                         ctx->last);
  for (guint i = 0; i < n; i++)
    make_task (ctx, cell, g_array_index (chosen, guint, i), accredited);
}

static gboolean
handles (const SchedDrawBusiness *b, const char *category)
{
  return g_strv_contains ((const char *const *)b->categories, category);
}

/* Step E2's P, in id order. */
static GArray *
emergency_pool (const DrawCtx *ctx)
{
  const SchedDrawInput *in = ctx->in;
  const SchedDrawEmergency *e = in->emergency;
  GArray *pool = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean named = e->businesses[0] != NULL;
  for (guint b = 0; b < in->businesses->len; b++)
    {
      const SchedDrawBusiness *row = g_ptr_array_index (in->businesses, b);
      if (!row->active || !handles (row, e->category))
        continue;
      if (named ? !g_strv_contains ((const char *const *)e->businesses, row->id)
                : e->street != NULL && strcmp (row->street, e->street) != 0)
        continue;
      g_array_append_val (pool, b);
    }
  return pool;
}

SchedDraw *
sched_draw_run (SchedDrawInput *input, GError **error)
{
  g_autofree char *digest = sched_draw_input_digest (input, error);
  if (digest == NULL)
    return NULL;
  DrawCtx ctx = { .in = input };
  if (!compute_due (&ctx, error))
    return NULL;
  sched_rng_init (&ctx.rng, input->seed);
  ctx.draw = g_new0 (SchedDraw, 1);
  ctx.draw->year = input->year;
  ctx.draw->month = input->month;
  ctx.draw->seed = input->seed;
  ctx.draw->algorithm
      = g_strdup (input->emergency ? SCHED_EMERGENCY_ALGORITHM : SCHED_DRAW_ALGORITHM);
  ctx.draw->input_digest = g_steal_pointer (&digest);
  ctx.draw->tasks = g_ptr_array_new_with_free_func (sched_draw_task_free);
  ctx.draw->shortfalls = g_ptr_array_new_with_free_func (sched_draw_shortfall_free);
  ctx.insp_count = g_new0 (guint, input->inspectors->len);
  ctx.lab_load = g_new0 (guint, input->labs->len);
  for (guint l = 0; l < input->labs->len; l++)
    ctx.lab_load[l] = ((SchedDrawLab *)g_ptr_array_index (input->labs, l))->used;
  ctx.scratch = g_array_new (FALSE, FALSE, sizeof (guint));

  index_streets (&ctx);
  index_inspectors (&ctx);
  index_businesses (&ctx);
  if (input->emergency != NULL)
    {
      const SchedDrawEmergency *e = input->emergency;
      SchedDrawCell cell = { .category = e->category, .grade = 0, .quota = e->count };
      ctx.serial = e->first_serial - 1;
      g_autoptr (GArray) pool = emergency_pool (&ctx);
      draw_cell (&ctx, &cell, pool, e->businesses[0] != NULL);
    }
  GArray **pools = build_pools (&ctx);
  for (guint c = 0; c < input->cells->len; c++)
    {
      draw_cell (&ctx, g_ptr_array_index (input->cells, c), pools[c], FALSE);
      g_array_unref (pools[c]);
    }
  g_free (pools);
  SchedDraw *draw = g_steal_pointer (&ctx.draw);
  ctx_clear (&ctx);
  return draw;
}

gboolean *
sched_draw_staffable (const SchedDrawInput *input)
{
  DrawCtx ctx = { .in = (SchedDrawInput *)input };
  index_streets (&ctx);
  index_inspectors (&ctx);
  index_businesses (&ctx);
  gboolean *staffable = g_steal_pointer (&ctx.b_staffable);
  ctx_clear (&ctx);
  return staffable;
}

GPtrArray *
sched_draw_pool (const SchedDrawInput *input, const char *category, char grade, const char *street)
{
  g_autofree gboolean *staffable = sched_draw_staffable (input);
  GPtrArray *ids = g_ptr_array_new ();
  for (guint b = 0; b < input->businesses->len; b++)
    {
      SchedDrawBusiness *row = g_ptr_array_index (input->businesses, b);
      if (row->active && staffable[b] && (grade == 0 || row->grade == grade)
          && handles (row, category) && (street == NULL || strcmp (row->street, street) == 0))
        g_ptr_array_add (ids, row->id);
    }
  return ids;
}
