#!/usr/bin/env python3
"""Tests of scripts/bench_history.py (make bench's history and make
bench-report's chart) on synthetic histories: no benchmark is run.

    python3 test/bench/test_bench_history.py      (scripts/test.sh runs it)

The chart tests need matplotlib (python3-matplotlib, installed by
scripts/setup.sh); without it they fail rather than skip, so that a suite
that lost the package cannot pass without drawing anything.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "bench_history.py")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import bench_history  # noqa: E402


def row(name, ratio, target, met=None):
    return {"benchmark": name, "ours": "1", "baseline": "2", "ratio": ratio, "target": target,
            "met": met, "ours_value": {"raw": 1}, "kind": "time"}


SUMMARY = [
    row("EndToEnd/SIMPLE time", 0.03, "<= 0.0666667", True),
    row("EndToEnd/COMPLEX time", 0.05, "<= 0.0666667", True),
    row("Compile/SIMPLE time", 0.5, None),
    row("SQL execute-COMPLEX tps", 0.9, ">= 0.7", True),
    row("SQL execute-miss-COMPLEX tps", 0.6, ">= 0.7", False),
    row("SQL execute-COMPLEX p95", 1.2, "< 5 ms", True),
    row("SQL data workflow vs INSERT ... SELECT", 0.4, ">= 0.5", False),
]


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


class History(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.results = os.path.join(self.dir, "20261207T000000Z")
        os.mkdir(self.results)
        with open(os.path.join(self.results, "summary.json"), "w") as f:
            json.dump(SUMMARY, f)
        with open(os.path.join(self.results, "bench-settings.json"), "w") as f:
            json.dump({"BENCH_SQL_SECONDS": "2"}, f)
        self.history = os.path.join(self.dir, "history.jsonl")
        self.svg = os.path.join(self.dir, "chart.svg")

    def tearDown(self):
        self.tmp.cleanup()

    def append(self, *extra):
        r = run("append", self.results, "--history", self.history, *extra)
        self.assertEqual(r.returncode, 0, r.stderr)

    def chart(self):
        r = run("chart", "--history", self.history, "--out", self.svg)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(self.svg) as f:
            return f.read()

    def test_append_keeps_the_table_columns_only(self):
        self.append("--commit", "abc1234-dirty", "--note", "shortened")
        self.append("--commit", "def5678")
        entries = bench_history.read_history(self.history)
        self.assertEqual([e["commit"] for e in entries], ["abc1234-dirty", "def5678"])
        self.assertEqual(entries[0]["note"], "shortened")
        self.assertNotIn("note", entries[1])
        self.assertEqual(entries[0]["settings"], {"BENCH_SQL_SECONDS": "2"})
        self.assertEqual(entries[0]["results"], "20261207T000000Z")
        self.assertEqual(set(entries[0]["rows"][0]), set(bench_history.ROW_FIELDS))
        self.assertEqual(len(entries[0]["rows"]), len(SUMMARY))
        self.assertRegex(entries[0]["date"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        with open(self.history) as f:
            self.assertEqual(len(f.read().splitlines()), 2)  # one line per run

    def test_commit_defaults_to_head(self):
        self.append()
        commit = bench_history.read_history(self.history)[0]["commit"]
        self.assertRegex(commit, r"^[0-9a-f]{7,}(-dirty)?$")

    def test_a_line_that_is_not_json_names_the_line(self):
        with open(self.history, "w") as f:
            f.write('{"rows": []}\n<<<<<<< HEAD\n')
        r = run("chart", "--history", self.history, "--out", self.svg)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("history.jsonl:2: not JSON", r.stderr)

    def test_families_and_targets(self):
        self.assertEqual(bench_history.family("EndToEnd/LARGE100 time"), "EndToEnd time")
        self.assertEqual(bench_history.family("Execute/SIMPLE allocs"), "Execute allocs")
        self.assertEqual(bench_history.family("SQL execute-BRANCHY tps"), "SQL execute, cache hit")
        self.assertEqual(bench_history.family("SQL execute-miss-SIMPLE tps"),
                         "SQL execute, cache miss")
        self.assertEqual(bench_history.family("SQL execute-COMPLEX tracked/untracked tps"),
                         "SQL tracked/untracked")
        self.assertEqual(bench_history.parse_target(">= 0.5"), (">=", 0.5))
        self.assertIsNone(bench_history.parse_target("< 5 ms"))
        self.assertIsNone(bench_history.parse_target(None))
        data = bench_history.series([{"rows": SUMMARY}])
        # Untargeted rows (Compile) and non-ratio targets (p95) are not drawn.
        self.assertEqual(sorted(data), ["EndToEnd time", "SQL execute, cache hit",
                                        "SQL execute, cache miss",
                                        "data workflow vs INSERT ... SELECT"])
        (_, geomean, low, high), = data["EndToEnd time"]["points"]
        self.assertAlmostEqual(geomean, (0.03 * 0.05) ** 0.5)
        self.assertEqual((low, high), (0.03, 0.05))
        self.assertEqual(data["EndToEnd time"]["direction"], "<=")

    def test_chart_of_an_empty_or_missing_history(self):
        svg = self.chart()  # missing file
        self.assertIn("no runs recorded yet", svg)
        open(self.history, "w").close()
        self.assertIn("no runs recorded yet", self.chart())

    def test_chart_of_one_and_of_several_runs(self):
        self.append("--commit", "abc1234")
        svg = self.chart()
        self.assertTrue(svg.lstrip().startswith("<?xml"))
        for text in ("EndToEnd time", "SQL execute, cache miss", "abc1234"):
            self.assertIn(text, svg)
        self.append("--commit", "def5678")
        again = self.chart()
        self.assertIn("def5678", again)
        # Deterministic: the same history draws the same bytes.
        self.assertEqual(again, self.chart())


if __name__ == "__main__":
    unittest.main(verbosity=1)
