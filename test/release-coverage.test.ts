import * as kplus from 'cdk8s-plus-28';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { AgentRuntime, PromptPack, Provider, ProviderCredential, ProviderType, release, SecretKey } from '../lib';
import { releaseCrds } from '../lib/validation/crds';
import { embeddedType, leafPaths, measure, report, writtenPaths } from '../scripts/release-coverage';

const spec = (kind: string) => releaseCrds().find((c) => c.spec.names.kind === kind)!.spec.versions[0].schema.openAPIV3Schema.properties.spec;

test('an embedded Kubernetes type is one leaf; a struct of the CRD is walked to its leaves', () => {
  const leaves = leafPaths(spec('AgentRuntime'), 'spec');
  expect(leaves.get('spec.runtime.affinity')).toBe('Affinity');
  expect(leaves.get('spec.runtime.volumes[]')).toBe('Volume');
  expect(leaves.get('spec.runtime.tolerations[]')).toBe('Toleration');
  expect(leaves.get('spec.podOverrides.extraEnv[]')).toBe('EnvVar');
  expect([...leaves.keys()].filter((l) => l.startsWith('spec.runtime.affinity.') || l.startsWith('spec.runtime.volumes[].'))).toEqual([]);
  // A struct that is not a Kubernetes type is counted field by field.
  expect(leaves.has('spec.rollout.trafficRouting')).toBe(false);
  expect([...leaves.keys()].filter((l) => l.startsWith('spec.externalAuth.oidc.')).length).toBeGreaterThan(1);
  expect(embeddedType({ properties: { name: {}, providerRef: {} } })).toBeUndefined();
});

function agentApp(outdir: string, patch?: JsonPatch): App[] {
  const app = Testing.app({ outdir });
  const chart = new Chart(app, 'agents', { namespace: 'agents' });
  const provider = new Provider(chart, 'Provider', {
    metadata: { name: 'llm' },
    type: ProviderType.OPENAI,
    model: 'gpt-4o',
    credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(chart, 'S', 'llm'), 'api-key')),
  });
  const agent = new AgentRuntime(chart, 'Agent', { metadata: { name: 'agent' }, provider, promptPack: PromptPack.fromName(chart, 'Pack', 'pack') });
  if (patch) (agent.node.findChild('Resource') as ApiObject).addJsonPatch(patch);
  // An L1 object of a counted kind does not count: it is not typed by an L2 prop.
  new release.AgentRuntime(chart, 'Raw', { metadata: { name: 'raw' }, spec: { facades: [{ type: release.AgentRuntimeSpecFacadesType.WEBSOCKET }], promptPackRef: { name: 'pack' }, providers: [{ name: 'x', providerRef: { name: 'llm' } }], serviceGroup: 'raw' } });
  return [app];
}

test('what an L2 object writes counts, and an L1 object of the same kind does not', () => {
  const coverage = measure((outdir) => agentApp(outdir));
  const agent = coverage.kinds.find((k) => k.kind === 'AgentRuntime')!;
  expect(agent.written).toEqual(expect.arrayContaining(['spec.facades[].type', 'spec.facades[].port', 'spec.providers[].name', 'spec.providers[].providerRef.name', 'spec.promptPackRef.name', 'spec.runtime.replicas']));
  expect(agent.written).not.toContain('spec.serviceGroup');
  expect(agent.written.every((l) => agent.leaves.includes(l))).toBe(true);
  expect(coverage.typedKinds).toEqual(coverage.releaseKinds);
  expect(coverage.releaseKinds).toHaveLength(16);
  const lines = report(coverage, true);
  const typed = coverage.kinds.reduce((n, k) => n + k.written.length, 0);
  const total = coverage.kinds.reduce((n, k) => n + k.leaves.length, 0);
  expect(lines[0]).toBe(`release coverage: L2 ${typed}/${total} leaf fields (${Math.round((1000 * typed) / total) / 10}%) in AgentRuntime, Provider, PromptPack, ToolRegistry; typed L1 16/16 kinds`);
  expect(lines).toContain('  untyped: AgentRuntime spec.serviceGroup');
});

test('a JSON patch on a counted object is refused: the count is of typed props', () => {
  expect(() => measure((outdir) => agentApp(outdir, JsonPatch.add('/spec/serviceGroup', 'patched'))))
    .toThrow('agents/Agent/Resource: a JSON patch on an object the coverage counts: write it with typed props');
});

test('a value is walked along its schema: lists of structs per field, maps and lists of scalars as one leaf', () => {
  const schema = { type: 'object', properties: { list: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } } }, tags: { type: 'array', items: { type: 'string' } }, labels: { type: 'object', additionalProperties: { type: 'string' } } } };
  expect([...writtenPaths(schema, { list: [{ a: 'x' }], tags: ['t'], labels: { k: 'v' } }, 'spec')].sort()).toEqual(['spec.labels', 'spec.list[].a', 'spec.tags[]']);
  expect([...leafPaths(schema, 'spec').keys()].sort()).toEqual(['spec.labels', 'spec.list[].a', 'spec.list[].b', 'spec.tags[]']);
});
