/* server-auth.c: the bearer token of a request, and slowing down an address
 * that keeps sending bad tokens: after N failures within a minute it gets 429
 * with Retry-After until that minute is over. */
#include "server/server-private.h"

#include <string.h>

typedef struct
{
  gint64 window_start; /* monotonic µs */
  int failures;
} Failures;

struct ServerThrottle
{
  int per_minute;
  GHashTable *by_address; /* address -> Failures* */
};

#define MINUTE_US (60 * G_USEC_PER_SEC)

ServerThrottle *
server_throttle_new (int per_minute)
{
  ServerThrottle *t = g_new0 (ServerThrottle, 1);
  t->per_minute = per_minute;
  t->by_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return t;
}

void
server_throttle_free (ServerThrottle *t)
{
  if (t == NULL)
    return;
  g_hash_table_unref (t->by_address);
  g_free (t);
}

int
server_throttle_wait (ServerThrottle *t, const char *address)
{
  Failures *f = g_hash_table_lookup (t->by_address, address ? address : "");
  gint64 now = g_get_monotonic_time ();
  if (f == NULL)
    return 0;
  if (now - f->window_start >= MINUTE_US)
    {
      g_hash_table_remove (t->by_address, address ? address : "");
      return 0;
    }
  if (f->failures < t->per_minute)
    return 0;
  return (int)((f->window_start + MINUTE_US - now) / G_USEC_PER_SEC) + 1;
}

void
server_throttle_failed (ServerThrottle *t, const char *address)
{
  const char *key = address ? address : "";
  gint64 now = g_get_monotonic_time ();
  Failures *f = g_hash_table_lookup (t->by_address, key);
  if (f == NULL || now - f->window_start >= MINUTE_US)
    {
      f = g_new0 (Failures, 1);
      f->window_start = now;
      g_hash_table_replace (t->by_address, g_strdup (key), f);
    }
  f->failures++;
}

char *
server_bearer_token (const char *authorization)
{
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return NULL;
  const char *token = authorization + 7;
  while (*token == ' ')
    token++;
  gsize n = strlen (token);
  while (n > 0 && token[n - 1] == ' ')
    n--;
  return n > 0 ? g_strndup (token, n) : NULL;
}
