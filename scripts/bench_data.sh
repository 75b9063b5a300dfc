#!/usr/bin/env bash
# The data-workflow rows of make bench (issue 14), run by scripts/bench.sh
# with the benchmark cluster's environment (PGHOST etc.) set:
#
#   sql_query of $BENCH_DATA_ROWS rows (default 100,000) -> filter (half
#   kept) -> map -> sql_batch upsert, through thaiyyal_execute, against
#     floor  one INSERT ... SELECT ... WHERE ... ON CONFLICT DO UPDATE
#     loop   a PL/pgSQL FOR loop upserting row by row
#   (bench/data/setup.sql has all three and says what they do).
#
# One psql session: a warm-up call of each (plan caches, catalog caches),
# then $BENCH_DATA_ROUNDS rounds (default 3) of floor, ours, loop, each
# after data_reset() (the same starting table). Wall-clock milliseconds of
# the call alone go to $OUT/data/times.txt ("label round ms rows"), what
# each left in the table to $OUT/data/check.txt; bench_report.py takes the
# medians. The three must leave the same table, or this fails.
set -euo pipefail
: "${OUT:?}" "${ROOT:?}"
ROWS=${BENCH_DATA_ROWS:-100000}
ROUNDS=${BENCH_DATA_ROUNDS:-3}

mkdir -p "$OUT/data"
psql -X -q -v rows="$ROWS" -f "$ROOT/bench/data/setup.sql" >"$OUT/data/setup.log"
{
  # Limits are superuser settings (docs/CONFIGURATION.md); the benchmark
  # connects as the cluster's superuser. 0 = no limit on the rows sql_query
  # may return (default 10,000) and on a run's memory (default 256MB).
  echo "SET thaiyyal.sql_max_rows = 0;"
  echo "SET thaiyyal.max_run_memory = 0;"
  for r in warmup $(seq "$ROUNDS"); do
    for fn in floor thaiyyal loop; do
      echo "SELECT data_reset() \\g /dev/null"
      echo "SELECT '$fn', '$r', round(ms::numeric, 3), written FROM data_time('data_$fn');"
      echo "SELECT '$fn', data_check() \\g | cat >>'$OUT/data/check.txt'"
    done
  done
} >"$OUT/data/script.sql"
: >"$OUT/data/check.txt"
psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -f "$OUT/data/script.sql" | grep -v ' warmup ' >"$OUT/data/times.txt"
if [[ $(cut -d' ' -f2- "$OUT/data/check.txt" | sort -u | wc -l) != 1 ]]; then
  echo "bench_data: the three ways left different tables:" >&2
  sort -u "$OUT/data/check.txt" >&2
  exit 1
fi
awk '{ printf "%-9s round %s %10.1f ms  %s rows\n", $1, $2, $3, $4 }' "$OUT/data/times.txt"
