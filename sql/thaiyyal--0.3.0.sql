-- thaiyyal 0.3.0
\echo Use "CREATE EXTENSION thaiyyal" to load this file. \quit

-- Stored workflows, run history and their API live in this schema;
-- thaiyyal_execute itself is created in the extension's schema (public by
-- default, or CREATE EXTENSION ... SCHEMA s) so that it works with the
-- default search_path.
--
-- Security model (docs/SECURITY.md): ordinary roles read the catalog
-- through row-level security and write it only through the API functions.
-- The API is C (SECURITY INVOKER): it checks the caller's role and tenant
-- as the caller, then writes as the owner of these tables with
-- search_path = pg_catalog, pg_temp. Every PL/pgSQL and SQL function below
-- has a fixed search_path and schema-qualified names.
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
'exceeded, 22P01 NaN/Inf in the result, 53200 thaiyyal.max_run_memory exceeded.';

-- ---------------------------------------------------------------------------
-- Tenancy
--
-- The tenant is the setting thaiyyal.tenant, or the current role's name when
-- it is unset or empty. A role may act for: its own name, any role it is a
-- member of, and the tenants thaiyyal.tenant_members maps it (or a role it
-- is a member of) to; superusers for any tenant. Row-level security keeps
-- every role to rows of the current tenant, and only when it may act for
-- that tenant: naming another tenant in the setting shows nothing.
-- ---------------------------------------------------------------------------

CREATE FUNCTION thaiyyal.current_tenant() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
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
SET search_path = pg_catalog, pg_temp
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
SET search_path = pg_catalog, pg_temp
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
-- Stored workflows and their revisions
--
-- thaiyyal.workflows holds the current definition of each (tenant, name);
-- every definition ever saved is also kept, immutable, in
-- thaiyyal.workflow_versions. A queued run or a schedule pins one revision
-- and executes exactly that, whatever is saved afterwards.
-- ---------------------------------------------------------------------------

-- The CHECK constraint of thaiyyal.workflows: a definition that does not
-- compile never saves (ERROR 22023, as thaiyyal_execute raises it).
-- (0.1.0 called it validate_workflow.)
CREATE FUNCTION thaiyyal._definition_compiles(definition jsonb) RETURNS boolean
AS 'MODULE_PATHNAME', 'thaiyyal_validate_workflow'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- Every problem visible without running the workflow: errors (it does not
-- compile; a node of a type without an executor; an unknown operation; an
-- expression that does not parse) and warnings (an edge on a handle its
-- source never emits; nodes that can therefore never run).
CREATE FUNCTION thaiyyal.check_workflow(definition jsonb,
                                        OUT severity text, OUT node_id text, OUT message text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'thaiyyal_check_workflow'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 4;

COMMENT ON FUNCTION thaiyyal.check_workflow(jsonb) IS
'Problems of a workflow definition found without running it: severity error or warning, the '
'node concerned (NULL for the whole workflow) and a message.';

-- True when check_workflow reports no error.
CREATE FUNCTION thaiyyal.validate_workflow(definition jsonb) RETURNS boolean
AS 'MODULE_PATHNAME', 'thaiyyal_validate_workflow_checked'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION thaiyyal.validate_workflow(jsonb) IS
'True when thaiyyal.check_workflow(definition) reports no error.';

-- Every write of a workflow takes a new revision from this sequence.
-- (id, revision) keys the per-backend plan cache: unlike the version, a
-- revision is never handed out twice, even when the saving transaction
-- rolls back and the same version number is saved again.
CREATE SEQUENCE thaiyyal.workflow_revisions;

CREATE TABLE thaiyyal.workflows (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant text NOT NULL DEFAULT thaiyyal.current_tenant(),
  name text NOT NULL CHECK (name <> ''),
  version integer NOT NULL DEFAULT 1,
  revision bigint NOT NULL DEFAULT nextval('thaiyyal.workflow_revisions'),
  definition jsonb NOT NULL CONSTRAINT workflows_definition_valid
    CHECK (thaiyyal._definition_compiles(definition)),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL DEFAULT CURRENT_USER,
  updated_by text NOT NULL DEFAULT CURRENT_USER,
  CONSTRAINT workflows_tenant_name_key UNIQUE (tenant, name),
  -- Target of the composite keys that tie versions and runs to the tenant.
  CONSTRAINT workflows_id_tenant_key UNIQUE (id, tenant)
);
-- Listing a tenant's workflows, newest first.
CREATE INDEX workflows_tenant_created_idx ON thaiyyal.workflows (tenant, created_at DESC);

COMMENT ON TABLE thaiyyal.workflows IS
'Stored workflow definitions, one per (tenant, name); every update bumps version.';
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

-- Updates bump the version and take a new revision (also for direct
-- UPDATEs by the owner, so no cached plan can outlive its definition).
-- updated_by is what the writer says (the API: the calling role).
CREATE FUNCTION thaiyyal.workflows_before_update() RETURNS trigger
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
CREATE TRIGGER workflows_before_update BEFORE UPDATE ON thaiyyal.workflows
  FOR EACH ROW EXECUTE FUNCTION thaiyyal.workflows_before_update();

-- Every definition written, by any path, is kept as a version.
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

-- A version never changes once saved (not even by the owner): a pinned
-- run must execute what its owner approved.
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
  -- CACHE 64: every backend takes its run ids 64 at a time. With one
  -- sequence page locked by every recorded run, that page was where
  -- concurrent thaiyyal.run calls waited most (docs/notes/2026-12-06-
  -- recording.md). Ids stay unique and increase within a session; across
  -- sessions they no longer follow creation order (created_at does).
  id bigint GENERATED ALWAYS AS IDENTITY (CACHE 64) PRIMARY KEY,
  workflow_id bigint NOT NULL,
  workflow_version integer NOT NULL,
  tenant text NOT NULL DEFAULT thaiyyal.current_tenant(),
  -- queued, running, succeeded, failed or cancelled: written only by the
  -- extension's own statements (extension/catalog/catalog_sql.cpp). No CHECK
  -- constraint on this table: PostgreSQL re-reads a CHECK's expression on
  -- every execution of an INSERT, a sixth of what recording a run cost.
  status text NOT NULL DEFAULT 'queued',
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
  -- The role a queued run executes as (the role that queued it).
  run_by_role oid NOT NULL DEFAULT pg_catalog.to_regrole(pg_catalog.quote_ident(CURRENT_USER))::oid,
  -- thaiyyal.cancel() of a running run: the worker stops at its next node
  -- boundary, wait or SQL statement; crash recovery parks it as cancelled.
  cancel_requested boolean NOT NULL DEFAULT false,
  -- The revision the run executes (thaiyyal.workflow_versions). NULL only
  -- for runs recorded before 0.2.0 whose definition was not kept.
  workflow_revision bigint,
  -- attempts when the run was last retried (thaiyyal.retry): attempts keep
  -- counting across retries, thaiyyal.max_attempts counts from here.
  attempts_base integer NOT NULL DEFAULT 0,
  CONSTRAINT runs_id_tenant_key UNIQUE (id, tenant)
);
-- Runs of a workflow, newest first (also the workflow_list view).
CREATE INDEX runs_workflow_created_idx ON thaiyyal.runs (workflow_id, created_at DESC);
-- A tenant's runs by status, newest first (also: running runs per tenant).
CREATE INDEX runs_tenant_status_created_idx ON thaiyyal.runs (tenant, status, created_at DESC);
-- Retention: finished runs by finish time.
CREATE INDEX runs_finished_at_idx ON thaiyyal.runs (finished_at) WHERE finished_at IS NOT NULL;
-- The background workers' queue: each tenant's runnable rows in claim
-- order (priority, then age). Partial: finished runs never enter it.
CREATE INDEX runs_queue_idx ON thaiyyal.runs (tenant, priority DESC, run_at, id)
  WHERE status = 'queued';
-- When the next delayed run is due.
CREATE INDEX runs_queue_due_idx ON thaiyyal.runs (run_at) WHERE status = 'queued';
-- Crash recovery looks at running runs only, and the workers' statements
-- on one running run (lease, checkpoint, finish) find it by id here: the
-- planner prefers this small partial index for "id = $1 AND status =
-- 'running'", and keyed by lease time alone every such lookup scanned it
-- whole, dead entries of every run drained since the last vacuum included.
CREATE INDEX runs_running_idx ON thaiyyal.runs (id) INCLUDE (lease_expires_at)
  WHERE status = 'running';
CREATE UNIQUE INDEX runs_idempotency_key_idx ON thaiyyal.runs (tenant, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

COMMENT ON TABLE thaiyyal.runs IS
'One row per run of a stored workflow (narrow: payloads are in thaiyyal.run_payloads).';

CREATE TABLE thaiyyal.run_payloads (
  run_id bigint PRIMARY KEY,
  tenant text NOT NULL DEFAULT thaiyyal.current_tenant(),
  input jsonb,
  result jsonb,
  error jsonb
);
COMMENT ON TABLE thaiyyal.run_payloads IS 'Input, Result and error of a run.';

CREATE TABLE thaiyyal.run_nodes (
  run_id bigint NOT NULL,
  seq integer NOT NULL,
  tenant text NOT NULL DEFAULT thaiyyal.current_tenant(),
  node_id text NOT NULL,
  node_type text NOT NULL,
  status text NOT NULL CONSTRAINT run_nodes_status_check
    CHECK (status IN ('succeeded', 'failed', 'restored')),
  duration_us bigint NOT NULL,
  output jsonb,
  error text,
  -- The attempt of a queued run that recorded the row (1 for thaiyyal.run).
  attempt integer NOT NULL DEFAULT 1,
  PRIMARY KEY (run_id, seq),
  CONSTRAINT run_nodes_run_fkey FOREIGN KEY (run_id, tenant)
    REFERENCES thaiyyal.runs (id, tenant) ON DELETE CASCADE
);
COMMENT ON TABLE thaiyyal.run_nodes IS
'Per-node results and timings of a run, in execution order (thaiyyal.record_nodes).';

-- The journal of a queued run's attempts (docs/DURABLE_RUNS.md): what its
-- nodes learnt from outside the engine (clock, random bits, sleeps, SQL and
-- HTTP answers) and which nodes completed, in the binary form of
-- engine/run/journal.hpp. A later attempt replays it instead of asking
-- again; retry and fork append cut markers. Written by the workers (a SQL
-- node's entries in the transaction of its statement), read by nobody but
-- the extension: the rows are visible to the run's tenant for inspection.
CREATE TABLE thaiyyal.run_checkpoints (
  run_id bigint NOT NULL,
  seq integer NOT NULL,
  tenant text NOT NULL,
  attempt integer NOT NULL,
  entries bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, seq)
);
COMMENT ON TABLE thaiyyal.run_checkpoints IS
'Checkpoints of queued runs: the journal a resumed attempt replays (binary; see docs/DURABLE_RUNS.md).';

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

-- ---------------------------------------------------------------------------
-- Row-level security and privileges: every role may read, row-level
-- security decides which rows it sees; nobody but the owner writes (the
-- API writes as the owner after checking the caller). Without write
-- grants no role can take the locks that would stop the workers (LOCK
-- TABLE, SELECT ... FOR UPDATE need them).
-- ---------------------------------------------------------------------------

ALTER TABLE thaiyyal.workflows ENABLE ROW LEVEL SECURITY;
ALTER TABLE thaiyyal.workflow_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE thaiyyal.runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE thaiyyal.run_payloads ENABLE ROW LEVEL SECURITY;
ALTER TABLE thaiyyal.run_nodes ENABLE ROW LEVEL SECURITY;
ALTER TABLE thaiyyal.run_checkpoints ENABLE ROW LEVEL SECURITY;
-- The same predicate on every tenant table. Both sides are uncorrelated
-- sub-selects, so each statement evaluates them once (InitPlans), not per
-- row, and the tenant comparison can use the indexes that lead with tenant.
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
CREATE POLICY tenant_isolation ON thaiyyal.run_checkpoints FOR SELECT
  USING (tenant = (SELECT thaiyyal.current_tenant())
         AND (SELECT thaiyyal.may_act_for(thaiyyal.current_tenant())));

GRANT SELECT ON thaiyyal.workflows, thaiyyal.workflow_versions, thaiyyal.runs,
  thaiyyal.run_payloads, thaiyyal.run_nodes TO PUBLIC;
GRANT SELECT ON thaiyyal.run_checkpoints TO PUBLIC;

-- User data of the extension's tables is part of pg_dump's output.
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.tenant_members', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.workflows', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.workflow_versions', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.runs', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.run_payloads', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.run_nodes', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.run_checkpoints', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.workflow_revisions', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.workflows_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('thaiyyal.runs_id_seq', '');

-- ---------------------------------------------------------------------------
-- API. The C functions are SECURITY INVOKER: they check the caller (its
-- tenant, its role) as the caller and then write as the tables' owner.
-- ---------------------------------------------------------------------------

CREATE FUNCTION thaiyyal.save_workflow(name text, definition jsonb, force boolean DEFAULT false)
RETURNS bigint
AS 'MODULE_PATHNAME', 'thaiyyal_save_workflow'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.save_workflow(text, jsonb, boolean) IS
'Creates or replaces the current tenant''s workflow <name>; a replacement is a new version, and '
'every version is kept in thaiyyal.workflow_versions. Refuses a definition with errors '
'(thaiyyal.check_workflow; 22023 listing them) unless force; one that does not compile never '
'saves. Returns the workflow id.';

CREATE FUNCTION thaiyyal.get_workflow(name text) RETURNS thaiyyal.workflows
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

COMMENT ON FUNCTION thaiyyal.get_workflow(text) IS
'The current tenant''s workflow <name> (42704 when there is none).';

CREATE FUNCTION thaiyyal.drop_workflow(name text) RETURNS void
AS 'MODULE_PATHNAME', 'thaiyyal_drop_workflow'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.drop_workflow(text) IS
'Deletes the current tenant''s workflow <name>, its versions and its runs (42704 when there is '
'none).';

CREATE FUNCTION thaiyyal.run(name text, input jsonb DEFAULT NULL, version integer DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'thaiyyal_run'
LANGUAGE C CALLED ON NULL INPUT VOLATILE PARALLEL UNSAFE;

COMMENT ON FUNCTION thaiyyal.run(text, jsonb, integer) IS
'Runs the current tenant''s stored workflow <name> (its current version, or <version>) in the '
'caller''s transaction and as the caller, records the run (thaiyyal.record_runs), and returns its '
'Result as thaiyyal_execute does.';

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

-- Retention, one batch: deletes up to <batch_size> runs finished before
-- <cutoff> (with their payloads and node rows) in finish-time order,
-- skipping rows locked by others; the current tenant's runs, or every
-- tenant's for a superuser. Returns the number deleted.
CREATE FUNCTION thaiyyal.purge_runs_batch(cutoff timestamptz, batch_size integer)
RETURNS bigint
AS 'MODULE_PATHNAME', 'thaiyyal_purge_runs_batch'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.purge_runs_batch(timestamptz, integer) IS
'Deletes up to batch_size runs of the current tenant (every tenant for a superuser) that '
'finished before cutoff; returns the count.';

-- Retention in the caller's transaction.
CREATE FUNCTION thaiyyal.purge_runs(older_than interval, batch_size integer DEFAULT 10000)
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

COMMENT ON FUNCTION thaiyyal.purge_runs(interval, integer) IS
'Deletes runs finished before now() - older_than in batches ordered by finished_at; returns '
'the count.';

-- The same, committing after every batch (CALL it outside a transaction
-- block, e.g. from pg_cron): locks are held for one batch only. A
-- procedure that commits cannot have a SET clause, so every name and
-- operator in it is schema-qualified instead.
CREATE PROCEDURE thaiyyal.purge_runs_in_batches(older_than interval,
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

-- ---------------------------------------------------------------------------
-- Background workers: the run queue
--
-- thaiyyal.enqueue inserts a queued run pinned to a revision; its COMMIT
-- wakes the workers (thaiyyal in shared_preload_libraries,
-- thaiyyal.workers processes serving thaiyyal.database). A worker claims
-- runs tenant by tenant (fewest running first, then round-robin; within a
-- tenant by priority, then age), executes the pinned revision as the role
-- that queued it with that role's settings, and writes status, result or
-- error and node rows in one transaction. Statuses: queued -> running ->
-- succeeded | failed | cancelled (or back to queued for a retry).
-- ---------------------------------------------------------------------------

CREATE FUNCTION thaiyyal._worker_executing(pid integer, run_id bigint) RETURNS boolean
AS 'MODULE_PATHNAME', 'thaiyyal_worker_executing'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;
REVOKE ALL ON FUNCTION thaiyyal._worker_executing(integer, bigint) FROM PUBLIC;

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

CREATE FUNCTION thaiyyal.cancel(run_id bigint) RETURNS boolean
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

CREATE FUNCTION thaiyyal.wait(run_id bigint, timeout interval) RETURNS jsonb
AS 'MODULE_PATHNAME', 'thaiyyal_wait'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION thaiyyal.wait(bigint, interval) IS
'Waits up to <timeout> for the run to finish; returns {"status", "result", "error"} (result and '
'error are null until it has finished). Woken when workers finish runs, no polling.';

-- pg_cron: the scheduled command only ENQUEUES a run (as the scheduling role,
-- for the current tenant), pinned to the version current when the schedule
-- was made; the workers execute it. Scheduling again adopts a newer
-- version. pg_cron stays optional.
CREATE FUNCTION thaiyyal.schedule(job_name text, cron_expression text, workflow text,
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

CREATE FUNCTION thaiyyal.unschedule(job_name text) RETURNS boolean
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

COMMENT ON FUNCTION thaiyyal.unschedule(text) IS 'Removes a pg_cron job made by thaiyyal.schedule.';

-- Queue depth, running runs, throughput and failures per workflow (current
-- tenant; a superuser sees every tenant).
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
