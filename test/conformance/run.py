#!/usr/bin/env python3
"""Conformance runner: every case of the conformance corpus through
thaiyyal_execute, in ONE psql session, judged by the rules of
shared/conformance/README.md.

Usage: test/conformance/run.py [-v] [CASE_NAME_SUBSTRING ...]

Connection: whatever psql uses (PGHOST, PGPORT, PGUSER, PGDATABASE, ... as
set by pg_virtualenv); the psql binary can be set with THAIYYAL_PSQL. The
extension must be installed; the runner creates it inside a transaction that
it rolls back, so the database is left as it was.

Corpus location: $THAIYYAL_CONFORMANCE_DIR, else ../shared/conformance
relative to the repository root. Layout: cases/NAME.json (payload),
expected/NAME.json (reference Result or {"error": ...}), optional
divergences/NAME.json ({"row","reason","expected"}) overriding expected.

Comparison (README "Comparison rules"):
  * expected {"error": ...}: the call must raise an ERROR (message not
    compared);
  * otherwise the call must succeed, and node_results and final_output must
    equal the expected ones as parsed JSON (objects by key set, arrays
    element-wise, numbers within 1e-9 relative tolerance, a number never
    equals a string or a boolean); execution_id, errors and workflow_id are
    not compared;
  * _oracle.final_output_ambiguous: final_output may equal the expected
    node_results[id] of any listed candidate.

Failures that do not fail the run (the exit status):
  * cases listed in test/conformance/allowlist.txt (reviewed, documented
    divergences; "NAME  reason" per line). An allow-listed case that passes
    is reported as XPASS so that the entry can be removed;
  * cases that fail because a node type is not implemented yet (the error
    says "no executor registered for type: T" or "not implemented") unless
    THAIYYAL_CONFORMANCE_STRICT=1;
  * failing cases that use a node type listed in THAIYYAL_XFAIL_NODE_TYPES
    (comma-separated).

Output: one line per non-passing case with a short diff, then
"divergent cases: P/N passed" (when the corpus has divergences),
"N passed, M failed" and, last, "conformance: N passed, M failed".
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time

REL_TOL = 1e-9
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ALLOWLIST = os.path.join(REPO, "test", "conformance", "allowlist.txt")
UNIMPLEMENTED = re.compile(r"no executor registered for type: ?(\S*)|not implemented", re.I)


def corpus_dir():
    d = os.environ.get("THAIYYAL_CONFORMANCE_DIR")
    if d:
        return os.path.abspath(d)
    return os.path.abspath(os.path.join(REPO, "..", "shared", "conformance"))


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def load_allowlist():
    allowed = {}
    if not os.path.exists(ALLOWLIST):
        return allowed
    with open(ALLOWLIST, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, _, reason = line.partition(" ")
            allowed[name] = reason.strip()
    return allowed


def sql_literal(text):
    return "'" + text.replace("'", "''") + "'"


def build_script(cases):
    out = [
        "\\set ON_ERROR_STOP 1",
        "SET client_min_messages = warning;",
        "SET standard_conforming_strings = on;",
        "BEGIN;",
        "CREATE EXTENSION IF NOT EXISTS thaiyyal;",
        """CREATE FUNCTION pg_temp.conformance_run(payload text) RETURNS jsonb
LANGUAGE plpgsql AS $fn$
BEGIN
  RETURN jsonb_build_object('ok', thaiyyal_execute(payload::jsonb));
EXCEPTION WHEN OTHERS THEN
  RETURN jsonb_build_object('error', SQLERRM, 'sqlstate', SQLSTATE);
END
$fn$;""",
        "CREATE TEMP TABLE conformance_cases (name text PRIMARY KEY, payload text NOT NULL);",
    ]
    for name, payload_text in cases:
        out.append(
            "INSERT INTO conformance_cases VALUES (%s, %s);"
            % (sql_literal(name), sql_literal(payload_text))
        )
    out.append(
        "SELECT jsonb_build_object('name', name, 'outcome', pg_temp.conformance_run(payload))"
        " FROM conformance_cases ORDER BY name;"
    )
    out.append("ROLLBACK;")
    return "\n".join(out) + "\n"


def run_psql(script):
    psql = os.environ.get("THAIYYAL_PSQL", "psql")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False, encoding="utf-8") as f:
        f.write(script)
        path = f.name
    try:
        proc = subprocess.run(
            [psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-f", path],
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
    finally:
        os.unlink(path)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        sys.exit("conformance: psql failed (exit %d)" % proc.returncode)
    results = {}
    for line in proc.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        row = json.loads(line)
        results[row["name"]] = row["outcome"]
    return results


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def short(v, limit=120):
    s = json.dumps(v, sort_keys=True, ensure_ascii=False)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def first_difference(actual, expected, path):
    """None when equal under the comparison rules, else a one-line diff."""
    if is_number(expected) and is_number(actual):
        if actual == expected:
            return None
        scale = max(abs(actual), abs(expected))
        if abs(actual - expected) <= REL_TOL * scale:
            return None
        return "%s: expected %s, got %s" % (path, short(expected), short(actual))
    if isinstance(expected, dict) and isinstance(actual, dict):
        missing = sorted(set(expected) - set(actual))
        extra = sorted(set(actual) - set(expected))
        if missing:
            return "%s: missing key %s (expected %s)" % (
                path, short(missing[0]), short(expected[missing[0]]))
        if extra:
            return "%s: unexpected key %s = %s" % (path, short(extra[0]), short(actual[extra[0]]))
        for k in sorted(expected):
            d = first_difference(actual[k], expected[k], "%s.%s" % (path, k))
            if d:
                return d
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return "%s: expected %d elements %s, got %d %s" % (
                path, len(expected), short(expected), len(actual), short(actual))
        for i, (a, e) in enumerate(zip(actual, expected)):
            d = first_difference(a, e, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    same_kind = (type(actual) is type(expected)) or (is_number(actual) and is_number(expected))
    if same_kind and actual == expected:
        return None
    return "%s: expected %s, got %s" % (path, short(expected), short(actual))


def judge(outcome, expected):
    """None when the case passes, else a one-line reason."""
    if "error" in expected:
        if "error" in outcome:
            return None
        return "expected an ERROR (reference: %s), got a result" % short(expected["error"], 100)
    if "error" in outcome:
        return "expected a result, got ERROR %s: %s" % (
            outcome.get("sqlstate"), short(outcome["error"], 200))
    result = outcome["ok"]
    if not isinstance(result, dict):
        return "result is not an object: %s" % short(result)
    d = first_difference(result.get("node_results"), expected.get("node_results"), "node_results")
    if d:
        return d
    oracle = expected.get("_oracle") or {}
    if oracle.get("final_output_ambiguous"):
        candidates = oracle.get("final_output_candidates") or []
        for node_id in candidates:
            for source in (expected.get("node_results") or {}, result.get("node_results") or {}):
                if node_id in source and first_difference(
                        result.get("final_output"), source[node_id], "") is None:
                    return None
        return "final_output %s matches none of the candidates %s" % (
            short(result.get("final_output")), candidates)
    return first_difference(result.get("final_output"), expected.get("final_output"),
                            "final_output")


def node_types(payload):
    types = set()
    nodes = payload.get("nodes") if isinstance(payload, dict) else None
    for n in nodes or []:
        if isinstance(n, dict) and isinstance(n.get("type"), str):
            types.add(n["type"])
    return types


def main(argv):
    verbose = "-v" in argv
    filters = [a for a in argv if a != "-v"]
    base = corpus_dir()
    cases_dir = os.path.join(base, "cases")
    if not os.path.isdir(cases_dir):
        sys.exit("conformance: no corpus at %s (set THAIYYAL_CONFORMANCE_DIR)" % base)
    names = sorted(f[:-5] for f in os.listdir(cases_dir) if f.endswith(".json"))
    if filters:
        names = [n for n in names if any(f in n for f in filters)]
    allowlist = load_allowlist()
    strict = os.environ.get("THAIYYAL_CONFORMANCE_STRICT") == "1"
    xfail_types = {t.strip() for t in os.environ.get("THAIYYAL_XFAIL_NODE_TYPES", "").split(",")
                   if t.strip()}

    cases = []
    for name in names:
        with open(os.path.join(cases_dir, name + ".json"), encoding="utf-8") as f:
            cases.append((name, f.read()))

    started = time.monotonic()
    results = run_psql(build_script(cases))
    elapsed = time.monotonic() - started

    passed = failed = fatal = 0
    div_total = div_passed = 0
    for name, payload_text in cases:
        div_path = os.path.join(base, "divergences", name + ".json")
        divergent = os.path.exists(div_path)
        expected = (load_json(div_path)["expected"] if divergent
                    else load_json(os.path.join(base, "expected", name + ".json")))
        outcome = results.get(name)
        reason = "no result row" if outcome is None else judge(outcome, expected)
        tag = " [div]" if divergent else ""
        if divergent:
            div_total += 1
        if reason is None:
            passed += 1
            if divergent:
                div_passed += 1
            if name in allowlist:
                print("XPASS %s%s: passes but is allow-listed; remove it from %s"
                      % (name, tag, os.path.relpath(ALLOWLIST, REPO)))
            elif verbose:
                print("ok    %s%s" % (name, tag))
            continue
        failed += 1
        try:
            types = node_types(json.loads(payload_text))
        except ValueError:
            types = set()
        error_text = (outcome or {}).get("error") or ""
        if name in allowlist:
            kind = "XFAIL"
            note = " (allow-listed: %s)" % allowlist[name]
        elif not strict and "error" not in expected and UNIMPLEMENTED.search(error_text):
            kind = "UNIMPL"
            note = " (node type not implemented yet)"
        elif types & xfail_types:
            kind = "XFAIL"
            note = " (THAIYYAL_XFAIL_NODE_TYPES: %s)" % ",".join(sorted(types & xfail_types))
        else:
            kind = "FAIL"
            note = ""
            fatal += 1
        print("%-7s%s%s: %s%s" % (kind, name, tag, reason, note))

    if div_total:
        print("divergent cases: %d/%d passed" % (div_passed, div_total))
    print("(%d cases in %.2fs; %d failures are fatal)" % (len(cases), elapsed, fatal))
    print("%d passed, %d failed" % (passed, failed))
    print("conformance: %d passed, %d failed" % (passed, failed))
    return 1 if fatal else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
