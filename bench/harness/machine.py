"""What machine the numbers were taken on, and how busy it was."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def describe() -> dict:
    return {
        "nproc": os.cpu_count() or 1,
        "cpu": _cpu_model(),
        "memory_gib": _memory_gib(),
        "kernel": platform.release(),
        "os": platform.system(),
        "python": platform.python_version(),
        "load_average_at_start": load_average(),
    }


def one_line(machine: dict) -> str:
    return (
        f"{machine['nproc']} cores ({machine['cpu']}), {machine['memory_gib']} GiB RAM, "
        f"{machine['os']} {machine['kernel']}"
    )
