--
-- Tenancy: thaiyyal.tenant, who may act for which tenant, and row-level
-- security between tenants
--
\set SHOW_CONTEXT never

\i sql/include/try.psql

-- Two tenants (roles a and b), a team role whose members act for the team,
-- and an owner-managed mapping of tenant "regress_acme" to role b.
CREATE ROLE regress_tenant_a;
CREATE ROLE regress_tenant_b;
CREATE ROLE regress_tenant_c;
CREATE ROLE regress_team;
GRANT regress_team TO regress_tenant_c;
INSERT INTO thaiyyal.tenant_members (tenant, member_role) VALUES
  ('regress_acme', 'regress_tenant_b'),
  ('regress_globex', 'regress_team'),
  ('regress_ghost', 'regress_no_such_role');

-- Tenant a: the tenant defaults to the role's name.
SET ROLE regress_tenant_a;
SELECT thaiyyal.current_tenant();
SELECT thaiyyal.save_workflow('shared_name', '{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "a''s workflow"}}]}') > 0 AS saved;
SELECT thaiyyal.save_workflow('only_a', '{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "secret of a"}}]}') > 0 AS saved;
SELECT thaiyyal.run('shared_name') -> 'final_output' AS output;
SELECT tenant, name, version FROM thaiyyal.workflows ORDER BY name;
SELECT tenant, status, run_by FROM thaiyyal.runs;
SELECT name, last_run_status FROM thaiyyal.workflow_list ORDER BY name;
SELECT tenant, member_role FROM thaiyyal.tenant_members;
RESET ROLE;

-- Tenant b: its own workflows only; a's are invisible.
SET ROLE regress_tenant_b;
SELECT thaiyyal.current_tenant();
SELECT count(*) AS visible_workflows FROM thaiyyal.workflows;
SELECT thaiyyal.save_workflow('shared_name', '{"nodes": [{"id": "t", "type": "text_input", "data": {"text": "b''s workflow"}}]}') > 0 AS saved;
SELECT thaiyyal.run('shared_name') -> 'final_output' AS output;
SELECT pg_temp.try($$SELECT thaiyyal.run('only_a')$$) AS run_other;
SELECT tenant, name FROM thaiyyal.workflows ORDER BY name;
-- b sees the mapping rows that concern it, nothing else.
SELECT tenant, member_role FROM thaiyyal.tenant_members ORDER BY tenant;

-- b names tenant a in the setting: it may not act for a, so nothing of a's
-- is revealed or changed.
SET thaiyyal.tenant = 'regress_tenant_a';
SELECT thaiyyal.current_tenant(), thaiyyal.may_act_for(thaiyyal.current_tenant());
SELECT count(*) AS workflows FROM thaiyyal.workflows;
SELECT count(*) AS runs FROM thaiyyal.runs;
SELECT count(*) AS payloads FROM thaiyyal.run_payloads;
SELECT count(*) AS listed FROM thaiyyal.workflow_list;
SELECT pg_temp.try($$SELECT thaiyyal.run('only_a')$$) AS run;
SELECT pg_temp.try($$SELECT thaiyyal.get_workflow('only_a')$$) AS get;
SELECT pg_temp.try($$SELECT thaiyyal.save_workflow('only_a', '{}')$$) AS save;
SELECT pg_temp.try($$SELECT thaiyyal.drop_workflow('only_a')$$) AS drop;
SELECT pg_temp.try($$SELECT thaiyyal.purge_runs('0 seconds')$$) AS purge;
-- Direct table access: reads nothing, writes nothing.
SELECT pg_temp.try($$INSERT INTO thaiyyal.workflows (tenant, name, definition) VALUES ('regress_tenant_a', 'planted', '{}') RETURNING 1$$) AS insert_as_a;
SELECT pg_temp.try($$INSERT INTO thaiyyal.workflows (name, definition) VALUES ('planted', '{}') RETURNING 1$$) AS insert_default_tenant;
SELECT pg_temp.try($$WITH u AS (UPDATE thaiyyal.workflows SET definition = '{}' RETURNING 1) SELECT count(*) FROM u$$) AS updated;
SELECT pg_temp.try($$WITH d AS (DELETE FROM thaiyyal.workflows RETURNING 1) SELECT count(*) FROM d$$) AS deleted;
SELECT pg_temp.try($$WITH d AS (DELETE FROM thaiyyal.runs RETURNING 1) SELECT count(*) FROM d$$) AS deleted_runs;
-- Nor can b move its own rows to tenant a.
RESET thaiyyal.tenant;
SELECT pg_temp.try($$UPDATE thaiyyal.workflows SET tenant = 'regress_tenant_a' WHERE name = 'shared_name' RETURNING 1$$) AS moved;
-- The mapping table is managed by its owner only.
SELECT pg_temp.try($$INSERT INTO thaiyyal.tenant_members VALUES ('regress_tenant_a', 'regress_tenant_b') RETURNING 1$$) AS self_mapping;

-- b acts for "regress_acme" through the mapping.
SET thaiyyal.tenant = 'regress_acme';
SELECT thaiyyal.may_act_for('regress_acme') AS may_act;
SELECT thaiyyal.save_workflow('acme_flow', '{"nodes": [{"id": "n", "type": "number", "data": {"value": 42}}]}') > 0 AS saved;
SELECT thaiyyal.run('acme_flow') -> 'final_output' AS output;
SELECT tenant, name FROM thaiyyal.workflows;
RESET thaiyyal.tenant;
RESET ROLE;

-- c acts for the team through membership in regress_team, and for
-- "regress_globex" which is mapped to the team role; not for acme.
SET ROLE regress_tenant_c;
SELECT thaiyyal.may_act_for('regress_team') AS team, thaiyyal.may_act_for('regress_globex') AS globex,
       thaiyyal.may_act_for('regress_acme') AS acme, thaiyyal.may_act_for('regress_tenant_a') AS a,
       thaiyyal.may_act_for('regress_ghost') AS ghost;
SET thaiyyal.tenant = 'regress_team';
SELECT thaiyyal.save_workflow('team_flow', '{"nodes": [{"id": "n", "type": "number", "data": {"value": 1}}]}') > 0 AS saved;
SET thaiyyal.tenant = 'regress_globex';
SELECT thaiyyal.save_workflow('globex_flow', '{"nodes": [{"id": "n", "type": "number", "data": {"value": 2}}]}') > 0 AS saved;
SELECT tenant, name FROM thaiyyal.workflows;
SET thaiyyal.tenant = 'regress_acme';
SELECT count(*) AS acme_visible FROM thaiyyal.workflows;
SELECT pg_temp.try($$SELECT thaiyyal.run('acme_flow')$$) AS run_acme;
RESET thaiyyal.tenant;
RESET ROLE;

-- a still has exactly its own rows, unchanged.
SET ROLE regress_tenant_a;
SELECT tenant, name, version, definition -> 'nodes' -> 0 -> 'data' ->> 'text' AS text
FROM thaiyyal.workflows ORDER BY name;
SELECT count(*) AS runs FROM thaiyyal.runs;
RESET ROLE;

-- The owner (superuser) bypasses row-level security and sees everything.
SELECT tenant, name, version FROM thaiyyal.workflows WHERE tenant LIKE 'regress_%' ORDER BY tenant, name;
SELECT tenant, count(*) AS runs FROM thaiyyal.runs WHERE tenant LIKE 'regress_%' GROUP BY tenant ORDER BY tenant;

-- Clean up.
DELETE FROM thaiyyal.workflows WHERE tenant IN ('regress_tenant_a', 'regress_tenant_b', 'regress_acme',
                                                 'regress_team', 'regress_globex');
DELETE FROM thaiyyal.tenant_members WHERE tenant LIKE 'regress_%';
DROP ROLE regress_tenant_a, regress_tenant_b, regress_tenant_c, regress_team;
