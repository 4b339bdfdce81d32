import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentCompanions, AgentRuntime, AgentRuntimeProps, KedaTrigger, OmniaApiTarget, OmniaSchema, OmniaTarget, PromptPack, Provider, ProviderCredential,
  ProviderType, SecretKey, validateManifests,
} from '../../lib';
import { COVERAGE_AREAS } from '../fixtures/release-coverage';
import { documentedApp, externalPack, openai } from '../util';

function releaseChart(namespace = 'agents'): Chart {
  const app: App = Testing.app();
  OmniaTarget.use(app, OmniaApiTarget.V0_9_0_BETA_17);
  return new Chart(app, 'test', { namespace });
}

function releaseAgent(chart: Chart, extra: Partial<AgentRuntimeProps> = {}): AgentRuntime {
  const provider = new Provider(chart, 'Provider', {
    metadata: { name: 'llm' },
    type: ProviderType.OPENAI,
    model: 'gpt-4o',
    credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(chart, 'Key', 'llm-key'), 'api-key')),
  });
  return new AgentRuntime(chart, 'Agent', { metadata: { name: 'support' }, provider, promptPack: PromptPack.fromName(chart, 'Pack', 'prompts'), ...extra });
}

const agentOf = (chart: Chart) => Testing.synth(chart).find((o) => o.kind === 'AgentRuntime');
const valid = (agent: any) => expect(OmniaSchema.validateFor(agent, OmniaApiTarget.V0_9_0_BETA_17)).toEqual([]);
const PREFIX = 'test/Agent: AgentRuntime agents/support: ';

describe('placement renders spec.runtime.nodeSelector, tolerations and affinity', () => {
  test('every part', () => {
    const chart = releaseChart();
    releaseAgent(chart, {
      placement: {
        nodeSelector: { 'kubernetes.io/arch': 'arm64', 'pool': 'agents' },
        tolerations: [
          kplus.NodeTaintQuery.is('dedicated', 'agents', { effect: kplus.TaintEffect.NO_SCHEDULE }),
          kplus.NodeTaintQuery.exists('spot', { effect: kplus.TaintEffect.NO_EXECUTE, evictAfter: Duration.minutes(2) }),
        ],
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{
              weight: 100,
              podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'support' } } },
            }],
          },
        },
      },
    });
    const spec = agentOf(chart).spec;
    expect(spec.runtime.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64', 'pool': 'agents' });
    expect(spec.runtime.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'agents', effect: 'NoSchedule' },
      { key: 'spot', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 120 },
    ]);
    expect(spec.runtime.affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100,
          podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'support' } } },
        }],
      },
    });
    valid(agentOf(chart));
  });

  test('without pod props the spec has none of the pod fields', () => {
    const chart = releaseChart();
    releaseAgent(chart);
    const spec = agentOf(chart).spec;
    for (const field of ['nodeSelector', 'tolerations', 'affinity', 'volumes', 'volumeMounts']) expect(spec.runtime).not.toHaveProperty(field);
    expect(spec).not.toHaveProperty('podOverrides');
    expect(spec).not.toHaveProperty('extraPodAnnotations');
  });
});

describe('volumeMounts render spec.runtime.volumes and volumeMounts', () => {
  test('volumes of several kinds, each once, mounted in the runtime container', () => {
    const chart = releaseChart();
    const media = kplus.Volume.fromPersistentVolumeClaim(chart, 'Media', kplus.PersistentVolumeClaim.fromClaimName(chart, 'Claim', 'media'), { readOnly: true });
    const config = new kplus.ConfigMap(chart, 'Config', { metadata: { name: 'mock-config' }, data: { 'responses.yaml': 'a: b' } });
    const scratch = kplus.Volume.fromEmptyDir(chart, 'Scratch', 'scratch', { sizeLimit: Size.gibibytes(1) });
    releaseAgent(chart, {
      volumeMounts: [
        { volume: media, path: '/data/media', readOnly: true },
        { volume: kplus.Volume.fromConfigMap(chart, 'Mock', config, { name: 'mock' }), path: '/etc/mock', subPath: 'responses.yaml' },
        { volume: scratch, path: '/tmp/a' },
        { volume: scratch, path: '/tmp/b', subPath: 'b' },
      ],
    });
    const runtime = agentOf(chart).spec.runtime;
    expect(runtime.volumes).toEqual([
      { name: media.name, persistentVolumeClaim: { claimName: 'media', readOnly: true } },
      { name: 'mock', configMap: { name: 'mock-config' } },
      { name: 'scratch', emptyDir: { sizeLimit: '1024Mi' } },
    ]);
    expect(runtime.volumeMounts).toEqual([
      { name: media.name, mountPath: '/data/media', readOnly: true },
      { name: 'mock', mountPath: '/etc/mock', readOnly: false, subPath: 'responses.yaml' },
      { name: 'scratch', mountPath: '/tmp/a', readOnly: false },
      { name: 'scratch', mountPath: '/tmp/b', readOnly: false, subPath: 'b' },
    ]);
    valid(agentOf(chart));
  });
});

describe('podOverrides renders spec.podOverrides', () => {
  test('workload identity, labels, annotations, pull secrets, scheduling, env, envFrom and volumes', () => {
    const chart = releaseChart();
    const account = new kplus.ServiceAccount(chart, 'Identity', {
      metadata: { name: 'support-agent', annotations: { 'iam.gke.io/gcp-service-account': 'support@project.iam.gserviceaccount.com' } },
      automountToken: true,
    });
    const registry = new kplus.DockerConfigSecret(chart, 'Registry', { metadata: { name: 'registry' }, data: { auths: {} } });
    const settings = kplus.ConfigMap.fromConfigMapName(chart, 'Settings', 'agent-settings');
    const certs = kplus.Volume.fromSecret(chart, 'Certs', kplus.Secret.fromSecretName(chart, 'CertSecret', 'ca-bundle'), { name: 'ca' });
    releaseAgent(chart, {
      podAnnotations: { 'sidecar.istio.io/inject': 'false' },
      podOverrides: {
        serviceAccount: account,
        labels: { team: 'support' },
        annotations: { 'prometheus.io/scrape': 'true' },
        nodeSelector: { zone: 'a' },
        tolerations: [kplus.NodeTaintQuery.any()],
        priorityClassName: 'agents-high',
        imagePullSecrets: [registry],
        env: { HTTPS_PROXY: kplus.EnvValue.fromValue('http://proxy:3128'), REGION: kplus.EnvValue.fromConfigMap(settings, 'region') },
        envFrom: [kplus.Env.fromConfigMap(settings, 'AGENT_')],
        volumeMounts: [{ volume: certs, path: '/etc/ssl/custom', readOnly: true }],
      },
    });
    const spec = agentOf(chart).spec;
    expect(spec.extraPodAnnotations).toEqual({ 'sidecar.istio.io/inject': 'false' });
    expect(spec.podOverrides).toEqual({
      serviceAccountName: 'support-agent',
      labels: { team: 'support' },
      annotations: { 'prometheus.io/scrape': 'true' },
      nodeSelector: { zone: 'a' },
      tolerations: [{ operator: 'Exists' }],
      priorityClassName: 'agents-high',
      imagePullSecrets: [{ name: 'registry' }],
      extraEnv: [
        { name: 'HTTPS_PROXY', value: 'http://proxy:3128' },
        { name: 'REGION', valueFrom: { configMapKeyRef: { name: 'agent-settings', key: 'region' } } },
      ],
      extraEnvFrom: [{ configMapRef: { name: 'agent-settings' }, prefix: 'AGENT_' }],
      extraVolumes: [{ name: 'ca', secret: { secretName: 'ca-bundle' } }],
      extraVolumeMounts: [{ name: 'ca', mountPath: '/etc/ssl/custom', readOnly: true }],
    });
    valid(agentOf(chart));
  });

  test('a volume of the runtime\'s mounts is written once when podOverrides mounts it too', () => {
    const chart = releaseChart();
    const shared = kplus.Volume.fromEmptyDir(chart, 'Shared', 'shared');
    releaseAgent(chart, { volumeMounts: [{ volume: shared, path: '/shared' }], podOverrides: { volumeMounts: [{ volume: shared, path: '/also-shared', readOnly: true }] } });
    const spec = agentOf(chart).spec;
    expect(spec.runtime.volumes).toEqual([{ name: 'shared', emptyDir: {} }]);
    expect(spec.podOverrides).toEqual({ extraVolumeMounts: [{ name: 'shared', mountPath: '/also-shared', readOnly: true }] });
  });

  test('a Provider in another namespace is readable by the ServiceAccount podOverrides names', () => {
    const app = Testing.app();
    const shared = new Chart(app, 'shared', { namespace: 'llm' });
    const chart = new Chart(app, 'test', { namespace: 'agents' });
    const provider = openai(shared);
    new AgentRuntime(chart, 'Agent', {
      metadata: { name: 'support' }, provider, promptPack: externalPack(chart),
      podOverrides: { serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'Identity', 'support-agent') },
    });
    const binding = Testing.synth(chart).find((o) => o.kind === 'RoleBinding');
    expect(binding.metadata.namespace).toBe('llm');
    expect(binding.subjects).toEqual([expect.objectContaining({ kind: 'ServiceAccount', name: 'support-agent', namespace: 'agents' })]);
  });

  test('the app\'s checks see the Secret and ConfigMap keys the env and volumes name', () => {
    const chart = releaseChart();
    const settings = new kplus.ConfigMap(chart, 'Settings', { metadata: { name: 'agent-settings' }, data: { region: 'eu' } });
    const certs = new kplus.Secret(chart, 'Certs', { metadata: { name: 'ca-bundle' }, stringData: { 'ca.crt': 'x' } });
    releaseAgent(chart, {
      podOverrides: { env: { ZONE: kplus.EnvValue.fromConfigMap(settings, 'zone') } },
      volumeMounts: [{ volume: kplus.Volume.fromSecret(chart, 'Ca', certs, { name: 'ca', items: { 'tls.crt': { path: 'ca.crt' } } }), path: '/etc/ca' }],
    });
    expect(() => Testing.synth(chart)).toThrow([
      'cdk8s-omnia: 2 problem(s) in the app:',
      `  ${PREFIX}spec.podOverrides.extraEnv[0].valueFrom.configMapKeyRef: ConfigMap agents/agent-settings has no key "zone" (it has "region")`,
      `  ${PREFIX}spec.runtime.volumes[0].secret.items[0].key: Secret agents/ca-bundle has no key "tls.crt" (it has "ca.crt")`,
    ].join('\n'));
  });

  test('validateManifests checks the keys of podOverrides\' volumes, and leaves optional ones alone', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'agents' }, data: { region: 'eu' } };
    const volume = (optional: boolean) => ({ name: 'settings', configMap: { name: 'settings', optional, items: [{ key: 'zone', path: 'zone' }] } });
    const agent = (optional: boolean) => ({
      apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind: 'AgentRuntime', metadata: { name: 'support', namespace: 'agents' },
      spec: { podOverrides: { extraVolumes: [volume(optional)] } },
    });
    const messages = (optional: boolean) => validateManifests([configMap, agent(optional)], { target: OmniaApiTarget.V0_9_0_BETA_17 })
      .filter((f) => f.path.startsWith('spec.podOverrides')).map((f) => `${f.path}: ${f.message}`);
    expect(messages(false)).toEqual(['spec.podOverrides.extraVolumes[0].configMap.items[0].key: ConfigMap agents/settings has no key "zone" (it has "region")']);
    expect(messages(true)).toEqual([]);
  });
});

describe('KEDA autoscaling renders spec.runtime.autoscaling of type keda', () => {
  test('triggers, intervals and scale to zero', () => {
    const chart = releaseChart();
    releaseAgent(chart).autoscale({
      minReplicas: 0,
      maxReplicas: 12,
      keda: {
        pollingInterval: Duration.seconds(15),
        cooldownPeriod: Duration.minutes(10),
        triggers: [
          KedaTrigger.prometheus({ serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(rate(http_requests_total[1m]))', threshold: 50, activationThreshold: 1 }),
          KedaTrigger.cron({ timezone: 'Europe/Paris', start: '0 8 * * 1-5', end: '0 19 * * 1-5', desiredReplicas: 3 }),
          KedaTrigger.of('cpu', { type: 'Utilization', value: '60' }),
        ],
      },
    });
    const spec = agentOf(chart).spec;
    expect(spec.runtime.replicas).toBeUndefined();
    expect(spec.runtime.autoscaling).toEqual({
      enabled: true, type: 'keda', minReplicas: 0, maxReplicas: 12,
      keda: {
        pollingInterval: 15,
        cooldownPeriod: 600,
        triggers: [
          { type: 'prometheus', metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(rate(http_requests_total[1m]))', threshold: '50', activationThreshold: '1' } },
          { type: 'cron', metadata: { timezone: 'Europe/Paris', start: '0 8 * * 1-5', end: '0 19 * * 1-5', desiredReplicas: '3' } },
          { type: 'cpu', metadata: { type: 'Utilization', value: '60' } },
        ],
      },
    });
    valid(agentOf(chart));
  });

  test('the operator\'s default trigger, with its defaults written', () => {
    const chart = releaseChart();
    releaseAgent(chart).autoscale({ maxReplicas: 5, keda: { connectionThreshold: 20 } });
    expect(agentOf(chart).spec.runtime.autoscaling).toEqual({
      enabled: true, type: 'keda', minReplicas: 1, maxReplicas: 5, keda: { pollingInterval: 30, cooldownPeriod: 300, connectionThreshold: 20 },
    });
    const other = releaseChart();
    releaseAgent(other).autoscale({ maxReplicas: 5, keda: {} });
    expect(agentOf(other).spec.runtime.autoscaling.keda).toEqual({ pollingInterval: 30, cooldownPeriod: 300, connectionThreshold: 200 });
  });

  test('a scope-wide choice of KEDA applies too', () => {
    const chart = releaseChart();
    AgentCompanions.applyTo(chart, { autoscale: { maxReplicas: 4, keda: {} } });
    releaseAgent(chart);
    expect(agentOf(chart).spec.runtime.autoscaling).toMatchObject({ type: 'keda', maxReplicas: 4 });
  });

  test('the HPA form is unchanged', () => {
    const chart = releaseChart();
    releaseAgent(chart).autoscale({ maxReplicas: 5 });
    expect(agentOf(chart).spec.runtime.autoscaling).toEqual({
      enabled: true, type: 'hpa', minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 80, scaleDownStabilizationSeconds: 300,
    });
  });
});

describe('bad pod props fail at construct time, naming the field', () => {
  const vol = (c: Chart, name = 'data') => kplus.Volume.fromEmptyDir(c, `V-${name}-${Math.random()}`, name);
  test.each<[string, (c: Chart) => Partial<AgentRuntimeProps>, string]>([
    ['a bad node selector key', () => ({ placement: { nodeSelector: { 'bad key': 'x' } } }), 'placement.nodeSelector.bad key: is not a valid key'],
    ['a bad node selector value', () => ({ placement: { nodeSelector: { pool: 'not valid!' } } }), 'placement.nodeSelector.pool: "not valid!" is not a valid label value'],
    ['a toleration that is no NodeTaintQuery', () => ({ placement: { tolerations: [{ key: 'x' } as any] } }), 'placement.tolerations[0]: must be a kplus.NodeTaintQuery'],
    ['an affinity that is no object', () => ({ placement: { affinity: 'zone-a' as any } }), 'placement.affinity: must be a k8s.Affinity, not a string'],
    ['a mount without a Volume', () => ({ volumeMounts: [{ volume: { name: 'x' } as any, path: '/x' }] }), 'volumeMounts[0].volume: must be a kplus.Volume'],
    ['a relative mount path', (c) => ({ volumeMounts: [{ volume: vol(c), path: 'data' }] }), 'volumeMounts[0].path: must be an absolute path without ":", got "data"'],
    ['a path the operator mounts', (c) => ({ volumeMounts: [{ volume: vol(c), path: '/etc/omnia/pack' }] }), 'volumeMounts[0].path: /etc/omnia/pack overlaps a path the operator mounts'],
    ['a path above one the operator mounts', (c) => ({ volumeMounts: [{ volume: vol(c), path: '/etc/omnia' }] }), 'volumeMounts[0].path: /etc/omnia overlaps a path the operator mounts'],
    ['a volume name the operator uses', (c) => ({ volumeMounts: [{ volume: vol(c, 'tools-config'), path: '/x' }] }), 'volumeMounts[0].volume: name "tools-config" is a volume the operator adds'],
    ['two volumes of one name', (c) => ({ volumeMounts: [{ volume: vol(c), path: '/a' }, { volume: vol(c), path: '/b' }] }), 'volumeMounts[1].volume: another volume is already named "data"'],
    ['a path mounted twice', (c) => { const v = vol(c); return { volumeMounts: [{ volume: v, path: '/a' }], podOverrides: { volumeMounts: [{ volume: v, path: '/a/' }] } }; },
      'podOverrides.volumeMounts[0].path: /a/ is mounted twice'],
    ['a subPath with ..', (c) => ({ volumeMounts: [{ volume: vol(c), path: '/a', subPath: '../etc' }] }), 'volumeMounts[0].subPath: must be a relative path without ".."'],
    ['a bad pod annotation key', () => ({ podAnnotations: { '-x': 'y' } }), 'podAnnotations.-x: is not a valid key'],
    ['a bad pod label value', () => ({ podOverrides: { labels: { team: 'a b' } } }), 'podOverrides.labels.team: "a b" is not a valid label value'],
    ['a ServiceAccount without its token', (c) => ({ podOverrides: { serviceAccount: new kplus.ServiceAccount(c, 'Sa', { metadata: { name: 'no-token' } }) } }), 'podOverrides.serviceAccount: ServiceAccount no-token has automountToken false'],
    ['a ServiceAccount of another namespace', (c) => ({ podOverrides: { serviceAccount: new kplus.ServiceAccount(c, 'Sa', { metadata: { name: 'sa', namespace: 'other' }, automountToken: true }) } }),
      'podOverrides.serviceAccount: ServiceAccount sa is in namespace other; a pod runs as one of its own namespace (agents)'],
    ['a pull Secret of another namespace', (c) => ({ podOverrides: { imagePullSecrets: [new kplus.DockerConfigSecret(c, 'R', { metadata: { name: 'r', namespace: 'other' }, data: {} })] } }),
      'podOverrides.imagePullSecrets[0]: Secret r is in namespace other'],
    ['a bad priority class', () => ({ podOverrides: { priorityClassName: 'High' } }), 'podOverrides.priorityClassName: must be a DNS subdomain name, got "High"'],
    ['an env name with =', () => ({ podOverrides: { env: { 'A=B': kplus.EnvValue.fromValue('x') } } }), 'podOverrides.env.A=B: is not a valid environment variable name'],
    ['an env value that is no EnvValue', () => ({ podOverrides: { env: { A: 'x' as any } } }), 'podOverrides.env.A: must be an EnvValue, not a string'],
    ['an envFrom that is no EnvFrom', () => ({ podOverrides: { envFrom: [{ configMapRef: { name: 'x' } } as any] } }), 'podOverrides.envFrom[0]: must be a kplus.EnvFrom'],
  ])('%s', (_name, props, message) => {
    const chart = releaseChart();
    expect(() => releaseAgent(chart, props(chart))).toThrow(`${PREFIX}${message}`);
  });

  test.each<[string, any, string]>([
    ['HPA options with KEDA', { maxReplicas: 3, cpuTargetUtilization: 50, keda: {} }, 'autoscale.cpuTargetUtilization: applies to a HorizontalPodAutoscaler only'],
    ['a negative minimum', { minReplicas: -1, maxReplicas: 3, keda: {} }, 'autoscale.minReplicas: must be a whole number >= 0, got -1'],
    ['a threshold with triggers', { maxReplicas: 3, keda: { connectionThreshold: 5, triggers: [KedaTrigger.of('cpu', { value: '50' })] } }, 'autoscale.keda.connectionThreshold: applies to the operator\'s default trigger only'],
    ['a zero threshold', { maxReplicas: 3, keda: { connectionThreshold: 0 } }, 'autoscale.keda.connectionThreshold: must be a whole number >= 1, got 0'],
    ['a polling interval of a fraction of a second', { maxReplicas: 3, keda: { pollingInterval: Duration.millis(1500) } }, 'autoscale.keda.pollingInterval: must be whole seconds >= 1, got 1500 ms'],
    ['a prometheus trigger without a URL', { maxReplicas: 3, keda: { triggers: [KedaTrigger.prometheus({ serverAddress: 'prometheus', query: 'up', threshold: 1 })] } },
      'autoscale.keda.triggers[0]: serverAddress must be an http(s) URL, got "prometheus"'],
    ['a cron trigger with a bad schedule', { maxReplicas: 3, keda: { triggers: [KedaTrigger.cron({ timezone: 'UTC', start: '8am', end: '0 19 * * *', desiredReplicas: 0 })] } },
      'autoscale.keda.triggers[0]: start must be a cron expression of 5 fields, got "8am"; desiredReplicas must be a whole number >= 1, got 0'],
    ['a trigger type in capitals', { maxReplicas: 3, keda: { triggers: [KedaTrigger.of('Cron', {})] } }, 'autoscale.keda.triggers[0]: type must be a KEDA scaler name'],
  ])('autoscale: %s', (_name, options, message) => {
    const chart = releaseChart();
    expect(() => releaseAgent(chart).autoscale(options)).toThrow(`${PREFIX}${message}`);
  });
});

describe('the documented API refuses the pod props', () => {
  test.each<[string, (c: Chart) => Partial<AgentRuntimeProps>]>([
    ['placement', () => ({ placement: { nodeSelector: { pool: 'a' } } })],
    ['volumeMounts', (c) => ({ volumeMounts: [{ volume: kplus.Volume.fromEmptyDir(c, 'V', 'v'), path: '/v' }] })],
    ['podOverrides', () => ({ podOverrides: { labels: { a: 'b' } } })],
    ['podAnnotations', () => ({ podAnnotations: { a: 'b' } })],
  ])('%s', (field, props) => {
    const chart = new Chart(documentedApp(), 'test', { namespace: 'agents' });
    expect(() => new AgentRuntime(chart, 'Agent', { metadata: { name: 'support' }, provider: openai(chart), promptPack: externalPack(chart), ...props(chart) }))
      .toThrow(`${PREFIX}${field}: settings of the agent's pod: the documented API has no equivalent`);
  });

  test('KEDA, from the agent or a scope', () => {
    const chart = new Chart(documentedApp(), 'test', { namespace: 'agents' });
    const agent = new AgentRuntime(chart, 'Agent', { metadata: { name: 'support' }, provider: openai(chart), promptPack: externalPack(chart) });
    expect(() => agent.autoscale({ maxReplicas: 3, keda: {} })).toThrow(`${PREFIX}autoscale.keda: KEDA autoscaling: the documented API has no equivalent`);
    expect(() => AgentCompanions.applyTo(chart, { autoscale: { maxReplicas: 3, keda: {} } })).toThrow('autoscale.keda: KEDA autoscaling: the documented API has no equivalent');
  });
});

describe('the coverage fixture of the pod area', () => {
  test('writes every pod field of the release, and each agent passes the release\'s CRD', () => {
    const chart = releaseChart('coverage-pod');
    COVERAGE_AREAS.pod(chart);
    const agents = Testing.synth(chart).filter((o) => o.kind === 'AgentRuntime');
    expect(agents.map((a) => a.metadata.name)).toEqual(['pod-placed', 'pod-hpa', 'pod-keda', 'pod-keda-default']);
    agents.forEach(valid);
    const [placed, hpa, keda, kedaDefault] = agents.map((a) => a.spec);
    expect(Object.keys(placed.runtime).sort()).toEqual(['affinity', 'nodeSelector', 'replicas', 'tolerations', 'volumeMounts', 'volumes']);
    expect(placed.runtime.volumes.map((v: any) => Object.keys(v).filter((k) => k !== 'name')[0]))
      .toEqual(['configMap', 'secret', 'emptyDir', 'persistentVolumeClaim', 'hostPath', 'nfs', 'csi']);
    expect(Object.keys(placed.podOverrides).sort()).toEqual([
      'annotations', 'extraEnv', 'extraEnvFrom', 'extraVolumeMounts', 'extraVolumes', 'imagePullSecrets', 'labels', 'nodeSelector',
      'priorityClassName', 'serviceAccountName', 'tolerations',
    ]);
    expect(placed.podOverrides.extraEnv.map((e: any) => Object.keys(e.valueFrom ?? { value: 1 })[0]))
      .toEqual(['value', 'configMapKeyRef', 'secretKeyRef', 'fieldRef', 'resourceFieldRef']);
    expect(placed.extraPodAnnotations).toEqual({ 'fluentbit.io/parser': 'json' });
    expect(Object.keys(hpa.runtime.autoscaling).sort()).toEqual([
      'enabled', 'maxReplicas', 'minReplicas', 'scaleDownStabilizationSeconds', 'targetCPUUtilizationPercentage', 'targetMemoryUtilizationPercentage', 'type',
    ]);
    expect(Object.keys(keda.runtime.autoscaling.keda).sort()).toEqual(['cooldownPeriod', 'pollingInterval', 'triggers']);
    expect(kedaDefault.runtime.autoscaling.keda).toEqual({ pollingInterval: 30, cooldownPeriod: 300, connectionThreshold: 20 });
  });
});
