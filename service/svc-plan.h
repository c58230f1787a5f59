/* svc-plan.h: the annual plan as a user works it: generate a draft, approve
 * it, rebalance it from a month on, list the versions, show one, and its
 * evenness figures. Every function checks the actor's role, runs in one
 * transaction of its own and returns typed results; the plan commands and the
 * server render them. */
#pragma once

#include "core/core-table.h"
#include "db/db-plan.h"
#include "scheduler/sched-plan-config.h"
#include "scheduler/sched-plan.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

#define SVC_PLAN_ERROR (svc_plan_error_quark ())
GQuark svc_plan_error_quark (void);

/* The argument codes say which argument is out of its bounds, so that a face
 * can name its own option or field for it. */
typedef enum
{
  SVC_PLAN_ERROR_NO_DRAFT,       /* approve without a version: the year has no draft */
  SVC_PLAN_ERROR_SEVERAL_DRAFTS, /* approve without a version: the year has several */
  SVC_PLAN_ERROR_YEAR,           /* the year is out of its bounds */
  SVC_PLAN_ERROR_VERSION,        /* the version is out of its bounds */
  SVC_PLAN_ERROR_TOTAL,          /* the annual total is out of its bounds */
  SVC_PLAN_ERROR_MONTH,          /* the month is out of its bounds */
} SvcPlanError;

/* Bounds of the plan's numbers: the years the system plans for, and the
 * largest annual total the scheduler plans exactly (ideal values to 1e-7
 * batch; plan.total itself is an int4 column). The scheduler checks the same
 * bound on the totals of configuration files; this one refuses an argument
 * before any work is done. */
#define SVC_PLAN_YEAR_MIN 2000
#define SVC_PLAN_YEAR_MAX 2099
#define SVC_PLAN_TOTAL_MAX ((int)SCHED_PLAN_TOTAL_MAX)

/* What a plan command asks for; each function reads the fields it names. */
typedef struct
{
  int year;             /* 2000..2099; svc_plan_list: 0 for every year */
  gboolean has_version; /* @version given; else the default (each function says which) */
  int version;          /* 1..G_MAXINT */
  gboolean has_total;   /* generate: @total given; else the configuration's total */
  gint64 total;         /* generate: annual batches, 1..SVC_PLAN_TOTAL_MAX */
  int from_month;       /* rebalance: the first month to re-spread, 1..12 */
  gboolean supersede;   /* approve: put the draft in place of the approved version */
  gboolean grades;      /* show: one row per category and risk grade */
} SvcPlanArgs;

/* The one check of those bounds (year, version, total, month), so that every
 * face refuses the same values with the same message: SVC_PLAN_ERROR_YEAR,
 * _VERSION, _TOTAL or _MONTH, the message naming the bound. A year of 0
 * passes only for listing (@any_year). */
gboolean svc_plan_check_args (const SvcPlanArgs *args, gboolean any_year, GError **error);

/* @args->version, or 0 (db_plan_get()'s default) when none was given. */
int svc_plan_version (const SvcPlanArgs *args);

/* A version just stored by generate or rebalance. */
typedef struct
{
  DbPlanInfo *info;            /* as stored */
  SchedPlan *plan;             /* its cells, month totals and evenness */
  gboolean shares_from_config; /* generate: no registry loaded, grade shares configured */
  int based_on;                /* rebalance: the version it started from (0: generate) */
  gboolean based_on_approved;  /* rebalance: that version is the approved one */
  gint64 done_total;           /* rebalance: batches sampled before from_month */
} SvcPlanStored;

void svc_plan_stored_free (SvcPlanStored *stored);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvcPlanStored, svc_plan_stored_free)

/* Builds the plan of @args->year from the context's configuration (its [plan
 * YEAR] groups; @args->total over the configured total when given) with the
 * grade shares of the district's registry when it holds businesses, and
 * stores it as the next draft. Returns the stored version (free with
 * svc_plan_stored_free()). */
SvcPlanStored *svc_plan_generate (const SvcContext *ctx, const SvcPlanArgs *args, GError **error);

/* Approves @args->version, or without one the year's only draft
 * (SVC_PLAN_ERROR_NO_DRAFT without one, SVC_PLAN_ERROR_SEVERAL_DRAFTS listing
 * them when there are several). Returns the approved version (free with
 * db_plan_info_free()). */
DbPlanInfo *svc_plan_approve (const SvcContext *ctx, const SvcPlanArgs *args, GError **error);

/* A new draft from @args->version (default: the approved one, else the newest)
 * whose months before @args->from_month equal what was sampled and whose
 * later months re-spread the rest. What was done is read and the new version
 * stored in one transaction: a failure anywhere stores nothing. Free with
 * svc_plan_stored_free(). */
SvcPlanStored *svc_plan_rebalance (const SvcContext *ctx, const SvcPlanArgs *args, GError **error);

/* The versions of @args->year (0: every year), oldest first: year, version,
 * status, total, reserve, from_month, within_one, created_at, created_by,
 * based_on. A new table. */
CoreTable *svc_plan_list (const SvcContext *ctx, const SvcPlanArgs *args, GError **error);

/* One stored version (default: the approved one, else the newest). */
typedef struct
{
  DbPlanInfo *info;
  /* district, year, version, status, total, reserve, within_one, digest: a
   * record with no key, so that JSON lays it into the document's object */
  CoreTable *summary;
  /* key "months": a row per category (with @args->grades: per category and
   * grade), a column per month, the row total and the category's name; a
   * total row last */
  CoreTable *months;
  /* key "cells": year, version, month, category, grade, batches, ideal for
   * every cell in month, category, grade order */
  CoreTable *cells;
} SvcPlanView;

void svc_plan_view_free (SvcPlanView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvcPlanView, svc_plan_view_free)

/* Free with svc_plan_view_free(). */
SvcPlanView *svc_plan_show (const SvcContext *ctx, const SvcPlanArgs *args, GError **error);

/* Evenness of a stored version against its ideal table, beside plain
 * independent rounding of the same table. */
typedef struct
{
  DbPlanInfo *info;
  char **category_codes;     /* NULL-terminated */
  SchedBalance *plan;        /* the stored cells */
  SchedBalance *independent; /* each ideal cell rounded on its own */
} SvcPlanBalance;

void svc_plan_balance_free (SvcPlanBalance *balance);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SvcPlanBalance, svc_plan_balance_free)

/* Free with svc_plan_balance_free(). */
SvcPlanBalance *svc_plan_balance (const SvcContext *ctx, const SvcPlanArgs *args, GError **error);

/* A plan status ("draft", "approved", "superseded") in this thread's
 * language; an unknown one as it is. Static. */
const char *svc_plan_status_name (const char *status);

G_END_DECLS
