/* db-users.h: the server's users (app_user) and the stored first answers to
 * uploads sent with an Idempotency-Key (idempotent_answer), from 0015_users. */
#pragma once

#include "core/core-table.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

typedef struct
{
  char *name;
  char *role; /* "admin", "coordinator", "inspector", "lab" */
  char *lab;  /* NULL unless a lab user */
  char *office;
  GBytes *token_hash; /* 32 bytes, SHA-256 of the token */
  gboolean active;    /* neither revoked nor expired now */
} DbUser;

void db_user_free (DbUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbUser, db_user_free)

/* Stores a new user; 23505 when @name is taken in @district. @expires_at is
 * "YYYY-MM-DD" (NULL: never). Runs in the caller's transaction. */
gboolean db_users_add (PGconn *conn, const char *district, const char *name, const char *role,
                       const char *lab, const char *office, const guint8 hash[32],
                       const char *expires_at, const char *created_by, GError **error);

/* *@known is TRUE when @lab is in @district's lab directory. */
gboolean db_users_lab_known (PGconn *conn, const char *district, const char *lab, gboolean *known,
                             GError **error);

/* Every user of @district (no hashes): name, role, lab, office, expires,
 * revoked, created, created_by. */
CoreTable *db_users_list (PGconn *conn, const char *district, GError **error);

/* Stamps revoked_at on @name; *@found is FALSE when there is no such user or
 * it was revoked already. */
gboolean db_users_revoke (PGconn *conn, const char *district, const char *name, gboolean *found,
                          GError **error);

/* The user whose token hashes to @hash, or NULL with no error when there is
 * none. */
DbUser *db_users_by_hash (PGconn *conn, const char *district, const guint8 hash[32],
                          GError **error);

/* The answer stored for (@user, @key): TRUE with *@status 0 when there is
 * none. @route is the route the key was first used on. */
gboolean db_answer_get (PGconn *conn, const char *district, const char *user, const char *key,
                        int *status, char **route, char **content_type, GBytes **body,
                        GError **error);
/* Stores an answer; a key stored meanwhile by a concurrent retry is kept
 * (*@stored FALSE). */
gboolean db_answer_put (PGconn *conn, const char *district, const char *user, const char *key,
                        const char *route, int status, const char *content_type, GBytes *body,
                        gboolean *stored, GError **error);

/* A session-level lock on (@district, @user, @key), held across the
 * transactions of one request so that two concurrent retries with one key run
 * one after the other; released by db_answer_unlock() or when the session
 * ends. */
gboolean db_answer_lock (PGconn *conn, const char *district, const char *user, const char *key,
                         GError **error);
void db_answer_unlock (PGconn *conn, const char *district, const char *user, const char *key);

G_END_DECLS
