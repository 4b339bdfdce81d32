// Rules the API server applies beyond the CRD schema, which the library now applies too. Each is also
// proven against a real API server by test/cluster/differential.cluster.ts.
import { FindingCheck, OmniaApiTarget, OmniaSchema, validateManifests } from '../../lib';
import { RE2JS } from '../../lib/third-party/re2';
import { goRegExp } from '../../lib/validation/go-regexp';
import { labelValueError, objectMetaProblems, qualifiedNameError } from '../../lib/validation/object-meta';
import { minimalAgent, productionAgent, promptPack, toolRegistry } from './fixtures';

const problems = (metadata: unknown) => objectMetaProblems(metadata, true).map((p) => `${p.path}: ${p.message}`);

describe('metadata is checked as ObjectMeta', () => {
  test.each<[string, unknown, string]>([
    ['a name with an underscore', { name: 'Support_Agent' }, 'metadata.name: Invalid value: "Support_Agent": must be a lowercase RFC 1123 subdomain'],
    ['a name of 254 characters', { name: 'a'.repeat(254) }, `metadata.name: Invalid value: "${'a'.repeat(99)}... (256 characters): must be no more than 253 characters, not 254`],
    ['no name', {}, 'metadata.name: Required value: name or generateName is required'],
    ['a name that is a number', { name: 12 }, 'metadata.name: Invalid value: must be a string, not number'],
    ['a namespace with capitals', { name: 'a', namespace: 'Agents' }, 'metadata.namespace: Invalid value: "Agents": must be a lowercase RFC 1123 label'],
    ['a label value of 64 characters', { name: 'a', labels: { k: 'v'.repeat(64) } }, 'metadata.labels.k: Invalid value: "' + 'v'.repeat(64) + '": must be no more than 63 characters, not 64'],
    ['a label value that is a number', { name: 'a', labels: { k: 1 } }, 'metadata.labels.k: Invalid value: must be a string, not number'],
    ['a label key with two slashes', { name: 'a', labels: { 'a/b/c': 'x' } }, 'metadata.labels[a/b/c]: Invalid value: "a/b/c": a qualified name has at most one \'/\' (prefix/name)'],
    ['annotations over 256 KiB', { name: 'a', annotations: { k: 'x'.repeat(262144) } }, 'metadata.annotations: Too long: must have at most 262144 bytes, not 262145'],
    ['a finalizer with a space', { name: 'a', finalizers: ['bad finalizer'] }, 'metadata.finalizers[0]: Invalid value: "bad finalizer": the name part must consist of letters'],
    ['a misspelt field', { name: 'a', lables: {} }, 'metadata.lables: unknown field (ObjectMeta has no such field)'],
    ['a creationTimestamp in words', { name: 'a', creationTimestamp: 'yesterday' }, 'metadata.creationTimestamp: Invalid value: "yesterday": must be an RFC 3339 time'],
    ['an owner reference without uid', { name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o' }] }, 'metadata.ownerReferences[0].uid: Required value'],
    ['generateName in capitals', { generateName: 'Agent-' }, 'metadata.generateName: Invalid value: "Agent-": must be a lowercase RFC 1123 subdomain'],
  ])('%s', (_name, metadata, message) => {
    expect(problems(metadata).join('\n')).toContain(message);
  });

  test.each<[string, unknown]>([
    ['generateName alone', { generateName: 'agent-' }],
    ['a qualified finalizer and an unqualified one', { name: 'a', finalizers: ['example.com/x', 'cleanup'] }],
    ['a null label value, an empty one and a prefixed key', { name: 'a', labels: { a: null, b: '', 'example.com/c': 'x.y_z-1' } }],
    ['fields the server sets on create', { name: 'a', uid: 'x', resourceVersion: '1', generation: 3, creationTimestamp: '2024-01-01T00:00:00Z' }],
  ])('accepted: %s', (_name, metadata) => {
    expect(problems(metadata)).toEqual([]);
  });

  test('label values and keys follow the API server', () => {
    expect(labelValueError('x'.repeat(63))).toBeUndefined();
    expect(labelValueError('-x')).toBeDefined();
    expect(qualifiedNameError('Example.com/x')).toContain('prefix');
    expect(qualifiedNameError('app.kubernetes.io/name')).toBeUndefined();
  });

  test('an Omnia object with a bad name is a schema finding', () => {
    const agent = { ...minimalAgent(), metadata: { name: 'Bad_Name', namespace: 'agents' } };
    expect(OmniaSchema.validateFor(agent, OmniaApiTarget.DOCUMENTED).map((v) => v.path)).toEqual(['metadata.name']);
  });
});

describe('nulls and status are treated as the API server treats them', () => {
  test('a null field is dropped, then defaulted; a null required field is missing', () => {
    const agent = productionAgent();
    agent.spec.replicas = null;
    agent.spec.facade = null;
    expect(OmniaSchema.validateFor(agent, OmniaApiTarget.DOCUMENTED)).toEqual([]);
    expect(OmniaSchema.applyDefaultsFor(agent, OmniaApiTarget.DOCUMENTED).spec).toMatchObject({ replicas: 1, facade: { type: 'websocket', port: 8080 } });
    agent.spec.provider = null;
    expect(OmniaSchema.validateFor(agent, OmniaApiTarget.DOCUMENTED).map((v) => `${v.path}: ${v.message}`)).toEqual(['spec.provider: Required value']);
  });

  test('a null list item is not dropped', () => {
    const registry = toolRegistry();
    registry.spec.handlers.push(null);
    expect(OmniaSchema.validateFor(registry, OmniaApiTarget.DOCUMENTED).map((v) => v.path)).toContain('spec.handlers[2]');
  });

  test('status is dropped on create (status subresource), but its unknown fields are still refused', () => {
    const agent = productionAgent();
    agent.status = { phase: 5, replicas: 'three' };
    expect(OmniaSchema.validateFor(agent, OmniaApiTarget.DOCUMENTED)).toEqual([]);
    expect(OmniaSchema.applyDefaultsFor(agent, OmniaApiTarget.DOCUMENTED).status).toBeUndefined();
    agent.status = { phase: 'Running', mood: 'happy' };
    expect(OmniaSchema.validateFor(agent, OmniaApiTarget.DOCUMENTED).map((v) => v.path)).toEqual(['status.mood']);
  });
});

describe('references and duplicates', () => {
  test('a PromptPack of another API group does not satisfy promptPackRef', () => {
    const agent = minimalAgent();
    const impostor = { apiVersion: 'example.com/v1', kind: 'PromptPack', metadata: { name: 'prompts', namespace: 'agents' }, spec: {} };
    const findings = validateManifests([agent, impostor], { target: OmniaApiTarget.DOCUMENTED });
    expect(findings.map((f) => `${f.check} ${f.path}`)).toEqual(['reference spec.promptPackRef']);
    expect(validateManifests([agent, { ...promptPack(), metadata: { name: 'prompts', namespace: 'agents' } }], { target: OmniaApiTarget.DOCUMENTED })).toEqual([]);
  });

  test('the same object twice is a duplicate finding; the same name in another namespace or group is not', () => {
    const pack = promptPack();
    const findings = validateManifests([pack, pack, { ...pack, metadata: { ...pack.metadata, namespace: 'other' } }], { target: OmniaApiTarget.DOCUMENTED, references: false });
    expect(findings).toEqual([expect.objectContaining({ check: FindingCheck.DUPLICATE, path: 'metadata.name', kind: 'PromptPack', name: pack.metadata.name })]);
  });

  test('externals are declared with the options', () => {
    expect(validateManifests([minimalAgent()], { target: OmniaApiTarget.DOCUMENTED }).map((f) => f.check)).toEqual([FindingCheck.REFERENCE]);
    expect(validateManifests([minimalAgent()], { target: OmniaApiTarget.DOCUMENTED, external: ['PromptPack/agents/prompts'] })).toEqual([]);
  });

  test('values of the wrong type are schema findings, never a crash of the reference checks', () => {
    for (const env of [{ x: 1 }, 7, 'x']) {
      const agent = productionAgent();
      agent.spec.env = env;
      expect(validateManifests([agent], { target: OmniaApiTarget.DOCUMENTED, references: true }).some((f) => f.path === 'spec.env')).toBe(true);
    }
  });
});

describe('patterns use Go regexp semantics', () => {
  test('\\s and \\S are ASCII-only, as in Go: U+00A0 is not a space, a vertical tab is not one either', () => {
    const url = goRegExp('^https?://[^\\s/?#]+([/?#]\\S*)?$');
    expect(url.test('http://a\u00a0b')).toBe(true);
    expect(url.test('http://a\u000bb')).toBe(true);
    expect(url.test('http://a b')).toBe(false);
    expect(new RegExp('^https?://[^\\s/?#]+([/?#]\\S*)?$', 'u').test('http://a\u00a0b')).toBe(false);
  });

  test('a pattern with a non-ASCII literal matches as RE2 does', () => {
    const duration = '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$';
    const re2 = RE2JS.compile(duration);
    for (const value of ['5µs', '1h30m', '2.5s', '5\u00b5s', '5\u03bcs', '5µ', 'µs', '10ms5µs', '']) {
      expect(goRegExp(duration).test(value)).toBe(re2.matcher(value).find());
    }
    expect(goRegExp(duration).test('5µs')).toBe(true);
    expect(goRegExp(duration).test('5\u03bcs')).toBe(false); // Greek mu is another code point
  });

  test('`.` matches a carriage return, as in Go', () => {
    expect(goRegExp('^a.b$').test('a\rb')).toBe(true);
    expect(goRegExp('^a.b$').test('a\nb')).toBe(false);
  });
});
