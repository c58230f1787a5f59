/* db-cases-private.h: case numbering, shared by the two ways cases open
 * (db-cases.c: lab results, db-cases-queue.c: referrals). Not for other folders. */
#pragma once

#include "db/db-cases.h"

G_BEGIN_DECLS

/* Reserves @n case numbers of @year for @district and returns the serial
 * before the first (free it). Row-locks the counter until the transaction
 * ends, so numbers are never handed out twice. */
char *db_cases_reserve (PGconn *conn, const char *district, const char *year, guint n,
                        GError **error);

/* The SQL expression of a case number, HC<year>-<serial of five digits>, with
 * the year in parameter $@year_param, the reserved base in $@base_param and the
 * row's rank (1, 2, ...) in @rank. Free it. */
char *db_cases_number_sql (int year_param, int base_param, const char *rank);

G_END_DECLS
