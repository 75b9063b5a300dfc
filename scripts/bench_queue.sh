#!/usr/bin/env bash
# The queue rows of make bench (issue 14), run by scripts/bench.sh:
#
#   drain    BENCH_QUEUE_RUNS (10,000) small runs committed at once by an
#            ordinary role, drained by 2 workers with fsync and
#            synchronous_commit on: runs per second from the first start to
#            the last finish, BENCH_QUEUE_ROUNDS (3) rounds (median)
#   latency  100 runs queued one at a time (each committed, then waited
#            for): milliseconds from the enqueuing COMMIT to the start of
#            execution, p50 and p95
#
# Its own private cluster (scripts/dev_cluster.sh), not the pgbench one:
# that one runs without workers and with fsync off. Output: $OUT/queue/
# drain.txt ("round runs per_second") and latency.txt ("p50 p95" in ms).
set -euo pipefail
: "${OUT:?}" "${ROOT:?}"
RUNS=${BENCH_QUEUE_RUNS:-10000}
ROUNDS=${BENCH_QUEUE_ROUNDS:-3}
cd "$ROOT"
mkdir -p "$OUT/queue"

CLUSTER=bench-queue-$$
trap 'bash scripts/dev_cluster.sh stop "$CLUSTER" >/dev/null 2>&1 || true' EXIT
bash scripts/dev_cluster.sh start "$CLUSTER" -o thaiyyal.workers=2 -o fsync=on \
  -o synchronous_commit=on -o thaiyyal.poll_interval=1s -o shared_buffers=256MB >"$OUT/queue/cluster.log"
eval "$(bash scripts/dev_cluster.sh env "$CLUSTER")"
q() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
# Runs are queued by an ordinary role: superusers may not queue runs.
qu() { PGUSER=bench_queue psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

q "CREATE EXTENSION thaiyyal; CREATE ROLE bench_queue LOGIN"
qu "SELECT thaiyyal.save_workflow('small', '{\"nodes\": [
  {\"id\": \"x\", \"type\": \"workflow_input\", \"data\": {\"field\": \"x\", \"default\": 1}},
  {\"id\": \"y\", \"type\": \"expression\", \"data\": {\"expression\": \"input + 1\"}}],
  \"edges\": [{\"source\": \"x\", \"target\": \"y\"}]}')" >/dev/null

# drain N: queue N runs in one transaction, wait until none is queued or
# running, print the rate; the runs are deleted afterwards.
drain() {
  qu "SELECT count(thaiyyal.enqueue('small', jsonb_build_object('x', k))) FROM generate_series(1, $1) k" \
    >/dev/null
  for _ in $(seq 1200); do
    [[ $(q "SELECT count(*) FROM thaiyyal.runs WHERE status IN ('queued', 'running')") == 0 ]] && break
    sleep 0.1
  done
  q "SELECT count(*) FILTER (WHERE status = 'succeeded'),
            round(count(*) / extract(epoch FROM max(finished_at) - min(started_at)))
     FROM thaiyyal.runs"
  # Each round starts from a vacuumed table, as autovacuum keeps a queue in
  # service: what a round measures is the drain, not the dead rows the
  # rounds before it left behind.
  q "DELETE FROM thaiyyal.runs" >/dev/null
  q "VACUUM thaiyyal.runs, thaiyyal.run_payloads, thaiyyal.run_checkpoints" >/dev/null
}

# Warm-up, not counted: plan caches, the workers' batch sizes, and WAL
# segments -- a new cluster creates (and zero-fills) them as the WAL grows,
# one that has been in service recycles them at each checkpoint.
drain "$RUNS" >/dev/null
q "CHECKPOINT"
: >"$OUT/queue/drain.txt"
for round in $(seq "$ROUNDS"); do
  IFS='|' read -r succeeded rate <<<"$(drain "$RUNS")"
  [[ $succeeded == "$RUNS" ]] || { echo "bench_queue: $succeeded of $RUNS runs succeeded" >&2; exit 1; }
  echo "$round $RUNS $rate" >>"$OUT/queue/drain.txt"
  printf 'drain round %s: %s runs, %s runs/s\n' "$round" "$RUNS" "$rate"
done

q "CREATE TABLE commit_times (run_id bigint, committed_at timestamptz);
   GRANT INSERT ON commit_times TO bench_queue"
# The same 100 runs as the workers suite's measurement.
qu "$(cat "$ROOT/test/workers/commit_to_start.sql")"
q "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3),
          round(percentile_cont(0.95) WITHIN GROUP (ORDER BY ms)::numeric, 3)
   FROM (SELECT extract(epoch FROM r.started_at - c.committed_at) * 1000 AS ms
         FROM commit_times c JOIN thaiyyal.runs r ON r.id = c.run_id
         WHERE r.status = 'succeeded') t" | tr '|' ' ' >"$OUT/queue/latency.txt"
printf 'commit -> start: p50 %s ms, p95 %s ms\n' $(cat "$OUT/queue/latency.txt")
