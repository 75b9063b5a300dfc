# Durable runs under crashes (docs/DURABLE_RUNS.md), sourced by run.sh (uses
# its lib.sh helpers and $count_workers). Runs of a workflow that inserts
# rows (sql_batch), samples at random, waits, records what it drew and the
# run's clock in a second statement, calls a loopback HTTP server that counts
# the requests of each Idempotency-Key, waits and inserts a third row are
# interrupted at random instants -- kill -9 of the worker (the postmaster
# restarts every process), pg_terminate_backend, or an immediate restart of
# the server -- and resumed by recovery. Whatever the instant:
#   * every run ends succeeded;
#   * each SQL step's row exists exactly once;
#   * the Result is what the run's effects say it computed (the sample and
#     clock recorded by the second statement, committed by whichever attempt
#     executed it, equal the Result's, as in an uninterrupted run);
#   * the server saw each run's request once, or twice with the same key.
#
# Fast tier: 6 interruptions. THAIYYAL_SLOW_TESTS=1: 100.

http_port=$(python3 ../http_server.py --daemon --idle 600)
q "CREATE TABLE durable_log (k int NOT NULL, step int NOT NULL, note text);
   GRANT INSERT, SELECT ON durable_log TO $USER_ROLE;
   ALTER ROLE $USER_ROLE SET thaiyyal.http_enabled = on;
   ALTER ROLE $USER_ROLE SET thaiyyal.http_allow_localhost = on" >/dev/null
qu "SELECT thaiyyal.save_workflow('steps', '{\"nodes\":[
  {\"id\":\"in\",\"type\":\"workflow_input\"},
  {\"id\":\"arr\",\"type\":\"expression\",\"data\":{\"expression\":\"[1,2,3,4,5,6,7,8,9,10]\"}},
  {\"id\":\"s\",\"type\":\"sample\",\"data\":{\"count\":3,\"method\":\"random\"}},
  {\"id\":\"s1\",\"type\":\"sql_batch\",\"data\":{\"table\":\"durable_log\",\"mode\":\"insert\"}},
  {\"id\":\"d1\",\"type\":\"delay\",\"data\":{\"duration\":\"250ms\"}},
  {\"id\":\"s2\",\"type\":\"sql_query\",\"data\":{\"query\":\"INSERT INTO durable_log VALUES (\$1, 2, \$2)\",
    \"params\":[\"node.in[0].k\", \"{pick: node.s.sample, at: now()}\"]}},
  {\"id\":\"h\",\"type\":\"http\",\"data\":{\"url\":\"http://127.0.0.1:$http_port/count\"}},
  {\"id\":\"d2\",\"type\":\"delay\",\"data\":{\"duration\":\"250ms\"}},
  {\"id\":\"s3\",\"type\":\"sql_query\",\"data\":{\"query\":\"INSERT INTO durable_log VALUES (\$1, 3)\",\"params\":[\"node.in[0].k\"]}},
  {\"id\":\"out\",\"type\":\"expression\",\"data\":{\"expression\":\"{pick: node.s.sample, at: now()}\"}}],
  \"edges\":[{\"source\":\"in\",\"target\":\"s1\"},{\"source\":\"in\",\"target\":\"arr\"},
    {\"source\":\"arr\",\"target\":\"s\"},{\"source\":\"s1\",\"target\":\"d1\"},
    {\"source\":\"d1\",\"target\":\"s2\"},{\"source\":\"s\",\"target\":\"s2\"},
    {\"source\":\"s2\",\"target\":\"h\"},{\"source\":\"h\",\"target\":\"d2\"},
    {\"source\":\"d2\",\"target\":\"s3\"},{\"source\":\"s3\",\"target\":\"out\"}]}')" >/dev/null

interruptions=6
[[ ${THAIYYAL_SLOW_TESTS:-0} == 1 ]] && interruptions=100
crash_runs=()
for ((i = 1; i <= interruptions; i++)); do
  run=$(qu "SELECT thaiyyal.enqueue('steps', '[{\"k\": $i, \"step\": 1}]')")
  crash_runs+=("$run")
  wait_for "SELECT status FROM thaiyyal.runs WHERE id = $run" running 60 >/dev/null
  # Anywhere in the ~0.6 s the run takes: before, inside or between steps.
  sleep "0.$((RANDOM % 7))$((RANDOM % 10))"
  pid=$(q "SELECT worker_pid FROM thaiyyal.runs WHERE id = $run AND status = 'running'")
  [[ -z $pid ]] && continue  # it finished first
  case $((i % 3)) in
    0) kill -9 "$pid" ;;
    1) q "SELECT pg_terminate_backend($pid, 10000)" >/dev/null ;;
    2) restart_server immediate ;;
  esac
  wait_for "$count_workers" 2 60 >/dev/null
done
ids=$(IFS=,; echo "${crash_runs[*]}")
wait_for "SELECT count(*) FROM thaiyyal.runs WHERE id IN ($ids) AND status IN ('queued', 'running')" 0 180 >/dev/null
check "every run interrupted at a random instant ($interruptions) succeeded in the end" "$interruptions" \
  "$(q "SELECT count(*) FROM thaiyyal.runs WHERE id IN ($ids) AND status = 'succeeded'")"
# What went wrong, if anything: the runs that did not succeed.
q "SELECT '# run ' || r.id || ': ' || r.status || ', attempts ' || r.attempts || ', ' ||
          coalesce(p.error ->> 'code', '-') || ' ' || coalesce(p.error ->> 'message', '')
   FROM thaiyyal.runs r LEFT JOIN thaiyyal.run_payloads p ON p.run_id = r.id
   WHERE r.id IN ($ids) AND r.status <> 'succeeded'"
check "each SQL step's row exists exactly once ($((interruptions * 3)) rows)" \
  "$((interruptions * 3))|$((interruptions * 3))" \
  "$(q "SELECT count(*), count(DISTINCT (k, step)) FROM durable_log")"
check "each Result is what its run's effects recorded (random sample and clock)" "$interruptions" \
  "$(q "SELECT count(*) FROM thaiyyal.runs r JOIN thaiyyal.run_payloads p ON p.run_id = r.id
        JOIN durable_log l ON l.step = 2 AND l.k = (p.input -> 0 ->> 'k')::int
        WHERE r.id IN ($ids) AND l.note::jsonb = p.result -> 'final_output'")"
counts=$(curl -s "http://127.0.0.1:$http_port/counts")
check "each run's request reached the server once, or twice with one key" "$interruptions|0" \
  "$(python3 -c 'import json, sys
counts = json.loads(sys.argv[1])
runs = sys.argv[2].split(",")
keys = ["thaiyyal-run-%s:h:0" % r for r in runs]
print("%d|%d" % (sum(1 for k in keys if counts.get(k, 0) in (1, 2)), sum(1 for k in counts if k not in keys)))' "$counts" "$ids")"
resumed=$(q "SELECT count(*) FROM thaiyyal.runs WHERE id IN ($ids) AND attempts > 1")
twice=$(python3 -c 'import json, sys; print(sum(1 for v in json.loads(sys.argv[1]).values() if v > 1))' "$counts")
echo "# $resumed of $interruptions runs were resumed; $twice requests were sent twice (crash between answer and checkpoint)"
if ((resumed > 0)); then ok "interrupted runs were resumed ($resumed of $interruptions)"; else fail "interrupted runs were resumed" "no run needed a second attempt"; fi
curl -s "http://127.0.0.1:$http_port/shutdown" >/dev/null
q "ALTER ROLE $USER_ROLE RESET thaiyyal.http_enabled; ALTER ROLE $USER_ROLE RESET thaiyyal.http_allow_localhost" >/dev/null
