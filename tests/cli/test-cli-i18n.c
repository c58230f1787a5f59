/* test-cli-i18n.c: the Chinese interface. Representative commands under
 * zh_CN.UTF-8 speak Chinese with the positions of a rejected file intact;
 * --lang and [spotcheck] lang override the locale; machine-readable output is
 * the same in both languages; the catalogue po/zh_CN.po is complete and has
 * every marked string; both READMEs list the same commands as the binary;
 * no label for people is a Chinese literal in the code. */
#include "tests/db/results-fixture.h"
#include "tests/support/test-run.h"

#include <glib/gstdio.h>
#include <locale.h>

/* The locale the children run under: LANG=@lang, nothing overriding it. */
static void
use_locale (const char *lang)
{
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_unsetenv ("LANGUAGE");
  g_setenv ("LANG", lang, TRUE);
}

static void
expect (const TestRun *r, int status, const char *out_has, const char *err_has)
{
  const char *out = r->out ? r->out : "", *err = r->err ? r->err : "";
  ck_assert_msg (r->status == status, "exit %d, wanted %d\nout: %s\nerr: %s", r->status, status,
                 out, err);
  if (out_has)
    ck_assert_msg (strstr (out, out_has) != NULL, "<%s> not in stdout:\n%s", out_has, out);
  if (err_has)
    ck_assert_msg (strstr (err, err_has) != NULL, "<%s> not in stderr:\n%s", err_has, err);
}

static char *
source_path (const char *first, ...)
{
  va_list args;
  va_start (args, first);
  g_autofree char *rel = g_build_filename_valist (first, &args);
  va_end (args);
  return g_build_filename (g_getenv ("SPOTCHECK_SOURCE_DIR"), rel, NULL);
}

START_TEST (test_help_and_usage_in_chinese)
{
  use_locale ("zh_CN.UTF-8");
  g_auto (TestRun) top = { 0 }, group = { 0 }, cmd = { 0 }, unknown = { 0 }, opt = { 0 },
                   sub = { 0 };
  RUN (&top, NULL, "--help");
  expect (&top, 0, "用法：spotcheck", NULL);
  ck_assert_msg (strstr (top.out, "年度食品安全抽检") && strstr (top.out, "全局选项"), "%s",
                 top.out);
  /* the command names themselves never change */
  ck_assert (strstr (top.out, "  cases advance ") != NULL);
  RUN (&group, NULL, "cases", "--help");
  expect (&group, 0, "不合格批次的核查处置案件", NULL);
  /* option descriptions come from the catalogue too */
  RUN (&cmd, NULL, "results", "import", "--help");
  expect (&cmd, 0, "报送文件的承检机构代码", NULL);
  RUN (&unknown, NULL, "nonsense");
  expect (&unknown, 1, NULL, "未知命令 \"nonsense\"");
  RUN (&opt, NULL, "--bogus");
  expect (&opt, 1, NULL, "`spotcheck --help` 列出全部选项");
  RUN (&sub, NULL, "cases", "list", "--bogus");
  expect (&sub, 1, NULL, "--bogus");
  ck_assert_msg (strstr (sub.err, "见 --help") != NULL, "%s", sub.err);
}
END_TEST

START_TEST (test_lang_overrides_the_locale)
{
  g_auto (TestRun) en = { 0 }, en_opt = { 0 }, zh = { 0 }, zh_eq = { 0 }, bad = { 0 }, conf = { 0 },
                   conf_en = { 0 }, conf_bad = { 0 };
  use_locale ("zh_CN.UTF-8");
  RUN (&en, NULL, "--lang", "en", "--help");
  expect (&en, 0, "Usage: spotcheck", NULL);
  ck_assert (strstr (en.out, "用法") == NULL);
  /* --lang applies to errors in the global options after it as well */
  RUN (&en_opt, NULL, "--lang", "en", "--bogus");
  expect (&en_opt, 1, NULL, "`spotcheck --help` lists the options");
  use_locale ("C");
  RUN (&zh, NULL, "--lang", "zh", "--help");
  expect (&zh, 0, "用法：spotcheck", NULL);
  RUN (&zh_eq, NULL, "--lang=zh", "cases", "nonsense");
  expect (&zh_eq, 1, NULL, "未知子命令 \"nonsense\"");
  RUN (&bad, NULL, "--lang", "fr", "--help");
  expect (&bad, 1, NULL, "--lang: the language must be zh or en, not \"fr\"");

  /* [spotcheck] lang of the configuration; --lang wins over it */
  g_autofree char *dir = g_dir_make_tmp ("spotcheck-i18n-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "zh.conf", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "bad.conf", NULL);
  ck_assert (g_file_set_contents (path, "[spotcheck]\nlang=zh\n", -1, NULL));
  ck_assert (g_file_set_contents (bad_path, "[spotcheck]\nlang=de\n", -1, NULL));
  RUN (&conf, NULL, "--config", path, "cases", "nonsense");
  expect (&conf, 1, NULL, "未知子命令");
  RUN (&conf_en, NULL, "--config", path, "--lang", "en", "cases", "nonsense");
  expect (&conf_en, 1, NULL, "unknown subcommand");
  RUN (&conf_bad, NULL, "--config", bad_path, "--help");
  expect (&conf_bad, 1, NULL, "[spotcheck] lang: the language must be zh or en, not \"de\"");
  ck_assert (strstr (conf_bad.err, bad_path) != NULL);
  g_unlink (path);
  g_unlink (bad_path);
  g_rmdir (dir);
}
END_TEST

START_TEST (test_rejected_file_and_refused_step_in_chinese)
{
  g_autoptr (TestDb) db = test_db_new ();
  fx_registry (db, 3, 3);
  g_autofree char *bad = source_path ("tests", "data", "results", "rejected.csv", NULL);
  g_autofree char *refs = source_path ("tests", "data", "results", "referrals.csv", NULL);
  g_autofree char *before = test_scalar (db, "SELECT count(*) FROM lab_report");
  use_locale ("zh_CN.UTF-8");
  g_auto (TestRun) rej = { 0 }, imp = { 0 }, role = { 0 }, csv_zh = { 0 }, csv_en = { 0 },
                   json_zh = { 0 }, json_en = { 0 };
  RUN (&rej, db, "results", "import", bad, "--lab", "LAB1");
  expect (&rej, 1, NULL, "已拒收，未保存任何内容");
  /* FILE:LINE: 列 COLUMN: 值 "VALUE": why — the positions scripts parse */
  const char *lines[] = {
    "rejected.csv:2: 列 抽样单编号: 值 \"DC24120104000099\": 未知的抽样单编号",
    "rejected.csv:3: 列 抽样单编号: 值 \"DC24120104000003\": 样品 DC24120104000003 送检至承检机构 "
    "LAB2，而非承检机构 LAB1",
    "rejected.csv:4: 列 检验结果: 值 \"0.0x3\": ",
    "rejected.csv:5: 列 结论: 值 \"\": 缺少结论",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (lines); i++)
    ck_assert_msg (strstr (rej.err, lines[i]) != NULL, "<%s> not in:\n%s", lines[i], rej.err);
  g_autofree char *after = test_scalar (db, "SELECT count(*) FROM lab_report");
  ck_assert_str_eq (before, after);

  RUN (&imp, db, "cases", "import-referrals", refs, "--date", "2024-02-20");
  expect (&imp, 0, "立案 2 件", NULL);
  /* the terminal acts as coordinator, who does not deliver: refused, with advice */
  RUN (&role, db, "cases", "advance", "HC2024-00001", "--to", "deliver", "--field",
       "delivered-on=2024-02-20", "--field", "delivery-method=直接送达");
  expect (&role, 1, NULL, "应由 inspector 办理，而非 coordinator");
  ck_assert_msg (strstr (role.err, "列出每个步骤由谁办理") != NULL, "%s", role.err);

  /* machine-readable output does not change with the language */
  RUN (&csv_zh, db, "cases", "list", "--format", "csv");
  RUN (&json_zh, db, "cases", "list", "--format", "json");
  use_locale ("C.UTF-8");
  RUN (&csv_en, db, "cases", "list", "--format", "csv");
  RUN (&json_en, db, "cases", "list", "--format", "json");
  expect (&csv_zh, 0, "HC2024-00001", NULL);
  ck_assert_str_eq (csv_zh.out, csv_en.out);
  expect (&json_zh, 0, "HC2024-00001", NULL);
  ck_assert_str_eq (json_zh.out, json_en.out);
}
END_TEST

/* Runs @argv and returns its stdout and stderr together; exit status in *@status. */
static char *
run_tool (const char *const *argv, int *status)
{
  g_auto (TestRun) r = { 0 };
  test_run_argv (&r, argv);
  *status = r.status;
  return g_strconcat (r.out ? r.out : "", r.err ? r.err : "", NULL);
}

START_TEST (test_catalogue_complete)
{
  g_autofree char *po = source_path ("po", "zh_CN.po", NULL);
  g_autofree char *potfiles = source_path ("po", "POTFILES", NULL);
  int status = 0;
  g_autofree char *stats = run_tool (
      (const char *const[]){ "msgfmt", "--check", "--statistics", "-o", "/dev/null", po, NULL },
      &status);
  ck_assert_msg (status == 0, "msgfmt --check: %s", stats);
  ck_assert_msg (strstr (stats, "untranslated") == NULL && strstr (stats, "fuzzy") == NULL,
                 "po/zh_CN.po is incomplete: %s", stats);

  /* every file with marked strings is in POTFILES */
  g_autofree char *list = NULL;
  ck_assert (g_file_get_contents (potfiles, &list, NULL, NULL));
  const char *folders[]
      = { "cli", "core", "scheduler", "intake", "cases", "service", "db", "reports", "server" };
  for (gsize i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *dir_path = source_path (folders[i], NULL);
      g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
      ck_assert (dir != NULL);
      for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
        {
          if (!g_str_has_suffix (name, ".c"))
            continue;
          g_autofree char *file = g_build_filename (dir_path, name, NULL);
          g_autofree char *text = NULL;
          ck_assert (g_file_get_contents (file, &text, NULL, NULL));
          if (strstr (text, "_ (\"") == NULL && strstr (text, "N_ (\"") == NULL)
            continue;
          g_autofree char *entry = g_strdup_printf ("%s/%s\n", folders[i], name);
          g_autofree char *line = g_strconcat ("\n", entry, NULL);
          ck_assert_msg (g_str_has_prefix (list, entry) || strstr (list, line) != NULL,
                         "%s/%s marks strings but is not in po/POTFILES", folders[i], name);
        }
    }

  /* every marked string has its entry: extract afresh and compare */
  g_autofree char *tmp = g_dir_make_tmp ("spotcheck-pot-XXXXXX", NULL);
  g_autofree char *pot = g_build_filename (tmp, "fresh.pot", NULL);
  g_autofree char *src = source_path (".", NULL);
  g_autofree char *xg
      = run_tool ((const char *const[]){ "xgettext", "--from-code=UTF-8", "--keyword=_",
                                         "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
                                         "-D", src, "-f", potfiles, "-o", pot, NULL },
                  &status);
  ck_assert_msg (status == 0, "xgettext: %s", xg);
  g_autofree char *cmp
      = run_tool ((const char *const[]){ "msgcmp", "--use-untranslated", po, pot, NULL }, &status);
  ck_assert_msg (status == 0,
                 "marked strings missing from po/zh_CN.po (run `ninja -C build spotcheck-pot "
                 "spotcheck-update-po` and translate them):\n%s",
                 cmp);
  g_unlink (pot);
  g_rmdir (tmp);
}
END_TEST

/* The commands of README's command table (its first column): "`cases list`
 * / `show`" is cases list and cases show. */
static GHashTable *
readme_commands (const char *name, const char *heading)
{
  g_autofree char *path = source_path (name, NULL);
  g_autofree char *text = NULL;
  ck_assert_msg (g_file_get_contents (path, &text, NULL, NULL), "cannot read %s", path);
  const char *at = strstr (text, heading);
  ck_assert_msg (at != NULL, "%s has no \"%s\" section", name, heading);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* the heading's line first, then the section */
  g_auto (GStrv) lines = g_strsplit (at + 1, "\n", -1);
  gboolean in_table = FALSE;
  for (char **l = lines + 1; *l; l++)
    {
      if (g_str_has_prefix (*l, "## "))
        break;
      if (!g_str_has_prefix (*l, "| `"))
        {
          if (in_table && !g_str_has_prefix (*l, "|"))
            break;
          continue;
        }
      in_table = TRUE;
      g_auto (GStrv) cells = g_strsplit (*l + 1, "|", 2);
      g_auto (GStrv) spans = g_strsplit (cells[0], "`", -1);
      g_autofree char *group = NULL;
      for (guint i = 1; spans[i] != NULL && spans[i + 1] != NULL; i += 2)
        {
          const char *span = spans[i];
          const char *space = strchr (span, ' ');
          if (space != NULL || group == NULL)
            {
              g_free (group);
              group = space ? g_strndup (span, (gsize)(space - span)) : g_strdup (span);
              g_hash_table_add (set, g_strdup (span));
            }
          else
            g_hash_table_add (set, g_strdup_printf ("%s %s", group, span));
        }
    }
  ck_assert_msg (g_hash_table_size (set) > 10, "%s: no command table under \"%s\"", name, heading);
  return set;
}

static void
same_commands (GHashTable *a, const char *a_name, GHashTable *b, const char *b_name)
{
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, a);
  while (g_hash_table_iter_next (&it, &key, NULL))
    ck_assert_msg (g_hash_table_contains (b, key), "`%s` is in %s but not in %s", (char *)key,
                   a_name, b_name);
}

START_TEST (test_readmes_list_the_same_commands)
{
  g_autoptr (GHashTable) en = readme_commands ("README.md", "\n## Commands");
  g_autoptr (GHashTable) zh = readme_commands ("README.zh-CN.md", "\n## 命令");
  same_commands (en, "README.md", zh, "README.zh-CN.md");
  same_commands (zh, "README.zh-CN.md", en, "README.md");
}
END_TEST

/* --- no Chinese literal outside the catalogue --------------------------- */

/* Files whose Chinese literals are data, not labels for people. */
static const char *const DATA_FILES[] = {
  "cli/cmd-demo-inspectors.c", /* the demo's case fields, as inspectors write them */
  "cli/cmd-demo-labs.c",       /* the demo's test items, units and verdicts (lab reports) */
  "cli/cmd-demo-month.c",      /* the demo's sampling records and referral notices */
};

/* Single Chinese literals that are data, by file and the literal's text. */
static const struct
{
  const char *file, *text;
} DATA_LITERALS[] = {
  /* the public notice's wording of a limit "must not be detected", built in SQL */
  { "db/db-report-cases.c", "不得检出" },
};

typedef struct
{
  gsize start, end; /* the literal with its quotes: [start, end) */
} Span;

/* The string literals of C source @text, outside comments and character
 * constants. */
static GArray *
string_literals (const char *text)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (Span));
  gsize n = strlen (text);
  for (gsize i = 0; i < n; i++)
    {
      if (text[i] == '/' && text[i + 1] == '/')
        while (i < n && text[i] != '\n')
          i++;
      else if (text[i] == '/' && text[i + 1] == '*')
        {
          const char *end = strstr (text + i + 2, "*/");
          i = end ? (gsize)(end - text) + 1 : n;
        }
      else if (text[i] == '"' || text[i] == '\'')
        {
          char quote = text[i];
          Span span = { i, 0 };
          for (i++; i < n && text[i] != quote && text[i] != '\n'; i++)
            if (text[i] == '\\')
              i++;
          span.end = i + 1;
          if (quote == '"')
            g_array_append_val (spans, span);
        }
    }
  return spans;
}

/* Whether @text holds a CJK character (ideographs, CJK or fullwidth punctuation). */
static gboolean
has_cjk (const char *text, gsize len)
{
  for (const char *p = text; p < text + len && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3000 && c <= 0x303F)
          || (c >= 0xFF00 && c <= 0xFFEF))
        return TRUE;
    }
  return FALSE;
}

static gboolean
blank (const char *text, gsize from, gsize to)
{
  for (gsize i = from; i < to; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

/* Whether literal @k is (part of) a gettext msgid: an English message that
 * quotes the official Chinese term, translated through the catalogue. The
 * literals it is concatenated with are walked back over to the mark. */
static gboolean
marked (const char *text, const GArray *spans, guint k)
{
  guint j = k;
  while (
      j > 0
      && blank (text, g_array_index (spans, Span, j - 1).end, g_array_index (spans, Span, j).start))
    j--;
  gsize at = g_array_index (spans, Span, j).start;
  while (at > 0 && g_ascii_isspace (text[at - 1]))
    at--;
  if (at >= 2 && text[at - 1] == '('
      && (text[at - 2] == '_' || (text[at - 2] == ' ' && at >= 3 && text[at - 3] == '_')))
    return TRUE;
  /* C_ ("context", "text") */
  if (at >= 1 && text[at - 1] == ',' && j > 0)
    {
      gsize ctx = g_array_index (spans, Span, j - 1).start;
      return ctx >= 4 && strncmp (text + ctx - 4, "C_ (", 4) == 0;
    }
  return FALSE;
}

static gboolean
data_literal (const char *file, const char *literal, gsize len)
{
  for (gsize i = 0; i < G_N_ELEMENTS (DATA_FILES); i++)
    if (strcmp (file, DATA_FILES[i]) == 0)
      return TRUE;
  g_autofree char *text = g_strndup (literal, len);
  for (gsize i = 0; i < G_N_ELEMENTS (DATA_LITERALS); i++)
    if (strcmp (file, DATA_LITERALS[i].file) == 0 && strstr (text, DATA_LITERALS[i].text))
      return TRUE;
  return FALSE;
}

/* Labels for people come from po/zh_CN.po, so that a table or a message
 * cannot carry Chinese the catalogue does not know: every Chinese literal in
 * the code is either in a gettext msgid (English quoting a term) or data on
 * the allow-lists above. */
START_TEST (test_no_chinese_labels_in_the_code)
{
  static const char *const dirs[] = { "service", "db", "reports", "cli", "server" };
  g_autoptr (GString) found = g_string_new (NULL);
  guint files = 0;
  for (gsize d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *dir_path = source_path (dirs[d], NULL);
      g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
      ck_assert_msg (dir != NULL, "no folder %s", dir_path);
      for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
        {
          if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h"))
            continue;
          g_autofree char *rel = g_build_filename (dirs[d], name, NULL);
          g_autofree char *path = source_path (rel, NULL);
          g_autofree char *text = NULL;
          ck_assert (g_file_get_contents (path, &text, NULL, NULL));
          files++;
          g_autoptr (GArray) spans = string_literals (text);
          for (guint k = 0; k < spans->len; k++)
            {
              const Span *s = &g_array_index (spans, Span, k);
              const char *lit = text + s->start;
              gsize len = s->end - s->start;
              if (has_cjk (lit, len) && !marked (text, spans, k) && !data_literal (rel, lit, len))
                g_string_append_printf (found, "%s: %.*s\n", rel, (int)MIN (len, 80), lit);
            }
        }
    }
  ck_assert_uint_gt (files, 100);
  ck_assert_msg (found->len == 0,
                 "Chinese literals outside the catalogue (mark the English with _() or N_() and "
                 "translate it in po/zh_CN.po, or add data to the allow-list):\n%s",
                 found->str);
}
END_TEST

int
main (void)
{
  /* The Chinese runs need the locale; without it they cannot be judged. */
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      fprintf (stderr, "locale zh_CN.UTF-8 is not installed (./bootstrap test generates it)\n");
      return 77;
    }
  setlocale (LC_ALL, "C.UTF-8");
  Suite *s = suite_create ("cli-i18n");
  TCase *tc = tcase_create ("cli-i18n");
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_help_and_usage_in_chinese);
  tcase_add_test (tc, test_lang_overrides_the_locale);
  tcase_add_test (tc, test_rejected_file_and_refused_step_in_chinese);
  tcase_add_test (tc, test_catalogue_complete);
  tcase_add_test (tc, test_readmes_list_the_same_commands);
  tcase_add_test (tc, test_no_chinese_labels_in_the_code);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed ? 1 : 0;
}
