--
-- The listing and lookup queries use the indexes: 100,000 workflows of 100
-- tenants and 1,000,000 runs, queried by a tenant role under row-level
-- security.
--
-- The lookups by unique key are shown with EXPLAIN (COSTS OFF). For the
-- other queries the plan's details (bitmap or plain index scan, a small
-- per-workflow sort) depend on ANALYZE's random sample, so plan_summary
-- reports what must hold whatever the sample: the indexes used and that no
-- table is read sequentially.
--
\set SHOW_CONTEXT never
CREATE ROLE regress_explain;

CREATE FUNCTION pg_temp.plan_summary(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  plan jsonb;
  indexes text;
  seq_scans text;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || query INTO plan;
  SELECT string_agg(DISTINCT n ->> 'Index Name', ', '),
         string_agg(DISTINCT n ->> 'Relation Name', ', ') FILTER (WHERE n ->> 'Node Type' = 'Seq Scan')
    INTO indexes, seq_scans
  FROM jsonb_path_query(plan, 'strict $.**') n
  WHERE jsonb_typeof(n) = 'object' AND n ? 'Node Type';
  RETURN format('indexes: %s; sequential scans: %s',
                coalesce(indexes, 'none'), coalesce(seq_scans, 'none'));
END
$$;
-- Whether the plan sorts by the given key (instead of reading an index in
-- that order).
CREATE FUNCTION pg_temp.plan_sorts_by(query text, sort_key text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  plan jsonb;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || query INTO plan;
  RETURN EXISTS (SELECT FROM jsonb_path_query(plan, 'strict $.**') n
                 WHERE jsonb_typeof(n) = 'object' AND n ->> 'Node Type' = 'Sort'
                   AND n -> 'Sort Key' ? sort_key);
END
$$;

-- Bulk load as the owner. session_replication_role = replica skips the
-- foreign-key triggers of the million run rows (the definitions are still
-- validated by the CHECK constraint).
SET session_replication_role = replica;
INSERT INTO thaiyyal.workflows (tenant, name, definition, created_at, updated_at)
SELECT CASE WHEN g % 100 = 0 THEN 'regress_explain' ELSE 'regress_explain_' || g % 100 END,
       'wf_' || g, '{"nodes": []}',
       timestamptz '2024-01-01' + g * interval '1 minute',
       timestamptz '2024-01-01' + g * interval '1 minute'
FROM generate_series(1, 100000) g;
INSERT INTO thaiyyal.runs (workflow_id, workflow_version, tenant, status, attempts,
                           created_at, started_at, finished_at)
SELECT w.id, 1, w.tenant,
       CASE WHEN i = 3 THEN 'failed' ELSE 'succeeded' END, 1,
       w.created_at + i * interval '1 hour', w.created_at + i * interval '1 hour',
       w.created_at + i * interval '1 hour' + interval '1 second'
FROM thaiyyal.workflows w CROSS JOIN generate_series(1, 10) i
WHERE w.tenant LIKE 'regress_explain%';
RESET session_replication_role;
ANALYZE thaiyyal.workflows;
ANALYZE thaiyyal.runs;
SELECT count(*) AS workflows FROM thaiyyal.workflows WHERE tenant LIKE 'regress_explain%';
SELECT count(*) AS runs FROM thaiyyal.runs WHERE tenant LIKE 'regress_explain%';

SET ROLE regress_explain;
SELECT count(*) AS own_workflows FROM thaiyyal.workflows;

-- The listing: the tenant's newest workflows, each with its latest run.
-- workflows_tenant_created_idx gives the order (no sort of the tenant's
-- workflows), runs_workflow_created_idx the latest run of each.
SELECT pg_temp.plan_summary($$SELECT name, version, last_run_status, last_run_at
  FROM thaiyyal.workflow_list ORDER BY created_at DESC LIMIT 20$$);
SELECT pg_temp.plan_sorts_by($$SELECT name, version, last_run_status, last_run_at
  FROM thaiyyal.workflow_list ORDER BY created_at DESC LIMIT 20$$, 'w.created_at DESC') AS sorts_workflows;
-- (Control: ordered by a column without an index, it has to sort.)
SELECT pg_temp.plan_sorts_by($$SELECT name FROM thaiyyal.workflow_list ORDER BY updated_at DESC LIMIT 20$$,
                             'w.updated_at DESC') AS sorts_by_updated_at;
SELECT name, version, last_run_status, last_run_at
FROM thaiyyal.workflow_list ORDER BY created_at DESC LIMIT 3;

-- The lookup thaiyyal.run makes (workflow_store.cpp): (id, version,
-- revision) by (tenant, name).
EXPLAIN (COSTS OFF)
SELECT t.tenant, w.id, w.version, w.revision, w.tableoid
FROM thaiyyal.require_tenant() AS t(tenant)
LEFT JOIN thaiyyal.workflows w ON w.tenant = t.tenant AND w.name = 'wf_500';
-- get_workflow / drop_workflow look up the same way.
EXPLAIN (COSTS OFF)
SELECT * FROM thaiyyal.workflows w WHERE w.tenant = thaiyyal.current_tenant() AND w.name = 'wf_500';

-- A workflow's runs, newest first.
SELECT pg_temp.plan_summary($$SELECT r.id, r.status, r.created_at FROM thaiyyal.runs r
  WHERE r.workflow_id = 42 ORDER BY r.created_at DESC LIMIT 10$$);
-- The tenant's failed runs, newest first (in index order).
SELECT pg_temp.plan_summary($$SELECT r.id, r.workflow_id, r.created_at FROM thaiyyal.runs r
  WHERE r.status = 'failed' ORDER BY r.created_at DESC LIMIT 10$$);
SELECT pg_temp.plan_sorts_by($$SELECT r.id, r.workflow_id, r.created_at FROM thaiyyal.runs r
  WHERE r.status = 'failed' ORDER BY r.created_at DESC LIMIT 10$$, 'r.created_at DESC') AS sorts_runs;
RESET ROLE;

-- Retention (purge_runs, run by the owner): the oldest finished runs.
SELECT pg_temp.plan_summary($$SELECT r.id FROM thaiyyal.runs r
  WHERE r.finished_at < timestamptz '2024-01-02'
  ORDER BY r.finished_at LIMIT 10000 FOR UPDATE SKIP LOCKED$$);
SELECT thaiyyal.purge_runs(now() - timestamptz '2024-01-02', 5000) AS purged;

-- Clean up.
SET session_replication_role = replica;
DELETE FROM thaiyyal.runs WHERE tenant LIKE 'regress_explain%';
DELETE FROM thaiyyal.workflows WHERE tenant LIKE 'regress_explain%';
RESET session_replication_role;
DROP ROLE regress_explain;
