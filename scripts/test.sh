#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the editor and pipeline tests
# need (apt, PyPI, npm), then runs every test. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests (lint, cli, lsp, fixtures)"
CI=true INSTA_UPDATE=no cargo test --workspace --locked

if find . -name '*.snap.new' -not -path './target/*' | grep -q .; then
  echo "unreviewed insta snapshots (*.snap.new) were left behind" >&2
  exit 1
fi

step "schema table is current (tools/schema-gen)"
bash tools/schema-gen/check.sh

step "editor tests (VS Code extension, Neovim 0.11)"
cargo build --locked --bin podlint
PODLINT="$PWD/target/debug/podlint" bash editors/vscode/test.sh
PODLINT="$PWD/target/debug/podlint" bash editors/nvim/test.sh

step "fuzz smoke run"
bash scripts/fuzz-smoke.sh
