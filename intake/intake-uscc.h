/* intake-uscc.h: the unified social credit code (统一社会信用代码) of GB 32100-2015:
 * 18 characters from 0-9 and A-Y without I, O, S, V, Z, the last a check
 * character over the first 17. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define INTAKE_USCC_ERROR (intake_uscc_error_quark ())
GQuark intake_uscc_error_quark (void);

typedef enum
{
  INTAKE_USCC_ERROR_LENGTH,  /* not 18 characters */
  INTAKE_USCC_ERROR_CHARSET, /* a character outside the code's alphabet */
  INTAKE_USCC_ERROR_CHECK,   /* the check character does not match */
} IntakeUsccError;

#define INTAKE_USCC_LENGTH 18

/* The check character for the 17 characters at @first17 (only those 17 are
 * read), written to *@out. FALSE (with @error set) when one is outside the
 * alphabet. Used by the demo-data generator to make valid codes. */
gboolean intake_uscc_check_char (const char *first17, char *out, GError **error);

/* TRUE when @code is a well-formed USCC with the right check character. The
 * error message says what is wrong (length, which character, expected check
 * character) without repeating the code. Lower-case letters are an error: the
 * code is printed in capitals on every licence. */
gboolean intake_uscc_validate (const char *code, GError **error);

G_END_DECLS
