/* sched-draw-pick.c: which businesses a plan cell draws (step 3d of
 * sched-draw.h): spread over streets in proportion to their pools, nobody
 * twice in a year while others remain, then the least recently drawn. */
#include "scheduler/sched-draw-private.h"

#include <string.h>

void
sched_draw_apportion (SchedRng *rng, guint64 seats, const guint64 *w, const guint64 *cap,
                      guint64 *k, guint m)
{
  g_autofree guint64 *add = g_new (guint64, m);
  guint64 given = 0;
  memset (k, 0, m * sizeof (guint64));
  while (given < seats)
    {
      guint64 rem = seats - given, total = 0, leftover = rem;
      for (guint j = 0; j < m; j++)
        if (k[j] < cap[j])
          total += w[j];
      g_return_if_fail (total > 0); /* seats <= sum of caps, weights >= caps */
      for (guint j = 0; j < m; j++)
        {
          add[j] = k[j] < cap[j] ? rem * w[j] / total : 0;
          leftover -= add[j];
        }
      if (leftover > 0)
        {
          /* Systematic sampling over the remainders laid end to end: they add
           * up to leftover * total, so the points u, u + total, ... each hit
           * exactly one street, and none twice since each remainder < total. */
          guint64 point = sched_rng_below (rng, total), end = 0;
          for (guint j = 0; j < m && leftover > 0; j++)
            {
              if (k[j] >= cap[j])
                continue;
              end += rem * w[j] % total;
              if (point < end)
                {
                  add[j]++;
                  point += total;
                  leftover--;
                }
            }
        }
      given = 0;
      for (guint j = 0; j < m; j++)
        {
          k[j] = MIN (k[j] + add[j], cap[j]);
          given += k[j];
        }
    }
}

typedef struct
{
  guint64 last;
  guint position; /* after the shuffle: breaks ties between equal keys */
  guint business;
} Repeat;

static int
compare_repeat (const void *a, const void *b)
{
  const Repeat *x = a, *y = b;
  if (x->last != y->last)
    return x->last < y->last ? -1 : 1;
  return x->position < y->position ? -1 : x->position > y->position;
}

/* The n - f businesses drawn a second time: shuffled, then least recent first. */
static void
pick_repeats (SchedRng *rng, const GArray *staffable, guint want, const guint64 *last,
              GArray *chosen)
{
  g_autoptr (GArray) drawn = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < staffable->len; i++)
    if (last[g_array_index (staffable, guint, i)] != 0)
      g_array_append_val (drawn, g_array_index (staffable, guint, i));
  sched_rng_shuffle (rng, drawn->data, drawn->len, sizeof (guint));
  g_autofree Repeat *order = g_new (Repeat, drawn->len);
  for (guint i = 0; i < drawn->len; i++)
    {
      guint b = g_array_index (drawn, guint, i);
      order[i] = (Repeat){ .last = last[b], .position = i, .business = b };
    }
  qsort (order, drawn->len, sizeof (Repeat), compare_repeat);
  for (guint i = 0; i < want; i++)
    g_array_append_val (chosen, order[i].business);
}

GArray *
sched_draw_pick_businesses (SchedRng *rng, const GArray *staffable, guint n, const guint *street,
                            guint n_streets, const guint64 *last)
{
  /* Group by street (counting sort, stable so each group stays in id order),
   * fresh businesses first within each group. */
  g_autofree guint *pool_count = g_new0 (guint, n_streets);
  g_autofree guint *fresh_count = g_new0 (guint, n_streets);
  g_autofree guint *offset = g_new (guint, n_streets + 1);
  guint fresh_total = 0;
  for (guint i = 0; i < staffable->len; i++)
    {
      guint b = g_array_index (staffable, guint, i);
      pool_count[street[b]]++;
      if (last[b] == 0)
        {
          fresh_count[street[b]]++;
          fresh_total++;
        }
    }
  offset[0] = 0;
  for (guint s = 0; s < n_streets; s++)
    offset[s + 1] = offset[s] + fresh_count[s];
  g_autofree guint *fresh = g_new (guint, MAX (fresh_total, 1));
  g_autofree guint *fill = g_memdup2 (offset, n_streets * sizeof (guint));
  for (guint i = 0; i < staffable->len; i++)
    {
      guint b = g_array_index (staffable, guint, i);
      if (last[b] == 0)
        fresh[fill[street[b]]++] = b;
    }

  /* Streets with a pool, in code order, weighted by pool and capped by fresh. */
  g_autofree guint *streets = g_new (guint, n_streets);
  g_autofree guint64 *w = g_new (guint64, n_streets);
  g_autofree guint64 *cap = g_new (guint64, n_streets);
  g_autofree guint64 *k = g_new (guint64, n_streets);
  guint m = 0;
  for (guint s = 0; s < n_streets; s++)
    if (pool_count[s] > 0)
      {
        streets[m] = s;
        w[m] = pool_count[s];
        cap[m] = fresh_count[s];
        m++;
      }
  guint f = MIN (n, fresh_total);
  GArray *chosen = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);
  sched_draw_apportion (rng, f, w, cap, k, m);
  for (guint j = 0; j < m; j++)
    {
      guint *group = fresh + offset[streets[j]];
      guint size = fresh_count[streets[j]];
      for (guint i = 0; i < k[j]; i++)
        {
          guint r = i + (guint)sched_rng_below (rng, size - i);
          guint tmp = group[i];
          group[i] = group[r];
          group[r] = tmp;
          g_array_append_val (chosen, group[i]);
        }
    }
  if (n > f)
    pick_repeats (rng, staffable, n - f, last, chosen);
  return chosen;
}
