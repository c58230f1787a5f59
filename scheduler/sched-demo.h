/* sched-demo.h: a plausible demo district (businesses, inspectors, labs) over
 * the catalog's streets and offices, for the demo, the tests and the bench;
 * and the CSV files `registry import` reads.
 *
 * CSV files (UTF-8, no BOM, comma-separated, RFC 4180 quoting, first line the
 * header below; lists inside a field are joined by ';'):
 *   businesses.csv  uscc        18-character USCC (GB 32100-2015, check character valid)
 *                   licence     JY1… (sale), JY2… (catering) or SC1… (production)
 *                   name        business name
 *                   stage       production | distribution | catering | market
 *                   street      street code of the catalog
 *                   address     postal address
 *                   grade       risk grade A, B, C or D
 *                   categories  food category codes handled, e.g. 31 or 01;03;24
 *                   active      1 (in business) or 0
 *   inspectors.csv  id, name, office (office code), active (1 or 0),
 *                   conflicts   USCCs of businesses this inspector must not inspect
 *   labs.csv        code, name, categories (accredited category codes),
 *                   capacity    tasks the lab accepts a month */
#pragma once

#include "core/core-catalog.h"
#include "core/core-progress.h"
#include "scheduler/sched-draw.h"

G_BEGIN_DECLS

#define SCHED_DEMO_BUSINESSES_FILE "businesses.csv"
#define SCHED_DEMO_INSPECTORS_FILE "inspectors.csv"
#define SCHED_DEMO_LABS_FILE "labs.csv"
#define SCHED_DEMO_BUSINESSES_HEADER                                                               \
  "uscc,licence,name,stage,street,address,grade,categories,active"
#define SCHED_DEMO_INSPECTORS_HEADER "id,name,office,active,conflicts"
#define SCHED_DEMO_LABS_HEADER "code,name,categories,capacity"

#define SCHED_DEMO_ERROR (sched_demo_error_quark ())
GQuark sched_demo_error_quark (void);

typedef enum
{
  SCHED_DEMO_ERROR_CATALOG, /* the catalog lacks streets, offices or categories */
  SCHED_DEMO_ERROR_WRITE,   /* a CSV file cannot be written */
} SchedDemoError;

typedef struct
{
  char *uscc;
  char *licence;
  char *name;
  char *stage; /* production, distribution, catering or market */
  char *street;
  char *address;
  char grade; /* 'A'..'D' */
  char **categories;
  gboolean active;
} SchedDemoBusiness;

typedef struct
{
  char *id;
  char *name;
  char *office;
  gboolean active;
  char **conflicts; /* USCCs */
} SchedDemoInspector;

typedef struct
{
  char *code;
  char *name;
  char **categories;
  guint capacity; /* a month */
} SchedDemoLab;

typedef struct
{
  char *district;
  GPtrArray *businesses; /* SchedDemoBusiness*, in generation order */
  GPtrArray *inspectors; /* SchedDemoInspector* */
  GPtrArray *labs;       /* SchedDemoLab* */
} SchedDemo;

/* Generates @n_businesses businesses spread over @catalog's streets (grades
 * mostly A and B, categories plausible for each stage: catering 31, markets
 * 33, …), 6-10 inspectors per office with a few conflicts, and @n_labs labs
 * (4 for the demo district) whose monthly capacities add up to a fifth of the
 * businesses. The same seed gives the same district. Free with
 * sched_demo_free(). */
SchedDemo *sched_demo_generate (const CoreCatalog *catalog, guint64 seed, guint n_businesses,
                                guint n_labs, GError **error);
/* The same, telling @progress (may be NULL) how many businesses are made. */
SchedDemo *sched_demo_generate_with_progress (const CoreCatalog *catalog, guint64 seed,
                                              guint n_businesses, guint n_labs,
                                              const CoreProgress *progress, GError **error);
void sched_demo_free (SchedDemo *demo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SchedDemo, sched_demo_free)

/* A synthetic district @factor times larger: each street and office of
 * @catalog repeated @factor times (codes suffixed "-N" from the second copy
 * on), same categories. Free with core_catalog_free(). */
CoreCatalog *sched_demo_scale_catalog (const CoreCatalog *catalog, guint factor);

/* Writes SCHED_DEMO_*_FILE into @dir (created if needed). */
gboolean sched_demo_write_csv (const SchedDemo *demo, const char *dir, GError **error);

/* A draw input for @year-@month holding @demo's directories and @catalog's
 * offices, nothing drawn yet this year and no plan cells (add them). */
SchedDrawInput *sched_demo_draw_input (const SchedDemo *demo, const CoreCatalog *catalog,
                                       guint year, guint month, guint64 seed);

/* Adds plan cells spreading @total batches over every (category, grade) with
 * active businesses, in proportion to pool size times the grade's rank
 * (A 1 … D 4), by largest remainder: a stand-in for the approved plan in
 * the demo and the bench. */
void sched_demo_add_cells (SchedDrawInput *input, guint total);

/* GB 32100-2015 check character of the first 17 characters of a USCC, or 0
 * when one of them is outside 0-9 A-Y (without I, O, S, V, Z). */
char sched_demo_uscc_check_char (const char *first17);

G_END_DECLS
