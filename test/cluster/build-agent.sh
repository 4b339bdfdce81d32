#!/usr/bin/env bash
# Builds the two binaries of an Omnia agent pod from the operator's Go module at a release tag: the facade
# (image omnia-facade, `cmd/agent`) and the runtime (image omnia-runtime, `cmd/runtime`), into
# .cache/agent/<tag>-<go version>/bin as `agent` and `runtime`, and prints that folder. A second run finds
# them there and returns at once. The tag is the first argument, else OMNIA_RELEASE of lib/api.ts.
#
# Like build-operator.sh: a scratch module requires the operator module at the tag with exactly its own
# requirements and go.sum. A requirement the module proxy refuses is replaced, and the output says so:
# PromptKit/server/a2a by v1.5.2, which the proxy serves (it does not serve v1.5.3;
# v1.5.2 is not in the checksum database, so that one module skips the check), and
# PromptKit/tools/arena (which neither binary links) by an empty local module.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$here/go-module.sh"
tag="${1:-$(from_api OMNIA_RELEASE)}"
module="$(from_api OMNIA_MODULE)"
module="${module:-github.com/altairalabs/omnia}"

fail() { echo "agent: $*" >&2; exit 3; }
[[ -n "$tag" ]] || fail "no release tag: pass one, or define OMNIA_RELEASE in lib/api.ts"
command -v go >/dev/null || fail "Go is missing: install Go 1.26 or newer (https://go.dev/dl) to build the Omnia facade and runtime"
go_version="$(go env GOVERSION)"
out="$root/.cache/agent/${tag}-${go_version}"
if [[ -x "$out/bin/agent" && -x "$out/bin/runtime" ]]; then
  echo "$out/bin"
  exit 0
fi

required() { sed -n "s#^[[:space:]]*\(require \)\{0,1\}$1 \(v[^ ]*\).*#\2#p" "$mod_file" | head -1; }

work="$out/src"
rm -rf "$work" && mkdir -p "$work"
cd "$work"
info="$(download "${module}@${tag}")"
mod_file="$(json_field GoMod <<<"$info")"
if [[ -z "$mod_file" || ! -f "$mod_file" ]]; then
  fail "go mod download -json ${module}@${tag} failed: $(json_field Error <<<"$info")"
fi
mod_dir="$(json_field Dir <<<"$info")"
for cmd in agent runtime; do
  [[ -f "$mod_dir/cmd/$cmd/main.go" ]] || fail "${module}@${tag} has no cmd/$cmd/main.go in $mod_dir"
done

{
  echo "module cdk8s-omnia.local/agent"
  echo
  sed -n 's/^go \([0-9.]*\)$/go \1/p' "$mod_file"
  echo
  echo "require ${module} ${tag}"
  echo
  sed -n -e '/^require (/,/^)/p' -e '/^require [^(]/p' "$mod_file"
} > go.mod
cat "$mod_dir/go.sum" > go.sum  # the module cache copy is read-only
{
  echo "${module} ${tag} $(json_field Sum <<<"$info")"
  echo "${module} ${tag}/go.mod $(json_field GoModSum <<<"$info")"
} >> go.sum

notes=()
nosumdb=""
a2a="github.com/AltairaLabs/PromptKit/server/a2a"
a2a_version="$(required "$a2a")"
a2a_fallback="v1.5.2"  # served by the proxy; builds and runs with the release
if [[ -n "$a2a_version" ]]; then
  # Asked of the proxy alone: a fallback to the origin would hide the proxy's answer behind a git error.
  proxies="$(go env GOPROXY | sed -e 's/[,|]direct//g' -e 's/^direct[,|]\{0,1\}//')"
  a2a_error="$(json_field Error <<<"$(GOPROXY="${proxies:-$(go env GOPROXY)}" download "${a2a}@${a2a_version}")")"
  if [[ -n "$a2a_error" ]]; then
    # The proxy refuses the version list of this module too (403), so the replacement is named here.
    replacement="$a2a_fallback"
    [[ -n "$(json_field Dir <<<"$(GONOSUMDB="$a2a" download "${a2a}@${replacement}")")" ]] || replacement=""
    [[ -n "$replacement" ]] || fail "the proxy refuses ${a2a}@${a2a_version} (${a2a_error}) and ${a2a_fallback} as well"
    printf '\nreplace %s => %s %s\n' "$a2a" "$a2a" "$replacement" >> go.mod
    nosumdb="$a2a"
    notes+=("${a2a}@${a2a_version} replaced by ${replacement}: ${a2a_error}")
  fi
fi

arena="github.com/AltairaLabs/PromptKit/tools/arena"
arena_version="$(required "$arena")"
if [[ -n "$arena_version" && -n "$(json_field Error <<<"$(download "${arena}@${arena_version}")")" ]]; then
  mkdir -p stub-arena
  printf 'module %s\n\ngo 1.21\n' "$arena" > stub-arena/go.mod
  printf '\nreplace %s => ./stub-arena\n' "$arena" >> go.mod
  notes+=("${arena}@${arena_version} (not downloadable, linked by neither binary) replaced by an empty module")
fi

for note in "${notes[@]}"; do echo "agent: $note" >&2; done
echo "agent: building ${module}/cmd/agent and cmd/runtime ${tag} with ${go_version} (first run only: a few minutes)" >&2
mkdir -p "$out/bin.tmp"
for cmd in agent runtime; do
  build_log="$work/build-$cmd.log"
  if ! GONOSUMDB="$nosumdb" GOFLAGS=-mod=mod CGO_ENABLED=0 nice -n 19 \
      go build -ldflags="-s -w" -o "$out/bin.tmp/$cmd" "${module}/cmd/$cmd" >"$build_log" 2>&1; then
    cat "$build_log" >&2
    fail "go build ${module}/cmd/$cmd@${tag} failed: $(grep -m1 -E 'error|cannot|missing|Forbidden|not found' "$build_log" || tail -1 "$build_log")"
  fi
done
rm -rf "$out/bin" && mv "$out/bin.tmp" "$out/bin"
echo "$out/bin"
