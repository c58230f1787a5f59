/* sched-demo-csv.c: the demo district as CSV files for `registry import`, as
 * a draw input, and scaled up into a synthetic district for the bench. */
#include "scheduler/sched-demo.h"

#include "core/core-table.h"

#include <errno.h>
#include <string.h>
#include "core/core-i18n.h"

static void
append_field (GString *out, const char *value, gboolean last)
{
  g_autofree char *field = core_csv_field (value);
  g_string_append (out, field);
  g_string_append_c (out, last ? '\n' : ',');
}

static void
append_list (GString *out, char **list, gboolean last)
{
  g_autofree char *joined = g_strjoinv (";", list);
  append_field (out, joined, last);
}

static gboolean
write_file (const char *dir, const char *name, const GString *text, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) local = NULL;
  if (!g_file_set_contents (path, text->str, (gssize)text->len, &local))
    {
      g_set_error (error, SCHED_DEMO_ERROR, SCHED_DEMO_ERROR_WRITE, _ ("cannot write %s: %s"), path,
                   local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
sched_demo_write_csv (const SchedDemo *demo, const char *dir, GError **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, SCHED_DEMO_ERROR, SCHED_DEMO_ERROR_WRITE,
                   _ ("cannot create directory %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  g_autoptr (GString) out = g_string_new (SCHED_DEMO_BUSINESSES_HEADER "\n");
  for (guint i = 0; i < demo->businesses->len; i++)
    {
      const SchedDemoBusiness *b = g_ptr_array_index (demo->businesses, i);
      char grade[2] = { b->grade, '\0' };
      append_field (out, b->uscc, FALSE);
      append_field (out, b->licence, FALSE);
      append_field (out, b->name, FALSE);
      append_field (out, b->stage, FALSE);
      append_field (out, b->street, FALSE);
      append_field (out, b->address, FALSE);
      append_field (out, grade, FALSE);
      append_list (out, b->categories, FALSE);
      append_field (out, b->active ? "1" : "0", TRUE);
    }
  if (!write_file (dir, SCHED_DEMO_BUSINESSES_FILE, out, error))
    return FALSE;

  g_string_assign (out, SCHED_DEMO_INSPECTORS_HEADER "\n");
  for (guint i = 0; i < demo->inspectors->len; i++)
    {
      const SchedDemoInspector *s = g_ptr_array_index (demo->inspectors, i);
      append_field (out, s->id, FALSE);
      append_field (out, s->name, FALSE);
      append_field (out, s->office, FALSE);
      append_field (out, s->active ? "1" : "0", FALSE);
      append_list (out, s->conflicts, TRUE);
    }
  if (!write_file (dir, SCHED_DEMO_INSPECTORS_FILE, out, error))
    return FALSE;

  g_string_assign (out, SCHED_DEMO_LABS_HEADER "\n");
  for (guint i = 0; i < demo->labs->len; i++)
    {
      const SchedDemoLab *l = g_ptr_array_index (demo->labs, i);
      g_autofree char *capacity = g_strdup_printf ("%u", l->capacity);
      append_field (out, l->code, FALSE);
      append_field (out, l->name, FALSE);
      append_list (out, l->categories, FALSE);
      append_field (out, capacity, TRUE);
    }
  return write_file (dir, SCHED_DEMO_LABS_FILE, out, error);
}

SchedDrawInput *
sched_demo_draw_input (const SchedDemo *demo, const CoreCatalog *catalog, guint year, guint month,
                       guint64 seed)
{
  SchedDrawInput *input = sched_draw_input_new (year, month, demo->district, seed);
  sched_draw_input_add_catalog_offices (input, catalog);
  for (guint i = 0; i < demo->businesses->len; i++)
    {
      const SchedDemoBusiness *b = g_ptr_array_index (demo->businesses, i);
      sched_draw_input_add_business (input, b->uscc, b->street, b->grade,
                                     (const char *const *)b->categories, b->active, 0);
    }
  for (guint i = 0; i < demo->inspectors->len; i++)
    {
      const SchedDemoInspector *s = g_ptr_array_index (demo->inspectors, i);
      sched_draw_input_add_inspector (input, s->id, s->office, s->active,
                                      (const char *const *)s->conflicts);
    }
  for (guint i = 0; i < demo->labs->len; i++)
    {
      const SchedDemoLab *l = g_ptr_array_index (demo->labs, i);
      sched_draw_input_add_lab (input, l->code, (const char *const *)l->categories, l->capacity, 0);
    }
  return input;
}

static char *
copy_code (const char *code, guint copy)
{
  return copy == 0 ? g_strdup (code) : g_strdup_printf ("%s-%u", code, copy);
}

static char *
copy_name (const char *name, guint copy)
{
  return copy == 0 || name == NULL ? g_strdup (name) : g_strdup_printf ("%s%u", name, copy);
}

CoreCatalog *
sched_demo_scale_catalog (const CoreCatalog *catalog, guint factor)
{
  CoreCatalog *big = core_catalog_new (catalog->district, catalog->zh, catalog->en);
  for (guint i = 0; i < catalog->categories->len; i++)
    {
      const CoreCategory *c = g_ptr_array_index (catalog->categories, i);
      core_catalog_add_category (big, c->code, c->zh, c->en);
    }
  for (guint k = 0; k < factor; k++)
    {
      for (guint i = 0; i < catalog->streets->len; i++)
        {
          const CoreStreet *s = g_ptr_array_index (catalog->streets, i);
          g_autofree char *code = copy_code (s->code, k);
          g_autofree char *zh = copy_name (s->zh, k);
          g_autofree char *en = copy_name (s->en, k);
          core_catalog_add_street (big, code, zh, en);
        }
      for (guint i = 0; i < catalog->offices->len; i++)
        {
          const CoreOffice *o = g_ptr_array_index (catalog->offices, i);
          g_autofree char *code = copy_code (o->code, k);
          g_autofree char *zh = copy_name (o->zh, k);
          g_autofree char *en = copy_name (o->en, k);
          g_autoptr (GPtrArray) streets = g_ptr_array_new_with_free_func (g_free);
          for (char **st = o->streets; *st != NULL; st++)
            g_ptr_array_add (streets, copy_code (*st, k));
          g_ptr_array_add (streets, NULL);
          core_catalog_add_office (big, code, zh, en, (const char *const *)streets->pdata);
        }
    }
  return big;
}

typedef struct
{
  char *category;
  char grade;
  guint64 weight;
  guint64 remainder;
  guint quota;
} DemoCell;

static int
compare_remainder (gconstpointer a, gconstpointer b)
{
  const DemoCell *x = *(DemoCell *const *)a, *y = *(DemoCell *const *)b;
  if (x->remainder != y->remainder)
    return x->remainder > y->remainder ? -1 : 1;
  int c = strcmp (x->category, y->category);
  return c != 0 ? c : x->grade - y->grade;
}

void
sched_demo_add_cells (SchedDrawInput *input, guint total)
{
  g_autoptr (GHashTable) cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint64 sum = 0;
  for (guint i = 0; i < input->businesses->len; i++)
    {
      SchedDrawBusiness *b = g_ptr_array_index (input->businesses, i);
      if (!b->active)
        continue;
      for (char **c = b->categories; *c; c++)
        {
          g_autofree char *key = g_strdup_printf ("%s\t%c", *c, b->grade);
          DemoCell *cell = g_hash_table_lookup (cells, key);
          if (cell == NULL)
            {
              cell = g_new0 (DemoCell, 1);
              cell->category = *c;
              cell->grade = b->grade;
              g_hash_table_insert (cells, g_steal_pointer (&key), cell);
            }
          /* grade weights A1 B2 C3 D4, as the plan's default */
          cell->weight += (guint64)(core_grade_index (b->grade) + 1);
          sum += (guint64)(core_grade_index (b->grade) + 1);
        }
    }
  if (sum == 0)
    return;
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init (&iter, cells);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (order, value);
  guint given = 0;
  for (guint i = 0; i < order->len; i++)
    {
      DemoCell *cell = g_ptr_array_index (order, i);
      cell->quota = (guint)((guint64)total * cell->weight / sum);
      cell->remainder = (guint64)total * cell->weight % sum;
      given += cell->quota;
    }
  g_ptr_array_sort (order, compare_remainder);
  for (guint i = 0; i < order->len && given < total; i++, given++)
    ((DemoCell *)g_ptr_array_index (order, i))->quota++;
  for (guint i = 0; i < order->len; i++)
    {
      DemoCell *cell = g_ptr_array_index (order, i);
      if (cell->quota > 0)
        sched_draw_input_add_cell (input, cell->category, cell->grade, cell->quota);
    }
}
