-- 0001_foundation: places and the food-category catalogue.
-- Every table that holds a district's data is keyed by its GB/T 2260 code
-- (column district) so that the schema can be distributed by that key
-- (Citus: create_distributed_table(..., 'district')); category is a reference
-- table shared by all districts.

CREATE TABLE district (
  district   char(6) PRIMARY KEY CHECK (district ~ '^[0-9]{6}$'),
  name_zh    text NOT NULL,
  name_en    text NOT NULL
);

CREATE TABLE office (
  district   char(6) NOT NULL REFERENCES district,
  code       text NOT NULL,
  name_zh    text NOT NULL,
  name_en    text NOT NULL,
  PRIMARY KEY (district, code)
);

CREATE TABLE street (
  district   char(6) NOT NULL REFERENCES district,
  code       text NOT NULL,
  name_zh    text NOT NULL,
  name_en    text NOT NULL,
  office     text,
  PRIMARY KEY (district, code),
  FOREIGN KEY (district, office) REFERENCES office (district, code)
);

CREATE TABLE category (
  code       char(2) PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
  name_zh    text NOT NULL,
  name_en    text NOT NULL
);

-- Append-only record of every change a command makes (who, what, when).
CREATE TABLE audit_log (
  district   char(6) NOT NULL,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  at         timestamptz NOT NULL DEFAULT now(),
  actor      text NOT NULL,
  action     text NOT NULL,
  subject    text,
  detail     jsonb,
  PRIMARY KEY (district, id)
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only'
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
