import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { releaseInstallCrds } from '../../lib/validation/crds';

const root = path.join(__dirname, '..', '..');

/** `cdk8s synth --format helm` of an example into a new folder (the CLI copies cdk8s.yaml's `imports:` into crds/ first). */
function helmSynth(example: string): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-helm-'));
  execFileSync(path.join(root, 'node_modules', '.bin', 'cdk8s'), [
    'synth', '--app', `npx ts-node --transpile-only --project tsconfig.dev.json ${example}`,
    '--format', 'helm', '--chart-version', '0.1.0', '--output', out, '--no-validate',
  ], { cwd: root, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, stdio: 'pipe' });
  return out;
}

/** The names of the CRDs in crds/, one entry per copy. */
const crdNames = (out: string) => fs.readdirSync(path.join(out, 'crds')).sort()
  .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(out, 'crds', f), 'utf8')).map((d) => d.toJS().metadata.name));

/** The kinds of the objects in templates/, in file order. */
const templateKinds = (out: string) => fs.readdirSync(path.join(out, 'templates')).sort()
  .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(out, 'templates', f), 'utf8')).map((d) => d.toJS()).filter((o) => o).map((o) => o.kind));

test('cdk8s synth --format helm of the install example yields a chart with templates and CRDs', () => {
  const out = helmSynth('examples/helm.ts');
  try {
    const chart = parse(fs.readFileSync(path.join(out, 'Chart.yaml'), 'utf8'));
    expect(chart).toMatchObject({ apiVersion: 'v2', version: '0.1.0', type: 'application' });

    // One copy of each: OmniaCrds' own files replace the CLI's copies of the files under `imports:`.
    expect(crdNames(out)).toEqual(['agentruntimes.omnia.altairalabs.ai', 'promptpacks.omnia.altairalabs.ai', 'toolregistries.omnia.altairalabs.ai']);

    const templates = fs.readdirSync(path.join(out, 'templates')).sort();
    const kinds = templateKinds(out);
    expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'ClusterRole', 'ServiceAccount', 'Deployment', 'Service', 'AgentRuntime', 'PromptPack']));
    // The CRDs travel in crds/ only: Helm installs them before the templates and never twice.
    expect(kinds).not.toContain('CustomResourceDefinition');
    // Templates keep the apply order: the operator before the agents that depend on it.
    expect(templates.findIndex((f) => f.includes('omnia-agents'))).toBeGreaterThan(templates.findIndex((f) => /-omnia\.k8s\.yaml$/.test(f)));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('cdk8s synth --format helm of the release example puts the release\'s CRDs, and only them, in crds/', () => {
  const out = helmSynth('examples/helm-release.ts');
  try {
    // The documented CRDs the CLI copied from `imports:` share names with the release's: none is left.
    const expected = releaseInstallCrds(false).map((c) => c.metadata.name as string).sort();
    expect(expected).toHaveLength(10);
    expect(crdNames(out)).toEqual(expected);
    for (const f of fs.readdirSync(path.join(out, 'crds'))) {
      const crd = parse(fs.readFileSync(path.join(out, 'crds', f), 'utf8'));
      expect(crd).toEqual(releaseInstallCrds(false).find((c) => c.metadata.name === crd.metadata.name));
    }
    const kinds = templateKinds(out);
    expect(kinds).not.toContain('CustomResourceDefinition');
    expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'Deployment', 'AgentRuntime', 'Provider', 'Workspace']));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
