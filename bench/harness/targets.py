"""What issue #14 must show, computed from one run's rows: ratios by size and the targets.

Every function takes the run's `result` dict (see bench/run.py) and only reads it, so the
report and the tests share one definition of each figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .tools import API_REJECTS_1T, JSON_1T, JSON_2T

FLOOR_1T, FLOOR_2T = "parse-floor-1t", "parse-floor-2t"

# The targets.
MAX_CPU_VS_FLOOR = 2.0
MAX_MB_100K_FILES = 100.0
MAX_MB_1M_DOCUMENTS = 150.0
MAX_HUMAN_VS_CONCISE = 3.0
MAX_LSP_P95_MS = 20.0
MAX_LSP_5000_PODS_MB = 400.0
MIN_TWO_THREAD_SPEEDUP = 1.8

# A corpus stands for "N files" when it holds at least this share of N files.
FILES_TOLERANCE = 0.9
# Per-document CPU time, or peak memory, within this factor across sizes counts as linear / flat.
FLAT = 1.5


@dataclass(frozen=True)
class Target:
    name: str
    measured: str  # "not measured" when the run lacks the rows
    goal: str
    met: bool | None  # None: not measured

    @property
    def mark(self) -> str:
        return {True: "✓", False: "✗", None: "–"}[self.met]


def row(result: dict, key: str, size: int) -> dict | None:
    for candidate in result["results"]:
        if candidate["key"] == key and candidate["size"] == size and candidate["status"] == "ok":
            return candidate
    return None


def ratio(numerator: dict | None, denominator: dict | None, field: str) -> float | None:
    if numerator is None or denominator is None or not denominator.get(field):
        return None
    return numerator[field] / denominator[field]


def closest_by_files(result: dict, files: int, *, at_least: float = 0.0) -> dict | None:
    """The corpus whose file count is nearest `files` (on a log scale), with ≥ at_least × files."""
    candidates = [c for c in result["corpora"] if c["files"] >= files * at_least]
    if not candidates:
        return None
    return min(candidates, key=lambda c: abs(math.log(c["files"] / files)))


@dataclass(frozen=True)
class SizeRatios:
    documents: int
    files: int
    cpu_vs_floor: float | None  # json, default rules, 1 thread: CPU / parse floor CPU
    api_rejects_vs_floor: float | None
    podlint_speedup: float | None  # wall, 1 thread / 2 threads
    floor_speedup: float | None
    peak_mb: float | None  # the larger of the json rows
    cpu_us_per_document: float | None  # json, 1 thread


def by_size(result: dict) -> list[SizeRatios]:
    out = []
    for corpus in result["corpora"]:
        size = corpus["documents"]
        json_1t, json_2t = row(result, JSON_1T, size), row(result, JSON_2T, size)
        floor_1t, floor_2t = row(result, FLOOR_1T, size), row(result, FLOOR_2T, size)
        peaks = [r["peak_mb"] for r in (json_1t, json_2t) if r is not None]
        out.append(
            SizeRatios(
                documents=size,
                files=corpus["files"],
                cpu_vs_floor=ratio(json_1t, floor_1t, "cpu_s"),
                api_rejects_vs_floor=ratio(row(result, API_REJECTS_1T, size), floor_1t, "cpu_s"),
                podlint_speedup=ratio(json_1t, json_2t, "wall_s"),
                floor_speedup=ratio(floor_1t, floor_2t, "wall_s"),
                peak_mb=max(peaks) if peaks else None,
                cpu_us_per_document=json_1t["cpu_s"] / size * 1e6 if json_1t else None,
            )
        )
    return out


def spread(values: list[float | None]) -> float | None:
    """max / min of the measured values; None with fewer than two."""
    present = [v for v in values if v]
    if len(present) < 2:
        return None
    return max(present) / min(present)


def not_measured(name: str, goal: str) -> Target:
    return Target(name, "not measured", goal, None)


def cpu_vs_floor(result: dict) -> Target:
    goal = f"≤ {MAX_CPU_VS_FLOOR:.1f}×"
    corpus = closest_by_files(result, 10_000)
    name = "CPU, 1 thread, `check --format json` vs parse floor"
    if corpus is None:
        return not_measured(name, goal)
    size = corpus["documents"]
    value = ratio(row(result, JSON_1T, size), row(result, FLOOR_1T, size), "cpu_s")
    name += f" ({size:,} documents, {corpus['files']:,} files)"
    if value is None:
        return not_measured(name, goal)
    api = ratio(row(result, API_REJECTS_1T, size), row(result, FLOOR_1T, size), "cpu_s")
    measured = f"{value:.2f}×" + (f" (api-rejects only: {api:.2f}×)" if api is not None else "")
    return Target(name, measured, goal, value <= MAX_CPU_VS_FLOOR)


def peak_memory(result: dict, corpus: dict | None, name: str, limit: float) -> Target:
    goal = f"≤ {limit:.0f} MB"
    if corpus is None:
        return not_measured(name, goal)
    size = corpus["documents"]
    name += f" ({size:,} documents, {corpus['files']:,} files)"
    rows = [r for r in (row(result, JSON_1T, size), row(result, JSON_2T, size)) if r is not None]
    if not rows:
        return not_measured(name, goal)
    peak = max(r["peak_mb"] for r in rows)
    return Target(name, f"{peak:.0f} MB", goal, peak <= limit)


def memory_100k_files(result: dict) -> Target:
    corpus = closest_by_files(result, 100_000, at_least=FILES_TOLERANCE)
    return peak_memory(result, corpus, "Peak memory, `check --format json`, 100,000 files", MAX_MB_100K_FILES)


def memory_1m_documents(result: dict) -> Target:
    corpus = next((c for c in result["corpora"] if c["documents"] >= 1_000_000), None)
    return peak_memory(result, corpus, "Peak memory, `check --format json`, 1,000,000 documents", MAX_MB_1M_DOCUMENTS)


def human_vs_concise(result: dict) -> Target:
    goal = f"≤ {MAX_HUMAN_VS_CONCISE:.0f}× (CPU)"
    human = result.get("human") or {}
    name = f"Human report vs concise, one file of {human.get('pods', 3000):,} Pods"
    value = ratio(human.get("human"), human.get("concise"), "cpu_s")
    if value is None:
        return not_measured(name, goal)
    wall = ratio(human["human"], human["concise"], "wall_s")
    measured = (
        f"{value:.1f}× CPU ({human['human']['cpu_s']:.2f} s vs {human['concise']['cpu_s']:.2f} s; wall {wall:.1f}×)"
    )
    return Target(name, measured, goal, value <= MAX_HUMAN_VS_CONCISE)


def lsp_p95(result: dict) -> Target:
    goal = f"≤ {MAX_LSP_P95_MS:.0f} ms"
    latency = (result.get("lsp") or {}).get("latency") or {}
    name = "Language server, edit → diagnostics p95"
    p95 = latency.get("change_p95_ms")
    if not isinstance(p95, (int, float)):
        return not_measured(name, goal)
    sizes = (("lines", "lines"), ("diagnostics", "findings"))
    details = [f"{latency[key]} {label}" for key, label in sizes if key in latency]
    if details:
        name += f" ({', '.join(details)})"
    return Target(name, f"{p95:.1f} ms", goal, p95 <= MAX_LSP_P95_MS)


def lsp_large(result: dict) -> Target:
    lsp = result.get("lsp") or {}
    goal = f"< {MAX_LSP_5000_PODS_MB:.0f} MB"
    name = f"Language server, peak memory on a {lsp.get('large_pods', 5000):,}-Pod document"
    peak = lsp.get("large_peak_rss_mb")
    if not isinstance(peak, (int, float)):
        return not_measured(name, goal)
    return Target(name, f"{peak:.0f} MB", goal, peak < MAX_LSP_5000_PODS_MB)


def two_threads(result: dict) -> Target:
    goal = f"≥ {MIN_TWO_THREAD_SPEEDUP:.1f}× (wall)"
    name = "2 threads vs 1, `check --format json`"
    corpus = closest_by_files(result, 100_000, at_least=FILES_TOLERANCE)
    stand_in = ""
    if corpus is None:  # no corpus of 100,000 files: the largest one measured says something still
        measured = [c for c in result["corpora"] if row(result, JSON_1T, c["documents"])]
        corpus = max(measured, key=lambda c: c["files"], default=None)
        stand_in = "; no 100,000-file corpus in this run"
    if corpus is None:
        return not_measured(name, goal)
    size = corpus["documents"]
    name += f" ({size:,} documents, {corpus['files']:,} files{stand_in})"
    value = ratio(row(result, JSON_1T, size), row(result, JSON_2T, size), "wall_s")
    if value is None:
        return not_measured(name, goal)
    return Target(name, f"{value:.2f}×", goal, value >= MIN_TWO_THREAD_SPEEDUP)


def all_targets(result: dict) -> list[Target]:
    return [
        cpu_vs_floor(result),
        memory_100k_files(result),
        memory_1m_documents(result),
        human_vs_concise(result),
        lsp_p95(result),
        lsp_large(result),
        two_threads(result),
    ]
