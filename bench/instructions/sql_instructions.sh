#!/usr/bin/env bash
# Instructions per SQL statement (valgrind --tool=callgrind) on a single-user
# backend (postgres --single) over a throwaway data directory, with this
# build's extension from a staged install: the stable form of the pgbench
# rows of make bench (docs/PERFORMANCE.md; the 2026-12-06 note's figures).
#
#   bash bench/instructions/sql_instructions.sh [N]     (default N = 50)
#   bash bench/instructions/sql_instructions.sh --gate COUNTS.tsv [N]
#       only the paths of the SQL perf gate (scripts/perf_gate_sql.sh), written
#       as "name<TAB>instructions" lines
#
# Builds and stages the extension (make; make install DESTDIR=...) unless
# STAGE names a staged install already. Each figure is (instructions of N + 1
# statements - instructions of 1 statement) / N, the whole backend counted
# (simple query protocol: parse and plan included on both sides of a ratio),
# fsync off, the library preloaded as in a real installation (it defines
# PGC_POSTMASTER settings, which a library loaded later may not; the
# statistics are then on, thaiyyal.track at its default). Runs as root
# (initdb and postgres as the postgres OS user) or as
# a user that may run postgres itself. Takes about 2 minutes.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
GATE=
if [[ ${1:-} == --gate ]]; then
  GATE=$(realpath "${2:?--gate needs the file to write}")
  shift 2
  : >"$GATE"
fi
N=${1:-50}
PG_BIN=/usr/lib/postgresql/${PG_VERSION:-15}/bin
WORK=$(mktemp -d /tmp/thaiyyal-sql-instructions.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"

as_postgres() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [[ -z ${STAGE:-} ]]; then
  STAGE=$WORK/stage
  make -s -j "${JOBS:-2}" >/dev/null
  make -s install DESTDIR="$STAGE" >/dev/null
fi
LIBDIR=$(find "$STAGE" -name thaiyyal.so -printf '%h\n' | head -1)
chmod -R a+rX "$STAGE"
[[ $(id -u) == 0 ]] && chown postgres "$WORK"
# The servers run as the postgres OS user, which may not be able to enter
# the checkout (a clone in root's home, mode 700): start them elsewhere.
cd "$WORK"
as_postgres "$PG_BIN/initdb" -D "$WORK/data" --no-locale -E UTF8 >/dev/null 2>&1

# The library is preloaded, as in production: it defines postmaster settings
# (thaiyyal.workers, thaiyyal.track_max), which a backend that loads it on
# demand cannot (FATAL: cannot create PGC_POSTMASTER variables after
# startup), and the statistics (thaiyyal.track = top) count as they do
# there. No workers run in a single-user backend anyway.
SERVER_OPTS=(-c fsync=off -c extension_destdir="$STAGE" -c dynamic_library_path="$LIBDIR:\$libdir"
  -c shared_preload_libraries=thaiyyal -c thaiyyal.workers=0)

backend() {  # statements on stdin
  as_postgres "$PG_BIN/postgres" --single -j -D "$WORK/data" "${SERVER_OPTS[@]}" "$@" postgres
}

{
  printf 'CREATE EXTENSION thaiyyal;\n\n'
  printf 'CREATE TABLE payloads (name text PRIMARY KEY, body jsonb NOT NULL);\n\n'
  for w in COMPLEX BRANCHY; do
    python3 -c "import sys; print(\"INSERT INTO payloads VALUES ('$w', '\" + open(sys.argv[1]).read().replace(\"'\", \"''\").replace('\n', ' ') + \"');\n\")" \
      "$ROOT/bench/workloads/$w.json"
  done
  printf "SELECT thaiyyal.save_workflow('COMPLEX', body) FROM payloads WHERE name = 'COMPLEX';\n\n"
} | backend >/dev/null 2>"$WORK/setup.log" || { cat "$WORK/setup.log"; exit 1; }

count() {  # count K STATEMENT [GUC=VALUE]: instructions of K statements
  local k=$1 statement=$2 out=$WORK/callgrind.out
  rm -f "$out"
  touch "$out" && chmod 666 "$out"
  { for _ in $(seq "$k"); do printf '%s;\n\n' "$statement"; done; } |
    as_postgres valgrind --tool=callgrind --callgrind-out-file="$out" "$PG_BIN/postgres" --single -j \
      -D "$WORK/data" "${SERVER_OPTS[@]}" ${3:+-c "$3"} postgres >/dev/null 2>&1
  awk '/^(summary|totals):/ {print $2; exit}' "$out"
}

per_statement() {  # per_statement LABEL STATEMENT [GUC=VALUE]
  local one many
  one=$(count 1 "$2" "${3:-}")
  many=$(count $((N + 1)) "$2" "${3:-}")
  if [[ -n $GATE ]]; then
    printf '%s\t%d\n' "$1" $(((many - one) / N)) >>"$GATE"
  else
    printf '%-44s %10d\n' "$1" $(((many - one) / N))
  fi
}

if [[ -n $GATE ]]; then
  # The gate's paths (issue 14: "one SQL call path"): a thaiyyal_execute
  # cache hit, the common call, and a recorded thaiyyal.run, which adds the
  # stored-workflow lookup and the runs tables' writes.
  per_statement "SQL/execute-hit/COMPLEX" "SELECT thaiyyal_execute(body) FROM payloads WHERE name = 'COMPLEX'"
  per_statement "SQL/run-recorded/COMPLEX" "SELECT thaiyyal.run('COMPLEX')"
  exit 0
fi

miss="jsonb_set(body, '{nodes,0,data,value}', to_jsonb(random()))"
printf '%-44s %10s\n' "statement (instructions per statement)" "Ir"
for w in COMPLEX BRANCHY; do
  per_statement "floor $w (SELECT body)" "SELECT body FROM payloads WHERE name = '$w'"
  per_statement "thaiyyal_execute $w, cache hit" "SELECT thaiyyal_execute(body) FROM payloads WHERE name = '$w'"
  per_statement "floor of the miss $w (SELECT jsonb_set)" "SELECT $miss FROM payloads WHERE name = '$w'"
  per_statement "thaiyyal_execute $w, cache miss" "SELECT thaiyyal_execute($miss) FROM payloads WHERE name = '$w'"
done
per_statement "thaiyyal.run COMPLEX, record_runs = all" "SELECT thaiyyal.run('COMPLEX')"
per_statement "thaiyyal.run COMPLEX, record_runs = none" "SELECT thaiyyal.run('COMPLEX')" \
  thaiyyal.record_runs=none
