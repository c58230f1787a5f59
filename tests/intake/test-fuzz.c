/* test-fuzz.c: random and mutated input never crashes the readers and parsers.
 * Bounded and seeded (SPOTCHECK_FUZZ_SEED overrides the seed, and
 * SPOTCHECK_FUZZ_ITERATIONS the count) so a failure can be replayed; run it
 * under ASan/UBSan or valgrind to catch memory errors, not just crashes. */
#include "intake/intake-directory.h"
#include "intake/intake-results.h"
#include "intake/intake-uscc.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Bytes chosen to hit the interesting paths: CSV syntax, JSON syntax, UTF-8
 * and GB18030 lead bytes, operators and digits. */
static const char ALPHABET[]
    = ",\"\r\n \t[]{}:0123456789.-<>=~/;nNcmMe\xE2\x89\xA4\xEF\xBB\xBF\x81\xFE\xFF\x80";

static guint32
seed (void)
{
  const char *env = g_getenv ("SPOTCHECK_FUZZ_SEED");
  return env ? (guint32)g_ascii_strtoull (env, NULL, 10) : 20240305u;
}

static guint
iterations (void)
{
  const char *env = g_getenv ("SPOTCHECK_FUZZ_ITERATIONS");
  if (env != NULL)
    return (guint)g_ascii_strtoull (env, NULL, 10);
  /* fewer rounds for the valgrind pass, which looks for memory errors */
  return g_getenv ("SPOTCHECK_TEST_QUICK") != NULL ? 300 : 3000;
}

static GByteArray *
random_bytes (GRand *rand, gboolean from_alphabet)
{
  guint len = g_rand_int_range (rand, 0, 300);
  GByteArray *b = g_byte_array_sized_new (len);
  for (guint i = 0; i < len; i++)
    {
      guint8 c = from_alphabet ? (guint8)ALPHABET[g_rand_int_range (rand, 0, sizeof ALPHABET - 1)]
                               : (guint8)g_rand_int_range (rand, 0, 256);
      g_byte_array_append (b, &c, 1);
    }
  return b;
}

/* A valid file with a few bytes replaced, inserted or deleted. */
static GByteArray *
mutate (GRand *rand, const char *base, gsize len)
{
  GByteArray *b = g_byte_array_sized_new (len + 8);
  g_byte_array_append (b, (const guint8 *)base, len);
  guint n = g_rand_int_range (rand, 1, 6);
  for (guint k = 0; k < n && b->len > 0; k++)
    {
      guint pos = g_rand_int_range (rand, 0, b->len);
      guint8 c = (guint8)ALPHABET[g_rand_int_range (rand, 0, sizeof ALPHABET - 1)];
      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0:
          b->data[pos] = c;
          break;
        case 1:
          g_byte_array_append (b, &c, 1);
          memmove (b->data + pos + 1, b->data + pos, b->len - pos - 1);
          b->data[pos] = c;
          break;
        default:
          g_byte_array_remove_index (b, pos);
        }
    }
  return b;
}

static void
feed (const guint8 *data, gsize len, const CoreCatalog *catalog)
{
  for (int format = INTAKE_FORMAT_AUTO; format <= INTAKE_FORMAT_JSON; format++)
    {
      g_autoptr (CoreProblems) p = core_problems_new ("fuzz");
      g_autoptr (GError) error = NULL;
      g_autoptr (IntakeResultFile) f
          = intake_results_read_data ((const char *)data, len, "fuzz", format, p, &error);
      ck_assert ((f == NULL) == (error != NULL));
      g_autofree char *text = core_problems_format (p);
      g_autoptr (IntakeTable) t = intake_table_read_data ((const char *)data, len, "fuzz", format,
                                                          intake_business_schema (), p, NULL);
      if (t != NULL)
        g_ptr_array_unref (intake_businesses_from_table (t, catalog, p));
    }
  /* The cell parsers take text: give them the bytes as a C string. */
  g_autofree char *s = g_strndup ((const char *)data, len);
  IntakeLimit limit = { 0 };
  IntakeValue value = { 0 };
  double lod;
  char *unit = NULL;
  IntakeVerdict v;
  if (intake_limit_parse (s, &limit, NULL))
    {
      if (intake_value_parse (s, &limit, &value, NULL))
        intake_verdict_compute (&value, &limit, TRUE, 0.1, NULL);
      intake_value_clear (&value);
      g_free (intake_limit_to_string (&limit));
    }
  intake_limit_clear (&limit);
  if (intake_detection_limit_parse (s, &lod, &unit, NULL))
    g_free (unit);
  intake_verdict_parse (s, &v);
  intake_uscc_validate (s, NULL);
}

START_TEST (test_random_input_never_crashes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CoreConfig) config = core_config_new_builtin (&error);
  g_autoptr (CoreCatalog) catalog = core_catalog_load (config, &error);
  ck_assert (catalog != NULL);
  g_autofree char *path = g_build_filename (INTAKE_TEST_DATA, "results-utf8.csv", NULL);
  g_autofree char *json_path = g_build_filename (INTAKE_TEST_DATA, "results.json", NULL);
  g_autofree char *csv = NULL, *json = NULL;
  gsize csv_len = 0, json_len = 0;
  ck_assert (g_file_get_contents (path, &csv, &csv_len, NULL));
  ck_assert (g_file_get_contents (json_path, &json, &json_len, NULL));
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed ());
  guint n = iterations ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GByteArray) b = NULL;
      switch (i % 4)
        {
        case 0:
          b = random_bytes (rand, FALSE);
          break;
        case 1:
          b = random_bytes (rand, TRUE);
          break;
        case 2:
          b = mutate (rand, csv, csv_len);
          break;
        default:
          b = mutate (rand, json, json_len);
        }
      feed (b->data, b->len, catalog);
    }
}
END_TEST

int
main (void)
{
  /* A GLib warning or critical (e.g. a GError set twice) is a bug too. */
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  Suite *s = suite_create ("intake-fuzz");
  TCase *tc = tcase_create ("fuzz");
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_random_input_never_crashes);
  suite_add_tcase (s, tc);
  SRunner *sr = srunner_create (s);
  srunner_run_all (sr, CK_NORMAL);
  int failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
