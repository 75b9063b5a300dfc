--
-- Cumulative statistics (thaiyyal.stat_workflows, stat_nodes, stat_info,
-- stat_reset), thaiyyal.track / track_max, their visibility by tenancy, and
-- the slow-run log (thaiyyal.log_min_duration). Needs the library preloaded
-- (shared memory); queued runs need the background workers serving this
-- database (scripts/test.sh does both). Times vary: only their relations
-- are shown.
--
\set SHOW_CONTEXT never

\i sql/include/try.psql

CREATE ROLE regress_stat_a;
CREATE ROLE regress_stat_b;
CREATE ROLE regress_stat_reader IN ROLE pg_read_all_stats;
CREATE TABLE regress_stat_items (id int PRIMARY KEY, name text);
INSERT INTO regress_stat_items VALUES (1, 'one'), (2, 'two'), (3, 'three');
GRANT SELECT, INSERT, UPDATE ON regress_stat_items TO regress_stat_a;
CREATE TEMP TABLE payloads (name text PRIMARY KEY, payload jsonb);
GRANT SELECT ON payloads TO regress_stat_a;

SELECT thaiyyal.stat_reset();
SHOW thaiyyal.track;
SHOW thaiyyal.node_timing_sample_rate;
-- Every run's nodes timed, so that the counts below do not depend on chance.
SET thaiyyal.node_timing_sample_rate = 1;

-- Ordinary roles may neither reset nor change what is tracked or logged.
SET ROLE regress_stat_a;
SELECT pg_temp.try('SELECT thaiyyal.stat_reset()') AS reset;
SELECT pg_temp.try($$SELECT set_config('thaiyyal.track', 'none', false)$$) AS track;
SELECT pg_temp.try($$SELECT set_config('thaiyyal.log_min_duration', '0', false)$$) AS log;
SELECT pg_temp.try($$SELECT set_config('thaiyyal.node_timing_sample_rate', '0', false)$$) AS rate;

-- A payload run three times (one compile, two plan-cache hits), one that
-- fails in a node (TH001) and one that exceeds the time limit (TH002,
-- set by the superuser below): failures count even when the caller's
-- transaction rolls back.
RESET ROLE;
INSERT INTO payloads VALUES
  ('double', '{"nodes": [{"id": "n", "type": "workflow_input", "data": {"field": "n"}},
                         {"id": "d", "type": "expression", "data": {"expression": "input * 2"}}],
               "edges": [{"source": "n", "target": "d"}]}'),
  ('divide', '{"nodes": [{"id": "n", "type": "number", "data": {"value": 1}},
                         {"id": "z", "type": "expression", "data": {"expression": "input / 0"}}],
               "edges": [{"source": "n", "target": "z"}]}'),
  ('sleepy', '{"nodes": [{"id": "nap", "type": "delay", "data": {"duration": "2s"}}]}'),
  ('reads',  '{"nodes": [{"id": "q", "type": "sql_query",
                          "data": {"query": "SELECT id, name FROM regress_stat_items ORDER BY id"}},
                         {"id": "r", "type": "expression", "data": {"expression": "input.rows"}},
                         {"id": "w", "type": "sql_batch",
                          "data": {"table": "regress_stat_items", "mode": "upsert",
                                   "key": ["id"]}}],
               "edges": [{"source": "q", "target": "r"}, {"source": "r", "target": "w"}]}');
SET ROLE regress_stat_a;
SELECT thaiyyal_execute(payload, '{"n": 1}') -> 'final_output' AS out FROM payloads WHERE name = 'double';
SELECT thaiyyal_execute(payload, '{"n": 2}') -> 'final_output' AS out FROM payloads WHERE name = 'double';
SELECT thaiyyal_execute(payload, '{"n": 3}') -> 'final_output' AS out FROM payloads WHERE name = 'double';
SELECT pg_temp.try(format('SELECT thaiyyal_execute(%L)', payload)) AS out FROM payloads WHERE name = 'divide';
RESET ROLE;
SET thaiyyal.max_execution_time = '50ms';
SET ROLE regress_stat_a;
SELECT pg_temp.try(format('SELECT thaiyyal_execute(%L)', payload)) AS out FROM payloads WHERE name = 'sleepy';
RESET ROLE;
RESET thaiyyal.max_execution_time;
SET ROLE regress_stat_a;
-- Reads 3 rows (sql_query) and writes them back (sql_batch upsert).
SELECT thaiyyal_execute(payload) -> 'final_output' AS written FROM payloads WHERE name = 'reads';

SELECT s.tenant, s.workflow IS NULL AS no_name, s.revision IS NULL AS no_revision,
       length(s.payload_hash) AS hash_length, s.calls, s.failures, s.failures_by_class,
       s.compiles, s.plan_cache_hits, s.sql_rows_read, s.sql_rows_written
FROM thaiyyal.stat_workflows s
ORDER BY s.calls DESC, s.failures_by_class::text, s.sql_rows_read;
-- Times in milliseconds: consistent with each other.
SELECT calls,
       total_time > 0 AND min_time > 0 AS positive,
       min_time <= mean_time AND mean_time <= max_time AS mean_between,
       min_time <= p50_time AND p50_time <= p95_time AND p95_time <= p99_time
         AND p99_time <= max_time AS percentiles_ordered,
       abs(total_time - mean_time * calls) < 1e-6 AS total_is_mean_times_calls,
       stddev_time >= 0 AS stddev, compile_time > 0 AS compile_time
FROM thaiyyal.stat_workflows ORDER BY calls DESC, failures;
-- The timed-out run took at least the 50 ms limit.
SELECT max_time >= 50 AS at_least_the_limit FROM thaiyyal.stat_workflows
WHERE failures_by_class ? 'TH' AND max_time >= 40;

-- Nodes per type: executions, failures, skips.
SELECT node_type, workflow, node_id, executions, skips, failures, timed_executions,
       total_time >= max_time AS total_at_least_max,
       abs(mean_time * executions - total_time) < 1e-9 AS total_is_mean_times_executions
FROM thaiyyal.stat_nodes ORDER BY node_type;
-- With no node timed, executions, skips and failures are still counted.
RESET ROLE;
SET thaiyyal.node_timing_sample_rate = 0;
SET ROLE regress_stat_a;
SELECT thaiyyal_execute(payload, '{"n": 4}') -> 'final_output' AS out FROM payloads WHERE name = 'double';
SELECT node_type, executions, timed_executions FROM thaiyyal.stat_nodes
WHERE node_type IN ('workflow_input', 'expression') ORDER BY node_type;
RESET ROLE;
SET thaiyyal.node_timing_sample_rate = 1;
SET ROLE regress_stat_a;

-- A stored workflow run by thaiyyal.run: its name and revision; with
-- track = all, every node of the revision too; a branch not taken is a
-- skip.
SELECT thaiyyal.save_workflow('branchy', '{
  "nodes": [
    {"id": "n", "type": "workflow_input", "data": {"field": "n", "default": 1}},
    {"id": "check", "type": "condition", "data": {"condition": "input > 10"}},
    {"id": "big", "type": "expression", "data": {"expression": "node.n * 100"}},
    {"id": "small", "type": "expression", "data": {"expression": "input"}}],
  "edges": [{"source": "n", "target": "check"},
            {"source": "check", "target": "big", "sourceHandle": "true"},
            {"source": "check", "target": "small", "sourceHandle": "false"}]}') > 0 AS saved;
RESET ROLE;
SET thaiyyal.track = 'all';
SET ROLE regress_stat_a;
SELECT thaiyyal.run('branchy', '{"n": 50}') -> 'final_output' AS big;
SELECT thaiyyal.run('branchy', '{"n": 5}') -> 'final_output' AS small;
SELECT thaiyyal.run('branchy', '{"n": 7}') -> 'final_output' AS small;
SELECT s.workflow, s.revision = v.revision AS revision_matches, s.calls, s.compiles,
       s.plan_cache_hits
FROM thaiyyal.stat_workflows s
JOIN thaiyyal.workflow_versions v ON v.revision = s.revision;
SELECT node_type, workflow, node_id, executions, skips, failures
FROM thaiyyal.stat_nodes WHERE workflow = 'branchy' ORDER BY node_id;
RESET ROLE;
RESET thaiyyal.track;

-- A queued run is counted by the worker that executed it.
GRANT regress_stat_a TO regress_stat_b;
SET ROLE regress_stat_a;
SELECT thaiyyal.enqueue('branchy', '{"n": 20}') AS run_id \gset
SELECT thaiyyal.wait(:run_id, '30 seconds') ->> 'status' AS status;
SELECT calls FROM thaiyyal.stat_workflows WHERE workflow = 'branchy';

-- Visibility: a role sees the tenants it may act for (b is a member of a);
-- pg_read_all_stats sees all; an unrelated role nothing.
RESET ROLE;
SET ROLE regress_stat_b;
SELECT DISTINCT tenant FROM thaiyyal.stat_workflows ORDER BY 1;
SELECT thaiyyal_execute('{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "b"}}]}')
       -> 'final_output' AS b_ran;
SELECT tenant, calls FROM thaiyyal.stat_workflows WHERE payload_hash IS NOT NULL ORDER BY 1, 2;
RESET ROLE;
REVOKE regress_stat_a FROM regress_stat_b;
SET ROLE regress_stat_b;
SELECT DISTINCT tenant FROM thaiyyal.stat_workflows ORDER BY 1;
SELECT DISTINCT tenant FROM thaiyyal.stat_nodes ORDER BY 1;
SET ROLE regress_stat_reader;
SELECT DISTINCT tenant FROM thaiyyal.stat_workflows WHERE tenant LIKE 'regress_stat%' ORDER BY 1;
SELECT dealloc FROM thaiyyal.stat_info;
RESET ROLE;

-- A workflow without nodes is counted as well (and has no node rows).
SELECT thaiyyal_execute('{"nodes": []}') -> 'node_results' AS empty_1;
SELECT thaiyyal_execute('{"nodes": []}') -> 'node_results' AS empty_2;
SELECT calls FROM thaiyyal.stat_workflows WHERE tenant = current_user;

-- thaiyyal.track = none: nothing is counted.
SET thaiyyal.track = none;
SELECT thaiyyal_execute('{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "unseen"}}]}')
       -> 'final_output' AS untracked;
SELECT count(*) AS workflows_of_superuser, sum(calls) AS runs_of_superuser
FROM thaiyyal.stat_workflows WHERE tenant = current_user;
RESET thaiyyal.track;

-- Eviction: more distinct workflows than thaiyyal.track_max keep at most
-- track_max entries, the least used going first.
SELECT count(thaiyyal_execute(jsonb_build_object('nodes', jsonb_build_array(
         jsonb_build_object('id', 'n', 'type', 'number', 'data', jsonb_build_object('value', i))))))
       AS runs
FROM generate_series(1, current_setting('thaiyyal.track_max')::int + 50) AS i \gset
SELECT :runs > current_setting('thaiyyal.track_max')::int AS more_than_track_max;
SELECT count(*) <= current_setting('thaiyyal.track_max')::int AS bounded,
       count(*) > current_setting('thaiyyal.track_max')::int * 0.9 AS mostly_kept
FROM thaiyyal.stat_workflows;
SELECT dealloc > 0 AS evicted FROM thaiyyal.stat_info;
-- The most used entry survived.
SELECT calls FROM thaiyyal.stat_workflows
WHERE tenant = 'regress_stat_a' AND payload_hash IS NOT NULL AND calls = 4;

-- Reset: empty, and stats_reset moves.
SELECT stats_reset AS before_reset FROM thaiyyal.stat_info \gset
SELECT thaiyyal.stat_reset();
SELECT count(*) AS workflows FROM thaiyyal.stat_workflows;
SELECT count(*) AS nodes FROM thaiyyal.stat_nodes;
SELECT dealloc, stats_reset > :'before_reset' AS reset_later FROM thaiyyal.stat_info;

-- The slow-run log: one LOG line per run at least log_min_duration long
-- (its text -- duration, workflow, run, status, slowest nodes -- varies
-- with the times and is covered by the engine's unit tests,
-- run_summary_test.cpp; here: which runs are logged, by SQLSTATE only).
\set VERBOSITY sqlstate
SET client_min_messages = log;
SET thaiyyal.log_min_duration = '100ms';
SELECT thaiyyal_execute('{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "quick"}}]}')
       -> 'final_output' AS not_logged;
SELECT thaiyyal_execute('{"nodes": [{"id": "nap", "type": "delay", "data": {"duration": "150ms"}},
                                    {"id": "t", "type": "text_input", "data": {"text": "slow"}}],
                          "edges": [{"source": "nap", "target": "t"}]}')
       -> 'final_output' AS logged;
SET thaiyyal.log_min_duration = 0;
SELECT thaiyyal_execute('{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "every"}}]}')
       -> 'final_output' AS logged;
-- A failed run is logged too (before its error).
SELECT thaiyyal_execute('{"nodes": [{"id": "z", "type": "expression", "data": {"expression": "1 / 0"}}]}');
RESET client_min_messages;
RESET thaiyyal.log_min_duration;
\set VERBOSITY default

DROP TABLE regress_stat_items, payloads;
SELECT thaiyyal.drop_workflow('branchy') FROM (SELECT set_config('thaiyyal.tenant', 'regress_stat_a', false)) s;
RESET thaiyyal.tenant;
DELETE FROM thaiyyal.runs WHERE tenant = 'regress_stat_a';
DROP ROLE regress_stat_a;
DROP ROLE regress_stat_b;
DROP ROLE regress_stat_reader;
SELECT thaiyyal.stat_reset();
