/* intake-directory-staff.c: the inspector and lab directory imports. */
#include "intake/intake-directory-private.h"
#include "intake/intake-text.h"
#include "intake/intake-uscc.h"

#include <string.h>
#include "core/core-i18n.h"

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* A lab taking more batches a month than this is a typo, not a lab. */
#define MAX_MONTHLY_CAPACITY 1000000

static const IntakeField INSPECTOR_FIELDS[INTAKE_INSPECTOR_N_FIELDS] = {
  [INTAKE_INSPECTOR_ID]
  = { "id", A ("人员编号", "编号", "工号", "执法证号", "inspector id", "inspector"), TRUE },
  [INTAKE_INSPECTOR_NAME] = { "name", A ("姓名", "名字", "inspector name"), TRUE },
  [INTAKE_INSPECTOR_OFFICE]
  = { "office", A ("所属监管所", "监管所", "市场监管所", "所属单位", "科所", "office code"), TRUE },
  [INTAKE_INSPECTOR_ACTIVE] = { "active", A ("状态", "是否在岗", "在岗", "status"), FALSE },
  [INTAKE_INSPECTOR_CONFLICTS]
  = { "conflicts",
      A ("回避企业", "利益冲突", "回避", "回避企业信用代码", "conflict", "conflicts of interest"),
      FALSE },
};
static const IntakeSchema INSPECTOR_SCHEMA = { INSPECTOR_FIELDS, INTAKE_INSPECTOR_N_FIELDS, FALSE };

static const IntakeField LAB_FIELDS[INTAKE_LAB_N_FIELDS] = {
  [INTAKE_LAB_CODE]
  = { "code", A ("机构代码", "机构编号", "承检机构代码", "编号", "lab code", "lab"), TRUE },
  [INTAKE_LAB_NAME] = { "name", A ("机构名称", "承检机构", "名称", "lab name"), TRUE },
  [INTAKE_LAB_CATEGORIES]
  = { "categories",
      A ("承检类别", "资质类别", "认可类别", "检验类别", "accredited categories", "category"),
      TRUE },
  [INTAKE_LAB_CAPACITY]
  = { "capacity", A ("月检验能力", "每月能力", "月承检量", "月检验量", "monthly capacity"), TRUE },
  [INTAKE_LAB_ACTIVE] = { "active", A ("状态", "是否有效", "status"), FALSE },
};
static const IntakeSchema LAB_SCHEMA = { LAB_FIELDS, INTAKE_LAB_N_FIELDS, FALSE };

const IntakeSchema *
intake_inspector_schema (void)
{
  return &INSPECTOR_SCHEMA;
}

const IntakeSchema *
intake_lab_schema (void)
{
  return &LAB_SCHEMA;
}

void
intake_inspector_free (IntakeInspector *p)
{
  if (p == NULL)
    return;
  g_free (p->id);
  g_free (p->name);
  g_free (p->office);
  g_strfreev (p->conflicts);
  g_free (p);
}

void
intake_lab_free (IntakeLab *lab)
{
  if (lab == NULL)
    return;
  g_free (lab->code);
  g_free (lab->name);
  g_strfreev (lab->categories);
  g_free (lab);
}

static const char *
check_office (IntakeDirCheck *ck)
{
  const char *v = intake_row_get (ck->row, INTAKE_INSPECTOR_OFFICE);
  for (guint i = 0; i < ck->catalog->offices->len; i++)
    {
      const CoreOffice *o = g_ptr_array_index (ck->catalog->offices, i);
      if (strcmp (v, o->code) == 0
          || intake_text_is_one_of (v, (const char *const[]){ o->zh, o->en, NULL }))
        return o->code;
    }
  intake_dir_problem (ck, INTAKE_INSPECTOR_OFFICE,
                      _ ("not an office of district %s; use an office code or name from its config "
                         "file"),
                      ck->catalog->district);
  return NULL;
}

/* Credit codes separated by ; 、 , or spaces, each valid. */
static char **
check_conflicts (IntakeDirCheck *ck)
{
  const char *v = intake_row_get (ck->row, INTAKE_INSPECTOR_CONFLICTS);
  g_auto (GStrv) tokens = intake_text_split (v, ";；、,，|", INTAKE_SPLIT_RUNS);
  g_autoptr (GStrvBuilder) out = g_strv_builder_new ();
  for (gsize i = 0; tokens[i] != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      if (*tokens[i] == '\0')
        continue;
      if (!intake_uscc_validate (tokens[i], &error))
        intake_dir_problem (ck, INTAKE_INSPECTOR_CONFLICTS,
                            _ ("\"%s\" is not a valid credit code: %s; list the credit codes of "
                               "the businesses, separated by ;"),
                            tokens[i], error->message);
      else
        g_strv_builder_add (out, tokens[i]);
    }
  return g_strv_builder_end (out);
}

static gpointer
check_inspector (IntakeDirCheck *ck)
{
  g_autoptr (IntakeInspector) p = g_new0 (IntakeInspector, 1);
  p->line = ck->row->line;
  p->id = intake_dir_code (ck, INTAKE_INSPECTOR_ID);
  if (p->id)
    intake_dir_unique (ck, INTAKE_INSPECTOR_ID, p->id);
  p->name = intake_dir_text (ck, INTAKE_INSPECTOR_NAME, TRUE, INTAKE_DIR_MAX_NAME_CHARS);
  p->office = g_strdup (check_office (ck));
  p->active = intake_dir_active (ck, INTAKE_INSPECTOR_ACTIVE);
  p->conflicts = check_conflicts (ck);
  return ck->ok ? g_steal_pointer (&p) : NULL;
}

static gpointer
check_lab (IntakeDirCheck *ck)
{
  g_autoptr (IntakeLab) lab = g_new0 (IntakeLab, 1);
  guint64 capacity = 0;
  lab->line = ck->row->line;
  lab->code = intake_dir_code (ck, INTAKE_LAB_CODE);
  if (lab->code)
    intake_dir_unique (ck, INTAKE_LAB_CODE, lab->code);
  lab->name = intake_dir_text (ck, INTAKE_LAB_NAME, TRUE, INTAKE_DIR_MAX_NAME_CHARS);
  lab->categories = intake_dir_categories (ck, INTAKE_LAB_CATEGORIES);
  if (!g_ascii_string_to_unsigned (intake_row_get (ck->row, INTAKE_LAB_CAPACITY), 10, 0,
                                   MAX_MONTHLY_CAPACITY, &capacity, NULL))
    intake_dir_problem (ck, INTAKE_LAB_CAPACITY,
                        _ ("the monthly capacity is a whole number of batches, 0 to %d"),
                        MAX_MONTHLY_CAPACITY);
  lab->capacity = (guint)capacity;
  lab->active = intake_dir_active (ck, INTAKE_LAB_ACTIVE);
  return ck->ok ? g_steal_pointer (&lab) : NULL;
}

typedef gpointer (*RowCheck) (IntakeDirCheck *ck);

static GPtrArray *
check_rows (const IntakeTable *table, const CoreCatalog *catalog, CoreProblems *problems,
            RowCheck check, GDestroyNotify free_func)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (free_func);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  IntakeDirCheck ck = { table, problems, catalog, NULL, seen, TRUE };
  for (guint i = 0; i < table->rows->len; i++)
    {
      ck.row = g_ptr_array_index (table->rows, i);
      ck.ok = TRUE;
      gpointer item = check (&ck);
      if (item != NULL)
        g_ptr_array_add (out, item);
    }
  return out;
}

GPtrArray *
intake_inspectors_from_table (const IntakeTable *table, const CoreCatalog *catalog,
                              CoreProblems *problems)
{
  g_return_val_if_fail (table->schema == &INSPECTOR_SCHEMA, NULL);
  return check_rows (table, catalog, problems, check_inspector,
                     (GDestroyNotify)intake_inspector_free);
}

GPtrArray *
intake_labs_from_table (const IntakeTable *table, const CoreCatalog *catalog,
                        CoreProblems *problems)
{
  g_return_val_if_fail (table->schema == &LAB_SCHEMA, NULL);
  return check_rows (table, catalog, problems, check_lab, (GDestroyNotify)intake_lab_free);
}

GPtrArray *
intake_inspectors_read_file (const char *path, const char *name, IntakeFormat format,
                             const CoreCatalog *catalog, CoreProblems *problems, GError **error)
{
  g_autoptr (IntakeTable) table
      = intake_table_read_file (path, name, format, &INSPECTOR_SCHEMA, problems, error);
  return table ? intake_inspectors_from_table (table, catalog, problems) : NULL;
}

GPtrArray *
intake_labs_read_file (const char *path, const char *name, IntakeFormat format,
                       const CoreCatalog *catalog, CoreProblems *problems, GError **error)
{
  g_autoptr (IntakeTable) table
      = intake_table_read_file (path, name, format, &LAB_SCHEMA, problems, error);
  return table ? intake_labs_from_table (table, catalog, problems) : NULL;
}
