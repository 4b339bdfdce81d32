import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { AgentRuntime, l1, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey } from '../../lib';
import { omniaCrds } from '../../lib/validation/crds';
import * as kplus from 'cdk8s-plus-28';
import { parse } from 'yaml';
import { documentedApp } from '../util';

// The synth-time checks run inside each object's own rendering and in one validation per app: these tests
// pin that every synth entry point checks, that nothing is rendered twice, and that no rendering goes stale.

function agentIn(chart: Chart, name: string): AgentRuntime {
  return new AgentRuntime(chart, name, {
    metadata: { name },
    provider: new Provider(chart, `${name}Provider`, { type: ProviderType.OPENAI, model: 'gpt-4o', credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(chart, `${name}Key`, 'k'), 'api-key')) }),
    promptPack: PromptPack.fromName(chart, `${name}Pack`, 'p'),
  });
}

test('a change made between two synths of the same tick is seen by the second', () => {
  const app = documentedApp();
  const a = new Chart(app, 'a', { namespace: 'x' });
  const b = new Chart(app, 'b', { namespace: 'x' });
  agentIn(a, 'first');
  const second = agentIn(b, 'second');
  expect(Testing.synth(a)).toHaveLength(1);
  second.addEnv('LATE', kplus.EnvValue.fromValue('1'));
  expect(Testing.synth(b)[0].spec.env).toEqual([{ name: 'LATE', value: '1' }]);
  expect(ApiObject.of(second).toJson().spec.env).toEqual([{ name: 'LATE', value: '1' }]);
});

test('a direct toJson after a partial synth renders afresh', () => {
  const app = documentedApp();
  const a = new Chart(app, 'a', { namespace: 'x' });
  const b = new Chart(app, 'b', { namespace: 'x' });
  agentIn(a, 'first');
  const second = agentIn(b, 'second');
  Testing.synth(a);
  ApiObject.of(second).addJsonPatch(JsonPatch.replace('/spec/replicas', 4));
  expect(ApiObject.of(second).toJson().spec.replicas).toBe(4);
});

test('App.synth checks once per call and still fails on a finding in any chart', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-synth-'));
  try {
    const app = documentedApp({ outdir });
    const charts = ['a', 'b', 'c'].map((id) => new Chart(app, id, { namespace: 'x' }));
    charts.forEach((chart, i) => agentIn(chart, `agent-${i}`));
    app.synth();
    expect(fs.readdirSync(outdir).sort()).toEqual(['a.k8s.yaml', 'b.k8s.yaml', 'c.k8s.yaml']);
    ApiObject.of(charts[2].node.findChild('agent-2')).addJsonPatch(JsonPatch.replace('/spec/replicas', -1));
    expect(() => app.synth()).toThrow('c/agent-2: AgentRuntime x/agent-2: spec.replicas: Invalid value: -1');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('each object is rendered once per synth, whatever the entry point', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-synth-'));
  const renders = jest.spyOn(l1.AgentRuntime.prototype, 'toJson');
  try {
    const app = documentedApp({ outdir });
    const charts = ['a', 'b', 'c'].map((id) => new Chart(app, id, { namespace: 'x' }));
    charts.forEach((chart, i) => agentIn(chart, `agent-${i}`));
    const entryPoints: Array<[string, () => unknown]> = [
      ['App.synth', () => app.synth()],
      ['App.synthYaml', () => app.synthYaml()],
      ['Chart.toJson of each chart', () => charts.forEach((c) => c.toJson())],
      ['Testing.synth of each chart', () => charts.forEach((c) => Testing.synth(c))],
    ];
    for (const [, synth] of entryPoints) {
      renders.mockClear();
      synth();
      expect(renders).toHaveBeenCalledTimes(3);
    }
  } finally {
    renders.mockRestore();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('every synth entry point fails on an invalid object', () => {
  const app = documentedApp();
  const chart = new Chart(app, 'c', { namespace: 'x' });
  ApiObject.of(agentIn(chart, 'bad')).addJsonPatch(JsonPatch.replace('/spec/replicas', -1));
  const message = 'c/bad: AgentRuntime x/bad: spec.replicas: Invalid value: -1';
  expect(() => app.synthYaml()).toThrow(message);
  expect(() => chart.toJson()).toThrow(message);
  expect(() => Testing.synth(chart)).toThrow(message);
});

test('an invalid app synthesized inside another app\'s synth still fails; the valid one still passes', () => {
  const good = documentedApp();
  const goodChart = new Chart(good, 'good', { namespace: 'x' });
  agentIn(goodChart, 'fine');
  const bad = documentedApp();
  const badChart = new Chart(bad, 'bad', { namespace: 'x' });
  ApiObject.of(agentIn(badChart, 'broken')).addJsonPatch(JsonPatch.replace('/spec/replicas', -1));
  let inner = '';
  // A validation of the good app that synthesizes the bad app in the middle of the good app's synth.
  goodChart.node.addValidation({
    validate: () => {
      try {
        bad.synthYaml();
      } catch (e) {
        inner = (e as Error).message;
      }
      return [];
    },
  });
  expect(() => good.synthYaml()).not.toThrow();
  expect(inner).toContain('bad/broken: AgentRuntime x/broken: spec.replicas: Invalid value: -1');
});

test('lib/ assigns to no prototype and to no method of an object it did not make', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) files.push(path.join(dir, e.name));
    }
  };
  walk(path.join(__dirname, '..', '..', 'lib'));
  const offending = files.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n')
    .filter((line) => /\.prototype\b[^=]*=[^=>]|\.(toJson|synth|synthYaml)\s*=[^=>]/.test(line))
    .map((line) => `${path.relative(process.cwd(), f)}: ${line.trim()}`));
  expect(offending).toEqual([]);
});

test('the JSON copies of the CRDs, when the build wrote them, equal the YAML', () => {
  const dir = path.join(__dirname, '..', '..', 'lib', 'crds');
  const parsed = ['agentruntime', 'promptpack', 'toolregistry'].map((k) => parse(fs.readFileSync(path.join(dir, `${k}.yaml`), 'utf8')));
  expect(omniaCrds()).toEqual(parsed);
});

describe('the checks across objects run once per synth, whatever the number of charts', () => {
  // cdk8s validates the app at the start of app.synth() and again for each chart it renders.
  const references = require('../../lib/validation/references');
  afterEach(() => jest.restoreAllMocks());

  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnia-once-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  function threeCharts(): { app: App; charts: Chart[]; agents: AgentRuntime[] } {
    const app = documentedApp({ outdir });
    const charts = ['a', 'b', 'c'].map((id) => new Chart(app, id, { namespace: 'x' }));
    return { app, charts, agents: charts.map((c, i) => agentIn(c, `agent${i}`)) };
  }

  test('app.synthYaml() and app.synth() check once; a chart synthesized alone is checked each time', () => {
    const { app, charts } = threeCharts();
    const spy = jest.spyOn(references, 'referenceFindings');
    app.synthYaml();
    expect(spy).toHaveBeenCalledTimes(1);
    app.synth();
    expect(spy).toHaveBeenCalledTimes(2);
    Testing.synth(charts[0]);
    Testing.synth(charts[1]);
    expect(spy).toHaveBeenCalledTimes(4);
  });

  test('a problem made after a synth fails the next one', () => {
    const { app, charts } = threeCharts();
    app.synthYaml();
    new kplus.Secret(charts[2], 'Creds', { metadata: { name: 'creds' }, stringData: { token: 't' } });
    new AgentRuntime(charts[2], 'Late', {
      metadata: { name: 'late' },
      provider: new Provider(charts[2], 'LateProvider', { type: ProviderType.OPENAI, model: 'gpt-4o', credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(charts[2], 'Other', 'creds'), 'api-key')) }),
      promptPack: PromptPack.fromName(charts[2], 'LatePack', 'p'),
    });
    expect(() => app.synthYaml()).toThrow(/Secret x\/creds has no key "api-key"/);
  });
});
