/* server-health.c: GET /healthz (the database answers) and GET /metrics
 * (request counts by route and status, latency sums and a histogram, in the
 * Prometheus text format). Metrics live on the main loop only. */
#include "server/server-private.h"

#include "service/svc-health.h"

#include <string.h>

gboolean
server_healthz (ServerRequest *req, const SvcContext *ctx, GError **error)
{
  g_autofree char *migration = NULL;
  if (!svc_health_check (ctx->conn, &migration, error))
    return FALSE;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "ok");
  json_builder_set_member_name (b, "migration");
  json_builder_add_string_value (b, migration);
  json_builder_end_object (b);
  server_answer_json (req, 200, b);
  return TRUE;
}

static const double buckets[] = { 5, 10, 25, 50, 100, 200, 500, 1000, 5000 };

typedef struct
{
  guint64 count;
  double sum_ms;
  guint64 le[G_N_ELEMENTS (buckets)];
} Latency;

static GHashTable *counts;    /* "route\tstatus" -> guint64* */
static GHashTable *latencies; /* route -> Latency* */

void
server_metrics_record (const char *route, int status, double ms)
{
  if (counts == NULL)
    {
      counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      latencies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }
  char *key = g_strdup_printf ("%s\t%d", route, status);
  guint64 *n = g_hash_table_lookup (counts, key);
  if (n == NULL)
    {
      n = g_new0 (guint64, 1);
      g_hash_table_insert (counts, key, n);
    }
  else
    g_free (key);
  (*n)++;
  Latency *l = g_hash_table_lookup (latencies, route);
  if (l == NULL)
    {
      l = g_new0 (Latency, 1);
      g_hash_table_insert (latencies, g_strdup (route), l);
    }
  l->count++;
  l->sum_ms += ms;
  for (gsize i = 0; i < G_N_ELEMENTS (buckets); i++)
    if (ms <= buckets[i])
      l->le[i]++;
}

static int
by_string (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *)a, *(const char *const *)b);
}

GBytes *
server_metrics_text (void)
{
  GString *out = g_string_new ("# HELP spotcheck_http_requests_total Requests answered, by "
                               "route and status.\n# TYPE spotcheck_http_requests_total counter\n");
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  if (counts != NULL)
    {
      GHashTableIter it;
      gpointer k;
      g_hash_table_iter_init (&it, counts);
      while (g_hash_table_iter_next (&it, &k, NULL))
        g_ptr_array_add (keys, k);
    }
  g_ptr_array_sort (keys, by_string);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = keys->pdata[i];
      const char *tab = strchr (key, '\t');
      g_string_append_printf (out,
                              "spotcheck_http_requests_total{route=\"%.*s\",status=\"%s\"} "
                              "%" G_GUINT64_FORMAT "\n",
                              (int)(tab - key), key, tab + 1,
                              *(guint64 *)g_hash_table_lookup (counts, key));
    }
  g_string_append (out, "# HELP spotcheck_http_request_duration_seconds Time from the request "
                        "read to the answer, by route.\n"
                        "# TYPE spotcheck_http_request_duration_seconds histogram\n");
  g_ptr_array_set_size (keys, 0);
  if (latencies != NULL)
    {
      GHashTableIter it;
      gpointer k;
      g_hash_table_iter_init (&it, latencies);
      while (g_hash_table_iter_next (&it, &k, NULL))
        g_ptr_array_add (keys, k);
    }
  g_ptr_array_sort (keys, by_string);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *route = keys->pdata[i];
      const Latency *l = g_hash_table_lookup (latencies, route);
      for (gsize b = 0; b < G_N_ELEMENTS (buckets); b++)
        g_string_append_printf (out,
                                "spotcheck_http_request_duration_seconds_bucket{route=\"%s\","
                                "le=\"%g\"} %" G_GUINT64_FORMAT "\n",
                                route, buckets[b] / 1000.0, l->le[b]);
      g_string_append_printf (out,
                              "spotcheck_http_request_duration_seconds_bucket{route=\"%s\","
                              "le=\"+Inf\"} %" G_GUINT64_FORMAT "\n"
                              "spotcheck_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                              "spotcheck_http_request_duration_seconds_count{route=\"%s\"} "
                              "%" G_GUINT64_FORMAT "\n",
                              route, l->count, route, l->sum_ms / 1000.0, route, l->count);
    }
  return g_string_free_to_bytes (out);
}
