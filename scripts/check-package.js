// CI's packaging check: the npm package holds only what runs (compiled JavaScript, its declarations, the CRDs
// and their derived files, the jsii assembly, docs and licenses: no TypeScript sources, tests, source maps or
// node_modules); its package.json has no script npm runs at install (`prepare` builds the repository, with Go:
// `prepack` writes the shipped package.json without scripts, for `npm pack` and `npm publish` alike, and
// `postpack` puts the repository's back); installed with npm into an empty project beside its peer
// dependencies only, with install scripts allowed and no Go on the PATH, npm runs nothing and the installed
// files are the packed ones; and there it type-checks under `tsc --strict` (declarations complete without its
// build-time packages) and synthesizes an agent that its own checks accept. Prints the package's size and file
// count.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { installInto, packInto } = require('../bench/installed');
const { INSTALL_SCRIPTS, shippedManifest } = require('./pack-manifest');

const root = path.join(__dirname, '..');
execFileSync(process.execPath, [path.join(__dirname, 'ensure-built.js')], { stdio: 'inherit' });
const fail = (message) => { console.error(`package: ${message}`); process.exit(1); };

const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
const ALLOWED = [
  /^lib\/.*\.(js|d\.ts)$/, /^lib\/crds\/[^/]+\.(yaml|json)$/, /^lib\/release\/[^/]+\/[^/]+\.json$/,
  /^lib\/third-party\/LICENSES\.txt$/, /^imports\/[^/]+\.(js|d\.ts)$/,
  /^(\.jsii|API\.md|README\.md|LICENSE|NOTICE|package\.json)$/,
];
const stray = pack.files.map((f) => f.path).filter((p) => !ALLOWED.some((re) => re.test(p)) || /(^|\/)(node_modules|test)\//.test(p));
if (stray.length) fail(`files that do not run at run time are packed:\n  ${stray.join('\n  ')}`);

/** The package.json of the repository, as bytes: packing must leave it as it was. */
const manifestText = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-installed-'));
const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-no-go-'));
try {
  const tarball = packInto(dir);
  if (fs.readFileSync(path.join(root, 'package.json'), 'utf8') !== manifestText) fail('`npm pack` left package.json changed: postpack did not restore it');
  if (fs.existsSync(path.join(root, '.cache', 'package.json.repository'))) fail('`npm pack` left .cache/package.json.repository behind');
  const shipped = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
  const installScripts = INSTALL_SCRIPTS.filter((s) => shipped.scripts?.[s] !== undefined);
  if (installScripts.length) fail(`the packed package.json has scripts npm runs at install: ${installScripts.join(', ')}`);
  if (JSON.stringify(shipped) !== JSON.stringify(shippedManifest(JSON.parse(manifestText)))) {
    fail(`the packed package.json is not the repository's without scripts:\n${JSON.stringify(shipped, null, 2)}`);
  }
  // `npm publish` packs through prepack and postpack too: the tarball it would upload is this one.
  const packed = execFileSync('sha1sum', [tarball], { encoding: 'utf8' }).split(' ')[0];
  const publish = spawnSync('npm', ['publish', '--dry-run', '--json', '--force'], { cwd: root, encoding: 'utf8' });
  const published = publish.status === 0 ? JSON.parse(publish.stdout)['cdk8s-omnia']?.shasum : undefined;
  if (published !== packed) fail(`\`npm publish --dry-run\` would upload another tarball (${published ?? `exit ${publish.status}: ${publish.stderr}`}) than \`npm pack\` writes (${packed})`);

  // The install, with npm's default of running install scripts, and no Go: node and npm from a folder of their own,
  // and the folders of the PATH that hold no `go`.
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d);
  const npm = pathDirs.map((d) => path.join(d, 'npm')).find((f) => fs.existsSync(f));
  if (!npm) fail('npm is not on the PATH');
  fs.symlinkSync(fs.realpathSync(npm), path.join(bin, 'npm'));
  const env = { ...process.env, npm_config_ignore_scripts: 'false', PATH: [bin, ...pathDirs.filter((d) => !fs.existsSync(path.join(d, 'go')))].join(path.delimiter) };
  if (spawnSync('go', ['version'], { env }).error?.code !== 'ENOENT') fail('go is still on the PATH of the install');
  const output = installInto(dir, tarball, env);
  if (/install-scripts|> cdk8s-omnia@/.test(output)) fail(`npm ran, or flagged, an install script of the package:\n${output}`);
  const packedFiles = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
  const installedDir = path.join(dir, 'node_modules', 'cdk8s-omnia');
  const installedFiles = fs.readdirSync(installedDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile()).map((e) => path.relative(installedDir, path.join(e.parentPath ?? e.path, e.name))).sort();
  const added = installedFiles.filter((f) => !packedFiles.includes(f));
  if (added.length || installedFiles.length !== packedFiles.length) fail(`the install wrote files the package does not hold (a build?): ${added.join(', ') || `${installedFiles.length} files for ${packedFiles.length} packed`}`);

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
    'its package.json has no install script (npm pack and npm publish ship the same tarball); ' +
    `installed beside its peers only (${installed.length} packages in node_modules) without Go, npm ran nothing, and it type-checks strictly and synthesizes a checked agent, its Provider and a Workspace of the release submodule`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(bin, { recursive: true, force: true });
}
