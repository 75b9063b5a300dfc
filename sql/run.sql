--
-- thaiyyal.run: stored workflows, run input, the plan cache, run recording,
-- transaction semantics and retention
--
\set SHOW_CONTEXT never
SET thaiyyal.tenant = 'regress_run';

\i sql/include/try.psql

-- Differences of the plan cache counters since the last call.
CREATE TEMP TABLE last_stats AS SELECT * FROM thaiyyal.plan_cache_stats();
CREATE FUNCTION pg_temp.cache_delta(OUT hits bigint, OUT misses bigint)
LANGUAGE plpgsql AS $$
DECLARE
  now_stats record;
BEGIN
  SELECT * INTO now_stats FROM thaiyyal.plan_cache_stats();
  SELECT now_stats.hits - l.hits, now_stats.misses - l.misses INTO hits, misses FROM last_stats l;
  UPDATE last_stats SET hits = now_stats.hits, misses = now_stats.misses;
END
$$;

-- A parameterized workflow: context values overridden by input keys of the
-- same name, and a workflow_input node.
SELECT thaiyyal.save_workflow('quote', '{
  "workflow_id": "quote",
  "nodes": [
    {"id": "settings", "type": "context_constant", "data": {"context_values": [
        {"name": "rate", "value": 0.2, "type": "number"},
        {"name": "currency", "value": "EUR", "type": "string"}]}},
    {"id": "qty", "type": "workflow_input", "data": {"field": "quantity", "default": 1}},
    {"id": "price", "type": "workflow_input", "data": {"field": "unit_price", "required": true}},
    {"id": "net", "type": "operation", "data": {"op": "multiply"}},
    {"id": "total", "type": "expression", "data": {"expression": "input * (1 + context.rate)"}}],
  "edges": [
    {"source": "qty", "target": "net"}, {"source": "price", "target": "net"},
    {"source": "net", "target": "total"}]}') > 0 AS saved;

SELECT thaiyyal.run('quote', '{"quantity": 3, "unit_price": 10}') -> 'final_output' AS total;
SELECT thaiyyal.run('quote', '{"quantity": 3, "unit_price": 10, "rate": "0.5"}') -> 'final_output' AS total_rate_overridden;
SELECT thaiyyal.run('quote', '{"unit_price": 10}') -> 'node_results' -> 'qty' AS qty_default;
SELECT pg_temp.try($$SELECT thaiyyal.run('quote', '{"quantity": 3}')$$) AS missing_required;
SELECT pg_temp.try($$SELECT thaiyyal.run('quote')$$) AS no_input;
SELECT pg_temp.try($$SELECT thaiyyal.run('quote', '{"unit_price": 1, "rate": "high"}')$$) AS bad_override;

-- The Result is thaiyyal_execute's for the same definition and input.
SELECT (thaiyyal.run('quote', '{"quantity": 2, "unit_price": 5}') - 'execution_id')
     = (thaiyyal_execute((SELECT definition FROM thaiyyal.get_workflow('quote')),
                         '{"quantity": 2, "unit_price": 5}') - 'execution_id') AS same_result;
SELECT jsonb_pretty(thaiyyal.run('quote', '{"quantity": 2, "unit_price": 5}') - 'execution_id');

-- The plan cache: a hit per run, the definition is compiled once.
SELECT * FROM pg_temp.cache_delta();
SELECT thaiyyal.run('quote', '{"unit_price": 1}') -> 'final_output' AS run1,
       thaiyyal.run('quote', '{"unit_price": 2}') -> 'final_output' AS run2;
SELECT * FROM pg_temp.cache_delta();
-- Saving a new version is a miss (new revision), then hits again.
SELECT thaiyyal.save_workflow('quote', (SELECT jsonb_set(definition, '{nodes,0,data,context_values,0,value}', '1')
                                        FROM thaiyyal.get_workflow('quote'))) > 0 AS saved_v2;
SELECT thaiyyal.run('quote', '{"unit_price": 10}') -> 'final_output' AS with_rate_1;
SELECT thaiyyal.run('quote', '{"unit_price": 10}') -> 'final_output' AS again;
SELECT * FROM pg_temp.cache_delta();
-- A save that is rolled back and redone with another definition (the same
-- version number) must not run the plan of the rolled-back definition.
BEGIN;
SELECT thaiyyal.save_workflow('quote', '{"nodes": [{"id": "n", "type": "text_input", "data": {"text": "rolled back"}}]}') > 0 AS saved;
SELECT version FROM thaiyyal.get_workflow('quote');
SELECT thaiyyal.run('quote') -> 'final_output' AS inside;
ROLLBACK;
SELECT thaiyyal.save_workflow('quote', '{"nodes": [{"id": "n", "type": "text_input", "data": {"text": "redone"}}]}') > 0 AS saved;
SELECT version FROM thaiyyal.get_workflow('quote');
SELECT thaiyyal.run('quote') -> 'final_output' AS after_redo;
SELECT * FROM pg_temp.cache_delta();
-- thaiyyal.plan_cache_size = 0 disables the cache.
SET thaiyyal.plan_cache_size = 0;
SELECT thaiyyal.run('quote') -> 'final_output' AS uncached;
SELECT thaiyyal.run('quote') -> 'final_output' AS uncached;
SELECT * FROM pg_temp.cache_delta();
SELECT plans FROM thaiyyal.plan_cache_stats();
RESET thaiyyal.plan_cache_size;

-- Run recording: one row in runs, its input and Result in run_payloads.
SELECT thaiyyal.save_workflow('recorded', '{
  "nodes": [
    {"id": "in", "type": "workflow_input"},
    {"id": "len", "type": "expression", "data": {"expression": "input.length"}}],
  "edges": [{"source": "in", "target": "len"}]}') > 0 AS saved;
SELECT thaiyyal.run('recorded', '[1, 2, 3]') -> 'final_output' AS len;
SELECT r.status, r.attempts, r.workflow_version, r.tenant, r.run_by = CURRENT_USER AS run_by_me,
       r.started_at <= r.finished_at AS timed, r.created_at = r.started_at AS created_at_start,
       r.error_code, r.priority, r.run_at = r.created_at AS due_at_creation, r.idempotency_key, r.worker_pid, r.lease_expires_at,
       p.input, p.result - 'execution_id' AS result, p.error
FROM thaiyyal.runs r JOIN thaiyyal.run_payloads p ON p.run_id = r.id
JOIN thaiyyal.workflows w ON w.id = r.workflow_id
WHERE w.name = 'recorded' AND w.tenant = 'regress_run';
-- Per-node rows: thaiyyal.record_nodes = none | errors (default) | all.
SHOW thaiyyal.record_nodes;
SET thaiyyal.record_nodes = 'all';
SELECT thaiyyal.run('recorded', '"abcd"') -> 'final_output' AS len;
SELECT n.seq, n.node_id, n.node_type, n.status, n.duration_us >= 0 AS timed, n.output, n.error
FROM thaiyyal.run_nodes n
WHERE n.run_id = (SELECT max(id) FROM thaiyyal.runs WHERE tenant = 'regress_run')
ORDER BY n.seq;
SET thaiyyal.record_nodes = 'none';
SELECT thaiyyal.run('recorded', '[]') -> 'final_output' AS len;
SELECT count(*) AS node_rows
FROM thaiyyal.run_nodes n
WHERE n.run_id = (SELECT max(id) FROM thaiyyal.runs WHERE tenant = 'regress_run');
SET thaiyyal.record_nodes = 'some';
RESET thaiyyal.record_nodes;
SELECT count(*) AS runs_of_recorded FROM thaiyyal.runs r JOIN thaiyyal.workflows w ON w.id = r.workflow_id
WHERE w.name = 'recorded';

-- A failing run raises the error thaiyyal_execute raises and records
-- nothing: the ERROR rolls back the caller's transaction, run row included.
SELECT thaiyyal.save_workflow('failing', '{
  "nodes": [
    {"id": "a", "type": "number", "data": {"value": 1}},
    {"id": "zero", "type": "number", "data": {"value": 0}},
    {"id": "div", "type": "operation", "data": {"op": "divide"}}],
  "edges": [{"source": "a", "target": "div"}, {"source": "zero", "target": "div"}]}') > 0 AS saved;
SELECT pg_temp.try($$SELECT thaiyyal.run('failing')$$) AS run_error;
SELECT pg_temp.try($$SELECT thaiyyal.run('failing')$$)
     = pg_temp.try(format('SELECT thaiyyal_execute(%L)', (SELECT definition FROM thaiyyal.get_workflow('failing'))))
  AS same_as_execute;
SELECT count(*) AS failing_runs FROM thaiyyal.runs r JOIN thaiyyal.workflows w ON w.id = r.workflow_id
WHERE w.name = 'failing';

-- Transaction semantics: the run's writes belong to the caller's
-- transaction. A workflow that writes and then fails leaves nothing behind.
CREATE TABLE regress_run_log (id serial PRIMARY KEY, message text);
SELECT thaiyyal.save_workflow('write_then_fail', '{
  "nodes": [
    {"id": "in", "type": "workflow_input"},
    {"id": "log", "type": "sql_query", "data": {
        "query": "INSERT INTO regress_run_log (message) VALUES ($1) RETURNING message",
        "params": ["input.message"]}},
    {"id": "check", "type": "condition", "data": {"condition": "input.count > 5"}},
    {"id": "fail", "type": "operation", "data": {"op": "divide"}}],
  "edges": [
    {"source": "in", "target": "log"}, {"source": "log", "target": "check"},
    {"source": "check", "target": "fail", "sourceHandle": "false"}]}') > 0 AS saved;
SELECT pg_temp.try($$SELECT thaiyyal.run('write_then_fail', '{"message": "first"}')$$) AS failed_run;
SELECT count(*) AS logged FROM regress_run_log;
-- In an explicit transaction the error aborts it; ROLLBACK undoes earlier
-- statements too.
BEGIN;
INSERT INTO regress_run_log (message) VALUES ('before the run');
SELECT thaiyyal.run('write_then_fail', '{"message": "second"}');
SELECT 1;
ROLLBACK;
SELECT count(*) AS logged FROM regress_run_log;
-- A caller that catches the error (a savepoint) keeps its own work; the
-- run's writes are gone.
DO $$
BEGIN
  INSERT INTO regress_run_log (message) VALUES ('kept');
  BEGIN
    PERFORM thaiyyal.run('write_then_fail', '{"message": "third"}');
  EXCEPTION WHEN SQLSTATE 'TH001' THEN
    RAISE NOTICE 'caught: %', SQLERRM;
  END;
  INSERT INTO regress_run_log (message) VALUES ('after the failed run');
END
$$;
SELECT message FROM regress_run_log ORDER BY id;
-- A succeeding run's writes commit with the caller.
SELECT thaiyyal.save_workflow('write_ok', '{
  "nodes": [
    {"id": "in", "type": "workflow_input"},
    {"id": "log", "type": "sql_query", "data": {
        "query": "INSERT INTO regress_run_log (message) VALUES ($1) RETURNING message",
        "params": ["input.message"]}}],
  "edges": [{"source": "in", "target": "log"}]}') > 0 AS saved;
BEGIN;
SELECT thaiyyal.run('write_ok', '{"message": "committed"}') -> 'final_output' AS output;
SELECT thaiyyal.run('write_ok', '{"message": "also committed"}') -> 'final_output' -> 'count' AS count;
COMMIT;
BEGIN;
SELECT thaiyyal.run('write_ok', '{"message": "rolled back"}') -> 'final_output' -> 'count' AS count;
ROLLBACK;
SELECT message FROM regress_run_log ORDER BY id;
SELECT count(*) AS write_ok_runs FROM thaiyyal.runs r JOIN thaiyyal.workflows w ON w.id = r.workflow_id
WHERE w.name = 'write_ok';

-- The time limit: TH002, as thaiyyal_execute.
SELECT thaiyyal.save_workflow('slow', '{"nodes": [{"id": "d", "type": "delay", "data": {"duration": "2s"}}]}') > 0 AS saved;
SET thaiyyal.max_execution_time = '50ms';
SELECT pg_temp.try($$SELECT thaiyyal.run('slow')$$) AS timeout;
RESET thaiyyal.max_execution_time;

-- A read-only transaction: thaiyyal.run records the run, so it refuses to
-- start (thaiyyal_execute runs, and its SQL nodes may read).
BEGIN TRANSACTION READ ONLY;
SELECT pg_temp.try($$SELECT thaiyyal.run('recorded', '[1]')$$) AS read_only;
SELECT thaiyyal_execute('{"nodes": [{"id": "q", "type": "sql_query", "data": {"query": "SELECT 1 AS one"}}]}')
       -> 'final_output' AS execute_read_only;
ROLLBACK;

-- thaiyyal_execute takes a run input too.
SELECT thaiyyal_execute('{"nodes": [{"id": "in", "type": "workflow_input", "data": {"field": "x"}}]}',
                        '{"x": {"y": [1, 2]}}') -> 'final_output' AS execute_input;
SELECT thaiyyal_execute('{"nodes": [{"id": "in", "type": "workflow_input", "data": {"default": "none"}}]}')
       -> 'final_output' AS execute_no_input;
SELECT thaiyyal_execute(NULL, '{}') IS NULL AS null_payload;

-- Retention: purge_runs deletes finished runs older than the interval, in
-- batches, with their payloads and node rows.
SELECT count(*) AS runs, count(*) FILTER (WHERE finished_at < now() - interval '1 day') AS old
FROM thaiyyal.runs WHERE tenant = 'regress_run';
UPDATE thaiyyal.runs SET finished_at = finished_at - interval '40 days'
WHERE id IN (SELECT id FROM thaiyyal.runs WHERE tenant = 'regress_run' ORDER BY id LIMIT 5);
SELECT thaiyyal.purge_runs('30 days', 2) AS purged;
SELECT thaiyyal.purge_runs('30 days') AS purged_again;
SELECT count(*) AS runs_left, count(*) FILTER (WHERE finished_at < now() - interval '30 days') AS old_left
FROM thaiyyal.runs WHERE tenant = 'regress_run';
SELECT count(*) AS orphan_payloads FROM thaiyyal.run_payloads p
WHERE NOT EXISTS (SELECT FROM thaiyyal.runs r WHERE r.id = p.run_id);
SELECT pg_temp.try($$SELECT thaiyyal.purge_runs('1 day', 0)$$);
-- The committing variant (for pg_cron: CALL outside a transaction block).
UPDATE thaiyyal.runs SET finished_at = finished_at - interval '40 days'
WHERE id IN (SELECT id FROM thaiyyal.runs WHERE tenant = 'regress_run' ORDER BY id LIMIT 3);
CALL thaiyyal.purge_runs_in_batches('30 days', 2);
BEGIN;
CALL thaiyyal.purge_runs_in_batches('30 days', 2);
ROLLBACK;

-- Clean up.
SELECT thaiyyal.drop_workflow(name) FROM thaiyyal.workflow_list ORDER BY name;
DROP TABLE regress_run_log;

-- DROP / CREATE EXTENSION in one session: ids and revisions start again at
-- 1 in new tables, so the second "again" (id 1, revision 1 too) must not
-- run the plan cached for the first.
DROP EXTENSION thaiyyal;
CREATE EXTENSION thaiyyal;
SELECT thaiyyal.save_workflow('again', '{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "first"}}]}') AS id;
SELECT thaiyyal.run('again') -> 'final_output' AS output;
DROP EXTENSION thaiyyal;
CREATE EXTENSION thaiyyal;
SELECT thaiyyal.save_workflow('again', '{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "second"}}]}') AS id;
SELECT revision FROM thaiyyal.get_workflow('again');
SELECT thaiyyal.run('again') -> 'final_output' AS output;
SELECT thaiyyal.drop_workflow('again');
RESET thaiyyal.tenant;
