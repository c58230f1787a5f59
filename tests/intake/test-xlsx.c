/* test-xlsx.c: workbooks read as the table reader reads CSV: one written by
 * LibreOffice and one by libxlsxwriter give the values a person sees in the
 * sheet; problems name the cell (D3); cut, bomb and non-workbook archives are
 * refused with the file's name. */
#include "intake/intake-table.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <xlsxwriter.h>

static const IntakeField FIELDS[] = {
  { "抽样单编号", NULL, TRUE }, { "报告编号", NULL, TRUE },  { "检验项目", NULL, TRUE },
  { "检验结果", NULL, TRUE },   { "单位", NULL, FALSE },     { "标准限值", NULL, FALSE },
  { "检出限", NULL, FALSE },    { "单项判定", NULL, FALSE }, { "结论", NULL, FALSE },
  { "检验日期", NULL, FALSE },
};
static const IntakeSchema SCHEMA = { FIELDS, G_N_ELEMENTS (FIELDS), FALSE };

static IntakeTable *
read_path (const char *path, CoreProblems *problems, GError **error)
{
  return intake_table_read_file (path, path, INTAKE_FORMAT_AUTO, &SCHEMA, problems, error);
}

START_TEST (test_libreoffice_workbook_reads_like_its_csv)
{
  g_autofree char *csv_path = g_build_filename (INTAKE_TEST_DATA, "results-utf8.csv", NULL);
  g_autofree char *xlsx_path
      = g_build_filename (INTAKE_TEST_DATA, "results-libreoffice.xlsx", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreProblems) p1 = core_problems_new ("csv");
  g_autoptr (CoreProblems) p2 = core_problems_new ("xlsx");
  g_autoptr (IntakeTable) csv = read_path (csv_path, p1, &error);
  ck_assert_msg (csv != NULL, "%s", error ? error->message : "");
  g_autoptr (IntakeTable) xlsx = read_path (xlsx_path, p2, &error);
  ck_assert_msg (xlsx != NULL, "%s", error ? error->message : "");
  ck_assert_int_eq (xlsx->format, INTAKE_FORMAT_XLSX);
  ck_assert_uint_eq (core_problems_count (p2), 0);
  ck_assert_uint_eq (xlsx->rows->len, csv->rows->len);
  for (guint r = 0; r < csv->rows->len; r++)
    for (guint f = 0; f < SCHEMA.n_fields; f++)
      ck_assert_str_eq (intake_row_get (g_ptr_array_index (xlsx->rows, r), f),
                        intake_row_get (g_ptr_array_index (csv->rows, r), f));
  /* rows are the sheet's: the quoted line break that makes CSV line 5-6 is one row */
  const guint sheet_rows[] = { 2, 3, 4, 5, 6 };
  for (guint r = 0; r < G_N_ELEMENTS (sheet_rows); r++)
    ck_assert_uint_eq (((IntakeRow *)g_ptr_array_index (xlsx->rows, r))->line, sheet_rows[r]);
  /* LibreOffice stored the dates as date-formatted numbers */
  ck_assert_str_eq (intake_row_get (g_ptr_array_index (xlsx->rows, 0), 9), "2024-03-05");
}
END_TEST

/* Writes a workbook with libxlsxwriter: a margin row, the header, typed
 * cells, a gap, a bad value in D3, and a second sheet that is not read. */
static char *
write_workbook (const char *dir)
{
  char *path = g_build_filename (dir, "written.xlsx", NULL);
  lxw_workbook *wb = workbook_new (path);
  lxw_worksheet *ws = workbook_add_worksheet (wb, "结果");
  lxw_worksheet *other = workbook_add_worksheet (wb, "说明");
  lxw_format *date = workbook_add_format (wb);
  format_set_num_format (date, "yyyy\"年\"m\"月\"d\"日\"");
  worksheet_write_string (other, 0, 0, "not read", NULL);
  /* row 1 is left empty; the header is row 2 */
  const char *header[] = { "抽样单编号", "报告编号", "检验项目", "检验结果", "单位",
                           "标准限值",   "检出限",   "单项判定", "结论",     "检验日期" };
  for (int c = 0; c < 10; c++)
    worksheet_write_string (ws, 1, (lxw_col_t)c, header[c], NULL);
  lxw_datetime day = { 2024, 2, 5, 0, 0, 0 };
  /* row 3: the value is a string that is not a number */
  worksheet_write_string (ws, 2, 0, "DC24120104000001", NULL);
  worksheet_write_string (ws, 2, 1, "BG2024-0001", NULL);
  worksheet_write_string (ws, 2, 2, "铅(以Pb计)", NULL);
  worksheet_write_string (ws, 2, 3, "0.0x3", NULL);
  worksheet_write_datetime (ws, 2, 9, &day, date);
  /* row 4: numbers, a gap (E–H empty), a date */
  worksheet_write_string (ws, 3, 0, "DC24120104000002", NULL);
  worksheet_write_number (ws, 3, 1, 20240002, NULL);
  worksheet_write_string (ws, 3, 2, "苯甲酸", NULL);
  worksheet_write_number (ws, 3, 3, 0.12, NULL);
  worksheet_write_number (ws, 3, 6, 1.0 / 3.0, NULL);
  worksheet_write_datetime (ws, 3, 9, &day, date);
  /* row 5 blank, row 6: a boolean and a formula's cached value */
  worksheet_write_string (ws, 5, 0, "DC24120104000003", NULL);
  worksheet_write_string (ws, 5, 1, "BG2024-0003", NULL);
  worksheet_write_string (ws, 5, 2, "菌落总数", NULL);
  worksheet_write_formula_num (ws, 5, 3, "=1+1", NULL, 2);
  worksheet_write_boolean (ws, 5, 7, 1, NULL);
  ck_assert_int_eq (workbook_close (wb), LXW_NO_ERROR);
  return path;
}

START_TEST (test_libxlsxwriter_workbook_values_and_cells)
{
  g_autofree char *dir = g_dir_make_tmp ("xlsx-XXXXXX", NULL);
  g_autofree char *path = write_workbook (dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreProblems) problems = core_problems_new (path);
  g_autoptr (IntakeTable) t = read_path (path, problems, &error);
  ck_assert_msg (t != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq (t->rows->len, 3);
  const IntakeRow *a = g_ptr_array_index (t->rows, 0), *b = g_ptr_array_index (t->rows, 1),
                  *c = g_ptr_array_index (t->rows, 2);
  ck_assert_uint_eq (a->line, 3);
  ck_assert_uint_eq (b->line, 4);
  ck_assert_uint_eq (c->line, 6);
  ck_assert_str_eq (intake_row_get (a, 2), "铅(以Pb计)");
  ck_assert_str_eq (intake_row_get (a, 9), "2024-02-05");
  ck_assert_str_eq (intake_row_get (b, 1), "20240002");
  ck_assert_str_eq (intake_row_get (b, 3), "0.12");
  ck_assert_str_eq (intake_row_get (b, 6), "0.333333333333333");
  ck_assert_str_eq (intake_row_get (b, 4), "");
  ck_assert_str_eq (intake_row_get (c, 3), "2");
  ck_assert_str_eq (intake_row_get (c, 7), "TRUE");
  /* a problem in a workbook names the cell as the spreadsheet shows it */
  intake_row_problem (problems, t, a, 3, "not a number");
  ck_assert_uint_eq (core_problems_count (problems), 1);
  const CoreProblem *problem = core_problems_get (problems, 0);
  ck_assert_uint_eq (problem->line, 3);
  ck_assert_str_eq (problem->column, "检验结果 (D3)");
  g_unlink (path);
  g_rmdir (dir);
}
END_TEST

/* @path's read fails with @code and a message naming the file. */
static void
refused (const char *path, int code, const char *words)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreProblems) problems = core_problems_new (path);
  g_autoptr (IntakeTable) t = read_path (path, problems, &error);
  ck_assert (t == NULL);
  ck_assert_msg (g_error_matches (error, INTAKE_TABLE_ERROR, code), "%s: %s", path, error->message);
  ck_assert_msg (strstr (error->message, path) != NULL, "%s", error->message);
  ck_assert_msg (strstr (error->message, words) != NULL, "%s", error->message);
}

START_TEST (test_bad_archives_refused)
{
  g_autofree char *bomb = g_build_filename (INTAKE_TEST_DATA, "bomb.xlsx", NULL);
  refused (bomb, INTAKE_TABLE_ERROR_TOO_LARGE, "MiB");
  g_autofree char *plain = g_build_filename (INTAKE_TEST_DATA, "not-a-workbook.xlsx", NULL);
  refused (plain, INTAKE_TABLE_ERROR_SYNTAX, "xl/workbook.xml");

  /* cut short at every tenth of its length */
  g_autofree char *whole = g_build_filename (INTAKE_TEST_DATA, "results-libreoffice.xlsx", NULL);
  g_autofree char *bytes = NULL;
  gsize len = 0;
  ck_assert (g_file_get_contents (whole, &bytes, &len, NULL));
  g_autofree char *dir = g_dir_make_tmp ("xlsx-XXXXXX", NULL);
  g_autofree char *cut = g_build_filename (dir, "cut.xlsx", NULL);
  for (guint tenth = 1; tenth < 10; tenth++)
    {
      ck_assert (g_file_set_contents (cut, bytes, (gssize)(len * tenth / 10), NULL));
      refused (cut, INTAKE_TABLE_ERROR_SYNTAX, "not a readable XLSX workbook");
    }
  g_unlink (cut);
  g_rmdir (dir);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("xlsx");
  TCase *tc = tcase_create ("read");
  tcase_add_test (tc, test_libreoffice_workbook_reads_like_its_csv);
  tcase_add_test (tc, test_libxlsxwriter_workbook_values_and_cells);
  tcase_add_test (tc, test_bad_archives_refused);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
