--
-- Recording a synchronous run (thaiyyal.run): the workflow lookup and the run
-- and payload rows are written without SPI when the tables have the shape
-- extension/catalog/direct_rows.cpp was written for, and through the SQL of
-- catalog_sql.cpp otherwise. Both ways must leave the same rows and the same
-- visibility. (That the direct way is the one normally taken is guarded by
-- the instruction-count gate: the SQL way costs half as much again.)
-- Every run here is an ordinary role's.
--
\set SHOW_CONTEXT never
\i sql/include/try.psql

CREATE ROLE regress_rec_user LOGIN;
-- The run and payload row of the role's latest run, without what differs
-- from run to run (id, times).
CREATE FUNCTION pg_temp.latest_run() RETURNS jsonb
LANGUAGE sql AS $$
  SELECT (to_jsonb(r) - 'id' - 'created_at' - 'started_at' - 'finished_at' - 'run_at')
         || jsonb_build_object('created_is_start', r.created_at = r.started_at,
                               'run_at_is_start', r.run_at = r.started_at,
                               'timed', r.finished_at >= r.started_at,
                               'payload', to_jsonb(p) - 'run_id',
                               'payload_rows', (SELECT count(*) FROM thaiyyal.run_payloads x
                                                WHERE x.run_id = r.id))
  FROM thaiyyal.runs r LEFT JOIN thaiyyal.run_payloads p ON p.run_id = r.id
  WHERE r.run_by = 'regress_rec_user' ORDER BY r.id DESC LIMIT 1
$$;

SET ROLE regress_rec_user;
SELECT thaiyyal.save_workflow('counter', '{
  "nodes": [
    {"id": "in", "type": "workflow_input"},
    {"id": "len", "type": "expression", "data": {"expression": "input.length"}}],
  "edges": [{"source": "in", "target": "len"}]}') > 0 AS saved;
SELECT thaiyyal.run('counter', '[1, 2, 3]') -> 'final_output' AS direct_output;
SELECT pg_temp.latest_run() - 'workflow_id' - 'workflow_revision' - 'run_by_role'
       #- '{payload,result,execution_id}'::text[] AS direct_row \gset
SELECT :'direct_row'::jsonb AS direct_row;
RESET ROLE;

-- A column the direct way does not know: it steps aside, the SQL way records.
ALTER TABLE thaiyyal.runs ADD COLUMN regress_extra integer;
SET ROLE regress_rec_user;
SELECT thaiyyal.run('counter', '[1, 2, 3]') -> 'final_output' AS sql_output;
SELECT (pg_temp.latest_run() - 'workflow_id' - 'workflow_revision' - 'run_by_role' - 'regress_extra'
        #- '{payload,result,execution_id}'::text[]) = :'direct_row'::jsonb AS same_row_through_sql;
RESET ROLE;

-- Dropped again, the column stays in the tuple descriptor as a dropped
-- attribute: the direct way is back and must leave it NULL.
ALTER TABLE thaiyyal.runs DROP COLUMN regress_extra;
SET ROLE regress_rec_user;
SELECT thaiyyal.run('counter', '[1, 2, 3]') -> 'final_output' AS direct_again;
SELECT (pg_temp.latest_run() - 'workflow_id' - 'workflow_revision' - 'run_by_role'
        #- '{payload,result,execution_id}'::text[]) = :'direct_row'::jsonb AS same_row_after_drop;
-- The three runs reference the workflow's current revision, as the role.
SELECT count(*) AS runs, count(DISTINCT r.workflow_revision) AS revisions,
       bool_and(r.workflow_id = w.id AND r.workflow_revision = w.revision
                AND r.run_by_role = 'regress_rec_user'::regrole) AS consistent
FROM thaiyyal.runs r JOIN thaiyyal.workflows w ON w.id = r.workflow_id
WHERE w.name = 'counter';

-- Lookups see what a new statement would: a workflow saved earlier in the
-- same transaction, its newer version after a second save, nothing after a
-- drop; the recorded rows are the transaction's own and go with a rollback.
BEGIN;
SELECT thaiyyal.save_workflow('fresh', '{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "v1"}}]}') > 0 AS saved;
SELECT thaiyyal.run('fresh') -> 'final_output' AS first_version;
SELECT thaiyyal.save_workflow('fresh', '{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "v2"}}]}') > 0 AS saved_again;
SELECT thaiyyal.run('fresh') -> 'final_output' AS second_version;
SELECT r.workflow_version, p.result -> 'final_output' AS recorded_output
FROM thaiyyal.runs r JOIN thaiyyal.run_payloads p ON p.run_id = r.id
JOIN thaiyyal.workflows w ON w.id = r.workflow_id WHERE w.name = 'fresh' ORDER BY r.id;
SELECT thaiyyal.drop_workflow('fresh');
SELECT pg_temp.try($$SELECT thaiyyal.run('fresh')$$) AS after_drop;
ROLLBACK;
SELECT count(*) AS fresh_after_rollback FROM thaiyyal.workflows WHERE name = 'fresh';
SELECT pg_temp.try($$SELECT thaiyyal.run('missing')$$) AS missing;

-- Names are compared exactly (collation, case, trailing spaces), as SQL does.
SELECT pg_temp.try($$SELECT thaiyyal.run('Counter')$$) AS other_case;
SELECT pg_temp.try($$SELECT thaiyyal.run('counter ')$$) AS trailing_space;

-- Another tenant's workflow of the same name is not found by this role.
RESET ROLE;
SET thaiyyal.tenant = 'regress_rec_other';
SELECT thaiyyal.save_workflow('counter', '{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "other"}}]}') > 0 AS other_saved;
RESET thaiyyal.tenant;
SET ROLE regress_rec_user;
SELECT thaiyyal.run('counter', '[1]') -> 'final_output' AS own_tenant_output;

-- Deleting a workflow deletes its runs and their payloads (statement
-- triggers, not foreign keys).
SELECT thaiyyal.drop_workflow('counter');
RESET ROLE;
SELECT count(*) AS runs_left, (SELECT count(*) FROM thaiyyal.run_payloads p
  WHERE NOT EXISTS (SELECT FROM thaiyyal.runs r WHERE r.id = p.run_id)) AS orphan_payloads
FROM thaiyyal.runs WHERE run_by = 'regress_rec_user';

-- Clean up.
SET thaiyyal.tenant = 'regress_rec_other';
SELECT thaiyyal.drop_workflow('counter');
RESET thaiyyal.tenant;
DROP ROLE regress_rec_user;
