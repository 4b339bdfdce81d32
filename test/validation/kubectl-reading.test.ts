// The library reads manifest files as kubectl does (YAML 1.1 scalars of go-yaml v2, JSON streams, lists);
// test/cluster/differential.cluster.ts proves each of these against a real kubectl and API server.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OmniaApiTarget, validateManifests } from '../../lib';
import { main } from '../../lib/cli';
import { expandLists } from '../../lib/validation/manifests';
import { ManifestUnit, readManifests, splitManifestText, streamManifestUnits, UndecodableFile } from '../../lib/validation/read-manifests';
import { productionAgent, promptPack } from './fixtures';

const read = (text: string) => readManifests(text).objects.map((o) => o.manifest);

describe('YAML scalars resolve as go-yaml v2 resolves them', () => {
  test.each<[string, unknown]>([
    ['yes', true], ['on', true], ['y', true], ['Y', true], ['off', false], ['n', false], ['NO', false], ['True', true],
    ['0x1F', 31], ['0o17', 15], ['010', 8], ['08', 8], ['0b101', 5], ['1_000', 1000], ['+3', 3], ['.5', 0.5], ['1e3', 1000], ['3.0', 3],
    ['~', null], ['null', null], ['', null],
    ['1:30', '1:30'], ['2024-01-01', '2024-01-01'], ['1.2.3', '1.2.3'], ['0o', '0o'], ['"yes"', 'yes'], ['!!str 10', '10'],
  ])('%s', (scalar, value) => {
    expect(read(`a: ${scalar}\n`)).toEqual([{ a: value }]);
  });

  test('keys resolve too: `n:` is the key "false"', () => {
    expect(read('n: 1\non: 2\n')).toEqual([{ false: 1, true: 2 }]);
  });

  test('the last of duplicate keys wins, as in sigs.k8s.io/yaml', () => {
    expect(read('a: 1\na: 2\n')).toEqual([{ a: 2 }]);
  });

  test('merge keys apply', () => {
    expect(read('base: &b {x: 1}\nc:\n  <<: *b\n  z: 2\n')).toEqual([{ base: { x: 1 }, c: { x: 1, z: 2 } }]);
  });
});

describe('documents', () => {
  test('empty and comment-only documents give no object; documents are numbered among the non-blank ones, with their line', () => {
    const result = readManifests('---\n# only a comment\n---\na: 1\n---\n\n---\nb: 2\n', 'f.yaml');
    expect(result.unreadable).toEqual([]);
    expect(result.objects).toEqual([
      { manifest: { a: 1 }, origin: 'f.yaml', document: 2, line: 4, checkedJson: true },
      { manifest: { b: 2 }, origin: 'f.yaml', document: 3, line: 8, checkedJson: true },
    ]);
  });

  test('text that starts with { is a stream of JSON objects', () => {
    expect(read(' {"a":1}{"b":"}{"}\n{"c":[1,{"d":2}]}')).toEqual([{ a: 1 }, { b: '}{' }, { c: [1, { d: 2 }] }]);
  });

  test('broken input is reported with the document and line, never thrown', () => {
    // The flow list opened on line 3 is found unclosed at the end of the document, line 4.
    expect(readManifests('a: 1\n---\nb: [1\n').unreadable).toEqual([expect.objectContaining({ document: 2, line: 4, message: expect.stringMatching(/^not valid YAML/) })]);
    expect(readManifests('{"a":1}{"b":').unreadable).toEqual([expect.objectContaining({ document: 2, message: expect.stringMatching(/^not valid JSON/) })]);
    // A number JSON cannot hold is read, and left to the checks: a finding of its field (hostile-input.test.ts).
    expect(readManifests('a: .inf\n')).toEqual({ unreadable: [], objects: [expect.objectContaining({ manifest: { a: Infinity }, checkedJson: false })] });
  });

  test('a byte-order mark and Windows line ends are read as kubectl reads them', () => {
    expect(read('\uFEFFa: 1\r\nb: yes\r\n')).toEqual([{ a: 1, b: true }]);
  });
});

describe('lists are expanded as kubectl expands them', () => {
  const agent = productionAgent();
  const { apiVersion, kind, ...bare } = agent;

  test('kind: List, and a typed list whose items carry neither apiVersion nor kind', () => {
    const { objects, findings } = expandLists([
      { manifest: { apiVersion: 'v1', kind: 'List', items: [agent, promptPack()] } },
      { manifest: { apiVersion, kind: 'AgentRuntimeList', items: [bare] } },
    ]);
    expect(findings).toEqual([]);
    expect(objects.map((o) => o.manifest)).toEqual([agent, promptPack(), agent]);
  });

  test('a list inside a list is refused, as kubectl refuses it', () => {
    const { findings } = expandLists([{ manifest: { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'List', items: [] }] } }]);
    expect(findings).toEqual([expect.objectContaining({ path: 'items[0]', message: expect.stringContaining('a list inside a list') })]);
  });

  test('an invalid object inside a List is reported', () => {
    const bad = productionAgent();
    bad.spec.replicas = -1;
    const findings = validateManifests([{ apiVersion: 'v1', kind: 'List', items: [bad] }], { target: OmniaApiTarget.DOCUMENTED, references: false });
    expect(findings.map((f) => `${f.path}: ${f.message}`)).toEqual(['spec.replicas: Invalid value: -1: must be >= 0']);
  });
});

describe('the CLI reads files as kubectl does', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-cli-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const run = (text: string) => {
    const file = path.join(tmp, `f${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(file, text);
    const lines: string[] = [];
    const code = main(['validate', '--target', 'documented', '--no-references', file], (l) => lines.push(l));
    return { code, lines };
  };

  test('`tls: yes` is a boolean, as the API server sees it', () => {
    const text = 'apiVersion: omnia.altairalabs.ai/v1alpha1\nkind: ToolRegistry\nmetadata: {name: t, namespace: a}\nspec:\n  handlers:\n'
      + '  - {name: g, type: grpc, grpcConfig: {endpoint: "g:1", tls: yes}, tool: {name: g, description: g}}\n';
    expect(run(text)).toEqual({ code: 0, lines: ['1 object(s), no findings'] });
    expect(run(text.replace('tls: yes', 'tls: "yes"'))).toMatchObject({ code: 1, lines: [expect.stringContaining('spec.handlers[0].grpcConfig.tls: Invalid value: "yes": must be boolean'), expect.anything()] });
  });

  test('two JSON objects in one file are two objects', () => {
    const agent = productionAgent();
    expect(run(`${JSON.stringify(agent)}\n${JSON.stringify(promptPack())}`)).toEqual({ code: 0, lines: ['2 object(s), no findings'] });
  });

  test('a file with nothing to apply exits 2, as kubectl refuses it', () => {
    expect(run('# nothing\n')).toEqual({ code: 2, lines: [expect.stringMatching(/: no objects: nothing to check/), '1 unreadable input(s); 0 object(s), no findings'] });
    expect(run('apiVersion: v1\nkind: List\nitems: []\n').code).toBe(2);
  });
});

describe('a file read a piece at a time (the CLI streams)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-stream-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const streamed = (text: string | Buffer): ManifestUnit[] => {
    const file = path.join(dir, 'f.yaml');
    fs.writeFileSync(file, text);
    const fd = fs.openSync(file, 'r');
    try {
      return [...streamManifestUnits(fd, 'f.yaml', (b) => new TextDecoder().decode(b))];
    } finally {
      fs.closeSync(fd);
    }
  };

  test('gives the units of the whole text, whatever falls on the boundaries of what is read', () => {
    // Documents of varied sizes (some over a read), multi-byte characters, CRLF, comments on separators, blanks.
    const docs: string[] = [];
    for (let i = 0; i < 400; i++) {
      const body = i % 97 === 0 ? 'x'.repeat(1_100_000) : `é漢😀${'y'.repeat(i * 37)}`;
      docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\ndata: {k: "${body}"}\n${i % 5 === 0 ? '\n\n' : ''}`);
    }
    const text = `\uFEFF${docs.map((d, i) => (i % 7 === 0 ? d.replace(/\n/g, '\r\n') : d)).join('--- # next\n')}---\n\n---\n`;
    const units = streamed(text);
    const whole = splitManifestText(text, 'f.yaml');
    expect(units.length).toBe(400);
    // Compared as text: a diff of megabyte strings would take jest minutes.
    const where = (us: ManifestUnit[]) => us.map((u) => `${u.line}/${u.document}/${u.json}/${u.text.length}`);
    expect(where(units)).toEqual(where(whole));
    expect(units.every((u, i) => u.text === whole[i].text && u.origin === 'f.yaml')).toBe(true);
  });

  test('JSON, and a file of blanks then JSON, are read whole as one stream', () => {
    const json = `${' '.repeat(2_000_000)}{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}`;
    const [unit] = streamed(json);
    expect(unit.json && unit.text === json).toBe(true);
    expect(streamed('')).toEqual([]);
  });

  test('YAML that stops being UTF-8 after the first read throws UndecodableFile', () => {
    const bytes = Buffer.concat([Buffer.from(`a: ${'x'.repeat(1_500_000)}\n---\nb: `), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    expect(() => streamed(bytes)).toThrow(UndecodableFile);
  });
});
