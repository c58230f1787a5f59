/* cli-tasks-xlsx.c: the monthly task list workbook (libxlsxwriter). */
#include "cli/cli-tasks-xlsx.h"

#include "cli/cli.h"

#include <string.h>
#include <xlsxwriter.h>

/* Columns of db_tasks_list() shown, with their Chinese headers and widths. */
static const struct
{
  const char *column;
  const char *header;
  double width;
} sheet_columns[] = {
  { "record_no", "抽样单编号", 22 },  { "business", "被抽样单位", 30 },
  { "uscc", "统一社会信用代码", 21 }, { "address", "地址", 30 },
  { "street_name", "街道", 12 },      { "category_name", "食品类别", 20 },
  { "grade", "风险等级", 9 },         { "inspector1", "抽样人员1", 10 },
  { "inspector2", "抽样人员2", 10 },  { "lab_name", "承检机构", 30 },
  { "due_date", "完成期限", 12 },
};

/* Excel sheet names: at most 31 characters, none of []:*?/\ . */
static char *
sheet_name (const CoreOffice *o)
{
  g_autofree char *name = g_strdup (o->zh && *o->zh ? o->zh : o->code);
  g_strdelimit (name, "[]:*?/\\", '_');
  const char *end = g_utf8_offset_to_pointer (name, MIN (g_utf8_strlen (name, -1), 31));
  return g_strndup (name, (gsize)(end - name));
}

static void
write_sheet (lxw_workbook *wb, lxw_format *bold, const CoreOffice *o, const PGresult *tasks,
             const int *col, int year, int month)
{
  g_autofree char *name = sheet_name (o);
  lxw_worksheet *ws = workbook_add_worksheet (wb, name);
  g_autofree char *title
      = g_strdup_printf ("%s %d年%d月 抽检任务清单", o->zh ? o->zh : o->code, year, month);
  worksheet_write_string (ws, 0, 0, title, bold);
  for (gsize c = 0; c < G_N_ELEMENTS (sheet_columns); c++)
    {
      worksheet_write_string (ws, 1, (lxw_col_t)c, sheet_columns[c].header, bold);
      worksheet_set_column (ws, (lxw_col_t)c, (lxw_col_t)c, sheet_columns[c].width, NULL);
    }
  worksheet_freeze_panes (ws, 2, 0);
  lxw_row_t row = 2;
  int office_col = PQfnumber (tasks, "office");
  for (int r = 0; r < PQntuples (tasks); r++)
    {
      if (strcmp (PQgetvalue (tasks, r, office_col), o->code) != 0)
        continue;
      for (gsize c = 0; c < G_N_ELEMENTS (sheet_columns); c++)
        worksheet_write_string (ws, row, (lxw_col_t)c, PQgetvalue (tasks, r, col[c]), NULL);
      row++;
    }
  if (row == 2)
    worksheet_write_string (ws, 2, 0, "本月无任务", NULL);
}

gboolean
cli_tasks_write_xlsx (const char *path, const CoreCatalog *catalog, const char *office,
                      const PGresult *tasks, int year, int month, GError **error)
{
  int col[G_N_ELEMENTS (sheet_columns)];
  for (gsize c = 0; c < G_N_ELEMENTS (sheet_columns); c++)
    {
      col[c] = PQfnumber (tasks, sheet_columns[c].column);
      g_return_val_if_fail (col[c] >= 0, FALSE);
    }
  lxw_workbook *wb = workbook_new (path);
  if (wb == NULL)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_SYSTEM, "cannot create %s", path);
      return FALSE;
    }
  lxw_format *bold = workbook_add_format (wb);
  format_set_bold (bold);
  for (guint i = 0; i < catalog->offices->len; i++)
    {
      const CoreOffice *o = g_ptr_array_index (catalog->offices, i);
      if (office == NULL || strcmp (office, o->code) == 0)
        write_sheet (wb, bold, o, tasks, col, year, month);
    }
  lxw_error err = workbook_close (wb);
  if (err != LXW_NO_ERROR)
    {
      g_set_error (error, CLI_ERROR, CLI_ERROR_SYSTEM, "cannot write %s: %s", path,
                   lxw_strerror (err));
      return FALSE;
    }
  return TRUE;
}
