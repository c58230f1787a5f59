/* cases-workflow-load.c: config/case-workflow.conf into a CasesWorkflow, and
 * the checks that make it a consistent table (every name defined, every state
 * and step reachable, nothing leaving a terminal state). */
#include "cases/cases-workflow.h"

#include <math.h>
#include <string.h>
#include "core/core-i18n.h"

G_DEFINE_QUARK (spotcheck - cases - workflow - error - quark, cases_workflow_error)

static const char *const type_names[] = { "date", "text", "enum", "int", "number", "bool" };

static const char *const workflow_keys[] = { "states", "initial", "roles", NULL };
static const char *const state_keys[] = { "zh", "en", "terminal", NULL };
static const char *const step_keys[]
    = { "zh",       "en",          "role",         "from",    "to",      "requires",
        "optional", "date",        "starts",       "meets",   "extends", "until",
        "after",    "required-if", "reinspection", "reopens", NULL };
static const char *const field_keys[]
    = { "zh", "en", "type", "values", "multiple", "min", "max", NULL };
static const char *const reinspection_keys[]
    = { "application-step", "applied-field",         "kind-field",
        "items-field",      "backup-field",          "delivered-field",
        "window",           "backup-deadline",       "lab-field",
        "retest-kinds",     "microbiological-items", NULL };

static void
state_free (gpointer data)
{
  CasesState *s = data;
  g_free (s->name);
  g_free (s->zh);
  g_free (s->en);
  g_free (s);
}

static void
step_free (gpointer data)
{
  CasesStep *s = data;
  g_free (s->name);
  g_free (s->zh);
  g_free (s->en);
  g_strfreev (s->roles);
  g_strfreev (s->from);
  g_free (s->to);
  g_strfreev (s->requires);
  g_strfreev (s->optional);
  g_free (s->date_field);
  g_strfreev (s->starts);
  g_strfreev (s->meets);
  g_free (s->extends);
  g_free (s->until_field);
  g_strfreev (s->after);
  g_free (s->required_if);
  g_free (s);
}

static void
field_free (gpointer data)
{
  CasesField *f = data;
  g_free (f->name);
  g_free (f->zh);
  g_free (f->en);
  g_strfreev (f->values);
  g_free (f);
}

void
cases_workflow_free (CasesWorkflow *wf)
{
  if (wf == NULL)
    return;
  g_clear_pointer (&wf->states, g_ptr_array_unref);
  g_clear_pointer (&wf->steps, g_ptr_array_unref);
  g_clear_pointer (&wf->fields, g_ptr_array_unref);
  g_free (wf->initial);
  g_strfreev (wf->roles);
  CasesReinspectionRules *r = &wf->reinspection;
  g_free (r->application_step);
  g_free (r->applied_field);
  g_free (r->kind_field);
  g_free (r->items_field);
  g_free (r->backup_field);
  g_free (r->delivered_field);
  g_free (r->lab_field);
  g_free (r->window);
  g_free (r->backup_deadline);
  g_strfreev (r->retest_kinds);
  g_strfreev (r->microbiological);
  cases_deadlines_free (wf->deadlines);
  core_calendar_free (wf->calendar);
  g_free (wf);
}

/* A config error naming the file, group and key, in the workflow's domain. */
static gboolean G_GNUC_PRINTF (5, 6)
    invalid (const CoreConfig *config, GError **error, const char *group, const char *key,
             const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *what = g_strdup_vprintf (fmt, args);
  va_end (args);
  const char *origin = core_config_origin (config, group, key);
  if (origin == NULL)
    {
      /* a missing key: name the file that holds the group */
      g_auto (GStrv) keys = core_config_keys (config, group);
      origin = keys && keys[0] ? core_config_origin (config, group, keys[0]) : NULL;
    }
  g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_CONFIG, "%s: [%s] %s: %s",
               origin ? origin : "configuration", group, key, what);
  return FALSE;
}

static gboolean
in_list (const char *const *list, const char *name)
{
  return list != NULL && name != NULL && g_strv_contains (list, name);
}

/* A list key (absent: empty), refusing an entry given twice. */
static gboolean
get_list (const CoreConfig *config, const char *group, const char *key, char ***out, GError **error)
{
  *out = NULL;
  if (!core_config_has_key (config, group, key))
    {
      *out = g_new0 (char *, 1);
      return TRUE;
    }
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) list = core_config_get_list (config, group, key, &local);
  if (list == NULL)
    return invalid (config, error, group, key, "%s", local->message);
  for (guint i = 0; list[i] != NULL; i++)
    for (guint j = 0; j < i; j++)
      if (strcmp (list[i], list[j]) == 0)
        return invalid (config, error, group, key, "\"%s\" is listed twice", list[i]);
  *out = g_steal_pointer (&list);
  return TRUE;
}

static gboolean
get_required (const CoreConfig *config, const char *group, const char *key, char **out,
              GError **error)
{
  *out = core_config_get_string_or (config, group, key, NULL);
  if (*out != NULL && **out != '\0')
    return TRUE;
  g_clear_pointer (out, g_free);
  return invalid (config, error, group, key, "missing; every %s has one", group);
}

static gboolean
get_bool (const CoreConfig *config, const char *group, const char *key, gboolean *out,
          GError **error)
{
  g_autofree char *v = core_config_get_string_or (config, group, key, "false");
  if (strcmp (v, "true") != 0 && strcmp (v, "false") != 0)
    return invalid (config, error, group, key, "\"%s\" is not true or false", v);
  *out = strcmp (v, "true") == 0;
  return TRUE;
}

/* Refuses keys the group kind does not have (a misspelt `requires` would
 * otherwise silently require nothing). */
static gboolean
known_keys (const CoreConfig *config, const char *group, const char *const *allowed, GError **error)
{
  g_auto (GStrv) keys = core_config_keys (config, group);
  for (char **k = keys; k && *k; k++)
    if (!in_list (allowed, *k))
      {
        g_autofree char *names = g_strjoinv (", ", (char **)allowed);
        return invalid (config, error, group, *k, "not a key of this group; the keys are %s",
                        names);
      }
  return TRUE;
}

static gboolean
read_states (const CoreConfig *config, CasesWorkflow *wf, GError **error)
{
  g_auto (GStrv) names = NULL;
  if (!known_keys (config, "workflow", workflow_keys, error)
      || !get_list (config, "workflow", "states", &names, error)
      || !get_required (config, "workflow", "initial", &wf->initial, error)
      || !get_list (config, "workflow", "roles", &wf->roles, error))
    return FALSE;
  if (names[0] == NULL)
    return invalid (config, error, "workflow", "states", "no states listed");
  if (wf->roles[0] == NULL)
    return invalid (config, error, "workflow", "roles", "no roles listed");
  for (char **n = names; *n; n++)
    {
      g_autofree char *group = g_strconcat ("state ", *n, NULL);
      if (!core_config_has_group (config, group))
        return invalid (config, error, "workflow", "states", "state \"%s\" has no [%s] group", *n,
                        group);
      CasesState *s = g_new0 (CasesState, 1);
      s->name = g_strdup (*n);
      g_ptr_array_add (wf->states, s);
      if (!known_keys (config, group, state_keys, error)
          || !get_required (config, group, "zh", &s->zh, error)
          || !get_bool (config, group, "terminal", &s->terminal, error))
        return FALSE;
      s->en = core_config_get_string_or (config, group, "en", NULL);
    }
  g_auto (GStrv) groups = core_config_groups (config, "state ");
  for (char **g = groups; g && *g; g++)
    if (!in_list ((const char *const *)names, *g + strlen ("state ")))
      return invalid (config, error, *g, "zh", "state %s is not listed in [workflow] states",
                      *g + strlen ("state "));
  if (cases_workflow_state (wf, wf->initial) == NULL)
    return invalid (config, error, "workflow", "initial", "\"%s\" is not a state", wf->initial);
  return TRUE;
}

static gboolean
read_number (const CoreConfig *config, const char *group, const char *key, gboolean *has,
             double *out, GError **error)
{
  g_autofree char *v = core_config_get_string_or (config, group, key, NULL);
  *has = v != NULL;
  if (v == NULL)
    return TRUE;
  char *end = NULL;
  *out = g_ascii_strtod (v, &end);
  if (*v == '\0' || *end != '\0' || !isfinite (*out))
    return invalid (config, error, group, key, "\"%s\" is not a number", v);
  return TRUE;
}

static gboolean
read_fields (const CoreConfig *config, CasesWorkflow *wf, GError **error)
{
  g_auto (GStrv) groups = core_config_groups (config, "field ");
  for (char **g = groups; g && *g; g++)
    {
      CasesField *f = g_new0 (CasesField, 1);
      f->name = g_strdup (*g + strlen ("field "));
      g_ptr_array_add (wf->fields, f);
      g_autofree char *type = NULL;
      if (!known_keys (config, *g, field_keys, error)
          || !get_required (config, *g, "zh", &f->zh, error)
          || !get_required (config, *g, "type", &type, error)
          || !get_bool (config, *g, "multiple", &f->multiple, error)
          || !read_number (config, *g, "min", &f->has_min, &f->min, error)
          || !read_number (config, *g, "max", &f->has_max, &f->max, error))
        return FALSE;
      f->en = core_config_get_string_or (config, *g, "en", NULL);
      gsize t = 0;
      while (t < G_N_ELEMENTS (type_names) && strcmp (type, type_names[t]) != 0)
        t++;
      if (t == G_N_ELEMENTS (type_names))
        return invalid (config, error, *g, "type",
                        "\"%s\" is not a type; write date, text, enum, int, number or bool", type);
      f->type = (CasesFieldType)t;
      if (f->type == CASES_FIELD_ENUM)
        {
          if (!get_list (config, *g, "values", &f->values, error))
            return FALSE;
          if (f->values[0] == NULL)
            return invalid (config, error, *g, "values", "an enum field lists its values");
        }
      else if (core_config_has_key (config, *g, "values"))
        return invalid (config, error, *g, "values", "only enum fields have values");
    }
  return TRUE;
}

/* A list of names each of which @defined accepts. */
static gboolean
check_names (const CoreConfig *config, const char *group, const char *key, char **names,
             gboolean (*defined) (const CasesWorkflow *, const char *), const CasesWorkflow *wf,
             const char *what, GError **error)
{
  for (char **n = names; n && *n; n++)
    if (!defined (wf, *n))
      return invalid (config, error, group, key, "\"%s\" is not a defined %s", *n, what);
  return TRUE;
}

static gboolean
is_state (const CasesWorkflow *wf, const char *n)
{
  return cases_workflow_state (wf, n) != NULL;
}

static gboolean
is_field (const CasesWorkflow *wf, const char *n)
{
  return cases_workflow_field (wf, n) != NULL;
}

static gboolean
is_deadline (const CasesWorkflow *wf, const char *n)
{
  return cases_deadlines_find (wf->deadlines, n) != NULL;
}

static gboolean
is_role (const CasesWorkflow *wf, const char *n)
{
  return in_list ((const char *const *)wf->roles, n);
}

static gboolean
is_step (const CasesWorkflow *wf, const char *n)
{
  return cases_workflow_step (wf, n) != NULL;
}

/* `from`, with * standing for every state that is not terminal. */
static gboolean
read_from (const CoreConfig *config, const char *group, CasesWorkflow *wf, CasesStep *s,
           GError **error)
{
  g_auto (GStrv) from = NULL;
  if (!get_list (config, group, "from", &from, error))
    return FALSE;
  if (from[0] == NULL)
    return invalid (config, error, group, "from", "missing; name the states it is taken from");
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  for (char **f = from; *f; f++)
    {
      if (strcmp (*f, "*") != 0)
        {
          if (!is_state (wf, *f))
            return invalid (config, error, group, "from", "\"%s\" is not a defined state", *f);
          g_strv_builder_add (b, *f);
          continue;
        }
      for (guint i = 0; i < wf->states->len; i++)
        {
          const CasesState *st = g_ptr_array_index (wf->states, i);
          if (!st->terminal && !in_list ((const char *const *)from, st->name)
              && (s->to == NULL || strcmp (st->name, s->to) != 0))
            g_strv_builder_add (b, st->name);
        }
    }
  s->from = g_strv_builder_end (b);
  return TRUE;
}

/* A key naming one field of the step that has @type. */
static gboolean
check_own_field (const CoreConfig *config, const char *group, const char *key,
                 const CasesWorkflow *wf, const CasesStep *s, const char *name, CasesFieldType type,
                 GError **error)
{
  if (name == NULL)
    return TRUE;
  const CasesField *f = cases_workflow_field (wf, name);
  if (f == NULL || !in_list ((const char *const *)s->requires, name))
    return invalid (config, error, group, key, "\"%s\" is not one of the step's required fields",
                    name);
  if (f->type != type)
    return invalid (config, error, group, key, "field %s is of type %s, not %s", name,
                    type_names[f->type], type_names[type]);
  return TRUE;
}

static gboolean
read_step (const CoreConfig *config, const char *group, CasesWorkflow *wf, CasesStep *s,
           GError **error)
{
  if (!known_keys (config, group, step_keys, error)
      || !get_required (config, group, "zh", &s->zh, error)
      || !get_list (config, group, "role", &s->roles, error)
      || !get_list (config, group, "requires", &s->requires, error)
      || !get_list (config, group, "optional", &s->optional, error)
      || !get_list (config, group, "starts", &s->starts, error)
      || !get_list (config, group, "meets", &s->meets, error)
      || !get_list (config, group, "after", &s->after, error)
      || !get_bool (config, group, "reinspection", &s->reinspection, error)
      || !get_bool (config, group, "reopens", &s->reopens, error))
    return FALSE;
  s->en = core_config_get_string_or (config, group, "en", NULL);
  s->to = core_config_get_string_or (config, group, "to", NULL);
  s->date_field = core_config_get_string_or (config, group, "date", NULL);
  s->extends = core_config_get_string_or (config, group, "extends", NULL);
  s->until_field = core_config_get_string_or (config, group, "until", NULL);
  s->required_if = core_config_get_string_or (config, group, "required-if", NULL);
  if (s->roles[0] == NULL)
    return invalid (config, error, group, "role", "missing; name the role that takes it");
  if (s->to != NULL && !is_state (wf, s->to))
    return invalid (config, error, group, "to", "\"%s\" is not a defined state", s->to);
  if (!read_from (config, group, wf, s, error)
      || !check_names (config, group, "role", s->roles, is_role, wf, "role in [workflow] roles",
                       error)
      || !check_names (config, group, "requires", s->requires, is_field, wf, "field", error)
      || !check_names (config, group, "optional", s->optional, is_field, wf, "field", error)
      || !check_names (config, group, "starts", s->starts, is_deadline, wf, "deadline", error)
      || !check_names (config, group, "meets", s->meets, is_deadline, wf, "deadline", error))
    return FALSE;
  for (char **o = s->optional; *o; o++)
    if (in_list ((const char *const *)s->requires, *o))
      return invalid (config, error, group, "optional", "\"%s\" is also required", *o);
  if (s->extends != NULL && !is_deadline (wf, s->extends))
    return invalid (config, error, group, "extends", "\"%s\" is not a defined deadline",
                    s->extends);
  if ((s->extends == NULL) != (s->until_field == NULL))
    return invalid (config, error, group, s->extends ? "until" : "extends",
                    "extends and until go together");
  if (s->from[0] == NULL)
    return invalid (config, error, group, "from", "no state to take it from");
  for (char **f = s->from; *f; f++)
    if (cases_workflow_state (wf, *f)->terminal && !s->reopens)
      return invalid (config, error, group, "from",
                      "state %s is terminal: no step leaves it unless it sets reopens=true", *f);
  return check_own_field (config, group, "date", wf, s, s->date_field, CASES_FIELD_DATE, error)
         && check_own_field (config, group, "until", wf, s, s->until_field, CASES_FIELD_DATE,
                             error);
}

static gboolean
read_steps (const CoreConfig *config, CasesWorkflow *wf, GError **error)
{
  g_auto (GStrv) groups = core_config_groups (config, "step ");
  for (char **g = groups; g && *g; g++)
    {
      CasesStep *s = g_new0 (CasesStep, 1);
      s->name = g_strdup (*g + strlen ("step "));
      g_ptr_array_add (wf->steps, s);
      if (!read_step (config, *g, wf, s, error))
        return FALSE;
    }
  /* after and required-if name steps and fields that may come later in the file */
  for (guint i = 0; i < wf->steps->len; i++)
    {
      const CasesStep *s = g_ptr_array_index (wf->steps, i);
      g_autofree char *group = g_strconcat ("step ", s->name, NULL);
      for (char **a = s->after; *a; a++)
        {
          g_auto (GStrv) alternatives = g_strsplit (*a, "|", -1);
          if (!check_names (config, group, "after", alternatives, is_step, wf, "step", error))
            return FALSE;
        }
      const CasesField *f = s->required_if ? cases_workflow_field (wf, s->required_if) : NULL;
      if (s->required_if != NULL && (f == NULL || f->type != CASES_FIELD_BOOL))
        return invalid (config, error, group, "required-if", "\"%s\" is not a bool field",
                        s->required_if);
    }
  return TRUE;
}

/* CasesState, CasesStep and CasesField all start with these two members. */
typedef struct
{
  char *name;
  char *zh;
} Labelled;

/* Two states, steps or fields with the same Chinese label read the same to a user. */
static gboolean
unique_labels (const CoreConfig *config, GPtrArray *items, const char *prefix, GError **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < items->len; i++)
    {
      const Labelled *item = g_ptr_array_index (items, i);
      const char *other = g_hash_table_lookup (seen, item->zh);
      if (other != NULL)
        {
          g_autofree char *group = g_strconcat (prefix, item->name, NULL);
          return invalid (config, error, group, "zh", "\"%s\" is also the label of %s%s", item->zh,
                          prefix, other);
        }
      g_hash_table_insert (seen, item->zh, item->name);
    }
  return TRUE;
}

/* Every state and every step can be reached from the initial state. */
static gboolean
check_reachable (const CoreConfig *config, const CasesWorkflow *wf, GError **error)
{
  g_autoptr (GHashTable) reached = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_add (reached, wf->initial);
  for (gboolean grew = TRUE; grew;)
    {
      grew = FALSE;
      for (guint i = 0; i < wf->steps->len; i++)
        {
          const CasesStep *s = g_ptr_array_index (wf->steps, i);
          if (s->to == NULL || g_hash_table_contains (reached, s->to))
            continue;
          for (char **f = s->from; *f && !grew; f++)
            if (g_hash_table_contains (reached, *f))
              grew = g_hash_table_add (reached, s->to);
        }
    }
  for (guint i = 0; i < wf->steps->len; i++)
    {
      const CasesStep *s = g_ptr_array_index (wf->steps, i);
      gboolean any = FALSE;
      for (char **f = s->from; *f; f++)
        any = any || g_hash_table_contains (reached, *f);
      g_autofree char *group = g_strconcat ("step ", s->name, NULL);
      if (!any)
        return invalid (config, error, group, "from", "no state it is taken from can be reached");
    }
  for (guint i = 0; i < wf->states->len; i++)
    {
      const CasesState *st = g_ptr_array_index (wf->states, i);
      if (!g_hash_table_contains (reached, st->name))
        return invalid (config, error, "workflow", "states",
                        "state %s cannot be reached from %s by any step", st->name, wf->initial);
    }
  return TRUE;
}

static gboolean
rules_field (const CoreConfig *config, const CasesWorkflow *wf, const char *key, char **out,
             gboolean (*defined) (const CasesWorkflow *, const char *), const char *what,
             GError **error)
{
  if (!get_required (config, "reinspection", key, out, error))
    return FALSE;
  if (!defined (wf, *out))
    return invalid (config, error, "reinspection", key, "\"%s\" is not a defined %s", *out, what);
  return TRUE;
}

static gboolean
read_reinspection (const CoreConfig *config, CasesWorkflow *wf, GError **error)
{
  gboolean used = FALSE;
  for (guint i = 0; i < wf->steps->len; i++)
    used = used || ((CasesStep *)g_ptr_array_index (wf->steps, i))->reinspection;
  if (!core_config_has_group (config, "reinspection"))
    {
      if (!used)
        return TRUE;
      g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_CONFIG,
                   _ ("a step sets reinspection=true but the configuration has no [reinspection] "
                      "group"));
      return FALSE;
    }
  CasesReinspectionRules *r = &wf->reinspection;
  return known_keys (config, "reinspection", reinspection_keys, error)
         && rules_field (config, wf, "application-step", &r->application_step, is_step, "step",
                         error)
         && rules_field (config, wf, "applied-field", &r->applied_field, is_field, "field", error)
         && rules_field (config, wf, "kind-field", &r->kind_field, is_field, "field", error)
         && rules_field (config, wf, "items-field", &r->items_field, is_field, "field", error)
         && rules_field (config, wf, "backup-field", &r->backup_field, is_field, "field", error)
         && rules_field (config, wf, "delivered-field", &r->delivered_field, is_field, "field",
                         error)
         && rules_field (config, wf, "lab-field", &r->lab_field, is_field, "field", error)
         && rules_field (config, wf, "window", &r->window, is_deadline, "deadline", error)
         && rules_field (config, wf, "backup-deadline", &r->backup_deadline, is_deadline,
                         "deadline", error)
         && get_list (config, "reinspection", "retest-kinds", &r->retest_kinds, error)
         && get_list (config, "reinspection", "microbiological-items", &r->microbiological, error);
}

CasesWorkflow *
cases_workflow_load (const CoreConfig *config, GError **error)
{
  g_autoptr (CasesWorkflow) wf = g_new0 (CasesWorkflow, 1);
  wf->states = g_ptr_array_new_with_free_func (state_free);
  wf->steps = g_ptr_array_new_with_free_func (step_free);
  wf->fields = g_ptr_array_new_with_free_func (field_free);
  /* the deadlines and calendar it counts with are part of the same configuration */
  g_autoptr (GError) local = NULL;
  if ((wf->deadlines = cases_deadlines_load (config, &local)) == NULL
      || (wf->calendar = core_calendar_new (config, &local)) == NULL)
    {
      g_set_error (error, CASES_WORKFLOW_ERROR, CASES_WORKFLOW_ERROR_CONFIG, "%s", local->message);
      return NULL;
    }
  if (!read_states (config, wf, error) || !read_fields (config, wf, error)
      || !read_steps (config, wf, error) || !read_reinspection (config, wf, error)
      || !unique_labels (config, wf->states, "state ", error)
      || !unique_labels (config, wf->steps, "step ", error)
      || !unique_labels (config, wf->fields, "field ", error)
      || !check_reachable (config, wf, error))
    return NULL;
  return g_steal_pointer (&wf);
}

/* The element of @array (of structs starting with a name) called @wanted. */
#define FIND(array, type, wanted)                                                                  \
  for (guint i = 0; i < (array)->len; i++)                                                         \
    {                                                                                              \
      const type *x = g_ptr_array_index ((array), i);                                              \
      if (strcmp (x->name, (wanted)) == 0)                                                         \
        return x;                                                                                  \
    }                                                                                              \
  return NULL

const CasesStep *
cases_workflow_step (const CasesWorkflow *wf, const char *name)
{
  FIND (wf->steps, CasesStep, name);
}

const CasesState *
cases_workflow_state (const CasesWorkflow *wf, const char *name)
{
  FIND (wf->states, CasesState, name);
}

const CasesField *
cases_workflow_field (const CasesWorkflow *wf, const char *name)
{
  FIND (wf->fields, CasesField, name);
}

GPtrArray *
cases_workflow_steps_from (const CasesWorkflow *wf, const char *state)
{
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < wf->steps->len; i++)
    {
      CasesStep *s = g_ptr_array_index (wf->steps, i);
      if (in_list ((const char *const *)s->from, state))
        g_ptr_array_add (out, s);
    }
  return out;
}
