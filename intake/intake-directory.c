/* intake-directory.c: the business directory import, and the cell checks the
 * inspector and lab imports share with it. */
#include "intake/intake-directory-private.h"
#include "intake/intake-text.h"
#include "intake/intake-uscc.h"

#include <stdlib.h>
#include <string.h>
#include "core/core-i18n.h"

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const IntakeField BUSINESS_FIELDS[INTAKE_BUSINESS_N_FIELDS] = {
  [INTAKE_BUSINESS_USCC] = { "uscc",
                             A ("统一社会信用代码", "社会信用代码", "信用代码", "credit code",
                                "unified social credit code"),
                             TRUE },
  [INTAKE_BUSINESS_LICENCE]
  = { "licence",
      A ("许可证编号", "许可证号", "食品经营许可证编号", "食品生产许可证编号", "license",
         "licence number", "license number", "licence no", "license no"),
      FALSE },
  [INTAKE_BUSINESS_NAME]
  = { "name", A ("名称", "企业名称", "经营者名称", "单位名称", "business name"), TRUE },
  [INTAKE_BUSINESS_STAGE] = { "stage", A ("环节", "经营环节", "抽样环节", "业态"), TRUE },
  [INTAKE_BUSINESS_STREET]
  = { "street", A ("街道", "所属街道", "街道代码", "街道编码", "street code"), TRUE },
  [INTAKE_BUSINESS_ADDRESS] = { "address", A ("地址", "经营地址", "经营场所", "住所"), FALSE },
  [INTAKE_BUSINESS_GRADE]
  = { "grade", A ("风险等级", "风险分级", "等级", "risk grade", "risk"), TRUE },
  [INTAKE_BUSINESS_CATEGORIES]
  = { "categories", A ("经营类别", "食品类别", "类别", "经营项目", "category", "food categories"),
      TRUE },
  [INTAKE_BUSINESS_ACTIVE]
  = { "active", A ("状态", "是否有效", "有效", "经营状态", "status"), FALSE },
};
static const IntakeSchema BUSINESS_SCHEMA = { BUSINESS_FIELDS, INTAKE_BUSINESS_N_FIELDS, FALSE };

static const struct
{
  IntakeStage stage;
  const char *name;
  const char *const *words;
} STAGES[] = {
  { INTAKE_STAGE_PRODUCTION, "production", A ("production", "生产", "生产环节", "producer") },
  { INTAKE_STAGE_DISTRIBUTION, "distribution",
    A ("distribution", "流通", "流通环节", "销售", "经营", "sale", "retail") },
  { INTAKE_STAGE_CATERING, "catering", A ("catering", "餐饮", "餐饮环节", "餐饮服务") },
  { INTAKE_STAGE_MARKET, "market", A ("market", "市场", "集中交易市场", "农贸市场", "批发市场") },
};

const IntakeSchema *
intake_business_schema (void)
{
  return &BUSINESS_SCHEMA;
}

const char *
intake_stage_name (IntakeStage stage)
{
  for (gsize i = 0; i < G_N_ELEMENTS (STAGES); i++)
    if (STAGES[i].stage == stage)
      return STAGES[i].name;
  return "unknown";
}

void
intake_dir_problem (IntakeDirCheck *ck, guint field, const char *why_fmt, ...)
{
  va_list ap;
  va_start (ap, why_fmt);
  g_autofree char *why = g_strdup_vprintf (why_fmt, ap);
  va_end (ap);
  intake_row_problem (ck->problems, ck->table, ck->row, field, "%s", why);
  ck->ok = FALSE;
}

char *
intake_dir_text (IntakeDirCheck *ck, guint field, gboolean required, guint max_chars)
{
  const char *v = intake_row_get (ck->row, field);
  if (*v == '\0')
    {
      if (required)
        intake_dir_problem (ck, field, _ ("missing; this column is required"));
      return NULL;
    }
  if ((guint)g_utf8_strlen (v, -1) > max_chars)
    return intake_dir_problem (ck, field, _ ("longer than %u characters"), max_chars), NULL;
  for (const char *p = v; *p; p++)
    if (g_ascii_iscntrl (*p))
      return intake_dir_problem (ck, field, _ ("holds a line break or control character")), NULL;
  return g_strdup (v);
}

char *
intake_dir_code (IntakeDirCheck *ck, guint field)
{
  char *v = intake_dir_text (ck, field, TRUE, INTAKE_DIR_MAX_CODE_CHARS);
  if (v != NULL
      && strspn (v, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_")
             != strlen (v))
    {
      intake_dir_problem (ck, field, _ ("may hold only letters, digits, '-' and '_'"));
      g_clear_pointer (&v, g_free);
    }
  return v;
}

gboolean
intake_dir_active (IntakeDirCheck *ck, guint field)
{
  const char *v = intake_row_get (ck->row, field);
  if (*v == '\0'
      || intake_text_is_one_of (v, A ("是", "1", "true", "yes", "y", "有效", "在营", "在岗", "正常",
                                      "启用", "active", "存续")))
    return TRUE;
  if (!intake_text_is_one_of (v, A ("否", "0", "false", "no", "n", "无效", "注销", "停业", "离岗",
                                    "停用", "inactive", "吊销")))
    intake_dir_problem (ck, field, _ ("write 是 or 否 (yes or no), or leave empty for yes"));
  return FALSE;
}

/* A category code ("4", "04") or its Chinese or English name; NULL if unknown. */
static const char *
category_code (const CoreCatalog *catalog, const char *token)
{
  if (strlen (token) <= 2 && g_ascii_isdigit (token[0])
      && (token[1] == '\0' || g_ascii_isdigit (token[1])))
    {
      char code[3];
      g_snprintf (code, sizeof code, "%02d", atoi (token));
      const CoreCategory *c = core_catalog_category (catalog, code);
      return c ? c->code : NULL;
    }
  for (guint i = 0; i < catalog->categories->len; i++)
    {
      const CoreCategory *c = g_ptr_array_index (catalog->categories, i);
      if (intake_text_is_one_of (token, (const char *const[]){ c->zh, c->en, NULL }))
        return c->code;
    }
  return NULL;
}

static gint
compare_codes (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *)a, *(const char *const *)b);
}

char **
intake_dir_categories (IntakeDirCheck *ck, guint field)
{
  const char *v = intake_row_get (ck->row, field);
  g_auto (GStrv) tokens = intake_text_split (v, ";；、,，|", INTAKE_SPLIT_TRIM);
  g_autoptr (GPtrArray) codes = g_ptr_array_new ();
  for (gsize i = 0; tokens[i] != NULL; i++)
    {
      g_autofree char *t = intake_text_strip (tokens[i]);
      if (*t == '\0')
        continue;
      const char *code = category_code (ck->catalog, t);
      if (code == NULL)
        {
          intake_dir_problem (ck, field,
                              _ ("\"%s\" is not a food category; use the codes 01–%s of "
                                 "config/categories.conf or their names, separated by ;"),
                              t,
                              ck->catalog->categories->len
                                  ? ((CoreCategory *)g_ptr_array_index (
                                         ck->catalog->categories, ck->catalog->categories->len - 1))
                                        ->code
                                  : "?");
          return NULL;
        }
      if (!g_ptr_array_find_with_equal_func (codes, code, g_str_equal, NULL))
        g_ptr_array_add (codes, (gpointer)code);
    }
  if (codes->len == 0)
    return intake_dir_problem (ck, field, _ ("name at least one food category")), NULL;
  g_ptr_array_sort (codes, compare_codes);
  char **out = g_new0 (char *, codes->len + 1);
  for (guint i = 0; i < codes->len; i++)
    out[i] = g_strdup (g_ptr_array_index (codes, i));
  return out;
}

void
intake_dir_unique (IntakeDirCheck *ck, guint field, const char *key)
{
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (ck->seen, key));
  if (first != 0)
    intake_dir_problem (ck, field, _ ("already given on line %u; each appears once per file"),
                        first);
  else
    g_hash_table_insert (ck->seen, g_strdup (key), GUINT_TO_POINTER (ck->row->line));
}

void
intake_business_free (IntakeBusiness *b)
{
  if (b == NULL)
    return;
  g_free (b->uscc);
  g_free (b->licence);
  g_free (b->name);
  g_free (b->street);
  g_free (b->address);
  g_strfreev (b->categories);
  g_free (b);
}

/* SC (production) and JY (trade) licence numbers are two letters and 14 digits;
 * other local registrations are kept as written. */
static char *
check_licence (IntakeDirCheck *ck)
{
  char *v = intake_dir_text (ck, INTAKE_BUSINESS_LICENCE, FALSE, INTAKE_DIR_MAX_CODE_CHARS);
  if (v && (g_str_has_prefix (v, "SC") || g_str_has_prefix (v, "JY"))
      && (strlen (v) != 16 || strspn (v + 2, "0123456789") != 14))
    {
      intake_dir_problem (ck, INTAKE_BUSINESS_LICENCE,
                          _ ("an SC or JY licence number is the two letters and 14 digits"));
      g_clear_pointer (&v, g_free);
    }
  return v;
}

static const char *
check_street (IntakeDirCheck *ck)
{
  const char *v = intake_row_get (ck->row, INTAKE_BUSINESS_STREET);
  const CoreStreet *s = core_catalog_street (ck->catalog, v);
  for (guint i = 0; s == NULL && i < ck->catalog->streets->len; i++)
    {
      const CoreStreet *t = g_ptr_array_index (ck->catalog->streets, i);
      if (intake_text_is_one_of (v, (const char *const[]){ t->zh, t->en, NULL }))
        s = t;
    }
  if (s == NULL)
    intake_dir_problem (ck, INTAKE_BUSINESS_STREET,
                        _ ("not a street of district %s; use a street code or name from its "
                           "config file"),
                        ck->catalog->district);
  return s ? s->code : NULL;
}

static IntakeBusiness *
check_business (IntakeDirCheck *ck)
{
  g_autoptr (IntakeBusiness) b = g_new0 (IntakeBusiness, 1);
  g_autoptr (GError) error = NULL;
  b->line = ck->row->line;
  b->uscc = intake_dir_text (ck, INTAKE_BUSINESS_USCC, TRUE, INTAKE_DIR_MAX_CODE_CHARS);
  if (b->uscc && !intake_uscc_validate (b->uscc, &error))
    intake_dir_problem (ck, INTAKE_BUSINESS_USCC, _ ("not a valid credit code: %s"),
                        error->message);
  else if (b->uscc)
    intake_dir_unique (ck, INTAKE_BUSINESS_USCC, b->uscc);
  b->licence = check_licence (ck);
  b->name = intake_dir_text (ck, INTAKE_BUSINESS_NAME, TRUE, INTAKE_DIR_MAX_NAME_CHARS);
  const char *stage = intake_row_get (ck->row, INTAKE_BUSINESS_STAGE);
  gsize s;
  for (s = 0; s < G_N_ELEMENTS (STAGES); s++)
    if (intake_text_is_one_of (stage, STAGES[s].words))
      break;
  if (s < G_N_ELEMENTS (STAGES))
    b->stage = STAGES[s].stage;
  else
    intake_dir_problem (ck, INTAKE_BUSINESS_STAGE,
                        _ ("write production, distribution, catering or market (生产, 流通, "
                           "餐饮 or 市场)"));
  b->street = g_strdup (check_street (ck));
  b->address = intake_dir_text (ck, INTAKE_BUSINESS_ADDRESS, FALSE, INTAKE_DIR_MAX_NAME_CHARS);
  g_autofree char *grade = intake_text_normalize (intake_row_get (ck->row, INTAKE_BUSINESS_GRADE));
  if (g_str_has_suffix (grade, "级"))
    grade[strlen (grade) - strlen ("级")] = '\0';
  if (strlen (grade) == 1 && core_grade_index (grade[0]) >= 0)
    b->grade = CORE_GRADES[core_grade_index (grade[0])];
  else
    intake_dir_problem (ck, INTAKE_BUSINESS_GRADE, _ ("a risk grade is A, B, C or D"));
  b->categories = intake_dir_categories (ck, INTAKE_BUSINESS_CATEGORIES);
  b->active = intake_dir_active (ck, INTAKE_BUSINESS_ACTIVE);
  return ck->ok ? g_steal_pointer (&b) : NULL;
}

GPtrArray *
intake_businesses_from_table (const IntakeTable *table, const CoreCatalog *catalog,
                              CoreProblems *problems)
{
  g_return_val_if_fail (table->schema == &BUSINESS_SCHEMA, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)intake_business_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  IntakeDirCheck ck = { table, problems, catalog, NULL, seen, TRUE };
  for (guint i = 0; i < table->rows->len; i++)
    {
      ck.row = g_ptr_array_index (table->rows, i);
      ck.ok = TRUE;
      IntakeBusiness *b = check_business (&ck);
      if (b != NULL)
        g_ptr_array_add (out, b);
    }
  return out;
}

GPtrArray *
intake_businesses_read_file (const char *path, const char *name, IntakeFormat format,
                             const CoreCatalog *catalog, CoreProblems *problems, GError **error)
{
  g_autoptr (IntakeTable) table
      = intake_table_read_file (path, name, format, &BUSINESS_SCHEMA, problems, error);
  return table ? intake_businesses_from_table (table, catalog, problems) : NULL;
}
