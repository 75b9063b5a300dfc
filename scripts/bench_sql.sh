#!/usr/bin/env bash
# The SQL half of scripts/bench.sh, run in its private benchmark cluster
# (scripts/dev_cluster.sh; PGHOST etc. set). Every measured run is paired
# with its baseline, run just before it in the same invocation:
#   baseline-W  SELECT body FROM payloads WHERE name = W      (the floor)
#   execute-W   SELECT thaiyyal_execute(body) FROM payloads WHERE name = W
#   execute-miss-W  the same with a payload that differs on every call (a
#                   random value in its first node: the plan cache never
#                   hits), against baseline-miss-W, the same jsonb_set alone
#   run-COMPLEX SELECT thaiyyal.run('COMPLEX')                (stored workflow)
#               against baseline-RUN and execute-RUN (thaiyyal_execute of the
#               same definition); run-unrecorded-COMPLEX the same call with
#               thaiyyal.record_runs = none (PGOPTIONS)
# and every measured run also untracked (untracked-W, untracked-RUN: the
# same script with thaiyyal.track = none), so that the cost of the
# statistics (thaiyyal.track = top, the default) is the ratio
# execute-W / untracked-W measured side by side.
# pgbench: -M prepared, $CLIENTS clients (one thread each), $SQL_SECONDS
# seconds, $ROUNDS alternating rounds, per-transaction logs (-l) from which
# bench_report.py takes p95.
set -euo pipefail
: "${OUT:?}" "${ROOT:?}" "${SQL_SECONDS:?}" "${CLIENTS:?}" "${ROUNDS:?}"

mkdir -p "$OUT/pgbench"
cd "$OUT/pgbench"

psql -X -q -v dir="$ROOT/bench/workloads" -f "$ROOT/bench/pgbench/setup.sql" >"$OUT/sql-setup.log"
{
  psql -X -At -c 'SELECT version()'
  psql -X -At -c "SELECT name || ' = ' || setting FROM pg_settings
                  WHERE name IN ('shared_buffers', 'fsync', 'synchronous_commit', 'wal_level',
                                 'max_connections', 'jit', 'extension_destdir')
                  ORDER BY name"
  nproc
  uptime
} >"$OUT/settings.txt" 2>&1

measure() {  # measure LABEL SCRIPT WORKLOAD [TRACK]
  local label=$1 script=$2 workload=$3 track=${4:-top}
  printf '%-26s' "$label"
  PGOPTIONS="${PGOPTIONS:-} -c thaiyyal.track=$track" pgbench -n -M prepared -c "$CLIENTS" -j "$CLIENTS" -T "$SQL_SECONDS" -D name="$workload" \
    -f "$ROOT/bench/pgbench/$script.sql" -l --log-prefix="$label" >"$label.txt" 2>&1 ||
    { echo; cat "$label.txt"; return 1; }
  grep -E '^tps' "$label.txt" | sed 's/ (without initial connection time)//'
}

# Baseline and measured run alternate, $ROUNDS times each, so that a change
# in the machine's load hits both alike; the report takes the median tps.
for w in SIMPLE COMPLEX LARGE100 BRANCHY; do
  for r in $(seq "$ROUNDS"); do
    measure "baseline-$w-r$r" baseline "$w"
    measure "untracked-$w-r$r" execute "$w" none
    measure "execute-$w-r$r" execute "$w"
  done
done
for w in SIMPLE COMPLEX LARGE100 BRANCHY; do
  for r in $(seq "$ROUNDS"); do
    measure "baseline-miss-$w-r$r" baseline_miss "$w"
    measure "execute-miss-$w-r$r" execute_miss "$w"
  done
done
for r in $(seq "$ROUNDS"); do
  measure "baseline-RUN-r$r" baseline COMPLEX
  measure "execute-RUN-r$r" execute COMPLEX
  measure "untracked-RUN-r$r" run COMPLEX none
  measure "run-COMPLEX-r$r" run COMPLEX
  PGOPTIONS="-c thaiyyal.record_runs=none" measure "run-unrecorded-COMPLEX-r$r" run COMPLEX
done
