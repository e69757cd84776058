"""Turning measurements into the Markdown table, the scaling notes and the README block."""

from __future__ import annotations

import re
from pathlib import Path

from . import machine as machine_info
from . import targets
from .lsp import peak_rss_mb as server_peak_mb
from .tools import FLOOR, PEER, PODLINT, REFERENCE

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
GROUP_ORDER = {PODLINT: 0, FLOOR: 1, PEER: 2}


def seconds(value: float) -> str:
    if value < 1:
        return f"{value:.3f}"
    if value < 100:
        return f"{value:.2f}"
    return f"{value:.0f}"


def rate(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def ratio(value: float) -> str:
    if value >= 10:
        return f"{value:,.0f}×"
    return f"{value:.2f}×" if value < 1 else f"{value:.1f}×"


def reference(results: list[dict], size: int) -> dict | None:
    """podlint json at two threads: what every other row is compared with."""
    for row in results:
        if row["size"] == size and row["key"] == REFERENCE and row["status"] == "ok":
            return row
    return None


def size_table(results: list[dict], corpus: dict) -> list[str]:
    size = corpus["documents"]
    rows = [row for row in results if row["size"] == size]
    rows.sort(key=lambda row: (GROUP_ORDER[row["group"]], row.get("wall_s") or 0))
    base = reference(results, size)
    lines = [
        f"#### {size:,} documents ({corpus['files']:,} files, {corpus['bytes'] / 1e6:.1f} MB)",
        "",
        "| tool | wall s | CPU s | peak MB | files/s | MB/s | wall vs podlint json (2 threads) |",
        "| --- | --: | --: | --: | --: | --: | --: |",
    ]
    for row in rows:
        name = f"**{row['label']}**" if row["group"] == PODLINT else row["label"]
        if row["status"] != "ok":
            lines.append(f"| {name} | {row['status']} | | | | | |")
            continue
        vs = ratio(row["wall_s"] / base["wall_s"]) if base else "–"
        lines.append(
            f"| {name} | {seconds(row['wall_s'])} | {seconds(row['cpu_s'])} | {row['peak_mb']:.0f} "
            f"| {rate(row['files_per_s'])} | {rate(row['mb_per_s'])} | {vs} |"
        )
    return lines


def maybe(value: float | None, fmt) -> str:
    return "–" if value is None else fmt(value)


def times(value: float) -> str:
    return f"{value:.2f}×"


def scaling(result: dict) -> list[str]:
    """podlint against the parse floor, against itself across threads, and across sizes."""
    sizes = targets.by_size(result)
    if not any(s.cpu_vs_floor or s.peak_mb for s in sizes):
        return ["podlint was not measured (see the log above)."]
    lines = [
        "#### podlint against the parse floor, by size",
        "",
        (
            "| documents | files | CPU vs floor, 1 thread | api-rejects only vs floor | "
            "2-thread speed-up, podlint | 2-thread speed-up, floor | peak MB | CPU µs/document |"
        ),
        "| --: | --: | --: | --: | --: | --: | --: | --: |",
    ]
    for s in sizes:
        cells = [
            f"{s.documents:,}",
            f"{s.files:,}",
            maybe(s.cpu_vs_floor, times),
            maybe(s.api_rejects_vs_floor, times),
            maybe(s.podlint_speedup, times),
            maybe(s.floor_speedup, times),
            maybe(s.peak_mb, lambda v: f"{v:.0f}"),
            maybe(s.cpu_us_per_document, lambda v: f"{v:.0f}"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "CPU is user + sys of `check --format json --threads 1` over the floor's at 1 thread; "
        "speed-ups are wall time at 1 thread over 2 threads; peak MB is the larger of the two json rows.",
    ]
    per_doc = targets.spread([s.cpu_us_per_document for s in sizes])
    if per_doc is not None:
        verdict = "linear" if per_doc < targets.FLAT else "not linear"
        lines += ["", f"CPU time per document varies {per_doc:.2f}× across sizes ({verdict} in the corpus size)."]
    peaks = targets.spread([s.peak_mb for s in sizes])
    if peaks is not None:
        verdict = "flat" if peaks < targets.FLAT else "not flat"
        lines.append(f"Peak memory varies {peaks:.2f}× across sizes ({verdict}).")
    return lines


def target_lines(result: dict) -> list[str]:
    lines = ["#### Issue #14's targets", ""]
    for target in targets.all_targets(result):
        lines.append(f"- {target.mark} {target.name}: {target.measured} (target {target.goal})")
    return lines


def human_table(result: dict) -> list[str]:
    human = result.get("human")
    if not human:
        return []
    lines = [
        f"#### One file of {human['pods']:,} small Pods ({human['bytes'] / 1e6:.1f} MB, two findings each)",
        "",
        "| report | wall s | CPU s | peak MB | output lines |",
        "| --- | --: | --: | --: | --: |",
    ]
    for key in ("human", "concise"):
        row = human.get(key)
        if row is None:
            continue
        if row["status"] != "ok":
            lines.append(f"| {row['label']} | {row['status']} | | | |")
            continue
        lines.append(
            f"| {row['label']} | {seconds(row['wall_s'])} | {seconds(row['cpu_s'])} | {row['peak_mb']:.0f} "
            f"| {row['output_lines']:,} |"
        )
    return lines


def lsp_lines(result: dict) -> list[str]:
    if "lsp" not in result:
        return []
    lsp = result["lsp"] or {}
    latency, large = lsp.get("latency"), lsp.get("large")
    lines = ["#### Language server (`bench/lsp_latency.py --json`)", ""]
    if latency:
        fields = [
            ("lines", "lines", ""),
            ("diagnostics", "diagnostics", ""),
            ("open_ms", "open → diagnostics", " ms"),
            ("change_median_ms", "edit → diagnostics median", " ms"),
            ("change_p95_ms", "p95", " ms"),
        ]
        parts = [f"{label} {fmt_number(latency[key])}{unit}" for key, label, unit in fields if key in latency]
        peak = server_peak_mb(latency)
        if peak is not None:
            parts.append(f"peak {peak:.0f} MB")
        lines.append("- Edit latency: " + ", ".join(parts) + ".")
    else:
        lines.append("- Edit latency: not measured.")
    peak = lsp.get("large_peak_rss_mb")
    pods = lsp.get("large_pods", 5000)
    if large and peak is not None:
        lines.append(f"- A document of {pods:,} Pods: peak {peak:.0f} MB.")
    else:
        lines.append(f"- A document of {pods:,} Pods: not measured.")
    return lines


def fmt_number(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def load(machine: dict, when: str) -> str:
    return " / ".join(map(str, machine.get(f"load_average_at_{when}", []))) or "unknown"


def busy_warning(machine: dict) -> str | None:
    """A loaded machine stretches wall times and hides the second core: say so before the numbers."""
    loads = [*machine.get("load_average_at_start", [])[:1], *machine.get("load_average_at_end", [])[:1]]
    nproc = machine.get("nproc", 1)
    if not loads or max(loads) < nproc / 2:
        return None
    return (
        f"**The machine was busy** (1-minute load up to {max(loads):g} on {nproc} cores): wall times and "
        "the 2-thread speed-ups are pessimistic, CPU times less so (shared caches); peak memory holds."
    )


def markdown(result: dict) -> str:
    machine = result["machine"]
    took = f" The run took {result['duration_s'] / 60:.0f} min." if "duration_s" in result else ""
    lines = [
        (
            f"Measured with `python3 bench/run.py` on {result['date']} (git {result['git']}): "
            f"{machine_info.one_line(machine)}; load average {load(machine, 'start')} at start, "
            f"{load(machine, 'end')} at the end. Wall time is the median of the runs; lower is better.{took}"
        ),
        "",
    ]
    busy = busy_warning(machine)
    if busy:
        lines += [busy, ""]
    lines += target_lines(result) + [""]
    lines += scaling(result) + [""]
    for corpus in result["corpora"]:
        lines += size_table(result["results"], corpus) + [""]
    for section in (human_table(result), lsp_lines(result)):
        if section:
            lines += section + [""]
    versions = ", ".join(f"{name} {version}" for name, version in result["versions"].items())
    if versions:
        lines += [f"Versions: {versions}.", ""]
    for note in result["notes"]:
        lines.append(f"- {note}")
    return "\n".join(lines).rstrip() + "\n"


def update_readme(readme: Path, block: str) -> bool:
    """Replaces the text between the bench markers; False when the markers are absent."""
    try:
        text = readme.read_text()
    except OSError:
        return False
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        return False
    updated = pattern.sub(lambda _: f"{START}\n{block}{END}", text, count=1)
    if updated != text:
        readme.write_text(updated)
    return True
