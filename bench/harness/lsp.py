"""The language server's figures, from `bench/lsp_latency.py --json`.

That script prints one JSON object (open_ms, change_median_ms, change_p95_ms, diagnostics,
lines, peak_rss_mb, …); with `--pods N` it opens a document of N Pods instead. An older
script without `--json`, or a server that fails, gives `None`: the report says "not measured".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .prepare import log

LARGE_PODS = 5_000


def parse_output(stdout: str) -> dict | None:
    """The JSON object that ends `stdout` (on one line or pretty-printed), or None."""
    lines = stdout.rstrip().splitlines()
    for start in range(len(lines) - 1, -1, -1):
        if not lines[start].startswith("{"):
            continue
        try:
            value = json.loads("\n".join(lines[start:]))
        except ValueError:
            continue
        return value if isinstance(value, dict) else None
    return None


def peak_rss_mb(figures: dict) -> float | None:
    """The server's peak RSS in MB, whichever unit the script used."""
    for key, scale in (("peak_rss_mb", 1.0), ("peak_rss_mib", 1.0), ("peak_rss_kib", 1 / 1024)):
        value = figures.get(key)
        if isinstance(value, (int, float)):
            return round(value * scale, 1)
    return None


def run(script: Path, podlint: Path, extra: list[str], timeout_s: float) -> dict | None:
    argv = [sys.executable, str(script), "--podlint", str(podlint), "--json", *extra]
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        log(f"language server: {' '.join(argv[1:])} did not finish ({err})")
        return None
    figures = parse_output(result.stdout) if result.returncode == 0 else None
    if figures is None:
        reason = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        log(f"language server: not measured ({reason})")
    return figures


def measure(script: Path, podlint: Path, timeout_s: float) -> dict:
    """The edit latency on the script's default manifest and the peak RSS on 5,000 Pods."""
    latency = run(script, podlint, [], timeout_s)
    large = run(script, podlint, ["--pods", str(LARGE_PODS)], timeout_s)
    return {
        "latency": latency,
        "large": large,
        "large_pods": LARGE_PODS,
        "large_peak_rss_mb": peak_rss_mb(large) if large else None,
    }
