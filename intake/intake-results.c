/* intake-results.c: result-file rows to checked items grouped into reports.
 * Every problem is recorded and checking goes on, so one pass lists them all. */
#include "intake/intake-results.h"
#include "intake/intake-text.h"
#include "core/core-calendar.h"

#include <stdlib.h>
#include <string.h>
#include "core/core-i18n.h"

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })
static const IntakeField RESULT_FIELDS[INTAKE_RESULT_N_FIELDS] = {
  [INTAKE_RESULT_SAMPLING_NO]
  = { "sampling_no",
      A ("抽样单编号", "抽样编号", "抽样单号", "样品编号", "sampling number",
         "sampling record number", "sample no", "sample number"),
      TRUE },
  [INTAKE_RESULT_REPORT_NO]
  = { "report_no", A ("报告编号", "报告号", "检验报告编号", "report number", "report"), TRUE },
  [INTAKE_RESULT_ITEM]
  = { "item", A ("检验项目", "检测项目", "项目", "项目名称", "test item", "test"), TRUE },
  [INTAKE_RESULT_VALUE] = { "result", A ("检验结果", "检测结果", "结果", "实测值", "value"), TRUE },
  [INTAKE_RESULT_UNIT] = { "unit", A ("单位", "计量单位", "结果单位"), FALSE },
  [INTAKE_RESULT_LIMIT]
  = { "limit", A ("标准限值", "标准要求", "标准指标", "限值", "技术要求", "standard limit"),
      FALSE },
  [INTAKE_RESULT_LIMIT_MIN]
  = { "limit_min", A ("标准最小允许限", "最小允许限", "下限", "min limit", "minimum"), FALSE },
  [INTAKE_RESULT_LIMIT_MAX]
  = { "limit_max", A ("标准最大允许限", "最大允许限", "上限", "max limit", "maximum"), FALSE },
  [INTAKE_RESULT_LOD]
  = { "lod", A ("检出限", "方法检出限", "detection limit", "limit of detection"), FALSE },
  [INTAKE_RESULT_ITEM_VERDICT]
  = { "item_verdict", A ("单项判定", "结果判定", "单项结论", "判定", "item result", "verdict"),
      TRUE },
  [INTAKE_RESULT_CONCLUSION]
  = { "conclusion", A ("结论", "检验结论", "报告结论", "overall conclusion"), TRUE },
  [INTAKE_RESULT_TEST_DATE]
  = { "test_date", A ("检验日期", "检测日期", "报告日期", "date", "tested on"), TRUE },
};
static const IntakeSchema RESULT_SCHEMA = { RESULT_FIELDS, INTAKE_RESULT_N_FIELDS, FALSE };

/* Identifiers are printed on paper records; a cap keeps junk from passing. */
#define MAX_ID_CHARS 64

const IntakeSchema *
intake_results_schema (void)
{
  return &RESULT_SCHEMA;
}

static void
item_free (gpointer data)
{
  IntakeResultItem *it = data;
  g_free (it->item);
  g_free (it->value_text);
  intake_value_clear (&it->value);
  g_free (it->unit);
  intake_limit_clear (&it->limit);
  g_free (it->limit_text);
  g_free (it->reason);
  g_free (it);
}

static void
report_free (gpointer data)
{
  IntakeReport *r = data;
  g_free (r->report_no);
  g_free (r->sampling_no);
  g_free (r->conclusion_text);
  g_ptr_array_unref (r->items);
  g_free (r);
}

void
intake_result_file_free (IntakeResultFile *file)
{
  if (file == NULL)
    return;
  g_free (file->name);
  g_strfreev (file->columns);
  g_ptr_array_unref (file->reports);
  g_free (file);
}

const char *
intake_result_file_column (const IntakeResultFile *file, IntakeResultField field)
{
  return file->columns[field];
}

const IntakeReport *
intake_result_file_find (const IntakeResultFile *file, const char *report_no)
{
  for (guint i = 0; i < file->reports->len; i++)
    {
      const IntakeReport *r = g_ptr_array_index (file->reports, i);
      if (strcmp (r->report_no, report_no) == 0)
        return r;
    }
  return NULL;
}

/* A file repeats the same few limits, verdict words and dates on thousands
 * of rows: each distinct cell is parsed once. The parsers are pure functions
 * of the text, so a cached answer is the answer. Past this many distinct
 * cells of a kind, the rest are parsed each time (bounded memory). */
#define CACHE_MAX_CELLS 4096

/* A limit cell that parsed. */
typedef struct
{
  IntakeLimit limit;
  char *text; /* intake_limit_to_string */
} CachedLimit;

static void
cached_limit_free (gpointer data)
{
  CachedLimit *c = data;
  intake_limit_clear (&c->limit);
  g_free (c->text);
  g_free (c);
}

/* Context of one validation pass. */
typedef struct
{
  const IntakeTable *table;
  CoreProblems *problems;
  const IntakeRow *row;
  GRegex *date_re;      /* compiled once per file: see parse_date */
  GHashTable *limits;   /* limit cell -> CachedLimit*: cells that parsed */
  GHashTable *verdicts; /* verdict cell -> intake_verdict_parse's answer + 1, 0 = FALSE */
  GHashTable *dates;    /* date cell -> GDate* (invalid when not a date) */
} Check;

static void problem (Check *ck, IntakeResultField field, const char *why_fmt, ...)
    G_GNUC_PRINTF (3, 4);

static void
problem (Check *ck, IntakeResultField field, const char *why_fmt, ...)
{
  va_list ap;
  va_start (ap, why_fmt);
  g_autofree char *why = g_strdup_vprintf (why_fmt, ap);
  va_end (ap);
  core_problems_add (ck->problems, ck->row->line, intake_table_column (ck->table, field),
                     intake_row_get (ck->row, field), "%s", why);
}

static gboolean
check_id (Check *ck, IntakeResultField field, gboolean strict)
{
  const char *v = intake_row_get (ck->row, field);
  if (*v == '\0')
    return problem (ck, field, _ ("missing; every row needs it")), FALSE;
  if (g_utf8_strlen (v, -1) > MAX_ID_CHARS)
    return problem (ck, field, _ ("longer than %d characters"), MAX_ID_CHARS), FALSE;
  for (const char *p = v; *p; p++)
    if (strict ? !(g_ascii_isalnum (*p) || *p == '-') : g_ascii_iscntrl (*p))
      return problem (ck, field,
                      strict ? _ ("may hold only letters, digits and '-'")
                             : _ ("holds a control character (a line break?)")),
             FALSE;
  return TRUE;
}

/* YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年M月D日, checked by core_date_parse. */
static gboolean
parse_date_text (GRegex *re, const char *text, GDate *out)
{
  g_autofree char *norm = intake_text_normalize (text);
  g_autoptr (GMatchInfo) match = NULL;
  if (!g_regex_match (re, norm, 0, &match))
    return FALSE;
  g_autofree char *y = g_match_info_fetch (match, 1);
  g_autofree char *m3 = g_match_info_fetch (match, 3);
  g_autofree char *d4 = g_match_info_fetch (match, 4);
  g_autofree char *m5 = g_match_info_fetch (match, 5);
  g_autofree char *d6 = g_match_info_fetch (match, 6);
  const char *m = m3 && *m3 ? m3 : m5, *d = d4 && *d4 ? d4 : d6;
  g_autofree char *iso = g_strdup_printf ("%s-%02d-%02d", y, atoi (m), atoi (d));
  return core_date_parse (iso, out);
}

static gboolean
parse_date (Check *ck, const char *text, GDate *out)
{
  GDate *cached = g_hash_table_lookup (ck->dates, text);
  if (cached != NULL)
    {
      *out = *cached;
      return g_date_valid (cached);
    }
  gboolean ok = parse_date_text (ck->date_re, text, out);
  if (g_hash_table_size (ck->dates) < CACHE_MAX_CELLS)
    {
      GDate *d = g_date_new ();
      if (ok)
        *d = *out;
      g_hash_table_insert (ck->dates, g_strdup (text), d);
    }
  return ok;
}

/* intake_verdict_parse, once per distinct cell. */
static gboolean
parse_verdict (Check *ck, const char *text, IntakeVerdict *out)
{
  gpointer found;
  if (g_hash_table_lookup_extended (ck->verdicts, text, NULL, &found))
    {
      if (found != NULL)
        *out = GPOINTER_TO_INT (found) - 1;
      return found != NULL;
    }
  IntakeVerdict v;
  gboolean ok = intake_verdict_parse (text, &v);
  if (ok)
    *out = v;
  if (g_hash_table_size (ck->verdicts) < CACHE_MAX_CELLS)
    g_hash_table_insert (ck->verdicts, g_strdup (text), ok ? GINT_TO_POINTER (v + 1) : NULL);
  return ok;
}

/* intake_limit_parse and the limit's text, once per distinct limit cell. */
static gboolean
parse_limit_cell (Check *ck, const char *text, IntakeResultItem *it, GError **error)
{
  const CachedLimit *cached = g_hash_table_lookup (ck->limits, text);
  if (cached == NULL)
    {
      if (!intake_limit_parse (text, &it->limit, error))
        return FALSE;
      it->limit_text = intake_limit_to_string (&it->limit);
      if (g_hash_table_size (ck->limits) < CACHE_MAX_CELLS)
        {
          CachedLimit *c = g_new0 (CachedLimit, 1);
          c->limit = it->limit;
          c->limit.unit = g_strdup (it->limit.unit);
          c->text = g_strdup (it->limit_text);
          g_hash_table_insert (ck->limits, g_strdup (text), c);
        }
      return TRUE;
    }
  it->limit = cached->limit;
  it->limit.unit = g_strdup (cached->limit.unit);
  it->limit_text = g_strdup (cached->text);
  return TRUE;
}

static gboolean
parse_limit (Check *ck, IntakeResultItem *it)
{
  const char *limit = intake_row_get (ck->row, INTAKE_RESULT_LIMIT);
  const char *lo = intake_row_get (ck->row, INTAKE_RESULT_LIMIT_MIN);
  const char *hi = intake_row_get (ck->row, INTAKE_RESULT_LIMIT_MAX);
  g_autoptr (GError) error = NULL;
  if (!intake_text_is_blank (limit) && !(intake_text_is_blank (lo) && intake_text_is_blank (hi)))
    return problem (ck, INTAKE_RESULT_LIMIT,
                    _ ("give the limit either in this column or in the minimum/maximum columns, "
                       "not both")),
           FALSE;
  if (!intake_text_is_blank (limit))
    {
      if (!parse_limit_cell (ck, limit, it, &error))
        return problem (ck, INTAKE_RESULT_LIMIT, "%s", error->message), FALSE;
      return TRUE;
    }
  if (!intake_limit_parse_bounds (lo, hi, &it->limit, &error))
    return problem (ck,
                    intake_text_is_blank (lo) ? INTAKE_RESULT_LIMIT_MAX : INTAKE_RESULT_LIMIT_MIN,
                    "%s", error->message),
           FALSE;
  it->limit_text = intake_limit_to_string (&it->limit);
  return TRUE;
}

/* The unit column, the value's, the limit's and the detection limit's must agree. */
static gboolean
check_units (Check *ck, IntakeResultItem *it, const char *lod_unit)
{
  const char *column = intake_row_get (ck->row, INTAKE_RESULT_UNIT);
  const char *unit = *column ? column : it->value.unit ? it->value.unit : it->limit.unit;
  gboolean ok = TRUE;
  if (*column && it->value.unit && !intake_unit_equal (column, it->value.unit))
    problem (ck, INTAKE_RESULT_VALUE, _ ("the result is written in %s but the unit column says %s"),
             it->value.unit, column),
        ok = FALSE;
  else if (unit && it->limit.unit && !intake_unit_equal (unit, it->limit.unit))
    problem (ck, INTAKE_RESULT_UNIT, _ ("the result is in %s but the limit is in %s; convert one"),
             unit, it->limit.unit),
        ok = FALSE;
  if (unit && lod_unit && !intake_unit_equal (unit, lod_unit))
    problem (ck, INTAKE_RESULT_LOD,
             _ ("the detection limit is in %s but the result is in %s; convert one"), lod_unit,
             unit),
        ok = FALSE;
  it->unit = g_strdup (unit ? unit : lod_unit);
  return ok;
}

/* One row to an item; NULL (problems recorded) when any cell is wrong. */
static IntakeResultItem *
parse_row (Check *ck)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *lod_unit = NULL;
  IntakeResultItem *it = g_new0 (IntakeResultItem, 1);
  gboolean ok = TRUE;
  it->line = ck->row->line;
  it->item = g_strdup (intake_row_get (ck->row, INTAKE_RESULT_ITEM));
  it->value_text = g_strdup (intake_row_get (ck->row, INTAKE_RESULT_VALUE));
  if (*it->item == '\0')
    ok = FALSE, problem (ck, INTAKE_RESULT_ITEM, _ ("missing; name the test item"));
  const char *lod = intake_row_get (ck->row, INTAKE_RESULT_LOD);
  if (!intake_text_is_blank (lod) && !intake_text_is_placeholder (lod))
    {
      if (intake_detection_limit_parse (lod, &it->lod, &lod_unit, &error))
        it->has_lod = TRUE;
      else
        ok = FALSE, problem (ck, INTAKE_RESULT_LOD, "%s", error->message);
      g_clear_error (&error);
    }
  if (!parse_limit (ck, it))
    ok = FALSE;
  else if (!intake_value_parse (it->value_text, &it->limit, &it->value, &error))
    ok = FALSE, problem (ck, INTAKE_RESULT_VALUE, "%s", error->message);
  else if (!check_units (ck, it, lod_unit))
    ok = FALSE;
  if (!parse_verdict (ck, intake_row_get (ck->row, INTAKE_RESULT_ITEM_VERDICT), &it->lab_verdict))
    ok = FALSE, problem (ck, INTAKE_RESULT_ITEM_VERDICT,
                         _ ("%s; write 合格 or 不合格 (pass or fail), or / when the item is not "
                            "judged"),
                         *intake_row_get (ck->row, INTAKE_RESULT_ITEM_VERDICT) ? _ ("not a verdict")
                                                                               : _ ("missing"));
  if (!parse_date (ck, intake_row_get (ck->row, INTAKE_RESULT_TEST_DATE), &it->test_date))
    ok = FALSE, problem (ck, INTAKE_RESULT_TEST_DATE, _ ("not a date; write YYYY-MM-DD"));
  if (!ok)
    return item_free (it), NULL;
  it->computed = intake_verdict_compute (&it->value, &it->limit, it->has_lod, it->lod, &it->reason);
  it->governing = intake_verdict_govern (it->lab_verdict, it->computed);
  it->review = intake_verdict_disagree (it->lab_verdict, it->computed);
  return it;
}

/* Indexes of the pass over the rows. */
typedef struct
{
  GHashTable *reports; /* report_no -> IntakeReport* (borrowed) */
  GHashTable *samples; /* sampling_no -> IntakeReport* (borrowed) */
  GHashTable *items;   /* "report\x1fFOLDED item" -> line */
} Groups;

/* The row's report, created on first sight; NULL when the row cannot be placed. */
static IntakeReport *
place_row (Check *ck, Groups *g, IntakeResultFile *file)
{
  gboolean ids_ok = check_id (ck, INTAKE_RESULT_SAMPLING_NO, TRUE);
  ids_ok = check_id (ck, INTAKE_RESULT_REPORT_NO, FALSE) && ids_ok;
  const char *sample = intake_row_get (ck->row, INTAKE_RESULT_SAMPLING_NO);
  const char *report_no = intake_row_get (ck->row, INTAKE_RESULT_REPORT_NO);
  const char *conclusion = intake_row_get (ck->row, INTAKE_RESULT_CONCLUSION);
  IntakeVerdict verdict = INTAKE_VERDICT_NOT_JUDGED;
  gboolean conclusion_ok
      = parse_verdict (ck, conclusion, &verdict) && verdict != INTAKE_VERDICT_NOT_JUDGED;
  if (!conclusion_ok)
    problem (ck, INTAKE_RESULT_CONCLUSION,
             _ ("%s; every row carries its report's conclusion, 合格 or 不合格 (pass or fail)"),
             *conclusion ? _ ("not a conclusion") : _ ("missing conclusion"));
  if (!ids_ok)
    return NULL;
  IntakeReport *r = g_hash_table_lookup (g->reports, report_no);
  if (r == NULL)
    {
      IntakeReport *other = g_hash_table_lookup (g->samples, sample);
      if (other != NULL)
        {
          problem (ck, INTAKE_RESULT_REPORT_NO,
                   _ ("sample %s already has report %s (line %u) in this file; a sample has one "
                      "report (send a changed report as an amendment)"),
                   sample, other->report_no, other->line);
          return NULL;
        }
      r = g_new0 (IntakeReport, 1);
      r->report_no = g_strdup (report_no);
      r->sampling_no = g_strdup (sample);
      r->line = ck->row->line;
      r->conclusion_text = g_strdup (conclusion);
      r->lab_conclusion = conclusion_ok ? verdict : INTAKE_VERDICT_NOT_JUDGED;
      r->items = g_ptr_array_new_with_free_func (item_free);
      g_ptr_array_add (file->reports, r);
      g_hash_table_insert (g->reports, r->report_no, r);
      g_hash_table_insert (g->samples, r->sampling_no, r);
      return r;
    }
  if (strcmp (r->sampling_no, sample) != 0)
    {
      problem (ck, INTAKE_RESULT_SAMPLING_NO,
               _ ("report %s belongs to sample %s (line %u); a report covers one sample"),
               report_no, r->sampling_no, r->line);
      return NULL;
    }
  if (conclusion_ok && r->lab_conclusion != INTAKE_VERDICT_NOT_JUDGED
      && verdict != r->lab_conclusion)
    problem (ck, INTAKE_RESULT_CONCLUSION,
             _ ("report %s concludes \"%s\" on line %u; all its rows must carry the same "
                "conclusion"),
             report_no, r->conclusion_text, r->line);
  return r;
}

static void
add_item (Check *ck, Groups *g, IntakeReport *r, IntakeResultItem *it)
{
  g_autofree char *folded = intake_text_fold (it->item);
  char *key = g_strconcat (r->report_no, "\x1f", folded, NULL);
  guint first = GPOINTER_TO_UINT (g_hash_table_lookup (g->items, key));
  if (first != 0)
    {
      problem (ck, INTAKE_RESULT_ITEM,
               _ ("report %s already lists this item on line %u; give each item once"),
               r->report_no, first);
      g_free (key);
      item_free (it);
      return;
    }
  g_hash_table_insert (g->items, key, GUINT_TO_POINTER (it->line));
  g_ptr_array_add (r->items, it);
}

/* Conclusions from items, and the lab's conclusion against its own verdicts. */
static void
conclude_report (IntakeResultFile *file, CoreProblems *problems, IntakeReport *r)
{
  g_autofree IntakeVerdict *governing = g_new0 (IntakeVerdict, r->items->len + 1);
  const IntakeResultItem *lab_fail = NULL;
  gboolean review = FALSE;
  for (guint i = 0; i < r->items->len; i++)
    {
      const IntakeResultItem *it = g_ptr_array_index (r->items, i);
      governing[i] = it->governing;
      review = review || it->review;
      if (it->lab_verdict == INTAKE_VERDICT_FAIL && lab_fail == NULL)
        lab_fail = it;
    }
  r->computed = intake_verdict_conclude (governing, r->items->len);
  r->governing = intake_verdict_stricter (r->lab_conclusion, r->computed);
  r->review = review || intake_verdict_disagree (r->lab_conclusion, r->computed);
  const char *column = file->columns[INTAKE_RESULT_CONCLUSION];
  if (r->lab_conclusion == INTAKE_VERDICT_PASS && lab_fail != NULL)
    core_problems_add (problems, lab_fail->line, column, r->conclusion_text,
                       _ ("report %s concludes pass but the lab itself judges item \"%s\" "
                          "as failed; correct the conclusion or the item verdict"),
                       r->report_no, lab_fail->item);
  else if (r->lab_conclusion == INTAKE_VERDICT_FAIL && lab_fail == NULL && r->items->len > 0)
    core_problems_add (problems, r->line, column, r->conclusion_text,
                       _ ("report %s concludes fail but the lab judges none of its items as "
                          "failed; correct the conclusion or mark the failed item"),
                       r->report_no);
}

IntakeResultFile *
intake_results_from_table (const IntakeTable *table, CoreProblems *problems)
{
  g_return_val_if_fail (table->schema == &RESULT_SCHEMA, NULL);
  IntakeResultFile *file = g_new0 (IntakeResultFile, 1);
  Groups g = {
    g_hash_table_new (g_str_hash, g_str_equal),
    g_hash_table_new (g_str_hash, g_str_equal),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  Check ck = { table, problems, NULL, NULL, NULL, NULL, NULL };
  ck.limits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_limit_free);
  ck.verdicts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ck.dates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_date_free);
  ck.date_re = g_regex_new ("^([0-9]{4})(?:([-/.])([0-9]{1,2})\\2([0-9]{1,2})"
                            "|年([0-9]{1,2})月([0-9]{1,2})日)$",
                            G_REGEX_OPTIMIZE, 0, NULL);
  file->name = g_strdup (table->name);
  file->columns = g_new0 (char *, INTAKE_RESULT_N_FIELDS + 1);
  for (guint f = 0; f < INTAKE_RESULT_N_FIELDS; f++)
    file->columns[f] = g_strdup (intake_table_column (table, f));
  file->reports = g_ptr_array_new_with_free_func (report_free);
  file->n_rows = table->rows->len;
  for (guint i = 0; i < table->rows->len; i++)
    {
      ck.row = g_ptr_array_index (table->rows, i);
      IntakeReport *r = place_row (&ck, &g, file);
      IntakeResultItem *it = parse_row (&ck);
      if (r != NULL && it != NULL)
        add_item (&ck, &g, r, it);
      else if (it != NULL)
        item_free (it);
    }
  for (guint i = 0; i < file->reports->len; i++)
    conclude_report (file, problems, g_ptr_array_index (file->reports, i));
  if (table->rows->len == 0)
    core_problems_add (problems, 0, NULL, NULL,
                       _ ("no result rows: the file has a header but no data"));
  g_hash_table_unref (g.reports);
  g_hash_table_unref (g.samples);
  g_hash_table_unref (g.items);
  g_regex_unref (ck.date_re);
  g_hash_table_unref (ck.limits);
  g_hash_table_unref (ck.verdicts);
  g_hash_table_unref (ck.dates);
  return file;
}

IntakeResultFile *
intake_results_read_data (const char *data, gsize len, const char *name, IntakeFormat format,
                          CoreProblems *problems, GError **error)
{
  g_autoptr (IntakeTable) table
      = intake_table_read_data (data, len, name, format, &RESULT_SCHEMA, problems, error);
  return table ? intake_results_from_table (table, problems) : NULL;
}

IntakeResultFile *
intake_results_read_file (const char *path, const char *name, IntakeFormat format,
                          CoreProblems *problems, GError **error)
{
  g_autoptr (IntakeTable) table
      = intake_table_read_file (path, name, format, &RESULT_SCHEMA, problems, error);
  return table ? intake_results_from_table (table, problems) : NULL;
}

void
intake_results_check_dates (const IntakeResultFile *file, const GDate *today,
                            CoreProblems *problems)
{
  const char *column = file->columns[INTAKE_RESULT_TEST_DATE];
  for (guint i = 0; i < file->reports->len; i++)
    {
      const IntakeReport *r = g_ptr_array_index (file->reports, i);
      for (guint k = 0; k < r->items->len; k++)
        {
          const IntakeResultItem *it = g_ptr_array_index (r->items, k);
          if (g_date_compare (&it->test_date, today) <= 0)
            continue;
          g_autofree char *date = core_date_format (&it->test_date);
          g_autofree char *on = core_date_format (today);
          core_problems_add (problems, it->line, column, date,
                             _ ("after the import date %s; a test cannot be dated in the future"),
                             on);
        }
    }
}
