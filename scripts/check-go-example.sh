#!/usr/bin/env bash
# Builds the packages (scripts/build-packages.sh), then runs examples/go/ with Go modules against the
# cdk8s-omnia Go module, and checks that its manifest equals, byte for byte, the one the TypeScript example
# (examples/production-agent.ts) synthesizes. The go.mod is the one a user writes; this check runs a copy of
# the example whose go.mod replaces three modules with local folders: cdk8s-omnia's (dist-packages/go/) and the
# cdk8s and cdk8s-plus-28 modules of scripts/build-bindings.sh (the module proxy refuses the first and serves
# a cdk8s-plus-go v2.5.6 that does not compile against constructs-go v10.8.1). constructs-go, jsii-runtime-go
# and the rest come from the Go module proxy. It also fails when the committed go.mod is not what
# `go mod tidy` writes, so its requirements are the ones the example really needs.
set -euo pipefail
cd "$(dirname "$0")/.."

lang=go
. scripts/example-check.sh
need go node

bash scripts/build-packages.sh
bindings="$(bash scripts/build-bindings.sh)"

repo="$PWD"
cp -r examples/go "$work/project"
cd "$work/project"
run go mod edit \
  -replace "github.com/cdk8s-omnia/cdk8s-omnia-go/cdk8somnia=$repo/dist-packages/go/cdk8somnia" \
  -replace "github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2=$repo/$bindings/go/cdk8s" \
  -replace "github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2=$repo/$bindings/go/cdk8splus28"
run go mod tidy
run go mod edit -json
requires() { node -e 'const m = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(JSON.stringify({ go: m.Go, require: m.Require }, null, 1))'; }
requires <"$work/log" >"$work/tidy.json"
(cd "$repo/examples/go" && go mod edit -json) | requires >"$work/committed.json"
if ! cmp -s "$work/committed.json" "$work/tidy.json"; then
  echo "go: examples/go/go.mod is not what 'go mod tidy' writes (--- committed, +++ tidy):" >&2
  diff -u --label committed "$work/committed.json" --label tidy "$work/tidy.json" >&2 || true
  exit 1
fi
run go run . "$work/go"
cd "$repo"

compare_with_typescript "$work/go/production-agent.k8s.yaml"
