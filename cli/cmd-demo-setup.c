/* cmd-demo-setup.c: before the year starts: what the database holds, its
 * reset, the district's directories and the approved annual plan. */
#include "cli/cmd-demo.h"

#include "db/db-demo.h"
#include "service/svc-plan.h"
#include "service/svc-progress.h"
#include "service/svc-registry.h"

#include "core/core-i18n.h"
#include <stdio.h>

/* The tables a district's work fills; the catalog (streets, offices,
 * categories) comes from the configuration and does not count as data. */
static const char *const work_tables[]
    = { "business", "inspector", "lab", "plan", "draw", "task", "sample", "lab_report", "nc_case" };

gboolean
demo_db_state (DemoRun *run, DemoDbState *state, char **what, GError **error)
{
  g_autoptr (CoreTable) counts = svc_progress_table_counts (&run->svc, error);
  gboolean marked = FALSE;
  if (counts == NULL || !db_demo_marked (run->svc.conn, svc_district (&run->svc), &marked, error))
    return FALSE;
  g_autoptr (GString) text = g_string_new (NULL);
  gint64 total = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (work_tables); i++)
    {
      gint64 n = svc_progress_count (counts, work_tables[i]);
      total += n;
      if (n > 0)
        g_string_append_printf (text, _ ("%s%lld %s rows"), text->len ? ", " : "", (long long)n,
                                work_tables[i]);
    }
  *state = marked ? DEMO_DB_DEMO : total == 0 ? DEMO_DB_EMPTY : DEMO_DB_OTHER;
  *what = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

gboolean
demo_reset (DemoRun *run, GError **error)
{
  CliContext *ctx = run->ctx;
  /* Only the embedded cluster is dropped and recreated: the caller refuses
   * to reset a server of the user's own. */
  g_clear_pointer (&ctx->conn, PQfinish);
  if (!db_cluster_recreate (ctx->cluster, "spotcheck", error))
    return FALSE;
  GDate today = run->svc.today;
  if (!cli_service (ctx, &run->svc, error))
    return FALSE;
  run->svc.today = today;
  return TRUE;
}

gboolean
demo_directories (DemoRun *run, GError **error)
{
  core_progress_update (run->progress, _ ("directories: businesses, inspectors, labs"), 0, 3);
  run->district = sched_demo_generate_with_progress (run->svc.catalog, run->seed, run->businesses,
                                                     4, run->progress, error);
  if (run->district == NULL)
    return FALSE;
  g_autofree char *dir = g_build_filename (run->work, "registry", NULL);
  if (!sched_demo_write_csv (run->district, dir, error))
    return FALSE;
  /* Businesses first: inspectors' conflicts name them. */
  const struct
  {
    DbRegistryKind kind;
    const char *file;
  } files[] = { { DB_REGISTRY_BUSINESSES, SCHED_DEMO_BUSINESSES_FILE },
                { DB_REGISTRY_INSPECTORS, SCHED_DEMO_INSPECTORS_FILE },
                { DB_REGISTRY_LABS, SCHED_DEMO_LABS_FILE } };
  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i].file, NULL);
      SvcRegistryImport result = { 0 };
      if (!svc_registry_import (&run->svc, files[i].kind, path, files[i].file, &result, error))
        return FALSE;
      core_progress_update (run->progress, _ ("directories: businesses, inspectors, labs"), i + 1,
                            3);
    }
  demo_say (run, _ ("directories: %u businesses, %u inspectors, %u labs (files in %s)\n"),
            run->district->businesses->len, run->district->inspectors->len,
            run->district->labs->len, dir);
  return TRUE;
}

gboolean
demo_plan (DemoRun *run, GError **error)
{
  core_progress_update (run->progress, _ ("annual plan"), 0, 0);
  SvcPlanArgs args = { .year = run->year };
  g_autoptr (SvcPlanStored) stored = svc_plan_generate (&run->svc, &args, error);
  if (stored == NULL)
    return FALSE;
  SvcPlanArgs approve
      = { .year = run->year, .has_version = TRUE, .version = stored->info->version };
  g_autoptr (DbPlanInfo) approved = svc_plan_approve (&run->svc, &approve, error);
  if (approved == NULL)
    return FALSE;
  demo_say (run,
            _ ("plan %d version %d approved: %lld batches, %lld of them the emergency reserve\n"),
            run->year, approved->version, (long long)approved->total, (long long)approved->reserve);
  return TRUE;
}
