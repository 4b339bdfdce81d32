// `cdk8s-omnia validate`: the target it infers from the input (and says), the line and column of each
// finding's own field, and its SARIF output.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as Yaml from 'yaml';
import { FindingCheck, OmniaApiTarget } from '../../lib';
import { ExitCode, main } from '../../lib/cli';
import { crdsFor } from '../../lib/validation/crds';
import { FieldPositions, splitManifestText } from '../../lib/validation/read-manifests';
import { pathSegments } from '../../lib/validation/schema-path';
import { sarifLog, SARIF_SCHEMA } from '../../lib/validation/sarif';
import { documentLines } from './field-place';
import { productionAgent, promptPack, toolRegistry } from './fixtures';

const RELEASE = OmniaApiTarget.V0_9_0_BETA_17;
const API = 'omnia.altairalabs.ai/v1alpha1';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-cli-output-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let count = 0;
function write(text: string, ext = 'yaml'): string {
  const file = path.join(tmp, `f${count++}.${ext}`);
  fs.writeFileSync(file, text);
  return file;
}
const yamlOf = (...manifests: any[]) => manifests.map((m) => Yaml.stringify(m)).join('---\n');

function cli(...args: string[]): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = main(args, (l) => lines.push(...l.split('\n')), () => Buffer.from(''));
  return { code, lines };
}
const summary = (r: { lines: string[] }) => r.lines[r.lines.length - 1];

/** `line:column` where `needle` first occurs in `text` (after the first occurrence of `after`), counted by hand. */
function at(text: string, needle: string, after = ''): string {
  const from = after ? text.indexOf(after) : 0;
  expect(from).toBeGreaterThanOrEqual(0);
  const offset = text.indexOf(needle, from);
  expect(offset).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

// Objects of the release, in the shape `npx cdk8s synth` writes for it.
const provider = () => ({ apiVersion: API, kind: 'Provider', metadata: { name: 'claude', namespace: 'rel' }, spec: { type: 'claude', model: 'claude-sonnet-4', credential: { secretRef: { name: 'anthropic', key: 'api-key' } } } });
const releaseAgent = () => ({
  apiVersion: API, kind: 'AgentRuntime', metadata: { name: 'support', namespace: 'rel' },
  spec: { facades: [{ type: 'websocket', port: 8080 }], providers: [{ name: 'main', providerRef: { name: 'claude' } }], promptPackRef: { name: 'support-prompts' } },
});
const releasePack = () => ({ apiVersion: API, kind: 'PromptPack', metadata: { name: 'support-prompts', namespace: 'rel' }, spec: { version: '1.0.0', source: { type: 'configmap', configMapRef: { name: 'support-pack' } } } });

describe('the target, inferred from the input', () => {
  test('release output: its kinds and fields', () => {
    const file = write(yamlOf(provider(), releaseAgent(), releasePack()));
    const result = cli('validate', '--no-references', file);
    expect(result).toEqual({ code: ExitCode.CLEAN, lines: [`3 object(s), no findings; target ${RELEASE}, inferred from Provider rel/claude at ${file}:1 (only ${RELEASE} serves Provider) and 1 more object(s)`] });
  });

  test('documented output: its fields, named in the summary', () => {
    const file = write(yamlOf(productionAgent(), promptPack(), toolRegistry()));
    const result = cli('validate', file);
    expect(result).toEqual({
      code: ExitCode.CLEAN,
      lines: [`3 object(s), no findings; target documented, inferred from AgentRuntime agents/production-agent at ${file}:1 (only documented knows spec.replicas, spec.provider, spec.facade, spec.session, spec.resources, spec.env) and 1 more object(s)`],
    });
    // Checked for the release, the same file has findings: the inference is what made it clean.
    expect(cli('validate', '--target', RELEASE, file).code).toBe(ExitCode.FINDINGS);
  });

  test('CRDs beside objects that fit both targets tell which API they install', () => {
    // A ToolRegistry (valid for both) and a PromptPack without the fields only one target knows say nothing on their own.
    const registry = { ...toolRegistry(), spec: { handlers: toolRegistry().spec.handlers.slice(0, 1) } };
    const pack = { ...promptPack(), spec: { version: '1.2.0', source: promptPack().spec.source } };
    expect(summary(cli('validate', '--no-references', write(yamlOf(registry, pack))))).toBe(
      `2 object(s), no findings; target ${RELEASE}, the default, as nothing in the input tells the targets apart; pass --target to choose`);
    const documentedCrds = write(yamlOf(...crdsFor(OmniaApiTarget.DOCUMENTED)));
    const objects = write(yamlOf(registry));
    const documented = cli('validate', '--no-references', documentedCrds, objects);
    expect(documented.code).toBe(ExitCode.CLEAN);
    expect(summary(documented)).toBe(
      `4 object(s), no findings; target documented, inferred from CustomResourceDefinition agentruntimes.omnia.altairalabs.ai at ${documentedCrds}:1 (its AgentRuntime is the one of documented) and 1 more object(s)`);
    const releaseCrds = write(yamlOf(...crdsFor(RELEASE)));
    expect(summary(cli('validate', '--no-references', releaseCrds, objects))).toMatch(new RegExp(`^${crdsFor(RELEASE).length + 1} object\\(s\\), no findings; target ${RELEASE.replace(/\./g, '\\.')}, inferred from CustomResourceDefinition `));
    // In JSON, for machines.
    const json = JSON.parse(cli('validate', '--json', '--no-references', documentedCrds, objects).lines.join('\n'));
    expect(json.target).toEqual({ name: 'documented', source: 'inferred', reason: expect.stringContaining('inferred from CustomResourceDefinition agentruntimes.omnia.altairalabs.ai') });
  });

  test('mixed input: the default, which says so; --target still wins', () => {
    const file = write(yamlOf(productionAgent(), provider()));
    const mixed = cli('validate', '--no-references', file);
    expect(mixed.code).toBe(ExitCode.FINDINGS);
    expect(summary(mixed)).toBe(`${mixed.lines.length - 1} finding(s) in 2 object(s); target ${RELEASE}, the default, as the input is mixed: `
      + 'AgentRuntime agents/production-agent at ' + `${file}:1 (only documented knows spec.replicas, spec.provider, spec.facade, spec.session, spec.resources, spec.env) `
      + `but Provider rel/claude at ${file}:${documentLines(file)[1].first} (only ${RELEASE} serves Provider); pass --target to choose`);
    expect(mixed.lines.some((l) => l.includes('AgentRuntime agents/production-agent: spec.provider: unknown field'))).toBe(true);
    const chosen = cli('validate', '--no-references', '--target', 'documented', file);
    expect(summary(chosen)).toBe('1 finding(s) in 2 object(s)');
    expect(chosen.lines[0]).toContain('Provider rel/claude: kind: no CRD in this package serves Provider');
    expect(JSON.parse(cli('validate', '--no-references', '--target', 'documented', '--json', file).lines.join('\n')).target)
      .toEqual({ name: 'documented', source: 'option', reason: 'named by --target' });
  });

  test('a large input checked by two threads uses the inferred target in both', () => {
    // Past 4 MiB and 2,000 documents the CLI shares the work with a thread started before the target is known.
    const agents = Array.from({ length: 2100 }, (_, i) => {
      const a = productionAgent();
      a.metadata = { name: `a-${i}`, namespace: 'agents', annotations: { note: 'n'.repeat(2000) } };
      if (i === 2050) a.spec.replicas = -1;
      // Defined again many batches later: the batches are folded in reading order, whichever thread checked them.
      if (i === 2099) a.metadata.name = 'a-3';
      return a;
    });
    const file = write(yamlOf(...agents));
    const { spawnSync } = require('child_process');
    const threaded = spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'lib', 'cli.js'), 'validate', '--no-references', file], { encoding: 'utf8', timeout: 60_000 });
    expect(threaded.status).toBe(ExitCode.FINDINGS);
    const lines = threaded.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/AgentRuntime agents\/a-2050: spec\.replicas: Invalid value: -1/);
    const text = fs.readFileSync(file, 'utf8').split('\n');
    const start = documentLines(file)[2099].first;
    const nameLine = text.findIndex((l, i) => i >= start && l.trim() === 'name: a-3') + 1;
    expect(lines[1]).toBe(`${file}:${nameLine}:3: AgentRuntime agents/a-3: metadata.name: AgentRuntime agents/a-3 is defined twice (also in ${file}); applied together, the later definition replaces the earlier one`);
    expect(lines[2]).toMatch(/^2 finding\(s\) in 2100 object\(s\); target documented, inferred from AgentRuntime agents\/a-0 .* and 2099 more object\(s\)$/);
  }, 60_000);
});

describe('what the CLI keeps of the objects it has read', () => {
  const agent = (name: string, replicas = 1) => {
    const a = productionAgent();
    a.metadata = { name, namespace: 'agents' };
    a.spec.replicas = replicas;
    return a;
  };

  // With references checked, what the agents refer to lives elsewhere.
  const externals = ['PromptPack/agents/customer-service-prompts', 'ToolRegistry/agents/service-tools', 'Secret/agents/openai-credentials', 'Secret/agents/redis-credentials'].flatMap((e) => ['--external', e]);
  const referencesOnAndOff: string[][] = [['--no-references'], externals];

  test.each(referencesOnAndOff)('duplicates within and across files, each naming the first file (%s)', (...flags) => {
    const first = write(yamlOf(agent('a'), agent('b')));
    const second = write(yamlOf(agent('b'), agent('c'), agent('a')));
    const r = cli('validate', '--target', 'documented', ...flags, first, second);
    const twice = r.lines.filter((l) => l.includes('is defined twice'));
    expect(twice).toEqual([
      expect.stringMatching(new RegExp(`^${second}:\\d+:.* AgentRuntime agents/b: metadata.name: .* \\(also in ${first}\\)`)),
      expect.stringMatching(new RegExp(`^${second}:\\d+:.* AgentRuntime agents/a: metadata.name: .* \\(also in ${first}\\)`)),
    ]);
    expect(summary(r)).toBe('2 finding(s) in 5 object(s)');
  });

  test.each(referencesOnAndOff)('a file unreadable part way is reported whole: nothing checked of it is kept (%s)', (...flags) => {
    const good = write(yamlOf(agent('a')));
    // Past the first read (64 KiB): a duplicate of `a` and a bad object are checked before the bad bytes are met.
    const objects = yamlOf(agent('a'), agent('bad', -1), ...Array.from({ length: 60 }, (_, i) => ({ ...agent(`filler-${i}`), metadata: { name: `filler-${i}`, namespace: 'agents', annotations: { note: 'n'.repeat(2000) } } })));
    expect(objects.length).toBeGreaterThan(2 ** 16);
    const broken = path.join(tmp, 'broken-part-way.yaml');
    fs.writeFileSync(broken, Buffer.concat([Buffer.from(`${objects}---\nkind: `), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]));
    const r = cli('validate', '--target', 'documented', ...flags, good, broken);
    expect(r.code).toBe(ExitCode.USAGE_OR_INPUT);
    expect(r.lines.filter((l) => l.includes(broken))).toEqual([expect.stringContaining('not valid UTF-8')]);
    expect(summary(r)).toBe('1 unreadable input(s); 1 object(s), no findings');
  });
});

describe('each finding at its own field: file:line:column', () => {
  test('a field in the middle of a document, a missing one at its parent, an item of a list, a flow mapping', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: c, namespace: agents}',
      '---',
      '# the agent',
      'apiVersion: omnia.altairalabs.ai/v1alpha1',
      'kind: AgentRuntime',
      'metadata:',
      '  name: a',
      '  namespace: agents',
      '  labels:',
      '    app.kubernetes.io/name: "not valid!"',
      'spec:',
      '  provider:',
      '    name: openai',
      '    model: gpt-4o',
      '  promptPackRef:',
      '    name: p',
      '  facade: {type: websocket, port: 70000}',
      '  env:',
      '  - name: A',
      '    value: x',
      '  - value: y',
      '  replicas: 1',
      '  replicas: -1',
      '',
    ].join('\n');
    const file = write(text);
    const { code, lines } = cli('validate', '--target', 'documented', '--external', 'PromptPack/agents/p', file);
    expect(code).toBe(ExitCode.FINDINGS);
    const place = (fieldPath: string) => lines.find((l) => l.includes(`: AgentRuntime agents/a: ${fieldPath}: `))?.split(': AgentRuntime')[0];
    expect(place('metadata.labels[app.kubernetes.io/name]')).toBe(`${file}:${at(text, 'app.kubernetes.io/name:')}`);
    expect(place('spec.provider.apiKeySecretRef')).toBe(`${file}:${at(text, 'provider:')}`); // missing: at its parent
    expect(place('spec.facade.port')).toBe(`${file}:${at(text, 'port: 70000')}`);
    expect(place('spec.env[1].name')).toBe(`${file}:${at(text, 'value: y')}`); // the item, where its name belongs
    expect(place('spec.replicas')).toBe(`${file}:${at(text, 'replicas: -1')}`); // the last of duplicate keys, as kubectl reads it
    expect(at(text, 'port: 70000')).toBe('19:29');
  });

  test('a reference, across objects, at the referring field; JSON output carries line and column', () => {
    const text = yamlOf(promptPack(), productionAgent());
    const file = write(text);
    const { lines } = cli('validate', '--target', 'documented', file);
    const line = lines.find((l) => l.includes('spec.toolRegistryRef: ToolRegistry agents/service-tools is not defined'));
    expect(line?.startsWith(`${file}:${at(text, 'toolRegistryRef:', 'kind: AgentRuntime')}: AgentRuntime agents/production-agent: `)).toBe(true);
    const json = JSON.parse(cli('validate', '--target', 'documented', '--output', 'json', file).lines.join('\n'));
    const finding = json.findings.find((f: any) => f.path === 'spec.toolRegistryRef');
    expect(`${finding.line}:${finding.column}`).toBe(at(text, 'toolRegistryRef:', 'kind: AgentRuntime'));
    expect(finding).toMatchObject({ origin: file, document: 2, check: FindingCheck.REFERENCE });
  });

  test('JSON streams, lists (an item found by its name), merge keys and Windows line ends', () => {
    const stream = `${JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })}\n${JSON.stringify(releaseAgent(), undefined, 2).replace('"port": 8080', '"port": 0')}\n`;
    const json = write(stream, 'json');
    expect(cli('validate', '--no-references', json).lines[0]).toBe(`${json}:${at(stream, '"port": 0')}: AgentRuntime rel/support: spec.facades[0].port: Invalid value: 0: must be >= 1`);

    const list = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: omnia.altairalabs.ai/v1alpha1',
      '  kind: Provider',
      '  metadata: {name: first, namespace: rel}',
      '  spec: &base',
      '    type: claude',
      '    model: m',
      '    typo: 1',
      '- apiVersion: omnia.altairalabs.ai/v1alpha1',
      '  kind: Provider',
      '  metadata: {name: second, namespace: rel}',
      '  spec:',
      '    <<: *base',
      '    model: other-model',
      '    other: 2',
      '',
    ].join('\r\n');
    const file = write(list);
    const { lines } = cli('validate', '--no-references', file);
    expect(lines.slice(0, -1).sort()).toEqual([
      // Each item's own fields; a field merged in with `<<` is where it is written, in the anchor.
      `${file}:${at(list, 'typo:')}: Provider rel/first: spec.typo: unknown field (not in the schema; the API server would silently drop it)`,
      `${file}:${at(list, 'typo:')}: Provider rel/second: spec.typo: unknown field (not in the schema; the API server would silently drop it)`,
      `${file}:${at(list, 'other:')}: Provider rel/second: spec.other: unknown field (not in the schema; the API server would silently drop it)`,
    ].sort());
    expect(at(list, 'other:')).toBe('17:5');
  });

  test('standard input is placed too; input that cannot be read keeps its document line', () => {
    const text = yamlOf(provider()).replace('model: claude-sonnet-4', 'model: claude-sonnet-4\n  typo: 1');
    const lines: string[] = [];
    expect(main(['validate', '--no-references', '-'], (l) => lines.push(l), () => Buffer.from(text))).toBe(ExitCode.FINDINGS);
    expect(lines[0]).toBe(`<stdin>:${at(text, 'typo:')}: Provider rel/claude: spec.typo: unknown field (not in the schema; the API server would silently drop it)`);
    const broken = write('apiVersion: v1\nkind: ConfigMap\n---\na: [1\n');
    expect(cli('validate', broken).lines[0]).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+ \\(document 2\\): not valid YAML`));
  });
});

describe('FieldPositions: the place of a path, read as kubectl reads the document', () => {
  /** `line:column` of `path` in the first unit of `text` (its `document`-th object for a JSON stream). */
  const place = (text: string, path: string, document = 1, object = {}) => {
    const units = splitManifestText(text, 'f');
    const unit = units.find((u) => u.json || u.document === Math.max(document, 1))!;
    const p = new FieldPositions(unit).positionOf(document, path, object);
    return p && `${p.line}:${p.column}`;
  };

  test('paths as the checks write them, CEL field paths included', () => {
    expect(pathSegments('spec.handlers[1].httpConfig')).toEqual(['spec', 'handlers', '1', 'httpConfig']);
    expect(pathSegments('metadata.labels[app.kubernetes.io/name]')).toEqual(['metadata', 'labels', 'app.kubernetes.io/name']);
    expect(pathSegments("spec.x['a.b'].c")).toEqual(['spec', 'x', 'a.b', 'c']);
    expect(pathSegments('spec.data[a]b].c')).toEqual(['spec', 'data', 'a]b', 'c']);
    expect(pathSegments('')).toEqual([]);
  });

  test('block and flow styles, comments, aliases, YAML 1.1 keys, and what cannot be found', () => {
    const text = [
      '# leading comment',
      'kind: X',
      'spec:',
      '  # a comment before the first key',
      '  list:',
      '  - {name: a, port: 1}',
      '  - - nested',
      '    - deeper',
      '  - name: c',
      '    port: 3',
      '  on: yes',
      '  ref: &r',
      '    inner: 1',
      '  copy: *r',
      '  "quoted key": 1',
      '  ? explicit',
      '  : 2',
      '',
    ].join('\n');
    expect(place(text, 'spec.list[0].port')).toBe(at(text, 'port: 1'));
    expect(place(text, 'spec.list[1][1]')).toBe(at(text, 'deeper'));
    expect(place(text, 'spec.list[2].port')).toBe(at(text, 'port: 3'));
    expect(place(text, 'spec.list[7]')).toBe(at(text, 'list:')); // no such item: the list's key
    expect(place(text, 'spec.true')).toBe(at(text, 'on: yes')); // go-yaml reads `on` as true, and the key as "true"
    expect(place(text, 'spec.copy.inner')).toBe(at(text, 'inner: 1')); // through an alias, where the value is written
    expect(place(text, 'spec[quoted key]')).toBe(at(text, '"quoted key"'));
    expect(place(text, 'spec.explicit')).toBe(at(text, 'spec:')); // an explicit key is not followed: its parent
    expect(place(text, 'spec.missing.deeper')).toBe(at(text, 'spec:'));
    expect(place(text, '')).toBe(at(text, 'kind: X')); // the object itself: its first key, past the comments
  });

  test('JSON streams: the object by its index; duplicate keys, the last', () => {
    const text = '{"a": 1}\n\n  {"kind": "X",\n   "spec": {"port": 1, "port": 2}}\n{"spec": [ {"x": 0} ]}';
    expect(place(text, 'spec.port', 2)).toBe(at(text, '"port": 2'));
    expect(place(text, 'spec[0].x', 3)).toBe(at(text, '"x"'));
    expect(place(text, 'kind', 2)).toBe('3:4');
    expect(place(text, 'spec', 4)).toBeUndefined(); // no fourth object
  });

  test('one unit asked many times, in any order: the same places as asked one by one', () => {
    const text = `# head\n${Yaml.stringify({ apiVersion: 'v1', kind: 'List', items: Array.from({ length: 50 }, (_, i) => ({ kind: 'Provider', metadata: { name: `p${i}` }, spec: { type: `t${i}` } })) })}`;
    const [unit] = splitManifestText(text, 'f');
    const positions = new FieldPositions(unit);
    for (const i of [40, 3, 49, 0, 41, 41, 7]) {
      const p = positions.positionOf(1, 'spec.type', { kind: 'Provider', name: `p${i}` });
      expect(`${p?.line}:${p?.column}`).toBe(at(text, `type: t${i}\n`));
    }
  });

  test('unreadable text gives no place rather than an error', () => {
    expect(place('a: [1\n', 'a')).toBeUndefined();
  });
});

// What SARIF 2.1.0 requires of the parts the CLI writes (its schema restated for them), plus what code
// scanning reads: rules with descriptions and help, results with a rule, a level, a message and locations.
const LEVEL = { enum: ['none', 'note', 'warning', 'error'] };
const MESSAGE = { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } };
const SARIF_ESSENTIALS = {
  type: 'object',
  required: ['version', '$schema', 'runs'],
  additionalProperties: false,
  properties: {
    version: { const: '2.1.0' },
    $schema: { type: 'string', format: 'uri', pattern: 'sarif-schema-2\\.1\\.0\\.json$' },
    runs: { type: 'array', minItems: 1, items: { $ref: '#/definitions/run' } },
    properties: { type: 'object' },
  },
  definitions: {
    run: {
      type: 'object',
      required: ['tool', 'results'],
      properties: {
        tool: { type: 'object', required: ['driver'], properties: { driver: { $ref: '#/definitions/toolComponent' } } },
        results: { type: 'array', items: { $ref: '#/definitions/result' } },
        columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
        originalUriBaseIds: { type: 'object', additionalProperties: { $ref: '#/definitions/artifactLocation' } },
        invocations: {
          type: 'array',
          items: { type: 'object', required: ['executionSuccessful'], properties: { executionSuccessful: { type: 'boolean' }, exitCode: { type: 'integer' }, workingDirectory: { $ref: '#/definitions/artifactLocation' } } },
        },
        properties: { type: 'object' },
      },
    },
    toolComponent: {
      type: 'object',
      required: ['name', 'rules'],
      properties: {
        name: { type: 'string', minLength: 1 },
        version: { type: 'string' },
        informationUri: { type: 'string', format: 'uri' },
        rules: { type: 'array', uniqueItems: true, items: { $ref: '#/definitions/reportingDescriptor' } },
      },
    },
    reportingDescriptor: {
      type: 'object',
      required: ['id', 'shortDescription', 'fullDescription', 'help'],
      properties: {
        id: { type: 'string', minLength: 1 },
        name: { type: 'string', maxLength: 255 },
        shortDescription: MESSAGE,
        fullDescription: MESSAGE,
        help: MESSAGE,
        defaultConfiguration: { type: 'object', properties: { level: LEVEL } },
      },
    },
    result: {
      type: 'object',
      required: ['ruleId', 'ruleIndex', 'level', 'message', 'locations'],
      properties: {
        ruleId: { type: 'string', minLength: 1 },
        ruleIndex: { type: 'integer', minimum: -1 },
        level: LEVEL,
        message: MESSAGE,
        locations: { type: 'array', items: { $ref: '#/definitions/location' } },
      },
    },
    location: {
      type: 'object',
      properties: {
        physicalLocation: { $ref: '#/definitions/physicalLocation' },
        logicalLocations: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, fullyQualifiedName: { type: 'string' }, kind: { type: 'string' } } } },
      },
    },
    physicalLocation: {
      type: 'object',
      required: ['artifactLocation'],
      properties: {
        artifactLocation: { $ref: '#/definitions/artifactLocation' },
        region: { type: 'object', required: ['startLine'], properties: { startLine: { type: 'integer', minimum: 1 }, startColumn: { type: 'integer', minimum: 1 } } },
      },
    },
    artifactLocation: {
      type: 'object',
      anyOf: [{ required: ['uri'] }, { required: ['description'] }],
      properties: { uri: { type: 'string', format: 'uri-reference' }, uriBaseId: { type: 'string' }, description: MESSAGE },
    },
  },
};

describe('SARIF output', () => {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  const validSarif = ajv.compile(SARIF_ESSENTIALS);
  const expectValid = (log: unknown) => {
    const ok = validSarif(log);
    expect(ajv.errorsText(validSarif.errors)).toBe('No errors');
    expect(ok).toBe(true);
  };

  test('the essentials schema refuses what is not SARIF', () => {
    expect(validSarif({ version: '2.0.0', $schema: SARIF_SCHEMA, runs: [] })).toBe(false);
    expect(validSarif({ version: '2.1.0', $schema: SARIF_SCHEMA, runs: [{ tool: { driver: { name: 'x', rules: [] } }, results: [{ ruleId: 'a', ruleIndex: 0, level: 'fatal', message: { text: 'm' }, locations: [] }] }] })).toBe(false);
    expect(validSarif({ version: '2.1.0', $schema: SARIF_SCHEMA, runs: [{ tool: { driver: { name: 'x', rules: [] } }, results: [{ ruleId: 'a', ruleIndex: 0, level: 'error', message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a b' }, region: { startLine: 0 } } }] }] }] })).toBe(false);
  });

  test('--sarif: one rule per check, one result per finding and unreadable input, at the places the text output names', () => {
    const text = yamlOf(productionAgent()).replace('port: 8080', 'port: 0');
    const file = write(text);
    const unreadable = write('a: [1\n');
    const args = ['validate', '--target', 'documented', file, unreadable];
    const sarif = cli(...args, '--sarif');
    expect(sarif.code).toBe(ExitCode.USAGE_OR_INPUT);
    const log = JSON.parse(sarif.lines.join('\n'));
    expectValid(log);
    expect(Object.keys(log)).toEqual(['version', '$schema', 'runs']);
    const [run] = log.runs;
    expect(run.tool.driver.name).toBe('cdk8s-omnia');
    expect(run.tool.driver.version).toBe(require('../../package.json').version);
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual([...Object.values(FindingCheck).map((c) => `omnia-${c}`), 'omnia-unreadable']);
    expect(run.properties).toEqual({ target: 'documented', targetSource: 'option', targetReason: 'named by --target' });
    expect(run.invocations).toEqual([{ executionSuccessful: false, exitCode: ExitCode.USAGE_OR_INPUT, workingDirectory: { uri: `${pathToFileURL(process.cwd()).href}/` } }]);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);

    // The same findings as the text output, at the same places.
    const textLines = cli(...args).lines;
    const findingLines = textLines.filter((l) => l.startsWith(`${file}:`));
    expect(findingLines.length).toBeGreaterThanOrEqual(2);
    const results = run.results.filter((r: any) => r.ruleId !== 'omnia-unreadable');
    expect(results.map((r: any) => {
      const { artifactLocation, region } = r.locations[0].physicalLocation;
      expect(artifactLocation).toEqual({ uri: pathToFileURL(file).href }); // outside the working directory: absolute
      return `${file}:${region.startLine}:${region.startColumn}: ${r.message.text}`;
    })).toEqual(findingLines);
    const port = results.find((r: any) => r.message.text.includes('spec.facade.port'));
    expect(port).toMatchObject({ ruleId: 'omnia-schema', level: 'error', locations: [{ logicalLocations: [{ name: 'spec.facade.port', fullyQualifiedName: 'AgentRuntime/agents/production-agent:spec.facade.port', kind: 'object' }] }] });
    expect(`${port.locations[0].physicalLocation.region.startLine}:${port.locations[0].physicalLocation.region.startColumn}`).toBe(at(text, 'port: 0'));
    expect(run.results.find((r: any) => r.ruleId === 'omnia-unreadable')).toMatchObject({
      level: 'error', message: { text: expect.stringMatching(/^document 1: not valid YAML/) },
      locations: [{ physicalLocation: { artifactLocation: { uri: pathToFileURL(unreadable).href }, region: { startLine: 2 } } }],
    });

    // --format sarif and --output sarif are the same; so are --json and --output json.
    expect(cli(...args, '--format', 'sarif')).toEqual(sarif);
    expect(cli(...args, '--output', 'sarif')).toEqual(sarif);
    expect(cli(...args, '--json')).toEqual(cli(...args, '--output', 'json'));
    expect(cli(...args, '--format', 'xml').code).toBe(ExitCode.USAGE_OR_INPUT);
  });

  test('files under the root are named relative to %SRCROOT%; standard input has no URI; a finding without a file no location', () => {
    const root = path.join(tmp, 'repo root');
    const finding = { apiVersion: API, kind: 'AgentRuntime', name: 'a', namespace: 'n', path: 'spec.x', message: 'bad', check: FindingCheck.SCHEMA };
    const log: any = sarifLog({
      root, exitCode: 1, version: '1.2.3',
      target: { target: RELEASE, source: 'inferred', reason: 'inferred from Provider n/p' },
      findings: [
        { ...finding, origin: path.join(root, 'dist', 'my app.yaml'), document: 2, line: 12, column: 5 },
        { ...finding, origin: '<stdin>', document: 1, line: 3, column: 1 },
        { ...finding, check: FindingCheck.INTERNAL },
      ],
      unreadable: [{ origin: path.join(root, 'x.yaml'), document: 0, line: 0, message: 'cannot be read' }],
    });
    expectValid(log);
    const [run] = log.runs;
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `${pathToFileURL(root).href}/` } });
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toContain('repo%20root/');
    expect(run.properties).toEqual({ target: RELEASE, targetSource: 'inferred', targetReason: 'inferred from Provider n/p' });
    expect(run.results.map((r: any) => r.locations.map((l: any) => l.physicalLocation))).toEqual([
      [{ artifactLocation: { uri: 'x.yaml', uriBaseId: '%SRCROOT%' } }],
      [{ artifactLocation: { uri: 'dist/my%20app.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 5 } }],
      [{ artifactLocation: { description: { text: 'standard input' } }, region: { startLine: 3, startColumn: 1 } }],
      [undefined],
    ]);
    expect(run.results.map((r: any) => r.ruleId)).toEqual(['omnia-unreadable', 'omnia-schema', 'omnia-schema', 'omnia-internal']);
    expect(run.results[1].message.text).toBe('AgentRuntime n/a: spec.x: bad');
    expect(run.invocations[0].executionSuccessful).toBe(true);
  });
});
