-- thaiyyal 0.1.0 -> 0.2.0: safe in a shared database (docs/SECURITY.md).
--
--  * every saved definition is kept as an immutable version
--    (thaiyyal.workflow_versions); queued runs and schedules pin one;
--  * ordinary roles lose every write grant on the catalog: the API (now C)
--    checks the caller and writes as the owner;
--  * child rows are tied to their run's tenant by composite keys;
--  * every function has a fixed search_path;
--  * the queue index leads with the tenant (fair claims between tenants).
--
-- Existing workflows become version rows with their current version and
-- revision; existing runs are pinned to the current revision when they ran
-- the current version (queued and running runs always: that is what they
-- would have executed), else left unpinned (their definition was not kept).
\echo Use "ALTER EXTENSION thaiyyal UPDATE TO '0.2.0'" to load this file. \quit

-- --------------------------------------------------------------- functions

ALTER FUNCTION thaiyyal.current_tenant() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION thaiyyal.may_act_for(text) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION thaiyyal.require_tenant() SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION thaiyyal_execute(jsonb, jsonb) IS
'Runs a Thaiyyal workflow payload {"workflow_id","nodes","edges"} with an optional run input '
'and returns its Result {"execution_id","workflow_id","node_results","final_output"}. Errors: '
'22023 invalid payload or cycle, TH001 node failure, TH002 thaiyyal.max_execution_time '
'exceeded, 22P01 NaN/Inf in the result, 53200 thaiyyal.max_run_memory exceeded.';

REVOKE USAGE ON SEQUENCE thaiyyal.workflow_revisions FROM PUBLIC;

-- validate_workflow becomes what check_workflow says; the CHECK constraint
-- keeps the compile test under a new name (the constraint follows the
-- function's oid).
ALTER FUNCTION thaiyyal.validate_workflow(jsonb) RENAME TO _definition_compiles;

CREATE FUNCTION thaiyyal.check_workflow(definition jsonb,
                                        OUT severity text, OUT node_id text, OUT message text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'thaiyyal_check_workflow'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 4;

COMMENT ON FUNCTION thaiyyal.check_workflow(jsonb) IS
'Problems of a workflow definition found without running it: severity error or warning, the '
'node concerned (NULL for the whole workflow) and a message.';

CREATE FUNCTION thaiyyal.validate_workflow(definition jsonb) RETURNS boolean
AS 'MODULE_PATHNAME', 'thaiyyal_validate_workflow_checked'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION thaiyyal.validate_workflow(jsonb) IS
'True when thaiyyal.check_workflow(definition) reports no error.';

-- ------------------------------------------------------- workflow versions

ALTER TABLE thaiyyal.workflows ADD CONSTRAINT workflows_id_tenant_key UNIQUE (id, tenant);
COMMENT ON COLUMN thaiyyal.workflows.revision IS
'New on every write, never reused; the key of thaiyyal.workflow_versions and of the plan cache.';

CREATE TABLE thaiyyal.workflow_versions (
  workflow_id bigint NOT NULL,
  version integer NOT NULL,
  tenant text NOT NULL,
  revision bigint NOT NULL CONSTRAINT workflow_versions_revision_key UNIQUE,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL DEFAULT CURRENT_USER,
  PRIMARY KEY (workflow_id, version),
  CONSTRAINT workflow_versions_workflow_fkey FOREIGN KEY (workflow_id, tenant)
    REFERENCES thaiyyal.workflows (id, tenant) ON DELETE CASCADE
);
COMMENT ON TABLE thaiyyal.workflow_versions IS
'Every definition ever saved, immutable: what queued runs and schedules execute.';

INSERT INTO thaiyyal.workflow_versions (workflow_id, version, tenant, revision, definition,
                                        created_at, created_by)
SELECT w.id, w.version, w.tenant, w.revision, w.definition, w.updated_at, w.updated_by
FROM thaiyyal.workflows w;

CREATE OR REPLACE FUNCTION thaiyyal.workflows_before_update() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  NEW.version := OLD.version + 1;
  NEW.revision := pg_catalog.nextval('thaiyyal.workflow_revisions');
  NEW.created_at := OLD.created_at;
  NEW.created_by := OLD.created_by;
  NEW.updated_at := pg_catalog.now();
  RETURN NEW;
END
$$;

CREATE FUNCTION thaiyyal.workflows_keep_version() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  INSERT INTO thaiyyal.workflow_versions (workflow_id, version, tenant, revision, definition,
                                          created_at, created_by)
  VALUES (NEW.id, NEW.version, NEW.tenant, NEW.revision, NEW.definition, NEW.updated_at,
          NEW.updated_by);
  RETURN NULL;
END
$$;
CREATE TRIGGER workflows_keep_version AFTER INSERT OR UPDATE ON thaiyyal.workflows
  FOR EACH ROW EXECUTE FUNCTION thaiyyal.workflows_keep_version();

CREATE FUNCTION thaiyyal.workflow_versions_immutable() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'workflow versions are immutable'
    USING ERRCODE = 'object_not_in_prerequisite_state',
          HINT = 'Save a new version with thaiyyal.save_workflow().';
END
$$;
CREATE TRIGGER workflow_versions_immutable BEFORE UPDATE ON thaiyyal.workflow_versions
  FOR EACH ROW EXECUTE FUNCTION thaiyyal.workflow_versions_immutable();

-- ------------------------------------------------------------------- runs

-- Rows that 0.1.0's grants let a role attach across tenants (a run of
-- another tenant's workflow, payload or node rows on another tenant's
-- run) contradict the new keys; they are removed.
DO $$
DECLARE
  n bigint;
BEGIN
  DELETE FROM thaiyyal.runs r USING thaiyyal.workflows w
  WHERE w.id = r.workflow_id AND w.tenant <> r.tenant;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    RAISE NOTICE 'removed % run(s) whose tenant differs from their workflow''s', n;
  END IF;
  DELETE FROM thaiyyal.run_payloads p USING thaiyyal.runs r
  WHERE r.id = p.run_id AND r.tenant <> p.tenant;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    RAISE NOTICE 'removed % run payload row(s) whose tenant differs from their run''s', n;
  END IF;
  DELETE FROM thaiyyal.run_nodes x USING thaiyyal.runs r
  WHERE r.id = x.run_id AND r.tenant <> x.tenant;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN
    RAISE NOTICE 'removed % run node row(s) whose tenant differs from their run''s', n;
  END IF;
END
$$;

ALTER TABLE thaiyyal.runs ADD COLUMN workflow_revision bigint;
ALTER TABLE thaiyyal.runs ADD COLUMN attempts_base integer NOT NULL DEFAULT 0;
UPDATE thaiyyal.runs r SET workflow_revision = w.revision
FROM thaiyyal.workflows w
WHERE w.id = r.workflow_id
  AND (r.workflow_version = w.version OR r.status IN ('queued', 'running'));

ALTER TABLE thaiyyal.runs
  DROP CONSTRAINT runs_workflow_id_fkey,
  ADD CONSTRAINT runs_id_tenant_key UNIQUE (id, tenant),
  ADD CONSTRAINT runs_workflow_fkey FOREIGN KEY (workflow_id, tenant)
    REFERENCES thaiyyal.workflows (id, tenant) ON DELETE CASCADE,
  ADD CONSTRAINT runs_workflow_revision_fkey FOREIGN KEY (workflow_revision)
    REFERENCES thaiyyal.workflow_versions (revision) ON DELETE CASCADE,
  ADD CONSTRAINT runs_queued_revision_check CHECK (workflow_revision IS NOT NULL OR status <> 'queued');

DROP INDEX thaiyyal.runs_queue_idx;
CREATE INDEX runs_queue_idx ON thaiyyal.runs (tenant, priority DESC, run_at, id)
  WHERE status = 'queued';
CREATE INDEX runs_queue_due_idx ON thaiyyal.runs (run_at) WHERE status = 'queued';
CREATE INDEX runs_workflow_revision_idx ON thaiyyal.runs (workflow_revision);

ALTER TABLE thaiyyal.run_payloads
  DROP CONSTRAINT run_payloads_run_id_fkey,
  ADD CONSTRAINT run_payloads_run_fkey FOREIGN KEY (run_id, tenant)
    REFERENCES thaiyyal.runs (id, tenant) ON DELETE CASCADE;
ALTER TABLE thaiyyal.run_nodes
  DROP CONSTRAINT run_nodes_run_id_fkey,
  ADD CONSTRAINT run_nodes_run_fkey FOREIGN KEY (run_id, tenant)
    REFERENCES thaiyyal.runs (id, tenant) ON DELETE CASCADE,
  DROP CONSTRAINT run_nodes_status_check,
  ADD CONSTRAINT run_nodes_status_check CHECK (status IN ('succeeded', 'failed', 'restored')),
  ADD COLUMN attempt integer NOT NULL DEFAULT 1;

-- Checkpoints of queued runs (docs/DURABLE_RUNS.md).
CREATE TABLE thaiyyal.run_checkpoints (
  run_id bigint NOT NULL,
  seq integer NOT NULL,
  tenant text NOT NULL,
  attempt integer NOT NULL,
  entries bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, seq),
  CONSTRAINT run_checkpoints_run_fkey FOREIGN KEY (run_id, tenant)
    REFERENCES thaiyyal.runs (id, tenant) ON DELETE CASCADE
);
COMMENT ON TABLE thaiyyal.run_checkpoints IS
'Checkpoints of queued runs: the journal a resumed attempt replays (binary; see docs/DURABLE_RUNS.md).';
ALTER TABLE thaiyyal.run_checkpoints ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON thaiyyal.run_checkpoints FOR SELECT
  USING (tenant = (SELECT thaiyyal.current_tenant())
         AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())));
REVOKE ALL ON thaiyyal.run_checkpoints FROM PUBLIC;
GRANT SELECT ON thaiyyal.run_checkpoints TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.run_checkpoints', '');

-- ------------------------------------------- row-level security, privileges

DROP POLICY tenant_isolation ON thaiyyal.workflows;
DROP POLICY tenant_isolation ON thaiyyal.runs;
DROP POLICY tenant_isolation ON thaiyyal.run_payloads;
DROP POLICY tenant_isolation ON thaiyyal.run_nodes;
ALTER TABLE thaiyyal.workflow_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON thaiyyal.workflows FOR SELECT
  USING (tenant = (SELECT thaiyyal.current_tenant())
         AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())));
CREATE POLICY tenant_isolation ON thaiyyal.workflow_versions FOR SELECT
  USING (tenant = (SELECT thaiyyal.current_tenant())
         AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())));
CREATE POLICY tenant_isolation ON thaiyyal.runs FOR SELECT
  USING (tenant = (SELECT thaiyyal.current_tenant())
         AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())));
CREATE POLICY tenant_isolation ON thaiyyal.run_payloads FOR SELECT
  USING (tenant = (SELECT thaiyyal.current_tenant())
         AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())));
CREATE POLICY tenant_isolation ON thaiyyal.run_nodes FOR SELECT
  USING (tenant = (SELECT thaiyyal.current_tenant())
         AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())));

-- Table-level revokes take the column privileges of thaiyyal.runs too.
REVOKE ALL ON thaiyyal.workflows, thaiyyal.runs, thaiyyal.run_payloads, thaiyyal.run_nodes
  FROM PUBLIC;
GRANT SELECT ON thaiyyal.workflows, thaiyyal.workflow_versions, thaiyyal.runs,
  thaiyyal.run_payloads, thaiyyal.run_nodes TO PUBLIC;

SELECT pg_catalog.pg_extension_config_dump('thaiyyal.workflow_versions', '');

-- --------------------------------------------------------------------- API

DROP FUNCTION thaiyyal.save_workflow(text, jsonb);
CREATE FUNCTION thaiyyal.save_workflow(name text, definition jsonb, force boolean DEFAULT false)
RETURNS bigint
AS 'MODULE_PATHNAME', 'thaiyyal_save_workflow'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.save_workflow(text, jsonb, boolean) IS
'Creates or replaces the current tenant''s workflow <name>; a replacement is a new version, and '
'every version is kept in thaiyyal.workflow_versions. Refuses a definition with errors '
'(thaiyyal.check_workflow; 22023 listing them) unless force; one that does not compile never '
'saves. Returns the workflow id.';

CREATE OR REPLACE FUNCTION thaiyyal.get_workflow(name text) RETURNS thaiyyal.workflows
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  t text := thaiyyal.require_tenant();
  found_row thaiyyal.workflows;
BEGIN
  SELECT * INTO found_row FROM thaiyyal.workflows w
  WHERE w.tenant = t AND w.name = get_workflow.name;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'workflow "%" does not exist', name
      USING ERRCODE = 'undefined_object', DETAIL = pg_catalog.format('The tenant is "%s".', t);
  END IF;
  RETURN found_row;
END
$$;

CREATE OR REPLACE FUNCTION thaiyyal.drop_workflow(name text) RETURNS void
AS 'MODULE_PATHNAME', 'thaiyyal_drop_workflow'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.drop_workflow(text) IS
'Deletes the current tenant''s workflow <name>, its versions and its runs (42704 when there is '
'none).';

DROP FUNCTION thaiyyal.run(text, jsonb);
CREATE FUNCTION thaiyyal.run(name text, input jsonb DEFAULT NULL, version integer DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'thaiyyal_run'
LANGUAGE C CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION thaiyyal.run(text, jsonb, integer) IS
'Runs the current tenant''s stored workflow <name> (its current version, or <version>) in the '
'caller''s transaction and as the caller, records the run (thaiyyal.record_runs), and returns its '
'Result as thaiyyal_execute does.';

CREATE FUNCTION thaiyyal.purge_runs_batch(cutoff timestamptz, batch_size integer)
RETURNS bigint
AS 'MODULE_PATHNAME', 'thaiyyal_purge_runs_batch'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.purge_runs_batch(timestamptz, integer) IS
'Deletes up to batch_size runs of the current tenant (every tenant for a superuser) that '
'finished before cutoff; returns the count.';

CREATE OR REPLACE FUNCTION thaiyyal.purge_runs(older_than interval, batch_size integer DEFAULT 10000)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cutoff timestamptz := now() - older_than;
  deleted bigint := 0;
  n bigint;
BEGIN
  IF older_than IS NULL OR batch_size IS NULL OR batch_size < 1 THEN
    RAISE EXCEPTION 'purge_runs needs an interval and a positive batch size'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  LOOP
    n := thaiyyal.purge_runs_batch(cutoff, batch_size);
    deleted := deleted + n;
    EXIT WHEN n < batch_size;
  END LOOP;
  RETURN deleted;
END
$$;

CREATE OR REPLACE PROCEDURE thaiyyal.purge_runs_in_batches(older_than interval,
                                                           batch_size integer DEFAULT 10000,
                                                           INOUT deleted bigint DEFAULT 0)
LANGUAGE plpgsql
AS $$
DECLARE
  cutoff timestamptz := pg_catalog.now() OPERATOR(pg_catalog.-) older_than;
  n bigint;
BEGIN
  IF older_than IS NULL OR batch_size IS NULL OR batch_size OPERATOR(pg_catalog.<) 1 THEN
    RAISE EXCEPTION 'purge_runs_in_batches needs an interval and a positive batch size'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  deleted := 0;
  LOOP
    n := thaiyyal.purge_runs_batch(cutoff, batch_size);
    deleted := deleted OPERATOR(pg_catalog.+) n;
    COMMIT;
    EXIT WHEN n OPERATOR(pg_catalog.<) batch_size;
  END LOOP;
END
$$;

DROP FUNCTION thaiyyal._wake_workers_at_commit();
DROP FUNCTION thaiyyal._cancel_at_commit(bigint);
DROP FUNCTION thaiyyal._worker_alive(integer);
CREATE FUNCTION thaiyyal._worker_executing(pid integer, run_id bigint) RETURNS boolean
AS 'MODULE_PATHNAME', 'thaiyyal_worker_executing'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;
REVOKE ALL ON FUNCTION thaiyyal._worker_executing(integer, bigint) FROM PUBLIC;

DROP FUNCTION thaiyyal.enqueue(text, jsonb, timestamptz, integer, text);
CREATE FUNCTION thaiyyal.enqueue(workflow text, input jsonb DEFAULT NULL,
                                 run_at timestamptz DEFAULT now(), priority integer DEFAULT 0,
                                 idempotency_key text DEFAULT NULL, version integer DEFAULT NULL)
RETURNS bigint
AS 'MODULE_PATHNAME', 'thaiyyal_enqueue'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.enqueue(text, jsonb, timestamptz, integer, text, integer) IS
'Queues a run of the current tenant''s workflow <workflow> (its current version, or <version>) '
'for the background workers, to start at run_at, higher priority first within the tenant; the '
'same idempotency_key returns the same run. The run executes that version as the calling role. '
'Returns the run id.';

CREATE OR REPLACE FUNCTION thaiyyal.cancel(run_id bigint) RETURNS boolean
AS 'MODULE_PATHNAME', 'thaiyyal_cancel'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.cancel(bigint) IS
'Cancels a run of the current tenant: a queued run never starts, a running one stops within '
'about a second (node boundary, wait or SQL statement) with status cancelled. False when the '
'run had already finished.';

CREATE FUNCTION thaiyyal.retry(run_id bigint, from_node text DEFAULT NULL) RETURNS bigint
AS 'MODULE_PATHNAME', 'thaiyyal_retry'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.retry(bigint, text) IS
'Queues a failed or cancelled run of the calling role again, on the revision it was pinned to. '
'It resumes after its last checkpoint; with from_node, that node and every node that depends on '
'it execute again. thaiyyal.max_attempts counts from the retry. Returns the run id.';

CREATE FUNCTION thaiyyal.fork(run_id bigint, from_node text, input jsonb DEFAULT NULL,
                              revision integer DEFAULT NULL) RETURNS bigint
AS 'MODULE_PATHNAME', 'thaiyyal_fork'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.fork(bigint, text, jsonb, integer) IS
'Queues a new run of the same workflow that reuses the checkpoints of a finished run of the '
'calling role: from_node and every node that depends on it execute again, and so does every node '
'whose definition differs in <revision> (a version of the same workflow; default the source''s). '
'Input defaults to the source run''s. Returns the new run id.';

CREATE FUNCTION thaiyyal.retry_runs(workflow text, since timestamptz, status text DEFAULT 'failed')
RETURNS bigint
AS 'MODULE_PATHNAME', 'thaiyyal_retry_runs'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.retry_runs(text, timestamptz, text) IS
'thaiyyal.retry for every run of the calling role and tenant of <workflow> that finished with '
'<status> (failed or cancelled) since <since>. Returns how many were queued again.';

CREATE OR REPLACE FUNCTION thaiyyal.schedule(job_name text, cron_expression text, workflow text,
                                             input jsonb DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  t text := thaiyyal.require_tenant();
  pinned integer;
  command text;
  job bigint;
BEGIN
  IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER)
     AND NOT coalesce(pg_catalog.current_setting('thaiyyal.allow_superuser_runs', true),
                      'off')::boolean THEN
    RAISE EXCEPTION 'a superuser may not schedule runs'
      USING ERRCODE = 'insufficient_privilege',
            DETAIL = 'Scheduled runs execute as the scheduling role, whose workflow any member '
                     'of the tenant may edit.',
            HINT = 'Schedule as an ordinary role, or set thaiyyal.allow_superuser_runs = on '
                   '(superuser only).';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
    RAISE EXCEPTION 'pg_cron is not installed in database "%"', pg_catalog.current_database()
      USING ERRCODE = 'undefined_function',
            HINT = pg_catalog.format('Add pg_cron to shared_preload_libraries, set '
                                     'cron.database_name = %L, restart the server and run '
                                     'CREATE EXTENSION pg_cron.', pg_catalog.current_database());
  END IF;
  IF job_name IS NULL OR cron_expression IS NULL OR workflow IS NULL THEN
    RAISE EXCEPTION 'job_name, cron_expression and workflow must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT w.version INTO pinned FROM thaiyyal.workflows w
  WHERE w.tenant = t AND w.name = schedule.workflow;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'workflow "%" does not exist', workflow
      USING ERRCODE = 'undefined_object', DETAIL = pg_catalog.format('The tenant is "%s".', t);
  END IF;
  -- set_config in FROM runs before enqueue reads the tenant.
  command := pg_catalog.format('SELECT thaiyyal.enqueue(%L, %L::jsonb, version => %s) '
                               'FROM pg_catalog.set_config(''thaiyyal.tenant'', %L, true)',
                               workflow, input, pinned, t);
  EXECUTE 'SELECT cron.schedule($1::name, $2, $3)' INTO job USING job_name, cron_expression, command;
  RETURN job;
END
$$;

COMMENT ON FUNCTION thaiyyal.schedule(text, text, text, jsonb) IS
'Creates or replaces the pg_cron job <job_name> that enqueues a run of <workflow> on '
'<cron_expression> (as the calling role, for the current tenant), pinned to the workflow''s '
'current version; schedule again to adopt a newer one. Returns the pg_cron job id.';

CREATE OR REPLACE FUNCTION thaiyyal.unschedule(job_name text) RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  done boolean;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
    RAISE EXCEPTION 'pg_cron is not installed in database "%"', pg_catalog.current_database()
      USING ERRCODE = 'undefined_function';
  END IF;
  EXECUTE 'SELECT cron.unschedule($1::name)' INTO done USING job_name;
  RETURN done;
END
$$;

-- Schedules made by 0.1.0 enqueue the workflow's current version at every
-- tick, so a co-member's edit would run as the scheduling role: pin each
-- to the version current now. Only commands of exactly the shape 0.1.0's
-- thaiyyal.schedule wrote (string literals and NULL) are evaluated.
DO $$
DECLARE
  lit constant text := $re$('(?:[^'\\]|'')*'|E'(?:[^'\\]|''|\\\\)*')$re$;
  shape text := '^SELECT thaiyyal\.enqueue\(' || lit || ', (NULL|' || lit || ')::jsonb\) '
                || 'FROM pg_catalog\.set_config\(''thaiyyal\.tenant'', ' || lit || ', true\)$';
  job record;
  args record;
  pinned integer;
BEGIN
  IF pg_catalog.to_regclass('cron.job') IS NULL THEN
    RETURN;
  END IF;
  FOR job IN EXECUTE 'SELECT jobid, command FROM cron.job WHERE command ~ $1 FOR UPDATE'
             USING shape LOOP
    -- SELECT <workflow>, <input>::jsonb, <tenant> with the same literals.
    EXECUTE pg_catalog.regexp_replace(job.command, shape,
                                      'SELECT \1 AS workflow, \4 AS tenant')
      INTO args;
    SELECT w.version INTO pinned FROM thaiyyal.workflows w
    WHERE w.tenant = args.tenant AND w.name = args.workflow;
    IF FOUND THEN
      EXECUTE 'UPDATE cron.job SET command = $1 WHERE jobid = $2'
        USING pg_catalog.regexp_replace(job.command, '::jsonb\) FROM pg_catalog',
                                        pg_catalog.format('::jsonb, version => %s) FROM pg_catalog',
                                                          pinned)),
              job.jobid;
    END IF;
  END LOOP;
END
$$;

-- ---------------------------------------------------------------------------
-- Seeing inside workflows (docs/OBSERVABILITY.md): EXPLAIN for workflows and
-- pictures of workflows and runs.
-- ---------------------------------------------------------------------------

-- With run => true the workflow runs as the caller, in the caller's
-- transaction (VOLATILE, PARALLEL UNSAFE: its SQL nodes may write); the run
-- is not recorded.
CREATE FUNCTION thaiyyal.explain(definition jsonb, input jsonb DEFAULT NULL,
                                 run boolean DEFAULT false, format text DEFAULT 'text')
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'thaiyyal_explain'
LANGUAGE C CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE ROWS 20;

COMMENT ON FUNCTION thaiyyal.explain(jsonb, jsonb, boolean, text) IS
'EXPLAIN for a workflow definition: execution order, node types, configuration with expressions '
'as parsed, inputs and handles. run => true executes it (as the caller, not recorded) and adds '
'per-node state, time, output size and error. format ''text'' (one row per line) or ''json''.';

CREATE FUNCTION thaiyyal.explain(name text, input jsonb DEFAULT NULL, run boolean DEFAULT false,
                                 format text DEFAULT 'text', version integer DEFAULT NULL)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'thaiyyal_explain_stored'
LANGUAGE C CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE ROWS 20;

COMMENT ON FUNCTION thaiyyal.explain(text, jsonb, boolean, text, integer) IS
'thaiyyal.explain of the current tenant''s stored workflow <name> (its current version, or '
'<version>).';

-- Read-only: the run's rows are read as the caller (row-level security).
CREATE FUNCTION thaiyyal.to_mermaid(definition jsonb, run_id bigint DEFAULT NULL) RETURNS text
AS 'MODULE_PATHNAME', 'thaiyyal_to_mermaid'
LANGUAGE C CALLED ON NULL INPUT STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION thaiyyal.to_mermaid(jsonb, bigint) IS
'A Mermaid flowchart of the workflow (ids, types and key settings on the nodes, handles on the '
'edges); with run_id, nodes coloured by what happened in that run of the current tenant, with '
'their times. A NULL definition draws the one the run executed.';

CREATE FUNCTION thaiyyal.to_dot(definition jsonb, run_id bigint DEFAULT NULL) RETURNS text
AS 'MODULE_PATHNAME', 'thaiyyal_to_dot'
LANGUAGE C CALLED ON NULL INPUT STABLE PARALLEL RESTRICTED;

COMMENT ON FUNCTION thaiyyal.to_dot(jsonb, bigint) IS
'The same picture as thaiyyal.to_mermaid in Graphviz DOT (dot -Tsvg renders it).';

-- ---------------------------------------------------------------------------
-- Cumulative statistics of workflow runs (docs/OBSERVABILITY.md), in the
-- manner of pg_stat_statements: shared memory of the preloaded library,
-- thaiyyal.track / thaiyyal.track_max. The functions decide visibility
-- themselves (members of pg_read_all_stats see every row; other roles the
-- rows of the current database whose tenant thaiyyal.may_act_for accepts),
-- so they and the views are open to PUBLIC.
-- ---------------------------------------------------------------------------

CREATE FUNCTION thaiyyal._stat_workflows(
  OUT dbid oid, OUT tenant text, OUT workflow text, OUT revision bigint, OUT payload_hash text,
  OUT calls bigint, OUT failures bigint, OUT failures_by_class jsonb,
  OUT total_time double precision, OUT min_time double precision,
  OUT max_time double precision, OUT mean_time double precision,
  OUT stddev_time double precision, OUT p50_time double precision,
  OUT p95_time double precision, OUT p99_time double precision,
  OUT compiles bigint, OUT compile_time double precision, OUT plan_cache_hits bigint,
  OUT sql_rows_read bigint, OUT sql_rows_written bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'thaiyyal_stat_workflows'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW thaiyyal.stat_workflows AS SELECT * FROM thaiyyal._stat_workflows();
GRANT SELECT ON thaiyyal.stat_workflows TO PUBLIC;

COMMENT ON VIEW thaiyyal.stat_workflows IS
'Per workflow (a stored workflow''s revision, or a thaiyyal_execute payload by hash) and tenant: '
'runs, failures by SQLSTATE class, execution time in ms (total, min, max, mean, stddev, '
'approximate p50/p95/p99), compilations and their time, plan-cache hits, and rows the SQL '
'nodes read and wrote. Rows of tenants the role may act for; all rows for pg_read_all_stats.';

CREATE FUNCTION thaiyyal._stat_nodes(
  OUT dbid oid, OUT tenant text, OUT node_type text, OUT workflow text, OUT revision bigint,
  OUT node_id text, OUT executions bigint, OUT skips bigint, OUT failures bigint,
  OUT timed_executions bigint, OUT total_time double precision, OUT max_time double precision,
  OUT mean_time double precision)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'thaiyyal_stat_nodes'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW thaiyyal.stat_nodes AS SELECT * FROM thaiyyal._stat_nodes();
GRANT SELECT ON thaiyyal.stat_nodes TO PUBLIC;

COMMENT ON VIEW thaiyyal.stat_nodes IS
'Per node type and tenant (and, with thaiyyal.track = all, per node of a stored workflow''s '
'revision): executions, skips, failures; times in ms (total estimated from the timed_executions, '
'a sample of runs: thaiyyal.node_timing_sample_rate), max and mean of the timed ones.';

CREATE FUNCTION thaiyyal._stat_info(OUT dealloc bigint, OUT stats_reset timestamp with time zone)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'thaiyyal_stat_info'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE VIEW thaiyyal.stat_info AS SELECT * FROM thaiyyal._stat_info();
GRANT SELECT ON thaiyyal.stat_info TO PUBLIC;

COMMENT ON VIEW thaiyyal.stat_info IS
'How often the least used statistics entries were evicted (thaiyyal.track_max), and when the '
'statistics were last reset.';

CREATE FUNCTION thaiyyal.stat_reset() RETURNS void
AS 'MODULE_PATHNAME', 'thaiyyal_stat_reset'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;
REVOKE ALL ON FUNCTION thaiyyal.stat_reset() FROM PUBLIC;

COMMENT ON FUNCTION thaiyyal.stat_reset() IS
'Discards all workflow and node statistics of every database (superuser, or roles granted '
'EXECUTE).';
