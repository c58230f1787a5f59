/* svc-history.c: a business's record as one document, and the risk grades a
 * year's record suggests, by the rules of the [grade-suggestion] group in
 * config/spotcheck.conf. */
#include "service/svc-history.h"

#include "core/core-catalog.h"
#include "db/db-history.h"
#include "service/svc-registry.h"

#include <string.h>
#include "core/core-i18n.h"

#define GROUP "grade-suggestion"

void
svc_grade_rules_clear (SvcGradeRules *rules)
{
  g_clear_pointer (&rules->filed_step, g_free);
}

static gboolean
grade_key (const CoreConfig *config, const char *key, char *out, GError **error)
{
  g_autofree char *v = core_config_get_string (config, GROUP, key, error);
  if (v == NULL)
    return FALSE;
  if (strlen (v) != 1 || core_grade_index (v[0]) < 0)
    {
      core_config_set_invalid (config, error, GROUP, key,
                               _ ("write one of the grades %s, not \"%s\""), CORE_GRADES, v);
      return FALSE;
    }
  *out = g_ascii_toupper (v[0]);
  return TRUE;
}

gboolean
svc_grade_rules_load (const CoreConfig *config, SvcGradeRules *rules, GError **error)
{
  svc_grade_rules_clear (rules);
  memset (rules, 0, sizeof *rules);
  gint64 steps = 0;
  if (!core_config_get_int (config, GROUP, "steps-per-nonconformity", 0, CORE_N_GRADES - 1, &steps,
                            error)
      || !grade_key (config, "nonconformity-cap", &rules->nonconformity_cap, error)
      || !grade_key (config, "filed-grade", &rules->filed_grade, error))
    return FALSE;
  rules->steps_per_nonconformity = (int)steps;
  g_autofree char *referrals = core_config_get_string (config, GROUP, "count-referrals", error);
  if (referrals == NULL)
    return FALSE;
  if (strcmp (referrals, "true") != 0 && strcmp (referrals, "false") != 0)
    {
      core_config_set_invalid (config, error, GROUP, "count-referrals",
                               _ ("write true or false, not \"%s\""), referrals);
      return FALSE;
    }
  rules->count_referrals = strcmp (referrals, "true") == 0;
  rules->filed_step = core_config_get_string (config, GROUP, "filed-step", error);
  return rules->filed_step != NULL;
}

CoreDocument *
svc_registry_show_document (const SvcContext *ctx, const char *key, DbRegistryKind *kind,
                            GError **error)
{
  DbRegistryKind found;
  if (!svc_authorize (ctx, SVC_ACTION_DIRECTORY_READ, error))
    return NULL;
  const char *district = svc_district (ctx);
  CoreTable *record = db_registry_show (ctx->conn, district, key, &found, error);
  if (record == NULL)
    return NULL;
  svc_show_names (record, "stage", svc_stage_name);
  if (kind != NULL)
    *kind = found;
  g_autoptr (CoreDocument) doc = core_document_new (NULL);
  core_document_add (doc, record);
  if (found != DB_REGISTRY_BUSINESSES)
    return g_steal_pointer (&doc);
  /* The stored credit code, whatever case the user typed it in. */
  const char *uscc = core_table_get_by_key (record, 0, "uscc");
  g_auto (SvcGradeRules) rules = { 0 };
  if (!svc_grade_rules_load (ctx->config, &rules, error))
    return NULL;
  CoreTable *samples = db_history_samples (ctx->conn, district, uscc, error);
  if (samples == NULL)
    return NULL;
  svc_show_names (samples, "verdict", svc_verdict_name);
  core_document_add (doc, samples);
  CoreTable *nc = db_history_nonconformities (ctx->conn, district, uscc, error);
  if (nc == NULL)
    return NULL;
  svc_show_names (nc, "verdict", svc_verdict_name);
  core_document_add (doc, nc);
  CoreTable *cases = db_history_cases (ctx->conn, district, uscc, rules.filed_step, error);
  if (cases == NULL)
    return NULL;
  core_document_add (doc, cases);
  return g_steal_pointer (&doc);
}

/* The grade @row's record suggests by @rules, with the reason in @why. */
static int
suggest (const SvcGradeRules *rules, const DbHistoryYear *row, int year, GString *why)
{
  int current = core_grade_index (row->grade), best = current;
  if (row->nonconformities > 0 && rules->steps_per_nonconformity > 0)
    {
      /* Counted from the grade the year was sampled under, so that a grade
       * already raised for these nonconformities is not raised again. */
      int from = core_grade_index (row->sampled_grade);
      int cap = core_grade_index (rules->nonconformity_cap);
      int up = MIN (from + rules->steps_per_nonconformity * (int)row->nonconformities, cap);
      if (up > best)
        {
          best = up;
          /* TRANSLATORS: how many, the year, the samples; then the grades (one letter each). */
          g_string_append_printf (why,
                                  row->nonconformities == 1 ? _ ("%u nonconformity in %d (%s): ")
                                                            : _ ("%u nonconformities in %d (%s): "),
                                  row->nonconformities, year, row->what);
          g_string_append_printf (
              why,
              rules->steps_per_nonconformity == 1 ? _ ("%d grade up each from %c, at most %c")
                                                  : _ ("%d grades up each from %c, at most %c"),
              rules->steps_per_nonconformity, row->sampled_grade, rules->nonconformity_cap);
        }
    }
  int filed = core_grade_index (rules->filed_grade);
  if (row->filed > 0 && filed > current)
    {
      best = MAX (best, filed);
      if (why->len > 0)
        g_string_append (why, _ ("; "));
      /* TRANSLATORS: the case numbers, the year, the grade filing leads to. */
      g_string_append_printf (
          why, row->filed == 1 ? _ ("case %s filed in %d: %c") : _ ("cases %s filed in %d: %c"),
          row->filed_cases, year, rules->filed_grade);
    }
  return best;
}

static const CoreColumn SUGGEST_COLUMNS[] = {
  { "uscc", N_ ("credit code"), CORE_CELL_TEXT },
  { "name", N_ ("name"), CORE_CELL_TEXT },
  { "grade", N_ ("current grade"), CORE_CELL_TEXT },
  { "suggested", N_ ("suggested"), CORE_CELL_TEXT },
  { "nonconformities", N_ ("nonconformities"), CORE_CELL_INT },
  { "filed_cases", N_ ("filed cases"), CORE_CELL_TEXT },
  { "reason", N_ ("reason"), CORE_CELL_TEXT },
};

/* The directory rows of the suggested businesses with their suggested grades. */
static CoreTable *
directory_rows (const SvcContext *ctx, const CoreTable *suggestions, GError **error)
{
  guint n = core_table_n_rows (suggestions);
  g_autofree const char **usccs = g_new0 (const char *, n + 1);
  for (guint i = 0; i < n; i++)
    usccs[i] = core_table_get_by_key (suggestions, i, "uscc");
  g_autoptr (CoreTable) dir
      = db_history_directory_rows (ctx->conn, svc_district (ctx), usccs, error);
  if (dir == NULL)
    return NULL;
  /* Both are by credit code, and every suggested business has its row. */
  g_assert (core_table_n_rows (dir) == n);
  for (guint i = 0; i < n; i++)
    core_table_set_by_key (dir, i, "grade", core_table_get_by_key (suggestions, i, "suggested"));
  return g_steal_pointer (&dir);
}

CoreTable *
svc_registry_suggest_grades (const SvcContext *ctx, int year, CoreTable **directory, GError **error)
{
  if (directory != NULL)
    *directory = NULL;
  if (!svc_authorize (ctx, SVC_ACTION_GRADES_SUGGEST, error))
    return NULL;
  if (year < 2000 || year > 2100)
    {
      svc_error_invalid (error, "year", _ ("the year must be 2000 to 2100, not %d"), year);
      return NULL;
    }
  g_auto (SvcGradeRules) rules = { 0 };
  if (!svc_grade_rules_load (ctx->config, &rules, error))
    return NULL;
  g_autoptr (GPtrArray) rows = db_history_year (ctx->conn, svc_district (ctx), year,
                                                rules.count_referrals, rules.filed_step, error);
  if (rows == NULL)
    return NULL;
  g_autoptr (CoreTable) t = core_table_new ("grade_suggestions", _ ("risk grade suggestions"),
                                            SUGGEST_COLUMNS, G_N_ELEMENTS (SUGGEST_COLUMNS));
  for (guint i = 0; i < rows->len; i++)
    {
      const DbHistoryYear *r = g_ptr_array_index (rows, i);
      g_autoptr (GString) why = g_string_new (NULL);
      int best = suggest (&rules, r, year, why);
      if (best <= core_grade_index (r->grade))
        continue;
      guint row = core_table_add_row (t);
      char grade[2] = { r->grade, 0 }, suggested[2] = { CORE_GRADES[best], 0 };
      core_table_set_by_key (t, row, "uscc", r->uscc);
      core_table_set_by_key (t, row, "name", r->name);
      core_table_set_by_key (t, row, "grade", grade);
      core_table_set_by_key (t, row, "suggested", suggested);
      core_table_set_int (t, row, (guint)core_table_find (t, "nonconformities"),
                          r->nonconformities);
      core_table_set_by_key (t, row, "filed_cases", r->filed_cases);
      core_table_set_by_key (t, row, "reason", why->str);
    }
  if (directory != NULL)
    {
      *directory = directory_rows (ctx, t, error);
      if (*directory == NULL)
        return NULL;
    }
  return g_steal_pointer (&t);
}
