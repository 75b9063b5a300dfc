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
#  4. pgbench in a throwaway cluster (pg_virtualenv, loading the extension
#     from the staging directory, preloaded): every SQL benchmark beside its
#     baseline, and beside itself with thaiyyal.track = none
#  5. scripts/bench_report.py       prints the table (and saves it)
#
# Raw output goes to bench/results/<UTC timestamp>/: engine.json (Google
# Benchmark), pgbench/*.txt and per-transaction logs, settings.txt,
# table.txt and summary.json.
#
# Environment: JOBS (build parallelism, default 2), BENCH_MIN_TIME (seconds
# per engine benchmark run, default 0.2), BENCH_REPETITIONS (runs of each, the
# table shows the median, default 3), BENCH_SQL_SECONDS (seconds per pgbench
# run, default 5), BENCH_SQL_ROUNDS (alternating baseline/measured rounds,
# default 3), BENCH_CLIENTS (default 2), BENCH_FILTER (engine
# benchmark regex, default all), BENCH_SKIP_SQL=1 (engine only).
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
  stage "extension: build and staged install"
  STAGE=$ROOT/build-bench/pg-install
  # The engine library engine_bench just measured is the one linked.
  make -j "$JOBS" ENGINE_BUILD=build-bench >"$OUT/make.log" 2>&1 || { tail -40 "$OUT/make.log"; exit 1; }
  rm -rf "$STAGE"
  make install ENGINE_BUILD=build-bench DESTDIR="$STAGE" >>"$OUT/make.log" 2>&1 ||
    { tail -40 "$OUT/make.log"; exit 1; }
  PKGLIBDIR=$(pg_config --pkglibdir)

  stage "pgbench ($CLIENTS clients, prepared, $ROUNDS x ${SQL_SECONDS}s per run)"
  # extension_destdir (a Debian patch of PostgreSQL) finds the control and
  # script files under the staging directory; dynamic_library_path finds
  # thaiyyal.so there.
  # Preloaded, as in production, so that the statistics' shared memory
  # exists (thaiyyal.track); no background workers, whose polling would
  # only add noise.
  pg_virtualenv -v "$PG_VERSION" \
    -o "extension_destdir=$STAGE" \
    -o "dynamic_library_path=$STAGE$PKGLIBDIR:\$libdir" \
    -o shared_preload_libraries=thaiyyal -o thaiyyal.workers=0 \
    env OUT="$OUT" ROOT="$ROOT" SQL_SECONDS="$SQL_SECONDS" CLIENTS="$CLIENTS" ROUNDS="$ROUNDS" \
    bash scripts/bench_sql.sh
fi

stage "results"
python3 scripts/bench_report.py "$OUT" | tee "$OUT/table.txt"
