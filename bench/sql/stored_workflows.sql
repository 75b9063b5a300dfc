-- Benchmark of stored workflows, the plan cache, run recording and the SQL
-- nodes, at the scale of sql/explain.sql (100,000 workflows of 100 tenants,
-- 1,000,000 runs). Run it in a scratch database with the extension:
--
--   createdb bench && psql -d bench -c 'CREATE EXTENSION thaiyyal'
--   psql -d bench -f bench/sql/stored_workflows.sql
--
-- It prints EXPLAIN (ANALYZE) of the listing and lookup queries as a tenant
-- role, and the time per call of thaiyyal.run (cached / uncached plan,
-- with and without node recording) next to thaiyyal_execute. It leaves its
-- data behind (DROP DATABASE bench afterwards).
\timing off
\set QUIET on
SET client_min_messages = warning;
DO $$ BEGIN CREATE ROLE bench_tenant; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

SET session_replication_role = replica;
INSERT INTO thaiyyal.workflows (tenant, name, definition, created_at, updated_at)
SELECT CASE WHEN g % 100 = 0 THEN 'bench_tenant' ELSE 'bench_tenant_' || g % 100 END,
       'wf_' || g, '{"nodes": []}',
       timestamptz '2024-01-01' + g * interval '1 minute',
       timestamptz '2024-01-01' + g * interval '1 minute'
FROM generate_series(1, 100000) g;
INSERT INTO thaiyyal.runs (workflow_id, workflow_version, tenant, status, attempts,
                           created_at, started_at, finished_at)
SELECT w.id, 1, w.tenant, CASE WHEN i = 3 THEN 'failed' ELSE 'succeeded' END, 1,
       w.created_at + i * interval '1 hour', w.created_at + i * interval '1 hour',
       w.created_at + i * interval '1 hour' + interval '1 second'
FROM thaiyyal.workflows w CROSS JOIN generate_series(1, 10) i;
RESET session_replication_role;
VACUUM ANALYZE thaiyyal.workflows;
VACUUM ANALYZE thaiyyal.runs;
GRANT CREATE ON SCHEMA public TO bench_tenant;

SET ROLE bench_tenant;
\echo '== listing (20 newest workflows with their latest run), twice: cold, warm'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
SELECT name, version, last_run_status, last_run_at FROM thaiyyal.workflow_list
ORDER BY created_at DESC LIMIT 20;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
SELECT name, version, last_run_status, last_run_at FROM thaiyyal.workflow_list
ORDER BY created_at DESC LIMIT 20;
\echo '== the lookup of thaiyyal.run'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
SELECT t.tenant, w.id, w.version, w.revision, w.tableoid
FROM thaiyyal.require_tenant() AS t(tenant)
LEFT JOIN thaiyyal.workflows w ON w.tenant = t.tenant AND w.name = 'wf_500';
\echo '== a workflow''s runs, newest first'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
SELECT r.id, r.status, r.created_at FROM thaiyyal.runs r
WHERE r.workflow_id = (SELECT id FROM thaiyyal.workflows WHERE name = 'wf_99900')
ORDER BY r.created_at DESC LIMIT 10;
\echo '== the tenant''s failed runs, newest first'
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON)
SELECT r.id, r.workflow_id, r.created_at FROM thaiyyal.runs r
WHERE r.status = 'failed' ORDER BY r.created_at DESC LIMIT 10;

-- Runs: a 5-node workflow, 2,000 calls each.
SELECT thaiyyal.save_workflow('bench_flow', '{
  "nodes": [
    {"id": "in", "type": "workflow_input", "data": {"field": "n", "default": 1}},
    {"id": "two", "type": "number", "data": {"value": 2}},
    {"id": "mul", "type": "operation", "data": {"op": "multiply"}},
    {"id": "check", "type": "condition", "data": {"condition": ">10"}},
    {"id": "out", "type": "expression", "data": {"expression": "input.value + 1"}}],
  "edges": [{"source": "in", "target": "mul"}, {"source": "two", "target": "mul"},
            {"source": "mul", "target": "check"}, {"source": "check", "target": "out"}]}') > 0 AS saved \gset
CREATE TEMP TABLE timings (what text, calls int, ms numeric);
CREATE FUNCTION pg_temp.time_it(what text, query text, calls int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
BEGIN
  FOR i IN 1 .. calls LOOP
    EXECUTE query USING i;
  END LOOP;
  INSERT INTO timings VALUES (what, calls, round(extract(epoch FROM clock_timestamp() - t0) * 1000, 1));
END
$$;
SELECT pg_temp.time_it('thaiyyal_execute (same definition)',
  format('SELECT thaiyyal_execute(%L, jsonb_build_object(''n'', $1))',
         (SELECT definition FROM thaiyyal.get_workflow('bench_flow'))), 2000);
SET thaiyyal.record_nodes = 'none';
SELECT pg_temp.time_it('thaiyyal.run, cached plan', 'SELECT thaiyyal.run(''bench_flow'', jsonb_build_object(''n'', $1))', 2000);
SET thaiyyal.plan_cache_size = 0;
SELECT pg_temp.time_it('thaiyyal.run, plan cache off', 'SELECT thaiyyal.run(''bench_flow'', jsonb_build_object(''n'', $1))', 2000);
RESET thaiyyal.plan_cache_size;
SET thaiyyal.record_nodes = 'all';
SELECT pg_temp.time_it('thaiyyal.run, cached, record_nodes = all', 'SELECT thaiyyal.run(''bench_flow'', jsonb_build_object(''n'', $1))', 2000);
RESET thaiyyal.record_nodes;

-- sql_batch: 10,000 rows in one node; sql_query reading them back.
CREATE TABLE bench_items (id int PRIMARY KEY, name text, qty int, tags text[]);
SELECT thaiyyal.save_workflow('bench_import', '{
  "nodes": [{"id": "rows", "type": "workflow_input"},
            {"id": "w", "type": "sql_batch", "data": {"table": "bench_items", "mode": "upsert", "key": ["id"]}}],
  "edges": [{"source": "rows", "target": "w"}]}') > 0 AS saved \gset
CREATE TEMP TABLE batch_input AS
SELECT jsonb_agg(jsonb_build_object('id', g, 'name', 'item ' || g, 'qty', g % 7,
                                    'tags', jsonb_build_array('a', 'b'))) AS rows
FROM generate_series(1, 10000) g;
SELECT pg_temp.time_it('sql_batch upsert of 10,000 rows (new)',
  'SELECT thaiyyal.run(''bench_import'', (SELECT rows FROM batch_input)) WHERE $1 > 0', 1);
SELECT pg_temp.time_it('sql_batch upsert of 10,000 rows (all existing)',
  'SELECT thaiyyal.run(''bench_import'', (SELECT rows FROM batch_input)) WHERE $1 > 0', 1);
SELECT pg_temp.time_it('sql_query reading 10,000 rows',
  'SELECT thaiyyal_execute(''{"nodes": [{"id": "q", "type": "sql_query", "data": {"query": "SELECT * FROM bench_items"}}]}'') WHERE $1 > 0', 1);
SELECT pg_temp.time_it('sql_query by primary key (prepared, cached)',
  'SELECT thaiyyal_execute(''{"nodes": [{"id": "in", "type": "workflow_input"}, {"id": "q", "type": "sql_query", "data": {"query": "SELECT name FROM bench_items WHERE id = $1", "params": ["input"]}}], "edges": [{"source": "in", "target": "q"}]}'', to_jsonb($1))', 2000);

-- A 200-node workflow: here compiling is a real part of the run.
SELECT thaiyyal.save_workflow('bench_large', jsonb_build_object(
  'nodes', (SELECT jsonb_agg(CASE WHEN g = 0
                                  THEN jsonb_build_object('id', 'n0', 'type', 'number', 'data', jsonb_build_object('value', 1))
                                  ELSE jsonb_build_object('id', 'n' || g, 'type', 'expression',
                                                          'data', jsonb_build_object('expression', 'input + 1')) END)
            FROM generate_series(0, 199) g),
  'edges', (SELECT jsonb_agg(jsonb_build_object('source', 'n' || (g - 1), 'target', 'n' || g))
            FROM generate_series(1, 199) g))) > 0 AS saved \gset
SET thaiyyal.record_nodes = 'none';
SELECT pg_temp.time_it('200 nodes: thaiyyal_execute',
  format('SELECT thaiyyal_execute(%L) WHERE $1 > 0', (SELECT definition FROM thaiyyal.get_workflow('bench_large'))), 500);
SELECT pg_temp.time_it('200 nodes: thaiyyal.run, cached plan', 'SELECT thaiyyal.run(''bench_large'') WHERE $1 > 0', 500);
SET thaiyyal.plan_cache_size = 0;
SELECT pg_temp.time_it('200 nodes: thaiyyal.run, plan cache off', 'SELECT thaiyyal.run(''bench_large'') WHERE $1 > 0', 500);
RESET thaiyyal.plan_cache_size;
RESET thaiyyal.record_nodes;

\echo '== per call'
SELECT what, calls, ms AS total_ms, round(ms * 1000 / calls) AS us_per_call FROM timings;
RESET ROLE;
