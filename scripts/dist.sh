#!/usr/bin/env bash
# Builds every distributable of podlint into dist/, from one release build:
#
#   dist/podlint-TARGET.tar.gz           the stripped binary (.zip with podlint.exe on Windows)
#   dist/podlint-VERSION-*.whl           the Python wheel (maturin, bindings = bin: the binary
#                                        inside, no Python code), for pip, uvx, pipx, pre-commit
#   dist/podlint-VSCE_TARGET-VERSION.vsix  the VS Code extension with the binary bundled at
#                                        extension/bin/podlint (the extension looks there first
#                                        after the podlint.path setting)
#   dist/*.sha256                        one checksum file per artifact (sha256sum format)
#   dist/podlint                         the bare binary, for scripts and tests on this machine
#
#   scripts/dist.sh                      # this machine's target
#   scripts/dist.sh --target x86_64-unknown-linux-musl
#
# Needs cargo, python3 (maturin 1.16.0 is installed from PyPI into target/dist-tools) and
# node/npm (the extension's pinned devDependencies, @vscode/vsce among them, from npm).
# PODLINT_WHEEL_ARGS passes more arguments to `maturin build`: release.yml uses it to build
# manylinux2014 wheels with zig. The binary must stay under 15 MB (checked here).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

target=""
while [ $# -gt 0 ]; do
  case $1 in
    --target) target=$2; shift 2 ;;
    --target=*) target=${1#--target=}; shift ;;
    -h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "dist.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
host=$(rustc -vV | sed -n 's/^host: //p')
# For this machine's own target, build without --target: the binary lands in target/release,
# where the suite's other release builds (cargo test --release) share its dependencies.
target_args=()
if [ -n "$target" ] && [ "$target" != "$host" ]; then target_args=(--target "$target"); fi
target=${target:-$host}
release_dir=target/release
[ ${#target_args[@]} -eq 0 ] || release_dir=target/$target/release

version=$(sed -n '/^\[workspace\.package\]/,/^\[/s/^version = "\(.*\)"$/\1/p' Cargo.toml)
[ -n "$version" ] || { echo "dist.sh: no version under [workspace.package] in Cargo.toml" >&2; exit 1; }

# VS Code's name for the platform the binary runs on (`vsce package --target`).
case $target in
  x86_64-unknown-linux-gnu) vsce_target=linux-x64 ;;
  aarch64-unknown-linux-gnu) vsce_target=linux-arm64 ;;
  armv7-unknown-linux-gnueabihf) vsce_target=linux-armhf ;;
  x86_64-unknown-linux-musl) vsce_target=alpine-x64 ;;
  aarch64-unknown-linux-musl) vsce_target=alpine-arm64 ;;
  x86_64-apple-darwin) vsce_target=darwin-x64 ;;
  aarch64-apple-darwin) vsce_target=darwin-arm64 ;;
  x86_64-pc-windows-msvc) vsce_target=win32-x64 ;;
  aarch64-pc-windows-msvc) vsce_target=win32-arm64 ;;
  *) echo "dist.sh: no VS Code platform for target $target" >&2; exit 2 ;;
esac
exe=""
case $target in *windows*) exe=.exe ;; esac

step() { printf '\n==> %s\n' "$*"; }
sha256() { # FILE: writes FILE.sha256 next to it, in `sha256sum -c` format
  (cd "$(dirname "$1")" &&
    if command -v sha256sum >/dev/null; then sha256sum "$(basename "$1")"; else shasum -a 256 "$(basename "$1")"; fi
  ) >"$1.sha256"
}

rm -rf dist
mkdir -p dist target/dist-tools

step "release binary for $target (the release profile strips it)"
cargo build --release --locked -p podlint ${target_args[@]+"${target_args[@]}"}
binary=$release_dir/podlint$exe
size=$(wc -c <"$binary")
echo "$binary: $size bytes"
if [ "$size" -ge $((15 * 1024 * 1024)) ]; then
  echo "dist.sh: the binary is $size bytes, over the 15 MB budget (is the release profile still stripping?)" >&2
  exit 1
fi
cp "$binary" "dist/podlint$exe"
archive=dist/podlint-$target
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$binary" README.md "$stage/"
if [ -n "$exe" ]; then
  (cd "$stage" && 7z a -tzip -bso0 "$root/$archive.zip" "podlint$exe" README.md) && sha256 "$archive.zip"
else
  tar -C "$stage" -czf "$archive.tar.gz" podlint README.md && sha256 "$archive.tar.gz"
fi

step "Python wheel (maturin 1.16.0, bindings = bin)"
venv=target/dist-tools/venv
if [ ! -x "$venv/bin/maturin" ] && [ ! -x "$venv/Scripts/maturin.exe" ]; then
  python=$(command -v python3 || command -v python) # Windows runners have python.exe only
  "$python" -m venv "$venv"
  maturin_pkg="maturin==1.16.0"
  case ${PODLINT_WHEEL_ARGS:-} in *--zig*) maturin_pkg="maturin[zig]==1.16.0" ;; esac
  venv_python=$venv/bin/python
  [ -x "$venv_python" ] || venv_python=$venv/Scripts/python.exe
  "$venv_python" -m pip install --quiet --disable-pip-version-check "$maturin_pkg"
fi
maturin=$venv/bin/maturin
[ -x "$maturin" ] || maturin=$venv/Scripts/maturin.exe
# Same profile, target and target directory as above: cargo finds the binary up to date.
# shellcheck disable=SC2086 # PODLINT_WHEEL_ARGS is a word list on purpose
(cd python && CARGO_TARGET_DIR="$root/target" "$root/$maturin" build --release --locked \
  ${target_args[@]+"${target_args[@]}"} --out "$root/dist" ${PODLINT_WHEEL_ARGS:-})
for wheel in dist/*.whl; do sha256 "$wheel"; done

step "VS Code extension for $vsce_target, with the binary bundled"
extension=editors/vscode
ext_version=$(node -p "require('./$extension/package.json').version")
rm -rf "${extension:?}/bin"
mkdir -p "$extension/bin"
cp "$binary" "$extension/bin/podlint$exe"
trap 'rm -rf "$stage" "$root/$extension/bin"' EXIT
vsix=dist/podlint-$vsce_target-$ext_version.vsix
(
  cd "$extension"
  npm ci --no-audit --no-fund --silent
  npm run --silent compile
  npx --no-install vsce package --no-dependencies --skip-license --target "$vsce_target" \
    --out "$root/$vsix" </dev/null
)
rm -rf "${extension:?}/bin"
sha256 "$vsix"

step "dist/"
ls -l dist
