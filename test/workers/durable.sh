# Durable runs under crashes (docs/DURABLE_RUNS.md), sourced by run.sh: a
# workflow of three SQL steps separated by waits is killed at random
# instants -- kill -9 of its worker (the postmaster restarts every process)
# or pg_terminate_backend -- and resumed by recovery until it succeeds.
# Whatever the instant, each step's row exists exactly once, and every
# resumed attempt restored what the killed one had committed.
#
# Fast tier: 6 kills. THAIYYAL_SLOW_TESTS=1: 100.

q "CREATE TABLE durable_log (k int NOT NULL, step int NOT NULL);
   GRANT INSERT, SELECT ON durable_log TO $USER_ROLE" >/dev/null
qu "SELECT thaiyyal.save_workflow('steps', '{\"nodes\":[
  {\"id\":\"in\",\"type\":\"workflow_input\"},
  {\"id\":\"s1\",\"type\":\"sql_batch\",\"data\":{\"table\":\"durable_log\",\"mode\":\"insert\"}},
  {\"id\":\"d1\",\"type\":\"delay\",\"data\":{\"duration\":\"300ms\"}},
  {\"id\":\"s2\",\"type\":\"sql_query\",\"data\":{\"query\":\"INSERT INTO durable_log VALUES (\$1, 2)\",\"params\":[\"node.in[0].k\"]}},
  {\"id\":\"d2\",\"type\":\"delay\",\"data\":{\"duration\":\"300ms\"}},
  {\"id\":\"s3\",\"type\":\"sql_query\",\"data\":{\"query\":\"INSERT INTO durable_log VALUES (\$1, 3)\",\"params\":[\"node.in[0].k\"]}}],
  \"edges\":[{\"source\":\"in\",\"target\":\"s1\"},{\"source\":\"s1\",\"target\":\"d1\"},
    {\"source\":\"d1\",\"target\":\"s2\"},{\"source\":\"s2\",\"target\":\"d2\"},
    {\"source\":\"d2\",\"target\":\"s3\"}]}')" >/dev/null
# Every attempt after a kill counts against max_attempts; a run is killed
# at most once here.
kills=6
[[ ${THAIYYAL_SLOW_TESTS:-0} == 1 ]] && kills=100
crash_runs=()
for ((i = 1; i <= kills; i++)); do
  run=$(qu "SELECT thaiyyal.enqueue('steps', '[{\"k\": $i, \"step\": 1}]')")
  crash_runs+=("$run")
  wait_for "SELECT status FROM thaiyyal.runs WHERE id = $run" running 60 >/dev/null
  # Anywhere in the ~0.7 s the run takes: before, inside or between steps.
  sleep "0.$((RANDOM % 8))$((RANDOM % 10))"
  pid=$(q "SELECT worker_pid FROM thaiyyal.runs WHERE id = $run AND status = 'running'")
  [[ -z $pid ]] && continue  # it finished first
  if ((i % 2)); then
    kill -9 "$pid"
    wait_for "$count_workers" 2 60 >/dev/null
  else
    q "SELECT pg_terminate_backend($pid, 10000)" >/dev/null
  fi
done
ids=$(IFS=,; echo "${crash_runs[*]}")
wait_for "SELECT count(*) FROM thaiyyal.runs WHERE id IN ($ids) AND status IN ('queued', 'running')" 0 120 >/dev/null
check "every run killed at a random instant ($kills) succeeded in the end" "$kills" \
  "$(q "SELECT count(*) FROM thaiyyal.runs WHERE id IN ($ids) AND status = 'succeeded'")"
check "each SQL step's row exists exactly once ($((kills * 3)) rows)" "$((kills * 3))|$((kills * 3))" \
  "$(q "SELECT count(*), count(DISTINCT (k, step)) FROM durable_log")"
resumed=$(q "SELECT count(*) FROM thaiyyal.runs WHERE id IN ($ids) AND attempts > 1")
restored=$(q "SELECT count(DISTINCT run_id) FROM thaiyyal.run_checkpoints
              WHERE run_id IN ($ids) AND attempt > 1")
echo "# $resumed of $kills runs were resumed after a kill; $restored wrote checkpoints in a later attempt"
if ((resumed > 0)); then ok "killed runs were resumed ($resumed of $kills)"; else fail "killed runs were resumed" "no run needed a second attempt"; fi
