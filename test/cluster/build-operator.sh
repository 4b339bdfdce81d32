#!/usr/bin/env bash
# Builds the Omnia operator's manager (the operator image's /manager) from its Go module at a release tag
# into .cache/operator/<tag>-<go version>/bin and prints that folder. A second run finds it there and
# returns at once. The tag is the first argument, else OMNIA_RELEASE of lib/api.ts.
#
# A scratch module requires the operator module at the tag with exactly the operator's own requirements
# and go.sum (so the versions are the release's and the checksum database is never asked about modules it
# does not know). A dependency the module proxy refuses is replaced by a local stub, see write_arena_stub.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$here/go-module.sh"
tag="${1:-$(from_api OMNIA_RELEASE)}"
module="$(from_api OMNIA_MODULE)"
module="${module:-github.com/altairalabs/omnia}"

fail() { echo "operator: $*" >&2; exit 3; }
[[ -n "$tag" ]] || fail "no release tag: pass one, or define OMNIA_RELEASE in lib/api.ts"
command -v go >/dev/null || fail "Go is missing: install Go 1.26 or newer (https://go.dev/dl) to build the Omnia manager"
go_version="$(go env GOVERSION)"
out="$root/.cache/operator/${tag}-${go_version}"
if [[ -x "$out/bin/manager" ]]; then
  echo "$out/bin"
  exit 0
fi


work="$out/src"
rm -rf "$work" && mkdir -p "$work"
cd "$work"
info="$(download "${module}@${tag}")"
mod_file="$(json_field GoMod <<<"$info")"
if [[ -z "$mod_file" || ! -f "$mod_file" ]]; then
  fail "go mod download -json ${module}@${tag} failed: $(json_field Error <<<"$info")"
fi
mod_dir="$(json_field Dir <<<"$info")"
[[ -f "$mod_dir/go.sum" && -f "$mod_dir/cmd/main.go" ]] || fail "${module}@${tag} has no go.sum or cmd/main.go in $mod_dir"
grep -q '^replace\|^[[:space:]]*replace (' "$mod_file" \
  && echo "operator: warning: ${module}@${tag} has replace directives; they do not apply to a dependency build" >&2

# PromptKit/tools/arena is needed only because cmd/main.go always links the enterprise setup package, whose
# ee/pkg/arena/template re-exports three binding types and five constants of its templates package. The
# proxy refuses v1.5.1 of that module (403 "This module version is not available"), so when it cannot be
# downloaded we build against our own minimal definitions of just those names. Only ArenaTemplateSource
# (enterprise, off unless --enterprise) reads them.
arena="github.com/AltairaLabs/PromptKit/tools/arena"
write_arena_stub() {
  mkdir -p stub-arena/templates
  printf 'module %s\n\ngo 1.21\n' "$arena" > stub-arena/go.mod
  cat > stub-arena/templates/templates.go <<'GO'
// Package templates stands in for PromptKit's arena templates package, which the module proxy does not
// serve: only the names the Omnia manager links, defined here by cdk8s-omnia's test build.
package templates

// VariableBindingKind names what kind of object a template variable binds to.
type VariableBindingKind string

const (
	BindingKindProject   VariableBindingKind = "project"
	BindingKindProvider  VariableBindingKind = "provider"
	BindingKindWorkspace VariableBindingKind = "workspace"
	BindingKindSecret    VariableBindingKind = "secret"
	BindingKindConfigMap VariableBindingKind = "configmap"
)

// VariableBindingFilter narrows the objects a binding offers.
type VariableBindingFilter struct {
	Capability string            `json:"capability,omitempty"`
	Labels     map[string]string `json:"labels,omitempty"`
}

// VariableBinding ties a template variable to an object.
type VariableBinding struct {
	Kind         VariableBindingKind    `json:"kind"`
	Field        string                 `json:"field,omitempty"`
	AutoPopulate bool                   `json:"autoPopulate,omitempty"`
	Filter       *VariableBindingFilter `json:"filter,omitempty"`
}
GO
}

{
  echo "module cdk8s-omnia.local/operator"
  echo
  sed -n 's/^go \([0-9.]*\)$/go \1/p' "$mod_file"
  echo
  echo "require ${module} ${tag}"
  echo
  # The operator's own require lines, single and in blocks.
  sed -n -e '/^require (/,/^)/p' -e '/^require [^(]/p' "$mod_file"
} > go.mod
cat "$mod_dir/go.sum" > go.sum  # the module cache copy is read-only
{
  echo "${module} ${tag} $(json_field Sum <<<"$info")"
  echo "${module} ${tag}/go.mod $(json_field GoModSum <<<"$info")"
} >> go.sum

arena_version="$(sed -n "s#^[[:space:]]*\(require \)\{0,1\}${arena} \(v[^ ]*\).*#\2#p" "$mod_file" | head -1)"
stubbed=""
if [[ -n "$arena_version" ]]; then
  arena_info="$(download "${arena}@${arena_version}")"
  arena_error="$(json_field Error <<<"$arena_info")"
  if [[ -n "$arena_error" || -z "$(json_field Dir <<<"$arena_info")" ]]; then
    write_arena_stub
    printf '\nreplace %s => ./stub-arena\n' "$arena" >> go.mod
    stubbed=" (${arena}@${arena_version} replaced by a local stub: ${arena_error:-not downloadable})"
  fi
fi

echo "operator: building ${module}/cmd ${tag} with ${go_version}${stubbed} (first run only: a few minutes)" >&2
mkdir -p "$out/bin.tmp"
build_log="$work/build.log"
if ! CGO_ENABLED=0 nice -n 19 go build -trimpath -ldflags="-s -w" -o "$out/bin.tmp/manager" "${module}/cmd" >"$build_log" 2>&1; then
  cat "$build_log" >&2
  fail "go build ${module}/cmd@${tag} failed: $(grep -m1 -E 'error|cannot|missing|Forbidden|not found' "$build_log" || tail -1 "$build_log")"
fi
rm -rf "$out/bin" && mv "$out/bin.tmp" "$out/bin"
echo "$out/bin"
