/* cases-workflow.c: the one check every case step goes through, the due dates a
 * step sets, and the reproducible re-inspection lab draw. */
#include "cases/cases-workflow.h"

#include <math.h>
#include <string.h>
#include "core/core-i18n.h"

CasesHistory *
cases_history_new (void)
{
  CasesHistory *h = g_new0 (CasesHistory, 1);
  h->steps = g_ptr_array_new_with_free_func (g_free);
  h->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_date_clear (&h->report_on, 1);
  return h;
}

void
cases_history_add (CasesHistory *history, const char *step, GHashTable *fields)
{
  g_ptr_array_add (history->steps, g_strdup (step));
  if (fields == NULL)
    return;
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, fields);
  while (g_hash_table_iter_next (&it, &k, &v))
    g_hash_table_insert (history->fields, g_strdup (k), g_strdup (v));
}

void
cases_history_free (CasesHistory *history)
{
  if (history == NULL)
    return;
  g_ptr_array_unref (history->steps);
  g_hash_table_unref (history->fields);
  g_strfreev (history->failed_items);
  g_free (history->first_lab);
  g_free (history);
}

static gboolean
in_list (char *const *list, const char *name)
{
  return list != NULL && name != NULL && g_strv_contains ((const char *const *)list, name);
}

static gboolean
history_has_step (const CasesHistory *h, const char *step)
{
  for (guint i = 0; h != NULL && i < h->steps->len; i++)
    if (strcmp (g_ptr_array_index (h->steps, i), step) == 0)
      return TRUE;
  return FALSE;
}

/* A recorded value, or NULL when absent or blank. */
static const char *
value_of (GHashTable *fields, const char *name)
{
  const char *v = fields && name ? g_hash_table_lookup (fields, name) : NULL;
  if (v == NULL)
    return NULL;
  while (g_ascii_isspace (*v))
    v++;
  return *v ? v : NULL;
}

static const char *
history_value (const CasesHistory *h, const char *name)
{
  return h ? value_of (h->fields, name) : NULL;
}

/* Splits a list written with ; 、 , (or their full-width forms), dropping blanks. */
static char **
split_items (const char *text)
{
  g_autoptr (GString) s = g_string_new (text);
  g_string_replace (s, "；", ";", 0);
  g_string_replace (s, "、", ";", 0);
  g_string_replace (s, "，", ";", 0);
  g_string_replace (s, ",", ";", 0);
  g_auto (GStrv) parts = g_strsplit (s->str, ";", -1);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  for (char **p = parts; *p; p++)
    if (*g_strstrip (*p) != '\0')
      g_strv_builder_add (b, *p);
  return g_strv_builder_end (b);
}

static gboolean
parse_bool (const char *v, gboolean *out)
{
  if (strcmp (v, "true") == 0 || strcmp (v, "是") == 0)
    *out = TRUE;
  else if (strcmp (v, "false") == 0 || strcmp (v, "否") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

/* Why @v is not a well-formed value of @f, or NULL when it is. */
static char *
field_problem (const CasesField *f, const char *v)
{
  GDate date;
  gboolean b;
  double x = 0;
  char *end = NULL;
  switch (f->type)
    {
    case CASES_FIELD_TEXT:
      return NULL;
    case CASES_FIELD_DATE:
      return core_date_parse (v, &date)
                 ? NULL
                 : g_strdup_printf (_ ("\"%s\" is not a date (YYYY-MM-DD)"), v);
    case CASES_FIELD_BOOL:
      return parse_bool (v, &b) ? NULL : g_strdup_printf (_ ("\"%s\" is not true or false"), v);
    case CASES_FIELD_ENUM:
      {
        g_auto (GStrv) parts = f->multiple ? split_items (v) : NULL;
        char *one[] = { (char *)v, NULL };
        for (char **p = parts ? parts : one; *p; p++)
          if (!in_list (f->values, *p))
            {
              g_autofree char *allowed = g_strjoinv (", ", f->values);
              return g_strdup_printf (_ ("\"%s\" is not one of %s"), *p, allowed);
            }
        return NULL;
      }
    case CASES_FIELD_INT:
    case CASES_FIELD_NUMBER:
      x = g_ascii_strtod (v, &end);
      if (*end != '\0' || !isfinite (x) || (f->type == CASES_FIELD_INT && x != floor (x)))
        return g_strdup_printf (_ ("\"%s\" is not %s"), v,
                                f->type == CASES_FIELD_INT ? _ ("an integer") : _ ("a number"));
      if (f->has_min && x < f->min)
        return g_strdup_printf (_ ("%s is below the minimum %g"), v, f->min);
      if (f->has_max && x > f->max)
        return g_strdup_printf (_ ("%s is above the maximum %g"), v, f->max);
      return NULL;
    }
  return NULL;
}

static void
append_named (GString *s, const char *sep, const CasesWorkflow *wf, const char *field)
{
  const CasesField *f = cases_workflow_field (wf, field);
  g_string_append_printf (s, "%s%s (%s)", s->len ? sep : "", field, f ? f->zh : "?");
}

/* Every required field given and well formed, nothing else given: one error
 * naming each problem. */
static gboolean
check_fields (const CasesWorkflow *wf, const CasesStep *s, GHashTable *fields, GError **error)
{
  g_autoptr (GString) missing = g_string_new (NULL);
  g_autoptr (GString) malformed = g_string_new (NULL);
  g_autoptr (GString) unknown = g_string_new (NULL);
  for (char **r = s->requires; *r; r++)
    if (value_of (fields, *r) == NULL)
      append_named (missing, ", ", wf, *r);
  g_autoptr (GList) keys = fields ? g_hash_table_get_keys (fields) : NULL;
  keys = g_list_sort (keys, (GCompareFunc)strcmp);
  for (GList *k = keys; k; k = k->next)
    {
      const char *name = k->data;
      const char *v = value_of (fields, name);
      if (!in_list (s->requires, name) && !in_list (s->optional, name))
        {
          g_string_append_printf (unknown, "%s%s", unknown->len ? ", " : "", name);
          continue;
        }
      g_autofree char *why = v ? field_problem (cases_workflow_field (wf, name), v) : NULL;
      if (why != NULL)
        {
          append_named (malformed, "; ", wf, name);
          g_string_append_printf (malformed, ": %s", why);
        }
    }
  if (missing->len == 0 && malformed->len == 0 && unknown->len == 0)
    return TRUE;
  g_autoptr (GString) msg = g_string_new (NULL);
  g_string_printf (msg, "step %s (%s):", s->name, s->zh);
  if (missing->len)
    g_string_append_printf (msg, " missing %s;", missing->str);
  if (malformed->len)
    g_string_append_printf (msg, " %s;", malformed->str);
  if (unknown->len)
    g_string_append_printf (msg, " not fields of this step: %s;", unknown->str);
  g_string_truncate (msg, msg->len - 1);
  g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_FIELDS, "%s", msg->str);
  return FALSE;
}

/* The steps @s needs before it (after, and required-if), each missing one and
 * each missing field of a step taken, named in one error. */
static gboolean
check_after (const CasesWorkflow *wf, const CasesStep *s, const CasesHistory *h, GError **error)
{
  if (s->after[0] == NULL)
    return TRUE;
  g_autoptr (GString) steps = g_string_new (NULL);
  g_autoptr (GString) fields = g_string_new (NULL);
  for (char **a = s->after; *a; a++)
    {
      g_auto (GStrv) alternatives = g_strsplit (*a, "|", -1);
      const CasesStep *taken = NULL;
      for (char **alt = alternatives; *alt && taken == NULL; alt++)
        if (history_has_step (h, *alt))
          taken = cases_workflow_step (wf, *alt);
      if (taken == NULL)
        {
          for (char **alt = alternatives; *alt; alt++)
            {
              const CasesStep *t = cases_workflow_step (wf, *alt);
              g_string_append_printf (steps, "%s%s (%s)",
                                      alt == alternatives ? (steps->len ? ", " : "") : " or ",
                                      t->name, t->zh);
            }
          continue;
        }
      for (char **r = taken->requires; *r; r++)
        if (history_value (h, *r) == NULL)
          {
            append_named (fields, ", ", wf, *r);
            g_string_append_printf (fields, " of step %s", taken->name);
          }
    }
  for (guint i = 0; i < wf->steps->len; i++)
    {
      const CasesStep *t = g_ptr_array_index (wf->steps, i);
      const char *flag = t->required_if ? history_value (h, t->required_if) : NULL;
      gboolean on = FALSE;
      if (flag && parse_bool (flag, &on) && on && !history_has_step (h, t->name))
        g_string_append_printf (steps, "%s%s (%s) because %s is true", steps->len ? ", " : "",
                                t->name, t->zh, t->required_if);
    }
  if (steps->len == 0 && fields->len == 0)
    return TRUE;
  g_autoptr (GString) msg = g_string_new (NULL);
  g_string_printf (msg, "step %s (%s) needs what the case lacks:", s->name, s->zh);
  if (steps->len)
    g_string_append_printf (msg, " missing steps %s%s", steps->str, fields->len ? ";" : "");
  if (fields->len)
    g_string_append_printf (msg, " missing fields %s", fields->str);
  g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_INCOMPLETE, "%s", msg->str);
  return FALSE;
}

static gboolean
starts_with_any (const char *item, char *const *prefixes)
{
  for (char *const *p = prefixes; p && *p; p++)
    if (g_str_has_prefix (item, *p))
      return TRUE;
  return FALSE;
}

/* The due date of deadline @name counted from @start into @due. */
static gboolean
due_from (const CasesWorkflow *wf, const char *name, const GDate *start, GDate *due, GError **error)
{
  const CasesDeadline *d = cases_deadlines_find (wf->deadlines, name);
  g_autoptr (GError) local = NULL;
  if (cases_deadline_due (d, wf->calendar, start, due, &local))
    return TRUE;
  g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_DATE, "%s", local->message);
  return FALSE;
}

/* Late applications (the window counted through the calendar). */
static gboolean
check_window (const CasesWorkflow *wf, const CasesHistory *h, GPtrArray *reasons, GError **error)
{
  const CasesReinspectionRules *r = &wf->reinspection;
  const char *delivered_text = history_value (h, r->delivered_field);
  const char *applied_text = history_value (h, r->applied_field);
  GDate delivered, applied, closes;
  if (delivered_text == NULL || applied_text == NULL
      || !core_date_parse (delivered_text, &delivered) || !core_date_parse (applied_text, &applied))
    {
      g_ptr_array_add (reasons, g_strdup_printf (_ ("the case records no valid %s and %s"),
                                                 r->delivered_field, r->applied_field));
      return TRUE;
    }
  if (!due_from (wf, r->window, &delivered, &closes, error))
    return FALSE;
  if (g_date_compare (&applied, &closes) > 0)
    {
      g_autofree char *c = core_date_format (&closes);
      g_ptr_array_add (reasons,
                       g_strdup_printf (_ ("applied on %s, after the window (%s) closed on %s"),
                                        applied_text, r->window, c));
    }
  return TRUE;
}

/* Microbiological items and the backup sample, for kinds that re-test. */
static gboolean
check_retest (const CasesWorkflow *wf, const CasesStep *s, GHashTable *fields,
              const CasesHistory *h, GPtrArray *reasons, GError **error)
{
  const CasesReinspectionRules *r = &wf->reinspection;
  if (!in_list (r->retest_kinds, history_value (h, r->kind_field)))
    return TRUE;
  const char *items_text = history_value (h, r->items_field);
  g_auto (GStrv) items = items_text ? split_items (items_text) : NULL;
  char *const *list = items ? items : (h ? h->failed_items : NULL);
  g_autoptr (GString) micro = g_string_new (NULL);
  for (char *const *i = list; i && *i; i++)
    if (starts_with_any (*i, r->microbiological))
      g_string_append_printf (micro, "%s%s", micro->len ? ", " : "", *i);
  if (micro->len)
    g_ptr_array_add (
        reasons, g_strdup_printf (_ ("microbiological items are not re-tested: %s"), micro->str));
  /* the expiry the application records, else the report's date plus the backup deadline */
  GDate expires, on;
  const char *backup_text = history_value (h, r->backup_field);
  gboolean known = backup_text != NULL && core_date_parse (backup_text, &expires);
  if (!known && h != NULL && g_date_valid (&h->report_on))
    {
      if (!due_from (wf, r->backup_deadline, &h->report_on, &expires, error))
        return FALSE;
      known = TRUE;
    }
  if (!known)
    {
      g_ptr_array_add (reasons, g_strdup_printf (_ ("the backup sample's expiry is unknown: record "
                                                    "%s with the application"),
                                                 r->backup_field));
      return TRUE;
    }
  const char *on_text = s->date_field ? value_of (fields, s->date_field) : NULL;
  if (on_text != NULL && core_date_parse (on_text, &on) && g_date_compare (&on, &expires) > 0)
    {
      g_autofree char *e = core_date_format (&expires);
      g_ptr_array_add (reasons, g_strdup_printf (_ ("the backup sample expired on %s"), e));
    }
  return TRUE;
}

/* The [reinspection] rules: every reason to refuse named in one error. */
static gboolean
check_reinspection (const CasesWorkflow *wf, const CasesStep *s, GHashTable *fields,
                    const CasesHistory *h, GError **error)
{
  const CasesReinspectionRules *r = &wf->reinspection;
  const char *lab = value_of (fields, r->lab_field);
  if (lab != NULL && h != NULL && h->first_lab != NULL && strcmp (lab, h->first_lab) == 0)
    {
      g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_FIELDS,
                   _ ("step %s (%s): %s: %s made the first report; the re-inspection lab is drawn "
                      "among the others"),
                   s->name, s->zh, r->lab_field, lab);
      return FALSE;
    }
  g_autoptr (GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  if (history_has_step (h, s->name))
    g_ptr_array_add (reasons, g_strdup ("the sample was already re-inspected; the re-inspection "
                                        "conclusion is final"));
  if (!history_has_step (h, r->application_step))
    g_ptr_array_add (reasons, g_strdup_printf (_ ("no application was recorded (step %s)"),
                                               r->application_step));
  else if (!check_window (wf, h, reasons, error)
           || !check_retest (wf, s, fields, h, reasons, error))
    return FALSE;
  if (reasons->len == 0)
    return TRUE;
  g_ptr_array_add (reasons, NULL);
  g_autofree char *all = g_strjoinv ("; ", (char **)reasons->pdata);
  g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_REINSPECTION,
               _ ("step %s (%s) is refused by rule: %s"), s->name, s->zh, all);
  return FALSE;
}

static char *
join_steps (GPtrArray *steps)
{
  g_autoptr (GString) s = g_string_new (NULL);
  for (guint i = 0; i < steps->len; i++)
    {
      const CasesStep *t = g_ptr_array_index (steps, i);
      g_string_append_printf (s, "%s%s (%s)", i ? ", " : "", t->name, t->zh);
    }
  return g_strdup (s->len ? s->str : "none");
}

gboolean
cases_workflow_check (const CasesWorkflow *wf, const char *from_state, const char *step,
                      const char *role, GHashTable *fields, const CasesHistory *history,
                      GError **error)
{
  const CasesStep *s = cases_workflow_step (wf, step);
  const CasesState *state = cases_workflow_state (wf, from_state);
  if (s == NULL)
    {
      g_autofree char *names = join_steps (wf->steps);
      g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_STEP,
                   _ ("no step \"%s\"; the steps are %s"), step, names);
      return FALSE;
    }
  if (state == NULL)
    {
      g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_STEP,
                   _ ("no case state \"%s\""), from_state);
      return FALSE;
    }
  if (!in_list (s->from, from_state))
    {
      g_autoptr (GPtrArray) possible = cases_workflow_steps_from (wf, from_state);
      g_autofree char *names = join_steps (possible);
      g_autofree char *from = g_strjoinv (", ", s->from);
      g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_STEP,
                   _ ("step %s (%s) is not taken from state %s (%s) but from %s; from %s the steps "
                      "are %s"),
                   s->name, s->zh, state->name, state->zh, from, state->name, names);
      return FALSE;
    }
  if (!in_list (s->roles, role))
    {
      g_autofree char *roles = g_strjoinv (" or ", s->roles);
      g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_ROLE,
                   _ ("step %s (%s) is taken by %s, not by %s"), s->name, s->zh, roles,
                   role ? role : "(no role)");
      return FALSE;
    }
  return check_fields (wf, s, fields, error) && check_after (wf, s, history, error)
         && (!s->reinspection || check_reinspection (wf, s, fields, history, error));
}

GArray *
cases_workflow_due (const CasesWorkflow *wf, const CasesStep *step, GHashTable *fields,
                    const GDate *today, GError **error)
{
  g_autoptr (GArray) out = g_array_new (FALSE, TRUE, sizeof (CasesDue));
  GDate from = *today;
  const char *on = step->date_field ? value_of (fields, step->date_field) : NULL;
  if (on != NULL && !core_date_parse (on, &from))
    from = *today;
  for (char **n = step->starts; *n; n++)
    {
      CasesDue d = { .deadline = cases_deadlines_find (wf->deadlines, *n), .from = from };
      if (!due_from (wf, *n, &from, &d.due, error))
        return NULL;
      g_array_append_val (out, d);
    }
  const char *until = step->until_field ? value_of (fields, step->until_field) : NULL;
  if (step->extends != NULL && until != NULL)
    {
      CasesDue d = { .deadline = cases_deadlines_find (wf->deadlines, step->extends),
                     .from = from,
                     .extended = TRUE };
      if (core_date_parse (until, &d.due))
        g_array_append_val (out, d);
    }
  return g_steal_pointer (&out);
}

static int
compare_labs (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

char *
cases_reinspection_draw_lab (const char *seed, const char *case_no, const char *const *labs,
                             const char *first_lab, GError **error)
{
  g_autoptr (GPtrArray) candidates = g_ptr_array_new ();
  for (const char *const *l = labs; l && *l; l++)
    {
      gboolean seen = FALSE;
      for (guint i = 0; i < candidates->len && !seen; i++)
        seen = strcmp (g_ptr_array_index (candidates, i), *l) == 0;
      if (!seen && (first_lab == NULL || strcmp (*l, first_lab) != 0))
        g_ptr_array_add (candidates, (gpointer)*l);
    }
  if (candidates->len == 0)
    {
      g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_LAB,
                   _ ("case %s: no accredited lab other than %s to draw for re-inspection"),
                   case_no, first_lab ? first_lab : _ ("the first lab"));
      return NULL;
    }
  g_ptr_array_sort (candidates, compare_labs);
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *head = g_strdup_printf ("spotcheck reinspection lab 1\n%s\n%s\n", seed, case_no);
  g_checksum_update (sum, (const guchar *)head, -1);
  for (guint i = 0; i < candidates->len; i++)
    {
      g_checksum_update (sum, g_ptr_array_index (candidates, i), -1);
      g_checksum_update (sum, (const guchar *)"\n", 1);
    }
  guint8 digest[32];
  gsize len = sizeof digest;
  g_checksum_get_digest (sum, digest, &len);
  guint64 v = 0;
  for (int i = 0; i < 8; i++)
    v = (v << 8) | digest[i];
  return g_strdup (g_ptr_array_index (candidates, v % candidates->len));
}
