/* server.h: the HTTP face. `spotcheck serve` hands server_run() what the
 * CLI loaded (config, catalog, calendar, deadlines, the case workflow) and the
 * connection string;
 * the server acts for the user of each request's bearer token through the
 * same service functions as the CLI. */
#pragma once

#include "cases/cases-deadline.h"
#include "cases/cases-workflow.h"
#include "core/core-calendar.h"
#include "core/core-catalog.h"
#include "core/core-config.h"
#include "service/svc-context.h"

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  const char *listen; /* "HOST:PORT"; port 0 picks a free one */
  int workers;        /* database connections, one per worker thread */
  const char *tls_cert, *tls_key;
  gsize max_body_bytes;
  int failed_logins_per_minute; /* from one address, before 429 */
  const char *conninfo;
  const CoreConfig *config;
  const CoreCatalog *catalog;
  const CoreCalendar *calendar;
  const CasesDeadlines *deadlines;
  const CasesWorkflow *workflow;
  GDate today; /* the day every request acts on; invalid: the real date of each request */
} ServerOptions;

/* Serves until SIGTERM or SIGINT, then stops accepting, finishes the requests
 * in flight and returns TRUE. Prints "listening on URL" on stderr once bound. */
gboolean server_run (const ServerOptions *opts, GError **error);

/* Writes the route table, one route a line: METHOD PATH ROLES PARAMS (roles
 * and query parameters comma-separated, "-" for none). For the tests. */
void server_routes_print (GString *out);

G_END_DECLS
