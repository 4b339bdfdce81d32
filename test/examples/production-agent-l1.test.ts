import { Testing } from 'cdk8s';
import { OmniaSchema } from '../../lib';
import { ProductionAgentL1Chart } from '../../examples/production-agent-l1';
import { productionAgent } from '../validation/fixtures';

test('the L1 example synthesizes exactly the reference AgentRuntime', () => {
  const manifests = Testing.synth(new ProductionAgentL1Chart(Testing.app(), 'production-agent'));
  expect(manifests).toEqual([productionAgent()]);
  expect(OmniaSchema.validate(manifests[0])).toEqual([]);
});
