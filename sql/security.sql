--
-- Safe in a shared database (docs/SECURITY.md): what ordinary roles can and
-- cannot do to each other through thaiyyal. Every check runs as an
-- ordinary login role (no superuser, no CREATEROLE); the superuser only
-- sets the stage and looks at the outcome. Needs the background workers
-- (scripts/test.sh preloads the library for pg_regress).
--
\set SHOW_CONTEXT never
\i sql/include/try.psql

-- Two members of a shared tenant (the group role regress_sec_team): alice,
-- who alone may read the vault, and mallory.
CREATE ROLE regress_sec_team;
CREATE ROLE regress_sec_alice LOGIN IN ROLE regress_sec_team;
CREATE ROLE regress_sec_mallory LOGIN IN ROLE regress_sec_team;
CREATE TABLE regress_sec_vault (secret text);
INSERT INTO regress_sec_vault VALUES ('alice''s secret');
GRANT SELECT ON regress_sec_vault TO regress_sec_alice;
CREATE TABLE regress_sec_loot (stolen text, by_role text);
GRANT INSERT, SELECT ON regress_sec_loot TO regress_sec_team;

-- Polls (test harness only) until the run has finished, up to 30 s.
CREATE FUNCTION pg_temp.finished(run bigint) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  RETURN thaiyyal.wait(run, '30 seconds') ->> 'status';
END
$$;

-- ---------------------------------------------------------------------------
-- 1. A co-member's edit never runs under another member's identity.
-- ---------------------------------------------------------------------------
SET ROLE regress_sec_alice;
SET thaiyyal.tenant = 'regress_sec_team';
SELECT thaiyyal.save_workflow('report', '{"nodes": [
  {"id": "count", "type": "sql_query", "data": {"query": "SELECT count(*) AS n FROM regress_sec_vault"}}]}') > 0 AS saved;
-- Alice queues a run for a few seconds from now.
SELECT thaiyyal.enqueue('report', run_at => now() + interval '2 seconds') AS alice_run \gset
RESET ROLE;

SET ROLE regress_sec_mallory;
SET thaiyyal.tenant = 'regress_sec_team';
-- Mallory rewrites the workflow: a new version, which alice's queued run
-- does not execute.
SELECT thaiyyal.save_workflow('report', '{"nodes": [
  {"id": "steal", "type": "sql_query", "data": {"query":
    "INSERT INTO regress_sec_loot SELECT secret, current_user FROM regress_sec_vault"}}]}') > 0 AS saved;
SELECT v.version, v.created_by FROM thaiyyal.workflow_versions v
JOIN thaiyyal.workflows w ON w.id = v.workflow_id WHERE w.name = 'report' ORDER BY v.version;
-- Nor can mallory touch alice's run or the stored versions directly.
SELECT pg_temp.try($$UPDATE thaiyyal.runs SET status = 'queued'$$) AS requeue;
SELECT pg_temp.try($$UPDATE thaiyyal.workflow_versions SET definition = '{}'$$) AS rewrite_version;
SELECT pg_temp.try($$UPDATE thaiyyal.workflows SET definition = '{}'$$) AS rewrite_workflow;
SELECT pg_temp.try($$DELETE FROM thaiyyal.runs$$) AS delete_runs;
SELECT regexp_replace(pg_temp.try(format('SELECT thaiyyal.retry(%s)', :alice_run)), 'run \d+', 'run <id>') AS retry_alices_run;
RESET ROLE;

SELECT pg_temp.finished(:alice_run) AS alice_run_status;
SELECT workflow_version, run_by FROM thaiyyal.runs WHERE id = :alice_run;
SELECT result -> 'final_output' -> 'rows' AS alice_result FROM thaiyyal.run_payloads WHERE run_id = :alice_run;
SELECT count(*) AS stolen FROM regress_sec_loot;

-- Mallory can run the new version as mallory only: the vault is closed.
SET ROLE regress_sec_mallory;
SET thaiyyal.tenant = 'regress_sec_team';
SELECT pg_temp.try($$SELECT thaiyyal.run('report')$$) AS as_mallory;
SELECT thaiyyal.enqueue('report') AS mallory_run \gset
RESET ROLE;
SELECT pg_temp.finished(:mallory_run) AS mallory_run_status;
SELECT error ->> 'message' AS mallory_error FROM thaiyyal.run_payloads WHERE run_id = :mallory_run;
SELECT count(*) AS stolen FROM regress_sec_loot;

-- A superuser may not queue runs: its run would execute as superuser
-- whatever a member of the tenant saves next.
SET thaiyyal.tenant = 'regress_sec_team';
SELECT pg_temp.try($$SELECT thaiyyal.enqueue('report')$$) AS superuser_enqueue;
SELECT pg_temp.try($$SELECT thaiyyal.schedule('regress_sec_job', '* * * * *', 'report')$$) AS superuser_schedule;
-- A run that a superuser left queued (for example under 0.1.0) is refused
-- by the workers.
INSERT INTO thaiyyal.runs (workflow_id, workflow_version, workflow_revision, tenant, run_by, run_by_role)
SELECT w.id, w.version, w.revision, w.tenant, current_user, current_user::regrole::oid
FROM thaiyyal.workflows w WHERE w.tenant = 'regress_sec_team' AND w.name = 'report'
RETURNING id AS superuser_run \gset
SELECT pg_temp.finished(:superuser_run) AS superuser_run_status;
SELECT error_code, error ->> 'message' AS message FROM thaiyyal.runs r
JOIN thaiyyal.run_payloads p ON p.run_id = r.id WHERE r.id = :superuser_run;
SELECT count(*) AS stolen FROM regress_sec_loot;
RESET thaiyyal.tenant;

-- ---------------------------------------------------------------------------
-- 4. Limits are the administrator's: ordinary roles cannot lift them.
-- ---------------------------------------------------------------------------
SELECT name FROM pg_settings
WHERE name LIKE 'thaiyyal.%' AND context = 'user' ORDER BY name;
SET ROLE regress_sec_mallory;
SELECT pg_temp.try($$SET thaiyyal.max_execution_time = 0$$) AS lift_time;
SELECT pg_temp.try($$SET thaiyyal.max_string_length = 0$$) AS lift_strings;
SELECT pg_temp.try($$SET thaiyyal.sql_max_rows = 0$$) AS lift_rows;
SELECT pg_temp.try($$SET thaiyyal.payload_cache_size = 100000$$) AS grow_cache;
SELECT pg_temp.try($$SELECT set_config('thaiyyal.max_node_executions', '0', false)$$) AS set_config;
RESET ROLE;

-- ---------------------------------------------------------------------------
-- 6. Run history is tied to its run's tenant.
-- ---------------------------------------------------------------------------
SET ROLE regress_sec_mallory;
-- No role writes payload or node rows, not even onto its own runs.
SELECT pg_temp.try(format($$INSERT INTO thaiyyal.run_payloads (run_id, tenant, result) VALUES (%s, 'regress_sec_mallory', '{}')$$, :alice_run)) AS plant_payload;
SELECT pg_temp.try(format($$INSERT INTO thaiyyal.run_nodes (run_id, seq, tenant, node_id, node_type, status, duration_us) VALUES (%s, 99, 'regress_sec_mallory', 'x', 'x', 'failed', 0)$$, :alice_run)) AS plant_node;
-- Another tenant's run and a run that does not exist look the same.
RESET thaiyyal.tenant;
SELECT regexp_replace(pg_temp.try(format('SELECT thaiyyal.cancel(%s)', :alice_run)), 'run \d+', 'run <id>') AS cancel_other_tenant;
SELECT pg_temp.try('SELECT thaiyyal.cancel(9999999)') AS cancel_nonexistent;
SELECT regexp_replace(pg_temp.try(format($$SELECT thaiyyal.wait(%s, '0 s')$$, :alice_run)), 'run \d+', 'run <id>') AS wait_other_tenant;
RESET ROLE;
-- Even the owner cannot attach a row to a run under another tenant.
SELECT regexp_replace(pg_temp.try(format($$INSERT INTO thaiyyal.run_nodes (run_id, seq, tenant, node_id, node_type, status, duration_us) VALUES (%s, 99, 'regress_sec_alice', 'x', 'x', 'failed', 0)$$, :mallory_run)), '\(\d+, ', '(<id>, ') AS owner_mismatch;

-- ---------------------------------------------------------------------------
-- 8. No name the caller's search_path can reach is ever resolved by the
--    catalog code, not even when a superuser calls it.
-- ---------------------------------------------------------------------------
CREATE SCHEMA regress_sec_trap AUTHORIZATION regress_sec_mallory;
CREATE TABLE regress_sec_trap_log (fired text);
GRANT INSERT ON regress_sec_trap_log TO regress_sec_mallory;
SET ROLE regress_sec_mallory;
CREATE FUNCTION regress_sec_trap.record(what text) RETURNS boolean LANGUAGE sql
  AS $$ INSERT INTO public.regress_sec_trap_log VALUES (what || ' as ' || current_user); SELECT true $$;
-- Better matches than pg_catalog's for what the catalog code calls.
CREATE FUNCTION regress_sec_trap.nextval(text) RETURNS bigint LANGUAGE sql
  AS $$ SELECT regress_sec_trap.record('nextval'); SELECT 1000000::bigint $$;
CREATE FUNCTION regress_sec_trap.now() RETURNS timestamptz LANGUAGE sql
  AS $$ SELECT regress_sec_trap.record('now'); SELECT pg_catalog.now() $$;
CREATE FUNCTION regress_sec_trap.format(text, text) RETURNS text LANGUAGE sql
  AS $$ SELECT regress_sec_trap.record('format'); SELECT $1 $$;
CREATE FUNCTION regress_sec_trap.texteq(text, text) RETURNS boolean LANGUAGE sql
  AS $$ SELECT regress_sec_trap.record('='); SELECT pg_catalog.texteq($1, $2) $$;
CREATE OPERATOR regress_sec_trap.= (LEFTARG = text, RIGHTARG = text, FUNCTION = regress_sec_trap.texteq);
CREATE FUNCTION regress_sec_trap.int8lt(bigint, integer) RETURNS boolean LANGUAGE sql
  AS $$ SELECT regress_sec_trap.record('<'); SELECT $1 OPERATOR(pg_catalog.<) $2 $$;
CREATE OPERATOR regress_sec_trap.< (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = regress_sec_trap.int8lt);
GRANT USAGE ON SCHEMA regress_sec_trap TO PUBLIC;
RESET ROLE;
-- The superuser works with the trap first on its search_path.
SET search_path = regress_sec_trap, public, pg_catalog;
SET thaiyyal.tenant = 'regress_sec_trap_tenant';
SELECT thaiyyal.save_workflow('t', '{"nodes": [{"id": "n", "type": "number", "data": {"value": 1}}]}') > 0 AS saved;
SELECT thaiyyal.save_workflow('t', '{"nodes": [{"id": "n", "type": "number", "data": {"value": 2}}]}') > 0 AS saved_again;
SELECT (thaiyyal.get_workflow('t')).version AS version;
SELECT thaiyyal.run('t') -> 'final_output' AS output;
SELECT thaiyyal.run('t', version => 1) -> 'final_output' AS output_v1;
SELECT thaiyyal.purge_runs('0 seconds') AS purged;
CALL thaiyyal.purge_runs_in_batches('0 seconds', 1);
SELECT pg_temp.try($$SELECT thaiyyal.schedule('j', '* * * * *', 't')$$) AS schedule;
SELECT thaiyyal.may_act_for('regress_sec_trap_tenant') AS may_act;
SELECT thaiyyal.drop_workflow('t');
RESET thaiyyal.tenant;
RESET search_path;
SELECT count(*) AS trap_fired FROM regress_sec_trap_log;
-- Every PL/pgSQL and SQL function of the extension has a fixed search_path
-- (the one procedure that commits cannot: it qualifies every name and
-- operator instead); the C functions run the caller's SQL nodes with the
-- caller's search_path and their own statements with a fixed one.
SELECT p.oid::regprocedure AS without_fixed_search_path
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'thaiyyal'::regnamespace AND l.lanname IN ('sql', 'plpgsql')
  AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)
ORDER BY 1;

-- ---------------------------------------------------------------------------
-- 9. No ordinary role can lock the shared tables against the workers.
-- ---------------------------------------------------------------------------
SET ROLE regress_sec_mallory;
BEGIN;
SELECT pg_temp.try($$LOCK TABLE thaiyyal.runs IN ACCESS EXCLUSIVE MODE$$) AS lock_runs;
SELECT pg_temp.try($$LOCK TABLE thaiyyal.workflows IN EXCLUSIVE MODE$$) AS lock_workflows;
SELECT pg_temp.try($$LOCK TABLE thaiyyal.run_payloads IN ROW EXCLUSIVE MODE$$) AS lock_payloads;
SELECT pg_temp.try($$SELECT count(*) FROM (SELECT FROM thaiyyal.runs FOR UPDATE) r$$) AS row_locks;
SELECT pg_temp.try($$SELECT count(*) FROM (SELECT FROM thaiyyal.workflow_versions FOR SHARE) r$$) AS share_locks;
ROLLBACK;
SELECT t.relname, has_table_privilege('regress_sec_mallory', t.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') AS any_write
FROM pg_class t WHERE t.relnamespace = 'thaiyyal'::regnamespace AND t.relkind = 'r' ORDER BY 1;
RESET ROLE;

-- ---------------------------------------------------------------------------
-- 12. A SQL node's settings end with the node.
-- ---------------------------------------------------------------------------
SET ROLE regress_sec_mallory;
SET work_mem = '4MB';
SELECT thaiyyal_execute('{"nodes": [{"id": "s", "type": "sql_query", "data": {"query":
  "SELECT set_config(''work_mem'', ''7MB'', false) AS session, set_config(''search_path'', ''nowhere'', true) AS local"}}]}')
  -> 'final_output' -> 'rows' AS inside;
SHOW work_mem;
SHOW search_path;
BEGIN;
SELECT thaiyyal_execute('{"nodes": [{"id": "s", "type": "sql_query", "data": {"query": "SET LOCAL work_mem = ''9MB''"}}]}') IS NOT NULL AS ran;
SHOW work_mem;
COMMIT;
-- A node that names another tenant does not change whose run is recorded.
SET thaiyyal.tenant = 'regress_sec_team';
SELECT thaiyyal.save_workflow('retenant', '{"nodes": [{"id": "s", "type": "sql_query", "data": {"query":
  "SELECT set_config(''thaiyyal.tenant'', ''regress_sec_mallory'', false) AS t"}}]}') > 0 AS saved;
SELECT thaiyyal.run('retenant') -> 'final_output' -> 'rows' AS inside;
SHOW thaiyyal.tenant;
SELECT r.tenant, r.run_by FROM thaiyyal.runs r JOIN thaiyyal.workflows w ON w.id = r.workflow_id
WHERE w.name = 'retenant';
RESET thaiyyal.tenant;
RESET work_mem;
RESET ROLE;

-- Clean up.
DROP SCHEMA regress_sec_trap CASCADE;
DROP TABLE regress_sec_vault, regress_sec_loot, regress_sec_trap_log;
DELETE FROM thaiyyal.workflows WHERE tenant LIKE 'regress_sec%';
DROP ROLE regress_sec_alice, regress_sec_mallory, regress_sec_team;
