#!/usr/bin/env python3
"""Benchmark podlint against the bare-parse floor and the linters people use today.

    python3 bench/run.py                       # everything: ~25 min on 2 cores, mostly the peers
    python3 bench/run.py --sizes 1000 --peers yamllint,trivy
    python3 bench/run.py --skip-install --podlint target/release/podlint

It installs the pinned peers into bench/.venv, builds podlint and parse-floor in
release, generates the corpora (bench/generate.py), runs every tool on the same
files, and writes bench/results/latest.{json,md}, the table between the bench
markers of README.md (when they exist) and bench/bench-10k.svg.
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
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import generate  # bench/ is not a package: its path is set just above
from harness import chart, machine, prepare, report, tools
from harness.measure import GNU_TIME, run_once
from harness.prepare import log

CHART_SIZE = 10_000
# Runs shorter than this are repeated (--repeat) and the median kept: they are the noisy ones.
REPEAT_BELOW_S = 10.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="corpus sizes in documents, comma-separated (default: %(default)s)",
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
    args.sizes = sorted({int(size.replace("_", "")) for size in args.sizes.split(",") if size})
    wanted = {p.strip() for p in args.peers.split(",") if p.strip()} - {"none"}
    unknown = wanted - set(tools.PEER_KEYS)
    if unknown:
        parser.error(
            f"unknown peer(s): {', '.join(sorted(unknown))}; choose from {', '.join(tools.PEER_KEYS)}"
        )
    args.peers = wanted
    return args


def build_tools(args: argparse.Namespace, nproc: int, notes: list[str]) -> list[tools.Tool]:
    parse_floor = args.parse_floor or prepare.cargo_build(
        REPO, "podlint-parse-floor", "parse-floor", args.jobs
    )
    if parse_floor is None:
        notes.append("parse-floor did not build: the parse floor rows are missing.")
    podlint = args.podlint or prepare.cargo_build(REPO, "podlint", "podlint", args.jobs)
    if podlint is not None and not prepare.podlint_works(podlint):
        podlint = None
    if podlint is None:
        notes.append("podlint was not available (no binary, or no `podlint check`): its rows are missing.")
    selected = tools.floors(parse_floor, nproc) + tools.podlint(podlint, nproc)
    if args.peers:
        bin_dir = prepare.ensure_venv(BENCH / ".venv", BENCH / "requirements.txt", not args.skip_install)
        if bin_dir is None:
            notes.append("The peers' virtualenv is missing: peers were not run.")
        else:
            selected += tools.peers(bin_dir, BENCH / ".venv" / "trivy-cache", args.peers)
    return selected


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


def measure(
    tool: tools.Tool, corpus_dir: Path, summary: generate.Summary, args: argparse.Namespace, logs: Path
) -> dict:
    stem = logs / f"{summary.documents}-{tool.key}"
    samples = []
    status = "ok"
    for _ in range(max(args.repeat, 1)):
        sample = run_once(
            tool.argv(corpus_dir),
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
        "size": summary.documents,
        "threads": tool.threads,
        "status": status,
        "command": " ".join(tool.argv(corpus_dir)),
    }
    if status != "ok":
        log(f"{summary.documents:>7,} docs  {tool.label:<34} {status}; see {stem}.err")
        return row
    median = sorted(samples, key=lambda s: s.wall_s)[len(samples) // 2]
    row.update(
        {
            "wall_s": round(median.wall_s, 4),
            "walls_s": [round(s.wall_s, 4) for s in samples],
            "user_s": round(median.user_s, 3),
            "sys_s": round(median.sys_s, 3),
            "cpu_s": round(median.cpu_s, 3),
            "peak_mb": round(median.peak_rss_kb / 1024, 1),
            "exit_code": median.exit_code,
            "output_lines": count_lines(stem.with_suffix(".out")),
        }
    )
    row["files_per_s"] = round(summary.files / row["wall_s"], 1)
    row["mb_per_s"] = round(summary.bytes / 1e6 / row["wall_s"], 2)
    log(
        f"{summary.documents:>7,} docs  {tool.label:<34} {row['wall_s']:>9.3f} s wall "
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


def draw_chart(result: dict) -> Path | None:
    rows = [
        r
        for r in result["results"]
        if r["size"] == CHART_SIZE
        and r["status"] == "ok"
        and (r["group"] == tools.PEER or r["key"] == "podlint")
    ]
    if not any(r["key"] == "podlint" for r in rows) or len(rows) < 2:
        return None
    corpus = next(c for c in result["corpora"] if c["documents"] == CHART_SIZE)
    rows.sort(key=lambda r: r["wall_s"])
    title = (
        f"Linting {CHART_SIZE:,} Kubernetes documents ({corpus['files']:,} files, "
        f"{corpus['bytes'] / 1e6:.0f} MB)"
    )
    footer = f"Wall time, lower is better. {machine.one_line(result['machine'])}."
    labels = [
        ("podlint" if r["key"] == "podlint" else r["label"], r["wall_s"], r["key"] == "podlint") for r in rows
    ]
    svg = chart.bars(labels, title, footer)
    path = BENCH / "bench-10k.svg"
    path.write_text(svg)
    return path


def main(argv: list[str]) -> int:
    args = parse_args(argv)
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
    selected = build_tools(args, nproc, notes)

    corpora: list[tuple[Path, generate.Summary]] = []
    for size in args.sizes:
        out = BENCH / "corpus" / str(size)
        log(f"corpus of {size:,} documents in {out.relative_to(REPO)}")
        corpora.append((out, generate.ensure(size, args.seed, out)))

    log("warming up every tool on a few files")
    warm_up(selected, corpora[0][0], args.timeout)

    logs = BENCH / "results" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    results = []
    for corpus_dir, summary in corpora:
        read_all(corpus_dir)
        for tool in selected:
            if tool.group == tools.PEER and summary.documents > args.peer_max_size:
                continue
            results.append(measure(tool, corpus_dir, summary, args, logs))

    host["load_average_at_end"] = machine.load_average()
    result = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git": git_revision(),
        "machine": host,
        "versions": versions(selected),
        "corpora": [
            {"documents": s.documents, "files": s.files, "bytes": s.bytes, "seed": s.seed} for _, s in corpora
        ],
        "results": results,
        "notes": notes,
    }
    out_dir = BENCH / "results"
    (out_dir / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
    block = report.markdown(result)
    (out_dir / "latest.md").write_text(block)
    print(block)
    if report.update_readme(REPO / "README.md", block):
        log("README.md: benchmark block updated")
    else:
        log("README.md has no bench markers: the table is in bench/results/latest.md")
    svg = draw_chart(result)
    log(
        f"chart: {svg.relative_to(REPO)}"
        if svg
        else f"no chart: the {CHART_SIZE:,} run lacks podlint or peers"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
