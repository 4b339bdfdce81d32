#!/usr/bin/env bash
# Builds, with jsii-pacmak, the Java and Go bindings of cdk8s and cdk8s-plus-28 that the registries reached
# here do not serve at the versions package.json pins, from the npm packages in node_modules (each carries its
# jsii assembly), into .cache/jsii-bindings-<key>/ (gitignored), keyed by the pinned versions and the tools.
# Prints that folder: java/ is a Maven repository (org/cdk8s/cdk8s/<version>/...), go/cdk8s and
# go/cdk8splus28 are Go module folders. On failure: the command that failed and its output.
#
# Why these and no others (see docs/other-languages.md): Maven Central serves org.cdk8s:cdk8s only up to
# 2.70.47 (the pin is 2.70.106) and no org.cdk8s:cdk8s-plus-28; the Go module proxy refuses
# github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2, and the cdk8s-plus-go v2.5.6 it serves does not compile
# against constructs-go v10.8.1 (its proxies embed two `With` methods, added to IConstruct after it was
# generated). constructs, the jsii runtime and everything else come from Maven Central and the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in node go mvn javac; do
  command -v "$tool" >/dev/null || { echo "bindings: $tool not found on PATH (needed to build the Java and Go bindings)" >&2; exit 1; }
done

version() { node -p "require('./node_modules/$1/package.json').version"; }
key="$({
  for p in jsii-pacmak cdk8s cdk8s-plus-28 constructs; do echo "$p $(version "$p")"; done
  go version; javac -version 2>&1; mvn -v 2>&1 | awk "NR == 1"
} | sha256sum | cut -c1-16)"
out=".cache/jsii-bindings-$key"
if [ -f "$out/.complete" ]; then
  echo "$out"
  exit 0
fi

rm -rf "$out"
mkdir -p .cache
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# The Maven repository of .cache/maven-repo holds what Maven Central serves (plugins, jsii-runtime,
# constructs); the Javadoc of upstream packages is not needed to compile against them.
cmd=(npx jsii-pacmak --targets java,go --outdir "$out" --no-npmignore --maven-local-repository .cache/maven-repo
  node_modules/cdk8s node_modules/cdk8s-plus-28)
if ! MAVEN_OPTS="${MAVEN_OPTS:-} -Dmaven.javadoc.skip=true" "${cmd[@]}" >"$log" 2>&1; then
  echo "bindings: '${cmd[*]}' failed:" >&2
  grep -v '^!!' "$log" >&2
  exit 1
fi
for f in "java/org/cdk8s/cdk8s/$(version cdk8s)" "java/org/cdk8s/cdk8s-plus-28/$(version cdk8s-plus-28)" \
  go/cdk8s/go.mod go/cdk8splus28/go.mod; do
  [ -e "$out/$f" ] || { echo "bindings: '${cmd[*]}' succeeded but wrote no $out/$f" >&2; exit 1; }
done
touch "$out/.complete"
echo "$out"
