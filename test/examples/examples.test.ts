import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { OmniaApiTarget, OmniaSchema } from '../../lib';
import { addInstallExample } from '../../examples/install';
import { MinimalAgentChart } from '../../examples/minimal-agent';
import { MultiAgentChart } from '../../examples/multi-agent';
import { ProductionAgentChart } from '../../examples/production-agent';
import { ProductionAgentL1Chart } from '../../examples/production-agent-l1';
import { isBuiltIn, validateBuiltIn } from '../k8s-schemas';
import { productionAgent } from '../validation/fixtures';
import { documentedApp } from '../util';

const examples: Array<[string, (app: App) => void]> = [
  ['production-agent-l1', (app) => new ProductionAgentL1Chart(app, 'production-agent-l1')],
  ['production-agent', (app) => new ProductionAgentChart(app, 'production-agent')],
  ['minimal-agent', (app) => new MinimalAgentChart(app, 'minimal-agent')],
  ['multi-agent', (app) => new MultiAgentChart(app, 'multi-agent')],
  ['install', (app) => addInstallExample(app)],
];

describe.each(examples)('example %s', (_name, make) => {
  const app = documentedApp();
  make(app);
  const manifests = app.charts.flatMap((chart: Chart) => Testing.synth(chart));

  test('every built-in object validates against the Kubernetes schemas', () => {
    for (const manifest of manifests.filter(isBuiltIn)) validateBuiltIn(manifest);
  });

  test('matches its snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('every Omnia object passes the CRD schema and adds nothing on defaulting', () => {
    const omnia = manifests.filter((m) => OmniaSchema.isOmniaApiVersion(m.apiVersion));
    expect(omnia.length).toBeGreaterThan(0);
    const autoscaled = new Set(manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name));
    for (const manifest of omnia) {
      expect(OmniaSchema.validateFor(manifest, OmniaApiTarget.DOCUMENTED)).toEqual([]);
      const defaulted = OmniaSchema.applyDefaultsFor(manifest, OmniaApiTarget.DOCUMENTED);
      // An autoscaled agent leaves replicas out on purpose; the API server seeds it with 1.
      if (autoscaled.has(manifest.metadata.name)) {
        expect(defaulted.spec.replicas).toBe(1);
        delete defaulted.spec.replicas;
      }
      expect(defaulted).toEqual(manifest);
    }
  });
});

test('the L2 production example renders the reference AgentRuntime, plus the standard labels', () => {
  const [agent] = Testing.synth(new ProductionAgentChart(documentedApp(), 'production-agent'));
  const { labels, ...metadata } = agent.metadata;
  expect({ ...agent, metadata }).toEqual(productionAgent());
  expect(labels).toEqual({
    'app.kubernetes.io/name': 'agentruntime',
    'app.kubernetes.io/instance': 'production-agent',
    'app.kubernetes.io/part-of': 'omnia',
    'app.kubernetes.io/managed-by': 'cdk8s',
  });
});

test('the multi-agent example shares one registry, one pack from a file and one redis store', () => {
  const manifests = Testing.synth(new MultiAgentChart(documentedApp(), 'multi-agent'));
  const agents = manifests.filter((m) => m.kind === 'AgentRuntime');
  expect(agents).toHaveLength(2);
  for (const agent of agents) {
    expect(agent.spec.toolRegistryRef).toEqual({ name: 'shop-tools' });
    expect(agent.spec.promptPackRef).toEqual({ name: 'customer-service' });
    expect(agent.spec.session.storeRef).toEqual({ name: 'redis-credentials', key: 'url' });
  }
  const configMap = manifests.find((m) => m.kind === 'ConfigMap');
  const file = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'prompts', 'customer-service.json'), 'utf8');
  expect(configMap.data['pack.json']).toBe(file);
});

test('the minimal example is under 25 lines', () => {
  const lines = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'minimal-agent.ts'), 'utf8').trimEnd().split('\n');
  expect(lines.length).toBeLessThan(25);
});

test('the install example applies in order: CRDs, operator, then the agent that depends on it', () => {
  const app = documentedApp();
  const { operator, agents } = addInstallExample(app);
  expect(app.charts.map((c) => c.node.id)).toEqual(['omnia-crds', 'omnia', 'omnia-agents-namespace', 'omnia-agents']);
  expect(agents.node.dependencies).toContain(operator);
  // The Namespace is cluster-scoped: in a chart without a namespace, which the agents' chart depends on too.
  const namespaceChart = app.charts.find((c) => c.node.id === 'omnia-agents-namespace')!;
  expect(agents.node.dependencies).toContain(namespaceChart);
  expect(Testing.synth(namespaceChart)).toEqual([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'support' }, spec: {} }]);
  expect(Testing.synth(agents).map((o) => o.kind)).not.toContain('Namespace');
});

test('the examples show the companions: HPA, disruption budgets and network policies on the agent pods', () => {
  const app = documentedApp();
  addInstallExample(app);
  new MultiAgentChart(app, 'multi-agent');
  const manifests = app.charts.flatMap((chart: Chart) => Testing.synth(chart));
  const kinds = (kind: string) => manifests.filter((m) => m.kind === kind);
  expect(kinds('HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef)).toEqual([{ apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind: 'AgentRuntime', name: 'support' }]);
  const agentPdbs = kinds('PodDisruptionBudget').filter((p) => p.spec.selector.matchLabels['app.kubernetes.io/name'] === 'omnia-agent');
  expect(agentPdbs.map((p) => p.spec.selector.matchLabels['app.kubernetes.io/instance']).sort()).toEqual(['billing-agent', 'support', 'support-agent']);
  const agentPolicies = kinds('NetworkPolicy').filter((p) => p.spec.podSelector.matchLabels['app.kubernetes.io/name'] === 'omnia-agent');
  expect(agentPolicies).toHaveLength(3);
});

describe('the release example', () => {
  const { releaseApp } = require('../../examples/release');
  const { OmniaApiTarget } = require('../../lib');
  const app: App = releaseApp(fs.mkdtempSync(path.join(require('os').tmpdir(), 'omnia-release-')));
  // The CRDs chart is the release's own CRDs, derived at build time: its shape is tested in test/targets.
  const manifests = app.charts.filter((c) => !c.node.id.endsWith('-crds')).flatMap((chart: Chart) => Testing.synth(chart));

  test('every built-in object validates against the Kubernetes schemas', () => {
    for (const manifest of manifests.filter(isBuiltIn)) validateBuiltIn(manifest);
  });

  test('matches its snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('every Omnia object passes the release\'s CRD schemas', () => {
    const omnia = manifests.filter((m) => OmniaSchema.isOmniaApiVersion(m.apiVersion));
    expect(omnia.map((m) => m.kind).sort()).toEqual([
      'AgentPolicy', 'AgentRuntime', 'AgentRuntime', 'AgentRuntime', 'AgentRuntime', 'MemoryPolicy', 'PromptPack', 'PromptPack', 'Provider', 'Provider',
      'SessionRetentionPolicy', 'SkillSource', 'ToolRegistry', 'ToolRegistry', 'Workspace',
    ]);
    for (const manifest of omnia) expect(OmniaSchema.validateFor(manifest, OmniaApiTarget.V0_9_0_BETA_17)).toEqual([]);
  });

  test('its agents can answer: OpenAI-type Providers at the model server, a shared client token, an HTTP order tool, a redis session', () => {
    const { MODEL_SERVER, ORDER_SERVICE } = require('../../examples/release');
    const providers = manifests.filter((m) => m.kind === 'Provider');
    expect(providers.map((p) => [p.metadata.name, p.spec.type, p.spec.baseURL])).toEqual([
      ['platform-llm', 'openai', MODEL_SERVER], ['support-llm', 'openai', MODEL_SERVER],
    ]);
    const agents = Object.fromEntries(manifests.filter((m) => m.kind === 'AgentRuntime').map((a) => [a.metadata.name, a.spec]));
    expect(Object.values(agents).filter((a: any) => a.externalAuth).map((a: any) => a.externalAuth.sharedToken.secretRef.name).sort()).toEqual(['support-client-token', 'triage-client-token', 'triage-client-token']);
    // The one agent without externalAuth is open by the program's choice: the facade's escape hatch says so.
    expect(agents.playground.externalAuth).toBeUndefined();
    expect(agents.playground.facades).toEqual([{ type: 'websocket', port: 8080, extraEnv: [{ name: 'OMNIA_FACADE_ALLOW_UNAUTHENTICATED', value: 'true' }] }]);
    expect(agents.triage.context).toEqual({ type: 'redis', ttl: '1h', storeRef: { name: 'session-store' } });
    const registry = manifests.find((m) => m.kind === 'ToolRegistry');
    expect(registry.spec.handlers).toEqual([expect.objectContaining({ type: 'http', httpConfig: { endpoint: ORDER_SERVICE, method: 'POST' } })]);
    // The release's runtime opens the pack's prompt named "default".
    const pack = JSON.parse(manifests.find((m) => m.kind === 'ConfigMap' && m.data?.['pack.json']).data['pack.json']);
    expect(Object.keys(pack.prompts)).toEqual(['default']);
  });

  test('one Provider serves the agents of two namespaces; one outside the app is named with its namespace', () => {
    const refs = Object.fromEntries(manifests.filter((m) => m.kind === 'AgentRuntime').map((a) => [`${a.metadata.namespace}/${a.metadata.name}`, a.spec.providers]));
    expect(refs).toEqual({
      'release-agents/support': [{ name: 'default', providerRef: { name: 'support-llm' } }],
      'release-triage/triage': [{ name: 'default', providerRef: { name: 'support-llm', namespace: 'release-agents' } }],
      'release-triage/escalation': [{ name: 'default', providerRef: { name: 'platform-llm', namespace: 'omnia-system' } }],
      'release-triage/playground': [{ name: 'default', providerRef: { name: 'support-llm', namespace: 'release-agents' } }],
    });
    // Each agent in another namespace than its Provider may read it and its Secret there, and nothing else.
    const roles = manifests.filter((m) => m.kind === 'Role' && m.metadata.name.endsWith('-provider'));
    expect(roles.map((r) => [r.metadata.namespace, r.metadata.name, r.rules])).toEqual([
      ['release-agents', 'release-triage-triage-provider', [
        { apiGroups: ['omnia.altairalabs.ai'], resources: ['providers'], resourceNames: ['support-llm'], verbs: ['get'] },
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['provider-credentials'], verbs: ['get'] },
      ]],
      ['omnia-system', 'release-triage-escalation-provider', [
        { apiGroups: ['omnia.altairalabs.ai'], resources: ['providers'], resourceNames: ['platform-llm'], verbs: ['get'] },
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['platform-credentials'], verbs: ['get'] },
      ]],
      ['release-agents', 'release-triage-playground-provider', [
        { apiGroups: ['omnia.altairalabs.ai'], resources: ['providers'], resourceNames: ['support-llm'], verbs: ['get'] },
        { apiGroups: [''], resources: ['secrets'], resourceNames: ['provider-credentials'], verbs: ['get'] },
      ]],
    ]);
    const bindings = manifests.filter((m) => m.kind === 'RoleBinding' && m.metadata.name.endsWith('-provider'));
    expect(bindings.map((b) => [b.metadata.namespace, b.roleRef.name, b.subjects])).toEqual([
      ['release-agents', 'release-triage-triage-provider', [{ apiGroup: '', kind: 'ServiceAccount', name: 'triage-facade', namespace: 'release-triage' }]],
      ['omnia-system', 'release-triage-escalation-provider', [{ apiGroup: '', kind: 'ServiceAccount', name: 'escalation-facade', namespace: 'release-triage' }]],
      ['release-agents', 'release-triage-playground-provider', [{ apiGroup: '', kind: 'ServiceAccount', name: 'playground-facade', namespace: 'release-triage' }]],
    ]);
  });
});

describe('the enterprise example', () => {
  const { enterpriseApp } = require('../../examples/release-enterprise');
  const { releaseApp } = require('../../examples/release');
  const { OmniaApiTarget } = require('../../lib');
  const { releaseCrds } = require('../../lib/validation/crds');
  const tmp = () => fs.mkdtempSync(path.join(require('os').tmpdir(), 'omnia-release-'));
  const omniaOf = (app: App) => app.charts.filter((c) => !c.node.id.endsWith('-crds')).flatMap((chart: Chart) => Testing.synth(chart))
    .filter((m) => OmniaSchema.isOmniaApiVersion(m.apiVersion));
  const enterprise = omniaOf(enterpriseApp(tmp()));

  test('holds one object of each enterprise kind and a ToolPolicy, each valid for the release', () => {
    expect(enterprise.map((m) => m.kind).sort()).toEqual(['ArenaDevSession', 'ArenaJob', 'ArenaSource', 'ArenaTemplateSource', 'RolloutAnalysis', 'SessionPrivacyPolicy', 'ToolPolicy']);
    for (const manifest of enterprise) expect(OmniaSchema.validateFor(manifest, OmniaApiTarget.V0_9_0_BETA_17)).toEqual([]);
  });

  test('with the release example, every one of the release\'s 16 kinds is synthesized', () => {
    const kinds = new Set([...omniaOf(releaseApp(tmp())), ...enterprise].map((m) => m.kind));
    expect([...kinds].sort()).toEqual(releaseCrds().map((c: any) => c.spec.names.kind).sort());
    expect(kinds.size).toBe(16);
  });
});
