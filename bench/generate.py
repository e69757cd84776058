#!/usr/bin/env python3
"""Generate a deterministic corpus of realistic Kubernetes manifests for the benchmark.

    python3 bench/generate.py --size 10000            # -> bench/corpus/10000/
    python3 bench/generate.py --size 1000 --seed 7 --out /tmp/corpus

`--size` counts YAML documents, not files: files hold 1-5 documents. Every workload
kind podlint reads is present (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
Job, CronJob, ReplicationController, PodTemplate, List), with comments, init
containers, native sidecars, probes, resources, volumes, env and securityContext,
plus Services and ConfigMaps a Pod linter must skip. A seeded share of documents
carries the mistakes people make while learning Pods, so linters have findings to
report rather than a clean fast path.

The same seed and size always give byte-identical files (stdlib only, no hash
randomisation involved: each file draws from its own `random.Random` seeded by a
string). A stamp `<out>/../<size>.json` records what was generated, so the harness
can reuse a corpus that is still current.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

# --------------------------------------------------------------------------------------
# A tiny block-style YAML emitter (no third-party dependency, full control of layout).
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comment:
    """A full-line comment: used as a mapping key (its value is ignored)."""

    text: str


@dataclass(frozen=True)
class Noted:
    """A scalar with a trailing `# comment` on its line."""

    value: object
    note: str


@dataclass(frozen=True)
class Block:
    """A multi-line string written as a literal block scalar (`|`)."""

    text: str


_PLAIN_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|: |\s#|[\s:]$")
_RESOLVES_TO_NON_STRING = re.compile(
    r"^(?:[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~|y|Y|n|N)$"
)


def scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if not text or _PLAIN_UNSAFE.search(text) or _RESOLVES_TO_NON_STRING.match(text):
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    return text


class Emitter:
    """Writes nested dicts/lists as block YAML in one of the two common list styles."""

    def __init__(self, indent_sequences: bool) -> None:
        # kubectl writes `containers:\n- name`, Helm charts usually `containers:\n  - name`.
        self.indent_sequences = indent_sequences
        self.lines: list[str] = []

    def document(self, node: dict) -> str:
        self.lines = []
        self._mapping(node, 0, first_prefix=None)
        return "\n".join(self.lines) + "\n"

    def _inline(self, value: object) -> str:
        if isinstance(value, Noted):
            return f"{self._inline(value.value)}  # {value.note}"
        if isinstance(value, dict) and not value:
            return "{}"
        if isinstance(value, list) and not value:
            return "[]"
        return scalar(value)

    def _is_inline(self, value: object) -> bool:
        if isinstance(value, Noted):
            return True
        return not isinstance(value, (dict, list, Block)) or not value

    def _mapping(self, node: dict, indent: int, first_prefix: str | None) -> None:
        """Emits a mapping; `first_prefix` (`- `) replaces the indent of its first key."""
        pad = " " * indent
        for key, value in node.items():
            if isinstance(key, Comment):
                self.lines.append(f"{pad}# {key.text}")
                continue
            lead, first_prefix = first_prefix or pad, None
            name = scalar(key)
            if self._is_inline(value):
                self.lines.append(f"{lead}{name}: {self._inline(value)}")
            elif isinstance(value, Block):
                self.lines.append(f"{lead}{name}: |")
                for line in value.text.splitlines():
                    self.lines.append(f"{pad}  {line}" if line else "")
            elif isinstance(value, dict):
                self.lines.append(f"{lead}{name}:")
                self._mapping(value, indent + 2, first_prefix=None)
            else:
                self.lines.append(f"{lead}{name}:")
                self._sequence(value, indent + 2 if self.indent_sequences else indent)

    def _sequence(self, items: list, indent: int) -> None:
        pad = " " * indent
        for item in items:
            if isinstance(item, dict) and item:
                self._mapping(item, indent + 2, first_prefix=f"{pad}- ")
            elif isinstance(item, list) and item:
                self.lines.append(f"{pad}-")
                self._sequence(item, indent + 2)
            else:
                self.lines.append(f"{pad}- {self._inline(item)}")


# --------------------------------------------------------------------------------------
# Vocabulary: names, images and settings seen in real clusters.
# --------------------------------------------------------------------------------------

TEAMS = ["storefront", "payments", "identity", "search", "data", "platform", "ml", "ops"]
SERVICES = [
    "checkout",
    "cart",
    "catalog",
    "pricing",
    "inventory",
    "orders",
    "billing",
    "invoices",
    "auth",
    "sessions",
    "profile",
    "notifications",
    "mailer",
    "search-api",
    "indexer",
    "recommendations",
    "reviews",
    "shipping",
    "tax",
    "fraud-check",
    "ledger",
    "reports",
    "gateway",
    "admin",
    "webhooks",
    "scheduler",
    "thumbnailer",
    "exporter",
    "feature-flags",
    "audit-log",
    "geo",
    "currency",
    "loyalty",
    "coupons",
    "media",
    "chat",
    "ingest",
]
SUFFIXES = ["", "", "", "-api", "-worker", "-web", "-v2", "-consumer", "-sync"]
APP_IMAGES = [
    "ghcr.io/acme/{name}:{ver}",
    "registry.example.com/{team}/{name}:{ver}",
    "docker.io/acme/{name}:{ver}",
    "europe-docker.pkg.dev/acme-prod/{team}/{name}:{ver}",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/{name}:{ver}",
]
STOCK_IMAGES = {
    "nginx": ["nginx:1.27.3", "nginx:1.27-alpine", "nginxinc/nginx-unprivileged:1.27"],
    "redis": ["redis:7.4.1-alpine", "redis:7.2"],
    "postgres": ["postgres:16.4", "postgres:17.0-bookworm"],
    "busybox": ["busybox:1.36.1", "busybox:1.37"],
    "envoy": ["envoyproxy/envoy:v1.31.2", "envoyproxy/envoy:v1.32.1"],
    "otel": ["otel/opentelemetry-collector-contrib:0.112.0"],
    "fluent-bit": ["fluent/fluent-bit:3.1.9", "cr.fluentbit.io/fluent/fluent-bit:3.2"],
    "cloud-sql-proxy": ["gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.14.0"],
    "vault-agent": ["hashicorp/vault:1.18.1"],
    "python": ["python:3.12-slim", "python:3.13-slim-bookworm"],
    "alpine": ["alpine:3.20", "alpine:3.21"],
    "curl": ["curlimages/curl:8.11.0"],
    "node-exporter": ["quay.io/prometheus/node-exporter:v1.8.2"],
}
SIDECARS = ["envoy", "otel", "fluent-bit", "cloud-sql-proxy", "vault-agent"]
ENV_NAMES = [
    "LOG_LEVEL",
    "LOG_FORMAT",
    "PORT",
    "HTTP_TIMEOUT",
    "DATABASE_URL",
    "DB_HOST",
    "DB_PORT",
    "DB_NAME",
    "DB_POOL_SIZE",
    "REDIS_URL",
    "CACHE_TTL_SECONDS",
    "FEATURE_FLAGS_URL",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_SERVICE_NAME",
    "SENTRY_DSN",
    "REGION",
    "ENVIRONMENT",
    "MAX_WORKERS",
    "QUEUE_NAME",
    "KAFKA_BROKERS",
    "S3_BUCKET",
    "JAVA_OPTS",
    "GOMAXPROCS",
    "NODE_ENV",
    "TZ",
    "RATE_LIMIT_PER_MINUTE",
    "AUTH_ISSUER",
    "SMTP_HOST",
]
CPU_STEPS = ["50m", "100m", "200m", "250m", "500m", "750m", "1", "1500m", "2"]
MEM_STEPS = ["64Mi", "128Mi", "256Mi", "384Mi", "512Mi", "768Mi", "1Gi", "2Gi", "4Gi"]
HEADER_COMMENTS = [
    "Source: {team}/charts/{name}/templates/{kind}.yaml",
    "Managed by the {team} team. Ask in #{team}-oncall before changing replicas.",
    "Generated by kustomize; edit the overlay, not this file.",
    "{kind} for {name}. See runbook: docs/runbooks/{name}.md",
    "TODO(#{num}): move secrets to the external secrets operator",
]
INLINE_NOTES = [
    "tuned after the last load test",
    "keep in sync with the HPA",
    "bumped for the holiday peak",
    "see PLAT-{num}",
    "do not lower: the JVM needs headroom",
]

# Mistakes beginners make; each one is a check some linter in the comparison has.
DEFECTS = [
    "duplicate-port",
    "dangling-mount",
    "request-over-limit",
    "latest-image",
    "misspelled-key",
    "invalid-container-name",
    "no-probes",
    "privileged",
    "bad-quantity",
    "duplicate-env",
    "port-out-of-range",
    "wrong-restart-policy",
    "no-resources",
    "host-path",
    "string-port",
]
MISSPELLINGS = {
    "imagePullPolicy": "imagePullPolcy",
    "livenessProbe": "livenessprobe",
    "resources": "resource",
    "volumeMounts": "volumeMount",
    "readinessProbe": "readynessProbe",
    "securityContext": "securityContex",
    "env": "enviroment",
}


# --------------------------------------------------------------------------------------
# Building blocks of a Pod spec.
# --------------------------------------------------------------------------------------


class Doc:
    """Draws one manifest; `defects` are the mistakes chosen for its Pod spec."""

    def __init__(self, rng: random.Random, name: str, team: str, defects: set[str]) -> None:
        self.rng = rng
        self.name = name
        self.team = team
        self.defects = defects

    # ----- small pieces -----

    def version(self) -> str:
        r = self.rng
        return f"{r.randint(0, 4)}.{r.randint(0, 30)}.{r.randint(0, 12)}"

    def app_image(self) -> str:
        if "latest-image" in self.defects and self.rng.random() < 0.7:
            self.defects.discard("latest-image")
            return self.rng.choice([f"acme/{self.name}:latest", f"acme/{self.name}", "nginx"])
        template = self.rng.choice(APP_IMAGES)
        return template.format(name=self.name, team=self.team, ver=self.version())

    def labels(self, extra: bool = True) -> dict:
        labels = {"app.kubernetes.io/name": self.name, "app.kubernetes.io/part-of": self.team}
        if extra:
            labels["app.kubernetes.io/version"] = self.version()
            labels["app.kubernetes.io/managed-by"] = self.rng.choice(["Helm", "kustomize", "argocd"])
        return labels

    def metadata(self, name: str | None = None, namespaced: bool = True) -> dict:
        meta: dict = {"name": name or self.name}
        if namespaced and self.rng.random() < 0.8:
            meta["namespace"] = self.rng.choice([self.team, f"{self.team}-prod", f"{self.team}-staging"])
        meta["labels"] = self.labels()
        if self.rng.random() < 0.35:
            meta["annotations"] = {
                "kubernetes.io/change-cause": f"deploy {self.version()} from pipeline #{self.rng.randint(1000, 99999)}",
                "prometheus.io/scrape": "true",
            }
        return meta

    def resources(self, small: bool = False) -> dict:
        r = self.rng
        top = 4 if small else len(CPU_STEPS)
        cpu_i = r.randrange(0, top - 1)
        mem_i = r.randrange(0, top - 1)
        req = {"cpu": CPU_STEPS[cpu_i], "memory": MEM_STEPS[mem_i]}
        lim = {
            "cpu": CPU_STEPS[min(cpu_i + r.randint(1, 3), len(CPU_STEPS) - 1)],
            "memory": MEM_STEPS[min(mem_i + r.randint(0, 2), len(MEM_STEPS) - 1)],
        }
        if "request-over-limit" in self.defects:
            self.defects.discard("request-over-limit")
            lim["memory"] = MEM_STEPS[max(mem_i - 1, 0)] if mem_i else "32Mi"
        if "bad-quantity" in self.defects:
            self.defects.discard("bad-quantity")
            req["memory"] = r.choice(["512mb", "1GB", "256 Mi", "0.5Gi "])
        if r.random() < 0.2:
            del lim["cpu"]  # a common choice: memory limit only, no CPU throttling
        out: dict = {}
        if r.random() < 0.3:
            out[Comment(r.choice(INLINE_NOTES).format(num=r.randint(100, 9999)))] = None
        out["requests"] = req
        out["limits"] = lim
        return out

    def probe(self, port: int, kind: str) -> dict:
        r = self.rng
        style = r.random()
        if style < 0.6:
            handler: dict = {
                "httpGet": {
                    "path": r.choice(["/healthz", "/readyz", "/livez", "/health"]),
                    "port": r.choice([port, "http"]),
                }
            }
        elif style < 0.85:
            handler = {"tcpSocket": {"port": port}}
        else:
            handler = {"exec": {"command": ["sh", "-c", f"test -f /tmp/{kind}"]}}
        handler["initialDelaySeconds"] = r.choice([0, 5, 10, 15, 30])
        handler["periodSeconds"] = r.choice([5, 10, 15, 20])
        if r.random() < 0.5:
            handler["timeoutSeconds"] = r.choice([1, 2, 3, 5])
            handler["failureThreshold"] = r.choice([3, 5, 6, 10])
        return handler

    def env(self) -> list:
        r = self.rng
        names = r.sample(ENV_NAMES, r.randint(3, 12))
        env: list = []
        for name in names:
            roll = r.random()
            if roll < 0.7:
                env.append({"name": name, "value": self.env_value(name)})
            elif roll < 0.85:
                env.append(
                    {
                        "name": name,
                        "valueFrom": {
                            "secretKeyRef": {
                                "name": f"{self.name}-secrets",
                                "key": name.lower().replace("_", "-"),
                            }
                        },
                    }
                )
            elif roll < 0.93:
                env.append(
                    {
                        "name": name,
                        "valueFrom": {
                            "configMapKeyRef": {"name": f"{self.name}-config", "key": name.lower()}
                        },
                    }
                )
            else:
                env.append({"name": name, "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}})
        if "duplicate-env" in self.defects and env:
            self.defects.discard("duplicate-env")
            env.append({"name": env[0]["name"], "value": "override"})
        return env

    def env_value(self, name: str) -> object:
        r = self.rng
        values = {
            "LOG_LEVEL": r.choice(["info", "debug", "warn"]),
            "LOG_FORMAT": "json",
            "PORT": str(r.choice([8080, 3000, 9000])),
            "DB_PORT": "5432",
            "REGION": r.choice(["eu-west-1", "us-east-1", "europe-west4"]),
            "ENVIRONMENT": r.choice(["production", "staging"]),
            "JAVA_OPTS": "-XX:MaxRAMPercentage=75 -XX:+UseG1GC",
            "TZ": "UTC",
            "NODE_ENV": "production",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel-collector.observability:4317",
        }
        if name in values:
            return values[name]
        if name.endswith(("_URL", "_HOST", "_BROKERS")):
            return f"{name.split('_')[0].lower()}.{self.team}.svc.cluster.local"
        if name.endswith(("_SIZE", "_SECONDS", "_MINUTE", "WORKERS", "GOMAXPROCS", "TIMEOUT")):
            return str(r.choice([2, 4, 10, 30, 60, 300]))
        return f"{self.name}-{name.lower().replace('_', '-')}"

    def security_context(self) -> dict:
        r = self.rng
        if "privileged" in self.defects:
            self.defects.discard("privileged")
            return r.choice([{"privileged": True}, {"allowPrivilegeEscalation": True, "runAsUser": 0}])
        ctx: dict = {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": r.random() < 0.7}
        if r.random() < 0.6:
            ctx["runAsNonRoot"] = True
            ctx["runAsUser"] = r.choice([1000, 10001, 65532])
        ctx["capabilities"] = {"drop": ["ALL"]}
        return ctx

    # ----- containers -----

    def container(self, name: str, port: int, mounts: list[str], main: bool) -> dict:
        r = self.rng
        c: dict = {"name": name, "image": self.app_image() if main else self.stock_image(name)}
        c["imagePullPolicy"] = r.choice(["IfNotPresent", "IfNotPresent", "Always"])
        if r.random() < 0.25:
            c["args"] = [f"--port={port}", f"--log-level={r.choice(['info', 'debug'])}"]
        ports = [{"name": "http", "containerPort": port, "protocol": "TCP"}]
        if r.random() < 0.4:
            ports.append({"name": "metrics", "containerPort": r.choice([9090, 9102, 9464])})
        c["ports"] = ports
        if main or r.random() < 0.4:
            c["env"] = self.env()
        if r.random() < 0.3:
            c["envFrom"] = [{"configMapRef": {"name": f"{self.name}-config"}}]
        if "no-resources" in self.defects and main:
            self.defects.discard("no-resources")
        else:
            c["resources"] = self.resources(small=not main)
        if main:
            if "no-probes" in self.defects:
                self.defects.discard("no-probes")
            else:
                c["readinessProbe"] = self.probe(port, "ready")
                c["livenessProbe"] = self.probe(port, "alive")
                if r.random() < 0.2:
                    c["startupProbe"] = self.probe(port, "started")
        if mounts:
            c["volumeMounts"] = [self.mount(vol) for vol in mounts]
        c["securityContext"] = self.security_context()
        return c

    def stock_image(self, kind: str) -> str:
        return self.rng.choice(STOCK_IMAGES.get(kind, STOCK_IMAGES["busybox"]))

    def mount(self, volume: str) -> dict:
        paths = {
            "config": "/etc/app",
            "data": "/var/lib/app",
            "cache": "/tmp/cache",
            "tls": "/etc/tls",
            "logs": "/var/log/app",
            "scratch": "/scratch",
            "host-logs": "/host/logs",
        }
        m: dict = {"name": volume, "mountPath": paths.get(volume, f"/mnt/{volume}")}
        if volume in ("config", "tls"):
            m["readOnly"] = True
        return m

    def volume(self, name: str) -> dict:
        r = self.rng
        if name == "config":
            return {"name": name, "configMap": {"name": f"{self.name}-config"}}
        if name == "tls":
            return {"name": name, "secret": {"secretName": f"{self.name}-tls", "defaultMode": 0o440}}
        if name == "data":
            return {"name": name, "persistentVolumeClaim": {"claimName": f"{self.name}-data"}}
        if name == "host-logs":
            return {"name": name, "hostPath": {"path": "/var/log", "type": "Directory"}}
        empty: dict = {"name": name, "emptyDir": {}}
        if r.random() < 0.3:
            empty["emptyDir"] = {"sizeLimit": r.choice(["256Mi", "1Gi"])}
        return empty

    def init_containers(self, mounts: list[str]) -> list:
        r = self.rng
        out: list = []
        if r.random() < 0.35:
            out.append(
                {
                    "name": "wait-for-db",
                    "image": self.stock_image("busybox"),
                    "command": [
                        "sh",
                        "-c",
                        f"until nc -z {self.name}-db 5432; do echo waiting; sleep 2; done",
                    ],
                    "resources": self.resources(small=True),
                }
            )
        if r.random() < 0.2:
            out.append(
                {
                    "name": "migrate",
                    "image": self.app_image(),
                    "args": ["migrate", "--to=latest"],
                    "envFrom": [{"secretRef": {"name": f"{self.name}-secrets"}}],
                    "resources": self.resources(small=True),
                }
            )
        if r.random() < 0.3:
            # A native sidecar: an init container that keeps running beside the app.
            kind = r.choice(SIDECARS)
            admin_port = 15000 + r.randint(0, 99)
            sidecar: dict = {
                "name": kind,
                "image": self.stock_image(kind),
                "restartPolicy": "Always",
                "ports": [{"containerPort": admin_port}],
                "resources": self.resources(small=True),
            }
            if r.random() < 0.5:
                sidecar["startupProbe"] = {"tcpSocket": {"port": admin_port}, "periodSeconds": 2}
            if mounts:
                sidecar["volumeMounts"] = [self.mount(mounts[0])]
            out.append(sidecar)
        return out

    def pod_spec(self, restart_policy: str | None) -> dict:
        r = self.rng
        volumes = r.sample(["config", "data", "cache", "tls", "logs", "scratch"], r.randint(0, 4))
        if "host-path" in self.defects:
            self.defects.discard("host-path")
            volumes.append("host-logs")
        port = r.choice([8080, 8000, 3000, 9000, 5000, 8443])
        main_name = self.name
        if "invalid-container-name" in self.defects:
            self.defects.discard("invalid-container-name")
            main_name = r.choice(
                [
                    self.name.replace("-", "_"),
                    self.name.title(),
                    f"{self.name}.main",
                    f"{self.name}-{'x' * 60}",
                ]
            )
        main_mounts = list(volumes)
        if "dangling-mount" in self.defects:
            self.defects.discard("dangling-mount")
            main_mounts.append(r.choice(["secrets", "certs", "shared-data"]))
        containers = [self.container(main_name, port, main_mounts, main=True)]
        init = self.init_containers(volumes)
        # Container names are unique across init and regular containers: no accidental clash.
        free_kinds = [kind for kind in SIDECARS if all(c["name"] != kind for c in init)]
        classic_sidecars = r.randint(0, 2) if r.random() < 0.45 else 0
        if "duplicate-port" in self.defects:
            classic_sidecars = max(classic_sidecars, 1)
        for i in range(classic_sidecars):
            kind = r.choice(free_kinds)
            side_port = 15090 + i
            if "duplicate-port" in self.defects:
                self.defects.discard("duplicate-port")
                side_port = port
            containers.append(
                self.container(f"{kind}-{i}" if i else kind, side_port, volumes[:1], main=False)
            )

        spec: dict = {}
        if r.random() < 0.4:
            spec["serviceAccountName"] = self.name
        if restart_policy:
            spec["restartPolicy"] = restart_policy
        if r.random() < 0.5:
            spec["terminationGracePeriodSeconds"] = r.choice([10, 30, 60, 120])
        if r.random() < 0.6:
            spec["securityContext"] = {
                "runAsNonRoot": True,
                "fsGroup": 2000,
                "seccompProfile": {"type": "RuntimeDefault"},
            }
        if init:
            spec["initContainers"] = init
        spec["containers"] = containers
        if volumes:
            spec["volumes"] = [self.volume(v) for v in volumes]
        if r.random() < 0.25:
            spec["nodeSelector"] = {"kubernetes.io/os": "linux"}
        if r.random() < 0.2:
            spec["tolerations"] = [
                {"key": "dedicated", "operator": "Equal", "value": self.team, "effect": "NoSchedule"}
            ]
        if r.random() < 0.2:
            spec["affinity"] = {
                "podAntiAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {
                            "weight": 100,
                            "podAffinityTerm": {
                                "topologyKey": "kubernetes.io/hostname",
                                "labelSelector": {"matchLabels": {"app.kubernetes.io/name": self.name}},
                            },
                        }
                    ]
                }
            }
        if r.random() < 0.15:
            spec["imagePullSecrets"] = [{"name": "registry-credentials"}]
        self.apply_late_defects(spec, port)
        return spec

    def apply_late_defects(self, spec: dict, port: int) -> None:
        """Defects that rewrite an already built spec."""
        main = spec["containers"][0]
        if "port-out-of-range" in self.defects:
            self.defects.discard("port-out-of-range")
            main["ports"][0]["containerPort"] = self.rng.choice([0, 70000, 99999])
        if "string-port" in self.defects:
            self.defects.discard("string-port")
            main["ports"][0]["containerPort"] = str(port)
        if "misspelled-key" in self.defects:
            self.defects.discard("misspelled-key")
            present = [k for k in MISSPELLINGS if k in main]
            if present:
                right = self.rng.choice(present)
                spec["containers"][0] = {
                    (MISSPELLINGS[right] if k == right else k): v for k, v in main.items()
                }

    def template(self, restart_policy: str | None) -> dict:
        meta: dict = {"labels": self.labels(extra=False)}
        if self.rng.random() < 0.4:
            meta["annotations"] = {"checksum/config": hashlib.sha256(self.name.encode()).hexdigest()}
        if "wrong-restart-policy" in self.defects:
            self.defects.discard("wrong-restart-policy")
            restart_policy = "Never" if restart_policy in (None, "Always") else "Always"
        return {"metadata": meta, "spec": self.pod_spec(restart_policy)}


# --------------------------------------------------------------------------------------
# Kinds.
# --------------------------------------------------------------------------------------


def head(doc: Doc, kind: str, api: str) -> dict:
    out: dict = {}
    if doc.rng.random() < 0.4:
        text = doc.rng.choice(HEADER_COMMENTS).format(
            team=doc.team, name=doc.name, kind=kind.lower(), num=doc.rng.randint(100, 9999)
        )
        out[Comment(text)] = None
    out["apiVersion"] = api
    out["kind"] = kind
    return out


def selector(doc: Doc) -> dict:
    return {"matchLabels": doc.labels(extra=False)}


def replicas(doc: Doc) -> object:
    n = doc.rng.choice([1, 2, 2, 3, 3, 4, 6, 10])
    return (
        Noted(n, doc.rng.choice(INLINE_NOTES).format(num=doc.rng.randint(100, 9999)))
        if doc.rng.random() < 0.15
        else n
    )


def pod(doc: Doc) -> dict:
    out = head(doc, "Pod", "v1")
    out["metadata"] = doc.metadata()
    policy = doc.rng.choice([None, None, "Always", "OnFailure", "Never"])
    out["spec"] = doc.template(policy)["spec"]
    return out


def deployment(doc: Doc) -> dict:
    out = head(doc, "Deployment", "apps/v1")
    out["metadata"] = doc.metadata()
    spec: dict = {"replicas": replicas(doc), "revisionHistoryLimit": 5, "selector": selector(doc)}
    if doc.rng.random() < 0.5:
        spec["strategy"] = {
            "type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0},
        }
    spec["template"] = doc.template(None)
    out["spec"] = spec
    return out


def statefulset(doc: Doc) -> dict:
    out = head(doc, "StatefulSet", "apps/v1")
    out["metadata"] = doc.metadata()
    spec: dict = {"serviceName": doc.name, "replicas": replicas(doc), "selector": selector(doc)}
    spec["template"] = doc.template(None)
    spec["volumeClaimTemplates"] = [
        {
            "metadata": {"name": "data"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "storageClassName": "standard-rwo",
                "resources": {"requests": {"storage": doc.rng.choice(["10Gi", "50Gi", "200Gi"])}},
            },
        }
    ]
    out["spec"] = spec
    return out


def daemonset(doc: Doc) -> dict:
    out = head(doc, "DaemonSet", "apps/v1")
    out["metadata"] = doc.metadata()
    out["spec"] = {
        "selector": selector(doc),
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
        "template": doc.template(None),
    }
    return out


def replicaset(doc: Doc) -> dict:
    out = head(doc, "ReplicaSet", "apps/v1")
    out["metadata"] = doc.metadata(name=f"{doc.name}-{doc.rng.randrange(16**9):09x}")
    out["spec"] = {"replicas": replicas(doc), "selector": selector(doc), "template": doc.template(None)}
    return out


def job(doc: Doc) -> dict:
    out = head(doc, "Job", "batch/v1")
    out["metadata"] = doc.metadata(name=f"{doc.name}-backfill")
    out["spec"] = {
        "backoffLimit": doc.rng.choice([0, 2, 4, 6]),
        "ttlSecondsAfterFinished": 3600,
        "template": doc.template(doc.rng.choice(["Never", "OnFailure"])),
    }
    return out


def cronjob(doc: Doc) -> dict:
    out = head(doc, "CronJob", "batch/v1")
    out["metadata"] = doc.metadata(name=f"{doc.name}-nightly")
    schedule = doc.rng.choice(["0 3 * * *", "*/15 * * * *", "30 1 * * 0", "@hourly"])
    out["spec"] = {
        "schedule": schedule,
        "concurrencyPolicy": doc.rng.choice(["Forbid", "Replace", "Allow"]),
        "successfulJobsHistoryLimit": 3,
        "failedJobsHistoryLimit": 1,
        "jobTemplate": {
            "spec": {"backoffLimit": 2, "template": doc.template(doc.rng.choice(["Never", "OnFailure"]))}
        },
    }
    return out


def replication_controller(doc: Doc) -> dict:
    out = head(doc, "ReplicationController", "v1")
    out["metadata"] = doc.metadata()
    out["spec"] = {
        "replicas": replicas(doc),
        "selector": doc.labels(extra=False),
        "template": doc.template(None),
    }
    return out


def pod_template(doc: Doc) -> dict:
    out = head(doc, "PodTemplate", "v1")
    out["metadata"] = doc.metadata(name=f"{doc.name}-template")
    out["template"] = doc.template(None)
    return out


def service(doc: Doc) -> dict:
    out = head(doc, "Service", "v1")
    out["metadata"] = doc.metadata()
    out["spec"] = {
        "type": doc.rng.choice(["ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"]),
        "selector": doc.labels(extra=False),
        "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}],
    }
    return out


def config_map(doc: Doc) -> dict:
    r = doc.rng
    out = head(doc, "ConfigMap", "v1")
    out["metadata"] = doc.metadata(name=f"{doc.name}-config")
    data: dict = {name.lower(): doc.env_value(name) for name in r.sample(ENV_NAMES, r.randint(3, 8))}
    if r.random() < 0.5:
        data["application.yaml"] = Block(
            f"server:\n  port: {r.choice([8080, 9000])}\n  shutdown: graceful\n"
            f"logging:\n  level:\n    root: INFO\n    com.acme.{doc.team}: DEBUG\n"
            f"cache:\n  ttl: {r.choice([30, 60, 300])}s\n  maxEntries: {r.choice([1000, 10000])}\n"
        )
    out["data"] = data
    return out


WORKLOADS = [
    (pod, 18),
    (deployment, 30),
    (statefulset, 8),
    (daemonset, 5),
    (replicaset, 3),
    (job, 7),
    (cronjob, 7),
    (replication_controller, 2),
    (pod_template, 2),
]
COMPANIONS = [(service, 3), (config_map, 2)]


def list_kind(rng: random.Random, team: str) -> dict:
    """A `kind: List` wrapping a few workloads, as `kubectl get -o yaml` prints."""
    items = []
    for _ in range(rng.randint(2, 3)):
        doc = new_doc(rng, team)
        build = weighted(rng, WORKLOADS[:2])
        item = build(doc)
        items.append({k: v for k, v in item.items() if not isinstance(k, Comment)})
    return {"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}


def weighted(rng: random.Random, table: list):
    return rng.choices([entry for entry, _ in table], weights=[w for _, w in table])[0]


def new_doc(rng: random.Random, team: str) -> Doc:
    name = rng.choice(SERVICES) + rng.choice(SUFFIXES)
    defects: set[str] = set()
    if rng.random() < 0.6:
        defects = set(rng.sample(DEFECTS, rng.choice([1, 1, 1, 2, 2, 3])))
    return Doc(rng, name, team, defects)


# --------------------------------------------------------------------------------------
# Files and corpus layout.
# --------------------------------------------------------------------------------------

SUBDIRS = ["apps", "batch", "platform", "data", "edge", "legacy"]
DOCS_PER_FILE = [(1, 45), (2, 22), (3, 15), (4, 10), (5, 8)]


def make_file(rng: random.Random, documents: int) -> tuple[str, str]:
    """Returns (file stem, text) for a file of `documents` YAML documents."""
    team = rng.choice(TEAMS)
    emitter = Emitter(indent_sequences=rng.random() < 0.5)
    parts: list[str] = []
    stem = ""
    for i in range(documents):
        roll = rng.random()
        if i > 0 and roll < 0.3:
            body = weighted(rng, COMPANIONS)(new_doc(rng, team))
        elif roll < 0.02:
            body = list_kind(rng, team)
        else:
            doc = new_doc(rng, team)
            body = weighted(rng, WORKLOADS)(doc)
            stem = stem or doc.name
        parts.append(emitter.document(body))
    lead = "---\n" if rng.random() < 0.3 else ""
    return stem or team, lead + "---\n".join(parts)


@dataclass
class Summary:
    size: int
    seed: int
    files: int
    documents: int
    bytes: int
    generator_sha256: str


# Digests of earlier versions of this file whose output is byte-identical to this one's: a
# corpus they stamped (the big shared ones take an hour to write) is still current.
# Add the old digest here only after checking the bytes (`cmp -r` of a 10,000 corpus).
SAME_OUTPUT_AS = frozenset(
    {
        "9a384fc1b552563f6148316e9f03e19b686f1b7348e9d8e96c242c7cdffa0ac8",
    }
)


def generator_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def generate(size: int, seed: int, out: Path) -> Summary:
    if out.exists():
        shutil.rmtree(out)
    for sub in SUBDIRS:
        (out / sub).mkdir(parents=True)
    layout = random.Random(f"{seed}:{size}:layout")
    written = total_bytes = index = 0
    while written < size:
        count = min(weighted(layout, DOCS_PER_FILE), size - written)
        rng = random.Random(f"{seed}:{size}:{index}")
        stem, text = make_file(rng, count)
        sub = SUBDIRS[index % len(SUBDIRS)] if index % 7 else layout.choice(SUBDIRS)
        ext = "yml" if layout.random() < 0.1 else "yaml"
        data = text.encode()
        (out / sub / f"{stem}-{index:06d}.{ext}").write_bytes(data)
        total_bytes += len(data)
        written += count
        index += 1
    return Summary(size, seed, index, written, total_bytes, generator_digest())


def stamp_path(out: Path) -> Path:
    return out.parent / f"{out.name}.json"


def staging_dir(out: Path) -> Path:
    """Where another process may be writing `out` by hand (`generate.py --out N.tmp && mv`)."""
    return out.parent / f"{out.name}.tmp"


def own_staging_dir(out: Path) -> Path:
    """Where this process writes `out`: its pid in the name, so two runs never share one."""
    return out.parent / f"{out.name}.tmp-{os.getpid()}"


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_abandoned(out: Path) -> None:
    """Deletes what interrupted runs left: staging directories of processes that are gone."""
    for path in out.parent.glob(f"{out.name}.tmp-*"):
        pid = path.name.rsplit("-", 1)[1].removesuffix(".json")
        if pid.isdigit() and not process_alive(int(pid)):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def read_stamp(size: int, seed: int, out: Path) -> Summary | None:
    """The stamp of a complete corpus in `out` for (size, seed) from an equivalent generator.

    A corpus is written to `<out>.tmp`, stamped, then renamed: the stamp may sit next to
    `out` or, when the directory was renamed by hand (`generate.py --out N.tmp && mv`),
    next to `<out>.tmp` that no longer exists. A directory without a stamp is never trusted:
    it may be half-written.
    """
    if not out.is_dir():
        return None
    candidates = [stamp_path(out)]
    if not staging_dir(out).exists():
        candidates.append(stamp_path(staging_dir(out)))
    for path in candidates:
        try:
            stamp = json.loads(path.read_text())
            summary = Summary(**stamp)
        except (OSError, ValueError, TypeError):
            continue
        same_generator = summary.generator_sha256 in SAME_OUTPUT_AS | {generator_digest()}
        if summary.size == size and summary.seed == seed and same_generator:
            return summary
    return None


def is_current(size: int, seed: int, out: Path) -> bool:
    """True when `out` holds what this generator would write for (size, seed)."""
    return read_stamp(size, seed, out) is not None


def ensure(size: int, seed: int, out: Path) -> Summary:
    """Generates the corpus unless an identical one is already on disk.

    It is written to `<out>.tmp` and renamed when complete, so an interrupted run never
    leaves a directory that a later run would take for a whole corpus.
    """
    found = read_stamp(size, seed, out)
    if found is not None:
        return found
    remove_abandoned(out)
    staging = own_staging_dir(out)
    summary = generate(size, seed, staging)
    stamp_path(staging).write_text(json.dumps(summary.__dict__, indent=2) + "\n")
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    stamp_path(staging).replace(stamp_path(out))
    return summary


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True, help="number of YAML documents")
    parser.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    parser.add_argument("--out", type=Path, help="output directory (default bench/corpus/<size>)")
    args = parser.parse_args(argv)
    out = args.out or Path(__file__).resolve().parent / "corpus" / str(args.size)
    summary = ensure(args.size, args.seed, out)
    print(
        f"{out}: {summary.files} files, {summary.documents} documents, "
        f"{summary.bytes / 1e6:.1f} MB ({summary.bytes / summary.documents:.0f} bytes/document)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
