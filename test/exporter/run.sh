#!/usr/bin/env bash
# The metrics of docs/METRICS.md through the real prometheus-postgres-exporter:
# the YAML block of docs/METRICS.md is given to the exporter as its custom
# queries, the exporter listens on loopback, is scraped once, and the metric
# names must appear with plausible values (run counts, failures by class,
# node executions, times that are positive and ordered).
#
# Runs against the cluster in the environment (PGHOST, PGPORT, PGUSER as a
# superuser; scripts/test.sh: the workers' pg_virtualenv cluster, thaiyyal
# preloaded), in a database of its own that it creates and drops. Installs
# prometheus-postgres-exporter with apt-get when it is missing, and skips
# (exit 0, "# skip: ...") only when it cannot be installed.
set -uo pipefail
cd "$(dirname "$0")"
source ../workers/lib.sh
repo=$(cd ../.. && pwd)
EXPORTER=/usr/bin/prometheus-postgres-exporter
DB=thaiyyal_exporter_test
ROLE=thaiyyal_exporter_test
ROLE_PASSWORD=thaiyyal-exporter-password

if [[ ! -x $EXPORTER ]]; then
  echo "# prometheus-postgres-exporter is missing: apt-get install"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y prometheus-postgres-exporter ||
         { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y prometheus-postgres-exporter; }; } \
      >/tmp/thaiyyal-exporter-apt.log 2>&1 || [[ ! -x $EXPORTER ]]; then
    echo "# skip: prometheus-postgres-exporter cannot be installed (see /tmp/thaiyyal-exporter-apt.log)"
    echo "exporter: skipped (package not installable)"
    exit 0
  fi
fi
# The Debian package enables a service; where an init system started it,
# it serves its own configuration on :9187 and is no concern of this test.

workdir=$(mktemp -d)
exporter_pid=""
cleanup() {
  [[ -n $exporter_pid ]] && kill "$exporter_pid" 2>/dev/null && wait "$exporter_pid" 2>/dev/null
  DB=postgres q "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
  DB=postgres q "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
  [[ -n ${KEEP:-} ]] || rm -rf "$workdir"
}
trap cleanup EXIT

# The queries exactly as documented: the first ```yaml block.
awk '/^```yaml$/ {on = 1; next} on && /^```$/ {exit} on {print}' "$repo/docs/METRICS.md" \
  >"$workdir/queries.yaml"
[[ -s $workdir/queries.yaml ]] || {
  fail "docs/METRICS.md has a yaml block of queries"
  echo "exporter: $tests tests, $failed failed"
  exit 1
}

DB=postgres q "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
DB=postgres q "CREATE DATABASE $DB" >/dev/null
q "CREATE EXTENSION thaiyyal" >/dev/null
q "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
q "CREATE ROLE $ROLE LOGIN PASSWORD '$ROLE_PASSWORD' IN ROLE pg_monitor" >/dev/null
q "SELECT thaiyyal.stat_reset()" >/dev/null

# Runs to count: a stored workflow 3 times (as the superuser: thaiyyal.run
# runs synchronously), a payload that fails in a node twice.
q "SELECT thaiyyal.save_workflow('exported', '{\"nodes\": [
    {\"id\": \"n\", \"type\": \"workflow_input\", \"data\": {\"field\": \"n\", \"default\": 1}},
    {\"id\": \"nap\", \"type\": \"delay\", \"data\": {\"duration\": \"5ms\"}},
    {\"id\": \"d\", \"type\": \"expression\", \"data\": {\"expression\": \"node.n * 2\"}}],
  \"edges\": [{\"source\": \"n\", \"target\": \"nap\"}, {\"source\": \"nap\", \"target\": \"d\"}]}')" \
  >/dev/null
# Every run's nodes timed (the default times a sample of runs).
for i in 1 2 3; do
  PGOPTIONS="-c thaiyyal.node_timing_sample_rate=1" q "SELECT thaiyyal.run('exported', '{\"n\": $i}')" >/dev/null
done
for i in 1 2; do
  q "SELECT thaiyyal_execute('{\"nodes\": [{\"id\": \"z\", \"type\": \"expression\", \"data\": {\"expression\": \"1 / 0\"}}]}')" \
    >/dev/null 2>&1
done
check "the runs are counted" "3|2" \
  "$(q "SELECT (SELECT calls FROM thaiyyal.stat_workflows WHERE workflow = 'exported') || '|' ||
              (SELECT failures FROM thaiyyal.stat_workflows WHERE workflow IS NULL)")"

# A free loopback port.
port=""
for candidate in $(seq 19187 19287); do
  if ! ss -ltn "( sport = :$candidate )" | grep -q ":$candidate"; then
    port=$candidate
    break
  fi
done
[[ -n $port ]] || { fail "a free port on 127.0.0.1"; exit 1; }

host=${PGHOST:-/var/run/postgresql}
# A clean environment: the exporter's driver (lib/pq) panics on libpq
# variables it does not support, such as the PGSYSCONFDIR of pg_virtualenv.
env -i PATH="$PATH" \
  DATA_SOURCE_NAME="host=$host port=${PGPORT:-5432} user=$ROLE password=$ROLE_PASSWORD dbname=$DB sslmode=disable" \
  "$EXPORTER" --web.listen-address="127.0.0.1:$port" --extend.query-path="$workdir/queries.yaml" \
  --disable-settings-metrics --log.level=warn >"$workdir/exporter.log" 2>&1 &
exporter_pid=$!

# Scrape once it answers (at most 15 s).
metrics=""
for _ in $(seq 1 150); do
  if metrics=$(curl -sf --max-time 5 "http://127.0.0.1:$port/metrics"); then break; fi
  metrics=""
  sleep 0.1
done
if [[ -z $metrics ]]; then
  fail "the exporter answers on 127.0.0.1:$port" "$(tail -5 "$workdir/exporter.log")"
  echo "exporter: $tests tests, $failed failed"
  exit 1
fi
ok "the exporter answers on 127.0.0.1:$port"
echo "$metrics" >"$workdir/metrics.txt"

# value METRIC LABEL-FILTER: the sample value of the first line of METRIC
# whose labels contain the filter.
value() {
  grep -E "^$1\{" "$workdir/metrics.txt" | grep -F "$2" | head -1 | awk '{print $NF}'
}

check "pg_up is 1 (the exporter reached the database)" 1 "$(grep -E '^pg_up ' "$workdir/metrics.txt" | awk '{print $2}')"
if grep -qiE 'error.*thaiyyal|thaiyyal.*error' "$workdir/exporter.log"; then
  fail "the custom queries run without errors" "$(grep -iE 'thaiyyal' "$workdir/exporter.log" | head -3)"
else
  ok "the custom queries run without errors"
fi
for metric in thaiyyal_workflow_runs_total thaiyyal_workflow_failures_total \
  thaiyyal_workflow_run_time_seconds_total thaiyyal_workflow_run_time_max_seconds \
  thaiyyal_workflow_run_time_mean_seconds thaiyyal_workflow_run_time_p50_seconds \
  thaiyyal_workflow_run_time_p95_seconds thaiyyal_workflow_run_time_p99_seconds \
  thaiyyal_workflow_compiles_total thaiyyal_workflow_compile_time_seconds_total \
  thaiyyal_workflow_plan_cache_hits_total thaiyyal_workflow_sql_rows_read_total \
  thaiyyal_workflow_sql_rows_written_total thaiyyal_workflow_failed_runs_total \
  thaiyyal_node_executions_total thaiyyal_node_skips_total thaiyyal_node_failures_total \
  thaiyyal_node_time_seconds_total thaiyyal_node_time_max_seconds \
  thaiyyal_stat_evictions_total thaiyyal_stat_reset_time_seconds; do
  if grep -qE "^$metric(\{| )" "$workdir/metrics.txt"; then ok "metric $metric"; else fail "metric $metric"; fi
done

stored="workflow=\"exported\""
check "runs of the stored workflow" 3 "$(value thaiyyal_workflow_runs_total "$stored")"
check "its labels: database, tenant, revision" 1 \
  "$(grep -E '^thaiyyal_workflow_runs_total\{' "$workdir/metrics.txt" | grep -F "$stored" |
     grep -F "datname=\"$DB\"" | grep -F "tenant=\"${PGUSER:-postgres}\"" | grep -cE 'revision="[0-9]+"')"
check "failed payload runs, class TH" 2 \
  "$(value thaiyyal_workflow_failed_runs_total 'sqlstate_class="TH"')"
check "the delay node ran 3 times" 3 "$(value thaiyyal_node_executions_total 'node_type="delay"')"
# Plausible times: each run waited 5 ms, so 3 runs took at least 15 ms and
# less than a minute; the percentiles are ordered and within [5 ms, max].
times=$(awk -v s="$stored" '
  index($0, s) && /^thaiyyal_workflow_run_time_seconds_total\{/ {total = $NF}
  index($0, s) && /^thaiyyal_workflow_run_time_max_seconds\{/ {max = $NF}
  index($0, s) && /^thaiyyal_workflow_run_time_p50_seconds\{/ {p50 = $NF}
  index($0, s) && /^thaiyyal_workflow_run_time_p99_seconds\{/ {p99 = $NF}
  END {
    print (total >= 0.015 && total < 60) ? "total ok" : "total " total
    print (p50 >= 0.005 && p50 <= p99 && p99 <= max + 1e-9) ? "percentiles ok" : "percentiles " p50 " " p99 " " max
  }' "$workdir/metrics.txt")
check "run times are plausible" "total ok
percentiles ok" "$times"
check "the delay node's time is at least 3 x 5 ms" 1 \
  "$(awk '/^thaiyyal_node_time_seconds_total\{/ && /node_type="delay"/ && /node_id=""/ {print ($NF >= 0.015 && $NF < 60) ? 1 : 0; exit}' "$workdir/metrics.txt")"
check "no evictions" 0 "$(value thaiyyal_stat_evictions_total '')"

echo "exporter: $tests tests, $failed failed"
[[ $failed == 0 ]]
