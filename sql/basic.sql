--
-- thaiyyal_execute: results of the basic node types
--
-- The Result's execution_id is random (16 hex digits): checked once, then
-- removed from every displayed result.
CREATE FUNCTION pg_temp.run(payload jsonb) RETURNS jsonb
LANGUAGE sql AS $$ SELECT thaiyyal_execute(payload) - 'execution_id' $$;

-- The example of workflow-format.md §1: number + number -> operation.
SELECT jsonb_pretty(pg_temp.run('{
  "workflow_id": "demo-1",
  "nodes": [
    {"id": "a", "type": "number", "data": {"value": 10}},
    {"id": "b", "type": "number", "data": {"value": 5}},
    {"id": "sum", "type": "operation", "data": {"op": "add"}}
  ],
  "edges": [
    {"id": "e1", "source": "a", "target": "sum"},
    {"id": "e2", "source": "b", "target": "sum"}
  ]
}'));

-- execution_id: 16 lower-case hex digits, fresh for every call; no
-- workflow_id key without a workflow_id; no errors key on success.
SELECT r->>'execution_id' ~ '^[0-9a-f]{16}$' AS id_format,
       r ? 'workflow_id' AS has_workflow_id,
       r ? 'errors' AS has_errors,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r) k) AS keys
FROM (SELECT thaiyyal_execute('{"nodes":[{"id":"n","type":"number","data":{"value":1}}]}') AS r) s;
SELECT count(DISTINCT thaiyyal_execute('{"nodes":[]}')->>'execution_id') AS distinct_ids
FROM generate_series(1, 20);

-- Empty workflows: no nodes, nodes/edges null or missing.
SELECT pg_temp.run('{}');
SELECT pg_temp.run('{"nodes": null, "edges": null}');

-- operation: IEEE double arithmetic, left = first edge.
SELECT pg_temp.run('{
  "nodes": [
    {"id": "x", "type": "number", "data": {"value": 0.1}},
    {"id": "y", "type": "number", "data": {"value": 0.2}},
    {"id": "s", "type": "operation", "data": {"op": "add"}},
    {"id": "four", "type": "number", "data": {"value": 4}},
    {"id": "ten", "type": "number", "data": {"value": 10}},
    {"id": "d", "type": "operation", "data": {"op": "subtract"}}
  ],
  "edges": [
    {"source": "x", "target": "s"}, {"source": "y", "target": "s"},
    {"source": "four", "target": "d"}, {"source": "ten", "target": "d"}
  ]
}')->'node_results';

-- text_input -> text_operation (uppercase, per-rune; concat with separator),
-- then visualization (pass-through).
SELECT jsonb_pretty(pg_temp.run('{
  "nodes": [
    {"id": "greeting", "type": "text_input", "data": {"text": "héllo wörld ✓"}},
    {"id": "name", "type": "text_input", "data": {"text": "thaiyyal"}},
    {"id": "upper", "type": "text_operation", "data": {"text_op": "uppercase"}},
    {"id": "joined", "type": "text_operation", "data": {"text_op": "concat", "separator": ", "}},
    {"id": "show", "type": "visualization", "data": {"mode": "text"}}
  ],
  "edges": [
    {"source": "greeting", "target": "upper"},
    {"source": "upper", "target": "joined"},
    {"source": "name", "target": "joined"},
    {"source": "joined", "target": "show"}
  ]
}'));

-- condition: routes by sourceHandle "true"/"false"; the branch not taken is
-- skipped (absent from node_results, not null), and so is everything behind it.
SELECT jsonb_pretty(pg_temp.run('{
  "nodes": [
    {"id": "age", "type": "number", "data": {"value": 25}},
    {"id": "is_adult", "type": "condition", "data": {"condition": ">=18"}},
    {"id": "adult", "type": "visualization", "data": {"mode": "json"}},
    {"id": "minor", "type": "visualization", "data": {"mode": "json"}},
    {"id": "minor_note", "type": "text_input", "data": {"text": "too young"}}
  ],
  "edges": [
    {"source": "age", "target": "is_adult"},
    {"source": "is_adult", "target": "adult", "sourceHandle": "true"},
    {"source": "is_adult", "target": "minor", "sourceHandle": "false"},
    {"source": "minor", "target": "minor_note"}
  ]
}'));

-- The same graph with age 12 takes the other branch.
SELECT (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(r->'node_results') k) AS executed,
       r->'final_output' AS final_output
FROM pg_temp.run('{
  "nodes": [
    {"id": "age", "type": "number", "data": {"value": 12}},
    {"id": "is_adult", "type": "condition", "data": {"condition": ">=18"}},
    {"id": "adult", "type": "visualization", "data": {"mode": "json"}},
    {"id": "minor", "type": "visualization", "data": {"mode": "json"}},
    {"id": "minor_note", "type": "text_input", "data": {"text": "too young"}}
  ],
  "edges": [
    {"source": "age", "target": "is_adult"},
    {"source": "is_adult", "target": "adult", "sourceHandle": "true"},
    {"source": "is_adult", "target": "minor", "sourceHandle": "false"},
    {"source": "minor", "target": "minor_note"}
  ]
}') AS r;

-- switch: first matching case wins; only the node behind its output_path runs.
SELECT jsonb_pretty(pg_temp.run('{
  "nodes": [
    {"id": "score", "type": "number", "data": {"value": 75}},
    {"id": "grade", "type": "switch", "data": {"cases": [
      {"when": "input > 90", "output_path": "A"},
      {"when": "input > 70", "output_path": "B"},
      {"is_default": true, "output_path": "F"}
    ]}},
    {"id": "got_a", "type": "text_input", "data": {"text": "excellent"}},
    {"id": "got_b", "type": "visualization", "data": {"mode": "json"}},
    {"id": "got_f", "type": "text_input", "data": {"text": "failed"}}
  ],
  "edges": [
    {"source": "score", "target": "grade"},
    {"source": "grade", "target": "got_a", "sourceHandle": "A"},
    {"source": "grade", "target": "got_b", "sourceHandle": "B"},
    {"source": "grade", "target": "got_f", "sourceHandle": "F"}
  ]
}'));

-- switch falling through to the default case.
SELECT pg_temp.run('{
  "nodes": [
    {"id": "score", "type": "number", "data": {"value": 3}},
    {"id": "grade", "type": "switch", "data": {"cases": [
      {"when": "input > 90", "output_path": "A"},
      {"is_default": true, "output_path": "F"}
    ]}}
  ],
  "edges": [{"source": "score", "target": "grade"}]
}')->'final_output';

-- expression: value expressions and boolean results.
SELECT pg_temp.run('{
  "nodes": [
    {"id": "five", "type": "number", "data": {"value": 5}},
    {"id": "double", "type": "expression", "data": {"expression": "input * 2"}},
    {"id": "big", "type": "expression", "data": {"expression": "input > 3"}},
    {"id": "label", "type": "expression", "data": {"expression": "input > 3 ? \"big\" : \"small\""}}
  ],
  "edges": [
    {"source": "five", "target": "double"},
    {"source": "five", "target": "big"},
    {"source": "five", "target": "label"}
  ]
}')->'node_results';

-- variable: set, then get (ordered by an edge), then use it in an expression.
SELECT jsonb_pretty(pg_temp.run('{
  "nodes": [
    {"id": "n", "type": "number", "data": {"value": 21}},
    {"id": "set_x", "type": "variable", "data": {"var_name": "x", "var_op": "set"}},
    {"id": "get_x", "type": "variable", "data": {"var_name": "x", "var_op": "get"}},
    {"id": "answer", "type": "expression", "data": {"expression": "variables.x * 2"}}
  ],
  "edges": [
    {"source": "n", "target": "set_x"},
    {"source": "set_x", "target": "get_x"},
    {"source": "get_x", "target": "answer"}
  ]
}'));

-- Type inference from data keys when "type" is missing (workflow-format.md §4).
SELECT pg_temp.run('{
  "nodes": [
    {"id": "v", "data": {"value": 7}},
    {"id": "t", "data": {"text": "inferred"}},
    {"id": "viz", "data": {"mode": "json"}}
  ],
  "edges": [{"source": "v", "target": "viz"}]
}')->'node_results';

-- Case-insensitive payload keys, unknown keys ignored (position, label).
SELECT pg_temp.run('{
  "Workflow_ID": "mixed-case",
  "NODES": [{"ID": "n", "Type": "number", "Data": {"VALUE": 3, "label": "x"},
             "position": {"x": 1, "y": 2}}]
}');

-- Terminal nodes: with several, the first in nodes order is final_output.
SELECT pg_temp.run('{
  "nodes": [
    {"id": "first", "type": "number", "data": {"value": 1}},
    {"id": "second", "type": "number", "data": {"value": 2}}
  ]
}')->'final_output';

-- STRICT: NULL in, NULL out.
SELECT thaiyyal_execute(NULL) IS NULL AS null_result;

-- The function is usable row by row.
SELECT i, pg_temp.run(jsonb_build_object('nodes', jsonb_build_array(
         jsonb_build_object('id', 'n', 'type', 'number', 'data', jsonb_build_object('value', i)))))
       ->'final_output' AS final_output
FROM generate_series(1, 3) AS i;

-- The payload cache: the same payload again skips conversion and compile
-- (a hit), and gives the same result; a different payload is a miss.
SET thaiyyal.payload_cache_size = 8;
CREATE TEMP TABLE payload_stats AS
  SELECT payload_hits, payload_misses FROM thaiyyal.plan_cache_stats();
SELECT thaiyyal_execute('{"nodes": [{"id": "a", "type": "number", "data": {"value": 7}}]}') -> 'final_output' AS first,
       thaiyyal_execute('{"nodes": [{"id": "a", "type": "number", "data": {"value": 7}}]}') -> 'final_output' AS again,
       thaiyyal_execute('{"nodes": [{"id": "a", "type": "number", "data": {"value": 8}}]}') -> 'final_output' AS other;
SELECT s.payload_hits - o.payload_hits AS hits, s.payload_misses - o.payload_misses AS misses
FROM thaiyyal.plan_cache_stats() s, payload_stats o;
-- A payload that does not compile is never cached: the same error every
-- time.
SELECT thaiyyal_execute('{"nodes": [{"id": "a", "type": "number", "data": {"value": 1}}], "edges": [{"source": "a", "target": "b"}]}');
SELECT thaiyyal_execute('{"nodes": [{"id": "a", "type": "number", "data": {"value": 1}}], "edges": [{"source": "a", "target": "b"}]}');
-- Size 0 turns it off.
SET thaiyyal.payload_cache_size = 0;
SELECT thaiyyal_execute('{"nodes": [{"id": "a", "type": "number", "data": {"value": 7}}]}') -> 'final_output' AS uncached;
SELECT payload_plans FROM thaiyyal.plan_cache_stats();
RESET thaiyyal.payload_cache_size;
