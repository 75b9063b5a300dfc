--
-- Stored workflows: thaiyyal.save_workflow / get_workflow / drop_workflow /
-- validate_workflow, the thaiyyal.workflows table and the workflow_list view
--
-- The tenant is set explicitly (the test runs as a superuser, who may act
-- for any tenant), so that nothing depends on the name of the test role.
\set SHOW_CONTEXT never
SET thaiyyal.tenant = 'regress_catalog';

-- try shows the result, or SQLSTATE, message, DETAIL and HINT of an error.
\i sql/include/try.psql

-- The objects of the extension's schema.
SELECT c.relname, c.relkind, c.relrowsecurity AS rls
FROM pg_class c
WHERE c.relnamespace = 'thaiyyal'::regnamespace AND c.relkind IN ('r', 'v')
ORDER BY 1;
SELECT indexrelid::regclass AS index, indisunique AS is_unique,
       pg_get_indexdef(indexrelid) AS definition
FROM pg_index
WHERE indrelid IN ('thaiyyal.workflows'::regclass, 'thaiyyal.runs'::regclass,
                   'thaiyyal.run_payloads'::regclass, 'thaiyyal.run_nodes'::regclass)
ORDER BY indexrelid::regclass::text;
-- Every function runs with the caller's privileges (no SECURITY DEFINER).
SELECT p.oid::regprocedure AS function, p.prosecdef AS security_definer, p.provolatile
FROM pg_proc p
WHERE p.pronamespace = 'thaiyyal'::regnamespace OR p.proname = 'thaiyyal_execute'
ORDER BY p.oid::regprocedure::text;

-- save_workflow returns the id; a new workflow has version 1.
SELECT thaiyyal.save_workflow('adder', '{
  "workflow_id": "adder",
  "nodes": [
    {"id": "a", "type": "number", "data": {"value": 2}},
    {"id": "b", "type": "number", "data": {"value": 3}},
    {"id": "sum", "type": "operation", "data": {"op": "add"}}],
  "edges": [{"source": "a", "target": "sum"}, {"source": "b", "target": "sum"}]}') > 0
  AS saved;
SELECT name, tenant, version, definition -> 'workflow_id' AS workflow_id,
       created_at = updated_at AS never_updated, created_by = CURRENT_USER AS created_by_me
FROM thaiyyal.get_workflow('adder');

-- Saving again replaces the definition, keeps the id and bumps the version.
SELECT thaiyyal.save_workflow('adder', '{"nodes": [{"id": "n", "type": "number", "data": {"value": 7}}]}')
       = (SELECT id FROM thaiyyal.workflows WHERE tenant = 'regress_catalog' AND name = 'adder')
  AS same_id;
SELECT name, version, definition FROM thaiyyal.get_workflow('adder');
SELECT thaiyyal.run('adder') -> 'final_output' AS final_output;

-- Invalid definitions are refused with the errors thaiyyal_execute raises.
CREATE TEMP TABLE bad_definitions (label text, definition jsonb);
INSERT INTO bad_definitions VALUES
  ('not an object', '[1, 2]'),
  ('wrong field type', '{"nodes": {}}'),
  ('node data', '{"nodes": [{"id": "n", "type": "number", "data": {"value": "ten"}}]}'),
  ('missing field', '{"nodes": [{"id": "n", "type": "number", "data": {}}]}'),
  ('cycle', '{"nodes": [{"id": "a", "type": "number", "data": {"value": 1}},
                        {"id": "b", "type": "operation", "data": {"op": "add"}}],
              "edges": [{"source": "a", "target": "b"}, {"source": "b", "target": "a"}]}'),
  ('duplicate id', '{"nodes": [{"id": "a", "type": "number", "data": {"value": 1}},
                               {"id": "a", "type": "number", "data": {"value": 2}}]}'),
  ('unknown edge target', '{"nodes": [{"id": "a", "type": "number", "data": {"value": 1}}],
                            "edges": [{"source": "a", "target": "zz"}]}');
SELECT label,
       pg_temp.try(format('SELECT thaiyyal.save_workflow(%L, %L)', 'bad', definition)) AS save_error,
       pg_temp.try(format('SELECT thaiyyal.save_workflow(%L, %L)', 'bad', definition))
         = pg_temp.try(format('SELECT thaiyyal_execute(%L)', definition)) AS same_as_execute
FROM bad_definitions ORDER BY label;
SELECT count(*) AS bad_saved FROM thaiyyal.workflows WHERE name = 'bad';
-- An unknown node type compiles (as for thaiyyal_execute, it fails only
-- when the node runs: it may sit on a branch never taken), but
-- check_workflow reports it, so save_workflow refuses it -- unless told to
-- save anyway; running it then fails as thaiyyal_execute does.
SELECT pg_temp.try($$SELECT thaiyyal.save_workflow('late_errors', '{"nodes": [{"id": "n", "type": "no_such_type", "data": {}}]}')$$) AS refused;
SELECT thaiyyal.save_workflow('late_errors', '{"nodes": [{"id": "n", "type": "no_such_type", "data": {}}]}', force => true) > 0 AS saved_anyway;
SELECT pg_temp.try($$SELECT thaiyyal.run('late_errors')$$) AS run_error,
       pg_temp.try($$SELECT thaiyyal.run('late_errors')$$)
         = pg_temp.try(format('SELECT thaiyyal_execute(%L)', (SELECT definition FROM thaiyyal.get_workflow('late_errors'))))
         AS same_as_execute;
SELECT thaiyyal.drop_workflow('late_errors');
-- A failed save leaves the stored workflow as it was.
SELECT pg_temp.try($$SELECT thaiyyal.save_workflow('adder', '{"nodes": {}}')$$);
SELECT version, definition FROM thaiyyal.get_workflow('adder');
-- check_workflow lists every problem visible without running; warnings
-- (an edge no source can take, nodes behind it) do not stop a save.
SELECT * FROM thaiyyal.check_workflow('{"nodes": [
  {"id": "n", "type": "number", "data": {"value": 1}},
  {"id": "op", "type": "operation", "data": {"op": "power"}},
  {"id": "t", "type": "text_operation", "data": {"text_op": "shout"}},
  {"id": "e", "type": "expression", "data": {"expression": "input +"}},
  {"id": "c", "type": "condition", "data": {"condition": "input > 0"}},
  {"id": "later", "type": "text_input", "data": {"text": "x"}}],
  "edges": [{"source": "n", "target": "op"}, {"source": "n", "target": "c"},
            {"source": "c", "target": "later", "sourceHandle": "yes"}]}');
SELECT * FROM thaiyyal.check_workflow('{"nodes": [{"id": "n", "type": "number", "data": {}}]}');
SELECT count(*) AS problems FROM thaiyyal.check_workflow('{"nodes": [{"id": "n", "type": "number", "data": {"value": 1}}]}');
SELECT pg_temp.try($$SELECT thaiyyal.save_workflow('shouty', '{"nodes": [
  {"id": "t", "type": "text_operation", "data": {"text_op": "shout"}},
  {"id": "e", "type": "expression", "data": {"expression": "input +"}}]}')$$) AS refused;
SELECT thaiyyal.save_workflow('branchy', '{"nodes": [
  {"id": "n", "type": "number", "data": {"value": 1}},
  {"id": "c", "type": "condition", "data": {"condition": "input > 0"}},
  {"id": "later", "type": "text_input", "data": {"text": "x"}}],
  "edges": [{"source": "n", "target": "c"}, {"source": "c", "target": "later", "sourceHandle": "yes"}]}') > 0
  AS saved_with_a_notice;
SELECT thaiyyal.drop_workflow('branchy');
-- validate_workflow agrees with check_workflow.
SELECT thaiyyal.validate_workflow('{"nodes": [{"id": "n", "type": "number", "data": {"value": 1}}]}') AS valid,
       thaiyyal.validate_workflow('{"nodes": [{"id": "n", "type": "number", "data": {}}]}') AS missing_field,
       thaiyyal.validate_workflow('{"nodes": [{"id": "n", "type": "no_such_type", "data": {}}]}') AS unknown_type;

-- Argument errors.
SELECT pg_temp.try($$SELECT thaiyyal.save_workflow(NULL, '{}')$$);
SELECT pg_temp.try($$SELECT thaiyyal.save_workflow('x', NULL)$$);
SELECT pg_temp.try($$SELECT thaiyyal.save_workflow('', '{}')$$);
SELECT pg_temp.try($$SELECT thaiyyal.get_workflow('nope')$$);
SELECT pg_temp.try($$SELECT thaiyyal.drop_workflow('nope')$$);
SELECT pg_temp.try($$SELECT thaiyyal.run('nope')$$);
SELECT pg_temp.try($$SELECT thaiyyal.run(NULL)$$);

-- Direct writes to the table are validated too, and every update bumps
-- the version and takes a new revision (the plan cache key).
SELECT pg_temp.try($$UPDATE thaiyyal.workflows SET definition = '{"nodes": 5}' WHERE name = 'adder' RETURNING 1$$);
CREATE TEMP TABLE before AS SELECT version, revision FROM thaiyyal.workflows WHERE name = 'adder';
UPDATE thaiyyal.workflows SET definition = definition WHERE name = 'adder';
SELECT w.version - b.version AS version_step, w.revision > b.revision AS new_revision,
       w.updated_at >= w.created_at AS updated_later
FROM thaiyyal.workflows w, before b WHERE w.name = 'adder';
SELECT pg_temp.try($$UPDATE thaiyyal.workflows SET version = 1, revision = 1 WHERE name = 'adder' RETURNING version = 1 OR revision = 1$$)
  AS forced_version_or_revision_kept;

-- Names are unique per tenant; another tenant may use the same name.
SELECT pg_temp.try($$INSERT INTO thaiyyal.workflows (name, definition) VALUES ('adder', '{}') RETURNING 1$$);
SET thaiyyal.tenant = 'regress_catalog_other';
SELECT thaiyyal.save_workflow('adder', '{}') > 0 AS saved_in_other_tenant;
SELECT name, version FROM thaiyyal.workflow_list;
RESET thaiyyal.tenant;
SET thaiyyal.tenant = 'regress_catalog';

-- workflow_list: the current tenant's workflows with their latest run.
SELECT thaiyyal.save_workflow('second', '{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "hi"}}]}') > 0 AS saved;
SELECT name, version, last_run_status, last_run_at IS NOT NULL AS has_run
FROM thaiyyal.workflow_list ORDER BY name;
SELECT thaiyyal.run('second') -> 'final_output' AS final_output;
SELECT name, last_run_status, last_run_at IS NOT NULL AS has_run,
       last_run_finished_at >= last_run_at AS finished_after_start
FROM thaiyyal.workflow_list ORDER BY name;

-- drop_workflow deletes the workflow and its runs.
SELECT count(*) AS runs_before FROM thaiyyal.runs r JOIN thaiyyal.workflows w ON w.id = r.workflow_id
WHERE w.name = 'second' AND w.tenant = 'regress_catalog';
SELECT thaiyyal.drop_workflow('second');
SELECT count(*) AS runs_after FROM thaiyyal.runs WHERE tenant = 'regress_catalog'
  AND workflow_id NOT IN (SELECT id FROM thaiyyal.workflows);
-- ... and their payloads (statement triggers, not foreign keys: the
-- 2026-12-06 recording note says why).
SELECT count(*) AS payloads_after FROM thaiyyal.run_payloads p
WHERE p.tenant = 'regress_catalog' AND NOT EXISTS (SELECT FROM thaiyyal.runs r WHERE r.id = p.run_id);
SELECT pg_temp.try($$SELECT thaiyyal.run('second')$$);
SELECT name FROM thaiyyal.workflow_list ORDER BY name;

-- Clean up.
SELECT thaiyyal.drop_workflow('adder');
SET thaiyyal.tenant = 'regress_catalog_other';
SELECT thaiyyal.drop_workflow('adder');
RESET thaiyyal.tenant;
SELECT count(*) AS left_over FROM thaiyyal.workflows WHERE tenant LIKE 'regress_catalog%';
