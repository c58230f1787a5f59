/* cmd-demo-inspectors.c: the cases worked as the people responsible would:
 * the disposal inspector of the business's office delivers the conclusion,
 * controls the risk, investigates, decides and verifies the rectification;
 * the coordinator accepts re-inspections and closes. Each case is given a
 * course when it is first seen: most are worked on time, one case in eight
 * late (delivered after the 5 working days, closed after the 90 days), one in
 * ten re-inspected and cleared (never one failed on microbes, which the law
 * does not re-test), one referred to the producer's district, one extended.
 * Every step is taken on its own date once the simulated today reaches it. */
#include "cli/cmd-demo.h"

#include "service/svc-cases.h"

#include "core/core-i18n.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum
{
  DEMO_CASE_NORMAL = 1,
  DEMO_CASE_LATE,
  DEMO_CASE_REINSPECT,
  DEMO_CASE_REFERRED,
  DEMO_CASE_EXTEND,   /* an extension still to approve */
  DEMO_CASE_EXTENDED, /* approved */
} DemoCaseKind;

/* Days after opening each step is taken on, by course. */
typedef struct
{
  int deliver, apply, accept, retest, control, investigate, refer, decide, verify, close, extend;
} DemoCourse;

static const DemoCourse courses[] = {
  [DEMO_CASE_NORMAL] = { 3, 0, 0, 0, 5, 12, 0, 24, 45, 52, 0 },
  [DEMO_CASE_LATE] = { 9, 0, 0, 0, 14, 30, 0, 60, 88, 99, 0 },
  [DEMO_CASE_REINSPECT] = { 3, 8, 11, 24, 0, 0, 0, 0, 0, 0, 0 },
  [DEMO_CASE_REFERRED] = { 3, 0, 0, 0, 5, 12, 15, 30, 50, 60, 0 },
  [DEMO_CASE_EXTEND] = { 3, 0, 0, 0, 6, 40, 0, 80, 110, 125, 20 },
  [DEMO_CASE_EXTENDED] = { 3, 0, 0, 0, 6, 40, 0, 80, 110, 125, 20 },
};

static DemoCaseKind
course_for (DemoRun *run, const char *case_no, const char *failed_items)
{
  gpointer known = g_hash_table_lookup (run->kinds, case_no);
  if (known != NULL)
    return GPOINTER_TO_INT (known);
  guint n = run->cases_seen++;
  gboolean microbe = strstr (failed_items, "菌") != NULL;
  DemoCaseKind kind = n == 2                    ? DEMO_CASE_REFERRED
                      : n == 4                  ? DEMO_CASE_EXTEND
                      : n % 10 == 6 && !microbe ? DEMO_CASE_REINSPECT
                      : n % 8 == 3              ? DEMO_CASE_LATE
                                                : DEMO_CASE_NORMAL;
  g_hash_table_insert (run->kinds, g_strdup (case_no), GINT_TO_POINTER (kind));
  return kind;
}

/* A field table from NAME, VALUE, ..., NULL. */
static GHashTable *
fields (const char *first, ...)
{
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list ap;
  va_start (ap, first);
  for (const char *k = first; k; k = va_arg (ap, const char *))
    g_hash_table_insert (t, g_strdup (k), g_strdup (va_arg (ap, const char *)));
  va_end (ap);
  return t;
}

/* The first active inspector of @office, who acts for it. */
static const char *
inspector_of (const DemoRun *run, const char *office)
{
  for (guint i = 0; i < run->district->inspectors->len; i++)
    {
      const SchedDemoInspector *p = g_ptr_array_index (run->district->inspectors, i);
      if (p->active && strcmp (p->office, office) == 0)
        return p->id;
    }
  return "inspector";
}

typedef struct
{
  const char *case_no, *office;
  GDate opened;
  int version, serial;
  DemoCaseKind kind;
  char *state;
} DemoCase;

/* Takes the next step of @c when its day has come; *@taken says whether. */
static gboolean
next_step (DemoRun *run, DemoCase *c, gboolean *taken, GError **error)
{
  const char *state = c->state;
  const DemoCourse *k = &courses[c->kind];
  SvcContext svc = run->svc;
  svc.role = SVC_ROLE_INSPECTOR;
  svc.office = c->office;
  svc.actor = inspector_of (run, c->office);
  const char *step = NULL;
  int day = 0;
  g_autoptr (GHashTable) f = NULL;
  /* The extension is asked for once the risk is under control, before the
   * investigation that needs the time. */
  gboolean extend = c->kind == DEMO_CASE_EXTEND && strcmp (state, "controlled") == 0;
  gboolean accept = FALSE;
  if (extend)
    day = k->extend;
  else if (strcmp (state, "open") == 0)
    step = "deliver", day = k->deliver;
  else if (strcmp (state, "notified") == 0 && c->kind == DEMO_CASE_REINSPECT)
    step = "apply-reinspection", day = k->apply;
  else if (strcmp (state, "notified") == 0 || strcmp (state, "disposing") == 0)
    step = "risk-control", day = k->control;
  else if (strcmp (state, "reinspection") == 0)
    step = "accept-reinspection", day = k->accept, accept = TRUE;
  else if (strcmp (state, "retesting") == 0)
    step = "reinspection-conforming", day = k->retest;
  else if (strcmp (state, "controlled") == 0)
    step = "investigate", day = k->investigate;
  else if (strcmp (state, "investigated") == 0 && c->kind == DEMO_CASE_REFERRED)
    step = "refer", day = k->refer;
  else if (strcmp (state, "investigated") == 0 || strcmp (state, "referred") == 0)
    step = c->serial % 3 == 0 ? "decide-filed" : "decide-not-filed", day = k->decide;
  else if (strcmp (state, "decided") == 0)
    step = "verify-rectification", day = k->verify;
  else if (strcmp (state, "rectified") == 0)
    step = "close", day = k->close;
  *taken = FALSE;
  if (step == NULL && !extend)
    return TRUE;
  GDate on = c->opened;
  g_date_add_days (&on, (guint)day);
  if (g_date_compare (&on, &run->svc.today) > 0)
    return TRUE;
  g_autofree char *d = demo_date_text (&on);
  g_auto (SvcCaseStepResult) r = { 0 };
  gboolean ok;
  if (extend || accept || g_str_has_prefix (step, "reinspection-") || strcmp (step, "close") == 0)
    {
      svc.role = SVC_ROLE_COORDINATOR;
      svc.office = NULL;
      svc.actor = run->svc.actor;
    }
  if (extend)
    {
      GDate until = c->opened;
      g_date_add_days (&until, 150);
      ok = svc_cases_extend (&svc, c->case_no, &until, "局长办公会", "涉案批次多、需外省协查",
                             c->version, &r, error);
      g_hash_table_replace (run->kinds, g_strdup (c->case_no),
                            GINT_TO_POINTER (DEMO_CASE_EXTENDED));
      c->kind = DEMO_CASE_EXTENDED;
      run->extended++;
    }
  else if (accept)
    {
      f = fields ("accepted-on", d, NULL);
      ok = svc_cases_reinspect_accept (&svc, c->case_no, f, NULL, NULL, c->version, &r, error);
    }
  else
    {
      g_autofree char *no = g_strdup_printf ("%s-%s", step, c->case_no);
      if (strcmp (step, "deliver") == 0)
        f = fields ("delivered-on", d, "delivery-method", "直接送达", NULL);
      else if (strcmp (step, "apply-reinspection") == 0)
        f = fields ("applied-on", d, "application-kind", "复检", NULL);
      else if (strcmp (step, "reinspection-conforming") == 0)
        f = fields ("result-on", d, "reinspection-report-no", no, NULL);
      else if (strcmp (step, "risk-control") == 0)
        f = fields ("controlled-on", d, "measures", "封存;下架", "sealed-qty", "12",
                    "off-shelf-qty", "30", "recalled-qty", "0", "upstream-notified", "true",
                    "downstream-notified", "true", NULL);
      else if (strcmp (step, "investigate") == 0)
        f = fields ("investigated-on", d, "cause",
                    c->kind == DEMO_CASE_REFERRED ? "标称生产企业在外区，原料农残超标"
                                                  : "进货查验不严",
                    "producer-elsewhere", c->kind == DEMO_CASE_REFERRED ? "true" : "false", NULL);
      else if (strcmp (step, "refer") == 0)
        f = fields ("referred-on", d, "referral-letter-no", no, "referred-to",
                    "天津市西青区市场监督管理局", NULL);
      else if (strcmp (step, "decide-filed") == 0)
        f = fields ("decided-on", d, "filing-no", no, "penalty", "警告并罚款", "fine-yuan", "5000",
                    NULL);
      else if (strcmp (step, "decide-not-filed") == 0)
        f = fields ("decided-on", d, "not-filed-reason", "首次违法且危害后果轻微并及时改正", NULL);
      else if (strcmp (step, "verify-rectification") == 0)
        f = fields ("verified-on", d, "rectification", "已建立进货查验记录，问题产品已销毁", NULL);
      else
        f = fields ("closed-on", d, "outcome", "已处置完毕", NULL);
      ok = strcmp (step, "close") == 0
               ? svc_cases_close (&svc, c->case_no, f, NULL, c->version, &r, error)
               : svc_cases_advance (&svc, c->case_no, step, f, NULL, c->version, &r, error);
    }
  if (!ok)
    {
      g_prefix_error (error, _ ("case %s, step %s on %s: "), c->case_no, extend ? "extend" : step,
                      d);
      return FALSE;
    }
  c->version = r.version;
  if (r.to_state != NULL)
    {
      g_free (c->state);
      c->state = g_strdup (r.to_state);
    }
  run->steps++;
  *taken = TRUE;
  return TRUE;
}

gboolean
demo_inspectors (DemoRun *run, GError **error)
{
  SvcCasesFilter filter = { .due_within = -1 };
  g_autoptr (CoreTable) cases = svc_cases_list_where (&run->svc, &filter, error);
  if (cases == NULL)
    return FALSE;
  guint no = (guint)core_table_find (cases, "case_no"),
        state = (guint)core_table_find (cases, "state");
  guint opened = (guint)core_table_find (cases, "opened_on"),
        office = (guint)core_table_find (cases, "office");
  guint version = (guint)core_table_find (cases, "version"),
        failed = (guint)core_table_find (cases, "failed_items");
  for (guint r = 0; r < core_table_n_rows (cases); r++)
    {
      if (strcmp (core_table_get (cases, r, state), "closed") == 0)
        continue;
      DemoCase c = {
        .case_no = core_table_get (cases, r, no),
        .office = core_table_get (cases, r, office),
        .version = atoi (core_table_get (cases, r, version)),
        .serial = (int)r,
      };
      int y = 0, m = 0, d = 0;
      if (sscanf (core_table_get (cases, r, opened), "%d-%d-%d", &y, &m, &d) != 3)
        continue;
      c.opened = demo_date (y, m, d);
      c.kind = course_for (run, c.case_no, core_table_get (cases, r, failed));
      g_autofree char *current = c.state = g_strdup (core_table_get (cases, r, state));
      gboolean ok = TRUE;
      for (gboolean taken = TRUE; ok && taken;)
        ok = next_step (run, &c, &taken, error);
      current = c.state; /* next_step() may have replaced it */
      if (!ok)
        return FALSE;
    }
  return TRUE;
}
