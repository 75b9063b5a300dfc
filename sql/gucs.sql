--
-- Configuration parameters thaiyyal.*
--
-- Load the library (it defines the parameters) by using it once.
SELECT thaiyyal_execute('{}') ? 'node_results' AS loaded;

-- The background workers' parameters (context postmaster / sighup) are set
-- by the test cluster's configuration: only their defaults are shown.
SELECT name, CASE WHEN context IN ('postmaster', 'sighup') THEN '(server)' ELSE setting END AS setting,
       unit, context, vartype, min_val, max_val, boot_val
FROM pg_settings WHERE name LIKE 'thaiyyal.%' ORDER BY name;

SHOW thaiyyal.max_execution_time;
SET thaiyyal.max_execution_time = '2s';
SHOW thaiyyal.max_execution_time;
SET thaiyyal.max_execution_time = -1;
SET thaiyyal.max_execution_time = 0;  -- no limit of its own (statement_timeout still applies)
RESET thaiyyal.max_execution_time;
SET thaiyyal.max_string_length = '1MB';
SHOW thaiyyal.max_string_length;
RESET thaiyyal.max_string_length;

-- The prefix is reserved: misspelled names are errors, not placeholders.
SET thaiyyal.max_execution_tme = '1s';

-- Limits and HTTP parameters are superuser-only: an ordinary role can
-- neither lift nor change them (sql/security.sql covers them all).
CREATE ROLE thaiyyal_regress_user;
SET ROLE thaiyyal_regress_user;
SET thaiyyal.max_node_executions = 50;
SHOW thaiyyal.max_node_executions;
SET thaiyyal.http_enabled = on;
SET thaiyyal.http_allowed_domains = 'example.com';
-- An ordinary role can run workflows.
SELECT thaiyyal_execute('{"nodes": [{"id": "n", "type": "number", "data": {"value": 1}}]}')
       -> 'final_output' AS final_output;
RESET ROLE;
RESET thaiyyal.max_node_executions;
DROP ROLE thaiyyal_regress_user;
