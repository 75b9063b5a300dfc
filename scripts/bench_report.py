#!/usr/bin/env python3
"""Prints the table of `make bench` from one results folder.

    python3 scripts/bench_report.py bench/results/<timestamp>

Reads engine.json (Google Benchmark), pgbench/*.txt and the per-transaction
logs pgbench/<label>.<pid>[.<thread>], and bench/reference_figures.json.
Writes summary.json beside them. Every row is: benchmark, our figure, the
baseline, ratio = ours / baseline, the target for that ratio, and whether it
is met (rows without a target are informational).
"""
import glob
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_reference():
    with open(os.path.join(ROOT, "bench", "reference_figures.json")) as f:
        return json.load(f)


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} us"
    return f"{ns:.0f} ns"


def engine_rows(out, ref):
    path = os.path.join(out, "engine.json")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        data = json.load(f)
    # CPU time of the benchmark thread (the machine may be shared: wall time
    # also counts time spent waiting for a core); with repetitions, the median.
    bench = {}
    for b in data["benchmarks"]:
        if b.get("error_occurred"):
            continue
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") != "median":
                continue
            name = b["run_name"]
        else:
            name = b.get("run_name", b["name"])
            if name in bench:
                continue  # a repetition: the median comes later and replaces it
        scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
        bench[name] = {
            "ns": b["cpu_time"] * scale,
            "allocs": b.get("allocs_per_op"),
            "bytes": b.get("bytes_per_op"),
        }
    t = ref["targets"]
    rows = []

    def row(name, ours, base, target=None, kind="time", ours_raw=None, base_raw=None):
        ratio = ours_raw / base_raw if (ours_raw is not None and base_raw) else None
        met = None
        if ratio is not None and target is not None:
            met = ratio <= target
        rows.append({"benchmark": name, "kind": kind, "ours": ours, "baseline": base,
                     "ratio": ratio, "target": None if target is None else f"<= {target:g}",
                     "met": met, "ours_value": ours_raw, "baseline_value": base_raw})

    workloads = sorted({n.split("/", 1)[1] for n in bench if n.startswith("EndToEnd/")})
    for w in workloads:
        r = dict(ref["end_to_end"].get(w, {}))
        # BRANCHY has only the 2026-12-06 side-by-side figure.
        xeon = ref.get("reference_2026_12_06_xeon", {})
        if "ns_per_op" not in r and w in xeon.get("end_to_end_ns", {}):
            r["ns_per_op"] = xeon["end_to_end_ns"][w]
            if w == "BRANCHY":
                r["allocs_per_op"] = xeon["branchy_allocs_per_op"]
        for mode in ("EndToEnd", "Compile", "Execute"):
            b = bench.get(f"{mode}/{w}")
            if b is None:
                continue
            base_ns = None
            target = None
            if mode == "EndToEnd" and "ns_per_op" in r:
                base_ns, target = r["ns_per_op"], 1 / t["end_to_end_speedup_min"]
            if mode == "Execute" and w in ref["execute"]:
                base_ns, target = ref["execute"][w]["ns_per_op"], 1 / t["execute_speedup_min"]
            row(f"{mode}/{w} time", fmt_ns(b["ns"]), fmt_ns(base_ns) if base_ns else "-",
                target, "time", b["ns"], base_ns)
            base_allocs = r.get("allocs_per_op") if mode == "EndToEnd" else None
            row(f"{mode}/{w} allocs", f"{b['allocs']:.0f}" if b["allocs"] is not None else "-",
                f"{base_allocs}" if base_allocs else "-",
                t["allocs_ratio_max"] if base_allocs else None, "allocs", b["allocs"],
                base_allocs)
    # Expressions: evaluating a compiled expression vs compiling it every time.
    for name in sorted({n.split("/", 1)[1] for n in bench if n.startswith("ExprEval/")}):
        ev, pe = bench.get(f"ExprEval/{name}"), bench.get(f"ExprParseEval/{name}")
        if ev and pe:
            row(f"ExprEval/{name} (vs ExprParseEval)", fmt_ns(ev["ns"]), fmt_ns(pe["ns"]),
                None, "time", ev["ns"], pe["ns"])
    return rows


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return None if n == 0 else (xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2)


def pgbench_summary(out, label):
    """Median tps and latency over the rounds <label>-r<N>; p95 over all of
    their transactions (per-transaction logs: the third field is the latency
    in microseconds)."""
    tps, avg, lat = [], [], []
    for txt in glob.glob(os.path.join(out, "pgbench", f"{label}-r*.txt")):
        with open(txt) as f:
            text = f.read()
        m = re.search(r"^tps = ([0-9.]+)", text, re.M)
        if m:
            tps.append(float(m.group(1)))
        m = re.search(r"^latency average = ([0-9.]+) ms", text, re.M)
        if m:
            avg.append(float(m.group(1)))
        for log in glob.glob(txt[:-len(".txt")] + ".[0-9]*"):
            with open(log) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) >= 3:
                        lat.append(int(parts[2]))
    if not tps:
        return None
    lat.sort()
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] / 1000 if lat else None
    return {"tps": median(tps), "tps_rounds": tps, "latency_avg_ms": median(avg),
            "p95_ms": p95, "transactions": len(lat)}


def sql_rows(out, ref):
    t = ref["targets"]
    rows = []
    # (measured, its baseline, tps ratio target or None). Targets: issue 14.
    workloads = ("SIMPLE", "COMPLEX", "LARGE100", "BRANCHY")
    pairs = [(f"execute-{w}", f"baseline-{w}",
              t["sql_hit_ratio_min"] if w in ("COMPLEX", "BRANCHY") else None) for w in workloads]
    pairs += [(f"execute-miss-{w}", f"baseline-miss-{w}", t["sql_miss_ratio_min"])
              for w in workloads]
    pairs += [("run-COMPLEX", "baseline-RUN", None),
              ("run-COMPLEX", "execute-RUN", t["sql_run_vs_execute_min"]),
              ("run-unrecorded-COMPLEX", "execute-RUN", None)]
    for ours_label, base_label, target in pairs:
        ours, base = pgbench_summary(out, ours_label), pgbench_summary(out, base_label)
        if not ours or not base or not ours["tps"] or not base["tps"]:
            continue
        targeted = target is not None
        ratio = ours["tps"] / base["tps"]
        name = ours_label if base_label.startswith("baseline") else f"{ours_label} vs {base_label}"
        rows.append({"benchmark": f"SQL {name} tps", "kind": "tps",
                     "ours": f"{ours['tps']:.0f}", "baseline": f"{base['tps']:.0f}",
                     "ratio": ratio,
                     "target": f">= {target:g}" if targeted else None,
                     "met": (ratio >= target) if targeted else None,
                     "ours_value": ours, "baseline_value": base})
        if not base_label.startswith("baseline"):
            continue
        targeted = ours_label == "execute-COMPLEX"
        p95_met = (ours["p95_ms"] < t["sql_p95_ms_max"]) if targeted and ours["p95_ms"] else None
        rows.append({"benchmark": f"SQL {name} p95", "kind": "p95",
                     "ours": f"{ours['p95_ms']:.3f} ms" if ours["p95_ms"] else "-",
                     "baseline": f"{base['p95_ms']:.3f} ms" if base["p95_ms"] else "-",
                     "ratio": (ours["p95_ms"] / base["p95_ms"])
                     if ours["p95_ms"] and base["p95_ms"] else None,
                     "target": f"< {t['sql_p95_ms_max']:g} ms" if targeted else None,
                     "met": p95_met, "ours_value": ours["p95_ms"],
                     "baseline_value": base["p95_ms"]})
    # The cost of the statistics: tracked (thaiyyal.track = top, the default)
    # against untracked (none), measured side by side.
    tracked = [(f"execute-{w}", f"untracked-{w}") for w in ("SIMPLE", "COMPLEX", "LARGE100",
                                                           "BRANCHY")]
    tracked.append(("run-COMPLEX", "untracked-RUN"))
    for ours_label, base_label in tracked:
        ours, base = pgbench_summary(out, ours_label), pgbench_summary(out, base_label)
        if not ours or not base or not ours["tps"] or not base["tps"]:
            continue
        ratio = ours["tps"] / base["tps"]
        minimum = t["tracking_tps_ratio_min"]
        rows.append({"benchmark": f"SQL {ours_label} tracked/untracked tps", "kind": "tps",
                     "ours": f"{ours['tps']:.0f}", "baseline": f"{base['tps']:.0f}",
                     "ratio": ratio, "target": f">= {minimum:g}", "met": ratio >= minimum,
                     "ours_value": ours, "baseline_value": base})
    return rows


def data_rows(out, ref):
    """The data workflow (scripts/bench_data.sh): median wall-clock time of the
    workflow against the same work as one INSERT ... SELECT and as a PL/pgSQL
    row loop, measured alternately in one session. ratio = their time / ours,
    higher is better, as for the tps rows (issue 14's targets are stated so)."""
    path = os.path.join(out, "data", "times.txt")
    if not os.path.exists(path):
        return []
    times = {}
    with open(path) as f:
        for line in f:
            label, _round, ms, _written = line.split()
            times.setdefault(label, []).append(float(ms))
    t = ref["targets"]
    ours = median(times.get("thaiyyal", []))
    rows = []
    for label, name, target in (("floor", "INSERT ... SELECT", t["data_workflow_vs_insert_min"]),
                                ("loop", "PL/pgSQL row loop", t["data_workflow_vs_loop_min"])):
        base = median(times.get(label, []))
        if not ours or not base:
            continue
        ratio = base / ours
        rows.append({"benchmark": f"SQL data workflow vs {name}", "kind": "time",
                     "ours": fmt_ns(ours * 1e6), "baseline": fmt_ns(base * 1e6), "ratio": ratio,
                     "target": f">= {target:g}", "met": ratio >= target,
                     "ours_value": times["thaiyyal"], "baseline_value": times[label]})
    return rows


def queue_rows(out, ref):
    """The queue (scripts/bench_queue.sh): drain rate of 2 workers with fsync
    and synchronous_commit on (median of the rounds), and the time from the
    enqueuing COMMIT to the start of execution. Absolute targets: there is no
    baseline to divide by."""
    t = ref["targets"]
    rows = []
    path = os.path.join(out, "queue", "drain.txt")
    if os.path.exists(path):
        with open(path) as f:
            rates = [float(line.split()[2]) for line in f if line.strip()]
        rate = median(rates)
        if rate:
            minimum = t["queue_drain_runs_per_s_min"]
            rows.append({"benchmark": "queue drain, 2 workers, fsync on (runs/s)", "kind": "rate",
                         "ours": f"{rate:.0f}", "baseline": "-", "ratio": None,
                         "target": f">= {minimum:g}", "met": rate >= minimum,
                         "ours_value": rates, "baseline_value": None})
    path = os.path.join(out, "queue", "latency.txt")
    if os.path.exists(path):
        with open(path) as f:
            p50, p95 = (float(x) for x in f.read().split())
        maximum = t["queue_start_p95_ms_max"]
        rows.append({"benchmark": "queue commit -> start p95", "kind": "p95",
                     "ours": f"{p95:.3f} ms", "baseline": "-", "ratio": None,
                     "target": f"< {maximum:g} ms", "met": p95 < maximum,
                     "ours_value": {"p50_ms": p50, "p95_ms": p95}, "baseline_value": None})
    return rows


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    ref = load_reference()
    rows = engine_rows(out, ref) + sql_rows(out, ref) + data_rows(out, ref) + queue_rows(out, ref)
    header = ("benchmark", "ours", "baseline", "ratio", "target", "met")
    table = [header]
    for r in rows:
        table.append((r["benchmark"], r["ours"], r["baseline"],
                      "-" if r["ratio"] is None else f"{r['ratio']:.3f}",
                      r["target"] or "", {True: "yes", False: "NO", None: ""}[r["met"]]))
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    for i, row in enumerate(table):
        print("  ".join(str(c).ljust(widths[j]) if j == 0 else str(c).rjust(widths[j])
                        for j, c in enumerate(row)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print("\nratio = ours / baseline. Engine time and allocations: baseline = the reference "
          "engine (bench/reference_figures.json);\n10x faster = ratio 0.1. SQL: baseline = "
          "SELECT body FROM payloads in the same run (for the miss rows the same jsonb_set;\n"
          "'vs execute-RUN': thaiyyal_execute of the same definition); p95 from pgbench's "
          "per-transaction logs;\ntracked/untracked: the same script with thaiyyal.track = top "
          "(default) vs none.\n"
          "Data workflow: ratio = baseline time / ours (higher is better, as for tps): sql_query "
          "-> filter -> map -> sql_batch\nagainst one INSERT ... SELECT ... ON CONFLICT and a "
          "PL/pgSQL row loop (bench/data/setup.sql), median of the rounds.\n"
          "Queue: 2 workers, fsync and synchronous_commit on, small runs committed at once "
          "(median of the rounds); commit -> start\nover 100 runs queued one at a time "
          "(scripts/bench_queue.sh).")
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
