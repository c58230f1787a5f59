-- 0008_results_digest: the same file from the same lab may be recorded more
-- than once. After an amendment, the file that was amended can be sent again
-- to restore its results (as a new amendment), and that import is recorded
-- with the same digest as the first. The digest still finds earlier imports.
ALTER TABLE result_import DROP CONSTRAINT result_import_district_lab_sha256_key;
CREATE INDEX result_import_digest ON result_import (district, lab, sha256);
