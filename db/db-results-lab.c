/* db-results-lab.c: what a lab's page shows besides the upload itself: the
 * samples sent to the lab that have no current report yet, and the lab's
 * earlier uploads. Read only. */
#include "db/db-conn.h"
#include "db/db-results.h"
#include "core/core-i18n.h"

static const CoreColumn PENDING_COLUMNS[] = {
  { "record_no", N_ ("sample"), CORE_CELL_TEXT },
  { "sample_name", N_ ("sample name"), CORE_CELL_TEXT },
  { "category", N_ ("category"), CORE_CELL_TEXT },
  { "sampling_date", N_ ("sampling date"), CORE_CELL_DATE },
  { "office", N_ ("office"), CORE_CELL_TEXT },
  { "due_date", N_ ("task due"), CORE_CELL_DATE },
};

CoreTable *
db_results_pending (PGconn *conn, const char *district, const char *lab, GError **error)
{
  g_autoptr (PGresult) res = db_exec (
      conn,
      "SELECT m.record_no, m.sample_name, c.name_zh, m.sampling_date, t.office, t.due_date "
      "FROM sample m JOIN task t ON t.district = m.district AND t.year = m.year "
      "AND t.month = m.month AND t.draw_no = m.draw_no AND t.serial = m.serial "
      "JOIN category c ON c.code = t.category "
      "WHERE m.district = $1 AND t.lab = $2 AND t.status <> 'cancelled' "
      "AND NOT EXISTS (SELECT 1 FROM lab_report r WHERE r.district = m.district "
      "AND r.record_no = m.record_no AND r.current) "
      "ORDER BY m.sampling_date, m.record_no",
      DB_ARGS (district, lab), error);
  return res ? db_result_table (res, "pending", _ ("samples awaiting results"), PENDING_COLUMNS,
                                G_N_ELEMENTS (PENDING_COLUMNS))
             : NULL;
}

static const CoreColumn UPLOAD_COLUMNS[] = {
  { "import_id", N_ ("upload"), CORE_CELL_INT },
  { "imported_at", N_ ("uploaded"), CORE_CELL_TEXT },
  { "file_name", N_ ("file"), CORE_CELL_TEXT },
  { "rows", N_ ("rows"), CORE_CELL_INT },
  { "reports", N_ ("report count"), CORE_CELL_INT },
  { "amend_reason", N_ ("amendment reason"), CORE_CELL_TEXT },
  { "actor", N_ ("uploaded by"), CORE_CELL_TEXT },
};

CoreTable *
db_results_uploads (PGconn *conn, const char *district, const char *lab, GError **error)
{
  g_autoptr (PGresult) res
      = db_exec (conn,
                 "SELECT id, to_char(imported_at, 'YYYY-MM-DD HH24:MI'), file_name, rows, "
                 "reports, amend_reason, actor FROM result_import "
                 "WHERE district = $1 AND lab = $2 ORDER BY id DESC LIMIT 200",
                 DB_ARGS (district, lab), error);
  return res ? db_result_table (res, "uploads", _ ("earlier uploads"), UPLOAD_COLUMNS,
                                G_N_ELEMENTS (UPLOAD_COLUMNS))
             : NULL;
}
