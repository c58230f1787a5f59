/* db-history.h: a business's record read back from the sampling, results and
 * case tables (read only): its samples, its nonconformities and its cases for
 * `registry show`, and a year's record of every business for the risk-grade
 * suggestions. The verdict of a report is the one that governs it: the
 * verdict a review resolution adopted (review_resolution), else the stricter
 * of the lab's and the recomputed one. */
#pragma once

#include "core/core-table.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

/* The samples of @uscc, oldest first, keyed "samples": record_no,
 * sampling_date, category, category_name, product, lab, report_no, verdict
 * (empty while no result is stored). */
CoreTable *db_history_samples (PGconn *conn, const char *district, const char *uscc,
                               GError **error);

/* The failed items of @uscc's nonconforming current reports, keyed
 * "nonconformities": record_no, sampling_date, lab, report_no, item, value,
 * unit, limit, verdict. A report a review resolution made nonconforming lists
 * its flagged items. */
CoreTable *db_history_nonconformities (PGconn *conn, const char *district, const char *uscc,
                                       GError **error);

/* The cases of @uscc, keyed "cases": case_no, source, state, product,
 * failed_items, opened_on, closed_on, outcome (once closed: the closing
 * step's outcome field, else the closing step's name), filed (an
 * administrative case was filed: an event named @filed_step). */
CoreTable *db_history_cases (PGconn *conn, const char *district, const char *uscc,
                             const char *filed_step, GError **error);

/* A business's record in one year, for the grade suggestions. */
typedef struct
{
  char *uscc;
  char *name;
  char grade;         /* the current risk grade, 'A'..'D' */
  char sampled_grade; /* the grade on its first task of the year (the grade the year's
                       * sampling was drawn under), else the current grade */
  guint nonconformities;
  char *what;  /* the nonconforming samples (and referral notices), "; "-separated */
  guint filed; /* cases filed (立案) in the year */
  char *filed_cases;
} DbHistoryYear;

void db_history_year_free (DbHistoryYear *row);

/* Every business of @district with a nonconformity or a filed case in @year,
 * by credit code: nonconformities are current reports on samples taken in
 * @year whose governing verdict fails, and with @referrals also the
 * referral cases (city, provincial, national sampling) noticed in @year; a
 * filed case is one with an event named @filed_step dated in @year.
 * GPtrArray of DbHistoryYear* (owned). */
GPtrArray *db_history_year (PGconn *conn, const char *district, int year, gboolean referrals,
                            const char *filed_step, GError **error);

/* The directory rows of the businesses @usccs (NULL-terminated) exactly as
 * `registry import` reads them (keys uscc, licence, name, stage, street,
 * address, grade, categories, active), by credit code, keyed "businesses". */
CoreTable *db_history_directory_rows (PGconn *conn, const char *district, const char *const *usccs,
                                      GError **error);

G_END_DECLS
