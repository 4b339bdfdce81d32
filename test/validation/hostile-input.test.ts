// Hostile, broken and huge input: every entry point ends with findings or one clear error, never a crash,
// a stack trace or a hang. Each case runs through the CLI (exit codes as documented) and validateManifests.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FindingCheck, OmniaApiTarget, validateManifests } from '../../lib';
import { ExitCode, main } from '../../lib/cli';
import { checkAcross } from '../../lib/validation/manifests';
import { readManifests } from '../../lib/validation/read-manifests';
import { productionAgent, toolRegistry } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-hostile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;

function write(content: string | Buffer): string {
  const file = path.join(tmp, `case${n++}.yaml`);
  fs.writeFileSync(file, content);
  return file;
}

/** `validate` of the documented API, which the fixtures are written for (the default is the newest release). */
const documented = (args: string[]) => (args[0] === 'validate' ? ['validate', '--target', 'documented', ...args.slice(1)] : args);

function cli(...args: string[]): { code: number; output: string } {
  const lines: string[] = [];
  const code = main(documented(args), (l) => lines.push(l), () => Buffer.from(''));
  return { code, output: lines.join('\n') };
}

const yaml = (o: unknown) => JSON.stringify(o);
const agentWith = (mutate: (a: any) => void) => { const a = productionAgent(); mutate(a); return a; };
const nest = (depth: number, open: string, close: string, inner: string) => `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** [name, file content, the exit code, a part of the output] */
const files: Array<[string, string | Buffer, ExitCode, string]> = [
  ['env as a map', yaml(agentWith((a) => { a.spec.env = { LOG_LEVEL: 'info' }; })), ExitCode.FINDINGS, 'spec.env: Invalid value'],
  ['handlers as a map', yaml({ ...toolRegistry(), spec: { handlers: { a: 1 } } }), ExitCode.FINDINGS, 'spec.handlers: Invalid value'],
  ['env item as a string', yaml(agentWith((a) => { a.spec.env = ['LOG_LEVEL=info']; })), ExitCode.FINDINGS, 'spec.env[0]'],
  ['spec as a string', yaml(agentWith((a) => { a.spec = 'x'; })), ExitCode.FINDINGS, 'spec: Invalid value'],
  ['metadata as a list', yaml(agentWith((a) => { a.metadata = ['x']; })), ExitCode.FINDINGS, 'metadata: Invalid value: must be an object, not array'],
  ['apiVersion: 1', 'apiVersion: 1\nkind: AgentRuntime\nmetadata: {name: a}\n', ExitCode.FINDINGS, 'apiVersion: Invalid value: must be a string, not number'],
  ['kind as a list', 'apiVersion: v1\nkind: []\nmetadata: {name: a}\n', ExitCode.FINDINGS, 'kind: Invalid value: must be a string, not array'],
  ['a document that is a number', '42\n', ExitCode.FINDINGS, 'a manifest must be an object, not number'],
  ['a document that is a list', '- a: 1\n', ExitCode.FINDINGS, 'a manifest must be an object, not array'],
  ['provider as a list deep inside', yaml(agentWith((a) => { a.spec.provider.apiKeySecretRef = [1, 2]; })), ExitCode.FINDINGS, 'spec.provider.apiKeySecretRef'],
  ['an empty file', '', ExitCode.USAGE_OR_INPUT, 'no objects'],
  ['only comments', '# a\n# b\n', ExitCode.USAGE_OR_INPUT, 'no objects'],
  ['only separators', '---\n---\n---\n', ExitCode.USAGE_OR_INPUT, 'no objects'],
  ['an alias to its own anchor', 'a: &x [*x]\n', ExitCode.USAGE_OR_INPUT, 'a node contains itself'],
  ['a billion laughs', ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n'), ExitCode.USAGE_OR_INPUT, 'expands past'],
  ['a NUL byte', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\u0000b}\n', ExitCode.USAGE_OR_INPUT, 'not valid YAML'],
  ['a bell character', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\u0007b}\n', ExitCode.USAGE_OR_INPUT, 'not valid YAML'],
  ['invalid UTF-8 in YAML', Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a'), Buffer.from([0xc3, 0x28]), Buffer.from('}\n')]), ExitCode.USAGE_OR_INPUT, 'not valid UTF-8'],
  ['invalid UTF-8 in JSON is replaced, as Go does', Buffer.concat([Buffer.from('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"'), Buffer.from([0xff]), Buffer.from('"}}')]), ExitCode.CLEAN, '1 object(s), no findings'],
  ['a flow list nested 100,000 deep', `a: ${nest(100_000, '[', ']', '1')}\n`, ExitCode.USAGE_OR_INPUT, 'not valid YAML'],
  ['JSON nested 5,000 deep', `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"x":${nest(5000, '[', ']', '1')}}`, ExitCode.USAGE_OR_INPUT, 'nested deeper than 1000 levels'],
  ['a 10 MB string', yaml(agentWith((a) => { a.spec.provider.model = 'x'.repeat(10_000_000); })), ExitCode.FINDINGS, 'spec.provider.model: Invalid value: "xxxxxxxxxx'],
  ['a 10 MB annotation', yaml(agentWith((a) => { a.metadata.annotations = { note: 'x'.repeat(10_000_000) }; })), ExitCode.FINDINGS, 'metadata.annotations: Too long'],
  ['10,000 scalar documents', Array(10_000).fill('just text').join('\n---\n'), ExitCode.FINDINGS, '10000 finding(s)'],
  ['truncated JSON', yaml(productionAgent()).slice(0, -10), ExitCode.USAGE_OR_INPUT, 'not valid JSON'],
  ['JSON with trailing garbage', `${yaml(productionAgent())} garbage`, ExitCode.USAGE_OR_INPUT, 'not valid JSON'],
  ['a tab as indentation', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n', ExitCode.USAGE_OR_INPUT, 'not valid YAML'],
  ['an unterminated quote', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "a}\n', ExitCode.USAGE_OR_INPUT, 'not valid YAML'],
  // A number JSON cannot hold is a finding of its field, not unreadable input.
  ['.inf for replicas', 'apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: AgentRuntime\nmetadata: {name: a}\nspec: {replicas: .inf}\n', ExitCode.FINDINGS, ':4:8: AgentRuntime a: spec.replicas: Invalid value: +Inf: JSON has no such number'],
  ['-.inf deep in a list', 'apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: AgentRuntime\nmetadata: {name: a}\nspec:\n  facade: {type: websocket}\n  env:\n  - {name: A, value: x}\n  - {name: B, weight: -.Inf}\n', ExitCode.FINDINGS, ':8:15: AgentRuntime a: spec.env[1].weight: Invalid value: -Inf'],
  ['.nan in a ConfigMap', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  ratio: .nan\n', ExitCode.FINDINGS, ':5:3: ConfigMap a: data.ratio: Invalid value: NaN'],
  ['a number beyond float64', `${yaml(agentWith((a) => { a.spec.replicas = 1; }))}`.replace('"replicas":1', '"replicas":1e400'), ExitCode.FINDINGS, 'spec.replicas: Invalid value: +Inf'],
  ['a __proto__ key', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  __proto__: {polluted: yes}\n', ExitCode.CLEAN, '1 object(s), no findings'],
  ['a List whose items are a map', 'apiVersion: v1\nkind: List\nitems: {a: 1}\n', ExitCode.FINDINGS, "a list's items must be a list"],
  ['a list inside a list', 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: List, items: []}\n', ExitCode.FINDINGS, 'a list inside a list'],
  ['a byte-order mark and Windows line ends', `\uFEFF${'apiVersion: v1\r\nkind: ConfigMap\r\nmetadata: {name: a}\r\n'}`, ExitCode.CLEAN, '1 object(s), no findings'],
];

describe.each(files)('%s', (_name, content, expectedCode, expectedText) => {
  test('the CLI ends with findings or a clean error', () => {
    const { code, output } = cli('validate', '--no-references', write(content));
    expect({ code, output: output.includes(expectedText) ? expectedText : output.slice(0, 500) }).toEqual({ code: expectedCode, output: expectedText });
    expect(output).not.toMatch(/\n\s+at .*:\d+:\d+/);
    expect(output).not.toContain('internal error');
    expect(Math.max(...output.split('\n').map((l) => l.length))).toBeLessThan(1000);
  }, 10_000);

  test('validateManifests on what the file holds returns findings, never throws', () => {
    const text = Buffer.isBuffer(content) ? content.toString('utf8') : content;
    const read = readManifests(text);
    const findings = validateManifests(read.objects.map((o) => o.manifest), { target: OmniaApiTarget.DOCUMENTED, references: false });
    expect(findings.filter((f) => f.check === FindingCheck.INTERNAL)).toEqual([]);
    if (expectedCode === ExitCode.FINDINGS) expect(findings.length).toBeGreaterThan(0);
  }, 10_000);
});

describe('validateManifests on values no file can hold', () => {
  const cyclic: any = productionAgent();
  cyclic.spec.self = cyclic.spec;
  test.each<[string, unknown, string]>([
    ['not a list', 'junk', 'validateManifests takes a list of manifests, not string'],
    ['null', null, 'validateManifests takes a list of manifests, not null'],
    ['a cycle', [cyclic], 'not JSON data: a node contains itself (an alias to its own anchor): the document is infinite'],
    ['a function', [{ ...productionAgent(), spec: () => 1 }], 'not JSON data: a function is not JSON data'],
    ['a bigint', [{ ...productionAgent(), spec: { replicas: BigInt(3) } }], 'not JSON data: a bigint is not JSON data'],
    ['NaN', [agentWith((a) => { a.spec.replicas = NaN; })], 'Invalid value: NaN: JSON has no such number (YAML\'s .nan, .inf, -.inf; a JSON number beyond float64), so kubectl cannot send the object'],
    ['undefined in a list', [{ apiVersion: 'v1', kind: 'List', items: [undefined] }], 'a manifest must be an object, not undefined'],
    ['a bad external', [productionAgent()], 'external object "nonsense" must be Kind/namespace/name or Kind/name'],
  ])('%s', (name, input, message) => {
    const findings = validateManifests(input as any, { target: OmniaApiTarget.DOCUMENTED, ...(name === 'a bad external' ? { external: ['nonsense'] } : { references: false }) });
    expect(findings.map((f) => f.message)).toContain(message);
  });
});

describe('numbers JSON cannot hold', () => {
  const text = 'apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: AgentRuntime\nmetadata: {name: a, namespace: agents}\nspec:\n  replicas: .inf\n  facade: {type: websocket, port: .NaN}\n';

  test('validateManifests names each field, and reads the rest of the object no further', () => {
    const findings = validateManifests(readManifests(text).objects.map((o) => o.manifest), { target: OmniaApiTarget.DOCUMENTED });
    expect(findings.map((f) => [f.kind, f.namespace, f.name, f.path, f.check, f.message.split(':').slice(0, 2).join(':')])).toEqual([
      ['AgentRuntime', 'agents', 'a', 'spec.replicas', FindingCheck.SCHEMA, 'Invalid value: +Inf'],
      ['AgentRuntime', 'agents', 'a', 'spec.facade.port', FindingCheck.SCHEMA, 'Invalid value: NaN'],
    ]);
    // The object still counts as defined: a reference to it resolves, a duplicate of it is found.
    const twice = validateManifests([...readManifests(text).objects.map((o) => o.manifest), ...readManifests(text).objects.map((o) => o.manifest)], { target: OmniaApiTarget.DOCUMENTED });
    expect(twice.filter((f) => f.check === FindingCheck.DUPLICATE)).toHaveLength(1);
  });

  test('the CLI exits 1 with the findings in JSON and SARIF too, at the fields\' lines', () => {
    const file = write(text);
    const lines: string[] = [];
    expect(main(['validate', '--target', 'documented', '--json', file], (l) => lines.push(l))).toBe(ExitCode.FINDINGS);
    const json = JSON.parse(lines.join('\n'));
    expect(json.unreadable).toEqual([]);
    expect(json.findings.map((f: any) => [f.path, f.line, f.column])).toEqual([['spec.replicas', 5, 3], ['spec.facade.port', 6, 29]]);
    const sarif: string[] = [];
    expect(main(['validate', '--target', 'documented', '--sarif', file], (l) => sarif.push(l))).toBe(ExitCode.FINDINGS);
    expect(JSON.parse(sarif.join('\n')).runs[0].results.map((r: any) => r.locations[0].physicalLocation.region))
      .toEqual([{ startLine: 5, startColumn: 3 }, { startLine: 6, startColumn: 29 }]);
  });
});

describe('the CLI as CI runs it', () => {
  const bin = path.join(__dirname, '..', '..', 'lib', 'cli.js');
  const run = (args: string[], input?: string) => spawnSync(process.execPath, [bin, ...documented(args)], { input, encoding: 'utf8', timeout: 10_000 });

  test('--help prints usage and exits 0; a bad option or no path exits 2', () => {
    expect(run(['--help'])).toMatchObject({ status: 0, stdout: expect.stringContaining('exit codes: 0 no findings, 1 findings, 2 bad usage') });
    expect(run(['validate', '--help']).status).toBe(0);
    expect(run(['validate', '--frobnicate', 'x']).status).toBe(2);
    expect(run(['validate']).status).toBe(2);
    expect(run(['lint', 'x']).status).toBe(2);
    expect(run(['validate', '--output', 'xml', 'x']).status).toBe(2);
  });

  test('- reads standard input', () => {
    const bad = agentWith((a) => { a.spec.replicas = -1; });
    const input = JSON.stringify(bad);
    const result = run(['validate', '--no-references', '-'], input);
    expect(result.status).toBe(1);
    // One line of JSON: the column is the field's key.
    const column = input.indexOf('"replicas":') + 1;
    expect(column).toBeGreaterThan(100);
    expect(result.stdout).toContain(`<stdin>:1:${column}: AgentRuntime agents/production-agent: spec.replicas: Invalid value: -1`);
  });

  test('a folder is read recursively for *.yaml, *.yml and *.json; other files are left alone', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'tree-'));
    fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'one.yaml'), yaml(productionAgent()));
    fs.writeFileSync(path.join(dir, 'a', 'two.yml'), yaml({ ...productionAgent(), metadata: { name: 'two', namespace: 'agents' } }));
    const three = yaml(agentWith((x) => { x.metadata.name = 'Three'; }));
    fs.writeFileSync(path.join(dir, 'a', 'b', 'three.json'), three);
    fs.writeFileSync(path.join(dir, 'a', 'notes.txt'), 'not a manifest');
    const result = run(['validate', '--no-references', dir]);
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      `${path.join(dir, 'a', 'b', 'three.json')}:1:${three.indexOf('"name":"Three"') + 1}: AgentRuntime agents/Three: metadata.name: Invalid value: "Three": must be a lowercase RFC 1123 subdomain: lower case letters, digits, '-' and '.', starting and ending with a letter or digit; did you mean "three"?`,
      '1 finding(s) in 3 object(s)',
    ]);
  });

  test('a missing file exits 2 and names it; --output json is one JSON document', () => {
    const missing = run(['validate', path.join(tmp, 'nope.yaml')]);
    expect(missing.status).toBe(2);
    expect(missing.stdout).toContain('nope.yaml: cannot be read: ENOENT');
    const text = yaml(agentWith((a) => { a.spec.replicas = -1; }));
    const json = run(['validate', '--no-references', '--output', 'json', write(text)]);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      objects: 1, exitCode: 1, unreadable: [],
      findings: [{ path: 'spec.replicas', line: 1, column: text.indexOf('"replicas":') + 1, document: 1, check: 'schema' }],
      target: { name: 'documented', source: 'option' },
    });
  });
});

test('a large input is shared with a second thread and gives exactly the output of one thread', () => {
  const docs = Array.from({ length: 2500 }, (_, i) => {
    const agent = productionAgent();
    agent.metadata = { name: `agent-${i}`, namespace: 'agents', annotations: { note: 'n'.repeat(2000) } };
    if (i % 500 === 7) agent.spec.replicas = -1;
    if (i % 700 === 3) agent.spec.session.ttl = 'soon';
    return yaml(agent);
  });
  docs.splice(1200, 0, '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "agent-5"}}', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n');
  // A comment first: a file that starts with { is one JSON stream to kubectl, and these are YAML documents.
  const file = write(`# many agents\n${docs.join('\n---\n')}`);
  expect(fs.statSync(file).size).toBeGreaterThan(4 * 2 ** 20);
  const sequential = cli('validate', '--no-references', file);
  const threaded = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'lib', 'cli.js'), ...documented(['validate', '--no-references', file])], { encoding: 'utf8', timeout: 60_000 });
  expect(sequential.code).toBe(2);
  expect(sequential.output).toContain('in 2501 object(s)');
  expect(sequential.output.split('\n').filter((l) => l.includes('spec.replicas')).length).toBe(5);
  expect({ code: threaded.status, output: threaded.stdout.trimEnd() }).toEqual(sequential);
}, 60_000);

describe('a very large input', () => {
  test('300,000 objects with a finding each across objects are all reported, without exceeding the stack', () => {
    // Minimal agents that each name a pack the input lacks: one reference finding per object.
    const objects = Array.from({ length: 300_000 }, (_, i) => ({
      manifest: { apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind: 'AgentRuntime', metadata: { name: `a${i}`, namespace: 'ns' }, spec: { promptPackRef: { name: `p${i}` } } },
      origin: 'big.yaml', document: i + 1, line: 1,
    }));
    const findings = checkAcross(objects, { fromFiles: true, target: OmniaApiTarget.DOCUMENTED });
    expect(findings.length).toBe(300_000);
    expect(findings.every((f) => f.check === FindingCheck.REFERENCE)).toBe(true);
    expect(findings[299_999]).toMatchObject({ name: 'a299999', path: 'spec.promptPackRef', message: expect.stringContaining('PromptPack ns/p299999 is not defined') });
  });
});
