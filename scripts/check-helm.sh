#!/usr/bin/env bash
# The check .ci/run makes of `cdk8s synth --format helm`, with a real Helm (scripts/build-helm.sh): for each
# app below, the chart's templates/ folder holds only .yaml manifests, `helm lint` passes, and
# `helm template` renders exactly the objects of the app's plain synth (as a set: Helm sorts them by kind).
#   - examples/main.ts, every example (its CRDs are objects of its own, so they are compared without crds/);
#   - examples/helm.ts, the install example for Helm: its CRDs come from crds/ (`--include-crds`), which the
#     CLI copies from the files under `imports:` in cdk8s.yaml, so those files join its plain objects;
#   - test/helm/escapes-app.ts, every form of `{{` in objects of every origin.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CDK8S_CHECK_UPGRADE=false

fail() { echo "check-helm: $*" >&2; exit 1; }
helm="$(bash scripts/build-helm.sh)" || fail "no Helm to check the chart with (scripts/build-helm.sh failed above)"
work="$(mktemp -d "${TMPDIR:-/tmp}/omnia-helm-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Runs a command; on failure prints it and its output and stops.
run() {
  local log="$work/run.log"
  if ! "$@" >"$log" 2>&1; then
    echo "check-helm: failed: $*" >&2
    cat "$log" >&2
    exit 1
  fi
}

imported_crds() { sed -n 's/^[[:space:]]*-[[:space:]]*[a-z]*:=\(.*\)$/\1/p' cdk8s.yaml; }

check() {
  local name="$1" app="$2" crds="$3"
  local plain="$work/$name/plain" chart="$work/$name/chart" rendered="$work/$name/rendered.yaml"
  run npx cdk8s synth --app "$app" --output "$plain"
  run npx cdk8s synth --app "$app" --format helm --chart-version 0.1.0 --output "$chart"
  local stray
  stray="$(cd "$chart/templates" && find . -type f ! -name '*.yaml' | sort)"
  [[ -z "$stray" ]] || fail "$name: the chart's templates/ folder holds files that are not manifests, which Helm would render as templates:"$'\n'"$stray"
  [[ -z "$(find "$chart" -name .cdk8s-omnia)" ]] || fail "$name: the plugin's metadata folder $chart/.cdk8s-omnia was left in the chart"
  run "$helm" lint --strict "$chart"
  local expected=("$plain")
  if [[ "$crds" == with-crds ]]; then
    run "$helm" template omnia "$chart" --include-crds
    while read -r f; do expected+=("$root/$f"); done < <(imported_crds)
  else
    run "$helm" template omnia "$chart"
  fi
  cp "$work/run.log" "$rendered"
  node scripts/same-objects.js "$rendered" "${expected[@]}" || fail "$name: helm template $chart renders other objects than the plain synth (above)"
}

ts_app() { echo "npx ts-node --transpile-only --project tsconfig.dev.json $1"; }
echo "check-helm: $("$helm" version --short), charts in $work" >&2
check examples "$(ts_app examples/main.ts)" without-crds
check helm-install "$(ts_app examples/helm.ts)" with-crds
check escapes "$(ts_app test/helm/escapes-app.ts)" with-crds
