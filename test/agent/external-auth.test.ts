import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentRuntime, AgentRuntimeProps, ApiKeyRole, ExternalAuth, OmniaApiTarget, OmniaSchema, OmniaTarget, PromptPack, Provider, ProviderCredential, ProviderType,
  SecretKey, validateManifests, Facade,
} from '../../lib';
import { externalPack, newChart, openai } from '../util';

function releaseChart(): Chart {
  const app: App = Testing.app();
  OmniaTarget.use(app, OmniaApiTarget.V0_9_0_BETA_17);
  return new Chart(app, 'test', { namespace: 'agents' });
}

function releaseAgent(chart: Chart, extra: Partial<AgentRuntimeProps>): AgentRuntime {
  const provider = new Provider(chart, 'Provider', {
    metadata: { name: 'llm' },
    type: ProviderType.OPENAI,
    model: 'gpt-4o',
    credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(chart, 'Key', 'llm-key'), 'api-key')),
  });
  return new AgentRuntime(chart, 'Agent', { metadata: { name: 'support' }, provider, promptPack: PromptPack.fromName(chart, 'Pack', 'prompts'), ...extra });
}

const agentOf = (chart: Chart) => Testing.synth(chart).find((o) => o.kind === 'AgentRuntime');

describe('externalAuth renders the release\'s spec.externalAuth', () => {
  test.each<[string, (chart: Chart) => ExternalAuth, any]>([
    ['a shared token from a Secret', (c) => ExternalAuth.sharedToken(kplus.Secret.fromSecretName(c, 'Token', 'client-token')),
      { sharedToken: { secretRef: { name: 'client-token' } } }],
    ['a shared token that trusts the end-user header', (c) => ExternalAuth.sharedToken(kplus.Secret.fromSecretName(c, 'Token', 'client-token'), { trustEndUserHeader: true }),
      { sharedToken: { secretRef: { name: 'client-token' }, trustEndUserHeader: true } }],
    ['API keys, viewer by default', () => ExternalAuth.apiKeys(), { apiKeys: { defaultRole: 'viewer' } }],
    ['API keys with a role', () => ExternalAuth.apiKeys({ defaultRole: ApiKeyRole.EDITOR }), { apiKeys: { defaultRole: 'editor' } }],
    ['OIDC with a claim mapping', () => ExternalAuth.oidc({ issuer: 'https://id.example.com', audience: 'support', claimMapping: { subject: 'email' } }),
      { oidc: { issuer: 'https://id.example.com', audience: 'support', claimMapping: { subject: 'email' } } }],
    ['edge trust', () => ExternalAuth.edgeTrust({ headerMapping: { subject: 'X-User' }, claimsFromHeaders: { team: 'X-Team' } }),
      { edgeTrust: { headerMapping: { subject: 'X-User' }, claimsFromHeaders: { team: 'X-Team' } } }],
    ['several, any of which lets a client in', (c) => ExternalAuth.anyOf(ExternalAuth.sharedToken(kplus.Secret.fromSecretName(c, 'Token', 'client-token')), ExternalAuth.apiKeys()),
      { sharedToken: { secretRef: { name: 'client-token' } }, apiKeys: { defaultRole: 'viewer' } }],
  ])('%s', (_name, make, expected) => {
    const chart = releaseChart();
    const auth = make(chart);
    releaseAgent(chart, { externalAuth: auth });
    const agent = agentOf(chart);
    expect(agent.spec.externalAuth).toEqual(expected);
    expect(auth.kinds).toEqual(Object.keys(expected).sort());
    expect(OmniaSchema.validateFor(agent, OmniaApiTarget.V0_9_0_BETA_17)).toEqual([]);
  });

  test('without it, the agent has no externalAuth (the release lets no client in): the default is unchanged', () => {
    const chart = releaseChart();
    const agent = releaseAgent(chart, {});
    expect(agent.externalAuth).toBeUndefined();
    expect(agentOf(chart).spec).not.toHaveProperty('externalAuth');
  });
});

describe('an agent open to every client is a choice the program shows', () => {
  test('allowUnauthenticated writes no externalAuth and sets the release\'s escape hatch on the primary facade only', () => {
    const chart = releaseChart();
    const auth = ExternalAuth.allowUnauthenticated();
    releaseAgent(chart, {
      externalAuth: auth,
      facades: [Facade.a2a({ port: 9999 }), Facade.websocket({ env: { LOG_LEVEL: kplus.EnvValue.fromValue('debug') } })],
    });
    const agent = agentOf(chart);
    expect(agent.spec).not.toHaveProperty('externalAuth');
    expect(auth.kinds).toEqual([]);
    const websocket = agent.spec.facades.find((f: any) => f.type === 'websocket');
    const a2a = agent.spec.facades.find((f: any) => f.type === 'a2a');
    expect(websocket.extraEnv).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'OMNIA_FACADE_ALLOW_UNAUTHENTICATED', value: 'true' }]);
    expect(a2a.extraEnv).toBeUndefined();
    expect(OmniaSchema.validateFor(agent, OmniaApiTarget.V0_9_0_BETA_17)).toEqual([]);
  });

  test('the escape hatch set by hand in a facade\'s env is refused, pointing at the typed choice', () => {
    const chart = releaseChart();
    expect(() => releaseAgent(chart, { facade: Facade.websocket({ env: { OMNIA_FACADE_ALLOW_UNAUTHENTICATED: kplus.EnvValue.fromValue('true') } }) }))
      .toThrow('test/Agent: AgentRuntime agents/support: facades[0].env.OMNIA_FACADE_ALLOW_UNAUTHENTICATED: lets every client in: choose that where it shows, with externalAuth: ExternalAuth.allowUnauthenticated()');
  });

  test('it cannot be combined with checks, and the documented API refuses it', () => {
    const chart = releaseChart();
    expect(() => releaseAgent(chart, { externalAuth: ExternalAuth.anyOf(ExternalAuth.apiKeys(), ExternalAuth.allowUnauthenticated()) }))
      .toThrow('externalAuth: allowUnauthenticated() lets every client in: it cannot be combined with checks');
    const documented = newChart();
    expect(() => new AgentRuntime(documented, 'Agent', { provider: openai(documented), promptPack: externalPack(documented), externalAuth: ExternalAuth.allowUnauthenticated() }))
      .toThrow('externalAuth: authentication of the facade\'s clients: the documented API has no equivalent');
  });
});

describe('bad externalAuth fails at construct time', () => {
  test.each<[string, (chart: Chart) => ExternalAuth, string]>([
    ['an OIDC issuer that is no URL', () => ExternalAuth.oidc({ issuer: 'id.example.com', audience: 'a' }), 'oidc.issuer must be an http(s) URL, got "id.example.com"'],
    ['an empty OIDC audience', () => ExternalAuth.oidc({ issuer: 'https://id.example.com', audience: '' }), 'oidc.audience must not be empty'],
    ['a kind given twice', () => ExternalAuth.anyOf(ExternalAuth.apiKeys(), ExternalAuth.apiKeys()), 'apiKeys is given twice'],
  ])('%s', (_name, make, reason) => {
    const chart = releaseChart();
    expect(() => releaseAgent(chart, { externalAuth: make(chart) })).toThrow(`test/Agent: AgentRuntime agents/support: externalAuth: ${reason}`);
  });

  test('arguments of the wrong kind fail in the factory', () => {
    expect(() => ExternalAuth.sharedToken('client-token' as any)).toThrow('ExternalAuth.sharedToken: secret: must be');
    expect(() => ExternalAuth.apiKeys({ defaultRole: 'root' as ApiKeyRole })).toThrow('ExternalAuth.apiKeys: defaultRole: must be one of ApiKeyRole\'s values, not "root"');
    expect(() => ExternalAuth.anyOf()).toThrow('ExternalAuth.anyOf: auths: is required');
  });

  test('the documented API refuses it, naming the release as the target that has it', () => {
    const chart = newChart();
    const externalAuth = ExternalAuth.sharedToken(kplus.Secret.fromSecretName(chart, 'Token', 'client-token'));
    expect(() => new AgentRuntime(chart, 'Agent', { provider: openai(chart), promptPack: externalPack(chart), externalAuth }))
      .toThrow('externalAuth: authentication of the facade\'s clients: the documented API has no equivalent (the app chose it with OmniaTarget.use; Omnia v0.9.0-beta.17, the default, supports it)');
  });
});

test('the reference checks want the key "token" in a shared-token Secret of the app, at synth and in validateManifests', () => {
  const chart = releaseChart();
  const secret = new kplus.Secret(chart, 'Token', { metadata: { name: 'client-token' }, stringData: { password: 'x' } });
  releaseAgent(chart, { externalAuth: ExternalAuth.sharedToken(secret) });
  const problem = 'spec.externalAuth.sharedToken.secretRef: Secret agents/client-token has no key "token" (it has "password")';
  expect(() => Testing.synth(chart)).toThrow(`test/Agent: AgentRuntime agents/support: ${problem}`);
  const ok = releaseChart();
  releaseAgent(ok, { externalAuth: ExternalAuth.sharedToken(new kplus.Secret(ok, 'Token', { metadata: { name: 'client-token' }, stringData: { token: 'x' } })) });
  const manifests = Testing.synth(ok);
  const options = { target: OmniaApiTarget.V0_9_0_BETA_17, external: ['PromptPack/agents/prompts'] };
  expect(validateManifests(manifests, options)).toEqual([]);
  const broken = manifests.map((m) => (m.kind === 'Secret' ? { ...m, stringData: { password: 'x' } } : m));
  expect(validateManifests(broken, options).map((f) => `${f.path}: ${f.message}`))
    .toEqual([expect.stringContaining('Secret agents/client-token has no key "token"')]);
});
