/* intake-table-xlsx.c: the first worksheet of an XLSX workbook as records of
 * the table reader. The zip archive is read with libarchive (from its central
 * directory, so a cut file is refused before anything is unpacked) and each
 * XML part with libxml2's streaming reader; no part is unpacked past the size
 * limit, so a zip bomb is refused by size. Cell values come out as a person
 * sees them in the spreadsheet: shared and inline strings as written,
 * numbers to 15 significant digits, date-formatted numbers as YYYY-MM-DD. */
#include "intake/intake-table-private.h"

#include <archive.h>
#include <archive_entry.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/core-i18n.h"

/* What a workbook may unpack to in all (the parts read: workbook, its
 * relationships, shared strings, styles, worksheets). Results of a whole
 * year's sampling come to a few megabytes; a file far above this is refused
 * before it is unpacked. */
#define XLSX_MAX_UNPACKED ((gsize)256 * 1024 * 1024)

typedef struct
{
  const char *name;    /* the upload's name, for messages */
  GHashTable *parts;   /* part name -> GBytes */
  GPtrArray *strings;  /* shared strings, char* */
  GArray *date_styles; /* gboolean per cellXfs index */
  gboolean date1904;
} Workbook;

static void
workbook_clear (Workbook *wb)
{
  g_clear_pointer (&wb->parts, g_hash_table_unref);
  g_clear_pointer (&wb->strings, g_ptr_array_unref);
  g_clear_pointer (&wb->date_styles, g_array_unref);
}

static gboolean
wanted_part (const char *path)
{
  return strcmp (path, "xl/workbook.xml") == 0 || strcmp (path, "xl/_rels/workbook.xml.rels") == 0
         || strcmp (path, "xl/sharedStrings.xml") == 0 || strcmp (path, "xl/styles.xml") == 0
         || (g_str_has_prefix (path, "xl/worksheets/") && g_str_has_suffix (path, ".xml"));
}

static gboolean
not_a_workbook (const Workbook *wb, const char *why, GError **error)
{
  g_set_error (
      error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_SYNTAX,
      _ ("%s is not a readable XLSX workbook (%s); save it again with Excel or LibreOffice, "
         "or send it as CSV"),
      wb->name, why);
  return FALSE;
}

static gboolean
too_large (const Workbook *wb, GError **error)
{
  g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_TOO_LARGE,
               "%s unpacks to more than %" G_GSIZE_FORMAT
               " MiB, which no result or directory file needs; split it into several files or "
               "send it as CSV",
               wb->name, XLSX_MAX_UNPACKED / (1024 * 1024));
  return FALSE;
}

/* Unpacks the parts the reader needs, never more than XLSX_MAX_UNPACKED. */
static gboolean
unpack (Workbook *wb, const char *data, gsize len, GError **error)
{
  struct archive *a = archive_read_new ();
  archive_read_support_format_zip_seekable (a);
  gboolean ok = TRUE;
  gsize total = 0;
  if (archive_read_open_memory (a, data, len) != ARCHIVE_OK)
    ok = not_a_workbook (wb, archive_error_string (a), error);
  struct archive_entry *entry;
  int r = ARCHIVE_EOF;
  while (ok && (r = archive_read_next_header (a, &entry)) == ARCHIVE_OK)
    {
      const char *path = archive_entry_pathname (entry);
      if (path == NULL || !wanted_part (path))
        continue;
      /* The declared size is checked first, then what really comes out. */
      if (archive_entry_size_is_set (entry)
          && (guint64)archive_entry_size (entry) > XLSX_MAX_UNPACKED - total)
        {
          ok = too_large (wb, error);
          break;
        }
      GByteArray *buf = g_byte_array_new ();
      char block[64 * 1024];
      la_ssize_t n;
      while ((n = archive_read_data (a, block, sizeof block)) > 0)
        {
          if ((gsize)n > XLSX_MAX_UNPACKED - total)
            {
              ok = too_large (wb, error);
              break;
            }
          total += (gsize)n;
          g_byte_array_append (buf, (const guint8 *)block, (guint)n);
        }
      if (ok && n < 0)
        ok = not_a_workbook (wb, archive_error_string (a), error);
      g_hash_table_insert (wb->parts, g_strdup (path), g_byte_array_free_to_bytes (buf));
    }
  if (ok && r != ARCHIVE_EOF)
    ok = not_a_workbook (wb, archive_error_string (a), error);
  archive_read_free (a);
  return ok;
}

/* ---- XML ---- */

typedef struct
{
  char *message; /* the parser's first complaint */
} XmlErrors;

static void
on_xml_error (void *arg, const char *msg, xmlParserSeverities severity, xmlTextReaderLocatorPtr loc)
{
  XmlErrors *errors = arg;
  if (errors->message == NULL)
    errors->message = g_strstrip (
        g_strdup_printf (_ ("line %d: %s"), xmlTextReaderLocatorLineNumber (loc), msg));
}

typedef struct
{
  xmlTextReaderPtr reader;
  XmlErrors errors;
  const char *part;
} Xml;

static gboolean
xml_open (Xml *x, const Workbook *wb, const char *part, gboolean required, GError **error)
{
  memset (x, 0, sizeof *x);
  x->part = part;
  GBytes *bytes = g_hash_table_lookup (wb->parts, part);
  if (bytes == NULL)
    {
      if (required)
        {
          g_autofree char *why = g_strdup_printf (_ ("it has no %s"), part);
          return not_a_workbook (wb, why, error);
        }
      return TRUE;
    }
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  /* No network, no external entities, no entity expansion. */
  x->reader = xmlReaderForMemory (data, (int)MIN (len, (gsize)G_MAXINT), part, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (x->reader == NULL)
    return not_a_workbook (wb, part, error);
  xmlTextReaderSetErrorHandler (x->reader, on_xml_error, &x->errors);
  return TRUE;
}

static void
xml_close (Xml *x)
{
  if (x->reader)
    xmlFreeTextReader (x->reader);
  g_free (x->errors.message);
  memset (x, 0, sizeof *x);
}

/* The next node: 1, 0 at the end, -1 on malformed XML (then @error is set). */
static int
xml_next (Xml *x, const Workbook *wb, GError **error)
{
  int r = xmlTextReaderRead (x->reader);
  if (r < 0)
    {
      g_autofree char *why = g_strdup_printf (_ ("malformed %s, %s"), x->part,
                                              x->errors.message ? x->errors.message : "?");
      not_a_workbook (wb, why, error);
    }
  return r;
}

static gboolean
is_element (Xml *x, const char *local)
{
  return xmlTextReaderNodeType (x->reader) == XML_READER_TYPE_ELEMENT
         && strcmp ((const char *)xmlTextReaderConstLocalName (x->reader), local) == 0;
}

static gboolean
is_end (Xml *x, const char *local)
{
  return xmlTextReaderNodeType (x->reader) == XML_READER_TYPE_END_ELEMENT
         && strcmp ((const char *)xmlTextReaderConstLocalName (x->reader), local) == 0;
}

static gboolean
is_text (Xml *x)
{
  int t = xmlTextReaderNodeType (x->reader);
  return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA
         || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* The attribute whose local name is @local, whatever its namespace (r:id of
 * transitional and strict OOXML alike). Free with g_free(). */
static char *
attribute (Xml *x, const char *local)
{
  char *value = NULL;
  if (xmlTextReaderMoveToFirstAttribute (x->reader) == 1)
    do
      if (strcmp ((const char *)xmlTextReaderConstLocalName (x->reader), local) == 0)
        {
          value = g_strdup ((const char *)xmlTextReaderConstValue (x->reader));
          break;
        }
    while (xmlTextReaderMoveToNextAttribute (x->reader) == 1);
  xmlTextReaderMoveToElement (x->reader);
  return value;
}

/* ---- the workbook's parts ---- */

/* The part of the first sheet, and whether dates count from 1904. */
static char *
first_sheet_part (Workbook *wb, GError **error)
{
  Xml x;
  g_autofree char *rid = NULL;
  if (!xml_open (&x, wb, "xl/workbook.xml", TRUE, error))
    return NULL;
  int r;
  while ((r = xml_next (&x, wb, error)) == 1)
    {
      if (is_element (&x, "workbookPr"))
        {
          g_autofree char *d = attribute (&x, "date1904");
          wb->date1904 = d && (strcmp (d, "1") == 0 || strcmp (d, "true") == 0);
        }
      else if (rid == NULL && is_element (&x, "sheet"))
        rid = attribute (&x, "id");
    }
  xml_close (&x);
  if (r < 0)
    return NULL;
  if (rid == NULL)
    {
      not_a_workbook (wb, "its workbook lists no sheet", error);
      return NULL;
    }
  if (!xml_open (&x, wb, "xl/_rels/workbook.xml.rels", TRUE, error))
    return NULL;
  char *part = NULL;
  while (part == NULL && (r = xml_next (&x, wb, error)) == 1)
    if (is_element (&x, "Relationship"))
      {
        g_autofree char *id = attribute (&x, "Id");
        g_autofree char *target = attribute (&x, "Target");
        if (id && target && strcmp (id, rid) == 0)
          part = target[0] == '/' ? g_strdup (target + 1) : g_strconcat ("xl/", target, NULL);
      }
  xml_close (&x);
  if (r < 0)
    {
      g_free (part);
      return NULL;
    }
  if (part == NULL)
    not_a_workbook (wb, "its first sheet has no part", error);
  return part;
}

/* Shared strings: the text of each <si>, its runs joined, phonetic runs left out. */
static gboolean
read_strings (Workbook *wb, GError **error)
{
  Xml x;
  if (!xml_open (&x, wb, "xl/sharedStrings.xml", FALSE, error))
    return FALSE;
  if (x.reader == NULL)
    return TRUE;
  g_autoptr (GString) text = NULL;
  int in_t = 0, in_phonetic = 0, r;
  while ((r = xml_next (&x, wb, error)) == 1)
    {
      gboolean empty = xmlTextReaderIsEmptyElement (x.reader);
      if (is_element (&x, "si"))
        {
          text = g_string_new (NULL);
          if (empty)
            g_ptr_array_add (wb->strings, g_string_free (g_steal_pointer (&text), FALSE));
        }
      else if (is_end (&x, "si") && text)
        g_ptr_array_add (wb->strings, g_string_free (g_steal_pointer (&text), FALSE));
      else if (is_element (&x, "rPh") && !empty)
        in_phonetic++;
      else if (is_end (&x, "rPh"))
        in_phonetic--;
      else if (is_element (&x, "t") && !empty)
        in_t++;
      else if (is_end (&x, "t"))
        in_t--;
      else if (is_text (&x) && in_t > 0 && in_phonetic == 0 && text)
        g_string_append (text, (const char *)xmlTextReaderConstValue (x.reader));
    }
  xml_close (&x);
  return r == 0;
}

/* A number format shows a date or time: it has y, m, d, h or s outside quoted
 * text, [colour] and [$-locale] sections and backslash escapes. */
static gboolean
format_is_date (const char *code)
{
  gboolean quoted = FALSE, bracket = FALSE;
  for (const char *p = code; *p; p++)
    {
      if (*p == '\\' && p[1])
        p++;
      else if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == '[')
        bracket = TRUE;
      else if (bracket && *p == ']')
        bracket = FALSE;
      else if (!quoted && !bracket && strchr ("ymdhsYMDHS", *p))
        return TRUE;
    }
  return FALSE;
}

/* The built-in formats that show dates: 14–22 and 45–47, and the East Asian
 * ones 27–36 and 50–58 (年/月/日 forms in a Chinese Excel). */
static gboolean
builtin_is_date (int id)
{
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47)
         || (id >= 50 && id <= 58);
}

static gboolean
read_styles (Workbook *wb, GError **error)
{
  Xml x;
  if (!xml_open (&x, wb, "xl/styles.xml", FALSE, error))
    return FALSE;
  if (x.reader == NULL)
    return TRUE;
  g_autoptr (GHashTable) custom = g_hash_table_new (g_direct_hash, g_direct_equal);
  gboolean in_xfs = FALSE;
  int r;
  while ((r = xml_next (&x, wb, error)) == 1)
    {
      if (is_element (&x, "numFmt"))
        {
          g_autofree char *id = attribute (&x, "numFmtId");
          g_autofree char *code = attribute (&x, "formatCode");
          if (id && code && format_is_date (code))
            g_hash_table_add (custom, GINT_TO_POINTER (atoi (id)));
        }
      else if (is_element (&x, "cellXfs"))
        in_xfs = !xmlTextReaderIsEmptyElement (x.reader);
      else if (is_end (&x, "cellXfs"))
        in_xfs = FALSE;
      else if (in_xfs && is_element (&x, "xf"))
        {
          g_autofree char *id = attribute (&x, "numFmtId");
          int n = id ? atoi (id) : 0;
          gboolean date
              = builtin_is_date (n) || g_hash_table_contains (custom, GINT_TO_POINTER (n));
          g_array_append_val (wb->date_styles, date);
        }
    }
  xml_close (&x);
  return r == 0;
}

/* ---- cells ---- */

char *
intake_xlsx_column_name (guint column)
{
  char buf[16];
  int i = (int)sizeof buf - 1;
  buf[i] = '\0';
  for (guint n = column + 1; n > 0 && i > 0; n = (n - 1) / 26)
    buf[--i] = (char)('A' + (n - 1) % 26);
  return g_strdup (buf + i);
}

/* The 0-based column of a reference such as "D17", or -1. */
static int
reference_column (const char *ref)
{
  int col = 0;
  const char *p = ref;
  for (; g_ascii_isalpha (*p); p++)
    {
      col = col * 26 + (g_ascii_toupper (*p) - 'A' + 1);
      if (col > 16384) /* XFD, the last column a sheet has */
        return -1;
    }
  return p == ref ? -1 : col - 1;
}

/* A serial day number as the date it shows (1900 system: day 1 is
 * 1900-01-01 and Lotus's phantom 1900-02-29 is day 60, so from March 1900
 * on the count starts at 1899-12-30). Times of day are kept as HH:MM:SS. */
static char *
serial_date (const Workbook *wb, double serial)
{
  if (!(serial >= 0 && serial < 2958466)) /* up to 9999-12-31 */
    return NULL;
  double days = floor (serial);
  GDate d;
  if (wb->date1904)
    g_date_set_dmy (&d, 1, G_DATE_JANUARY, 1904);
  else
    g_date_set_dmy (&d, 30, G_DATE_DECEMBER, 1899);
  g_date_add_days (&d, (guint)days);
  char day[16];
  g_date_strftime (day, sizeof day, "%Y-%m-%d", &d);
  long seconds = lround ((serial - days) * 86400.0);
  if (seconds == 0 || seconds >= 86400)
    return g_strdup (day);
  return g_strdup_printf ("%s %02ld:%02ld:%02ld", day, seconds / 3600, seconds / 60 % 60,
                          seconds % 60);
}

/* A number cell as the spreadsheet shows it in General format: whole numbers
 * in full, others to 15 significant digits. */
static char *
number_text (const Workbook *wb, const char *raw, int style)
{
  char *end = NULL;
  double v = g_ascii_strtod (raw, &end);
  if (end == raw || *end != '\0' || !isfinite (v))
    return g_strdup (raw);
  if (style >= 0 && (guint)style < wb->date_styles->len
      && g_array_index (wb->date_styles, gboolean, style))
    {
      char *date = serial_date (wb, v);
      if (date)
        return date;
    }
  if (v == floor (v) && fabs (v) < 1e15)
    return g_strdup_printf ("%.0f", v == 0 ? 0.0 : v);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.15g", v));
}

typedef struct
{
  GPtrArray *cells; /* char* per column of the row being read, NULL = empty */
  guint row;        /* the sheet's row number (1-based) */
  int col;          /* the cell's 0-based column */
  char *type;       /* t= of the cell */
  int style;        /* s= of the cell */
  GString *value;   /* <v>, or the text of <is> */
  gboolean in_v, in_t;
} SheetState;

static char *
cell_text (const Workbook *wb, const SheetState *s, GError **error)
{
  const char *t = s->type ? s->type : "n";
  const char *v = s->value->str;
  if (strcmp (t, "s") == 0)
    {
      char *end = NULL;
      guint64 i = g_ascii_strtoull (v, &end, 10);
      if (end == v || *end != '\0' || i >= wb->strings->len)
        {
          g_autofree char *col = intake_xlsx_column_name ((guint)s->col);
          g_autofree char *why = g_strdup_printf (
              _ ("cell %s%u names shared string %s, which it does not have"), col, s->row, v);
          not_a_workbook (wb, why, error);
          return NULL;
        }
      return g_strdup (g_ptr_array_index (wb->strings, i));
    }
  if (strcmp (t, "b") == 0)
    return g_strdup (strcmp (v, "1") == 0 ? "TRUE" : strcmp (v, "0") == 0 ? "FALSE" : v);
  if (strcmp (t, "n") == 0 && *v != '\0')
    return number_text (wb, v, s->style);
  /* str (a formula's text), inlineStr, e (#N/A ...), d (ISO 8601 text) */
  if (strcmp (t, "d") == 0 && strlen (v) > 10 && g_str_has_suffix (v, "T00:00:00"))
    return g_strndup (v, 10);
  return g_strdup (v);
}

/* The cell just read joins its row, empty cells before it filled in. */
static gboolean
end_cell (const Workbook *wb, SheetState *s, GError **error)
{
  char *text = cell_text (wb, s, error);
  if (text == NULL)
    return FALSE;
  while (s->cells->len < (guint)s->col)
    g_ptr_array_add (s->cells, NULL);
  g_ptr_array_add (s->cells, text);
  return TRUE;
}

static gboolean
end_row (IntakeRecords *records, SheetState *s, GError **error)
{
  gboolean ok
      = intake_records_add (records, s->row, (char **)s->cells->pdata, s->cells->len, error);
  g_ptr_array_set_size (s->cells, 0);
  return ok;
}

static gboolean
read_sheet (Workbook *wb, const char *part, IntakeRecords *records, GError **error)
{
  Xml x;
  if (!xml_open (&x, wb, part, TRUE, error))
    return FALSE;
  SheetState s = {
    g_ptr_array_new_with_free_func (g_free), 0, -1, NULL, -1, g_string_new (NULL), FALSE, FALSE
  };
  gboolean ok = TRUE, in_row = FALSE;
  int r = 0;
  while (ok && (r = xml_next (&x, wb, error)) == 1)
    {
      gboolean empty = xmlTextReaderIsEmptyElement (x.reader);
      if (is_element (&x, "row"))
        {
          g_autofree char *n = attribute (&x, "r");
          guint64 row = n ? g_ascii_strtoull (n, NULL, 10) : s.row + 1;
          if (row <= s.row || row > 1048576)
            {
              g_autofree char *why = g_strdup_printf (_ ("row %s out of order"), n ? n : "?");
              ok = not_a_workbook (wb, why, error);
              break;
            }
          s.row = (guint)row;
          s.col = -1;
          in_row = !empty;
        }
      else if (is_end (&x, "row"))
        {
          in_row = FALSE;
          ok = end_row (records, &s, error);
        }
      else if (in_row && is_element (&x, "c"))
        {
          g_autofree char *ref = attribute (&x, "r");
          g_autofree char *style = attribute (&x, "s");
          g_free (s.type);
          s.type = attribute (&x, "t");
          s.style = style ? atoi (style) : -1;
          int col = ref ? reference_column (ref) : s.col + 1;
          if (col <= s.col)
            {
              g_autofree char *why = g_strdup_printf (_ ("cell %s out of order"), ref ? ref : "?");
              ok = not_a_workbook (wb, why, error);
              break;
            }
          s.col = col;
          g_string_truncate (s.value, 0);
          if (empty)
            ok = end_cell (wb, &s, error);
        }
      else if (is_element (&x, "v") && !empty)
        s.in_v = TRUE;
      else if (is_end (&x, "v"))
        s.in_v = FALSE;
      else if (is_element (&x, "t") && !empty)
        s.in_t = TRUE;
      else if (is_end (&x, "t"))
        s.in_t = FALSE;
      else if (is_text (&x) && (s.in_v || s.in_t))
        g_string_append (s.value, (const char *)xmlTextReaderConstValue (x.reader));
      else if (in_row && is_end (&x, "c"))
        ok = end_cell (wb, &s, error);
    }
  if (ok && r < 0)
    ok = FALSE;
  xml_close (&x);
  g_ptr_array_unref (s.cells);
  g_string_free (s.value, TRUE);
  g_free (s.type);
  return ok;
}

gboolean
intake_table_read_xlsx (IntakeTable *table, const char *data, gsize len, CoreProblems *problems,
                        GError **error)
{
  Workbook wb
      = { table->name,
          g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref),
          g_ptr_array_new_with_free_func (g_free), g_array_new (FALSE, FALSE, sizeof (gboolean)),
          FALSE };
  g_autoptr (IntakeRecords) records = intake_records_new (table, problems);
  g_autofree char *sheet = NULL;
  gboolean ok = unpack (&wb, data, len, error) && (sheet = first_sheet_part (&wb, error)) != NULL
                && read_strings (&wb, error) && read_styles (&wb, error)
                && read_sheet (&wb, sheet, records, error)
                && intake_records_finish (records, error);
  workbook_clear (&wb);
  return ok;
}
