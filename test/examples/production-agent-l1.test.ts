import { Testing } from 'cdk8s';
import { OmniaApiTarget, OmniaSchema } from '../../lib';
import { ProductionAgentL1Chart } from '../../examples/production-agent-l1';
import { productionAgent } from '../validation/fixtures';
import { documentedApp } from '../util';

test('the L1 example synthesizes exactly the reference AgentRuntime', () => {
  const manifests = Testing.synth(new ProductionAgentL1Chart(documentedApp(), 'production-agent'));
  expect(manifests).toEqual([productionAgent()]);
  expect(OmniaSchema.validateFor(manifests[0], OmniaApiTarget.DOCUMENTED)).toEqual([]);
});
