-- thaiyyal 0.2.0 -> 0.3.0: the run tables made cheap to write
-- (docs/notes/2026-12-06-recording.md, docs/notes/2026-12-06-queue-group-commit.md).
--
--  * runs, run_payloads and run_checkpoints lose their foreign keys and runs
--    its CHECK constraints; two statement triggers cascade deletes instead
--    (a dropped workflow's runs; a deleted run's payload and checkpoints);
--  * run ids are taken 64 at a time per backend (CACHE 64);
--  * runs_running_idx is keyed by id (the workers' lookups of one running
--    run); runs_workflow_revision_idx, which served only a foreign key, goes.
--
-- No data changes: every row 0.2.0 kept satisfies what the constraints
-- said, and the extension is the only writer.
\echo Use "ALTER EXTENSION thaiyyal UPDATE TO '0.3.0'" to load this file. \quit

ALTER TABLE thaiyyal.runs ALTER COLUMN id SET CACHE 64;
ALTER TABLE thaiyyal.runs
  DROP CONSTRAINT runs_workflow_fkey,
  DROP CONSTRAINT runs_workflow_revision_fkey,
  DROP CONSTRAINT runs_status_check,
  DROP CONSTRAINT runs_queued_revision_check;
ALTER TABLE thaiyyal.run_payloads DROP CONSTRAINT run_payloads_run_fkey;
ALTER TABLE thaiyyal.run_checkpoints DROP CONSTRAINT run_checkpoints_run_fkey;

DROP INDEX thaiyyal.runs_workflow_revision_idx;
DROP INDEX thaiyyal.runs_running_idx;
CREATE INDEX runs_running_idx ON thaiyyal.runs (id) INCLUDE (lease_expires_at)
  WHERE status = 'running';

-- Why runs, run_payloads and run_checkpoints have no foreign keys
-- (docs/notes/2026-12-06-recording.md): every recorded run would check its
-- workflow and version rows FOR KEY SHARE, and with many concurrent runs of
-- one workflow that lock on the same two rows (a growing multixact,
-- rewritten under the page's exclusive content lock) was where thaiyyal.run
-- spent its time at 200 clients; each check was also an SPI query of its
-- own, and a worker's checkpoint check was a third of what finishing a
-- queued run cost. Only the extension writes these tables (no role has a
-- write grant); it writes a run's payload row in the statement that writes
-- the run, and a checkpoint from the run's own row (its tenant included).
-- Deletes cascade through the two statement triggers below instead.
-- (run_nodes keeps its foreign key: its rows are few -- thaiyyal.record_nodes
-- -- and it proves that no row names a run of another tenant.) A run
-- recorded by a transaction that was in flight while its workflow was
-- dropped keeps its row (its workflow_id names no workflow): a queued one
-- fails with TH004 when claimed, and retention removes it like any other.
CREATE FUNCTION thaiyyal.workflows_delete_runs() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  DELETE FROM thaiyyal.runs r USING dropped_workflows d WHERE r.workflow_id = d.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER workflows_delete_runs AFTER DELETE ON thaiyyal.workflows
  REFERENCING OLD TABLE AS dropped_workflows
  FOR EACH STATEMENT EXECUTE FUNCTION thaiyyal.workflows_delete_runs();

CREATE FUNCTION thaiyyal.runs_delete_children() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  DELETE FROM thaiyyal.run_payloads p USING deleted_runs d WHERE p.run_id = d.id;
  DELETE FROM thaiyyal.run_checkpoints c USING deleted_runs d WHERE c.run_id = d.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER runs_delete_children AFTER DELETE ON thaiyyal.runs
  REFERENCING OLD TABLE AS deleted_runs
  FOR EACH STATEMENT EXECUTE FUNCTION thaiyyal.runs_delete_children();
