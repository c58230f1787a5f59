-- 0006_working_role: the record cannot be rewritten by the application.
-- The schema belongs to the role that runs the migrations (with the embedded
-- cluster, its bootstrap superuser); the application works as spotcheck_app,
-- which is no superuser, owns nothing (so it can neither ALTER TABLE ...
-- DISABLE TRIGGER nor SET session_replication_role) and holds no UPDATE,
-- DELETE or TRUNCATE right on audit_log, case_event, lab_report, result_item
-- or plan_cell. Tables added later get the ordinary rights by default
-- privileges (below); `spotcheck db migrate` names any grant still missing.

-- The role is shared by every database of the server: create it once, and let
-- a migration of another database racing this one win.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'spotcheck_app') THEN
    BEGIN
      CREATE ROLE spotcheck_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN
        NULL;
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'the working role spotcheck_app does not exist and % may not create roles',
          current_user
          USING HINT = 'as a superuser run CREATE ROLE spotcheck_app LOGIN; then run spotcheck db migrate again';
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'spotcheck_app' AND rolsuper) THEN
    RAISE EXCEPTION 'the working role spotcheck_app is a superuser, which walks past every guard'
      USING HINT = 'as a superuser run ALTER ROLE spotcheck_app NOSUPERUSER';
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO spotcheck_app', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO spotcheck_app',
                 current_schema());
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO spotcheck_app',
                 current_schema());
  -- Tables and sequences later migrations create get the same rights, so a
  -- new table works for the application at once; a migration adding a table
  -- of the record revokes what the record must not allow.
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO spotcheck_app',
                 current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO spotcheck_app',
                 current_schema());
END $$;

-- The record: added to, never changed. A plan is not deleted (its cells
-- would go with it) and a plan's cells are not changed (drafts are replaced
-- by new versions, never edited).
REVOKE UPDATE, DELETE ON audit_log, case_event, result_item, plan_cell FROM spotcheck_app;
REVOKE DELETE ON plan FROM spotcheck_app;
REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM spotcheck_app;
-- An amendment adds a version and marks the one it replaces as no longer
-- current (db-results.c), which the unique index lab_report_current needs
-- done in place: the working role may update that flag and nothing else, and
-- the triggers below let it go only from true to false, for a newer version.
REVOKE UPDATE, DELETE ON lab_report FROM spotcheck_app;
GRANT UPDATE (current) ON lab_report TO spotcheck_app;

CREATE FUNCTION lab_report_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.current AND NOT NEW.current
     AND (to_jsonb(NEW) - 'current') = (to_jsonb(OLD) - 'current') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'lab_report is append-only: amend a report by adding a version'
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER lab_report_append_only BEFORE UPDATE OR DELETE ON lab_report
  FOR EACH ROW EXECUTE FUNCTION lab_report_append_only();

CREATE FUNCTION lab_report_superseded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM lab_report r
                 WHERE r.district = OLD.district AND r.lab = OLD.lab
                   AND r.report_no = OLD.report_no AND r.version > OLD.version) THEN
    RAISE EXCEPTION 'report %/% version % was marked not current without a newer version',
      OLD.lab, OLD.report_no, OLD.version
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END $$;

-- Checked at commit: the amendment's INSERT follows the UPDATE.
CREATE CONSTRAINT TRIGGER lab_report_superseded AFTER UPDATE OF current ON lab_report
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION lab_report_superseded();

CREATE FUNCTION result_item_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'result_item is append-only: amend a report by adding a version'
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER result_item_append_only BEFORE UPDATE OR DELETE ON result_item
  FOR EACH ROW EXECUTE FUNCTION result_item_append_only();

-- An approved or superseded plan keeps its figures; only approved ->
-- superseded remains.
CREATE FUNCTION plan_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.status <> 'draft' THEN
    RAISE EXCEPTION 'plan %/% version % is % and cannot be deleted',
      OLD.district, OLD.year, OLD.version, OLD.status
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status <> 'draft'
     AND ((to_jsonb(NEW) - 'status') <> (to_jsonb(OLD) - 'status')
          OR NOT (NEW.status = OLD.status OR (OLD.status = 'approved' AND NEW.status = 'superseded'))) THEN
    RAISE EXCEPTION 'plan %/% version % is % and frozen', OLD.district, OLD.year, OLD.version,
      OLD.status
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER plan_frozen BEFORE UPDATE OR DELETE ON plan
  FOR EACH ROW EXECUTE FUNCTION plan_frozen();

-- TRUNCATE fires no row trigger: refuse it per statement, for the owner too.
CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is part of the record and cannot be truncated', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER case_event_no_truncate BEFORE TRUNCATE ON case_event
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER lab_report_no_truncate BEFORE TRUNCATE ON lab_report
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER result_item_no_truncate BEFORE TRUNCATE ON result_item
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER plan_cell_no_truncate BEFORE TRUNCATE ON plan_cell
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
CREATE TRIGGER plan_no_truncate BEFORE TRUNCATE ON plan
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();
