import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { AgentRuntime, PromptPack, Provider, SecretKey } from '../../lib';
import { omniaCrds } from '../../lib/validation/crds';
import * as kplus from 'cdk8s-plus-28';
import { parse } from 'yaml';

// The synth-time checks reuse what they render for the synth that follows; these tests pin that this
// never hands out a stale rendering and that App.synth still fails on findings.

function agentIn(chart: Chart, name: string): AgentRuntime {
  return new AgentRuntime(chart, name, {
    metadata: { name },
    provider: Provider.openai({ model: 'gpt-4o', apiKey: SecretKey.of(kplus.Secret.fromSecretName(chart, `${name}Key`, 'k'), 'api-key') }),
    promptPack: PromptPack.fromName(chart, `${name}Pack`, 'p'),
  });
}

test('a change made between two synths of the same tick is seen by the second', () => {
  const app = Testing.app();
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
  const app = Testing.app();
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
    const app = new App({ outdir });
    const charts = ['a', 'b', 'c'].map((id) => new Chart(app, id, { namespace: 'x' }));
    charts.forEach((chart, i) => agentIn(chart, `agent-${i}`));
    app.synth();
    expect(fs.readdirSync(outdir).sort()).toEqual(['a.k8s.yaml', 'b.k8s.yaml', 'c.k8s.yaml']);
    ApiObject.of(charts[2].node.findChild('agent-2')).addJsonPatch(JsonPatch.replace('/spec/replicas', -1));
    expect(() => app.synth()).toThrow('c/agent-2/Resource: AgentRuntime x/agent-2: spec.replicas: Invalid value: -1');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('the JSON copies of the CRDs, when the build wrote them, equal the YAML', () => {
  const dir = path.join(__dirname, '..', '..', 'lib', 'crds');
  const parsed = ['agentruntime', 'promptpack', 'toolregistry'].map((k) => parse(fs.readFileSync(path.join(dir, `${k}.yaml`), 'utf8')));
  expect(omniaCrds()).toEqual(parsed);
});
