/* db-results-copy.c: a checked result file as COPY text: the reports the
 * service hands over into the staging table, their items into result_item. */
#include "core/core-calendar.h"
#include "db/db-conn.h"
#include "db/db-results-copy.h"

#include <math.h>
#include <string.h>

static const char *const value_kinds[] = {
  [INTAKE_VALUE_NUMBER] = "number",
  [INTAKE_VALUE_BELOW] = "below",
  [INTAKE_VALUE_NOT_DETECTED] = "not detected",
  [INTAKE_VALUE_DETECTED] = "detected",
  [INTAKE_VALUE_UNITS] = "units",
};

/* @v in decimal, written by hand: printf is the bulk of the client's time on
 * a large file. @buf holds at least 16 bytes; returns it. */
static const char *
uint_text (char *buf, guint v)
{
  char tmp[16];
  int n = 0;
  do
    tmp[n++] = (char)('0' + v % 10);
  while ((v /= 10) > 0);
  for (int i = 0; i < n; i++)
    buf[i] = tmp[n - 1 - i];
  buf[n] = '\0';
  return buf;
}

/* The date as YYYY-MM-DD (core_date_format() without an allocation). */
static const char *
date_text (char *buf, const GDate *d)
{
  guint y = g_date_get_year (d), m = g_date_get_month (d), day = g_date_get_day (d);
  if (y > 9999)
    {
      g_autofree char *text = core_date_format (d);
      g_strlcpy (buf, text, 16);
      return buf;
    }
  const char text[] = { (char)('0' + y / 1000),
                        (char)('0' + y / 100 % 10),
                        (char)('0' + y / 10 % 10),
                        (char)('0' + y % 10),
                        '-',
                        (char)('0' + m / 10),
                        (char)('0' + m % 10),
                        '-',
                        (char)('0' + day / 10),
                        (char)('0' + day % 10),
                        '\0' };
  memcpy (buf, text, sizeof text);
  return buf;
}

static const double powers_of_ten[]
    = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };

/* @v as the decimal m / 10^k with the fewest fraction digits k, when such an
 * m below 2^53 exists: m and 10^k are then exact doubles and their quotient is
 * correctly rounded, as PostgreSQL's reading of the text is, so the text reads
 * back as exactly @v. FALSE when there is no such decimal. */
static gboolean
short_decimal (char *buf, double v)
{
  if (!isfinite (v))
    return FALSE;
  double a = fabs (v);
  for (guint k = 0; k < G_N_ELEMENTS (powers_of_ten); k++)
    {
      double scaled = a * powers_of_ten[k];
      if (scaled >= 9007199254740992.0)
        return FALSE;
      guint64 m = (guint64)(scaled + 0.5);
      if ((double)m / powers_of_ten[k] != a)
        continue;
      char digits[24];
      guint n = 0;
      do
        digits[n++] = (char)('0' + m % 10);
      while ((m /= 10) > 0);
      while (n <= k)
        digits[n++] = '0'; /* 0.05 is 5 with k = 2: digits "500" reversed */
      char *p = buf;
      if (signbit (v))
        *p++ = '-';
      while (n > 0)
        {
          if (n == k)
            *p++ = '.';
          *p++ = digits[--n];
        }
      *p = '\0';
      return TRUE;
    }
  return FALSE;
}

/* A double in a form PostgreSQL reads back exactly: the shortest decimal
 * when it is short, else 15 digits when they round-trip, else 17. Short text
 * keeps the COPY stream and the server's parsing lean. */
static const char *
num (char *buf, gsize size, gboolean has, double v)
{
  if (!has)
    return NULL;
  if (size >= 32 && short_decimal (buf, v))
    return buf;
  g_ascii_formatd (buf, (int)size, "%.15g", v);
  if (g_ascii_strtod (buf, NULL) != v)
    g_ascii_formatd (buf, (int)size, "%.17g", v);
  return buf;
}

static const char *
flag (gboolean has, gboolean v)
{
  return has ? (v ? "t" : "f") : NULL;
}

static void
put_row (GString *buf, const char *const *fields, gsize n)
{
  for (gsize f = 0; f < n; f++)
    db_copy_field (buf, fields[f], f + 1 < n ? '\t' : '\n');
}

typedef struct
{
  const char *district, *lab;
  DbResultsNextFunc next;
  gpointer data;
} ReportRows;

/* A DbCopyRowFunc: one staged report a call. */
static gboolean
report_row (GString *buf, gpointer data, GError **error)
{
  ReportRows *rows = data;
  DbResultsReport r;
  if (!rows->next (rows->data, &r))
    return FALSE;
  char line[16], items[16], date[16], first[16], first_line[16];
  uint_text (line, r.line);
  uint_text (items, r.items);
  uint_text (first_line, r.first_line);
  date_text (date, &r.test_date);
  date_text (first, &r.first_date);
  g_autofree char *failed = db_array_literal (r.failed, -1);
  const char *fields[] = { rows->district,
                           rows->lab,
                           line,
                           r.report_no,
                           r.record_no,
                           r.conclusion_text,
                           intake_verdict_name (r.lab_conclusion),
                           intake_verdict_name (r.computed),
                           intake_verdict_name (r.governing),
                           r.review_reason != NULL ? "t" : "f",
                           r.review_reason,
                           date,
                           first,
                           first_line,
                           items,
                           r.digest,
                           failed };
  put_row (buf, fields, G_N_ELEMENTS (fields));
  return TRUE;
}

gboolean
db_results_copy_reports (PGconn *conn, const char *district, const char *lab,
                         DbResultsNextFunc next, gpointer data, GError **error)
{
  ReportRows rows = { district, lab, next, data };
  return db_copy_rows (conn,
                       "COPY stage_report (district, lab, line, report_no, record_no, "
                       "conclusion_text, lab_conclusion, computed, governing, review, "
                       "review_reason, test_date, first_date, first_line, items, digest, failed) "
                       "FROM STDIN",
                       report_row, &rows, error);
}

static void
put_item (GString *buf, const DbResultsImport *opts, const char *version, const IntakeReport *r,
          const IntakeResultItem *it)
{
  char line[16], value[32], lmin[32], lmax[32], lod[32], n[16], c[16], m[32], bigm[32];
  const IntakeLimit *l = &it->limit;
  gboolean has_value
      = it->value.kind == INTAKE_VALUE_NUMBER || it->value.kind == INTAKE_VALUE_BELOW;
  gboolean bounds = l->kind == INTAKE_LIMIT_BOUNDS, plan = l->kind == INTAKE_LIMIT_PLAN;
  uint_text (line, it->line);
  if (plan)
    uint_text (n, l->n), uint_text (c, l->c);
  const char *fields[] = {
    opts->district,
    opts->lab,
    r->report_no,
    version,
    line,
    it->item,
    it->value_text,
    value_kinds[it->value.kind],
    num (value, sizeof value, has_value, it->value.number),
    it->unit,
    l->kind == INTAKE_LIMIT_NONE ? NULL : it->limit_text,
    num (lmin, sizeof lmin, bounds && l->has_min, l->min),
    flag (bounds && l->has_min, l->min_inclusive),
    num (lmax, sizeof lmax, bounds && l->has_max, l->max),
    flag (bounds && l->has_max, l->max_inclusive),
    l->kind == INTAKE_LIMIT_NOT_DETECTED ? "t" : "f",
    num (lod, sizeof lod, it->has_lod, it->lod),
    plan ? n : NULL,
    plan ? c : NULL,
    num (m, sizeof m, plan, l->m),
    num (bigm, sizeof bigm, plan, l->big_m),
    intake_verdict_name (it->lab_verdict),
    intake_verdict_name (it->computed),
    intake_verdict_name (it->governing),
    it->review ? "t" : "f",
    it->reason,
  };
  put_row (buf, fields, G_N_ELEMENTS (fields));
}

/* The versions given to the reports being stored (new or amended). */
static GHashTable *
stored_versions (PGconn *conn, GError **error)
{
  g_autoptr (PGresult) res = db_exec (
      conn, "SELECT report_no, version FROM stage_report WHERE action IN ('new', 'amend')",
      DB_NO_ARGS, error);
  if (res == NULL)
    return NULL;
  GHashTable *versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_hash_table_insert (versions, g_strdup (PQgetvalue (res, i, 0)),
                         g_strdup (PQgetvalue (res, i, 1)));
  return versions;
}

typedef struct
{
  const DbResultsImport *opts;
  const IntakeResultFile *file;
  GHashTable *versions;
  guint next;
} ItemRows;

/* A DbCopyRowFunc: the items of one stored report a call. */
static gboolean
item_rows (GString *buf, gpointer data, GError **error)
{
  ItemRows *rows = data;
  while (rows->next < rows->file->reports->len)
    {
      const IntakeReport *r = g_ptr_array_index (rows->file->reports, rows->next++);
      const char *version = g_hash_table_lookup (rows->versions, r->report_no);
      if (version == NULL)
        continue; /* already stored as it is */
      for (guint k = 0; k < r->items->len; k++)
        put_item (buf, rows->opts, version, r, g_ptr_array_index (r->items, k));
      return TRUE;
    }
  return FALSE;
}

/* Items need no check against stored data (intake has checked each one), so
 * once their reports pass they go straight into result_item by COPY, the
 * fastest way PostgreSQL takes rows. */
gboolean
db_results_copy_items (PGconn *conn, const DbResultsImport *opts, const IntakeResultFile *file,
                       GError **error)
{
  g_autoptr (GHashTable) versions = stored_versions (conn, error);
  if (versions == NULL)
    return FALSE;
  ItemRows rows = { opts, file, versions, 0 };
  return db_copy_rows (conn,
                       "COPY result_item (district, lab, report_no, version, line, item, "
                       "value_text, value_kind, value, unit, limit_text, limit_min, "
                       "limit_min_inclusive, limit_max, limit_max_inclusive, must_not_detect, "
                       "lod, plan_n, plan_c, plan_m, plan_big_m, lab_verdict, "
                       "computed_verdict, governing_verdict, review, reason) FROM STDIN",
                       item_rows, &rows, error);
}
