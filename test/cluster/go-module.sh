# Sourced by the build scripts of this folder (build-operator.sh, build-agent.sh): reading the pinned release
# from lib/api.ts and what `go mod download -json` says of a module. Needs $root, the repository's folder.

# A string constant of lib/api.ts.
from_api() { sed -n "s/^export const $1 = '\(.*\)';$/\1/p" "$root/lib/api.ts"; }

# One string field of `go mod download -json` output, read from stdin, on one line.
json_field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",*$/\1/p" | head -1 | sed 's/\\n\\t/ /g; s/\\n/ /g'; }

# `go mod download -json MODULE@VERSION`: its JSON, which carries an "Error" field (on stdout) when it fails.
download() {
  local json
  json="$(go mod download -json "$1" 2>/dev/null)" || true
  printf '%s\n' "$json"
}
