/* db-samples.c: sampling records staged with COPY, checked against the task
 * list as a set, then written with the tasks' status in one transaction. */
#include "db/db-samples.h"

#include "db/db-conn.h"
#include "core/core-i18n.h"

typedef struct
{
  const char *sql; /* $1 district; returns (line, record) */
  const char *why;
} SampleCheck;

static const SampleCheck checks[] = {
  { "SELECT s.line, s.record FROM stage_sample s WHERE NOT EXISTS (SELECT 1 FROM task t WHERE "
    "t.district = $1 AND t.record_no = s.record) ORDER BY s.line",
    "no task has this record number" },
  { "SELECT s.line, s.record FROM stage_sample s WHERE EXISTS (SELECT 1 FROM task t WHERE "
    "t.district = $1 AND t.record_no = s.record) AND NOT EXISTS (SELECT 1 FROM task t WHERE "
    "t.district = $1 AND t.record_no = s.record AND t.status <> 'cancelled') ORDER BY s.line",
    "this task was cancelled when its month was drawn again; it cannot be sampled" },
  { "SELECT s.line, s.record || ' (recorded ' || to_char (x.recorded_at, 'YYYY-MM-DD') || ' by "
    "' || x.recorded_by || ')' FROM stage_sample s JOIN sample x ON x.district = $1 AND "
    "x.record_no = s.record ORDER BY s.line",
    "this task is sampled already; a task is sampled once" },
};

/* Rows intake refused are staged with their record number only, marked so
 * that they are checked and never written. */
static void
stage_row (GString *buf, const IntakeSample *s, gboolean check_only)
{
  char line[16];
  g_snprintf (line, sizeof line, "%u", s->line);
  const char *taken = s->sampling_date && *s->sampling_date ? s->sampling_date : NULL;
  const char *fields[] = { line,
                           check_only ? "t" : "f",
                           s->record,
                           check_only ? NULL : s->sample_name,
                           check_only ? NULL : s->batch,
                           check_only ? NULL : s->production_date,
                           check_only ? NULL : s->specification,
                           check_only ? NULL : s->quantity,
                           check_only ? NULL : taken };
  for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
    db_copy_field (buf, fields[f], '\t');
  db_copy_field (buf, check_only ? NULL : s->producer, '\n');
}

typedef struct
{
  GPtrArray *samples, *rejected;
  guint next; /* over samples, then rejected */
} StageFeed;

static gboolean
next_stage_row (GString *buf, gpointer data, G_GNUC_UNUSED GError **error)
{
  StageFeed *f = data;
  guint n_samples = f->samples->len, n_rejected = f->rejected ? f->rejected->len : 0;
  if (f->next < n_samples)
    stage_row (buf, g_ptr_array_index (f->samples, f->next), FALSE);
  else if (f->next < n_samples + n_rejected)
    {
      const IntakeSample *r = g_ptr_array_index (f->rejected, f->next - n_samples);
      if (r->record != NULL && *r->record != '\0')
        stage_row (buf, r, TRUE);
    }
  f->next++;
  return f->next < n_samples + n_rejected;
}

static gboolean
stage (PGconn *conn, GPtrArray *samples, GPtrArray *rejected, GError **error)
{
  StageFeed feed = { samples, rejected, 0 };
  return db_run (conn,
                 "CREATE TEMP TABLE stage_sample (line integer, check_only boolean, record text, "
                 "sample_name text, batch text, production_date date, specification text, "
                 "quantity text, sampling_date date, producer text) ON COMMIT DROP",
                 DB_NO_ARGS, error)
         && db_copy_rows (conn,
                          "COPY stage_sample (line, check_only, record, sample_name, batch, "
                          "production_date, specification, quantity, sampling_date, producer) "
                          "FROM STDIN",
                          next_stage_row, &feed, error);
}

/* Every (line, value) row of @res is a problem in the record column. */
static void
add_problems (CoreProblems *problems, const PGresult *res, const char *column, const char *why)
{
  for (int r = 0; r < PQntuples (res); r++)
    core_problems_add (problems, (guint)g_ascii_strtoull (PQgetvalue (res, r, 0), NULL, 10), column,
                       PQgetvalue (res, r, 1), "%s", why);
}

gboolean
db_samples_record (PGconn *conn, const char *district, GPtrArray *samples, GPtrArray *rejected,
                   CoreProblems *problems, const char *record_column, const char *office,
                   const char *actor, guint *recorded, GError **error)
{
  *recorded = 0;
  const char *column = record_column ? record_column : "record";
  if (!db_in_transaction (conn, error) || !stage (conn, samples, rejected, error))
    return FALSE;
  /* Lock the tasks named, so two uploads of the same record cannot both pass. */
  if (!db_run (conn,
               "SELECT 1 FROM task t JOIN stage_sample s ON t.district = $1 AND t.record_no = "
               "s.record AND t.status <> 'cancelled' FOR UPDATE OF t",
               DB_ARGS (district), error))
    return FALSE;
  for (gsize c = 0; c < G_N_ELEMENTS (checks); c++)
    {
      g_autoptr (PGresult) res = db_exec (conn, checks[c].sql, DB_ARGS (district), error);
      if (res == NULL)
        return FALSE;
      add_problems (problems, res, column, checks[c].why);
    }
  if (office != NULL)
    {
      g_autoptr (PGresult) res = db_exec (
          conn,
          "SELECT s.line, s.record || ' (office ' || t.office || ')' FROM stage_sample s JOIN "
          "task t ON t.district = $1 AND t.record_no = s.record AND t.status <> 'cancelled' "
          "WHERE t.office <> $2 ORDER BY s.line",
          DB_ARGS (district, office), error);
      if (res == NULL)
        return FALSE;
      g_autofree char *why = g_strdup_printf (
          "this task belongs to another office; an inspector of office %s records only its "
          "office's tasks",
          office);
      add_problems (problems, res, column, why);
    }
  if (!core_problems_check (problems, error))
    return FALSE;
  g_autoptr (PGresult) ins = db_exec (
      conn,
      "INSERT INTO sample (district, record_no, year, month, draw_no, serial, sample_name, "
      "batch, production_date, specification, quantity, sampling_date, labelled_producer, "
      "recorded_by) SELECT $1, s.record, t.year, t.month, t.draw_no, t.serial, s.sample_name, "
      "s.batch, s.production_date, s.specification, s.quantity, s.sampling_date, s.producer, $2 "
      "FROM stage_sample s JOIN task t ON t.district = $1 AND t.record_no = s.record AND "
      "t.status = 'drawn' WHERE NOT s.check_only",
      DB_ARGS (district, actor), error);
  if (ins == NULL
      || !db_run (conn,
                  "UPDATE task t SET status = 'sampled' FROM stage_sample s WHERE t.district = $1 "
                  "AND t.record_no = s.record AND t.status = 'drawn' AND NOT s.check_only",
                  DB_ARGS (district), error))
    return FALSE;
  *recorded = (guint)g_ascii_strtoull (PQcmdTuples (ins), NULL, 10);
  g_autofree char *detail = g_strdup_printf ("{\"recorded\": %u}", *recorded);
  return db_audit (conn, district, actor, "samples.record", core_problems_file (problems), detail,
                   error);
}

static const CoreColumn sample_columns[] = {
  { "record_no", N_ ("Record number"), CORE_CELL_TEXT },
  { "sample_name", N_ ("Sample name"), CORE_CELL_TEXT },
  { "batch", N_ ("Batch"), CORE_CELL_TEXT },
  { "production_date", N_ ("Production date"), CORE_CELL_DATE },
  { "specification", N_ ("Specification"), CORE_CELL_TEXT },
  { "quantity", N_ ("Quantity"), CORE_CELL_TEXT },
  { "sampling_date", N_ ("Sampling date"), CORE_CELL_DATE },
  { "labelled_producer", N_ ("Labelled producer"), CORE_CELL_TEXT },
  { "recorded_by", N_ ("Recorded by"), CORE_CELL_TEXT },
};

CoreTable *
db_samples_get (PGconn *conn, const char *district, const char *record, DbSampleScope *scope,
                GError **error)
{
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT s.record_no, s.sample_name, s.batch, s.production_date, s.specification, "
      "s.quantity, s.sampling_date, s.labelled_producer, s.recorded_by, t.office, t.lab FROM "
      "sample s JOIN task t USING (district, year, month, draw_no, serial) WHERE s.district = $1 "
      "AND s.record_no = $2",
      DB_ARGS (district, record), error);
  if (res == NULL)
    return NULL;
  if (scope != NULL)
    {
      gboolean found = PQntuples (res) > 0;
      scope->office = found ? g_strdup (PQgetvalue (res, 0, 9)) : NULL;
      scope->lab = found ? g_strdup (PQgetvalue (res, 0, 10)) : NULL;
    }
  CoreTable *t = db_result_table (res, "sample", _ ("Sampling record"), sample_columns,
                                  G_N_ELEMENTS (sample_columns));
  core_table_set_shape (t, CORE_TABLE_RECORD);
  return t;
}

void
db_sample_scope_clear (DbSampleScope *scope)
{
  g_clear_pointer (&scope->office, g_free);
  g_clear_pointer (&scope->lab, g_free);
}
