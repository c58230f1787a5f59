/* svc-tasks-private.h: what the task services share between their files;
 * nothing outside service/svc-tasks*.c uses it. */
#pragma once

#include "service/svc-tasks.h"

G_BEGIN_DECLS

/* The no-repeat rule checked against the stored year (svc-tasks-year.c),
 * inside the caller's transaction and after its role check:
 * SVC_TASKS_ERROR_REPEAT names the first business drawn again while others
 * of its pool had not been drawn. */
gboolean svc_tasks_check_year (const SvcContext *ctx, int year, GError **error);

G_END_DECLS
