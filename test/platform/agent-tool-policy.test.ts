import { Chart, Testing } from 'cdk8s';
import {
  AgentPolicy, AgentPolicyMode, AgentRuntime, HeaderInjection, OmniaOperator, PolicyFailureAction, PromptPack, Provider, ProviderType,
  ToolAccessMode, ToolHandler, ToolPolicy, ToolPolicyMode, ToolRegistry, validateManifests,
} from '../../lib';
import { documentedApp } from '../util';

const registry = (chart: Chart, name = 'support-tools') => new ToolRegistry(chart, `Tools-${name}`, {
  metadata: { name },
  handlers: [ToolHandler.http({ name: 'orders', endpoint: 'http://orders.shop.svc/lookup', tool: { name: 'order_lookup', description: 'Looks an order up.', inputSchema: { type: 'object' } } })],
});
const agent = (chart: Chart, name = 'support') => new AgentRuntime(chart, `Agent-${name}`, {
  metadata: { name },
  provider: new Provider(chart, `Provider-${name}`, { metadata: { name: `${name}-llm` }, type: ProviderType.MOCK }),
  promptPack: PromptPack.fromName(chart, `Pack-${name}`, 'support-prompts'),
});
const only = (chart: Chart, kind: string) => Testing.synth(chart).filter((o) => o.kind === kind);

describe('AgentPolicy', () => {
  test('selects the agents and registries given by name, with its defaults written', () => {
    const chart = new Chart(Testing.app(), 'agents', { namespace: 'agents' });
    const tools = registry(chart);
    new AgentPolicy(chart, 'Policy', {
      metadata: { name: 'support-tools-only' },
      agents: [agent(chart)],
      toolAccess: { mode: ToolAccessMode.ALLOWLIST, rules: [{ registry: tools, tools: ['order_lookup'] }] },
    });
    const [policy] = only(chart, 'AgentPolicy');
    expect(policy.metadata.namespace).toBe('agents');
    expect(policy.spec).toEqual({
      selector: { agents: ['support'] },
      toolAccess: { mode: 'allowlist', rules: [{ registry: 'support-tools', tools: ['order_lookup'] }] },
      mode: 'enforce',
      onFailure: 'deny',
    });
  });

  test('applies to every agent of the namespace when none is given', () => {
    const chart = new Chart(Testing.app(), 'agents', { namespace: 'agents' });
    new AgentPolicy(chart, 'Policy', { mode: AgentPolicyMode.PERMISSIVE, onFailure: PolicyFailureAction.ALLOW });
    expect(only(chart, 'AgentPolicy')[0].spec).toEqual({ mode: 'permissive', onFailure: 'allow' });
  });

  test('refuses an agent or a registry of another namespace, empty rules and names, an agent twice', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'agents', { namespace: 'agents' });
    const other = new Chart(app, 'other', { namespace: 'other' });
    expect(() => new AgentPolicy(chart, 'A', { agents: [agent(other)] }))
      .toThrow(/agents\/A: AgentPolicy agents\/.*: agents\[0\]: AgentRuntime other\/support is not in namespace agents, where the policy selects agents by name/);
    expect(() => new AgentPolicy(chart, 'B', { toolAccess: { mode: ToolAccessMode.DENYLIST, rules: [{ registry: registry(other), tools: ['x'] }] } }))
      .toThrow(/toolAccess\.rules\[0\]\.registry: ToolRegistry other\/support-tools is not in namespace agents/);
    expect(() => new AgentPolicy(chart, 'C', { toolAccess: { mode: ToolAccessMode.DENYLIST, rules: [] } })).toThrow(/toolAccess\.rules: needs at least one rule/);
    expect(() => new AgentPolicy(chart, 'D', { toolAccess: { mode: ToolAccessMode.DENYLIST, rules: [{ registry: ToolRegistry.fromName(chart, 'R', 'r'), tools: [] }] } }))
      .toThrow(/toolAccess\.rules\[0\]\.tools: needs at least one tool name/);
    const support = agent(chart);
    expect(() => new AgentPolicy(chart, 'E', { agents: [support, support] })).toThrow(/agents: "support" is listed twice/);
  });

  test('the reference checks report a registry its manifests do not define in its namespace', () => {
    const chart = new Chart(Testing.app(), 'agents', { namespace: 'agents' });
    new AgentPolicy(chart, 'Policy', {
      metadata: { name: 'p' },
      toolAccess: { mode: ToolAccessMode.DENYLIST, rules: [{ registry: registry(chart), tools: ['order_lookup'] }] },
    });
    const manifests = Testing.synth(chart);
    expect(validateManifests(manifests)).toEqual([]);
    const elsewhere = manifests.map((m) => (m.kind === 'ToolRegistry' ? { ...m, metadata: { ...m.metadata, namespace: 'other' } } : m));
    expect(validateManifests(elsewhere).map((f) => `${f.path}: ${f.message}`))
      .toEqual([expect.stringMatching(/^spec\.toolAccess\.rules\[0\]\.registry: ToolRegistry agents\/support-tools is not defined in the manifests/)]);
  });

  test('is refused under the documented API', () => {
    const chart = new Chart(documentedApp(), 'agents', { namespace: 'agents' });
    expect(() => new AgentPolicy(chart, 'P')).toThrow(/agents\/P: AgentPolicy .*: an AgentPolicy: the documented API has no equivalent/);
    expect(() => AgentPolicy.fromAgentPolicyName(chart, 'Ext', 'p', { namespace: 'x' })).toThrow(/AgentPolicy x\/p: .*the documented API has no equivalent/);
  });
});

describe('ToolPolicy', () => {
  const enterprise = () => {
    const app = Testing.app();
    const operator = new OmniaOperator(app, 'omnia', { enterprise: true });
    const chart = new Chart(app, 'agents', { namespace: 'agents' });
    chart.addDependency(operator);
    return { app, chart };
  };

  test('renders the registry, rules, claims and headers, with its defaults written', () => {
    const { chart } = enterprise();
    new ToolPolicy(chart, 'Policy', {
      metadata: { name: 'no-bulk-refunds' },
      registry: registry(chart),
      tools: ['refund'],
      rules: [{ name: 'refund-limit', denyWhen: 'has(body.amount) && body.amount > 500', message: 'refunds over 500 need a person', description: 'a cap' }],
      requiredClaims: [{ claim: 'tenant', message: 'calls need a tenant' }],
      headerInjection: [HeaderInjection.withValue('X-Source', 'omnia'), HeaderInjection.fromCel('X-Tenant', "headers['x-omnia-claim-tenant']")],
    });
    const [policy] = only(chart, 'ToolPolicy');
    expect(policy.metadata.namespace).toBe('agents');
    expect(policy.spec).toEqual({
      selector: { registry: 'support-tools', tools: ['refund'] },
      rules: [{ name: 'refund-limit', description: 'a cap', deny: { cel: 'has(body.amount) && body.amount > 500', message: 'refunds over 500 need a person' } }],
      requiredClaims: [{ claim: 'tenant', message: 'calls need a tenant' }],
      mode: 'enforce',
      onFailure: 'deny',
      headerInjection: [{ header: 'X-Source', value: 'omnia' }, { header: 'X-Tenant', cel: "headers['x-omnia-claim-tenant']" }],
    });
  });

  test('fails the synth of an app that installs the release without the enterprise edition, which alone enforces it', () => {
    const app = Testing.app();
    new OmniaOperator(app, 'omnia');
    const chart = new Chart(app, 'agents', { namespace: 'agents' });
    new ToolPolicy(chart, 'Policy', { metadata: { name: 'p' }, registry: registry(chart), rules: [{ name: 'r', denyWhen: 'true', message: 'no' }], mode: ToolPolicyMode.AUDIT });
    expect(() => app.synth()).toThrow(/agents\/Policy.*ToolPolicy agents\/p: kind: a ToolPolicy is enforced by the enterprise edition .*OmniaOperator\(\{ enterprise: true \}\)/s);
  });

  test('refuses bad CEL, duplicate rule names, a bad header name and a registry of another namespace', () => {
    const { app, chart } = enterprise();
    const tools = registry(chart);
    const rule = { name: 'r', denyWhen: 'true', message: 'no' };
    expect(() => new ToolPolicy(chart, 'A', { registry: tools, rules: [{ ...rule, denyWhen: 'body.amount >' }] })).toThrow(/rules\[0\]\.denyWhen: "body\.amount >" is not valid CEL/);
    expect(() => new ToolPolicy(chart, 'B', { registry: tools, rules: [rule, rule] })).toThrow(/rules\[1\]\.name: two rules are named "r"/);
    expect(() => new ToolPolicy(chart, 'C', { registry: tools, rules: [] })).toThrow(/rules: needs at least one rule/);
    expect(() => new ToolPolicy(chart, 'D', { registry: tools, rules: [rule], headerInjection: [HeaderInjection.withValue('bad header', 'x')] })).toThrow(/headerInjection\[0\]\.header: "bad header" is not an HTTP header name/);
    expect(() => new ToolPolicy(chart, 'E', { registry: tools, rules: [rule], headerInjection: [HeaderInjection.fromCel('X-A', '(')] })).toThrow(/headerInjection\[0\]\.expression: "\(" is not valid CEL/);
    const other = new Chart(app, 'other', { namespace: 'other' });
    expect(() => new ToolPolicy(chart, 'F', { registry: registry(other), rules: [rule] })).toThrow(/registry: ToolRegistry other\/support-tools is not in namespace agents, where the policy broker matches registries by name/);
  });

  test('a registry outside the app is named, and not reported by the reference checks', () => {
    const { app, chart } = enterprise();
    new ToolPolicy(chart, 'Policy', { metadata: { name: 'p' }, registry: ToolRegistry.fromName(chart, 'Ext', 'eval-tools'), rules: [{ name: 'r', denyWhen: 'true', message: 'no' }] });
    expect(() => app.synth()).not.toThrow();
    expect(only(chart, 'ToolPolicy')[0].spec.selector).toEqual({ registry: 'eval-tools' });
  });

  test('is refused under the documented API', () => {
    const chart = new Chart(documentedApp(), 'agents', { namespace: 'agents' });
    expect(() => ToolPolicy.fromToolPolicyName(chart, 'Ext', 'p')).toThrow(/ToolPolicy p: a ToolPolicy: the documented API has no equivalent/);
  });
});
