// Every example manifest on a real kube-apiserver: the CRDs establish, `kubectl apply` takes every object
// exactly as CONTRIBUTING.md says, the stored objects carry the defaults the library computes, and an
// AgentRuntime scales through its scale subresource with an HPA on it.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { OMNIA_RELEASE } from '../../lib/api';
import { OmniaApiTarget, OmniaSchema } from '../../lib';
import { kubectl, ok } from './control-plane';
import { controlPlane, recordSummary } from './results';

const root = path.join(__dirname, '..', '..');
const info = controlPlane();
let dist: string;
let objects: any[];

const fileOf = (suffix: string) => path.join(dist, fs.readdirSync(dist).find((f) => f.endsWith(suffix))!);

beforeAll(() => {
  // The main command (README, Quick start), into a folder of this run.
  // Inside the control plane's folder, which the teardown removes.
  dist = path.join(fs.mkdtempSync(path.join(info.dir, 'dist-')), 'dist');
  execFileSync('npx', ['cdk8s', 'synth', '--output', dist], { cwd: root, stdio: 'pipe', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
  // The documented-target examples; the release folders (example, enterprise, features) are the operator test's.
  objects = fs.readdirSync(dist, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dist, f), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o);
});

test('dist/ holds only manifests: every file is YAML kubectl can read', () => {
  const files = fs.readdirSync(dist, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dist, path.join(e.parentPath, e.name)));
  expect(fs.readdirSync(dist, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()).toEqual([`omnia-${OMNIA_RELEASE}`, `omnia-${OMNIA_RELEASE}-enterprise`, `omnia-${OMNIA_RELEASE}-features`]);
  expect(files.filter((f) => !/\.k8s\.yaml$/.test(f))).toEqual([]);
  expect(objects.length).toBeGreaterThan(30);
  for (const o of objects) expect(typeof o.kind).toBe('string');
});

test('the CRDs are accepted and become Established', async () => {
  ok(await kubectl(info, ['apply', '-f', fileOf('-omnia-crds.k8s.yaml')]));
  ok(await kubectl(info, ['wait', '--for=condition=Established', '--timeout=60s', '-f', fileOf('-omnia-crds.k8s.yaml')]));
  const crds = JSON.parse(ok(await kubectl(info, ['get', 'crd', '-o', 'json']))).items;
  expect(crds.map((c: any) => c.metadata.name).sort()).toEqual(['agentruntimes.omnia.altairalabs.ai', 'promptpacks.omnia.altairalabs.ai', 'toolregistries.omnia.altairalabs.ai']);
  for (const crd of crds) {
    const conditions = Object.fromEntries(crd.status.conditions.map((c: any) => [c.type, c.status]));
    expect(conditions).toMatchObject({ Established: 'True', NamesAccepted: 'True' });
    expect(conditions.NonStructuralSchema).toBeUndefined();
  }
});

test('kubectl apply --server-side --dry-run=server accepts every object of every example', async () => {
  const namespaces = objects.filter((o) => o.kind === 'Namespace');
  expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(['agents', 'agents-l1', 'omnia-system', 'shop', 'support']);
  ok(await kubectl(info, ['apply', '-f', '-'], { input: namespaces.map((n) => JSON.stringify(n)).join('\n') }));
  const out = await kubectl(info, ['apply', '--server-side', '--dry-run=server', '-f', dist]);
  ok(out);
  expect(out.stdout.trim().split('\n').filter((l) => l.endsWith('serverside-applied (server dry run)'))).toHaveLength(objects.length);
  // A workload that breaks the namespace's Pod Security Standard is admitted with a warning: there is none.
  expect(out.stderr).not.toMatch(/PodSecurity|would violate/);
});

test('kubectl apply -f dist/ creates every object, as CONTRIBUTING.md says', async () => {
  const out = await kubectl(info, ['apply', '-f', dist]);
  ok(out);
  const applied = out.stdout.trim().split('\n').filter((l) => / (created|configured|unchanged)$/.test(l));
  expect(applied).toHaveLength(objects.length);
  expect(out.stderr).not.toMatch(/PodSecurity|would violate/);
  recordSummary('examples', { objectsAccepted: objects.length });
});

test('the API server stores each Omnia object with exactly the defaults the library computes', async () => {
  const omnia = objects.filter((o) => OmniaSchema.isOmniaApiVersion(o.apiVersion));
  expect(omnia.length).toBeGreaterThanOrEqual(8);
  for (const object of omnia) {
    const { kind, metadata } = object;
    const stored = JSON.parse(ok(await kubectl(info, ['get', kind, metadata.name, '-n', metadata.namespace, '-o', 'json'])));
    expect({ kind, name: metadata.name, spec: stored.spec }).toEqual({ kind, name: metadata.name, spec: OmniaSchema.applyDefaultsFor(object, OmniaApiTarget.DOCUMENTED).spec });
  }
});

test('an AgentRuntime scales through its scale subresource, and an HPA targets it', async () => {
  ok(await kubectl(info, ['scale', 'agentruntime/hello-agent', '-n', 'agents', '--replicas=4']));
  const scale = JSON.parse(ok(await kubectl(info, ['get', '--raw', '/apis/omnia.altairalabs.ai/v1alpha1/namespaces/agents/agentruntimes/hello-agent/scale'])));
  expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 4 } });
  expect(ok(await kubectl(info, ['get', 'agentruntime', 'hello-agent', '-n', 'agents', '-o', 'jsonpath={.spec.replicas}']))).toBe('4');

  // The install example autoscales its agent: the HPA was created by the apply above, on the AgentRuntime.
  const hpa = JSON.parse(ok(await kubectl(info, ['get', 'hpa', 'support', '-n', 'support', '-o', 'json'])));
  expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind: 'AgentRuntime', name: 'support' });
  ok(await kubectl(info, ['scale', 'agentruntime/support', '-n', 'support', '--replicas=2']));
  expect(ok(await kubectl(info, ['get', 'agentruntime', 'support', '-n', 'support', '-o', 'jsonpath={.spec.replicas}']))).toBe('2');
});
