/* cmd-demo.c: `spotcheck demo`: a whole sampling quarter walked through with
 * the real commands on the configured district — registry, plan, three
 * monthly draws, sampling, lab results, the case queue, progress. Every step
 * is skipped when already done, so the demo can be run again and again. */
#include "cli/cli.h"

#include "db/db-migrate.h"
#include "db/db-plan.h"
#include "db/db-progress.h"
#include "scheduler/sched-rng.h"
#include "service/svc-plan.h"
#include "service/svc-progress.h"
#include "service/svc-tasks.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_YEAR 2024
#define DEMO_MONTHS 3
#define DEMO_BUSINESSES 3000
/* Seeds are published with each draw; fixed here so every demo run agrees. */
#define DEMO_SEED G_GUINT64_CONSTANT (120104)

/* Runs one command and echoes it as a user would have typed it. */
static int
step (CliContext *ctx, const char *const *args)
{
  g_autofree char *line = g_strjoinv (" ", (char **)args);
  printf ("\n$ spotcheck %s\n", line);
  fflush (stdout);
  int code = cli_run (ctx, args);
  fflush (stdout);
  return code;
}
#define STEP(ctx, ...) step (ctx, (const char *const[]){ __VA_ARGS__, NULL })

static void
heading (const char *text)
{
  printf ("\n== %s\n", text);
}

static gboolean
print_database (CliContext *ctx, const SvcContext *svc, GError **error)
{
  g_autoptr (GPtrArray) status = db_migrate_status (svc->conn, error);
  g_autoptr (CoreTable) counts = status ? svc_progress_table_counts (svc, error) : NULL;
  if (counts == NULL)
    return FALSE;
  heading ("Database");
  g_autofree char *version = db_server_version (svc->conn);
  if (ctx->cluster != NULL)
    printf ("embedded PostgreSQL %s in %s\n", version, db_cluster_data_dir (ctx->cluster));
  else
    printf ("PostgreSQL %s from %s\n", version, ctx->conninfo_source);
  const DbMigration *last = status->len ? g_ptr_array_index (status, status->len - 1) : NULL;
  printf ("schema at migration %s\n", last ? last->name : "(none)");
  for (guint r = 0; r < core_table_n_rows (counts); r++)
    printf ("  %-12s %8s rows\n", core_table_get (counts, r, 0), core_table_get (counts, r, 1));
  return TRUE;
}

static void
print_catalog (const CoreCatalog *catalog)
{
  heading ("District");
  printf ("%s %s (%s): %u streets, %u market-supervision offices, %u food categories\n",
          catalog->district, catalog->zh, catalog->en, catalog->streets->len, catalog->offices->len,
          catalog->categories->len);
  for (guint i = 0; i < catalog->offices->len; i++)
    {
      const CoreOffice *o = g_ptr_array_index (catalog->offices, i);
      g_autoptr (GString) names = g_string_new (NULL);
      for (char **s = o->streets; *s != NULL; s++)
        g_string_append_printf (names, "%s%s", names->len ? "、" : "",
                                core_catalog_street (catalog, *s)->zh);
      printf ("  %s %s: %s\n", o->code, o->zh, names->str);
    }
}

static gboolean
ensure_registry (CliContext *ctx, const SvcContext *svc, const char *out, GError **error)
{
  heading ("1. Directories: businesses, inspectors, labs");
  g_autoptr (CoreTable) counts = svc_progress_table_counts (svc, error);
  if (counts == NULL)
    return FALSE;
  gint64 n = svc_progress_count (counts, "business");
  if (n > 0)
    {
      printf ("registry already holds %" G_GINT64_FORMAT " businesses\n", n);
      return TRUE;
    }
  g_autofree char *dir = g_build_filename (out, "registry", NULL);
  g_autofree char *count = g_strdup_printf ("%d", DEMO_BUSINESSES);
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, DEMO_SEED);
  return STEP (ctx, "registry", "demo", "--businesses", count, "--seed", seed, "--out", dir,
               "--load")
         == 0;
}

/* The demo year's approved version and newest version (0: none). */
static gboolean
plan_versions (const SvcContext *svc, int *approved, int *newest, GError **error)
{
  SvcPlanArgs args = { .year = DEMO_YEAR };
  g_autoptr (CoreTable) list = svc_plan_list (svc, &args, error);
  if (list == NULL)
    return FALSE;
  *approved = *newest = 0;
  for (guint r = 0; r < core_table_n_rows (list); r++)
    {
      int version = atoi (core_table_get_by_key (list, r, "version"));
      if (strcmp (core_table_get_by_key (list, r, "status"), "approved") == 0)
        *approved = version;
      *newest = MAX (*newest, version);
    }
  return TRUE;
}

static gboolean
ensure_plan (CliContext *ctx, const SvcContext *svc, GError **error)
{
  heading ("2. The annual plan: month × category × risk grade");
  int approved = 0, newest = 0;
  if (!plan_versions (svc, &approved, &newest, error))
    return FALSE;
  g_autofree char *year = g_strdup_printf ("%d", DEMO_YEAR);
  if (approved == 0)
    {
      if (STEP (ctx, "plan", "generate", "--year", year) != 0
          || !plan_versions (svc, &approved, &newest, error))
        return FALSE;
      g_autofree char *version = g_strdup_printf ("%d", newest);
      if (STEP (ctx, "plan", "approve", "--year", year, "--version", version) != 0)
        return FALSE;
    }
  else
    printf ("plan %d version %d is approved\n", DEMO_YEAR, approved);
  return STEP (ctx, "plan", "show", "--year", year) == 0
         && STEP (ctx, "plan", "balance", "--year", year) == 0;
}

static gboolean
ensure_draws (CliContext *ctx, const char *out, GError **error)
{
  heading ("3. Monthly task lists: the double-random draw (双随机)");
  for (int m = 1; m <= DEMO_MONTHS; m++)
    {
      g_autofree char *month = g_strdup_printf ("%d-%02d", DEMO_YEAR, m);
      SvcContext svc;
      g_autoptr (GPtrArray) draws = NULL;
      if (!cli_service (ctx, &svc, error)
          || (draws = svc_tasks_draws (&svc, DEMO_YEAR, m, error)) == NULL)
        return FALSE;
      const DbDrawInfo *drawn = NULL;
      for (guint i = 0; i < draws->len; i++)
        {
          const DbDrawInfo *d = g_ptr_array_index (draws, i);
          if (d->kind == DB_DRAW_ROUTINE && strcmp (d->status, "current") == 0)
            drawn = d;
        }
      if (drawn != NULL)
        {
          printf ("%s already drawn (seed %" G_GUINT64_FORMAT ")\n", month, drawn->seed);
          continue;
        }
      g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, DEMO_SEED * 100 + (guint)m);
      if (STEP (ctx, "tasks", "generate", "--month", month, "--seed", seed) != 0)
        return FALSE;
    }
  g_autofree char *month = g_strdup_printf ("%d-01", DEMO_YEAR);
  g_autofree char *xlsx = g_build_filename (out, "tasks-2024-01.xlsx", NULL);
  const CoreOffice *first = g_ptr_array_index (ctx->catalog->offices, 0);
  return STEP (ctx, "tasks", "verify", "--month", month) == 0
         && STEP (ctx, "tasks", "list", "--month", month, "--format", "xlsx", "--out", xlsx) == 0
         && STEP (ctx, "tasks", "list", "--month", month, "--office", first->code) == 0;
}

/* January's task list, every column (svc_tasks_list()). */
static CoreTable *
january_tasks (CliContext *ctx, GError **error)
{
  SvcContext svc;
  if (!cli_service (ctx, &svc, error))
    return NULL;
  g_autoptr (CoreDocument) doc
      = svc_tasks_list (&svc, DEMO_YEAR, 1, NULL, SVC_TASKS_ONE_TABLE, error);
  return doc ? core_table_ref (g_ptr_array_index (doc->tables, 0)) : NULL;
}

/* Writes the sampling records of January's drawn tasks not yet sampled. */
static gboolean
write_samples (CliContext *ctx, const char *path, guint *written, GError **error)
{
  g_autoptr (CoreTable) tasks = january_tasks (ctx, error);
  if (tasks == NULL)
    return FALSE;
  guint record = (guint)core_table_find (tasks, "record_no"),
        name = (guint)core_table_find (tasks, "category_name");
  guint status = (guint)core_table_find (tasks, "status"),
        business = (guint)core_table_find (tasks, "business");
  g_autoptr (GString) csv = g_string_new ("抽样单编号,样品名称,批号,生产日期,规格型号,抽样数量,"
                                          "抽样日期,标称生产企业\n");
  *written = 0;
  for (guint r = 0; r < core_table_n_rows (tasks); r++)
    {
      if (strcmp (core_table_get (tasks, r, status), "drawn") != 0)
        continue;
      /* Sampling spread over the working days of mid-January. */
      g_string_append_printf (csv, "%s,%s样品,B2401%04u,2024-01-%02u,500g/袋,2kg,2024-01-%02u,%s\n",
                              core_table_get (tasks, r, record), core_table_get (tasks, r, name), r,
                              2 + r % 6, 8 + r % 10, core_table_get (tasks, r, business));
      (*written)++;
    }
  return *written == 0 || g_file_set_contents (path, csv->str, (gssize)csv->len, error);
}

/* A test item for a category: name, unit, limit, a passing and a failing value. */
typedef struct
{
  const char *category; /* NULL: any */
  const char *item, *unit, *limit, *pass, *fail;
} DemoItem;

static const DemoItem demo_items[] = {
  { "33", "毒死蜱", "mg/kg", "≤0.02", "ND", "0.086" },
  { "31", "菌落总数", "CFU/g", "n=5,c=2,m=1000,M=10000", "120,80,<10,300,90",
    "2200,1800,15000,900,1300" },
  { "24", "菌落总数", "CFU/g", "n=5,c=2,m=10000,M=100000", "200,150,<10,900,60",
    "23000,18000,150000,9000,13000" },
  { NULL, "铅(以Pb计)", "mg/kg", "≤0.5", "0.08", "0.92" },
};

/* DOMAIN.md's 2022 national rates, per thousand: catering 80, edible
 * agricultural products 36, nuts 28, vegetable products 24, others about 15. */
static guint
fail_per_mille (const char *category)
{
  static const struct
  {
    const char *category;
    guint rate;
  } rates[] = { { "31", 80 }, { "33", 36 }, { "18", 28 }, { "16", 24 } };
  for (gsize i = 0; i < G_N_ELEMENTS (rates); i++)
    if (strcmp (rates[i].category, category) == 0)
      return rates[i].rate;
  return 15;
}

static const DemoItem *
item_for (const char *category)
{
  for (gsize i = 0; i < G_N_ELEMENTS (demo_items); i++)
    if (demo_items[i].category == NULL || strcmp (demo_items[i].category, category) == 0)
      return &demo_items[i];
  return &demo_items[G_N_ELEMENTS (demo_items) - 1];
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

static void
string_free (gpointer s)
{
  g_string_free (s, TRUE);
}

/* One results file per lab for January's sampled tasks; returns lab codes. */
static GPtrArray *
write_results (CliContext *ctx, const char *out, GError **error)
{
  g_autoptr (CoreTable) tasks = january_tasks (ctx, error);
  if (tasks == NULL)
    return NULL;
  guint record = (guint)core_table_find (tasks, "record_no"),
        category = (guint)core_table_find (tasks, "category");
  guint status = (guint)core_table_find (tasks, "status"),
        lab = (guint)core_table_find (tasks, "lab");
  g_autoptr (GHashTable) files
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, string_free);
  SchedRng rng;
  sched_rng_init (&rng, DEMO_SEED);
  for (guint r = 0; r < core_table_n_rows (tasks); r++)
    {
      if (strcmp (core_table_get (tasks, r, status), "sampled") != 0)
        continue;
      const char *code = core_table_get (tasks, r, lab);
      GString *csv = g_hash_table_lookup (files, code);
      if (csv == NULL)
        {
          csv = g_string_new ("抽样单编号,报告编号,检验项目,检验结果,单位,标准限值,检出限,"
                              "单项判定,结论,检验日期\n");
          g_hash_table_insert (files, g_strdup (code), csv);
        }
      const char *cat = core_table_get (tasks, r, category);
      const DemoItem *item = item_for (cat);
      gboolean fail = sched_rng_below (&rng, 1000) < fail_per_mille (cat);
      const char *verdict = fail ? "不合格" : "合格";
      const char *rec = core_table_get (tasks, r, record);
      g_string_append_printf (csv, "%s,BG%s,%s,\"%s\",%s,\"%s\",%s,%s,%s,2024-02-%02u\n", rec, rec,
                              item->item, fail ? item->fail : item->pass, item->unit, item->limit,
                              strchr (item->limit, 'n') ? "" : "0.01", verdict, verdict, 1 + r % 7);
      /* Every report also carries a preservative test, not detected. */
      g_string_append_printf (csv,
                              "%s,BG%s,苯甲酸及其钠盐(以苯甲酸计),ND,g/kg,≤0.5,0.005,合格,%s,"
                              "2024-02-%02u\n",
                              rec, rec, verdict, 1 + r % 7);
    }
  GPtrArray *labs = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init (&it, files);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      g_autofree char *name = g_strdup_printf ("results-2024-01-%s.csv", (char *)key);
      g_autofree char *path = g_build_filename (out, name, NULL);
      GString *csv = value;
      if (!g_file_set_contents (path, csv->str, (gssize)csv->len, error))
        {
          g_ptr_array_unref (labs);
          return NULL;
        }
      g_ptr_array_add (labs, g_strdup (key));
    }
  g_ptr_array_sort (labs, compare_strings);
  return labs;
}

static gboolean
sample_and_test (CliContext *ctx, const char *out, GError **error)
{
  heading ("4. Sampling recorded (抽样单) for January");
  g_autofree char *samples = g_build_filename (out, "samples-2024-01.csv", NULL);
  guint written = 0;
  if (!write_samples (ctx, samples, &written, error))
    return FALSE;
  if (written == 0)
    printf ("every January task is sampled already\n");
  else if (STEP (ctx, "samples", "record", samples) != 0)
    return FALSE;

  heading ("5. Lab results: validated, verdicts recomputed, nonconforming batches queued");
  g_autoptr (GPtrArray) labs = write_results (ctx, out, error);
  if (labs == NULL)
    return FALSE;
  for (guint i = 0; i < labs->len; i++)
    {
      const char *lab = g_ptr_array_index (labs, i);
      g_autofree char *name = g_strdup_printf ("results-2024-01-%s.csv", lab);
      g_autofree char *path = g_build_filename (out, name, NULL);
      /* Cases open on the import date; deadlines count Chinese working days from it. */
      if (STEP (ctx, "results", "import", path, "--lab", lab, "--date", "2024-02-20") != 0)
        return FALSE;
    }
  heading ("6. Verification and disposal (核查处置) queue");
  return STEP (ctx, "results", "review") == 0 && STEP (ctx, "cases", "list") == 0;
}

static gboolean
print_progress (const SvcContext *svc, GError **error)
{
  g_autoptr (CoreTable) progress = svc_progress_by_month (svc, DEMO_YEAR, error);
  if (progress == NULL)
    return FALSE;
  heading ("7. Progress against the plan");
  fflush (stdout);
  return cli_write_table (REPORT_FORMAT_TEXT, NULL, progress) == CLI_EXIT_OK;
}

static int
demo_run (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      "Where to write the files the demo makes (default: $XDG_CACHE_HOME/spotcheck/demo)", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      "",
      "Walk a sampling quarter through the real commands on the configured district: "
      "registry, 2024 plan, three monthly draws, sampling, lab results, cases, progress. "
      "Steps already done are skipped, so it can be run again.",
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (out == NULL)
    out = g_build_filename (g_get_user_cache_dir (), "spotcheck", "demo", NULL);
  g_autoptr (GError) error = NULL;
  if (g_mkdir_with_parents (out, 0755) != 0)
    {
      g_printerr ("spotcheck demo: cannot create %s: %s; choose another with --out\n", out,
                  g_strerror (errno));
      return CLI_EXIT_USER;
    }
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error) || !print_database (ctx, &svc, &error))
    return cli_report (error);
  print_catalog (ctx->catalog);
  printf ("files the demo writes go to %s\n", out);
  gboolean ok = ensure_registry (ctx, &svc, out, &error) && ensure_plan (ctx, &svc, &error)
                && ensure_draws (ctx, out, &error) && sample_and_test (ctx, out, &error)
                && print_progress (&svc, &error);
  if (!ok)
    {
      if (error != NULL)
        return cli_report (error);
      g_printerr ("spotcheck demo: a step failed (see above)\n");
      return CLI_EXIT_SYSTEM;
    }
  printf ("\ndemo complete; run it again to see every step recognised as done\n");
  return CLI_EXIT_OK;
}

static const CliCommand demo_commands[] = {
  { NULL, "walk a sampling quarter through the real commands", demo_run },
  { NULL, NULL, NULL },
};

const CliGroup cli_group_demo = { "demo", "Show the system at work.", demo_commands };
