#!/usr/bin/env python3
"""Writes the README's table of podlint rules against the peers' check ids.

    python3 tools/peer-table.py CATALOG.md [PODLINT]   # prints Markdown

CATALOG is the team's rule catalog (a Markdown table per category whose first column is the
podlint rule name and whose peer columns hold each peer's own check id). Only rules podlint
ships are listed, and only those a peer also checks.
"""
import json
import re
import subprocess
import sys

PEERS = ["kube-linter", "kube-score", "Polaris", "checkov"]


def catalog_rows(path):
    header = None
    for line in open(path, encoding="utf-8"):
        if not line.startswith("|"):
            header = None if not line.strip() else header
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == "podlint id":
            header = cells
            continue
        if header is None or set(cells[0]) <= {"-", " "}:
            continue
        yield dict(zip(header, cells))


def clean(cell):
    # Peer ids without the catalog's notes on defaults and severities.
    cell = re.sub(r"\s*\[[a-z]+\]", "", cell)
    return cell.replace("★", "").replace("|", "/").strip()


def main():
    catalog = sys.argv[1]
    podlint = sys.argv[2] if len(sys.argv) > 2 else "podlint"
    shipped = {r["name"]: r for r in json.loads(subprocess.check_output([podlint, "rules", "--format", "json"]))}
    rows = []
    for row in catalog_rows(catalog):
        name = row.get("podlint id", "")
        if name not in shipped:
            continue
        peers = [clean(row.get(p, "")) for p in PEERS]
        if any(peers):
            rows.append((name, shipped[name]["category"], *peers))
    print("| podlint rule | category | " + " | ".join(PEERS) + " |")
    print("|---|---|" + "---|" * len(PEERS))
    for name, category, *peers in sorted(set(rows)):
        print(f"| `{name}` | {category} | " + " | ".join(peers) + " |")


if __name__ == "__main__":
    main()
