#!/usr/bin/env bash
# shellcheck disable=SC2153 # MODE, VERSION and DIR come from the environment (action.yml)
# Installs podlint for the GitHub Action (action.yml), in two phases so actions/cache can sit
# between them:
#
#   action-install.sh resolve   prints key=, dir=, mode=, version= (for $GITHUB_OUTPUT)
#   action-install.sh install   makes "$DIR/bin/podlint" exist (unless the cache restored it)
#
# What is installed, fastest first:
#   1. a released version (input `version`, or the tag the action was used at, `@v0.2.0`):
#      the release's binary archive for this runner, its SHA-256 checked (a second or two);
#      else the wheel from PyPI with pip; else `cargo install` of that tag.
#   2. any other ref (`@main`, a commit, a local `uses: ./`): `cargo install --locked` of the
#      action's own files, the only way to get exactly that code (minutes, once per commit).
#
# The cache key names what was resolved, never the ref as written: a version, or a hash of the
# action's sources (the resolved commit's content), so `@main` gets a new build when main moves.
#
# Environment: INPUT_VERSION, ACTION_REF, ACTION_REPOSITORY, ACTION_PATH, RUNNER_OS, RUNNER_ARCH,
# and for tests PODLINT_DOWNLOAD_URL (default https://github.com/REPO/releases/download),
# PODLINT_CACHE_ROOT (default $RUNNER_TOOL_CACHE/podlint-action). `install` reads MODE, VERSION and DIR.
set -euo pipefail

repo=${ACTION_REPOSITORY:-podlint/podlint}
[ -n "$repo" ] || repo=podlint/podlint
download_url=${PODLINT_DOWNLOAD_URL:-https://github.com/$repo/releases/download}
cache_root=${PODLINT_CACHE_ROOT:-${RUNNER_TOOL_CACHE:-$HOME/.cache}/podlint-action}

# The release archive built for this runner (release.yml's target names).
release_target() {
  case "${RUNNER_OS:-Linux}/${RUNNER_ARCH:-X64}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) echo unknown ;;
  esac
}

# A hash of the files that make the binary, so the key changes exactly when the code does.
source_hash() {
  (cd "$1" && { find Cargo.toml Cargo.lock src cli lint lsp -type f 2>/dev/null || true; } | LC_ALL=C sort |
    while IFS= read -r file; do printf '%s\n' "$file"; cat "$file"; done) |
    { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-16
}

resolve() {
  local version=${INPUT_VERSION#v} ref=${ACTION_REF:-}
  if [ -z "$version" ] && [[ $ref =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then
    version=${ref#v}
  fi
  if [ "$version" = latest ]; then
    version=$(GH_TOKEN=${GH_TOKEN:-} gh release view --repo "$repo" --json tagName --jq .tagName 2>/dev/null ||
      curl -fsSL "https://api.github.com/repos/$repo/releases/latest" | sed -n 's/.*"tag_name": *"\([^"]*\)".*/\1/p')
    version=${version#v}
    [ -n "$version" ] || { echo "::error::podlint: could not find the latest release of $repo"; exit 1; }
  fi
  local os arch
  os=$(tr '[:upper:]' '[:lower:]' <<<"${RUNNER_OS:-Linux}")
  arch=$(tr '[:upper:]' '[:lower:]' <<<"${RUNNER_ARCH:-X64}")
  local mode key
  if [ -n "$version" ]; then
    mode=release
    key=podlint-$os-$arch-v$version
  else
    mode=source
    key=podlint-$os-$arch-source-$(source_hash "${ACTION_PATH:?}")
  fi
  echo "mode=$mode"
  echo "version=$version"
  echo "key=$key"
  echo "dir=$cache_root/$key"
}

sha256_check() { # FILE FILE.sha256: the published sum must match
  local want got
  want=$(cut -d' ' -f1 <"$2")
  got=$({ sha256sum "$1" 2>/dev/null || shasum -a 256 "$1"; } | cut -d' ' -f1)
  [ -n "$want" ] && [ "$want" = "$got" ] || { echo "::error::podlint: checksum mismatch for $1 ($got, published $want)"; return 1; }
}

from_archive() {
  local target archive work
  target=$(release_target)
  [ "$target" != unknown ] || return 1
  archive=podlint-$target.tar.gz
  [ "$target" != x86_64-pc-windows-msvc ] || archive=podlint-$target.zip
  work=$(mktemp -d)
  echo "podlint: downloading $download_url/v$VERSION/$archive"
  if ! curl -fsSL --retry 3 -o "$work/$archive" "$download_url/v$VERSION/$archive" ||
    ! curl -fsSL --retry 3 -o "$work/$archive.sha256" "$download_url/v$VERSION/$archive.sha256"; then
    echo "podlint: no release archive for $target at v$VERSION"
    rm -rf "$work"
    return 1
  fi
  sha256_check "$work/$archive" "$work/$archive.sha256" || { rm -rf "$work"; exit 1; }
  mkdir -p "$DIR/bin"
  case $archive in
    *.zip) (cd "$DIR/bin" && { unzip -oq "$work/$archive" || 7z x -y -bso0 "$work/$archive"; }) ;;
    *) tar -xzf "$work/$archive" -C "$DIR/bin" ;;
  esac
  rm -rf "$work"
}

from_wheel() {
  local python
  python=$(command -v python3 || command -v python) || return 1
  echo "podlint: installing podlint==$VERSION from PyPI"
  # --target writes only into DIR, so a system Python marked externally managed may allow it.
  PIP_BREAK_SYSTEM_PACKAGES=1 "$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$DIR/wheel" "podlint==$VERSION" || return 1
  mkdir -p "$DIR/bin"
  cp "$DIR"/wheel/bin/podlint* "$DIR/bin/"
}

install() {
  : "${MODE:?}" "${VERSION?}" "${DIR:?}" # from `resolve`
  if [ -x "$DIR/bin/podlint" ] || [ -x "$DIR/bin/podlint.exe" ]; then
    echo "podlint: cached in $DIR"
    return
  fi
  if [ "$MODE" = release ]; then
    from_archive || from_wheel || {
      echo "podlint: no prebuilt podlint $VERSION for this runner; building it with cargo"
      cargo install --locked --root "$DIR" --git "https://github.com/$repo" --tag "v$VERSION" podlint
    }
  else
    echo "podlint: building the action's own commit with cargo (cached for this commit's code)"
    cargo install --locked --root "$DIR" --path "${ACTION_PATH:?}"
  fi
}

case ${1:-} in
  resolve) resolve ;;
  install) install ;;
  *) echo "usage: action-install.sh resolve|install" >&2; exit 2 ;;
esac
