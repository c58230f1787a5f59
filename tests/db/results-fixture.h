/* results-fixture.h: the businesses, labs, draw, tasks and samples a result
 * import needs, made with plain INSERTs, and small result files. Shared by the
 * results and cases store tests and the CLI tests. */
#pragma once

#include "tests/support/test-pg.h"

#include <check.h>
#include <string.h>

/* Two businesses with valid USCCs (GB 32100 check characters). */
#define FX_USCC1 "91350100M000100Y43"
#define FX_USCC2 "91110108551385082Q"
#define FX_USCC_UNKNOWN "91120104777319053R"

static inline void
fx_sql (TestDb *db, const char *sql)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (db_run_script (db->conn, sql, &error), "%s", error ? error->message : "");
}

/* Labs LAB1 and LAB2; one 2024 draw; tasks DC24120104000001..@n_tasks, all
 * sent to LAB1 except the last (LAB2), odd ones at business 1 and even ones at
 * business 2; tasks numbered above @n_sampled are not sampled yet. */
static inline void
fx_registry (TestDb *db, int n_tasks, int n_sampled)
{
  fx_sql (db,
          "INSERT INTO business (district, uscc, name, stage, street, grade) VALUES "
          "('120104', '" FX_USCC1 "', '南开示范餐饮有限公司', 'catering', '120104001', 'B'), "
          "('120104', '" FX_USCC2 "', '鼓楼示范食品店', 'distribution', '120104002', 'C');"
          "INSERT INTO inspector (district, id, name, office) VALUES "
          "('120104', 'I1', '张一', '12010401'), ('120104', 'I2', '李二', '12010401');"
          "INSERT INTO lab (district, code, name, capacity) VALUES "
          "('120104', 'LAB1', '天津市食品检验所', 500), ('120104', 'LAB2', '第二检测', 500);"
          "INSERT INTO plan (district, year, version, total, reserve, within_one, max_deviation, "
          "config_snapshot, digest, created_by) VALUES "
          "('120104', 2024, 1, 5520, 0, true, 0.5, '', 'x', 'test');"
          "INSERT INTO draw (district, year, month, draw_no, plan_version, seed, algorithm, "
          "input_text, input_digest, output_digest, tasks, shortfall, created_by) VALUES "
          "('120104', 2024, 1, 1, 1, 1, 'test', '', 'x', 'x', 0, 0, 'test');");
  for (int i = 1; i <= n_tasks; i++)
    {
      g_autofree char *sql = g_strdup_printf (
          "INSERT INTO task (district, year, month, draw_no, serial, record_no, category, grade, "
          "uscc, street, office, inspector1, inspector2, lab, due_date, status) VALUES "
          "('120104', 2024, 1, 1, %d, 'DC24120104%06d', '24', 'B', '%s', '120104001', "
          "'12010401', 'I1', 'I2', '%s', '2024-01-31', '%s');",
          i, i, i % 2 ? FX_USCC1 : FX_USCC2, i == n_tasks ? "LAB2" : "LAB1",
          i <= n_sampled ? "sampled" : "drawn");
      fx_sql (db, sql);
      if (i <= n_sampled)
        {
          g_autofree char *sample = g_strdup_printf (
              "INSERT INTO sample (district, record_no, year, month, draw_no, serial, "
              "sample_name, quantity, sampling_date, recorded_by) VALUES ('120104', "
              "'DC24120104%06d', 2024, 1, 1, %d, '样品%d', '2kg', '2024-01-15', 'test');",
              i, i, i);
          fx_sql (db, sample);
        }
    }
}

#define FX_HEADER                                                                                  \
  "抽样单编号,报告编号,检验项目,检验结果,单位,标准限值,检出限,单项判定,结论,检验日期\n"

/* One row: sample number N, report BG-N, item, value, limit, lab verdict, conclusion. */
static inline void
fx_row (GString *s, int n, const char *item, const char *value, const char *limit,
        const char *verdict, const char *conclusion)
{
  g_string_append_printf (s, "DC24120104%06d,BG-%d,%s,%s,mg/kg,%s,0.01,%s,%s,2024-02-05\n", n, n,
                          item, value, limit, verdict, conclusion);
}

static inline char *
fx_write (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  ck_assert (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static inline char *
fx_scalar (TestDb *db, const char *sql)
{
  g_autoptr (GError) error = NULL;
  char *v = db_scalar (db->conn, sql, DB_NO_ARGS, &error);
  ck_assert_msg (v != NULL, "%s: %s", sql, error ? error->message : "");
  return v;
}
