-- thaiyyal 0.1.0
\echo Use "CREATE EXTENSION thaiyyal" to load this file. \quit

-- Stored workflows, run history and their API live in this schema;
-- thaiyyal_execute itself is created in the extension's schema (public by
-- default, or CREATE EXTENSION ... SCHEMA s) so that it works with the
-- default search_path.
CREATE SCHEMA thaiyyal;
GRANT USAGE ON SCHEMA thaiyyal TO PUBLIC;

-- Not STRICT because of the optional input; a NULL payload gives NULL.
-- PARALLEL UNSAFE: sql_query / sql_batch nodes may write.
CREATE FUNCTION thaiyyal_execute(payload jsonb, input jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'thaiyyal_execute'
LANGUAGE C CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION thaiyyal_execute(jsonb, jsonb) IS
'Runs a Thaiyyal workflow payload {"workflow_id","nodes","edges"} with an optional run input '
'and returns its Result {"execution_id","workflow_id","node_results","final_output"}. Errors: '
'22023 invalid payload or cycle, TH001 node failure, TH002 thaiyyal.max_execution_time '
'exceeded, 22P01 NaN/Inf in the result.';

-- ---------------------------------------------------------------------------
-- Tenancy
--
-- The tenant is the setting thaiyyal.tenant, or the current role's name when
-- it is unset or empty. A role may act for: its own name, any role it is a
-- member of, and the tenants thaiyyal.tenant_members maps it (or a role it
-- is a member of) to; superusers for any tenant. Row-level security keeps
-- every role to rows of the current tenant, and only when it may act for
-- that tenant: naming another tenant in the setting shows and changes
-- nothing.
-- ---------------------------------------------------------------------------

CREATE FUNCTION thaiyyal.current_tenant() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN coalesce(nullif(pg_catalog.current_setting('thaiyyal.tenant', true), ''),
                CURRENT_USER::text);

COMMENT ON FUNCTION thaiyyal.current_tenant() IS
'The tenant the session acts for: the setting thaiyyal.tenant, or the current role''s name.';

-- Owner-managed: which roles may act for which tenants beyond their own
-- name and their role memberships. Members of member_role may act for
-- tenant. Every role can read only the rows that concern it.
CREATE TABLE thaiyyal.tenant_members (
  tenant text NOT NULL CHECK (tenant <> ''),
  member_role text NOT NULL,
  PRIMARY KEY (tenant, member_role)
);
COMMENT ON TABLE thaiyyal.tenant_members IS
'Owner-managed tenant mapping: members of member_role may act for tenant.';
ALTER TABLE thaiyyal.tenant_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_members_own ON thaiyyal.tenant_members FOR SELECT
  USING (pg_catalog.pg_has_role(CURRENT_USER,
                                pg_catalog.to_regrole(pg_catalog.quote_ident(member_role)),
                                'MEMBER'));
GRANT SELECT ON thaiyyal.tenant_members TO PUBLIC;

-- PL/pgSQL rather than SQL: its queries are planned once per session,
-- while a non-inlinable SQL function would be planned on every statement
-- that evaluates a policy. The cheap tests come first.
CREATE FUNCTION thaiyyal.may_act_for(tenant text) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
BEGIN
  IF tenant IS NULL THEN
    RETURN false;
  END IF;
  IF tenant = CURRENT_USER::text THEN
    RETURN true;
  END IF;
  -- A role of that name the current role is a member of (NULL: no such role).
  IF pg_catalog.pg_has_role(CURRENT_USER, pg_catalog.to_regrole(pg_catalog.quote_ident(tenant)),
                            'MEMBER') THEN
    RETURN true;
  END IF;
  IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = CURRENT_USER) THEN
    RETURN true;
  END IF;
  RETURN EXISTS (SELECT FROM thaiyyal.tenant_members m
                 WHERE m.tenant = may_act_for.tenant
                   AND pg_catalog.pg_has_role(
                         CURRENT_USER, pg_catalog.to_regrole(pg_catalog.quote_ident(m.member_role)),
                         'MEMBER'));
END
$$;

COMMENT ON FUNCTION thaiyyal.may_act_for(text) IS
'Whether the current role may act for the tenant: its own name, a role it is a member of, '
'a mapping in thaiyyal.tenant_members, or any tenant for a superuser.';

-- The current tenant, or ERROR 42501 when the role may not act for it.
CREATE FUNCTION thaiyyal.require_tenant() RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  t text := thaiyyal.current_tenant();
BEGIN
  IF NOT thaiyyal.may_act_for(t) THEN
    RAISE EXCEPTION 'role "%" may not act for tenant "%"', CURRENT_USER, t
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Set thaiyyal.tenant to your own role name, to a role you are a member of, '
                   'or to a tenant that thaiyyal.tenant_members maps to your role.';
  END IF;
  RETURN t;
END
$$;

-- ---------------------------------------------------------------------------
-- Stored workflows
-- ---------------------------------------------------------------------------

-- Validates a definition exactly as thaiyyal_execute would (same errors,
-- SQLSTATE 22023); true when it compiles.
CREATE FUNCTION thaiyyal.validate_workflow(definition jsonb) RETURNS boolean
AS 'MODULE_PATHNAME', 'thaiyyal_validate_workflow'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- Every write of a workflow takes a new revision from this sequence.
-- (id, revision) keys the per-backend plan cache: unlike the version, a
-- revision is never handed out twice, even when the saving transaction
-- rolls back and the same version number is saved again.
CREATE SEQUENCE thaiyyal.workflow_revisions;
GRANT USAGE ON SEQUENCE thaiyyal.workflow_revisions TO PUBLIC;

CREATE TABLE thaiyyal.workflows (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant text NOT NULL DEFAULT thaiyyal.current_tenant(),
  name text NOT NULL CHECK (name <> ''),
  version integer NOT NULL DEFAULT 1,
  revision bigint NOT NULL DEFAULT nextval('thaiyyal.workflow_revisions'),
  definition jsonb NOT NULL CONSTRAINT workflows_definition_valid
    CHECK (thaiyyal.validate_workflow(definition)),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL DEFAULT CURRENT_USER,
  updated_by text NOT NULL DEFAULT CURRENT_USER,
  CONSTRAINT workflows_tenant_name_key UNIQUE (tenant, name)
);
-- Listing a tenant's workflows, newest first.
CREATE INDEX workflows_tenant_created_idx ON thaiyyal.workflows (tenant, created_at DESC);

COMMENT ON TABLE thaiyyal.workflows IS
'Stored workflow definitions, one per (tenant, name); every update bumps version.';
COMMENT ON COLUMN thaiyyal.workflows.revision IS
'Internal: new on every write, never reused; keys the per-backend plan cache.';

-- Updates bump the version and take a new revision (also for direct
-- UPDATEs, so no cached plan can outlive its definition).
CREATE FUNCTION thaiyyal.workflows_before_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.version := OLD.version + 1;
  NEW.revision := nextval('thaiyyal.workflow_revisions');
  NEW.created_at := OLD.created_at;
  NEW.created_by := OLD.created_by;
  NEW.updated_at := now();
  NEW.updated_by := CURRENT_USER;
  RETURN NEW;
END
$$;
CREATE TRIGGER workflows_before_update BEFORE UPDATE ON thaiyyal.workflows
  FOR EACH ROW EXECUTE FUNCTION thaiyyal.workflows_before_update();

-- ---------------------------------------------------------------------------
-- Run history
--
-- thaiyyal.runs is the narrow row a run queue updates (status, attempts,
-- lease); its input, result and error live in thaiyyal.run_payloads, and
-- per-node results in thaiyyal.run_nodes. The queue columns (priority,
-- run_at, idempotency_key, worker_pid, lease_expires_at) are for background
-- workers; synchronous thaiyyal.run leaves them at their defaults.
-- ---------------------------------------------------------------------------

CREATE TABLE thaiyyal.runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workflow_id bigint NOT NULL REFERENCES thaiyyal.workflows (id) ON DELETE CASCADE,
  workflow_version integer NOT NULL,
  tenant text NOT NULL DEFAULT thaiyyal.current_tenant(),
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  run_by text NOT NULL DEFAULT CURRENT_USER,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  error_code text,
  priority integer NOT NULL DEFAULT 0,
  run_at timestamptz NOT NULL DEFAULT now(),
  idempotency_key text,
  worker_pid integer,
  lease_expires_at timestamptz,
  -- The role a queued run executes as (the role that queued it). Not
  -- insertable by users (column privileges below): the default is the
  -- inserting role, so nobody can queue a run as someone else.
  run_by_role oid NOT NULL DEFAULT pg_catalog.to_regrole(pg_catalog.quote_ident(CURRENT_USER))::oid,
  -- thaiyyal.cancel() of a running run: the worker stops at its next node
  -- boundary or wait; crash recovery parks such a run as cancelled.
  cancel_requested boolean NOT NULL DEFAULT false
);
-- Runs of a workflow, newest first (also the workflow_list view).
CREATE INDEX runs_workflow_created_idx ON thaiyyal.runs (workflow_id, created_at DESC);
-- A tenant's runs by status, newest first.
CREATE INDEX runs_tenant_status_created_idx ON thaiyyal.runs (tenant, status, created_at DESC);
-- Retention: finished runs by finish time.
CREATE INDEX runs_finished_at_idx ON thaiyyal.runs (finished_at) WHERE finished_at IS NOT NULL;
-- The queue of the background workers (empty until they exist).
-- The background workers' queue: runnable rows in claim order (priority,
-- then age). Partial: finished runs never enter it.
CREATE INDEX runs_queue_idx ON thaiyyal.runs (priority DESC, run_at, id) WHERE status = 'queued';
-- Crash recovery looks at running runs only.
CREATE INDEX runs_running_idx ON thaiyyal.runs (lease_expires_at) WHERE status = 'running';
CREATE UNIQUE INDEX runs_idempotency_key_idx ON thaiyyal.runs (tenant, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

COMMENT ON TABLE thaiyyal.runs IS
'One row per run of a stored workflow (narrow: payloads are in thaiyyal.run_payloads).';

CREATE TABLE thaiyyal.run_payloads (
  run_id bigint PRIMARY KEY REFERENCES thaiyyal.runs (id) ON DELETE CASCADE,
  tenant text NOT NULL DEFAULT thaiyyal.current_tenant(),
  input jsonb,
  result jsonb,
  error jsonb
);
COMMENT ON TABLE thaiyyal.run_payloads IS 'Input, Result and error of a run.';

CREATE TABLE thaiyyal.run_nodes (
  run_id bigint NOT NULL REFERENCES thaiyyal.runs (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  tenant text NOT NULL DEFAULT thaiyyal.current_tenant(),
  node_id text NOT NULL,
  node_type text NOT NULL,
  status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
  duration_us bigint NOT NULL,
  output jsonb,
  error text,
  PRIMARY KEY (run_id, seq)
);
COMMENT ON TABLE thaiyyal.run_nodes IS
'Per-node results and timings of a run, in execution order (thaiyyal.record_nodes).';

-- ---------------------------------------------------------------------------
-- Row-level security and privileges: every role gets the table privileges,
-- row-level security decides which rows it sees. The tables belong to the
-- extension's owner (a superuser), so the policies bind every other role.
-- ---------------------------------------------------------------------------

ALTER TABLE thaiyyal.workflows ENABLE ROW LEVEL SECURITY;
ALTER TABLE thaiyyal.runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE thaiyyal.run_payloads ENABLE ROW LEVEL SECURITY;
ALTER TABLE thaiyyal.run_nodes ENABLE ROW LEVEL SECURITY;
-- The same predicate on every tenant table. Both sides are uncorrelated
-- sub-selects, so each statement evaluates them once (InitPlans), not per
-- row, and the tenant comparison can use the indexes that lead with tenant.
CREATE POLICY tenant_isolation ON thaiyyal.workflows
  USING (tenant = (SELECT thaiyyal.current_tenant())
         AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())))
  WITH CHECK (tenant = (SELECT thaiyyal.current_tenant())
              AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())));
CREATE POLICY tenant_isolation ON thaiyyal.runs
  USING (tenant = (SELECT thaiyyal.current_tenant())
         AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())))
  WITH CHECK (tenant = (SELECT thaiyyal.current_tenant())
              AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())));
CREATE POLICY tenant_isolation ON thaiyyal.run_payloads
  USING (tenant = (SELECT thaiyyal.current_tenant())
         AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())))
  WITH CHECK (tenant = (SELECT thaiyyal.current_tenant())
              AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())));
CREATE POLICY tenant_isolation ON thaiyyal.run_nodes
  USING (tenant = (SELECT thaiyyal.current_tenant())
         AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())))
  WITH CHECK (tenant = (SELECT thaiyyal.current_tenant())
              AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())));

GRANT SELECT, INSERT, UPDATE, DELETE ON thaiyyal.workflows,
  thaiyyal.run_payloads, thaiyyal.run_nodes TO PUBLIC;
-- thaiyyal.runs: the worker's columns (run_by, run_by_role, worker_pid,
-- lease_expires_at) are not writable by users, so a run can never
-- be queued to execute as another role or made to look claimed.
GRANT SELECT, DELETE ON thaiyyal.runs TO PUBLIC;
GRANT INSERT (workflow_id, workflow_version, tenant, status, attempts, created_at, started_at,
              finished_at, error_code, priority, run_at, idempotency_key)
  ON thaiyyal.runs TO PUBLIC;
GRANT UPDATE (status, finished_at, error_code, priority, run_at, cancel_requested)
  ON thaiyyal.runs TO PUBLIC;

-- User data of the extension's tables is part of pg_dump's output.
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.tenant_members', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.workflows', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.runs', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.run_payloads', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.run_nodes', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.workflow_revisions', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.workflows_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.runs_id_seq', '');

-- ---------------------------------------------------------------------------
-- API (all SECURITY INVOKER: the caller's privileges and tenancy apply)
-- ---------------------------------------------------------------------------

CREATE FUNCTION thaiyyal.save_workflow(name text, definition jsonb) RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  t text := thaiyyal.require_tenant();
  saved_id bigint;
BEGIN
  IF name IS NULL OR definition IS NULL THEN
    RAISE EXCEPTION 'workflow % must not be null', CASE WHEN name IS NULL THEN 'name' ELSE 'definition' END
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF name = '' THEN
    RAISE EXCEPTION 'workflow name must not be empty' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO thaiyyal.workflows AS w (tenant, name, definition)
  VALUES (t, save_workflow.name, save_workflow.definition)
  ON CONFLICT ON CONSTRAINT workflows_tenant_name_key
  DO UPDATE SET definition = EXCLUDED.definition
  RETURNING w.id INTO saved_id;
  RETURN saved_id;
END
$$;

COMMENT ON FUNCTION thaiyyal.save_workflow(text, jsonb) IS
'Creates or replaces the current tenant''s workflow <name> after validating the definition '
'(22023 as thaiyyal_execute); a replacement bumps the version. Returns the workflow id.';

CREATE FUNCTION thaiyyal.get_workflow(name text) RETURNS thaiyyal.workflows
LANGUAGE plpgsql STABLE
AS $$
DECLARE
  t text := thaiyyal.require_tenant();
  found_row thaiyyal.workflows;
BEGIN
  SELECT * INTO found_row FROM thaiyyal.workflows w
  WHERE w.tenant = t AND w.name = get_workflow.name;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'workflow "%" does not exist', name
      USING ERRCODE = 'undefined_object', DETAIL = format('The tenant is "%s".', t);
  END IF;
  RETURN found_row;
END
$$;

COMMENT ON FUNCTION thaiyyal.get_workflow(text) IS
'The current tenant''s workflow <name> (42704 when there is none).';

CREATE FUNCTION thaiyyal.drop_workflow(name text) RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  t text := thaiyyal.require_tenant();
BEGIN
  DELETE FROM thaiyyal.workflows w WHERE w.tenant = t AND w.name = drop_workflow.name;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'workflow "%" does not exist', name
      USING ERRCODE = 'undefined_object', DETAIL = format('The tenant is "%s".', t);
  END IF;
END
$$;

COMMENT ON FUNCTION thaiyyal.drop_workflow(text) IS
'Deletes the current tenant''s workflow <name> and its runs (42704 when there is none).';

CREATE FUNCTION thaiyyal.run(name text, input jsonb DEFAULT NULL) RETURNS jsonb
AS 'MODULE_PATHNAME', 'thaiyyal_run'
LANGUAGE C CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION thaiyyal.run(text, jsonb) IS
'Runs the current tenant''s stored workflow <name> in the caller''s transaction (plan from the '
'per-backend cache), records the run, and returns its Result as thaiyyal_execute does.';

CREATE FUNCTION thaiyyal.plan_cache_stats(
  OUT plans integer, OUT hits bigint, OUT misses bigint,
  OUT sql_plans integer, OUT sql_hits bigint, OUT sql_misses bigint,
  OUT payload_plans integer, OUT payload_hits bigint, OUT payload_misses bigint)
AS 'MODULE_PATHNAME', 'thaiyyal_plan_cache_stats'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;

COMMENT ON FUNCTION thaiyyal.plan_cache_stats() IS
'This backend''s caches: compiled workflow plans (thaiyyal.plan_cache_size), prepared '
'statements of sql_query / sql_batch nodes (thaiyyal.sql_plan_cache_size) and plans of '
'thaiyyal_execute payloads (thaiyyal.payload_cache_size).';

-- Workflows of the current tenant with their latest run.
CREATE VIEW thaiyyal.workflow_list WITH (security_invoker = true) AS
SELECT w.id, w.name, w.version, w.created_at, w.updated_at,
       r.id AS last_run_id, r.status AS last_run_status,
       r.created_at AS last_run_at, r.finished_at AS last_run_finished_at
FROM thaiyyal.workflows w
LEFT JOIN LATERAL (
  SELECT r.id, r.status, r.created_at, r.finished_at
  FROM thaiyyal.runs r
  WHERE r.workflow_id = w.id
  ORDER BY r.created_at DESC
  LIMIT 1) r ON true
WHERE w.tenant = (SELECT thaiyyal.current_tenant());
GRANT SELECT ON thaiyyal.workflow_list TO PUBLIC;

COMMENT ON VIEW thaiyyal.workflow_list IS
'The current tenant''s workflows with their latest run (ORDER BY created_at DESC uses '
'workflows_tenant_created_idx, the latest run runs_workflow_created_idx).';

-- Retention: deletes finished runs older than <older_than> (with their
-- payloads and node rows), <batch_size> at a time in finish-time order, in
-- the caller's transaction. Rows locked by others are skipped. Returns the
-- number of runs deleted. Row-level security applies: a tenant role purges
-- its own runs; the owner or a superuser purges everyone's.
CREATE FUNCTION thaiyyal.purge_runs(older_than interval, batch_size integer DEFAULT 10000)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
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
    DELETE FROM thaiyyal.runs
    WHERE id = ANY (ARRAY(SELECT r.id FROM thaiyyal.runs r
                          WHERE r.finished_at < cutoff
                          ORDER BY r.finished_at
                          LIMIT batch_size
                          FOR UPDATE SKIP LOCKED));
    GET DIAGNOSTICS n = ROW_COUNT;
    deleted := deleted + n;
    EXIT WHEN n < batch_size;
  END LOOP;
  RETURN deleted;
END
$$;

COMMENT ON FUNCTION thaiyyal.purge_runs(interval, integer) IS
'Deletes runs finished before now() - older_than in batches ordered by finished_at; returns '
'the count.';

-- The same, committing after every batch (CALL it outside a transaction
-- block, e.g. from pg_cron): locks are held for one batch only.
CREATE PROCEDURE thaiyyal.purge_runs_in_batches(older_than interval,
                                                batch_size integer DEFAULT 10000,
                                                INOUT deleted bigint DEFAULT 0)
LANGUAGE plpgsql
AS $$
DECLARE
  cutoff timestamptz := now() - older_than;
  n bigint;
BEGIN
  IF older_than IS NULL OR batch_size IS NULL OR batch_size < 1 THEN
    RAISE EXCEPTION 'purge_runs_in_batches needs an interval and a positive batch size'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  deleted := 0;
  LOOP
    DELETE FROM thaiyyal.runs
    WHERE id = ANY (ARRAY(SELECT r.id FROM thaiyyal.runs r
                          WHERE r.finished_at < cutoff
                          ORDER BY r.finished_at
                          LIMIT batch_size
                          FOR UPDATE SKIP LOCKED));
    GET DIAGNOSTICS n = ROW_COUNT;
    deleted := deleted + n;
    COMMIT;
    EXIT WHEN n < batch_size;
  END LOOP;
END
$$;


-- ---------------------------------------------------------------------------
-- Background workers: the run queue
--
-- thaiyyal.enqueue inserts a queued run; its COMMIT wakes the workers
-- (thaiyyal in shared_preload_libraries, thaiyyal.workers processes serving
-- thaiyyal.database). A worker claims it (FOR UPDATE SKIP LOCKED through
-- runs_queue_idx: priority first, then the oldest run_at), executes it as
-- the role that queued it, and writes status, result or error and node rows
-- in one transaction. Statuses: queued -> running -> succeeded | failed |
-- cancelled (or back to queued for a retry).
-- ---------------------------------------------------------------------------

CREATE FUNCTION thaiyyal._wake_workers_at_commit() RETURNS text
AS 'MODULE_PATHNAME', 'thaiyyal_wake_workers_at_commit'
LANGUAGE C VOLATILE;

CREATE FUNCTION thaiyyal._cancel_at_commit(run_id bigint) RETURNS void
AS 'MODULE_PATHNAME', 'thaiyyal_cancel_at_commit'
LANGUAGE C STRICT VOLATILE;

CREATE FUNCTION thaiyyal._worker_alive(pid integer) RETURNS boolean
AS 'MODULE_PATHNAME', 'thaiyyal_worker_alive'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

CREATE FUNCTION thaiyyal.enqueue(workflow text, input jsonb DEFAULT NULL,
                                 run_at timestamptz DEFAULT now(), priority integer DEFAULT 0,
                                 idempotency_key text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
  t text := thaiyyal.require_tenant();
  wf_id bigint;
  wf_version integer;
  new_id bigint;
  problem text;
BEGIN
  IF workflow IS NULL THEN
    RAISE EXCEPTION 'workflow name must not be null' USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT w.id, w.version INTO wf_id, wf_version
  FROM thaiyyal.workflows w WHERE w.tenant = t AND w.name = enqueue.workflow;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'workflow "%" does not exist', workflow
      USING ERRCODE = 'undefined_object', DETAIL = format('The tenant is "%s".', t);
  END IF;
  IF idempotency_key IS NOT NULL THEN
    SELECT r.id INTO new_id FROM thaiyyal.runs r
    WHERE r.tenant = t AND r.idempotency_key = enqueue.idempotency_key;
    IF FOUND THEN
      RETURN new_id;
    END IF;
  END IF;
  INSERT INTO thaiyyal.runs AS r (workflow_id, workflow_version, tenant, status, priority, run_at,
                                  idempotency_key)
  VALUES (wf_id, wf_version, t, 'queued', coalesce(enqueue.priority, 0),
          coalesce(enqueue.run_at, now()), enqueue.idempotency_key)
  ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
  RETURNING r.id INTO new_id;
  IF new_id IS NULL THEN
    -- A concurrent enqueue with the same key committed first.
    SELECT r.id INTO new_id FROM thaiyyal.runs r
    WHERE r.tenant = t AND r.idempotency_key = enqueue.idempotency_key;
    RETURN new_id;
  END IF;
  INSERT INTO thaiyyal.run_payloads (run_id, tenant, input) VALUES (new_id, t, input);
  problem := thaiyyal._wake_workers_at_commit();
  IF problem IS NOT NULL THEN
    RAISE WARNING 'run % is queued, but %', new_id, problem
      USING HINT = 'Add thaiyyal to shared_preload_libraries, set thaiyyal.database to this '
                   'database and restart the server; or execute synchronously with thaiyyal.run().';
  END IF;
  RETURN new_id;
END
$$;

COMMENT ON FUNCTION thaiyyal.enqueue(text, jsonb, timestamptz, integer, text) IS
'Queues a run of the current tenant''s workflow <workflow> for the background workers, to start '
'at run_at, higher priority first; the same idempotency_key returns the same run. The run '
'executes as the calling role. Returns the run id.';

CREATE FUNCTION thaiyyal.cancel(run_id bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  new_status text;
BEGIN
  PERFORM thaiyyal.require_tenant();
  UPDATE thaiyyal.runs r
  SET status = CASE WHEN r.status = 'queued' THEN 'cancelled' ELSE r.status END,
      finished_at = CASE WHEN r.status = 'queued' THEN now() ELSE r.finished_at END,
      cancel_requested = true
  WHERE r.id = cancel.run_id AND r.status IN ('queued', 'running')
  RETURNING r.status INTO new_status;
  IF NOT FOUND THEN
    IF NOT EXISTS (SELECT FROM thaiyyal.runs r WHERE r.id = cancel.run_id) THEN
      RAISE EXCEPTION 'run % does not exist', run_id
        USING ERRCODE = 'undefined_object', DETAIL = 'Runs of other tenants are not visible.';
    END IF;
    RETURN false;  -- already finished
  END IF;
  -- At COMMIT: the worker executing it stops at its next node boundary or
  -- wait, and waiters wake up.
  PERFORM thaiyyal._cancel_at_commit(run_id);
  RETURN true;
END
$$;

COMMENT ON FUNCTION thaiyyal.cancel(bigint) IS
'Cancels a run: a queued run never starts, a running one stops at its next node boundary or '
'interruptible wait (status cancelled). False when the run had already finished.';

CREATE FUNCTION thaiyyal.wait(run_id bigint, timeout interval) RETURNS jsonb
AS 'MODULE_PATHNAME', 'thaiyyal_wait'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.wait(bigint, interval) IS
'Waits up to <timeout> for the run to finish; returns {"status", "result", "error"} (result and '
'error are null until it has finished). Woken when workers finish runs, no polling.';

-- pg_cron: the scheduled command only ENQUEUES a run (as the scheduling role,
-- for the current tenant); the workers execute it. pg_cron stays optional.
CREATE FUNCTION thaiyyal.schedule(job_name text, cron_expression text, workflow text,
                                  input jsonb DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  t text := thaiyyal.require_tenant();
  command text;
  job bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
    RAISE EXCEPTION 'pg_cron is not installed in database "%"', current_database()
      USING ERRCODE = 'undefined_function',
            HINT = format('Add pg_cron to shared_preload_libraries, set cron.database_name = %L, '
                          'restart the server and run CREATE EXTENSION pg_cron.',
                          current_database());
  END IF;
  IF job_name IS NULL OR cron_expression IS NULL OR workflow IS NULL THEN
    RAISE EXCEPTION 'job_name, cron_expression and workflow must not be null'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  PERFORM FROM thaiyyal.workflows w WHERE w.tenant = t AND w.name = schedule.workflow;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'workflow "%" does not exist', workflow
      USING ERRCODE = 'undefined_object', DETAIL = format('The tenant is "%s".', t);
  END IF;
  -- set_config in FROM runs before enqueue reads the tenant.
  command := format('SELECT thaiyyal.enqueue(%L, %L::jsonb) '
                    'FROM pg_catalog.set_config(''thaiyyal.tenant'', %L, true)',
                    workflow, input, t);
  EXECUTE 'SELECT cron.schedule($1::name, $2, $3)' INTO job USING job_name, cron_expression, command;
  RETURN job;
END
$$;

COMMENT ON FUNCTION thaiyyal.schedule(text, text, text, jsonb) IS
'Creates or replaces the pg_cron job <job_name> that enqueues a run of <workflow> on '
'<cron_expression> (as the calling role, for the current tenant). Returns the pg_cron job id.';

CREATE FUNCTION thaiyyal.unschedule(job_name text) RETURNS boolean
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  done boolean;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
    RAISE EXCEPTION 'pg_cron is not installed in database "%"', current_database()
      USING ERRCODE = 'undefined_function';
  END IF;
  EXECUTE 'SELECT cron.unschedule($1::name)' INTO done USING job_name;
  RETURN done;
END
$$;

COMMENT ON FUNCTION thaiyyal.unschedule(text) IS 'Removes a pg_cron job made by thaiyyal.schedule.';

-- Queue depth, running runs, throughput and failures per workflow (current
-- tenant; the owner or a superuser sees every tenant).
CREATE VIEW thaiyyal.queue_stats WITH (security_invoker = true) AS
SELECT w.tenant, w.name AS workflow,
       count(*) FILTER (WHERE r.status = 'queued') AS queued,
       count(*) FILTER (WHERE r.status = 'queued' AND r.run_at <= now()) AS due,
       count(*) FILTER (WHERE r.status = 'running') AS running,
       count(*) FILTER (WHERE r.status = 'succeeded'
                          AND r.finished_at > now() - interval '1 minute') AS succeeded_last_minute,
       count(*) FILTER (WHERE r.status = 'succeeded'
                          AND r.finished_at > now() - interval '1 hour') AS succeeded_last_hour,
       count(*) FILTER (WHERE r.status = 'failed'
                          AND r.finished_at > now() - interval '1 hour') AS failed_last_hour,
       count(*) FILTER (WHERE r.status = 'cancelled'
                          AND r.finished_at > now() - interval '1 hour') AS cancelled_last_hour,
       max(now() - r.run_at) FILTER (WHERE r.status = 'queued' AND r.run_at <= now())
         AS oldest_due_age
FROM thaiyyal.runs r
JOIN thaiyyal.workflows w ON w.id = r.workflow_id
WHERE r.status IN ('queued', 'running') OR r.finished_at > now() - interval '1 hour'
GROUP BY w.tenant, w.name;
GRANT SELECT ON thaiyyal.queue_stats TO PUBLIC;

COMMENT ON VIEW thaiyyal.queue_stats IS
'Per workflow: queued and due runs, running runs, runs finished in the last minute / hour by '
'status, and the age of the oldest due run.';
