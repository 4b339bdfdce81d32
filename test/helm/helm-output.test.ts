import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { addEscapesChart, newApp, ODD_TEXTS } from './escapes-app';
import { OmniaHelm, OmniaHelmResolver, OmniaValidation, PromptPack } from '../../lib';
import { escapeHelmJson, escapeHelmText, helmActionLine, helmLocationOf, unescapeHelmText } from '../../lib/core/helm';
import { minimalAgent } from '../validation/fixtures';
import { documentedApp } from '../util';

// The round trip through a real `helm template` is scripts/check-helm.sh (CI); these pin the escaped form,
// where the app writes, and that output outside a chart is unchanged.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-helm-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A chart folder as `cdk8s synth --format helm` makes it before running the app. */
function helmChart(): string {
  const chart = fs.mkdtempSync(path.join(tmp, 'chart-'));
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: test\nversion: 0.1.0\n');
  fs.mkdirSync(path.join(chart, 'templates'));
  return chart;
}

/** Every file under `dir`, by path relative to it. */
function files(dir: string): { [file: string]: string } {
  const out: { [file: string]: string } = {};
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = fs.readFileSync(p, 'utf8');
  }
  return out;
}

describe('escapeHelmText', () => {
  test.each([
    ['Hello {{name}}', 'Hello {{`{{`}}name}}'],
    ['{{ "{{" }}', '{{`{{`}} "{{`{{`}}" }}'],
    ['{{`{{`}}', '{{`{{`}}`{{`{{`}}`}}'],
    ['{{{x}}}', '{{`{{`}}{x}}}'],
    ['{{{{', '{{`{{`}}{{`{{`}}'],
    ['{{- x -}}', '{{`{{`}}- x -}}'],
    ['{{/* c */}}', '{{`{{`}}/* c */}}'],
    ['{{', '{{`{{`}}'],
    ['}} and { { and {}', '}} and { { and {}'],
    ['', ''],
  ])('%j is written %j', (text, escaped) => {
    expect(escapeHelmText(text)).toBe(escaped);
    expect(OmniaHelm.escape(text)).toBe(escaped);
    expect(unescapeHelmText(escaped)).toBe(text);
  });

  test.each(Object.entries(ODD_TEXTS))('%s: only the escapes open actions, and they undo exactly', (_why, text) => {
    const escaped = escapeHelmText(text);
    expect(helmActionLine(escaped)).toBeUndefined();
    // With each escape replaced by the `{{` it renders, nothing else changed.
    expect(escaped.split('{{`{{`}}').join('{{')).toBe(text);
    expect(unescapeHelmText(escaped)).toBe(text);
  });

  test('text holding an action that is not an escape cannot be undone, and its line is found', () => {
    expect(unescapeHelmText('a: {{`{{`}}x}}\nb: {{ .Values.x }}')).toBeUndefined();
    expect(helmActionLine('a: {{`{{`}}x}}\nb: {{ .Values.x }}')).toBe(2);
  });
});

test('escapeHelmJson escapes every string and key at any depth, leaves other values and its input alone', () => {
  const value = JSON.parse('{"a{{": ["{{x}}", 1, true, null, {"__proto__": "{{p}}"}], "n": 2}');
  const escaped = escapeHelmJson(value);
  expect(Object.keys(escaped)).toEqual(['a{{`{{`}}', 'n']);
  expect(escaped['a{{`{{`}}'].slice(0, 4)).toEqual(['{{`{{`}}x}}', 1, true, null]);
  // A key named __proto__ stays a key, not the object's prototype.
  expect(Object.getOwnPropertyDescriptor(escaped['a{{`{{`}}'][4], '__proto__')?.value).toBe('{{`{{`}}p}}');
  expect(JSON.stringify(value)).toBe('{"a{{":["{{x}}",1,true,null,{"__proto__":"{{p}}"}],"n":2}');
});

test('a folder is in a chart when a templates/ folder above it, or itself, has a Chart.yaml beside it', () => {
  const chart = helmChart();
  expect(helmLocationOf(path.join(chart, 'templates'))).toEqual({ chart, inTemplates: '' });
  expect(helmLocationOf(path.join(chart, 'templates', 'a', 'b'))).toEqual({ chart, inTemplates: path.join('a', 'b') });
  expect(helmLocationOf(chart)).toBeUndefined();
  const noChart = fs.mkdtempSync(path.join(tmp, 'plain-'));
  fs.mkdirSync(path.join(noChart, 'templates'));
  expect(helmLocationOf(path.join(noChart, 'templates'))).toBeUndefined();
});

describe('an app', () => {
  test('in a chart\'s templates/ folder writes each file as the plain synth with its `{{` escaped, and nothing else', () => {
    const plainDir = fs.mkdtempSync(path.join(tmp, 'dist-'));
    const plain = newApp(plainDir);
    addEscapesChart(plain);
    plain.synth();
    const chart = helmChart();
    const helm = newApp(path.join(chart, 'templates'));
    addEscapesChart(helm);
    expect(OmniaHelm.isUsed(helm)).toBe(true);
    expect(OmniaHelm.isUsed(plain)).toBe(false);
    helm.synth();

    const plainFiles = files(plainDir);
    const helmFiles = files(path.join(chart, 'templates'));
    expect(Object.keys(helmFiles)).toEqual(Object.keys(plainFiles));
    for (const [f, text] of Object.entries(helmFiles)) {
      expect(helmActionLine(text)).toBeUndefined();
      expect(unescapeHelmText(text)).toBe(plainFiles[f]);
    }
    // Every object of the app carries escapes: the PromptPack's ConfigMap of the user's, the agent's env,
    // the ToolRegistry and an object this library knows nothing of (keys and JSON patches included).
    const objects = parseAllDocuments(helmFiles['helm-escapes.k8s.yaml']).map((d) => d.toJS());
    const of = (kind: string) => objects.find((o) => o.kind === kind);
    expect(of('ConfigMap').data['pack.json']).toContain('"system_template": "Hello {{`{{`}}name}}');
    expect(of('AgentRuntime').spec.env[0]).toEqual({ name: 'ODD_0', value: escapeHelmText(ODD_TEXTS.variables) });
    expect(of('ToolRegistry').spec.handlers[0].tool.inputSchema.properties).toHaveProperty(['{{`{{`}}query}}']);
    expect(of('Thing').spec).toMatchObject({ '{{`{{`}}key}}': escapeHelmText(ODD_TEXTS['already escaped, quoted']), 'patched': escapeHelmText(ODD_TEXTS['delimiters alone']) });
    expect(of('Thing').metadata.annotations['example.com/note']).toBe(escapeHelmText(ODD_TEXTS['a brace more']));
  });

  test('writes the same manifests as before anywhere else', () => {
    const app = newApp(fs.mkdtempSync(path.join(tmp, 'dist-')));
    addEscapesChart(app);
    const yaml = app.synthYaml();
    expect(yaml).toContain('"system_template": "Hello {{name}}');
    expect(yaml).not.toContain('{{`{{`}}name}}');
  });

  test('told with OmniaHelm.use writes Helm templates whatever its folder, synthYaml included', () => {
    const app = newApp(fs.mkdtempSync(path.join(tmp, 'dist-')));
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'Note', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'note' }, data: { text: 'Hi {{name}}' } } as any);
    expect(OmniaHelm.isUsed(app)).toBe(false);
    OmniaHelm.use(chart);
    expect(OmniaHelm.isUsed(app)).toBe(true);
    expect(app.synthYaml()).toContain('text: Hi {{`{{`}}name}}');
    // Synthesized again, it is not escaped twice.
    expect(app.synthYaml()).toContain('text: Hi {{`{{`}}name}}');
  });

  test('checks what the API server receives, not the longer escaped text', () => {
    // model has maxLength 253: 251 characters pass; escaped, they would be 257.
    const model = `m{{v}}${'x'.repeat(251 - 6)}`;
    const agent = minimalAgent();
    agent.spec.provider.model = model;
    const build = (outdir: string) => {
      const app = newApp(outdir);
      const c1 = new Chart(app, 'one', { namespace: 'agents' });
      new ApiObject(c1, 'Agent', agent);
      PromptPack.fromName(c1, 'Prompts', 'prompts', 'agents');
      new Chart(app, 'two');
      OmniaValidation.enable(app);
      return app;
    };
    const chart = helmChart();
    build(path.join(chart, 'templates')).synth();
    const text = fs.readFileSync(path.join(chart, 'templates', 'one.k8s.yaml'), 'utf8');
    expect(text).toContain(`model: ${escapeHelmText(model)}`);

    agent.spec.provider.model = `${model}xxx`;
    expect(() => build(path.join(helmChart(), 'templates')).synth()).toThrow(/spec\.provider\.model: Invalid value: "m\{\{v\}\}x+\.\.\. \(\d+ characters\): must NOT have more than 253 characters/);
  });
});

describe('a `{{` Helm would read as an action fails the synth with where it is and the fix', () => {
  const kplus = require('cdk8s-plus-28');
  const pack = JSON.stringify({ id: 'p', name: 'P', version: '1.0.0', template_engine: { version: 'v1', syntax: '{{variable}}' }, prompts: {} });
  // A construct of this library in the app: its synth-time check is what looks at the other objects.
  const addPack = (chart: Chart) => new PromptPack(chart, 'Pack', {
    metadata: { name: 'p' }, packName: 'p', version: '1.0.0',
    configMap: new kplus.ConfigMap(chart, 'PackData', { metadata: { name: 'pack-data' }, data: { 'pack.json': pack } }),
  });

  test('in a ConfigMap of the user\'s, when the app has no OmniaHelmResolver', () => {
    const app = documentedApp({ outdir: path.join(helmChart(), 'templates') });
    const chart = new Chart(app, 'agents', { namespace: 'agents' });
    const configMap = new kplus.ConfigMap(chart, 'PackData', { metadata: { name: 'pack-data' }, data: { 'pack.json': pack } });
    new PromptPack(chart, 'Pack', { metadata: { name: 'p' }, packName: 'p', version: '1.0.0', configMap });
    expect(() => app.synth()).toThrow('agents/PackData/Resource: ConfigMap agents/pack-data: data.pack.json: holds "{{", which Helm reads as a template action (function "..." not defined when it renders): create the app with `new App({ resolvers: [new OmniaHelmResolver()] })`, which escapes every value for Helm');
    // With the resolver, the same app writes a chart.
    const fixed = newApp(path.join(helmChart(), 'templates'));
    const fixedChart = new Chart(fixed, 'agents', { namespace: 'agents' });
    const data = new kplus.ConfigMap(fixedChart, 'PackData', { metadata: { name: 'pack-data' }, data: { 'pack.json': pack } });
    new PromptPack(fixedChart, 'Pack', { metadata: { name: 'p' }, packName: 'p', version: '1.0.0', configMap: data });
    expect(() => fixed.synth()).not.toThrow();
  });

  test('in a value a JSON patch sets, which no resolver sees', () => {
    const app = newApp(path.join(helmChart(), 'templates'));
    const chart = new Chart(app, 'c');
    const note = new ApiObject(chart, 'Note', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'note' } });
    note.addJsonPatch(JsonPatch.add('/data', { text: 'Hi {{name}}' }));
    addPack(chart);
    expect(() => app.synth()).toThrow(/c\/Note: ConfigMap note: data\.text: holds "\{\{", .*: the app's OmniaHelmResolver escapes values, not keys or what a JSON patch sets: write that text with OmniaHelm\.textFor\(scope, text\)/);
  });

  test('in a key of an object this library did not make', () => {
    const app = newApp(path.join(helmChart(), 'templates'));
    const chart = new Chart(app, 'c');
    new ApiObject(chart, 'Note', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'note', annotations: { 'a{{b': 'x' } } } as any);
    addPack(chart);
    expect(() => app.synth()).toThrow(/c\/Note: ConfigMap note: metadata\.annotations\.a\{\{b \(key\): holds "\{\{"/);
  });
});

describe('the plugin with a Helm chart', () => {
  const { ValidationContext, ValidationPlugin } = require(path.join(__dirname, '..', '..', 'node_modules', 'cdk8s-cli', 'lib', 'plugins', 'validation.js'));
  const { OmniaValidationPlugin } = require('../../lib');

  test('reads the app\'s metadata from beside templates/, checks templates unescaped, and leaves only manifests', async () => {
    const chart = helmChart();
    const templates = path.join(chart, 'templates');
    // As `cdk8s synth --format helm` with validations runs an app.
    const app = documentedApp({ outdir: templates, recordConstructMetadata: true, resolvers: [new OmniaHelmResolver()] });
    OmniaValidation.disable(app);
    addEscapesChart(app);
    // A pack declared in code only: the plugin learns of it from the app's metadata.
    const external = new Chart(app, 'external', { namespace: 'escapes' });
    new ApiObject(external, 'Agent', { ...minimalAgent(), metadata: { name: 'other', namespace: 'escapes' }, spec: { ...minimalAgent().spec, promptPackRef: { name: 'shared' } } });
    PromptPack.fromName(external, 'Shared', 'shared', 'escapes');
    app.synth();
    expect(fs.existsSync(path.join(chart, '.cdk8s-omnia', 'cdk8s-omnia-metadata.json'))).toBe(true);
    expect(fs.readdirSync(templates).filter((f) => !f.endsWith('.yaml'))).toEqual(['construct-metadata.json']);

    const manifests = fs.readdirSync(templates).filter((f) => f.endsWith('.yaml')).map((f) => path.join(templates, f));
    const metadata = ValidationPlugin.loadConstructMetadata(path.join(templates, 'construct-metadata.json'));
    const context = new ValidationContext(manifests, 'cdk8s-omnia', '0.1.0', metadata, false);
    await new OmniaValidationPlugin({}).validate(context);
    expect(context.report.toJson().violations).toEqual([]);
    expect(fs.readdirSync(templates).filter((f) => !f.endsWith('.yaml'))).toEqual([]);
    expect(fs.existsSync(path.join(chart, '.cdk8s-omnia'))).toBe(false);
  });

  test('reports a `{{` no app escaped, with its file and line', async () => {
    const chart = helmChart();
    const file = path.join(chart, 'templates', 'note.k8s.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: note\ndata:\n  text: Hi {{name}}\n');
    const context = new ValidationContext([file], 'cdk8s-omnia', '0.1.0', {}, false);
    await new OmniaValidationPlugin({}).validate(context);
    const violations = context.report.toJson().violations;
    expect(violations.map((v: any) => [v.ruleName, v.recommendation])).toEqual([
      ['omnia-helm', expect.stringMatching(/note\.k8s\.yaml: line 6: "\{\{" is read by Helm as a template action/)],
    ]);
  });
});
