/* core-problems.c: accumulates problems in files under validation and formats
 * them as FILE:LINE lines a user can walk through in an editor. */
#include "core/core-problems.h"

#include <string.h>
#include "core/core-i18n.h"

/* A rejection carries its problems, sorted by line, so that a face can show
 * them as a table (the HTTP API's error body) and not only as text. */
typedef struct
{
  GPtrArray *problems; /* CoreProblem*, or NULL */
} CoreProblemsErrorPrivate;

static void
core_problems_error_private_init (CoreProblemsErrorPrivate *priv)
{
  priv->problems = NULL;
}

static void
core_problems_error_private_copy (const CoreProblemsErrorPrivate *src,
                                  CoreProblemsErrorPrivate *dest)
{
  dest->problems = src->problems ? g_ptr_array_ref (src->problems) : NULL;
}

static void
core_problems_error_private_clear (CoreProblemsErrorPrivate *priv)
{
  g_clear_pointer (&priv->problems, g_ptr_array_unref);
}

G_DEFINE_EXTENDED_ERROR (CoreProblemsError, core_problems_error)

struct CoreProblems
{
  char *file;
  GPtrArray *list;     /* CoreProblem* in the order added */
  GHashTable *renames; /* column key → the name the user gave it, or NULL */
  GHashTable *sheet;   /* column → its letters in a workbook, or NULL */
};

/* Values longer than this are cut: a problem line must stay readable. */
#define VALUE_DISPLAY_CHARS 60

static void
problem_free (gpointer data)
{
  CoreProblem *p = data;
  g_free (p->column);
  g_free (p->value);
  g_free (p->why);
  g_free (p);
}

CoreProblems *
core_problems_new (const char *file)
{
  CoreProblems *problems = g_new0 (CoreProblems, 1);
  problems->file = g_strdup (file ? file : "<input>");
  problems->list = g_ptr_array_new_with_free_func (problem_free);
  return problems;
}

void
core_problems_free (CoreProblems *problems)
{
  if (problems == NULL)
    return;
  g_free (problems->file);
  g_ptr_array_unref (problems->list);
  g_clear_pointer (&problems->renames, g_hash_table_unref);
  g_clear_pointer (&problems->sheet, g_hash_table_unref);
  g_free (problems);
}

const char *
core_problems_file (const CoreProblems *problems)
{
  return problems->file;
}

void
core_problems_add (CoreProblems *problems, guint line, const char *column, const char *value,
                   const char *why_fmt, ...)
{
  CoreProblem *p = g_new0 (CoreProblem, 1);
  va_list ap;
  p->line = line;
  const char *renamed
      = problems->renames && column ? g_hash_table_lookup (problems->renames, column) : NULL;
  const char *letters = problems->sheet && column && line > 0
                            ? g_hash_table_lookup (problems->sheet, column)
                            : NULL;
  p->column = letters ? g_strdup_printf ("%s (%s%u)", column, letters, line)
                      : g_strdup (renamed ? renamed : column);
  p->value = g_strdup (value);
  va_start (ap, why_fmt);
  p->why = g_strdup_vprintf (why_fmt, ap);
  va_end (ap);
  g_ptr_array_add (problems->list, p);
}

void
core_problems_rename_columns (CoreProblems *problems, const char *const *pairs)
{
  if (problems->renames == NULL)
    problems->renames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (const char *const *p = pairs; p[0] != NULL && p[1] != NULL; p += 2)
    g_hash_table_insert (problems->renames, g_strdup (p[0]), g_strdup (p[1]));
}

void
core_problems_set_sheet_column (CoreProblems *problems, const char *column, const char *letters)
{
  if (problems->sheet == NULL)
    problems->sheet = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (problems->sheet, g_strdup (column), g_strdup (letters));
}

guint
core_problems_count (const CoreProblems *problems)
{
  return problems->list->len;
}

const CoreProblem *
core_problems_get (const CoreProblems *problems, guint index)
{
  g_return_val_if_fail (index < problems->list->len, NULL);
  return g_ptr_array_index (problems->list, index);
}

gboolean
core_problems_contain (const CoreProblems *problems, const char *needle)
{
  for (guint i = 0; i < problems->list->len; i++)
    {
      const CoreProblem *p = g_ptr_array_index (problems->list, i);
      if (strstr (p->why, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Quotes and control characters escaped so one problem stays on one line;
 * non-ASCII text (Chinese) is kept as is; long values are cut. */
static void
append_value (GString *out, const char *value)
{
  const char *p = value;
  glong n = 0;
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_string_append (out, _ ("(not valid text)"));
      return;
    }
  for (; *p != '\0' && n < VALUE_DISPLAY_CHARS; p = g_utf8_next_char (p), n++)
    {
      unsigned char c = (unsigned char)*p;
      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  if (*p != '\0')
    g_string_append (out, "…");
}

/* The problems by line, those on one line in the order the checks found
 * them (g_ptr_array_sort is qsort, not stable: a merge sort). The array
 * borrows the problems. */
static GPtrArray *
sorted_by_line (const CoreProblems *problems)
{
  GPtrArray *sorted = g_ptr_array_copy (problems->list, NULL, NULL);
  g_ptr_array_set_free_func (sorted, NULL); /* the copy borrows; it would inherit g_free */
  g_autofree gpointer *tmp = g_new (gpointer, sorted->len + 1);
  for (guint width = 1; width < sorted->len; width *= 2)
    {
      gpointer *v = sorted->pdata;
      for (guint lo = 0; lo < sorted->len; lo += 2 * width)
        {
          guint mid = MIN (lo + width, sorted->len), hi = MIN (lo + 2 * width, sorted->len);
          guint a = lo, b = mid, k = lo;
          while (a < mid && b < hi)
            tmp[k++] = ((CoreProblem *)v[b])->line < ((CoreProblem *)v[a])->line ? v[b++] : v[a++];
          while (a < mid)
            tmp[k++] = v[a++];
          while (b < hi)
            tmp[k++] = v[b++];
        }
      memcpy (v, tmp, sorted->len * sizeof (gpointer));
    }
  return sorted;
}

char *
core_problems_format (const CoreProblems *problems)
{
  GString *out = g_string_new (NULL);
  g_autoptr (GPtrArray) sorted = sorted_by_line (problems);
  for (guint i = 0; i < sorted->len; i++)
    {
      const CoreProblem *p = g_ptr_array_index (sorted, i);
      g_string_append (out, problems->file);
      if (p->line > 0)
        g_string_append_printf (out, ":%u", p->line);
      g_string_append (out, ": ");
      if (p->column != NULL)
        /* TRANSLATORS: keep the ": " after %s: scripts split the line on it. */
        g_string_append_printf (
            out, g_str_has_prefix (p->column, "-") ? _ ("option %s: ") : _ ("column %s: "),
            p->column);
      if (p->value != NULL)
        {
          /* TRANSLATORS: followed by the value in double quotes. */
          g_string_append (out, _ ("value "));
          g_string_append_c (out, '"');
          append_value (out, p->value);
          g_string_append (out, "\": ");
        }
      g_string_append (out, p->why);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

gboolean
core_problems_check (const CoreProblems *problems, GError **error)
{
  if (problems->list->len == 0)
    return TRUE;
  g_autofree char *text = core_problems_format (problems);
  g_set_error (error, CORE_PROBLEMS_ERROR, CORE_PROBLEMS_ERROR_REJECTED,
               _ ("%s rejected, nothing stored: %u problem%s; correct them and send the whole "
                  "file again:\n%s"),
               problems->file, problems->list->len, problems->list->len == 1 ? "" : "s", text);
  if (error != NULL)
    {
      g_autoptr (GPtrArray) sorted = sorted_by_line (problems);
      GPtrArray *copy = g_ptr_array_new_with_free_func (problem_free);
      for (guint i = 0; i < sorted->len; i++)
        {
          const CoreProblem *p = g_ptr_array_index (sorted, i);
          CoreProblem *c = g_new0 (CoreProblem, 1);
          c->line = p->line;
          c->column = g_strdup (p->column);
          c->value = g_strdup (p->value);
          c->why = g_strdup (p->why);
          g_ptr_array_add (copy, c);
        }
      core_problems_error_get_private (*error)->problems = copy;
    }
  return FALSE;
}

const GPtrArray *
core_problems_error_list (const GError *error)
{
  if (error == NULL || error->domain != CORE_PROBLEMS_ERROR)
    return NULL;
  return core_problems_error_get_private (error)->problems;
}
