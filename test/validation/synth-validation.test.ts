import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, JsonPatch, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  OmniaApiTarget, AgentRuntime, FindingCheck, l1, OmniaValidation, PromptPack, Provider, ProviderType, SecretKey, Session, ToolHandler, ToolRegistry, validateManifests,
} from '../../lib';
import { invalidCorpus, minimalAgent, productionAgent, promptPack, toolRegistry } from './fixtures';
import { documentedApp, providerOf } from '../util';
import { expectAtField, placeIn } from './field-place';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-validation-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let fileCount = 0;
function writeYaml(manifests: any[]): string {
  const file = path.join(tmp, `m${fileCount++}.yaml`);
  fs.writeFileSync(file, Yaml.stringify(...manifests));
  return file;
}

/** A chart in an app whose synth-time checks are on. */
function checkedChart(): Chart {
  const app = documentedApp();
  OmniaValidation.enable(app);
  return new Chart(app, 'c');
}

/** The synth error of a chart, or '' when it synthesizes. */
function synthError(chart: Chart): string {
  try {
    Testing.synth(chart);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

function objectLabel(m: any): string {
  return `${m.kind} ${m.metadata.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata.name}`;
}

// Objects the schema corpus refers to, so that only the schema finding is left.
function companions(object?: any): any[] {
  const p = promptPack();
  const t = toolRegistry();
  return [p, t].filter((c) => c.kind !== object?.kind);
}

const schemaCases = invalidCorpus.filter(([name]) => !/^(unknown Omnia kind|unserved version)$/.test(name));

describe('route: hand-written ApiObject', () => {
  test.each(invalidCorpus)('%s', (_name, make, fieldPath, reason) => {
    const chart = checkedChart();
    const object = make();
    new ApiObject(chart, 'raw', object);
    for (const [i, m] of companions(object).entries()) new ApiObject(chart, `companion${i}`, m);
    const error = synthError(chart);
    expect(error).toContain(`c/raw: ${objectLabel(object)}: ${fieldPath}: `);
    expect(error).toContain(reason);
  });
});

describe('route: Include of a YAML file', () => {
  test.each(schemaCases)('%s', (_name, make, fieldPath, reason) => {
    const chart = checkedChart();
    const object = make();
    new Include(chart, 'inc', { url: writeYaml([object, ...companions(object)]) });
    const error = synthError(chart);
    expect(error).toMatch(new RegExp(`c/inc/[^:]+: ${objectLabel(object).replace('/', '\\/')}: ${fieldPath.replace(/[[\].]/g, '\\$&')}: `));
    expect(error).toContain(reason);
  });
});

describe('route: CLI on files', () => {
  const { main } = require('../../lib/cli');
  test.each(invalidCorpus)('%s', (_name, make, fieldPath, reason) => {
    const object = make();
    const file = writeYaml([object, ...companions(object)]);
    const lines: string[] = [];
    expect(main(['validate', '--target', 'documented', file], (l: string) => lines.push(l))).toBe(1);
    // file:line:column of the field itself (or of its nearest ancestor, for one that is missing)
    const { line, column } = placeIn(lines[0], file);
    expect(lines[0]).toBe(`${file}:${line}:${column}: ${objectLabel(object)}: ${fieldPath}: ${lines[0].split(`${fieldPath}: `)[1]}`);
    expectAtField(lines[0], file, [object], 0, fieldPath);
    expect(lines[0]).toContain(reason);
  });

  test('--external declares objects outside the files; --no-references skips those checks', () => {
    const file = writeYaml([productionAgent()]);
    const lines: string[] = [];
    expect(main(['validate', '--target', 'documented', file], (l: string) => lines.push(l))).toBe(1);
    expect(lines[0]).toContain('PromptPack agents/customer-service-prompts is not defined in the manifests; define it, or list it as external');
    expect(main(['validate', '--target', 'documented', '--external', 'PromptPack/agents/customer-service-prompts', '--external', 'ToolRegistry/service-tools', file], () => undefined)).toBe(0);
    expect(main(['validate', '--target', 'documented', '--no-references', file], () => undefined)).toBe(0);
    expect(main(['validate', '--target', 'documented', '--external', 'nonsense', file], () => undefined)).toBe(2);
  });

  test('exits 0 and says so on valid files, 2 on unreadable ones', () => {
    const lines: string[] = [];
    expect(main(['validate', '--target', 'documented', writeYaml([productionAgent(), ...companions()])], (l: string) => lines.push(l))).toBe(0);
    expect(lines).toEqual(['3 object(s), no findings']);
    expect(main(['validate', '--target', 'documented', path.join(tmp, 'nope.yaml')], () => undefined)).toBe(2);
    expect(main(['lint'], () => undefined)).toBe(2);
  });
});

describe('route: raw L1 classes', () => {
  const l1Cases: Array<[string, (chart: Chart) => void, string, string]> = [
    ['negative replicas', (c) => new l1.AgentRuntime(c, 'a', { metadata: { name: 'a' }, spec: { ...l1Spec(), replicas: -1 } }), 'spec.replicas', 'must be >= 0'],
    ['port 0', (c) => new l1.AgentRuntime(c, 'a', { metadata: { name: 'a' }, spec: { ...l1Spec(), facade: { port: 0 } } }), 'spec.facade.port', 'must be >= 1'],
    ['redis without storeRef', (c) => new l1.AgentRuntime(c, 'a', { metadata: { name: 'a' }, spec: { ...l1Spec(), session: { type: l1.AgentRuntimeSpecSessionType.REDIS } } }), 'spec.session.storeRef', 'storeRef is required when session type is redis'],
    ['bad ttl', (c) => new l1.AgentRuntime(c, 'a', { metadata: { name: 'a' }, spec: { ...l1Spec(), session: { ttl: 'tomorrow' } } }), 'spec.session.ttl', 'must match pattern'],
    ['empty model', (c) => new l1.AgentRuntime(c, 'a', { metadata: { name: 'a' }, spec: { ...l1Spec(), provider: { ...l1Spec().provider, model: '' } } }), 'spec.provider.model', 'must NOT have fewer than 1 characters'],
    ['version 1.0', (c) => new l1.PromptPack(c, 'a', { metadata: { name: 'a' }, spec: { packName: 'p', version: '1.0', source: { type: l1.PromptPackSpecSourceType.CONFIGMAP, configMapRef: { name: 'cm' } } } }), 'spec.version', 'must match pattern'],
    ['canary weight 150', (c) => new l1.PromptPack(c, 'a', { metadata: { name: 'a' }, spec: { packName: 'p', version: '1.0.0', source: { type: l1.PromptPackSpecSourceType.CONFIGMAP, configMapRef: { name: 'cm' } }, rollout: { type: l1.PromptPackSpecRolloutType.CANARY, canary: { weight: 150 } } } }), 'spec.rollout.canary.weight', 'must be <= 100'],
    ['http handler without httpConfig', (c) => new l1.ToolRegistry(c, 'a', { metadata: { name: 'a' }, spec: { handlers: [{ name: 'h', type: l1.ToolRegistrySpecHandlersType.HTTP, tool: { name: 't', description: 'd' } }] } }), 'spec.handlers[0].httpConfig', 'httpConfig is required when type is http'],
    ['duplicate handler names', (c) => new l1.ToolRegistry(c, 'a', { metadata: { name: 'a' }, spec: { handlers: [mcp('kb'), mcp('kb')] } }), 'spec.handlers[1]', 'Duplicate value: ["kb"]'],
    ['no handlers', (c) => new l1.ToolRegistry(c, 'a', { metadata: { name: 'a' }, spec: { handlers: [] } }), 'spec.handlers', 'must NOT have fewer than 1 items'],
  ];
  test.each(l1Cases)('%s', (_name, build, fieldPath, reason) => {
    const chart = checkedChart();
    PromptPack.fromName(chart, 'ext', 'p');
    build(chart);
    expect(synthError(chart)).toMatch(new RegExp(`c/a: \\w+ a: ${fieldPath.replace(/[[\].]/g, '\\$&')}: .*${reason.replace(/[[\]]/g, '\\$&')}`));
  });
});

function l1Spec() {
  return {
    provider: { name: l1.AgentRuntimeSpecProviderName.OPENAI, model: 'gpt-4o', apiKeySecretRef: { name: 'k', key: 'k' } },
    promptPackRef: { name: 'p' },
  };
}
function mcp(name: string) {
  return { name, type: l1.ToolRegistrySpecHandlersType.MCP, mcpConfig: { endpoint: 'http://kb:8000/mcp' } };
}

// Cross-object cases: [name, manifests, index of the faulty object, path, reason].
function secret(name: string, keys: string[]): any {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'agents' }, stringData: Object.fromEntries(keys.map((k) => [k, 'x'])) };
}
function configMap(name: string, data: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'agents' }, data };
}
const pack = JSON.stringify({ id: 'customer-service', version: '1.2.0', prompts: { main: { system_template: 'Hi' } } });
function withPack(): any[] {
  const p = promptPack();
  p.metadata.name = 'customer-service-prompts';
  return [p, configMap('customer-service-pack', { 'pack.json': pack }), toolRegistry()];
}
const referenceCases: Array<[string, () => any[], number, string, string]> = [
  ['missing PromptPack', () => [productionAgent(), toolRegistry()], 0, 'spec.promptPackRef', 'PromptPack agents/customer-service-prompts is not defined in the '],
  ['PromptPack in another namespace', () => { const a = productionAgent(); a.spec.promptPackRef.namespace = 'shared'; return [a, ...withPack()]; }, 0, 'spec.promptPackRef', 'PromptPack shared/customer-service-prompts is not defined'],
  ['missing ToolRegistry', () => withPack().slice(0, 2).concat([productionAgent()]), 2, 'spec.toolRegistryRef', 'ToolRegistry agents/service-tools is not defined in the '],
  ['API key secret without the key', () => [productionAgent(), ...withPack(), secret('openai-credentials', ['token'])], 0, 'spec.provider.apiKeySecretRef', 'Secret agents/openai-credentials has no key "api-key" (it has "token")'],
  ['session store secret without the key', () => [productionAgent(), ...withPack(), secret('redis-credentials', [])], 0, 'spec.session.storeRef', 'Secret agents/redis-credentials has no key "url" (it has no keys)'],
  ['env secretKeyRef to a missing key', () => { const a = productionAgent(); a.spec.env = [{ name: 'T', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }]; return [a, ...withPack(), secret('s', ['other'])]; }, 0, 'spec.env[0].valueFrom.secretKeyRef', 'Secret agents/s has no key "k"'],
  ['env configMapKeyRef to a missing key', () => { const a = productionAgent(); a.spec.env = [{ name: 'R', valueFrom: { configMapKeyRef: { name: 'settings', key: 'region' } } }]; return [a, ...withPack(), configMap('settings', { zone: 'a' })]; }, 0, 'spec.env[0].valueFrom.configMapKeyRef', 'ConfigMap agents/settings has no key "region"'],
  ['plain-text credential in env', () => { const a = productionAgent(); a.spec.env = [{ name: 'OPENAI_API_KEY', value: 'sk-live' }]; return [a, ...withPack()]; }, 0, 'spec.env[0].value', 'OPENAI_API_KEY looks like a credential and is written in plain text'],
  ['Authorization header in plain text', () => { const t = toolRegistry(); t.spec.handlers[0].httpConfig.headers = { Authorization: 'Bearer x' }; return [t]; }, 0, 'spec.handlers[0].httpConfig.headers[Authorization]', 'the Authorization header is written in plain text'],
  ['handler auth secret without the key', () => { const t = toolRegistry(); t.spec.handlers[0].authSecretRef = { name: 'tok', key: 'token' }; return [t, secret('tok', ['bearer'])]; }, 0, 'spec.handlers[0].authSecretRef', 'Secret agents/tok has no key "token"'],
  ['pack ConfigMap without the key', () => { const m = withPack(); m[1] = configMap('customer-service-pack', { 'other.json': pack }); return m; }, 0, 'spec.source.configMapRef', 'ConfigMap agents/customer-service-pack has no key "pack.json"'],
  ['pack that is not JSON', () => { const m = withPack(); m[1] = configMap('customer-service-pack', { 'pack.json': '{ nope' }); return m; }, 0, 'spec.source.configMapRef', 'ConfigMap agents/customer-service-pack key "pack.json" is not valid JSON'],
  ['pack without prompts', () => { const m = withPack(); m[1] = configMap('customer-service-pack', { 'pack.json': '{"id":"customer-service","version":"1.2.0"}' }); return m; }, 0, 'spec.source.configMapRef', 'ConfigMap agents/customer-service-pack key "pack.json" is not a PromptPack: it lacks prompts'],
  ['pack id differs from packName', () => { const m = withPack(); m[0].spec.packName = 'sales'; return m; }, 0, 'spec.packName', '"sales" differs from the pack\'s id "customer-service"'],
  ['pack version differs', () => { const m = withPack(); m[0].spec.version = '1.3.0'; return m; }, 0, 'spec.version', '"1.3.0" differs from the pack\'s version "1.2.0"'],
];

describe.each(['ApiObject', 'Include', 'CLI', 'plugin'])('references through route %s', (route) => {
  test.each(referenceCases)('%s', async (_name, make, faulty, fieldPath, reason) => {
    const manifests = make();
    const label = objectLabel(manifests[faulty]);
    if (route === 'ApiObject' || route === 'Include') {
      const chart = checkedChart();
      if (route === 'ApiObject') manifests.forEach((m, i) => new ApiObject(chart, `o${i}`, m));
      else new Include(chart, 'inc', { url: writeYaml(manifests) });
      const error = synthError(chart);
      expect(error).toContain(`${label}: ${fieldPath}: ${reason}`);
    } else if (route === 'CLI') {
      const lines: string[] = [];
      const file = writeYaml(manifests);
      expect(require('../../lib/cli').main(['validate', '--target', 'documented', file], (l: string) => lines.push(l))).toBe(1);
      // At the referring field, in the faulty object's document.
      const found = lines.filter((l) => l.includes(`: ${label}: ${fieldPath}: `) && l.includes(reason));
      expect(found).toHaveLength(1);
      expectAtField(found[0], file, manifests, faulty, fieldPath);
    } else {
      const report = await runPlugin(manifests);
      expect(report.success).toBe(false);
      expect(report.toString()).toContain(`${label}: ${fieldPath}: ${reason}`);
    }
  });
});

test('the plugin takes external objects and can skip references', async () => {
  expect((await runPlugin([productionAgent()], { external: ['PromptPack/agents/customer-service-prompts', 'ToolRegistry/agents/service-tools'] })).success).toBe(true);
  expect((await runPlugin([productionAgent()], { references: false })).success).toBe(true);
  expect((await runPlugin([productionAgent()])).success).toBe(false);
});

async function runPlugin(manifests: any[], properties: Record<string, unknown> = {}) {
  // The CLI's own context and report, so the plugin is driven exactly as `cdk8s synth --validate` drives it.
  const { ValidationContext } = require(path.join(__dirname, '..', '..', 'node_modules', 'cdk8s-cli', 'lib', 'plugins', 'validation.js'));
  const { OmniaValidationPlugin } = require('../../lib');
  const context = new ValidationContext([writeYaml(manifests)], 'cdk8s-omnia', '0.1.0', {}, false);
  // The fixtures are the documented API's (the plugin's default is the newest release).
  await new OmniaValidationPlugin({ target: 'documented', ...properties }).validate(context);
  return context.report;
}

test('the plugin knows what the app declared in code and names the construct that made each object', async () => {
  const { ValidationContext, ValidationPlugin } = require(path.join(__dirname, '..', '..', 'node_modules', 'cdk8s-cli', 'lib', 'plugins', 'validation.js'));
  const { OmniaValidationPlugin } = require('../../lib');
  const outdir = fs.mkdtempSync(path.join(tmp, 'dist-'));
  // As `cdk8s synth` with validations runs an app: construct metadata recorded, in-app checks left to the plugin.
  const app = documentedApp({ outdir, recordConstructMetadata: true });
  OmniaValidation.disable(app);
  const chart = new Chart(app, 'c', { namespace: 'agents' });
  const key = new kplus.Secret(chart, 'Key', { metadata: { name: 'openai' }, stringData: { 'api-key': 'x' } });
  const agent = new AgentRuntime(chart, 'Support', {
    metadata: { name: 'support' },
    provider: providerOf(chart, 'OpenAI', ProviderType.OPENAI, 'gpt-4o', SecretKey.of(key, 'api-key')),
    promptPack: PromptPack.fromName(chart, 'Prompts', 'shared-prompts', 'platform'),
  });
  agent.isolateNetwork(); // a NetworkPolicy that shares the agent's name
  ApiObject.of(agent).addJsonPatch(JsonPatch.replace('/spec/replicas', -1));
  app.synth();
  const manifests = fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).map((f) => path.join(outdir, f));
  const metadata = ValidationPlugin.loadConstructMetadata(path.join(outdir, 'construct-metadata.json'));
  const context = new ValidationContext(manifests, 'cdk8s-omnia', '0.1.0', metadata, false);
  await new OmniaValidationPlugin({}).validate(context);
  const report = context.report.toJson();
  // The external pack declared with fromName is no finding; the patched replicas is, at the agent's construct.
  expect(report.violations.map((v: any) => v.recommendation)).toEqual([expect.stringContaining('AgentRuntime agents/support: spec.replicas: Invalid value: -1')]);
  expect(report.violations[0].violatingConstructs[0].constructPath).toBe('c/Support');
  // The plugin removes what the app and the CLI left for it, so `kubectl apply -f` reads manifests only.
  expect(fs.readdirSync(outdir).filter((f) => !f.endsWith('.yaml'))).toEqual([]);
});

describe('route: L2 constructs', () => {
  function base(chart: Chart) {
    const key = new kplus.Secret(chart, 'Key', { metadata: { name: 'openai' }, stringData: { 'api-key': 'sk-test-SENTINEL' } });
    return { provider: providerOf(chart, 'OpenAI', ProviderType.OPENAI, 'gpt-4o', SecretKey.of(key, 'api-key')), promptPack: PromptPack.fromName(chart, 'P', 'prompts') };
  }
  const l2Cases: Array<[string, (chart: Chart) => void, string, string]> = [
    ['escape-hatch patch that breaks the schema', (c) => {
      ApiObject.of(new AgentRuntime(c, 'Agent', { metadata: { name: 'a' }, ...base(c) })).addJsonPatch(JsonPatch.replace('/spec/replicas', -2));
    }, 'c/Agent: AgentRuntime agents/a: spec.replicas', 'must be >= 0'],
    ['API key from a Secret key that does not exist', (c) => {
      const key = new kplus.Secret(c, 'Other', { metadata: { name: 'other' }, stringData: { token: 'x' } });
      new AgentRuntime(c, 'Agent', { metadata: { name: 'a' }, ...base(c), provider: providerOf(c, 'Claude', ProviderType.CLAUDE, 'm', SecretKey.of(key, 'api-key'), 'claude') });
    }, 'c/Agent: AgentRuntime agents/a: spec.provider.apiKeySecretRef', 'Secret agents/other has no key "api-key" (it has "token"); the credential of Provider agents/claude'],
    ['redis URL from a Secret key that does not exist', (c) => {
      const redis = new kplus.Secret(c, 'Redis', { metadata: { name: 'redis' }, stringData: { uri: 'x' } });
      new AgentRuntime(c, 'Agent', { metadata: { name: 'a' }, ...base(c), session: Session.redis({ url: SecretKey.of(redis, 'url') }) });
    }, 'spec.session.storeRef', 'Secret agents/redis has no key "url"'],
    ['credential passed as a plain env value', (c) => {
      new AgentRuntime(c, 'Agent', { metadata: { name: 'a' }, ...base(c), env: { SEARCH_TOKEN: kplus.EnvValue.fromValue('abc') } });
    }, 'spec.env[0].value', 'SEARCH_TOKEN looks like a credential'],
    ['pack in an app ConfigMap whose id differs', (c) => {
      const cm = new kplus.ConfigMap(c, 'Cm', { metadata: { name: 'cm' }, data: { 'pack.json': pack } });
      new PromptPack(c, 'Pack', { metadata: { name: 'pp' }, packName: 'billing', version: '1.2.0', configMap: cm });
    }, 'c/Pack: PromptPack agents/pp: spec.packName', '"billing" differs from the pack\'s id "customer-service"'],
    ['pack ConfigMap without the key', (c) => {
      const cm = new kplus.ConfigMap(c, 'Cm', { metadata: { name: 'cm' }, data: { 'other.json': pack } });
      new PromptPack(c, 'Pack', { metadata: { name: 'pp' }, packName: 'customer-service', version: '1.2.0', configMap: cm });
    }, 'spec.source.configMapRef', 'ConfigMap agents/cm has no key "pack.json"'],
    ['Authorization header on an http tool', (c) => {
      new ToolRegistry(c, 'Tools', { metadata: { name: 't' }, handlers: [ToolHandler.http({ name: 'h', endpoint: 'http://h', headers: { authorization: 'Bearer x' }, tool: { name: 'h', description: 'h' } })] });
    }, 'spec.handlers[0].httpConfig.headers[authorization]', 'header is written in plain text'],
    ['tool auth from a Secret key that does not exist', (c) => {
      const tok = new kplus.Secret(c, 'Tok', { metadata: { name: 'tok' }, stringData: { bearer: 'x' } });
      new ToolRegistry(c, 'Tools', { metadata: { name: 't' }, handlers: [ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb', auth: SecretKey.of(tok, 'token') })] });
    }, 'spec.handlers[0].authSecretRef', 'Secret agents/tok has no key "token"'],
    ['agent whose pack is a handle on another app object, then removed by patch', (c) => {
      const agent = new AgentRuntime(c, 'Agent', { metadata: { name: 'a' }, ...base(c) });
      ApiObject.of(agent).addJsonPatch(JsonPatch.replace('/spec/promptPackRef/name', 'nowhere'));
    }, 'spec.promptPackRef', 'PromptPack agents/nowhere is not defined in the app'],
  ];
  test.each(l2Cases)('%s', (_name, build, where, reason) => {
    const chart = new Chart(documentedApp(), 'c', { namespace: 'agents' });
    build(chart);
    const error = synthError(chart);
    expect(error).toContain(where);
    expect(error).toContain(reason);
  });

  test('the same object defined twice in an app is one finding, at the second construct, naming the first', () => {
    const chart = new Chart(documentedApp(), 'c', { namespace: 'agents' });
    new kplus.ConfigMap(chart, 'First', { metadata: { name: 'settings' }, data: { a: '1' } });
    new kplus.ConfigMap(chart, 'Second', { metadata: { name: 'settings' }, data: { a: '2' } });
    new kplus.ConfigMap(chart, 'Other', { metadata: { name: 'settings', namespace: 'elsewhere' }, data: { a: '3' } });
    new AgentRuntime(chart, 'Agent', { metadata: { name: 'a' }, ...base(chart) });
    const error = synthError(chart);
    expect(error).toContain('cdk8s-omnia: 1 problem(s) in the app:');
    expect(error).toContain('c/Second/Resource: ConfigMap agents/settings: metadata.name: ConfigMap agents/settings is defined twice (also in c/First/Resource)');
  });

  test('all findings of a synth are reported together', () => {
    const chart = new Chart(documentedApp(), 'c', { namespace: 'agents' });
    for (const name of ['a', 'b', 'c']) {
      ApiObject.of(new AgentRuntime(chart, name, { metadata: { name }, ...base(chart) })).addJsonPatch(JsonPatch.replace('/spec/replicas', -1));
      chart.node.tryRemoveChild('Key');
      chart.node.tryRemoveChild('P');
      chart.node.tryRemoveChild('OpenAI');
    }
    const error = synthError(chart);
    expect(error.match(/spec\.replicas: Invalid value: -1/g)).toHaveLength(3);
  });

  test('OmniaValidation.disable turns the checks off; an L2 does not turn them back on', () => {
    const app = documentedApp();
    OmniaValidation.disable(app);
    const chart = new Chart(app, 'c', { namespace: 'agents' });
    ApiObject.of(new AgentRuntime(chart, 'A', { metadata: { name: 'a' }, ...base(chart) })).addJsonPatch(JsonPatch.replace('/spec/replicas', -1));
    expect(OmniaValidation.isEnabled(chart)).toBe(false);
    expect(synthError(chart)).toBe('');
  });

  test('references can be switched off on their own', () => {
    const app = documentedApp();
    OmniaValidation.enable(app, { references: false });
    const chart = new Chart(app, 'c', { namespace: 'agents' });
    new ApiObject(chart, 'a', productionAgent());
    expect(synthError(chart)).toBe('');
  });
});

describe('valid edge cases pass every route', () => {
  const valid: Array<[string, () => any[]]> = [
    ['int-or-string quantities', () => { const a = productionAgent(); a.spec.resources.limits.cpu = 2; a.spec.resources.requests.memory = 268435456; return [a, ...withPack()]; }],
    ['namespace left to the default', () => { const m = [minimalAgent(), { ...promptPack(), metadata: { name: 'prompts' } }]; delete m[0].metadata.namespace; return m; }],
    ['reference to a pack in another namespace that is in the set', () => { const a = minimalAgent(); a.spec.promptPackRef = { name: 'shared', namespace: 'platform' }; return [a, { ...promptPack(), metadata: { name: 'shared', namespace: 'platform' } }]; }],
    ['env from keys that exist', () => { const a = minimalAgent(); a.spec.env = [{ name: 'T', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }, { name: 'R', valueFrom: { configMapKeyRef: { name: 'c', key: 'r' } } }]; return [a, { ...promptPack(), metadata: { name: 'prompts', namespace: 'agents' } }, secret('s', ['k']), configMap('c', { r: '1' })]; }],
    ['env refs to Secrets outside the set', () => { const a = minimalAgent(); a.spec.env = [{ name: 'T', valueFrom: { secretKeyRef: { name: 'elsewhere', key: 'k' } } }]; return [a, { ...promptPack(), metadata: { name: 'prompts', namespace: 'agents' } }]; }],
    ['pack ConfigMap that matches', () => withPack()],
    ['pack ConfigMap outside the set', () => [promptPack()]],
    ['canary rollout', () => { const p = promptPack(); p.spec.rollout = { type: 'canary', canary: { weight: 0 } }; return [p]; }],
    ['non-secret env literal', () => { const a = minimalAgent(); a.spec.env = [{ name: 'TOKENIZER', value: 'cl100k' }, { name: 'MAX_TOKENS', value: '512' }]; return [a, { ...promptPack(), metadata: { name: 'prompts', namespace: 'agents' } }]; }],
    ['non-Omnia objects with odd fields', () => [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { whatever: true } }]],
    ['status written by the operator', () => { const a = minimalAgent(); a.status = { phase: 'Pending', conditions: [] }; return [a, { ...promptPack(), metadata: { name: 'prompts', namespace: 'agents' } }]; }],
  ];
  test.each(valid)('%s', async (_name, make) => {
    expect(validateManifests(make(), { target: OmniaApiTarget.DOCUMENTED })).toEqual([]);
    const chart = checkedChart();
    new Include(chart, 'inc', { url: writeYaml(make()) });
    expect(synthError(chart)).toBe('');
    expect(require('../../lib/cli').main(['validate', '--target', 'documented', writeYaml(make())], () => undefined)).toBe(0);
    expect((await runPlugin(make())).success).toBe(true);
  });

  test('an external pack declared with fromName satisfies the reference', () => {
    const chart = checkedChart();
    new ApiObject(chart, 'a', productionAgent());
    PromptPack.fromName(chart, 'p', 'customer-service-prompts');
    ToolRegistry.fromName(chart, 't', 'service-tools', 'agents');
    expect(synthError(chart)).toBe('');
  });
});

test('findings are structured', () => {
  const [finding] = validateManifests([{ ...productionAgent(), spec: { ...productionAgent().spec, replicas: -1 } }, ...withPack()], { target: OmniaApiTarget.DOCUMENTED });
  expect(finding).toEqual({
    apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind: 'AgentRuntime', name: 'production-agent', namespace: 'agents',
    path: 'spec.replicas', message: 'Invalid value: -1: must be >= 0', check: FindingCheck.SCHEMA, origin: undefined,
  });
});
