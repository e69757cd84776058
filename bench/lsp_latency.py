#!/usr/bin/env python3
"""Language-server latency on a 2,000-line multi-document manifest (a benchmark, not a test).

Measures, over stdio like an editor: time from didOpen to the first publishDiagnostics, time
from each didChange to the publishDiagnostics that follows it (median, p95) and the server's
CPU time per change, the size of that notification and the server's peak RSS (VmHWM). The client announces UTF-16, no pull
diagnostics and `codeAction/resolve` support for edits, as VS Code's does (`--no-resolve`: a
client that wants every quick fix's edits in the diagnostics).

    python3 bench/lsp_latency.py --podlint target/release/podlint \
        [--yaml-language-server node_modules/.bin/yaml-language-server] [--edits 200]
    python3 bench/lsp_latency.py --podlint BIN --json [--pods 5000]

`--pods N` opens one stream of N small Pods instead (the memory figure); `--json` prints one
JSON object per server with the figures, for the benchmark runner.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import queue

DOC = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
  labels:
    app: web-{i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web-{i}
  template:
    metadata:
      labels:
        app: web-{i}
    spec:
      containers:
      - name: app
        image: registry.example/web:1.{i}
        ports:
        - containerPort: 8080
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
          limits: {{memory: 128Mi}}
      - name: sidecar
        image: registry.example/proxy:2.0
        ports:
        - containerPort: 9090
---
"""


# A Pod with the usual beginner's mistakes: ten findings with `select: [security]`, two fixable.
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web-{i}
  labels: {{app: web}}
spec:
  containers:
  - name: app
    image: registry.example/web:latest
    ports:
    - containerPort: 8080
    securityContext:
      allowPrivilegeEscalation: true
---
"""


def pods(count):
    return "".join(POD.format(i=i) for i in range(count))


def manifest(lines=2000):
    docs, i = [], 0
    while sum(d.count("\n") for d in docs) < lines:
        docs.append(DOC.format(i=i))
        i += 1
    return "".join(docs)


class Server:
    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                key, _, value = line.decode().partition(":")
                if key.lower() == "content-length":
                    length = int(value)
            message = json.loads(out.read(length))
            self.messages.put((time.perf_counter(), length, message))

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            _, _, message = self.messages.get(timeout=30)
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")
            self.answer(message)

    def answer(self, message):
        if "id" in message and "method" in message:  # workspace/configuration and the like
            result = [{}] * len(message["params"].get("items", [])) if message["method"] == "workspace/configuration" else None
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})

    def wait_publish(self, uri, version=None, timeout=30):
        deadline = time.perf_counter() + timeout
        while True:
            at, length, message = self.messages.get(timeout=max(0.001, deadline - time.perf_counter()))
            self.answer(message)
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri:
                if version is None or params.get("version") in (None, version):
                    return at, length, params

    def peak_rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return None

    def cpu_ms(self):
        """The server's user + system CPU time so far (all threads)."""
        with open(f"/proc/{self.proc.pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def stop(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()


def percentile(sorted_values, share):
    return sorted_values[max(0, int(len(sorted_values) * share) - 1)]


def measure(cmd, text, edits, pause, select, resolve=True, timeout=30):
    """The figures of one server on `text`, as a dict."""
    # A repository of its own whose `.podlint.yaml` turns on `select`.
    with tempfile.TemporaryDirectory(prefix="podlint-bench-") as root:
        os.mkdir(os.path.join(root, ".git"))
        with open(os.path.join(root, ".podlint.yaml"), "w") as config:
            config.write(f"select: [{select}]\n" if select else "{}\n")
        path = os.path.join(root, "manifest.yaml")
        with open(path, "w") as manifest_file:
            manifest_file.write(text)
        return measure_in(cmd, "file://" + path, text, edits, pause, resolve, timeout)


def measure_in(cmd, uri, text, edits, pause, resolve, timeout):
    server = Server(cmd)
    text_document = {"publishDiagnostics": {"versionSupport": True}}
    if resolve:
        text_document["codeAction"] = {"resolveSupport": {"properties": ["edit"]}, "dataSupport": True}
    server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {
        "textDocument": text_document}})
    server.notify("initialized", {})
    start = time.perf_counter()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    at, notification_bytes, first = server.wait_publish(uri, 1, timeout)
    open_ms = (at - start) * 1000
    # Each edit toggles one digit of a port in the middle of the file.
    line = text.count("\n", 0, text.index("containerPort: 8080", len(text) // 2))
    column = len(text.split("\n")[line]) - 1
    latencies = []
    cpu_before = server.cpu_ms()
    for version in range(2, edits + 2):
        digit = str(version % 2)
        sent = time.perf_counter()
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [
            {"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column + 1}}, "text": digit}]})
        at, _, _ = server.wait_publish(uri, version, timeout)
        latencies.append((at - sent) * 1000)
        time.sleep(pause)
    cpu_per_change = (server.cpu_ms() - cpu_before) / edits if edits else None
    rss = server.peak_rss_kib()
    server.stop()
    latencies.sort()
    return {
        "lines": text.count("\n"),
        "bytes": len(text.encode()),
        "diagnostics": len(first["diagnostics"]),
        "notification_bytes": notification_bytes,
        "open_ms": round(open_ms, 2),
        "edits": len(latencies),
        "change_median_ms": round(statistics.median(latencies), 2) if latencies else None,
        "change_p95_ms": round(percentile(latencies, 0.95), 2) if latencies else None,
        # Wall times wait for a core on a busy machine; this does not.
        "change_server_cpu_ms": round(cpu_per_change, 2) if cpu_per_change is not None else None,
        "peak_rss_mib": round(rss / 1024, 1) if rss else None,
    }


def show(name, figures):
    median, p95 = figures["change_median_ms"], figures["change_p95_ms"]
    change = (f"median={median:6.1f} ms p95={p95:6.1f} ms (server CPU {figures['change_server_cpu_ms']:.1f} ms)"
              if median is not None else "(no edits)")
    print(f"{name:24} lines={figures['lines']} first-diagnostics={figures['open_ms']:7.1f} ms "
          f"change→diagnostics {change} "
          f"peak-rss={figures['peak_rss_mib'] or float('nan'):6.1f} MiB ({figures['diagnostics']} diagnostics, "
          f"notification {figures['notification_bytes'] / 1024:.0f} KiB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--podlint", default="target/release/podlint")
    parser.add_argument("--yaml-language-server", help="path to yaml-language-server (npm 1.x on Node 20)")
    parser.add_argument("--edits", type=int, help="edits to time (default 200; 10 with --pods)")
    parser.add_argument("--pause", type=float, default=0.02, help="seconds between edits")
    parser.add_argument("--pods", type=int, help="one stream of N Pods instead of the 2,000-line manifest (default edits: 10)")
    parser.add_argument("--select", default="security",
                        help="rules to turn on besides the defaults, in `.podlint.yaml` (default: security; '' for none)")
    parser.add_argument("--no-resolve", action="store_true", help="a client without codeAction/resolve support")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    args = parser.parse_args()
    if args.pods:
        text, edits, timeout = pods(args.pods), 10 if args.edits is None else args.edits, 600
    else:
        text, edits, timeout = manifest(), 200 if args.edits is None else args.edits, 30
    servers = [("podlint lsp", [args.podlint, "lsp"])]
    if args.yaml_language_server:
        servers.append(("yaml-language-server", [args.yaml_language_server, "--stdio"]))
    results = {}
    for name, cmd in servers:
        figures = measure(cmd, text, edits, args.pause, args.select, resolve=not args.no_resolve, timeout=timeout)
        results[name] = figures
        if not args.json:
            show(name, figures)
    if args.json:
        figures = dict(results["podlint lsp"])
        figures["mode"] = f"pods-{args.pods}" if args.pods else "manifest-2000"
        figures["resolve"] = not args.no_resolve
        figures["select"] = args.select
        if args.yaml_language_server:
            figures["yaml_language_server"] = results["yaml-language-server"]
        print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
