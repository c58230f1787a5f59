/* intake-table-json.c: the JSON half of the table reader: an array of objects
 * whose keys are the same column names a CSV header would use. */
#include "intake/intake-table-private.h"
#include "intake/intake-text.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include "core/core-i18n.h"

typedef struct
{
  int depth;         /* nesting of arrays and objects while parsing */
  guint pending;     /* line of the '{' or '[' of the top-level element being parsed */
  GArray *row_lines; /* guint per top-level element: the line it starts on */
} LineTracker;

static void
on_container_start (JsonParser *parser, gpointer user_data)
{
  LineTracker *t = user_data;
  if (t->depth == 1)
    t->pending = json_parser_get_current_line (parser);
  t->depth++;
}

static void
on_container_end (JsonParser *parser, gpointer container, gpointer user_data)
{
  LineTracker *t = user_data;
  t->depth--;
}

/* Emitted once an element is complete; scalars have no start signal, so they
 * get the line where they end, which is the line they are on. */
static void
on_array_element (JsonParser *parser, JsonArray *array, guint index, gpointer user_data)
{
  LineTracker *t = user_data;
  if (t->depth != 1)
    return;
  guint line = t->pending ? t->pending : (guint)json_parser_get_current_line (parser);
  g_array_append_val (t->row_lines, line);
  t->pending = 0;
}

/* The line of the first visible character. */
static guint
first_line (const char *text, gsize len)
{
  guint line = 1;
  for (gsize i = 0; i < len && g_ascii_isspace (text[i]); i++)
    if (text[i] == '\n')
      line++;
  return line;
}

/* json-glib words a syntax error "<data>:LINE:COLUMN: Parse error: ..."; the
 * user is told FILE:LINE like every other problem. */
static gboolean
syntax_error (const char *name, const char *message, GError **error)
{
  g_autoptr (GRegex) re = g_regex_new ("^<[^>]*>:([0-9]+):([0-9]+): *(?:Parse error: *)?(.*)$",
                                       G_REGEX_DOTALL, 0, NULL);
  g_autoptr (GMatchInfo) m = NULL;
  if (re != NULL && g_regex_match (re, message, 0, &m))
    {
      g_autofree char *line = g_match_info_fetch (m, 1);
      g_autofree char *column = g_match_info_fetch (m, 2);
      g_autofree char *why = g_match_info_fetch (m, 3);
      g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_SYNTAX,
                   _ ("%s:%s: malformed JSON (at character %s of the line): %s"), name, line,
                   column, why);
    }
  else
    g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_SYNTAX, _ ("%s: malformed JSON: %s"),
                 name, message);
  return FALSE;
}

/* A JSON scalar as the text a CSV cell would hold; NULL for null. */
static gboolean
scalar_text (JsonNode *node, char **out)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  *out = NULL;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      *out = intake_text_strip (json_node_get_string (node));
      return TRUE;
    case G_TYPE_INT64:
      *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    case G_TYPE_DOUBLE:
      *out = g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      return TRUE;
    case G_TYPE_BOOLEAN:
      *out = g_strdup (json_node_get_boolean (node) ? "true" : "false");
      return TRUE;
    default:
      return FALSE;
    }
}

/* Converts one object to a row; FALSE (with a problem recorded) when malformed. */
static gboolean
object_to_row (IntakeTable *table, GHashTable *index, JsonObject *object, guint line, char **values,
               GString *unknown, CoreProblems *problems)
{
  const IntakeSchema *schema = table->schema;
  gboolean ok = TRUE;
  g_autofree const char **seen_as = g_new0 (const char *, schema->n_fields + 1);
  /* get_members keeps the file's order, so "twice" names the later key. */
  g_autoptr (GList) members = json_object_get_members (object);
  for (GList *m = members; m != NULL; m = m->next)
    {
      const char *key = m->data;
      JsonNode *node = json_object_get_member (object, key);
      int f = intake_table_lookup (index, key);
      if (f < 0)
        {
          g_autofree char *quoted = g_strdup_printf (_ (": unknown key \"%s\""), key);
          if (!schema->ignore_unknown && strstr (unknown->str, quoted) == NULL)
            g_string_append_printf (unknown, "%s%s:%u%s", unknown->len ? "\n" : "", table->name,
                                    line, quoted);
          continue;
        }
      if (seen_as[f] != NULL)
        {
          core_problems_add (problems, line, key, NULL,
                             _ ("this object names column %s twice (as \"%s\" and \"%s\"); keep "
                                "one"),
                             schema->fields[f].key, seen_as[f], key);
          ok = FALSE;
          continue;
        }
      seen_as[f] = key;
      if (!scalar_text (node, &values[f]))
        {
          core_problems_add (problems, line, key, NULL,
                             _ ("must be a text, a number or null, not a %s"),
                             json_node_type_name (node));
          ok = FALSE;
          continue;
        }
      if (values[f] == NULL)
        values[f] = g_strdup ("");
      if (table->columns[f] == NULL)
        table->columns[f] = g_strdup (key);
    }
  for (guint f = 0; f < schema->n_fields && ok; f++)
    if (schema->fields[f].required && values[f] == NULL)
      {
        core_problems_add (problems, line, schema->fields[f].key, NULL,
                           _ ("required key missing from this object"));
        ok = FALSE;
      }
  return ok;
}

gboolean
intake_table_read_json (IntakeTable *table, const char *utf8, gsize len, CoreProblems *problems,
                        GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  g_autoptr (GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GHashTable) index = intake_table_field_index (table->schema);
  g_autoptr (GString) unknown = g_string_new (NULL);
  LineTracker tracker = { 0, 0, lines };
  const IntakeSchema *schema = table->schema;
  g_signal_connect (parser, "array-start", G_CALLBACK (on_container_start), &tracker);
  g_signal_connect (parser, "object-start", G_CALLBACK (on_container_start), &tracker);
  g_signal_connect (parser, "array-end", G_CALLBACK (on_container_end), &tracker);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_container_end), &tracker);
  g_signal_connect (parser, "array-element", G_CALLBACK (on_array_element), &tracker);
  if (!json_parser_load_from_data (parser, utf8, (gssize)len, &local))
    return syntax_error (table->name, local ? local->message : "unreadable", error);
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_SYNTAX,
                        _ ("%s:%u: the top level must be an array of objects, one per record, "
                           "[{\"%s\": …}, …], not %s"),
                        table->name, first_line (utf8, len),
                        schema->n_fields ? schema->fields[0].key : "key",
                        root == NULL                    ? _ ("empty")
                        : JSON_NODE_HOLDS_OBJECT (root) ? _ ("an object")
                                                        : _ ("a single value")),
           FALSE;
  JsonArray *array = json_node_get_array (root);
  guint n = json_array_get_length (array);
  g_autofree char **values = g_new0 (char *, schema->n_fields);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      guint line = i < lines->len ? g_array_index (lines, guint, i) : 0;
      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          core_problems_add (problems, line, NULL, NULL,
                             _ ("element %u of the array is a %s; each record must be an "
                                "object {…}"),
                             i + 1, json_node_type_name (element));
          continue;
        }
      gboolean ok = object_to_row (table, index, json_node_get_object (element), line, values,
                                   unknown, problems);
      if (ok)
        g_ptr_array_add (table->rows, intake_row_new (line, schema->n_fields, values));
      for (guint f = 0; f < schema->n_fields; f++)
        g_clear_pointer (&values[f], g_free);
    }
  if (unknown->len)
    return g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_HEADER,
                        _ ("%s (see the accepted names in the README)"), unknown->str),
           FALSE;
  g_autoptr (GString) missing = g_string_new (NULL);
  for (guint f = 0; f < schema->n_fields; f++)
    if (n > 0 && schema->fields[f].required && table->columns[f] == NULL)
      g_string_append_printf (missing, "%s%s", missing->len ? ", " : "", schema->fields[f].key);
  if (missing->len)
    return g_set_error (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_HEADER,
                        _ ("%s: no record has the required key%s %s"), table->name,
                        strchr (missing->str, ',') ? "s" : "", missing->str),
           FALSE;
  return TRUE;
}
