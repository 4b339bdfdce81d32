import { Chart, Duration } from 'cdk8s';
import { AgentRuntime, MemoryRetrievalStrategy } from '../../lib';
import { FeatureExample } from '../release-features';
import { assistantPack, clientToken, modelProvider } from './assistant';

/**
 * An agent that remembers across sessions and evaluates its sessions. Memory is kept by the memory service
 * of the namespace's Workspace under its MemoryPolicy; the agent only says how it uses it.
 */
export const memoryFeature: FeatureExample = (chart: Chart) => {
  new AgentRuntime(chart, 'Agent', {
    metadata: { name: 'remembering' },
    provider: modelProvider(chart, 'chat', 'chat-model'),
    promptPack: assistantPack(chart),
    externalAuth: clientToken(chart),
    memory: {
      // Up to five keyword matches a turn, never from restricted documents; the model may also remember and recall.
      retrieval: { strategy: MemoryRetrievalStrategy.KEYWORD, limit: 5, denyCel: 'metadata.url.contains("restricted")' },
      toolsEnabled: true,
    },
    evals: {
      inlineGroups: ['fast-running'],
      workerGroups: ['long-running', 'external'],
      // A quarter of the sessions, and one in twenty for the judged evals.
      samplingRate: 25,
      extendedSamplingRate: 5,
      maxEvalsPerSecond: 20,
      maxConcurrentJudgeCalls: 2,
      sessionInactivityTimeout: Duration.minutes(10),
    },
  });
};
