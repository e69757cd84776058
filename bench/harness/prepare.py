"""Getting the tools ready: the peers' virtualenv and podlint's release builds."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ensure_venv(venv_dir: Path, requirements: Path, install: bool) -> Path | None:
    """Creates `venv_dir` and installs the pinned peers; returns its bin dir, or None."""
    bin_dir = venv_dir / "bin"
    if install:
        if not (bin_dir / "python").exists():
            log(f"creating {venv_dir}")
            venv.create(venv_dir, with_pip=True)
        log(f"installing peers from {requirements.name} (first time: about a minute)")
        result = subprocess.run(
            [
                str(bin_dir / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                str(requirements),
            ],
            check=False,
        )
        if result.returncode != 0:
            log("pip install failed: peers are skipped")
            return None
    if not (bin_dir / "python").exists():
        log(f"no virtualenv at {venv_dir}: peers are skipped (run without --skip-install)")
        return None
    return bin_dir


def target_dir(repo: Path) -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR", repo / "target"))


def cargo_build(repo: Path, package: str, binary: str, jobs: int | None) -> Path | None:
    """Builds one workspace package in release; returns the binary, or None if it failed."""
    argv = ["cargo", "build", "--release", "--quiet", "-p", package]
    if jobs:
        argv += ["-j", str(jobs)]
    log(f"building {package} ({' '.join(argv)})")
    result = subprocess.run(argv, cwd=repo, check=False)
    path = target_dir(repo) / "release" / binary
    if result.returncode != 0 or not path.exists():
        log(f"{package} did not build: it is skipped")
        return None
    return path


def podlint_works(binary: Path) -> bool:
    """`podlint check` must exist; an early podlint without it is skipped, not a failure."""
    try:
        result = subprocess.run(
            [str(binary), "check", "--help"], capture_output=True, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        log(f"cannot run {binary} ({err}): podlint is skipped")
        return False
    if result.returncode != 0:
        log(f"`{binary} check --help` failed (exit {result.returncode}): podlint is skipped")
        return False
    return True


def version_of(argv: list[str]) -> str:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"
