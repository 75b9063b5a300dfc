#!/usr/bin/env bash
# A private PostgreSQL cluster with a staged install of this checkout, for
# development next to other work on the same machine: pg_virtualenv run as
# root always names its cluster 15/regress (two at once collide), and
# `make install` into the system directories changes the thaiyyal.so that
# every other cluster on the machine loads.
#
#   bash scripts/dev_cluster.sh start NAME [-o name=value ...]
#       make install into /tmp/thaiyyal-dev-NAME/stage (build first: make),
#       initdb as the postgres OS user, start on a free port with the staged
#       extension preloaded (thaiyyal.database = postgres), and print the
#       environment to use it:  eval "$(bash scripts/dev_cluster.sh env NAME)"
#   bash scripts/dev_cluster.sh env NAME      PGHOST, PGPORT, PGUSER, PGDATABASE
#   bash scripts/dev_cluster.sh restart NAME  re-install the build, restart
#   bash scripts/dev_cluster.sh stop NAME     stop and delete the cluster
#
# With the environment set, `make installcheck`, `make conformance`,
# test/upgrade/run.sh and test/workers/run.sh run against this cluster
# (the last two need pg_cron: -o shared_preload_libraries=thaiyyal,pg_cron
# -o cron.database_name=postgres).
set -euo pipefail

cd "$(dirname "$0")/.."
PG_VERSION=${PG_VERSION:-15}
BINDIR=/usr/lib/postgresql/$PG_VERSION/bin

command=${1:-}
name=${2:-}
[[ -n $command && -n $name ]] || {
  sed -n '2,20p' "$0"
  exit 2
}
shift 2
BASE=/tmp/thaiyyal-dev-$name
STAGE=$BASE/stage
DATA=$BASE/data
SOCKETS=$BASE/sockets

as_postgres() { runuser -u postgres -- "$@"; }

install_stage() {
  rm -rf "$STAGE"
  make -s install DESTDIR="$STAGE" >/dev/null
  # Readable by the server's OS user; never the data directory, which
  # PostgreSQL refuses to start from unless it is 0700 or 0750.
  chmod a+rx "$BASE"
  chmod -R a+rX "$STAGE"
}

print_env() {
  local port
  port=$(cat "$BASE/port")
  printf 'export PGHOST=%s PGPORT=%s PGUSER=postgres PGDATABASE=postgres\n' "$SOCKETS" "$port"
}

free_port() {
  local port
  for port in $(seq 55432 55632); do
    if ! ss -ltn "( sport = :$port )" | grep -q ":$port"; then
      echo "$port"
      return
    fi
  done
  echo "no free port" >&2
  exit 1
}

case $command in
  start)
    [[ -e $BASE ]] && {
      echo "$BASE exists: stop it first" >&2
      exit 1
    }
    mkdir -p "$BASE" "$SOCKETS"
    chmod 755 "$BASE"
    install_stage
    mkdir -p "$DATA"
    chown postgres "$SOCKETS" "$DATA"
    chmod 700 "$DATA"
    port=$(free_port)
    echo "$port" >"$BASE/port"
    as_postgres "$BINDIR/initdb" -D "$DATA" --auth=trust --encoding=UTF8 --no-locale >/dev/null
    pkglibdir=$(pg_config --pkglibdir)
    {
      echo "port = $port"
      echo "listen_addresses = ''"
      echo "unix_socket_directories = '$SOCKETS'"
      echo "extension_destdir = '$STAGE'"
      echo "dynamic_library_path = '$STAGE$pkglibdir:\$libdir'"
      echo "shared_preload_libraries = 'thaiyyal'"
      echo "thaiyyal.database = 'postgres'"
      echo "fsync = off"
      while (($#)); do
        [[ $1 == -o ]] && shift
        echo "${1%%=*} = '${1#*=}'"
        shift
      done
    } | as_postgres tee -a "$DATA/postgresql.conf" >/dev/null
    touch "$BASE/server.log"
    chown postgres "$BASE/server.log"
    as_postgres "$BINDIR/pg_ctl" -D "$DATA" -l "$BASE/server.log" -w start >/dev/null
    print_env
    ;;
  env)
    print_env
    ;;
  restart)
    install_stage
    as_postgres "$BINDIR/pg_ctl" -D "$DATA" -l "$BASE/server.log" -w -m fast restart >/dev/null
    print_env
    ;;
  stop)
    [[ -d $DATA ]] && as_postgres "$BINDIR/pg_ctl" -D "$DATA" -w -m immediate stop >/dev/null || true
    rm -rf "$BASE"
    ;;
  *)
    echo "unknown command: $command" >&2
    exit 2
    ;;
esac
