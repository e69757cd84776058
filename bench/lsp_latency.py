#!/usr/bin/env python3
"""Language-server latency on a 2,000-line multi-document manifest (a benchmark, not a test).

Measures, over stdio like an editor: time from didOpen to the first publishDiagnostics, time
from each didChange to the publishDiagnostics that follows it (median, p95), and the server's
peak RSS (VmHWM). The client announces UTF-16 and no pull diagnostics, as VS Code's does.

    python3 bench/lsp_latency.py --podlint target/release/podlint \
        [--yaml-language-server node_modules/.bin/yaml-language-server] [--edits 200]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
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
            self.messages.put((time.perf_counter(), message))

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
            _, message = self.messages.get(timeout=30)
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
            at, message = self.messages.get(timeout=max(0.001, deadline - time.perf_counter()))
            self.answer(message)
            params = message.get("params") or {}
            if message.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri:
                if version is None or params.get("version") in (None, version):
                    return at, params

    def peak_rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return None

    def stop(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()


def measure(name, cmd, edits, pause):
    text = manifest()
    uri = "file:///tmp/podlint-bench/manifest.yaml"
    server = Server(cmd)
    server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {
        "textDocument": {"publishDiagnostics": {"versionSupport": True}}}})
    server.notify("initialized", {})
    start = time.perf_counter()
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    at, first = server.wait_publish(uri, 1)
    open_ms = (at - start) * 1000
    # Each edit toggles one digit of a port in the middle of the file.
    line = text.count("\n", 0, text.index("containerPort: 8080", len(text) // 2))
    column = len("        - containerPort: 808")
    latencies = []
    for version in range(2, edits + 2):
        digit = str(version % 2)
        sent = time.perf_counter()
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [
            {"range": {"start": {"line": line, "character": column}, "end": {"line": line, "character": column + 1}}, "text": digit}]})
        at, _ = server.wait_publish(uri, version)
        latencies.append((at - sent) * 1000)
        time.sleep(pause)
    rss = server.peak_rss_kib()
    server.stop()
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    print(f"{name:24} lines={text.count(chr(10))} first-diagnostics={open_ms:7.1f} ms "
          f"change→diagnostics median={statistics.median(latencies):6.1f} ms p95={p95:6.1f} ms "
          f"peak-rss={rss / 1024 if rss else float('nan'):6.1f} MiB ({len(first['diagnostics'])} diagnostics)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--podlint", default="target/release/podlint")
    parser.add_argument("--yaml-language-server", help="path to yaml-language-server (npm 1.x on Node 20)")
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--pause", type=float, default=0.02, help="seconds between edits")
    args = parser.parse_args()
    measure("podlint lsp", [args.podlint, "lsp"], args.edits, args.pause)
    if args.yaml_language_server:
        measure("yaml-language-server", [args.yaml_language_server, "--stdio"], args.edits, args.pause)


if __name__ == "__main__":
    sys.exit(main())
