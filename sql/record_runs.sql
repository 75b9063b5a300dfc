--
-- thaiyyal.record_runs: which synchronous thaiyyal.run calls leave a run
-- row (all | failed | none), a user setting, tested as an ordinary role
--
\set SHOW_CONTEXT never

\i sql/include/try.psql

CREATE ROLE regress_record;
SET ROLE regress_record;
SELECT thaiyyal.save_workflow('counted', '{"nodes": [
  {"id": "a", "type": "number", "data": {"value": 6}},
  {"id": "b", "type": "number", "data": {"value": 7}},
  {"id": "m", "type": "operation", "data": {"op": "multiply"}}],
  "edges": [{"source": "a", "target": "m"}, {"source": "b", "target": "m"}]}') > 0 AS saved;
SELECT thaiyyal.save_workflow('failing', '{"nodes": [
  {"id": "a", "type": "number", "data": {"value": 1}},
  {"id": "zero", "type": "number", "data": {"value": 0}},
  {"id": "div", "type": "operation", "data": {"op": "divide"}}],
  "edges": [{"source": "a", "target": "div"}, {"source": "zero", "target": "div"}]}') > 0 AS saved;

-- all (the default): every run has its row, its payload row and, with
-- record_nodes = all, its node rows.
SHOW thaiyyal.record_runs;
SET thaiyyal.record_nodes = 'all';
SELECT thaiyyal.run('counted') -> 'final_output' AS output;
SELECT count(*) AS runs, count(p.run_id) AS payloads,
       (SELECT count(*) FROM thaiyyal.run_nodes) AS node_rows
FROM thaiyyal.runs r LEFT JOIN thaiyyal.run_payloads p ON p.run_id = r.id;

-- none: the same Result, no rows of any kind (record_nodes = all included).
SET thaiyyal.record_runs = 'none';
SELECT thaiyyal.run('counted') -> 'final_output' AS output;
SELECT thaiyyal.run('counted', NULL, 1) -> 'final_output' AS output_of_version_1;
SELECT count(*) AS runs, (SELECT count(*) FROM thaiyyal.run_payloads) AS payloads,
       (SELECT count(*) FROM thaiyyal.run_nodes) AS node_rows
FROM thaiyyal.runs;

-- failed: a succeeded run leaves no row; a failed synchronous run raises
-- its error, which rolls back the caller's transaction -- so it leaves none
-- either (queued runs record their failures, in the worker's transaction).
SET thaiyyal.record_runs = 'failed';
SELECT thaiyyal.run('counted') -> 'final_output' AS output;
SELECT pg_temp.try($$SELECT thaiyyal.run('failing')$$) AS failing;
SELECT count(*) AS runs FROM thaiyyal.runs;

-- An unrecorded run writes nothing, so it may run in a read-only
-- transaction; a recorded one is refused there before it starts.
BEGIN READ ONLY;
SELECT thaiyyal.run('counted') -> 'final_output' AS read_only_unrecorded;
COMMIT;
SET thaiyyal.record_runs = 'all';
BEGIN READ ONLY;
SELECT pg_temp.try($$SELECT thaiyyal.run('counted')$$) AS read_only_recorded;
ROLLBACK;

-- Back to all: recorded again.
SELECT thaiyyal.run('counted') -> 'final_output' AS output;
SELECT count(*) AS runs FROM thaiyyal.runs;

-- Only the three values.
SET thaiyyal.record_runs = 'errors';
RESET thaiyyal.record_runs;
RESET thaiyyal.record_nodes;
RESET ROLE;

-- A role default set by an administrator applies at the role's next login
-- like any user setting.
ALTER ROLE regress_record SET thaiyyal.record_runs = 'none';
SELECT setconfig FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
WHERE r.rolname = 'regress_record';

-- Clean up.
DELETE FROM thaiyyal.workflows WHERE tenant = 'regress_record';
DROP ROLE regress_record;
