/* db-progress.h: how far the year has come: plan against tasks drawn,
 * sampled, reported and found nonconforming, month by month; and the size of
 * each table, for `spotcheck demo` and status reports. */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* One month of a year's progress. */
typedef struct
{
  int month;            /* 1..12 */
  gint64 planned;       /* the approved plan's cells; 0 without one */
  gint64 drawn;         /* live tasks (not cancelled) */
  gint64 sampled;       /* tasks with a sample recorded */
  gint64 reported;      /* samples with a current lab report */
  gint64 nonconforming; /* reports whose governing verdict is fail */
  gint64 cases;         /* district cases opened for them */
} DbProgressMonth;

/* Fills @months[0..11] for @year of @district. */
gboolean db_progress_by_month (PGconn *conn, const char *district, int year,
                               DbProgressMonth months[12], GError **error);

typedef struct
{
  const char *table; /* static: "street", "business", ... */
  gint64 rows;
} DbTableCount;

/* Row counts of the main tables for @district (the category table is shared
 * by every district), in a fixed order. GArray of DbTableCount; free with
 * g_array_unref. */
GArray *db_progress_table_counts (PGconn *conn, const char *district, GError **error);

G_END_DECLS
