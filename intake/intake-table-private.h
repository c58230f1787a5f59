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

G_END_DECLS
