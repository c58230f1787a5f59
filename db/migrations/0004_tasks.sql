-- 0004_tasks: monthly draws (双随机), their tasks, and the samples taken.
-- A draw stores its seed, algorithm version and the canonical text of its
-- inputs with their digest, so anyone can re-run it (一公开). Re-drawing a
-- month (--replace) keeps the old draw on record as 'replaced' and cancels
-- its tasks.

CREATE TABLE draw (
  district       char(6) NOT NULL REFERENCES district,
  year           integer NOT NULL,
  month          integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  draw_no        integer NOT NULL CHECK (draw_no > 0),
  plan_version   integer NOT NULL,
  seed           numeric(20, 0) NOT NULL CHECK (seed >= 0 AND seed < 18446744073709551616),
  algorithm      text NOT NULL,
  input_text     text NOT NULL,
  input_digest   text NOT NULL,
  output_digest  text NOT NULL,
  tasks          integer NOT NULL,
  shortfall      integer NOT NULL,
  status         text NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'replaced')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     text NOT NULL,
  replaced_at    timestamptz,
  PRIMARY KEY (district, year, month, draw_no),
  FOREIGN KEY (district, year, plan_version) REFERENCES plan (district, year, version)
);
CREATE UNIQUE INDEX draw_one_current ON draw (district, year, month) WHERE status = 'current';

-- Cells (or parts) a draw could not fill, with the reason.
CREATE TABLE draw_shortfall (
  district  char(6) NOT NULL,
  year      integer NOT NULL,
  month     integer NOT NULL,
  draw_no   integer NOT NULL,
  category  char(2) NOT NULL REFERENCES category,
  grade     char(1) NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
  reason    text NOT NULL,
  count     integer NOT NULL CHECK (count > 0),
  PRIMARY KEY (district, year, month, draw_no, category, grade, reason),
  FOREIGN KEY (district, year, month, draw_no) REFERENCES draw
);

CREATE TABLE task (
  district    char(6) NOT NULL,
  year        integer NOT NULL,
  month       integer NOT NULL,
  draw_no     integer NOT NULL,
  serial      integer NOT NULL CHECK (serial > 0),
  record_no   text NOT NULL,             -- 抽样单编号
  category    char(2) NOT NULL REFERENCES category,
  grade       char(1) NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
  uscc        char(18) NOT NULL,
  street      text NOT NULL,
  office      text NOT NULL,
  inspector1  text NOT NULL,
  inspector2  text NOT NULL CHECK (inspector2 <> inspector1),
  lab         text NOT NULL,
  due_date    date NOT NULL,
  status      text NOT NULL DEFAULT 'drawn' CHECK (status IN ('drawn', 'sampled', 'cancelled')),
  PRIMARY KEY (district, year, month, draw_no, serial),
  FOREIGN KEY (district, year, month, draw_no) REFERENCES draw,
  FOREIGN KEY (district, uscc) REFERENCES business,
  FOREIGN KEY (district, inspector1) REFERENCES inspector,
  FOREIGN KEY (district, inspector2) REFERENCES inspector,
  FOREIGN KEY (district, lab) REFERENCES lab
);
-- A record number names one live task.
CREATE UNIQUE INDEX task_record_live ON task (district, record_no) WHERE status <> 'cancelled';
CREATE INDEX task_by_business ON task (district, uscc, year);

-- What the sampling inspectors took (抽样单 fields that matter downstream).
CREATE TABLE sample (
  district           char(6) NOT NULL,
  record_no          text NOT NULL,
  year               integer NOT NULL,
  month              integer NOT NULL,
  draw_no            integer NOT NULL,
  serial             integer NOT NULL,
  sample_name        text NOT NULL,
  batch              text,          -- batch number or production date as labelled
  production_date    date,
  specification      text,          -- e.g. 180g/袋
  quantity           text NOT NULL,
  sampling_date      date NOT NULL,
  labelled_producer  text,
  recorded_at        timestamptz NOT NULL DEFAULT now(),
  recorded_by        text NOT NULL,
  PRIMARY KEY (district, record_no),  -- a task is sampled once
  FOREIGN KEY (district, year, month, draw_no, serial) REFERENCES task
);
