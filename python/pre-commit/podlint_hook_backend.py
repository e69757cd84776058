"""A PEP 517 build backend for the package pre-commit installs from this repository.

pre-commit's `language: python` runs `pip install .` in the hook repository. Here that builds a
wheel with metadata only, `podlint-pre-commit`, requiring `podlint==<version>` where the version
is the workspace's own (Cargo.toml), so a tag of this repository always installs the matching
podlint wheel and there is no pin to bump by hand. Standard library only: no build requirements,
which keeps the install offline-capable and compiler-free.
"""

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

NAME = "podlint_pre_commit"
SUMMARY = "Installs podlint for this repository's pre-commit hooks"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def podlint_version():
    """`version` under `[workspace.package]` in the root Cargo.toml."""
    with open(os.path.join(ROOT, "Cargo.toml"), encoding="utf-8") as file:
        text = file.read()
    section = re.search(r"^\[workspace\.package\]$(.*?)(?=^\[)", text, re.M | re.S)
    match = section and re.search(r'^version\s*=\s*"([^"]+)"', section.group(1), re.M)
    if not match:
        raise RuntimeError("no version under [workspace.package] in " + os.path.join(ROOT, "Cargo.toml"))
    return match.group(1)


def metadata(version):
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {NAME.replace('_', '-')}\n"
        f"Version: {version}\n"
        f"Summary: {SUMMARY}\n"
        f"Requires-Dist: podlint=={version}\n"
    )


def record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}\n"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    version = podlint_version()
    dist_info = f"{NAME}-{version}.dist-info"
    files = {
        f"{dist_info}/METADATA": metadata(version).encode(),
        f"{dist_info}/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: podlint_hook_backend\n"
            "Root-Is-Purelib: true\nTag: py3-none-any\n"
        ).encode(),
    }
    record = "".join(record_line(path, data) for path, data in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    filename = f"{NAME}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in files.items():
            wheel.writestr(zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return filename


def build_sdist(sdist_directory, config_settings=None):
    """The backend, pyproject.toml and Cargo.toml (for the version): enough to build the wheel."""
    version = podlint_version()
    base = f"{NAME}-{version}"
    filename = f"{base}.tar.gz"
    members = {
        "pyproject.toml": None,
        "Cargo.toml": None,
        "python/pre-commit/podlint_hook_backend.py": None,
        "PKG-INFO": metadata(version).encode(),
    }
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as sdist:
        for path, data in members.items():
            if data is None:
                sdist.add(os.path.join(ROOT, path), arcname=f"{base}/{path}")
            else:
                info = tarfile.TarInfo(f"{base}/{path}")
                info.size = len(data)
                sdist.addfile(info, io.BytesIO(data))
    return filename
