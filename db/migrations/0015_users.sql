-- 0015_users: the people the HTTP server acts for, and the first answer to
-- each upload a client marked with an Idempotency-Key.
--
-- A user's bearer token is shown once when the user is added; only its
-- SHA-256 is stored, so a copy of the database gives nobody a working token.
-- Revoking keeps the row (audit records name the user) and stamps revoked_at.
CREATE TABLE app_user (
  district char(6) NOT NULL,
  name text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
  role text NOT NULL CHECK (role IN ('admin', 'coordinator', 'inspector', 'lab')),
  lab text,
  office text,
  token_hash bytea NOT NULL UNIQUE CHECK (octet_length (token_hash) = 32),
  expires_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now (),
  created_by text NOT NULL,
  PRIMARY KEY (district, name),
  -- A lab user acts for one lab, an inspector for one office; nobody else is
  -- bound to either.
  CHECK ((role = 'lab') = (lab IS NOT NULL)),
  CHECK ((role = 'inspector') = (office IS NOT NULL))
);

-- Keyed by the user as well as the key, so one client's key never replays
-- another's answer.
CREATE TABLE idempotent_answer (
  district char(6) NOT NULL,
  user_name text NOT NULL,
  key text NOT NULL CHECK (length (key) BETWEEN 1 AND 200),
  route text NOT NULL,
  status integer NOT NULL,
  content_type text NOT NULL,
  body bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now (),
  PRIMARY KEY (district, user_name, key),
  FOREIGN KEY (district, user_name) REFERENCES app_user (district, name)
);

-- The working role gets SELECT, INSERT, UPDATE, DELETE by 0006's default
-- privileges. It never deletes a user (revoking keeps the row for the audit
-- record) nor rewrites a stored answer.
REVOKE DELETE ON app_user FROM spotcheck_app;
REVOKE UPDATE, DELETE ON idempotent_answer FROM spotcheck_app;
