import * as path from 'path';
import { ApiObject, App, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentCompanions, AgentRuntime, l1, OmniaApiTarget, OmniaOperator, OmniaTarget, PromptPack, ProviderType, Rollout, SecretKey, Session, ToolHandler, ToolRegistry,
} from '../../lib';
import { releaseCrds, releaseInstallCrds } from '../../lib/validation/crds';
import { providerOf } from '../util';

const RELEASE = OmniaApiTarget.V0_9_0_BETA_17;
const PACK_FILE = path.join(__dirname, '..', '..', 'examples', 'prompts', 'customer-service.json');

function releaseChart(): { app: App; chart: Chart } {
  const app = Testing.app();
  OmniaTarget.use(app, RELEASE);
  return { app, chart: new Chart(app, 'test', { namespace: 'agents' }) };
}

function agentIn(chart: Chart, props: any = {}): AgentRuntime {
  const key = kplus.Secret.fromSecretName(chart, `Key${chart.node.children.length}`, 'llm-credentials');
  return new AgentRuntime(chart, props.id ?? 'Agent', {
    metadata: { name: props.name ?? 'support' },
    provider: props.provider ?? providerOf(chart, `Provider${chart.node.children.length}`, ProviderType.OPENAI, 'gpt-4o', SecretKey.of(key, 'api-key'), 'openai'),
    promptPack: props.promptPack ?? PromptPack.fromName(chart, `Pack${chart.node.children.length}`, 'prompts'),
    ...props.extra,
  });
}

const byKind = (chart: Chart, kind: string) => Testing.synth(chart).filter((o) => o.kind === kind);

describe('the newest release is the default target', () => {
  test('an app that chooses none targets it, and every default follows', () => {
    const app = Testing.app();
    expect(OmniaTarget.of(app)).toBe(RELEASE);
    expect(OmniaTarget.RELEASE).toBe(RELEASE);
    const chart = new Chart(app, 'test', { namespace: 'agents' });
    expect(OmniaTarget.of(chart)).toBe(RELEASE);
    const agent = agentIn(chart);
    expect(agent.target).toBe(RELEASE);
    // The release's shape: a Provider object and facades, no documented provider block.
    const [rendered] = byKind(chart, 'AgentRuntime');
    expect(rendered.spec.provider).toBeUndefined();
    expect(rendered.spec.facades).toEqual([expect.objectContaining({ type: 'websocket', port: 8080 })]);
    expect(byKind(chart, 'Provider')).toHaveLength(1);
    // The install is the release's: its operator image and every CRD its manager needs.
    const operator = new OmniaOperator(app, 'omnia');
    expect(operator.target).toBe(RELEASE);
    expect(operator.image).toBe('ghcr.io/altairalabs/omnia-operator:0.9.0-beta.17');
    expect(Testing.synth(operator.crds!).map((c) => c.spec.names.kind)).toEqual(releaseInstallCrds(false).map((c) => c.spec.names.kind));
  });

  test('the documented API is an explicit choice, and exact: the l1 classes say how to make it', () => {
    const released = new Chart(Testing.app(), 'test', { namespace: 'agents' });
    expect(() => new l1.PromptPack(released, 'P', { metadata: { name: 'p' }, spec: { packName: 'p', version: '1.0.0', source: { type: l1.PromptPackSpecSourceType.CONFIGMAP, configMapRef: { name: 'p' } } } }))
      .toThrow('test/P: PromptPack: the l1 classes write the documented API, and this app targets Omnia v0.9.0-beta.17: use the L2 constructs, which render that release\'s shape, or choose the documented API with OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED) before creating constructs');
    const app = Testing.app();
    OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
    const chart = new Chart(app, 'test', { namespace: 'agents' });
    expect(OmniaTarget.of(chart)).toBe(OmniaApiTarget.DOCUMENTED);
    agentIn(chart);
    const [rendered] = byKind(chart, 'AgentRuntime');
    expect(rendered.spec.provider).toMatchObject({ name: 'openai', model: 'gpt-4o' });
    expect(rendered.spec.facades).toBeUndefined();
  });
});

describe('the same L2 props render the release\'s shape', () => {
  test('AgentRuntime: facades, its Provider, context and runtime', () => {
    const { chart } = releaseChart();
    const redis = kplus.Secret.fromSecretName(chart, 'Redis', 'redis');
    const agent = agentIn(chart, {
      extra: {
        replicas: 3,
        session: Session.redis({ ttl: Duration.hours(2), url: SecretKey.of(redis, 'url') }),
        resources: { cpu: { request: kplus.Cpu.millis(250) }, memory: { limit: require('cdk8s').Size.mebibytes(512) } },
        env: { LOG_LEVEL: kplus.EnvValue.fromValue('debug') },
      },
    });
    expect(agent.target).toBe(RELEASE);
    const [runtime] = byKind(chart, 'AgentRuntime');
    const [provider] = byKind(chart, 'Provider');
    expect(runtime.apiVersion).toBe('omnia.altairalabs.ai/v1alpha1');
    expect(runtime.spec).toEqual({
      facades: [{ type: 'websocket', port: 8080 }],
      providers: [{ name: 'default', providerRef: { name: 'openai' } }],
      promptPackRef: { name: 'prompts' },
      context: { type: 'redis', ttl: '2h', storeRef: { name: 'redis' } },
      runtime: {
        replicas: 3,
        resources: { requests: { cpu: '250m' }, limits: { memory: '512Mi' } },
        extraEnv: [{ name: 'LOG_LEVEL', value: 'debug' }],
      },
    });
    expect(provider.metadata.namespace).toBe('agents');
    expect(provider.metadata.name).toBe('openai');
    expect(provider.spec).toEqual({ type: 'openai', role: 'llm', model: 'gpt-4o', credential: { secretRef: { name: 'llm-credentials', key: 'api-key' } } });
  });

  test('autoscaling is the release\'s runtime.autoscaling: no HPA object, no replicas', () => {
    const { chart } = releaseChart();
    agentIn(chart).autoscale({ minReplicas: 2, maxReplicas: 8, cpuTargetUtilization: 60 });
    expect(byKind(chart, 'HorizontalPodAutoscaler')).toEqual([]);
    const [runtime] = byKind(chart, 'AgentRuntime');
    expect(runtime.spec.runtime).toEqual({
      autoscaling: { enabled: true, type: 'hpa', minReplicas: 2, maxReplicas: 8, targetCPUUtilizationPercentage: 60, scaleDownStabilizationSeconds: 300 },
    });
  });

  test('PromptPack and ToolRegistry in the release\'s fields', () => {
    const { chart } = releaseChart();
    PromptPack.fromFile(chart, 'Pack', { metadata: { name: 'support-prompts' }, file: PACK_FILE });
    const token = kplus.Secret.fromSecretName(chart, 'Token', 'kb-token');
    new ToolRegistry(chart, 'Tools', {
      metadata: { name: 'tools' },
      handlers: [
        ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb.tools.svc:8000/mcp', auth: SecretKey.of(token, 'token') }),
        ToolHandler.openApi({ name: 'shop', specUrl: 'https://shop.example/openapi.json', operations: ['getOrder'] }),
        ToolHandler.grpc({ name: 'stock', endpoint: 'stock:50051', tool: { name: 'stock', description: 'Stock level of an item' } }),
      ],
    });
    const [pack] = byKind(chart, 'PromptPack');
    expect(pack.spec).toEqual({ version: require(PACK_FILE).version, source: { type: 'configmap', configMapRef: { name: 'support-prompts-pack' } } });
    const [registry] = byKind(chart, 'ToolRegistry');
    expect(registry.spec.handlers).toEqual([
      { name: 'kb', type: 'mcp', timeout: '30s', mcpConfig: { endpoint: 'http://kb.tools.svc:8000/mcp', transport: 'streamable-http' }, auth: { type: 'bearer', secretRef: { name: 'kb-token', key: 'token' } } },
      { name: 'shop', type: 'openapi', timeout: '30s', openAPIConfig: { specURL: 'https://shop.example/openapi.json', operationFilter: ['getOrder'] } },
      { name: 'stock', type: 'grpc', timeout: '30s', grpcConfig: { endpoint: 'stock:50051', tls: false }, tool: { name: 'stock', description: 'Stock level of an item', inputSchema: { type: 'object' } } },
    ]);
  });
});

describe('what the release cannot express is refused at construct time, with the path, the field and the target', () => {
  const refusal = (field: string) => new RegExp(`^test/\\w+: \\w+ agents/[^:]+: ${field.replace('.', '\\.')}: .* Omnia v0\\.9\\.0-beta\\.17 has no equivalent`);
  test.each<[string, (chart: Chart) => unknown, string]>([
    ['a PromptPack in another namespace', (c) => agentIn(c, { promptPack: PromptPack.fromName(c, 'Other', 'prompts', 'shared') }), 'promptPack'],
    ['a redis URL under a key other than url', (c) => agentIn(c, { extra: { session: Session.redis({ url: SecretKey.of(kplus.Secret.fromSecretName(c, 'R', 'r'), 'redis-url') }) } }), 'session.url'],
    ['a canary rollout', (c) => PromptPack.fromFile(c, 'Pack', { metadata: { name: 'p' }, file: PACK_FILE, rollout: Rollout.canary(10) }), 'rollout'],
    ['a pack under another ConfigMap key', (c) => new PromptPack(c, 'Pack', { metadata: { name: 'p' }, packName: 'x', version: '1.0.0', configMap: kplus.ConfigMap.fromConfigMapName(c, 'Cm', 'cm'), key: 'other.json' }), 'key'],
    ['a disruption budget of our own', (c) => agentIn(c, { extra: { replicas: 2 } }).addDisruptionBudget(), 'disruptionBudget'],
    ['a scope-wide disruption budget', (c) => {
      AgentCompanions.applyTo(c, { disruptionBudget: {} });
      agentIn(c);
    }, 'disruptionBudget'],
  ])('%s', (_name, make, field) => {
    const { chart } = releaseChart();
    expect(() => make(chart)).toThrow(refusal(field));
  });

  test('the l1 classes write the documented API only', () => {
    const { chart } = releaseChart();
    expect(() => new l1.AgentRuntime(chart, 'Raw', { metadata: { name: 'raw' } })).toThrow('test/Raw: AgentRuntime: the l1 classes write the documented API, and this app targets Omnia v0.9.0-beta.17');
  });

  test('the target is chosen before the constructs', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'agents' });
    agentIn(chart);
    expect(() => OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED)).toThrow('choose the API target before creating Omnia constructs; this app already has some, written for v0.9.0-beta.17');
    expect(OmniaTarget.of(chart)).toBe(RELEASE);
    // Choosing the target already in force is no change, and allowed.
    expect(() => OmniaTarget.use(app, RELEASE)).not.toThrow();
  });
});

test('synth checks release objects against the release\'s CRDs', () => {
  const { chart } = releaseChart();
  const agent = agentIn(chart);
  ApiObject.of(agent).addJsonPatch(JsonPatch.add('/spec/facades/-', { type: 'websocket', port: 9000 }));
  expect(() => Testing.synth(chart)).toThrow('test/Agent: AgentRuntime agents/support: spec: spec.facades must not contain duplicate facade types');
});

describe('OmniaOperator for the release', () => {
  function install(props: any = {}) {
    const app = Testing.app();
    OmniaTarget.use(app, RELEASE);
    const operator = new OmniaOperator(app, 'omnia', props);
    return { operator, objects: Testing.synth(operator), crds: Testing.synth(operator.crds!) };
  }

  test('every CRD the release\'s manager needs, as the build derived them', () => {
    const { crds } = install();
    expect(crds.map((c) => c.metadata.name)).toEqual(releaseInstallCrds(false).map((c) => c.metadata.name));
    expect(crds).toHaveLength(10);
    expect(crds.map((c) => c.spec.names.kind)).toEqual(expect.arrayContaining(['AgentRuntime', 'Provider', 'Workspace', 'SessionRetentionPolicy', 'MemoryPolicy', 'AgentPolicy', 'SkillSource', 'ToolPolicy']));
  });

  test('the release\'s flags, agent images pinned to its version, POD_NAMESPACE, the workspace volume and fsGroup', () => {
    const { objects, operator } = install();
    const deployment = objects.find((o) => o.kind === 'Deployment');
    const pod = deployment.spec.template.spec;
    const [manager] = pod.containers;
    expect(operator.image).toBe('ghcr.io/altairalabs/omnia-operator:0.9.0-beta.17');
    expect(manager.args).toEqual(expect.arrayContaining([
      '--leader-elect',
      '--metrics-bind-address=:8443',
      '--metrics-secure=true',
      '--facade-image=ghcr.io/altairalabs/omnia-facade:0.9.0-beta.17',
      '--framework-image=promptkit=ghcr.io/altairalabs/omnia-runtime:0.9.0-beta.17',
      '--session-api-image=ghcr.io/altairalabs/omnia-session-api:0.9.0-beta.17',
      '--memory-api-image=ghcr.io/altairalabs/omnia-memory-api:0.9.0-beta.17',
      '--privacy-api-image=ghcr.io/altairalabs/omnia-privacy-api:0.9.0-beta.17',
      '--eval-worker-image=ghcr.io/altairalabs/omnia-eval-worker:0.9.0-beta.17',
      '--agent-workspace-reader-clusterrole=omnia-operator-omnia-system-agent-workspace-reader',
      '--workspace-content-path=/workspace-content',
    ]));
    expect(manager.args.filter((a: string) => /-image=/.test(a) && !a.endsWith(':0.9.0-beta.17'))).toEqual([]);
    expect(manager.env).toEqual([{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }]);
    expect(manager.volumeMounts).toEqual([{ name: 'workspace-content', mountPath: '/workspace-content' }]);
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim');
    expect(pod.volumes).toEqual([{ name: 'workspace-content', persistentVolumeClaim: { claimName: pvc.metadata.name } }]);
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, fsGroup: 65532 });
    expect(manager.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  test('RBAC: the release\'s role plus secure metrics, a /metrics reader, leader election; no wildcard', () => {
    const { objects } = install();
    const roles = objects.filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role');
    const operatorRole = roles.find((r) => r.metadata.name === 'omnia-operator-omnia-system');
    const can = (group: string, resource: string, verb: string) => operatorRole.rules.some((r: any) => r.apiGroups?.includes(group) && r.resources?.includes(resource) && r.verbs.includes(verb));
    expect(can('authentication.k8s.io', 'tokenreviews', 'create')).toBe(true);
    expect(can('authorization.k8s.io', 'subjectaccessreviews', 'create')).toBe(true);
    expect(can('omnia.altairalabs.ai', 'providers', 'watch')).toBe(true);
    expect(can('omnia.altairalabs.ai', 'workspaces', 'watch')).toBe(true);
    expect(can('', 'serviceaccounts/token', 'create')).toBe(true);
    const reader = roles.find((r) => r.metadata.name.endsWith('-metrics-reader'));
    expect(reader.rules).toEqual([{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
    expect(roles.find((r) => r.kind === 'Role').rules.some((r: any) => r.resources.includes('leases'))).toBe(true);
    expect(JSON.stringify(roles)).not.toContain('"*"');
  });

  test('the documented API has no released operator: an image is required, and says why', () => {
    const documentedApp = () => {
      const app = Testing.app();
      OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED);
      return app;
    };
    expect(() => new OmniaOperator(documentedApp(), 'omnia')).toThrow(/^omnia: image: no released Omnia operator implements the documented API .* leave out OmniaTarget\.use\(app, OmniaApiTarget\.DOCUMENTED\) to target Omnia v0\.9\.0-beta\.17, whose operator image is the default$/);
    expect(() => new OmniaOperator(documentedApp(), 'omnia', { image: 'registry.example.com/omnia-operator' })).toThrow('omnia: tag: give the tag of the operator image');
    expect(() => new OmniaOperator(documentedApp(), 'omnia', { image: 'registry.example.com/omnia-operator', tag: 'latest' })).toThrow('"latest" is not a version');
  });
});

test('manifests checked for the wrong target say which target serves their kinds, without repeating a missing field', () => {
  const { validateManifests } = require('../../lib');
  const { chart } = releaseChart();
  agentIn(chart);
  const pack = PromptPack.fromFile(chart, 'Pack', { metadata: { name: 'p' }, file: PACK_FILE });
  expect(pack.name).toBe('p');
  const findings = validateManifests(Testing.synth(chart), { target: OmniaApiTarget.DOCUMENTED, references: true }).map((f: any) => `${f.kind} ${f.path}: ${f.message}`);
  expect(findings).toContain('Provider kind: no CRD in this package serves Provider in omnia.altairalabs.ai/v1alpha1 (Omnia v0.9.0-beta.17 does: were these manifests written for that target?)');
  expect(findings).toContain('PromptPack spec.packName: Required value');
  expect(findings.filter((f: string) => f.includes('differs from the pack\'s id'))).toEqual([]);
  expect(validateManifests(Testing.synth(chart), { target: RELEASE, external: ['PromptPack/agents/prompts'] })).toEqual([]);
});
