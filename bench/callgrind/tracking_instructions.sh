#!/usr/bin/env bash
# Instructions that the statistics (thaiyyal.track) add to a run, counted by
# valgrind (callgrind's Ir): stable on a shared, noisy machine, where timings
# are not. For each workload of bench/workloads (and thaiyyal.run of COMPLEX)
# a single-user backend runs N calls with thaiyyal.track = none, then = top;
# the same script with 0 calls is subtracted, so start-up cancels out.
#
#   make -j2 && make install DESTDIR=/tmp/stage   (or scripts/dev_cluster.sh's stage)
#   bash bench/callgrind/tracking_instructions.sh /tmp/stage
#
# Needs valgrind and root (the backend runs as the postgres OS user in a
# throwaway data directory). Prints one line per workload: instructions per
# call untracked, tracked, and the difference. RATE sets
# thaiyyal.node_timing_sample_rate (default: the default, 0.0625).
set -euo pipefail
stage=${1:?usage: tracking_instructions.sh STAGE_DIR}
stage=$(cd "$stage" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
bindir=/usr/lib/postgresql/${PG_VERSION:-15}/bin
command -v valgrind >/dev/null || apt-get install -y valgrind >/dev/null
work=$(mktemp -d)
chmod 777 "$work"
trap 'rm -rf "$work"' EXIT
as_postgres() { runuser -u postgres -- "$@"; }
as_postgres "$bindir/initdb" -D "$work/data" --auth=trust --encoding=UTF8 --no-locale >/dev/null
{
  echo "extension_destdir = '$stage'"
  echo "dynamic_library_path = '$stage$(pg_config --pkglibdir):\$libdir'"
  echo "shared_preload_libraries = 'thaiyyal'"
  echo "thaiyyal.workers = 0"
  echo "fsync = off"
} >>"$work/data/postgresql.conf"
single() { as_postgres "$bindir/postgres" --single -D "$work/data" postgres; }
{
  echo "CREATE EXTENSION thaiyyal;"
  echo "CREATE TABLE payloads (name text PRIMARY KEY, body jsonb NOT NULL);"
  for w in SIMPLE COMPLEX LARGE100 BRANCHY; do
    printf "INSERT INTO payloads VALUES ('%s', '%s');\n" "$w" \
      "$(tr -d '\n' <"$repo/bench/workloads/$w.json" | sed "s/'/''/g")"
  done
  echo "SELECT thaiyyal.save_workflow('COMPLEX', body) FROM payloads WHERE name = 'COMPLEX';"
} | single >/dev/null 2>&1

script() {  # script WORKLOAD CALLS TRACK
  echo "SET thaiyyal.track = $3;"
  echo "SET thaiyyal.node_timing_sample_rate = ${RATE:-0.0625};"
  if [[ $1 == RUN ]]; then
    echo "SELECT count(thaiyyal.run('COMPLEX')) FROM generate_series(1, $2);"
  else
    echo "SELECT count(thaiyyal_execute(body)) FROM payloads, generate_series(1, 50) WHERE name = '$1';"
    echo "SELECT count(thaiyyal_execute(body)) FROM payloads, generate_series(1, $2) WHERE name = '$1';"
  fi
}
ir() {  # ir WORKLOAD CALLS TRACK: total instructions of the backend
  script "$@" | as_postgres valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
    "$bindir/postgres" --single -D "$work/data" postgres >/dev/null 2>&1
  awk '/^summary:/ {print $2}' "$work/cg.out"
}
per_call() {  # per_call WORKLOAD CALLS TRACK
  local zero many
  zero=$(ir "$1" 0 "$3")
  many=$(ir "$1" "$2" "$3")
  echo $(((many - zero) / $2))
}
printf '%-10s %12s %12s %10s\n' workload untracked tracked added
for spec in SIMPLE:3000 COMPLEX:2000 LARGE100:500 BRANCHY:1000 RUN:300; do
  w=${spec%:*} n=${spec#*:}
  # thaiyyal.run records a run per call: its cost drifts as the table grows,
  # so the untracked figure is the mean of one measurement before and one
  # after the tracked one.
  a=$(per_call "$w" "$n" none)
  b=$(per_call "$w" "$n" top)
  if [[ $w == RUN ]]; then a=$(((a + $(per_call "$w" "$n" none)) / 2)); fi
  printf '%-10s %12d %12d %+9.1f%%\n' "$w" "$a" "$b" "$(echo "($b - $a) * 100 / $a" | bc -l)"
done
