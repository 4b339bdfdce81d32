import { Chart, Duration } from 'cdk8s';
import { AgentFramework, AgentRuntime, RollbackMode, RolloutStep, TrafficRouting } from '../../lib';
import { FeatureExample } from '../release-features';
import { assistantPack, clientToken, modelProvider } from './assistant';

/**
 * A canary rollout of a new prompt and model: 10% of the traffic, then half, each held a while, the users kept
 * on one version by a header. An analysis step (`RolloutStep.analysis`) needs the enterprise install's
 * RolloutAnalysis kind, which this app does not install: the steps here are weights and pauses.
 */
export const rolloutFeature: FeatureExample = (chart: Chart) => {
  const stable = assistantPack(chart, '1.0.0');
  const next = assistantPack(chart, '2.0.0');
  new AgentRuntime(chart, 'Agent', {
    metadata: { name: 'canary' },
    provider: modelProvider(chart, 'chat', 'chat-model'),
    promptPack: stable,
    promptPackVersion: stable.version,
    framework: AgentFramework.promptKit(),
    externalAuth: clientToken(chart),
    rollout: {
      candidate: { promptPack: next, promptPackVersion: next.version, provider: modelProvider(chart, 'chat-next', 'chat-model-next') },
      steps: [
        RolloutStep.weight(10),
        RolloutStep.pause(Duration.minutes(30)),
        RolloutStep.weight(50),
        RolloutStep.pause(Duration.hours(2)),
        RolloutStep.weight(100),
      ],
      stickySessionHeader: 'x-user-id',
      rollback: RollbackMode.AUTOMATIC,
      rollbackCooldown: Duration.minutes(15),
      // Without a mesh in the cluster: the weight is the share of candidate pods.
      trafficRouting: TrafficRouting.replicaWeighted(),
    },
  });
};
