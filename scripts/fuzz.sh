#!/usr/bin/env bash
# Fuzzes the engine's entry point (payload JSON text -> compile -> execute ->
# Result JSON text, test/fuzz/engine_fuzzer.cpp) with libFuzzer,
# AddressSanitizer and UBSan:
#
#   bash scripts/fuzz.sh [seconds]        (default 60)
#
# Installs what is missing (scripts/setup.sh: clang, libclang-rt-dev, ...),
# builds $FUZZ_BUILD_DIR (default build-fuzz) with clang and THAIYYAL_FUZZ=ON,
# then runs the fuzzer for <seconds> on the seed corpus test/fuzz/corpus plus
# what earlier runs found ($FUZZ_BUILD_DIR/corpus), with the dictionary
# test/fuzz/engine.dict. Fails on any crash, sanitizer report, leak, timeout
# (an input that ignores the host's cancel for 10 s), or memory beyond 2 GB;
# the input is kept under $FUZZ_BUILD_DIR/artifacts/ and the command that
# reproduces it is printed. The last line is the summary:
#   fuzz: <seconds> s, <N> executions (<R>/s), <M> corpus inputs, peak RSS <P> MB, no findings
set -uo pipefail

cd "$(dirname "$0")/.."
seconds=${1:-60}
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
JOBS=${JOBS:-$(nproc)}

if ! bash scripts/setup.sh >/dev/null; then
  echo "fuzz: not run (scripts/setup.sh failed)"
  exit 1
fi
if ! python3 test/fuzz/make_dictionary.py | cmp -s - test/fuzz/engine.dict; then
  echo "fuzz: test/fuzz/engine.dict is out of date (node types or expression names changed):"
  echo "      python3 test/fuzz/make_dictionary.py > test/fuzz/engine.dict"
  exit 1
fi

mkdir -p "$BUILD"
if ! { cmake -S . -B "$BUILD" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTHAIYYAL_FUZZ=ON >"$BUILD/build.log" 2>&1 &&
  cmake --build "$BUILD" -j "$JOBS" --target engine_fuzzer >>"$BUILD/build.log" 2>&1; }; then
  tail -40 "$BUILD/build.log"
  echo "fuzz: not run (build failed, see $BUILD/build.log)"
  exit 1
fi

mkdir -p "$BUILD/corpus" "$BUILD/artifacts"
log="$BUILD/fuzz.log"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  "$BUILD/engine_fuzzer" "$BUILD/corpus" test/fuzz/corpus \
  -dict=test/fuzz/engine.dict -max_total_time="$seconds" -max_len=8192 -timeout=10 \
  -rss_limit_mb=2048 -artifact_prefix="$BUILD/artifacts/" -print_final_stats=1 >"$log" 2>&1
rc=$?

stat() { grep -E "^stat::$1:" "$log" | tail -1 | awk '{print $2}'; }
executions=$(stat number_of_executed_units)
rate=$(stat average_exec_per_sec)
peak=$(stat peak_rss_mb)
inputs=$(find "$BUILD/corpus" -type f | wc -l)
line="fuzz: ${seconds} s, ${executions:-?} executions (${rate:-?}/s), ${inputs} corpus inputs, peak RSS ${peak:-?} MB"
if ((rc != 0)); then
  grep -E "^==[0-9]+==ERROR|^SUMMARY|runtime error|ALARM|out-of-memory|Test unit written" "$log" | head -20
  artifact=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //')
  [[ -n $artifact ]] && echo "reproduce: $BUILD/engine_fuzzer $artifact"
  echo "$line, FINDING (exit $rc, see $log)"
  exit 1
fi
echo "$line, no findings"
