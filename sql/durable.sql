--
-- Durable queued runs (docs/DURABLE_RUNS.md): checkpoints, exactly-once SQL
-- steps, retry from the last checkpoint or from a node, fork, retry_runs.
-- Needs the workers (see sql/queue.sql). Everything that queues runs is done
-- as an ordinary role, regress_durable (its own tenant).
--
\set SHOW_CONTEXT never

\i sql/include/try.psql

CREATE ROLE regress_durable;
CREATE ROLE regress_durable_other;
-- Node rows of every attempt, so that restored nodes can be seen.
ALTER ROLE regress_durable SET thaiyyal.record_nodes = 'all';
CREATE TABLE regress_durable_rows (k int, note text);
CREATE TABLE regress_durable_gate (open int);
GRANT SELECT, INSERT, DELETE ON regress_durable_rows, regress_durable_gate TO regress_durable;

SET ROLE regress_durable;

-- stamp reads the clock; w inserts the input's rows; gate divides by the
-- number of rows in regress_durable_gate, so it fails while that is empty.
SELECT thaiyyal.save_workflow('load', '{
  "nodes": [
    {"id": "stamp", "type": "expression", "data": {"expression": "now()"}},
    {"id": "in", "type": "workflow_input"},
    {"id": "w", "type": "sql_batch", "data": {"table": "regress_durable_rows", "mode": "insert"}},
    {"id": "gate", "type": "sql_query",
     "data": {"query": "SELECT 100 / count(*) AS ok FROM regress_durable_gate"}}],
  "edges": [{"source": "in", "target": "stamp"}, {"source": "in", "target": "w"},
            {"source": "w", "target": "gate"}, {"source": "stamp", "target": "gate"}]}') > 0 AS saved;

-- The first attempt: w commits its rows (with its checkpoint), gate fails.
SELECT thaiyyal.enqueue('load', '[{"k": 1}, {"k": 2}, {"k": 3}]') AS run_id \gset
SELECT thaiyyal.wait(:run_id, '30 seconds') ->> 'status' AS first_attempt;
SELECT count(*) AS rows_written FROM regress_durable_rows;
SELECT count(*) > 0 AS has_checkpoints, min(attempt) AS attempt
FROM thaiyyal.run_checkpoints WHERE run_id = :run_id;

-- Retried once gate can pass: the run resumes after its last checkpoint.
-- w is restored, not executed: its rows exist once. stamp is restored with
-- the time it read the first time.
INSERT INTO regress_durable_gate VALUES (1);
SELECT thaiyyal.retry(:run_id) = :run_id AS retried;
SELECT thaiyyal.wait(:run_id, '30 seconds') -> 'result' -> 'final_output' AS resumed_output;
SELECT count(*) AS rows_still FROM regress_durable_rows;
SELECT attempt, node_id, status FROM thaiyyal.run_nodes WHERE run_id = :run_id ORDER BY seq;
SELECT count(DISTINCT output) AS stamps_seen FROM thaiyyal.run_nodes
WHERE run_id = :run_id AND node_id = 'stamp';
SELECT status, attempts, error_code FROM thaiyyal.runs WHERE id = :run_id;

-- Only failed or cancelled runs are retried; finished runs are forked.
SELECT regexp_replace(pg_temp.try(format('SELECT thaiyyal.retry(%s)', :run_id)), 'run \d+', 'run <id>')
  AS retry_succeeded;

-- fork from w: a new run in which w and gate execute again (three more
-- rows), stamp is reused.
SELECT thaiyyal.fork(:run_id, 'w') AS fork_w \gset
SELECT :fork_w <> :run_id AS new_run;
SELECT thaiyyal.wait(:fork_w, '30 seconds') ->> 'status' AS fork_w_status;
SELECT count(*) AS rows_after_fork_w FROM regress_durable_rows;
SELECT node_id, status FROM thaiyyal.run_nodes WHERE run_id = :fork_w ORDER BY seq;
-- fork from gate: w is reused, no rows are written.
SELECT thaiyyal.fork(:run_id, 'gate') AS fork_gate \gset
SELECT thaiyyal.wait(:fork_gate, '30 seconds') ->> 'status' AS fork_gate_status;
SELECT count(*) AS rows_after_fork_gate FROM regress_durable_rows;

-- fork onto a newer version: the changed gate executes (and so does stamp,
-- the node named); w, unchanged, is reused.
SELECT thaiyyal.save_workflow('load', '{
  "nodes": [
    {"id": "stamp", "type": "expression", "data": {"expression": "now()"}},
    {"id": "in", "type": "workflow_input"},
    {"id": "w", "type": "sql_batch", "data": {"table": "regress_durable_rows", "mode": "insert"}},
    {"id": "gate", "type": "sql_query",
     "data": {"query": "SELECT 200 / count(*) AS ok FROM regress_durable_gate"}}],
  "edges": [{"source": "in", "target": "stamp"}, {"source": "in", "target": "w"},
            {"source": "w", "target": "gate"}, {"source": "stamp", "target": "gate"}]}') > 0 AS saved_version_2;
SELECT thaiyyal.fork(:run_id, 'stamp', revision => 2) AS fork_v2 \gset
SELECT thaiyyal.wait(:fork_v2, '30 seconds') -> 'result' -> 'final_output' AS fork_v2_output;
SELECT workflow_version FROM thaiyyal.runs WHERE id = :fork_v2;
SELECT count(*) AS rows_after_fork_v2 FROM regress_durable_rows;
SELECT node_id, status FROM thaiyyal.run_nodes WHERE run_id = :fork_v2 ORDER BY seq;
SELECT regexp_replace(pg_temp.try(format('SELECT thaiyyal.fork(%s, %L, revision => 9)', :run_id, 'w')), 'run \d+', 'run <id>')
  AS fork_unknown_version;
-- A new input: the statements that see it differ and execute.
SELECT thaiyyal.fork(:run_id, 'gate', input => '[{"k": 4}]') AS fork_input \gset
SELECT thaiyyal.wait(:fork_input, '30 seconds') ->> 'status' AS fork_input_status;
SELECT k FROM regress_durable_rows WHERE k = 4;

-- retry_runs: every failed run of the workflow since a time, in one call.
DELETE FROM regress_durable_gate;
SELECT clock_timestamp() AS since \gset
SELECT thaiyyal.enqueue('load', '[{"k": 10}]') AS f1 \gset
SELECT thaiyyal.enqueue('load', '[{"k": 11}]') AS f2 \gset
SELECT thaiyyal.wait(:f1, '30 seconds') ->> 'status' AS f1_status,
       thaiyyal.wait(:f2, '30 seconds') ->> 'status' AS f2_status;
SELECT regexp_replace(pg_temp.try(format('SELECT thaiyyal.retry(%s, %L)', :f1, 'nope')), 'run \d+', 'run <id>')
  AS retry_unknown_node;
INSERT INTO regress_durable_gate VALUES (1);
SELECT thaiyyal.retry_runs('load', :'since') AS retried_runs;
SELECT thaiyyal.wait(:f1, '30 seconds') ->> 'status' AS f1_retried,
       thaiyyal.wait(:f2, '30 seconds') ->> 'status' AS f2_retried;
SELECT k, count(*) FROM regress_durable_rows WHERE k >= 10 GROUP BY k ORDER BY k;
SELECT thaiyyal.retry_runs('load', :'since') AS nothing_left;
SELECT pg_temp.try($$SELECT thaiyyal.retry_runs('load', now(), 'succeeded')$$) AS bad_status;
SELECT pg_temp.try($$SELECT thaiyyal.retry_runs('nope', now())$$) AS unknown_workflow;

-- Another role (another tenant) sees none of it and can do none of it.
SET ROLE regress_durable_other;
SELECT count(*) AS visible_checkpoints FROM thaiyyal.run_checkpoints;
SELECT regexp_replace(pg_temp.try(format('SELECT thaiyyal.fork(%s, %L)', :run_id, 'w')), 'run \d+', 'run <id>')
  AS fork_foreign_run;
SELECT regexp_replace(pg_temp.try(format('SELECT thaiyyal.retry(%s)', :f1)), 'run \d+', 'run <id>')
  AS retry_foreign_run;
-- Nobody writes checkpoints but the extension.
SET ROLE regress_durable;
SELECT pg_temp.try(format('INSERT INTO thaiyyal.run_checkpoints VALUES (%s, 99, %L, 1, %L)',
                          :run_id, 'regress_durable', '\x00')) AS forge_checkpoint;
SELECT pg_temp.try(format('DELETE FROM thaiyyal.run_checkpoints WHERE run_id = %s', :run_id))
  AS drop_checkpoints;

-- Retention: a run's checkpoints go with it.
RESET ROLE;
DELETE FROM thaiyyal.runs WHERE id = :run_id;
SELECT count(*) AS orphaned_checkpoints FROM thaiyyal.run_checkpoints WHERE run_id = :run_id;

RESET ROLE;
DELETE FROM thaiyyal.runs WHERE tenant = 'regress_durable';
DELETE FROM thaiyyal.workflows WHERE tenant = 'regress_durable';
DROP TABLE regress_durable_rows, regress_durable_gate;
DROP ROLE regress_durable;
DROP ROLE regress_durable_other;
