--
-- jsonb <-> engine values: numbers, strings, null vs [], ints
--
CREATE FUNCTION pg_temp.run(payload jsonb) RETURNS jsonb
LANGUAGE sql AS $$ SELECT thaiyyal_execute(payload) - 'execution_id' $$;

-- Numbers are doubles: every input survives exactly (shortest round-trip
-- digits on the way out), integers above 2^53 round, -0 becomes 0.
SELECT jsonb_pretty(pg_temp.run('{"nodes": [
  {"id": "tenth", "type": "number", "data": {"value": 0.1}},
  {"id": "third", "type": "number", "data": {"value": 0.333333333333333314829616256247390992939472198486328125}},
  {"id": "pi", "type": "number", "data": {"value": 3.141592653589793}},
  {"id": "e21", "type": "number", "data": {"value": 1e21}},
  {"id": "small", "type": "number", "data": {"value": 1.5e-7}},
  {"id": "two53p1", "type": "number", "data": {"value": 9007199254740993}},
  {"id": "long_fraction", "type": "number", "data": {"value": 123456789.123456789}},
  {"id": "negzero", "type": "number", "data": {"value": -0.0}},
  {"id": "five_point_zero", "type": "number", "data": {"value": 5.0}}
]}')->'node_results');

-- The extremes of the double range round-trip.
SELECT (r->'node_results'->>'max')::float8 = 1.7976931348623157e308 AS max_ok,
       (r->'node_results'->>'min')::float8 = 5e-324 AS min_subnormal_ok,
       (r->'node_results'->>'neg')::float8 = -2.2250738585072014e-308 AS min_normal_ok
FROM pg_temp.run('{"nodes": [
  {"id": "max", "type": "number", "data": {"value": 1.7976931348623157e308}},
  {"id": "min", "type": "number", "data": {"value": 5e-324}},
  {"id": "neg", "type": "number", "data": {"value": -2.2250738585072014e-308}}
]}') AS r;

-- 0.1 + 0.2 keeps all 17 significant digits (float8_numeric would keep 15).
SELECT pg_temp.run('{"nodes": [
  {"id": "x", "type": "number", "data": {"value": 0.1}},
  {"id": "y", "type": "number", "data": {"value": 0.2}},
  {"id": "s", "type": "operation", "data": {"op": "add"}}],
  "edges": [{"source": "x", "target": "s"}, {"source": "y", "target": "s"}]}')->'final_output';

-- Go ints (range count) and doubles; null vs [] as the reference emits.
SELECT pg_temp.run('{"nodes": [
  {"id": "r", "type": "range", "data": {"start": 0, "end": 1, "step": 0.25}}]}')->'final_output';
SELECT pg_temp.run('{"nodes": [
  {"id": "seed", "type": "number", "data": {"value": 1}},
  {"id": "none", "type": "expression", "data": {"expression": "[]"}},
  {"id": "u", "type": "unique", "data": {}}],
  "edges": [{"source": "seed", "target": "none"}, {"source": "none", "target": "u"}]}')->'node_results';

-- Strings: non-ASCII text, escapes, and every JSON escape survive; invalid
-- UTF-8 produced by a node (camelcase works on bytes) becomes U+FFFD as in Go.
SELECT pg_temp.run('{"nodes": [
  {"id": "t", "type": "text_input", "data": {"text": "tab\there \"quoted\" \\ back\nslash <&> \u2028 ✓ 😀"}}]}')
  ->'final_output';
SELECT pg_temp.run('{"nodes": [
  {"id": "t", "type": "text_input", "data": {"text": "vital élan"}},
  {"id": "c", "type": "text_operation", "data": {"text_op": "camelcase"}}],
  "edges": [{"source": "t", "target": "c"}]}')->'final_output';
SELECT pg_temp.run('{"nodes": [
  {"id": "t", "type": "text_input", "data": {"text": "ß straße İstanbul"}},
  {"id": "u", "type": "text_operation", "data": {"text_op": "uppercase"}},
  {"id": "l", "type": "text_operation", "data": {"text_op": "lowercase"}}],
  "edges": [{"source": "t", "target": "u"}, {"source": "t", "target": "l"}]}')->'node_results';

-- Objects, arrays, booleans and null pass through a node unchanged
-- (key order in the output is jsonb's, not the payload's).
SELECT jsonb_pretty(pg_temp.run('{"nodes": [
  {"id": "seed", "type": "number", "data": {"value": 2.5}},
  {"id": "obj", "type": "expression",
   "data": {"expression": "{\"z\": [1, null, true, \"s\", []], \"a\": {\"nested\": input, \"empty\": {}}}"}}],
  "edges": [{"source": "seed", "target": "obj"}]}')->'final_output');
SELECT pg_temp.run('{"nodes": [
  {"id": "b", "type": "boolean_input", "data": {"boolean_value": false}},
  {"id": "v", "type": "visualization", "data": {}}],
  "edges": [{"source": "b", "target": "v"}]}')->'node_results';

-- Payload strings keep their exact bytes (node ids included).
SELECT pg_temp.run('{"nodes": [{"id": "ünïcødé ✓", "type": "text_input", "data": {"text": ""}}]}');

-- Strings and keys that need escaping survive the payload's way into the
-- plan (jsonb -> JSON text -> the text decoder): quotes, backslashes,
-- control characters, non-ASCII; unknown members with such keys are skipped.
SELECT pg_temp.run($${"nodes": [
  {"id": "q\"uote", "type": "text_input", "data": {"text": "a \"b\" \\ c\td\ne\u0001f é ✓ 😀", "x\"y": [1, {"\\": null}]}},
  {"id": "up", "type": "text_operation", "data": {"text_op": "uppercase"}}],
  "edges": [{"source": "q\"uote", "target": "up"}], "ke\u001fy?": 1}$$)->'node_results';
SELECT pg_temp.run($${"nodes": [{"id": "t", "type": "text_input", "data": {"text": "x"}}], "\"": {"\n": 1}}$$)->'final_output' AS odd_keys;
