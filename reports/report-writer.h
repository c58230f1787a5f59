/* report-writer.h: one set of writers for every table spotcheck shows.
 *
 * As pg_dump keeps one file per archive format behind a struct of function
 * pointers, each output format is one file (report-text.c, report-csv.c,
 * report-json.c, report-xlsx.c, report-html.c) implementing ReportWriterClass, and writes to
 * a GOutputStream: the CLI hands it stdout or a file, the server a response
 * body, and both get the same bytes.
 *
 * Machine-readable formats (CSV, JSON) use the columns' keys and the cells'
 * values, which never change with the language; text, HTML and XLSX are for
 * people: they show the titles, labels and shown cells the table was made
 * with (in the language of the thread that made it) and their own few words
 * (report_text) in the writer's language. */
#pragma once

#include "core/core-table.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define REPORT_ERROR (report_error_quark ())
GQuark report_error_quark (void);

typedef enum
{
  REPORT_ERROR_FORMAT, /* a format name no writer has, or one the caller does not offer */
  REPORT_ERROR_WRITE,  /* the output could not be written */
} ReportError;

typedef enum
{
  REPORT_FORMAT_TEXT,
  REPORT_FORMAT_CSV,
  REPORT_FORMAT_JSON,
  REPORT_FORMAT_XLSX,
  REPORT_FORMAT_HTML, /* one self-contained page: inline CSS and SVG charts */
  REPORT_N_FORMATS
} ReportFormat;

/* "text", "csv", "json", "xlsx", "html" and back (FALSE for anything else). */
const char *report_format_name (ReportFormat format);
gboolean report_format_parse (const char *name, ReportFormat *format);
/* The MIME type of a format's output, for downloads. */
const char *report_format_mime (ReportFormat format);

typedef struct ReportWriter ReportWriter;

typedef struct
{
  /* Before the first table: the document's title (may be NULL) and how many
   * tables follow, so that JSON can write one table bare and several as an
   * object of tables. */
  gboolean (*begin) (ReportWriter *w, const char *title, guint n_tables, GError **error);
  gboolean (*table_begin) (ReportWriter *w, const CoreTable *table, GError **error);
  gboolean (*row) (ReportWriter *w, const CoreTable *table, guint row, GError **error);
  gboolean (*table_end) (ReportWriter *w, const CoreTable *table, GError **error);
  /* After the last table: flushes everything still held. */
  gboolean (*finish) (ReportWriter *w, GError **error);
  void (*free) (ReportWriter *w);
  /* A chart of the document, after the table it illustrates (CoreChart.after)
   * or after the last table. NULL: the format does not draw charts (the same
   * figures are in the tables). */
  gboolean (*chart) (ReportWriter *w, const CoreChart *chart, GError **error);
} ReportWriterClass;

/* What every writer holds; a format's own state follows it. */
struct ReportWriter
{
  const ReportWriterClass *klass;
  GOutputStream *out; /* owned reference */
  char *lang;         /* "zh" or "en": labels for people */
};

/* A writer for @format onto @out (referenced), labelling in @lang ("zh" or
 * "en"; NULL: "en"). */
ReportWriter *report_writer_new (ReportFormat format, GOutputStream *out, const char *lang);
void report_writer_free (ReportWriter *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReportWriter, report_writer_free)

/* Writes a whole table, or a whole document, through a new writer, start to
 * finish. */
gboolean report_write_table (ReportFormat format, GOutputStream *out, const char *lang,
                             const CoreTable *table, GError **error);
gboolean report_write_document (ReportFormat format, GOutputStream *out, const char *lang,
                                const CoreDocument *doc, GError **error);

/* For the format files. */
/* @msgid, marked N_(), in the writer's language: a writer's own words. */
const char *report_text (const ReportWriter *w, const char *msgid) G_GNUC_FORMAT (2);
ReportWriter *report_writer_text_new (void);
ReportWriter *report_writer_csv_new (void);
ReportWriter *report_writer_json_new (void);
ReportWriter *report_writer_xlsx_new (void);
ReportWriter *report_writer_html_new (void);
gboolean report_put (ReportWriter *w, const char *text, gssize len, GError **error);
gboolean report_printf (ReportWriter *w, GError **error, const char *fmt, ...) G_GNUC_PRINTF (3, 4);
/* Display width in terminal columns: CJK characters take two. */
guint report_text_width (const char *s);

G_END_DECLS
