/* svc-history.h: a business's record (`registry show`) and the risk grades a
 * year's record suggests (`registry suggest-grades`). Suggestions are only
 * that: nothing here changes a grade; the coordinator reviews the directory
 * file they can be written as and imports it with `registry import`. */
#pragma once

#include "core/core-table.h"
#include "db/db-registry.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

/* The business, inspector or lab @key names (see svc_registry_show()) as a
 * document: its record, and for a business also its samples,
 * nonconformities and cases (db-history.h gives their columns). *@kind (may
 * be NULL) says which kind of entry it is. */
CoreDocument *svc_registry_show_document (const SvcContext *ctx, const char *key,
                                          DbRegistryKind *kind, GError **error);

/* The rules of the [grade-suggestion] group of the configuration. */
typedef struct
{
  int steps_per_nonconformity; /* grades up per nonconformity */
  char nonconformity_cap;      /* the highest grade nonconformities alone suggest */
  gboolean count_referrals;    /* referral cases count as nonconformities */
  char *filed_step;            /* the case step that files an administrative case */
  char filed_grade;            /* the grade a filed case suggests */
} SvcGradeRules;

void svc_grade_rules_clear (SvcGradeRules *rules);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SvcGradeRules, svc_grade_rules_clear)

/* Reads the rules; a missing or malformed key is a CORE_CONFIG_ERROR naming it. */
gboolean svc_grade_rules_load (const CoreConfig *config, SvcGradeRules *rules, GError **error);

/* The businesses whose record in @year suggests a higher risk grade than
 * their current one, by credit code (nonconformities count up from the grade
 * the year's sampling was drawn under, so that asking again after the
 * suggestions are imported suggests nothing new; a business with no task that
 * year, known from a referral only, counts from its current grade), keyed "grade_suggestions":
 * uscc, name, grade, suggested, nonconformities, filed_cases, reason (which rules gave the
 * suggestion, with the samples, notices and cases behind it). With
 * @directory, *@directory is their directory rows as `registry import` reads
 * them, with the suggested grades. Coordinators and admins
 * (SVC_ACTION_GRADES_SUGGEST); a @year outside 2000..2100 is SVC_ERROR_INVALID. */
CoreTable *svc_registry_suggest_grades (const SvcContext *ctx, int year, CoreTable **directory,
                                        GError **error);

G_END_DECLS
