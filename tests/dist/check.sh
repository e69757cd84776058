#!/usr/bin/env bash
# Checks what scripts/dist.sh wrote to dist/ the way a user would meet it:
#   - the binary is stripped to under 15 MB and runs;
#   - the wheel installs into a fresh venv offline (dist/ as the only index) in seconds, and
#     its `podlint` is the native binary and finds the tutorial's port conflict;
#   - the linux-x64 .vsix declares its platform, holds the binary at extension/bin/podlint,
#     executable, and that binary answers `initialize` when started as `podlint lsp --stdio`,
#     as vscode-languageclient starts it;
#   - every artifact's .sha256 matches.
#
#   tests/dist/check.sh             # after scripts/dist.sh; needs python3 and unzip or python's zipfile
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
dist=${DIST:-$repo/dist}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
seconds_since() { awk -v start="$1" -v end="$(date +%s.%N)" 'BEGIN {printf "%.1f", end - start}'; }
example=$repo/fixtures/examples/port-conflict.yaml

# Runs `podlint check` on the tutorial's port conflict; it must exit 1 and name the rule.
finds_port_conflict() {
  local status=0 output
  output=$("$1" check --color never "$example" 2>&1) || status=$?
  [ "$status" -eq 1 ] || fail "$1 check exited $status, not 1:
$output"
  grep -q 'duplicate-container-port' <<<"$output" || fail "$1 did not report the port conflict:
$output"
  echo "$1: finds duplicate-container-port (exit 1)"
}

step "the binary"
binary=$dist/podlint
size=$(wc -c <"$binary")
echo "dist/podlint: $size bytes ($(awk -v s="$size" 'BEGIN {printf "%.1f", s / 1048576}') MiB)"
[ "$size" -lt $((15 * 1024 * 1024)) ] || fail "the binary is over 15 MB"
"$binary" --version
finds_port_conflict "$binary"
archive=$(ls "$dist"/podlint-*-linux-*.tar.gz)
tar -tzf "$archive" >"$work/archive.txt"
grep -qx podlint "$work/archive.txt" || fail "$archive does not hold podlint"

step "checksums"
(cd "$dist" && for sum in *.sha256; do sha256sum -c "$sum"; done)

step "the wheel, offline, into a fresh venv"
wheel=$(ls "$dist"/podlint-*.whl)
echo "$(basename "$wheel"): $(wc -c <"$wheel") bytes"
python3 -m venv "$work/venv"
started=$(date +%s.%N)
PIP_NO_INDEX=1 PIP_FIND_LINKS=$dist "$work/venv/bin/pip" install --quiet --disable-pip-version-check podlint
install_time=$(seconds_since "$started")
echo "pip install podlint (offline, from dist/): $install_time s"
awk -v t="$install_time" 'BEGIN {exit !(t < 30)}' || fail "installing the wheel took $install_time s"
head -c 4 "$work/venv/bin/podlint" | grep -q 'ELF' || fail "venv/bin/podlint is not the native binary"
cmp -s "$work/venv/bin/podlint" "$binary" || fail "the wheel's binary is not dist/podlint"
finds_port_conflict "$work/venv/bin/podlint"

step "the linux-x64 .vsix"
vsix=$(ls "$dist"/podlint-linux-x64-*.vsix)
echo "$(basename "$vsix"): $(wc -c <"$vsix") bytes"
python3 - "$vsix" "$work/vsix" <<'PY'
import stat, sys, zipfile
vsix, out = sys.argv[1:]
with zipfile.ZipFile(vsix) as archive:
    names = archive.namelist()
    print("\n".join(sorted(names)))
    manifest = archive.read("extension.vsixmanifest").decode()
    if 'TargetPlatform="linux-x64"' not in manifest:
        sys.exit("FAIL: extension.vsixmanifest does not declare TargetPlatform linux-x64")
    for name in ("extension/bin/podlint", "extension/dist/extension.js", "extension/package.json"):
        if name not in names:
            sys.exit(f"FAIL: {name} is not in the .vsix")
    for name in names:
        if name.startswith(("extension/node_modules/", "extension/src/", "extension/test/")):
            sys.exit(f"FAIL: {name} should not be packaged")
    info = archive.getinfo("extension/bin/podlint")
    archive.extractall(out)
    mode = info.external_attr >> 16
    if mode and not mode & stat.S_IXUSR:
        sys.exit(f"FAIL: extension/bin/podlint is stored without the executable bit ({oct(mode)})")
PY
bundled=$work/vsix/extension/bin/podlint
chmod +x "$bundled" # zipfile does not restore modes; the bit was checked above
cmp -s "$bundled" "$binary" || fail "the bundled binary is not dist/podlint"
finds_port_conflict "$bundled"

step "the bundled binary as VS Code starts it: podlint lsp --stdio"
python3 "$repo/tests/dist/lsp_initialize.py" "$bundled" lsp --stdio

printf '\ndist check: OK\n'
