/* core-catalog.c: categories, streets and offices read from the configuration. */
#include "core/core-catalog.h"

#include <string.h>
#include "core/core-i18n.h"

static void
category_free (gpointer p)
{
  CoreCategory *c = p;
  g_free (c->code);
  g_free (c->zh);
  g_free (c->en);
  g_free (c);
}

static void
street_free (gpointer p)
{
  CoreStreet *s = p;
  g_free (s->code);
  g_free (s->zh);
  g_free (s->en);
  g_free (s);
}

static void
office_free (gpointer p)
{
  CoreOffice *o = p;
  g_free (o->code);
  g_free (o->zh);
  g_free (o->en);
  g_strfreev (o->streets);
  g_free (o);
}

void
core_catalog_free (CoreCatalog *catalog)
{
  if (catalog == NULL)
    return;
  g_free (catalog->district);
  g_free (catalog->zh);
  g_free (catalog->en);
  g_ptr_array_unref (catalog->categories);
  g_ptr_array_unref (catalog->streets);
  g_ptr_array_unref (catalog->offices);
  g_free (catalog);
}

CoreCatalog *
core_catalog_new (const char *district, const char *zh, const char *en)
{
  CoreCatalog *catalog = g_new0 (CoreCatalog, 1);
  catalog->district = g_strdup (district);
  catalog->zh = g_strdup (zh);
  catalog->en = g_strdup (en);
  catalog->categories = g_ptr_array_new_with_free_func (category_free);
  catalog->streets = g_ptr_array_new_with_free_func (street_free);
  catalog->offices = g_ptr_array_new_with_free_func (office_free);
  return catalog;
}

CoreCategory *
core_catalog_add_category (CoreCatalog *catalog, const char *code, const char *zh, const char *en)
{
  CoreCategory *c = g_new0 (CoreCategory, 1);
  c->code = g_strdup (code);
  c->zh = g_strdup (zh);
  c->en = g_strdup (en);
  g_ptr_array_add (catalog->categories, c);
  return c;
}

CoreStreet *
core_catalog_add_street (CoreCatalog *catalog, const char *code, const char *zh, const char *en)
{
  CoreStreet *s = g_new0 (CoreStreet, 1);
  s->code = g_strdup (code);
  s->zh = g_strdup (zh);
  s->en = g_strdup (en);
  g_ptr_array_add (catalog->streets, s);
  return s;
}

CoreOffice *
core_catalog_add_office (CoreCatalog *catalog, const char *code, const char *zh, const char *en,
                         const char *const *streets)
{
  CoreOffice *o = g_new0 (CoreOffice, 1);
  o->code = g_strdup (code);
  o->zh = g_strdup (zh);
  o->en = g_strdup (en);
  o->streets = g_strdupv ((char **)streets);
  g_ptr_array_add (catalog->offices, o);
  return o;
}

static gboolean
all_digits (const char *s, gsize len)
{
  if (strlen (s) != len)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static int
compare_category (gconstpointer a, gconstpointer b)
{
  const CoreCategory *x = *(CoreCategory *const *)a, *y = *(CoreCategory *const *)b;
  return strcmp (x->code, y->code);
}

static gboolean
load_categories (CoreCatalog *catalog, const CoreConfig *config, GError **error)
{
  g_auto (GStrv) groups = core_config_groups (config, "category ");
  for (char **g = groups; *g != NULL; g++)
    {
      const char *code = *g + strlen ("category ");
      if (!all_digits (code, 2))
        {
          g_set_error (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_INVALID,
                       _ ("%s: group [%s]: a category code is two digits, e.g. [category 01]"),
                       core_config_origin (config, *g, "zh"), *g);
          return FALSE;
        }
      g_autofree char *zh = core_config_get_string (config, *g, "zh", error);
      if (zh == NULL)
        return FALSE;
      g_autofree char *en = core_config_get_string_or (config, *g, "en", zh);
      core_catalog_add_category (catalog, code, zh, en);
    }
  if (catalog->categories->len == 0)
    {
      g_set_error (error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_MISSING,
                   _ ("the configuration lists no food category ([category 01] ... groups)"));
      return FALSE;
    }
  g_ptr_array_sort (catalog->categories, compare_category);
  return TRUE;
}

static gboolean
belongs_to_district (const CoreConfig *config, const char *group, const char *district)
{
  g_autofree char *d = core_config_get_string_or (config, group, "district", "");
  return g_strcmp0 (d, district) == 0;
}

static gboolean
load_places (CoreCatalog *catalog, const CoreConfig *config, GError **error)
{
  g_auto (GStrv) street_groups = core_config_groups (config, "street ");
  for (char **g = street_groups; *g != NULL; g++)
    {
      if (!belongs_to_district (config, *g, catalog->district))
        continue;
      g_autofree char *zh = core_config_get_string (config, *g, "zh", error);
      if (zh == NULL)
        return FALSE;
      g_autofree char *en = core_config_get_string_or (config, *g, "en", zh);
      core_catalog_add_street (catalog, *g + strlen ("street "), zh, en);
    }
  g_auto (GStrv) offices = core_config_groups (config, "office ");
  for (char **g = offices; *g != NULL; g++)
    {
      if (!belongs_to_district (config, *g, catalog->district))
        continue;
      g_autofree char *zh = core_config_get_string (config, *g, "zh", error);
      g_auto (GStrv) streets = zh ? core_config_get_list (config, *g, "streets", error) : NULL;
      if (streets == NULL)
        return FALSE;
      g_autofree char *en = core_config_get_string_or (config, *g, "en", zh);
      const CoreOffice *o = core_catalog_add_office (catalog, *g + strlen ("office "), zh, en,
                                                     (const char *const *)streets);
      for (char **s = o->streets; *s != NULL; s++)
        {
          if (core_catalog_street (catalog, *s) == NULL)
            {
              core_config_set_invalid (config, error, *g, "streets",
                                       _ ("street %s is not a [street %s] of district %s"), *s, *s,
                                       catalog->district);
              return FALSE;
            }
          const CoreOffice *other = core_catalog_office_for_street (catalog, *s);
          if (other != o)
            {
              core_config_set_invalid (config, error, *g, "streets",
                                       _ ("street %s is already covered by office %s; each street "
                                          "belongs to exactly one office"),
                                       *s, other->code);
              return FALSE;
            }
        }
    }
  for (guint i = 0; i < catalog->streets->len; i++)
    {
      const CoreStreet *s = g_ptr_array_index (catalog->streets, i);
      if (core_catalog_office_for_street (catalog, s->code) == NULL)
        {
          g_set_error (
              error, CORE_CONFIG_ERROR, CORE_CONFIG_ERROR_INVALID,
              _ ("street %s (%s) is covered by no office: add it to the streets key of one "
                 "[office ...] group"),
              s->code, s->zh);
          return FALSE;
        }
    }
  return TRUE;
}

CoreCatalog *
core_catalog_load (const CoreConfig *config, GError **error)
{
  g_autoptr (CoreCatalog) catalog = core_catalog_new (NULL, NULL, NULL);

  if ((catalog->district = core_config_get_string (config, "spotcheck", "district", error)) == NULL)
    return NULL;
  if (!all_digits (catalog->district, 6))
    {
      core_config_set_invalid (config, error, "spotcheck", "district",
                               _ ("\"%s\" is not a six-digit GB/T 2260 code"), catalog->district);
      return NULL;
    }
  g_autofree char *group = g_strconcat ("district ", catalog->district, NULL);
  if (!core_config_has_group (config, group))
    {
      core_config_set_invalid (config, error, "spotcheck", "district",
                               _ ("no [%s] group describes this district"), group);
      return NULL;
    }
  if ((catalog->zh = core_config_get_string (config, group, "zh", error)) == NULL)
    return NULL;
  catalog->en = core_config_get_string_or (config, group, "en", catalog->zh);
  if (!load_categories (catalog, config, error) || !load_places (catalog, config, error))
    return NULL;
  return g_steal_pointer (&catalog);
}

const CoreCategory *
core_catalog_category (const CoreCatalog *catalog, const char *code)
{
  for (guint i = 0; i < catalog->categories->len; i++)
    {
      const CoreCategory *c = g_ptr_array_index (catalog->categories, i);
      if (strcmp (c->code, code) == 0)
        return c;
    }
  return NULL;
}

const CoreStreet *
core_catalog_street (const CoreCatalog *catalog, const char *code)
{
  for (guint i = 0; i < catalog->streets->len; i++)
    {
      const CoreStreet *s = g_ptr_array_index (catalog->streets, i);
      if (strcmp (s->code, code) == 0)
        return s;
    }
  return NULL;
}

const CoreOffice *
core_catalog_office_for_street (const CoreCatalog *catalog, const char *street_code)
{
  for (guint i = 0; i < catalog->offices->len; i++)
    {
      const CoreOffice *o = g_ptr_array_index (catalog->offices, i);
      if (o->streets != NULL && g_strv_contains ((const char *const *)o->streets, street_code))
        return o;
    }
  return NULL;
}

int
core_grade_index (char letter)
{
  const char *p = letter ? strchr (CORE_GRADES, g_ascii_toupper (letter)) : NULL;
  return p ? (int)(p - CORE_GRADES) : -1;
}
