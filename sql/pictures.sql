--
-- thaiyyal.to_mermaid / thaiyyal.to_dot: pictures of a workflow and of its
-- runs. Times are masked as N. The failed run is executed by a background
-- worker (synchronous failed runs are rolled back, not recorded); the
-- server runs workers for this database (scripts/test.sh).
--
\set SHOW_CONTEXT never

\i sql/include/try.psql

CREATE FUNCTION pg_temp.mask(picture text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(regexp_replace(picture, '[0-9]+\.[0-9]{3} ms', 'N ms', 'g'),
                        'run [0-9]+', 'run N', 'g')
$$;

CREATE ROLE regress_pictures;
CREATE ROLE regress_pictures_other;

-- Orders of more than two items are split; splitting divides by zero.
SELECT '{"workflow_id": "orders", "nodes": [
  {"id": "qty", "type": "workflow_input", "data": {"field": "qty", "default": 1}},
  {"id": "many", "type": "condition", "data": {"condition": "input > 2"}},
  {"id": "split", "type": "expression", "data": {"expression": "node.qty / 0"}},
  {"id": "one", "type": "text_input", "data": {"text": "a \"single\" <item>"}},
  {"id": "done", "type": "visualization", "data": {"mode": "text"}}],
 "edges": [{"source": "qty", "target": "many"},
           {"source": "many", "target": "one", "sourceHandle": "false"},
           {"source": "many", "target": "split", "sourceHandle": "true"},
           {"source": "one", "target": "done"}, {"source": "split", "target": "done"}]}'
  AS orders \gset

SET ROLE regress_pictures;

-- The workflow: ids, types and key settings on the nodes, handles on the
-- edges.
SELECT thaiyyal.to_mermaid(:'orders');
SELECT thaiyyal.to_dot(:'orders');

-- A succeeded run recorded with every node: the branch not taken is
-- skipped, and edges into it are dashed.
SELECT thaiyyal.save_workflow('orders', :'orders') > 0 AS saved;
SET thaiyyal.record_nodes = 'all';
SELECT thaiyyal.run('orders', '{"qty": 1}') -> 'final_output' AS output;
RESET thaiyyal.record_nodes;
SELECT max(id) AS ok_run FROM thaiyyal.runs \gset
SELECT pg_temp.mask(thaiyyal.to_mermaid(NULL, :ok_run));

-- A failed run (queued, executed by a worker; thaiyyal.record_nodes =
-- errors keeps the node rows of failed runs): the failed node in red with
-- its error, the node after it not reached.
SELECT thaiyyal.enqueue('orders', '{"qty": 5}') AS failed_run \gset
SELECT thaiyyal.wait(:failed_run, '30 s') ->> 'status' AS status;
SELECT node_id, status FROM thaiyyal.run_nodes WHERE run_id = :failed_run ORDER BY seq;
SELECT pg_temp.mask(thaiyyal.to_dot(NULL, :failed_run));
-- The definition may be given (the same one, or another version's).
SELECT pg_temp.mask(thaiyyal.to_mermaid(:'orders', :failed_run));

-- A run without node rows (record_nodes = errors, succeeded): only the
-- run's status is known.
SELECT thaiyyal.run('orders') IS NOT NULL AS ran;
SELECT max(id) AS plain_run FROM thaiyyal.runs \gset
SELECT pg_temp.mask(thaiyyal.to_mermaid(NULL, :plain_run));
RESET ROLE;

-- Runs of another tenant do not exist for the caller.
SET ROLE regress_pictures_other;
SELECT pg_temp.mask(pg_temp.try(format('SELECT thaiyyal.to_dot(NULL, %s)', :failed_run))) AS other_tenant;
SELECT pg_temp.try('SELECT thaiyyal.to_dot(NULL, 9223372036854775807)') AS no_such_run;
RESET ROLE;

-- NULL without a run is NULL; a bad definition is 22023 as for
-- thaiyyal_execute.
SELECT thaiyyal.to_mermaid(NULL) IS NULL AS null_picture, thaiyyal.to_dot(NULL, NULL) IS NULL AS null_dot;
SELECT pg_temp.try($$SELECT thaiyyal.to_dot('{"nodes": [{"id": "a", "type": "number", "data": {"value": "x"}}]}')$$) AS bad_definition;

DELETE FROM thaiyyal.workflows WHERE tenant = 'regress_pictures';
DROP OWNED BY regress_pictures, regress_pictures_other;
DROP ROLE regress_pictures, regress_pictures_other;
