#!/usr/bin/env bash
# DROP DATABASE of thaiyyal.database while its workers are connected: the
# drop proceeds (the workers leave), and workers come back when the
# database is created again. Runs in the pg_regress cluster
# (thaiyyal.database = contrib_regression), after make installcheck.
set -uo pipefail
cd "$(dirname "$0")"
source ./lib.sh
DB=postgres
target=contrib_regression

count_workers="SELECT count(*) FROM pg_stat_activity
  WHERE backend_type = 'thaiyyal worker' AND datname = '$target'"
workers=$(wait_for "$count_workers" 2 30)
check "two workers are connected to $target" 2 "$workers"

start=$SECONDS
if out=$(q "DROP DATABASE $target" 2>&1); then
  ok "DROP DATABASE $target succeeds with workers connected ($((SECONDS - start)) s)"
else
  fail "DROP DATABASE $target succeeds with workers connected" "$out"
fi
check "no worker is left in the dropped database" 0 "$(q "$count_workers")"

q "CREATE DATABASE $target" >/dev/null
DB=$target
q "CREATE EXTENSION thaiyyal" >/dev/null
make_user
workers=$(wait_for "$count_workers" 2 30)
check "workers come back when the database is created again" 2 "$workers"
qu "SELECT thaiyyal.save_workflow('one', '{\"nodes\":[
  {\"id\":\"x\",\"type\":\"workflow_input\",\"data\":{\"field\":\"x\",\"default\":40}},
  {\"id\":\"y\",\"type\":\"expression\",\"data\":{\"expression\":\"input + 2\"}}],
  \"edges\":[{\"source\":\"x\",\"target\":\"y\"}]}')" >/dev/null
run=$(qu "SELECT thaiyyal.enqueue('one')")
check "a run queued in the new database is executed" 42 \
  "$(qu "SELECT thaiyyal.wait($run, '30 s') -> 'result' ->> 'final_output'")"

# Queuing in a database the workers do not serve warns (and still queues).
DB=postgres
q "CREATE EXTENSION IF NOT EXISTS thaiyyal" >/dev/null
qu "SELECT thaiyyal.save_workflow('one', '{\"nodes\":[{\"id\":\"x\",\"type\":\"workflow_input\"}]}')" >/dev/null
warning=$(PGUSER=$USER_ROLE PGPASSWORD=$USER_PASSWORD psql -X -qAt -d postgres -c "SELECT thaiyyal.enqueue('one')" 2>&1 >/dev/null | head -1)
check "enqueue in a database the workers do not serve warns" \
  'WARNING:  run 1 is queued, but the thaiyyal workers serve database "contrib_regression" (thaiyyal.database), not this one: no worker will execute runs queued here' \
  "$warning"
q "DROP EXTENSION thaiyyal" >/dev/null
q "DROP OWNED BY $USER_ROLE" >/dev/null
DB=$target q "DROP OWNED BY $USER_ROLE" >/dev/null
q "DROP ROLE $USER_ROLE" >/dev/null
finish
