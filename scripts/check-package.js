// CI's packaging check: the npm package holds only what runs (compiled JavaScript, its declarations, the CRDs
// and their derived files, the jsii assembly, docs and licenses: no TypeScript sources, tests, source maps or
// node_modules), and, installed with npm into an empty project beside its peer dependencies only, it
// type-checks under `tsc --strict` (declarations complete without its build-time packages) and synthesizes an
// agent that its own checks accept. Prints the package's size and file count.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { installedCopy } = require('../bench/installed');

const root = path.join(__dirname, '..');
execFileSync(process.execPath, [path.join(__dirname, 'ensure-built.js')], { stdio: 'inherit' });
const fail = (message) => { console.error(`package: ${message}`); process.exit(1); };

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
const ALLOWED = [
  /^lib\/.*\.(js|d\.ts)$/, /^lib\/crds\/[^/]+\.(yaml|json)$/, /^lib\/release\/[^/]+\/[^/]+\.json$/,
  /^lib\/third-party\/LICENSES\.txt$/, /^imports\/(release\/)?[^/]+\.(js|d\.ts)$/,
  /^(\.jsii|API\.md|README\.md|LICENSE|NOTICE|package\.json)$/,
];
const stray = pack.files.map((f) => f.path).filter((p) => !ALLOWED.some((re) => re.test(p)) || /(^|\/)(node_modules|test)\//.test(p));
if (stray.length) fail(`files that do not run at run time are packed:\n  ${stray.join('\n  ')}`);

const dir = installedCopy();
try {
  const program = `
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentRuntime, PromptPack, Provider, ProviderCredential, ProviderType, release, SecretKey, validateManifests,
} from 'cdk8s-omnia';

const app = new App({ outdir: 'out' });
const chart = new Chart(app, 'agents', { namespace: 'agents' });
const key = kplus.Secret.fromSecretName(chart, 'Key', 'anthropic-credentials');
const provider = new Provider(chart, 'Claude', {
  metadata: { name: 'claude' },
  type: ProviderType.CLAUDE,
  model: 'claude-sonnet-4',
  credential: ProviderCredential.fromSecretKey(SecretKey.of(key, 'api-key')),
});
const agent = new AgentRuntime(chart, 'Agent', {
  metadata: { name: 'hello-agent' },
  provider,
  promptPack: PromptPack.fromName(chart, 'Prompts', 'hello-prompts'),
});
// A class of the release submodule, generated at build time: shipped compiled.
new release.Workspace(chart, 'Workspace', { metadata: { name: 'hello' }, spec: { displayName: 'Hello', namespace: { name: 'agents' } } });
const manifests = chart.toJson();
const findings = validateManifests(manifests, { references: false });
if (findings.length > 0 || agent.name !== 'hello-agent') throw new Error(JSON.stringify(findings));
app.synth();
`;
  fs.writeFileSync(path.join(dir, 'app.ts'), program);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, skipLibCheck: false, module: 'commonjs', target: 'es2020', types: [], outDir: '.', rootDir: '.' },
    files: ['app.ts'],
  }));
  try {
    execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', dir], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
    execFileSync(process.execPath, ['app.js'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    fail(`the installed package failed in an empty project (${dir}):\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
  const written = fs.readFileSync(path.join(dir, 'out', 'agents.k8s.yaml'), 'utf8');
  for (const kind of ['AgentRuntime', 'Provider', 'Workspace']) {
    if (!new RegExp(`^kind: ${kind}$`, 'm').test(written)) fail(`the installed package wrote no ${kind}:\n${written}`);
  }
  const installed = fs.readdirSync(path.join(dir, 'node_modules')).filter((n) => !n.startsWith('.'));
  console.log(`package: ${pack.entryCount} files, ${(pack.unpackedSize / 2 ** 20).toFixed(1)} MiB unpacked (${(pack.size / 2 ** 20).toFixed(1)} MiB packed); ` +
    `installed beside its peers only (${installed.length} packages in node_modules), it type-checks strictly and synthesizes a checked agent, its Provider and a Workspace of the release submodule`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
