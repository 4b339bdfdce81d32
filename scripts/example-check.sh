# Sourced by scripts/check-<language>-example.sh, which set $lang (the language, for messages): makes $work (a
# temporary folder, removed on exit) and gives running a command with its output kept, synthesizing the
# TypeScript production agent, and comparing a language's manifest with it byte for byte.

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Runs a command with its output in a log; on failure prints the command, its output and exits.
run() {
  if ! "$@" >"$work/log" 2>&1; then
    echo "$lang: '$*' failed:" >&2
    grep -v '^!!' "$work/log" >&2
    exit 1
  fi
}

# Fails with a clear message when a tool the check needs is not on PATH.
need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$lang: $tool not found on PATH" >&2; exit 1; }
  done
}

# Checks that $1 (the manifest the language's example wrote) equals the TypeScript example's; prints a
# unified diff when not.
compare_with_typescript() {
  OUTDIR="$work/typescript" run npx ts-node --transpile-only --project tsconfig.dev.json -e "
import { App } from 'cdk8s';
import { OmniaApiTarget, OmniaTarget } from './lib';
import { ProductionAgentChart } from './examples/production-agent';
const app = new App({ outdir: process.env.OUTDIR });
OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED); // as examples/main.ts does
new ProductionAgentChart(app, 'production-agent');
app.synth();
"
  local mine="$1" ts="$work/typescript/production-agent.k8s.yaml" f
  for f in "$mine" "$ts"; do
    [ -f "$f" ] || { echo "$lang: no $(basename "$f") written; got: $(ls -R "$(dirname "$f")" 2>&1)" >&2; exit 1; }
  done
  if ! cmp -s "$mine" "$ts"; then
    echo "$lang: production agent manifest differs from the TypeScript example (--- TypeScript, +++ $lang):" >&2
    diff -u --label typescript "$ts" --label "$lang" "$mine" >&2 || true
    exit 1
  fi
  echo "$lang: production agent manifest identical to the TypeScript example ($(wc -c <"$mine") bytes)"
}
