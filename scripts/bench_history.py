#!/usr/bin/env python3
"""The history of `make bench` (bench/history.jsonl) and its chart.

    python3 scripts/bench_history.py append RESULTS_DIR [--commit C] [--note TEXT]
        adds one line to the history: the date, the commit measured, the CPU
        model, the run's settings and the summary rows of RESULTS_DIR/summary.json
        (scripts/bench.sh calls it after every run)
    python3 scripts/bench_history.py chart [--history FILE] [--out FILE.svg]
        draws the ratios of every run, in history order, as an SVG chart
        (make bench-report; default docs/images/bench-history.svg)

The history is committed (bench/results/ is not): one JSON object per line,
appended, never rewritten, so that a merge of two branches that both ran the
benchmarks keeps both lines. The chart draws one line per benchmark family
(the rows that differ only in their workload: EndToEnd/<W> time, ...) at the
geometric mean of the family's ratios, a band from its best to its worst
workload, and the family's target as a dashed line. Only rows with a target
are drawn: the others are for information and have no scale to be read on.
"""
import argparse
import datetime
import json
import math
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HISTORY = os.path.join(ROOT, "bench", "history.jsonl")
CHART = os.path.join(ROOT, "docs", "images", "bench-history.svg")

# The fields of a summary row that go into the history: what the table
# prints. The raw figures (pgbench rounds, latencies) stay in bench/results/.
ROW_FIELDS = ("benchmark", "ours", "baseline", "ratio", "target", "met")


def git_commit():
    """The short sha of HEAD, with "-dirty" when tracked files differ from it
    (untracked and ignored files, such as bench/results/, do not count)."""
    sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.strip()
    return sha + ("-dirty" if status else "")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def read_history(path):
    """The entries of the history, oldest first; a missing or empty file is an
    empty history. A line that is not JSON is an error naming the line: the
    file is committed, so a bad merge must not go unnoticed."""
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{number}: not JSON: {e}")
    return entries


def append(args):
    with open(os.path.join(args.results, "summary.json")) as f:
        rows = json.load(f)
    settings_path = os.path.join(args.results, "bench-settings.json")
    settings = {}
    if os.path.exists(settings_path):
        with open(settings_path) as f:
            settings = json.load(f)
    entry = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": args.commit or git_commit(),
        "cpu": cpu_model(),
        "results": os.path.basename(os.path.normpath(args.results)),
        "settings": settings,
        "rows": [{k: r.get(k) for k in ROW_FIELDS} for r in rows],
    }
    if args.note:
        entry["note"] = args.note
    os.makedirs(os.path.dirname(os.path.abspath(args.history)), exist_ok=True)
    with open(args.history, "a") as f:
        f.write(json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n")
    print(f"appended {len(entry['rows'])} rows of {entry['commit']} to {args.history}")


# A benchmark row's family: its name without the workload. The first pattern
# that matches names it; rows matching none are their own family.
FAMILIES = [
    (re.compile(r"^(EndToEnd|Execute|Compile)/\S+ (time|allocs)$"), r"\1 \2"),
    (re.compile(r"^SQL execute-miss-\S+ tps$"), "SQL execute, cache miss"),
    (re.compile(r"^SQL execute-\S+ tracked/untracked tps$"), "SQL tracked/untracked"),
    (re.compile(r"^SQL run-\S+ tracked/untracked tps$"), "SQL tracked/untracked"),
    (re.compile(r"^SQL execute-\S+ tps$"), "SQL execute, cache hit"),
]


def family(name):
    for pattern, replacement in FAMILIES:
        if pattern.match(name):
            return pattern.sub(replacement, name)
    return name.removeprefix("SQL ").removesuffix(" tps")


def parse_target(text):
    """'<= 0.0667' -> ('<=', 0.0667); anything else (no target, '< 5 ms') ->
    None: only ratio targets are drawn."""
    m = re.match(r"^\s*(<=|>=)\s*([0-9.eE+-]+)\s*$", text or "")
    return (m.group(1), float(m.group(2))) if m else None


def series(entries):
    """{family: {"direction", "target", "points": [(run index, geomean, min, max)]}}"""
    out = {}
    for i, entry in enumerate(entries):
        groups = {}
        for row in entry.get("rows", []):
            target = parse_target(row.get("target"))
            ratio = row.get("ratio")
            if target is None or not isinstance(ratio, (int, float)) or ratio <= 0:
                continue
            groups.setdefault(family(row["benchmark"]), (target, []))[1].append(ratio)
        for name, ((direction, value), ratios) in groups.items():
            s = out.setdefault(name, {"direction": direction, "target": value, "points": []})
            s["target"] = value  # the newest target wins if it ever moves
            geomean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
            s["points"].append((i, geomean, min(ratios), max(ratios)))
    return out


def label(entry):
    date = (entry.get("date") or "")[:10]
    return f"{entry.get('commit', '?')}\n{date}"


def import_matplotlib():
    """matplotlib is the Debian package python3-matplotlib (scripts/setup.sh),
    which only the system's python has: when this one lacks it (a pyenv or
    venv python first in PATH), run again with /usr/bin/python3."""
    try:
        import matplotlib

        return matplotlib
    except ImportError:
        system = "/usr/bin/python3"
        if os.path.realpath(sys.executable) != os.path.realpath(system) and os.path.exists(system):
            os.execv(system, [system, os.path.abspath(__file__), *sys.argv[1:]])
        sys.exit("bench_history: matplotlib is needed (apt-get install python3-matplotlib, "
                 "or bash scripts/setup.sh)")


def chart(args):
    matplotlib = import_matplotlib()

    matplotlib.use("Agg")  # no display: files only
    import matplotlib.pyplot as plt

    # The same bytes for the same history: no timestamps or random ids in
    # the SVG, so that an unchanged chart is not a change in git.
    matplotlib.rcParams["svg.hashsalt"] = "thaiyyal-bench-history"
    matplotlib.rcParams["svg.fonttype"] = "none"
    entries = read_history(args.history)
    data = series(entries)
    panels = [("<=", "lower is better: ours / reference (log scale)"),
              (">=", "higher is better: ours / PostgreSQL's floor")]
    fig, axes = plt.subplots(2, 1, figsize=(11, 8.5), sharex=True)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, (direction, title) in zip(axes, panels):
        ax.set_title(title, fontsize=10, loc="left")
        ax.grid(True, axis="y", alpha=0.3)
        names = sorted(n for n, s in data.items() if s["direction"] == direction)
        for k, name in enumerate(names):
            s, colour = data[name], colours[k % len(colours)]
            xs = [p[0] for p in s["points"]]
            ax.plot(xs, [p[1] for p in s["points"]], marker="o", markersize=4, color=colour,
                    label=name)
            ax.fill_between(xs, [p[2] for p in s["points"]], [p[3] for p in s["points"]],
                            color=colour, alpha=0.12, linewidth=0)
            # The band has no width at a single run: the same range as a bar.
            ax.vlines(xs, [p[2] for p in s["points"]], [p[3] for p in s["points"]], color=colour,
                      alpha=0.5, linewidth=2)
            ax.axhline(s["target"], color=colour, linestyle="--", linewidth=1, alpha=0.8)
        if direction == "<=" and names:
            ax.set_yscale("log")
        if names:
            ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
        else:
            ax.text(0.5, 0.5, "no runs recorded yet" if not entries else "no targeted rows",
                    ha="center", va="center", transform=ax.transAxes, color="grey")
    axes[-1].set_xticks(range(len(entries)))
    axes[-1].set_xticklabels([label(e) for e in entries], fontsize=7, rotation=0)
    # One run alone would sit at the left edge of a zero-width axis.
    axes[-1].set_xlim(-0.5, max(len(entries) - 0.5, 0.5))
    fig.suptitle("make bench over commits (bench/history.jsonl): solid = geometric mean of a "
                 "family's rows,\nband = best to worst workload, dashed = issue 14's target",
                 fontsize=10)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    fig.savefig(args.out, format="svg", metadata={"Date": None})
    print(f"wrote {args.out} ({len(entries)} runs, {len(data)} families)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("append")
    p.add_argument("results")
    p.add_argument("--history", default=HISTORY)
    p.add_argument("--commit", help="the commit measured (default: HEAD now, -dirty if so)")
    p.add_argument("--note")
    p.set_defaults(func=append)
    p = sub.add_parser("chart")
    p.add_argument("--history", default=HISTORY)
    p.add_argument("--out", default=CHART)
    p.set_defaults(func=chart)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
