#!/usr/bin/env python3
"""Benchmark podlint against the bare-parse floor and the linters people use today.

    python3 bench/run.py --corpus-dir /work/corp   # everything (see bench/README.md for how long)
    python3 bench/run.py --sizes 1k --peers none --skip-lsp   # a quick look, under a minute
    python3 bench/run.py --skip-install --podlint target/release/podlint --only podlint,floor

It installs the pinned peers into bench/.venv, builds podlint and parse-floor in
release, generates the corpora (bench/generate.py) or reuses them, runs every tool on
the same files, measures the human report and the language server, and writes
bench/results/latest.{json,md}, the block between the bench markers of README.md (when
they exist) and bench/bench-10k.svg.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import generate  # bench/ is not a package: its path is set just above
from harness import chart, human, lsp, machine, prepare, report, tools
from harness.measure import GNU_TIME, run_once
from harness.prepare import log

CHART_SIZE = 10_000
# 212,000 documents make about 100,000 files (2.1 documents a file): the "100,000 files".
DEFAULT_SIZES = "1k,10k,100k,212k,1M"
PARTS = ("podlint", "floor", "peers", "human", "lsp")
# Runs shorter than this are repeated (--repeat) and the median kept: they are the noisy ones.
REPEAT_BELOW_S = 10.0


def parse_size(text: str) -> int:
    """`1000`, `10_000`, `10k`, `1M` → documents."""
    text = text.strip().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if scale != 1 else text
    value = float(number) * scale
    if value < 1 or value != int(value):
        raise ValueError(f"not a number of documents: {text!r}")
    return int(value)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=DEFAULT_SIZES,
        help="corpus sizes in documents, comma-separated, k and M allowed (default: %(default)s; "
        "212k is about 100,000 files)",
    )
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        default=BENCH / "corpus",
        help="where corpora are kept and reused, as <dir>/<documents> (default: bench/corpus)",
    )
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"what to run, comma-separated, from {', '.join(PARTS)} (default: all)",
    )
    parser.add_argument(
        "--peers",
        default=",".join(tools.PEER_KEYS),
        help="peers to run, comma-separated, or 'none' (default: all)",
    )
    parser.add_argument(
        "--peer-max-size",
        type=int,
        default=10_000,
        help="largest corpus the peers run on; they take minutes (default: %(default)s)",
    )
    parser.add_argument(
        "--no-readme",
        action="store_true",
        help="write bench/results/ only: leave README.md and bench/bench-10k.svg as they are",
    )
    parser.add_argument("--skip-lsp", action="store_true", help="do not measure the language server")
    parser.add_argument(
        "--skip-human", action="store_true", help="do not measure the human report on one file of 3,000 Pods"
    )
    parser.add_argument(
        "--skip-install",
        action="store_true",
        help="use bench/.venv as it is instead of pip-installing the peers",
    )
    parser.add_argument("--podlint", type=Path, help="use this podlint binary instead of building one")
    parser.add_argument(
        "--parse-floor", type=Path, help="use this parse-floor binary instead of building one"
    )
    parser.add_argument("--jobs", type=int, help="cargo build -j (default: cargo's)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: %(default)s)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help=f"runs of each command under {REPEAT_BELOW_S:.0f} s; the median is kept (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="per command, seconds (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({parse_size(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError as err:
        parser.error(f"--sizes: {err}")
    args.only = {part.strip() for part in args.only.split(",") if part.strip()}
    unknown_parts = args.only - set(PARTS)
    if unknown_parts:
        parser.error(f"--only: unknown part(s) {', '.join(sorted(unknown_parts))}; choose from {', '.join(PARTS)}")
    if args.skip_lsp:
        args.only.discard("lsp")
    if args.skip_human:
        args.only.discard("human")
    wanted = {p.strip() for p in args.peers.split(",") if p.strip()} - {"none"}
    unknown = wanted - set(tools.PEER_KEYS)
    if unknown:
        parser.error(
            f"unknown peer(s): {', '.join(sorted(unknown))}; choose from {', '.join(tools.PEER_KEYS)}"
        )
    args.peers = wanted if "peers" in args.only else set()
    return args


def build_tools(args: argparse.Namespace, nproc: int, notes: list[str]) -> tuple[list[tools.Tool], Path | None]:
    """The corpus tools to run, and the podlint binary (for the human report and the server)."""
    selected: list[tools.Tool] = []
    if "floor" in args.only:
        parse_floor = args.parse_floor or prepare.cargo_build(
            REPO, "podlint-parse-floor", "parse-floor", args.jobs
        )
        if parse_floor is None:
            notes.append("parse-floor did not build: the parse floor rows are missing.")
        selected += tools.floors(parse_floor)
    podlint = None
    if args.only & {"podlint", "human", "lsp"}:
        podlint = args.podlint or prepare.cargo_build(REPO, "podlint", "podlint", args.jobs)
        if podlint is not None and not prepare.podlint_works(podlint):
            podlint = None
        if podlint is None:
            notes.append("podlint was not available (no binary, or no `podlint check`): its rows are missing.")
    if "podlint" in args.only:
        selected = tools.podlint(podlint, nproc) + selected
    if args.peers:
        bin_dir = prepare.ensure_venv(BENCH / ".venv", BENCH / "requirements.txt", not args.skip_install)
        if bin_dir is None:
            notes.append("The peers' virtualenv is missing: peers were not run.")
        else:
            selected += tools.peers(bin_dir, BENCH / ".venv" / "trivy-cache", args.peers)
    return selected, podlint


def versions(selected: list[tools.Tool]) -> dict[str, str]:
    found: dict[str, str] = {}
    for tool in selected:
        name = tool.label.split(" ")[0]
        if tool.version_argv and name not in found:
            text = prepare.version_of(list(tool.version_argv))
            found[name] = text.removeprefix("Version: ").removeprefix(f"{name} ")
    return found


def warm_up(selected: list[tools.Tool], corpus: Path, timeout: float) -> None:
    """One untimed run of each tool on a few files: caches, bytecode and page cache are warm."""
    sample = sorted(corpus.rglob("*.yaml"))[:3]
    with tempfile.TemporaryDirectory(prefix="podlint-bench-") as tmp:
        for path in sample:
            shutil.copy(path, tmp)
        for tool in selected:
            run_once(
                tool.argv(Path(tmp)),
                stdout=Path(tmp) / "out",
                stderr=Path(tmp) / "err",
                timeout_s=timeout,
                env=env_for(tool),
            )
            (Path(tmp) / "out").unlink()
            (Path(tmp) / "err").unlink()


def read_all(corpus: Path) -> None:
    """Reads the corpus once, untimed, so every tool finds it in the page cache.

    Without this the first tool at a size pays for the disk (the 100,000 corpus is 330 MB
    and a long peer run in between may have evicted it).
    """
    for path in corpus.rglob("*"):
        if path.is_file():
            path.read_bytes()


def env_for(tool: tools.Tool) -> dict[str, str] | None:
    return {**os.environ, **tool.env} if tool.env else None


@dataclass(frozen=True)
class Input:
    """What a tool runs on: a corpus directory or one file."""

    path: Path
    documents: int
    files: int
    bytes: int
    log_stem: str  # names the logs in bench/results/logs


def measure(tool: tools.Tool, target: Input, args: argparse.Namespace, logs: Path) -> dict:
    stem = logs / f"{target.log_stem}-{tool.key}"
    samples = []
    status = "ok"
    for _ in range(max(args.repeat, 1)):
        sample = run_once(
            tool.argv(target.path),
            stdout=stem.with_suffix(".out"),
            stderr=stem.with_suffix(".err"),
            timeout_s=args.timeout,
            env=env_for(tool),
        )
        if sample.timed_out:
            status = f"timeout (> {args.timeout:.0f} s)"
        elif sample.exit_code not in tool.ok_codes or crashed(stem.with_suffix(".err")):
            status = f"failed (exit {sample.exit_code})"
        if status != "ok":
            break
        samples.append(sample)
        if sample.wall_s >= REPEAT_BELOW_S:
            break
    row: dict = {
        "key": tool.key,
        "label": tool.label,
        "group": tool.group,
        "size": target.documents,
        "threads": tool.threads,
        "status": status,
        "command": " ".join(tool.argv(target.path)),
    }
    if status != "ok":
        log(f"{target.documents:>9,} docs  {tool.label:<44} {status}; see {stem}.err")
        return row
    median = sorted(samples, key=lambda s: s.wall_s)[len(samples) // 2]
    row.update(
        {
            "wall_s": round(median.wall_s, 4),
            "walls_s": [round(s.wall_s, 4) for s in samples],
            "user_s": round(median.user_s, 3),
            "sys_s": round(median.sys_s, 3),
            "cpu_s": round(median.cpu_s, 3),
            "cpus_s": [round(s.cpu_s, 3) for s in samples],
            "peak_mb": round(median.peak_rss_kb / 1024, 1),
            "exit_code": median.exit_code,
            "output_lines": count_lines(stem.with_suffix(".out")),
        }
    )
    row["files_per_s"] = round(target.files / row["wall_s"], 1)
    row["mb_per_s"] = round(target.bytes / 1e6 / row["wall_s"], 2)
    log(
        f"{target.documents:>9,} docs  {tool.label:<44} {row['wall_s']:>9.3f} s wall "
        f"{row['cpu_s']:>9.3f} s CPU {row['peak_mb']:>7.0f} MB"
    )
    return row


def crashed(stderr: Path) -> bool:
    """A Python peer that dies with a traceback may still exit 1, which looks like findings."""
    try:
        return b"Traceback (most recent call last)" in stderr.read_bytes()
    except OSError:
        return False


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def git_revision() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "uncommitted"


def chart_size(result: dict) -> int | None:
    """10,000 documents when measured, else the largest corpus measured."""
    sizes = [c["documents"] for c in result["corpora"]]
    if CHART_SIZE in sizes:
        return CHART_SIZE
    return max(sizes, default=None)


def draw_chart(result: dict) -> Path | None:
    """Wall and CPU time of every tool at 10,000 documents, and podlint's memory by size."""
    size = chart_size(result)
    ok = [r for r in result["results"] if r["status"] == "ok"]
    at_size = [r for r in ok if r["size"] == size and r["key"] != tools.CONCISE]
    if size is None or not any(r["group"] == tools.PODLINT for r in at_size):
        return None
    at_size.sort(key=lambda r: r["wall_s"])
    corpus = next(c for c in result["corpora"] if c["documents"] == size)
    times = chart.Panel(
        f"Time on {size:,} documents ({corpus['files']:,} files, {corpus['bytes'] / 1e6:.0f} MB)",
        ("wall", "CPU (user + sys)"),
        [(r["label"], (r["wall_s"], r["cpu_s"]), r["group"] == tools.PODLINT) for r in at_size],
        "s",
    )
    blocks = [times]
    by_size = []
    for c in result["corpora"]:
        peaks = [
            r["peak_mb"] for r in ok if r["size"] == c["documents"] and r["key"] in (tools.JSON_1T, tools.JSON_2T)
        ]
        if peaks:
            by_size.append((f"{c['documents']:,} docs ({c['files']:,} files)", (max(peaks),), True))
    if by_size:
        blocks.append(chart.Panel("Peak memory of podlint check --format json, by corpus size", ("peak",), by_size, "MB"))
    title = "podlint against the parse floor and the peers"
    footer = f"Lower is better. {result['date']}, {machine.one_line(result['machine'])}."
    path = BENCH / "bench-10k.svg"
    path.write_text(chart.panels(title, blocks, footer))
    return path


def corpus_targets(args: argparse.Namespace, notes: list[str]) -> list[Input]:
    """Each size's corpus under --corpus-dir: reused when complete, written when missing."""
    out = []
    for size in args.sizes:
        directory = args.corpus_dir / str(size)
        if not generate.is_current(size, args.seed, directory) and generate.staging_dir(directory).exists():
            log(f"corpus of {size:,} documents: {generate.staging_dir(directory)} is being written; skipped")
            notes.append(f"The {size:,}-document corpus was still being generated: that size is missing.")
            continue
        log(f"corpus of {size:,} documents in {directory}")
        summary = generate.ensure(size, args.seed, directory)
        out.append(Input(directory, summary.documents, summary.files, summary.bytes, str(summary.documents)))
    return out


def measure_human(podlint: Path, args: argparse.Namespace, logs: Path) -> dict:
    path = human.write(args.corpus_dir / "human")
    target = Input(path, human.PODS, 1, path.stat().st_size, f"human-{human.PODS}")
    rows = {}
    for key, tool in tools.report_formats(podlint).items():
        rows[key] = measure(tool, target, args, logs)
    return {"pods": human.PODS, "bytes": target.bytes, **rows}


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    began = time.monotonic()
    host = machine.describe()
    nproc = host["nproc"]
    notes = [
        "Peak MB is the largest single process of the tool's process tree.",
        "Each corpus is read once before its runs: every tool reads from the page cache.",
    ]
    if args.peers:
        notes += [
            f"Peers run on corpora up to {args.peer_max_size:,} documents only: they take minutes.",
            (
                "trivy runs offline with its built-in checks (--skip-check-update, "
                "--skip-version-check, --disable-telemetry); checkov with --skip-download."
            ),
        ]
    if GNU_TIME is None:
        notes.append(
            "GNU time was not installed (apt-get install time): peak MB includes ~20 MB "
            "inherited from the harness."
        )
    selected, podlint = build_tools(args, nproc, notes)
    corpora = corpus_targets(args, notes) if selected else []

    logs = BENCH / "results" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    if corpora:
        log("warming up every tool on a few files")
        warm_up(selected, corpora[0].path, args.timeout)
    results = []
    for target in corpora:
        read_all(target.path)
        for tool in selected:
            if tool.group == tools.PEER and target.documents > args.peer_max_size:
                continue
            results.append(measure(tool, target, args, logs))

    result: dict = {}
    if "human" in args.only and podlint is not None:
        log(f"the human report against concise on one file of {human.PODS:,} Pods")
        result["human"] = measure_human(podlint, args, logs)
    if "lsp" in args.only and podlint is not None:
        log("the language server (bench/lsp_latency.py --json)")
        result["lsp"] = lsp.measure(BENCH / "lsp_latency.py", podlint, args.timeout)

    host["load_average_at_end"] = machine.load_average()
    result.update(
        {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "git": git_revision(),
            "duration_s": round(time.monotonic() - began),
            "machine": host,
            "versions": versions(selected),
            "corpora": [
                {"documents": t.documents, "files": t.files, "bytes": t.bytes, "seed": args.seed} for t in corpora
            ],
            "results": results,
            "notes": notes,
        }
    )
    out_dir = BENCH / "results"
    (out_dir / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    block = report.markdown(result)
    (out_dir / "latest.md").write_text(block)
    print(block)
    if args.no_readme:
        log("--no-readme: the report is in bench/results/latest.md only")
        return 0
    if report.update_readme(REPO / "README.md", block):
        log("README.md: benchmark block updated")
    else:
        log("README.md has no bench markers: the table is in bench/results/latest.md")
    svg = draw_chart(result)
    log(f"chart: {svg.relative_to(REPO)}" if svg else "no chart: no podlint rows in this run")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
