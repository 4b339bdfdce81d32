// The release example as a Helm chart, installed as a user would: `cdk8s synth --format helm` of
// examples/helm-release.ts, then `helm install` (Helm built from its Go module by scripts/build-helm.sh) on a
// fresh kube-apiserver of its own. Helm installs the chart's crds/ first and waits for them, then every
// template together: the release's CRDs must become Established and every object of the chart be created.
// Then the program changes (the support agent's replicas), is synthesized again, and `helm upgrade` applies it.
// No operator runs here (operator.cluster.ts runs it on the same objects applied with kubectl).
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { unescapeHelmJson } from '../../lib/core/helm';
import { ControlPlaneInfo, kubectl, ok, RunResult, startControlPlane, stopControlPlane } from './control-plane';
import { controlPlaneBinDir } from './operator';
import { controlPlane, recordSummary } from './results';

const root = path.join(__dirname, '..', '..');
const shared = controlPlane();
const RELEASE = 'omnia';
const NAMESPACE = 'default';

let info: ControlPlaneInfo;
let helmBin: string;
let work: string;
/** The chart as first synthesized, and after the change. */
let chart: string;
let changed: string;
let crdsEstablished = 0;
let created = 0;
let upgraded = false;

/** Runs a command; never throws on a non-zero exit. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Helm against the test's control plane, its caches and settings in the control plane's folder. */
async function helm(args: string[]): Promise<string> {
  const r = await run(helmBin, args, {
    KUBECONFIG: info.kubeconfig,
    HELM_CACHE_HOME: path.join(info.dir, 'helm', 'cache'),
    HELM_CONFIG_HOME: path.join(info.dir, 'helm', 'config'),
    HELM_DATA_HOME: path.join(info.dir, 'helm', 'data'),
  });
  if (r.code !== 0) throw new Error(`helm ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** `cdk8s synth --format helm` of the release's Helm example into `out`, as its header says. */
async function synthChart(out: string, ...appArgs: string[]): Promise<string> {
  const app = ['npx ts-node --transpile-only --project tsconfig.dev.json examples/helm-release.ts', ...appArgs].join(' ');
  const r = await run('npx', ['cdk8s', 'synth', '--app', app, '--format', 'helm', '--chart-version', '0.1.0', '--output', out], { CDK8S_CHECK_UPGRADE: 'false' });
  if (r.code !== 0) throw new Error(`cdk8s synth --format helm of examples/helm-release.ts failed:\n${r.stderr}\n${r.stdout}`);
  return out;
}

/** The objects of the YAML files of a folder, at any depth. */
function objectsIn(dir: string): any[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort()
    .filter((f) => f.endsWith('.yaml') && fs.statSync(path.join(dir, f)).isFile())
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o);
}

/** The objects of a chart's templates, as Helm renders them (the `{{` escapes undone: the templates hold nothing else). */
const templateObjects = (dir: string) => objectsIn(path.join(dir, 'templates')).map(unescapeHelmJson);

const identity = (o: any) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
/** Keys sorted at every depth: the same object is the same string whatever the key order. */
const canonical = (v: any) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x)
  ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));

/** What the API server holds of each of `objects` (`kubectl get -f`: it fails if one is missing). */
async function stored(objects: any[]): Promise<any[]> {
  const out = ok(await kubectl(info, ['get', '-f', '-', '-o', 'json'], { input: objects.map((o) => JSON.stringify(o)).join('\n') }));
  const parsed = JSON.parse(out);
  return parsed.kind === 'List' ? parsed.items : [parsed];
}

beforeAll(async () => {
  // A control plane of its own: the release's CRDs share names with the documented ones examples.cluster.ts applies.
  info = await startControlPlane(controlPlaneBinDir(shared));
  try {
    helmBin = execFileSync('bash', [path.join(root, 'scripts', 'build-helm.sh')], { stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim();
  } catch {
    throw new Error('helm: scripts/build-helm.sh could not build Helm (see the lines above)');
  }
  work = fs.mkdtempSync(path.join(info.dir, 'helm-'));
  [chart, changed] = await Promise.all([
    synthChart(path.join(work, 'chart')),
    synthChart(path.join(work, 'chart-changed'), '--support-replicas=3'),
  ]);
}, 600_000);

afterAll(() => {
  // Counted before the control plane's folder, which holds the charts, goes.
  const objects = chart ? templateObjects(chart).length + objectsIn(path.join(chart, 'crds')).length : 0;
  if (info) stopControlPlane(info);
  const line = created === objects && objects > 0
    ? `helm install: ${created} objects of the release example created; ${upgraded ? 'upgrade ok' : 'upgrade FAILED'}`
    : `helm install: FAILED, ${created} of ${objects} objects of the release example created`;
  recordSummary('helm', { line, detail: `helm chart of the release example: ${crdsEstablished} CRDs Established from crds/, ${created - crdsEstablished} objects from templates/ (${helmBin ? path.relative(root, helmBin) : 'no Helm'})` });
});

test('the chart holds the release\'s CRDs in crds/, once each, and none in templates/', () => {
  const crds = objectsIn(path.join(chart, 'crds'));
  expect(crds.length).toBe(10);
  expect(crds.every((c) => c.kind === 'CustomResourceDefinition')).toBe(true);
  expect(new Set(crds.map((c) => c.metadata.name)).size).toBe(crds.length);
  expect(templateObjects(chart).filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
});

test('helm install on a fresh cluster: the release\'s CRDs become Established and every object of the chart is created', async () => {
  // Nothing of Omnia's is known to the API server before the install.
  expect(JSON.parse(ok(await kubectl(info, ['get', 'crd', '-o', 'json']))).items).toEqual([]);
  await helm(['install', RELEASE, chart, '--namespace', NAMESPACE]);
  expect(await helm(['status', RELEASE, '--namespace', NAMESPACE, '-o', 'json'])).toMatch(/"status":\s*"deployed"/);

  const crds = objectsIn(path.join(chart, 'crds'));
  ok(await kubectl(info, ['wait', '--for=condition=Established', '--timeout=60s', ...crds.map((c) => `crd/${c.metadata.name}`)]));
  for (const crd of await stored(crds)) {
    const conditions = Object.fromEntries(crd.status.conditions.map((c: any) => [c.type, c.status]));
    expect({ name: crd.metadata.name, ...conditions }).toMatchObject({ name: crd.metadata.name, Established: 'True', NamesAccepted: 'True' });
  }
  crdsEstablished = crds.length;

  // What Helm installed is exactly the chart's templates, and the API server holds each object.
  const objects = templateObjects(chart);
  const manifest = parseAllDocuments(await helm(['get', 'manifest', RELEASE, '--namespace', NAMESPACE])).map((d) => d.toJS()).filter((o) => o);
  expect(manifest.map(canonical).sort()).toEqual(objects.map(canonical).sort());
  const held = await stored(objects);
  expect(held.map(identity).sort()).toEqual(objects.map(identity).sort());
  // Each one is the release's: Helm marks what it creates.
  expect(held.filter((o) => o.metadata.annotations?.['meta.helm.sh/release-name'] === RELEASE)).toHaveLength(objects.length);
  expect(held.map((o) => o.kind)).toEqual(expect.arrayContaining(['Namespace', 'Deployment', 'AgentRuntime', 'Provider', 'PromptPack', 'ToolRegistry', 'Workspace']));
  // A prompt template's `{{` reached the API server as written, not as Helm's escape.
  const packs = held.filter((o) => o.kind === 'ConfigMap' && JSON.stringify(o.data ?? {}).includes('{{'));
  expect(packs.length).toBeGreaterThan(0);
  for (const p of packs) expect(JSON.stringify(p.data)).not.toContain('{{`{{`}}');
  created = crds.length + held.length;
});

test('helm upgrade after a change of the program: the agent\'s new replicas are stored, every object is still there', async () => {
  const support = (objects: any[]) => objects.find((o) => o.kind === 'AgentRuntime' && o.metadata.name === 'support');
  expect(support(templateObjects(chart)).spec.runtime.replicas).toBe(2);
  expect(support(templateObjects(changed)).spec.runtime.replicas).toBe(3);
  // Only that object differs between the two charts.
  const differing = templateObjects(changed).filter((o) => !templateObjects(chart).map(canonical).includes(canonical(o)));
  expect(differing.map(identity)).toEqual(['AgentRuntime release-agents/support']);

  await helm(['upgrade', RELEASE, changed, '--namespace', NAMESPACE]);
  const history = JSON.parse(await helm(['history', RELEASE, '--namespace', NAMESPACE, '-o', 'json']));
  expect(history.map((h: any) => [h.revision, h.status])).toEqual([[1, 'superseded'], [2, 'deployed']]);
  const held = await stored(templateObjects(changed));
  expect(held).toHaveLength(templateObjects(changed).length);
  expect(support(held).spec.runtime.replicas).toBe(3);
  upgraded = true;
});
