/* sched-draw-input.c: building, checking, ordering and digesting the inputs
 * of the monthly draw, so that a draw depends on their content only. */
#include "scheduler/sched-draw.h"

#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (sched - draw - error - quark, sched_draw_error)

/* Record serials have seven digits (see sched-draw.h, step 4); a month's
 * emergency tasks take the top of the range (step E4). */
#define MAX_TASKS_PER_MONTH (SCHED_EMERGENCY_FIRST_SERIAL - 1)
#define MAX_SERIAL 9999999u

static void
cell_free (gpointer p)
{
  SchedDrawCell *c = p;
  g_free (c->category);
  g_free (c);
}

static void
business_free (gpointer p)
{
  SchedDrawBusiness *b = p;
  g_free (b->id);
  g_free (b->street);
  g_strfreev (b->categories);
  g_free (b);
}

static void
inspector_free (gpointer p)
{
  SchedDrawInspector *i = p;
  g_free (i->id);
  g_free (i->office);
  g_strfreev (i->conflicts);
  g_free (i);
}

static void
office_free (gpointer p)
{
  SchedDrawOffice *o = p;
  g_free (o->code);
  g_strfreev (o->streets);
  g_free (o);
}

static void
lab_free (gpointer p)
{
  SchedDrawLab *l = p;
  g_free (l->code);
  g_strfreev (l->categories);
  g_free (l);
}

SchedDrawInput *
sched_draw_input_new (guint year, guint month, const char *district, guint64 seed)
{
  SchedDrawInput *input = g_new0 (SchedDrawInput, 1);
  input->year = year;
  input->month = month;
  input->seed = seed;
  input->district = g_strdup (district);
  memcpy (input->record_prefix, "DC", 3);
  input->due_kind = SCHED_DUE_END_OF_MONTH;
  g_date_clear (&input->draw_date, 1);
  input->cells = g_ptr_array_new_with_free_func (cell_free);
  input->businesses = g_ptr_array_new_with_free_func (business_free);
  input->inspectors = g_ptr_array_new_with_free_func (inspector_free);
  input->offices = g_ptr_array_new_with_free_func (office_free);
  input->labs = g_ptr_array_new_with_free_func (lab_free);
  return input;
}

static void
emergency_free (SchedDrawEmergency *e)
{
  if (e == NULL)
    return;
  g_free (e->category);
  g_free (e->street);
  g_strfreev (e->businesses);
  g_free (e);
}

void
sched_draw_input_free (SchedDrawInput *input)
{
  if (input == NULL)
    return;
  emergency_free (input->emergency);
  g_free (input->district);
  g_ptr_array_unref (input->cells);
  g_ptr_array_unref (input->businesses);
  g_ptr_array_unref (input->inspectors);
  g_ptr_array_unref (input->offices);
  g_ptr_array_unref (input->labs);
  g_free (input);
}

static char **
strv_copy (const char *const *v)
{
  return v != NULL ? g_strdupv ((char **)v) : g_new0 (char *, 1);
}

SchedDrawCell *
sched_draw_input_add_cell (SchedDrawInput *input, const char *category, char grade, guint quota)
{
  SchedDrawCell *c = g_new0 (SchedDrawCell, 1);
  c->category = g_strdup (category);
  c->grade = grade;
  c->quota = quota;
  g_ptr_array_add (input->cells, c);
  return c;
}

SchedDrawBusiness *
sched_draw_input_add_business (SchedDrawInput *input, const char *id, const char *street,
                               char grade, const char *const *categories, gboolean active,
                               guint64 last_drawn)
{
  SchedDrawBusiness *b = g_new0 (SchedDrawBusiness, 1);
  b->id = g_strdup (id);
  b->street = g_strdup (street);
  b->grade = grade;
  b->categories = strv_copy (categories);
  b->active = active;
  b->last_drawn = last_drawn;
  g_ptr_array_add (input->businesses, b);
  return b;
}

SchedDrawInspector *
sched_draw_input_add_inspector (SchedDrawInput *input, const char *id, const char *office,
                                gboolean active, const char *const *conflicts)
{
  SchedDrawInspector *i = g_new0 (SchedDrawInspector, 1);
  i->id = g_strdup (id);
  i->office = g_strdup (office);
  i->active = active;
  i->conflicts = strv_copy (conflicts);
  g_ptr_array_add (input->inspectors, i);
  return i;
}

SchedDrawOffice *
sched_draw_input_add_office (SchedDrawInput *input, const char *code, const char *const *streets)
{
  SchedDrawOffice *o = g_new0 (SchedDrawOffice, 1);
  o->code = g_strdup (code);
  o->streets = strv_copy (streets);
  g_ptr_array_add (input->offices, o);
  return o;
}

SchedDrawLab *
sched_draw_input_add_lab (SchedDrawInput *input, const char *code, const char *const *categories,
                          guint capacity, guint used)
{
  SchedDrawLab *l = g_new0 (SchedDrawLab, 1);
  l->code = g_strdup (code);
  l->categories = strv_copy (categories);
  l->capacity = capacity;
  l->used = used;
  g_ptr_array_add (input->labs, l);
  return l;
}

void
sched_draw_input_set_emergency (SchedDrawInput *input, const char *category, guint count,
                                guint first_serial, const char *street,
                                const char *const *businesses)
{
  emergency_free (input->emergency);
  SchedDrawEmergency *e = g_new0 (SchedDrawEmergency, 1);
  e->category = g_strdup (category);
  e->count = count;
  e->first_serial = first_serial;
  e->street = street != NULL && *street != '\0' ? g_strdup (street) : NULL;
  e->businesses = strv_copy (businesses);
  input->emergency = e;
}

void
sched_draw_input_add_catalog_offices (SchedDrawInput *input, const CoreCatalog *catalog)
{
  for (guint i = 0; i < catalog->offices->len; i++)
    {
      const CoreOffice *o = g_ptr_array_index (catalog->offices, i);
      sched_draw_input_add_office (input, o->code, (const char *const *)o->streets);
    }
}

/* Keeps the configuration's own message, which names the file and the key. */
static gboolean
config_failed (GError **error, const GError *cause)
{
  g_set_error (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_CONFIG, "%s", cause->message);
  return FALSE;
}

gboolean
sched_draw_input_set_rules (SchedDrawInput *input, const CoreConfig *config, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *prefix = core_config_get_string (config, "draw", "record_prefix", &local);
  if (prefix == NULL)
    return config_failed (error, local);
  if (strlen (prefix) != 2 || !g_ascii_isupper (prefix[0]) || !g_ascii_isupper (prefix[1]))
    {
      core_config_set_invalid (config, &local, "draw", "record_prefix",
                               _ ("'%s' is not two capital letters (e.g. DC)"), prefix);
      return config_failed (error, local);
    }
  g_autofree char *due = core_config_get_string (config, "draw", "due", &local);
  if (due == NULL)
    return config_failed (error, local);
  if (strcmp (due, "end-of-month") == 0)
    input->due_kind = SCHED_DUE_END_OF_MONTH;
  else if (strcmp (due, "working-days") == 0)
    {
      gint64 n = 0;
      if (!core_config_get_int (config, "draw", "due_working_days", 0, 366, &n, &local))
        return config_failed (error, local);
      input->due_kind = SCHED_DUE_WORKING_DAYS;
      input->due_working_days = (guint)n;
    }
  else
    {
      core_config_set_invalid (config, &local, "draw", "due",
                               _ ("'%s' is neither end-of-month nor working-days"), due);
      return config_failed (error, local);
    }
  memcpy (input->record_prefix, prefix, 3);
  return TRUE;
}

/* Identifiers go into tab-separated text joined by ';', so those characters
 * (and any control character) would make the canonical form ambiguous. */
static gboolean
plain_text (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s; s++)
    if ((guchar)*s < 0x20 || *s == ';' || *s == 0x7f)
      return FALSE;
  return TRUE;
}

static gboolean
plain_list (char **v)
{
  for (; *v; v++)
    if (!plain_text (*v))
      return FALSE;
  return TRUE;
}

static int
compare_str (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* Sorts @v and removes repeated entries: a list is a set. */
static void
sort_unique (char **v)
{
  guint n = g_strv_length (v), out = 0;
  qsort (v, n, sizeof (char *), compare_str);
  for (guint i = 0; i < n; i++)
    {
      if (out > 0 && strcmp (v[out - 1], v[i]) == 0)
        g_free (v[i]);
      else
        v[out++] = v[i];
    }
  v[out] = NULL;
}

static int
compare_cell (gconstpointer a, gconstpointer b)
{
  const SchedDrawCell *x = *(SchedDrawCell *const *)a, *y = *(SchedDrawCell *const *)b;
  int c = strcmp (x->category, y->category);
  return c != 0 ? c : (int)x->grade - (int)y->grade;
}

/* Every row type starts with its key string, so one comparison serves all. */
static int
compare_key (gconstpointer a, gconstpointer b)
{
  return strcmp (**(char **const *)a, **(char **const *)b);
}

static gboolean
valid_grade (char g)
{
  return g >= 'A' && g <= 'D';
}

static gboolean
all_digits (const char *s, gsize len)
{
  if (s == NULL || strlen (s) != len)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static gboolean invalid (GError **error, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, SCHED_DRAW_ERROR, SCHED_DRAW_ERROR_INVALID, msg);
  return FALSE;
}

/* After sorting by key, a repeated key sits next to its twin. */
static const char *
first_duplicate (GPtrArray *rows)
{
  for (guint i = 1; i < rows->len; i++)
    {
      const char *a = *(char **)g_ptr_array_index (rows, i - 1);
      const char *b = *(char **)g_ptr_array_index (rows, i);
      if (strcmp (a, b) == 0)
        return b;
    }
  return NULL;
}

static gboolean
check_header (const SchedDrawInput *in, GError **error)
{
  if (in->year < 2000 || in->year > 2099 || in->month < 1 || in->month > 12)
    return invalid (error, "draw month %u-%02u is outside 2000-01..2099-12", in->year, in->month);
  if (!all_digits (in->district, 6))
    return invalid (error, "district code '%s' is not six digits (GB/T 2260, e.g. 120104)",
                    in->district ? in->district : "");
  if (!g_ascii_isupper (in->record_prefix[0]) || !g_ascii_isupper (in->record_prefix[1])
      || in->record_prefix[2] != '\0')
    return invalid (error, "record prefix is not two capital letters (e.g. DC)");
  const SchedDrawEmergency *e = in->emergency;
  if (e != NULL)
    {
      if (in->cells->len > 0)
        return invalid (error, "an emergency draw has no plan cells");
      if (!plain_text (e->category) || (e->street != NULL && !plain_text (e->street))
          || !plain_list (e->businesses))
        return invalid (error, "the emergency row needs a category code, plain street and "
                               "business ids");
      guint named = g_strv_length (e->businesses);
      if (e->count == 0 || (named > 0 && named != e->count))
        return invalid (error, "an emergency draw of %u tasks names %u businesses", e->count,
                        named);
      if (e->first_serial < SCHED_EMERGENCY_FIRST_SERIAL
          || (guint64)e->first_serial + e->count - 1 > MAX_SERIAL)
        return invalid (error, "emergency serials %u..%u are outside %u..%u", e->first_serial,
                        e->first_serial + e->count - 1, SCHED_EMERGENCY_FIRST_SERIAL, MAX_SERIAL);
      sort_unique (e->businesses);
      if (g_strv_length (e->businesses) != named)
        return invalid (error, "the emergency draw names a business twice");
    }
  guint64 total = 0;
  for (guint i = 0; i < in->cells->len; i++)
    total += ((SchedDrawCell *)g_ptr_array_index (in->cells, i))->quota;
  if (total > MAX_TASKS_PER_MONTH)
    return invalid (error,
                    "the month's quotas add up to %" G_GUINT64_FORMAT
                    ", more than the %u a 7-digit record serial allows",
                    total, MAX_TASKS_PER_MONTH);
  return TRUE;
}

static gboolean
check_rows (SchedDrawInput *in, GError **error)
{
  for (guint i = 0; i < in->cells->len; i++)
    {
      SchedDrawCell *c = g_ptr_array_index (in->cells, i);
      if (!plain_text (c->category) || !valid_grade (c->grade))
        return invalid (error,
                        "plan cell %u: category '%s' grade '%c': need a category code "
                        "and a grade A-D",
                        i + 1, c->category ? c->category : "",
                        g_ascii_isprint (c->grade) ? c->grade : '?');
    }
  for (guint i = 0; i < in->businesses->len; i++)
    {
      SchedDrawBusiness *b = g_ptr_array_index (in->businesses, i);
      if (!plain_text (b->id) || !plain_text (b->street) || !valid_grade (b->grade)
          || !plain_list (b->categories))
        return invalid (error,
                        "business '%s': needs an id, a street, a grade A-D and category "
                        "codes without tabs or ';'",
                        b->id ? b->id : "");
      sort_unique (b->categories);
    }
  for (guint i = 0; i < in->inspectors->len; i++)
    {
      SchedDrawInspector *s = g_ptr_array_index (in->inspectors, i);
      if (!plain_text (s->id) || !plain_text (s->office) || !plain_list (s->conflicts))
        return invalid (error, "inspector '%s': needs an id, an office and plain conflict ids",
                        s->id ? s->id : "");
      sort_unique (s->conflicts);
    }
  for (guint i = 0; i < in->offices->len; i++)
    {
      SchedDrawOffice *o = g_ptr_array_index (in->offices, i);
      if (!plain_text (o->code) || !plain_list (o->streets))
        return invalid (error, "office '%s': needs a code and plain street codes",
                        o->code ? o->code : "");
      sort_unique (o->streets);
    }
  for (guint i = 0; i < in->labs->len; i++)
    {
      SchedDrawLab *l = g_ptr_array_index (in->labs, i);
      if (!plain_text (l->code) || !plain_list (l->categories))
        return invalid (error, "lab '%s': needs a code and plain category codes",
                        l->code ? l->code : "");
      sort_unique (l->categories);
    }
  return TRUE;
}

static gboolean
check_duplicates (SchedDrawInput *in, GError **error)
{
  for (guint i = 1; i < in->cells->len; i++)
    {
      SchedDrawCell *a = g_ptr_array_index (in->cells, i - 1),
                    *b = g_ptr_array_index (in->cells, i);
      if (compare_cell (&a, &b) == 0)
        return invalid (error, "the plan has two cells for category %s grade %c: merge them",
                        b->category, b->grade);
    }
  struct
  {
    GPtrArray *rows;
    const char *what;
  } sets[] = { { in->businesses, "business" },
               { in->inspectors, "inspector" },
               { in->offices, "office" },
               { in->labs, "lab" } };
  for (gsize i = 0; i < G_N_ELEMENTS (sets); i++)
    {
      const char *dup = first_duplicate (sets[i].rows);
      if (dup != NULL)
        return invalid (error, "%s '%s' appears twice in the input: ids must be unique",
                        sets[i].what, dup);
    }
  return TRUE;
}

/* Each street belongs to at most one office and each inspector to a known one. */
static gboolean
check_offices (SchedDrawInput *in, GError **error)
{
  g_autoptr (GHashTable) street_office = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < in->offices->len; i++)
    {
      SchedDrawOffice *o = g_ptr_array_index (in->offices, i);
      for (char **s = o->streets; *s; s++)
        {
          const char *other = g_hash_table_lookup (street_office, *s);
          if (other != NULL)
            return invalid (error,
                            "street %s is covered by both office %s and office %s: "
                            "correct the district configuration",
                            *s, other, o->code);
          g_hash_table_insert (street_office, *s, o->code);
        }
    }
  for (guint i = 0; i < in->inspectors->len; i++)
    {
      SchedDrawInspector *s = g_ptr_array_index (in->inspectors, i);
      SchedDrawOffice key = { .code = s->office };
      SchedDrawOffice *keyp = &key;
      if (bsearch (&keyp, in->offices->pdata, in->offices->len, sizeof (gpointer),
                   (int (*) (const void *, const void *))compare_key)
          == NULL)
        return invalid (error, "inspector %s belongs to office %s, which is not in the district",
                        s->id, s->office);
    }
  return TRUE;
}

gboolean
sched_draw_input_canonicalize (SchedDrawInput *input, GError **error)
{
  if (!check_header (input, error) || !check_rows (input, error))
    return FALSE;
  g_ptr_array_sort (input->cells, compare_cell);
  g_ptr_array_sort (input->businesses, compare_key);
  g_ptr_array_sort (input->inspectors, compare_key);
  g_ptr_array_sort (input->offices, compare_key);
  g_ptr_array_sort (input->labs, compare_key);
  return check_duplicates (input, error) && check_offices (input, error);
}

static void
append_list (GString *out, char **v)
{
  for (char **p = v; *p; p++)
    {
      if (p != v)
        g_string_append_c (out, ';');
      g_string_append (out, *p);
    }
}

char *
sched_draw_input_serialize (SchedDrawInput *in, GError **error)
{
  if (!sched_draw_input_canonicalize (in, error))
    return NULL;
  GString *out = g_string_sized_new (64 + 80 * in->businesses->len);
  g_string_append_printf (out,
                          "%s\nmonth\t%04u-%02u\ndistrict\t%s\n"
                          "record-prefix\t%s\n",
                          in->emergency ? SCHED_EMERGENCY_INPUT_FORMAT : SCHED_DRAW_INPUT_FORMAT,
                          in->year, in->month, in->district, in->record_prefix);
  if (in->due_kind == SCHED_DUE_END_OF_MONTH)
    g_string_append (out, "due\tend-of-month\n");
  else
    {
      g_autofree char *d
          = g_date_valid (&in->draw_date) ? core_date_format (&in->draw_date) : g_strdup ("none");
      g_string_append_printf (out, "due\tworking-days\t%u\tdraw-date\t%s\n", in->due_working_days,
                              d);
    }
  if (in->emergency != NULL)
    {
      const SchedDrawEmergency *e = in->emergency;
      g_string_append_printf (out, "emergency\t%s\t%u\t%u\t%s\t", e->category, e->count,
                              e->first_serial, e->street ? e->street : "");
      append_list (out, e->businesses);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < in->cells->len; i++)
    {
      SchedDrawCell *c = g_ptr_array_index (in->cells, i);
      g_string_append_printf (out, "cell\t%s\t%c\t%u\n", c->category, c->grade, c->quota);
    }
  for (guint i = 0; i < in->offices->len; i++)
    {
      SchedDrawOffice *o = g_ptr_array_index (in->offices, i);
      g_string_append_printf (out, "office\t%s\t", o->code);
      append_list (out, o->streets);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < in->businesses->len; i++)
    {
      SchedDrawBusiness *b = g_ptr_array_index (in->businesses, i);
      g_string_append_printf (out, "business\t%s\t%s\t%c\t%d\t%" G_GUINT64_FORMAT "\t", b->id,
                              b->street, b->grade, b->active ? 1 : 0, b->last_drawn);
      append_list (out, b->categories);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < in->inspectors->len; i++)
    {
      SchedDrawInspector *s = g_ptr_array_index (in->inspectors, i);
      g_string_append_printf (out, "inspector\t%s\t%s\t%d\t", s->id, s->office, s->active ? 1 : 0);
      append_list (out, s->conflicts);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < in->labs->len; i++)
    {
      SchedDrawLab *l = g_ptr_array_index (in->labs, i);
      g_string_append_printf (out, "lab\t%s\t%u\t%u\t", l->code, l->capacity, l->used);
      append_list (out, l->categories);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

char *
sched_draw_input_digest (SchedDrawInput *input, GError **error)
{
  g_autofree char *text = sched_draw_input_serialize (input, error);
  if (text == NULL)
    return NULL;
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}
