/* db-report-cases.c: the case and disclosure queries. They read nc_case,
 * case_state, case_deadline and case_event directly: the step names the
 * reports count (extend, refer, reopen) are the workflow's
 * (config/case-workflow.conf), and the amendment path's own event names
 * ("reopened", "withdrawn by amendment") count the same. */
#include "db/db-report-private.h"

/* The district's (or office's) cases, with whether their state is terminal
 * and whether an unmet deadline has passed. */
#define CS                                                                                         \
  ", cs AS (SELECT k.*, st.terminal, EXISTS (SELECT 1 FROM case_deadline dl "                      \
  "    WHERE dl.district = k.district AND dl.case_no = k.case_no AND dl.met_at IS NULL "           \
  "    AND NOT dl.business_window AND dl.due_on < p.today) AS late "                               \
  "  FROM nc_case k JOIN case_state st ON st.district = k.district AND st.state = k.state, p "     \
  "  WHERE k.district = p.d AND (p.office IS NULL OR k.office = p.office)) "

/* Events of those cases dated in the period. */
#define EV                                                                                         \
  ", ev AS (SELECT e.event FROM case_event e JOIN cs ON cs.case_no = e.case_no, p "                \
  "  WHERE e.district = p.d AND e.on_date BETWEEN p.ps AND p.pe) "

#define OPENED " cs.opened_on BETWEEN p.ps AND p.pe "
#define CLOSED " cs.closed_on BETWEEN p.ps AND p.pe "
#define OPEN_NOW " NOT cs.terminal AND cs.opened_on <= p.pe "
#define DAYS_TO_CLOSE(q)                                                                           \
  "round ((percentile_cont (" q ") WITHIN GROUP (ORDER BY (cs.closed_on - cs.opened_on)::float8) " \
  "FILTER (WHERE" CLOSED "))::numeric, 1)"

static const char CASES_SUMMARY[] = DB_REPORT_P CS EV
    "SELECT count (*) FILTER (WHERE" OPENED "), "
    "  count (*) FILTER (WHERE" OPENED "AND cs.source <> 'district'), "
    "  count (*) FILTER (WHERE" CLOSED "), count (*) FILTER (WHERE" OPEN_NOW "), "
    "  count (*) FILTER (WHERE" OPEN_NOW "AND cs.late), " DAYS_TO_CLOSE ("0.5") ", " DAYS_TO_CLOSE (
        "0.9") ", "
               "  (SELECT count (*) FROM ev WHERE event = 'extend'), "
               "  (SELECT count (*) FROM ev WHERE event = 'refer'), "
               "  (SELECT count (*) FROM ev WHERE event IN ('reopen', 'reopened')) "
               "FROM p LEFT JOIN cs ON true";

static const char CASES_STATES[] = DB_REPORT_P CS
    "SELECT st.state, CASE WHEN p.lang = 'zh' THEN st.zh ELSE st.state END, count (cs.case_no) "
    "FROM case_state st JOIN p ON st.district = p.d "
    "LEFT JOIN cs ON cs.state = st.state AND cs.opened_on <= p.pe "
    "GROUP BY st.state, st.zh, st.position, p.lang ORDER BY st.position, st.state";

static const char CASES_OFFICES[] = DB_REPORT_P CS
    "SELECT cs.office, min (CASE WHEN p.lang = 'zh' THEN o.name_zh ELSE o.name_en END), "
    "  count (*) FILTER (WHERE" OPENED "), count (*) FILTER (WHERE" OPEN_NOW "), "
    "  count (*) FILTER (WHERE" OPEN_NOW "AND cs.late), count (*) FILTER (WHERE" CLOSED
    "), " DAYS_TO_CLOSE ("0.5") ", " DAYS_TO_CLOSE (
        "0.9") " "
               "FROM p CROSS JOIN cs LEFT JOIN office o ON o.district = p.d AND o.code = cs.office "
               "WHERE cs.opened_on <= p.pe GROUP BY cs.office ORDER BY cs.office NULLS LAST";

static const char CASES_REFERRALS[] = DB_REPORT_P CS
    "SELECT s.source, count (cs.case_no) "
    "FROM (VALUES (1, 'city'), (2, 'provincial'), (3, 'national')) AS s (n, source) CROSS JOIN p "
    "LEFT JOIN cs ON cs.source = s.source AND" OPENED "GROUP BY s.n, s.source ORDER BY s.n";

static const char CASES_AGEING[] = DB_REPORT_P CS
    "SELECT b.label, b.lo, b.hi, count (cs.case_no) "
    "FROM (VALUES ('0-15', 0, 15), ('16-30', 16, 30), ('31-60', 31, 60), ('61-90', 61, 90), "
    "  ('>90', 91, NULL)) AS b (label, lo, hi) CROSS JOIN p "
    "LEFT JOIN cs ON" OPEN_NOW "AND p.today - cs.opened_on >= b.lo "
    "  AND (b.hi IS NULL OR p.today - cs.opened_on <= b.hi) "
    "GROUP BY b.label, b.lo, b.hi ORDER BY b.lo";

/* Nonconforming samples of the period, one row each, in the published form.
 * Nothing about inspectors is selected. The producer's address and the brand
 * are not recorded on the sample yet: NULL columns keep the form's shape. */
static const char DISCLOSURE[] = DB_REPORT_P
    ", nc AS (SELECT t.record_no, t.uscc, t.category, r.lab, r.report_no, r.version "
    "  FROM task t JOIN lab_report r ON r.district = t.district AND r.record_no = t.record_no "
    "    AND r.current AND r.governing = 'fail', p "
    "  WHERE t.district = p.d AND t.year = p.y AND t.month BETWEEN p.m1 AND p.m2 "
    "    AND t.status = 'sampled' AND (p.office IS NULL OR t.office = p.office)) "
    "SELECT row_number () OVER (ORDER BY nc.record_no), s.labelled_producer, NULL::text, "
    "  b.name, b.address, s.sample_name, s.specification, NULL::text, "
    "  nullif (concat_ws (' / ', to_char (s.production_date, 'YYYY-MM-DD'), s.batch), ''), "
    "  (SELECT string_agg (ri.item || '‖' || ri.value_text || coalesce (ri.unit, '') || '‖' "
    "     || coalesce (ri.limit_text || coalesce (ri.unit, ''), "
    "        CASE WHEN ri.must_not_detect THEN '不得检出' END, ''), '；' ORDER BY ri.line, "
    "ri.item) "
    "   FROM result_item ri WHERE ri.district = p.d AND ri.lab = nc.lab "
    "     AND ri.report_no = nc.report_no AND ri.version = nc.version "
    "     AND ri.governing_verdict = 'fail'), "
    "  CASE WHEN p.lang = 'zh' THEN c.name_zh ELSE c.name_en END, l.name, k.state, "
    "  ce.event, ce.detail "
    "FROM p CROSS JOIN nc JOIN sample s ON s.district = p.d AND s.record_no = nc.record_no "
    "JOIN business b ON b.district = p.d AND b.uscc = nc.uscc "
    "JOIN category c ON c.code = nc.category "
    "JOIN lab l ON l.district = p.d AND l.code = nc.lab "
    "LEFT JOIN nc_case k ON k.district = p.d AND k.record_no = nc.record_no "
    "LEFT JOIN LATERAL (SELECT e.event, e.detail FROM case_event e WHERE e.district = p.d "
    "  AND e.case_no = k.case_no AND k.state = 'closed' AND e.to_state = 'closed' "
    "  ORDER BY e.id DESC LIMIT 1) ce ON true "
    "ORDER BY nc.record_no";

const char *
db_report_cases_sql (DbReportQuery query)
{
  switch (query)
    {
    case DB_REPORT_CASES_SUMMARY:
      return CASES_SUMMARY;
    case DB_REPORT_CASES_STATES:
      return CASES_STATES;
    case DB_REPORT_CASES_OFFICES:
      return CASES_OFFICES;
    case DB_REPORT_CASES_REFERRALS:
      return CASES_REFERRALS;
    case DB_REPORT_CASES_AGEING:
      return CASES_AGEING;
    case DB_REPORT_DISCLOSURE:
      return DISCLOSURE;
    default:
      return NULL;
    }
}
