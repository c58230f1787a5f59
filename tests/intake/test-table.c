/* test-table.c: reading uploads: encodings, line endings, quoted line breaks,
 * JSON, header mapping and the problem list. */
#include "intake/intake-table.h"

#include <check.h>
#include <string.h>

#define A(...) ((const char *const[]){ __VA_ARGS__, NULL })

enum
{
  F_ID,
  F_NAME,
  F_NOTE,
  N_FIELDS
};
static const IntakeField FIELDS[N_FIELDS] = {
  { "id", A ("编号", "identifier"), TRUE },
  { "name", A ("名称", "full name"), TRUE },
  { "note", A ("备注"), FALSE },
};
static const IntakeSchema STRICT = { FIELDS, N_FIELDS, FALSE };
static const IntakeSchema LENIENT = { FIELDS, N_FIELDS, TRUE };

static IntakeTable *
read_ok (const char *text, const IntakeSchema *schema, CoreProblems *problems)
{
  g_autoptr (GError) error = NULL;
  IntakeTable *t = intake_table_read_data (text, strlen (text), "t.csv", INTAKE_FORMAT_AUTO, schema,
                                           problems, &error);
  ck_assert_msg (t != NULL, "%s", error ? error->message : "");
  return t;
}

static GError *
read_fails (const char *text, gsize len, const IntakeSchema *schema)
{
  GError *error = NULL;
  g_autoptr (CoreProblems) problems = core_problems_new ("t.csv");
  IntakeTable *t
      = intake_table_read_data (text, len, "t.csv", INTAKE_FORMAT_AUTO, schema, problems, &error);
  ck_assert (t == NULL);
  ck_assert (error != NULL);
  return error;
}

static const IntakeRow *
row (const IntakeTable *t, guint i)
{
  ck_assert_uint_lt (i, t->rows->len);
  return g_ptr_array_index (t->rows, i);
}

START_TEST (test_aliases_trim_and_case)
{
  g_autoptr (CoreProblems) p = core_problems_new ("t.csv");
  g_autoptr (IntakeTable) t = read_ok (" FULL_NAME ,\u3000编号 ,Note\n  Ann , 7 ,\n", &STRICT, p);
  ck_assert_uint_eq (t->rows->len, 1);
  ck_assert_str_eq (intake_row_get (row (t, 0), F_ID), "7");
  ck_assert_str_eq (intake_row_get (row (t, 0), F_NAME), "Ann");
  ck_assert_str_eq (row (t, 0)->values[F_NOTE], "");
  ck_assert_str_eq (intake_table_column (t, F_ID), "编号");
  ck_assert_uint_eq (core_problems_count (p), 0);
}
END_TEST

START_TEST (test_absent_optional_is_null)
{
  g_autoptr (IntakeTable) t = read_ok ("id,name\n1,a\n", &STRICT, NULL);
  ck_assert_ptr_null (row (t, 0)->values[F_NOTE]);
  ck_assert_str_eq (intake_row_get (row (t, 0), F_NOTE), "");
  ck_assert_str_eq (intake_table_column (t, F_NOTE), "note");
}
END_TEST

START_TEST (test_quoted_newline_line_numbers)
{
  /* Header 1; record on 2; a record spanning 3-5; blank line 6; record on 7. */
  const char *csv = "id,name\n1,a\n2,\"multi\nline, with comma\n\"\"quoted\"\"\"\n\n3,c\n";
  g_autoptr (IntakeTable) t = read_ok (csv, &STRICT, NULL);
  ck_assert_uint_eq (t->rows->len, 3);
  ck_assert_uint_eq (row (t, 0)->line, 2);
  ck_assert_uint_eq (row (t, 1)->line, 3);
  ck_assert_str_eq (intake_row_get (row (t, 1), F_NAME), "multi\nline, with comma\n\"quoted\"");
  ck_assert_uint_eq (row (t, 2)->line, 7);
}
END_TEST

START_TEST (test_crlf)
{
  g_autoptr (IntakeTable) t = read_ok ("id,name\r\n1,\"a\r\nb\"\r\n2,c\r\n", &STRICT, NULL);
  ck_assert_uint_eq (t->rows->len, 2);
  ck_assert_str_eq (intake_row_get (row (t, 0), F_NAME), "a\r\nb");
  ck_assert_str_eq (intake_row_get (row (t, 1), F_NAME), "c");
  ck_assert_uint_eq (row (t, 1)->line, 4);
}
END_TEST

START_TEST (test_blank_and_comma_rows_skipped)
{
  g_autoptr (IntakeTable) t = read_ok ("id,name,\n1,a,\n,,\n   \n\n2,b,\n", &STRICT, NULL);
  ck_assert_uint_eq (t->rows->len, 2);
  ck_assert_uint_eq (row (t, 1)->line, 6);
}
END_TEST

START_TEST (test_no_final_newline)
{
  g_autoptr (IntakeTable) t = read_ok ("id,name\n1,a", &STRICT, NULL);
  ck_assert_uint_eq (t->rows->len, 1);
  ck_assert_str_eq (intake_row_get (row (t, 0), F_NAME), "a");
}
END_TEST

START_TEST (test_missing_required_column_named)
{
  g_autoptr (GError) e = read_fails ("编号,备注\n1,x\n", 16, &STRICT);
  g_clear_error (&e);
  const char *csv = "编号,备注\n1,x\n";
  e = read_fails (csv, strlen (csv), &STRICT);
  ck_assert (g_error_matches (e, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_HEADER));
  ck_assert_msg (strstr (e->message, "t.csv:1:")
                     && strstr (e->message, "missing required column name"),
                 "%s", e->message);
}
END_TEST

START_TEST (test_unknown_column_error_or_ignored)
{
  const char *csv = "id,name,colour\n1,a,red\n";
  g_autoptr (GError) e = read_fails (csv, strlen (csv), &STRICT);
  ck_assert (g_error_matches (e, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_HEADER));
  ck_assert_msg (strstr (e->message, "unknown column \"colour\""), "%s", e->message);
  g_autoptr (IntakeTable) t = read_ok (csv, &LENIENT, NULL);
  ck_assert_uint_eq (t->rows->len, 1);
}
END_TEST

START_TEST (test_repeated_column)
{
  const char *csv = "id,name,编号\n1,a,2\n";
  g_autoptr (GError) e = read_fails (csv, strlen (csv), &STRICT);
  ck_assert_msg (strstr (e->message, "the same column twice: \"id\" and \"编号\""), "%s",
                 e->message);
}
END_TEST

START_TEST (test_empty_file)
{
  g_autoptr (GError) e = read_fails ("\n\n", 2, &STRICT);
  ck_assert (g_error_matches (e, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_HEADER));
  ck_assert_msg (strstr (e->message, "t.csv is empty"), "%s", e->message);
  g_clear_error (&e);
  e = read_fails ("", 0, &STRICT);
  ck_assert (g_error_matches (e, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_HEADER));
  g_clear_error (&e);
  g_autoptr (IntakeTable) t
      = intake_table_read_data (NULL, 0, "t.json", INTAKE_FORMAT_JSON, &STRICT, NULL, &e);
  ck_assert (t == NULL);
  ck_assert (g_error_matches (e, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_SYNTAX));
}
END_TEST

START_TEST (test_malformed_csv_names_line)
{
  const char *csv = "id,name\n1,a\n2,\"b\"x\n";
  g_autoptr (GError) e = read_fails (csv, strlen (csv), &STRICT);
  ck_assert (g_error_matches (e, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_SYNTAX));
  ck_assert_msg (strstr (e->message, "t.csv:3: malformed CSV"), "%s", e->message);
  g_clear_error (&e);
  const char *open = "id,name\n1,a\n2,\"never closed\n3,c\n";
  e = read_fails (open, strlen (open), &STRICT);
  ck_assert (g_error_matches (e, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_SYNTAX));
  ck_assert_msg (strstr (e->message, "t.csv:3: a quoted field is never closed"), "%s", e->message);
}
END_TEST

START_TEST (test_ragged_rows_are_problems)
{
  g_autoptr (CoreProblems) p = core_problems_new ("t.csv");
  g_autoptr (IntakeTable) t
      = read_ok ("id,name,note\n1,a,x\n2,b\n3,c,d,e\n4,d,,\n,,,x\n", &STRICT, p);
  ck_assert_uint_eq (t->rows->len, 2); /* 1 and 4 (trailing empty field tolerated) */
  ck_assert_uint_eq (core_problems_count (p), 3);
  g_autofree char *text = core_problems_format (p);
  ck_assert_msg (strstr (text, "t.csv:3: this row has 2 fields but the header names 3 columns")
                     && strstr (text, "t.csv:4: value \"e\": this row has 4 fields")
                     && strstr (text, "t.csv:6: value \"x\""),
                 "%s", text);
}
END_TEST

START_TEST (test_unnamed_column_values)
{
  g_autoptr (CoreProblems) p = core_problems_new ("t.csv");
  g_autoptr (IntakeTable) t = read_ok ("id,,name\n1,,a\n2,zz,b\n", &STRICT, p);
  ck_assert_uint_eq (t->rows->len, 1);
  ck_assert (core_problems_contain (p, "header is empty"));
}
END_TEST

START_TEST (test_encodings)
{
  const char *names[] = { "results-utf8.csv", "results-bom-crlf.csv", "results-gb18030.csv" };
  IntakeEncoding expect[]
      = { INTAKE_ENCODING_UTF8, INTAKE_ENCODING_UTF8_BOM, INTAKE_ENCODING_GB18030 };
  const IntakeField fields[] = {
    { "sampling_no", A ("抽样单编号"), TRUE },
    { "item", A ("检验项目"), TRUE },
  };
  const IntakeSchema schema = { fields, 2, TRUE };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (INTAKE_TEST_DATA, names[i], NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (CoreProblems) p = core_problems_new (names[i]);
      g_autoptr (IntakeTable) t
          = intake_table_read_file (path, names[i], INTAKE_FORMAT_AUTO, &schema, p, &error);
      ck_assert_msg (t != NULL, "%s", error ? error->message : "");
      ck_assert_int_eq (t->encoding, expect[i]);
      ck_assert_uint_eq (t->rows->len, 5);
      ck_assert_str_eq (intake_table_column (t, 0), "抽样单编号");
      ck_assert_str_eq (intake_row_get (row (t, 0), 1), "铅(以Pb计)");
      ck_assert_uint_eq (row (t, 3)->line, 5);
      ck_assert_uint_eq (row (t, 4)->line, 7);
      const char *item = intake_row_get (row (t, 3), 1);
      ck_assert_msg (g_str_has_prefix (item, "山梨酸\n") || g_str_has_prefix (item, "山梨酸\r\n"),
                     "%s", item);
    }
}
END_TEST

START_TEST (test_bad_encodings_name_line)
{
  struct
  {
    const char *file;
    const char *expect;
  } cases[] = {
    { "bad-encoding.csv", "bad-encoding.csv:3: this line is neither UTF-8 nor GB18030" },
    { "broken-utf8.csv", "broken-utf8.csv:4: this line is neither UTF-8 nor GB18030" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (INTAKE_TEST_DATA, cases[i].file, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (IntakeTable) t = intake_table_read_file (path, cases[i].file, INTAKE_FORMAT_AUTO,
                                                          &LENIENT, NULL, &error);
      ck_assert (t == NULL);
      ck_assert (g_error_matches (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_ENCODING));
      ck_assert_msg (strstr (error->message, cases[i].expect), "%s", error->message);
    }
  g_autoptr (GError) e = read_fails ("i\0d,name\n", 9, &STRICT);
  ck_assert_msg (strstr (e->message, "NUL bytes"), "%s", e->message);
  g_clear_error (&e);
  /* the zip signature makes it a workbook, and this one is not readable */
  e = read_fails ("PK\x03\x04zzzz", 8, &STRICT);
  ck_assert_msg (strstr (e->message, "not a readable XLSX workbook"), "%s", e->message);
  g_clear_error (&e);
  e = read_fails ("\xEF\xBB\xBFid,name\n\xFF\n", 13, &STRICT);
  ck_assert_msg (strstr (e->message, "t.csv:2:") && strstr (e->message, "byte-order mark"), "%s",
                 e->message);
}
END_TEST

START_TEST (test_missing_file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IntakeTable) t = intake_table_read_file ("/nonexistent/x.csv", NULL, INTAKE_FORMAT_CSV,
                                                      &STRICT, NULL, &error);
  ck_assert (g_error_matches (error, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_READ));
  ck_assert_msg (strstr (error->message, "/nonexistent/x.csv"), "%s", error->message);
}
END_TEST

START_TEST (test_json_rows_and_lines)
{
  const char *json = "[\n  {\"编号\": 1, \"full name\": \"a\", \"备注\": null},\n"
                     "  {\n    \"id\": \"2\",\n    \"name\": 2.5,\n    \"note\": true\n  }\n]\n";
  g_autoptr (CoreProblems) p = core_problems_new ("t.json");
  g_autoptr (IntakeTable) t = read_ok (json, &STRICT, p);
  ck_assert_int_eq (t->format, INTAKE_FORMAT_JSON);
  ck_assert_uint_eq (t->rows->len, 2);
  ck_assert_uint_eq (row (t, 0)->line, 2);
  ck_assert_uint_eq (row (t, 1)->line, 3);
  ck_assert_str_eq (intake_row_get (row (t, 0), F_ID), "1");
  ck_assert_str_eq (row (t, 0)->values[F_NOTE], "");
  ck_assert_str_eq (intake_row_get (row (t, 1), F_NAME), "2.5");
  ck_assert_str_eq (intake_row_get (row (t, 1), F_NOTE), "true");
  ck_assert_uint_eq (core_problems_count (p), 0);
}
END_TEST

START_TEST (test_json_problems)
{
  const char *json = "[{\"id\": \"1\", \"name\": [1]},\n 5,\n {\"id\": \"3\"},\n"
                     " {\"id\": \"4\", \"编号\": \"4\", \"name\": \"d\"}]";
  g_autoptr (CoreProblems) p = core_problems_new ("t.json");
  g_autoptr (IntakeTable) t = read_ok (json, &STRICT, p);
  ck_assert_uint_eq (t->rows->len, 0);
  g_autofree char *text = core_problems_format (p);
  ck_assert_msg (strstr (text, "t.json:1: column name: must be a text, a number or null, not a "
                               "JsonArray")
                     && strstr (text, "t.json:2: element 2 of the array is a")
                     && strstr (text, "t.json:3: column name: required key missing")
                     && strstr (text, "t.json:4: column 编号: this object names column id twice"),
                 "%s", text);
  const char *bad[]
      = { "[{\"id\": 1,}]", "{\"id\": 1}", "[{\"id\":\"1\",\"name\":\"a\",\"x\":1}]" };
  int codes[] = { INTAKE_TABLE_ERROR_SYNTAX, INTAKE_TABLE_ERROR_SYNTAX, INTAKE_TABLE_ERROR_HEADER };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;
      g_autoptr (IntakeTable) u = intake_table_read_data (bad[i], strlen (bad[i]), "t.json",
                                                          INTAKE_FORMAT_JSON, &STRICT, p, &e);
      ck_assert (u == NULL);
      ck_assert_msg (g_error_matches (e, INTAKE_TABLE_ERROR, codes[i]), "%s", e->message);
    }
}
END_TEST

/* Hardening: a GB18030 file cut inside its last character, CR-only line
 * ends, a JSON object at the top level, and JSON problems as FILE:LINE. */
START_TEST (test_truncated_cr_only_and_json_top_level)
{
  gsize len = 0;
  g_autofree char *gb = g_convert ("id,name\n1,名称", -1, "GB18030", "UTF-8", NULL, &len, NULL);
  ck_assert (gb != NULL && len > 2);
  g_autoptr (GError) e = read_fails (gb, len - 1, &STRICT);
  ck_assert (g_error_matches (e, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_ENCODING));
  ck_assert_msg (strstr (e->message, "t.csv:2: the file ends inside a GB18030 character"), "%s",
                 e->message);
  g_clear_error (&e);

  g_autoptr (CoreProblems) p = core_problems_new ("t.csv");
  g_autoptr (IntakeTable) t = read_ok ("id,name\r1,a\r\r2,\"b\rc\"\r3,d\r", &STRICT, p);
  ck_assert_uint_eq (t->rows->len, 3);
  ck_assert_uint_eq (row (t, 0)->line, 2);
  ck_assert_uint_eq (row (t, 1)->line, 4);
  ck_assert_uint_eq (row (t, 2)->line, 6);
  ck_assert_str_eq (intake_row_get (row (t, 2), F_NAME), "d");

  const char *object = "\n{\"id\": \"1\", \"name\": \"a\"}\n";
  e = read_fails (object, strlen (object), &STRICT);
  ck_assert (g_error_matches (e, INTAKE_TABLE_ERROR, INTAKE_TABLE_ERROR_SYNTAX));
  ck_assert_msg (strstr (e->message, "t.csv:2: the top level must be an array of objects"), "%s",
                 e->message);
  g_clear_error (&e);
  const char *broken = "[\n {\"id\": \"1\", \"name\": \"a\"},\n {\"id\": 2,}\n]";
  e = read_fails (broken, strlen (broken), &STRICT);
  ck_assert_msg (g_str_has_prefix (e->message, "t.csv:3: malformed JSON")
                     && strstr (e->message, "<data>") == NULL,
                 "%s", e->message);
  g_clear_error (&e);
  const char *unknown = "[\n {\"id\": \"1\", \"name\": \"a\",\n \"x\": 1},\n {\"id\": \"2\", "
                        "\"name\": \"b\", \"y\": 2}]";
  e = read_fails (unknown, strlen (unknown), &STRICT);
  ck_assert_msg (strstr (e->message, "t.csv:2: unknown key \"x\"")
                     && strstr (e->message, "t.csv:4: unknown key \"y\"")
                     && strstr (e->message, "(line") == NULL,
                 "%s", e->message);
}
END_TEST

START_TEST (test_problems_format_sorted_and_escaped)
{
  g_autoptr (CoreProblems) p = core_problems_new ("f.csv");
  g_autoptr (GError) error = NULL;
  ck_assert (core_problems_check (p, &error));
  core_problems_add (p, 9, "结论", "", "missing conclusion");
  core_problems_add (p, 3, "item", "a \"b\"\nc", "bad %d", 1);
  core_problems_add (p, 3, NULL, NULL, "second on 3");
  core_problems_add (p, 0, NULL, NULL, "file-level");
  g_autofree char *text = core_problems_format (p);
  ck_assert_str_eq (text, "f.csv: file-level\n"
                          "f.csv:3: column item: value \"a \\\"b\\\"\\nc\": bad 1\n"
                          "f.csv:3: second on 3\n"
                          "f.csv:9: column 结论: value \"\": missing conclusion\n");
  ck_assert (!core_problems_check (p, &error));
  ck_assert (g_error_matches (error, CORE_PROBLEMS_ERROR, CORE_PROBLEMS_ERROR_REJECTED));
  ck_assert_msg (strstr (error->message, "f.csv rejected, nothing stored: 4 problems"), "%s",
                 error->message);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("intake-table");
  TCase *tc = tcase_create ("table");
  tcase_add_test (tc, test_aliases_trim_and_case);
  tcase_add_test (tc, test_absent_optional_is_null);
  tcase_add_test (tc, test_quoted_newline_line_numbers);
  tcase_add_test (tc, test_crlf);
  tcase_add_test (tc, test_blank_and_comma_rows_skipped);
  tcase_add_test (tc, test_no_final_newline);
  tcase_add_test (tc, test_missing_required_column_named);
  tcase_add_test (tc, test_unknown_column_error_or_ignored);
  tcase_add_test (tc, test_repeated_column);
  tcase_add_test (tc, test_empty_file);
  tcase_add_test (tc, test_malformed_csv_names_line);
  tcase_add_test (tc, test_ragged_rows_are_problems);
  tcase_add_test (tc, test_unnamed_column_values);
  tcase_add_test (tc, test_encodings);
  tcase_add_test (tc, test_bad_encodings_name_line);
  tcase_add_test (tc, test_missing_file);
  tcase_add_test (tc, test_json_rows_and_lines);
  tcase_add_test (tc, test_json_problems);
  tcase_add_test (tc, test_truncated_cr_only_and_json_top_level);
  tcase_add_test (tc, test_problems_format_sorted_and_escaped);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
