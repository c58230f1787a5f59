/* svc-plan.c: the plan's writers: generate, approve, rebalance, and the one
 * check of the plan's numeric arguments. Each holds the year's plan lock for
 * its whole transaction, so what it reads is what it stores against. */
#include "service/svc-plan.h"

#include "db/db-conn.h"

#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (spotcheck - service - plan - error - quark, svc_plan_error)

gboolean
svc_plan_check_args (const SvcPlanArgs *args, gboolean any_year, GError **error)
{
  if (!(any_year && args->year == 0)
      && (args->year < SVC_PLAN_YEAR_MIN || args->year > SVC_PLAN_YEAR_MAX))
    {
      g_set_error (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_YEAR,
                   _ ("plan year %d is out of range: plans are made for %d to %d"), args->year,
                   SVC_PLAN_YEAR_MIN, SVC_PLAN_YEAR_MAX);
      return FALSE;
    }
  if (args->has_version && args->version < 1)
    {
      g_set_error (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_VERSION,
                   _ ("plan version %d is out of range: versions count from 1"), args->version);
      return FALSE;
    }
  if (args->has_total && (args->total < 1 || args->total > SVC_PLAN_TOTAL_MAX))
    {
      g_set_error (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_TOTAL,
                   "an annual total of %" G_GINT64_FORMAT
                   " batches is out of range: it must be 1 to %d",
                   args->total, SVC_PLAN_TOTAL_MAX);
      return FALSE;
    }
  if (args->from_month < 0 || args->from_month > 12)
    {
      g_set_error (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_MONTH,
                   _ ("month %d is out of range: 1 to 12"), args->from_month);
      return FALSE;
    }
  return TRUE;
}

int
svc_plan_version (const SvcPlanArgs *args)
{
  return args->has_version ? args->version : 0;
}

void
svc_plan_stored_free (SvcPlanStored *stored)
{
  if (stored == NULL)
    return;
  db_plan_info_free (stored->info);
  sched_plan_free (stored->plan);
  g_free (stored);
}

/* Opens the writer's transaction and takes the year's lock. */
static DbTransaction *
begin_write (const SvcContext *ctx, const SvcPlanArgs *args, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_PLAN_WRITE, error)
      || !svc_plan_check_args (args, FALSE, error))
    return NULL;
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL || !db_plan_lock (ctx->conn, svc_district (ctx), args->year, error))
    return NULL;
  return g_steal_pointer (&tx);
}

/* Stores @plan as the next draft and reads it back, in the caller's
 * transaction. */
static SvcPlanStored *
store (const SvcContext *ctx, SchedPlan **plan, const char *snapshot, const char *counts,
       int based_on, GError **error)
{
  int version = 0;
  if (!db_plan_insert (ctx->conn, svc_district (ctx), *plan, snapshot, counts, based_on, ctx->actor,
                       &version, error))
    return NULL;
  g_autoptr (DbPlanInfo) info
      = db_plan_get (ctx->conn, svc_district (ctx), (*plan)->year, version, error);
  if (info == NULL)
    return NULL;
  SvcPlanStored *stored = g_new0 (SvcPlanStored, 1);
  stored->info = g_steal_pointer (&info);
  stored->plan = g_steal_pointer (plan);
  stored->based_on = based_on;
  return stored;
}

SvcPlanStored *
svc_plan_generate (const SvcContext *ctx, const SvcPlanArgs *args, GError **error)
{
  g_autoptr (DbTransaction) tx = begin_write (ctx, args, error);
  if (tx == NULL)
    return NULL;
  g_autofree char *counts_text = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (SchedGradeCounts) counts
      = db_plan_registry_counts (ctx->conn, svc_district (ctx), &counts_text, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  core_progress_update (ctx->progress, _ ("spreading the plan over months and categories"), 0, 0);
  g_autoptr (SchedPlan) plan = sched_plan_build_from_config (
      ctx->config, args->year, args->has_total ? args->total : 0, counts, error);
  if (plan == NULL)
    return NULL;
  g_autofree char *snapshot = sched_plan_config_snapshot (ctx->config, args->year);
  core_progress_update (ctx->progress, _ ("storing the plan"), 0, 0);
  g_autoptr (SvcPlanStored) stored = store (ctx, &plan, snapshot, counts_text, 0, error);
  if (stored == NULL || !db_transaction_commit (tx, error))
    return NULL;
  stored->shares_from_config = counts == NULL;
  return g_steal_pointer (&stored);
}

/* The year's only draft, or an error saying why there is none to choose. */
static int
only_draft (const SvcContext *ctx, int year, GError **error)
{
  g_autoptr (GPtrArray) list = db_plan_list (ctx->conn, svc_district (ctx), year, error);
  if (list == NULL)
    return 0;
  g_autoptr (GString) drafts = g_string_new (NULL);
  int found = 0, n = 0, approved = 0;
  for (guint i = 0; i < list->len; i++)
    {
      const DbPlanInfo *p = g_ptr_array_index (list, i);
      if (strcmp (p->status, "approved") == 0)
        approved = p->version;
      if (strcmp (p->status, "draft") != 0)
        continue;
      g_string_append_printf (drafts, "%sversion %d (created %s, %" G_GINT64_FORMAT " batches)",
                              n ? ", " : "", p->version, p->created_at, p->total);
      found = p->version;
      n++;
    }
  if (n == 1)
    return found;
  if (n > 1)
    g_set_error (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_SEVERAL_DRAFTS,
                 _ ("district %s has %d draft plans for %d: %s"), svc_district (ctx), n, year,
                 drafts->str);
  else if (approved != 0)
    g_set_error (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_NO_DRAFT,
                 _ ("district %s has no draft plan for %d to approve (version %d is approved)"),
                 svc_district (ctx), year, approved);
  else
    g_set_error (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_NO_DRAFT,
                 _ ("district %s has no draft plan for %d to approve"), svc_district (ctx), year);
  return 0;
}

DbPlanInfo *
svc_plan_approve (const SvcContext *ctx, const SvcPlanArgs *args, GError **error)
{
  g_autoptr (DbTransaction) tx = begin_write (ctx, args, error);
  if (tx == NULL)
    return NULL;
  int version = args->has_version ? args->version : only_draft (ctx, args->year, error);
  if (version == 0
      || !db_plan_approve (ctx->conn, svc_district (ctx), args->year, version, args->supersede,
                           ctx->actor, error))
    return NULL;
  g_autoptr (DbPlanInfo) info
      = db_plan_get (ctx->conn, svc_district (ctx), args->year, version, error);
  if (info == NULL || !db_transaction_commit (tx, error))
    return NULL;
  return g_steal_pointer (&info);
}

/* Rebuilds the stored version's plan from its inputs, then puts the stored
 * cells in (a rebalanced version differs from a fresh build of its inputs). */
static SchedPlan *
rebuild (const DbPlanInfo *info, const DbPlanCells *stored, GError **error)
{
  g_autoptr (CoreConfig) config = core_config_new_builtin (error);
  if (config == NULL
      || !core_config_add_data (config, info->config_snapshot, "plan snapshot", error))
    return NULL;
  g_autoptr (SchedGradeCounts) counts = db_plan_counts_parse (info->grade_counts);
  g_autoptr (SchedPlan) plan
      = sched_plan_build_from_config (config, info->year, info->total, counts, error);
  if (plan == NULL)
    return NULL;
  if (plan->n_categories != stored->n_categories
      || !g_strv_equal ((const char *const *)plan->category_codes,
                        (const char *const *)stored->category_codes))
    {
      g_set_error (error, DB_PLAN_ERROR, DB_PLAN_ERROR_MISMATCH,
                   _ ("plan %d version %d cannot be rebuilt from its stored inputs (the category "
                      "catalogue changed since)"),
                   info->year, info->version);
      return NULL;
    }
  gsize n = (gsize)plan->n_months * plan->n_categories * plan->n_grades;
  memcpy (plan->cells, stored->cells, n * sizeof (gint64));
  return g_steal_pointer (&plan);
}

SvcPlanStored *
svc_plan_rebalance (const SvcContext *ctx, const SvcPlanArgs *args, GError **error)
{
  if (args->from_month == 0)
    {
      g_set_error_literal (error, SVC_PLAN_ERROR, SVC_PLAN_ERROR_MONTH,
                           _ ("a rebalance needs the first month to re-spread"));
      return NULL;
    }
  g_autoptr (DbTransaction) tx = begin_write (ctx, args, error);
  if (tx == NULL)
    return NULL;
  const char *district = svc_district (ctx);
  g_autoptr (DbPlanInfo) info
      = db_plan_get (ctx->conn, district, args->year, svc_plan_version (args), error);
  if (info == NULL)
    return NULL;
  g_autoptr (DbPlanCells) cells
      = db_plan_cells (ctx->conn, district, args->year, info->version, error);
  if (cells == NULL)
    return NULL;
  g_autoptr (SchedPlan) old = rebuild (info, cells, error);
  if (old == NULL)
    return NULL;
  gsize n = (gsize)old->n_months * old->n_categories * old->n_grades;
  g_autofree gint64 *done = g_new0 (gint64, n);
  if (!db_plan_done_cells (ctx->conn, district, args->year, args->from_month,
                           (const char *const *)old->category_codes, old->n_grades, done, error))
    return NULL;
  g_autoptr (SchedPlan) plan = sched_plan_rebalance (old, args->from_month, done, error);
  if (plan == NULL)
    return NULL;
  g_autoptr (SvcPlanStored) stored
      = store (ctx, &plan, info->config_snapshot, info->grade_counts, info->version, error);
  if (stored == NULL || !db_transaction_commit (tx, error))
    return NULL;
  stored->based_on_approved = strcmp (info->status, "approved") == 0;
  for (gsize i = 0; i < n; i++)
    stored->done_total += done[i];
  return g_steal_pointer (&stored);
}
