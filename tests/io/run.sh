#!/usr/bin/env bash
# The real binary in a real shell (issue 15): lost output is exit 2, streams named on the
# command line are linted, manifest escapes never reach the terminal.
# Usage: PODLINT=target/debug/podlint bash tests/io/run.sh
set -euo pipefail
podlint="$(realpath "${PODLINT:-target/debug/podlint}")"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cd "$dir"
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "web\\e[2J\\a"\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n    imagePullPolicy: always\n' > x.yaml
fail() { echo "io test: $*" >&2; exit 1; }

code=0; "$podlint" check x.yaml > /dev/full 2> err.txt || code=$?
[ "$code" = 2 ] || fail "check > /dev/full exited $code, not 2"
grep -q "cannot write the output" err.txt || fail "no message for the lost output"
code=0; "$podlint" fix - < x.yaml > /dev/full 2>/dev/null || code=$?
[ "$code" = 2 ] || fail "fix - > /dev/full exited $code, not 2"

out="$("$podlint" check --format concise <(cat x.yaml) || true)"
grep -q "image-pull-policy-invalid" <<<"$out" || fail "check <(cat x.yaml) did not lint it: $out"
out="$("$podlint" check --format concise /dev/stdin < x.yaml || true)"
grep -q "image-pull-policy-invalid" <<<"$out" || fail "check /dev/stdin did not lint it"
mkfifo pipe.yaml
(cat x.yaml > pipe.yaml &)
out="$("$podlint" check --format concise pipe.yaml || true)"
grep -q "image-pull-policy-invalid" <<<"$out" || fail "a FIFO was not linted"

for format in human concise github; do
  "$podlint" check --format "$format" x.yaml > report.txt || true
  if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' report.txt; then fail "$format report has a raw control character"; fi
done
echo "io test: /dev/full exits 2, <(…), /dev/stdin and a FIFO are linted, no raw escapes: ok"
