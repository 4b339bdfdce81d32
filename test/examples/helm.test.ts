import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';

const root = path.join(__dirname, '..', '..');

test('cdk8s synth --format helm of the install example yields a chart with templates and CRDs', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-helm-'));
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'cdk8s'), [
      'synth', '--app', 'npx ts-node --project tsconfig.dev.json examples/helm.ts',
      '--format', 'helm', '--chart-version', '0.1.0', '--output', out, '--no-validate',
    ], { cwd: root, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, stdio: 'pipe' });

    const chart = parse(fs.readFileSync(path.join(out, 'Chart.yaml'), 'utf8'));
    expect(chart).toMatchObject({ apiVersion: 'v2', version: '0.1.0', type: 'application' });

    const crds = fs.readdirSync(path.join(out, 'crds')).sort();
    expect(crds).toHaveLength(3);
    const crdNames = crds.map((f) => parse(fs.readFileSync(path.join(out, 'crds', f), 'utf8')).metadata.name);
    expect(crdNames.sort()).toEqual(['agentruntimes.omnia.altairalabs.ai', 'promptpacks.omnia.altairalabs.ai', 'toolregistries.omnia.altairalabs.ai']);

    const templates = fs.readdirSync(path.join(out, 'templates')).sort();
    const kinds = templates.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(out, 'templates', f), 'utf8')).map((d) => d.toJS().kind));
    expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'ClusterRole', 'ServiceAccount', 'Deployment', 'Service', 'AgentRuntime', 'PromptPack']));
    // The CRDs travel in crds/ only: Helm installs them before the templates and never twice.
    expect(kinds).not.toContain('CustomResourceDefinition');
    // Templates keep the apply order: the operator before the agents that depend on it.
    expect(templates.findIndex((f) => f.includes('omnia-agents'))).toBeGreaterThan(templates.findIndex((f) => /-omnia\.k8s\.yaml$/.test(f)));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
