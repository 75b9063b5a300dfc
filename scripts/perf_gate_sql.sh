#!/usr/bin/env bash
# Instruction counts of SQL call paths, compared with a committed baseline:
# the SQL half of the benchmark smoke that a noisy machine cannot fool
# (issue 14; scripts/perf_gate.sh is the engine half).
#
#   bash scripts/perf_gate_sql.sh            measure, compare, exit 1 when a
#                                            count grew by more than
#                                            PERF_GATE_TOLERANCE (default 5 %)
#   bash scripts/perf_gate_sql.sh --update   measure and write the baseline
#   bash scripts/perf_gate_sql.sh --print    measure and print only
#
# Paths: SELECT thaiyyal_execute(body) of the COMPLEX workload (a payload
# plan cache hit) and SELECT thaiyyal.run('COMPLEX') of the stored workflow
# with the run recorded; instructions per statement of a single-user backend
# (postgres --single) under callgrind, the whole backend counted, over a
# throwaway initdb'd data directory, with this build of the extension staged
# (bench/instructions/sql_instructions.sh --gate; PERF_GATE_SQL_ITERATIONS
# statements, default 50). About 30 s. Needs valgrind and PostgreSQL's
# server binaries; runs as root (the servers as the postgres OS user) or as a
# user that may run postgres itself. STAGE=DIR uses a staged install
# (make install DESTDIR=DIR) instead of building one.
#
# Baseline: bench/instructions/sql_baseline.json, with the CPU model and the
# PostgreSQL major version it was counted with (another major version makes
# the counts incomparable: the gate fails until --update). The comparison is
# scripts/instruction_gate.py, the engine gate's. A drop never fails; an
# intended change, up or down, runs --update and says why in its commit.
set -euo pipefail

cd "$(dirname "$0")/.."
ITERATIONS=${PERF_GATE_SQL_ITERATIONS:-50}
TOLERANCE=${PERF_GATE_TOLERANCE:-0.05}
BASELINE=bench/instructions/sql_baseline.json
MODE=${1:-compare}
PG_BIN=/usr/lib/postgresql/${PG_VERSION:-15}/bin

command -v valgrind >/dev/null || { echo "perf_gate_sql: valgrind is needed (apt-get install valgrind)"; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
bash bench/instructions/sql_instructions.sh --gate "$TMP/counts.tsv" "$ITERATIONS"

CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
# "postgres (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)" -> 15
PG_MAJOR=$("$PG_BIN/postgres" --version | awk '{split($3, v, "."); print v[1]}')
python3 scripts/instruction_gate.py "$TMP/counts.tsv" "$BASELINE" "$MODE" "$TOLERANCE" \
  "cpu=$CPU" "postgresql=$PG_MAJOR"
