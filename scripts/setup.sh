#!/usr/bin/env bash
# Installs the build and test dependencies (Debian 12, run as root).
# Idempotent: apt-get update/install only run when a package is missing.
set -euo pipefail

PACKAGES=(
  postgresql-15
  postgresql-server-dev-15
  postgresql-15-cron
  nlohmann-json3-dev
  libcurl4-openssl-dev
  libre2-dev
  pkg-config
  cmake
  g++
  make
  libgtest-dev
  libbenchmark-dev
  python3
  json-schema-test-suite
  clang-format
  clang
  libclang-rt-dev
  valgrind
  # make bench-report draws bench/history.jsonl with it, and scripts/test.sh
  # tests that chart (test/bench/test_bench_history.py), so the test path
  # needs it too.
  python3-matplotlib
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup: missing packages: ${missing[*]} (run as root to install them)" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y "${missing[@]}"
