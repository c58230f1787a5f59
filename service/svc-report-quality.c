/* svc-report-quality.c: the nonconformity report, the cause classes of
 * config/causes.conf, and the public disclosure form. */
#include "service/svc-report-private.h"
#include "service/svc-registry.h"

#include <json-glib/json-glib.h>
#include <string.h>

typedef struct
{
  char *key, *zh, *en;
  GPtrArray *patterns; /* GPatternSpec* */
} Cause;

struct SvcCauses
{
  GPtrArray *causes; /* Cause*, in the file's order; the last is "other" */
};

static void
cause_free (Cause *c)
{
  g_free (c->key);
  g_free (c->zh);
  g_free (c->en);
  g_ptr_array_unref (c->patterns);
  g_free (c);
}

SvcCauses *
svc_causes_load (const CoreConfig *config)
{
  SvcCauses *causes = g_new0 (SvcCauses, 1);
  causes->causes = g_ptr_array_new_with_free_func ((GDestroyNotify)cause_free);
  g_auto (GStrv) groups = core_config_groups (config, "cause ");
  Cause *other = NULL;
  for (char **g = groups; *g != NULL; g++)
    {
      Cause *c = g_new0 (Cause, 1);
      c->key = g_strdup (*g + strlen ("cause "));
      c->zh = core_config_get_string_or (config, *g, "zh", c->key);
      c->en = core_config_get_string_or (config, *g, "en", c->key);
      c->patterns = g_ptr_array_new_with_free_func ((GDestroyNotify)g_pattern_spec_free);
      g_auto (GStrv) items = core_config_get_list (config, *g, "items", NULL);
      for (char **i = items; i != NULL && *i != NULL; i++)
        if (**i != '\0')
          g_ptr_array_add (c->patterns, g_pattern_spec_new (g_strstrip (*i)));
      if (strcmp (c->key, "other") == 0)
        other = c;
      else
        g_ptr_array_add (causes->causes, c);
    }
  /* "other" takes what nothing else does, wherever the file put it. */
  if (other == NULL)
    {
      other = g_new0 (Cause, 1);
      other->key = g_strdup ("other");
      const char *name = N_ ("Other");
      other->zh = g_strdup (core_i18n_translate ("zh", name));
      other->en = g_strdup (name);
      other->patterns = g_ptr_array_new ();
    }
  g_ptr_array_add (causes->causes, other);
  return causes;
}

void
svc_causes_free (SvcCauses *causes)
{
  if (causes == NULL)
    return;
  g_ptr_array_unref (causes->causes);
  g_free (causes);
}

guint
svc_causes_match (const SvcCauses *causes, const char *item)
{
  guint last = causes->causes->len - 1;
  for (guint i = 0; i < last; i++)
    {
      const Cause *c = g_ptr_array_index (causes->causes, i);
      for (guint p = 0; p < c->patterns->len; p++)
        if (g_pattern_spec_match_string (g_ptr_array_index (c->patterns, p), item))
          return i;
    }
  return last;
}

guint
svc_causes_count (const SvcCauses *causes)
{
  return causes->causes->len;
}

const char *
svc_causes_key (const SvcCauses *causes, guint index)
{
  return ((const Cause *)g_ptr_array_index (causes->causes, index))->key;
}

const char *
svc_causes_name (const SvcCauses *causes, guint index, const char *lang)
{
  const Cause *c = g_ptr_array_index (causes->causes, index);
  return strcmp (lang, "zh") == 0 ? c->zh : c->en;
}

/* --- nonconformity ---------------------------------------------------------- */

static const CoreColumn nc_category_columns[] = {
  { "category", N_ ("category code"), CORE_CELL_TEXT },
  { "name", N_ ("food category"), CORE_CELL_TEXT },
  { "reported", N_ ("batches tested"), CORE_CELL_INT },
  { "nonconforming", N_ ("nonconforming batches"), CORE_CELL_INT },
  { "rate", N_ ("rate (%)"), CORE_CELL_NUMBER },
};

static const CoreColumn stage_columns[] = {
  { "stage", N_ ("stage"), CORE_CELL_TEXT },
  { "reported", N_ ("batches tested"), CORE_CELL_INT },
  { "nonconforming", N_ ("nonconforming batches"), CORE_CELL_INT },
  { "rate", N_ ("rate (%)"), CORE_CELL_NUMBER },
};

static const CoreColumn pair_columns[] = {
  { "record_no", NULL, CORE_CELL_TEXT },
  { "item", NULL, CORE_CELL_TEXT },
};

static const CoreColumn rate_columns[] = {
  { "reported", NULL, CORE_CELL_INT },
  { "nonconforming", NULL, CORE_CELL_INT },
  { "rate", NULL, CORE_CELL_NUMBER },
};

static const CoreColumn item_columns[] = {
  { "item", N_ ("failed item"), CORE_CELL_TEXT },
  { "cause", N_ ("cause"), CORE_CELL_TEXT },
  { "samples", N_ ("nonconforming batches"), CORE_CELL_INT },
};

static const CoreColumn cause_columns[] = {
  { "cause", N_ ("cause code"), CORE_CELL_TEXT },
  { "name", N_ ("cause name"), CORE_CELL_TEXT },
  { "items", N_ ("failed item count"), CORE_CELL_INT },
  { "samples", N_ ("nonconforming batches"), CORE_CELL_INT },
  { "share", N_ ("share of nonconforming (%)"), CORE_CELL_NUMBER },
};

static const CoreColumn trend_columns[] = {
  { "period", N_ ("period"), CORE_CELL_TEXT },
  { "reported", N_ ("batches tested"), CORE_CELL_INT },
  { "nonconforming", N_ ("nonconforming batches"), CORE_CELL_INT },
  { "rate", N_ ("rate (%)"), CORE_CELL_NUMBER },
};

/* How many earlier periods the trend compares with. */
#define EARLIER_PERIODS 4

static const char *
stage_name (const char *stage)
{
  return stage == NULL ? _ ("total") : svc_stage_name (stage);
}

static gint
compare_items (gconstpointer a, gconstpointer b, gpointer data)
{
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  int nx = GPOINTER_TO_INT (g_hash_table_lookup (data, x));
  int ny = GPOINTER_TO_INT (g_hash_table_lookup (data, y));
  return nx != ny ? ny - nx : strcmp (x, y);
}

/* Items and causes from the (record_no, item) pairs of the failed items:
 * an item counts the samples failing on it, a cause its items and the
 * distinct samples with one of them. */
static void
add_items_and_causes (CoreDocument *doc, const CoreTable *pairs, const SvcCauses *causes,
                      gint64 nonconforming, const char *lang)
{
  g_autoptr (GHashTable) items = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  guint n = svc_causes_count (causes);
  g_autofree gint64 *cause_items = g_new0 (gint64, n);
  g_autofree gint64 *cause_samples = g_new0 (gint64, n);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint r = 0; r < core_table_n_rows (pairs); r++)
    {
      const char *record = core_table_get (pairs, r, 0), *item = core_table_get (pairs, r, 1);
      gpointer count = NULL;
      if (!g_hash_table_lookup_extended (items, item, NULL, &count))
        g_ptr_array_add (order, (gpointer)item);
      g_hash_table_insert (items, (gpointer)item, GINT_TO_POINTER (GPOINTER_TO_INT (count) + 1));
      guint c = svc_causes_match (causes, item);
      cause_items[c]++;
      if (g_hash_table_add (seen, g_strdup_printf ("%u\t%s", c, record)))
        cause_samples[c]++;
    }
  /* Most frequent first. */
  g_ptr_array_sort_with_data (order, compare_items, items);
  CoreTable *by_item
      = core_table_new ("items", _ ("by failed item"), item_columns, G_N_ELEMENTS (item_columns));
  for (guint i = 0; i < order->len; i++)
    {
      const char *item = g_ptr_array_index (order, i);
      guint r = core_table_add_row (by_item);
      core_table_set (by_item, r, 0, item);
      core_table_set (by_item, r, 1,
                      svc_causes_name (causes, svc_causes_match (causes, item), lang));
      core_table_set_int (by_item, r, 2, GPOINTER_TO_INT (g_hash_table_lookup (items, item)));
    }
  core_document_add (doc, by_item);
  CoreTable *by_cause
      = core_table_new ("causes", _ ("by cause"), cause_columns, G_N_ELEMENTS (cause_columns));
  for (guint c = 0; c < n; c++)
    {
      if (cause_items[c] == 0)
        continue;
      guint r = core_table_add_row (by_cause);
      core_table_set (by_cause, r, 0, svc_causes_key (causes, c));
      core_table_set (by_cause, r, 1, svc_causes_name (causes, c, lang));
      core_table_set_int (by_cause, r, 2, cause_items[c]);
      core_table_set_int (by_cause, r, 3, cause_samples[c]);
      if (nonconforming > 0)
        core_table_set_number (by_cause, r, 4, 100.0 * cause_samples[c] / nonconforming, 2);
    }
  core_document_add (doc, by_cause);
  const guint cols[] = { 3 };
  core_document_add_chart (
      doc, svc_report_chart (by_cause, CORE_CHART_BAR, _ ("nonconformity by cause"), 1, cols, 1));
}

/* The same figures for the period and the ones before it, oldest first. */
static CoreTable *
trend (const SvcContext *ctx, const SvcReportRun *run, const SvcReportPeriod *period,
       GError **error)
{
  CoreTable *t = core_table_new ("earlier", _ ("against earlier periods"), trend_columns,
                                 G_N_ELEMENTS (trend_columns));
  for (int back = EARLIER_PERIODS; back >= 0; back--)
    {
      SvcReportPeriod p = svc_report_period_before (period, back);
      DbReportScope scope = run->scope;
      scope.year = p.year;
      svc_report_period_months (&p, &scope.first_month, &scope.last_month);
      g_autoptr (CoreTable) rate
          = db_report_table (ctx->conn, &scope, DB_REPORT_NC_RATE, "rate", NULL, rate_columns,
                             G_N_ELEMENTS (rate_columns), error);
      if (rate == NULL)
        {
          core_table_unref (t);
          return NULL;
        }
      guint r = core_table_add_row (t);
      core_table_take (t, r, 0, svc_report_period_label (&p));
      for (guint c = 0; c < 3; c++)
        core_table_set (t, r, c + 1, core_table_get (rate, 0, c));
    }
  return t;
}

CoreDocument *
svc_report_nonconformity (const SvcContext *ctx, const SvcReportPeriod *period, const char *office,
                          const char *lang, GError **error)
{
  g_auto (SvcReportRun) run = { 0 };
  if (!svc_report_run_begin (ctx, SVC_ACTION_PROGRESS_READ, period, office, lang, &run, error))
    return NULL;
  g_autoptr (CoreDocument) doc = svc_report_document (&run, _ ("Nonconformity"));
  CoreTable *categories = svc_report_section (ctx, &run, doc, DB_REPORT_NC_CATEGORIES, "categories",
                                              _ ("by food category"), nc_category_columns,
                                              G_N_ELEMENTS (nc_category_columns), error);
  CoreTable *stages = categories ? svc_report_section (ctx, &run, doc, DB_REPORT_NC_STAGES,
                                                       "stages", _ ("by stage"), stage_columns,
                                                       G_N_ELEMENTS (stage_columns), error)
                                 : NULL;
  if (stages == NULL)
    return NULL;
  guint last = core_table_n_rows (categories);
  if (last > 0) /* the ROLLUP's total row */
    core_table_set (categories, last - 1, 1, _ ("total"));
  for (guint r = 0; r < core_table_n_rows (stages); r++)
    core_table_set (stages, r, 0, stage_name (core_table_get (stages, r, 0)));
  gint64 nonconforming = last > 0 ? (gint64)svc_report_number (categories, last - 1, 3) : 0;
  g_autoptr (CoreTable) pairs
      = db_report_table (ctx->conn, &run.scope, DB_REPORT_NC_FAILED_ITEMS, "pairs", NULL,
                         pair_columns, G_N_ELEMENTS (pair_columns), error);
  if (pairs == NULL)
    return NULL;
  g_autoptr (SvcCauses) causes = svc_causes_load (ctx->config);
  add_items_and_causes (doc, pairs, causes, nonconforming, lang);
  CoreTable *earlier = trend (ctx, &run, period, error);
  if (earlier == NULL)
    return NULL;
  core_document_add (doc, earlier);
  /* The rate chart leaves out the total row (its label is the only one
   * without a category code). */
  CoreChart *chart
      = core_chart_new (CORE_CHART_BAR, "categories", _ ("nonconformity rate by category (%)"));
  CoreChartSeries *s = core_chart_add_series (chart, _ ("rate (%)"));
  for (guint r = 0; r + 1 < core_table_n_rows (categories); r++)
    {
      core_chart_add_category (chart, core_table_get (categories, r, 1));
      core_chart_series_add (s, svc_report_number (categories, r, 4));
    }
  core_document_add_chart (doc, chart);
  if (!db_transaction_commit (run.tx, error))
    return NULL;
  return g_steal_pointer (&doc);
}

/* --- disclosure --------------------------------------------------------------- */

static const CoreColumn disclosure_columns[] = {
  { "no", N_ ("no."), CORE_CELL_INT },
  { "producer", N_ ("labelled producer"), CORE_CELL_TEXT },
  { "producer_address", N_ ("producer address"), CORE_CELL_TEXT },
  { "business", N_ ("sampled business"), CORE_CELL_TEXT },
  { "business_address", N_ ("business address"), CORE_CELL_TEXT },
  { "food", N_ ("food"), CORE_CELL_TEXT },
  { "specification", N_ ("specification"), CORE_CELL_TEXT },
  { "brand", N_ ("brand"), CORE_CELL_TEXT },
  { "batch", N_ ("production date / batch"), CORE_CELL_TEXT },
  { "failed", N_ ("failed item ‖ result ‖ standard"), CORE_CELL_TEXT },
  { "category", N_ ("cause category"), CORE_CELL_TEXT },
  { "lab", N_ ("lab"), CORE_CELL_TEXT },
  { "state", NULL, CORE_CELL_TEXT },
  { "closing_event", NULL, CORE_CELL_TEXT },
  { "closing_detail", NULL, CORE_CELL_TEXT },
};

#define PUBLISHED 12 /* the columns above that are published; the rest decide the outcome */

/* What the public is told of a closed case: the outcome recorded by the
 * close step, or that an amended report withdrew it. Nothing while the case
 * is open (disposal is published once complete). */
static char *
outcome (const char *state, const char *event, const char *detail, const char *lang)
{
  if (state == NULL || strcmp (state, "closed") != 0)
    return NULL;
  if (event != NULL && (g_str_has_prefix (event, "withdraw")))
    return g_strdup (_ ("withdrawn by an amended report"));
  if (detail != NULL && detail[0] == '{')
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      if (json_parser_load_from_data (parser, detail, -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *o = json_node_get_object (json_parser_get_root (parser));
          if (json_object_has_member (o, "outcome"))
            {
              const char *v = json_object_get_string_member (o, "outcome");
              if (v != NULL && *v != '\0')
                return g_strdup (v);
            }
        }
    }
  return g_strdup (_ ("closed"));
}

CoreDocument *
svc_report_disclosure (const SvcContext *ctx, const SvcReportPeriod *period, const char *office,
                       const char *lang, GError **error)
{
  g_auto (SvcReportRun) run = { 0 };
  if (!svc_report_run_begin (ctx, SVC_ACTION_PROGRESS_READ, period, office, lang, &run, error))
    return NULL;
  g_autoptr (CoreDocument) doc
      = svc_report_document (&run, _ ("Nonconforming food: public notice"));
  g_autoptr (CoreTable) rows
      = db_report_table (ctx->conn, &run.scope, DB_REPORT_DISCLOSURE, "disclosure", NULL,
                         disclosure_columns, G_N_ELEMENTS (disclosure_columns), error);
  if (rows == NULL || !db_transaction_commit (run.tx, error))
    return NULL;
  CoreColumn cols[PUBLISHED + 1];
  memcpy (cols, disclosure_columns, PUBLISHED * sizeof *cols);
  cols[PUBLISHED] = (CoreColumn){ "outcome", N_ ("disposal outcome"), CORE_CELL_TEXT };
  CoreTable *t
      = core_table_new ("nonconforming", _ ("nonconforming products"), cols, G_N_ELEMENTS (cols));
  for (guint r = 0; r < core_table_n_rows (rows); r++)
    {
      guint row = core_table_add_row (t);
      for (guint c = 0; c < PUBLISHED; c++)
        core_table_set (t, row, c, core_table_get (rows, r, c));
      core_table_take (t, row, PUBLISHED,
                       outcome (core_table_get (rows, r, 12), core_table_get (rows, r, 13),
                                core_table_get (rows, r, 14), lang));
    }
  core_table_set_sheet (t, C_ ("sheet", "nonconforming"));
  core_document_add (doc, t);
  return g_steal_pointer (&doc);
}
