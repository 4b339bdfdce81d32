import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  A2aClient, A2aTaskStore, AgentMode, AgentRuntime, AgentRuntimeProps, DuplexMode, Facade, FacadeHandler, FunctionOutputFormat, ImageCompression,
  OmniaApiTarget, OmniaTarget, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey, validateManifests, VideoProcessing,
} from '../../lib';
import { externalPack, newChart, openai } from '../util';

function releaseChart(): Chart {
  const app: App = Testing.app();
  OmniaTarget.use(app, OmniaApiTarget.V0_9_0_BETA_17);
  return new Chart(app, 'test', { namespace: 'agents' });
}

function releaseAgent(chart: Chart, extra: Partial<AgentRuntimeProps>, name = 'support'): AgentRuntime {
  const provider = (chart.node.tryFindChild('Provider') as Provider) ?? new Provider(chart, 'Provider', {
    metadata: { name: 'llm' },
    type: ProviderType.OPENAI,
    model: 'gpt-4o',
    credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(chart, 'Key', 'llm-key'), 'api-key')),
  });
  const pack = chart.node.tryFindChild('Pack') as any ?? PromptPack.fromName(chart, 'Pack', 'prompts');
  return new AgentRuntime(chart, name === 'support' ? 'Agent' : name, { metadata: { name }, provider, promptPack: pack, ...extra });
}

const specOf = (chart: Chart, name = 'support') => Testing.synth(chart).find((o) => o.kind === 'AgentRuntime' && o.metadata.name === name).spec;
const INPUT = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] };
const OUTPUT = { type: 'object', properties: { sentiment: { type: 'string', enum: ['positive', 'negative'] } } };
const WHERE = 'test/Agent: AgentRuntime agents/support';

describe('facades render the release\'s spec.facades', () => {
  test('websocket and a2a: the websocket facade is primary on its port, the a2a one listens on a2a.port (9999 unless told)', () => {
    const chart = releaseChart();
    releaseAgent(chart, { facades: [Facade.websocket(), Facade.a2a()] });
    expect(specOf(chart).facades).toEqual([{ type: 'websocket', port: 8080 }, { type: 'a2a', a2a: { port: 9999 } }]);
    expect(specOf(chart).mode).toBeUndefined();
  });

  test('every setting of the primary facade and of a2a', () => {
    const chart = releaseChart();
    const redis = kplus.Secret.fromSecretName(chart, 'Redis', 'a2a-redis');
    const token = kplus.Secret.fromSecretName(chart, 'Token', 'billing-token');
    const billing = releaseAgent(chart, {}, 'billing');
    releaseAgent(chart, {
      facades: [
        Facade.websocket({
          port: 8090, handler: FacadeHandler.DEMO, image: 'registry.example.com/omnia-facade:v1', env: { LOG_LEVEL: kplus.EnvValue.fromValue('debug') },
          clientToolTimeout: Duration.seconds(90), drainTimeout: Duration.minutes(2), expose: true, exposeHost: 'support.example.com', managementPlane: false,
        }),
        Facade.a2a({
          port: 9100,
          managementPlane: true,
          agentCard: {
            name: 'Support', description: 'Answers customers', version: '1.2.0', organization: 'Example',
            skills: [{ id: 'refunds', name: 'Refunds', description: 'Refund questions', tags: ['billing'], examples: ['Can I get a refund?'] }],
            capabilities: { streaming: true, pushNotifications: false }, defaultInputModes: ['text'], defaultOutputModes: ['text'],
          },
          taskTtl: Duration.hours(2), conversationTtl: Duration.minutes(45), taskStore: A2aTaskStore.redis(redis),
          clients: [
            A2aClient.agentRuntime('billing', billing, { exposeAsTools: true, tokenSecret: token }),
            A2aClient.url('partner', 'https://agents.partner.example.com/a2a'),
          ],
        }),
      ],
    });
    expect(specOf(chart).facades).toEqual([
      {
        type: 'websocket', port: 8090, handler: 'demo', image: 'registry.example.com/omnia-facade:v1', extraEnv: [{ name: 'LOG_LEVEL', value: 'debug' }],
        clientToolTimeout: '1m30s', drainTimeout: '2m', managementPlane: false, expose: { enabled: true, host: 'support.example.com' },
      },
      {
        type: 'a2a', managementPlane: true,
        a2a: {
          port: 9100,
          agentCard: {
            name: 'Support', description: 'Answers customers', version: '1.2.0', organization: 'Example',
            skills: [{ id: 'refunds', name: 'Refunds', description: 'Refund questions', tags: ['billing'], examples: ['Can I get a refund?'] }],
            capabilities: { streaming: true, pushNotifications: false }, defaultInputModes: ['text'], defaultOutputModes: ['text'],
          },
          taskTTL: '2h', conversationTTL: '45m', taskStore: { type: 'redis', redisSecretRef: { name: 'a2a-redis' } },
          clients: [
            { name: 'billing', agentRuntimeRef: { name: 'billing' }, exposeAsTools: true, authentication: { secretRef: { name: 'billing-token' } } },
            { name: 'partner', url: 'https://agents.partner.example.com/a2a' },
          ],
        },
      },
    ]);
  });

  test('an a2a facade alone is the primary one: its port is the facade port (8080 unless told), its settings beside it', () => {
    const chart = releaseChart();
    releaseAgent(chart, { facades: [Facade.a2a({ handler: FacadeHandler.ECHO, taskStore: A2aTaskStore.memory() })] });
    expect(specOf(chart).facades).toEqual([{ type: 'a2a', port: 8080, handler: 'echo', a2a: { taskStore: { type: 'memory' } } }]);
    const other = releaseChart();
    releaseAgent(other, { facade: Facade.a2a({ port: 7000 }) });
    expect(specOf(other).facades).toEqual([{ type: 'a2a', port: 7000 }]);
  });

  test('the facade prop keeps working, and the agent names its primary facade', () => {
    const chart = releaseChart();
    const agent = releaseAgent(chart, { facade: Facade.websocket({ port: 8085 }) });
    expect(specOf(chart).facades).toEqual([{ type: 'websocket', port: 8085 }]);
    expect(agent.facades).toEqual([agent.facade]);
    const both = releaseChart();
    const a2aFirst = releaseAgent(both, { facades: [Facade.a2a(), Facade.websocket()] });
    expect(a2aFirst.facade.type).toBe('websocket');
  });
});

describe('function mode', () => {
  test('a rest facade, an mcp facade beside it, schemas and output format', () => {
    const chart = releaseChart();
    releaseAgent(chart, {
      mode: AgentMode.FUNCTION, inputSchema: INPUT, outputSchema: OUTPUT, outputFormat: FunctionOutputFormat.JSON,
      facades: [Facade.rest({ port: 8088 }), Facade.mcp({ managementPlane: false })],
    });
    const spec = specOf(chart);
    expect(spec.mode).toBe('function');
    expect(spec.inputSchema).toEqual(INPUT);
    expect(spec.outputSchema).toEqual(OUTPUT);
    expect(spec.outputFormat).toBe('json');
    expect(spec.facades).toEqual([{ type: 'rest', port: 8088 }, { type: 'mcp', managementPlane: false, mcp: { enabled: true, port: 9998 } }]);
  });

  test('without facades a function-mode agent gets a rest facade', () => {
    const chart = releaseChart();
    const agent = releaseAgent(chart, { mode: AgentMode.FUNCTION, inputSchema: INPUT, outputSchema: OUTPUT });
    expect(specOf(chart).facades).toEqual([{ type: 'rest', port: 8080 }]);
    expect(agent.mode).toBe(AgentMode.FUNCTION);
  });
});

describe('the release\'s rules, at construct time', () => {
  const fn = { mode: AgentMode.FUNCTION, inputSchema: INPUT, outputSchema: OUTPUT };
  test.each<[string, () => Partial<AgentRuntimeProps>, string]>([
    ['facade and facades', () => ({ facade: Facade.websocket(), facades: [Facade.a2a()] }), 'facades: give facade or facades, not both'],
    ['no facades', () => ({ facades: [] }), 'facades: needs at least one facade'],
    ['two websocket facades', () => ({ facades: [Facade.websocket(), Facade.websocket({ port: 8090 })] }),
      'facades[1]: a second websocket facade (facades[0] is one): an agent has at most one facade of each type'],
    ['a rest facade in agent mode', () => ({ facades: [Facade.rest()] }),
      'facades[0]: a rest facade in agent mode: agent mode allows websocket and a2a facades (rest and mcp need mode: AgentMode.FUNCTION)'],
    ['the facade prop with rest in agent mode', () => ({ facade: Facade.rest() }), 'facade: a rest facade in agent mode'],
    ['a websocket facade in function mode', () => ({ ...fn, facades: [Facade.rest(), Facade.websocket({ port: 8090 })] }),
      'facades[1]: a websocket facade in function mode: function mode allows rest and mcp facades'],
    ['function mode without rest', () => ({ ...fn, facades: [Facade.mcp()] }), 'facades: function mode needs a rest facade (Facade.rest())'],
    ['function mode without an input schema', () => ({ mode: AgentMode.FUNCTION, outputSchema: OUTPUT }),
      'inputSchema: function mode needs the JSON Schema of its input and of its output'],
    ['function mode without an output schema', () => ({ mode: AgentMode.FUNCTION, inputSchema: INPUT }), 'outputSchema: function mode needs'],
    ['a schema that is not an object', () => ({ ...fn, inputSchema: ['x'] as any }), 'inputSchema: must be a map of value, not a list'],
    ['an input schema in agent mode', () => ({ inputSchema: INPUT }), 'inputSchema: is for function mode only: set mode: AgentMode.FUNCTION'],
    ['an output format in agent mode', () => ({ outputFormat: FunctionOutputFormat.TEXT }), 'outputFormat: is for function mode only'],
    ['a port out of range', () => ({ facades: [Facade.websocket({ port: 0 })] }), 'facades[0].port: must be 1..65535, got 0'],
    ['the runtime\'s gRPC port', () => ({ facade: Facade.websocket({ port: 9000 }) }), 'facade.port: 9000 is the runtime\'s gRPC port in the release\'s agent pod: choose another'],
    ['the facade health port', () => ({ facades: [Facade.websocket(), Facade.a2a({ port: 8081 })] }), 'facades[1].port: 8081 is the facade\'s health port'],
    ['two facades on one port', () => ({ facades: [Facade.websocket(), Facade.a2a({ port: 8080 })] }),
      'facades[1].port: 8080 is the port of facades[0] too: each facade listens on a port of its own'],
    ['mcp on the rest port', () => ({ ...fn, facades: [Facade.rest({ port: 9998 }), Facade.mcp()] }), 'facades[1].port: 9998 is the port of facades[0] too'],
    ['a handler on a secondary a2a facade', () => ({ facades: [Facade.websocket(), Facade.a2a({ handler: FacadeHandler.ECHO })] }),
      'facades[1].handler: the release reads handler only from the primary facade (websocket, else rest, else a2a); on this a2a facade it would be ignored: set it on the websocket facade'],
    ['expose on a secondary a2a facade', () => ({ facades: [Facade.a2a({ expose: true }), Facade.websocket()] }), 'facades[0].expose: the release reads expose only from the primary facade'],
    ['a host without expose', () => ({ facade: Facade.websocket({ exposeHost: 'a.example.com' }) }), 'facade.exposeHost: names the host of an exposed facade: set expose: true too'],
    ['a host that is no host name', () => ({ facade: Facade.websocket({ expose: true, exposeHost: 'https://a.example.com' }) }), 'facade.exposeHost: must be a host name'],
    ['an env name with a space', () => ({ facade: Facade.websocket({ env: { 'LOG LEVEL': kplus.EnvValue.fromValue('x') } }) }), 'facade.env.LOG LEVEL: is not a valid environment variable name'],
    ['a sub-millisecond drain timeout', () => ({ facade: Facade.websocket({ drainTimeout: Duration.millis(0.5) }) }), 'facade.drainTimeout: 0.5 must be a whole number of millis'],
    ['an agent card without a name', () => ({ facade: Facade.a2a({ agentCard: { name: ' ' } }) }), 'facade.agentCard.name: must not be empty'],
    ['two skills with one id', () => ({ facade: Facade.a2a({ agentCard: { name: 'x', skills: [{ id: 's', name: 'a' }, { id: 's', name: 'b' }] } }) }),
      'facade.agentCard.skills[1].id: "s" is the id of another skill'],
    ['two clients with one name', () => ({ facade: Facade.a2a({ clients: [A2aClient.url('p', 'https://a.example.com'), A2aClient.url('p', 'https://b.example.com')] }) }),
      'facade.clients[1].name: "p" names another client'],
    ['a client URL that is not http', () => ({ facade: Facade.a2a({ clients: [A2aClient.url('p', 'ftp://a.example.com')] }) }), 'facade.clients[0].url: must be an http(s) URL'],
    ['a service group that is no DNS label', () => ({ serviceGroup: 'Gold_Tier' }), 'serviceGroup: must be a DNS label'],
    ['a relative media path', () => ({ mediaBasePath: 'media' }), 'mediaBasePath: must be an absolute path'],
    ['too many console files', () => ({ console: { maxFiles: 21 } }), 'console.maxFiles: must be a whole number from 1 to 20, got 21'],
    ['a video duration in fractions of seconds', () => ({ console: { mediaRequirements: { video: { maxDuration: Duration.millis(1500) } } } }),
      'console.mediaRequirements.video.maxDuration: must be whole seconds, got 1500ms'],
    ['an image of zero width', () => ({ console: { mediaRequirements: { image: { maxDimensions: { width: 0, height: 10 } } } } }),
      'console.mediaRequirements.image.maxDimensions.width: must be a whole number from 1'],
  ])('%s', (_name, props, message) => {
    expect(() => releaseAgent(releaseChart(), props())).toThrow(`${WHERE}: ${message}`);
  });

  test('a list that holds something other than a Facade', () => {
    expect(() => releaseAgent(releaseChart(), { facades: [{ type: 'websocket', port: 8080 } as any] })).toThrow(`${WHERE}: facades[0]: must be a Facade`);
  });
});

test('duplex, console, media and service group', () => {
  const chart = releaseChart();
  releaseAgent(chart, {
    duplex: { mode: DuplexMode.AUDIO },
    console: {
      allowedAttachmentTypes: ['image/*', 'application/pdf'], allowedExtensions: ['.pdf'], maxFileSize: Size.mebibytes(20), maxFiles: 3,
      mediaRequirements: {
        image: {
          maxSize: Size.mebibytes(5), maxDimensions: { width: 4096, height: 4096 }, recommendedDimensions: { width: 1024, height: 1024 },
          supportedFormats: ['png', 'jpeg'], preferredFormat: 'png', compression: ImageCompression.LOSSY_HIGH,
        },
        video: { maxDuration: Duration.minutes(2), supportsSegmentSelection: true, processing: VideoProcessing.FRAMES, frameExtractionInterval: Duration.seconds(5) },
        audio: { maxDuration: Duration.minutes(10), recommendedSampleRate: 16000, supportsSegmentSelection: false, channels: 1, format: 'pcm16' },
        document: { maxPages: 50, supportsOcr: true },
      },
    },
    mediaBasePath: '/etc/omnia/media/support',
    serviceGroup: 'gold',
  });
  const spec = specOf(chart);
  expect(spec.duplex).toEqual({ enabled: true, mode: 'audio' });
  expect(spec.console).toEqual({
    allowedAttachmentTypes: ['image/*', 'application/pdf'], allowedExtensions: ['.pdf'], maxFileSize: 20971520, maxFiles: 3,
    mediaRequirements: {
      image: {
        maxSizeBytes: 5242880, maxDimensions: { width: 4096, height: 4096 }, recommendedDimensions: { width: 1024, height: 1024 },
        supportedFormats: ['png', 'jpeg'], preferredFormat: 'png', compressionGuidance: 'lossy-high',
      },
      video: { maxDurationSeconds: 120, supportsSegmentSelection: true, processingMode: 'frames', frameExtractionInterval: 5 },
      audio: { maxDurationSeconds: 600, recommendedSampleRate: 16000, supportsSegmentSelection: false, channels: 1, format: 'pcm16' },
      document: { maxPages: 50, supportsOCR: true },
    },
  });
  expect(spec.media).toEqual({ basePath: '/etc/omnia/media/support' });
  expect(spec.serviceGroup).toBe('gold');
  // Left out when not given: the operator's defaults apply.
  const plain = releaseChart();
  releaseAgent(plain, {});
  const defaults = specOf(plain);
  for (const field of ['mode', 'inputSchema', 'outputSchema', 'outputFormat', 'duplex', 'console', 'media', 'serviceGroup']) expect(defaults[field]).toBeUndefined();
  const video = releaseChart();
  releaseAgent(video, { duplex: {} });
  expect(specOf(video).duplex).toEqual({ enabled: true, mode: 'audio' });
});

describe('the documented API refuses what only the release has', () => {
  const agent = (extra: Partial<AgentRuntimeProps>) => {
    const chart = newChart();
    return new AgentRuntime(chart, 'Agent', { provider: openai(chart), promptPack: externalPack(chart), ...extra });
  };
  test.each<[string, Partial<AgentRuntimeProps>, string]>([
    ['facades', { facades: [Facade.websocket()] }, 'facades: a list of facades (the documented API has one websocket facade: use the facade prop): the documented API has no equivalent'],
    ['an a2a facade', { facade: Facade.a2a() }, 'facade: a facade of type a2a (it has websocket only)'],
    ['a facade handler', { facade: Facade.websocket({ handler: FacadeHandler.ECHO }) }, 'facade.handler: the facade setting handler'],
    ['function mode', { mode: AgentMode.FUNCTION }, 'mode: the invocation mode'],
    ['duplex', { duplex: {} }, 'duplex: the realtime voice console'],
    ['a service group', { serviceGroup: 'gold' }, 'serviceGroup: service groups'],
  ])('%s', (_name, props, message) => {
    expect(() => agent(props)).toThrow(message);
  });

  test('the websocket facade with a port still renders', () => {
    const chart = newChart();
    new AgentRuntime(chart, 'Agent', { provider: openai(chart), promptPack: externalPack(chart), facade: Facade.websocket({ port: 8090 }) });
    expect(Testing.synth(chart).find((o) => o.kind === 'AgentRuntime').spec.facade).toEqual({ type: 'websocket', port: 8090 });
  });
});

test('the NetworkPolicy lets the allowed peers in on every facade\'s port', () => {
  const chart = releaseChart();
  const agent = releaseAgent(chart, { facades: [Facade.websocket(), Facade.a2a()] });
  const gateway = kplus.Pods.select(chart, 'Gateway', { labels: { app: 'gateway' } });
  agent.isolateNetwork({ allowFrom: [gateway] });
  const policy = Testing.synth(chart).find((o) => o.kind === 'NetworkPolicy');
  expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'gateway' } } }], ports: [{ port: 8080, protocol: 'TCP' }, { port: 9999, protocol: 'TCP' }] }]);
  const fnChart = releaseChart();
  const fnAgent = releaseAgent(fnChart, { mode: AgentMode.FUNCTION, inputSchema: INPUT, outputSchema: OUTPUT, facades: [Facade.rest(), Facade.mcp({ port: 9200 })] });
  fnAgent.isolateNetwork({ allowFrom: [kplus.Pods.select(fnChart, 'Gateway', { labels: { app: 'gateway' } })] });
  expect(Testing.synth(fnChart).find((o) => o.kind === 'NetworkPolicy').spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }, { port: 9200, protocol: 'TCP' }]);
});

test('the reference checks want the a2a Secrets\' keys and the called AgentRuntime', () => {
  const chart = releaseChart();
  const redis = new kplus.Secret(chart, 'Redis', { metadata: { name: 'a2a-redis' }, stringData: { uri: 'redis://r:6379' } });
  const token = new kplus.Secret(chart, 'Token', { metadata: { name: 'billing-token' }, stringData: { password: 'x' } });
  const billing = releaseAgent(chart, {}, 'billing');
  releaseAgent(chart, { facades: [Facade.websocket(), Facade.a2a({ taskStore: A2aTaskStore.redis(redis), clients: [A2aClient.agentRuntime('billing', billing, { tokenSecret: token })] })] });
  expect(() => Testing.synth(chart)).toThrow(`${WHERE}: spec.facades[1].a2a.taskStore.redisSecretRef: Secret agents/a2a-redis has no key "url" (it has "uri")`);
  // The manifests alone: the key, and the AgentRuntime called, are checked there too.
  const ok = releaseChart();
  const okBilling = releaseAgent(ok, {}, 'billing');
  const okToken = new kplus.Secret(ok, 'Token', { metadata: { name: 'billing-token' }, stringData: { token: 'x' } });
  releaseAgent(ok, { facades: [Facade.websocket(), Facade.a2a({ clients: [A2aClient.agentRuntime('billing', okBilling, { tokenSecret: okToken })] })] });
  const manifests = Testing.synth(ok);
  const options = { target: OmniaApiTarget.V0_9_0_BETA_17, external: ['PromptPack/agents/prompts'] };
  expect(validateManifests(manifests, options)).toEqual([]);
  const broken = manifests
    .filter((m) => !(m.kind === 'AgentRuntime' && m.metadata.name === 'billing'))
    .map((m) => (m.kind === 'Secret' ? { ...m, stringData: { password: 'x' } } : m));
  expect(validateManifests(broken, options).map((f) => `${f.path}: ${f.message}`).sort()).toEqual([
    'spec.facades[1].a2a.clients[0].agentRuntimeRef: AgentRuntime agents/billing is not defined in the manifests; define it, or list it as external (AgentRuntime/agents/billing in the plugin\'s "external" property or the CLI\'s --external)',
    'spec.facades[1].a2a.clients[0].authentication.secretRef: Secret agents/billing-token has no key "token" (it has "password")',
  ]);
});

test('the factories check their arguments', () => {
  expect(() => A2aTaskStore.redis('a2a-redis' as any)).toThrow('A2aTaskStore.redis: secret: must be');
  expect(() => Facade.a2a({ taskStore: 'memory' as any })).toThrow('Facade.a2a: taskStore: must be an A2aTaskStore, not a string');
  expect(() => A2aClient.url('p', 42 as any)).toThrow('A2aClient.url: url: must be');
});

test('the coverage fixture writes every leaf field of facades, the modes and the console but the two left on purpose', () => {
  const { COVERAGE_AREAS } = require('../fixtures/release-coverage');
  const chart = releaseChart();
  COVERAGE_AREAS.facades(chart);
  const specs = Testing.synth(chart).filter((o) => o.kind === 'AgentRuntime').map((o) => o.spec);
  const areas = ['facades', 'mode', 'inputSchema', 'outputSchema', 'outputFormat', 'duplex', 'console', 'media', 'serviceGroup'];
  // Leaves of the CRD: an array of objects is walked as `[]`; schemas (free objects) and env sources count whole.
  const crd = require('../../lib/release/v0.9.0-beta.17/crds.json').crds.map((c: any) => c.crd).find((c: any) => c.spec.names.kind === 'AgentRuntime');
  const schema = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
  const crdLeaves = new Set<string>();
  const walk = (s: any, at: string): void => {
    if (at.endsWith('extraEnv[].valueFrom')) { crdLeaves.add(at); return; }
    if (s.properties) for (const [k, v] of Object.entries(s.properties)) walk(v, `${at}.${k}`);
    else if (s.items?.properties) walk(s.items, `${at}[]`);
    else crdLeaves.add(at);
  };
  for (const area of areas) walk(schema[area], area);
  const written = new Set<string>();
  const visit = (v: any, at: string): void => {
    if (at.endsWith('extraEnv[].valueFrom') || ['inputSchema', 'outputSchema'].includes(at)) { written.add(at); return; }
    if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) v.forEach((x) => visit(x, `${at}[]`));
    else if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) visit(x, `${at}.${k}`);
    else written.add(at);
  };
  for (const spec of specs) for (const area of areas) if (spec[area] !== undefined) visit(spec[area], area);
  // a2a.enabled is the single-facade era's switch, read by nothing once the a2a facade exists; a task store's
  // redisURL would put a password in the manifest (A2aTaskStore.redis reads it from a Secret).
  const left = ['facades[].a2a.enabled', 'facades[].a2a.taskStore.redisURL'];
  expect([...written].filter((f) => !crdLeaves.has(f))).toEqual([]);
  expect([...crdLeaves].filter((f) => !written.has(f)).sort()).toEqual(left.sort());
});

test('an AgentRuntime outside the app, named with fromAgentRuntimeName, is a client target the checks take as present', () => {
  const chart = releaseChart();
  const token = new kplus.Secret(chart, 'Token', { metadata: { name: 'billing-token' }, stringData: { token: 'x' } });
  const billing = AgentRuntime.fromAgentRuntimeName(chart, 'Billing', 'billing', { namespace: 'finance' });
  expect([billing.name, billing.namespace]).toEqual(['billing', 'finance']);
  releaseAgent(chart, { facades: [Facade.websocket(), Facade.a2a({ clients: [A2aClient.agentRuntime('billing', billing, { tokenSecret: token })] })] });
  const agent = Testing.synth(chart).find((o) => o.kind === 'AgentRuntime');
  expect(agent.spec.facades[1].a2a.clients[0].agentRuntimeRef).toEqual({ name: 'billing', namespace: 'finance' });
  expect(() => AgentRuntime.fromAgentRuntimeName(chart, 'Bad', 7 as any)).toThrow('test/Bad: name: must be a string, not a number');
});
