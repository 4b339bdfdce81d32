import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Node } from 'constructs';
import {
  AgentRuntime, AgentRuntimeProps, Facade, l1, OmniaApiTarget, OmniaSchema, PromptPack, Provider, ProviderType, SecretKey, Session, ToolHandler, ToolRegistry,
} from '../../lib';
import { externalPack, newChart, objectsOf, onlyOf, openai, providerOf } from '../util';

function synthAgent(extra: Partial<AgentRuntimeProps> = {}, namespace?: string) {
  const chart = newChart(namespace);
  new AgentRuntime(chart, 'Agent', { provider: openai(chart), promptPack: externalPack(chart), ...extra });
  return onlyOf(chart, 'AgentRuntime');
}

describe('defaults are written out', () => {
  test('replicas, facade and session', () => {
    const { spec } = synthAgent();
    expect(spec.replicas).toBe(1);
    expect(spec.facade).toEqual({ type: 'websocket', port: 8080 });
    expect(spec.session).toEqual({ type: 'memory', ttl: '1h' });
    expect(spec.toolRegistryRef).toBeUndefined();
    expect(spec.resources).toBeUndefined();
    expect(spec.env).toBeUndefined();
  });

  test('the rendered object is what the API server would store: defaulting changes nothing', () => {
    const agent = synthAgent();
    expect(OmniaSchema.validateFor(agent, OmniaApiTarget.DOCUMENTED)).toEqual([]);
    expect(OmniaSchema.applyDefaultsFor(agent, OmniaApiTarget.DOCUMENTED)).toEqual(agent);
  });
});

describe('each prop sets its field', () => {
  test('replicas', () => {
    expect(synthAgent({ replicas: 0 }).spec.replicas).toBe(0);
    expect(synthAgent({ replicas: 5 }).spec.replicas).toBe(5);
  });

  test.each([
    ProviderType.OPENAI, ProviderType.CLAUDE, ProviderType.GEMINI, ProviderType.OLLAMA, ProviderType.VLLM, ProviderType.MOCK,
  ])('provider %s, inline from the Provider', (type) => {
    const chart = newChart();
    const secret = kplus.Secret.fromSecretName(chart, 'Key', 'llm-key');
    new AgentRuntime(chart, 'Agent', { provider: providerOf(chart, 'Provider', type, 'm-1', SecretKey.of(secret, 'token')), promptPack: externalPack(chart) });
    expect(onlyOf(chart, 'AgentRuntime').spec.provider).toEqual({ name: type, model: 'm-1', apiKeySecretRef: { name: 'llm-key', key: 'token' } });
  });

  test('promptPack defined in the app, same namespace: name only', () => {
    const chart = newChart();
    const pack = new PromptPack(chart, 'Pack', {
      metadata: { name: 'pack' }, packName: 'p', version: '1.0.0', configMap: kplus.ConfigMap.fromConfigMapName(chart, 'Cm', 'cm'),
    });
    new AgentRuntime(chart, 'Agent', { provider: openai(chart), promptPack: pack });
    expect(onlyOf(chart, 'AgentRuntime').spec.promptPackRef).toEqual({ name: 'pack' });
  });

  test('promptPack from another namespace carries it', () => {
    const chart = newChart();
    new AgentRuntime(chart, 'Agent', { provider: openai(chart), promptPack: PromptPack.fromName(chart, 'P', 'shared-prompts', 'platform') });
    expect(onlyOf(chart, 'AgentRuntime').spec.promptPackRef).toEqual({ name: 'shared-prompts', namespace: 'platform' });
  });

  test('toolRegistry defined in the app and external', () => {
    const chart = newChart();
    const tools = new ToolRegistry(chart, 'Tools', {
      metadata: { name: 'tools' }, handlers: [ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb:8000/mcp' })],
    });
    new AgentRuntime(chart, 'A', { metadata: { name: 'a' }, provider: openai(chart), promptPack: externalPack(chart), toolRegistry: tools });
    new AgentRuntime(chart, 'B', {
      metadata: { name: 'b' }, provider: openai(chart, 'gpt-4o-mini'), promptPack: PromptPack.fromName(chart, 'P2', 'p'),
      toolRegistry: ToolRegistry.fromName(chart, 'T', 'other-tools', 'platform'),
    });
    const [a, b] = objectsOf(chart, 'AgentRuntime');
    expect(a.spec.toolRegistryRef).toEqual({ name: 'tools' });
    expect(b.spec.toolRegistryRef).toEqual({ name: 'other-tools', namespace: 'platform' });
  });

  test('facade port', () => {
    expect(synthAgent({ facade: Facade.websocket({ port: 9000 }) }).spec.facade).toEqual({ type: 'websocket', port: 9000 });
  });

  test('memory session ttl', () => {
    expect(synthAgent({ session: Session.memory({ ttl: Duration.minutes(90) }) }).spec.session).toEqual({ type: 'memory', ttl: '1h30m' });
  });

  test('redis session with its URL secret', () => {
    const chart = newChart();
    const redis = kplus.Secret.fromSecretName(chart, 'Redis', 'redis-credentials');
    new AgentRuntime(chart, 'Agent', {
      provider: openai(chart), promptPack: externalPack(chart),
      session: Session.redis({ ttl: Duration.hours(24), url: SecretKey.of(redis, 'url') }),
    });
    expect(onlyOf(chart, 'AgentRuntime').spec.session).toEqual({ type: 'redis', ttl: '24h', storeRef: { name: 'redis-credentials', key: 'url' } });
  });

  test('resources: cpu, memory and ephemeral storage', () => {
    const { spec } = synthAgent({
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(2) },
        memory: { request: Size.mebibytes(128), limit: Size.gibibytes(1) },
        ephemeralStorage: { limit: Size.gibibytes(2) },
      },
    });
    expect(spec.resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '128Mi' },
      limits: { 'cpu': '2', 'memory': '1024Mi', 'ephemeral-storage': '2048Mi' },
    });
  });

  test('env from values, secrets, config maps and the downward API, plus addEnv', () => {
    const chart = newChart();
    const secret = kplus.Secret.fromSecretName(chart, 'S', 'tokens');
    const cm = kplus.ConfigMap.fromConfigMapName(chart, 'C', 'settings');
    const agent = new AgentRuntime(chart, 'Agent', {
      provider: openai(chart), promptPack: externalPack(chart),
      env: {
        LOG_LEVEL: kplus.EnvValue.fromValue('debug'),
        TOKEN: kplus.EnvValue.fromSecretValue({ secret, key: 'search' }),
        REGION: kplus.EnvValue.fromConfigMap(cm, 'region'),
        POD: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
      },
    });
    agent.addEnv('EXTRA', kplus.EnvValue.fromValue('1'));
    const { spec } = onlyOf(chart, 'AgentRuntime');
    expect(spec.env).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'tokens', key: 'search' } } },
      { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'settings', key: 'region' } } },
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'EXTRA', value: '1' },
    ]);
    expect(OmniaSchema.validateFor(onlyOf(chart, 'AgentRuntime'), OmniaApiTarget.DOCUMENTED)).toEqual([]);
  });

  test('metadata: name, user labels and annotations next to the standard labels', () => {
    const chart = newChart();
    const agent = new AgentRuntime(chart, 'Agent', {
      metadata: { name: 'support', labels: { team: 'cx' }, annotations: { 'omnia.dev/owner': 'cx' } },
      provider: openai(chart), promptPack: externalPack(chart),
    });
    agent.metadata.addLabel('tier', 'gold');
    const { metadata } = onlyOf(chart, 'AgentRuntime');
    expect(metadata).toEqual({
      name: 'support',
      namespace: 'agents',
      labels: {
        'team': 'cx',
        'tier': 'gold',
        'app.kubernetes.io/name': 'agentruntime',
        'app.kubernetes.io/instance': 'support',
        'app.kubernetes.io/part-of': 'omnia',
        'app.kubernetes.io/managed-by': 'cdk8s',
      },
      annotations: { 'omnia.dev/owner': 'cx' },
    });
  });

  test('a generated name when none is given', () => {
    const { metadata } = synthAgent();
    expect(metadata.name).toMatch(/^test-agent-c8[0-9a-f]+$/);
  });
});

test('the L1 object is the default child, for escape-hatch patches', () => {
  const chart = newChart();
  const agent = new AgentRuntime(chart, 'Agent', { provider: openai(chart), promptPack: externalPack(chart) });
  expect(Node.of(agent).defaultChild).toBeInstanceOf(l1.AgentRuntime);
  ApiObject.of(agent).addJsonPatch(JsonPatch.replace('/spec/facade/port', 9090));
  expect(onlyOf(chart, 'AgentRuntime').spec.facade.port).toBe(9090);
});

describe('invalid props throw at construct time with the path and the reason', () => {
  test.each<[string, (chart: any) => Partial<AgentRuntimeProps>, string]>([
    ['negative replicas', () => ({ replicas: -1 }), 'test/Agent: AgentRuntime agents/test-agent-c8ed7a28: replicas: must be a whole number >= 0, got -1'],
    ['fractional replicas', () => ({ replicas: 1.5 }), 'test/Agent: AgentRuntime agents/test-agent-c8ed7a28: replicas: must be a whole number >= 0, got 1.5'],
    ['port 0', () => ({ facade: Facade.websocket({ port: 0 }) }), 'test/Agent: AgentRuntime agents/test-agent-c8ed7a28: facade.port: must be 1..65535, got 0'],
    ['port 70000', () => ({ facade: Facade.websocket({ port: 70000 }) }), 'test/Agent: AgentRuntime agents/test-agent-c8ed7a28: facade.port: must be 1..65535, got 70000'],
    ['sub-millisecond ttl', () => ({ session: Session.memory({ ttl: Duration.millis(0) }) }), 'test/Agent: AgentRuntime agents/test-agent-c8ed7a28: session.ttl: duration must be a positive'],
    ['bad env name', () => ({ env: { 'BAD NAME': kplus.EnvValue.fromValue('x') } }), 'test/Agent: AgentRuntime agents/test-agent-c8ed7a28: env.BAD NAME: is not a valid environment variable name'],
    ['a name the API server refuses', () => ({ metadata: { name: 'Support_Agent' } }), 'test/Agent: AgentRuntime agents/Support_Agent: metadata.name: "Support_Agent" must be a lowercase RFC 1123 subdomain'],
    ['a name too long for the instance label', () => ({ metadata: { name: 'a'.repeat(70) } }),
      `test/Agent: AgentRuntime agents/${'a'.repeat(70)}: metadata.name: "${'a'.repeat(70)}" becomes the app.kubernetes.io/instance label, and must be no more than 63 characters, not 70`],
  ])('%s', (_name, props, message) => {
    const chart = newChart();
    expect(() => new AgentRuntime(chart, 'Agent', { provider: openai(chart), promptPack: externalPack(chart), ...props(chart) })).toThrow(message);
  });

  test('a redis session without a URL secret', () => {
    const chart = newChart();
    expect(() => new AgentRuntime(chart, 'Agent', { provider: openai(chart), promptPack: externalPack(chart), session: Session.redis({} as any) }))
      .toThrow('Session.redis: url: is required');
  });

  test('a Secret key that is not a valid key', () => {
    const chart = newChart();
    expect(() => SecretKey.of(kplus.Secret.fromSecretName(chart, 'S', 's'), 'api key')).toThrow('test/S: key: "api key" is not a valid Secret key');
  });
});

describe('props of the wrong type, as JavaScript can pass them, fail at construct time with the field', () => {
  test.each<[string, (chart: any, props: any) => any, string]>([
    ['no props', () => null, 'test/Agent: AgentRuntime agents/?: props: the props are required'],
    ['provider as a number', (_c, p) => ({ ...p, provider: 5 }), 'test/Agent: AgentRuntime agents/?: provider: must be an IProvider, not a number'],
    ['promptPack as a string', (_c, p) => ({ ...p, promptPack: 'prompts' }), 'test/Agent: AgentRuntime agents/?: promptPack: must be an IPromptPack, not a string'],
    ['an env value that is no EnvValue', (_c, p) => ({ ...p, env: { A: 5 } }), 'test/Agent: AgentRuntime agents/?: env.A: must be an EnvValue, not a number'],
    ['resources as a string', (_c, p) => ({ ...p, resources: 'big' }), 'test/Agent: AgentRuntime agents/?: resources: must be a ContainerResources, not a string'],
    ['a cpu that is a string', (_c, p) => ({ ...p, resources: { cpu: { limit: '1' } } }), 'test/Agent: AgentRuntime agents/?: resources.cpu.limit: must be a kplus.Cpu, not a string'],
    ['a resource that does not exist', (_c, p) => ({ ...p, resources: { gpu: {} } }), 'test/Agent: AgentRuntime agents/?: resources.gpu: is not a resource'],
    ['session as a string', (_c, p) => ({ ...p, session: 'redis' }), 'test/Agent: AgentRuntime agents/?: session: must be a Session'],
    ['replicas as a string', (_c, p) => ({ ...p, replicas: '3' }), 'test/Agent: AgentRuntime agents/?: replicas: must be a number, not a string'],
    ['a handler option of the wrong type, deep inside', (c, p) => ({ ...p, toolRegistry: new ToolRegistry(c, 'T', { handlers: [ToolHandler.mcp({ name: 'kb', endpoint: 5 } as any)] }) }), 'ToolHandler.mcp: endpoint: must be a string, not a number'],
  ])('%s', (_name, props, message) => {
    const chart = newChart();
    expect(() => new AgentRuntime(chart, 'Agent', props(chart, { provider: openai(chart), promptPack: externalPack(chart) }))).toThrow(message);
  });

  test('a ToolRegistry takes a list of ToolHandler only', () => {
    expect(() => new ToolRegistry(newChart(), 'Tools', { handlers: 'x' } as any)).toThrow('test/Tools: ToolRegistry agents/?: handlers: must be a list of ToolHandler');
    expect(() => new ToolRegistry(newChart(), 'Tools', { handlers: [5] } as any)).toThrow('test/Tools: ToolRegistry agents/?: handlers[0]: must be a ToolHandler');
  });
});
