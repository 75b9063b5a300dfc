#!/usr/bin/env bash
# The pictures in README.md and docs/OBSERVABILITY.md, rendered from
# thaiyyal.to_dot by Graphviz (Debian's graphviz package):
#
#   make -j2 && bash scripts/render_pictures.sh
#
# starts a private cluster with this build (scripts/dev_cluster.sh, name
# "pictures"), stores the demo's order workflow (scripts/demo.sh), runs it
# once with thaiyyal.record_nodes = all, and writes
#
#   docs/images/demo-workflow.{dot,svg,png}   the workflow
#   docs/images/demo-run.{dot,svg,png}        that run: nodes coloured by
#                                             what happened, with their times
#   docs/images/failed-run.{dot,svg,png}      a run whose node failed
#
# then stops the cluster. The run pictures show real times, so they change
# a little with every rendering.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dot >/dev/null || apt-get install -y graphviz >/dev/null
out=docs/images
mkdir -p "$out"

name=pictures
bash scripts/dev_cluster.sh stop "$name" >/dev/null 2>&1 || true
trap 'bash scripts/dev_cluster.sh stop "$name" >/dev/null 2>&1 || true' EXIT
eval "$(bash scripts/dev_cluster.sh start "$name")"

sql() { psql -X -q -At -v ON_ERROR_STOP=1 -d postgres "$@"; }
sql -c "CREATE EXTENSION thaiyyal" -c "CREATE ROLE shop LOGIN"
sql -c "GRANT shop TO postgres" >/dev/null

# The demo's order workflow (scripts/demo_workflow.json, as in scripts/demo.sh),
# stored for the tenant "shop".
definition=$(cat scripts/demo_workflow.json)
failing='{"workflow_id": "failing-demo", "nodes": [
  {"id": "order", "type": "workflow_input", "data": {"field": "order"}},
  {"id": "items", "type": "expression", "data": {"expression": "input.quantity * input.price"}},
  {"id": "per_item", "type": "expression", "data": {"expression": "node.items / node.order.quantity"}},
  {"id": "report", "type": "visualization", "data": {"mode": "text"}}],
 "edges": [{"source": "order", "target": "items"}, {"source": "items", "target": "per_item"},
           {"source": "order", "target": "per_item"}, {"source": "per_item", "target": "report"}]}'

sql -v def="$definition" -v failing="$failing" <<'SQL' >/dev/null
SET thaiyyal.tenant = 'shop';
SET thaiyyal.record_nodes = 'all';
SELECT thaiyyal.save_workflow('order_demo', :'def');
SELECT thaiyyal.run('order_demo');
SELECT thaiyyal.save_workflow('failing_demo', :'failing');
SQL
# A failed thaiyyal.run rolls back and records nothing; a queued run that
# fails is recorded with its node rows.
sql -c "ALTER ROLE shop SET thaiyyal.record_nodes = 'all'"
run_failed=$(psql -X -q -At -v ON_ERROR_STOP=1 -d postgres -U shop \
  -c "SELECT thaiyyal.enqueue('failing_demo', '{\"order\": {\"quantity\": 0, \"price\": 5}}')")
sql -U shop -c "SELECT thaiyyal.wait($run_failed, '30 seconds')" >/dev/null

sql -c "SET thaiyyal.tenant = 'shop'" -c "SELECT thaiyyal.to_dot(definition) FROM thaiyyal.workflows WHERE name = 'order_demo'" \
  >"$out/demo-workflow.dot"
sql -c "SET thaiyyal.tenant = 'shop'" -c "SELECT thaiyyal.to_dot(NULL, (SELECT max(r.id) FROM thaiyyal.runs r JOIN thaiyyal.workflows w ON w.id = r.workflow_id WHERE w.name = 'order_demo'))" \
  >"$out/demo-run.dot"
sql -c "SET thaiyyal.tenant = 'shop'" -c "SELECT thaiyyal.to_dot(NULL, $run_failed)" >"$out/failed-run.dot"

for picture in demo-workflow demo-run failed-run; do
  dot -Tsvg "$out/$picture.dot" -o "$out/$picture.svg"
  dot -Tpng -Gdpi=96 "$out/$picture.dot" -o "$out/$picture.png"
done
ls -l "$out"
