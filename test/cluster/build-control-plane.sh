#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from their Go modules into .cache/control-plane/<key>/bin and prints
# that folder. A second run finds the binaries there and returns at once.
# KUBERNETES_VERSION picks the release (default below); the staging modules k8s.io/* are replaced by the
# matching v0.x versions, as the kubernetes module itself replaces them with folders of its repository.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="${KUBERNETES_VERSION:-v1.37.2}"

fail() { echo "control plane: $*" >&2; exit 3; }
command -v go >/dev/null || fail "Go is missing: install Go 1.26 or newer (https://go.dev/dl) to build kube-apiserver and etcd"
go_version="$(go env GOVERSION)"
key="kubernetes-${version}-${go_version}"
out="$root/.cache/control-plane/$key"
if [[ -x "$out/bin/kube-apiserver" && -x "$out/bin/kubectl" && -x "$out/bin/etcd" ]]; then
  echo "$out/bin"
  exit 0
fi

work="$out/src"
rm -rf "$work" && mkdir -p "$work/etcd"
cp "$here/etcd/main.go" "$work/etcd/main.go"
cd "$work"
mod_file="$(go mod download -json "k8s.io/kubernetes@${version}" 2>/dev/null | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')" \
  || true
[[ -n "$mod_file" && -f "$mod_file" ]] \
  || fail "the Go module proxy ($(go env GOPROXY)) did not serve k8s.io/kubernetes@${version}: check the network or GOPROXY"
staging_version="v0.${version#v1.}"
minor="${version#v1.}"; minor="${minor%%.*}"
{
  echo "module cdk8s-omnia.local/control-plane"
  echo
  echo "go $(sed -n 's/^go \([0-9.]*\)$/\1/p' "$mod_file")"
  echo
  echo "require k8s.io/kubernetes ${version}"
  echo
  echo "replace ("
  sed -n "s#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/.*#\t\1 => \1 ${staging_version}#p" "$mod_file"
  echo ")"
} > go.mod
cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
echo "control plane: building kube-apiserver, kubectl and etcd ${version} with ${go_version} (first run only: several minutes)" >&2
go mod tidy >&2 || fail "go mod tidy failed for k8s.io/kubernetes@${version}: see above"
mkdir -p "$out/bin.tmp"
go build -trimpath -ldflags="-s -w -X k8s.io/component-base/version.gitVersion=${version} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor} -X k8s.io/client-go/pkg/version.gitVersion=${version}" \
  -o "$out/bin.tmp/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl ./etcd >&2 \
  || fail "go build failed: see above"
rm -rf "$out/bin" && mv "$out/bin.tmp" "$out/bin"
echo "$out/bin"
