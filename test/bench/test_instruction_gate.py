#!/usr/bin/env python3
"""Tests of scripts/instruction_gate.py, the comparison both perf gates use
(scripts/perf_gate.sh, scripts/perf_gate_sql.sh), on made-up counts.

    python3 test/bench/test_instruction_gate.py      (scripts/test.sh runs it)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GATE = os.path.join(ROOT, "scripts", "instruction_gate.py")


class Gate(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.counts = os.path.join(self.tmp.name, "counts.tsv")
        self.baseline = os.path.join(self.tmp.name, "baseline.json")

    def tearDown(self):
        self.tmp.cleanup()

    def gate(self, counts, mode="compare", tolerance="0.05", *env):
        with open(self.counts, "w") as f:
            f.writelines(f"{k}\t{v}\n" for k, v in counts.items())
        return subprocess.run([sys.executable, GATE, self.counts, self.baseline, mode, tolerance,
                               *env], capture_output=True, text=True)

    def update(self, counts, *env):
        r = self.gate(counts, "--update", "0.05", *env)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_update_records_the_environment(self):
        self.update({"A": 100}, "cpu=X", "postgresql=15")
        with open(self.baseline) as f:
            self.assertEqual(json.load(f), {"counts": {"A": 100}, "cpu": "X", "postgresql": "15",
                                            "unit": "instructions per operation (callgrind Ir)"})

    def test_growth_beyond_the_tolerance_fails_and_a_drop_does_not(self):
        self.update({"A": 100, "B": 100}, "cpu=X")
        self.assertEqual(self.gate({"A": 104, "B": 50}, "compare", "0.05", "cpu=X").returncode, 0)
        r = self.gate({"A": 106, "B": 50}, "compare", "0.05", "cpu=X")
        self.assertEqual(r.returncode, 1)
        self.assertIn("grew by more than 5%: A", r.stderr)
        self.assertIn("GREW", r.stdout)

    def test_another_cpu_widens_the_tolerance(self):
        self.update({"A": 100}, "cpu=X")
        r = self.gate({"A": 110}, "compare", "0.05", "cpu=Y")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("tolerance 15%", r.stdout)
        self.assertEqual(self.gate({"A": 116}, "compare", "0.05", "cpu=Y").returncode, 1)

    def test_another_postgresql_is_incomparable(self):
        self.update({"A": 100}, "cpu=X", "postgresql=15")
        r = self.gate({"A": 100}, "compare", "0.05", "cpu=X", "postgresql=16")
        self.assertEqual(r.returncode, 1)
        self.assertIn("not comparable: postgresql 15 in the baseline, 16 here", r.stderr)

    def test_no_baseline_or_a_path_not_measured_fails(self):
        r = self.gate({"A": 100})
        self.assertEqual(r.returncode, 1)
        self.assertIn("no baseline", r.stderr)
        self.update({"A": 100, "B": 100})
        r = self.gate({"A": 100})
        self.assertEqual(r.returncode, 1)
        self.assertIn("not measured: B", r.stderr)

    def test_print_never_fails(self):
        self.assertEqual(self.gate({"A": 100}, "--print").returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=1)
