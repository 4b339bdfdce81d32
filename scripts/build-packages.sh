#!/usr/bin/env bash
# Builds the Python, Java and Go packages of cdk8s-omnia with one jsii-pacmak run, from the jsii assembly that
# `npm run build` writes (`npm ci` runs it through `prepare`; run here only if an input of the build changed),
# into dist-packages/:
#   python/cdk8s_omnia-<version>-py3-none-any.whl (and the sdist)
#   java/io/github/cdk8s-omnia/cdk8s-omnia/<version>/  a Maven repository
#   go/cdk8somnia/                                     the module github.com/cdk8s-omnia/cdk8s-omnia-go/cdk8somnia
# pacmak compiles the Java and Go code against cdk8s and cdk8s-plus-28 bindings that scripts/build-bindings.sh
# builds (the registries here lack them): they are linked into dist-packages/ for that run, where pacmak looks
# for local dependencies, and removed after it. Skipped when dist-packages/ was built from the same inputs.
# On failure: the command that failed and its output.
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/ensure-built.js >&2
bindings="$(bash scripts/build-bindings.sh)"

version="$(node -p 'require("./package.json").version')"
outputs=(
  "dist-packages/python/cdk8s_omnia-$version-py3-none-any.whl"
  "dist-packages/java/io/github/cdk8s-omnia/cdk8s-omnia/$version/cdk8s-omnia-$version.jar"
  dist-packages/go/cdk8somnia/go.mod
)
# Maven copies what it resolves into its local repository and never looks again: drop the copies of what is
# built here, on every call, so that pacmak and the Java example (which calls this first) use the bindings and
# the package in hand.
m2=.cache/maven-repo
rm -rf "$m2/org/cdk8s/cdk8s/$(node -p 'require("./node_modules/cdk8s/package.json").version')" \
  "$m2/org/cdk8s/cdk8s-plus-28/$(node -p 'require("./node_modules/cdk8s-plus-28/package.json").version')" \
  "$m2/io/github/cdk8s-omnia/cdk8s-omnia/$version"

# The build's input hash covers what the package embeds (the compiled lib/, not only the assembly).
key="$({ cat .jsii package.json .cache/build-inputs.sha256; echo "$bindings"; node -p 'require("jsii-pacmak/package.json").version'; } | sha256sum | cut -c1-16)"
stamp=dist-packages/.inputs
complete() { for f in "${outputs[@]}"; do [ -f "$f" ] || return 1; done; }
if [ "$(cat "$stamp" 2>/dev/null)" = "$key" ] && complete; then
  exit 0
fi

rm -rf dist-packages
mkdir -p dist-packages/java/org dist-packages/go
links=(dist-packages/java/org/cdk8s dist-packages/go/cdk8s dist-packages/go/cdk8splus28)
ln -s "$PWD/$bindings/java/org/cdk8s" dist-packages/java/org/cdk8s
ln -s "$PWD/$bindings/go/cdk8s" dist-packages/go/cdk8s
ln -s "$PWD/$bindings/go/cdk8splus28" dist-packages/go/cdk8splus28

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# --no-npmignore: pacmak would otherwise write a .npmignore (the package uses `files`).
cmd=(npx jsii-pacmak --targets python,java,go --no-npmignore --maven-local-repository .cache/maven-repo)
if ! "${cmd[@]}" >"$log" 2>&1; then
  echo "packages: '${cmd[*]}' failed:" >&2
  grep -v '^!!' "$log" >&2
  exit 1
fi
rm "${links[@]}"
rmdir dist-packages/java/org

if ! complete; then
  echo "packages: '${cmd[*]}' succeeded but did not write all of ${outputs[*]}; dist-packages/ holds:" >&2
  find dist-packages -maxdepth 3 >&2
  exit 1
fi
echo "$key" >"$stamp"
