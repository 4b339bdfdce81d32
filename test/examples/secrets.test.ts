import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { MinimalAgentChart } from '../../examples/minimal-agent';
import { MultiAgentChart } from '../../examples/multi-agent';
import { ProductionAgentChart } from '../../examples/production-agent';
import { ProductionAgentL1Chart } from '../../examples/production-agent-l1';
import { documentedApp } from '../util';

// Values only this test knows; none may appear outside the Secrets that hold them.
const values = {
  'openai-credentials': { 'api-key': 'sk-test-4f1d9a0c-openai' },
  'anthropic-credentials': { 'api-key': 'sk-ant-test-77b2e5-anthropic' },
  'redis-credentials': { url: 'redis://:p4ss-8c3e1f@redis.data.svc:6379/0' },
};

/** Creates the Secrets the examples refer to, with real-looking values, in the namespaces they use. */
function secretsChart(app: App, namespace: string): Chart {
  const chart = new Chart(app, `secrets-${namespace}`, { namespace });
  for (const [name, stringData] of Object.entries(values)) {
    new kplus.Secret(chart, name, { metadata: { name }, stringData });
  }
  return chart;
}

test('no synthesized example carries a secret value outside its Secret', () => {
  const app = documentedApp();
  const charts = [
    new ProductionAgentL1Chart(app, 'production-agent-l1', { namespace: 'agents-l1' }),
    new ProductionAgentChart(app, 'production-agent'),
    new MinimalAgentChart(app, 'minimal-agent'),
    new MultiAgentChart(app, 'multi-agent'),
  ];
  secretsChart(app, 'agents');
  secretsChart(app, 'agents-l1');
  secretsChart(app, 'shop');
  const secretValues = Object.values(values).flatMap((v) => Object.values(v));

  // Synthesizing runs the synth-time checks too: every reference to these Secrets names a key they have.
  const manifests = charts.flatMap((chart) => Testing.synth(chart));
  expect(manifests.length).toBeGreaterThan(5);
  for (const manifest of manifests) {
    const text = JSON.stringify(manifest);
    for (const value of secretValues) expect(text).not.toContain(value);
  }
  // The scan itself finds the values where they are.
  const secrets = app.charts.filter((c) => c.node.id.startsWith('secrets-')).flatMap((c) => Testing.synth(c));
  expect(JSON.stringify(secrets)).toContain(values['redis-credentials'].url);
});

test('a Secret of the app that lacks the key an example names fails the synth', () => {
  const app = documentedApp();
  const chart = new MinimalAgentChart(app, 'minimal-agent');
  const secrets = new Chart(app, 'secrets', { namespace: 'agents' });
  new kplus.Secret(secrets, 'Anthropic', { metadata: { name: 'anthropic-credentials' }, stringData: { token: 'x' } });
  expect(() => Testing.synth(chart)).toThrow('spec.provider.apiKeySecretRef: Secret agents/anthropic-credentials has no key "api-key"');
});
