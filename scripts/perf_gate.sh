#!/usr/bin/env bash
# Instruction counts of the engine's paths, compared with a committed
# baseline: a benchmark smoke that a noisy machine cannot fool (callgrind
# counts instructions, not time).
#
#   bash scripts/perf_gate.sh            measure, compare, exit 1 when a count
#                                        grew by more than PERF_GATE_TOLERANCE
#                                        (default 5 %) over the baseline
#   bash scripts/perf_gate.sh --update   measure and write the baseline
#   bash scripts/perf_gate.sh --print    measure and print only
#
# For every workload in bench/workloads: EndToEnd (JSON text -> Result JSON
# text, as engine_bench's EndToEnd) and Execute (compiled plan -> Result),
# instructions per operation of bench/instructions/instructions_main.cpp run
# under valgrind --tool=callgrind, counting only inside its measured loop
# (PERF_GATE_ITERATIONS, default 100, after one warm-up iteration).
# Baseline: bench/instructions/baseline.json; an intended change updates it
# in the same commit and says why. Needs valgrind; builds engine_instructions
# in $ENGINE_BUILD (default build, CMake Release).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${ENGINE_BUILD:-build}
ITERATIONS=${PERF_GATE_ITERATIONS:-100}
TOLERANCE=${PERF_GATE_TOLERANCE:-0.05}
BASELINE=bench/instructions/baseline.json
MODE=${1:-compare}

command -v valgrind >/dev/null || { echo "perf_gate: valgrind is needed (apt-get install valgrind)"; exit 2; }
if [[ ! -f $BUILD/CMakeCache.txt ]]; then
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD" -j "${JOBS:-2}" --target engine_instructions >/dev/null

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
RESULTS=$TMP/counts.tsv
for file in bench/workloads/*.json; do
  workload=$(basename "$file" .json)
  for mode in EndToEnd Execute; do
    out=$TMP/$mode-$workload.callgrind
    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=thaiyyal_measured \
      --callgrind-out-file="$out" "$BUILD/engine_instructions" "$mode" "$file" "$ITERATIONS" \
      >/dev/null 2>"$TMP/valgrind.log" || { cat "$TMP/valgrind.log"; exit 2; }
    total=$(awk '/^(summary|totals):/ {print $2; exit}' "$out")
    printf '%s/%s\t%s\n' "$mode" "$workload" "$((total / ITERATIONS))" >>"$RESULTS"
  done
done

# The comparison is scripts/instruction_gate.py, shared with the SQL gate
# (scripts/perf_gate_sql.sh). The CPU model goes with the baseline: glibc
# picks its string and memory routines by CPU, so counts taken on another
# CPU family may differ by a few percent without any change to thaiyyal.
CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
python3 scripts/instruction_gate.py "$RESULTS" "$BASELINE" "$MODE" "$TOLERANCE" "cpu=$CPU"
