/* svc-context.c: the role table: which role may take which action, and the
 * scope rules for labs and inspectors. The CLI and the server both ask here. */
#include "service/svc-context.h"

#include <string.h>
#include "core/core-i18n.h"

/* A service error may name the argument it is about, so that each face can
 * name it its own way (an option, a query parameter, a form field). */
typedef struct
{
  char *argument;
} SvcErrorPrivate;

static void
svc_error_private_init (SvcErrorPrivate *priv)
{
  priv->argument = NULL;
}

static void
svc_error_private_copy (const SvcErrorPrivate *src, SvcErrorPrivate *dest)
{
  dest->argument = g_strdup (src->argument);
}

static void
svc_error_private_clear (SvcErrorPrivate *priv)
{
  g_clear_pointer (&priv->argument, g_free);
}

G_DEFINE_EXTENDED_ERROR (SvcError, svc_error)

void
svc_error_set_argument (GError *error, const char *argument)
{
  SvcErrorPrivate *priv = svc_error_get_private (error);
  if (priv == NULL)
    return;
  g_free (priv->argument);
  priv->argument = g_strdup (argument);
}

const char *
svc_error_argument (const GError *error)
{
  SvcErrorPrivate *priv = error ? svc_error_get_private (error) : NULL;
  return priv ? priv->argument : NULL;
}

void
svc_error_invalid (GError **error, const char *argument, const char *fmt, ...)
{
  if (error == NULL)
    return;
  va_list args;
  va_start (args, fmt);
  g_autofree char *message = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error_literal (error, SVC_ERROR, SVC_ERROR_INVALID, message);
  svc_error_set_argument (*error, argument);
}

static const char *const role_names[] = {
  [SVC_ROLE_ADMIN] = "admin",
  [SVC_ROLE_COORDINATOR] = "coordinator",
  [SVC_ROLE_INSPECTOR] = "inspector",
  [SVC_ROLE_LAB] = "lab",
};

#define R(role) (1u << (role))
#define ANYONE                                                                                     \
  (R (SVC_ROLE_ADMIN) | R (SVC_ROLE_COORDINATOR) | R (SVC_ROLE_INSPECTOR) | R (SVC_ROLE_LAB))
#define BUREAU (R (SVC_ROLE_ADMIN) | R (SVC_ROLE_COORDINATOR) | R (SVC_ROLE_INSPECTOR))

/* One row per action: its name in messages and the roles that may take it.
 * Scope (own lab, own office) is checked by the service on top of this. */
static const struct
{
  const char *name;
  guint roles;
} actions[SVC_N_ACTIONS] = {
  [SVC_ACTION_DIRECTORY_IMPORT] = { N_ ("import a directory"), R (SVC_ROLE_COORDINATOR) },
  [SVC_ACTION_DIRECTORY_READ] = { N_ ("read the directories"), BUREAU },
  [SVC_ACTION_PLAN_WRITE] = { N_ ("change the annual plan"), R (SVC_ROLE_COORDINATOR) },
  [SVC_ACTION_PLAN_READ] = { N_ ("read the annual plan"), BUREAU },
  [SVC_ACTION_DRAW] = { N_ ("draw tasks"), R (SVC_ROLE_COORDINATOR) },
  [SVC_ACTION_DRAW_VERIFY] = { N_ ("verify a draw"), BUREAU },
  [SVC_ACTION_TASKS_READ] = { N_ ("read task lists"), ANYONE },
  [SVC_ACTION_SAMPLES_RECORD]
  = { N_ ("record samples"), R (SVC_ROLE_COORDINATOR) | R (SVC_ROLE_INSPECTOR) },
  [SVC_ACTION_SAMPLES_READ] = { N_ ("read sampling records"), ANYONE },
  [SVC_ACTION_RESULTS_IMPORT]
  = { N_ ("import lab results"), R (SVC_ROLE_COORDINATOR) | R (SVC_ROLE_LAB) },
  [SVC_ACTION_RESULTS_REVIEW]
  = { N_ ("review lab results"), R (SVC_ROLE_ADMIN) | R (SVC_ROLE_COORDINATOR) | R (SVC_ROLE_LAB) },
  [SVC_ACTION_REFERRALS_IMPORT] = { N_ ("import referral notices"), R (SVC_ROLE_COORDINATOR) },
  [SVC_ACTION_CASES_READ] = { N_ ("read cases"), BUREAU },
  [SVC_ACTION_CASES_WORK]
  = { N_ ("work cases"), R (SVC_ROLE_COORDINATOR) | R (SVC_ROLE_INSPECTOR) },
  [SVC_ACTION_PROGRESS_READ] = { N_ ("read progress"), BUREAU },
  [SVC_ACTION_USERS] = { N_ ("manage users"), R (SVC_ROLE_ADMIN) },
  [SVC_ACTION_AUDIT_VERIFY]
  = { N_ ("verify the audit record"), R (SVC_ROLE_ADMIN) | R (SVC_ROLE_COORDINATOR) },
  /* Adopting a verdict opens or withdraws a case: the bureau's call, never the lab's. */
  [SVC_ACTION_RESULTS_RESOLVE] = { N_ ("resolve review flags"), R (SVC_ROLE_COORDINATOR) },
  [SVC_ACTION_GRADES_SUGGEST]
  = { N_ ("suggest risk grades"), R (SVC_ROLE_ADMIN) | R (SVC_ROLE_COORDINATOR) },
  [SVC_ACTION_SELF_READ] = { N_ ("see who they are"), ANYONE },
};

const char *
svc_role_name (SvcRole role)
{
  g_return_val_if_fail ((gsize)role < G_N_ELEMENTS (role_names), NULL);
  return role_names[role];
}

gboolean
svc_role_parse (const char *name, SvcRole *role)
{
  for (gsize r = 0; name != NULL && r < G_N_ELEMENTS (role_names); r++)
    if (strcmp (name, role_names[r]) == 0)
      {
        *role = (SvcRole)r;
        return TRUE;
      }
  return FALSE;
}

const char *
svc_action_name (SvcAction action)
{
  g_return_val_if_fail ((gsize)action < SVC_N_ACTIONS, NULL);
  return actions[action].name;
}

const char *
svc_district (const SvcContext *ctx)
{
  return ctx->catalog->district;
}

gboolean
svc_authorize (const SvcContext *ctx, SvcAction action, GError **error)
{
  g_return_val_if_fail ((gsize)action < SVC_N_ACTIONS, FALSE);
  if (actions[action].roles & R (ctx->role))
    return TRUE;
  g_set_error (error, SVC_ERROR, SVC_ERROR_FORBIDDEN, _ ("the %s role may not %s"),
               svc_role_name (ctx->role), _ (actions[action].name));
  return FALSE;
}

const char *
svc_scope_lab (const SvcContext *ctx, const char *lab, GError **error)
{
  if (ctx->role == SVC_ROLE_LAB)
    {
      if (lab == NULL || strcmp (lab, ctx->lab) == 0)
        return ctx->lab;
      g_set_error (error, SVC_ERROR, SVC_ERROR_SCOPE,
                   _ ("lab %s may act only for itself, not for %s"), ctx->lab, lab);
      return NULL;
    }
  if (lab == NULL || *lab == '\0')
    {
      svc_error_invalid (error, "lab", "%s", _ ("no lab given"));
      return NULL;
    }
  return lab;
}

gboolean
svc_scope_office (const SvcContext *ctx, const char *office, const char **out, GError **error)
{
  if (ctx->role == SVC_ROLE_INSPECTOR)
    {
      if (office != NULL && strcmp (office, ctx->office) != 0)
        {
          g_set_error (error, SVC_ERROR, SVC_ERROR_SCOPE,
                       _ ("an inspector of office %s may act only for that office, not for %s"),
                       ctx->office, office);
          return FALSE;
        }
      *out = ctx->office;
      return TRUE;
    }
  *out = office;
  return TRUE;
}

gboolean
svc_in_office (const SvcContext *ctx, const char *office)
{
  return ctx->role != SVC_ROLE_INSPECTOR
         || (office != NULL && ctx->office != NULL && strcmp (office, ctx->office) == 0);
}
