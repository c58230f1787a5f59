/* sched-plan-config.c: plan inputs from the layered configuration; every
 * refusal names the file, group and key to fix. */
#include "scheduler/sched-plan-config.h"

#include "scheduler/sched-exact-private.h"
#include "scheduler/sched-ideal.h"
#include "scheduler/sched-plan.h"

#include <math.h>
#include <string.h>
#include "core/core-i18n.h"

struct SchedGradeCounts
{
  GHashTable *by_code; /* code -> gint64[SCHED_N_GRADES] */
};

SchedGradeCounts *
sched_grade_counts_new (void)
{
  SchedGradeCounts *counts = g_new0 (SchedGradeCounts, 1);
  counts->by_code = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return counts;
}

void
sched_grade_counts_set (SchedGradeCounts *counts, const char *category_code, guint grade,
                        gint64 businesses)
{
  g_return_if_fail (grade < SCHED_N_GRADES && businesses >= 0);
  gint64 *row = g_hash_table_lookup (counts->by_code, category_code);
  if (row == NULL)
    {
      row = g_new0 (gint64, SCHED_N_GRADES);
      g_hash_table_insert (counts->by_code, g_strdup (category_code), row);
    }
  row[grade] = businesses;
}

gint64
sched_grade_counts_get (const SchedGradeCounts *counts, const char *category_code, guint grade)
{
  const gint64 *row = g_hash_table_lookup (counts->by_code, category_code);
  return row && grade < SCHED_N_GRADES ? row[grade] : 0;
}

void
sched_grade_counts_free (SchedGradeCounts *counts)
{
  if (counts == NULL)
    return;
  g_hash_table_unref (counts->by_code);
  g_free (counts);
}

gboolean
sched_plan_config_check_total (gint64 total, GError **error)
{
  if (total >= 1 && total <= SCHED_PLAN_TOTAL_MAX)
    return TRUE;
  g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
               "a total of %" G_GINT64_FORMAT " batches is out of range; give a whole number "
               "from 1 to %" G_GINT64_FORMAT,
               total, SCHED_PLAN_TOTAL_MAX);
  return FALSE;
}

SchedPlanInput *
sched_plan_input_new (int year, gint64 total, guint n_months, guint n_categories, guint n_grades)
{
  SchedPlanInput *in = g_new0 (SchedPlanInput, 1);
  in->year = year;
  in->total = total;
  in->n_months = n_months;
  in->n_categories = n_categories;
  in->n_grades = n_grades;
  in->solver_seconds = SCHED_PLAN_SOLVER_SECONDS;
  in->month_weights = g_new (double, n_months);
  in->codes = g_new0 (char *, n_categories + 1);
  in->category_weights = g_new (double, n_categories);
  in->minimums = g_new0 (gint64, n_categories);
  in->seed = g_new (double, (gsize)n_months *n_categories);
  in->pools = g_new (double, (gsize)n_categories *n_grades);
  for (guint m = 0; m < n_months; m++)
    in->month_weights[m] = 1.0;
  for (guint c = 0; c < n_categories; c++)
    {
      in->codes[c] = g_strdup_printf ("%02u", c + 1);
      in->category_weights[c] = 1.0;
    }
  for (gsize i = 0; i < (gsize)n_months * n_categories; i++)
    in->seed[i] = 1.0;
  for (gsize i = 0; i < (gsize)n_categories * n_grades; i++)
    in->pools[i] = 1.0;
  return in;
}

SchedPlanInput *
sched_plan_input_copy (const SchedPlanInput *src)
{
  SchedPlanInput *in = g_memdup2 (src, sizeof *src);
  in->month_weights = g_memdup2 (src->month_weights, sizeof (double) * src->n_months);
  in->codes = g_strdupv (src->codes);
  in->category_weights = g_memdup2 (src->category_weights, sizeof (double) * src->n_categories);
  in->minimums = g_memdup2 (src->minimums, sizeof (gint64) * src->n_categories);
  in->seed = g_memdup2 (src->seed, sizeof (double) * src->n_months * src->n_categories);
  in->pools = g_memdup2 (src->pools, sizeof (double) * src->n_categories * src->n_grades);
  return in;
}

void
sched_plan_input_free (SchedPlanInput *in)
{
  if (in == NULL)
    return;
  g_free (in->month_weights);
  g_strfreev (in->codes);
  g_free (in->category_weights);
  g_free (in->minimums);
  g_free (in->seed);
  g_free (in->pools);
  g_free (in);
}

/* A list of @n non-negative numbers, not all zero; @out untouched when the key is absent. */
static gboolean
read_numbers (const CoreConfig *config, const char *group, const char *key, guint n, double *out,
              GError **error)
{
  if (!core_config_has_key (config, group, key))
    return TRUE;
  g_auto (GStrv) items = core_config_get_list (config, group, key, error);
  if (items == NULL)
    return FALSE;
  if (g_strv_length (items) != n)
    {
      core_config_set_invalid (config, error, group, key,
                               _ ("expected %u numbers separated by ';', got %u"), n,
                               g_strv_length (items));
      return FALSE;
    }
  double sum = 0.0;
  for (guint i = 0; i < n; i++)
    {
      char *end = NULL;
      out[i] = g_ascii_strtod (items[i], &end);
      if (end == items[i] || *end != '\0' || !isfinite (out[i]) || out[i] < 0.0
          || out[i] > SCHED_PLAN_WEIGHT_MAX)
        {
          core_config_set_invalid (config, error, group, key,
                                   _ ("item %u is \"%s\"; expected a number from 0 to %g"), i + 1,
                                   items[i], SCHED_PLAN_WEIGHT_MAX);
          return FALSE;
        }
      sum += out[i];
    }
  if (!(sum > 0.0))
    {
      core_config_set_invalid (config, error, group, key,
                               _ ("every weight is zero; give at least one a positive weight"));
      return FALSE;
    }
  return TRUE;
}

/* "5-9", "11-2" (wrapping over the new year), "8;9" or "1-2;12" as a month bit set. */
static gboolean
read_months (const CoreConfig *config, const char *group, const char *key, guint n_months,
             guint *mask, GError **error)
{
  g_auto (GStrv) items = core_config_get_list (config, group, key, error);
  if (items == NULL)
    return FALSE;
  *mask = 0;
  for (char **p = items; *p != NULL; p++)
    {
      g_auto (GStrv) ends = g_strsplit (*p, "-", 2);
      guint64 a = 0, b = 0;
      gboolean ok = g_ascii_string_to_unsigned (g_strstrip (ends[0]), 10, 1, n_months, &a, NULL);
      if (ok)
        ok = ends[1] == NULL
                 ? (b = a, TRUE)
                 : g_ascii_string_to_unsigned (g_strstrip (ends[1]), 10, 1, n_months, &b, NULL);
      if (!ok)
        {
          core_config_set_invalid (config, error, group, key,
                                   _ ("\"%s\" is not a month or range of months from 1 to %u "
                                      "(write e.g. 5-9 or 8;9)"),
                                   *p, n_months);
          return FALSE;
        }
      for (guint64 m = a;; m = m % n_months + 1)
        {
          *mask |= 1u << (m - 1);
          if (m == b)
            break;
        }
    }
  if (*mask == 0)
    {
      core_config_set_invalid (config, error, group, key, _ ("names no month"));
      return FALSE;
    }
  return TRUE;
}

static int
compare_codes (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

/* Category codes of the catalogue, sorted. */
static GStrv
catalogue_codes (const CoreConfig *config)
{
  g_auto (GStrv) groups = core_config_groups (config, "category ");
  guint n = g_strv_length (groups);
  GStrv codes = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    codes[i] = g_strdup (groups[i] + strlen ("category "));
  qsort (codes, n, sizeof (char *), compare_codes);
  return codes;
}

static int
code_index (const SchedPlanInput *in, const char *code)
{
  for (guint c = 0; c < in->n_categories; c++)
    if (strcmp (in->codes[c], code) == 0)
      return (int)c;
  return -1;
}

/* weight, minimum, focus and months of one category. */
static gboolean
read_category (const CoreConfig *config, const char *plan_group, SchedPlanInput *in, guint c,
               GError **error)
{
  g_autofree char *group = g_strdup_printf ("%s category %s", plan_group, in->codes[c]);
  double weight = 1.0, focus = 1.0;
  gint64 minimum = 0;
  if (core_config_has_key (config, group, "weight"))
    {
      if (!core_config_get_double (config, group, "weight", 0.0, SCHED_PLAN_WEIGHT_MAX, &weight,
                                   error))
        return FALSE;
    }
  else if (core_config_has_key (config, plan_group, "default_weight")
           && !core_config_get_double (config, plan_group, "default_weight", 0.0,
                                       SCHED_PLAN_WEIGHT_MAX, &weight, error))
    return FALSE;
  const char *mgroup = core_config_has_key (config, group, "minimum") ? group : plan_group;
  if (core_config_has_key (config, mgroup, "minimum")
      && !core_config_get_int (config, mgroup, "minimum", 0, SCHED_PLAN_TOTAL_MAX, &minimum, error))
    return FALSE;
  if (core_config_has_key (config, group, "focus")
      && !core_config_get_double (config, group, "focus", 0.0, SCHED_PLAN_BOOST_MAX, &focus, error))
    return FALSE;
  in->category_weights[c] = sched_decimal_product (weight, focus); /* exact: 300 × 1.3 is 390 */
  in->minimums[c] = minimum;
  if (core_config_has_key (config, group, "months"))
    {
      guint mask = 0;
      if (!read_months (config, group, "months", in->n_months, &mask, error))
        return FALSE;
      for (guint m = 0; m < in->n_months; m++)
        if (!(mask & (1u << m)))
          in->seed[m * in->n_categories + c] = 0.0;
    }
  return TRUE;
}

/* [plan YEAR season NAME]: categories, months, boost. */
static gboolean
read_season (const CoreConfig *config, const char *group, SchedPlanInput *in, GError **error)
{
  g_auto (GStrv) cats = core_config_get_list (config, group, "categories", error);
  if (cats == NULL)
    return FALSE;
  guint mask = 0;
  double boost = 1.0;
  if (!read_months (config, group, "months", in->n_months, &mask, error)
      || !core_config_get_double (config, group, "boost", 0.0, SCHED_PLAN_BOOST_MAX, &boost, error))
    return FALSE;
  if (!(boost > 0.0))
    {
      core_config_set_invalid (config, error, group, "boost",
                               _ ("must be above 0 (limit a category's months with its own "
                                  "months key instead)"));
      return FALSE;
    }
  for (char **p = cats; *p != NULL; p++)
    {
      int c = code_index (in, *p);
      if (c < 0)
        {
          core_config_set_invalid (config, error, group, "categories",
                                   _ ("names category \"%s\", which is not in the catalogue "
                                      "(config/categories.conf)"),
                                   *p);
          return FALSE;
        }
      for (guint m = 0; m < in->n_months; m++)
        if (mask & (1u << m))
          in->seed[m * in->n_categories + (guint)c] *= boost;
    }
  return TRUE;
}

/* Hall's condition over month sets: the categories confined to some months
 * (their months key) must need no more than those months hold. The error
 * names the months key of the first such category and lists each, saying
 * where its minimum is what binds it. */
static gboolean
check_months_room (const CoreConfig *config, const char *plan_group, const SchedPlanInput *in,
                   const gint64 *months, const gint64 *cats, GError **error)
{
  guint set;
  gint64 need, hold;
  if (!sched_ideal_months_overfull (in->n_months, in->n_categories, months, cats, in->seed, &set,
                                    &need, &hold))
    return TRUE;
  g_autoptr (GString) who = g_string_new (NULL);
  int first = -1;
  for (guint c = 0; c < in->n_categories; c++)
    {
      gboolean confined = cats[c] > 0;
      for (guint m = 0; confined && m < in->n_months; m++)
        if (in->seed[m * in->n_categories + c] > 0.0 && !(set & (1u << m)))
          confined = FALSE;
      if (!confined)
        continue;
      gboolean at_minimum = in->minimums[c] > 0 && cats[c] == in->minimums[c];
      g_string_append_printf (who, "%s%s (%" G_GINT64_FORMAT " batches%s)", who->len ? ", " : "",
                              in->codes[c], cats[c], at_minimum ? ", its minimum" : "");
      if (first < 0)
        first = (int)c;
    }
  g_autofree char *names = sched_ideal_months_text (set);
  g_autofree char *group = g_strdup_printf ("%s category %s", plan_group, in->codes[first]);
  core_config_set_invalid (config, error, group, "months",
                           "categories sampled only in months %s need %" G_GINT64_FORMAT
                           " batches there but those months hold only %" G_GINT64_FORMAT
                           ": %s; widen their months, or lower their minimums or weights",
                           names, need, hold, who->str);
  return FALSE;
}

/* Targets that the configuration alone can show to be impossible. */
static gboolean
check_targets (const CoreConfig *config, const char *plan_group, const SchedPlanInput *in,
               const SchedGradeCounts *counts, gboolean total_given, GError **error)
{
  gint64 min_sum = 0, reserve = 0;
  double weight_sum = 0.0;
  for (guint c = 0; c < in->n_categories; c++)
    {
      min_sum += in->minimums[c];
      weight_sum += in->category_weights[c];
    }
  if (!(weight_sum > 0.0))
    {
      core_config_set_invalid (config, error, plan_group, "default_weight",
                               _ ("every category's weight (this key, each [%s category CODE] "
                                  "weight or focus) is zero; give at least one a positive weight"),
                               plan_group);
      return FALSE;
    }
  g_autofree gint64 *months = g_new (gint64, in->n_months);
  g_autofree gint64 *cats = g_new (gint64, in->n_categories);
  reserve = sched_plan_reserve (in);
  if (min_sum > in->total - reserve && total_given)
    {
      /* The total came from the caller (--total), not from the file. */
      g_set_error (error, SCHED_ERROR, SCHED_ERROR_INPUT,
                   "a total of %" G_GINT64_FORMAT " batches (less a reserve of %" G_GINT64_FORMAT
                   ") cannot cover the categories' minimums, which add up to %" G_GINT64_FORMAT
                   "; give a larger total or lower the minimums in [%s ...]",
                   in->total, reserve, min_sum, plan_group);
      return FALSE;
    }
  if (min_sum > in->total - reserve)
    {
      core_config_set_invalid (config, error, plan_group, "total",
                               "%" G_GINT64_FORMAT " batches (less a reserve of %" G_GINT64_FORMAT
                               ") cannot cover the categories' minimums, which add up to "
                               "%" G_GINT64_FORMAT "; raise the total or lower the minimums",
                               in->total, reserve, min_sum);
      return FALSE;
    }
  if (!sched_plan_targets (in, &reserve, months, cats, error))
    return FALSE;
  if (!check_months_room (config, plan_group, in, months, cats, error))
    return FALSE;
  for (guint c = 0; c < in->n_categories; c++)
    {
      g_autofree char *group = g_strdup_printf ("%s category %s", plan_group, in->codes[c]);
      double pool = 0.0;
      for (guint g = 0; g < in->n_grades; g++)
        pool += in->pools[c * in->n_grades + g];
      if (cats[c] > 0 && !(pool > 0.0))
        {
          gboolean own = core_config_has_key (config, group, "weight");
          core_config_set_invalid (
              config, error, own ? group : plan_group, own ? "weight" : "default_weight",
              "category %s is planned %" G_GINT64_FORMAT " batches but %s; %s", in->codes[c],
              cats[c],
              counts ? "the registry has no business of any risk grade handling it"
                     : "grade_shares are all zero",
              counts ? "load its businesses, or set its weight and minimum to 0"
                     : "give grade_shares a positive share");
          return FALSE;
        }
    }
  return TRUE;
}

SchedPlanInput *
sched_plan_input_from_config (const CoreConfig *config, int year, gint64 total_override,
                              const SchedGradeCounts *counts, GError **error)
{
  g_autofree char *plan_group = g_strdup_printf ("plan %d", year);
  if (!core_config_has_group (config, plan_group))
    {
      g_set_error (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_MISSING,
                   _ ("configuration has no [%s] group; copy config/plan-2024.conf, rename its "
                      "groups for %d and adjust it"),
                   plan_group, year);
      return NULL;
    }
  g_auto (GStrv) codes = catalogue_codes (config);
  if (codes[0] == NULL)
    {
      g_set_error (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_MISSING,
                   _ ("configuration has no [category CODE] group; the built-in "
                      "config/categories.conf lists them"));
      return NULL;
    }
  g_autoptr (SchedPlanInput) in
      = sched_plan_input_new (year, 0, SCHED_N_MONTHS, g_strv_length (codes), SCHED_N_GRADES);
  for (guint c = 0; c < in->n_categories; c++)
    {
      g_free (in->codes[c]);
      in->codes[c] = g_strdup (codes[c]);
    }
  if (total_override > 0)
    {
      if (!sched_plan_config_check_total (total_override, error))
        return NULL;
      in->total = total_override;
    }
  else if (!core_config_get_int (config, plan_group, "total", 1, SCHED_PLAN_TOTAL_MAX, &in->total,
                                 error))
    return NULL;
  if (core_config_has_key (config, plan_group, "solver_seconds")
      && !core_config_get_double (config, plan_group, "solver_seconds", 1.0,
                                  SCHED_PLAN_SOLVER_SECONDS_MAX, &in->solver_seconds, error))
    return NULL;
  if (core_config_has_key (config, plan_group, "reserve_share")
      && !core_config_get_double (config, plan_group, "reserve_share", 0.0, 0.99,
                                  &in->reserve_share, error))
    return NULL;

  double grade_weights[SCHED_N_GRADES] = { 1.0, 2.0, 3.0, 4.0 };
  double grade_shares[SCHED_N_GRADES] = { 1.0, 1.0, 1.0, 1.0 };
  if (!read_numbers (config, plan_group, "month_weights", in->n_months, in->month_weights, error)
      || !read_numbers (config, plan_group, "grade_weights", SCHED_N_GRADES, grade_weights, error)
      || !read_numbers (config, plan_group, "grade_shares", SCHED_N_GRADES, grade_shares, error))
    return NULL;
  for (guint c = 0; c < in->n_categories; c++)
    {
      if (!read_category (config, plan_group, in, c, error))
        return NULL;
      for (guint g = 0; g < SCHED_N_GRADES; g++)
        in->pools[c * SCHED_N_GRADES + g]
            = counts ? (double)sched_grade_counts_get (counts, in->codes[c], g) * grade_weights[g]
                     : grade_shares[g];
    }

  g_autofree char *prefix = g_strdup_printf ("%s ", plan_group);
  g_auto (GStrv) groups = core_config_groups (config, prefix);
  for (char **g = groups; *g != NULL; g++)
    {
      const char *rest = *g + strlen (prefix);
      if (g_str_has_prefix (rest, "category "))
        {
          if (code_index (in, rest + strlen ("category ")) < 0)
            {
              g_auto (GStrv) keys = core_config_keys (config, *g);
              core_config_set_invalid (
                  config, error, *g, keys[0] ? keys[0] : "weight",
                  _ ("category \"%s\" is not in the catalogue "
                     "(config/categories.conf); fix the code or remove the group"),
                  rest + strlen ("category "));
              return NULL;
            }
        }
      else if (g_str_has_prefix (rest, "season "))
        {
          if (!read_season (config, *g, in, error))
            return NULL;
        }
      else
        {
          g_auto (GStrv) keys = core_config_keys (config, *g);
          core_config_set_invalid (config, error, *g, keys[0] ? keys[0] : "",
                                   _ ("unknown group; plan groups are [%s category CODE] and "
                                      "[%s season NAME]"),
                                   plan_group, plan_group);
          return NULL;
        }
    }
  if (!check_targets (config, plan_group, in, counts, total_override > 0, error))
    return NULL;
  return g_steal_pointer (&in);
}

char *
sched_plan_config_snapshot (const CoreConfig *config, int year)
{
  g_autofree char *plan_group = g_strdup_printf ("plan %d", year);
  g_autofree char *prefix = g_strdup_printf ("plan %d ", year);
  g_autoptr (GKeyFile) out = g_key_file_new ();
  g_auto (GStrv) groups = core_config_groups (config, plan_group);
  for (char **g = groups; *g != NULL; g++)
    {
      if (strcmp (*g, plan_group) != 0 && !g_str_has_prefix (*g, prefix))
        continue;
      g_auto (GStrv) keys = core_config_keys (config, *g);
      for (char **k = keys; *k != NULL; k++)
        {
          g_autofree char *value = core_config_get_string (config, *g, *k, NULL);
          if (value != NULL)
            g_key_file_set_value (out, *g, *k, value);
        }
    }
  return g_key_file_to_data (out, NULL, NULL);
}
