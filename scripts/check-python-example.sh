#!/usr/bin/env bash
# Builds the packages (scripts/build-packages.sh), installs the Python one with pip in a venv next to the PyPI
# packages pinned in examples/python/requirements.txt, runs examples/python/production_agent.py and checks that its manifest
# equals, byte for byte, the one the TypeScript example (examples/production-agent.ts) synthesizes.
# The venv is cached in .cache/python-venv-<key>/ (gitignored), keyed by the Python version and the pins.
set -euo pipefail
cd "$(dirname "$0")/.."

python="${PYTHON:-python3}"
requirements=examples/python/requirements.txt
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Runs a command with its output in a log; on failure prints the command, its output and exits.
run() {
  if ! "$@" >"$work/log" 2>&1; then
    echo "python: '$*' failed:" >&2
    grep -v '^!!' "$work/log" >&2
    exit 1
  fi
}

bash scripts/build-packages.sh
wheel="dist-packages/python/cdk8s_omnia-$(node -p 'require("./package.json").version')-py3-none-any.whl"

command -v "$python" >/dev/null || { echo "python: $python not found (set PYTHON)" >&2; exit 1; }
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
OUTDIR="$work/typescript" run npx ts-node --transpile-only --project tsconfig.dev.json -e "
import { App } from 'cdk8s';
import { ProductionAgentChart } from './examples/production-agent';
const app = new App({ outdir: process.env.OUTDIR });
new ProductionAgentChart(app, 'production-agent');
app.synth();
"

py="$work/python/production-agent.k8s.yaml"
ts="$work/typescript/production-agent.k8s.yaml"
for f in "$py" "$ts"; do
  [ -f "$f" ] || { echo "python: no $(basename "$f") written; got: $(ls -R "$(dirname "$f")" 2>&1)" >&2; exit 1; }
done
if ! cmp -s "$py" "$ts"; then
  echo "python: production agent manifest differs from the TypeScript example (--- TypeScript, +++ Python):" >&2
  diff -u --label typescript "$ts" --label python "$py" >&2 || true
  exit 1
fi
echo "python: production agent manifest identical to the TypeScript example ($(wc -c <"$py") bytes)"
