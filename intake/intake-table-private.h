/* intake-table-private.h: what the CSV and JSON halves of the table reader
 * share. Not for use outside intake-table*.c. */
#pragma once

#include "intake/intake-table.h"

G_BEGIN_DECLS

/* Folded header name -> schema field index + 1, built once per read. */
GHashTable *intake_table_field_index (const IntakeSchema *schema);

/* The field @name maps to, or -1. */
int intake_table_lookup (GHashTable *index, const char *name);

/* A row in one allocation: @values has schema->n_fields entries (NULL = absent). */
IntakeRow *intake_row_new (guint line, guint n_fields, char *const *values);

/* Fills @table->rows from JSON text (an array of objects). */
gboolean intake_table_read_json (IntakeTable *table, const char *utf8, gsize len,
                                 CoreProblems *problems, GError **error);

/* Records for readers that produce them whole (XLSX): the first record that
 * is not blank is the header, the rest rows, each checked as a CSV record is.
 * @fields are stripped in place. A bad header fails at once (@error); row
 * problems go into the problems list. */
typedef struct IntakeRecords IntakeRecords;
IntakeRecords *intake_records_new (IntakeTable *table, CoreProblems *problems);
gboolean intake_records_add (IntakeRecords *records, guint line, char **fields, guint n_fields,
                             GError **error);
/* FALSE when no header was ever seen (an empty sheet). */
gboolean intake_records_finish (IntakeRecords *records, GError **error);
void intake_records_free (IntakeRecords *records);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IntakeRecords, intake_records_free)

/* A column's name as spreadsheets write it: 0 -> "A", 25 -> "Z", 26 -> "AA". */
char *intake_xlsx_column_name (guint column);

/* Fills @table->rows from the first worksheet of an XLSX workbook. */
gboolean intake_table_read_xlsx (IntakeTable *table, const char *data, gsize len,
                                 CoreProblems *problems, GError **error);

G_END_DECLS
