#!/usr/bin/env bash
# End to end: the real pre-commit (PyPI) runs this repository's hooks on a scratch git
# repository, as a user's `.pre-commit-config.yaml` would.
#
#   tests/pre-commit/run.sh          # after scripts/dist.sh; needs python3, git, PyPI for
#                                    # pre-commit itself, and cargo for the -source hooks
#
# The `podlint` and `podlint-fix` hooks (`language: python`) must install from the wheel alone:
# they run with dist/ as the only package index (PIP_FIND_LINKS, PIP_NO_INDEX=1) and with no
# cargo or rustc on PATH, and the first run (installing the hook included) must take under a
# minute. `podlint-source` builds with cargo (`cargo install --path .` in pre-commit's store);
# CARGO_TARGET_DIR (default target/pre-commit) keeps that build between runs.
#
# pre-commit's `try-repo` takes a git repository's HEAD, so the working tree (tracked and
# untracked files, not ignored ones) is committed to a temporary copy first: the script works
# from a clean clone and with uncommitted changes alike.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
dist=${DIST:-$repo/dist}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target/pre-commit}
export PRE_COMMIT_HOME=$work/pre-commit-home
# A test build: skip LTO so pre-commit's `cargo install` takes a fraction of the time.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export PRE_COMMIT_COLOR=never
unset GITHUB_ACTIONS # the plain report, wherever this runs

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
git_() { git -c user.name=podlint-test -c user.email=test@podlint.invalid -c commit.gpgsign=false "$@"; }

ls "$dist"/podlint-*.whl >/dev/null 2>&1 || { echo "no podlint wheel in $dist: run scripts/dist.sh first" >&2; exit 1; }

step "pre-commit 4.7.0 in a venv"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit==4.7.0
pre_commit=$work/venv/bin/pre-commit
"$pre_commit" --version

step "this working tree, committed to a scratch hook repository"
hooks=$work/podlint
mkdir "$hooks"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard) |
  while IFS= read -r -d '' file; do
    if [ -f "$repo/$file" ]; then # skip deleted files the index still lists
      mkdir -p "$hooks/$(dirname "$file")"
      cp -p "$repo/$file" "$hooks/$file"
    fi
  done
git_ -C "$hooks" init --quiet
git_ -C "$hooks" add --all
git_ -C "$hooks" commit --quiet -m "podlint working tree"

step "a project with the tutorial's port conflict, a good and a fixable manifest"
project=$work/project
mkdir -p "$project/k8s"
cp "$repo/fixtures/examples/port-conflict.yaml" "$project/k8s/bad.yaml"
# Clean but for an info finding (bare-pod), which does not fail the hook.
cat >"$project/k8s/good.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
  containers:
  - name: web
    image: nginx:1.25
    ports:
    - containerPort: 8080
    readinessProbe:
      httpGet: {path: /healthz, port: 8080}
    livenessProbe:
      tcpSocket: {port: 8080}
    resources:
      requests: {memory: 128Mi, cpu: 100m}
      limits: {memory: 256Mi, cpu: 200m}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {drop: [ALL]}
YAML
# The same Pod under the wrong API group: a safe fix.
sed '1s|^apiVersion: v1$|apiVersion: apps/v1 # a Pod is in the core group|' \
  "$project/k8s/good.yaml" >"$project/k8s/fixable.yaml"
echo "not yaml, never linted: containerPort: 8080" >"$project/notes.txt"
git_ -C "$project" init --quiet
git_ -C "$project" add --all
cd "$project"

# Runs pre-commit with the given environment prefix, keeping its output and status.
try() {
  set +e
  output=$(env "${offline[@]}" "$pre_commit" try-repo "$hooks" "$@" 2>&1)
  status=$?
  set -e
  printf '%s\n' "$output"
}

# Offline and compiler-free: dist/ is the only package index, and PATH keeps no directory that
# holds cargo or rustc (pre-commit and git are found through absolute paths or /usr/bin).
no_cargo_path=""
IFS=: read -r -a path_dirs <<<"$PATH"
for dir in "${path_dirs[@]}"; do
  if [ -n "$dir" ] && [ ! -e "$dir/cargo" ] && [ ! -e "$dir/rustc" ]; then
    no_cargo_path=${no_cargo_path:+$no_cargo_path:}$dir
  fi
done
offline=(PATH="$no_cargo_path" PIP_FIND_LINKS="$dist" PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1)
if env "${offline[@]}" bash -c 'command -v cargo || command -v rustc'; then
  fail "cargo is still on the hooks' PATH"
fi

step "podlint --all-files, first run (installs the hook from dist/ alone, no cargo): fails on the port conflict"
started=$(date +%s.%N)
try podlint --all-files --verbose
first_run=$(awk -v start="$started" -v end="$(date +%s.%N)" 'BEGIN {printf "%.1f", end - start}')
[ "$status" -eq 1 ] || fail "expected exit 1, got $status"
grep -q 'duplicate-container-port' <<<"$output" || fail "the port conflict is not in the output"
grep -q 'k8s/bad.yaml' <<<"$output" || fail "the file is not named in the output"
grep -q 'app2' <<<"$output" || fail "the second container is not named"
echo "first run, hook install included: ${first_run} s"
awk -v t="$first_run" 'BEGIN {exit !(t < 60)}' || fail "the first run took ${first_run} s, over a minute"
grep -q 'Compiling' <<<"$output" && fail "something was compiled"

# The rest runs as a user's repository does: a .pre-commit-config.yaml and `pre-commit run`,
# whose store (PRE_COMMIT_HOME) keeps the installed hooks, unlike try-repo's temporary one.
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $(git -C "$hooks" rev-parse HEAD)
    hooks:
      - id: podlint
      - id: podlint-fix
      - id: podlint-source
        stages: [manual]
YAML
git_ add .pre-commit-config.yaml
run() {
  set +e
  output=$(env "${offline[@]}" "$pre_commit" run "$@" 2>&1)
  status=$?
  set -e
  printf '%s\n' "$output"
}

step "pre-commit run podlint: installs from dist/ into the store, then reuses it"
run podlint --all-files >/dev/null
[ "$status" -eq 1 ] || fail "expected exit 1, got $status"
installed=$(find "$PRE_COMMIT_HOME" -path '*/bin/podlint' -type f | head -1)
[ -n "$installed" ] || fail "no podlint binary in pre-commit's store"
head -c 4 "$installed" | grep -q 'ELF' || fail "$installed is not the native binary"
cmp -s "$installed" "$dist/podlint" || fail "the hook's podlint is not dist/podlint"
echo "the hook runs the wheel's native binary: $installed"
started=$(date +%s.%N)
run podlint --all-files
[ "$status" -eq 1 ] || fail "expected exit 1, got $status"
awk -v start="$started" -v end="$(date +%s.%N)" 'BEGIN {printf "a later run: %.1f s\n", end - start}'

step "podlint on the good manifest (and a text file the hook filters out) passes"
run podlint --files k8s/good.yaml notes.txt
[ "$status" -eq 0 ] || fail "expected exit 0, got $status"
grep -Eq 'podlint\.+Passed' <<<"$output" || fail "the hook did not pass"

step "podlint-fix rewrites the fixable manifest"
run podlint-fix --files k8s/fixable.yaml
[ "$status" -eq 1 ] || fail "pre-commit should fail when a hook modifies files, got $status"
grep -q 'files were modified by this hook' <<<"$output" || fail "no modification reported"
grep -qx 'apiVersion: v1 # a Pod is in the core group' k8s/fixable.yaml || fail "not fixed: $(head -1 k8s/fixable.yaml)"
git_ add k8s/fixable.yaml
run podlint-fix --files k8s/fixable.yaml
[ "$status" -eq 0 ] || fail "a second run should pass, got $status"

step "podlint-source builds podlint with cargo and finds the same conflict"
offline=(PATH="$PATH") # cargo and the registries are allowed here
run --hook-stage manual podlint-source --files k8s/bad.yaml k8s/good.yaml
[ "$status" -eq 1 ] || fail "expected exit 1, got $status"
grep -q 'duplicate-container-port' <<<"$output" || fail "the port conflict is not in the output"

printf '\npre-commit end-to-end: OK (first run from the wheel: %s s)\n' "$first_run"
