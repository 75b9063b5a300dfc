--
-- Privileges: sql_query / sql_batch run with the calling role's privileges
-- (thaiyyal_execute and stored workflows alike); there is no SECURITY
-- DEFINER escalation anywhere.
--
\set SHOW_CONTEXT never

\i sql/include/try.psql

CREATE FUNCTION pg_temp.query_payload(query text) RETURNS jsonb
LANGUAGE sql AS $$
  SELECT jsonb_build_object('nodes', jsonb_build_array(
    jsonb_build_object('id', 'q', 'type', 'sql_query', 'data', jsonb_build_object('query', query))))
$$;

CREATE ROLE regress_priv_user;
CREATE TABLE regress_secret (id int PRIMARY KEY, secret text);
INSERT INTO regress_secret VALUES (1, 'the password');
CREATE TABLE regress_open (id int PRIMARY KEY, note text, hidden text);
INSERT INTO regress_open VALUES (1, 'hello', 'column-level secret');
GRANT SELECT (id, note), INSERT (id, note) ON regress_open TO regress_priv_user;
-- Row-level security of user tables applies inside workflows too.
CREATE TABLE regress_rls (id int, owner text);
INSERT INTO regress_rls VALUES (1, 'regress_priv_user'), (2, 'someone else');
ALTER TABLE regress_rls ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON regress_rls USING (owner = CURRENT_USER);
GRANT SELECT ON regress_rls TO regress_priv_user;

SET ROLE regress_priv_user;
-- No SELECT on the table: it cannot be read through a workflow.
SELECT pg_temp.try(format('SELECT thaiyyal_execute(%L)', pg_temp.query_payload('SELECT * FROM regress_secret')));
SELECT pg_temp.try(format('SELECT thaiyyal_execute(%L)', pg_temp.query_payload('SELECT count(*) FROM regress_secret')));
SELECT pg_temp.try(format('SELECT thaiyyal_execute(%L)', pg_temp.query_payload('DELETE FROM regress_secret')));
-- Column privileges: granted columns only.
SELECT thaiyyal_execute(pg_temp.query_payload('SELECT id, note FROM regress_open')) -> 'final_output';
SELECT pg_temp.try(format('SELECT thaiyyal_execute(%L)', pg_temp.query_payload('SELECT hidden FROM regress_open')));
-- Row-level security: own rows only.
SELECT thaiyyal_execute(pg_temp.query_payload('SELECT id, owner FROM regress_rls')) -> 'final_output';
-- sql_batch: INSERT needs INSERT on the columns written; upsert needs UPDATE.
SELECT pg_temp.try($$SELECT thaiyyal_execute('{"nodes": [
    {"id": "in", "type": "workflow_input"},
    {"id": "w", "type": "sql_batch", "data": {"table": "regress_open", "mode": "insert"}}],
  "edges": [{"source": "in", "target": "w"}]}', '[{"id": 2, "note": "mine"}]') -> 'final_output'$$);
SELECT pg_temp.try($$SELECT thaiyyal_execute('{"nodes": [
    {"id": "in", "type": "workflow_input"},
    {"id": "w", "type": "sql_batch", "data": {"table": "regress_open", "mode": "insert"}}],
  "edges": [{"source": "in", "target": "w"}]}', '[{"id": 3, "note": "x", "hidden": "y"}]')$$);
SELECT pg_temp.try($$SELECT thaiyyal_execute('{"nodes": [
    {"id": "in", "type": "workflow_input"},
    {"id": "w", "type": "sql_batch", "data": {"table": "regress_open", "mode": "upsert", "key": ["id"]}}],
  "edges": [{"source": "in", "target": "w"}]}', '[{"id": 1, "note": "changed"}]')$$);
SELECT pg_temp.try($$SELECT thaiyyal_execute('{"nodes": [
    {"id": "in", "type": "workflow_input"},
    {"id": "w", "type": "sql_batch", "data": {"table": "regress_secret", "mode": "insert"}}],
  "edges": [{"source": "in", "target": "w"}]}', '[{"id": 2, "secret": "planted"}]')$$);
-- A stored workflow is no way around it: saving needs no table privilege,
-- running checks the runner's.
SELECT thaiyyal.save_workflow('peek', pg_temp.query_payload('SELECT secret FROM regress_secret')) > 0 AS saved;
SELECT pg_temp.try($$SELECT thaiyyal.run('peek')$$);
SELECT count(*) AS recorded_runs FROM thaiyyal.runs;
RESET ROLE;
-- The same definition run by a role that may read the table works.
SELECT thaiyyal_execute((SELECT definition FROM thaiyyal.workflows WHERE tenant = 'regress_priv_user' AND name = 'peek'))
       -> 'final_output' -> 'rows' AS as_owner;
SELECT * FROM regress_secret ORDER BY id;
SELECT * FROM regress_open ORDER BY id;

-- Revoking a privilege takes effect for cached statements at once.
GRANT SELECT ON regress_secret TO regress_priv_user;
SET ROLE regress_priv_user;
SELECT thaiyyal.run('peek') -> 'final_output' -> 'rows' AS granted;
RESET ROLE;
REVOKE SELECT ON regress_secret FROM regress_priv_user;
SET ROLE regress_priv_user;
SELECT pg_temp.try($$SELECT thaiyyal.run('peek') -> 'final_output'$$) AS revoked;
RESET ROLE;

-- Clean up.
DELETE FROM thaiyyal.workflows WHERE tenant = 'regress_priv_user';
DROP TABLE regress_secret, regress_open, regress_rls;
DROP ROLE regress_priv_user;
