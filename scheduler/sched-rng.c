/* sched-rng.c: xoshiro256**, SplitMix64 seeding, Lemire bounded integers and
 * Fisher–Yates, written from the published algorithms (see sched-rng.h). */
#include "scheduler/sched-rng.h"

#include <string.h>

guint64
sched_splitmix64_next (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
sched_rng_init (SchedRng *rng, guint64 seed)
{
  guint64 sm = seed;
  for (int i = 0; i < 4; i++)
    rng->s[i] = sched_splitmix64_next (&sm);
}

void
sched_rng_init_state (SchedRng *rng, const guint64 state[4])
{
  memcpy (rng->s, state, sizeof rng->s);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
sched_rng_next (SchedRng *rng)
{
  guint64 *s = rng->s;
  const guint64 result = rotl (s[1] * 5, 7) * 9;
  const guint64 t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* The full 128-bit product of @a and @b as (*hi, *lo), in plain 64-bit
 * arithmetic so that it needs no compiler extension. */
static void
mul_64x64 (guint64 a, guint64 b, guint64 *hi, guint64 *lo)
{
  const guint64 mask = G_GUINT64_CONSTANT (0xffffffff);
  guint64 a_lo = a & mask, a_hi = a >> 32, b_lo = b & mask, b_hi = b >> 32;
  guint64 p0 = a_lo * b_lo, p1 = a_lo * b_hi, p2 = a_hi * b_lo, p3 = a_hi * b_hi;
  guint64 mid = (p0 >> 32) + (p1 & mask) + (p2 & mask);
  *lo = (mid << 32) | (p0 & mask);
  *hi = p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

guint64
sched_rng_below (SchedRng *rng, guint64 bound)
{
  g_return_val_if_fail (bound > 0, 0);
  guint64 hi, lo;
  mul_64x64 (sched_rng_next (rng), bound, &hi, &lo);
  if (lo < bound)
    {
      /* (2^64 - bound) mod bound, computed without 128-bit integers. */
      const guint64 threshold = (0 - bound) % bound;
      while (lo < threshold)
        mul_64x64 (sched_rng_next (rng), bound, &hi, &lo);
    }
  return hi;
}

void
sched_rng_shuffle (SchedRng *rng, gpointer base, gsize n, gsize size)
{
  if (n < 2)
    return;
  guint8 *bytes = base;
  g_autofree guint8 *tmp = g_malloc (size);
  for (gsize i = n - 1; i > 0; i--)
    {
      gsize j = (gsize)sched_rng_below (rng, (guint64)i + 1);
      if (j == i)
        continue;
      memcpy (tmp, bytes + i * size, size);
      memcpy (bytes + i * size, bytes + j * size, size);
      memcpy (bytes + j * size, tmp, size);
    }
}
