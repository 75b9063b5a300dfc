#!/usr/bin/env bash
# Builds the Debian package postgresql-15-thaiyyal (debian/, pg_buildext)
# from a copy of this checkout's files, and installs it:
#
#   bash scripts/package.sh            # -> build/package/*.deb, installed
#
# dpkg-buildpackage builds with PGXS and runs the regression suite against
# the built package's files (debian/rules: dh_pgxs_test, i.e. pg_buildext
# installcheck in a throwaway cluster with the library preloaded). The copy
# lives in a directory the cluster's OS user can read (the checkout may
# not be readable by it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${OUT:-$ROOT/build/package}

PACKAGES=(debhelper dpkg-dev fakeroot postgresql-server-dev-all)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "package: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi

version=$(dpkg-parsechangelog -l debian/changelog -S Version)
work=$(mktemp -d /tmp/thaiyyal-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
src="$work/thaiyyal-$version"
mkdir "$src"
# The files of the checkout as they are (tracked and new, not ignored).
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -C "$src" -xf -

mkdir -p "$OUT"
echo "package: dpkg-buildpackage in $src (log: $OUT/build.log)"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$OUT/build.log" 2>&1 || {
  grep -E "^(test |### End)| FAILED|error:" "$OUT/build.log" | tail -40
  grep -A60 "regression.diffs \*\*\*\*" "$OUT/build.log" | head -80
  exit 1
}
grep -E "^(test |### End| All [0-9]+ tests passed|[0-9]+ of [0-9]+ tests failed)" "$OUT/build.log" | tail -30
# pg_buildext can skip the suite and still succeed (for example when a
# cluster named $version/regress already exists): a package counts as tested
# only when both pg_regress and the isolation tests said they passed.
passed=$(grep -cE "^ All [0-9]+ tests passed" "$OUT/build.log" || true)
if [[ $passed -lt 2 ]]; then
  echo "package: the regression suite did not run against the package (see $OUT/build.log)"
  grep -iE "cluster|error" "$OUT/build.log" | tail -10
  exit 1
fi
cp "$work"/*.deb "$OUT"/
dpkg -i "$OUT"/postgresql-15-thaiyyal_"${version}"_*.deb >/dev/null
echo "package: $(cd "$OUT" && ls postgresql-15-thaiyyal_"${version}"_*.deb) built, tested and installed"
