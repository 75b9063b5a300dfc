#!/usr/bin/env bash
# The demo (Debian 12, PostgreSQL 15, run as root):
#
#   bash scripts/demo.sh
#
# installs what is missing, builds and installs the extension, starts a
# throwaway PostgreSQL 15 cluster (pg_virtualenv), creates the extension and
# runs an example workflow, printing its Result; then stores a workflow, runs
# it synchronously and through the background workers' queue. The cluster is
# removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
echo "=== building thaiyyal (make -j$(nproc); the engine takes a few minutes the first time)"
make -s -j"$(nproc)"
make -s install

echo "=== starting a throwaway PostgreSQL 15 cluster"
# Preloaded, so that background workers execute queued runs in "postgres".
pg_virtualenv -v 15 -o shared_preload_libraries=thaiyyal -o thaiyyal.database=postgres \
  psql -X -q -v ON_ERROR_STOP=1 -P pager=off -d postgres <<'SQL'
CREATE EXTENSION thaiyyal;
\echo
\echo '=== An order: price x quantity, free shipping from 50, a label by size'
\echo
SELECT jsonb_pretty(thaiyyal_execute($json$
{
  "workflow_id": "order-demo",
  "nodes": [
    {"id": "price",    "type": "number", "data": {"value": 19.99}},
    {"id": "quantity", "type": "number", "data": {"value": 3}},
    {"id": "total",    "type": "operation", "data": {"op": "multiply"}},
    {"id": "shipping", "type": "condition", "data": {"condition": ">= 50"}},
    {"id": "free",     "type": "text_input", "data": {"text": "free shipping"}},
    {"id": "paid",     "type": "text_input", "data": {"text": "shipping: 4.90"}},
    {"id": "size",     "type": "switch", "data": {"cases": [
        {"when": "input >= 100", "output_path": "large"},
        {"when": "input >= 50",  "output_path": "medium"},
        {"is_default": true,     "output_path": "small"}]}},
    {"id": "label",    "type": "expression",
     "data": {"expression": "input.output_path == \"medium\" ? \"a medium order\" : \"another order\""}}
  ],
  "edges": [
    {"source": "price",    "target": "total"},
    {"source": "quantity", "target": "total"},
    {"source": "total",    "target": "shipping"},
    {"source": "shipping", "target": "free", "sourceHandle": "true"},
    {"source": "shipping", "target": "paid", "sourceHandle": "false"},
    {"source": "total",    "target": "size"},
    {"source": "size",     "target": "label", "sourceHandle": "medium"}
  ]
}
$json$)) AS result;

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
\echo
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
