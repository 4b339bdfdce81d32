// A name the API server refuses (RFC 1123) comes with the nearest valid one: at construct time, in the schema
// check of any Omnia object (synth, CLI, validateManifests), and for the names the L2s check of themselves.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AgentRuntime, OmniaApiTarget, OmniaOperator, OmniaValidation, PromptPack, ToolHandler, ToolRegistry, validateManifests } from '../../lib';
import { main } from '../../lib/cli';
import { didYouMean, dnsLabelError, dnsSubdomainError, nearestDnsName, objectMetaProblems } from '../../lib/validation/object-meta';
import { documentedApp, externalPack, newChart, openai } from '../util';

describe('the nearest valid name', () => {
  test.each<[string, boolean, string | undefined]>([
    ['My_Agent', true, 'my-agent'],
    ['Support Agent (EU)', true, 'support-agent-eu'],
    ['-agent-', true, 'agent'],
    ['Shop.Orders..V2_', true, 'shop.orders.v2'],
    ['Shop.Orders', false, 'shop-orders'],
    ['agent__one', false, 'agent-one'],
    ['a--b', false, undefined], // valid already: nothing to suggest
    ['___', true, undefined],
    ['Ünïcode Café', true, 'unicode-cafe'],
  ])('%s (%s) -> %s', (name, subdomain, expected) => {
    expect(nearestDnsName(name, subdomain)).toBe(expected);
  });

  test('cut to the limit, without a trailing separator, and valid', () => {
    const label = nearestDnsName(`${'a'.repeat(62)}_b`, false)!;
    expect(label).toBe('a'.repeat(62));
    expect(dnsLabelError(label)).toBeUndefined();
    const subdomain = nearestDnsName(`${'a'.repeat(252)}.bc`, true)!;
    expect(subdomain).toBe('a'.repeat(252));
    expect(dnsSubdomainError(subdomain)).toBeUndefined();
    for (const name of ['X'.repeat(300), 'Hello World.Example.COM', '9_to_5', 'a.-b-.c']) {
      expect(dnsSubdomainError(nearestDnsName(name, true)!)).toBeUndefined();
      expect(dnsLabelError(nearestDnsName(name, false)!)).toBeUndefined();
    }
  });

  test('the reason ends with the suggestion, unless asked not to', () => {
    expect(dnsSubdomainError('My_Agent')).toBe('must be a lowercase RFC 1123 subdomain: lower case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit; did you mean "my-agent"?');
    expect(dnsSubdomainError('My_Agent', false)).not.toContain('did you mean');
    expect(dnsLabelError('___')).not.toContain('did you mean');
    expect(didYouMean('Omnia_System', false)).toBe('; did you mean "omnia-system"?');
    expect(didYouMean('omnia-system', false)).toBe('');
  });
});

describe('in the schema check of metadata', () => {
  const problems = (metadata: unknown) => objectMetaProblems(metadata, true).map((p) => `${p.path}: ${p.message}`);

  test('name, namespace and generateName', () => {
    expect(problems({ name: 'Support_Agent', namespace: 'Shop_EU' })).toEqual([
      'metadata.name: Invalid value: "Support_Agent": must be a lowercase RFC 1123 subdomain: lower case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit; did you mean "support-agent"?',
      'metadata.namespace: Invalid value: "Shop_EU": must be a lowercase RFC 1123 label: lower case letters, digits and \'-\', starting and ending with a letter or digit; did you mean "shop-eu"?',
    ]);
    // The server appends to a generateName: the suggestion keeps its '-'.
    expect(problems({ generateName: 'Agent_-' })).toEqual([
      'metadata.generateName: Invalid value: "Agent_-": must be a lowercase RFC 1123 subdomain: lower case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit; did you mean "agent-"?',
    ]);
  });

  const agent = (name: string) => ({
    apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind: 'AgentRuntime', metadata: { name, namespace: 'agents' },
    spec: { facades: [{ type: 'websocket' }], providers: [{ name: 'main', providerRef: { name: 'mock' } }], promptPackRef: { name: 'prompts' } },
  });

  test('validateManifests and the CLI', () => {
    const findings = validateManifests([agent('Support_Agent')], { target: OmniaApiTarget.V0_9_0_BETA_17, references: false });
    expect(findings.map((f) => `${f.path}: ${f.message}`)).toEqual([expect.stringMatching(/^metadata\.name: Invalid value: "Support_Agent": .*; did you mean "support-agent"\?$/)]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'names-'));
    try {
      const file = path.join(dir, 'agent.yaml');
      fs.writeFileSync(file, Yaml.stringify(agent('Support_Agent')));
      const lines: string[] = [];
      expect(main(['validate', '--target', OmniaApiTarget.V0_9_0_BETA_17, '--no-references', file], (l) => lines.push(l))).toBe(1);
      expect(lines[0]).toMatch(/AgentRuntime agents\/Support_Agent: metadata\.name: .*; did you mean "support-agent"\?$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('at synth, for an object the library did not make', () => {
    const app = documentedApp();
    OmniaValidation.enable(app);
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'raw', {
      apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind: 'ToolRegistry', metadata: { name: 'Shop.Tools_', namespace: 'shop' },
      spec: { handlers: [{ name: 'kb', type: 'mcp', mcpConfig: { endpoint: 'http://kb/mcp' } }] },
    });
    expect(() => Testing.synth(chart)).toThrow(/c\/raw: ToolRegistry shop\/Shop\.Tools_: metadata\.name: Invalid value: "Shop\.Tools_": .*; did you mean "shop\.tools"\?/);
  });
});

describe('at construct time', () => {
  test('the name of an agent', () => {
    const chart = newChart();
    expect(() => new AgentRuntime(chart, 'Agent', { metadata: { name: 'My_Agent' }, provider: openai(chart), promptPack: externalPack(chart) }))
      .toThrow('test/Agent: AgentRuntime agents/My_Agent: metadata.name: "My_Agent" must be a lowercase RFC 1123 subdomain: lower case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit; did you mean "my-agent"?');
  });

  test('the operator\'s namespace, a pack\'s ConfigMap and a handler', () => {
    expect(() => new OmniaOperator(documentedApp(), 'omnia', { namespace: 'Omnia_System', image: 'x', tag: '1' })).toThrow('namespace: "Omnia_System" is not a DNS-1123 label; did you mean "omnia-system"?');
    const chart = newChart();
    const configMap = kplus.ConfigMap.fromConfigMapName(chart, 'Map', 'Pack_Map');
    expect(() => new PromptPack(chart, 'Pack', { packName: 'p', version: '1.0.0', configMap })).toThrow('configMap: name "Pack_Map" is not a DNS-1123 subdomain; did you mean "pack-map"?');
    expect(() => new ToolRegistry(chart, 'Tools', { handlers: [ToolHandler.mcp({ name: 'Knowledge_Base', endpoint: 'http://kb' })] })).toThrow('"Knowledge_Base" is not a DNS-1123 label (lowercase letters, digits and \'-\', at most 63); did you mean "knowledge-base"?');
  });
});
