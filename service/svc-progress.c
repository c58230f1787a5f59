/* svc-progress.c: progress figures and table sizes as typed tables. */
#include "service/svc-progress.h"

#include "db/db-conn.h"
#include "db/db-progress.h"
#include "service/svc-plan.h"

#include <string.h>

static const CoreColumn month_columns[] = {
  { "month", "月份", "month", CORE_CELL_TEXT },
  { "planned", "计划批次", "planned", CORE_CELL_INT },
  { "drawn", "已下达任务", "drawn", CORE_CELL_INT },
  { "sampled", "已抽样", "sampled", CORE_CELL_INT },
  { "reported", "已出报告", "reported", CORE_CELL_INT },
  { "nonconforming", "不合格", "nonconforming", CORE_CELL_INT },
  { "cases", "核查处置", "cases", CORE_CELL_INT },
};

static const CoreColumn count_columns[] = {
  { "table", "数据表", "table", CORE_CELL_TEXT },
  { "rows", "行数", "rows", CORE_CELL_INT },
};

CoreTable *
svc_progress_by_month (const SvcContext *ctx, int year, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_PROGRESS_READ, error))
    return NULL;
  SvcPlanArgs args = { .year = year };
  if (!svc_plan_check_args (&args, FALSE, error))
    return NULL;
  DbProgressMonth months[12];
  if (!db_progress_by_month (ctx->conn, svc_district (ctx), year, months, error))
    return NULL;
  CoreTable *t = core_table_new ("progress", "抽检进度", "progress against the plan", month_columns,
                                 G_N_ELEMENTS (month_columns));
  for (guint m = 0; m < 12; m++)
    {
      const DbProgressMonth *p = &months[m];
      guint r = core_table_add_row (t);
      core_table_take (t, r, 0, g_strdup_printf ("%d-%02d", year, p->month));
      core_table_set_int (t, r, 1, p->planned);
      core_table_set_int (t, r, 2, p->drawn);
      core_table_set_int (t, r, 3, p->sampled);
      core_table_set_int (t, r, 4, p->reported);
      core_table_set_int (t, r, 5, p->nonconforming);
      core_table_set_int (t, r, 6, p->cases);
    }
  return t;
}

CoreTable *
svc_progress_table_counts (const SvcContext *ctx, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_PROGRESS_READ, error))
    return NULL;
  g_autoptr (GArray) counts = db_progress_table_counts (ctx->conn, svc_district (ctx), error);
  if (counts == NULL)
    return NULL;
  CoreTable *t
      = core_table_new ("tables", "数据表", "tables", count_columns, G_N_ELEMENTS (count_columns));
  for (guint i = 0; i < counts->len; i++)
    {
      const DbTableCount *c = &g_array_index (counts, DbTableCount, i);
      guint r = core_table_add_row (t);
      core_table_set (t, r, 0, c->table);
      core_table_set_int (t, r, 1, c->rows);
    }
  return t;
}

gint64
svc_progress_count (const CoreTable *counts, const char *table)
{
  for (guint r = 0; r < core_table_n_rows (counts); r++)
    if (strcmp (core_table_get (counts, r, 0), table) == 0)
      return g_ascii_strtoll (core_table_get (counts, r, 1), NULL, 10);
  return 0;
}
