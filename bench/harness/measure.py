"""Run one command and measure it: wall time, CPU time (user + sys) and peak RSS.

`os.wait4` returns the rusage of the child together with every descendant it waited
for, so a shell pipeline or a tool that forks workers is counted in full. Peak RSS is
the largest single process in that tree (the kernel keeps a maximum, not a sum).

Peak RSS is read through GNU time when it is installed: a child forked from this Python
process starts with the harness's own high-water mark (Linux carries it across exec),
which would put a ~20 MB floor under every tool. GNU time is tiny, so what it reports is
the tool's own. Without it, `Sample.peak_rss_exact` is False and the report says so.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Sample:
    wall_s: float
    user_s: float
    sys_s: float
    peak_rss_kb: int
    exit_code: int
    timed_out: bool
    peak_rss_exact: bool

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s


def run_once(
    argv: list[str],
    *,
    stdout: Path,
    stderr: Path,
    timeout_s: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Sample:
    """Runs `argv` with its output sent to files, killing its process group on timeout."""
    rss_file = stderr.with_suffix(".rss")
    if GNU_TIME:
        argv = [GNU_TIME, "--format=%M", f"--output={rss_file}", *argv]
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped above; tell Popen so it does not try again
    peak_kb = _read_peak_kb(rss_file) if GNU_TIME else None
    return Sample(
        wall,
        usage.ru_utime,
        usage.ru_stime,
        peak_kb or usage.ru_maxrss,
        code,
        timed_out.is_set(),
        peak_kb is not None,
    )


def _read_peak_kb(path: Path) -> int | None:
    """GNU time's last line is %M; earlier lines may say the command failed."""
    try:
        lines = path.read_text().split()
        path.unlink()
        return int(lines[-1])
    except (OSError, ValueError, IndexError):
        return None


def _gnu_time() -> str | None:
    path = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if path is None:
        return None
    probe = subprocess.run([path, "--format=%M", "true"], capture_output=True, check=False)
    return path if probe.returncode == 0 else None


GNU_TIME = _gnu_time()
