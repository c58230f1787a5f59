/* core-catalog.h: the reference data the configuration describes: food
 * categories and the district with its streets and market-supervision offices. */
#pragma once

#include "core/core-config.h"

G_BEGIN_DECLS

/* Risk grades (SAMR Order No. 49), lowest risk first: the one list of the
 * letters, for the scheduler, intake and db alike. */
#define CORE_GRADES "ABCD"
#define CORE_N_GRADES 4

/* The index of grade @letter (either case) in CORE_GRADES, or -1. */
int core_grade_index (char letter);

typedef struct
{
  char *code; /* "01".."34" */
  char *zh;
  char *en;
} CoreCategory;

typedef struct
{
  char *code; /* 9-digit street code */
  char *zh;
  char *en;
} CoreStreet;

typedef struct
{
  char *code;
  char *zh;
  char *en;
  char **streets; /* street codes this office covers */
} CoreOffice;

typedef struct
{
  char *district; /* GB/T 2260 code, e.g. "120104" */
  char *zh;
  char *en;
  GPtrArray *categories; /* CoreCategory*, in code order */
  GPtrArray *streets;    /* CoreStreet* */
  GPtrArray *offices;    /* CoreOffice* */
} CoreCatalog;

/* Reads the district named by [spotcheck] district and its streets and offices,
 * and every [category CODE] group. Checks that each street is covered by
 * exactly one office. */
CoreCatalog *core_catalog_load (const CoreConfig *config, GError **error);
void core_catalog_free (CoreCatalog *catalog);

/* Builders for catalogs made in code (tests, scaled demo districts). Each
 * copies its arguments; @streets is NULL-terminated. */
CoreCatalog *core_catalog_new (const char *district, const char *zh, const char *en);
CoreCategory *core_catalog_add_category (CoreCatalog *catalog, const char *code, const char *zh,
                                         const char *en);
CoreStreet *core_catalog_add_street (CoreCatalog *catalog, const char *code, const char *zh,
                                     const char *en);
CoreOffice *core_catalog_add_office (CoreCatalog *catalog, const char *code, const char *zh,
                                     const char *en, const char *const *streets);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoreCatalog, core_catalog_free)

const CoreCategory *core_catalog_category (const CoreCatalog *catalog, const char *code);
const CoreStreet *core_catalog_street (const CoreCatalog *catalog, const char *code);
/* The office that covers @street_code, or NULL. */
const CoreOffice *core_catalog_office_for_street (const CoreCatalog *catalog,
                                                  const char *street_code);

G_END_DECLS
