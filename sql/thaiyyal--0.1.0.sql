-- thaiyyal 0.1.0
\echo Use "CREATE EXTENSION thaiyyal" to load this file. \quit

-- Objects added by later versions (stored workflows, scheduling) live in
-- this schema; thaiyyal_execute itself is created in the extension's schema
-- (public by default, or CREATE EXTENSION ... SCHEMA s) so that it works
-- with the default search_path.
CREATE SCHEMA thaiyyal;

CREATE FUNCTION thaiyyal_execute(payload jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'thaiyyal_execute'
LANGUAGE C STRICT VOLATILE PARALLEL SAFE;

COMMENT ON FUNCTION thaiyyal_execute(jsonb) IS
'Runs a Thaiyyal workflow payload {"workflow_id","nodes","edges"} and returns its Result '
'{"execution_id","workflow_id","node_results","final_output"}. Errors: 22023 invalid payload '
'or cycle, TH001 node failure, TH002 thaiyyal.max_execution_time exceeded, 22P01 NaN/Inf in '
'the result.';
