import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { OmniaSchema } from '../../lib';
import { MinimalAgentChart } from '../../examples/minimal-agent';
import { MultiAgentChart } from '../../examples/multi-agent';
import { ProductionAgentChart } from '../../examples/production-agent';
import { ProductionAgentL1Chart } from '../../examples/production-agent-l1';
import { productionAgent } from '../validation/fixtures';

const examples: Array<[string, (app: any) => Chart]> = [
  ['production-agent-l1', (app) => new ProductionAgentL1Chart(app, 'production-agent-l1')],
  ['production-agent', (app) => new ProductionAgentChart(app, 'production-agent')],
  ['minimal-agent', (app) => new MinimalAgentChart(app, 'minimal-agent')],
  ['multi-agent', (app) => new MultiAgentChart(app, 'multi-agent')],
];

describe.each(examples)('example %s', (_name, make) => {
  const manifests = Testing.synth(make(Testing.app()));

  test('matches its snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('every Omnia object passes the CRD schema and adds nothing on defaulting', () => {
    const omnia = manifests.filter((m) => OmniaSchema.isOmniaApiVersion(m.apiVersion));
    expect(omnia.length).toBeGreaterThan(0);
    for (const manifest of omnia) {
      expect(OmniaSchema.validate(manifest)).toEqual([]);
      expect(OmniaSchema.applyDefaults(manifest)).toEqual(manifest);
    }
  });
});

test('the L2 production example renders the reference AgentRuntime, plus the standard labels', () => {
  const [agent] = Testing.synth(new ProductionAgentChart(Testing.app(), 'production-agent'));
  const { labels, ...metadata } = agent.metadata;
  expect({ ...agent, metadata }).toEqual(productionAgent());
  expect(labels).toEqual({
    'app.kubernetes.io/name': 'agentruntime',
    'app.kubernetes.io/instance': 'production-agent',
    'app.kubernetes.io/part-of': 'omnia',
    'app.kubernetes.io/managed-by': 'cdk8s',
  });
});

test('the multi-agent example shares one registry, one pack from a file and one redis store', () => {
  const manifests = Testing.synth(new MultiAgentChart(Testing.app(), 'multi-agent'));
  const agents = manifests.filter((m) => m.kind === 'AgentRuntime');
  expect(agents).toHaveLength(2);
  for (const agent of agents) {
    expect(agent.spec.toolRegistryRef).toEqual({ name: 'shop-tools' });
    expect(agent.spec.promptPackRef).toEqual({ name: 'customer-service' });
    expect(agent.spec.session.storeRef).toEqual({ name: 'redis-credentials', key: 'url' });
  }
  const configMap = manifests.find((m) => m.kind === 'ConfigMap');
  const file = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'prompts', 'customer-service.json'), 'utf8');
  expect(configMap.data['pack.json']).toBe(file);
});

test('the minimal example is under 25 lines', () => {
  const lines = fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'minimal-agent.ts'), 'utf8').trimEnd().split('\n');
  expect(lines.length).toBeLessThan(25);
});
