/* sched-draw.h: the monthly double-random draw (双随机): from a month's plan
 * cells and the directories, a reproducible list of sampling tasks.
 *
 * Pure logic: the caller (service/svc-tasks.c) has db/ load the inputs, runs
 * the draw and has db/ store the result with its seed, algorithm version and input digest; anyone
 * holding the same inputs and seed gets the same serialisation byte for byte.
 *
 * The algorithm, version "spotcheck-draw/1" (all string orders are bytewise):
 *  0. Canonical order: cells by (category, grade); businesses, inspectors,
 *     offices and labs by id/code; each list inside a row (categories,
 *     conflicts, streets) sorted. The order rows arrive in never matters.
 *  1. rng = sched_rng_init (seed) (see sched-rng.h). Inspector workloads start
 *     at 0, lab loads at their `used` value, a business's "last drawn" key at
 *     its `last_drawn` (0 = not drawn this year).
 *  2. A business is staffable when an office covers its street and that office
 *     has at least two active inspectors with no recorded conflict with it.
 *  3. For each cell (category c, grade g, quota q), in order:
 *     a. P = active businesses of grade g handling c; S = its staffable part.
 *     b. C = free capacity (capacity - load, not below 0) of labs accredited for c.
 *     c. n = min (q, |S|, C); the rest is reported as shortfalls: the whole q
 *        as empty-pool when P is empty, else q - min(q,|P|) as pool-too-small,
 *        min(q,|P|) - min(q,|S|) as no-inspectors, min(q,|S|) - n as no-lab
 *        (no lab accredited for c) or lab-capacity.
 *     d. Businesses: F = members of S not drawn this year, f = min (n, |F|).
 *        f is apportioned over streets (code order) in proportion to each
 *        street's share of S, capped by its count in F: rem = what is left,
 *        A = streets under their cap, W = sum of their |S_s|; each street in A
 *        gets floor(rem·|S_s|/W), and the leftover seats go to the streets whose
 *        remainders (rem·|S_s| mod W) are hit by the points u, u+W, u+2W, …
 *        with u = below (W) laid over the remainders end to end (systematic
 *        sampling: each street's expected share is exact, its count within one
 *        of it; below() is called only when seats are left over); shares above
 *        a cap are cut to it and the loop repeats. Then, per street in code
 *        order, its k businesses are drawn from its F members in id order by a
 *        partial Fisher–Yates: for i in 0..k-1: j = i + below (m - i), swap
 *        (i, j), where m is the street's count in F. If n > f, the remaining
 *        n - f come from S minus F: shuffle them in id order (Fisher–Yates),
 *        then stable-sort by last-drawn key, least recent first.
 *     e. Each drawn business in that order becomes a task with the next serial
 *        of the month; its last-drawn key becomes MM·10^7 + serial. Inspectors:
 *        among the office's active inspectors without a conflict with it (id
 *        order), those with the fewest tasks this month; one is taken with
 *        below (count of tied); then the second likewise from the rest. Lab:
 *        among labs accredited for c with load < capacity, those with the least
 *        load/capacity (compared as load_a·cap_b vs load_b·cap_a); one with
 *        below (count of tied). below() is called even when one candidate ties.
 *  4. Record number (抽样单编号): 2 letters (record_prefix), 2-digit year,
 *     6-digit district code, 2-digit month, 7-digit serial within the month,
 *     e.g. DC2412010403 0000017 (written without the space): 19 characters,
 *     unique per district and year. Its last 9 digits, read as an integer, are
 *     the task's last-drawn key.
 *  5. Due date: the month's last day, or N working days after draw_date.
 *
 * The emergency draw (应急抽检), version "spotcheck-emergency/1": N tasks of
 * one category at once, outside the plan's cells (charged to its reserve).
 * Its input is the same text with "spotcheck-emergency-input/1" as the first
 * line, no cell rows, and one "emergency" row after the due line: category,
 * count N, first serial, street (empty: every street), named businesses
 * (';'-joined; empty: drawn at random). The steps:
 *  E0. Canonical order as in step 0; the named list is sorted too.
 *  E1. rng, workloads, loads and last-drawn keys as in step 1; step 2 as is.
 *  E2. P = the named businesses that are in the input, active and handle the
 *      category, or, with none named, the active businesses handling the
 *      category (any grade) on the street when one is given; S = its
 *      staffable part; C as in 3b. n = min (N, |S|, C), and the rest is
 *      reported as in 3c (grade written as '*').
 *  E3. Named: the first n of S in id order. Otherwise step 3d with one street
 *      holding all of S (so no seat is apportioned at random): a partial
 *      Fisher–Yates over the members of S not drawn this year, in id order,
 *      then, if n is larger, the least recently drawn of the rest.
 *  E4. Tasks as in 3e, with the business's own grade and serials from the
 *      first serial up. Emergency serials start at 9000001 and continue over
 *      the month's emergency draws, so they never meet a monthly draw's,
 *      which count from 1 and stay below 9000001. Record number and due date
 *      as in steps 4 and 5. */
#pragma once

#include "core/core-calendar.h"
#include "core/core-catalog.h"

G_BEGIN_DECLS

/* The version stored with every draw; changes whenever any step above does. */
#define SCHED_DRAW_ALGORITHM "spotcheck-draw/1 " SCHED_DRAW_RNG_NAME
#define SCHED_DRAW_RNG_NAME "xoshiro256**/splitmix64/lemire/fisher-yates"
/* The first line of the canonical input text of each kind of draw. */
#define SCHED_DRAW_INPUT_FORMAT "spotcheck-draw-input/1"
#define SCHED_EMERGENCY_INPUT_FORMAT "spotcheck-emergency-input/1"
#define SCHED_EMERGENCY_ALGORITHM "spotcheck-emergency/1 " SCHED_DRAW_RNG_NAME
/* The first serial of a month's emergency tasks (step E4); a month's
 * monthly draw stays below it. */
#define SCHED_EMERGENCY_FIRST_SERIAL 9000001u

#define SCHED_DRAW_ERROR (sched_draw_error_quark ())
GQuark sched_draw_error_quark (void);

typedef enum
{
  SCHED_DRAW_ERROR_INVALID,  /* a row of the input is malformed or duplicated */
  SCHED_DRAW_ERROR_DUE_DATE, /* the due date cannot be computed (calendar missing) */
  SCHED_DRAW_ERROR_CONFIG,   /* the [draw] configuration is missing or malformed */
} SchedDrawError;

typedef struct
{
  char *category; /* "01".."34" */
  char grade;     /* 'A'..'D' */
  guint quota;
} SchedDrawCell;

typedef struct
{
  char *id;     /* USCC */
  char *street; /* street code */
  char grade;   /* 'A'..'D' */
  char **categories;
  gboolean active;
  /* 0 when not drawn this year; otherwise the last-drawn key of its latest
   * task this year (last 9 digits of the record number, see above). */
  guint64 last_drawn;
} SchedDrawBusiness;

typedef struct
{
  char *id;
  char *office;
  gboolean active;
  char **conflicts; /* business ids this inspector must never inspect */
} SchedDrawInspector;

typedef struct
{
  char *code;
  char **streets;
} SchedDrawOffice;

typedef struct
{
  char *code;
  char **categories; /* accredited categories */
  guint capacity;    /* tasks a month */
  guint used;        /* already taken this month (e.g. by other draws) */
} SchedDrawLab;

/* What an emergency draw asks for (steps E0-E4). */
typedef struct
{
  char *category;
  guint count;        /* N */
  guint first_serial; /* >= SCHED_EMERGENCY_FIRST_SERIAL */
  char *street;       /* NULL: every street */
  char **businesses;  /* named businesses (USCC); empty: drawn at random */
} SchedDrawEmergency;

typedef enum
{
  SCHED_DUE_END_OF_MONTH,
  SCHED_DUE_WORKING_DAYS,
} SchedDueKind;

typedef struct
{
  guint year;
  guint month; /* 1..12 */
  guint64 seed;
  char *district;        /* 6-digit GB/T 2260 code */
  char record_prefix[3]; /* two capital letters, e.g. "DC" */
  SchedDueKind due_kind;
  guint due_working_days;        /* with SCHED_DUE_WORKING_DAYS */
  GDate draw_date;               /* with SCHED_DUE_WORKING_DAYS */
  const CoreCalendar *calendar;  /* borrowed; with SCHED_DUE_WORKING_DAYS */
  GPtrArray *cells;              /* SchedDrawCell* */
  GPtrArray *businesses;         /* SchedDrawBusiness* */
  GPtrArray *inspectors;         /* SchedDrawInspector* */
  GPtrArray *offices;            /* SchedDrawOffice* */
  GPtrArray *labs;               /* SchedDrawLab* */
  SchedDrawEmergency *emergency; /* NULL: the monthly draw of the cells */
} SchedDrawInput;

/* A new empty input for @year-@month of @district, prefix "DC", due at the
 * end of the month. Free with sched_draw_input_free(). */
SchedDrawInput *sched_draw_input_new (guint year, guint month, const char *district, guint64 seed);
void sched_draw_input_free (SchedDrawInput *input);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedDrawInput, sched_draw_input_free)

/* Adders copy their arguments; the returned row is owned by @input. */
SchedDrawCell *sched_draw_input_add_cell (SchedDrawInput *input, const char *category, char grade,
                                          guint quota);
SchedDrawBusiness *sched_draw_input_add_business (SchedDrawInput *input, const char *id,
                                                  const char *street, char grade,
                                                  const char *const *categories, gboolean active,
                                                  guint64 last_drawn);
SchedDrawInspector *sched_draw_input_add_inspector (SchedDrawInput *input, const char *id,
                                                    const char *office, gboolean active,
                                                    const char *const *conflicts);
SchedDrawOffice *sched_draw_input_add_office (SchedDrawInput *input, const char *code,
                                              const char *const *streets);
SchedDrawLab *sched_draw_input_add_lab (SchedDrawInput *input, const char *code,
                                        const char *const *categories, guint capacity, guint used);
/* Makes @input an emergency draw (steps E0-E4); arguments are copied,
 * @street and @businesses may be NULL. */
void sched_draw_input_set_emergency (SchedDrawInput *input, const char *category, guint count,
                                     guint first_serial, const char *street,
                                     const char *const *businesses);
/* Adds every office of @catalog with the streets it covers. */
void sched_draw_input_add_catalog_offices (SchedDrawInput *input, const CoreCatalog *catalog);

/* Reads the [draw] group: record_prefix (two letters), due (end-of-month or
 * working-days) and, for working-days, due_working_days. The draw date and
 * calendar are the caller's to set. */
gboolean sched_draw_input_set_rules (SchedDrawInput *input, const CoreConfig *config,
                                     GError **error);

/* Checks every row and sorts @input into canonical order (step 0) in place.
 * Fails with SCHED_DRAW_ERROR_INVALID naming the first bad row. */
gboolean sched_draw_input_canonicalize (SchedDrawInput *input, GError **error);

/* The canonical text of the inputs ("spotcheck-draw-input/1", one row a line,
 * tab-separated fields, lists joined by ';'), without the seed, which is
 * stored beside it. Canonicalises @input first. Free with g_free(). */
char *sched_draw_input_serialize (SchedDrawInput *input, GError **error);

/* Lowercase hex SHA-256 of sched_draw_input_serialize(). Free with g_free(). */
char *sched_draw_input_digest (SchedDrawInput *input, GError **error);

typedef struct
{
  char *record; /* 抽样单编号 */
  char *category;
  char grade;
  char *business;
  char *street;
  char *office;
  char *inspectors[2];
  char *lab;
  GDate due;
} SchedDrawTask;

typedef enum
{
  SCHED_SHORTFALL_EMPTY_POOL,     /* no active business of the grade handles the category */
  SCHED_SHORTFALL_POOL_TOO_SMALL, /* fewer such businesses than the quota */
  SCHED_SHORTFALL_NO_INSPECTORS,  /* their offices lack two inspectors free of conflicts */
  SCHED_SHORTFALL_NO_LAB,         /* no lab is accredited for the category */
  SCHED_SHORTFALL_LAB_CAPACITY,   /* accredited labs are full this month */
} SchedShortfallReason;

typedef struct
{
  char *category;
  char grade;
  guint count;
  SchedShortfallReason reason;
} SchedDrawShortfall;

typedef struct
{
  guint year;
  guint month;
  guint64 seed;
  char *algorithm;       /* SCHED_DRAW_ALGORITHM */
  char *input_digest;    /* sched_draw_input_digest() of the input */
  GPtrArray *tasks;      /* SchedDrawTask*, in serial order */
  GPtrArray *shortfalls; /* SchedDrawShortfall*, in cell order */
} SchedDraw;

/* Runs the draw. Canonicalises @input in place first. Returns a new draw
 * (free with sched_draw_free()) or NULL with SCHED_DRAW_ERROR_INVALID or
 * SCHED_DRAW_ERROR_DUE_DATE. */
SchedDraw *sched_draw_run (SchedDrawInput *input, GError **error);
void sched_draw_free (SchedDraw *draw);
/* An empty draw to fill with rows read back from storage: @tasks and
 * @shortfalls own what is added (g_new0'd rows with g_strdup'ed strings). */
SchedDraw *sched_draw_new (guint year, guint month, guint64 seed, const char *algorithm,
                           const char *input_digest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedDraw, sched_draw_free)

/* Canonical text of a draw ("spotcheck-draw/1", or "spotcheck-emergency/1"
 * for an emergency draw: the algorithm's first word; header lines, then one
 * "task" line per task and one "shortfall" line per shortfall,
 * tab-separated), to compare a re-run byte for byte. Free with g_free(). */
char *sched_draw_serialize (const SchedDraw *draw);

/* "empty-pool", "pool-too-small", "no-inspectors", "no-lab", "lab-capacity". */
const char *sched_shortfall_reason_name (SchedShortfallReason reason);

/* The businesses a draw of @category could take from canonical @input:
 * active, of @grade ('A'..'D'; 0: any), handling @category, on @street (NULL:
 * any) and staffable (step 2). Returns their ids in id order, borrowed from
 * @input (free the array with g_ptr_array_unref()). */
GPtrArray *sched_draw_pool (const SchedDrawInput *input, const char *category, char grade,
                            const char *street);
/* Step 2 for every business of canonical @input, in its order. Free with g_free(). */
gboolean *sched_draw_staffable (const SchedDrawInput *input);

/* Sets each drawn business's last_drawn to its task's key, as storage would
 * before next month's draw (lab loads are monthly and left alone). */
void sched_draw_input_mark_drawn (SchedDrawInput *input, const SchedDraw *draw);

G_END_DECLS
