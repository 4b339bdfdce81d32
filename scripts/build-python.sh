#!/usr/bin/env bash
# Builds the Python package (wheel and sdist) into dist-packages/python/ with jsii-pacmak, from the jsii
# assembly that `npm run build` writes (`npm ci` runs it through `prepare`; run here only if an input of the
# build changed). Prints the wheel's path; on failure, the command that failed and its output.
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/ensure-built.js >&2

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# --no-npmignore: pacmak would otherwise write a .npmignore (the package uses `files`).
cmd=(npx jsii-pacmak --targets python --no-npmignore)
if ! "${cmd[@]}" >"$log" 2>&1; then
  echo "build-python: '${cmd[*]}' failed:" >&2
  grep -v '^!!' "$log" >&2
  exit 1
fi

version="$(node -p 'require("./package.json").version')"
wheel="dist-packages/python/cdk8s_omnia-${version}-py3-none-any.whl"
if [ ! -f "$wheel" ]; then
  echo "build-python: '${cmd[*]}' succeeded but wrote no $wheel; dist-packages/python/ holds:" >&2
  ls -la dist-packages/python/ >&2 || true
  exit 1
fi
echo "$wheel"
