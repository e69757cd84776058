#!/usr/bin/env bash
# Prove lint/src/schema/generated.rs is what generate.py makes from the pinned
# kubernetes-validate (requirements.txt). Exit 1 on drift.
#   tools/schema-gen/check.sh           check (CI)
#   tools/schema-gen/check.sh --write   regenerate the checked-in file
# The venv lives in $SCHEMA_GEN_VENV (default /tmp/podlint-schema-gen-venv)
# and is reused across runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
target="$repo/lint/src/schema/generated.rs"
venv="${SCHEMA_GEN_VENV:-/tmp/podlint-schema-gen-venv}"

if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"

if [[ "${1:-}" == "--write" ]]; then
    exec "$venv/bin/python" "$here/generate.py" --out "$target"
fi

fresh="$(mktemp)"
trap 'rm -f "$fresh"' EXIT
"$venv/bin/python" "$here/generate.py" --out "$fresh"
if ! diff -q "$target" "$fresh" >/dev/null; then
    diff -u "$target" "$fresh" | head -n 60 | cut -c 1-200 || true
    echo "error: lint/src/schema/generated.rs is stale; run tools/schema-gen/check.sh --write" >&2
    exit 1
fi
echo "schema-gen: lint/src/schema/generated.rs is current"
