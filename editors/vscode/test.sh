#!/usr/bin/env bash
# Installs, type-checks, bundles and packages the extension, then runs the protocol test
# against the podlint binary ($PODLINT, default: the workspace's release or debug build).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
if [ -z "${PODLINT:-}" ]; then
  for candidate in "$root/target/release/podlint" "$root/target/debug/podlint"; do
    if [ -x "$candidate" ]; then PODLINT=$candidate; break; fi
  done
fi
export PODLINT=${PODLINT:?build podlint first (cargo build) or set PODLINT}
npm ci --no-audit --no-fund
npx tsc --noEmit
npm run compile
npx vsce package --no-dependencies </dev/null
npm test
