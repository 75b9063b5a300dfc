--
-- Large and deep payloads, and the limit parameters
--
CREATE FUNCTION pg_temp.try_run(payload jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  state text;
  message text;
  detail text;
BEGIN
  RETURN (thaiyyal_execute(payload) - 'execution_id')::text;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                          detail = PG_EXCEPTION_DETAIL;
  RETURN 'ERROR ' || state || ': ' || message
         || CASE WHEN detail <> '' THEN E'\nDETAIL: ' || detail ELSE '' END;
END
$$;

-- 5000 unconnected number nodes: all run, the first is final_output.
CREATE TEMP TABLE big AS
SELECT jsonb_build_object('nodes', jsonb_agg(jsonb_build_object(
         'id', 'n' || i, 'type', 'number', 'data', jsonb_build_object('value', i)) ORDER BY i))
       AS payload
FROM generate_series(1, 5000) AS i;
SELECT octet_length(payload::text) AS payload_bytes FROM big;
SELECT (SELECT count(*) FROM jsonb_object_keys(r->'node_results')) AS results,
       r->'node_results'->'n4999' AS n4999,
       r->'final_output' AS final_output
FROM (SELECT thaiyyal_execute(payload) AS r FROM big) s;

-- A chain of 5000 text_operation nodes (each edge passes the whole output).
CREATE TEMP TABLE chain AS
SELECT jsonb_build_object(
         'nodes', jsonb_build_array(jsonb_build_object('id', 'start', 'type', 'text_input',
                                                       'data', jsonb_build_object('text', 'Ab')))
                  || (SELECT jsonb_agg(jsonb_build_object(
                        'id', 'op' || i, 'type', 'text_operation',
                        'data', jsonb_build_object('text_op', 'inversecase')) ORDER BY i)
                      FROM generate_series(1, 5000) AS i),
         'edges', jsonb_build_array(jsonb_build_object('source', 'start', 'target', 'op1'))
                  || (SELECT jsonb_agg(jsonb_build_object('source', 'op' || i, 'target', 'op' || (i + 1))
                                       ORDER BY i)
                      FROM generate_series(1, 4999) AS i)) AS payload;
SELECT r->'final_output' AS final_output,
       (SELECT count(*) FROM jsonb_object_keys(r->'node_results')) AS results
FROM (SELECT thaiyyal_execute(payload) AS r FROM chain) s;

-- thaiyyal.max_node_executions: the 101st node fails.
SET thaiyyal.max_node_executions = 100;
SELECT pg_temp.try_run(payload) FROM big;
RESET thaiyyal.max_node_executions;

-- Deeply nested payloads: jsonb holds 10000 levels, the conversion refuses
-- more than 512 (here the nesting sits in an ignored data key; the payload
-- object, nodes array, node object and data object are levels 1-4).
SELECT pg_temp.try_run(('{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "x", "deep": '
                        || repeat('[', 10000) || repeat(']', 10000) || '}}]}')::jsonb);
SELECT pg_temp.try_run(('{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "x", "deep": '
                        || repeat('{"a":', 600) || '1' || repeat('}', 600) || '}}]}')::jsonb);
SELECT pg_temp.try_run(('{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "x", "deep": '
                        || repeat('[', 509) || repeat(']', 509) || '}}]}')::jsonb);
SELECT pg_temp.try_run(('{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "x", "deep": '
                        || repeat('[', 508) || repeat(']', 508) || '}}]}')::jsonb);

-- A deeply nested value that does flow through the workflow and back out.
SELECT jsonb_path_query_first(r, ('strict $.final_output' || repeat('[0]', 100))::jsonpath) AS innermost
FROM (SELECT thaiyyal_execute(('{"nodes": [{"id": "v", "type": "number", "data": {"value": 1}},
                                            {"id": "e", "type": "expression",
                                             "data": {"expression": "' || repeat('[', 100) || 'input'
                                                      || repeat(']', 100) || '"}}],
                                 "edges": [{"source": "v", "target": "e"}]}')::jsonb) AS r) s;

-- Numbers beyond the double range are refused (jsonb's numeric holds them).
SELECT pg_temp.try_run('{"nodes": [{"id": "n", "type": "number", "data": {"value": 1e400}}]}');
SELECT pg_temp.try_run('{"nodes": [{"id": "n", "type": "number", "data": {"value": -1e400}}]}');
-- ...while underflow rounds to zero, as in Go.
SELECT pg_temp.try_run('{"nodes": [{"id": "n", "type": "number", "data": {"value": 1e-400}}]}');

-- Variable limits (execution.md §7.2), from the thaiyyal.* parameters.
SET thaiyyal.max_array_length = 3;
SELECT pg_temp.try_run('{"nodes": [{"id": "r", "type": "range", "data": {"start": 1, "end": 5}},
                                   {"id": "e", "type": "expression", "data": {"expression": "input.range"}},
                                   {"id": "v", "type": "variable", "data": {"var_name": "xs", "var_op": "set"}}],
                         "edges": [{"source": "r", "target": "e"}, {"source": "e", "target": "v"}]}');
RESET thaiyyal.max_array_length;
SET thaiyyal.max_string_length = 4;
SELECT pg_temp.try_run('{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "hello"}},
                                   {"id": "v", "type": "variable", "data": {"var_name": "s", "var_op": "set"}}],
                         "edges": [{"source": "t", "target": "v"}]}');
RESET thaiyyal.max_string_length;
SET thaiyyal.max_variables = 1;
SELECT pg_temp.try_run('{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "a"}},
                                   {"id": "v1", "type": "variable", "data": {"var_name": "one", "var_op": "set"}},
                                   {"id": "v2", "type": "variable", "data": {"var_name": "two", "var_op": "set"}}],
                         "edges": [{"source": "t", "target": "v1"}, {"source": "v1", "target": "v2"}]}');
RESET thaiyyal.max_variables;
