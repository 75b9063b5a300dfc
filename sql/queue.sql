--
-- The run queue: thaiyyal.enqueue / wait / cancel / schedule and the
-- background workers that execute queued runs. Needs the server started
-- with shared_preload_libraries = 'thaiyyal' and thaiyyal.database naming
-- this database (scripts/test.sh does both).
--
-- Everything runs as an ordinary role (regress_queue, which is also its
-- tenant): superusers may not queue runs (thaiyyal.allow_superuser_runs).
--
\set SHOW_CONTEXT never

\i sql/include/try.psql

CREATE ROLE regress_queue;
CREATE TABLE regress_queue_log (k int PRIMARY KEY, at timestamptz DEFAULT now());
GRANT INSERT, SELECT ON regress_queue_log TO regress_queue;

-- Polls (test harness only) until the run has the status, up to 30 s.
CREATE FUNCTION pg_temp.await_status(run bigint, wanted text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  s text;
BEGIN
  FOR i IN 1..600 LOOP
    SELECT status INTO s FROM thaiyyal.runs WHERE id = run;
    EXIT WHEN s = wanted;
    PERFORM pg_sleep(0.05);
  END LOOP;
  RETURN s;
END
$$;

-- The pool: one launcher and thaiyyal.workers (2) workers, visible in
-- pg_stat_activity by their backend type.
DO $$
BEGIN
  FOR i IN 1..200 LOOP
    EXIT WHEN (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'thaiyyal worker') = 2;
    PERFORM pg_sleep(0.05);
  END LOOP;
END
$$;
SELECT backend_type, count(*) FROM pg_stat_activity
WHERE backend_type LIKE 'thaiyyal%' GROUP BY 1 ORDER BY 1;

SET ROLE regress_queue;

SELECT thaiyyal.save_workflow('double', '{
  "nodes": [
    {"id": "x", "type": "workflow_input", "data": {"field": "x", "default": 21}},
    {"id": "twice", "type": "expression", "data": {"expression": "input * 2"}}],
  "edges": [{"source": "x", "target": "twice"}]}') > 0 AS saved;
SELECT thaiyyal.save_workflow('broken', '{
  "nodes": [{"id": "bad", "type": "expression", "data": {"expression": "1 +"}}]}', force => true) > 0 AS saved;
SELECT thaiyyal.save_workflow('slow', '{
  "nodes": [{"id": "nap", "type": "delay", "data": {"duration": "60s"}}]}') > 0 AS saved;

-- Enqueue, COMMIT (each statement here is its own transaction), wait.
SELECT thaiyyal.enqueue('double', '{"x": 5}') AS run_id \gset
\set first_run_id :run_id
SELECT r.status IN ('queued', 'running', 'succeeded') AS accepted, r.run_by = current_user AS run_by_me
FROM thaiyyal.runs r WHERE r.id = :run_id;
SELECT jsonb_pretty(thaiyyal.wait(:run_id, '30 seconds') - 'result') AS waited;
SELECT thaiyyal.wait(:run_id, '30 seconds') -> 'result' -> 'final_output' AS final_output;
SELECT status, attempts, error_code, worker_pid, lease_expires_at, started_at <= finished_at AS timed
FROM thaiyyal.runs WHERE id = :run_id;
-- The Result is the one thaiyyal.run returns.
SELECT (thaiyyal.wait(:run_id, '1 second') -> 'result') - 'execution_id'
       = thaiyyal.run('double', '{"x": 5}') - 'execution_id' AS same_as_synchronous;

-- A queued run executes the revision it was queued with, even when a new
-- version is saved before a worker gets to it.
BEGIN;
SELECT thaiyyal.enqueue('double', '{"x": 5}') AS pinned_id \gset
SELECT thaiyyal.save_workflow('double', '{
  "nodes": [
    {"id": "x", "type": "workflow_input", "data": {"field": "x", "default": 21}},
    {"id": "thrice", "type": "expression", "data": {"expression": "input * 3"}}],
  "edges": [{"source": "x", "target": "thrice"}]}') > 0 AS saved_version_2;
COMMIT;
SELECT thaiyyal.wait(:pinned_id, '30 seconds') -> 'result' -> 'final_output' AS pinned_output;
SELECT workflow_version FROM thaiyyal.runs WHERE id = :pinned_id;
-- Version 2 from now on; version 1 on request.
SELECT thaiyyal.enqueue('double', '{"x": 5}') AS v2_id \gset
SELECT thaiyyal.wait(:v2_id, '30 seconds') -> 'result' -> 'final_output' AS current_output;
SELECT thaiyyal.enqueue('double', '{"x": 5}', version => 1) AS v1_id \gset
SELECT thaiyyal.wait(:v1_id, '30 seconds') -> 'result' -> 'final_output' AS version_1_output;
SELECT pg_temp.try($$SELECT thaiyyal.enqueue('double', version => 7)$$) AS no_such_version;

-- The default input.
SELECT thaiyyal.enqueue('double') AS run_id \gset
SELECT thaiyyal.wait(:run_id, '30 seconds') -> 'result' -> 'final_output' AS final_output;

-- A node failure: status failed, the error as thaiyyal.run reports it, and
-- (thaiyyal.record_nodes = errors, the default) the node rows.
SELECT thaiyyal.enqueue('broken') AS run_id \gset
SELECT jsonb_pretty(thaiyyal.wait(:run_id, '30 seconds') #- '{result,execution_id}') AS waited;
SELECT status, error_code, attempts FROM thaiyyal.runs WHERE id = :run_id;
SELECT error ->> 'detail' AS detail FROM thaiyyal.run_payloads WHERE run_id = :run_id;
SELECT node_id, node_type, status FROM thaiyyal.run_nodes WHERE run_id = :run_id ORDER BY seq;
-- Retried on its pinned revision: it fails again; attempts go on counting
-- (thaiyyal.max_attempts counts from the retry) and the node rows of each
-- attempt stay (sql/durable.sql: what a retry reuses).
SELECT thaiyyal.retry(:run_id) = :run_id AS retried;
SELECT thaiyyal.wait(:run_id, '30 seconds') ->> 'status' AS retried_status;
SELECT status, error_code, attempts FROM thaiyyal.runs WHERE id = :run_id;
SELECT count(*) AS node_rows FROM thaiyyal.run_nodes WHERE run_id = :run_id;
SELECT regexp_replace(pg_temp.try(format('SELECT thaiyyal.retry(%s)', :first_run_id)), 'run \d+', 'run <id>') AS retry_succeeded_run;

-- Idempotency: the same key returns the same run.
SELECT thaiyyal.enqueue('double', '{"x": 1}', idempotency_key => 'order-17') AS first_id \gset
SELECT thaiyyal.enqueue('double', '{"x": 2}', idempotency_key => 'order-17') = :first_id AS same_run;
SELECT thaiyyal.wait(:first_id, '30 seconds') -> 'result' -> 'final_output' AS first_input_wins;

-- Waiting inside the enqueuing transaction could only time out: refused.
BEGIN;
SELECT thaiyyal.enqueue('double') AS run_id \gset
SELECT regexp_replace(pg_temp.try(format('SELECT thaiyyal.wait(%s, ''1 second'')', :run_id)),
                      'run \d+', 'run <id>') AS refused;
ROLLBACK;

-- A timeout returns the current status without result or error.
SELECT thaiyyal.enqueue('double', run_at => now() + interval '1 hour') AS later_id \gset
SELECT thaiyyal.wait(:later_id, '50 milliseconds') AS timed_out;

-- Cancelling a queued run: it never starts.
SELECT thaiyyal.cancel(:later_id) AS cancelled;
SELECT status, started_at IS NULL AS never_started, finished_at IS NOT NULL AS finished
FROM thaiyyal.runs WHERE id = :later_id;
SELECT thaiyyal.wait(:later_id, '1 second') AS waited;
SELECT thaiyyal.cancel(:later_id) AS cancelled_again;

-- Cancelling a running run: it stops in its 60 s delay.
SELECT thaiyyal.enqueue('slow') AS slow_id \gset
SELECT pg_temp.await_status(:slow_id, 'running') AS status;
-- pg_stat_activity shows the worker's run and node (it reports the node a
-- moment after the claim: wait for it).
CREATE FUNCTION pg_temp.activity_of(run bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  line text;
BEGIN
  FOR i IN 1..200 LOOP
    PERFORM pg_stat_clear_snapshot();
    SELECT regexp_replace(query, 'run \d+', 'run <id>') INTO line FROM pg_stat_activity
    WHERE backend_type = 'thaiyyal worker' AND query LIKE format('thaiyyal run %s %%node nap%%', run);
    EXIT WHEN line IS NOT NULL;
    PERFORM pg_sleep(0.05);
  END LOOP;
  RETURN line;
END
$$;
RESET ROLE;  -- the worker's query text is visible to superusers and itself
SELECT pg_temp.activity_of(:slow_id) AS worker_activity;
SET ROLE regress_queue;
SELECT thaiyyal.cancel(:slow_id) AS cancelled;
SELECT thaiyyal.wait(:slow_id, '10 seconds') ->> 'status' AS status;
SELECT status, finished_at - started_at < interval '10 seconds' AS stopped_early
FROM thaiyyal.runs WHERE id = :slow_id;

-- Errors.
SELECT pg_temp.try($$SELECT thaiyyal.enqueue('no such workflow')$$);
SELECT pg_temp.try($$SELECT thaiyyal.enqueue(NULL)$$);
SELECT pg_temp.try($$SELECT thaiyyal.wait(-1, '1 second')$$);
SELECT pg_temp.try($$SELECT thaiyyal.wait(NULL, '1 second')$$);
SELECT pg_temp.try($$SELECT thaiyyal.wait(1, '-1 second')$$);
SELECT pg_temp.try($$SELECT thaiyyal.cancel(-1)$$);
SELECT pg_temp.try($$SELECT thaiyyal.retry(-1)$$);
SELECT pg_temp.try($$SELECT thaiyyal.enqueue('double', priority => 101)$$) AS priority_too_high;
SELECT pg_temp.try($$SELECT thaiyyal.enqueue('double', priority => -101)$$) AS priority_too_low;
RESET ROLE;
CREATE ROLE regress_queue_other;
SET ROLE regress_queue_other;
SET thaiyyal.tenant = 'regress_queue';
SELECT pg_temp.try($$SELECT thaiyyal.enqueue('double')$$);
RESET thaiyyal.tenant;
RESET ROLE;
-- A superuser may not queue runs (they would execute whatever a member of
-- the tenant saves, as superuser) unless an administrator allows it.
SET thaiyyal.tenant = 'regress_queue';
SELECT pg_temp.try($$SELECT thaiyyal.enqueue('double')$$) AS superuser_refused;
RESET thaiyyal.tenant;
SET ROLE regress_queue;

-- pg_cron is not installed in this database: a clear error.
SELECT pg_temp.try($$SELECT thaiyyal.schedule('nightly', '0 3 * * *', 'double')$$);
SELECT pg_temp.try($$SELECT thaiyyal.unschedule('nightly')$$);

-- A queued run executes as the role that queued it: one without SELECT on
-- a table cannot read it through a queued run; with the grant it can. SQL
-- nodes see the run's tenant in thaiyyal.tenant.
RESET ROLE;
CREATE TABLE regress_queue_secret (id int, secret text);
INSERT INTO regress_queue_secret VALUES (1, 'the password');
CREATE ROLE regress_queue_low;
SET ROLE regress_queue_low;
SELECT thaiyyal.save_workflow('peek', '{
  "nodes": [{"id": "q", "type": "sql_query", "data": {"query":
    "SELECT current_user AS who, current_setting(''thaiyyal.tenant'') AS tenant, (SELECT secret FROM regress_queue_secret) AS secret"}}]}') > 0 AS saved;
SELECT thaiyyal.enqueue('peek') AS peek_id \gset
SELECT jsonb_pretty(thaiyyal.wait(:peek_id, '30 seconds') - 'result') AS denied;
SELECT pg_temp.try($$SELECT thaiyyal.run('peek')$$) AS denied_synchronously_too;
RESET ROLE;
GRANT SELECT ON regress_queue_secret TO regress_queue_low;
SET ROLE regress_queue_low;
SELECT thaiyyal.enqueue('peek') AS peek_id \gset
SELECT thaiyyal.wait(:peek_id, '30 seconds') -> 'result' -> 'final_output' -> 'rows' AS allowed;
-- Nobody can queue or re-queue a run through the tables: no role but the
-- owner writes them.
SELECT pg_temp.try(format($$INSERT INTO thaiyyal.runs (workflow_id, workflow_version, run_by_role)
  SELECT id, 1, 10 FROM thaiyyal.workflows WHERE name = 'peek'$$));
SELECT pg_temp.try($$UPDATE thaiyyal.runs SET status = 'queued'$$);
RESET ROLE;
SET ROLE regress_queue;

-- SQL nodes of a queued run commit their writes.
SELECT thaiyyal.save_workflow('log', '{
  "nodes": [
    {"id": "in", "type": "workflow_input"},
    {"id": "w", "type": "sql_query", "data": {"query": "INSERT INTO regress_queue_log (k) VALUES ($1)", "params": ["input.k"]}}],
  "edges": [{"source": "in", "target": "w"}]}') > 0 AS saved;
SELECT count(thaiyyal.enqueue('log', jsonb_build_object('k', k))) AS queued FROM generate_series(1, 20) k;
DO $$
BEGIN
  FOR i IN 1..600 LOOP
    EXIT WHEN NOT EXISTS (SELECT FROM thaiyyal.runs WHERE status IN ('queued', 'running'));
    PERFORM pg_sleep(0.05);
  END LOOP;
END
$$;
SELECT count(*) AS rows_written, count(DISTINCT k) AS distinct_keys FROM regress_queue_log;

-- Queue statistics per workflow.
SELECT workflow, queued, running, succeeded_last_hour, failed_last_hour, cancelled_last_hour
FROM thaiyyal.queue_stats ORDER BY workflow;

-- Within a tenant, workers claim in priority order, then oldest first,
-- through the partial queue index.
RESET ROLE;
SET enable_seqscan = off;
SET enable_sort = off;
EXPLAIN (COSTS OFF)
SELECT r.id FROM thaiyyal.runs r
WHERE r.tenant = 'regress_queue' AND r.status = 'queued' AND r.run_at <= now()
ORDER BY r.priority DESC, r.run_at, r.id
LIMIT 1 FOR UPDATE SKIP LOCKED;
RESET enable_seqscan;
RESET enable_sort;

DROP TABLE regress_queue_log, regress_queue_secret;
DELETE FROM thaiyyal.workflows WHERE tenant IN ('regress_queue', 'regress_queue_low');
DROP OWNED BY regress_queue, regress_queue_low, regress_queue_other;
DROP ROLE regress_queue, regress_queue_low, regress_queue_other;
