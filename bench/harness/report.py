"""Turning measurements into the Markdown table, the scaling notes and the README block."""

from __future__ import annotations

import re
from pathlib import Path

from . import machine as machine_info
from .tools import FLOOR, PEER, PODLINT

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
    """podlint at its default thread count: what every other row is compared with."""
    for row in results:
        if row["size"] == size and row["key"] == "podlint" and row["status"] == "ok":
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
        "| tool | wall s | CPU s | peak MB | files/s | MB/s | wall vs podlint |",
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


def find(results: list[dict], key: str, size: int) -> dict | None:
    for row in results:
        if row["key"] == key and row["size"] == size and row["status"] == "ok":
            return row
    return None


def scaling(results: list[dict], corpora: list[dict], nproc: int) -> list[str]:
    """podlint against itself: size, threads and the parse floor."""
    lines = [
        "#### podlint scaling",
        "",
        (
            "| documents | wall s (1 thread) | µs/document (1 thread) "
            f"| wall s ({nproc} threads) | thread speedup | vs parse floor (1 thread) "
            f"| vs parse floor ({nproc} threads) |"
        ),
        "| --: | --: | --: | --: | --: | --: | --: |",
    ]
    per_doc = []
    for corpus in corpora:
        size = corpus["documents"]
        one, many = find(results, "podlint-1t", size), find(results, "podlint", size)
        floor_one = find(results, "parse-floor-1t", size)
        floor_many = find(results, f"parse-floor-{nproc}t", size)
        if one is None:
            continue
        micros = one["wall_s"] / size * 1e6
        per_doc.append(micros)
        cells = [
            f"{size:,}",
            seconds(one["wall_s"]),
            f"{micros:.1f}",
            seconds(many["wall_s"]) if many else "–",
            ratio(one["wall_s"] / many["wall_s"]) if many else "–",
            ratio(one["wall_s"] / floor_one["wall_s"]) if floor_one else "–",
            ratio(many["wall_s"] / floor_many["wall_s"]) if many and floor_many else "–",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if len(per_doc) < 1:
        return ["podlint was not measured (see the log above)."]
    if len(per_doc) > 1:
        spread = max(per_doc) / min(per_doc)
        verdict = "linear" if spread < 1.5 else "not linear"
        lines += ["", f"Time per document varies {spread:.2f}× across sizes ({verdict} in the corpus size)."]
    return lines


def load(machine: dict, when: str) -> str:
    return " / ".join(map(str, machine.get(f"load_average_at_{when}", []))) or "unknown"


def markdown(result: dict) -> str:
    machine = result["machine"]
    lines = [
        (
            f"Measured with `python3 bench/run.py` on {result['date']}: {machine_info.one_line(machine)}; "
            f"load average {load(machine, 'start')} at start, {load(machine, 'end')} at the end. "
            "Wall time is the median of the runs; lower is better."
        ),
        "",
    ]
    for corpus in result["corpora"]:
        lines += size_table(result["results"], corpus) + [""]
    lines += scaling(result["results"], result["corpora"], machine["nproc"]) + [""]
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
