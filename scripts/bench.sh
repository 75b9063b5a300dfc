#!/usr/bin/env bash
# make bench: the engine benchmarks and the SQL benchmarks, one table.
#
#   bash scripts/bench.sh          (or: make bench)
#
#  1. scripts/setup.sh              installs missing packages (google-benchmark,
#                                   PostgreSQL 15 with pgbench, ...)
#  2. engine_bench, CMake Release   build-bench/engine_bench, run with
#                                   --benchmark_format=json
#  3. the extension (PGXS)          make, then make install into a staging
#                                   directory (build-bench/pg-install): the
#                                   system's PostgreSQL is left as it is
#  4. pgbench in a private throwaway cluster (scripts/dev_cluster.sh: its own
#     port, data directory and staged install, so it never collides with
#     another cluster on the machine; the library preloaded, no workers):
#     every SQL benchmark beside its baseline, and beside itself with
#     thaiyyal.track = none; then the data workflow (scripts/bench_data.sh:
#     sql_query -> filter -> map -> sql_batch of 100,000 rows against one
#     INSERT ... SELECT and a PL/pgSQL row loop); then the queue in a cluster
#     of its own with 2 workers and fsync on (scripts/bench_queue.sh: drain
#     rate and commit-to-start latency)
#  5. scripts/bench_report.py       prints the table (and saves it)
#  6. scripts/bench_history.py      appends the table's rows to
#                                   bench/history.jsonl (committed; make
#                                   bench-report draws it)
#
# Raw output goes to bench/results/<UTC timestamp>/: engine.json (Google
# Benchmark), pgbench/*.txt and per-transaction logs, settings.txt,
# table.txt and summary.json (not committed).
#
# Environment: JOBS (build parallelism, default 2), BENCH_MIN_TIME (seconds
# per engine benchmark run, default 0.2), BENCH_REPETITIONS (runs of each, the
# table shows the median, default 3), BENCH_SQL_SECONDS (seconds per pgbench
# run, default 5), BENCH_SQL_ROUNDS (alternating baseline/measured rounds,
# default 3), BENCH_CLIENTS (default 2), BENCH_FILTER (engine
# benchmark regex, default all), BENCH_SKIP_SQL=1 (engine only),
# BENCH_DATA_ROWS (rows of the data workflow, default 100000),
# BENCH_DATA_ROUNDS (its rounds, default 3), BENCH_QUEUE_RUNS (runs per
# drain round, default 10000), BENCH_QUEUE_ROUNDS (default 3),
# BENCH_HISTORY=0 (do not append to bench/history.jsonl), BENCH_NOTE (a note
# for the history entry, e.g. why a run was shortened).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${JOBS:-2}
PG_VERSION=${PG_VERSION:-15}
MIN_TIME=${BENCH_MIN_TIME:-0.2}
REPETITIONS=${BENCH_REPETITIONS:-3}
SQL_SECONDS=${BENCH_SQL_SECONDS:-5}
ROUNDS=${BENCH_SQL_ROUNDS:-3}
CLIENTS=${BENCH_CLIENTS:-2}
FILTER=${BENCH_FILTER:-.}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$ROOT/bench/results/$STAMP
mkdir -p "$OUT"
# The commit measured, taken before anything runs: the history line written
# at the end must not call the tree dirty because of itself. "-dirty" when
# tracked files differ from HEAD (bench/results/ is ignored).
COMMIT=$(git rev-parse --short HEAD)
[[ -z $(git status --porcelain --untracked-files=no) ]] || COMMIT+=-dirty
# The knobs of this run, kept with its history entry: a shortened run is
# then visible as such.
python3 -c 'import json, os, sys
keys = ["BENCH_MIN_TIME", "BENCH_REPETITIONS", "BENCH_SQL_SECONDS", "BENCH_SQL_ROUNDS",
        "BENCH_CLIENTS", "BENCH_FILTER", "BENCH_SKIP_SQL", "BENCH_DATA_ROWS", "BENCH_DATA_ROUNDS",
        "BENCH_QUEUE_RUNS", "BENCH_QUEUE_ROUNDS"]
json.dump({k: os.environ[k] for k in keys if k in os.environ}, open(sys.argv[1], "w"), indent=1)' \
  "$OUT/bench-settings.json"

stage() { printf '\n=== %s ===\n' "$*"; }

stage "setup"
bash scripts/setup.sh

stage "engine_bench: CMake Release build"
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >"$OUT/cmake.log"
cmake --build build-bench -j "$JOBS" --target engine_bench >>"$OUT/cmake.log" 2>&1 ||
  { tail -40 "$OUT/cmake.log"; exit 1; }

stage "engine_bench"
./build-bench/engine_bench --benchmark_filter="$FILTER" --benchmark_min_time="$MIN_TIME" \
  --benchmark_repetitions="$REPETITIONS" --benchmark_format=json --benchmark_out="$OUT/engine.json" --benchmark_out_format=json \
  >"$OUT/engine.stdout.json"
echo "saved $OUT/engine.json"

if [[ ${BENCH_SKIP_SQL:-0} != 1 ]]; then
  stage "extension: build"
  # The engine library engine_bench just measured is the one linked.
  export ENGINE_BUILD=build-bench
  make -j "$JOBS" >"$OUT/make.log" 2>&1 || { tail -40 "$OUT/make.log"; exit 1; }

  stage "pgbench ($CLIENTS clients, prepared, $ROUNDS x ${SQL_SECONDS}s per run)"
  # A private cluster (not pg_virtualenv, whose 15/regress cluster collides
  # with any other run on the machine): staged install of this build, its
  # own port, stopped and deleted on exit; preloaded (the statistics' shared
  # memory) without workers, whose polling would only add noise. fsync stays
  # off as dev_cluster.sh sets it: the rows compare CPU paths, not the disk.
  CLUSTER=${BENCH_CLUSTER:-bench-$$}
  trap 'bash scripts/dev_cluster.sh stop "$CLUSTER"' EXIT
  bash scripts/dev_cluster.sh start "$CLUSTER" -o thaiyyal.workers=0 >/dev/null
  eval "$(bash scripts/dev_cluster.sh env "$CLUSTER")"
  OUT="$OUT" ROOT="$ROOT" SQL_SECONDS="$SQL_SECONDS" CLIENTS="$CLIENTS" ROUNDS="$ROUNDS" \
    bash scripts/bench_sql.sh
  stage "data workflow: ${BENCH_DATA_ROWS:-100000} rows, ${BENCH_DATA_ROUNDS:-3} rounds"
  OUT="$OUT" ROOT="$ROOT" bash scripts/bench_data.sh
  stage "queue: ${BENCH_QUEUE_RUNS:-10000} runs, ${BENCH_QUEUE_ROUNDS:-3} rounds, fsync on"
  OUT="$OUT" ROOT="$ROOT" bash scripts/bench_queue.sh
fi

stage "results"
python3 scripts/bench_report.py "$OUT" | tee "$OUT/table.txt"
if [[ ${BENCH_HISTORY:-1} != 0 ]]; then
  python3 scripts/bench_history.py append "$OUT" --commit "$COMMIT" ${BENCH_NOTE:+--note "$BENCH_NOTE"}
  echo "draw it: make bench-report (docs/images/bench-history.svg)"
fi
