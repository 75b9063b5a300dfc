#!/usr/bin/env bash
# The one command that runs every test (Debian 12, PostgreSQL 15, as root or
# as a user with sudo-free access to the packages below):
#
#   bash scripts/test.sh
#
#  1. scripts/setup.sh                     (installs missing packages)
#     style: clang-format (.clang-format) over every C++ file
#     test/bench/*.py                      (make bench's history, make
#                                           bench-report's chart, the perf
#                                           gates' comparison)
#  2. CMake build of the engine + ctest    (engine unit tests; -Wall -Wextra
#                                           -Wshadow -Werror, as the extension)
#     scripts/perf_gate.sh                 (callgrind instruction counts vs
#                                           bench/instructions/baseline.json)
#  3. the engine unit tests again under AddressSanitizer + UBSan, then
#     scripts/fuzz.sh for FUZZ_SECONDS (default 60; 1800 with
#     THAIYYAL_SLOW_TESTS=1): one clang build (build-sanitize) serves both
#  4. make && make install                 (the extension, PGXS, linked with
#                                           the engine library of step 2)
#     scripts/perf_gate_sql.sh             (callgrind instruction counts of SQL
#                                           calls vs bench/instructions/sql_baseline.json)
#  5. in a throwaway cluster (pg_virtualenv):
#       make installcheck                  (pg_regress: sql/*.sql vs expected/*.out,
#                                           isolation: specs/*.spec)
#       make conformance                   (the shared conformance corpus)
#       test/workers/drop_database.sh      (DROP DATABASE with workers connected)
#  6. in a second cluster with pg_cron:
#       test/upgrade/run.sh                (ALTER EXTENSION UPDATE from 0.1.0)
#       test/exporter/run.sh               (docs/METRICS.md through prometheus-postgres-exporter)
#       test/workers/run.sh                (background workers end to end)
#  7. scripts/package.sh                   (the Debian package: build, its
#                                           regression suite, install)
#
# Every stage runs even if an earlier test stage failed (a failed build
# skips what depends on it); the exit status is non-zero if anything failed.
set -uo pipefail

cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
LOGDIR=${LOGDIR:-build/test-logs}
PG_VERSION=${PG_VERSION:-15}

failures=()
summary=()

stage() { printf '\n=== %s ===\n' "$*"; }

stage "setup"
if ! bash scripts/setup.sh; then
  echo "setup failed" >&2
  exit 1
fi
# pg_virtualenv, as root, always names its throwaway cluster $PG_VERSION/regress
# and refuses to start while /etc/postgresql/$PG_VERSION/regress exists. A run
# that was killed (a session that ended, a machine restarted or snapshotted
# mid-run) leaves it behind, stopped: remove it (only one pg_virtualenv made,
# marked by its .by_pg_virtualenv file). One that is running belongs to another
# test run: say so and stop.
venv_conf=/etc/postgresql/$PG_VERSION/regress
if [[ -d $venv_conf ]]; then
  if pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "regress" && $4 == "online"' | grep -q .; then
    echo "cluster $PG_VERSION/regress is running: another test run is using it" >&2
    exit 1
  fi
  if [[ ! -f $venv_conf/.by_pg_virtualenv ]]; then
    echo "$venv_conf exists and was not made by pg_virtualenv: pg_virtualenv would refuse to run" >&2
    exit 1
  fi
  echo "removing the stopped cluster $PG_VERSION/regress left by an interrupted run"
  pg_dropcluster "$PG_VERSION" regress 2>/dev/null || true
  rm -rf "$venv_conf" "/var/lib/postgresql/$PG_VERSION/regress"
fi
mkdir -p "$LOGDIR"
LOGDIR=$(cd "$LOGDIR" && pwd)
# Logs of an earlier run must never pass for this one's.
rm -f "$LOGDIR"/*.rc "$LOGDIR"/*.log

stage "style: clang-format"
# Generated tables are formatted by their generator; everything else must be
# exactly what clang-format writes.
mapfile -t cxx_files < <(git ls-files -co --exclude-standard '*.cpp' '*.hpp' '*.h' 2>/dev/null ||
  find engine extension bench test -name '*.[ch]pp')
if clang-format --dry-run --Werror "${cxx_files[@]}" >"$LOGDIR/clang-format.log" 2>&1; then
  summary+=("clang-format: ${#cxx_files[@]} files clean")
else
  grep -E 'error:' "$LOGDIR/clang-format.log" | cut -d: -f1 | sort -u | head -20
  failures+=("clang-format")
  summary+=("clang-format: files differ (see $LOGDIR/clang-format.log; fix with clang-format -i)")
fi

stage "bench scripts (test/bench/*.py)"
# make bench's history file and make bench-report's chart on synthetic
# histories, and the perf gates' comparison on made-up counts (a few seconds;
# python3-matplotlib comes from scripts/setup.sh, and the chart tests fail
# without it rather than skip).
if python3 test/bench/test_bench_history.py >"$LOGDIR/bench-history.log" 2>&1 &&
  python3 test/bench/test_instruction_gate.py >>"$LOGDIR/bench-history.log" 2>&1; then
  summary+=("bench scripts: $(grep -E '^Ran [0-9]+ tests' "$LOGDIR/bench-history.log" | paste -sd ';' -) passed")
else
  tail -40 "$LOGDIR/bench-history.log"
  failures+=("bench scripts")
  summary+=("bench scripts: FAILED (see $LOGDIR/bench-history.log)")
fi

stage "engine: cmake build"
engine_built=1
# Release is what thaiyyal.so links (CMakeLists.txt): stage 4 reuses this
# build directory, so the unit tests run the objects that ship.
if ! { cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >"$LOGDIR/cmake.log" 2>&1 &&
  cmake --build build -j "$JOBS" >>"$LOGDIR/cmake.log" 2>&1; }; then
  tail -50 "$LOGDIR/cmake.log"
  failures+=("engine build")
  summary+=("ctest: not run (engine build failed, see $LOGDIR/cmake.log)")
  engine_built=0
fi

if ((engine_built)); then
  stage "engine: ctest"
  (cd build && ctest -j "$JOBS" --output-on-failure) >"$LOGDIR/ctest.log" 2>&1
  ctest_rc=$?
  # ctest's own summary: "100% tests passed, 0 tests failed out of N" and,
  # on failure, the list of failed tests.
  sed -n '/tests passed, /,$p' "$LOGDIR/ctest.log"
  line=$(grep -E 'tests passed, ' "$LOGDIR/ctest.log" | tail -1)
  summary+=("ctest: ${line:-no summary (see $LOGDIR/ctest.log)}")
  if ((ctest_rc != 0)); then
    grep -E '^\s*[0-9]+ - .*\((Failed|Timeout|Not Run|SEGFAULT|Subprocess aborted)' "$LOGDIR/ctest.log" | head -50
    failures+=("ctest")
  fi
fi

if ((engine_built)); then
  stage "perf gate: instruction counts (scripts/perf_gate.sh)"
  # callgrind's instruction counts of EndToEnd/Execute of every workload
  # against bench/instructions/baseline.json: more than 5 % growth fails.
  started=$SECONDS
  if bash scripts/perf_gate.sh >"$LOGDIR/perf-gate.log" 2>&1; then
    summary+=("perf gate: $(tail -1 "$LOGDIR/perf-gate.log") ($((SECONDS - started)) s)")
  else
    cat "$LOGDIR/perf-gate.log"
    failures+=("perf gate")
    summary+=("perf gate: FAILED (see $LOGDIR/perf-gate.log)")
  fi
fi

# Sanitizers and fuzzing share one clang build: THAIYYAL_FUZZ compiles the
# engine and its tests with ASan, UBSan and the fuzzer's coverage hooks.
SANITIZE_DIR=build-sanitize
if [[ ${THAIYYAL_SLOW_TESTS:-0} == 1 ]]; then
  FUZZ_SECONDS=${FUZZ_SECONDS:-1800}
else
  FUZZ_SECONDS=${FUZZ_SECONDS:-60}
fi

stage "engine: ASan/UBSan ctest"
started=$SECONDS
sanitize_built=1
if ! { cmake -S . -B "$SANITIZE_DIR" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTHAIYYAL_FUZZ=ON >"$LOGDIR/sanitize-build.log" 2>&1 &&
  cmake --build "$SANITIZE_DIR" -j "$JOBS" --target engine_tests engine_fuzzer \
    >>"$LOGDIR/sanitize-build.log" 2>&1; }; then
  tail -50 "$LOGDIR/sanitize-build.log"
  failures+=("sanitizer build")
  summary+=("asan ctest: not run (build failed, see $LOGDIR/sanitize-build.log)")
  sanitize_built=0
else
  # ASan frames are several times larger: the tests that recurse 10,000
  # levels (the writers' own limit) need more than the default 8 MB stack.
  (ulimit -s 65536 && cd "$SANITIZE_DIR" &&
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      ctest -j "$JOBS" --output-on-failure) >"$LOGDIR/asan-ctest.log" 2>&1
  asan_rc=$?
  sed -n '/tests passed, /,$p' "$LOGDIR/asan-ctest.log"
  line=$(grep -E 'tests passed, ' "$LOGDIR/asan-ctest.log" | tail -1)
  summary+=("asan ctest: ${line:-no summary (see $LOGDIR/asan-ctest.log)} ($((SECONDS - started)) s)")
  if ((asan_rc != 0)); then
    grep -E '^\s*[0-9]+ - .*\((Failed|Timeout|Not Run|SEGFAULT|Subprocess aborted)' "$LOGDIR/asan-ctest.log" | head -50
    grep -E 'ERROR: AddressSanitizer|runtime error|ERROR: LeakSanitizer' "$LOGDIR/asan-ctest.log" | head -20
    failures+=("asan ctest")
  fi
fi

stage "fuzz: $FUZZ_SECONDS s"
if ((sanitize_built)); then
  started=$SECONDS
  FUZZ_BUILD_DIR=$SANITIZE_DIR bash scripts/fuzz.sh "$FUZZ_SECONDS" >"$LOGDIR/fuzz.log" 2>&1
  fuzz_rc=$?
  tail -25 "$LOGDIR/fuzz.log"
  line=$(grep -E '^fuzz: ' "$LOGDIR/fuzz.log" | tail -1)
  summary+=("${line:-fuzz: no summary (see $LOGDIR/fuzz.log)} ($((SECONDS - started)) s in all)")
  ((fuzz_rc != 0)) && failures+=("fuzz")
else
  summary+=("fuzz: not run (sanitizer build failed)")
fi

# The database server runs test/http_server.py (sql/http.sql) as its own OS
# user, which may not read this checkout: give it a private, readable copy.
THAIYYAL_TEST_HELPERS=$(mktemp -d /tmp/thaiyyal-test-helpers.XXXXXX)
cp test/http_server.py "$THAIYYAL_TEST_HELPERS/"
chmod 755 "$THAIYYAL_TEST_HELPERS"
chmod 644 "$THAIYYAL_TEST_HELPERS/http_server.py"
export THAIYYAL_TEST_HELPERS
trap 'rm -rf "$THAIYYAL_TEST_HELPERS"' EXIT

stage "extension: make && make install"
if ! { make -j "$JOBS" >"$LOGDIR/make.log" 2>&1 && make install >>"$LOGDIR/make.log" 2>&1; }; then
  grep -E 'error|Error' "$LOGDIR/make.log" | head -50
  failures+=("extension build")
  summary+=("pg_regress: not run (extension build failed, see $LOGDIR/make.log)")
  summary+=("conformance: not run (extension build failed)")
else
  stage "perf gate: SQL call paths (scripts/perf_gate_sql.sh)"
  # callgrind's instruction counts of a thaiyyal_execute cache hit and a
  # recorded thaiyyal.run, on a single-user backend of this build (staged in a
  # private directory the postgres OS user can read, its own initdb), against
  # bench/instructions/sql_baseline.json: more than 5 % growth fails.
  started=$SECONDS
  if bash scripts/perf_gate_sql.sh >"$LOGDIR/perf-gate-sql.log" 2>&1; then
    summary+=("perf gate SQL: $(tail -1 "$LOGDIR/perf-gate-sql.log") ($((SECONDS - started)) s)")
  else
    cat "$LOGDIR/perf-gate-sql.log"
    failures+=("perf gate SQL")
    summary+=("perf gate SQL: FAILED (see $LOGDIR/perf-gate-sql.log)")
  fi

  stage "pg_regress (make installcheck) and conformance (make conformance)"
  # pg_virtualenv creates a throwaway cluster (it works as root), exports
  # PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE and drops it afterwards.
  # The library is preloaded so that the queue tests have background
  # workers; they serve pg_regress's database (contrib_regression), which
  # pg_regress drops and creates -- the drop test then drops it once more.
  pg_virtualenv -v "$PG_VERSION" \
    -o shared_preload_libraries=thaiyyal \
    -o thaiyyal.database=contrib_regression \
    -o thaiyyal.poll_interval=1s \
    bash -c '
    make installcheck > "'"$LOGDIR"'/installcheck.log" 2>&1; echo $? > "'"$LOGDIR"'/installcheck.rc"
    make conformance > "'"$LOGDIR"'/conformance.log" 2>&1; echo $? > "'"$LOGDIR"'/conformance.rc"
    bash test/workers/drop_database.sh > "'"$LOGDIR"'/drop_database.log" 2>&1; echo $? > "'"$LOGDIR"'/drop_database.rc"
  ' >"$LOGDIR/pg_virtualenv.log" 2>&1
  venv_rc=$?

  regress_rc=$(cat "$LOGDIR/installcheck.rc" 2>/dev/null || echo 255)
  grep -vE '^(make|echo) |pg_regress' "$LOGDIR/installcheck.log"
  # One summary line from pg_regress, one from the isolation tests.
  line=$(grep -E 'tests? (passed|failed)|All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed' \
    "$LOGDIR/installcheck.log" | sed 's/^ *=* *//; s/ *=* *$//' | paste -sd ';' - | sed 's/;/; isolation: /')
  summary+=("pg_regress: ${line:-no summary (see $LOGDIR/installcheck.log)}")
  if [[ $regress_rc != 0 ]]; then
    [[ -f regression.diffs ]] && head -200 regression.diffs
    [[ -f output_iso/regression.diffs ]] && head -200 output_iso/regression.diffs
    failures+=("pg_regress")
  fi

  conf_rc=$(cat "$LOGDIR/conformance.rc" 2>/dev/null || echo 255)
  grep -vE '^(/usr/bin/)?python3? ' "$LOGDIR/conformance.log" | grep -vE '^make' | tail -60
  line=$(grep -E '^conformance: ' "$LOGDIR/conformance.log" | tail -1)
  summary+=("${line:-conformance: no summary (see $LOGDIR/conformance.log)}")
  [[ $conf_rc != 0 ]] && failures+=("conformance")

  drop_rc=$(cat "$LOGDIR/drop_database.rc" 2>/dev/null || echo 255)
  cat "$LOGDIR/drop_database.log" 2>/dev/null | tail -20
  summary+=("workers: DROP DATABASE $([[ $drop_rc == 0 ]] && echo passed || echo FAILED)")
  [[ $drop_rc != 0 ]] && failures+=("workers drop database")

  stage "upgrade from 0.1.0 and background workers (own cluster with pg_cron)"
  # thaiyyal and pg_cron preloaded, both serving the database "postgres"
  # (thaiyyal.database unset: it follows cron.database_name). First the
  # upgrade test (test/upgrade/run.sh), then the workers suite
  # (test/workers/run.sh), which starts from a fresh CREATE EXTENSION.
  pg_virtualenv -v "$PG_VERSION" \
    -o shared_preload_libraries=thaiyyal,pg_cron \
    -o cron.database_name=postgres -o cron.use_background_workers=on \
    -o thaiyyal.poll_interval=1s -o thaiyyal.retry_delay=200ms \
    bash -c '
    bash test/upgrade/run.sh > "'"$LOGDIR"'/upgrade.log" 2>&1; echo $? > "'"$LOGDIR"'/upgrade.rc"
    bash test/exporter/run.sh > "'"$LOGDIR"'/exporter.log" 2>&1; echo $? > "'"$LOGDIR"'/exporter.rc"
    bash test/workers/run.sh
  ' >"$LOGDIR/workers.log" 2>&1
  workers_rc=$?
  upgrade_rc=$(cat "$LOGDIR/upgrade.rc" 2>/dev/null || echo 255)
  grep -E '^(ok|not ok|#)' "$LOGDIR/upgrade.log" | tail -40
  line=$(grep -E '^workers: ' "$LOGDIR/upgrade.log" | tail -1)
  summary+=("upgrade: ${line#workers: }")
  if [[ $upgrade_rc != 0 ]]; then
    tail -20 "$LOGDIR/upgrade.log"
    failures+=("upgrade")
  fi
  # The metrics of docs/METRICS.md scraped by prometheus-postgres-exporter.
  exporter_rc=$(cat "$LOGDIR/exporter.rc" 2>/dev/null || echo 255)
  grep -E '^(not ok|#)' "$LOGDIR/exporter.log" | tail -20
  line=$(grep -E '^exporter: ' "$LOGDIR/exporter.log" | tail -1)
  summary+=("${line:-exporter: no summary (see $LOGDIR/exporter.log)}")
  if [[ $exporter_rc != 0 ]]; then
    tail -20 "$LOGDIR/exporter.log"
    failures+=("exporter")
  fi
  grep -E '^(ok|not ok|#)' "$LOGDIR/workers.log" | tail -60
  line=$(grep -E '^workers: ' "$LOGDIR/workers.log" | tail -1)
  summary+=("${line:-workers: no summary (see $LOGDIR/workers.log)}")
  if [[ $workers_rc != 0 ]]; then
    tail -30 "$LOGDIR/workers.log"
    failures+=("workers")
  fi

  stage "Debian package (scripts/package.sh: build, pg_buildext installcheck, install)"
  if bash scripts/package.sh >"$LOGDIR/package.log" 2>&1; then
    tail -3 "$LOGDIR/package.log"
    summary+=("package: $(grep -E '^package: .* built, tested and installed' "$LOGDIR/package.log" | sed 's/^package: //')")
  else
    tail -60 "$LOGDIR/package.log"
    summary+=("package: FAILED (see $LOGDIR/package.log)")
    failures+=("package")
  fi

  if [[ $venv_rc != 0 && $regress_rc == 255 ]]; then
    tail -50 "$LOGDIR/pg_virtualenv.log"
    failures+=("pg_virtualenv")
  fi
fi

stage "summary"
printf '%s\n' "${summary[@]}"
if ((${#failures[@]})); then
  echo "FAILED: ${failures[*]}"
  exit 1
fi
echo "ALL TESTS PASSED"
