/* sched-rng.h: the draw's pseudo-random generator, specified exactly so that
 * anyone can re-implement it and re-run a published draw (一公开).
 *
 * Generator: xoshiro256** 1.0 (Blackman and Vigna, https://prng.di.unimi.it/),
 * its 256-bit state filled from the 64-bit seed by four successive outputs of
 * SplitMix64 (Vigna's splitmix64.c, state starting at the seed). All
 * arithmetic is on unsigned 64-bit integers modulo 2^64, so results are the
 * same on every platform.
 *
 * Bounded integers (sched_rng_below): Lemire's multiply-and-reject method
 * ("Fast random integer generation in an interval", ACM TOMACS 2019):
 *   x = next(); m = x * n (full 128-bit product); low = m mod 2^64;
 *   if low < n: t = (2^64 - n) mod n; while low < t: x = next(); m = x * n; low = m mod 2^64
 *   result = m div 2^64
 * which is exactly uniform on [0, n).
 *
 * Shuffle (sched_rng_shuffle): Fisher–Yates from the end:
 *   for i = n-1 down to 1: j = below(i + 1); swap(a[i], a[j]). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Name of the generator and the derived operations, stored with each draw. */
#define SCHED_RNG_NAME "xoshiro256** seeded by splitmix64, lemire bounded, fisher-yates"

typedef struct
{
  guint64 s[4];
} SchedRng;

/* One step of SplitMix64: advances *@state by 0x9e3779b97f4a7c15 and returns
 * the mixed value. */
guint64 sched_splitmix64_next (guint64 *state);

/* Seeds @rng from @seed: s[0..3] = four successive SplitMix64 outputs. */
void sched_rng_init (SchedRng *rng, guint64 seed);

/* Sets the raw state (for known-answer tests against the reference code). */
void sched_rng_init_state (SchedRng *rng, const guint64 state[4]);

/* The next 64-bit output of xoshiro256**. */
guint64 sched_rng_next (SchedRng *rng);

/* A uniform integer in [0, @bound); @bound must be > 0. */
guint64 sched_rng_below (SchedRng *rng, guint64 bound);

/* Shuffles @n elements of @size bytes at @base in place (Fisher–Yates above). */
void sched_rng_shuffle (SchedRng *rng, gpointer base, gsize n, gsize size);

G_END_DECLS
