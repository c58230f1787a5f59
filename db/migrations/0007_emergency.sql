-- 0007_emergency: emergency draws (应急抽检) beside the monthly ones, and the
-- order draws were made in.
--
-- An emergency draw is stored as a draw of kind 'emergency' in the same
-- tables: its tasks are tasks like any other (sampled, sent to a lab, a
-- case when they fail), so samples, results, cases and progress take them
-- without change, and their businesses count as drawn this year for the
-- monthly draws that follow. Its request (category, count, street or named
-- businesses) is in its input text, which it is re-run from; the columns
-- below are what the reserve and the list need to read without parsing it.
-- Emergency draws are never replaced, so they are always 'current' and a
-- month may have any number of them beside its one current monthly draw.

ALTER TABLE draw
  ADD COLUMN kind text NOT NULL DEFAULT 'routine' CHECK (kind IN ('routine', 'emergency')),
  ADD COLUMN category char(2) REFERENCES category,
  ADD COLUMN reason text,
  ADD COLUMN over_reserve_reason text,   -- set when the draw took more than the reserve had left
  ADD COLUMN replaced_by integer,        -- the draw_no of the month's draw that replaced it
  ADD COLUMN seq bigint;                 -- the order draws were made in (district-wide)

ALTER TABLE draw
  ADD CONSTRAINT draw_emergency_fields
    CHECK ((kind = 'emergency') = (category IS NOT NULL AND reason IS NOT NULL AND reason <> '')),
  ADD CONSTRAINT draw_emergency_current CHECK (kind = 'routine' OR status = 'current'),
  ADD CONSTRAINT draw_over_reserve_reason
    CHECK (over_reserve_reason IS NULL OR (kind = 'emergency' AND over_reserve_reason <> ''));

-- Draws made before this migration take their order from their creation time.
CREATE SEQUENCE draw_seq;
UPDATE draw d SET seq = o.n
  FROM (SELECT district, year, month, draw_no,
               row_number () OVER (ORDER BY created_at, year, month, draw_no) AS n
          FROM draw) o
 WHERE (d.district, d.year, d.month, d.draw_no) = (o.district, o.year, o.month, o.draw_no);
SELECT setval ('draw_seq', coalesce ((SELECT max (seq) FROM draw), 0) + 1, false);
ALTER TABLE draw ALTER COLUMN seq SET DEFAULT nextval ('draw_seq'),
                 ALTER COLUMN seq SET NOT NULL;
ALTER SEQUENCE draw_seq OWNED BY draw.seq;
CREATE UNIQUE INDEX draw_by_seq ON draw (district, seq);

-- One current monthly draw a month; emergency draws beside it.
DROP INDEX draw_one_current;
CREATE UNIQUE INDEX draw_one_current ON draw (district, year, month)
  WHERE status = 'current' AND kind = 'routine';
