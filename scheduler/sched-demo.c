/* sched-demo.c: generates a plausible demo district from a seed: businesses
 * over the catalog's streets, inspectors per office, a few labs. */
#include "scheduler/sched-demo.h"
#include "scheduler/sched-rng.h"

#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (sched - demo - error - quark, sched_demo_error)

/* GB 32100-2015: the 31 characters a USCC uses and the weights of positions 1-17. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int uscc_weights[17]
    = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };

char
sched_demo_uscc_check_char (const char *first17)
{
  int sum = 0;
  for (int i = 0; i < 17; i++)
    {
      const char *p = first17[i] != '\0' ? strchr (uscc_alphabet, first17[i]) : NULL;
      if (p == NULL)
        return 0;
      sum += (int)(p - uscc_alphabet) * uscc_weights[i];
    }
  return uscc_alphabet[(31 - sum % 31) % 31];
}

/* Shares of stages and grades in an urban district (illustrative demo data,
 * not rules: nothing outside the demo reads them). */
typedef struct
{
  const char *stage;
  guint percent;
} StageShare;
static const StageShare stage_shares[]
    = { { "catering", 45 }, { "distribution", 38 }, { "market", 9 }, { "production", 8 } };
static const guint grade_percent[CORE_N_GRADES] = { 45, 35, 15, 5 };

static const char *const name_words[] = { "鑫", "福", "顺", "利", "兴", "华", "祥", "和",
                                          "盛", "源", "隆", "泰", "宏", "康", "永", "瑞" };
static const char *const roads[] = { "鞍山西道", "南京路", "黄河道", "长江道", "白堤路", "复康路",
                                     "卫津路",   "红旗路", "西湖道", "华苑路", "雅安道", "宾水道" };
static const char *const surnames[]
    = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴" };
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "勇", "艳" };
/* Categories each stage plausibly handles; shops and pharmacies between them
 * sell every packaged category, foods for special medical purposes (29) and
 * food additives (32) included, so every category of the plan has a pool. */
static const char *const packaged[]
    = { "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11",
        "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22",
        "23", "24", "25", "26", "27", "28", "29", "30", "32", "34" };
static const char *const produced[] = { "01", "03", "04", "06", "07", "08", "11", "12",
                                        "13", "14", "16", "18", "22", "23", "24", "25" };
static const char *const fresh_extra[] = { "16", "19", "22", "25" };

typedef struct
{
  SchedRng rng;
  const CoreCatalog *catalog;
  GHashTable *usccs; /* taken, so that every generated USCC is unique */
  GPtrArray *cats;   /* categories of the business being built */
} DemoCtx;

static guint
below (DemoCtx *ctx, guint n)
{
  return (guint)sched_rng_below (&ctx->rng, n);
}

static const char *
pick (DemoCtx *ctx, const char *const *list, guint n)
{
  return list[below (ctx, n)];
}

static void
business_free (gpointer p)
{
  SchedDemoBusiness *b = p;
  g_free (b->uscc);
  g_free (b->licence);
  g_free (b->name);
  g_free (b->stage);
  g_free (b->street);
  g_free (b->address);
  g_strfreev (b->categories);
  g_free (b);
}

static void
inspector_free (gpointer p)
{
  SchedDemoInspector *s = p;
  g_free (s->id);
  g_free (s->name);
  g_free (s->office);
  g_strfreev (s->conflicts);
  g_free (s);
}

static void
lab_free (gpointer p)
{
  SchedDemoLab *l = p;
  g_free (l->code);
  g_free (l->name);
  g_strfreev (l->categories);
  g_free (l);
}

void
sched_demo_free (SchedDemo *demo)
{
  if (demo == NULL)
    return;
  g_free (demo->district);
  g_ptr_array_unref (demo->businesses);
  g_ptr_array_unref (demo->inspectors);
  g_ptr_array_unref (demo->labs);
  g_free (demo);
}

/* "91" (company) or "92" (individual business), the district code, "MA" and
 * seven random characters, then the check character; unique in the district. */
static char *
make_uscc (DemoCtx *ctx, gboolean individual)
{
  for (;;)
    {
      char u[19];
      g_snprintf (u, sizeof u, "9%c%.6sMA", individual ? '2' : '1', ctx->catalog->district);
      for (int i = 10; i < 17; i++)
        u[i] = uscc_alphabet[below (ctx, 31)];
      u[17] = sched_demo_uscc_check_char (u);
      u[18] = '\0';
      if (!g_hash_table_contains (ctx->usccs, u))
        {
          char *copy = g_strdup (u);
          g_hash_table_add (ctx->usccs, copy);
          return g_strdup (copy);
        }
    }
}

/* Adds @code when the catalog knows it and it is not there yet. */
static void
add_category (DemoCtx *ctx, const char *code)
{
  if (core_catalog_category (ctx->catalog, code) == NULL)
    return;
  for (guint i = 0; i < ctx->cats->len; i++)
    if (strcmp (g_ptr_array_index (ctx->cats, i), code) == 0)
      return;
  g_ptr_array_add (ctx->cats, g_strdup (code));
}

static int
compare_code (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

static char **
stage_categories (DemoCtx *ctx, const char *stage)
{
  g_ptr_array_set_size (ctx->cats, 0);
  if (strcmp (stage, "catering") == 0)
    {
      add_category (ctx, "31");
      if (below (ctx, 5) == 0)
        add_category (ctx, "24"); /* bakeries and tea houses sell pastries too */
    }
  else if (strcmp (stage, "market") == 0)
    {
      add_category (ctx, "33");
      for (guint i = 0; i < G_N_ELEMENTS (fresh_extra); i++)
        if (below (ctx, 3) == 0)
          add_category (ctx, fresh_extra[i]);
    }
  else if (strcmp (stage, "distribution") == 0)
    {
      guint n = 3 + below (ctx, 10);
      for (guint i = 0; i < n; i++)
        add_category (ctx, pick (ctx, packaged, G_N_ELEMENTS (packaged)));
      if (below (ctx, 2) == 0)
        add_category (ctx, "33");
    }
  else
    {
      guint n = 1 + below (ctx, 2);
      for (guint i = 0; i < n; i++)
        add_category (ctx, pick (ctx, produced, G_N_ELEMENTS (produced)));
    }
  g_ptr_array_sort (ctx->cats, compare_code);
  g_ptr_array_add (ctx->cats, NULL);
  char **out = (char **)g_ptr_array_steal (ctx->cats, NULL);
  return out;
}

static const char *
stage_name_suffix (DemoCtx *ctx, const char *stage)
{
  static const char *const catering[] = { "餐馆", "饭店", "小吃店", "快餐店", "面馆", "火锅店" };
  static const char *const sale[] = { "超市", "便利店", "食品商行", "副食店" };
  static const char *const market[] = { "农贸市场", "菜市场", "鲜肉店", "水产店" };
  static const char *const factory[] = { "食品有限公司", "调味品厂", "糕点厂", "豆制品厂" };
  if (strcmp (stage, "catering") == 0)
    return pick (ctx, catering, G_N_ELEMENTS (catering));
  if (strcmp (stage, "distribution") == 0)
    return pick (ctx, sale, G_N_ELEMENTS (sale));
  if (strcmp (stage, "market") == 0)
    return pick (ctx, market, G_N_ELEMENTS (market));
  return pick (ctx, factory, G_N_ELEMENTS (factory));
}

static SchedDemoBusiness *
make_business (DemoCtx *ctx, guint serial)
{
  const CoreCatalog *cat = ctx->catalog;
  SchedDemoBusiness *b = g_new0 (SchedDemoBusiness, 1);
  guint roll = below (ctx, 100), acc = 0, g = 0;
  const char *stage = stage_shares[0].stage;
  for (guint i = 0; i < G_N_ELEMENTS (stage_shares); i++)
    if (roll < (acc += stage_shares[i].percent))
      {
        stage = stage_shares[i].stage;
        break;
      }
  roll = below (ctx, 100);
  for (acc = grade_percent[0]; g < CORE_N_GRADES - 1 && roll >= acc; acc += grade_percent[++g])
    ;
  const CoreStreet *street = g_ptr_array_index (cat->streets, below (ctx, cat->streets->len));
  gboolean small = strcmp (stage, "catering") == 0 || strcmp (stage, "market") == 0;
  b->uscc = make_uscc (ctx, small && below (ctx, 2) == 0);
  b->stage = g_strdup (stage);
  b->street = g_strdup (street->code);
  b->grade = CORE_GRADES[g];
  b->categories = stage_categories (ctx, stage);
  b->active = below (ctx, 40) != 0;
  if (strcmp (stage, "production") == 0)
    b->licence = g_strdup_printf ("SC1%s%.6s%04u%u", b->categories[0], cat->district,
                                  serial % 10000, below (ctx, 10));
  else
    b->licence = g_strdup_printf ("JY%c%.6s%07u", strcmp (stage, "catering") == 0 ? '2' : '1',
                                  cat->district, serial % 10000000);
  b->name = g_strdup_printf ("%s%s%s%s", cat->zh ? cat->zh : "", pick (ctx, name_words, 16),
                             pick (ctx, name_words, 16), stage_name_suffix (ctx, stage));
  b->address = g_strdup_printf ("%s%s%u号", cat->zh ? cat->zh : "",
                                pick (ctx, roads, G_N_ELEMENTS (roads)), 1 + below (ctx, 400));
  return b;
}

/* Inspectors per office (6-10), one in fifteen inactive but never below five
 * active, one in eight with one or two conflicts among its own businesses. */
static void
make_inspectors (DemoCtx *ctx, SchedDemo *demo)
{
  const CoreCatalog *cat = ctx->catalog;
  g_autoptr (GHashTable) by_street
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  for (guint i = 0; i < demo->businesses->len; i++)
    {
      SchedDemoBusiness *b = g_ptr_array_index (demo->businesses, i);
      GPtrArray *list = g_hash_table_lookup (by_street, b->street);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (by_street, b->street, list);
        }
      g_ptr_array_add (list, b->uscc);
    }
  for (guint o = 0; o < cat->offices->len; o++)
    {
      const CoreOffice *office = g_ptr_array_index (cat->offices, o);
      g_autoptr (GPtrArray) local = g_ptr_array_new ();
      for (char **st = office->streets; *st; st++)
        {
          GPtrArray *on_street = g_hash_table_lookup (by_street, *st);
          for (guint i = 0; on_street != NULL && i < on_street->len; i++)
            g_ptr_array_add (local, g_ptr_array_index (on_street, i));
        }
      guint n = 6 + below (ctx, 5);
      for (guint k = 0; k < n; k++)
        {
          SchedDemoInspector *s = g_new0 (SchedDemoInspector, 1);
          s->id = g_strdup_printf ("%s%02u", office->code, k + 1);
          s->name = g_strdup_printf ("%s%s%s", pick (ctx, surnames, G_N_ELEMENTS (surnames)),
                                     pick (ctx, given, G_N_ELEMENTS (given)),
                                     below (ctx, 2) ? pick (ctx, given, G_N_ELEMENTS (given)) : "");
          s->office = g_strdup (office->code);
          s->active = k < 5 || below (ctx, 15) != 0;
          g_autoptr (GStrvBuilder) conflicts = g_strv_builder_new ();
          if (local->len > 0 && below (ctx, 8) == 0)
            {
              guint c = 1 + below (ctx, 2);
              for (guint j = 0; j < c; j++)
                g_strv_builder_add (conflicts, g_ptr_array_index (local, below (ctx, local->len)));
            }
          s->conflicts = g_strv_builder_end (conflicts);
          g_ptr_array_add (demo->inspectors, s);
        }
    }
}

/* Two labs take every category, one packaged foods, one fresh produce and
 * catering; further labs (for scaled districts) repeat the pattern. */
static void
make_labs (DemoCtx *ctx, SchedDemo *demo, guint n_labs, guint n_businesses)
{
  static const char *const names[]
      = { "南开区食品检验检测中心（示例）", "津门食品安全检测有限公司（示例）",
          "海河包装食品检测所（示例）", "卫津农产品与餐饮检测站（示例）" };
  static const guint share[] = { 30, 30, 20, 20 };
  static const char *const fresh_and_catering[]
      = { "16", "17", "19", "22", "25", "31", "33", NULL };
  guint total = MAX (n_businesses / 5, 4u);
  for (guint i = 0; i < n_labs; i++)
    {
      guint t = i % 4;
      SchedDemoLab *l = g_new0 (SchedDemoLab, 1);
      l->code = g_strdup_printf ("LAB%02u", i + 1);
      l->name = i < 4 ? g_strdup (names[t]) : g_strdup_printf ("%s%u", names[t], i / 4 + 1);
      g_ptr_array_set_size (ctx->cats, 0);
      for (guint c = 0; c < ctx->catalog->categories->len; c++)
        {
          const char *code
              = ((CoreCategory *)g_ptr_array_index (ctx->catalog->categories, c))->code;
          gboolean fresh = g_strv_contains (fresh_and_catering, code);
          if (t < 2 || (t == 2 && !fresh && strcmp (code, "33") != 0) || (t == 3 && fresh))
            g_ptr_array_add (ctx->cats, g_strdup (code));
        }
      g_ptr_array_add (ctx->cats, NULL);
      l->categories = (char **)g_ptr_array_steal (ctx->cats, NULL);
      /* Each template's share, split evenly among its copies. */
      guint copies = n_labs / 4 + (t < n_labs % 4 ? 1 : 0);
      l->capacity = MAX (total * share[t] / 100 / copies, 1u);
      g_ptr_array_add (demo->labs, l);
    }
}

SchedDemo *
sched_demo_generate (const CoreCatalog *catalog, guint64 seed, guint n_businesses, guint n_labs,
                     GError **error)
{
  return sched_demo_generate_with_progress (catalog, seed, n_businesses, n_labs, NULL, error);
}

SchedDemo *
sched_demo_generate_with_progress (const CoreCatalog *catalog, guint64 seed, guint n_businesses,
                                   guint n_labs, const CoreProgress *progress, GError **error)
{
  if (catalog->streets->len == 0 || catalog->offices->len == 0
      || core_catalog_category (catalog, "31") == NULL
      || core_catalog_category (catalog, "33") == NULL || n_labs == 0)
    {
      g_set_error (error, SCHED_DEMO_ERROR, SCHED_DEMO_ERROR_CATALOG,
                   _ ("the demo district needs streets, offices, categories 31 and 33 in the "
                      "configuration and at least one lab"));
      return NULL;
    }
  DemoCtx ctx = { .catalog = catalog };
  sched_rng_init (&ctx.rng, seed);
  ctx.usccs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ctx.cats = g_ptr_array_new_with_free_func (g_free);
  SchedDemo *demo = g_new0 (SchedDemo, 1);
  demo->district = g_strdup (catalog->district);
  demo->businesses = g_ptr_array_new_full (n_businesses, business_free);
  demo->inspectors = g_ptr_array_new_with_free_func (inspector_free);
  demo->labs = g_ptr_array_new_with_free_func (lab_free);
  for (guint i = 0; i < n_businesses; i++)
    {
      /* a national-size district takes seconds: told every 10000 */
      if (i % 10000 == 0)
        core_progress_update (progress, _ ("generating businesses"), i, n_businesses);
      g_ptr_array_add (demo->businesses, make_business (&ctx, i + 1));
    }
  core_progress_update (progress, _ ("generating businesses"), n_businesses, n_businesses);
  make_inspectors (&ctx, demo);
  make_labs (&ctx, demo, n_labs, n_businesses);
  g_hash_table_unref (ctx.usccs);
  g_ptr_array_unref (ctx.cats);
  return demo;
}
