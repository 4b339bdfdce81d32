import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentFramework, AgentRuntime, AgentRuntimeProps, MemoryRetrievalStrategy, OmniaOperator, OmniaSchema, PrivacyPolicyRef, PromptPack, Provider,
  ProviderCapability, ProviderCredential, ProviderRole, ProviderType, release, RollbackMode, RolloutStep, SecretKey, ToolRegistry, TrafficRouting,
} from '../../lib';
import { newChart } from '../util';

function releaseChart(namespace = 'agents'): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

function llm(chart: Chart, id = 'Llm', extra: any = {}): Provider {
  const key = SecretKey.of(kplus.Secret.fromSecretName(chart, `${id}Key`, 'llm-key'), 'api-key');
  return new Provider(chart, id, { metadata: { name: id.toLowerCase() }, type: ProviderType.OPENAI, model: 'gpt-4o', credential: ProviderCredential.fromSecretKey(key), ...extra });
}

function embeddings(chart: Chart, extra: any = {}): Provider {
  const key = SecretKey.of(kplus.Secret.fromSecretName(chart, 'EmbKey', 'emb-key'), 'api-key');
  return new Provider(chart, 'Embeddings', {
    metadata: { name: 'embeddings', ...extra.metadata }, type: ProviderType.VOYAGEAI, model: 'voyage-3', credential: ProviderCredential.fromSecretKey(key), ...extra.props,
  });
}

function agent(chart: Chart, extra: Partial<AgentRuntimeProps> = {}): AgentRuntime {
  return new AgentRuntime(chart, 'Agent', {
    metadata: { name: 'support' }, provider: extra.provider ?? llm(chart), promptPack: extra.promptPack ?? PromptPack.fromName(chart, 'Pack', 'prompts'), ...extra,
  });
}

const specOf = (chart: Chart) => Testing.synth(chart).find((o) => o.kind === 'AgentRuntime').spec;

describe('additional providers', () => {
  test('render after the default entry, with the role of the Provider and the required capabilities', () => {
    const chart = releaseChart();
    const judge = llm(chart, 'Judge', { capabilities: [ProviderCapability.TEXT, ProviderCapability.JSON] });
    agent(chart, {
      additionalProviders: [
        { name: 'embeddings', provider: embeddings(chart) },
        { name: 'judge', provider: judge, requiredCapabilities: [ProviderCapability.JSON] },
        { name: 'speech', provider: Provider.fromProviderName(chart, 'Tts', 'voice', { namespace: 'shared' }), role: ProviderRole.TTS },
      ],
    });
    expect(specOf(chart).providers).toEqual([
      { name: 'default', providerRef: { name: 'llm' } },
      { name: 'embeddings', providerRef: { name: 'embeddings' }, role: 'embedding' },
      { name: 'judge', providerRef: { name: 'judge' }, role: 'llm', requiredCapabilities: ['json'] },
      { name: 'speech', providerRef: { name: 'voice', namespace: 'shared' }, role: 'tts' },
    ]);
  });

  test('a Provider in another namespace gets the agent\'s ServiceAccount a Role there, one per namespace', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'agents', { namespace: 'agents' });
    const platform = new Chart(app, 'platform', { namespace: 'platform' });
    const key = SecretKey.of(kplus.Secret.fromSecretName(platform, 'K', 'emb-secret'), 'api-key');
    const emb = new Provider(platform, 'Emb', { metadata: { name: 'emb' }, type: ProviderType.VOYAGEAI, model: 'voyage-3', credential: ProviderCredential.fromSecretKey(key) });
    agent(chart, { additionalProviders: [{ name: 'embeddings', provider: emb }] });
    const roles = Testing.synth(chart).filter((o) => o.kind === 'Role');
    expect(roles).toHaveLength(1);
    expect(roles[0].metadata).toMatchObject({ name: 'agents-support-provider', namespace: 'platform' });
    expect(roles[0].rules).toEqual(expect.arrayContaining([
      expect.objectContaining({ apiGroups: ['omnia.altairalabs.ai'], resources: ['providers'], resourceNames: ['emb'] }),
      expect.objectContaining({ apiGroups: [''], resources: ['secrets'], resourceNames: ['emb-secret'] }),
    ]));
  });

  test.each([
    [{ name: 'default' }, 'additionalProviders[0].name: "default" names the agent\'s own provider'],
    [{ name: 'Judge' }, 'additionalProviders[0].name: must be a DNS label'],
    [{ role: ProviderRole.LLM }, 'additionalProviders[0].role: Provider agents/embeddings has role embedding, not llm: the operator would fail the agent'],
    [{ requiredCapabilities: [ProviderCapability.VISION] }, 'additionalProviders[0].requiredCapabilities: Provider agents/embeddings does not advertise vision (its capabilities: none)'],
    [{ requiredCapabilities: ['telepathy'] }, 'additionalProviders[0].requiredCapabilities[0]: must be one of ProviderCapability\'s values, not "telepathy"'],
  ])('bad entry %j fails', (entry, message) => {
    const chart = releaseChart();
    expect(() => agent(chart, { additionalProviders: [{ name: 'embeddings', provider: embeddings(chart), ...entry as any }] })).toThrow(message);
  });

  test('a name given twice fails', () => {
    const chart = releaseChart();
    const e = embeddings(chart);
    expect(() => agent(chart, { additionalProviders: [{ name: 'e', provider: e }, { name: 'e', provider: e }] })).toThrow('additionalProviders[1].name: "e" is given twice');
  });
});

describe('memory and evals', () => {
  test('render with the defaults written out', () => {
    const chart = releaseChart();
    agent(chart, {
      memory: { retrieval: { strategy: MemoryRetrievalStrategy.SEMANTIC, limit: 8, denyCel: 'metadata.url.contains("restricted")' }, toolsEnabled: false },
      evals: { inlineGroups: ['fast-running'], workerGroups: ['long-running'], samplingRate: 50, sessionInactivityTimeout: Duration.minutes(10) },
    });
    const spec = specOf(chart);
    expect(spec.memory).toEqual({
      enabled: true,
      retrieval: { enabled: true, strategy: 'semantic', limit: 8, accessFilter: { denyCEL: 'metadata.url.contains("restricted")' } },
      tools: { enabled: false },
    });
    expect(spec.evals).toEqual({
      enabled: true,
      inline: { groups: ['fast-running'] },
      worker: { groups: ['long-running'] },
      sampling: { defaultRate: 50, extendedRate: 10 },
      rateLimit: { maxEvalsPerSecond: 50, maxConcurrentJudgeCalls: 5 },
      sessionCompletion: { inactivityTimeout: '10m' },
    });
  });

  test('what is written is what the API server stores: its defaults change nothing', () => {
    const chart = releaseChart();
    agent(chart, { memory: {}, evals: {} });
    const object = Testing.synth(chart).find((o) => o.kind === 'AgentRuntime');
    expect(OmniaSchema.validate(object)).toEqual([]);
    expect(OmniaSchema.applyDefaults(object).spec.evals).toEqual(object.spec.evals);
    expect(object.spec.memory).toEqual({ enabled: true });
  });

  test.each([
    [{ memory: { retrieval: { limit: 51 } } }, 'memory.retrieval.limit: must be a whole number from 1 to 50, got 51'],
    [{ memory: { retrieval: { denyCel: ' ' } } }, 'memory.retrieval.denyCel: must be a non-empty CEL expression'],
    [{ memory: { retrieval: { strategy: 'vector' } } }, 'memory.retrieval.strategy: must be one of MemoryRetrievalStrategy\'s values, not "vector"'],
    [{ evals: { inlineGroups: [] } }, 'evals.inlineGroups: must list at least one group'],
    [{ evals: { workerGroups: ['a', 'a'] } }, 'evals.workerGroups: lists a group twice'],
    [{ evals: { samplingRate: 101 } }, 'evals.samplingRate: must be a whole percentage from 0 to 100, got 101'],
    [{ evals: { extendedSamplingRate: 2.5 } }, 'evals.extendedSamplingRate: must be a whole percentage'],
    [{ evals: { maxEvalsPerSecond: 0 } }, 'evals.maxEvalsPerSecond: must be a whole number of at least 1, got 0'],
    [{ evals: { maxConcurrentJudgeCalls: -1 } }, 'evals.maxConcurrentJudgeCalls: must be a whole number of at least 1'],
    [{ evals: { sessionInactivityTimeout: Duration.millis(0.5) } }, 'evals.sessionInactivityTimeout: 0.5 must be a whole number of millis'],
  ])('%j fails', (props, message) => {
    expect(() => agent(releaseChart(), props as any)).toThrow(message);
  });
});

describe('rollout', () => {
  test('a canary with a candidate pack, providers and registry, sticky sessions and mesh routing', () => {
    const chart = releaseChart();
    const pack = new PromptPack(chart, 'PackV2', { metadata: { name: 'prompts-v2' }, packName: 'p', version: '2.0.0', configMap: kplus.ConfigMap.fromConfigMapName(chart, 'Cm', 'cm') });
    agent(chart, {
      additionalProviders: [{ name: 'embeddings', provider: embeddings(chart) }],
      rollout: {
        candidate: { promptPack: pack, promptPackVersion: '2.0.0', provider: llm(chart, 'Next'), toolRegistry: ToolRegistry.fromName(chart, 'T', 'tools-v2') },
        steps: [RolloutStep.weight(10), RolloutStep.pause(Duration.minutes(15)), RolloutStep.analysisNamed('error-rate', { args: { threshold: '0.05' } }), RolloutStep.weight(50), RolloutStep.pause()],
        stickySessionHeader: 'x-user-id',
        rollback: RollbackMode.AUTOMATIC,
        rollbackCooldown: Duration.minutes(30),
        trafficRouting: TrafficRouting.mesh({ hosts: ['support.example.com'], waypoint: 'waypoint' }),
      },
    });
    expect(specOf(chart).rollout).toEqual({
      candidate: {
        promptPackRef: { name: 'prompts-v2', version: '2.0.0' },
        providerRefs: [{ name: 'default', providerRef: { name: 'next' } }, { name: 'embeddings', providerRef: { name: 'embeddings' }, role: 'embedding' }],
        toolRegistryRef: { name: 'tools-v2' },
      },
      steps: [
        { setWeight: 10 }, { pause: { duration: '15m' } }, { analysis: { templateName: 'error-rate', args: [{ name: 'threshold', value: '0.05' }] } },
        { setWeight: 50 }, { pause: {} },
      ],
      stickySession: { hashOn: 'x-user-id' },
      rollback: { mode: 'automatic', cooldown: '30m' },
      trafficRouting: { mode: 'mesh', mesh: { hosts: ['support.example.com'], stableSubset: 'stable', candidateSubset: 'canary', waypoint: 'waypoint' } },
    });
  });

  test('defaults; replica weighting and istio routing', () => {
    const a = releaseChart();
    agent(a, { rollout: { steps: [RolloutStep.weight(100)], trafficRouting: TrafficRouting.replicaWeighted() } });
    expect(specOf(a).rollout).toEqual({ steps: [{ setWeight: 100 }], rollback: { mode: 'manual', cooldown: '5m' }, trafficRouting: { mode: 'replicaWeighted' } });
    const b = releaseChart();
    agent(b, { rollout: { steps: [RolloutStep.weight(0)], trafficRouting: TrafficRouting.istio({ virtualService: 'vs', routes: ['primary'], destinationRule: 'dr' }) } });
    expect(specOf(b).rollout.trafficRouting).toEqual({
      mode: 'external', istio: { virtualService: { name: 'vs', routes: ['primary'] }, destinationRule: { name: 'dr', stableSubset: 'stable', candidateSubset: 'canary' } },
    });
  });

  test('an analysis of the app: its name, in the agent\'s namespace; another namespace fails', () => {
    const app = Testing.app();
    new OmniaOperator(app, 'omnia', { enterprise: true });
    const chart = new Chart(app, 'test', { namespace: 'agents' });
    const analysis = new release.RolloutAnalysis(chart, 'Errors', {
      metadata: { name: 'errors' },
      spec: { metrics: [{ name: 'm', interval: '1m', count: 1, successCondition: 'result < 0.05', provider: { prometheus: { address: 'http://prometheus:9090', query: 'up' } } }] } as any,
    });
    agent(chart, { rollout: { steps: [RolloutStep.analysis(analysis)] } });
    expect(specOf(chart).rollout.steps).toEqual([{ analysis: { templateName: 'errors' } }]);
    const other = new Chart(app, 'other', { namespace: 'elsewhere' });
    expect(() => new AgentRuntime(other, 'Agent', { provider: llm(other), promptPack: PromptPack.fromName(other, 'P', 'p'), rollout: { steps: [RolloutStep.analysis(analysis)] } }))
      .toThrow('rollout.steps[0]: RolloutAnalysis agents/errors is in another namespace');
  });

  test('an analysis or privacy policy named only needs the enterprise CRDs when the app installs the release', () => {
    const app = Testing.app();
    new OmniaOperator(app, 'omnia');
    const chart = new Chart(app, 'test', { namespace: 'agents' });
    agent(chart, { rollout: { steps: [RolloutStep.analysisNamed('errors')] } });
    expect(() => app.synth()).toThrow('rollout.steps: RolloutAnalysis errors is of an enterprise kind, and this app installs the release without its CRD');
  });

  test.each([
    [{ steps: [] }, 'rollout.steps: needs at least one step'],
    [{ steps: [RolloutStep.weight(101)] }, 'rollout.steps[0]: setWeight must be a whole percentage from 0 to 100, got 101'],
    [{ steps: [RolloutStep.pause(Duration.millis(0))] }, 'rollout.steps[0]: pause: duration must be a positive'],
    [{ steps: [RolloutStep.analysisNamed('')] }, 'rollout.steps[0]: analysis needs the name of a RolloutAnalysis'],
    [{ steps: [RolloutStep.weight(5)], stickySessionHeader: 'x user' }, 'rollout.stickySessionHeader: must be an HTTP header name'],
    [{ steps: [RolloutStep.weight(5)], rollback: 'sometimes' }, 'rollout.rollback: must be one of RollbackMode\'s values, not "sometimes"'],
    [{ steps: [RolloutStep.weight(5)], trafficRouting: TrafficRouting.mesh({ stableSubset: 'x', candidateSubset: 'x' }) }, 'rollout.trafficRouting: stableSubset and candidateSubset are both "x"'],
    [{ steps: [RolloutStep.weight(5)], trafficRouting: TrafficRouting.istio({ virtualService: 'vs', routes: [], destinationRule: 'dr' }) }, 'rollout.trafficRouting: routes must name at least one route'],
    [{ steps: [RolloutStep.weight(5)], candidate: { promptPackVersion: '1.0.0' } }, 'rollout.candidate.promptPackVersion: pins the version of the candidate\'s promptPack: give the promptPack too'],
  ])('%#: bad rollout fails', (rollout, message) => {
    expect(() => agent(releaseChart(), { rollout: rollout as any })).toThrow(message);
  });

  test('a candidate pack in another namespace fails', () => {
    const chart = releaseChart();
    expect(() => agent(chart, { rollout: { steps: [RolloutStep.weight(5)], candidate: { promptPack: PromptPack.fromName(chart, 'P2', 'p', 'platform') } } }))
      .toThrow('rollout.candidate.promptPack: a PromptPack in another namespace (platform)');
  });
});

describe('framework, pack version and privacy policy', () => {
  test('render their fields', () => {
    const chart = releaseChart();
    const pack = new PromptPack(chart, 'P', { metadata: { name: 'prompts' }, packName: 'p', version: '1.2.0', configMap: kplus.ConfigMap.fromConfigMapName(chart, 'Cm', 'cm') });
    agent(chart, { promptPack: pack, promptPackVersion: '1.2.0', framework: AgentFramework.langChain({ version: '0.3' }), privacyPolicy: PrivacyPolicyRef.fromName('strict') });
    const spec = specOf(chart);
    expect(spec.promptPackRef).toEqual({ name: 'prompts', version: '1.2.0' });
    expect(spec.framework).toEqual({ type: 'langchain', version: '0.3' });
    expect(spec.privacyPolicyRef).toEqual({ name: 'strict' });
    const custom = releaseChart();
    agent(custom, { framework: AgentFramework.custom({ image: 'registry.example.com/agent:1.0' }) });
    expect(specOf(custom).framework).toEqual({ type: 'custom', image: 'registry.example.com/agent:1.0' });
  });

  test('a privacy policy of the app in the agent\'s namespace', () => {
    const app = Testing.app();
    new OmniaOperator(app, 'omnia', { enterprise: true });
    const chart = new Chart(app, 'test', { namespace: 'agents' });
    const policy = new release.SessionPrivacyPolicy(chart, 'Policy', { metadata: { name: 'strict' }, spec: { recording: { enabled: false } } as any });
    agent(chart, { privacyPolicy: PrivacyPolicyRef.of(policy) });
    expect(specOf(chart).privacyPolicyRef).toEqual({ name: 'strict' });
  });

  test.each([
    [() => ({ framework: AgentFramework.custom({ image: '' }) }), 'framework: image: a custom agent needs an image'],
    [() => ({ framework: AgentFramework.autoGen({ image: 'not an image' }) }), 'framework: image: "not an image" is not an image reference'],
    [() => ({ framework: AgentFramework.promptKit({ version: '' }) }), 'framework: version: must not be empty'],
    [() => ({ privacyPolicy: PrivacyPolicyRef.fromName('Strict Policy') }), 'privacyPolicy: "Strict Policy"'],
    [() => ({ promptPackVersion: '' }), 'promptPackVersion: must not be empty'],
  ])('%#: bad input fails', (props, message) => {
    expect(() => agent(releaseChart(), props() as any)).toThrow(message);
  });

  test('a pinned version must be that of a pack of the app', () => {
    const chart = releaseChart();
    const pack = new PromptPack(chart, 'P', { metadata: { name: 'prompts' }, packName: 'p', version: '1.2.0', configMap: kplus.ConfigMap.fromConfigMapName(chart, 'Cm', 'cm') });
    expect(() => agent(chart, { promptPack: pack, promptPackVersion: '1.1.0' })).toThrow('promptPackVersion: "1.1.0" is not the version of PromptPack agents/prompts ("1.2.0")');
  });

  test('the documented API refuses every one of these props', () => {
    for (const [field, value] of Object.entries({
      additionalProviders: [], memory: {}, evals: {}, rollout: { steps: [RolloutStep.weight(1)] }, framework: AgentFramework.promptKit(), promptPackVersion: '1.0.0', privacyPolicy: PrivacyPolicyRef.fromName('p'),
    })) {
      const chart = newChart();
      const key = SecretKey.of(kplus.Secret.fromSecretName(chart, 'K', 'k'), 'api-key');
      const provider = new Provider(chart, 'P', { type: ProviderType.OPENAI, model: 'gpt-4o', credential: ProviderCredential.fromSecretKey(key) });
      expect(() => new AgentRuntime(chart, 'Agent', { provider, promptPack: PromptPack.fromName(chart, 'Pack', 'p'), [field]: value }))
        .toThrow(new RegExp(`${field}: .*the documented API has no equivalent`));
    }
  });
});

test('the names given by name only are declared outside the app: the reference checks accept them', () => {
  const app = Testing.app();
  new OmniaOperator(app, 'omnia', { enterprise: true });
  const chart = new Chart(app, 'test', { namespace: 'agents' });
  const key = kplus.Secret.fromSecretName(chart, 'S', 'llm-key');
  new kplus.Secret(chart, 'Secret', { metadata: { name: 'llm-key' }, stringData: { 'api-key': 'x' } });
  void key;
  agent(chart, { promptPack: new PromptPack(chart, 'P', { metadata: { name: 'prompts' }, packName: 'p', version: '1.0.0', configMap: new kplus.ConfigMap(chart, 'Cm', { data: { 'pack.json': JSON.stringify({ id: 'p', version: '1.0.0', prompts: {} }) } }) }),
    rollout: { steps: [RolloutStep.analysisNamed('errors')] }, privacyPolicy: PrivacyPolicyRef.fromName('strict') });
  expect(() => app.synth()).not.toThrow();
});

describe('the coverage fixture of this area', () => {
  /** Leaf paths of `value` (list indexes dropped). */
  const leaves = (value: any, prefix = ''): string[] => {
    if (Array.isArray(value)) return value.length && typeof value[0] !== 'object' ? [prefix] : value.flatMap((v) => leaves(v, prefix));
    if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
    return [prefix];
  };

  test('writes every leaf field of the release\'s spec this part types, valid against the CRD', () => {
    const { COVERAGE_AREAS } = require('../fixtures/release-coverage');
    const chart = releaseChart('agentops');
    COVERAGE_AREAS.agentops(chart);
    const agents = Testing.synth(chart).filter((o) => o.kind === 'AgentRuntime');
    for (const a of agents) expect(OmniaSchema.validate(a)).toEqual([]);
    // The app-wide checks (references, enterprise kinds) pass too.
    expect(() => (chart.node.root as any).synth()).not.toThrow();
    const written = new Set(agents.flatMap((a) => leaves(a.spec)));
    const mine = [
      'providers.name', 'providers.providerRef.name', 'providers.providerRef.namespace', 'providers.role', 'providers.requiredCapabilities', 'promptPackRef.version',
      'memory.enabled', 'memory.retrieval.enabled', 'memory.retrieval.strategy', 'memory.retrieval.limit', 'memory.retrieval.accessFilter.denyCEL', 'memory.tools.enabled',
      'evals.enabled', 'evals.inline.groups', 'evals.worker.groups', 'evals.sampling.defaultRate', 'evals.sampling.extendedRate',
      'evals.rateLimit.maxEvalsPerSecond', 'evals.rateLimit.maxConcurrentJudgeCalls', 'evals.sessionCompletion.inactivityTimeout',
      'rollout.candidate.promptPackRef.name', 'rollout.candidate.promptPackRef.version', 'rollout.candidate.providerRefs.name',
      'rollout.candidate.providerRefs.providerRef.name', 'rollout.candidate.providerRefs.role', 'rollout.candidate.providerRefs.requiredCapabilities',
      'rollout.candidate.toolRegistryRef.name', 'rollout.candidate.toolRegistryRef.namespace',
      'rollout.steps.setWeight', 'rollout.steps.pause.duration', 'rollout.steps.analysis.templateName', 'rollout.steps.analysis.args.name', 'rollout.steps.analysis.args.value',
      'rollout.stickySession.hashOn', 'rollout.rollback.mode', 'rollout.rollback.cooldown', 'rollout.trafficRouting.mode',
      'rollout.trafficRouting.mesh.hosts', 'rollout.trafficRouting.mesh.stableSubset', 'rollout.trafficRouting.mesh.candidateSubset', 'rollout.trafficRouting.mesh.waypoint',
      'rollout.trafficRouting.istio.virtualService.name', 'rollout.trafficRouting.istio.virtualService.routes', 'rollout.trafficRouting.istio.destinationRule.name',
      'rollout.trafficRouting.istio.destinationRule.stableSubset', 'rollout.trafficRouting.istio.destinationRule.candidateSubset',
      'framework.type', 'framework.version', 'framework.image', 'privacyPolicyRef.name',
    ];
    expect(mine.filter((p) => !written.has(p))).toEqual([]);
  });
});

test('the release features examples of this part synthesize with their agents\' fields', () => {
  const { featuresApp } = require('../../examples/release-features');
  const { providersFeature } = require('../../examples/release-features/providers');
  const { memoryFeature } = require('../../examples/release-features/memory');
  const { rolloutFeature } = require('../../examples/release-features/rollout');
  const app = featuresApp(require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'features-')), { providers: providersFeature, memory: memoryFeature, rollout: rolloutFeature });
  const agents = Object.fromEntries(app.charts.flatMap((c: Chart) => Testing.synth(c)).filter((o: any) => o.kind === 'AgentRuntime').map((o: any) => [o.metadata.namespace, o.spec]));
  expect(agents.providers.providers.map((p: any) => [p.name, p.role ?? 'llm', p.requiredCapabilities ?? []])).toEqual([['default', 'llm', []], ['judge', 'llm', ['json']], ['embeddings', 'embedding', []]]);
  expect(agents.memory.memory.retrieval).toMatchObject({ strategy: 'keyword', limit: 5 });
  expect(agents.memory.evals.sampling).toEqual({ defaultRate: 25, extendedRate: 5 });
  expect(agents.rollout.rollout.steps).toEqual([{ setWeight: 10 }, { pause: { duration: '30m' } }, { setWeight: 50 }, { pause: { duration: '2h' } }, { setWeight: 100 }]);
  expect(agents.rollout.rollout.candidate.promptPackRef).toEqual({ name: 'assistant-v2', version: '2.0.0' });
  expect(() => app.synth()).not.toThrow();
});
