/* test-writers.c: one typed table through every writer: what each format
 * promises (keys vs labels, quoting, types, shapes, several tables), and
 * the labels in the language of the thread that made the table. */
#include "reports/report-writer.h"

#include "core/core-i18n.h"
#include "spotcheck-config.h"

#include <check.h>
#include <string.h>

/* Labels the catalogue has (po/zh_CN.po). */
static const CoreColumn columns[] = {
  { "code", N_ ("category code"), CORE_CELL_TEXT },
  { "name", N_ ("food category"), CORE_CELL_TEXT },
  { "count", N_ ("batches"), CORE_CELL_INT },
  { "rate", N_ ("rate (%)"), CORE_CELL_NUMBER },
  { "done", N_ ("filed"), CORE_CELL_BOOL },
};

/* The table as a thread speaking @lang makes it. */
static CoreTable *
sample_table_in (const char *lang)
{
  const char *before = core_i18n_set_thread (lang);
  CoreTable *t = core_table_new ("items", _ ("samples"), columns, G_N_ELEMENTS (columns));
  core_i18n_set_thread (before);
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

static CoreTable *
sample_table (void)
{
  return sample_table_in ("en");
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
  ck_assert_msg (g_str_has_prefix (en, "category code  food category"), "%s", en);
  ck_assert_ptr_nonnull (strstr (en, "(2 rows)\n"));
  ck_assert_ptr_nonnull (strstr (en, "true\n"));
  g_autoptr (CoreTable) t_zh = sample_table_in ("zh");
  g_autofree char *zh = render (REPORT_FORMAT_TEXT, "zh", t_zh, NULL, NULL);
  ck_assert_msg (g_str_has_prefix (zh, "类别代码  食品大类"), "%s", zh);
  /* the writer's own words in its language: the row count, a boolean */
  ck_assert_msg (strstr (zh, "（共 2 行）\n") != NULL, "%s", zh);
  ck_assert_msg (strstr (zh, "  是\n") != NULL && strstr (zh, "true") == NULL, "%s", zh);
  /* CJK counts two columns: "粮食加工品" is 10 wide, so the right-aligned
   * count column ends at the same display column in the header and the row. */
  g_auto (GStrv) lines = g_strsplit (zh, "\n", -1);
  g_autofree char *head = g_strndup (lines[0], (gsize)(strstr (lines[0], "批次") - lines[0]) + 6);
  g_autofree char *row = g_strndup (lines[1], (gsize)(strstr (lines[1], "12") - lines[1]) + 2);
  ck_assert_uint_eq (report_text_width (head), report_text_width (row));
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

  g_autoptr (CoreDocument) doc = core_document_new ("Document");
  CoreTable *record = core_table_new ("case", "Case", columns, 2);
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
  ck_assert_msg (g_str_has_prefix (text, "Document\nCase:\ncategory code  HC2024-00001\n"), "%s",
                 text);
  ck_assert_ptr_nonnull (strstr (text, "\nsamples:\ncategory code  food category"));
}
END_TEST

START_TEST (test_xlsx_is_a_workbook_with_a_sheet_per_table)
{
  g_autoptr (CoreDocument) doc = core_document_new ("文件");
  core_document_add (doc, sample_table_in ("zh"));
  core_document_add (doc, sample_table_in ("zh"));
  gsize len = 0;
  g_autofree char *x = render (REPORT_FORMAT_XLSX, "zh", NULL, doc, &len);
  ck_assert_uint_gt (len, 1000);
  ck_assert (memcmp (x, "PK\x03\x04", 4) == 0);
  /* Zip entry names are stored uncompressed. */
  ck_assert (memmem (x, len, "xl/worksheets/sheet2.xml", 24) != NULL);
}
END_TEST

/* A shown cell (a state's name for its key) is what people read; CSV and
 * JSON keep the value, the same in every language. */
START_TEST (test_shown_cells_for_people_only)
{
  g_autoptr (CoreTable) en = sample_table_in ("en");
  g_autoptr (CoreTable) zh = sample_table_in ("zh");
  core_table_set_shown (zh, 0, 0, "粮食");
  ck_assert_str_eq (core_table_get (zh, 0, 0), "01");
  ck_assert_str_eq (core_table_get_shown (zh, 0, 0), "粮食");
  ck_assert_str_eq (core_table_get_shown (zh, 1, 0), "02");
  g_autofree char *text = render (REPORT_FORMAT_TEXT, "zh", zh, NULL, NULL);
  ck_assert_msg (strstr (text, "\n粮食") != NULL, "%s", text);
  g_autofree char *html = render (REPORT_FORMAT_HTML, "zh", zh, NULL, NULL);
  ck_assert_msg (strstr (html, "<td>粮食</td>") != NULL, "%s", html);
  ck_assert_msg (strstr (html, "<td class=\"flag\">是</td>") != NULL, "%s", html);
  g_autofree char *csv_zh = render (REPORT_FORMAT_CSV, "zh", zh, NULL, NULL);
  g_autofree char *csv_en = render (REPORT_FORMAT_CSV, "en", en, NULL, NULL);
  ck_assert_str_eq (csv_zh, csv_en);
  g_autofree char *json_zh = render (REPORT_FORMAT_JSON, "zh", zh, NULL, NULL);
  g_autofree char *json_en = render (REPORT_FORMAT_JSON, "en", en, NULL, NULL);
  ck_assert_str_eq (json_zh, json_en);
  /* an empty list says so in the writer's language */
  g_autoptr (CoreTable) empty = core_table_new ("none", NULL, columns, 1);
  g_autofree char *none = render (REPORT_FORMAT_HTML, "zh", empty, NULL, NULL);
  ck_assert_msg (strstr (none, "无数据") != NULL, "%s", none);
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
  core_i18n_set_localedir (SPOTCHECK_BUILD_LOCALEDIR);
  Suite *s = suite_create ("report-writers");
  TCase *tc = tcase_create ("writers");
  tcase_add_test (tc, test_text_aligns_labels_and_counts_rows);
  tcase_add_test (tc, test_csv_keys_and_quoting);
  tcase_add_test (tc, test_json_types_and_shapes);
  tcase_add_test (tc, test_xlsx_is_a_workbook_with_a_sheet_per_table);
  tcase_add_test (tc, test_shown_cells_for_people_only);
  tcase_add_test (tc, test_formats_parse);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
