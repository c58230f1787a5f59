/* svc-plan-read.c: the plan's readers: the list of versions, one version as
 * tables (per month, per cell) and its evenness figures. */
#include "service/svc-plan.h"

#include "db/db-tasks.h"

#include "db/db-conn.h"
#include "scheduler/sched-round.h"
#include "core/core-i18n.h"

static const char *const month_names[]
    = { N_ ("Jan"), N_ ("Feb"), N_ ("Mar"), N_ ("Apr"), N_ ("May"), N_ ("Jun"),
        N_ ("Jul"), N_ ("Aug"), N_ ("Sep"), N_ ("Oct"), N_ ("Nov"), N_ ("Dec") };

static const CoreColumn list_columns[] = {
  { "year", N_ ("year"), CORE_CELL_INT },
  { "version", N_ ("version"), CORE_CELL_INT },
  { "status", N_ ("status"), CORE_CELL_TEXT },
  { "total", N_ ("planned batches"), CORE_CELL_INT },
  { "reserve", N_ ("reserve"), CORE_CELL_INT },
  { "from_month", N_ ("from month"), CORE_CELL_INT },
  { "within_one", N_ ("within one"), CORE_CELL_BOOL },
  { "created_at", N_ ("created"), CORE_CELL_TEXT },
  { "created_by", N_ ("created by"), CORE_CELL_TEXT },
  { "based_on", N_ ("based on"), CORE_CELL_INT },
};

static const CoreColumn summary_columns[] = {
  { "district", N_ ("district"), CORE_CELL_TEXT },
  { "year", N_ ("year"), CORE_CELL_INT },
  { "version", N_ ("version"), CORE_CELL_INT },
  { "status", N_ ("status"), CORE_CELL_TEXT },
  { "total", N_ ("planned batches"), CORE_CELL_INT },
  { "reserve", N_ ("reserve (drawn on demand)"), CORE_CELL_INT },
  { "within_one", N_ ("within one of ideal"), CORE_CELL_BOOL },
  { "digest", N_ ("digest"), CORE_CELL_TEXT },
  { "reserve_used", N_ ("reserve used (emergency draws)"), CORE_CELL_INT },
  { "reserve_left", N_ ("reserve left"), CORE_CELL_INT },
};

static const CoreColumn cell_columns[] = {
  { "year", N_ ("year"), CORE_CELL_INT },      { "version", N_ ("version"), CORE_CELL_INT },
  { "month", N_ ("month"), CORE_CELL_INT },    { "category", N_ ("category"), CORE_CELL_TEXT },
  { "grade", N_ ("grade"), CORE_CELL_TEXT },   { "batches", N_ ("batches"), CORE_CELL_INT },
  { "ideal", N_ ("ideal"), CORE_CELL_NUMBER },
};

const char *
svc_plan_status_name (const char *status)
{
  if (g_strcmp0 (status, "draft") == 0)
    return C_ ("plan", "draft");
  if (g_strcmp0 (status, "approved") == 0)
    return C_ ("plan", "approved");
  if (g_strcmp0 (status, "superseded") == 0)
    return C_ ("plan", "superseded");
  return status;
}

/* Authorises a read, checks the arguments and opens its transaction. */
static DbTransaction *
begin_read (const SvcContext *ctx, const SvcPlanArgs *args, gboolean any_year, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_PLAN_READ, error)
      || !svc_plan_check_args (args, any_year, error))
    return NULL;
  return db_transaction_begin (ctx->conn, error);
}

CoreTable *
svc_plan_list (const SvcContext *ctx, const SvcPlanArgs *args, GError **error)
{
  g_autoptr (DbTransaction) tx = begin_read (ctx, args, TRUE, error);
  if (tx == NULL)
    return NULL;
  g_autoptr (GPtrArray) list = db_plan_list (ctx->conn, svc_district (ctx), args->year, error);
  if (list == NULL || !db_transaction_commit (tx, error))
    return NULL;
  g_autoptr (CoreTable) t
      = core_table_new ("plans", _ ("plan versions"), list_columns, G_N_ELEMENTS (list_columns));
  for (guint i = 0; i < list->len; i++)
    {
      const DbPlanInfo *p = g_ptr_array_index (list, i);
      guint r = core_table_add_row (t);
      core_table_set_int (t, r, 0, p->year);
      core_table_set_int (t, r, 1, p->version);
      core_table_set (t, r, 2, p->status);
      core_table_set_shown (t, r, 2, svc_plan_status_name (p->status));
      core_table_set_int (t, r, 3, p->total);
      core_table_set_int (t, r, 4, p->reserve);
      core_table_set_int (t, r, 5, p->from_month);
      core_table_set_bool (t, r, 6, p->within_one);
      core_table_set (t, r, 7, p->created_at);
      core_table_set (t, r, 8, p->created_by);
      if (p->based_on > 0)
        core_table_set_int (t, r, 9, p->based_on);
    }
  return g_steal_pointer (&t);
}

/* A version's header and cells, in one read transaction. */
static gboolean
load (const SvcContext *ctx, const SvcPlanArgs *args, DbPlanInfo **info, DbPlanCells **cells,
      GError **error)
{
  g_autoptr (DbTransaction) tx = begin_read (ctx, args, FALSE, error);
  if (tx == NULL)
    return FALSE;
  g_autoptr (DbPlanInfo) i
      = db_plan_get (ctx->conn, svc_district (ctx), args->year, svc_plan_version (args), error);
  if (i == NULL)
    return FALSE;
  g_autoptr (DbPlanCells) c
      = db_plan_cells (ctx->conn, svc_district (ctx), args->year, i->version, error);
  if (c == NULL || !db_transaction_commit (tx, error))
    return FALSE;
  *info = g_steal_pointer (&i);
  *cells = g_steal_pointer (&c);
  return TRUE;
}

static gsize
index_of (const DbPlanCells *p, guint m, guint c, guint g)
{
  return ((gsize)m * p->n_categories + c) * p->n_grades + g;
}

/* Emergency draws of the year are charged to the reserve (tasks emergency). */
static CoreTable *
summary_table (const SvcContext *ctx, const DbPlanInfo *info, gint64 used)
{
  CoreTable *t = core_table_new (NULL, _ ("plan"), summary_columns, G_N_ELEMENTS (summary_columns));
  core_table_set_shape (t, CORE_TABLE_RECORD);
  guint r = core_table_add_row (t);
  core_table_set (t, r, 0, svc_district (ctx));
  core_table_set_int (t, r, 1, info->year);
  core_table_set_int (t, r, 2, info->version);
  core_table_set (t, r, 3, info->status);
  core_table_set_shown (t, r, 3, svc_plan_status_name (info->status));
  core_table_set_int (t, r, 4, info->total);
  core_table_set_int (t, r, 5, info->reserve);
  core_table_set_bool (t, r, 6, info->within_one);
  core_table_set (t, r, 7, info->digest);
  core_table_set_int (t, r, 8, used);
  core_table_set_int (t, r, 9, info->reserve - used);
  return t;
}

/* category, [grade,] a column per month, total, category name. */
static CoreTable *
months_table (const SvcContext *ctx, const DbPlanCells *p, gboolean grades)
{
  g_autoptr (GArray) cols = g_array_new (FALSE, FALSE, sizeof (CoreColumn));
  g_array_append_val (cols, ((CoreColumn){ "category", N_ ("category"), CORE_CELL_TEXT }));
  if (grades)
    g_array_append_val (cols, ((CoreColumn){ "grade", N_ ("risk grade"), CORE_CELL_TEXT }));
  char keys[12][8];
  for (guint m = 0; m < 12; m++)
    {
      g_snprintf (keys[m], sizeof keys[m], "m%02u", m + 1);
      CoreColumn col = { keys[m], month_names[m], CORE_CELL_INT };
      g_array_append_val (cols, col);
    }
  g_array_append_val (cols, ((CoreColumn){ "total", N_ ("total"), CORE_CELL_INT }));
  g_array_append_val (cols,
                      ((CoreColumn){ "category_name", N_ ("category name"), CORE_CELL_TEXT }));
  guint first_month = grades ? 2 : 1, total_col = first_month + 12;
  CoreTable *t = core_table_new ("months", _ ("batches per month"),
                                 (const CoreColumn *)(void *)cols->data, cols->len);
  gint64 column_total[13] = { 0 };
  for (guint c = 0; c < p->n_categories; c++)
    {
      const CoreCategory *cat = core_catalog_category (ctx->catalog, p->category_codes[c]);
      for (guint g = 0; g < (grades ? p->n_grades : 1); g++)
        {
          guint r = core_table_add_row (t);
          core_table_set (t, r, 0, p->category_codes[c]);
          if (grades)
            core_table_take (t, r, 1, g_strndup (&CORE_GRADES[g], 1));
          gint64 row = 0;
          for (guint m = 0; m < p->n_months; m++)
            {
              gint64 v = 0;
              for (guint gg = 0; gg < p->n_grades; gg++)
                if (!grades || gg == g)
                  v += p->cells[index_of (p, m, c, gg)];
              core_table_set_int (t, r, first_month + m, v);
              row += v;
              column_total[m] += v;
            }
          core_table_set_int (t, r, total_col, row);
          column_total[12] += row;
          if (cat != NULL && (!grades || g == 0))
            core_table_set (t, r, total_col + 1, cat->zh);
        }
    }
  guint r = core_table_add_row (t);
  core_table_set (t, r, 0, "total");
  core_table_set_shown (t, r, 0, _ ("total"));
  for (guint m = 0; m < p->n_months; m++)
    core_table_set_int (t, r, first_month + m, column_total[m]);
  core_table_set_int (t, r, total_col, column_total[12]);
  return t;
}

static CoreTable *
cells_table (const DbPlanInfo *info, const DbPlanCells *p)
{
  CoreTable *t
      = core_table_new ("cells", _ ("plan cells"), cell_columns, G_N_ELEMENTS (cell_columns));
  for (guint m = 0; m < p->n_months; m++)
    for (guint c = 0; c < p->n_categories; c++)
      for (guint g = 0; g < p->n_grades; g++)
        {
          guint r = core_table_add_row (t);
          core_table_set_int (t, r, 0, info->year);
          core_table_set_int (t, r, 1, info->version);
          core_table_set_int (t, r, 2, m + 1);
          core_table_set (t, r, 3, p->category_codes[c]);
          core_table_take (t, r, 4, g_strndup (&CORE_GRADES[g], 1));
          core_table_set_int (t, r, 5, p->cells[index_of (p, m, c, g)]);
          core_table_set_number (t, r, 6, p->ideal[index_of (p, m, c, g)], 6);
        }
  return t;
}

void
svc_plan_view_free (SvcPlanView *view)
{
  if (view == NULL)
    return;
  db_plan_info_free (view->info);
  g_clear_pointer (&view->summary, core_table_unref);
  g_clear_pointer (&view->months, core_table_unref);
  g_clear_pointer (&view->cells, core_table_unref);
  g_free (view);
}

SvcPlanView *
svc_plan_show (const SvcContext *ctx, const SvcPlanArgs *args, GError **error)
{
  g_autoptr (DbPlanInfo) info = NULL;
  g_autoptr (DbPlanCells) cells = NULL;
  if (!load (ctx, args, &info, &cells, error))
    return NULL;
  gint64 used = 0;
  if (!db_tasks_reserve_used (ctx->conn, svc_district (ctx), info->year, &used, error))
    return NULL;
  SvcPlanView *view = g_new0 (SvcPlanView, 1);
  view->summary = summary_table (ctx, info, used);
  view->months = months_table (ctx, cells, args->grades);
  view->cells = cells_table (info, cells);
  view->info = g_steal_pointer (&info);
  return view;
}

void
svc_plan_balance_free (SvcPlanBalance *balance)
{
  if (balance == NULL)
    return;
  db_plan_info_free (balance->info);
  g_strfreev (balance->category_codes);
  sched_balance_free (balance->plan);
  sched_balance_free (balance->independent);
  g_free (balance);
}

SvcPlanBalance *
svc_plan_balance (const SvcContext *ctx, const SvcPlanArgs *args, GError **error)
{
  g_autoptr (DbPlanInfo) info = NULL;
  g_autoptr (DbPlanCells) p = NULL;
  if (!load (ctx, args, &info, &p, error))
    return NULL;
  gsize n = (gsize)p->n_months * p->n_categories * p->n_grades;
  g_autofree gint64 *plain = g_new0 (gint64, n);
  sched_round_independent (n, p->ideal, plain);
  SvcPlanBalance *b = g_new0 (SvcPlanBalance, 1);
  b->plan = sched_balance_compute (p->n_months, p->n_categories, p->n_grades, p->ideal, p->cells);
  b->independent
      = sched_balance_compute (p->n_months, p->n_categories, p->n_grades, p->ideal, plain);
  b->category_codes = g_steal_pointer (&p->category_codes);
  b->info = g_steal_pointer (&info);
  return b;
}
