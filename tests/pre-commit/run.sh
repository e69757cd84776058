#!/usr/bin/env bash
# End to end: the real pre-commit (PyPI) builds podlint from this repository, as a user's
# `.pre-commit-config.yaml` would, and runs its hooks on a scratch git repository.
#
#   tests/pre-commit/run.sh          # needs python3, git, cargo on PATH and the registries
#
# pre-commit's `try-repo` takes a git repository's HEAD, so the working tree (tracked and
# untracked files, not ignored ones) is committed to a temporary copy first: the script works
# from a clean clone and with uncommitted changes alike. pre-commit runs `cargo install --path .`
# in a throw-away store; CARGO_TARGET_DIR (default target/pre-commit) keeps the release build
# between runs.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
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

step "a project with a bad, a good and a fixable manifest"
project=$work/project
mkdir -p "$project/k8s"
cat >"$project/k8s/bad.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.25
    ports:
    - containerPort: 8080
  - name: metrics
    image: prom/statsd-exporter:v0.26.0
    ports:
    - containerPort: 8080
YAML
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

# Runs pre-commit, keeping its output and status.
try() {
  set +e
  output=$("$pre_commit" try-repo "$hooks" "$@" 2>&1)
  status=$?
  set -e
  printf '%s\n' "$output"
}

step "podlint --all-files: the bad manifest fails the hook"
try podlint --all-files --verbose
[ "$status" -eq 1 ] || fail "expected exit 1, got $status"
grep -q 'duplicate-container-port' <<<"$output" || fail "the finding is not in the output"
grep -q 'k8s/bad.yaml' <<<"$output" || fail "the file is not named in the output"

step "podlint on the good manifest (and a text file the hook filters out) passes"
try podlint --files k8s/good.yaml notes.txt
[ "$status" -eq 0 ] || fail "expected exit 0, got $status"
grep -Eq 'podlint\.+Passed' <<<"$output" || fail "the hook did not pass"

step "podlint-fix rewrites the fixable manifest"
try podlint-fix --files k8s/fixable.yaml
[ "$status" -eq 1 ] || fail "pre-commit should fail when a hook modifies files, got $status"
grep -q 'files were modified by this hook' <<<"$output" || fail "no modification reported"
grep -qx 'apiVersion: v1 # a Pod is in the core group' k8s/fixable.yaml || fail "not fixed: $(head -1 k8s/fixable.yaml)"
git_ add k8s/fixable.yaml
try podlint-fix --files k8s/fixable.yaml
[ "$status" -eq 0 ] || fail "a second run should pass, got $status"

printf '\npre-commit end-to-end: OK\n'
