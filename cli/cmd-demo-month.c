/* cmd-demo-month.c: one month of the demo year. On the 1st the coordinator
 * draws the month (and in July first rebalances the plan from the samples
 * taken); in May an emergency draw follows a food-poisoning alert; by the
 * 15th the sampling inspectors have recorded their 抽样单 (a few per cent of
 * the tasks are left undone, to show shortfalls); on the 25th the labs send
 * their results and, in two months, the city refers its own nonconforming
 * notices; on the last day the inspectors work the cases. */
#include "cli/cmd-demo.h"

#include "service/svc-cases.h"
#include "service/svc-plan.h"
#include "service/svc-samples.h"
#include "service/svc-tasks.h"

#include "core/core-i18n.h"
#include <stdio.h>
#include <string.h>

/* The month an event of the full year happens in, moved into a shortened
 * year so that every kind of event is still shown. */
static int
event_month (const DemoRun *run, int full_year, int shortened)
{
  return run->months >= full_year ? full_year : MIN (shortened, run->months);
}

static gboolean
rebalance (DemoRun *run, int m, GError **error)
{
  SvcPlanArgs args = { .year = run->year, .from_month = m };
  g_autoptr (SvcPlanStored) stored = svc_plan_rebalance (&run->svc, &args, error);
  if (stored == NULL)
    return FALSE;
  SvcPlanArgs approve = {
    .year = run->year, .has_version = TRUE, .version = stored->info->version, .supersede = TRUE
  };
  g_autoptr (DbPlanInfo) approved = svc_plan_approve (&run->svc, &approve, error);
  if (approved == NULL)
    return FALSE;
  demo_say (run,
            _ ("%d-%02d-01 plan rebalanced from %d-%02d (%lld batches sampled before it): version "
               "%d approved\n"),
            run->year, m, run->year, m, (long long)stored->done_total, approved->version);
  run->rebalanced = TRUE;
  return TRUE;
}

static gboolean
emergency (DemoRun *run, int m, GError **error)
{
  run->svc.today = demo_date (run->year, m, 10);
  SvcEmergencyRequest req = {
    .year = run->year,
    .month = m,
    .category = "31",
    .count = 6,
    .reason = "节前餐饮食品专项：医院通报两起疑似食源性疾病",
    .seed = run->seed * 1000 + 500 + (guint)m,
    /* The district's plan keeps no reserve: the bureau approves the extra
     * batches, and the reason is recorded with the draw. */
    .over_reserve = "应急抽检经局领导批准，计划外增加",
  };
  g_autoptr (DbDrawInfo) info = NULL;
  if (!svc_tasks_emergency (&run->svc, &req, &info, NULL, error))
    return FALSE;
  run->emergency_tasks += (guint)info->tasks;
  demo_say (run, _ ("%d-%02d-10 emergency draw %d: %d catering tasks (reason recorded)\n"),
            run->year, m, info->draw_no, info->tasks);
  return TRUE;
}

/* The month's live tasks, every column. */
static CoreTable *
month_tasks (DemoRun *run, int m, GError **error)
{
  g_autoptr (CoreDocument) doc
      = svc_tasks_list (&run->svc, run->year, m, NULL, SVC_TASKS_ONE_TABLE, error);
  return doc ? core_table_ref (g_ptr_array_index (doc->tables, 0)) : NULL;
}

static gboolean
sampling (DemoRun *run, int m, guint *sampled, GError **error)
{
  run->svc.today = demo_date (run->year, m, 15);
  g_autoptr (CoreTable) tasks = month_tasks (run, m, error);
  if (tasks == NULL)
    return FALSE;
  guint record = (guint)core_table_find (tasks, "record_no"),
        name = (guint)core_table_find (tasks, "category_name");
  guint status = (guint)core_table_find (tasks, "status"),
        business = (guint)core_table_find (tasks, "business");
  g_autoptr (GString) csv = g_string_new ("抽样单编号,样品名称,批号,生产日期,规格型号,抽样数量,"
                                          "抽样日期,标称生产企业\n");
  SchedRng rng;
  sched_rng_init (&rng, run->seed * 1000 + 100 + (guint)m);
  guint n = 0;
  for (guint r = 0; r < core_table_n_rows (tasks); r++)
    {
      /* About 3 % are not reached this month (business closed, nobody there). */
      if (strcmp (core_table_get (tasks, r, status), "drawn") != 0
          || sched_rng_below (&rng, 1000) < 30)
        continue;
      GDate made = demo_date (run->year, m, 1);
      g_date_subtract_days (&made, 5 + r % 40);
      g_autofree char *made_text = demo_date_text (&made);
      g_string_append_printf (csv, "%s,%s样品,B%02d%04u,%s,500g/袋,2kg,%d-%02d-%02u,%s\n",
                              core_table_get (tasks, r, record), core_table_get (tasks, r, name), m,
                              r, made_text, run->year, m, 2 + r % 11,
                              core_table_get (tasks, r, business));
      n++;
    }
  *sampled = 0;
  if (n == 0)
    return TRUE;
  g_autofree char *file = g_strdup_printf ("samples-%d-%02d.csv", run->year, m);
  g_autofree char *path = demo_write (run, file, csv, error);
  SvcSamplesInput input = { .path = path, .name = file };
  return path != NULL && svc_samples_record (&run->svc, &input, sampled, error);
}

/* A city notice (市抽) about one of the district's businesses. */
static gboolean
referral (DemoRun *run, int m, guint index, GError **error)
{
  run->svc.today = demo_date (run->year, m, 25);
  const SchedDemoBusiness *b = NULL;
  for (guint i = 0; i < run->district->businesses->len && b == NULL; i++)
    {
      const SchedDemoBusiness *c = g_ptr_array_index (
          run->district->businesses, (i + 97 * (index + 1)) % run->district->businesses->len);
      if (c->active)
        b = c;
    }
  if (b == NULL)
    return TRUE;
  g_autoptr (GString) csv = g_string_new (
      "抽检级别,通知书编号,统一社会信用代码,企业名称,样品名称,不合格项目,通知日期\n");
  g_string_append_printf (csv, "市抽,津市监食抽〔%d〕%03u号,%s,%s,%s,%s,%d-%02d-18\n", run->year,
                          40 + index * 17, b->uscc, b->name, index ? "鲜鸡蛋" : "芹菜",
                          index ? "恩诺沙星" : "毒死蜱", run->year, m);
  g_autofree char *file = g_strdup_printf ("referrals-%d-%02d.csv", run->year, m);
  g_autofree char *path = demo_write (run, file, csv, error);
  guint opened = 0, skipped = 0;
  if (path == NULL || !svc_cases_import_referrals (&run->svc, path, file, &opened, &skipped, error))
    return FALSE;
  run->referrals += opened;
  demo_say (run, _ ("%d-%02d-25 city referral imported: %u case opened for %s\n"), run->year, m,
            opened, b->name);
  return TRUE;
}

gboolean
demo_month (DemoRun *run, int m, GError **error)
{
  g_autofree char *phase = g_strdup_printf ("%d-%02d", run->year, m);
  core_progress_update (run->progress, _ ("the year, month by month"), (guint64)(m - 1),
                        (guint64)run->months);
  run->svc.today = demo_date (run->year, m, 1);
  if (m == 7 && !rebalance (run, m, error))
    return FALSE;
  g_autoptr (DbDrawInfo) info = NULL;
  if (!svc_tasks_draw (&run->svc, run->year, m, run->seed * 100 + (guint)m, FALSE, &info, NULL,
                       error))
    return FALSE;
  if (m == event_month (run, 5, 2) && !emergency (run, m, error))
    return FALSE;
  guint sampled = 0;
  if (!sampling (run, m, &sampled, error))
    return FALSE;
  run->svc.today = demo_date (run->year, m, 25);
  if (!demo_labs (run, m, error))
    return FALSE;
  int first = event_month (run, 3, 2), second = event_month (run, 9, 3);
  if ((m == first && !referral (run, m, 0, error)) || (m == second && !referral (run, m, 1, error)))
    return FALSE;
  run->svc.today = demo_date (run->year, m, 31);
  if (!demo_inspectors (run, error))
    return FALSE;
  demo_say (run, _ ("%s  drawn %d (seed %llu, %d short)  sampled %u\n"), phase, info->tasks,
            (unsigned long long)info->seed, info->shortfall, sampled);
  core_progress_update (run->progress, _ ("the year, month by month"), (guint64)m,
                        (guint64)run->months);
  return TRUE;
}
