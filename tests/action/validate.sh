#!/usr/bin/env bash
# Validates action.yml and the example workflow against the GitHub Actions schemas with npm's
# @action-validator/cli (Rust compiled to wasm: no network once installed), and checks the
# validator rejects a broken copy so a pass means something.
#
#   tests/action/validate.sh        # needs node and npm
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

npm install --silent --no-audit --no-fund --prefix "$work" @action-validator/cli@0.6.0 >/dev/null
validate() { "$work/node_modules/.bin/action-validator" "$@"; }

for file in action.yml docs/github-action-example.yml; do
  validate "$repo/$file"
  echo "valid: $file"
done

# A composite step without `shell` is invalid; the validator must say so.
grep -v '^      shell: bash$' "$repo/action.yml" >"$work/action.yml"
if validate "$work/action.yml" >"$work/out" 2>&1; then
  echo "FAIL: the validator accepted a composite action whose run steps lack 'shell'" >&2
  exit 1
fi
echo "rejected as expected: action.yml without 'shell'"
