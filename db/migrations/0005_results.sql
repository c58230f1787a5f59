-- 0005_results: lab result uploads, report versions and their items, and the
-- verification-and-disposal (核查处置) cases with their deadlines and events.
-- A report is never overwritten: an amendment adds a version and the old one
-- stays on record. Case states and the transitions between them are data
-- (case_state, case_transition, per district) and a trigger refuses any
-- other change of state, so no client can skip a step.

-- Verdict words used throughout (intake_verdict_name()).
CREATE DOMAIN verdict AS text
  CHECK (VALUE IN ('pass', 'fail', 'undetermined', 'not judged'));

-- One row per accepted file. The same content from the same lab again is
-- recognised by its digest and changes nothing.
CREATE TABLE result_import (
  district      char(6) NOT NULL REFERENCES district,
  id            bigint GENERATED ALWAYS AS IDENTITY,
  lab           text NOT NULL,
  file_name     text NOT NULL,
  sha256        char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  rows          integer NOT NULL CHECK (rows >= 0),
  reports       integer NOT NULL CHECK (reports >= 0),
  amend_reason  text,
  imported_at   timestamptz NOT NULL DEFAULT now(),
  actor         text NOT NULL,
  PRIMARY KEY (district, id),
  UNIQUE (district, lab, sha256),
  FOREIGN KEY (district, lab) REFERENCES lab (district, code)
);

-- A lab's report (检验报告) on one sample, one row per version.
CREATE TABLE lab_report (
  district         char(6) NOT NULL,
  lab              text NOT NULL,
  report_no        text NOT NULL,             -- 报告编号, unique per lab
  version          integer NOT NULL CHECK (version > 0),
  current          boolean NOT NULL DEFAULT true,
  record_no        text NOT NULL,             -- 抽样单编号 of the sample
  import_id        bigint NOT NULL,
  line             integer NOT NULL,          -- first line of the report in its file
  conclusion_text  text NOT NULL,             -- 结论 as the lab wrote it
  lab_conclusion   verdict NOT NULL,
  computed         verdict NOT NULL,          -- from the recomputed item verdicts
  governing        verdict NOT NULL,          -- the stricter of the two
  review           boolean NOT NULL,
  review_reason    text,
  amend_reason     text,
  test_date        date NOT NULL,
  items            integer NOT NULL CHECK (items > 0),
  digest           char(64) NOT NULL,         -- SHA-256 of the report's canonical content
  PRIMARY KEY (district, lab, report_no, version),
  FOREIGN KEY (district, lab) REFERENCES lab (district, code),
  FOREIGN KEY (district, record_no) REFERENCES sample (district, record_no),
  FOREIGN KEY (district, import_id) REFERENCES result_import (district, id),
  CHECK ((version = 1) = (amend_reason IS NULL)),
  CHECK (review = (review_reason IS NOT NULL))
);
CREATE UNIQUE INDEX lab_report_current ON lab_report (district, lab, report_no) WHERE current;
-- A sample has one report: a changed report is an amendment, not a second report.
CREATE UNIQUE INDEX lab_report_one_per_sample ON lab_report (district, record_no) WHERE current;
CREATE INDEX lab_report_review ON lab_report (district) WHERE current AND review;

-- One test item of one report version.
CREATE TABLE result_item (
  district             char(6) NOT NULL,
  lab                  text NOT NULL,
  report_no            text NOT NULL,
  version              integer NOT NULL,
  line                 integer NOT NULL,      -- where the row starts in its file
  item                 text NOT NULL,         -- 检验项目
  value_text           text NOT NULL,         -- 检验结果 as written
  value_kind           text NOT NULL
                       CHECK (value_kind IN ('number', 'below', 'not detected', 'detected', 'units')),
  value                double precision,      -- number, or the x of "<x"
  unit                 text,
  limit_text           text,                  -- canonical form, NULL when no limit
  limit_min            double precision,
  limit_min_inclusive  boolean,
  limit_max            double precision,
  limit_max_inclusive  boolean,
  must_not_detect      boolean NOT NULL DEFAULT false,  -- 不得检出
  lod                  double precision,      -- method detection limit
  plan_n               integer,               -- n/c/m/M sampling plan
  plan_c               integer,
  plan_m               double precision,
  plan_big_m           double precision,
  lab_verdict          verdict NOT NULL,
  computed_verdict     verdict NOT NULL,
  governing_verdict    verdict NOT NULL,
  review               boolean NOT NULL,
  reason               text,                  -- why the computation came out so
  PRIMARY KEY (district, lab, report_no, version, item),
  FOREIGN KEY (district, lab, report_no, version) REFERENCES lab_report,
  CHECK ((plan_n IS NULL) = (plan_c IS NULL) AND (plan_n IS NULL) = (plan_m IS NULL))
);

-- Case workflow as data: the states and the allowed steps between them, per
-- district (each district starts from the default below, seeded when the
-- district is created, and a province may adjust its own rows).
CREATE TABLE case_state (
  district  char(6) NOT NULL REFERENCES district,
  state     text NOT NULL,
  zh        text NOT NULL,
  terminal  boolean NOT NULL,
  meaning   text NOT NULL,
  PRIMARY KEY (district, state)
);

CREATE TABLE case_transition (
  district    char(6) NOT NULL,
  from_state  text NOT NULL,
  to_state    text NOT NULL,
  event       text NOT NULL,
  PRIMARY KEY (district, from_state, to_state),
  FOREIGN KEY (district, from_state) REFERENCES case_state (district, state),
  FOREIGN KEY (district, to_state) REFERENCES case_state (district, state)
);

CREATE FUNCTION case_workflow_seed(d char(6)) RETURNS void LANGUAGE sql AS $$
  INSERT INTO case_state (district, state, zh, terminal, meaning)
  SELECT d, v.* FROM (VALUES
    ('open',         '待核查', false, 'opened from a nonconforming report or a referral; conclusion not yet delivered'),
    ('notified',     '已送达', false, 'the conclusion was delivered to the business'),
    ('reinspection', '复检中', false, 'the business applied for re-inspection or objected'),
    ('disposing',    '处置中', false, 'verification and disposal under way (seal, recall, investigation)'),
    ('referred',     '已移送', false, 'referred to the labelled producer''s regulator (协查); the local seller is still handled'),
    ('closed',       '已结案', true,  'disposal complete, or the nonconformity withdrawn by an amended report')
  ) AS v(state, zh, terminal, meaning)
  ON CONFLICT DO NOTHING;
  INSERT INTO case_transition (district, from_state, to_state, event)
  SELECT d, v.* FROM (VALUES
    ('open',         'notified',     'conclusion delivered'),
    ('notified',     'reinspection', 'reinspection applied'),
    ('reinspection', 'disposing',    'reinspection upheld'),
    ('reinspection', 'closed',       'reinspection overturned, or withdrawn by amendment'),
    ('notified',     'disposing',    'disposal started'),
    ('disposing',    'referred',     'referred'),
    ('referred',     'disposing',    'referral answered'),
    ('disposing',    'closed',       'disposal complete'),
    -- an amended report that no longer fails withdraws the case at any step ...
    ('open',         'closed',       'withdrawn by amendment'),
    ('notified',     'closed',       'withdrawn by amendment'),
    ('referred',     'closed',       'withdrawn by amendment'),
    -- ... and one that fails again reopens it.
    ('closed',       'open',         'reopened')
  ) AS v(from_state, to_state, event)
  ON CONFLICT DO NOTHING;
$$;

SELECT case_workflow_seed(district) FROM district;

CREATE FUNCTION district_seed_case_workflow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM case_workflow_seed(NEW.district);
  RETURN NULL;
END $$;

CREATE TRIGGER district_seed_case_workflow AFTER INSERT ON district
  FOR EACH ROW EXECUTE FUNCTION district_seed_case_workflow();

-- Case numbers per district and year, handed out under a row lock.
CREATE TABLE case_counter (
  district  char(6) NOT NULL REFERENCES district,
  year      integer NOT NULL,
  last      integer NOT NULL CHECK (last >= 0),
  PRIMARY KEY (district, year)
);

CREATE TABLE nc_case (
  district      char(6) NOT NULL REFERENCES district,
  case_no       text NOT NULL,                 -- e.g. HC2024-00001
  source        text NOT NULL CHECK (source IN ('district', 'city', 'provincial', 'national')),
  state         text NOT NULL DEFAULT 'open',
  uscc          char(18) NOT NULL,
  business_name text NOT NULL,
  product       text,
  record_no     text,                          -- district sampling: the sample
  lab           text,                          -- district sampling: the report
  report_no     text,
  notice_no     text,                          -- referrals: the notice (通知书) number
  notice_date   date,
  failed_items  text[] NOT NULL,
  opened_on     date NOT NULL,
  office        text,                          -- the office that covers the business's street
  closed_on     date,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL,
  PRIMARY KEY (district, case_no),
  FOREIGN KEY (district, uscc) REFERENCES business,
  FOREIGN KEY (district, office) REFERENCES office (district, code),
  FOREIGN KEY (district, record_no) REFERENCES sample (district, record_no),
  FOREIGN KEY (district, state) REFERENCES case_state (district, state),
  CHECK ((source = 'district') = (record_no IS NOT NULL AND report_no IS NOT NULL)),
  CHECK ((source = 'district') = (notice_no IS NULL)),
  CHECK ((state = 'closed') = (closed_on IS NOT NULL))
);
-- One case per sample (reopened, never duplicated) and per referral notice.
CREATE UNIQUE INDEX nc_case_per_sample ON nc_case (district, record_no) WHERE record_no IS NOT NULL;
CREATE UNIQUE INDEX nc_case_per_notice ON nc_case (district, source, notice_no)
  WHERE notice_no IS NOT NULL;
CREATE INDEX nc_case_by_state ON nc_case (district, state);

-- Statutory deadlines of a case (names from config/deadlines.conf).
CREATE TABLE case_deadline (
  district  char(6) NOT NULL,
  case_no   text NOT NULL,
  name      text NOT NULL,
  zh        text,
  from_on   date NOT NULL,   -- the day the count starts from
  amount    integer NOT NULL,
  unit      text NOT NULL CHECK (unit IN ('working-days', 'days', 'months')),
  due_on    date NOT NULL,
  met_at    timestamptz,
  PRIMARY KEY (district, case_no, name),
  FOREIGN KEY (district, case_no) REFERENCES nc_case
);

-- Everything that happened to a case, append-only.
CREATE TABLE case_event (
  district    char(6) NOT NULL,
  id          bigint GENERATED ALWAYS AS IDENTITY,
  case_no     text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  on_date     date NOT NULL,
  actor       text NOT NULL,
  event       text NOT NULL,
  from_state  text,
  to_state    text NOT NULL,
  detail      text,
  PRIMARY KEY (district, id),
  FOREIGN KEY (district, case_no) REFERENCES nc_case,
  FOREIGN KEY (district, from_state) REFERENCES case_state (district, state),
  FOREIGN KEY (district, to_state) REFERENCES case_state (district, state)
);
CREATE INDEX case_event_by_case ON case_event (district, case_no, id);

CREATE FUNCTION case_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_event is append-only'
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER case_event_append_only BEFORE UPDATE OR DELETE ON case_event
  FOR EACH ROW EXECUTE FUNCTION case_event_append_only();

-- A case changes state only along case_transition.
CREATE FUNCTION nc_case_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state IS DISTINCT FROM OLD.state AND NOT EXISTS (
       SELECT 1 FROM case_transition t
       WHERE t.district = OLD.district AND t.from_state = OLD.state AND t.to_state = NEW.state) THEN
    RAISE EXCEPTION 'case %: no step from % to %', OLD.case_no, OLD.state, NEW.state
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER nc_case_transition BEFORE UPDATE OF state ON nc_case
  FOR EACH ROW EXECUTE FUNCTION nc_case_transition();
