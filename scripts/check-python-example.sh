#!/usr/bin/env bash
# Builds the packages (scripts/build-packages.sh), installs the Python one with pip in a venv next to the PyPI
# packages pinned in examples/python/requirements.txt, runs examples/python/production_agent.py and checks that
# its manifest equals, byte for byte, the one the TypeScript example (examples/production-agent.ts) synthesizes.
# The venv is cached in .cache/python-venv-<key>/ (gitignored), keyed by the Python version and the pins.
set -euo pipefail
cd "$(dirname "$0")/.."

lang=python
python="${PYTHON:-python3}"
requirements=examples/python/requirements.txt
. scripts/example-check.sh
command -v "$python" >/dev/null || { echo "python: $python not found (set PYTHON)" >&2; exit 1; }

bash scripts/build-packages.sh
wheel="dist-packages/python/cdk8s_omnia-$(node -p 'require("./package.json").version')-py3-none-any.whl"

key="$({ "$python" -c 'import sys; print(sys.version)'; cat "$requirements"; } | sha256sum | cut -c1-16)"
venv=".cache/python-venv-$key"
if [ ! -f "$venv/.complete" ]; then
  rm -rf "$venv"
  mkdir -p .cache
  run "$python" -m venv "$venv"
  run "$venv/bin/pip" install --disable-pip-version-check --no-input -r "$requirements"
  touch "$venv/.complete"
fi
run "$venv/bin/pip" install --disable-pip-version-check --no-input --no-deps --force-reinstall "$wheel"
run "$venv/bin/pip" check

run "$venv/bin/python" examples/python/production_agent.py "$work/python"
compare_with_typescript "$work/python/production-agent.k8s.yaml"
