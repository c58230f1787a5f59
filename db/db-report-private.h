/* db-report-private.h: shared between the report query files. */
#pragma once

#include "db/db-report.h"

/* Every report query starts from this one-row CTE p, so that each of them
 * takes the same seven parameters whether it needs them all or not:
 * district, year, first month, last month, office ('' for none), lang, today;
 * ps and pe are the period's first and last day. */
#define DB_REPORT_P                                                                                \
  "WITH p AS (SELECT $1::char(6) AS d, $2::int AS y, $3::int AS m1, $4::int AS m2, "               \
  "nullif ($5::text, '') AS office, $6::text AS lang, $7::date AS today, "                         \
  "make_date ($2::int, $3::int, 1) AS ps, "                                                        \
  "(make_date ($2::int, $4::int, 1) + interval '1 month' - interval '1 day')::date AS pe) "

/* The SQL of a cases or disclosure query (db-report-cases.c), or NULL. */
const char *db_report_cases_sql (DbReportQuery query);
