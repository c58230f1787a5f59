-- 0002_plan: annual plan versions and their cells.
-- A plan version is generated as a draft, may be approved (frozen), and is
-- superseded when a rebalanced version is approved in its place. The inputs
-- (config snapshot and registry grade counts) are stored so that the plan
-- can be rebuilt and checked byte for byte against its digest.

CREATE TABLE plan (
  district        char(6) NOT NULL REFERENCES district,
  year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  version         integer NOT NULL CHECK (version > 0),
  status          text NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'approved', 'superseded')),
  total           integer NOT NULL CHECK (total >= 0),
  reserve         integer NOT NULL CHECK (reserve >= 0),
  from_month      integer NOT NULL DEFAULT 1 CHECK (from_month BETWEEN 1 AND 12),
  based_on        integer,
  within_one      boolean NOT NULL,
  max_deviation   double precision NOT NULL,
  config_snapshot text NOT NULL,
  grade_counts    text,          -- registry counts used, NULL when grade_shares were
  digest          text NOT NULL, -- SHA-256 of the canonical plan text
  created_at      timestamptz NOT NULL DEFAULT now(),
  created_by      text NOT NULL,
  approved_at     timestamptz,
  approved_by     text,
  PRIMARY KEY (district, year, version),
  FOREIGN KEY (district, year, based_on) REFERENCES plan (district, year, version),
  CHECK ((status = 'draft') = (approved_at IS NULL))
);

-- Only one approved plan per district and year.
CREATE UNIQUE INDEX plan_one_approved ON plan (district, year) WHERE status = 'approved';

CREATE TABLE plan_cell (
  district   char(6) NOT NULL,
  year       integer NOT NULL,
  version    integer NOT NULL,
  month      integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  category   char(2) NOT NULL REFERENCES category,
  grade      char(1) NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
  quota      integer NOT NULL CHECK (quota >= 0),
  ideal      double precision NOT NULL,
  PRIMARY KEY (district, year, version, month, category, grade),
  FOREIGN KEY (district, year, version) REFERENCES plan ON DELETE CASCADE
);

-- An approved plan is frozen: its cells and figures never change.
CREATE FUNCTION plan_cell_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM plan p
             WHERE p.district = OLD.district AND p.year = OLD.year
               AND p.version = OLD.version AND p.status <> 'draft') THEN
    RAISE EXCEPTION 'plan %/% version % is approved and frozen', OLD.district, OLD.year, OLD.version
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER plan_cell_frozen BEFORE UPDATE OR DELETE ON plan_cell
  FOR EACH ROW EXECUTE FUNCTION plan_cell_frozen();
