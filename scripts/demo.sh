#!/usr/bin/env bash
# The demo (Debian 12, PostgreSQL 15, run as root):
#
#   bash scripts/demo.sh
#
# installs what is missing, builds and installs the extension, starts a
# throwaway PostgreSQL 15 cluster (pg_virtualenv), creates the extension and
# runs an example workflow, printing its Result; then, as an ordinary role,
# stores a workflow, runs it synchronously and through the background
# workers' queue. The cluster is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
echo "=== building thaiyyal (make -j$(nproc); the engine takes a few minutes the first time)"
make -s -j"$(nproc)"
make -s install

echo "=== starting a throwaway PostgreSQL 15 cluster"
# Preloaded, so that background workers execute queued runs in "postgres".
pg_virtualenv -v 15 -o shared_preload_libraries=thaiyyal -o thaiyyal.database=postgres \
  psql -X -q -v ON_ERROR_STOP=1 -P pager=off -d postgres \
  -v order_demo="$(cat scripts/demo_workflow.json)" <<'SQL'
CREATE EXTENSION thaiyyal;
\echo
\echo '=== An order: price x quantity, free shipping from 50, a label by size'
\echo
SELECT jsonb_pretty(thaiyyal_execute(:'order_demo')) AS result;

\echo
\echo '=== Errors carry SQLSTATEs: 22023 bad payload, TH001 node failure, TH002 timeout'
\echo
DO $$
BEGIN
  PERFORM thaiyyal_execute('{"nodes": [{"id": "div", "type": "operation", "data": {"op": "divide"}}]}');
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'SQLSTATE %: %', SQLSTATE, SQLERRM;
END
$$;

\echo
\echo '=== A stored workflow with run input: synchronously, then queued for the background workers'
\echo '    (as an ordinary role, in its own tenant: queued runs execute as the role that queued them,'
\echo '    and a superuser may not queue runs)'
\echo
CREATE ROLE demo;
SET ROLE demo;
SELECT thaiyyal.save_workflow('quote', $json$
{
  "nodes": [
    {"id": "qty",   "type": "workflow_input", "data": {"field": "quantity", "default": 1}},
    {"id": "price", "type": "workflow_input", "data": {"field": "unit_price", "required": true}},
    {"id": "net",   "type": "operation", "data": {"op": "multiply"}},
    {"id": "total", "type": "expression", "data": {"expression": "input * 1.2"}}
  ],
  "edges": [
    {"source": "qty", "target": "net"}, {"source": "price", "target": "net"},
    {"source": "net", "target": "total"}
  ]
}
$json$) AS workflow_id;
SELECT thaiyyal.run('quote', '{"quantity": 3, "unit_price": 10}') -> 'final_output' AS synchronous_total;
SELECT thaiyyal.enqueue('quote', '{"quantity": 5, "unit_price": 10}') AS run_id \gset
SELECT jsonb_pretty(thaiyyal.wait(:run_id, '30 seconds') #- '{result,node_results}') AS queued_run;
SELECT id, status, attempts, finished_at - started_at AS took FROM thaiyyal.runs ORDER BY id;
SQL
