#!/usr/bin/env bash
# Builds the packages (scripts/build-packages.sh), then compiles and runs examples/java/ with Maven against the
# cdk8s-omnia jar, and checks that its manifest equals, byte for byte, the one the TypeScript example
# (examples/production-agent.ts) synthesizes. The pom is the one a user writes; this check gives Maven, in a
# settings file of its own, the two local repositories it needs: dist-packages/java/ (cdk8s-omnia) and the
# cdk8s and cdk8s-plus-28 jars of scripts/build-bindings.sh (Maven Central lacks them at the pinned versions).
# The rest (constructs, the jsii runtime, the plugins) comes from Maven Central into .cache/maven-repo/;
# build-packages.sh drops from there the copies of what is built here.
set -euo pipefail
cd "$(dirname "$0")/.."

lang=java
. scripts/example-check.sh
need mvn java node

bash scripts/build-packages.sh
bindings="$(bash scripts/build-bindings.sh)"

cat >"$work/settings.xml" <<XML
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <profiles>
    <profile>
      <id>local-packages</id>
      <repositories>
        <repository><id>cdk8s-omnia-local</id><url>file://$PWD/dist-packages/java</url></repository>
        <repository><id>jsii-bindings-local</id><url>file://$PWD/$bindings/java</url></repository>
      </repositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>local-packages</activeProfile></activeProfiles>
</settings>
XML
cp -r examples/java "$work/project"
run mvn --batch-mode --no-transfer-progress --settings "$work/settings.xml" -Dmaven.repo.local="$PWD/.cache/maven-repo" \
  -f "$work/project/pom.xml" compile exec:java -Dexec.args="$work/java"

compare_with_typescript "$work/java/production-agent.k8s.yaml"
