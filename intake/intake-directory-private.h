/* intake-directory-private.h: cell checks shared by the three directory
 * imports. Not for use outside intake-directory*.c. */
#pragma once

#include "intake/intake-directory.h"

G_BEGIN_DECLS

typedef struct
{
  const IntakeTable *table;
  CoreProblems *problems;
  const CoreCatalog *catalog;
  const IntakeRow *row;
  GHashTable *seen; /* key -> first line, for duplicate keys */
  gboolean ok;      /* no problem in the current row yet */
} IntakeDirCheck;

#define INTAKE_DIR_MAX_NAME_CHARS 200
#define INTAKE_DIR_MAX_CODE_CHARS 32

void intake_dir_problem (IntakeDirCheck *ck, guint field, const char *why_fmt, ...)
    G_GNUC_PRINTF (3, 4);

/* Free text; NULL for an empty optional cell. */
char *intake_dir_text (IntakeDirCheck *ck, guint field, gboolean required, guint max_chars);
/* An identifier: ASCII letters, digits, '-' and '_'. */
char *intake_dir_code (IntakeDirCheck *ck, guint field);
/* 是/否, 1/0, yes/no, true/false, 有效/无效, 在营/注销…; empty means active. */
gboolean intake_dir_active (IntakeDirCheck *ck, guint field);
/* Category codes or names from the catalog; sorted, distinct, at least one. */
char **intake_dir_categories (IntakeDirCheck *ck, guint field);
/* Records a problem when @key was already seen on an earlier line. */
void intake_dir_unique (IntakeDirCheck *ck, guint field, const char *key);

G_END_DECLS
