"""The human report's worst case from issue #14: one file of many small Pods.

Every Pod carries two findings, so the report has a snippet for each of thousands of
places in one file; a report that rescans the file for each snippet is quadratic here.
"""

from __future__ import annotations

from pathlib import Path

PODS = 3_000

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web-{i}
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx:latest
    ports:
    - containerPort: 8080
"""


def manifest(pods: int) -> str:
    """`pods` Pods in one multi-document stream; the same count gives the same bytes."""
    return "---\n".join(POD.format(i=i) for i in range(pods))


def write(directory: Path, pods: int = PODS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{pods}-pods.yaml"
    text = manifest(pods)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path
