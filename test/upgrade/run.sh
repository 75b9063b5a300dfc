#!/usr/bin/env bash
# ALTER EXTENSION thaiyyal UPDATE from 0.1.0 (as released at tag v0.1.0),
# through 0.2.0 to 0.3.0: workflows, runs, payloads, node rows and pg_cron
# schedules made under 0.1.0 survive; queued runs are executed after the
# update; privileges and behaviour are the current version's; and the
# upgraded catalog is the same as a fresh install's (functions, columns,
# constraints, indexes, policies, triggers, grants, comments) -- also when
# the update starts from a fresh 0.2.0 install.
#
# Runs in the workers' cluster (scripts/test.sh: thaiyyal and pg_cron
# preloaded, both serving the database "postgres"), before the workers
# suite, which starts from a fresh CREATE EXTENSION.
set -uo pipefail
cd "$(dirname "$0")"
source ../workers/lib.sh
DB=postgres
repo=$(cd ../.. && pwd)

# The 0.1.0 script is exactly the released one.
if git -C "$repo" rev-parse -q --verify v0.1.0 >/dev/null 2>&1; then
  if git -C "$repo" show v0.1.0:sql/thaiyyal--0.1.0.sql | cmp -s - "$repo/sql/thaiyyal--0.1.0.sql"; then
    ok "sql/thaiyyal--0.1.0.sql is the script released as v0.1.0"
  else
    fail "sql/thaiyyal--0.1.0.sql is the script released as v0.1.0"
  fi
else
  echo "# skip: tag v0.1.0 is not in this clone"
fi

q "DROP EXTENSION IF EXISTS thaiyyal CASCADE" >/dev/null
q "CREATE EXTENSION IF NOT EXISTS pg_cron" >/dev/null
q "CREATE EXTENSION thaiyyal VERSION '0.1.0'" >/dev/null
check "0.1.0 is installed" 0.1.0 "$(q "SELECT extversion FROM pg_extension WHERE extname = 'thaiyyal'")"
make_user
q "GRANT USAGE ON SCHEMA cron TO $USER_ROLE" >/dev/null

# --- 0.1.0 data, written with 0.1.0's own PL/pgSQL API and grants (its C
# functions belong to this library now, which serves 0.3.0 only).
qu "SELECT thaiyyal.save_workflow('adder', '{\"nodes\":[
  {\"id\":\"x\",\"type\":\"workflow_input\",\"data\":{\"field\":\"x\",\"default\":1}},
  {\"id\":\"y\",\"type\":\"expression\",\"data\":{\"expression\":\"input + 1\"}}],
  \"edges\":[{\"source\":\"x\",\"target\":\"y\"}]}')" >/dev/null
qu "SELECT thaiyyal.save_workflow('adder', '{\"nodes\":[
  {\"id\":\"x\",\"type\":\"workflow_input\",\"data\":{\"field\":\"x\",\"default\":1}},
  {\"id\":\"y\",\"type\":\"expression\",\"data\":{\"expression\":\"input + 100\"}}],
  \"edges\":[{\"source\":\"x\",\"target\":\"y\"}]}')" >/dev/null
qu "SELECT thaiyyal.save_workflow('other', '{\"nodes\":[{\"id\":\"n\",\"type\":\"number\",\"data\":{\"value\":7}}]}')" >/dev/null
# A finished run of version 1, a finished run of version 2 with node rows,
# a queued run (0.1.0's enqueue wakes the workers through a function this
# library no longer serves, so the row is written as 0.1.0's grants allowed).
qu "WITH w AS (SELECT id FROM thaiyyal.workflows WHERE name = 'adder'),
         r AS (INSERT INTO thaiyyal.runs (workflow_id, workflow_version, status, attempts, started_at, finished_at)
               SELECT id, 1, 'succeeded', 1, now(), now() FROM w RETURNING id, tenant)
    INSERT INTO thaiyyal.run_payloads (run_id, tenant, input, result)
    SELECT id, tenant, '{\"x\": 1}', '{\"final_output\": 2}' FROM r" >/dev/null
qu "WITH w AS (SELECT id FROM thaiyyal.workflows WHERE name = 'adder'),
         r AS (INSERT INTO thaiyyal.runs (workflow_id, workflow_version, status, attempts, started_at, finished_at)
               SELECT id, 2, 'succeeded', 1, now(), now() FROM w RETURNING id, tenant),
         p AS (INSERT INTO thaiyyal.run_payloads (run_id, tenant, input, result)
               SELECT id, tenant, '{\"x\": 2}', '{\"final_output\": 102}' FROM r)
    INSERT INTO thaiyyal.run_nodes (run_id, seq, tenant, node_id, node_type, status, duration_us)
    SELECT id, 1, tenant, 'y', 'expression', 'succeeded', 5 FROM r" >/dev/null
queued=$(qu "WITH w AS (SELECT id FROM thaiyyal.workflows WHERE name = 'adder'),
         r AS (INSERT INTO thaiyyal.runs (workflow_id, workflow_version, status)
               SELECT id, 2, 'queued' FROM w RETURNING id, tenant),
         p AS (INSERT INTO thaiyyal.run_payloads (run_id, tenant, input) SELECT id, tenant, '{\"x\": 5}' FROM r)
    SELECT id FROM r")
# What 0.1.0's grants let another role do: attach a payload-less run of its
# own tenant to a workflow of another tenant (the update removes it).
q "CREATE ROLE upgrade_intruder" >/dev/null
q "SET ROLE upgrade_intruder;
   INSERT INTO thaiyyal.runs (workflow_id, workflow_version, status)
   SELECT w.id, 1, 'failed' FROM (SELECT id FROM thaiyyal.workflows ORDER BY id LIMIT 1) w" >/dev/null
# A schedule made by 0.1.0's thaiyyal.schedule.
job=$(qu "SELECT thaiyyal.schedule('nightly', '0 3 * * *', 'adder', '{\"x\": 9}')")
old_command=$(q "SELECT command FROM cron.job WHERE jobid = $job")
check "0.1.0's schedule enqueues the current version at every tick" \
  "SELECT thaiyyal.enqueue('adder', '{\"x\": 9}'::jsonb) FROM pg_catalog.set_config('thaiyyal.tenant', '$USER_ROLE', true)" \
  "$old_command"
finished_runs="SELECT string_agg(format('%s/%s/%s', w.name, r.workflow_version, r.status), ',' ORDER BY r.id)
  FROM thaiyyal.runs r JOIN thaiyyal.workflows w ON w.id = r.workflow_id
  WHERE r.tenant = '$USER_ROLE' AND r.id <> $queued"
before=$(q "$finished_runs")

# --- The update.
if out=$(q "ALTER EXTENSION thaiyyal UPDATE TO '0.2.0'" 2>&1); then
  ok "ALTER EXTENSION thaiyyal UPDATE TO '0.2.0'"
else
  fail "ALTER EXTENSION thaiyyal UPDATE TO '0.2.0'" "$out"
fi
check "0.2.0 is installed" 0.2.0 "$(q "SELECT extversion FROM pg_extension WHERE extname = 'thaiyyal'")"
# This library serves 0.3.0 only: the workers wait for the second step.
if out=$(q "ALTER EXTENSION thaiyyal UPDATE" 2>&1); then
  ok "ALTER EXTENSION thaiyyal UPDATE (0.2.0 -> 0.3.0)"
else
  fail "ALTER EXTENSION thaiyyal UPDATE (0.2.0 -> 0.3.0)" "$out"
fi
check "0.3.0 is installed" 0.3.0 "$(q "SELECT extversion FROM pg_extension WHERE extname = 'thaiyyal'")"

# --- Data.
check "workflows survive" "adder/2,other/1" \
  "$(q "SELECT string_agg(name || '/' || version, ',' ORDER BY name) FROM thaiyyal.workflows")"
check "each workflow's current definition is its version row" "adder/2,other/1" \
  "$(q "SELECT string_agg(w.name || '/' || v.version, ',' ORDER BY w.name) FROM thaiyyal.workflows w
        JOIN thaiyyal.workflow_versions v ON v.revision = w.revision AND v.definition = w.definition")"
check "the tenant's finished runs survive" "$before" "$(q "$finished_runs")"
check "payloads and node rows survive" "3|1" \
  "$(q "SELECT (SELECT count(*) FROM thaiyyal.run_payloads), (SELECT count(*) FROM thaiyyal.run_nodes)")"
check "the run attached across tenants is gone" 0 \
  "$(q "SELECT count(*) FROM thaiyyal.runs WHERE tenant = 'upgrade_intruder'")"
check "runs of the current version are pinned; older ones are not" "1:|2:true|2:true" \
  "$(q "SELECT string_agg(r.workflow_version || ':' || coalesce((r.workflow_revision = w.revision)::text, ''), '|' ORDER BY r.id)
        FROM thaiyyal.runs r JOIN thaiyyal.workflows w ON w.id = r.workflow_id")"
check "the queued run is executed after the update, on the pinned version" 105 \
  "$(qu "SELECT thaiyyal.wait($queued, '30 s') -> 'result' ->> 'final_output'")"
check "the 0.1.0 schedule is pinned to the version current at the update" \
  "SELECT thaiyyal.enqueue('adder', '{\"x\": 9}'::jsonb, version => 2) FROM pg_catalog.set_config('thaiyyal.tenant', '$USER_ROLE', true)" \
  "$(q "SELECT command FROM cron.job WHERE jobid = $job")"

# --- Behaviour and privileges are the current version's.
check "an ordinary role can no longer write the catalog" "ERROR:  permission denied for table runs" \
  "$(qu "UPDATE thaiyyal.runs SET status = 'queued'" 2>&1 | head -1)"
check "version 1 was not kept by 0.1.0, so it cannot be queued" \
  "ERROR:  workflow \"adder\" has no version 1" "$(qu "SELECT thaiyyal.enqueue('adder', version => 1)" 2>&1 | head -1)"
qu "SELECT thaiyyal.save_workflow('adder', '{\"nodes\":[
  {\"id\":\"x\",\"type\":\"workflow_input\",\"data\":{\"field\":\"x\",\"default\":1}},
  {\"id\":\"y\",\"type\":\"expression\",\"data\":{\"expression\":\"input + 1000\"}}],
  \"edges\":[{\"source\":\"x\",\"target\":\"y\"}]}')" >/dev/null
check "a save after the update is version 3, and version 2 stays runnable" "1020|120" \
  "$(qu "SELECT thaiyyal.run('adder', '{\"x\": 20}') ->> 'final_output'")|$(qu "SELECT thaiyyal.run('adder', '{\"x\": 20}', version => 2) ->> 'final_output'")"
q "SELECT cron.unschedule($job)" >/dev/null

# --- The upgraded catalog equals a fresh install's. (A NULL ACL is the
# default one: compared as acldefault.)
catalog_sql="
SELECT 'function ' || p.oid::regprocedure || ' ' || p.prokind::text || p.provolatile::text || p.prosecdef
       || ' ' || coalesce(array_to_string(p.proconfig, ','), '-')
       || ' ' || coalesce(p.proacl, acldefault('f'::\"char\", p.proowner))::text
       || ' ' || md5(coalesce(p.prosrc, '') || coalesce(p.probin, ''))
       || ' ' || coalesce(md5(obj_description(p.oid, 'pg_proc')), '-')
FROM pg_proc p WHERE p.pronamespace = 'thaiyyal'::regnamespace OR p.proname = 'thaiyyal_execute'
UNION ALL
SELECT 'relation ' || c.oid::regclass || ' ' || c.relkind::text || ' ' || c.relrowsecurity || ' '
       || coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner))::text
       || ' ' || coalesce(md5(obj_description(c.oid, 'pg_class')), '-')
FROM pg_class c WHERE c.relnamespace = 'thaiyyal'::regnamespace
UNION ALL
SELECT 'column ' || a.attrelid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-') || ' ' || a.attnum
       || ' ' || coalesce(a.attacl::text, '-') || ' ' || coalesce(md5(col_description(a.attrelid, a.attnum)), '-')
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE c.relnamespace = 'thaiyyal'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = 'thaiyyal'::regnamespace
UNION ALL
SELECT 'index ' || indexrelid::regclass || ' ' || pg_get_indexdef(indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'thaiyyal'::regnamespace
UNION ALL
SELECT 'policy ' || polrelid::regclass || ' ' || polname || ' ' || polcmd::text || ' ' || polroles::text
       || ' ' || coalesce(pg_get_expr(polqual, polrelid), '-') || ' ' || coalesce(pg_get_expr(polwithcheck, polrelid), '-')
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = 'thaiyyal'::regnamespace
UNION ALL
SELECT 'trigger ' || tgrelid::regclass || ' ' || pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = 'thaiyyal'::regnamespace AND NOT t.tgisinternal
UNION ALL
SELECT 'view ' || c.oid::regclass || ' ' || md5(pg_get_viewdef(c.oid))
FROM pg_class c WHERE c.relnamespace = 'thaiyyal'::regnamespace AND c.relkind = 'v'
UNION ALL
SELECT 'config ' || unnest(e.extconfig)::regclass FROM pg_extension e WHERE e.extname = 'thaiyyal'
UNION ALL
SELECT 'schema ' || n.nspname || ' ' || coalesce(n.nspacl, acldefault('n'::\"char\", n.nspowner))::text FROM pg_namespace n WHERE n.nspname = 'thaiyyal'
ORDER BY 1"
upgraded=$(q "$catalog_sql")
q "DROP DATABASE IF EXISTS upgrade_fresh" >/dev/null
q "CREATE DATABASE upgrade_fresh" >/dev/null
DB=upgrade_fresh q "CREATE EXTENSION thaiyyal" >/dev/null
fresh=$(DB=upgrade_fresh q "$catalog_sql")
objects=$(echo "$fresh" | grep -c .)
if ((objects < 100)); then
  fail "the catalogs could be described" "only $objects objects"
elif [[ "$upgraded" == "$fresh" ]]; then
  ok "the catalog upgraded from 0.1.0 is the fresh 0.3.0 catalog ($objects objects compared)"
else
  fail "the catalog upgraded from 0.1.0 is the fresh 0.3.0 catalog" "$(diff <(echo "$fresh") <(echo "$upgraded") | head -20 | tr '\n' ' ')"
fi
q "DROP DATABASE upgrade_fresh" >/dev/null
# From a fresh 0.2.0 install (as 0.2.0 shipped) to 0.3.0.
q "DROP DATABASE IF EXISTS upgrade_from_020" >/dev/null
q "CREATE DATABASE upgrade_from_020" >/dev/null
DB=upgrade_from_020 q "CREATE EXTENSION thaiyyal VERSION '0.2.0'" >/dev/null
DB=upgrade_from_020 q "ALTER EXTENSION thaiyyal UPDATE" >/dev/null
from_020=$(DB=upgrade_from_020 q "$catalog_sql")
if [[ "$from_020" == "$fresh" ]]; then
  ok "the catalog upgraded from a fresh 0.2.0 is the fresh 0.3.0 catalog"
else
  fail "the catalog upgraded from a fresh 0.2.0 is the fresh 0.3.0 catalog" "$(diff <(echo "$fresh") <(echo "$from_020") | head -20 | tr '\n' ' ')"
fi
q "DROP DATABASE upgrade_from_020" >/dev/null

# Leave the database to the workers suite.
q "DROP EXTENSION thaiyyal CASCADE" >/dev/null
q "DROP ROLE upgrade_intruder" >/dev/null
finish
