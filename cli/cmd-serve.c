/* cmd-serve.c: `spotcheck serve`: the HTTP API (server/). This file loads
 * what the server needs the way every command does and hands it over. */
#include "cli/cli.h"

#include "server/server.h"

#include <stdio.h>
#include "core/core-i18n.h"

static int
serve (CliContext *ctx, int argc, char **argv)
{
  g_autofree char *listen = NULL, *cert = NULL, *key = NULL, *date = NULL;
  int workers = 0;
  gboolean routes = FALSE;
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_ ("Address and port (default [server] listen, 127.0.0.1:8080; port 0: any free one)"),
      "HOST:PORT" },
    { "workers", 0, 0, G_OPTION_ARG_INT, &workers,
      N_ ("Worker threads, one database connection each (default [server] workers)"), "N" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, N_ ("Serve HTTPS with this PEM certificate"),
      "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key, N_ ("The certificate's PEM private key"),
      "FILE" },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date,
      N_ ("Act on this day instead of each request's real date (rehearsals, tests)"),
      "YYYY-MM-DD" },
    { "routes", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &routes,
      N_ ("Print the route table and exit"), NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) octx = cli_option_context (
      NULL,
      _ ("Serve the JSON API under /api/v1/ (openapi.yaml describes it) to the users added with "
         "`spotcheck user add`, each acting with its role. Stops on SIGTERM after finishing the "
         "requests in flight. Logs one line per request on stderr."),
      entries);
  int code = CLI_EXIT_OK;
  if (!cli_parse (octx, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return cli_usage_error ("serve", _ ("takes no arguments"));
  if (routes)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      server_routes_print (out);
      fputs (out->str, stdout);
      return CLI_EXIT_OK;
    }
  if ((cert == NULL) != (key == NULL))
    return cli_usage_error ("serve", _ ("--tls-cert and --tls-key go together"));
  GDate on;
  g_date_clear (&on, 1);
  if (date != NULL && !core_date_parse (date, &on))
    return cli_usage_error ("serve", _ ("--date must be YYYY-MM-DD, not \"%s\""), date);
  g_autoptr (GError) error = NULL;
  SvcContext svc;
  if (!cli_service (ctx, &svc, &error))
    return cli_report (error);
  gint64 max_body = 0, conf_workers = 0, failures = 0;
  if (!core_config_get_int (ctx->config, "server", "max-body-bytes", 1, G_MAXINT32, &max_body,
                            &error)
      || !core_config_get_int (ctx->config, "server", "workers", 1, 64, &conf_workers, &error)
      || !core_config_get_int (ctx->config, "server", "failed-logins-per-minute", 1, 100000,
                               &failures, &error))
    return cli_report (error);
  if (workers == 0)
    workers = (int)conf_workers;
  if (workers < 1 || workers > 64)
    return cli_usage_error ("serve", _ ("--workers must be from 1 to 64, not %d"), workers);
  g_autofree char *conf_listen
      = core_config_get_string_or (ctx->config, "server", "listen", "127.0.0.1:8080");
  g_autofree char *conninfo = cli_configured_conninfo (ctx, &error);
  if (error != NULL)
    return cli_report (error);
  if (conninfo == NULL)
    {
      DbCluster *cluster = cli_cluster (ctx, &error);
      if (cluster == NULL)
        return cli_report (error);
      conninfo = db_cluster_conninfo (cluster, "spotcheck");
    }
  ServerOptions opts = {
    .listen = listen ? listen : conf_listen,
    .workers = workers,
    .tls_cert = cert,
    .tls_key = key,
    .max_body_bytes = (gsize)max_body,
    .failed_logins_per_minute = (int)failures,
    .conninfo = conninfo,
    .config = ctx->config,
    .catalog = ctx->catalog,
    .calendar = ctx->calendar,
    .deadlines = ctx->deadlines,
    .workflow = ctx->workflow,
    .today = on,
  };
  if (!server_run (&opts, &error))
    return cli_report (error);
  return CLI_EXIT_OK;
}

static const CliCommand serve_commands[] = {
  { NULL, N_ ("the HTTP API (JSON under /api/v1/)"), serve },
  { NULL, NULL, NULL },
};

const CliGroup cli_group_serve = { "serve", N_ ("Serve the HTTP API."), serve_commands };
