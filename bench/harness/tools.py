"""The commands compared, each as a user would type it.

Every tool reads the same corpus directory. Exit status 1 means "found problems" for
the linters, so it counts as a successful run; anything else is reported as a failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Groups, in the order the report lists them.
FLOOR, PODLINT, PEER = "floor", "podlint", "peer"

YAML_FILES = ["(", "-name", "*.yaml", "-o", "-name", "*.yml", ")"]


@dataclass(frozen=True)
class Tool:
    key: str  # stable id used in results/latest.json
    label: str  # what the table shows
    group: str
    argv_prefix: tuple[str, ...]  # the corpus directory is appended (or substituted for "{dir}")
    ok_codes: frozenset[int] = frozenset({0, 1})
    threads: int | None = None  # None: the tool's default
    env: dict[str, str] = field(default_factory=dict)
    version_argv: tuple[str, ...] = ()  # how to ask the tool its version, for the report

    def argv(self, corpus: Path) -> list[str]:
        if "{dir}" in self.argv_prefix:
            return [str(corpus) if part == "{dir}" else part for part in self.argv_prefix]
        return [*self.argv_prefix, str(corpus)]


# The thread counts: one, and two (its "2 threads ≥ 1.8× one thread").
THREADS = (1, 2)


def floors(parse_floor: Path | None) -> list[Tool]:
    tools = [
        Tool(
            "cat",
            "cat (read every file)",
            FLOOR,
            (
                "sh",
                "-c",
                'find "$1" -type f \\( -name "*.yaml" -o -name "*.yml" \\) -exec cat {} + >/dev/null',
                "sh",
                "{dir}",
            ),
            ok_codes=frozenset({0}),
        )
    ]
    if parse_floor is not None:
        for threads in THREADS:
            tools.append(
                Tool(
                    f"parse-floor-{threads}t",
                    f"parse floor ({plural(threads)})",
                    FLOOR,
                    (str(parse_floor), "--threads", str(threads)),
                    frozenset({0}),
                    threads=threads,
                )
            )
    return tools


def plural(threads: int) -> str:
    return "1 thread" if threads == 1 else f"{threads} threads"


# podlint's rows. `check --format json` is what the issue measures; api-rejects alone
# shows the cost of the schema rules apart from the rest; concise is what people type.
JSON_1T, JSON_2T, API_REJECTS_1T, CONCISE = "podlint-json-1t", "podlint-json-2t", "podlint-api-1t", "podlint"
REFERENCE = JSON_2T  # the row every other one is compared with: what a CI step runs


def podlint(binary: Path | None, nproc: int) -> list[Tool]:
    if binary is None:
        return []
    version = (str(binary), "--version")
    json_check = (str(binary), "check", "--format", "json")
    rows = [
        Tool(
            f"podlint-json-{threads}t",
            f"podlint json ({plural(threads)})",
            PODLINT,
            (*json_check, "--threads", str(threads)),
            threads=threads,
            version_argv=version,
        )
        for threads in THREADS
    ]
    rows.append(
        Tool(
            API_REJECTS_1T,
            "podlint json, api-rejects only (1 thread)",
            PODLINT,
            (*json_check, "--ignore", "all", "--select", "api-rejects", "--threads", "1"),
            threads=1,
            version_argv=version,
        )
    )
    rows.append(
        Tool(
            CONCISE,
            f"podlint concise (default, {plural(nproc)})",
            PODLINT,
            (str(binary), "check", "--format", "concise"),
            threads=nproc,
            version_argv=version,
        )
    )
    return rows


def report_formats(binary: Path) -> dict[str, Tool]:
    """The human report and concise, on one file (bench/harness/human.py)."""
    version = (str(binary), "--version")
    return {
        key: Tool(
            f"podlint-{key}",
            f"podlint --format {key}",
            PODLINT,
            (str(binary), "check", "--format", key),
            version_argv=version,
        )
        for key in ("human", "concise")
    }


def peers(venv_bin: Path, trivy_cache: Path, wanted: set[str] | None) -> list[Tool]:
    tools = [
        Tool(
            "checkov",
            "checkov",
            PEER,
            (
                str(venv_bin / "checkov"),
                "--framework",
                "kubernetes",
                "--quiet",
                "--compact",
                "--skip-download",
                "-d",
            ),
            env={"CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"},
            version_argv=(str(venv_bin / "checkov"), "--version"),
        ),
        # kubernetes-validate takes files, not directories: hand it every file, as `find -exec` would.
        Tool(
            "kubernetes-validate",
            "kubernetes-validate",
            PEER,
            (
                "find",
                "{dir}",
                "-type",
                "f",
                *YAML_FILES,
                "-exec",
                str(venv_bin / "kubernetes-validate"),
                "--quiet",
                "{}",
                "+",
            ),
            version_argv=(str(venv_bin / "kubernetes-validate"), "--version"),
        ),
        Tool(
            "yamllint",
            "yamllint (relaxed)",
            PEER,
            (str(venv_bin / "yamllint"), "-d", "relaxed"),
            version_argv=(str(venv_bin / "yamllint"), "--version"),
        ),
        # Offline: built-in checks only, no update, version or telemetry calls.
        Tool(
            "trivy",
            "trivy config",
            PEER,
            (
                str(venv_bin / "trivy"),
                "config",
                "--skip-check-update",
                "--skip-version-check",
                "--disable-telemetry",
                # Its default 5-minute scan timeout stops it before it finishes 10,000 documents.
                "--timeout",
                "60m",
                "--cache-dir",
                str(trivy_cache),
            ),
            ok_codes=frozenset({0}),
            version_argv=(str(venv_bin / "trivy"), "--version"),
        ),
    ]
    return [tool for tool in tools if wanted is None or tool.key in wanted]


PEER_KEYS = ("checkov", "kubernetes-validate", "yamllint", "trivy")
