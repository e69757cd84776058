#!/usr/bin/env bash
# A short fuzzing run of every target (30 s each), seeded with the fixtures: it catches
# panics and hangs that slipped past the tests. Longer runs: fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${FUZZ_SECONDS:-30}"
mkdir -p artifacts
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
rustup toolchain list | grep -q nightly || { echo "fuzz smoke: nightly Rust is not installed, skipping" >&2; exit 0; }
# FUZZ_TARGETS picks some (e.g. FUZZ_TARGETS=lsp_handlers); lsp_handlers drives the language
# server's hover, completion, code actions and outline; fix_hostile fixes manifests full of
# anchors, aliases, merge keys, block scalars and JSON, and re-parses the result.
targets="${FUZZ_TARGETS:-lint_bytes lint_manifest fix_hostile lsp_handlers}"
# A target that no longer compiles (an API it calls changed) is a failure of its own, not a find.
for target in $targets; do
  if ! cargo +nightly fuzz build "$target" >"artifacts/$target.build.log" 2>&1; then
    grep -E '^(error|warning)' -A12 "artifacts/$target.build.log" | head -n 80
    echo "fuzz smoke: the fuzz target $target does not build (fuzz/fuzz_targets/$target.rs)" >&2
    exit 1
  fi
done
for target in $targets; do
  corpus="corpus/$target"
  mkdir -p "$corpus"
  # Seed with every fixture manifest so the fuzzer starts from real Kubernetes.
  find ../fixtures -name '*.yaml' -size -64k -print0 |
    while IFS= read -r -d '' f; do cp "$f" "$corpus/$(sha1sum < "$f" | cut -c1-16)"; done
  log="artifacts/$target.log"
  mkdir -p artifacts
  # libFuzzer prints a line per new input; keep them in a log and show it only on a failure.
  if ! cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 >"$log" 2>&1; then
    tail -n 120 "$log"
    echo "fuzz smoke: $target found a problem (input saved under fuzz/artifacts/$target/)" >&2
    exit 1
  fi
  echo "fuzz smoke: $target ran ${seconds}s: $(grep -oE 'Done [0-9]+ runs' "$log" | tail -1 || echo 'done'), no crash"
done
