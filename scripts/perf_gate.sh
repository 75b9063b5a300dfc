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

# The CPU model: glibc picks its string and memory routines by CPU (and
# valgrind passes the host's CPUID through), so counts taken on another CPU
# family may differ by a few percent without any change to thaiyyal.
CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
python3 - "$RESULTS" "$BASELINE" "$MODE" "$TOLERANCE" "$CPU" <<'PY'
import json, os, sys
results, baseline_path, mode, tolerance, cpu = (sys.argv[1], sys.argv[2], sys.argv[3],
                                                float(sys.argv[4]), sys.argv[5])
counts = {}
with open(results) as f:
    for line in f:
        name, n = line.split("\t")
        counts[name] = int(n)
if mode == "--update":
    with open(baseline_path, "w") as f:
        json.dump({"unit": "instructions per operation (callgrind Ir)", "cpu": cpu,
                   "counts": counts}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {baseline_path}")
base = {}
base_cpu = None
if os.path.exists(baseline_path):
    with open(baseline_path) as f:
        baseline = json.load(f)
        base, base_cpu = baseline["counts"], baseline.get("cpu")
if mode == "compare" and base_cpu is not None and base_cpu != cpu and tolerance < 0.15:
    print(f"perf_gate: the baseline was counted on '{base_cpu}', this is '{cpu}': "
          "tolerance 15% (glibc's routines differ by CPU)")
    tolerance = 0.15
failed = []
print(f"{'path':<30} {'instructions':>12} {'baseline':>12} {'change':>8}")
for name in sorted(counts):
    b = base.get(name)
    change = (counts[name] / b - 1) if b else None
    flag = ""
    if change is not None and change > tolerance:
        flag = "  GREW"
        failed.append(name)
    print(f"{name:<30} {counts[name]:>12} {b if b else '-':>12} "
          f"{'' if change is None else f'{change:+.1%}':>8}{flag}")
if mode == "compare":
    missing = sorted(set(base) - set(counts)) if base else []
    if not base:
        sys.exit(f"perf_gate: no baseline {baseline_path} (run with --update)")
    if failed:
        sys.exit(f"perf_gate: instruction counts grew by more than {tolerance:.0%}: "
                 + ", ".join(failed) + " (an intended change updates " + baseline_path
                 + " with --update and says why in its commit)")
    print(f"perf_gate: every count within +{tolerance:.0%} of the baseline")
PY
