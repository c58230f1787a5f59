/* intake-referral.h: a file of nonconforming notices from national,
 * provincial and city sampling (国抽/省抽/市抽) read and checked row by row,
 * without the database.
 *
 * Columns (any order; Chinese or English names):
 *   level         抽检级别     required  国抽/省抽/市抽 or national/provincial/city
 *   notice_no     通知书编号   required  unique per level within the file
 *   uscc          统一社会信用代码 required  GB 32100 check character
 *   business_name 企业名称     required
 *   product       样品名称     optional
 *   failed_items  不合格项目   required  separated by ; 、 , or a line break
 *   notice_date   通知日期     required  YYYY-MM-DD
 *
 * What this module cannot check (the caller adds those problems with the
 * database, using each notice's line and intake_referral_file_column()):
 * businesses missing from the registry, notices already on record. */
#pragma once

#include "intake/intake-table.h"

G_BEGIN_DECLS

typedef enum
{
  INTAKE_REFERRAL_LEVEL,
  INTAKE_REFERRAL_NOTICE_NO,
  INTAKE_REFERRAL_USCC,
  INTAKE_REFERRAL_NAME,
  INTAKE_REFERRAL_PRODUCT,
  INTAKE_REFERRAL_FAILED,
  INTAKE_REFERRAL_DATE,
  INTAKE_REFERRAL_N_FIELDS
} IntakeReferralField;

typedef struct
{
  guint line;
  const char *source; /* "national", "provincial" or "city" (static) */
  char *notice_no;
  char *uscc; /* upper case */
  char *business_name;
  char *product;       /* NULL when not given */
  char **failed_items; /* NULL-terminated, at least one */
  GDate notice_date;
} IntakeReferral;

typedef struct
{
  char *name;
  char **columns;       /* per IntakeReferralField: the column as written, or the key */
  GPtrArray *referrals; /* IntakeReferral*, file order; only rows without problems */
} IntakeReferralFile;

/* The column schema of a referral file (static). */
const IntakeSchema *intake_referral_schema (void);

/* The source a level word names ("national", "provincial", "city"), or NULL. */
const char *intake_referral_source (const char *level);

/* Checks every row of @table (read with intake_referral_schema()), adding each
 * problem to @problems. Always returns a file (free with
 * intake_referral_file_free()); complete only when @problems stays empty. */
IntakeReferralFile *intake_referral_from_table (const IntakeTable *table, CoreProblems *problems);

/* Reads and checks in one go; NULL with @error when the file is not a table. */
IntakeReferralFile *intake_referral_read_file (const char *path, const char *name,
                                               CoreProblems *problems, GError **error);
IntakeReferralFile *intake_referral_read_data (const char *data, gsize len, const char *name,
                                               CoreProblems *problems, GError **error);

void intake_referral_file_free (IntakeReferralFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IntakeReferralFile, intake_referral_file_free)

const char *intake_referral_file_column (const IntakeReferralFile *file, IntakeReferralField field);

G_END_DECLS
