/* db-audit-verify.c: walks the hash chains of audit_log and case_event and
 * recomputes every hash here (GChecksum over the canonical text defined in
 * db/migrations/0012_hash_chain.sql), in batches of rows by id. */
#include "db/db-audit.h"

#include <string.h>

#define HASH_LEN 32
#define BATCH "1000"

/* Per table: the fields read for the canonical text, in its order. Times come
 * as microseconds since the epoch and dates as days since 1970-01-01, and are
 * written out here, so the server's date style cannot change the text. */
typedef enum
{
  F_TEXT,
  F_TIME,
  F_DATE,
} FieldKind;

static const struct
{
  const char *name;
  const char *select; /* district, id, the content fields, prev_hash, row_hash */
  FieldKind kinds[12];
  int n_fields; /* content fields, district and id included */
} tables[DB_N_CHAIN_TABLES] = {
  [DB_CHAIN_AUDIT_LOG] = {
    "audit_log",
    "SELECT district::text, id, (extract (epoch FROM at) * 1000000)::bigint, actor, action, "
    "subject, detail::text, encode (prev_hash, 'hex'), encode (row_hash, 'hex') FROM audit_log t ",
    { F_TEXT, F_TEXT, F_TIME, F_TEXT, F_TEXT, F_TEXT, F_TEXT },
    7,
  },
  [DB_CHAIN_CASE_EVENT] = {
    "case_event",
    "SELECT district::text, id, case_no, (extract (epoch FROM at) * 1000000)::bigint, "
    "on_date - DATE '1970-01-01', actor, event, from_state, to_state, detail, "
    "encode (prev_hash, 'hex'), encode (row_hash, 'hex') FROM case_event t ",
    { F_TEXT, F_TEXT, F_TEXT, F_TIME, F_DATE, F_TEXT, F_TEXT, F_TEXT, F_TEXT, F_TEXT },
    10,
  },
};

const char *
db_chain_table_name (DbChainTable table)
{
  g_return_val_if_fail ((gsize)table < DB_N_CHAIN_TABLES, NULL);
  return tables[table].name;
}

void
db_chain_report_clear (DbChainReport *report)
{
  g_clear_pointer (&report->chains, g_array_unref);
}

const DbChain *
db_chain_report_first_broken (const DbChainReport *report)
{
  for (guint i = 0; report->chains != NULL && i < report->chains->len; i++)
    if (g_array_index (report->chains, DbChain, i).broken)
      return &g_array_index (report->chains, DbChain, i);
  return NULL;
}

/* YYYY-MM-DDTHH:MM:SS.ffffffZ from microseconds since the epoch. */
static void
append_time (GString *out, const char *micros_text)
{
  gint64 us = g_ascii_strtoll (micros_text, NULL, 10);
  gint64 secs = us / G_USEC_PER_SEC, frac = us % G_USEC_PER_SEC;
  if (frac < 0)
    {
      frac += G_USEC_PER_SEC;
      secs--;
    }
  g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (secs);
  if (t == NULL) /* outside GLib's years 1-9999: cannot match, say so in the text */
    {
      g_string_append_printf (out, "?%s", micros_text);
      return;
    }
  g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", g_date_time_get_year (t),
                          g_date_time_get_month (t), g_date_time_get_day_of_month (t),
                          g_date_time_get_hour (t), g_date_time_get_minute (t),
                          g_date_time_get_second (t), (int)frac);
}

/* YYYY-MM-DD from days since 1970-01-01. */
static void
append_date (GString *out, const char *days_text)
{
  gint64 days = g_ascii_strtoll (days_text, NULL, 10);
  GDate d;
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 1, G_DATE_JANUARY, 1970);
  guint32 julian = g_date_get_julian (&d);
  if (days < 1 - (gint64)julian || days > (gint64)G_MAXUINT32 / 2)
    {
      g_string_append_printf (out, "?%s", days_text);
      return;
    }
  g_date_set_julian (&d, (guint32)((gint64)julian + days));
  g_string_append_printf (out, "%04d-%02d-%02d", g_date_get_year (&d), g_date_get_month (&d),
                          g_date_get_day (&d));
}

/* The row's canonical text: COPY text format, fields in the table's order. */
static void
canonical_text (GString *out, DbChainTable table, const PGresult *res, int row)
{
  g_string_truncate (out, 0);
  g_string_append (out, tables[table].name);
  g_string_append_c (out, '\t');
  int n = tables[table].n_fields;
  for (int f = 0; f < n; f++)
    {
      char sep = f + 1 < n ? '\t' : '\n';
      const char *v = PQgetisnull (res, row, f) ? NULL : PQgetvalue (res, row, f);
      if (v != NULL && tables[table].kinds[f] == F_TIME)
        {
          append_time (out, v);
          g_string_append_c (out, sep);
        }
      else if (v != NULL && tables[table].kinds[f] == F_DATE)
        {
          append_date (out, v);
          g_string_append_c (out, sep);
        }
      else
        db_copy_field (out, v, sep);
    }
}

static gboolean
hex_decode (const char *hex, guint8 out[HASH_LEN])
{
  if (strlen (hex) != 2 * HASH_LEN)
    return FALSE;
  for (int i = 0; i < HASH_LEN; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]), lo = g_ascii_xdigit_value (hex[2 * i + 1]);
      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8)(hi << 4 | lo);
    }
  return TRUE;
}

/* SHA-256 (text || prev) in hex into @hex. */
static void
row_hash (const GString *text, const guint8 prev[HASH_LEN], char hex[65])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, (const guchar *)text->str, (gssize)text->len);
  g_checksum_update (sum, prev, HASH_LEN);
  g_strlcpy (hex, g_checksum_get_string (sum), 65);
}

static DbChain *
start_chain (GArray *chains, DbChainTable table, const char *district)
{
  DbChain c = { .table = table };
  g_strlcpy (c.district, district, sizeof c.district);
  g_array_append_val (chains, c);
  return &g_array_index (chains, DbChain, chains->len - 1);
}

static void
mark_broken (DbChain *c, gint64 id, const char *field, const char *expected, const char *stored)
{
  c->broken = TRUE;
  c->bad_id = id;
  c->bad_field = field;
  g_strlcpy (c->expected, expected, sizeof c->expected);
  g_strlcpy (c->stored, stored, sizeof c->stored);
}

/* Checks one row against its chain @c (whose head is the row before it). */
static void
check_row (DbChain *c, DbChainTable table, const PGresult *res, int row, GString *text)
{
  int n = tables[table].n_fields;
  gint64 id = g_ascii_strtoll (PQgetvalue (res, row, 1), NULL, 10);
  const char *prev_hex = PQgetvalue (res, row, n), *stored_hex = PQgetvalue (res, row, n + 1);
  char expected_prev[65];
  if (c->rows == 0)
    memset (expected_prev, '0', 64);
  else
    memcpy (expected_prev, c->head, 64);
  expected_prev[64] = '\0';
  guint8 prev[HASH_LEN];
  if (g_ascii_strcasecmp (prev_hex, expected_prev) != 0 || !hex_decode (prev_hex, prev))
    {
      mark_broken (c, id, "prev_hash", expected_prev, prev_hex);
      return;
    }
  char computed[65];
  canonical_text (text, table, res, row);
  row_hash (text, prev, computed);
  if (g_ascii_strcasecmp (stored_hex, computed) != 0)
    {
      mark_broken (c, id, "row_hash", computed, stored_hex);
      return;
    }
  c->rows++;
  c->last_id = id;
  g_strlcpy (c->head, computed, sizeof c->head);
}

gboolean
db_audit_verify (PGconn *conn, const char *district, DbChainTable table, DbChainReport *out,
                 GError **error)
{
  g_return_val_if_fail ((gsize)table < DB_N_CHAIN_TABLES, FALSE);
  if (out->chains == NULL)
    out->chains = g_array_new (FALSE, FALSE, sizeof (DbChain));
  guint first = out->chains->len;
  /* Keyset batches over the primary key (district, id), ordered by the
   * table's columns (not the text the list selects, which would sort every
   * remaining row); a broken chain's district is skipped past at once. */
  g_autofree char *sql = g_strconcat (tables[table].select,
                                      "WHERE ($1::bpchar IS NULL OR t.district = $1::bpchar) "
                                      "AND (t.district, t.id) > ($2::bpchar, $3::bigint) "
                                      "ORDER BY t.district, t.id LIMIT " BATCH,
                                      NULL);
  g_autoptr (GString) text = g_string_sized_new (512);
  g_autofree char *key_district = g_strdup ("");
  g_autofree char *key_id = g_strdup ("0");
  DbChain *c = NULL;
  for (;;)
    {
      g_autoptr (PGresult) res
          = db_exec (conn, sql, DB_ARGS (district, key_district, key_id), error);
      if (res == NULL)
        return FALSE;
      int n = PQntuples (res);
      if (n == 0)
        break;
      for (int r = 0; r < n; r++)
        {
          const char *d = PQgetvalue (res, r, 0);
          if (c == NULL || strcmp (c->district, d) != 0)
            c = start_chain (out->chains, table, d); /* the last element, still valid */
          check_row (c, table, res, r, text);
          g_free (key_district);
          key_district = g_strdup (d);
          g_free (key_id);
          key_id = g_strdup (c->broken ? "9223372036854775807" : PQgetvalue (res, r, 1));
          if (c->broken)
            break;
        }
    }
  if (out->chains->len == first)
    start_chain (out->chains, table, district ? district : "");
  return TRUE;
}
