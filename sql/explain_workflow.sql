--
-- thaiyyal.explain: EXPLAIN for workflows (not sql/explain.sql, which is
-- PostgreSQL's EXPLAIN of the catalog's queries). Times vary from run to
-- run and are masked as N.
--
\set SHOW_CONTEXT never

\i sql/include/try.psql

CREATE FUNCTION pg_temp.mask(line text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(line, '(time=|"time_ms": )[0-9.e-]+', '\1N', 'g')
$$;

CREATE ROLE regress_explain;
CREATE ROLE regress_explain_other;
CREATE TABLE regress_explain_orders (id int PRIMARY KEY, qty int NOT NULL);
INSERT INTO regress_explain_orders VALUES (1, 3), (2, 40);
GRANT SELECT ON regress_explain_orders TO regress_explain;

-- A branching workflow: the order's quantity decides between two branches,
-- so one of them is always skipped; both join in "label".
SELECT '{"workflow_id": "order_size", "nodes": [
  {"id": "order", "type": "workflow_input", "data": {"field": "id", "required": true}},
  {"id": "fetch", "type": "sql_query", "data": {"query": "SELECT qty FROM regress_explain_orders WHERE id = $1", "params": ["input"]}},
  {"id": "is_big", "type": "condition", "data": {"condition": "node.fetch.rows[0].qty >= 10 && node.fetch.count == 1"}},
  {"id": "big", "type": "expression", "data": {"expression": "\"big: \" + node.fetch.rows[0].qty * 2"}},
  {"id": "small", "type": "text_input", "data": {"text": "small"}},
  {"id": "label", "type": "switch", "data": {"cases": [{"when": "== \"small\"", "output_path": "s"}, {"is_default": true}]}}],
 "edges": [{"source": "order", "target": "fetch"}, {"source": "fetch", "target": "is_big"},
  {"source": "is_big", "target": "big", "sourceHandle": "true"},
  {"source": "is_big", "target": "small", "sourceHandle": "false"},
  {"source": "big", "target": "label"}, {"source": "small", "target": "label"}]}' AS branching \gset

SET ROLE regress_explain;

-- Without running: order, types, configuration, expressions as parsed,
-- inputs with their handles, the handles a node emits.
SELECT * FROM thaiyyal.explain(:'branching'::jsonb);

-- run => true: the workflow runs as the caller (its SQL node reads the
-- caller's table) and every node shows what happened.
SELECT pg_temp.mask(line) FROM thaiyyal.explain(:'branching'::jsonb, '{"id": 2}', run => true) AS line;
SELECT pg_temp.mask(line) FROM thaiyyal.explain(:'branching'::jsonb, '{"id": 1}', true) AS line;

-- A failing node is reported, not raised; later nodes are not reached.
SELECT pg_temp.mask(line) FROM thaiyyal.explain(:'branching'::jsonb, '{}', run => true) AS line;

-- JSON: the same facts (keys in jsonb's order), here of a small branching
-- workflow whose "true" branch is skipped ...
SELECT pg_temp.mask(j) FROM thaiyyal.explain('{"nodes": [
  {"id": "n", "type": "number", "data": {"value": 4}},
  {"id": "odd", "type": "condition", "data": {"condition": "input % 2 == 1"}},
  {"id": "half", "type": "expression", "data": {"expression": "node.n / 2"}}],
  "edges": [{"source": "n", "target": "odd"},
            {"source": "odd", "target": "half", "sourceHandle": "true"}]}'::jsonb,
  run => true, format => 'JSON') AS j;
-- ... and of the order workflow above.
SELECT e -> 'run' AS run,
       jsonb_path_query_array(e, '$.nodes[*] ? (@.run.status == "skipped").id') AS skipped,
       jsonb_path_query_array(e, '$.nodes[*].expressions[*].parsed') AS parsed
FROM (SELECT j::jsonb #- '{run,time_ms}' AS e
      FROM thaiyyal.explain(:'branching'::jsonb, '{"id": 2}', run => true, format => 'json') AS j) s;

-- A stored workflow, by name (current version or a given one).
SELECT thaiyyal.save_workflow('order_size', :'branching') > 0 AS saved;
SELECT thaiyyal.save_workflow('order_size', '{"nodes": [{"id": "only", "type": "number", "data": {"value": 1}}]}') > 0 AS saved;
SELECT * FROM thaiyyal.explain('order_size');
SELECT pg_temp.mask(line) FROM thaiyyal.explain('order_size', '{"id": 2}', run => true, version => 1) AS line;
-- Not recorded: explain runs leave no run history.
SELECT count(*) AS runs FROM thaiyyal.runs;
RESET ROLE;

-- Another tenant sees no such workflow.
SET ROLE regress_explain_other;
SELECT pg_temp.try($$SELECT * FROM thaiyyal.explain('order_size')$$) AS other_tenant;
RESET ROLE;

-- Expressions that do not parse and other problems are shown, not raised.
SELECT * FROM thaiyyal.explain('{"nodes": [
  {"id": "x", "type": "expression", "data": {"expression": "input +* 2"}},
  {"id": "y", "type": "operation", "data": {"op": "exponentiate"}}],
  "edges": [{"source": "x", "target": "y"}]}'::jsonb);

-- Errors.
SELECT pg_temp.try($$SELECT * FROM thaiyyal.explain('{"nodes": [{"id": "a", "type": "number", "data": {"value": "x"}}]}'::jsonb)$$) AS bad_payload;
SELECT pg_temp.try($$SELECT * FROM thaiyyal.explain('{"nodes": [{"id": "a", "type": "number", "data": {"value": 1}}], "edges": [{"source": "a", "target": "a"}]}'::jsonb)$$) AS cycle;
SELECT pg_temp.try($$SELECT * FROM thaiyyal.explain('{"nodes": []}'::jsonb, format => 'yaml')$$) AS bad_format;
SELECT pg_temp.try($$SELECT * FROM thaiyyal.explain('{"nodes": []}')$$) AS untyped_literal;
SELECT pg_temp.try($$SELECT * FROM thaiyyal.explain(NULL::text)$$) AS null_name;
SELECT count(*) AS null_definition FROM thaiyyal.explain(NULL::jsonb);

DELETE FROM thaiyyal.workflows WHERE tenant = 'regress_explain';
DROP TABLE regress_explain_orders;
DROP OWNED BY regress_explain, regress_explain_other;
DROP ROLE regress_explain, regress_explain_other;
