// JavaScript callers get no type checks from a compiler: every public entry point checks its arguments
// against the types the jsii assembly declares, at any depth, and fails with one clear error.
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as lib from '../../lib';
import { documentedApp } from '../util';

const L: any = lib;

function chartWithAgent(): { chart: Chart; agent: any } {
  const chart = new Chart(documentedApp(), 'test', { namespace: 'agents' });
  const agent = new L.AgentRuntime(chart, 'Agent', {
    provider: new L.Provider(chart, 'Provider', { type: 'openai', model: 'm', credential: L.ProviderCredential.fromSecretKey(L.SecretKey.of(kplus.Secret.fromSecretName(chart, 'K', 'k'), 'k')) }),
    promptPack: L.PromptPack.fromName(chart, 'PP', 'p'),
  });
  return { chart, agent };
}

test.each<[string, (chart: Chart, agent: any) => unknown, string]>([
  ['PromptPack without props', (c) => new L.PromptPack(c, 'P', null), 'test/P: PromptPack agents/?: props: the props are required'],
  ['PromptPack with a numeric packName', (c) => new L.PromptPack(c, 'P', { packName: 5, version: '1.0.0', configMap: kplus.ConfigMap.fromConfigMapName(c, 'CM', 'cm') }), 'test/P: PromptPack agents/?: packName: must be a string, not a number'],
  ['PromptPack with a ConfigMap name for the ConfigMap', (c) => new L.PromptPack(c, 'P', { packName: 'p', version: '1.0.0', configMap: 'cm' }), 'test/P: PromptPack agents/?: configMap: must be an IConfigMap, not a string'],
  ['PromptPack.fromFile without options', (c) => L.PromptPack.fromFile(c, 'P', null), 'test/P: options: the props are required'],
  ['PromptPack.fromName with a numeric name', (c) => L.PromptPack.fromName(c, 'P', 5), 'test/P: name: must be a string, not a number'],
  ['ToolHandler.http without options', () => L.ToolHandler.http(null), 'ToolHandler.http: options: the props are required'],
  ['a tool given as a string', () => L.ToolHandler.http({ name: 'a', endpoint: 'http://x', tool: 'x' }), 'ToolHandler.http: tool: must be a ToolDefinition, not a string'],
  ['a timeout given as a number', () => L.ToolHandler.http({ name: 'a', endpoint: 'http://x', timeout: 5, tool: { name: 't', description: 'd' } }), 'ToolHandler.http: timeout: must be a Duration, not a number'],
  ['an HTTP method that is not one', () => L.ToolHandler.http({ name: 'a', endpoint: 'http://x', method: 'TRACE', tool: { name: 't', description: 'd' } }), 'ToolHandler.http: method: must be one of HttpMethod\'s values, not "TRACE"'],
  ['a tool without a name, one level down', () => L.ToolHandler.grpc({ name: 'g', endpoint: 'g:1', tool: { description: 'd' } }), 'ToolHandler.grpc: tool.name: is required'],
  ['an API key given as a string', () => L.ProviderCredential.fromSecretKey('sk-123'), 'ProviderCredential.fromSecretKey: key: must be a SecretKey, not a string'],
  ['a credential given as a SecretKey', (c) => new L.Provider(c, 'P2', { type: 'openai', credential: L.SecretKey.of(kplus.Secret.fromSecretName(c, 'K2', 'k'), 'k') }), 'test/P2: Provider agents/?: credential: must be a ProviderCredential, not a SecretKey'],
  ['a provider type that is not one', (c) => new L.Provider(c, 'P2', { type: 'anthropic' }), 'test/P2: Provider agents/?: type: must be one of ProviderType\'s values, not "anthropic"'],
  ['a redis URL given as a string', () => L.Session.redis({ url: 'redis://x' }), 'Session.redis: url: must be a SecretKey, not a string'],
  ['SecretKey.of without a Secret', () => L.SecretKey.of(null, 'k'), 'SecretKey.of: secret: is required'],
  ['a facade port given as a string', () => L.Facade.websocket({ port: '8080' }), 'Facade.websocket: port: must be a number, not a string'],
  ['autoscale without options', (_c, a) => a.autoscale(null), 'test/Agent: AgentRuntime agents/test-agent-c8ed7a28: options: the props are required'],
  ['allowFrom given as a string', (_c, a) => a.isolateNetwork({ allowFrom: 'web' }), 'test/Agent: AgentRuntime agents/test-agent-c8ed7a28: allowFrom: must be a list of INetworkPolicyPeer, not a string'],
  ['an env value that is a number', (_c, a) => a.addEnv('A', 5), 'test/Agent: AgentRuntime agents/test-agent-c8ed7a28: value: must be an EnvValue, not a number'],
  ['operator tolerations given as a string', () => new L.OmniaOperator(Testing.app(), 'o', { tolerations: 'x' }), 'o: tolerations: must be a list of k8s.Toleration, not a string'],
  ['an operator log level that is not one', () => new L.OmniaOperator(Testing.app(), 'o', { logLevel: 'loud' }), 'o: logLevel: must be one of OperatorLogLevel\'s values, not "loud"'],
  ['an image pull policy that is not one', () => new L.OmniaOperator(Testing.app(), 'o', { imagePullPolicy: 'Sometimes' }), 'o: imagePullPolicy: must be an ImagePullPolicy, not a string'],
  ['companions given as a string', (c) => L.AgentCompanions.applyTo(c, { autoscale: 'yes' }), 'test: autoscale: must be an AutoscaleOptions, not a string'],
])('%s', (_name, call, message) => {
  const { chart, agent } = chartWithAgent();
  let error: unknown;
  try {
    call(chart, agent);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  expect(error).not.toBeInstanceOf(TypeError);
  expect((error as Error).message).toBe(message);
});

test('null stands for optional props left out, as in every jsii language', () => {
  const releaseApp = Testing.app();
  L.OmniaTarget.use(releaseApp, L.OmniaApiTarget.V0_9_0_BETA_17);
  expect(() => new L.OmniaOperator(releaseApp, 'o', null)).not.toThrow();
  expect(() => new L.ToolRegistry(new Chart(Testing.app(), 'c'), 'T', null)).not.toThrow();
  expect(() => L.Session.memory(null)).not.toThrow();
  expect(() => L.Facade.websocket(null)).not.toThrow();
  const { agent } = chartWithAgent();
  expect(() => agent.addDisruptionBudget(null)).not.toThrow();
  expect(() => agent.isolateNetwork(null)).not.toThrow();
});
