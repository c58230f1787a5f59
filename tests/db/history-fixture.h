/* history-fixture.h: a year of one district's record for the business-history
 * and grade-suggestion tests, on top of results-fixture.h's registry
 * (fx_registry (db, 6, 6): odd samples at business 1, grade B; even ones at
 * business 2, grade C; all sampled 2024-01-15; all but the sixth sent to LAB1,
 * and the sixth has no result yet).
 *
 * HX_RESULTS, imported for LAB1, gives:
 *   BG-1 (business 1) fails plainly            -> case HC2024-00001
 *   BG-2 (business 2) passes
 *   BG-3 (business 1) the lab says pass, the value sits on an exclusive
 *        maximum: fails, flagged                -> case HC2024-00002
 *   BG-4 (business 2) fails plainly            -> case HC2024-00003
 *   BG-5 (business 1) not detected, detection limit above the maximum:
 *        undetermined, passes, flagged
 * The tests then resolve BG-3 as conforming (its case is withdrawn) and BG-5
 * as nonconforming (case HC2024-00004), and HX_MORE_SQL adds business 3
 * (grade A) with a provincial referral case and files an administrative
 * case on HC2024-00003. So in 2024: business 1 has two nonconformities
 * (DC..01, DC..05), business 2 one and a filed case, business 3 a referral. */
#pragma once

#include "tests/db/results-fixture.h"

#define HX_USCC3 FX_USCC_UNKNOWN

#define HX_RESULTS                                                                                 \
  FX_HEADER                                                                                        \
  "DC24120104000001,BG-1,苯甲酸,0.62,g/kg,≤0.5,,不合格,不合格,2024-02-05\n"             \
  "DC24120104000002,BG-2,铅(以Pb计),0.1,mg/kg,≤0.5,,合格,合格,2024-02-05\n"               \
  "DC24120104000003,BG-3,亚硝酸盐,10,mg/kg,<10,,合格,合格,2024-02-05\n"                    \
  "DC24120104000004,BG-4,苯甲酸,0.9,g/kg,≤0.5,,不合格,不合格,2024-02-05\n"              \
  "DC24120104000005,BG-5,镉(以Cd计),未检出,mg/kg,≤0.005,0.01,合格,合格,2024-02-05\n"

#define HX_MORE_SQL                                                                                \
  "INSERT INTO business (district, uscc, name, stage, street, grade) VALUES "                      \
  "('120104', '" HX_USCC3 "', '南开示范超市', 'distribution', '120104001', 'A');"            \
  "INSERT INTO nc_case (district, case_no, source, uscc, business_name, product, notice_no, "      \
  "notice_date, failed_items, opened_on, office, created_by) VALUES ('120104', 'HC2024-00005', "   \
  "'provincial', '" HX_USCC3 "', '南开示范超市', '酱油', 'JC-2024-017', '2024-03-20', "    \
  "'{氨基酸态氮}', '2024-03-25', '12010401', 'test');"                                        \
  "INSERT INTO case_event (district, case_no, on_date, actor, event, from_state, to_state, "       \
  "detail) VALUES ('120104', 'HC2024-00003', '2024-04-10', 'I1', 'decide-filed', 'open', 'open', " \
  "'{\"fields\": {\"filing-no\": \"津南市监立〔2024〕12号\", \"penalty\": \"罚款5000元\"}}');"
