#!/usr/bin/env python3
"""Compares instruction counts with a committed baseline: the one comparison
of scripts/perf_gate.sh (the engine's paths) and scripts/perf_gate_sql.sh (SQL
call paths).

    instruction_gate.py COUNTS.tsv BASELINE.json MODE TOLERANCE [KEY=VALUE ...]

COUNTS.tsv: "name<TAB>instructions" lines. MODE: compare (exit 1 when a count
grew by more than TOLERANCE, a fraction, over the baseline), --update (write
the baseline from COUNTS) or --print. KEY=VALUE: the environment the counts
depend on, stored in the baseline beside them: cpu (glibc picks its string and
memory routines by CPU, and valgrind passes the host's CPUID through, so
counts taken on another CPU family may differ by a few percent: the tolerance
becomes 15%) and anything else (e.g. the PostgreSQL major version, whose
parser, planner and executor are part of an SQL statement's count): a
difference there makes the counts incomparable and the comparison fails,
saying so, until the baseline is rewritten with --update.

A count that dropped never fails: an intended improvement updates the
baseline in its commit (--update) so that the gain is kept.
"""
import json
import os
import sys

CPU_TOLERANCE = 0.15


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    results, baseline_path, mode, tolerance = sys.argv[1:5]
    tolerance = float(tolerance)
    env = dict(arg.split("=", 1) for arg in sys.argv[5:])
    counts = {}
    with open(results) as f:
        for line in f:
            name, n = line.rstrip("\n").split("\t")
            counts[name] = int(n)
    if mode == "--update":
        with open(baseline_path, "w") as f:
            json.dump({"unit": "instructions per operation (callgrind Ir)", **env,
                       "counts": counts}, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"wrote {baseline_path}")
    base, baseline = {}, {}
    if os.path.exists(baseline_path):
        with open(baseline_path) as f:
            baseline = json.load(f)
        base = baseline["counts"]
    incomparable = []
    for key, value in env.items():
        recorded = baseline.get(key)
        if recorded is None or recorded == value:
            continue
        if key == "cpu":
            if mode == "compare" and tolerance < CPU_TOLERANCE:
                print(f"instruction gate: the baseline was counted on '{recorded}', this is "
                      f"'{value}': tolerance {CPU_TOLERANCE:.0%} (glibc's routines differ by CPU)")
                tolerance = CPU_TOLERANCE
        else:
            incomparable.append(f"{key} {recorded} in the baseline, {value} here")
    failed = []
    print(f"{'path':<40} {'instructions':>12} {'baseline':>12} {'change':>8}")
    for name in sorted(counts):
        b = base.get(name)
        change = (counts[name] / b - 1) if b else None
        flag = ""
        if change is not None and change > tolerance:
            flag = "  GREW"
            failed.append(name)
        print(f"{name:<40} {counts[name]:>12} {b if b else '-':>12} "
              f"{'' if change is None else f'{change:+.1%}':>8}{flag}")
    if mode != "compare":
        return
    if not base:
        sys.exit(f"instruction gate: no baseline {baseline_path} (run with --update)")
    if incomparable:
        sys.exit(f"instruction gate: {baseline_path} is not comparable: " + "; ".join(incomparable)
                 + " (count a new baseline with --update)")
    missing = sorted(set(base) - set(counts))
    if missing:
        sys.exit("instruction gate: paths of the baseline not measured: " + ", ".join(missing))
    if failed:
        sys.exit(f"instruction gate: instruction counts grew by more than {tolerance:.0%}: "
                 + ", ".join(failed) + " (an intended change updates " + baseline_path
                 + " with --update and says why in its commit)")
    print(f"instruction gate: every count within +{tolerance:.0%} of the baseline")


if __name__ == "__main__":
    main()
