/* svc-users.h: the users the HTTP server acts for, their bearer tokens, and
 * the first answer to an upload sent with an Idempotency-Key. */
#pragma once

#include "core/core-table.h"
#include "service/svc-context.h"

G_BEGIN_DECLS

#define SVC_USERS_ERROR (svc_users_error_quark ())
GQuark svc_users_error_quark (void);

typedef enum
{
  SVC_USERS_ERROR_UNAUTHENTICATED, /* no such token, or revoked or expired */
  SVC_USERS_ERROR_TAKEN,           /* a user of that name exists */
  SVC_USERS_ERROR_KEY_REUSED,      /* an Idempotency-Key sent again for another route */
} SvcUsersError;

typedef struct
{
  const char *name;
  SvcRole role;
  const char *lab;        /* required for lab users, refused for others */
  const char *office;     /* required for inspectors, refused for others */
  const char *expires_on; /* YYYY-MM-DD, or NULL: never */
} SvcUserRequest;

/* Adds a user and returns its new bearer token (64 hex digits of 32 random
 * bytes from the kernel's CSPRNG) in *@token: it is shown once and never
 * stored, only its SHA-256. Admins only. */
gboolean svc_users_add (const SvcContext *ctx, const SvcUserRequest *req, char **token,
                        GError **error);

/* Every user of the district, without token hashes. Admins only. */
CoreTable *svc_users_list (const SvcContext *ctx, GError **error);

/* Revokes @name's token for good. Admins only. */
gboolean svc_users_revoke (const SvcContext *ctx, const char *name, GError **error);

/* Who is asking. Filled by svc_users_authenticate(); owns its strings. */
typedef struct
{
  char *name;
  SvcRole role;
  char *lab;
  char *office;
} SvcUser;

void svc_user_clear (SvcUser *user);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SvcUser, svc_user_clear)

/* The active user whose token is @token in @district, compared in constant
 * time; SVC_USERS_ERROR_UNAUTHENTICATED otherwise (the same error whether the
 * token is unknown, revoked or expired). Not an action: it runs before
 * there is an actor. */
gboolean svc_users_authenticate (PGconn *conn, const char *district, const char *token,
                                 SvcUser *user, GError **error);

/* The answer stored for the actor's @key: TRUE with *@status 0 when there is
 * none; SVC_USERS_ERROR_KEY_REUSED when the key was used on another @route. */
gboolean svc_answer_replay (const SvcContext *ctx, const char *key, const char *route, int *status,
                            char **content_type, GBytes **body, GError **error);
/* Holds the actor's @key for one request (across its transactions), so a
 * concurrent retry waits and then finds the stored answer. */
gboolean svc_answer_lock (const SvcContext *ctx, const char *key, GError **error);
void svc_answer_unlock (const SvcContext *ctx, const char *key);

/* Stores the first answer for the actor's @key (a concurrent retry's stored
 * answer wins). */
gboolean svc_answer_remember (const SvcContext *ctx, const char *key, const char *route, int status,
                              const char *content_type, GBytes *body, GError **error);

G_END_DECLS
