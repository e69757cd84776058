#!/usr/bin/env python3
"""Generate podlint's Kubernetes field schema: lint/src/schema/generated.rs.

Reads the JSON schemas that the PyPI package `kubernetes-validate` ships for
every Kubernetes minor version, keeps the definitions reachable from the
workload kinds podlint lints, merges the versions (each field remembers the
first and last minor that has it) and writes static Rust tables.

Usage:
    python3 generate.py [--package-dir DIR] [--out PATH|-]

Without --package-dir the package is found by importing `kubernetes_validate`
(run this with the venv's interpreter; see README.md and check.sh).
Standard library only; the output depends on nothing but the input files.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "lint" / "src" / "schema" / "generated.rs"
ENUMS_FILE = Path(__file__).resolve().parent / "enums.txt"

# The objects podlint reads, plus the pieces it reaches into directly.
ROOTS = [
    "io.k8s.api.core.v1.Pod",
    "io.k8s.api.core.v1.PodTemplate",
    "io.k8s.api.core.v1.PodTemplateSpec",
    "io.k8s.api.core.v1.ReplicationController",
    "io.k8s.api.apps.v1.Deployment",
    "io.k8s.api.apps.v1.StatefulSet",
    "io.k8s.api.apps.v1.DaemonSet",
    "io.k8s.api.apps.v1.ReplicaSet",
    "io.k8s.api.batch.v1.Job",
    "io.k8s.api.batch.v1.CronJob",
    "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
]

# Definitions that are scalars on the wire, whatever their JSON schema says.
SCALAR_DEFS = {
    "io.k8s.apimachinery.pkg.api.resource.Quantity": ("Quantity", "Unspecified"),
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": ("IntOrString", "Unspecified"),
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": ("String", "DateTime"),
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": ("String", "DateTime"),
}

JSON_SCALARS = {"string": "String", "integer": "Integer", "number": "Number", "boolean": "Boolean"}
FORMATS = {"int32": "Int32", "int64": "Int64", "double": "Double", "byte": "Byte", "date-time": "DateTime"}

VERSION_DIR = re.compile(r"^v1\.(\d+)\.0-local-strict$")
REF_PREFIX = "#/$defs/"


class SchemaError(Exception):
    """The input does not look like what this generator understands."""


# --- Shapes ------------------------------------------------------------------
# A shape is a plain tuple so versions can be compared with `==`:
#   ("scalar", scalar, format) | ("object", type_name) | ("free",)
#   ("array", item) | ("map", item), where item is a scalar or object shape.


def ref_name(ref: str) -> str:
    if not ref.startswith(REF_PREFIX):
        raise SchemaError(f"unsupported $ref {ref!r}")
    return ref[len(REF_PREFIX) :]


def json_types(schema: dict) -> list[str]:
    t = schema.get("type", [])
    return [t] if isinstance(t, str) else [x for x in t if x != "null"]


def def_shape(name: str, defs: dict) -> tuple:
    """The shape of a value whose schema is `$ref: name`."""
    if name in SCALAR_DEFS:
        scalar, fmt = SCALAR_DEFS[name]
        return ("scalar", scalar, fmt)
    d = defs[name]
    if "oneOf" in d:
        raise SchemaError(f"{name}: oneOf outside the known scalar definitions")
    types = json_types(d)
    if types == ["object"] or (not types and "properties" in d):
        if "properties" in d or d.get("additionalProperties") is False:
            return ("object", name)
        if isinstance(d.get("additionalProperties"), dict):
            return ("map", item_shape(d["additionalProperties"], defs, name))
        return ("free",)
    return inline_shape(d, defs, name)


def inline_shape(schema: dict, defs: dict, where: str) -> tuple:
    """The shape of a property (or item) schema."""
    if "$ref" in schema:
        return def_shape(ref_name(schema["$ref"]), defs)
    types = json_types(schema)
    if types == ["array"]:
        return ("array", item_shape(schema["items"], defs, where))
    if types == ["object"]:
        if isinstance(schema.get("additionalProperties"), dict):
            return ("map", item_shape(schema["additionalProperties"], defs, where))
        if "properties" in schema:
            raise SchemaError(f"{where}: inline object with properties")
        return ("free",)
    if len(types) == 1 and types[0] in JSON_SCALARS:
        fmt = schema.get("format")
        if fmt is not None and fmt not in FORMATS:
            raise SchemaError(f"{where}: unknown format {fmt!r}")
        return ("scalar", JSON_SCALARS[types[0]], FORMATS.get(fmt, "Unspecified"))
    raise SchemaError(f"{where}: unsupported schema {json.dumps(schema)[:200]}")


def item_shape(schema: dict, defs: dict, where: str) -> tuple:
    shape = inline_shape(schema, defs, where)
    if shape[0] not in ("scalar", "object"):
        raise SchemaError(f"{where}: list/map of {shape[0]} is not supported")
    return shape


def referenced_types(shape: tuple) -> list[str]:
    if shape[0] == "object":
        return [shape[1]]
    if shape[0] in ("array", "map"):
        return referenced_types(shape[1])
    return []


# --- Reading and merging ---------------------------------------------------------


@dataclass
class MergedField:
    name: str
    description: str
    required: bool
    shape: tuple
    enum: list[str]
    since: int
    until: int
    seen: list[int] = field(default_factory=list)
    shapes: set = field(default_factory=set)


@dataclass
class MergedType:
    name: str
    description: str
    fields: dict[str, MergedField] = field(default_factory=dict)
    gvk: tuple[str, str] | None = None


def reachable_objects(defs: dict) -> dict[str, dict]:
    """Object definitions reachable from ROOTS, each with its fields' shapes."""
    out: dict[str, dict] = {}
    stack = list(ROOTS)
    while stack:
        name = stack.pop()
        if name in out:
            continue
        if name not in defs:
            raise SchemaError(f"root or reference {name} is missing")
        if def_shape(name, defs) != ("object", name):
            continue
        shapes = {
            fname: inline_shape(prop, defs, f"{name}.{fname}")
            for fname, prop in defs[name].get("properties", {}).items()
        }
        out[name] = shapes
        for shape in shapes.values():
            stack.extend(referenced_types(shape))
    return out


def group_version_kind(d: dict) -> tuple[str, str] | None:
    gvks = d.get("x-kubernetes-group-version-kind") or []
    if len(gvks) != 1:
        return None
    g = gvks[0]
    api_version = f"{g['group']}/{g['version']}" if g["group"] else g["version"]
    return (api_version, g["kind"])


def merge(versions: dict[int, dict]) -> dict[str, MergedType]:
    """Union of every version's reachable types and fields; newest text wins."""
    types: dict[str, MergedType] = {}
    for minor in sorted(versions):
        defs = versions[minor]
        for name, shapes in reachable_objects(defs).items():
            d = defs[name]
            t = types.setdefault(name, MergedType(name, ""))
            t.description = d.get("description", "")
            t.gvk = group_version_kind(d) if name in ROOTS else None
            required = set(d.get("required", []))
            for fname, shape in shapes.items():
                prop = d["properties"][fname]
                f = t.fields.get(fname)
                if f is None:
                    f = t.fields[fname] = MergedField(fname, "", False, shape, [], minor, minor)
                f.description = prop.get("description", "")
                f.enum = sorted(prop.get("enum", []))
                f.required = fname in required
                f.shape = shape
                f.until = minor
                f.seen.append(minor)
                f.shapes.add(shape)
    return types


def report_oddities(types: dict[str, MergedType], minors: list[int]) -> None:
    """Say on stderr what the merge had to flatten, so a reviewer can judge it."""
    for t in sorted(types.values(), key=lambda t: t.name):
        for f in sorted(t.fields.values(), key=lambda f: f.name):
            gaps = [m for m in minors if f.since <= m <= f.until and m not in f.seen]
            if gaps:
                print(f"note: {t.name}.{f.name} missing in 1.{gaps}", file=sys.stderr)
            if len(f.shapes) > 1:
                print(f"note: {t.name}.{f.name} changed shape; kept the newest", file=sys.stderr)


def load_enums(types: dict[str, MergedType]) -> dict[tuple[str, str], list[str]]:
    """The schema's own `enum`s (apiVersion and kind), then enums.txt's."""
    enums = {(t.name, f.name): f.enum for t in types.values() for f in t.fields.values() if f.enum}
    for lineno, raw in enumerate(ENUMS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        head, _, values = line.partition(":")
        parts = head.split()
        where = f"{ENUMS_FILE.name}:{lineno}"
        if len(parts) != 2 or not values.strip():
            raise SchemaError(f"{where}: expected `<definition> <field>: <values>`")
        tname, fname = parts
        t = types.get(tname)
        f = t.fields.get(fname) if t else None
        if f is None:
            raise SchemaError(f"{where}: {tname}.{fname} is not in the schema")
        scalar = f.shape[1] if f.shape[0] == "array" else f.shape
        if scalar[:2] != ("scalar", "String"):
            raise SchemaError(f"{where}: {tname}.{fname} is not a string or list of strings")
        vals = ["" if v == '""' else v for v in values.split()]
        if (tname, fname) in enums or len(set(vals)) != len(vals):
            raise SchemaError(f"{where}: duplicate value, or values already given here or by the schema")
        enums[(tname, fname)] = sorted(vals)
    return enums


# --- Rust output ---------------------------------------------------------------------


def rust_str(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def rust_item(shape: tuple, index: dict[str, int]) -> str:
    if shape[0] == "scalar":
        return f"Item::Scalar(Scalar::{shape[1]})"
    return f"Item::Object(TypeRef({index[shape[1]]}))"


def rust_shape(shape: tuple, index: dict[str, int]) -> tuple[str, str]:
    """(Shape expression, Format variant) for one field."""
    kind = shape[0]
    if kind == "scalar":
        return f"Shape::Scalar(Scalar::{shape[1]})", shape[2]
    if kind == "object":
        return f"Shape::Object(TypeRef({index[shape[1]]}))", "Unspecified"
    if kind == "free":
        return "Shape::FreeForm", "Unspecified"
    item = shape[1]
    fmt = item[2] if item[0] == "scalar" else "Unspecified"
    wrapper = "ArrayOf" if kind == "array" else "MapOf"
    return f"Shape::{wrapper}({rust_item(item, index)})", fmt


def render(types: dict[str, MergedType], enums: dict, minors: list[int], package_version: str) -> str:
    names = sorted(types)
    if len(names) > 0xFFFF:
        raise SchemaError("more types than TypeRef's u16 index can address")
    index = {name: i for i, name in enumerate(names)}
    roots = sorted((t.gvk, index[t.name]) for t in types.values() if t.gvk)
    oldest, newest = minors[0], minors[-1]
    lines = [
        "// @generated by tools/schema-gen/generate.py — do not edit by hand.",
        f"// Source: kubernetes-validate {package_version} (PyPI), Kubernetes 1.{oldest} to 1.{newest},",
        "// plus tools/schema-gen/enums.txt. Regenerate with `tools/schema-gen/check.sh --write`;",
        "// see tools/schema-gen/README.md.",
        "",
        "use super::{Field, Format, Item, Scalar, Shape, TypeDef, TypeRef};",
        "",
        f"pub(super) const OLDEST_MINOR: u8 = {oldest};",
        f"pub(super) const NEWEST_MINOR: u8 = {newest};",
        "",
        "/// `(apiVersion, kind, type)`, sorted by apiVersion then kind.",
        f"pub(super) static ROOTS: [(&str, &str, TypeRef); {len(roots)}] = [",
    ]
    for (api_version, kind), i in roots:
        lines.append(f"    ({rust_str(api_version)}, {rust_str(kind)}, TypeRef({i})),")
    lines += [
        "];",
        "",
        "/// Every object type, sorted by name; `TypeRef(i)` is `TYPES[i]`.",
        f"pub(super) static TYPES: [TypeDef; {len(names)}] = [",
    ]
    for i, name in enumerate(names):
        t = types[name]
        lines.append(f"    // {i}")
        lines.append("    TypeDef {")
        lines.append(f"        name: {rust_str(name)},")
        lines.append(f"        description: {rust_str(t.description)},")
        lines.append("        fields: &[")
        for fname in sorted(t.fields):
            f = t.fields[fname]
            shape, fmt = rust_shape(f.shape, index)
            values = ", ".join(rust_str(v) for v in enums.get((name, fname), []))
            lines.append(
                f"            Field {{ name: {rust_str(fname)}, required: {str(f.required).lower()}, "
                f"since_minor: {f.since}, until_minor: {f.until}, shape: {shape}, "
                f"format: Format::{fmt}, enum_values: &[{values}], "
                f"description: {rust_str(f.description)} }},"
            )
        lines.append("        ],")
        lines.append("    },")
    lines.append("];")
    return "\n".join(lines) + "\n"


# --- Entry point ---------------------------------------------------------------------


def find_package_dir(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    try:
        import kubernetes_validate  # type: ignore[import-not-found]
    except ImportError:
        raise SystemExit(
            "error: kubernetes_validate is not importable; run with the venv's python "
            "or pass --package-dir (see tools/schema-gen/README.md)"
        ) from None
    return Path(kubernetes_validate.__file__).parent


def package_version(package_dir: Path) -> str:
    text = (package_dir / "version.py").read_text(encoding="utf-8")
    m = re.search(r"__version__\s*=\s*['\"]([^'\"]+)['\"]", text)
    if not m:
        raise SchemaError(f"no __version__ in {package_dir / 'version.py'}")
    return m.group(1)


def load_versions(package_dir: Path) -> dict[int, dict]:
    schema_root = package_dir / "kubernetes-json-schema"
    versions = {}
    for d in schema_root.iterdir():
        m = VERSION_DIR.match(d.name)
        if m:
            doc = json.loads((d / "_definitions.json").read_text(encoding="utf-8"))
            versions[int(m.group(1))] = doc["$defs"]
    if not versions:
        raise SchemaError(f"no v1.N.0-local-strict folders under {schema_root}")
    return versions


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--package-dir", help="the installed kubernetes_validate package folder")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output file, or - for stdout")
    args = ap.parse_args(argv)

    package_dir = find_package_dir(args.package_dir)
    try:
        versions = load_versions(package_dir)
        minors = sorted(versions)
        if minors != list(range(minors[0], minors[-1] + 1)):
            raise SchemaError(f"minor versions are not contiguous: {minors}")
        types = merge(versions)
        report_oddities(types, minors)
        enums = load_enums(types)
        text = render(types, enums, minors, package_version(package_dir))
    except SchemaError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1

    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8", newline="\n")
        fields = sum(len(t.fields) for t in types.values())
        print(f"wrote {args.out}: {len(types)} types, {fields} fields, {len(text)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
