/* svc-progress.c: progress figures and table sizes as typed tables. */
#include "service/svc-progress.h"

#include "db/db-conn.h"
#include "db/db-progress.h"
#include "service/svc-plan.h"
#include "core/core-i18n.h"

#include <string.h>

static const CoreColumn month_columns[] = {
  { "month", N_ ("month"), CORE_CELL_TEXT },
  { "planned", N_ ("planned batches"), CORE_CELL_INT },
  { "drawn", N_ ("drawn"), CORE_CELL_INT },
  { "sampled", N_ ("sampled"), CORE_CELL_INT },
  { "reported", N_ ("reported"), CORE_CELL_INT },
  { "nonconforming", N_ ("nonconforming"), CORE_CELL_INT },
  { "cases", N_ ("cases"), CORE_CELL_INT },
};

static const CoreColumn count_columns[] = {
  { "table", N_ ("table"), CORE_CELL_TEXT },
  { "rows", N_ ("rows"), CORE_CELL_INT },
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
  CoreTable *t = core_table_new ("progress", _ ("progress against the plan"), month_columns,
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
      = core_table_new ("tables", _ ("tables"), count_columns, G_N_ELEMENTS (count_columns));
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
