-- 0013_case_steps: a case changes state only through case_take_step(). The
-- working role loses the right to UPDATE nc_case.state (and closed_on); it
-- keeps UPDATE on the columns an amended report changes. case_take_step() runs
-- as the schema's owner: it locks the case, checks the version the user saw
-- (two inspectors at once: the second is told, nothing is lost), checks the
-- step's case_transition row for the case's state and the actor's role, moves
-- the case, writes its deadlines and its event (the step's fields and note as
-- JSON in detail, so the hash chain of 0012 covers them) and returns the new
-- version. The trigger nc_case_transition stays as the second wall, for the
-- owner and for any later function.

ALTER TABLE nc_case ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);

REVOKE UPDATE ON nc_case FROM spotcheck_app;
-- An amended report that still fails (db-cases.c) changes the items and the
-- report the case rests on; nothing else is the application's to write.
GRANT UPDATE (failed_items, report_no) ON nc_case TO spotcheck_app;

-- SQLSTATEs of class SC (spotcheck), which db/db-cases-step.c maps to its
-- error codes:
--   SCN01 no such case          SCV01 the version seen is not the current one
--   SCS01 step not from state   SCR01 the role may not take the step
--   SCO01 no such office
CREATE FUNCTION case_take_step(p_district char(6), p_case_no text, p_step text,
                               p_expected_version integer, p_actor text, p_role text,
                               p_on_date date, p_fields jsonb, p_note text,
                               p_dues jsonb DEFAULT '[]', p_meets text[] DEFAULT '{}')
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  c nc_case;
  t case_transition;
  detail jsonb;
BEGIN
  SELECT * INTO c FROM nc_case WHERE district = p_district AND case_no = p_case_no FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no case % in district %', p_case_no, p_district USING ERRCODE = 'SCN01';
  END IF;
  IF c.version <> p_expected_version THEN
    RAISE EXCEPTION 'case % was changed meanwhile: you saw version %, it is now version %',
      p_case_no, p_expected_version, c.version USING ERRCODE = 'SCV01';
  END IF;
  SELECT * INTO t FROM case_transition
    WHERE district = p_district AND step = p_step AND from_state = c.state;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'case %: step % may not be taken from state %', p_case_no, p_step, c.state
      USING ERRCODE = 'SCS01';
  END IF;
  -- Rows of the first schema (a district whose workflow was never synced)
  -- name no roles; the service syncs before any step, so only the system's
  -- bookkeeping (results import) meets them.
  IF t.roles <> '{}' AND NOT (p_role = ANY (t.roles)) THEN
    RAISE EXCEPTION 'case %: step % is taken by %, not by %', p_case_no, p_step,
      array_to_string(t.roles, ' or '), p_role USING ERRCODE = 'SCR01';
  END IF;
  UPDATE nc_case SET state = t.to_state,
                     closed_on = CASE WHEN t.to_state = 'closed' THEN p_on_date END,
                     version = c.version + 1
    WHERE district = p_district AND case_no = p_case_no;
  -- Deadlines the step starts (counted afresh, e.g. on reopening) ...
  INSERT INTO case_deadline (district, case_no, name, zh, from_on, amount, unit, due_on)
    SELECT p_district, p_case_no, d->>'name', d->>'zh', (d->>'from_on')::date,
           (d->>'amount')::integer, d->>'unit', (d->>'due_on')::date
    FROM jsonb_array_elements(p_dues) AS d
    WHERE NOT coalesce((d->>'extended')::boolean, false)
    ON CONFLICT (district, case_no, name) DO UPDATE SET
      from_on = EXCLUDED.from_on, due_on = EXCLUDED.due_on, met_at = NULL;
  -- ... moves on an approved extension (the count and its start stay) ...
  UPDATE case_deadline k SET due_on = (d->>'due_on')::date
    FROM jsonb_array_elements(p_dues) AS d
    WHERE coalesce((d->>'extended')::boolean, false) AND k.district = p_district
      AND k.case_no = p_case_no AND k.name = d->>'name';
  -- ... and meets.
  UPDATE case_deadline SET met_at = p_on_date::timestamptz
    WHERE district = p_district AND case_no = p_case_no AND name = ANY (p_meets)
      AND met_at IS NULL;
  detail := jsonb_build_object('fields', coalesce(p_fields, '{}'::jsonb), 'version', c.version + 1);
  IF p_note IS NOT NULL THEN
    detail := detail || jsonb_build_object('note', p_note);
  END IF;
  INSERT INTO case_event (district, case_no, on_date, actor, event, from_state, to_state, detail)
    VALUES (p_district, p_case_no, p_on_date, p_actor, p_step, c.state, t.to_state,
            detail::text);
  RETURN c.version + 1;
END $$;

-- A case handed to another office: not a step of the workflow (the state
-- stays) but a change of the record, versioned and on the record like one.
CREATE FUNCTION case_assign(p_district char(6), p_case_no text, p_office text,
                            p_expected_version integer, p_actor text, p_on_date date,
                            p_note text)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  c nc_case;
  detail jsonb;
BEGIN
  SELECT * INTO c FROM nc_case WHERE district = p_district AND case_no = p_case_no FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no case % in district %', p_case_no, p_district USING ERRCODE = 'SCN01';
  END IF;
  IF c.version <> p_expected_version THEN
    RAISE EXCEPTION 'case % was changed meanwhile: you saw version %, it is now version %',
      p_case_no, p_expected_version, c.version USING ERRCODE = 'SCV01';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM office WHERE district = p_district AND code = p_office) THEN
    RAISE EXCEPTION 'district % has no office %', p_district, p_office USING ERRCODE = 'SCO01';
  END IF;
  UPDATE nc_case SET office = p_office, version = c.version + 1
    WHERE district = p_district AND case_no = p_case_no;
  detail := jsonb_build_object('fields', jsonb_build_object('office', p_office, 'previous-office',
                                                            c.office),
                               'version', c.version + 1);
  IF p_note IS NOT NULL THEN
    detail := detail || jsonb_build_object('note', p_note);
  END IF;
  INSERT INTO case_event (district, case_no, on_date, actor, event, from_state, to_state, detail)
    VALUES (p_district, p_case_no, p_on_date, p_actor, 'assign', c.state, c.state, detail::text);
  RETURN c.version + 1;
END $$;

-- An amended report that still fails: the case stays where it is but rests on
-- new items and a new report, which makes a new version of it (a form filled
-- in from the old items is then stale), on the record.
CREATE FUNCTION case_amend(p_district char(6), p_case_no text, p_items text[], p_report_no text,
                           p_actor text, p_on_date date, p_detail text)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  c nc_case;
BEGIN
  SELECT * INTO c FROM nc_case WHERE district = p_district AND case_no = p_case_no FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no case % in district %', p_case_no, p_district USING ERRCODE = 'SCN01';
  END IF;
  UPDATE nc_case SET failed_items = p_items, report_no = p_report_no, version = c.version + 1
    WHERE district = p_district AND case_no = p_case_no;
  INSERT INTO case_event (district, case_no, on_date, actor, event, from_state, to_state, detail)
    VALUES (p_district, p_case_no, p_on_date, p_actor, 'report amended', c.state, c.state,
            p_detail);
  RETURN c.version + 1;
END $$;

-- Both run with the owner's rights, so they name their schema themselves
-- rather than trust the caller's search_path.
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION case_take_step(char, text, text, integer, text, text, date, '
                 'jsonb, text, jsonb, text[]) SET search_path = %I, pg_temp', current_schema());
  EXECUTE format('ALTER FUNCTION case_assign(char, text, text, integer, text, date, text) '
                 'SET search_path = %I, pg_temp', current_schema());
  EXECUTE format('ALTER FUNCTION case_amend(char, text, text[], text, text, date, text) '
                 'SET search_path = %I, pg_temp', current_schema());
END $$;
REVOKE EXECUTE ON FUNCTION case_take_step(char, text, text, integer, text, text, date, jsonb, text,
                                          jsonb, text[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION case_assign(char, text, text, integer, text, date, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION case_amend(char, text, text[], text, text, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION case_take_step(char, text, text, integer, text, text, date, jsonb, text,
                                         jsonb, text[]) TO spotcheck_app;
GRANT EXECUTE ON FUNCTION case_assign(char, text, text, integer, text, date, text)
  TO spotcheck_app;
GRANT EXECUTE ON FUNCTION case_amend(char, text, text[], text, text, date, text) TO spotcheck_app;
