/* test-writers.c: one typed table through every writer: what each format
 * promises (keys vs labels, quoting, types, shapes, several tables). */
#include "reports/report-writer.h"

#include <check.h>
#include <string.h>

static const CoreColumn columns[] = {
  { "code", "代码", "Code", CORE_CELL_TEXT },  { "name", "名称", "Name", CORE_CELL_TEXT },
  { "count", "数量", "Count", CORE_CELL_INT }, { "rate", "比例", "Rate", CORE_CELL_NUMBER },
  { "done", "完成", "Done", CORE_CELL_BOOL },
};

static CoreTable *
sample_table (void)
{
  CoreTable *t = core_table_new ("items", "项目", "Items", columns, G_N_ELEMENTS (columns));
  guint r = core_table_add_row (t);
  core_table_set (t, r, 0, "01");
  core_table_set (t, r, 1, "粮食加工品");
  core_table_set_int (t, r, 2, 12);
  core_table_set_number (t, r, 3, 0.125, 3);
  core_table_set_bool (t, r, 4, TRUE);
  r = core_table_add_row (t);
  core_table_set (t, r, 0, "02");
  core_table_set (t, r, 1, "say \"hi\", then\nleave");
  core_table_set_int (t, r, 2, 7);
  /* rate and done stay missing */
  return t;
}

static char *
render (ReportFormat format, const char *lang, const CoreTable *table, const CoreDocument *doc,
        gsize *len)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  gboolean ok = doc ? report_write_document (format, out, lang, doc, &error)
                    : report_write_table (format, out, lang, table, &error);
  ck_assert_msg (ok, "%s", error ? error->message : "");
  g_output_stream_close (out, NULL, NULL);
  GMemoryOutputStream *m = G_MEMORY_OUTPUT_STREAM (out);
  gsize size = g_memory_output_stream_get_data_size (m);
  if (len != NULL)
    *len = size;
  char *data = g_malloc (size + 1);
  memcpy (data, g_memory_output_stream_get_data (m), size);
  data[size] = '\0';
  return data;
}

START_TEST (test_text_aligns_labels_and_counts_rows)
{
  g_autoptr (CoreTable) t = sample_table ();
  g_autofree char *en = render (REPORT_FORMAT_TEXT, "en", t, NULL, NULL);
  ck_assert_msg (g_str_has_prefix (en, "Code  Name"), "%s", en);
  ck_assert_ptr_nonnull (strstr (en, "(2 rows)\n"));
  g_autofree char *zh = render (REPORT_FORMAT_TEXT, "zh", t, NULL, NULL);
  ck_assert_msg (g_str_has_prefix (zh, "代码  名称"), "%s", zh);
  /* CJK counts two columns: "粮食加工品" is 10 wide, so the count column of
   * both rows starts at the same display column. */
  g_auto (GStrv) lines = g_strsplit (zh, "\n", -1);
  ck_assert_uint_eq (report_text_width (lines[0]), report_text_width (lines[1]));
}
END_TEST

START_TEST (test_csv_keys_and_quoting)
{
  g_autoptr (CoreTable) t = sample_table ();
  g_autofree char *csv = render (REPORT_FORMAT_CSV, "zh", t, NULL, NULL);
  ck_assert_str_eq (csv, "code,name,count,rate,done\r\n"
                         "01,粮食加工品,12,0.125,true\r\n"
                         "02,\"say \"\"hi\"\", then\nleave\",7,,\r\n");
}
END_TEST

START_TEST (test_json_types_and_shapes)
{
  g_autoptr (CoreTable) t = sample_table ();
  g_autofree char *json = render (REPORT_FORMAT_JSON, "zh", t, NULL, NULL);
  ck_assert_msg (json[0] == '[', "%s", json);
  ck_assert_ptr_nonnull (strstr (json, "\"count\" : 12"));
  ck_assert_ptr_nonnull (strstr (json, "\"rate\" : 0.125"));
  ck_assert_ptr_nonnull (strstr (json, "\"done\" : true"));
  ck_assert_ptr_nonnull (strstr (json, "\"rate\" : null"));
  ck_assert_ptr_nonnull (strstr (json, "\"code\" : \"01\""));

  g_autoptr (CoreDocument) doc = core_document_new ("文件", "Document");
  CoreTable *record = core_table_new ("case", NULL, "Case", columns, 2);
  core_table_set_shape (record, CORE_TABLE_RECORD);
  guint r = core_table_add_row (record);
  core_table_set (record, r, 0, "HC2024-00001");
  core_table_set (record, r, 1, "x");
  core_document_add (doc, record);
  core_document_add (doc, sample_table ());
  g_autofree char *both = render (REPORT_FORMAT_JSON, "en", NULL, doc, NULL);
  ck_assert_msg (both[0] == '{', "%s", both);
  ck_assert_ptr_nonnull (strstr (both, "\"case\" : {"));
  ck_assert_ptr_nonnull (strstr (both, "\"items\" : ["));

  g_autofree char *text = render (REPORT_FORMAT_TEXT, "en", NULL, doc, NULL);
  ck_assert_msg (g_str_has_prefix (text, "Document\nCase:\nCode  HC2024-00001\n"), "%s", text);
  ck_assert_ptr_nonnull (strstr (text, "\nItems:\nCode  Name"));
}
END_TEST

START_TEST (test_xlsx_is_a_workbook_with_a_sheet_per_table)
{
  g_autoptr (CoreDocument) doc = core_document_new ("文件", "Document");
  core_document_add (doc, sample_table ());
  core_document_add (doc, sample_table ());
  gsize len = 0;
  g_autofree char *x = render (REPORT_FORMAT_XLSX, "zh", NULL, doc, &len);
  ck_assert_uint_gt (len, 1000);
  ck_assert (memcmp (x, "PK\x03\x04", 4) == 0);
  /* Zip entry names are stored uncompressed. */
  ck_assert (memmem (x, len, "xl/worksheets/sheet2.xml", 24) != NULL);
}
END_TEST

START_TEST (test_formats_parse)
{
  ReportFormat f;
  ck_assert (report_format_parse ("xlsx", &f) && f == REPORT_FORMAT_XLSX);
  ck_assert (!report_format_parse ("html5", &f));
  ck_assert (!report_format_parse (NULL, &f));
  ck_assert_str_eq (report_format_name (REPORT_FORMAT_CSV), "csv");
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("report-writers");
  TCase *tc = tcase_create ("writers");
  tcase_add_test (tc, test_text_aligns_labels_and_counts_rows);
  tcase_add_test (tc, test_csv_keys_and_quoting);
  tcase_add_test (tc, test_json_types_and_shapes);
  tcase_add_test (tc, test_xlsx_is_a_workbook_with_a_sheet_per_table);
  tcase_add_test (tc, test_formats_parse);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
