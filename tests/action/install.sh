#!/usr/bin/env bash
# The Action's installer (scripts/action-install.sh) against a local stand-in for GitHub's
# release downloads, serving scripts/dist.sh's archive: it must resolve a tag to that release
# and the cache key to the code (not the ref), install in seconds with the checksum checked,
# reuse a cached install, refuse a tampered archive, and fall back to the wheel (pip, with
# dist/ as the only index) when a release has no archive for the runner.
#
#   tests/action/install.sh         # after scripts/dist.sh; needs python3 and curl
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
dist=${DIST:-$repo/dist}
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
installer=$repo/scripts/action-install.sh
version=$(sed -n '/^\[workspace\.package\]/,/^\[/s/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml")
export RUNNER_OS=Linux RUNNER_ARCH=X64 ACTION_REPOSITORY=podlint/podlint ACTION_PATH=$repo
export PODLINT_CACHE_ROOT=$work/cache
value() { sed -n "s/^$1=//p" <<<"$2"; }

# The release layout: /v<version>/podlint-<target>.tar.gz and its .sha256. On a Linux x64
# runner the Action asks for the static musl build; this machine's glibc build stands in for
# it (the installer is under test here, not the libc).
releases=$work/releases
mkdir -p "$releases/v$version" "$releases/v9.9.9"
archive=$(ls "$dist"/podlint-*-linux-gnu.tar.gz)
cp "$archive" "$releases/v$version/podlint-x86_64-unknown-linux-musl.tar.gz"
(cd "$releases/v$version" && sha256sum podlint-x86_64-unknown-linux-musl.tar.gz >podlint-x86_64-unknown-linux-musl.tar.gz.sha256)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$releases" "$port" >"$work/server.log" 2>&1 &
server_pid=$!
export PODLINT_DOWNLOAD_URL=http://127.0.0.1:$port
for _ in $(seq 50); do curl -fs "$PODLINT_DOWNLOAD_URL/" >/dev/null && break; sleep 0.1; done

step "resolve: a release tag is that version; a branch or commit is the code's hash"
tagged=$(ACTION_REF=v$version INPUT_VERSION="" bash "$installer" resolve)
echo "$tagged"
[ "$(value mode "$tagged")" = release ] || fail "v$version did not resolve to a release"
[ "$(value version "$tagged")" = "$version" ] || fail "v$version did not resolve to version $version"
[ "$(value key "$tagged")" = "podlint-linux-x64-v$version" ] || fail "unexpected key for the release"
on_main=$(ACTION_REF=main INPUT_VERSION="" bash "$installer" resolve)
at_commit=$(ACTION_REF=0123456789abcdef0123456789abcdef01234567 INPUT_VERSION="" bash "$installer" resolve)
echo "$on_main"
[ "$(value mode "$on_main")" = source ] || fail "main did not resolve to a source build"
[ "$(value key "$on_main")" = "$(value key "$at_commit")" ] || fail "the same code under two refs got two keys"
mkdir -p "$work/moved/src"
cp "$repo/Cargo.toml" "$repo/Cargo.lock" "$work/moved/"
cp "$repo/src/main.rs" "$work/moved/src/"
before=$(ACTION_PATH=$work/moved ACTION_REF=main INPUT_VERSION="" bash "$installer" resolve)
echo "// main moved on" >>"$work/moved/src/main.rs"
after=$(ACTION_PATH=$work/moved ACTION_REF=main INPUT_VERSION="" bash "$installer" resolve)
[ "$(value key "$before")" != "$(value key "$after")" ] || fail "new code on main kept the old cache key"
echo "main moved on: $(value key "$before") -> $(value key "$after")"
pinned=$(ACTION_REF=main INPUT_VERSION="v$version" bash "$installer" resolve)
[ "$(value key "$pinned")" = "podlint-linux-x64-v$version" ] || fail "input version did not win over the ref"

step "install the release: download, checksum, run"
export MODE=release VERSION=$version DIR
DIR=$(value dir "$tagged")
started=$(date +%s.%N)
bash "$installer" install
took=$(awk -v start="$started" -v end="$(date +%s.%N)" 'BEGIN {printf "%.2f", end - start}')
echo "installed in $took s"
awk -v t="$took" 'BEGIN {exit !(t < 10)}' || fail "installing the release took $took s"
status=0
"$DIR/bin/podlint" check --color never "$repo/fixtures/examples/port-conflict.yaml" >"$work/out" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "the installed podlint exited $status on the port conflict"
grep -q duplicate-container-port "$work/out" || fail "the installed podlint missed the port conflict"
echo "the installed podlint finds the port conflict"
bash "$installer" install | tee "$work/again"
grep -q 'cached' "$work/again" || fail "a second install did not reuse the cached binary"

step "a tampered archive is refused"
echo "0000000000000000000000000000000000000000000000000000000000000000  podlint-x86_64-unknown-linux-musl.tar.gz" \
  >"$releases/v$version/podlint-x86_64-unknown-linux-musl.tar.gz.sha256"
DIR=$work/cache/tampered
if bash "$installer" install >"$work/out" 2>&1; then fail "a checksum mismatch was installed"; fi
grep -q 'checksum mismatch' "$work/out" || { cat "$work/out"; fail "no checksum message"; }
[ ! -e "$DIR/bin/podlint" ] || fail "the tampered binary was left in place"
echo "refused: $(grep -o 'checksum mismatch.*' "$work/out")"

step "no archive for this runner: the wheel, with dist/ as the only index"
rm "$releases/v$version"/podlint-x86_64-unknown-linux-musl.tar.gz*
DIR=$work/cache/wheel
PIP_NO_INDEX=1 PIP_FIND_LINKS=$dist bash "$installer" install
cmp -s "$DIR/bin/podlint" "$dist/podlint" || fail "the wheel fallback did not install the wheel's binary"
echo "installed from the wheel: $DIR/bin/podlint"

printf '\naction install: OK\n'
