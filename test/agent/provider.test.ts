import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentRuntime, AudioFormat, EmbeddingDistance, HostedPlatform, OmniaApiTarget, OmniaSchema, OmniaTarget, PlatformAuth, PromptPack, Provider,
  ProviderCapability, ProviderCredential, ProviderRole, ProviderType, SecretKey, TruncationStrategy,
} from '../../lib';
import { documentedApp } from '../util';

const RELEASE = OmniaApiTarget.V0_9_0_BETA_17;

function releaseApp(): App {
  const app = Testing.app();
  OmniaTarget.use(app, RELEASE);
  return app;
}

function releaseChart(namespace = 'agents', app = releaseApp()): Chart {
  return new Chart(app, namespace, { namespace });
}

const key = (chart: Chart, name = 'llm-credentials', id = 'Key') => SecretKey.of(kplus.Secret.fromSecretName(chart, id, name), 'api-key');
const onlyProvider = (chart: Chart) => {
  const found = Testing.synth(chart).filter((o) => o.kind === 'Provider');
  expect(found).toHaveLength(1);
  return found[0];
};

describe('the release\'s Provider, as written', () => {
  test('an OpenAI provider with every general setting', () => {
    const chart = releaseChart();
    const provider = new Provider(chart, 'OpenAI', {
      metadata: { name: 'openai-gateway' },
      type: ProviderType.OPENAI,
      model: 'gpt-4o',
      credential: ProviderCredential.fromSecretKey(key(chart)),
      baseUrl: 'https://openrouter.ai/api/v1',
      headers: { 'HTTP-Referer': 'https://shop.example.com' },
      defaults: { temperature: 0.7, topP: 0.9, maxTokens: 1024, contextWindow: 128000, requestTimeout: Duration.minutes(2), streamIdleTimeout: Duration.seconds(90) },
      pricing: { inputCostPer1K: 0.0025, outputCostPer1K: 0.01, cachedCostPer1K: 0.00125 },
      capabilities: [ProviderCapability.TEXT, ProviderCapability.TOOLS],
    });
    const manifest = onlyProvider(chart);
    expect(manifest.metadata).toEqual({
      name: 'openai-gateway',
      namespace: 'agents',
      labels: { 'app.kubernetes.io/name': 'provider', 'app.kubernetes.io/instance': 'openai-gateway', 'app.kubernetes.io/part-of': 'omnia', 'app.kubernetes.io/managed-by': 'cdk8s' },
    });
    expect(manifest.spec).toEqual({
      type: 'openai',
      role: 'llm',
      model: 'gpt-4o',
      baseURL: 'https://openrouter.ai/api/v1',
      headers: { 'HTTP-Referer': 'https://shop.example.com' },
      credential: { secretRef: { name: 'llm-credentials', key: 'api-key' } },
      defaults: { temperature: '0.7', topP: '0.9', maxTokens: 1024, contextWindow: 128000, truncationStrategy: 'sliding', requestTimeout: '2m', streamIdleTimeout: '1m30s' },
      pricing: { inputCostPer1K: '0.0025', outputCostPer1K: '0.01', cachedCostPer1K: '0.00125' },
      capabilities: ['text', 'tools'],
    });
    expect(provider.name).toBe('openai-gateway');
    expect(provider.namespace).toBe('agents');
    expect(OmniaSchema.validateFor(manifest, RELEASE)).toEqual([]);
  });

  test.each<[string, (chart: Chart) => ProviderCredential, any]>([
    ['a Secret key', (c) => ProviderCredential.fromSecretKey(key(c)), { secretRef: { name: 'llm-credentials', key: 'api-key' } }],
    ['a Secret, the key chosen by the operator', (c) => ProviderCredential.fromSecret(kplus.Secret.fromSecretName(c, 'S', 'anthropic')), { secretRef: { name: 'anthropic' } }],
    ['an environment variable', () => ProviderCredential.fromEnvVar('ANTHROPIC_API_KEY'), { envVar: 'ANTHROPIC_API_KEY' }],
    ['a file', () => ProviderCredential.fromFile('/var/run/secrets/anthropic/key'), { filePath: '/var/run/secrets/anthropic/key' }],
  ])('a credential from %s', (_name, credential, rendered) => {
    const chart = releaseChart();
    new Provider(chart, 'Claude', { metadata: { name: 'claude' }, type: ProviderType.CLAUDE, model: 'claude-sonnet-4', credential: credential(chart) });
    const manifest = onlyProvider(chart);
    expect(manifest.spec.credential).toEqual(rendered);
    expect(OmniaSchema.validateFor(manifest, RELEASE)).toEqual([]);
  });

  test.each([ProviderType.OLLAMA, ProviderType.VLLM])('%s takes its server URL and runs without a credential', (type) => {
    const chart = releaseChart();
    new Provider(chart, 'Local', { metadata: { name: 'local' }, type, model: 'llama3', baseUrl: 'http://models.models.svc:11434' });
    expect(onlyProvider(chart).spec).toEqual({ type, role: 'llm', model: 'llama3', baseURL: 'http://models.models.svc:11434' });
  });

  test('a mock provider needs nothing but its type; ProviderCredential.none() says so explicitly', () => {
    const chart = releaseChart();
    new Provider(chart, 'Mock', { metadata: { name: 'mock' }, type: ProviderType.MOCK, credential: ProviderCredential.none() });
    expect(onlyProvider(chart).spec).toEqual({ type: 'mock', role: 'llm' });
  });

  test.each<[string, ProviderType, object, object]>([
    ['embedding', ProviderType.VOYAGEAI, { embedding: { dimensions: 1024, distance: EmbeddingDistance.COSINE } }, { role: 'embedding', embedding: { dimensions: 1024, distance: 'cosine' } }],
    ['tts', ProviderType.ELEVENLABS, { tts: { voice: 'rachel', format: AudioFormat.MP3, sampleRate: 24000 } }, { role: 'tts', tts: { voice: 'rachel', format: 'mp3', sampleRate: 24000 } }],
    ['stt', ProviderType.OPENAI, { role: ProviderRole.STT, stt: { language: 'pt-BR', sampleRate: 16000 } }, { role: 'stt', stt: { language: 'pt-BR', sampleRate: 16000 } }],
    ['image', ProviderType.IMAGEN, {}, { role: 'image' }],
    ['inference', ProviderType.HUGGINGFACE, {}, { role: 'inference' }],
  ])('role %s: single-role vendors default to theirs', (_role, type, props, rendered) => {
    const chart = releaseChart();
    new Provider(chart, 'P', { metadata: { name: 'p' }, type, credential: ProviderCredential.fromEnvVar('API_KEY'), ...props });
    const manifest = onlyProvider(chart);
    expect(manifest.spec).toEqual({ type, credential: { envVar: 'API_KEY' }, ...rendered });
    expect(OmniaSchema.validateFor(manifest, RELEASE)).toEqual([]);
  });

  test.each<[string, () => HostedPlatform, ProviderType, object]>([
    ['bedrock with access keys', () => HostedPlatform.bedrock({ region: 'us-east-1', auth: PlatformAuth.accessKey(kplus.Secret.fromSecretName(new Chart(Testing.app(), 'x'), 'A', 'aws')) }), ProviderType.CLAUDE,
      { platform: { type: 'bedrock', region: 'us-east-1' }, auth: { type: 'accessKey', credentialsSecretRef: { name: 'aws' } } }],
    ['bedrock with IRSA', () => HostedPlatform.bedrock({ region: 'us-east-1', auth: PlatformAuth.workloadIdentity({ roleArn: 'arn:aws:iam::1:role/llm' }) }), ProviderType.OPENAI,
      { platform: { type: 'bedrock', region: 'us-east-1' }, auth: { type: 'workloadIdentity', roleArn: 'arn:aws:iam::1:role/llm' } }],
    ['vertex with a service account key', () => HostedPlatform.vertex({ project: 'shop', region: 'us-central1', auth: PlatformAuth.serviceAccount(kplus.Secret.fromSecretName(new Chart(Testing.app(), 'x'), 'G', 'gcp'), 'sa.json') }), ProviderType.GEMINI,
      { platform: { type: 'vertex', project: 'shop', region: 'us-central1' }, auth: { type: 'serviceAccount', credentialsSecretRef: { name: 'gcp', key: 'sa.json' } } }],
    ['azure with a service principal', () => HostedPlatform.azure({ endpoint: 'https://shop.openai.azure.com', auth: PlatformAuth.servicePrincipal(kplus.Secret.fromSecretName(new Chart(Testing.app(), 'x'), 'Z', 'azure')) }), ProviderType.OPENAI,
      { platform: { type: 'azure', endpoint: 'https://shop.openai.azure.com' }, auth: { type: 'servicePrincipal', credentialsSecretRef: { name: 'azure' } } }],
  ])('a hosted platform: %s, no credential needed', (_name, platform, type, rendered) => {
    const chart = releaseChart();
    new Provider(chart, 'Hosted', { metadata: { name: 'hosted' }, type, model: 'm', platform: platform() });
    const manifest = onlyProvider(chart);
    expect(manifest.spec).toEqual({ type, role: 'llm', model: 'm', ...rendered });
    expect(OmniaSchema.validateFor(manifest, RELEASE)).toEqual([]);
  });
});

describe('bad input fails at construct time, naming the Provider and the field', () => {
  const secret = (c: Chart) => ProviderCredential.fromSecretKey(key(c));
  test.each<[string, (c: Chart) => any, string]>([
    ['vllm without a URL', () => ({ type: ProviderType.VLLM, model: 'm' }), 'baseUrl: the operator has no default endpoint for vllm: give the server\'s URL'],
    ['ollama without a URL', () => ({ type: ProviderType.OLLAMA }), 'baseUrl: the operator has no default endpoint for ollama'],
    ['a URL that is not one', () => ({ type: ProviderType.VLLM, baseUrl: 'models:8000' }), 'baseUrl: "models:8000" is not an http(s) URL'],
    ['claude without a credential', () => ({ type: ProviderType.CLAUDE }), 'credential: a claude provider needs a credential (ProviderCredential.fromSecretKey, fromSecret, fromEnvVar or fromFile)'],
    ['openai with none', () => ({ type: ProviderType.OPENAI, credential: ProviderCredential.none() }), 'credential: a openai provider needs a credential; only mock, ollama, vllm and a provider on a hosted platform run without one'],
    ['an env var name that is not one', () => ({ type: ProviderType.OPENAI, credential: ProviderCredential.fromEnvVar('API-KEY') }), 'credential: "API-KEY" is not an environment variable name'],
    ['a relative file path', () => ({ type: ProviderType.OPENAI, credential: ProviderCredential.fromFile('key.txt') }), 'credential: "key.txt" is not an absolute path'],
    ['an empty model', (c) => ({ type: ProviderType.OPENAI, model: '', credential: secret(c) }), 'model: must be a non-empty model name'],
    ['a tts vendor as llm', (c) => ({ type: ProviderType.CARTESIA, role: ProviderRole.LLM, credential: secret(c) }), 'role: a provider of role llm must be of type claude, openai, gemini, ollama, mock, vllm; got cartesia'],
    ['tts settings on an llm', (c) => ({ type: ProviderType.OPENAI, credential: secret(c), tts: { voice: 'alloy' } }), 'tts: only for a provider of role tts, this one is llm'],
    ['too many dimensions', (c) => ({ type: ProviderType.OPENAI, role: ProviderRole.EMBEDDING, credential: secret(c), embedding: { dimensions: 5000 } }), 'embedding.dimensions: must be a whole number from 1 to 4096, got 5000'],
    ['a temperature above 2', (c) => ({ type: ProviderType.OPENAI, credential: secret(c), defaults: { temperature: 2.5 } }), 'defaults.temperature: must be from 0 to 2, got 2.5'],
    ['a language that is no ISO code', (c) => ({ type: ProviderType.OPENAI, role: ProviderRole.STT, credential: secret(c), stt: { language: 'english' } }), 'stt.language: "english" is not an ISO-639-1 code'],
    ['gemini on bedrock', () => ({ type: ProviderType.GEMINI, platform: HostedPlatform.bedrock({ region: 'us-east-1', auth: PlatformAuth.workloadIdentity() }) }), 'platform: bedrock hosts claude and openai, not gemini'],
    ['a service account key on azure', (c) => ({ type: ProviderType.OPENAI, platform: HostedPlatform.azure({ endpoint: 'https://x.openai.azure.com', auth: PlatformAuth.serviceAccount(kplus.Secret.fromSecretName(c, 'G', 'g')) }) }), 'platform.auth: azure signs in with workload identity or servicePrincipal, not serviceAccount'],
    ['vertex without a project', () => ({ type: ProviderType.CLAUDE, platform: HostedPlatform.vertex({ project: '', region: 'us-central1', auth: PlatformAuth.workloadIdentity() }) }), 'platform.project: vertex needs a GCP project id'],
    ['an IRSA role on vertex', () => ({ type: ProviderType.CLAUDE, platform: HostedPlatform.vertex({ project: 'p', region: 'r', auth: PlatformAuth.workloadIdentity({ roleArn: 'arn' }) }) }), 'platform.auth: roleArn is for bedrock only'],
    ['a Secret of the app in another namespace', (c) => {
      const other = new kplus.Secret(new Chart(c.node.root as App, 'other', { namespace: 'other' }), 'S', { metadata: { name: 'llm' }, stringData: { 'api-key': 'x' } });
      return { type: ProviderType.OPENAI, credential: ProviderCredential.fromSecretKey(SecretKey.of(other, 'api-key')) };
    }, 'credential: Secret other/llm is not in the Provider\'s namespace (agents), where the operator reads it'],
  ])('%s', (_name, props, message) => {
    const chart = releaseChart();
    expect(() => new Provider(chart, 'P', { metadata: { name: 'p' }, ...props(chart) })).toThrow(`agents/P: Provider agents/p: ${message}`);
  });

  test('an agent needs a provider of role llm', () => {
    const chart = releaseChart();
    const speech = new Provider(chart, 'Speech', { metadata: { name: 'speech' }, type: ProviderType.OPENAI, role: ProviderRole.TTS, credential: ProviderCredential.fromEnvVar('K') });
    expect(() => new AgentRuntime(chart, 'Agent', { metadata: { name: 'a' }, provider: speech, promptPack: PromptPack.fromName(chart, 'P', 'p') }))
      .toThrow('agents/Agent: AgentRuntime agents/a: provider: Provider agents/speech has role tts; an agent talks to a provider of role llm');
  });
});

describe('agents refer to Providers', () => {
  test('one Provider shared by agents of two charts in two namespaces: no object defined twice, the other namespace named', () => {
    const app = releaseApp();
    const platform = releaseChart('platform', app);
    const provider = new Provider(platform, 'Claude', { metadata: { name: 'claude' }, type: ProviderType.CLAUDE, model: 'claude-sonnet-4', credential: ProviderCredential.fromSecretKey(key(platform, 'anthropic')) });
    const charts = ['platform', 'support'].map((ns) => (ns === 'platform' ? platform : releaseChart(ns, app)));
    for (const chart of charts) new AgentRuntime(chart, 'Agent', { metadata: { name: 'agent' }, provider, promptPack: PromptPack.fromName(chart, 'P', 'p') });
    const all = charts.flatMap((c) => Testing.synth(c));
    expect(all.filter((o) => o.kind === 'Provider').map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['platform/claude']);
    expect(all.filter((o) => o.kind === 'AgentRuntime').map((a) => a.spec.providers)).toEqual([
      [{ name: 'default', providerRef: { name: 'claude' } }],
      [{ name: 'default', providerRef: { name: 'claude', namespace: 'platform' } }],
    ]);
    // The agent of the other namespace may read the Provider and its Secret, in the Provider's namespace.
    const role = all.find((o) => o.kind === 'Role' && o.metadata.name === 'support-agent-provider');
    expect(role.metadata.namespace).toBe('platform');
    expect(role.rules.map((r: any) => [r.resources[0], r.resourceNames])).toEqual([['providers', ['claude']], ['secrets', ['anthropic']]]);
  });

  test('Provider.fromProviderName: a Provider outside the app, in another namespace, passes the reference checks', () => {
    const chart = releaseChart();
    const provider = Provider.fromProviderName(chart, 'Platform', 'claude-sonnet', { namespace: 'omnia-system' });
    expect([provider.name, provider.namespace]).toEqual(['claude-sonnet', 'omnia-system']);
    new AgentRuntime(chart, 'Agent', { metadata: { name: 'a' }, provider, promptPack: PromptPack.fromName(chart, 'P', 'p') });
    const manifests = Testing.synth(chart);
    expect(manifests.filter((o) => o.kind === 'Provider')).toEqual([]);
    expect(manifests.find((o) => o.kind === 'AgentRuntime').spec.providers).toEqual([{ name: 'default', providerRef: { name: 'claude-sonnet', namespace: 'omnia-system' } }]);
    // Told of no Secret: the agent may read the Provider only; its owner grants the rest.
    expect(manifests.find((o) => o.kind === 'Role').rules).toEqual([{ apiGroups: ['omnia.altairalabs.ai'], resources: ['providers'], resourceNames: ['claude-sonnet'], verbs: ['get'] }]);
  });

  test('a Provider neither in the app nor declared external is a finding that says how to declare it', () => {
    const chart = releaseChart();
    const elsewhere = releaseChart('elsewhere', releaseApp());
    // A Provider of another app: this app does not define it.
    const provider = new Provider(elsewhere, 'Mock', { metadata: { name: 'mock' }, type: ProviderType.MOCK });
    new AgentRuntime(chart, 'Agent', { metadata: { name: 'a' }, provider, promptPack: PromptPack.fromName(chart, 'P', 'p') });
    expect(() => Testing.synth(chart)).toThrow('agents/Agent: AgentRuntime agents/a: spec.providers[0].providerRef: Provider elsewhere/mock is not defined in the app; define it, or declare it as external with Provider.fromProviderName(scope, id, "mock", { namespace: "elsewhere" })');
  });

  test('a missing key of a Provider\'s Secret names the Provider and every agent that uses it', () => {
    const app = releaseApp();
    const chart = releaseChart('agents', app);
    const secret = new kplus.Secret(chart, 'Credentials', { metadata: { name: 'llm' }, stringData: { token: 'x' } });
    const provider = new Provider(chart, 'OpenAI', { metadata: { name: 'openai' }, type: ProviderType.OPENAI, credential: ProviderCredential.fromSecretKey(SecretKey.of(secret, 'api-key')) });
    new AgentRuntime(chart, 'A', { metadata: { name: 'a' }, provider, promptPack: PromptPack.fromName(chart, 'P', 'p') });
    const other = releaseChart('other', app);
    new AgentRuntime(other, 'B', { metadata: { name: 'b' }, provider, promptPack: PromptPack.fromName(other, 'P', 'p') });
    expect(() => Testing.synth(chart)).toThrow('agents/OpenAI: Provider agents/openai: spec.credential.secretRef: Secret agents/llm has no key "api-key" (it has "token"); the Provider is used by AgentRuntime agents/a, AgentRuntime other/b');
  });
});

describe('the documented API: the agent carries its Provider inline', () => {
  test('no Provider object; the agent\'s spec.provider from the Provider', () => {
    const chart = new Chart(documentedApp(), 'docs', { namespace: 'agents' });
    const provider = new Provider(chart, 'Claude', { metadata: { name: 'claude' }, type: ProviderType.CLAUDE, model: 'claude-sonnet-4', credential: ProviderCredential.fromSecretKey(key(chart, 'anthropic')) });
    expect([provider.name, provider.namespace, provider.target]).toEqual(['claude', 'agents', OmniaApiTarget.DOCUMENTED]);
    new AgentRuntime(chart, 'Agent', { metadata: { name: 'a' }, provider, promptPack: PromptPack.fromName(chart, 'P', 'p') });
    const manifests = Testing.synth(chart);
    expect(manifests.map((m) => m.kind)).toEqual(['AgentRuntime']);
    expect(manifests[0].spec.provider).toEqual({ name: 'claude', model: 'claude-sonnet-4', apiKeySecretRef: { name: 'anthropic', key: 'api-key' } });
  });

  test('each Provider keeps metadata of its own (name, namespace, labels), though none is written', () => {
    const app = documentedApp();
    const chart = new Chart(app, 'docs', { namespace: 'agents', labels: { team: 'support' } });
    const credential = ProviderCredential.fromSecretKey(key(chart, 'anthropic'));
    const named = new Provider(chart, 'Claude', { metadata: { name: 'claude', namespace: 'models', labels: { tier: 'gold' } }, type: ProviderType.CLAUDE, model: 'claude-sonnet-4', credential });
    const unnamed = new Provider(chart, 'Fallback', { type: ProviderType.CLAUDE, model: 'claude-haiku-4', credential });
    named.metadata.addLabel('extra', 'yes');
    expect([named.name, named.namespace, unnamed.namespace]).toEqual(['claude', 'models', 'agents']);
    expect(unnamed.name).toMatch(/^docs-fallback-c8[0-9a-f]{6}$/);
    const labels = (p: Provider) => ['team', 'tier', 'extra', 'app.kubernetes.io/instance'].map((k) => p.metadata.getLabel(k));
    expect(labels(named)).toEqual(['support', 'gold', 'yes', 'claude']);
    expect(labels(unnamed)).toEqual(['support', undefined, undefined, unnamed.name]);
    expect(app.charts.map((c) => c.node.id)).toEqual(['docs']);
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('a missing key of the inline credential names the agent and the Provider', () => {
    const chart = new Chart(documentedApp(), 'docs', { namespace: 'agents' });
    const secret = new kplus.Secret(chart, 'Credentials', { metadata: { name: 'llm' }, stringData: { token: 'x' } });
    const provider = new Provider(chart, 'OpenAI', { metadata: { name: 'openai' }, type: ProviderType.OPENAI, model: 'gpt-4o', credential: ProviderCredential.fromSecretKey(SecretKey.of(secret, 'api-key')) });
    new AgentRuntime(chart, 'Agent', { metadata: { name: 'a' }, provider, promptPack: PromptPack.fromName(chart, 'P', 'p') });
    expect(() => Testing.synth(chart)).toThrow('docs/Agent: AgentRuntime agents/a: spec.provider.apiKeySecretRef: Secret agents/llm has no key "api-key" (it has "token"); the credential of Provider agents/openai');
  });

  const refused = 'the documented API has no equivalent (the app chose it with OmniaTarget.use; Omnia v0.9.0-beta.17, the default, supports it)';
  test.each<[string, (c: Chart) => any, string]>([
    ['a base URL', (c) => ({ baseUrl: 'http://x', credential: ProviderCredential.fromSecretKey(key(c)) }), `baseUrl: a base URL: ${refused}`],
    ['headers', (c) => ({ headers: { 'X-Tenant': 'a' }, credential: ProviderCredential.fromSecretKey(key(c)) }), `headers: HTTP headers: ${refused}`],
    ['a credential from an env var', () => ({ credential: ProviderCredential.fromEnvVar('OPENAI_API_KEY') }), 'credential: a credential from an environment variable (the documented API reads the API key from a Secret key: ProviderCredential.fromSecretKey)'],
    ['a Secret without a key', (c) => ({ credential: ProviderCredential.fromSecret(kplus.Secret.fromSecretName(c, 'S', 's')) }), 'credential: a credential from a Secret without a key'],
    ['a type the documented API lacks', (c) => ({ type: ProviderType.VOYAGEAI, credential: ProviderCredential.fromSecretKey(key(c)) }), `type: a provider of type voyageai: ${refused}`],
    ['no model', (c) => ({ model: undefined, credential: ProviderCredential.fromSecretKey(key(c)) }), 'model: the documented API needs a model'],
    ['pricing', (c) => ({ pricing: { inputCostPer1K: 1 }, credential: ProviderCredential.fromSecretKey(key(c)) }), `pricing: pricing: ${refused}`],
  ])('refused: %s', (_name, props, message) => {
    const chart = new Chart(documentedApp(), 'docs', { namespace: 'agents' });
    expect(() => new Provider(chart, 'P', { metadata: { name: 'p' }, type: ProviderType.OPENAI, model: 'gpt-4o', ...props(chart) })).toThrow(`docs/P: Provider agents/p: ${message}`);
  });

  test('refused: Provider.fromProviderName', () => {
    const chart = new Chart(documentedApp(), 'docs', { namespace: 'agents' });
    expect(() => Provider.fromProviderName(chart, 'P', 'claude-sonnet', { namespace: 'omnia-system' }))
      .toThrow(`docs/P: Provider omnia-system/claude-sonnet: fromProviderName: a Provider object the agent refers to (the documented AgentRuntime carries its provider inline: define it with new Provider): ${refused}`);
  });
});
