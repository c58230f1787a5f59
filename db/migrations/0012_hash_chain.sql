-- 0012_hash_chain: audit_log and case_event become tamper-evident. Each row
-- carries the SHA-256 of its content and of the row before it in its
-- district's chain, so a row changed or removed afterwards (by someone who can
-- get past the append-only triggers, e.g. the schema owner) breaks the chain
-- at that row; `spotcheck audit verify` recomputes every hash outside the
-- database and names the first row that does not match.
--
-- The chains. One chain per table and district, in id order. The first row's
-- prev_hash is 32 zero bytes; every other row's prev_hash is the row_hash of
-- the row before it (the same table and district, the next lower id).
--
--   row_hash = SHA-256 (canonical text as UTF-8 bytes || prev_hash as 32 raw bytes)
--
-- The canonical text of a row is one line in PostgreSQL's COPY text format:
-- the fields below in this order, each followed by one TAB (0x09) except the
-- last, which is followed by one LF (0x0A). In a value, backslash is written
-- \\, TAB \t, LF \n and CR \r (two characters each); every other character
-- stands for itself; SQL NULL is written \N.
--
--   audit_log:  "audit_log", district, id, at, actor, action, subject, detail
--   case_event: "case_event", district, id, case_no, at, on_date, actor, event,
--               from_state, to_state, detail
--
-- The first field is the table's name as written. district is the char(6)
-- value without trailing blanks (district::text); id is decimal with no sign
-- or leading zeros; at is UTC with microseconds, YYYY-MM-DDTHH:MM:SS.ffffffZ
-- (e.g. 2024-02-05T08:30:00.000000Z); on_date is YYYY-MM-DD;
-- audit_log.detail (jsonb) is PostgreSQL's text form of the stored value
-- (detail::text: keys shorter first, then bytewise, each once; ", " and ": "
-- between items; strings with JSON escapes, which the COPY escaping above then
-- applies to like any text); every other field is the text as stored.
--
-- The chain is built by a BEFORE INSERT trigger: it takes a transaction-scoped
-- advisory lock on (table, district), so writers of one chain go one at a time
-- until each commits, then gives the row the next id of the table's identity
-- sequence (so ids grow in the order rows join the chain, even when two
-- transactions race: the id the column default drew before the lock is
-- dropped, which is why ids are not consecutive), reads the row_hash of the
-- district's row with the highest id and computes the row's hashes. Whatever
-- prev_hash, row_hash or id an INSERT gives is replaced.
--
-- The lock is held until the writer's transaction ends, so a transaction
-- writes the record last, and case events before its audit_log row (as the
-- stores do): two writers then never wait for each other's chains in opposite
-- orders.

-- One field of the canonical text: COPY text escaping, NULL as \N.
CREATE FUNCTION chain_field(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN '\N'
              ELSE replace(replace(replace(replace(v, '\', '\\'), E'\t', '\t'), E'\n', '\n'),
                           E'\r', '\r')
         END
$$;

CREATE FUNCTION chain_time(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

CREATE FUNCTION chain_genesis() RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT decode(repeat('00', 32), 'hex')
$$;

CREATE FUNCTION audit_log_chain_text(r audit_log) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT concat_ws(E'\t', 'audit_log', chain_field(r.district::text), r.id::text,
                   chain_time(r.at), chain_field(r.actor), chain_field(r.action),
                   chain_field(r.subject), chain_field(r.detail::text)) || E'\n'
$$;

CREATE FUNCTION case_event_chain_text(r case_event) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT concat_ws(E'\t', 'case_event', chain_field(r.district::text), r.id::text,
                   chain_field(r.case_no), chain_time(r.at), to_char(r.on_date, 'YYYY-MM-DD'),
                   chain_field(r.actor), chain_field(r.event), chain_field(r.from_state),
                   chain_field(r.to_state), chain_field(r.detail)) || E'\n'
$$;

ALTER TABLE audit_log ADD COLUMN prev_hash bytea, ADD COLUMN row_hash bytea;
ALTER TABLE case_event ADD COLUMN prev_hash bytea, ADD COLUMN row_hash bytea;

-- The rows already there join their chains in id order. The append-only
-- triggers stand aside for this one transaction.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
ALTER TABLE case_event DISABLE TRIGGER case_event_append_only;
DO $$
DECLARE
  a audit_log;
  e case_event;
  prev bytea;
  chain text;
BEGIN
  FOR a IN SELECT * FROM audit_log ORDER BY district, id LOOP
    IF chain IS DISTINCT FROM a.district THEN
      prev := chain_genesis();
      chain := a.district;
    END IF;
    UPDATE audit_log SET prev_hash = prev,
                         row_hash = sha256(convert_to(audit_log_chain_text(a), 'UTF8') || prev)
      WHERE district = a.district AND id = a.id
      RETURNING row_hash INTO prev;
  END LOOP;
  chain := NULL;
  FOR e IN SELECT * FROM case_event ORDER BY district, id LOOP
    IF chain IS DISTINCT FROM e.district THEN
      prev := chain_genesis();
      chain := e.district;
    END IF;
    UPDATE case_event SET prev_hash = prev,
                          row_hash = sha256(convert_to(case_event_chain_text(e), 'UTF8') || prev)
      WHERE district = e.district AND id = e.id
      RETURNING row_hash INTO prev;
  END LOOP;
END $$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
ALTER TABLE case_event ENABLE TRIGGER case_event_append_only;

ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN row_hash SET NOT NULL,
  ADD CONSTRAINT audit_log_hash_size CHECK (length(prev_hash) = 32 AND length(row_hash) = 32);
ALTER TABLE case_event ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN row_hash SET NOT NULL,
  ADD CONSTRAINT case_event_hash_size CHECK (length(prev_hash) = 32 AND length(row_hash) = 32);

CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('chain audit_log'), hashtext(NEW.district::text));
  NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
  NEW.prev_hash := coalesce((SELECT row_hash FROM audit_log
                             WHERE district = NEW.district ORDER BY id DESC LIMIT 1),
                            chain_genesis());
  NEW.row_hash := sha256(convert_to(audit_log_chain_text(NEW), 'UTF8') || NEW.prev_hash);
  RETURN NEW;
END $$;

CREATE FUNCTION case_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('chain case_event'), hashtext(NEW.district::text));
  NEW.id := nextval(pg_get_serial_sequence('case_event', 'id'));
  NEW.prev_hash := coalesce((SELECT row_hash FROM case_event
                             WHERE district = NEW.district ORDER BY id DESC LIMIT 1),
                            chain_genesis());
  NEW.row_hash := sha256(convert_to(case_event_chain_text(NEW), 'UTF8') || NEW.prev_hash);
  RETURN NEW;
END $$;

-- Named to fire after any other BEFORE INSERT trigger (they fire by name), so
-- the hash covers the row as stored.
CREATE TRIGGER zz_audit_log_chain BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
CREATE TRIGGER zz_case_event_chain BEFORE INSERT ON case_event
  FOR EACH ROW EXECUTE FUNCTION case_event_chain();
