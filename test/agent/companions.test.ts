import { Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentCompanions, AgentRuntime, AgentRuntimeProps, OmniaApiTarget, OmniaSchema, OmniaTarget, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey, Session,
  ToolHandler, ToolRegistry,
} from '../../lib';
import { validateBuiltIn } from '../k8s-schemas';
import { documentedApp, externalPack, newChart, objectsOf, onlyOf, openai, providerOf } from '../util';

const AGENT_PODS = {
  'app.kubernetes.io/name': 'omnia-agent',
  'app.kubernetes.io/instance': 'support',
  'app.kubernetes.io/managed-by': 'omnia-operator',
};

function agentIn(chart: Chart, props: Partial<AgentRuntimeProps> = {}) {
  return new AgentRuntime(chart, 'Agent', { metadata: { name: 'support' }, provider: openai(chart), promptPack: externalPack(chart), ...props });
}

describe('autoscale', () => {
  test('an HPA that targets the AgentRuntime through its scale subresource', () => {
    const chart = newChart();
    agentIn(chart).autoscale({ minReplicas: 2, maxReplicas: 10, cpuTargetUtilization: 70, memoryTargetUtilization: 85, scaleDownStabilization: Duration.minutes(10) });
    const hpa = onlyOf(chart, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata).toEqual({
      name: 'support',
      namespace: 'agents',
      // The agent's labels (test 'what the library makes for an agent is labelled as the agent').
      labels: { 'app.kubernetes.io/name': 'agentruntime', 'app.kubernetes.io/instance': 'support', 'app.kubernetes.io/part-of': 'omnia', 'app.kubernetes.io/managed-by': 'cdk8s' },
    });
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind: 'AgentRuntime', name: 'support' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 85 } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
    });
    validateBuiltIn(hpa);
  });

  test('spec.replicas is left unset, so applying never fights the autoscaler', () => {
    const chart = newChart();
    agentIn(chart).autoscale({ maxReplicas: 4 });
    const agent = onlyOf(chart, 'AgentRuntime');
    expect('replicas' in agent.spec).toBe(false);
    expect(OmniaSchema.validateFor(agent, OmniaApiTarget.DOCUMENTED)).toEqual([]);
    // The API server's default of 1 only seeds the count the autoscaler then owns.
    expect(OmniaSchema.applyDefaultsFor(agent, OmniaApiTarget.DOCUMENTED).spec.replicas).toBe(1);
    expect(onlyOf(chart, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 1, maxReplicas: 4 });
  });

  test('the CRD scale subresource the HPA relies on reads .spec.replicas and the status selector', () => {
    const crd = require('../../lib/validation/crds').omniaCrds()[0];
    expect(crd.spec.versions[0].subresources.scale).toMatchObject({ specReplicasPath: '.spec.replicas', labelSelectorPath: '.status.selector' });
  });

  test.each<[string, any, string]>([
    ['min above max', { minReplicas: 5, maxReplicas: 2 }, 'test/Agent: AgentRuntime agents/support: autoscale.minReplicas: 5 is above maxReplicas 2'],
    ['max 0', { maxReplicas: 0 }, 'test/Agent: AgentRuntime agents/support: autoscale.maxReplicas: must be a whole number >= 1, got 0'],
    ['min 0', { minReplicas: 0, maxReplicas: 3 }, 'autoscale.minReplicas: must be a whole number >= 1, got 0 (an HPA scales to zero only with'],
    ['cpu target 0', { maxReplicas: 3, cpuTargetUtilization: 0 }, 'autoscale.cpuTargetUtilization: must be a percentage from 1 to 100'],
  ])('refuses %s', (_n, options, message) => {
    expect(() => agentIn(newChart()).autoscale(options)).toThrow(message);
  });

  test('refuses an agent whose replicas prop is set', () => {
    expect(() => agentIn(newChart(), { replicas: 3 }).autoscale({ maxReplicas: 5 }))
      .toThrow('test/Agent: AgentRuntime agents/support: replicas: an autoscaled agent leaves replicas to the autoscaler');
  });
});

describe('disruption budget', () => {
  test('maxUnavailable 1 by default, selecting exactly the agent pods', () => {
    const chart = newChart();
    agentIn(chart, { replicas: 3 }).addDisruptionBudget();
    const pdb = onlyOf(chart, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: AGENT_PODS } });
    validateBuiltIn(pdb);
  });

  test('minAvailable below the replica count', () => {
    const chart = newChart();
    agentIn(chart, { replicas: 3 }).addDisruptionBudget({ minAvailable: 2 });
    expect(onlyOf(chart, 'PodDisruptionBudget').spec).toEqual({ minAvailable: 2, selector: { matchLabels: AGENT_PODS } });
  });

  test.each<[string, Partial<AgentRuntimeProps>, any, string, boolean]>([
    ['minAvailable equal to the replicas', { replicas: 2 }, { minAvailable: 2 }, 'disruptionBudget.minAvailable: 2 with 2 agent pod(s) would block every eviction', false],
    ['minAvailable 1 on a single replica', {}, { minAvailable: 1 }, 'disruptionBudget.minAvailable: 1 with 1 agent pod(s) would block every eviction', false],
    ['minAvailable equal to the autoscaler minimum', {}, { minAvailable: 2 }, 'disruptionBudget.minAvailable: 2 with 2 agent pod(s)', true],
    ['maxUnavailable 0', { replicas: 3 }, { maxUnavailable: 0 }, 'disruptionBudget.maxUnavailable: must be a whole number >= 1 (0 would block every eviction)', false],
    ['both fields', { replicas: 3 }, { maxUnavailable: 1, minAvailable: 1 }, 'give maxUnavailable or minAvailable, not both', false],
  ])('refuses %s', (_n, props, options, message, autoscaled) => {
    const agent = agentIn(newChart(), props);
    if (autoscaled) agent.autoscale({ minReplicas: 2, maxReplicas: 6 });
    expect(() => agent.addDisruptionBudget(options)).toThrow(message);
  });
});

describe('network isolation', () => {
  function isolated(extra: Partial<AgentRuntimeProps> = {}, options: any = {}) {
    const chart = newChart('agents');
    const agent = agentIn(chart, extra);
    agent.isolateNetwork({ allowFrom: [kplus.Pods.select(chart, 'Frontend', { labels: { app: 'web' } })], ...options });
    const policy = onlyOf(chart, 'NetworkPolicy');
    validateBuiltIn(policy);
    return policy.spec;
  }
  const DNS = {
    to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
    ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
  };
  const PROVIDER = { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] };

  test('selects exactly the agent pods; ingress only on the facade port from the given peers', () => {
    const spec = isolated();
    expect(spec.podSelector).toEqual({ matchLabels: AGENT_PODS });
    expect([...spec.policyTypes].sort()).toEqual(['Egress', 'Ingress']);
    expect(spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  test('a memory-session agent without tools reaches only DNS and the provider', () => {
    expect(isolated().egress).toEqual([DNS, PROVIDER]);
  });

  test('redis sessions add the session store; in-cluster tools add their namespace and pod port', () => {
    const chart = newChart('agents');
    const orders = new kplus.Service(chart, 'Orders', {
      metadata: { name: 'orders', namespace: 'shop' }, ports: [{ port: 80, targetPort: 8080 }],
    });
    const tools = new ToolRegistry(chart, 'Tools', {
      handlers: [
        ToolHandler.http({ name: 'orders', service: orders, tool: { name: 'o', description: 'o' } }),
        ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb.knowledge.svc.cluster.local:8000/mcp' }),
        ToolHandler.grpc({ name: 'stock', endpoint: 'stock:50051', tool: { name: 's', description: 's' } }),
        ToolHandler.http({ name: 'weather', endpoint: 'https://api.weather.example/v1', tool: { name: 'w', description: 'w' } }),
      ],
    });
    const redis = kplus.Secret.fromSecretName(chart, 'Redis', 'redis');
    const agent = agentIn(chart, { toolRegistry: tools, session: Session.redis({ url: SecretKey.of(redis, 'url') }) });
    agent.isolateNetwork();
    const spec = onlyOf(chart, 'NetworkPolicy').spec;
    expect(spec.ingress).toBeUndefined();
    const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } }, podSelector: {} });
    expect(spec.egress).toEqual([
      DNS,
      PROVIDER,
      { to: [{ namespaceSelector: {}, podSelector: {} }], ports: [{ port: 6379, protocol: 'TCP' }] },
      { to: [ns('shop')], ports: [{ port: 8080, protocol: 'TCP' }] },
      { to: [ns('knowledge')], ports: [{ port: 8000, protocol: 'TCP' }] },
      { to: [ns('agents')], ports: [{ port: 50051, protocol: 'TCP' }] },
    ]);
    validateBuiltIn(onlyOf(chart, 'NetworkPolicy'));
  });

  test('a self-hosted provider replaces the HTTPS rule', () => {
    const chart = newChart('agents');
    const agent = agentIn(chart);
    agent.isolateNetwork({ providerPeer: kplus.Pods.select(chart, 'Ollama', { labels: { app: 'ollama' } }), providerPort: 11434 });
    expect(onlyOf(chart, 'NetworkPolicy').spec.egress[1]).toEqual({ to: [{ podSelector: { matchLabels: { app: 'ollama' } } }], ports: [{ port: 11434, protocol: 'TCP' }] });
  });
});

describe('app-wide companions', () => {
  test('every agent in the scope, defined before and after, gets them; explicit calls win', () => {
    const app = documentedApp();
    const chart = new Chart(app, 'agents', { namespace: 'agents' });
    const key = SecretKey.of(kplus.Secret.fromSecretName(chart, 'Key', 'k'), 'api-key');
    const pack = externalPack(chart);
    const agent = (name: string, replicas?: number) => new AgentRuntime(chart, name, {
      metadata: { name }, replicas, provider: providerOf(chart, `Provider${name}`, ProviderType.OPENAI, 'gpt-4o', key), promptPack: pack,
    });
    agent('before');
    AgentCompanions.applyTo(app, { autoscale: { maxReplicas: 5 }, disruptionBudget: {}, networkIsolation: {} });
    agent('after');
    agent('fixed', 2);
    const custom = agent('custom');
    custom.autoscale({ minReplicas: 2, maxReplicas: 20 });

    const hpas = objectsOf(chart, 'HorizontalPodAutoscaler');
    expect(hpas.map((h) => [h.metadata.name, h.spec.maxReplicas])).toEqual([['before', 5], ['after', 5], ['custom', 20]]);
    expect(objectsOf(chart, 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual(['before', 'after', 'fixed', 'custom']);
    expect(objectsOf(chart, 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['before', 'after', 'fixed', 'custom']);
    const fixed = objectsOf(chart, 'AgentRuntime').find((a) => a.metadata.name === 'fixed');
    expect(fixed.spec.replicas).toBe(2);
  });
});

describe('companions are declared: the order of the calls does not matter', () => {
  // Builds an agent in a fresh app and runs `steps` in the given order; returns the chart.
  function inOrder(steps: Array<(agent: AgentRuntime, app: any) => void>, props: Partial<AgentRuntimeProps> = {}) {
    const app = documentedApp();
    const chart = new Chart(app, 'test', { namespace: 'agents' });
    const agent = agentIn(chart, props);
    for (const step of steps) step(agent, app);
    return chart;
  }
  const orders = <T>(a: T, b: T): Array<[string, T[]]> => [['own choice first', [a, b]], ['scope-wide choice first', [b, a]]];

  test.each(orders<(agent: AgentRuntime, app: any) => void>(
    (agent) => agent.isolateNetwork({ allowFrom: [kplus.Pods.select(agent, 'Web', { labels: { app: 'web' } })] }),
    (_agent, app) => AgentCompanions.applyTo(app, { networkIsolation: {} }),
  ))('network isolation: the agent\'s allowFrom wins, %s', (_order, steps) => {
    const policy = onlyOf(inOrder(steps), 'NetworkPolicy');
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  test.each(orders<(agent: AgentRuntime, app: any) => void>(
    (agent) => agent.addDisruptionBudget({ maxUnavailable: 2 }),
    (_agent, app) => AgentCompanions.applyTo(app, { disruptionBudget: { maxUnavailable: 1 } }),
  ))('disruption budget: the agent\'s maxUnavailable wins, %s', (_order, steps) => {
    expect(onlyOf(inOrder(steps, { replicas: 4 }), 'PodDisruptionBudget').spec.maxUnavailable).toBe(2);
  });

  test.each(orders<(agent: AgentRuntime, app: any) => void>(
    (agent) => agent.autoscale({ maxReplicas: 20 }),
    (_agent, app) => AgentCompanions.applyTo(app, { autoscale: { maxReplicas: 5 } }),
  ))('autoscaling: the agent\'s maximum wins, %s', (_order, steps) => {
    expect(onlyOf(inOrder(steps), 'HorizontalPodAutoscaler').spec.maxReplicas).toBe(20);
  });

  test('the nearest scope\'s choice wins over the app\'s, in either order', () => {
    for (const innerFirst of [true, false]) {
      const app = documentedApp();
      const chart = new Chart(app, 'test', { namespace: 'agents' });
      const apply = [() => AgentCompanions.applyTo(chart, { autoscale: { maxReplicas: 7 } }), () => AgentCompanions.applyTo(app, { autoscale: { maxReplicas: 3 } })];
      (innerFirst ? apply : [...apply].reverse()).forEach((f) => f());
      agentIn(chart);
      expect(onlyOf(chart, 'HorizontalPodAutoscaler').spec.maxReplicas).toBe(7);
    }
  });

  test.each<[string, boolean]>([['handler added after isolateNetwork', true], ['handler added before isolateNetwork', false]])('the policy lets the agent reach its tools: %s', (_n, late) => {
    const chart = newChart('agents');
    const tools = new ToolRegistry(chart, 'Tools', { handlers: [ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb.knowledge.svc:8000/mcp' })] });
    const agent = agentIn(chart, { toolRegistry: tools });
    const stock = ToolHandler.grpc({ name: 'stock', endpoint: 'stock.inventory.svc:50051', tool: { name: 's', description: 's' } });
    if (!late) tools.addHandler(stock);
    agent.isolateNetwork();
    if (late) tools.addHandler(stock);
    const egress = onlyOf(chart, 'NetworkPolicy').spec.egress;
    const reached = egress.slice(2).map((rule: any) => [rule.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'], rule.ports[0].port]);
    expect(reached).toEqual([['knowledge', 8000], ['inventory', 50051]]);
  });

  test('a scope-wide budget that would block an agent\'s evictions fails at synth with the agent and the field', () => {
    const app = documentedApp();
    const chart = new Chart(app, 'test', { namespace: 'agents' });
    AgentCompanions.applyTo(app, { disruptionBudget: { minAvailable: 2 } });
    agentIn(chart, { replicas: 3 });
    new AgentRuntime(chart, 'Single', { metadata: { name: 'single' }, provider: openai(chart, 'm2'), promptPack: PromptPack.fromName(chart, 'P2', 'p') });
    expect(() => Testing.synth(chart)).toThrow('test/Single: AgentRuntime agents/single: disruptionBudget.minAvailable: 2 with 1 agent pod(s) would block every eviction');
  });
});

describe('what the library makes for an agent is labelled as the agent, so a prune by its labels treats them alike', () => {
  const STANDARD = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'];
  const standardOf = (o: any) => Object.fromEntries(STANDARD.map((k) => [k, o.metadata.labels?.[k]]));
  const labelled = (objects: any[]) => {
    const agent = objects.find((o) => o.kind === 'AgentRuntime');
    const others = objects.filter((o) => !['AgentRuntime', 'Provider', 'PromptPack'].includes(o.kind));
    return { agent: standardOf(agent), others: others.map((o) => [o.kind, standardOf(o)]) };
  };

  test('documented API: the HPA, the budget and the NetworkPolicy carry the part-of the agent is given after they are chosen', () => {
    // A chart without labels: the library's own part-of would be on the agent only.
    const chart = newChart();
    const agent = agentIn(chart);
    agent.autoscale({ minReplicas: 2, maxReplicas: 4 });
    agent.addDisruptionBudget();
    agent.isolateNetwork();
    agent.metadata.addLabel('app.kubernetes.io/part-of', 'support-agents');
    const { agent: labels, others } = labelled(Testing.synth(chart));
    expect(labels).toEqual({
      'app.kubernetes.io/name': 'agentruntime', 'app.kubernetes.io/instance': 'support', 'app.kubernetes.io/part-of': 'support-agents', 'app.kubernetes.io/managed-by': 'cdk8s',
    });
    expect(others.map(([kind]) => kind).sort()).toEqual(['HorizontalPodAutoscaler', 'NetworkPolicy', 'PodDisruptionBudget']);
    for (const [kind, l] of others) expect({ kind, labels: l }).toEqual({ kind, labels });
  });

  test('release: the NetworkPolicy and the provider-access Role and RoleBinding carry the agent\'s labels, its own over the chart\'s', () => {
    const app = Testing.app();
    OmniaTarget.use(app, OmniaApiTarget.V0_9_0_BETA_17);
    const platform = new Chart(app, 'platform', { namespace: 'platform' });
    const chart = new Chart(app, 'support', { namespace: 'agents', labels: { 'app.kubernetes.io/part-of': 'shop', team: 'care' } });
    const provider = new Provider(platform, 'Claude', {
      metadata: { name: 'claude' }, type: ProviderType.CLAUDE, model: 'claude-sonnet-4', credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(platform, 'Key', 'anthropic'), 'api-key')),
    });
    new AgentRuntime(chart, 'Agent', {
      metadata: { name: 'support', labels: { 'app.kubernetes.io/part-of': 'support-agents' } }, provider, promptPack: PromptPack.fromName(chart, 'P', 'p'),
    });
    AgentCompanions.applyTo(app, { networkIsolation: {} });
    const objects = Testing.synth(chart);
    const { agent: labels, others } = labelled(objects);
    expect(labels['app.kubernetes.io/part-of']).toBe('support-agents');
    expect(others.map(([kind]) => kind).sort()).toEqual(['NetworkPolicy', 'Role', 'RoleBinding']);
    for (const [kind, l] of others) expect({ kind, labels: l }).toEqual({ kind, labels });
    // The chart's other labels stay.
    for (const o of objects) expect(o.metadata.labels.team).toBe('care');
    expect(objects.find((o) => o.kind === 'Role').metadata.namespace).toBe('platform');
  });
});
