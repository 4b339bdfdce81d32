#!/usr/bin/env bash
# Builds kubeconform, the peer `npm run bench` measures the CLI against, from its Go module at a version
# (default: KUBECONFORM_VERSION below, the newest the module proxy had) into
# .cache/kubeconform/<version>-<go version>/bin and prints that folder. A second run finds it there.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
KUBECONFORM_VERSION=v0.8.0
version="${1:-$KUBECONFORM_VERSION}"
command -v go >/dev/null || { echo "kubeconform: Go is missing: install Go to build it" >&2; exit 3; }
out="$root/.cache/kubeconform/${version}-$(go env GOVERSION)"
if [[ -x "$out/bin/kubeconform" ]]; then
  echo "$out/bin"
  exit 0
fi
mkdir -p "$out"
# go install of a module at a version builds it with its own go.mod and go.sum.
GOBIN="$out/bin" GOFLAGS=-mod=mod CGO_ENABLED=0 go install "github.com/yannh/kubeconform/cmd/kubeconform@${version}" >&2 \
  || { echo "kubeconform: go install github.com/yannh/kubeconform/cmd/kubeconform@${version} failed" >&2; exit 3; }
echo "$out/bin"
