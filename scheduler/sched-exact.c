/* sched-exact.c: decimals behind the doubles of a plan's weights, so that the
 * apportionment's ties are decided by the numbers written, not rounding noise. */
#include "scheduler/sched-exact-private.h"

#include <math.h>
#include <string.h>

#define COMMON_MAX ((SchedInt128)1 << 100)

SchedDecimal
sched_decimal_from_double (double v)
{
  SchedDecimal d = { 0, 0 };
  if (!(v > 0.0) || !isfinite (v))
    return d;
  char fmt[16], buf[64];
  for (int p = 1; p <= 17; p++)
    {
      g_snprintf (fmt, sizeof fmt, "%%.%de", p - 1);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
      if (g_ascii_strtod (buf, NULL) == v || p == 17)
        break;
    }
  /* buf is "D.DDDDe[+-]XX": digits, then the exponent of the first digit. */
  char *e = strchr (buf, 'e');
  int exp10 = (int)g_ascii_strtoll (e + 1, NULL, 10);
  gint64 mantissa = 0;
  int digits = 0;
  for (char *q = buf; q < e; q++)
    if (g_ascii_isdigit (*q))
      {
        mantissa = mantissa * 10 + (*q - '0');
        digits++;
      }
  d.exponent = exp10 - (digits - 1);
  while (mantissa != 0 && mantissa % 10 == 0)
    {
      mantissa /= 10;
      d.exponent++;
    }
  d.mantissa = mantissa;
  return d;
}

double
sched_decimal_product (double a, double b)
{
  SchedDecimal da = sched_decimal_from_double (a), db = sched_decimal_from_double (b);
  SchedInt128 m = (SchedInt128)da.mantissa * db.mantissa; /* < 10^34 */
  if (m == 0)
    return 0.0;
  char digits[48];
  int len = 0;
  for (; m > 0; m /= 10)
    digits[len++] = (char)('0' + (int)(m % 10));
  GString *text = g_string_new (NULL);
  for (int i = len - 1; i >= 0; i--)
    g_string_append_c (text, digits[i]);
  g_string_append_printf (text, "e%d", da.exponent + db.exponent);
  double v = g_ascii_strtod (text->str, NULL);
  g_string_free (text, TRUE);
  return v;
}

gboolean
sched_decimal_common_scale (const double *weights, gsize n, SchedInt128 *out)
{
  g_autofree SchedDecimal *d = g_new (SchedDecimal, n);
  int low = G_MAXINT;
  for (gsize i = 0; i < n; i++)
    {
      d[i] = sched_decimal_from_double (weights[i]);
      if (d[i].mantissa != 0)
        low = MIN (low, d[i].exponent);
    }
  for (gsize i = 0; i < n; i++)
    {
      SchedInt128 v = d[i].mantissa;
      for (int k = low; v != 0 && k < d[i].exponent; k++)
        {
          if (v > COMMON_MAX / 10)
            return FALSE;
          v *= 10;
        }
      out[i] = v;
    }
  return TRUE;
}
