/* svc-results-stage.c: each report of a checked result file as the row db/
 * stages: the digest that recognises an unchanged report in a new file, the
 * review reason, the failed items and the range of its test dates. */
#include "service/svc-results-stage.h"

#include "core/core-i18n.h"
#include <string.h>

void
svc_results_stage_init (SvcResultsStage *stage, const IntakeResultFile *file)
{
  memset (stage, 0, sizeof *stage);
  stage->file = file;
  stage->scratch = g_string_new (NULL);
  stage->failed = g_ptr_array_new ();
}

void
svc_results_stage_clear (SvcResultsStage *stage)
{
  if (stage->scratch != NULL)
    g_string_free (stage->scratch, TRUE);
  if (stage->failed != NULL)
    g_ptr_array_unref (stage->failed);
  g_free (stage->digest);
  g_free (stage->why);
  memset (stage, 0, sizeof *stage);
}

/* The date as YYYY-MM-DD into @buf (16 bytes), without an allocation. */
static const char *
date_text (char *buf, const GDate *d)
{
  g_snprintf (buf, 16, "%04u-%02u-%02u", g_date_get_year (d), g_date_get_month (d),
              g_date_get_day (d));
  return buf;
}

static int
item_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(IntakeResultItem *const *)a)->item, (*(IntakeResultItem *const *)b)->item);
}

/* @v then @sep, as "%s" in printf writes it (glibc prints NULL as "(null)",
 * and the stored digests were made so). */
static void
add_text (GString *s, const char *v, char sep)
{
  g_string_append (s, v != NULL ? v : "(null)");
  g_string_append_c (s, sep);
}

/* SHA-256 of what the lab says in a report, independent of row order and
 * encoding, so that an unchanged report in a new file is recognised. @s is
 * scratch space, reused from report to report. The hashed bytes must never
 * change: stored digests are compared with them. */
static char *
report_digest (const IntakeReport *r, GString *s)
{
  /* A borrowed view: g_ptr_array_copy() would carry over the free function. */
  g_autoptr (GPtrArray) items = g_ptr_array_sized_new (r->items->len);
  for (guint i = 0; i < r->items->len; i++)
    g_ptr_array_add (items, g_ptr_array_index (r->items, i));
  g_ptr_array_sort (items, item_cmp);
  g_string_truncate (s, 0);
  add_text (s, r->report_no, '\x1f');
  add_text (s, r->sampling_no, '\x1f');
  add_text (s, r->conclusion_text, '\x1e');
  /* Items of a report mostly share one detection limit and one date. */
  char lod[G_ASCII_DTOSTR_BUF_SIZE] = "", date[16] = "";
  gboolean have_lod = FALSE, have_date = FALSE;
  double last_lod = 0;
  GDate last_date;
  for (guint i = 0; i < items->len; i++)
    {
      const IntakeResultItem *it = g_ptr_array_index (items, i);
      if (it->has_lod && (!have_lod || memcmp (&it->lod, &last_lod, sizeof last_lod) != 0))
        {
          g_ascii_dtostr (lod, sizeof lod, it->lod);
          last_lod = it->lod;
          have_lod = TRUE;
        }
      if (!have_date || g_date_compare (&it->test_date, &last_date) != 0)
        {
          date_text (date, &it->test_date);
          last_date = it->test_date;
          have_date = TRUE;
        }
      add_text (s, it->item, '\x1f');
      add_text (s, it->value_text, '\x1f');
      add_text (s, it->unit ? it->unit : "", '\x1f');
      add_text (s, it->limit_text ? it->limit_text : "", '\x1f');
      add_text (s, it->has_lod ? lod : "", '\x1f');
      add_text (s, intake_verdict_name (it->lab_verdict), '\x1f');
      add_text (s, date, '\x1e');
    }
  /* A line break inside a quoted value follows the file's line ends. */
  if (memchr (s->str, '\r', s->len) != NULL)
    g_string_replace (s, "\r\n", "\n", 0);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, s->str, (gssize)s->len);
}

/* Why a report needs a person's look, or NULL. */
static char *
review_reason (const IntakeReport *r)
{
  if (!r->review)
    return NULL;
  g_autoptr (GString) s = g_string_new (NULL);
  for (guint i = 0; i < r->items->len; i++)
    {
      const IntakeResultItem *it = g_ptr_array_index (r->items, i);
      if (it->review)
        g_string_append_printf (s, "%s%s: lab %s, computed %s (%s)", s->len ? "; " : "", it->item,
                                intake_verdict_name (it->lab_verdict),
                                intake_verdict_name (it->computed), it->reason ? it->reason : "");
    }
  if (intake_verdict_disagree (r->lab_conclusion, r->computed))
    g_string_append_printf (s, "%sconclusion: lab %s, computed %s", s->len ? "; " : "",
                            intake_verdict_name (r->lab_conclusion),
                            intake_verdict_name (r->computed));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

gboolean
svc_results_stage_next (gpointer data, DbResultsReport *out)
{
  SvcResultsStage *st = data;
  const IntakeReport *r = NULL;
  while (st->next < st->file->reports->len && r == NULL)
    {
      r = g_ptr_array_index (st->file->reports, st->next++);
      if (r->items->len == 0)
        r = NULL;
    }
  if (r == NULL)
    {
      core_progress_update (st->progress, _ ("staging reports"), st->next, st->file->reports->len);
      return FALSE;
    }
  if (st->next % 256 == 0)
    core_progress_update (st->progress, _ ("staging reports"), st->next, st->file->reports->len);
  g_free (st->digest);
  g_free (st->why);
  st->digest = report_digest (r, st->scratch);
  st->why = review_reason (r);
  g_ptr_array_set_size (st->failed, 0);
  const IntakeResultItem *first = g_ptr_array_index (r->items, 0);
  GDate latest = first->test_date;
  for (guint i = 0; i < r->items->len; i++)
    {
      const IntakeResultItem *it = g_ptr_array_index (r->items, i);
      if (g_date_compare (&it->test_date, &latest) > 0)
        latest = it->test_date;
      if (g_date_compare (&it->test_date, &first->test_date) < 0)
        first = it;
      if (it->governing == INTAKE_VERDICT_FAIL)
        g_ptr_array_add (st->failed, it->item);
    }
  g_ptr_array_add (st->failed, NULL);
  *out = (DbResultsReport){
    .line = r->line,
    .report_no = r->report_no,
    .record_no = r->sampling_no,
    .conclusion_text = r->conclusion_text,
    .lab_conclusion = r->lab_conclusion,
    .computed = r->computed,
    .governing = r->governing,
    .review_reason = st->why,
    .test_date = latest,
    .first_date = first->test_date,
    .first_line = first->line,
    .items = r->items->len,
    .digest = st->digest,
    .failed = (const char *const *)st->failed->pdata,
  };
  return TRUE;
}
