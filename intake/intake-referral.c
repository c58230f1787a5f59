/* intake-referral.c: the referral notice format: its columns, the level words
 * and the checks of each row that need no database. */
#include "intake/intake-referral.h"

#include "core/core-calendar.h"
#include "intake/intake-text.h"
#include "intake/intake-uscc.h"

#include <string.h>
#include "core/core-i18n.h"

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })
static const IntakeField FIELDS[INTAKE_REFERRAL_N_FIELDS] = {
  [INTAKE_REFERRAL_LEVEL] = { "level", A ("抽检级别", "级别", "任务来源", "source"), TRUE },
  [INTAKE_REFERRAL_NOTICE_NO]
  = { "notice_no", A ("通知书编号", "通知编号", "核查处置通知书编号", "notice number", "notice"),
      TRUE },
  [INTAKE_REFERRAL_USCC] = { "uscc", A ("统一社会信用代码", "社会信用代码", "credit code"), TRUE },
  [INTAKE_REFERRAL_NAME]
  = { "business_name", A ("企业名称", "被抽样单位名称", "单位名称", "business"), TRUE },
  [INTAKE_REFERRAL_PRODUCT]
  = { "product", A ("样品名称", "产品名称", "食品名称", "sample name"), FALSE },
  [INTAKE_REFERRAL_FAILED] = { "failed_items", A ("不合格项目", "不合格项目名称", "failed"), TRUE },
  [INTAKE_REFERRAL_DATE] = { "notice_date", A ("通知日期", "下达日期", "date"), TRUE },
};
static const IntakeSchema SCHEMA = { FIELDS, INTAKE_REFERRAL_N_FIELDS, FALSE };

/* Level words to the source a case records. */
static const struct
{
  const char *source;
  const char *const *words;
} LEVELS[] = {
  { "national", A ("国抽", "国家", "国家级", "国家抽检", "national") },
  { "provincial", A ("省抽", "省级", "省级抽检", "provincial", "province") },
  { "city", A ("市抽", "市级", "市级抽检", "city") },
};

const IntakeSchema *
intake_referral_schema (void)
{
  return &SCHEMA;
}

const char *
intake_referral_source (const char *level)
{
  for (gsize i = 0; i < G_N_ELEMENTS (LEVELS); i++)
    if (intake_text_is_one_of (level, LEVELS[i].words))
      return LEVELS[i].source;
  return NULL;
}

static void
referral_free (gpointer data)
{
  IntakeReferral *r = data;
  g_free (r->notice_no);
  g_free (r->uscc);
  g_free (r->business_name);
  g_free (r->product);
  g_strfreev (r->failed_items);
  g_free (r);
}

void
intake_referral_file_free (IntakeReferralFile *file)
{
  if (file == NULL)
    return;
  g_free (file->name);
  g_strfreev (file->columns);
  if (file->referrals != NULL)
    g_ptr_array_unref (file->referrals);
  g_free (file);
}

const char *
intake_referral_file_column (const IntakeReferralFile *file, IntakeReferralField field)
{
  g_return_val_if_fail ((guint)field < INTAKE_REFERRAL_N_FIELDS, "");
  return file->columns[field];
}

/* The failed items of a notice, stripped, empty ones dropped; NULL when none. */
static char **
split_items (const char *text)
{
  g_auto (GStrv) parts = g_regex_split_simple ("[;；、,，\n]+", text, 0, 0);
  GPtrArray *items = g_ptr_array_new ();
  for (char **p = parts; *p; p++)
    {
      char *item = intake_text_strip (*p);
      if (*item == '\0')
        g_free (item);
      else
        g_ptr_array_add (items, item);
    }
  if (items->len == 0)
    {
      g_ptr_array_free (items, TRUE);
      return NULL;
    }
  g_ptr_array_add (items, NULL);
  return (char **)g_ptr_array_free (items, FALSE);
}

static void
row_problem (CoreProblems *problems, const IntakeTable *t, const IntakeRow *row, guint field,
             const char *why)
{
  core_problems_add (problems, row->line, intake_table_column (t, field),
                     intake_row_get (row, field), "%s", why);
}

/* One row to a notice; NULL (problems recorded) when any cell is wrong. */
static IntakeReferral *
check_row (const IntakeTable *t, const IntakeRow *row, GHashTable *seen, CoreProblems *problems)
{
  gboolean ok = TRUE;
  const char *source = intake_referral_source (intake_row_get (row, INTAKE_REFERRAL_LEVEL));
  if (source == NULL)
    ok = FALSE, row_problem (problems, t, row, INTAKE_REFERRAL_LEVEL,
                             _ ("not a sampling level; write 国抽, 省抽 or 市抽"));
  const char *notice = intake_row_get (row, INTAKE_REFERRAL_NOTICE_NO);
  if (*notice == '\0')
    ok = FALSE, row_problem (problems, t, row, INTAKE_REFERRAL_NOTICE_NO,
                             _ ("missing; every notice has a number"));
  else if (source != NULL)
    {
      char *key = g_strconcat (source, "/", notice, NULL);
      guint first = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key));
      if (first != 0)
        {
          g_autofree char *why
              = g_strdup_printf (_ ("notice listed twice (first on line %u)"), first);
          row_problem (problems, t, row, INTAKE_REFERRAL_NOTICE_NO, why);
          g_free (key);
          ok = FALSE;
        }
      else
        g_hash_table_insert (seen, key, GUINT_TO_POINTER (row->line));
    }
  g_autoptr (GError) error = NULL;
  if (!intake_uscc_validate (intake_row_get (row, INTAKE_REFERRAL_USCC), &error))
    ok = FALSE, row_problem (problems, t, row, INTAKE_REFERRAL_USCC, error->message);
  if (*intake_row_get (row, INTAKE_REFERRAL_NAME) == '\0')
    ok = FALSE,
    row_problem (problems, t, row, INTAKE_REFERRAL_NAME, _ ("missing; name the business"));
  char **items = split_items (intake_row_get (row, INTAKE_REFERRAL_FAILED));
  if (items == NULL)
    ok = FALSE, row_problem (problems, t, row, INTAKE_REFERRAL_FAILED,
                             _ ("missing; list the failed test items"));
  GDate date;
  if (!core_date_parse (intake_row_get (row, INTAKE_REFERRAL_DATE), &date))
    ok = FALSE,
    row_problem (problems, t, row, INTAKE_REFERRAL_DATE, _ ("not a date; write YYYY-MM-DD"));
  if (!ok)
    {
      g_strfreev (items);
      return NULL;
    }
  IntakeReferral *r = g_new0 (IntakeReferral, 1);
  const char *product = intake_row_get (row, INTAKE_REFERRAL_PRODUCT);
  r->line = row->line;
  r->source = source;
  r->notice_no = g_strdup (notice);
  r->uscc = g_ascii_strup (intake_row_get (row, INTAKE_REFERRAL_USCC), -1);
  r->business_name = g_strdup (intake_row_get (row, INTAKE_REFERRAL_NAME));
  r->product = *product ? g_strdup (product) : NULL;
  r->failed_items = items;
  r->notice_date = date;
  return r;
}

IntakeReferralFile *
intake_referral_from_table (const IntakeTable *table, CoreProblems *problems)
{
  IntakeReferralFile *file = g_new0 (IntakeReferralFile, 1);
  file->name = g_strdup (table->name);
  file->columns = g_new0 (char *, INTAKE_REFERRAL_N_FIELDS + 1);
  for (guint f = 0; f < INTAKE_REFERRAL_N_FIELDS; f++)
    file->columns[f] = g_strdup (intake_table_column (table, f));
  file->referrals = g_ptr_array_new_with_free_func (referral_free);
  if (table->rows->len == 0)
    core_problems_add (problems, 0, NULL, NULL,
                       _ ("no notices: the file has a header but no data"));
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < table->rows->len; i++)
    {
      IntakeReferral *r = check_row (table, g_ptr_array_index (table->rows, i), seen, problems);
      if (r != NULL)
        g_ptr_array_add (file->referrals, r);
    }
  return file;
}

IntakeReferralFile *
intake_referral_read_file (const char *path, const char *name, CoreProblems *problems,
                           GError **error)
{
  g_autoptr (IntakeTable) t
      = intake_table_read_file (path, name, INTAKE_FORMAT_AUTO, &SCHEMA, problems, error);
  return t ? intake_referral_from_table (t, problems) : NULL;
}

IntakeReferralFile *
intake_referral_read_data (const char *data, gsize len, const char *name, CoreProblems *problems,
                           GError **error)
{
  g_autoptr (IntakeTable) t
      = intake_table_read_data (data, len, name, INTAKE_FORMAT_AUTO, &SCHEMA, problems, error);
  return t ? intake_referral_from_table (t, problems) : NULL;
}
