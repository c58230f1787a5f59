-- 0011_case_workflow: the case workflow of config/case-workflow.conf, per
-- district. case_transition gains the step that makes each move, the roles
-- that may take it and the fields it requires, so the table the trigger
-- nc_case_transition enforces is the same table the service checks
-- (db_workflow_sync writes it). Two steps may now make the same move (a case
-- filed or not filed both lead to "decided"), so a row is keyed by its step.
-- Rows of the first schema keep working: each becomes a step named after its
-- event until the district's workflow is synced.

ALTER TABLE case_transition
  ADD COLUMN step      text,
  ADD COLUMN zh        text,
  ADD COLUMN roles     text[] NOT NULL DEFAULT '{}',
  ADD COLUMN requires  text[] NOT NULL DEFAULT '{}',
  ADD COLUMN optional  text[] NOT NULL DEFAULT '{}',
  ADD COLUMN position  integer NOT NULL DEFAULT 0;

UPDATE case_transition SET step = event;

ALTER TABLE case_transition
  ALTER COLUMN step SET NOT NULL,
  DROP CONSTRAINT case_transition_pkey,
  ADD PRIMARY KEY (district, step, from_state);

-- What the trigger looks up on every change of state.
CREATE INDEX case_transition_move ON case_transition (district, from_state, to_state);

-- The state a new case starts in, and the order states are listed in.
ALTER TABLE case_state
  ADD COLUMN initial   boolean NOT NULL DEFAULT false,
  ADD COLUMN position  integer NOT NULL DEFAULT 0;
UPDATE case_state SET initial = (state = 'open');
CREATE UNIQUE INDEX case_state_one_initial ON case_state (district) WHERE initial;

-- When a district's workflow was last written from the configuration, and a
-- digest of what was written, so `which workflow is in force` has an answer.
CREATE TABLE case_workflow (
  district   char(6) PRIMARY KEY REFERENCES district,
  digest     char(64) NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
  states     integer NOT NULL,
  steps      integer NOT NULL,
  synced_at  timestamptz NOT NULL DEFAULT now()
);

-- New districts still start from the first schema's rows (now with their step
-- names) until their workflow is synced from the configuration.
CREATE OR REPLACE FUNCTION case_workflow_seed(d char(6)) RETURNS void LANGUAGE sql AS $$
  INSERT INTO case_state (district, state, zh, terminal, meaning, initial)
  SELECT d, v.* FROM (VALUES
    ('open',         '待核查', false, 'opened from a nonconforming report or a referral; conclusion not yet delivered', true),
    ('notified',     '已送达', false, 'the conclusion was delivered to the business', false),
    ('reinspection', '复检中', false, 'the business applied for re-inspection or objected', false),
    ('disposing',    '处置中', false, 'verification and disposal under way (seal, recall, investigation)', false),
    ('referred',     '已移送', false, 'referred to the labelled producer''s regulator (协查); the local seller is still handled', false),
    ('closed',       '已结案', true,  'disposal complete, or the nonconformity withdrawn by an amended report', false)
  ) AS v(state, zh, terminal, meaning, initial)
  ON CONFLICT DO NOTHING;
  INSERT INTO case_transition (district, from_state, to_state, event, step)
  SELECT d, v.from_state, v.to_state, v.event, v.event FROM (VALUES
    ('open',         'notified',     'conclusion delivered'),
    ('notified',     'reinspection', 'reinspection applied'),
    ('reinspection', 'disposing',    'reinspection upheld'),
    ('reinspection', 'closed',       'reinspection overturned, or withdrawn by amendment'),
    ('notified',     'disposing',    'disposal started'),
    ('disposing',    'referred',     'referred'),
    ('referred',     'disposing',    'referral answered'),
    ('disposing',    'closed',       'disposal complete'),
    ('open',         'closed',       'withdrawn by amendment'),
    ('notified',     'closed',       'withdrawn by amendment'),
    ('referred',     'closed',       'withdrawn by amendment'),
    ('closed',       'open',         'reopened')
  ) AS v(from_state, to_state, event)
  ON CONFLICT DO NOTHING;
$$;
