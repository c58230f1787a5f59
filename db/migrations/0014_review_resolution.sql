-- 0014_review_resolution.sql: a person's resolution of a review flag.
--
-- A report is flagged for review when the lab's verdict and the recomputed one
-- disagree; the stricter of the two governs until a coordinator looks at it.
-- The resolution records which verdict the bureau adopts for that version of
-- the report (合格 or 不合格), who decided, when and why. From then on the
-- adopted verdict governs the report's case: results review --resolve opens
-- one when it says nonconforming and none exists, and withdraws an open one
-- when it says conforming. The report row itself is never rewritten (the
-- working role may not UPDATE lab_report beyond its current flag); readers
-- take coalesce(resolution.verdict, lab_report.governing).
--
-- One resolution per report version, never changed or deleted: an amended
-- report is a new version with its own flag, if any.
CREATE TABLE review_resolution (
  district     char(6) NOT NULL,
  lab          text NOT NULL,
  report_no    text NOT NULL,
  version      integer NOT NULL,
  verdict      verdict NOT NULL CHECK (verdict IN ('pass', 'fail')),
  reason       text NOT NULL CHECK (btrim(reason) <> ''),
  actor        text NOT NULL,
  resolved_on  date NOT NULL,
  resolved_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district, lab, report_no, version),
  FOREIGN KEY (district, lab, report_no, version) REFERENCES lab_report
);

-- Part of the record: the working role (default privileges from 0006) adds
-- resolutions but never rewrites them.
REVOKE UPDATE, DELETE, TRUNCATE ON review_resolution FROM spotcheck_app;
