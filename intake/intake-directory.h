/* intake-directory.h: rows of the directory imports (businesses, inspectors,
 * labs) checked into structs, every problem listed, without the database.
 *
 * Columns (Chinese or English names; all aliases in intake-directory.c):
 * businesses: uscc 统一社会信用代码*, licence 许可证编号, name 名称*, stage 环节*
 *   (production/distribution/catering/market or 生产/流通/餐饮/市场), street 街道*
 *   (code or name), address 地址, grade 风险等级* (A–D), categories 经营类别*
 *   (codes 01–34 or names, separated by ; 、 or ,), active 状态 (是/否, 1/0; default yes)
 * inspectors: id 人员编号*, name 姓名*, office 所属监管所* (code or name), active 状态,
 *   conflicts 回避企业 (credit codes of businesses the inspector must not inspect)
 * labs: code 机构代码*, name 机构名称*, categories 承检类别*, capacity 月检验能力*
 *   (batches a month, a whole number), active 状态
 * (* = required column.) Codes of categories, streets and offices are checked
 * against the CoreCatalog built from config/. Whether conflicts name businesses
 * on record is for the caller to check against the database. */
#pragma once

#include "core/core-catalog.h"
#include "intake/intake-table.h"

G_BEGIN_DECLS

typedef enum
{
  INTAKE_STAGE_PRODUCTION,   /* 生产 */
  INTAKE_STAGE_DISTRIBUTION, /* 流通 */
  INTAKE_STAGE_CATERING,     /* 餐饮 */
  INTAKE_STAGE_MARKET,       /* 市场 (集中交易市场) */
} IntakeStage;

/* "production", "distribution", "catering", "market". */
const char *intake_stage_name (IntakeStage stage);

typedef enum
{
  INTAKE_BUSINESS_USCC,
  INTAKE_BUSINESS_LICENCE,
  INTAKE_BUSINESS_NAME,
  INTAKE_BUSINESS_STAGE,
  INTAKE_BUSINESS_STREET,
  INTAKE_BUSINESS_ADDRESS,
  INTAKE_BUSINESS_GRADE,
  INTAKE_BUSINESS_CATEGORIES,
  INTAKE_BUSINESS_ACTIVE,
  INTAKE_BUSINESS_N_FIELDS
} IntakeBusinessField;

typedef struct
{
  guint line;
  char *uscc;
  char *licence; /* NULL when not given */
  char *name;
  IntakeStage stage;
  char *street;      /* street code from the catalog */
  char *address;     /* NULL when not given */
  char grade;        /* 'A'..'D' */
  char **categories; /* sorted, distinct category codes */
  gboolean active;
} IntakeBusiness;

typedef enum
{
  INTAKE_INSPECTOR_ID,
  INTAKE_INSPECTOR_NAME,
  INTAKE_INSPECTOR_OFFICE,
  INTAKE_INSPECTOR_ACTIVE,
  INTAKE_INSPECTOR_CONFLICTS,
  INTAKE_INSPECTOR_N_FIELDS
} IntakeInspectorField;

typedef struct
{
  guint line;
  char *id;
  char *name;
  char *office; /* office code from the catalog */
  gboolean active;
  char **conflicts; /* credit codes, possibly empty, never NULL */
} IntakeInspector;

typedef enum
{
  INTAKE_LAB_CODE,
  INTAKE_LAB_NAME,
  INTAKE_LAB_CATEGORIES,
  INTAKE_LAB_CAPACITY,
  INTAKE_LAB_ACTIVE,
  INTAKE_LAB_N_FIELDS
} IntakeLabField;

typedef struct
{
  guint line;
  char *code;
  char *name;
  char **categories;
  guint capacity; /* batches a month */
  gboolean active;
} IntakeLab;

/* Schemas for intake_table_read_*() (static; do not free). */
const IntakeSchema *intake_business_schema (void);
const IntakeSchema *intake_inspector_schema (void);
const IntakeSchema *intake_lab_schema (void);

/* Each returns a new array (free with g_ptr_array_unref(), which frees the
 * elements) of the rows that passed; every problem goes into @problems and the
 * caller must reject the file when there is any. Duplicate keys (USCC, id,
 * code) within the file are problems. */
GPtrArray *intake_businesses_from_table (const IntakeTable *table, const CoreCatalog *catalog,
                                         CoreProblems *problems);
GPtrArray *intake_inspectors_from_table (const IntakeTable *table, const CoreCatalog *catalog,
                                         CoreProblems *problems);
GPtrArray *intake_labs_from_table (const IntakeTable *table, const CoreCatalog *catalog,
                                   CoreProblems *problems);

/* Read @path with the right schema and check it; NULL with @error set only when
 * the file cannot be read as a table (see intake_table_read_file()). */
GPtrArray *intake_businesses_read_file (const char *path, const char *name, IntakeFormat format,
                                        const CoreCatalog *catalog, CoreProblems *problems,
                                        GError **error);
GPtrArray *intake_inspectors_read_file (const char *path, const char *name, IntakeFormat format,
                                        const CoreCatalog *catalog, CoreProblems *problems,
                                        GError **error);
GPtrArray *intake_labs_read_file (const char *path, const char *name, IntakeFormat format,
                                  const CoreCatalog *catalog, CoreProblems *problems,
                                  GError **error);

void intake_business_free (IntakeBusiness *business);
void intake_inspector_free (IntakeInspector *inspector);
void intake_lab_free (IntakeLab *lab);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IntakeBusiness, intake_business_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IntakeInspector, intake_inspector_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IntakeLab, intake_lab_free)

G_END_DECLS
