# Helpers of the background-worker suites: TAP-style output ("ok N - ...",
# "not ok N - ..."), psql shorthands and bounded waits. Sourced.
tests=0
failed=0
DB=${DB:-postgres}

ok() {
  tests=$((tests + 1))
  echo "ok $tests - $1"
}

fail() {
  tests=$((tests + 1))
  failed=$((failed + 1))
  echo "not ok $tests - $1"
  if [[ -n ${2:-} ]]; then echo "# $2"; fi
}

# check DESCRIPTION EXPECTED ACTUAL
check() {
  if [[ "$3" == "$2" ]]; then ok "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}

# q SQL: one statement, unaligned tuples-only output; errors go to stderr.
q() {
  psql -X -qAt -v ON_ERROR_STOP=1 -d "$DB" -c "$1"
}

# The ordinary role the suites queue runs as: superusers may not
# (thaiyyal.allow_superuser_runs is off). Its tenant is its name.
USER_ROLE=thaiyyal_test_user
USER_PASSWORD=thaiyyal-test-password

make_user() {
  q "DO \$\$ BEGIN
       IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '$USER_ROLE') THEN
         CREATE ROLE $USER_ROLE LOGIN PASSWORD '$USER_PASSWORD';
       END IF;
     END \$\$" >/dev/null
}

# qu SQL: as that role.
qu() {
  PGUSER=$USER_ROLE PGPASSWORD=$USER_PASSWORD psql -X -qAt -v ON_ERROR_STOP=1 -d "$DB" -c "$1"
}

# wait_for SQL EXPECTED [TIMEOUT_S]: polls (harness only) until SQL returns
# EXPECTED; prints the last value; fails after the timeout. Tolerates a
# server that is restarting.
wait_for() {
  local sql=$1 expected=$2 timeout=${3:-30} value=""
  local end=$((SECONDS + timeout))
  while ((SECONDS < end)); do
    if value=$(q "$sql" 2>/dev/null) && [[ "$value" == "$expected" ]]; then
      echo "$value"
      return 0
    fi
    sleep 0.1
  done
  echo "$value"
  return 1
}

# restart_server MODE: restarts the server under test with pg_ctl's shutdown
# MODE (fast, immediate): through pg_ctlcluster for a cluster of
# pg_virtualenv, else with pg_ctl on its data directory
# (scripts/dev_cluster.sh). Waits until it accepts connections.
restart_server() {
  local mode=$1 cluster dir
  cluster=$(pg_lsclusters -h | awk -v port="${PGPORT:-5432}" '$3 == port {print $1 " " $2}' | head -1)
  if [[ -n $cluster ]]; then
    # shellcheck disable=SC2086
    pg_ctlcluster $cluster restart -m "$mode" >/dev/null 2>&1
    return
  fi
  dir=$(q "SHOW data_directory") || return
  runuser -u postgres -- "$(pg_config --bindir)/pg_ctl" -D "$dir" -w -m "$mode" restart >/dev/null 2>&1
}

finish() {
  echo "workers: $((tests - failed)) of $tests passed${1:+; $1}"
  ((failed == 0))
}
