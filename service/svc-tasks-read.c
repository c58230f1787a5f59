/* svc-tasks-read.c: reading draws back: verification by re-running a stored
 * draw (一公开), the offices' lists, what is published, and re-running a
 * published draw without a database. */
#include "service/svc-tasks-private.h"

#include "db/db-conn.h"
#include "scheduler/sched-draw-parse.h"

#include <string.h>
#include "core/core-i18n.h"

static gboolean
not_drawn (GError **error, int year, int month, int draw_no)
{
  if (draw_no > 0)
    g_set_error (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_NOT_DRAWN,
                 _ ("%d-%02d has no draw number %d"), year, month, draw_no);
  else
    g_set_error (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_NOT_DRAWN,
                 _ ("%d-%02d has not been drawn"), year, month);
  return FALSE;
}

static DbDrawInfo *
get_draw (const SvcContext *ctx, int year, int month, int draw_no, GError **error)
{
  DbDrawInfo *info = NULL;
  if (!db_tasks_draw_get (ctx->conn, svc_district (ctx), year, month, draw_no, &info, error))
    return NULL;
  if (info == NULL)
    not_drawn (error, year, month, draw_no);
  return info;
}

static gboolean mismatch (GError **error, const DbDrawInfo *info, const char *fmt, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
mismatch (GError **error, const DbDrawInfo *info, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_MISMATCH,
               _ ("draw %d of %d-%02d does NOT verify: %s"), info->draw_no, info->year, info->month,
               msg);
  return FALSE;
}

/* The first line where @a and @b differ, for the message. */
static char *
first_difference (const char *a, const char *b)
{
  g_auto (GStrv) la = g_strsplit (a, "\n", -1), lb = g_strsplit (b, "\n", -1);
  for (guint i = 0;; i++)
    {
      if (la[i] == NULL || lb[i] == NULL || strcmp (la[i], lb[i]) != 0)
        return g_strdup_printf ("line %u: stored \"%s\", re-run \"%s\"", i + 1,
                                la[i] ? la[i] : "(end)", lb[i] ? lb[i] : "(end)");
    }
}

/* Steps of the byte-for-byte check of one stored draw. */
static gboolean
rerun_stored (const SvcContext *ctx, const DbDrawInfo *info, GError **error)
{
  g_autofree char *text = db_tasks_draw_input (ctx->conn, svc_district (ctx), info, error);
  if (text == NULL)
    return FALSE;
  const char *algorithm
      = info->kind == DB_DRAW_EMERGENCY ? SCHED_EMERGENCY_ALGORITHM : SCHED_DRAW_ALGORITHM;
  if (strcmp (info->algorithm, algorithm) != 0)
    return mismatch (error, info, "it was made by \"%s\" and this program runs \"%s\"",
                     info->algorithm, algorithm);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  if (strcmp (digest, info->input_digest) != 0)
    return mismatch (error, info, "the stored input text has SHA-256 %s, not the recorded %s",
                     digest, info->input_digest);
  g_autoptr (GError) local = NULL;
  g_autoptr (SchedDrawInput) in = sched_draw_input_parse (text, info->seed, ctx->calendar, &local);
  if (in == NULL)
    return mismatch (error, info, "%s", local->message);
  if ((in->emergency != NULL) != (info->kind == DB_DRAW_EMERGENCY))
    return mismatch (error, info, "its input is not that of a %s draw",
                     db_draw_kind_name (info->kind));
  g_autofree char *again = sched_draw_input_serialize (in, &local);
  if (again == NULL || strcmp (again, text) != 0)
    return mismatch (error, info, "the stored input text is not in canonical form");
  g_autoptr (SchedDraw) rerun = sched_draw_run (in, &local);
  if (rerun == NULL)
    return mismatch (error, info, "the re-run failed: %s", local->message);
  g_autofree char *output = sched_draw_serialize (rerun);
  g_autofree char *out_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, output, -1);
  if (strcmp (out_digest, info->output_digest) != 0)
    return mismatch (error, info, "the re-run's output has SHA-256 %s, not the recorded %s",
                     out_digest, info->output_digest);
  g_autoptr (SchedDraw) rows = db_tasks_draw_rows (ctx->conn, svc_district (ctx), info, error);
  if (rows == NULL)
    return FALSE;
  g_autofree char *stored = sched_draw_serialize (rows);
  if (strcmp (stored, output) != 0)
    {
      g_autofree char *where = first_difference (stored, output);
      return mismatch (error, info, "the stored tasks differ from the re-run at %s", where);
    }
  return TRUE;
}

gboolean
svc_tasks_verify (const SvcContext *ctx, int year, int month, int draw_no, DbDrawInfo **info_out,
                  GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_DRAW_VERIFY, error))
    return FALSE;
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL)
    return FALSE;
  g_autoptr (DbDrawInfo) info = get_draw (ctx, year, month, draw_no, error);
  if (info == NULL || !rerun_stored (ctx, info, error) || !svc_tasks_check_year (ctx, year, error)
      || !db_transaction_commit (tx, error))
    return FALSE;
  if (info_out != NULL)
    *info_out = g_steal_pointer (&info);
  return TRUE;
}

GPtrArray *
svc_tasks_draws (const SvcContext *ctx, int year, int month, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_DRAW_VERIFY, error))
    return NULL;
  return db_tasks_draws (ctx->conn, svc_district (ctx), year, month, error);
}

/* The columns of the printed list, by key of db_tasks_list(). */
static const char *const printed[] = {
  "record_no", "business",   "uscc",       "address",  "street",   "category_name",
  "grade",     "inspector1", "inspector2", "lab_name", "due_date",
};

static CoreTable *
office_table (const CoreTable *all, const CoreOffice *o, int year, int month)
{
  CoreColumn columns[G_N_ELEMENTS (printed)];
  int from[G_N_ELEMENTS (printed)];
  for (gsize c = 0; c < G_N_ELEMENTS (printed); c++)
    {
      from[c] = core_table_find (all, printed[c]);
      columns[c] = *core_table_column (all, (guint)from[c]);
    }
  const char *zh = o->zh && *o->zh ? o->zh : o->code;
  const char *name = strcmp (core_i18n_lang (), "zh") != 0 && o->en && *o->en ? o->en : zh;
  /* TRANSLATORS: an office's task list: its name, its code, the year and month. */
  g_autofree char *title
      = g_strdup_printf (_ ("%s (%s), tasks of %d-%02d"), name, o->code, year, month);
  CoreTable *t = core_table_new (o->code, title, columns, G_N_ELEMENTS (printed));
  /* The office's Chinese name fits a sheet tab (31 characters); the English would not. */
  core_table_set_sheet (t, zh);
  int office = core_table_find (all, "office");
  for (guint r = 0; r < core_table_n_rows (all); r++)
    {
      if (strcmp (core_table_get (all, r, (guint)office), o->code) != 0)
        continue;
      guint row = core_table_add_row (t);
      for (gsize c = 0; c < G_N_ELEMENTS (printed); c++)
        core_table_set (t, row, (guint)c, core_table_get (all, r, (guint)from[c]));
    }
  return t;
}

CoreDocument *
svc_tasks_list (const SvcContext *ctx, int year, int month, const char *office,
                SvcTasksLayout layout, GError **error)
{
  const char *scope = NULL;
  if (!svc_authorize (ctx, SVC_ACTION_TASKS_READ, error)
      || !svc_scope_office (ctx, office, &scope, error))
    return NULL;
  const CoreOffice *only = NULL;
  for (guint i = 0; scope != NULL && i < ctx->catalog->offices->len; i++)
    if (strcmp (((CoreOffice *)g_ptr_array_index (ctx->catalog->offices, i))->code, scope) == 0)
      only = g_ptr_array_index (ctx->catalog->offices, i);
  if (scope != NULL && only == NULL)
    {
      svc_error_invalid (error, "office", _ ("there is no office %s in district %s"), scope,
                         svc_district (ctx));
      return NULL;
    }
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL)
    return NULL;
  /* The month needs a current draw, monthly or emergency. */
  g_autoptr (GPtrArray) draws = db_tasks_draws (ctx->conn, svc_district (ctx), year, month, error);
  if (draws == NULL)
    return NULL;
  gboolean drawn = FALSE;
  for (guint i = 0; i < draws->len; i++)
    drawn |= strcmp (((DbDrawInfo *)g_ptr_array_index (draws, i))->status, "current") == 0;
  if (!drawn)
    {
      not_drawn (error, year, month, 0);
      return NULL;
    }
  /* A lab sees the tasks sent to it, nobody else's. */
  const char *lab = ctx->role == SVC_ROLE_LAB ? ctx->lab : NULL;
  g_autoptr (CoreTable) all
      = db_tasks_list (ctx->conn, svc_district (ctx), year, month, scope, lab, error);
  if (all == NULL || !db_transaction_commit (tx, error))
    return NULL;
  g_autofree char *title = g_strdup_printf (_ ("Task list %d-%02d"), year, month);
  CoreDocument *doc = core_document_new (title);
  if (layout == SVC_TASKS_ONE_TABLE)
    {
      core_document_add (doc, g_steal_pointer (&all));
      return doc;
    }
  for (guint i = 0; i < ctx->catalog->offices->len; i++)
    {
      const CoreOffice *o = g_ptr_array_index (ctx->catalog->offices, i);
      if (only == NULL || o == only)
        core_document_add (doc, office_table (all, o, year, month));
    }
  return doc;
}

gboolean
svc_tasks_export (const SvcContext *ctx, int year, int month, int draw_no, DbDrawInfo **info_out,
                  char **input_text, char **draw_text, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_DRAW_VERIFY, error))
    return FALSE;
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  if (tx == NULL)
    return FALSE;
  g_autoptr (DbDrawInfo) info = get_draw (ctx, year, month, draw_no, error);
  g_autofree char *input
      = info ? db_tasks_draw_input (ctx->conn, svc_district (ctx), info, error) : NULL;
  g_autoptr (SchedDraw) rows
      = input ? db_tasks_draw_rows (ctx->conn, svc_district (ctx), info, error) : NULL;
  if (rows == NULL || !db_transaction_commit (tx, error))
    return FALSE;
  *draw_text = sched_draw_serialize (rows);
  *input_text = g_steal_pointer (&input);
  *info_out = g_steal_pointer (&info);
  return TRUE;
}

char *
svc_tasks_rerun (const char *input_text, guint64 seed, const CoreCalendar *calendar,
                 char **input_digest, char **output_digest, GError **error)
{
  g_autoptr (SchedDrawInput) in = sched_draw_input_parse (input_text, seed, calendar, error);
  g_autoptr (SchedDraw) draw = in ? sched_draw_run (in, error) : NULL;
  if (draw == NULL)
    return NULL;
  char *out = sched_draw_serialize (draw);
  *input_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, input_text, -1);
  *output_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, out, -1);
  return out;
}
