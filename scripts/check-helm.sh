#!/usr/bin/env bash
# The check .ci/run makes of `cdk8s synth --format helm`, with a real Helm (scripts/build-helm.sh): for each
# app below, the chart's templates/ folder holds only .yaml manifests and no CRD, `helm lint` passes, and
# `helm template --include-crds` renders exactly the objects of the app's plain synth (as a set: Helm sorts
# them by kind). OmniaCrds writes the CRDs into crds/ when the app writes into a chart, in place of the CLI's
# copies of the files under `imports:` in cdk8s.yaml; an app without it keeps those copies, which then join
# its plain objects. A chart of one app holds each CRD once (Helm installs the first copy it reads).
#   - examples/main.ts, every example: three apps of three targets, the release's two written into folders
#     under templates/, whose CRDs go to the same folders under crds/ (a chart to render, not to install);
#   - examples/helm.ts and examples/helm-release.ts, the install examples for Helm (documented and release);
#   - test/helm/escapes-app.ts, every form of `{{` in objects of every origin, without OmniaCrds.
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

# The name of each CRD of the chart's crds/ folder (at any depth) that is there more than once.
duplicate_crds() {
  node -e '
    const fs = require("fs"), path = require("path"), { parseAllDocuments } = require("yaml");
    const files = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? files(path.join(d, e.name)) : [path.join(d, e.name)]);
    const names = files(process.argv[1]).flatMap((f) => parseAllDocuments(fs.readFileSync(f, "utf8")).map((d) => d.toJS()).filter((o) => o && o.kind === "CustomResourceDefinition").map((o) => o.metadata.name));
    console.log([...new Set(names.filter((n, i) => names.indexOf(n) !== i))].join("\n"));
  ' "$1"
}

# check <name> <app> <own-crds|imported-crds> [several-apps]
check() {
  local name="$1" app="$2" crds="$3" apps="${4:-}"
  local plain="$work/$name/plain" chart="$work/$name/chart" rendered="$work/$name/rendered.yaml"
  run npx cdk8s synth --app "$app" --output "$plain"
  run npx cdk8s synth --app "$app" --format helm --chart-version 0.1.0 --output "$chart"
  local stray
  stray="$(cd "$chart/templates" && find . -type f ! -name '*.yaml' | sort)"
  [[ -z "$stray" ]] || fail "$name: the chart's templates/ folder holds files that are not manifests, which Helm would render as templates:"$'\n'"$stray"
  [[ -z "$(find "$chart" -name .cdk8s-omnia)" ]] || fail "$name: the plugin's metadata folder $chart/.cdk8s-omnia was left in the chart"
  ! grep -rqs '^kind: CustomResourceDefinition' "$chart/templates" || fail "$name: a CRD in templates/, which Helm installs together with the objects that need it: $(grep -rls '^kind: CustomResourceDefinition' "$chart/templates" | head -3)"
  if [[ "$apps" != several-apps ]]; then
    local dup
    dup="$(duplicate_crds "$chart/crds")"
    [[ -z "$dup" ]] || fail "$name: crds/ holds more than one copy of: $dup"
  fi
  run "$helm" lint --strict "$chart"
  local expected=("$plain")
  run "$helm" template omnia "$chart" --include-crds
  if [[ "$crds" == imported-crds ]]; then
    while read -r f; do expected+=("$root/$f"); done < <(imported_crds)
  fi
  cp "$work/run.log" "$rendered"
  node scripts/same-objects.js "$rendered" "${expected[@]}" || fail "$name: helm template $chart renders other objects than the plain synth (above)"
}

ts_app() { echo "npx ts-node --transpile-only --project tsconfig.dev.json $1"; }
echo "check-helm: $("$helm" version --short), charts in $work" >&2
check examples "$(ts_app examples/main.ts)" own-crds several-apps
check helm-install "$(ts_app examples/helm.ts)" own-crds
check helm-release "$(ts_app examples/helm-release.ts)" own-crds
check escapes "$(ts_app test/helm/escapes-app.ts)" imported-crds
