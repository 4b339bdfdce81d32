#!/usr/bin/env bash
# CI's check of `cdk8s-omnia init`: from the packed tarball, as a user gets it, the template writes a project
# into an empty folder; npm installs it (cdk8s-omnia from the tarball, everything else from the registry at
# the versions the template pins); its test passes twice (first with --ci=false, which writes its snapshot even where CI=true, then with --ci: the snapshot is
# stable); and `npx cdk8s synth` writes the agent, checked by the validation plugin the template configures.
set -euo pipefail
cd "$(dirname "$0")/.."
export CDK8S_CHECK_UPGRADE=false
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "template: $*" >&2; exit 1; }
run() { "$@" >"$work/log" 2>&1 || { cat "$work/log" >&2; fail "'$*' failed in $PWD"; }; }

node scripts/ensure-built.js
tarball="$(npm pack --ignore-scripts --silent --pack-destination "$work" | tail -1)"
run node lib/cli.js init "$work/app" --omnia "file:$work/$tarball"
cd "$work/app"
run npm install --no-audit --no-fund
run npx jest --ci=false
run npx jest --ci
run npx cdk8s synth
grep -q '^kind: AgentRuntime$' dist/assistant.k8s.yaml || fail "dist/assistant.k8s.yaml holds no AgentRuntime"
grep -q 'findings │ 0' "$work/log" || fail "the validation plugin did not report 0 findings: $(cat "$work/log")"
echo "template: cdk8s-omnia init from $tarball: installed, its test passes (snapshot stable), cdk8s synth writes the agent with 0 findings"
