/* db-results-copy.c: a checked result file as COPY text: its reports into the
 * staging table, its items into result_item, with the digest, review reason
 * and failed items each report carries. */
#include "db/db-conn.h"
#include "db/db-results-private.h"

#include <math.h>
#include <string.h>

/* COPY buffers are flushed at this size: below a local socket's buffer, so
 * that PQputCopyData() returns while the server is still reading and the
 * next rows are formatted meanwhile; a chunk larger than the socket buffer
 * makes the client wait for the server to drain it, and the two alternate. */
#define COPY_CHUNK (1 << 16)

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

/* The latest test date of a report's items. */
static GDate
report_date (const IntakeReport *r)
{
  GDate latest = ((IntakeResultItem *)g_ptr_array_index (r->items, 0))->test_date;
  for (guint i = 1; i < r->items->len; i++)
    {
      const IntakeResultItem *it = g_ptr_array_index (r->items, i);
      if (g_date_compare (&it->test_date, &latest) > 0)
        latest = it->test_date;
    }
  return latest;
}

static int
item_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(IntakeResultItem *const *)a)->item, (*(IntakeResultItem *const *)b)->item);
}

/* @v then @sep, as "%s" in printf writes it (glibc prints NULL as "(null)",
 * and the stored digests were made so). */
static void
add_text (GString *s, const char *v, char sep)
{
  g_string_append (s, v != NULL ? v : "(null)");
  g_string_append_c (s, sep);
}

/* SHA-256 of what the lab says in a report, independent of row order and
 * encoding, so that an unchanged report in a new file is recognised. @s is
 * scratch space, reused from report to report. */
static char *
report_digest (const IntakeReport *r, GString *s)
{
  /* A borrowed view: g_ptr_array_copy() would carry over the free function. */
  g_autoptr (GPtrArray) items = g_ptr_array_sized_new (r->items->len);
  for (guint i = 0; i < r->items->len; i++)
    g_ptr_array_add (items, g_ptr_array_index (r->items, i));
  g_ptr_array_sort (items, item_cmp);
  g_string_truncate (s, 0);
  add_text (s, r->report_no, '\x1f');
  add_text (s, r->sampling_no, '\x1f');
  add_text (s, r->conclusion_text, '\x1e');
  /* Items of a report mostly share one detection limit and one date. */
  char lod[G_ASCII_DTOSTR_BUF_SIZE] = "", date[16] = "";
  gboolean have_lod = FALSE, have_date = FALSE;
  double last_lod = 0;
  GDate last_date;
  for (guint i = 0; i < items->len; i++)
    {
      const IntakeResultItem *it = g_ptr_array_index (items, i);
      if (it->has_lod && (!have_lod || memcmp (&it->lod, &last_lod, sizeof last_lod) != 0))
        {
          g_ascii_dtostr (lod, sizeof lod, it->lod);
          last_lod = it->lod;
          have_lod = TRUE;
        }
      if (!have_date || g_date_compare (&it->test_date, &last_date) != 0)
        {
          date_text (date, &it->test_date);
          last_date = it->test_date;
          have_date = TRUE;
        }
      add_text (s, it->item, '\x1f');
      add_text (s, it->value_text, '\x1f');
      add_text (s, it->unit ? it->unit : "", '\x1f');
      add_text (s, it->limit_text ? it->limit_text : "", '\x1f');
      add_text (s, it->has_lod ? lod : "", '\x1f');
      add_text (s, intake_verdict_name (it->lab_verdict), '\x1f');
      add_text (s, date, '\x1e');
    }
  /* A line break inside a quoted value follows the file's line ends. */
  if (memchr (s->str, '\r', s->len) != NULL)
    g_string_replace (s, "\r\n", "\n", 0);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, s->str, (gssize)s->len);
}

/* Why a report needs a person's look, or NULL. */
static char *
review_reason (const IntakeReport *r)
{
  if (!r->review)
    return NULL;
  g_autoptr (GString) s = g_string_new (NULL);
  for (guint i = 0; i < r->items->len; i++)
    {
      const IntakeResultItem *it = g_ptr_array_index (r->items, i);
      if (it->review)
        g_string_append_printf (s, "%s%s: lab %s, computed %s (%s)", s->len ? "; " : "", it->item,
                                intake_verdict_name (it->lab_verdict),
                                intake_verdict_name (it->computed), it->reason ? it->reason : "");
    }
  if (intake_verdict_disagree (r->lab_conclusion, r->computed))
    g_string_append_printf (s, "%sconclusion: lab %s, computed %s", s->len ? "; " : "",
                            intake_verdict_name (r->lab_conclusion),
                            intake_verdict_name (r->computed));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* The items whose governing verdict fails, as a PostgreSQL array literal. */
static char *
failed_items (const IntakeReport *r)
{
  g_autoptr (GString) s = g_string_new ("{");
  for (guint i = 0; i < r->items->len; i++)
    {
      const IntakeResultItem *it = g_ptr_array_index (r->items, i);
      if (it->governing != INTAKE_VERDICT_FAIL)
        continue;
      g_string_append (s, s->len > 1 ? ",\"" : "\"");
      for (const char *p = it->item; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
flush (PGconn *conn, GString *buf, gboolean force, GError **error)
{
  if (buf->len < COPY_CHUNK && !(force && buf->len > 0))
    return TRUE;
  gboolean ok = db_copy_put (conn, buf->str, buf->len, error);
  g_string_truncate (buf, 0);
  return ok;
}

/* One COPY text field and its separator, as db_copy_field() writes it, but
 * copying the runs between special characters whole. */
static void
put_field (GString *buf, const char *value, char sep)
{
  if (value == NULL)
    g_string_append_len (buf, "\\N", 2);
  else
    for (const char *p = value;;)
      {
        gsize run = strcspn (p, "\\\t\n\r");
        g_string_append_len (buf, p, (gssize)run);
        p += run;
        if (*p == '\0')
          break;
        char esc[2] = { '\\', *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : 'r' };
        g_string_append_len (buf, esc, 2);
        p++;
      }
  g_string_append_c (buf, sep);
}

static void
put_row (GString *buf, const char *const *fields, gsize n)
{
  for (gsize f = 0; f < n; f++)
    put_field (buf, fields[f], f + 1 < n ? '\t' : '\n');
}

static gboolean
copy_end (PGconn *conn, gboolean ok, GString *buf, GError **error)
{
  if (ok && flush (conn, buf, TRUE, error))
    return db_copy_end (conn, NULL, error);
  db_copy_end (conn, "staging failed", NULL);
  return FALSE;
}

gboolean
db_results_stage_reports (PGconn *conn, const DbResultsImport *opts, const IntakeResultFile *file,
                          GError **error)
{
  if (!db_copy_begin (
          conn,
          "COPY stage_report (district, lab, line, report_no, record_no, conclusion_text, "
          "lab_conclusion, computed, governing, review, review_reason, test_date, "
          "items, digest, failed) FROM STDIN",
          error))
    return FALSE;
  g_autoptr (GString) buf = g_string_sized_new (COPY_CHUNK + 4096);
  g_autoptr (GString) scratch = g_string_new (NULL);
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < file->reports->len; i++)
    {
      const IntakeReport *r = g_ptr_array_index (file->reports, i);
      if (r->items->len == 0)
        continue;
      char line[16], items[16], date[16];
      uint_text (line, r->line);
      uint_text (items, r->items->len);
      GDate d = report_date (r);
      date_text (date, &d);
      g_autofree char *digest = report_digest (r, scratch);
      g_autofree char *why = review_reason (r);
      g_autofree char *failed = failed_items (r);
      const char *fields[] = { opts->district,
                               opts->lab,
                               line,
                               r->report_no,
                               r->sampling_no,
                               r->conclusion_text,
                               intake_verdict_name (r->lab_conclusion),
                               intake_verdict_name (r->computed),
                               intake_verdict_name (r->governing),
                               r->review ? "t" : "f",
                               why,
                               date,
                               items,
                               digest,
                               failed };
      put_row (buf, fields, G_N_ELEMENTS (fields));
      ok = flush (conn, buf, FALSE, error);
    }
  return copy_end (conn, ok, buf, error);
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

/* Items need no check against stored data (intake has checked each one), so
 * once their reports pass they go straight into result_item by COPY, the
 * fastest way PostgreSQL takes rows. */
gboolean
db_results_copy_items (PGconn *conn, const DbResultsImport *opts, const IntakeResultFile *file,
                       GError **error)
{
  g_autoptr (GHashTable) versions = stored_versions (conn, error);
  if (versions == NULL
      || !db_copy_begin (conn,
                         "COPY result_item (district, lab, report_no, version, line, item, "
                         "value_text, value_kind, value, unit, limit_text, limit_min, "
                         "limit_min_inclusive, limit_max, limit_max_inclusive, must_not_detect, "
                         "lod, plan_n, plan_c, plan_m, plan_big_m, lab_verdict, "
                         "computed_verdict, governing_verdict, review, reason) FROM STDIN",
                         error))
    return FALSE;
  g_autoptr (GString) buf = g_string_sized_new (COPY_CHUNK + 4096);
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < file->reports->len; i++)
    {
      const IntakeReport *r = g_ptr_array_index (file->reports, i);
      const char *version = g_hash_table_lookup (versions, r->report_no);
      if (version == NULL)
        continue; /* already stored as it is */
      for (guint k = 0; k < r->items->len; k++)
        put_item (buf, opts, version, r, g_ptr_array_index (r->items, k));
      ok = flush (conn, buf, FALSE, error);
    }
  return copy_end (conn, ok, buf, error);
}
