-- 0003_registry: the directories the draw works from: businesses (with the
-- categories they handle), inspectors (with recorded conflicts) and labs (with
-- accredited categories and monthly capacity). Imports upsert by USCC / id / code.

CREATE TABLE business (
  district    char(6) NOT NULL REFERENCES district,
  uscc        char(18) NOT NULL CHECK (uscc ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
  licence     text,
  name        text NOT NULL,
  stage       text NOT NULL CHECK (stage IN ('production', 'distribution', 'catering', 'market')),
  street      text NOT NULL,
  address     text,
  grade       char(1) NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
  active      boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district, uscc),
  FOREIGN KEY (district, street) REFERENCES street (district, code)
);

CREATE TABLE business_category (
  district  char(6) NOT NULL,
  uscc      char(18) NOT NULL,
  category  char(2) NOT NULL REFERENCES category,
  PRIMARY KEY (district, uscc, category),
  FOREIGN KEY (district, uscc) REFERENCES business ON DELETE CASCADE
);
CREATE INDEX business_category_by_category ON business_category (district, category);

CREATE TABLE inspector (
  district  char(6) NOT NULL REFERENCES district,
  id        text NOT NULL,
  name      text NOT NULL,
  office    text NOT NULL,
  active    boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district, id),
  FOREIGN KEY (district, office) REFERENCES office (district, code)
);

-- Businesses an inspector must not inspect (kinship, prior employment, ...).
CREATE TABLE inspector_conflict (
  district   char(6) NOT NULL,
  inspector  text NOT NULL,
  uscc       char(18) NOT NULL,
  PRIMARY KEY (district, inspector, uscc),
  FOREIGN KEY (district, inspector) REFERENCES inspector ON DELETE CASCADE
);

CREATE TABLE lab (
  district   char(6) NOT NULL REFERENCES district,
  code       text NOT NULL,
  name       text NOT NULL,
  capacity   integer NOT NULL CHECK (capacity >= 0),  -- samples a month
  active     boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district, code)
);

CREATE TABLE lab_category (
  district  char(6) NOT NULL,
  lab       text NOT NULL,
  category  char(2) NOT NULL REFERENCES category,
  PRIMARY KEY (district, lab, category),
  FOREIGN KEY (district, lab) REFERENCES lab ON DELETE CASCADE
);
