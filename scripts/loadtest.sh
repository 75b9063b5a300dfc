#!/usr/bin/env bash
# make loadtest: many concurrent clients against one server, in PostgreSQL
# terms (the reference's k6 scenario): pgbench with 100 and then 200 client
# connections, LOADTEST_SECONDS (60) each, for each mix
#
#   execute   thaiyyal_execute of COMPLEX                (bench/loadtest/execute.sql)
#   run       thaiyyal.run of the stored COMPLEX          (bench/loadtest/run.sql)
#   mixed     45 % execute, 45 % run, 10 % enqueue + wait of SIMPLE (queue.sql);
#             also per script (transactions, p50/p95/p99): a queue transaction
#             waits for its run, so it is as slow as the queue's backlog
#
# and prints, per mix and client count, TPS, p50/p95/p99 latency and the error
# rate (failed transactions and aborted clients over all transactions). Goal
# on 2 cores: p95 < 50 ms at 200 clients, no errors.
#
# The server is a private cluster (scripts/dev_cluster.sh) with the staged
# build, max_connections = 250 and the library preloaded (2 workers for the
# queued runs), stopped and deleted at the end. Raw output:
# bench/results/loadtest-<UTC timestamp>/.
#
# Environment: LOADTEST_SECONDS (60), LOADTEST_CLIENTS ("100 200"),
# LOADTEST_MIXES ("execute run mixed"), JOBS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_EACH=${LOADTEST_SECONDS:-60}
CLIENT_COUNTS=${LOADTEST_CLIENTS:-100 200}
MIXES=${LOADTEST_MIXES:-execute run mixed}
OUT=$ROOT/bench/results/loadtest-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"

bash scripts/setup.sh >/dev/null
make -j "${JOBS:-2}" >"$OUT/make.log" 2>&1 || { tail -40 "$OUT/make.log"; exit 1; }
CLUSTER=loadtest-$$
trap 'bash scripts/dev_cluster.sh stop "$CLUSTER" >/dev/null 2>&1 || true' EXIT
bash scripts/dev_cluster.sh start "$CLUSTER" -o max_connections=250 -o shared_buffers=256MB \
  -o thaiyyal.poll_interval=1s >/dev/null
eval "$(bash scripts/dev_cluster.sh env "$CLUSTER")"
psql -X -q -v dir="$ROOT/bench/workloads" -f bench/pgbench/setup.sql >"$OUT/setup.log"
psql -X -q -f bench/loadtest/setup.sql >>"$OUT/setup.log"
psql -X -At -c "SELECT version()" -c "SHOW max_connections" -c "SHOW fsync" >"$OUT/settings.txt"
nproc >>"$OUT/settings.txt"

scripts_of() {
  case $1 in
    execute) echo "-f $ROOT/bench/loadtest/execute.sql" ;;
    run) echo "-f $ROOT/bench/loadtest/run.sql" ;;
    mixed) echo "-f $ROOT/bench/loadtest/execute.sql@45 -f $ROOT/bench/loadtest/run.sql@45 -f $ROOT/bench/loadtest/queue.sql@10" ;;
  esac
}

printf '%-8s %7s %9s %8s %8s %8s %7s\n' mix clients tps p50_ms p95_ms p99_ms errors
for mix in $MIXES; do
  for clients in $CLIENT_COUNTS; do
    label=$mix-$clients
    mkdir -p "$OUT/$label"
    # shellcheck disable=SC2046
    (cd "$OUT/$label" && PGUSER=loadtest pgbench -n -M prepared -c "$clients" -j 4 -T "$SECONDS_EACH" \
      --max-tries=1 --failures-detailed $(scripts_of "$mix") -l --log-prefix=tx \
      >pgbench.txt 2>pgbench.err) || true
    python3 - "$OUT/$label" "$mix" "$clients" <<'PY'
import glob, re, sys
d, mix, clients = sys.argv[1:4]
lat = []
by_script = {}
for f in glob.glob(d + "/tx*"):
    for line in open(f):
        parts = line.split()
        if len(parts) >= 4 and parts[2].isdigit():
            ms = int(parts[2]) / 1000.0
            lat.append(ms)
            by_script.setdefault(int(parts[3]), []).append(ms)
lat.sort()
def pct(p, values=lat):
    return values[min(len(values) - 1, int(p * len(values)))] if values else float("nan")
text = open(d + "/pgbench.txt").read()
err = open(d + "/pgbench.err").read()
tps = re.search(r"tps = ([0-9.]+)", text)
processed = re.search(r"number of transactions actually processed: (\d+)", text)
failed = re.search(r"number of failed transactions: (\d+)", text)
aborted = len(re.findall(r"client \d+ aborted", err))
n_ok = int(processed.group(1)) if processed else 0
n_failed = (int(failed.group(1)) if failed else 0) + aborted
rate = n_failed / max(1, n_ok + n_failed)
print("%-8s %7s %9s %8.1f %8.1f %8.1f %6.2f%%" % (
    mix, clients, tps.group(1).split(".")[0] if tps else "?", pct(0.50), pct(0.95), pct(0.99), 100 * rate))
# The mixed load per script (in the order of its -f options).
if mix == "mixed":
    names = ["execute", "run", "queue"]
    for script, values in sorted(by_script.items()):
        values.sort()
        print("  %-14s %9d %8.1f %8.1f %8.1f" % (
            names[script] if script < len(names) else str(script), len(values),
            pct(0.50, values), pct(0.95, values), pct(0.99, values)))
PY
    rm -f "$OUT/$label"/tx*
  done
done | tee "$OUT/table.txt"
echo "saved $OUT/table.txt"
