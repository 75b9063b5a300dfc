--
-- Errors of thaiyyal_execute and their SQLSTATEs
--
--   22023  payload rejected (decode/validation, cycles, non-object input)
--   TH001  a node failed            (DETAIL: node <id> (type <type>))
--   TH002  thaiyyal.max_execution_time exceeded
--   22P01  NaN/Inf in the result, which JSON cannot carry
--   57014  query cancel / statement_timeout (see cancel.sql)
--
-- try_run shows SQLSTATE, message, DETAIL and HINT of an error (or the
-- result without execution_id).
CREATE FUNCTION pg_temp.try_run(payload jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  state text;
  message text;
  detail text;
  hint text;
BEGIN
  RETURN (thaiyyal_execute(payload) - 'execution_id')::text;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                          detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
  RETURN 'ERROR ' || state || ': ' || message
         || CASE WHEN detail <> '' THEN E'\nDETAIL: ' || detail ELSE '' END
         || CASE WHEN hint <> '' THEN E'\nHINT: ' || hint ELSE '' END;
END
$$;

-- 22023: the top level must be an object.
SELECT pg_temp.try_run('[1, 2]');
SELECT pg_temp.try_run('"a string"');
SELECT pg_temp.try_run('42');
SELECT pg_temp.try_run('true');
-- (JSON null is no error: Go's json.Unmarshal leaves the payload empty.)
SELECT pg_temp.try_run('null');

-- 22023: wrong JSON types for payload fields.
SELECT pg_temp.try_run('{"workflow_id": 5}');
SELECT pg_temp.try_run('{"nodes": {}}');
SELECT pg_temp.try_run('{"nodes": [{"id": 1, "type": "number", "data": {"value": 1}}]}');
SELECT pg_temp.try_run('{"nodes": [], "edges": [{"source": 1, "target": "b"}]}');

-- 22023: decode-time validation, with the node named in DETAIL.
SELECT pg_temp.try_run('{"nodes": [{"id": "n", "type": "number", "data": {}}]}');
SELECT pg_temp.try_run('{"nodes": [{"id": "n", "type": "number", "data": {"value": "ten"}}]}');
SELECT pg_temp.try_run('{"nodes": [{"id": "t", "type": "text_operation",
                                    "data": {"text_op": "repeat", "repeat_n": 2.5}}]}');
SELECT pg_temp.try_run('{"nodes": [{"id": "sw", "type": "switch", "data": {"cases": [
                          {"is_default": true, "output_path": "x"},
                          {"when": "input > 1", "output_path": "y"}]}}]}');

-- 22023: graphs without an order.
SELECT pg_temp.try_run('{"nodes": [{"id": "a", "type": "number", "data": {"value": 1}},
                                   {"id": "b", "type": "visualization", "data": {}}],
                         "edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "a"}]}');
-- Duplicate node ids: the reference reports them as a cycle
-- (execution.md §2); only the SQLSTATE is shown here.
SELECT split_part(pg_temp.try_run('{"nodes": [{"id": "a", "type": "number", "data": {"value": 1}},
                                              {"id": "a", "type": "number", "data": {"value": 2}}]}'),
                  ':', 1) AS duplicate_ids;

-- TH001: node failures; node_results are discarded.
SELECT pg_temp.try_run('{"nodes": [{"id": "lonely", "type": "operation", "data": {"op": "add"}}]}');
SELECT pg_temp.try_run('{"nodes": [{"id": "a", "type": "number", "data": {"value": 1}},
                                   {"id": "z", "type": "number", "data": {"value": 0}},
                                   {"id": "div", "type": "operation", "data": {"op": "divide"}}],
                         "edges": [{"source": "a", "target": "div"}, {"source": "z", "target": "div"}]}');
SELECT pg_temp.try_run('{"nodes": [{"id": "x", "type": "mystery", "data": {}}]}');
SELECT pg_temp.try_run('{"nodes": [{"id": "g", "type": "variable", "data": {"var_name": "nope", "var_op": "get"}}]}');
-- ...but an unknown type on a skipped branch never runs.
SELECT pg_temp.try_run('{"nodes": [{"id": "n", "type": "number", "data": {"value": 1}},
                                   {"id": "c", "type": "condition", "data": {"condition": ">5"}},
                                   {"id": "x", "type": "mystery", "data": {}}],
                         "edges": [{"source": "n", "target": "c"},
                                   {"source": "c", "target": "x", "sourceHandle": "true"}]}');

-- The error can be caught by SQLSTATE.
DO $$
BEGIN
  PERFORM thaiyyal_execute('{"nodes": [{"id": "lonely", "type": "operation", "data": {"op": "add"}}]}');
EXCEPTION WHEN SQLSTATE 'TH001' THEN
  RAISE NOTICE 'caught TH001: %', SQLERRM;
END
$$;

-- TH002: the workflow time limit (checked between nodes and inside waits).
SET thaiyyal.max_execution_time = '100ms';
SELECT pg_temp.try_run('{"nodes": [{"id": "wait", "type": "delay", "data": {"duration": "10s"}}]}');
RESET thaiyyal.max_execution_time;

-- 22P01: a result with +Inf / NaN cannot be represented as JSON.
SELECT pg_temp.try_run('{"nodes": [{"id": "big", "type": "number", "data": {"value": 1e308}},
                                   {"id": "ten", "type": "number", "data": {"value": 10}},
                                   {"id": "inf", "type": "operation", "data": {"op": "multiply"}}],
                         "edges": [{"source": "big", "target": "inf"}, {"source": "ten", "target": "inf"}]}');
SELECT pg_temp.try_run('{"nodes": [{"id": "big", "type": "number", "data": {"value": -1e308}},
                                   {"id": "ten", "type": "number", "data": {"value": 10}},
                                   {"id": "inf", "type": "operation", "data": {"op": "multiply"}}],
                         "edges": [{"source": "big", "target": "inf"}, {"source": "ten", "target": "inf"}]}');

-- Errors leave the session usable.
SELECT pg_temp.try_run('{"nodes": [{"id": "n", "type": "number", "data": {"value": 1}}]}');
