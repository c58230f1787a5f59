-- 0016_deadline_windows: some deadlines are periods granted to the business
-- (the 7 working days to apply for re-inspection), not duties of the
-- regulator. config/deadlines.conf marks them `window=true`; a case's
-- deadline row records it, so that lists of overdue cases and the cases
-- report leave a window out: it lapses unused, it does not fall overdue.
-- case_take_step() (0013) now writes the flag from the step's dues.

ALTER TABLE case_deadline ADD COLUMN business_window boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION case_take_step(p_district char(6), p_case_no text, p_step text,
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
  INSERT INTO case_deadline (district, case_no, name, zh, from_on, amount, unit, due_on, business_window)
    SELECT p_district, p_case_no, d->>'name', d->>'zh', (d->>'from_on')::date,
           (d->>'amount')::integer, d->>'unit', (d->>'due_on')::date,
           coalesce((d->>'window')::boolean, false)
    FROM jsonb_array_elements(p_dues) AS d
    WHERE NOT coalesce((d->>'extended')::boolean, false)
    ON CONFLICT (district, case_no, name) DO UPDATE SET
      from_on = EXCLUDED.from_on, due_on = EXCLUDED.due_on, met_at = NULL,
      business_window = EXCLUDED.business_window;
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


DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION case_take_step(char, text, text, integer, text, text, date, '
                 'jsonb, text, jsonb, text[]) SET search_path = %I, pg_temp', current_schema());
END $$;
