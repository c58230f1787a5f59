/* cmd-demo-labs.c: the labs' result files. Each sampled task gets a report of
 * two items; whether it fails, and on what, follows DOMAIN.md's national
 * figures: 2.96 % of batches nonconforming in 2024, catering and edible
 * agricultural products well above the rest, failures mostly pesticide
 * residues, then microbes, additives, contaminants, veterinary drugs and
 * heavy metals. In January one lab's file has a mistyped date: it is rejected
 * whole, corrected and sent again. In February a January report is amended. */
#include "cli/cmd-demo.h"

#include "core/core-problems.h"
#include "service/svc-results.h"
#include "service/svc-tasks.h"

#include "core/core-i18n.h"
#include <stdio.h>
#include <string.h>

/* A test item: name, unit, limit, a passing and a failing value, the
 * method's detection limit ("" for the n/c/m/M plans of microbes). */
typedef struct
{
  const char *item, *unit, *limit, *pass, *fail, *detection;
} DemoItem;

static const DemoItem pesticide[] = {
  { "毒死蜱", "mg/kg", "≤0.02", "ND", "0.086", "0.01" },
  { "克百威", "mg/kg", "≤0.02", "ND", "0.065", "0.005" },
  { "腐霉利", "mg/kg", "≤0.2", "ND", "0.86", "0.01" },
};
static const DemoItem veterinary[] = { { "恩诺沙星", "μg/kg", "≤100", "ND", "312", "1" } };
static const DemoItem microbe[] = {
  { "菌落总数", "CFU/g", "n=5,c=2,m=1000,M=10000", "120,80,<10,300,90", "2200,1800,15000,900,1300",
    "" },
  { "大肠菌群", "CFU/g", "n=5,c=2,m=10,M=100", "<10,<10,<10,<10,<10", "20,45,150,<10,30", "" },
};
static const DemoItem additive[] = {
  { "苯甲酸及其钠盐(以苯甲酸计)", "g/kg", "≤0.5", "ND", "0.83", "0.005" },
  { "脱氢乙酸及其钠盐(以脱氢乙酸计)", "g/kg", "≤0.5", "ND", "0.72", "0.005" },
};
static const DemoItem contaminant[] = { { "苯并[a]芘", "μg/kg", "≤10", "ND", "15.6", "0.2" } };
static const DemoItem metal[] = {
  { "铅(以Pb计)", "mg/kg", "≤0.5", "0.08", "0.92", "0.01" },
  { "镉(以Cd计)", "mg/kg", "≤0.2", "0.03", "0.41", "0.005" },
};
static const DemoItem quality[] = { { "酸价(以KOH计)", "mg/g", "≤3", "0.8", "4.6", "0.1" } };

typedef struct
{
  const DemoItem *items;
  guint n;
  guint weight;
} DemoCause;

#define CAUSE(items, weight)                                                                       \
  {                                                                                                \
    items, G_N_ELEMENTS (items), weight                                                            \
  }

/* What fails, by category: edible agricultural products (33) on pesticides and
 * veterinary drugs, catering (31) on microbes and additives, the rest mixed. */
static const DemoCause farm[]
    = { CAUSE (pesticide, 62), CAUSE (veterinary, 22), CAUSE (metal, 16) };
static const DemoCause catering[]
    = { CAUSE (microbe, 55), CAUSE (additive, 30), CAUSE (contaminant, 15) };
static const DemoCause others[]
    = { CAUSE (additive, 30), CAUSE (microbe, 25),     CAUSE (pesticide, 15),
        CAUSE (quality, 12),  CAUSE (contaminant, 10), CAUSE (metal, 8) };

static const DemoCause *
causes_for (const char *category, guint *n)
{
  if (strcmp (category, "33") == 0)
    return *n = G_N_ELEMENTS (farm), farm;
  if (strcmp (category, "31") == 0)
    return *n = G_N_ELEMENTS (catering), catering;
  return *n = G_N_ELEMENTS (others), others;
}

/* DOMAIN.md's rates per thousand: catering 80, edible agricultural products
 * 36, nuts 28, vegetable products 24; grain, oils, meat, dairy and eggs well
 * under 10; the rest about 22, which brings the whole near 2.96 %. */
static guint
fail_per_mille (const char *category)
{
  static const struct
  {
    const char *category;
    guint rate;
  } rates[] = { { "31", 80 }, { "33", 36 }, { "18", 28 }, { "16", 24 }, { "01", 5 },
                { "02", 6 },  { "04", 7 },  { "05", 3 },  { "19", 5 } };
  for (gsize i = 0; i < G_N_ELEMENTS (rates); i++)
    if (strcmp (rates[i].category, category) == 0)
      return rates[i].rate;
  return 22;
}

static const DemoItem *
pick (SchedRng *rng, const char *category, gboolean fail)
{
  guint n = 0;
  const DemoCause *causes = causes_for (category, &n);
  if (!fail)
    return &causes[0].items[0];
  guint total = 0;
  for (guint i = 0; i < n; i++)
    total += causes[i].weight;
  guint x = (guint)sched_rng_below (rng, total);
  for (guint i = 0; i < n; i++)
    {
      if (x < causes[i].weight)
        return &causes[i].items[sched_rng_below (rng, causes[i].n)];
      x -= causes[i].weight;
    }
  return &causes[0].items[0];
}

/* Appends one report's rows: the item the category is tested for (failing
 * when @fail) and lead, which passes. */
static void
append_report (GString *csv, const char *record, const DemoItem *main_item, gboolean fail,
               const char *date)
{
  const char *verdict = fail ? "不合格" : "合格";
  const DemoItem *second = strcmp (main_item->item, metal[0].item) == 0 ? &metal[1] : &metal[0];
  g_string_append_printf (csv, "%s,BG%s,%s,\"%s\",%s,\"%s\",%s,%s,%s,%s\n", record, record,
                          main_item->item, fail ? main_item->fail : main_item->pass,
                          main_item->unit, main_item->limit, main_item->detection, verdict, verdict,
                          date);
  g_string_append_printf (csv, "%s,BG%s,%s,%s,%s,%s,%s,合格,%s,%s\n", record, record, second->item,
                          second->pass, second->unit, second->limit, second->detection, verdict,
                          date);
}

#define RESULTS_HEADER                                                                             \
  "抽样单编号,报告编号,检验项目,检验结果,单位,标准限值,检出限,单项判定,结论,检验日期\n"

static void
string_free (gpointer s)
{
  g_string_free (s, TRUE);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (a, b);
}

static gboolean
import (DemoRun *run, const char *lab, const char *file, const GString *csv,
        const SvcResultsOptions *opts, GError **error)
{
  g_autofree char *path = demo_write (run, file, csv, error);
  g_auto (SvcResultsSummary) summary = { 0 };
  return path != NULL && svc_results_import_file (&run->svc, path, file, opts, &summary, error);
}

/* January's first file is sent with a date mistyped in its first row:
 * rejected whole (nothing stored), then sent again corrected. */
static gboolean
import_with_typo (DemoRun *run, const char *lab, const char *file, const GString *csv,
                  GError **error)
{
  g_autoptr (GString) typo = g_string_new (csv->str);
  const char *line = strchr (typo->str, '\n') + 1;
  const char *end = strchr (line, '\n');
  gsize date_at = (gsize)(end - typo->str) - 10; /* the last field: YYYY-MM-DD */
  g_string_overwrite (typo, date_at + 8, "32");
  g_autofree char *bad = g_strdup_printf ("rejected-%s", file);
  SvcResultsOptions opts = { .lab = lab };
  g_autoptr (GError) local = NULL;
  if (import (run, lab, bad, typo, &opts, &local))
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_SYSTEM, _ ("%s was not rejected"), bad);
      return FALSE;
    }
  if (!g_error_matches (local, CORE_PROBLEMS_ERROR, CORE_PROBLEMS_ERROR_REJECTED))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* The first line says the file was rejected; the problems follow it. */
  const char *problems = strchr (local->message, '\n');
  demo_say (run, _ ("lab %s's file %s was rejected, nothing stored:\n%s\n"), lab, bad,
            problems ? problems + 1 : local->message);
  run->rejected_files++;
  if (!import (run, lab, file, csv, &opts, error))
    return FALSE;
  demo_say (run, _ ("lab %s sent %s again, corrected: imported\n"), lab, file);
  return TRUE;
}

/* The January report kept aside is found to fail: the lab sends an amendment. */
static gboolean
amend (DemoRun *run, GError **error)
{
  g_autoptr (GString) csv = g_string_new (RESULTS_HEADER);
  SchedRng rng;
  sched_rng_init (&rng, run->seed);
  g_autofree char *date = g_strdup_printf ("%d-01-22", run->year);
  append_report (csv, run->amend_record, pick (&rng, run->amend_category, TRUE), TRUE, date);
  SvcResultsOptions opts = { .lab = run->amend_lab,
                             .amend = TRUE,
                             .reason = "复核原始记录发现计算错误，更正检验结果" };
  if (!import (run, run->amend_lab, "amended-report.csv", csv, &opts, error))
    return FALSE;
  demo_say (run, _ ("lab %s amended report BG%s: now nonconforming, a case opened\n"),
            run->amend_lab, run->amend_record);
  run->amended_reports++;
  return TRUE;
}

gboolean
demo_labs (DemoRun *run, int m, GError **error)
{
  g_autoptr (CoreDocument) doc
      = svc_tasks_list (&run->svc, run->year, m, NULL, SVC_TASKS_ONE_TABLE, error);
  if (doc == NULL)
    return FALSE;
  const CoreTable *tasks = g_ptr_array_index (doc->tables, 0);
  guint record = (guint)core_table_find (tasks, "record_no"),
        category = (guint)core_table_find (tasks, "category");
  guint status = (guint)core_table_find (tasks, "status"),
        lab = (guint)core_table_find (tasks, "lab");
  g_autoptr (GHashTable) files
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);
  SchedRng rng;
  sched_rng_init (&rng, run->seed * 1000 + 200 + (guint)m);
  for (guint r = 0; r < core_table_n_rows (tasks); r++)
    {
      if (strcmp (core_table_get (tasks, r, status), "sampled") != 0)
        continue;
      const char *code = core_table_get (tasks, r, lab);
      GString *csv = g_hash_table_lookup (files, code);
      if (csv == NULL)
        g_hash_table_insert (files, g_strdup (code), csv = g_string_new (RESULTS_HEADER));
      const char *cat = core_table_get (tasks, r, category);
      gboolean fail = sched_rng_below (&rng, 1000) < fail_per_mille (cat);
      g_autofree char *date = g_strdup_printf ("%d-%02d-%02u", run->year, m, 18 + r % 6);
      append_report (csv, core_table_get (tasks, r, record), pick (&rng, cat, fail), fail, date);
      if (!fail && run->amend_record == NULL && m == 1)
        {
          run->amend_lab = g_strdup (code);
          run->amend_record = g_strdup (core_table_get (tasks, r, record));
          run->amend_category = g_strdup (cat);
        }
    }
  g_autoptr (GList) labs = g_list_sort (g_hash_table_get_keys (files), compare_strings);
  guint i = 0;
  for (GList *l = labs; l != NULL; l = l->next, i++)
    {
      const char *code = l->data;
      const GString *csv = g_hash_table_lookup (files, code);
      g_autofree char *file = g_strdup_printf ("results-%d-%02d-%s.csv", run->year, m, code);
      SvcResultsOptions opts = { .lab = code };
      gboolean ok = m == 1 && i == 0 ? import_with_typo (run, code, file, csv, error)
                                     : import (run, code, file, csv, &opts, error);
      if (!ok)
        return FALSE;
    }
  if (run->amend_record != NULL && run->amended_reports == 0 && m == MIN (2, run->months))
    return amend (run, error);
  return TRUE;
}
