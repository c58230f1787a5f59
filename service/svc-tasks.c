/* svc-tasks.c: the monthly draw and the emergency draw: check the role, take
 * the year's draw lock, have db/ read the input, run the scheduler, have db/
 * store what it drew, record it in the audit log, commit. */
#include "service/svc-tasks.h"

#include "db/db-conn.h"

#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (spotcheck - service - tasks - error - quark, svc_tasks_error)

static gboolean
valid_month (int year, int month, GError **error)
{
  if (year >= 2000 && year <= 2099 && month >= 1 && month <= 12)
    return TRUE;
  g_set_error (error, SVC_ERROR, SVC_ERROR_INVALID, _ ("month %d-%02d is outside 2000-01..2099-12"),
               year, month);
  return FALSE;
}

/* Serialises every draw of the district's year, monthly and emergency: the
 * next one reads the year only once this one has stored its tasks. */
static gboolean
lock_year (const SvcContext *ctx, int year, GError **error)
{
  g_autofree char *key = g_strdup_printf ("%s:%d", svc_district (ctx), year);
  return db_advisory_xact_lock (ctx->conn, "draw", key, error);
}

static gboolean
approved_plan (const SvcContext *ctx, int year, int *version, gint64 *reserve, GError **error)
{
  if (!db_tasks_plan (ctx->conn, svc_district (ctx), year, version, reserve, error))
    return FALSE;
  if (*version > 0)
    return TRUE;
  g_set_error (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_NO_PLAN,
               _ ("district %s has no approved plan for %d"), svc_district (ctx), year);
  return FALSE;
}

/* The input every draw starts from: the [draw] rules, the offices and the
 * directories with what this year's draws took. */
static SchedDrawInput *
base_input (const SvcContext *ctx, int year, int month, guint64 seed, GError **error)
{
  g_autoptr (SchedDrawInput) in
      = sched_draw_input_new ((guint)year, (guint)month, svc_district (ctx), seed);
  if (!sched_draw_input_set_rules (in, ctx->config, error))
    return NULL;
  if (in->due_kind == SCHED_DUE_WORKING_DAYS)
    {
      in->calendar = ctx->calendar;
      in->draw_date = ctx->today;
    }
  sched_draw_input_add_catalog_offices (in, ctx->catalog);
  if (!db_tasks_add_directories (ctx->conn, svc_district (ctx), year, month, in, error))
    return NULL;
  return g_steal_pointer (&in);
}

/* Runs the draw on @in; *@input_text and *@digest (of the output) for storing. */
static SchedDraw *
run (SchedDrawInput *in, char **input_text, char **digest, GError **error)
{
  *input_text = sched_draw_input_serialize (in, error);
  if (*input_text == NULL)
    return NULL;
  SchedDraw *draw = sched_draw_run (in, error);
  if (draw == NULL)
    return NULL;
  g_autofree char *output = sched_draw_serialize (draw);
  *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, output, -1);
  return draw;
}

static guint
shortfall_total (const SchedDraw *draw)
{
  guint n = 0;
  for (guint i = 0; i < draw->shortfalls->len; i++)
    n += ((SchedDrawShortfall *)g_ptr_array_index (draw->shortfalls, i))->count;
  return n;
}

/* The audit record's detail: what anyone needs to find and re-run the draw. */
static GString *
audit_detail (int draw_no, const SchedDraw *draw, const char *digest)
{
  GString *d = g_string_new (NULL);
  g_string_append_printf (
      d, "{\"draw_no\": %d, \"seed\": %" G_GUINT64_FORMAT ", \"input_digest\": ", draw_no,
      draw->seed);
  db_json_string (d, draw->input_digest);
  g_string_append (d, ", \"output_digest\": ");
  db_json_string (d, digest);
  g_string_append_printf (d, ", \"tasks\": %u, \"shortfall\": %u", draw->tasks->len,
                          shortfall_total (draw));
  return d;
}

/* Reads back what was stored, for the caller. */
static gboolean
finish (const SvcContext *ctx, DbTransaction *tx, int year, int month, int draw_no, int replaced,
        SchedDraw **draw, SchedDraw **draw_out, DbDrawInfo **info, GError **error)
{
  g_autoptr (DbDrawInfo) stored = NULL;
  if (!db_tasks_draw_get (ctx->conn, svc_district (ctx), year, month, draw_no, &stored, error)
      || !db_transaction_commit (tx, error))
    return FALSE;
  stored->replaced = replaced;
  *info = g_steal_pointer (&stored);
  if (draw_out != NULL)
    *draw_out = g_steal_pointer (draw);
  return TRUE;
}

/* The month's current monthly draw: refused, or to be replaced when allowed
 * and nothing of it is sampled. *@replaces receives its number (0: none). */
static gboolean
check_month (const SvcContext *ctx, int year, int month, gboolean replace, int *replaces,
             GError **error)
{
  g_autoptr (DbDrawInfo) cur = NULL;
  g_autofree char *first_sampled = NULL;
  int sampled = 0;
  *replaces = 0;
  if (!db_tasks_current (ctx->conn, svc_district (ctx), year, month, &cur, &sampled, &first_sampled,
                         error))
    return FALSE;
  if (cur == NULL)
    return TRUE;
  if (!replace)
    {
      g_set_error (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_DRAWN,
                   "%d-%02d is drawn already (draw %d: %d tasks, seed %" G_GUINT64_FORMAT
                   ", %s UTC)",
                   year, month, cur->draw_no, cur->tasks, cur->seed, cur->created_at);
      return FALSE;
    }
  if (sampled > 0)
    {
      g_set_error (
          error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_SAMPLED,
          _ ("draw %d of %d-%02d cannot be replaced: %d of its tasks are sampled already "
             "(e.g. %s); a sampled task cannot be taken back, so the month keeps this draw"),
          cur->draw_no, year, month, sampled, first_sampled);
      return FALSE;
    }
  *replaces = cur->draw_no;
  return TRUE;
}

gboolean
svc_tasks_draw (const SvcContext *ctx, int year, int month, guint64 seed, gboolean replace,
                DbDrawInfo **info, SchedDraw **draw_out, GError **error)
{
  if (!svc_authorize (ctx, SVC_ACTION_DRAW, error) || !valid_month (year, month, error))
    return FALSE;
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  int replaces = 0, version = 0, draw_no = 0;
  gint64 reserve = 0;
  if (tx == NULL || !lock_year (ctx, year, error)
      || !check_month (ctx, year, month, replace, &replaces, error)
      || !approved_plan (ctx, year, &version, &reserve, error))
    return FALSE;
  /* Retired before the input is read: the new draw is made as if the old
   * one's tasks had never been. */
  if (replaces > 0
      && !db_tasks_retire (ctx->conn, svc_district (ctx), year, month, replaces, error))
    return FALSE;
  g_autoptr (SchedDrawInput) in = base_input (ctx, year, month, seed, error);
  if (in == NULL
      || !db_tasks_add_cells (ctx->conn, svc_district (ctx), year, version, month, in, error))
    return FALSE;
  g_autofree char *input_text = NULL, *digest = NULL;
  g_autoptr (SchedDraw) draw = run (in, &input_text, &digest, error);
  if (draw == NULL)
    return FALSE;
  DbDrawStore what = {
    .kind = DB_DRAW_ROUTINE,
    .year = year,
    .month = month,
    .plan_version = version,
    .input_text = input_text,
    .draw = draw,
    .output_digest = digest,
    .actor = ctx->actor,
  };
  if (!db_tasks_store (ctx->conn, svc_district (ctx), &what, &draw_no, error))
    return FALSE;
  g_autoptr (GString) detail = audit_detail (draw_no, draw, digest);
  if (replaces > 0)
    g_string_append_printf (detail, ", \"replaced\": %d", replaces);
  g_string_append_c (detail, '}');
  g_autofree char *subject = g_strdup_printf ("%04d-%02d", year, month);
  if (!db_audit (ctx->conn, svc_district (ctx), ctx->actor, "tasks.generate", subject, detail->str,
                 error))
    return FALSE;
  return finish (ctx, tx, year, month, draw_no, replaces, &draw, draw_out, info, error);
}

static gboolean invalid (GError **error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, SVC_ERROR, SVC_ERROR_INVALID, msg);
  return FALSE;
}

/* What can be checked before the database is read. */
static gboolean
check_request (const SvcContext *ctx, const SvcEmergencyRequest *req, guint *count, GError **error)
{
  guint named = req->businesses ? g_strv_length ((char **)req->businesses) : 0;
  *count = req->count > 0 ? req->count : named;
  g_autofree char *reason = g_strstrip (g_strdup (req->reason ? req->reason : ""));
  if (*reason == '\0')
    return invalid (error, "an emergency draw needs a reason");
  if (req->over_reserve != NULL)
    {
      g_autofree char *why = g_strstrip (g_strdup (req->over_reserve));
      if (*why == '\0')
        return invalid (error, "drawing beyond the reserve needs a reason");
    }
  if (req->category == NULL || core_catalog_category (ctx->catalog, req->category) == NULL)
    return invalid (error, "there is no food category '%s'", req->category ? req->category : "");
  if (*count == 0)
    return invalid (error, "an emergency draw needs at least one task");
  if (named > 0 && req->street != NULL)
    return invalid (error, "an emergency draw names businesses or a street, not both");
  if (named > 0 && req->count > 0 && req->count != named)
    return invalid (error, "%u tasks asked for, but %u businesses named", req->count, named);
  for (guint i = 0; i < named; i++)
    for (guint j = 0; j < i; j++)
      if (strcmp (req->businesses[i], req->businesses[j]) == 0)
        return invalid (error, "business %s is named twice", req->businesses[i]);
  if (req->street != NULL)
    {
      gboolean known = FALSE;
      for (guint i = 0; !known && i < ctx->catalog->streets->len; i++)
        known = strcmp (((CoreStreet *)g_ptr_array_index (ctx->catalog->streets, i))->code,
                        req->street)
                == 0;
      if (!known)
        return invalid (error, "there is no street %s in district %s", req->street,
                        svc_district (ctx));
    }
  return valid_month (req->year, req->month, error);
}

/* Each named business must be in the directory, active and handle the category. */
static gboolean
check_named (const SchedDrawInput *in, const SvcEmergencyRequest *req, GError **error)
{
  for (guint i = 0; req->businesses != NULL && req->businesses[i] != NULL; i++)
    {
      const SchedDrawBusiness *found = NULL;
      for (guint b = 0; found == NULL && b < in->businesses->len; b++)
        if (strcmp (((SchedDrawBusiness *)g_ptr_array_index (in->businesses, b))->id,
                    req->businesses[i])
            == 0)
          found = g_ptr_array_index (in->businesses, b);
      if (found == NULL)
        return invalid (error, "business %s is not in the directory", req->businesses[i]);
      if (!found->active)
        return invalid (error, "business %s is not active", req->businesses[i]);
      if (!g_strv_contains ((const char *const *)found->categories, req->category))
        return invalid (error, "business %s does not handle category %s", req->businesses[i],
                        req->category);
    }
  return TRUE;
}

static gboolean
check_reserve (const SvcContext *ctx, const SvcEmergencyRequest *req, guint count, gint64 reserve,
               gboolean *over, GError **error)
{
  gint64 used = 0;
  if (!db_tasks_reserve_used (ctx->conn, svc_district (ctx), req->year, &used, error))
    return FALSE;
  gint64 left = MAX (reserve - used, 0);
  *over = (gint64)count > left;
  if (!*over || req->over_reserve != NULL)
    return TRUE;
  g_set_error (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_RESERVE,
               "the %d reserve has %" G_GINT64_FORMAT " batches left (%" G_GINT64_FORMAT
               " of %" G_GINT64_FORMAT " used) and this draw needs %u",
               req->year, left, used, reserve, count);
  return FALSE;
}

static gboolean
refuse_short (const SchedDraw *draw, guint count, GError **error)
{
  g_autoptr (GString) why = g_string_new (NULL);
  for (guint i = 0; i < draw->shortfalls->len; i++)
    {
      const SchedDrawShortfall *s = g_ptr_array_index (draw->shortfalls, i);
      g_string_append_printf (why, "%s%u %s", i ? ", " : "", s->count,
                              sched_shortfall_reason_name (s->reason));
    }
  g_set_error (error, SVC_TASKS_ERROR, SVC_TASKS_ERROR_SHORT,
               _ ("only %u of the %u tasks can be drawn (%s); nothing was drawn"), draw->tasks->len,
               count, why->str);
  return FALSE;
}

gboolean
svc_tasks_emergency (const SvcContext *ctx, const SvcEmergencyRequest *req, DbDrawInfo **info,
                     SchedDraw **draw_out, GError **error)
{
  guint count = 0, first = 0;
  if (!svc_authorize (ctx, SVC_ACTION_DRAW, error) || !check_request (ctx, req, &count, error))
    return FALSE;
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  int version = 0, draw_no = 0;
  gint64 reserve = 0;
  gboolean over = FALSE;
  if (tx == NULL || !lock_year (ctx, req->year, error)
      || !approved_plan (ctx, req->year, &version, &reserve, error)
      || !check_reserve (ctx, req, count, reserve, &over, error)
      || !db_tasks_next_emergency_serial (ctx->conn, svc_district (ctx), req->year, req->month,
                                          &first, error))
    return FALSE;
  g_autoptr (SchedDrawInput) in = base_input (ctx, req->year, req->month, req->seed, error);
  if (in == NULL || !check_named (in, req, error))
    return FALSE;
  sched_draw_input_set_emergency (in, req->category, count, first, req->street, req->businesses);
  g_autofree char *input_text = NULL, *digest = NULL;
  g_autoptr (SchedDraw) draw = run (in, &input_text, &digest, error);
  if (draw == NULL)
    return FALSE;
  if (draw->shortfalls->len > 0)
    return refuse_short (draw, count, error);
  g_autofree char *reason = g_strstrip (g_strdup (req->reason));
  g_autofree char *over_reason = over ? g_strstrip (g_strdup (req->over_reserve)) : NULL;
  DbDrawStore what = {
    .kind = DB_DRAW_EMERGENCY,
    .year = req->year,
    .month = req->month,
    .plan_version = version,
    .input_text = input_text,
    .draw = draw,
    .output_digest = digest,
    .actor = ctx->actor,
    .category = req->category,
    .reason = reason,
    .over_reserve_reason = over_reason,
  };
  if (!db_tasks_store (ctx->conn, svc_district (ctx), &what, &draw_no, error))
    return FALSE;
  g_autoptr (GString) detail = audit_detail (draw_no, draw, digest);
  g_string_append (detail, ", \"category\": ");
  db_json_string (detail, req->category);
  g_string_append (detail, ", \"street\": ");
  db_json_string (detail, req->street);
  g_string_append (detail, ", \"reason\": ");
  db_json_string (detail, reason);
  g_string_append (detail, ", \"over_reserve_reason\": ");
  db_json_string (detail, over_reason);
  g_string_append_c (detail, '}');
  g_autofree char *subject = g_strdup_printf ("%04d-%02d", req->year, req->month);
  if (!db_audit (ctx->conn, svc_district (ctx), ctx->actor, "tasks.emergency", subject, detail->str,
                 error))
    return FALSE;
  return finish (ctx, tx, req->year, req->month, draw_no, 0, &draw, draw_out, info, error);
}

gboolean
svc_tasks_reserve (const SvcContext *ctx, int year, gint64 *reserve, gint64 *used, GError **error)
{
  int version = 0;
  if (!svc_authorize (ctx, SVC_ACTION_PLAN_READ, error))
    return FALSE;
  g_autoptr (DbTransaction) tx = db_transaction_begin (ctx->conn, error);
  return tx != NULL && approved_plan (ctx, year, &version, reserve, error)
         && db_tasks_reserve_used (ctx->conn, svc_district (ctx), year, used, error)
         && db_transaction_commit (tx, error);
}
