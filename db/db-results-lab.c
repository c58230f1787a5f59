/* db-results-lab.c: what a lab's page shows besides the upload itself: the
 * samples sent to the lab that have no current report yet, and the lab's
 * earlier uploads. Read only. */
#include "db/db-conn.h"
#include "db/db-results.h"

static const CoreColumn PENDING_COLUMNS[] = {
  { "record_no", "抽样单编号", "sample", CORE_CELL_TEXT },
  { "sample_name", "样品名称", "sample name", CORE_CELL_TEXT },
  { "category", "食品类别", "category", CORE_CELL_TEXT },
  { "sampling_date", "抽样日期", "sampled", CORE_CELL_DATE },
  { "office", "监管所", "office", CORE_CELL_TEXT },
  { "due_date", "任务期限", "due", CORE_CELL_DATE },
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
  return res ? db_result_table (res, "pending", "待检样品", "samples awaiting results",
                                PENDING_COLUMNS, G_N_ELEMENTS (PENDING_COLUMNS))
             : NULL;
}

static const CoreColumn UPLOAD_COLUMNS[] = {
  { "import_id", "导入编号", "upload", CORE_CELL_INT },
  { "imported_at", "导入时间", "uploaded", CORE_CELL_TEXT },
  { "file_name", "文件", "file", CORE_CELL_TEXT },
  { "rows", "行数", "rows", CORE_CELL_INT },
  { "reports", "报告数", "reports", CORE_CELL_INT },
  { "amend_reason", "更正原因", "amendment reason", CORE_CELL_TEXT },
  { "actor", "上传人", "by", CORE_CELL_TEXT },
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
  return res ? db_result_table (res, "uploads", "历次上传", "earlier uploads", UPLOAD_COLUMNS,
                                G_N_ELEMENTS (UPLOAD_COLUMNS))
             : NULL;
}
