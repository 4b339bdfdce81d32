#!/usr/bin/env bash
# Builds Helm from its Go module (helm.sh/helm/v3/cmd/helm) at a version into .cache/helm/<version>-<go version>/
# and prints the binary's path. A second run finds it there and returns at once. The version is the first
# argument, else HELM_VERSION below. Debian (bookworm) packages no Kubernetes Helm, so CI builds it.
#
# `go install module@version` builds with exactly the module's own go.mod and go.sum, checked against the
# checksum database; the flags are those of Helm's Makefile: the version it reports, and the Kubernetes
# version `helm template` and `helm lint` assume, taken from the k8s.io/client-go it requires.
set -euo pipefail
HELM_VERSION=v3.22.0
root="$(cd "$(dirname "$0")/.." && pwd)"
version="${1:-$HELM_VERSION}"
module=helm.sh/helm/v3

fail() { echo "helm: $*" >&2; exit 3; }
[[ "$version" =~ ^v3\.[0-9]+\.[0-9]+$ ]] || fail "not a Helm 3 version: '$version' (e.g. v3.22.0)"
command -v go >/dev/null || fail "Go is missing: install Go 1.26 or newer (https://go.dev/dl) to build Helm ${version}"
go_version="$(go env GOVERSION)"
out="$root/.cache/helm/${version}-${go_version}"
if [[ -x "$out/helm" ]]; then
  echo "$out/helm"
  exit 0
fi

mkdir -p "$out"
log="$out/build.log"
# go install module@version needs no module of its own; run it outside any module.
cd "$out"
mod_json="$(GOFLAGS=-mod=mod go mod download -json "${module}@${version}" 2>&1)" \
  || fail "go mod download ${module}@${version} failed: $(sed -n 's/.*"Error": "\(.*\)".*/\1/p' <<<"$mod_json" | head -1)"
mod_file="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p' <<<"$mod_json")"
client_go="$(sed -n 's#^[[:space:]]*k8s.io/client-go v0\.\([0-9]*\)\.[0-9]*.*#\1#p' "$mod_file" | head -1)"
[[ -n "$client_go" ]] || fail "${module}@${version} requires no k8s.io/client-go v0.x: cannot tell its Kubernetes version"
kube_minor="$client_go"  # client-go v0.N is Kubernetes 1.N (Helm's Makefile: major + 1)
ldflags="-s -w -X ${module}/internal/version.version=${version} -X ${module}/internal/version.gitTreeState=clean"
for pkg in pkg/lint/rules pkg/chartutil; do
  ldflags+=" -X ${module}/${pkg}.k8sVersionMajor=1 -X ${module}/${pkg}.k8sVersionMinor=${kube_minor}"
done

echo "helm: building ${module}/cmd/helm ${version} with ${go_version} (first run only: a few minutes)" >&2
mkdir -p "$out/bin.tmp"
if ! GOBIN="$out/bin.tmp" CGO_ENABLED=0 nice -n 19 go install -trimpath -ldflags="$ldflags" "${module}/cmd/helm@${version}" >"$log" 2>&1; then
  cat "$log" >&2
  fail "go install ${module}/cmd/helm@${version} failed: $(grep -m1 -E 'error|cannot|missing|Forbidden|not found' "$log" || tail -1 "$log")"
fi
mv "$out/bin.tmp/helm" "$out/helm" && rmdir "$out/bin.tmp"
"$out/helm" version --short >/dev/null || fail "the built $out/helm does not run"
echo "$out/helm"
