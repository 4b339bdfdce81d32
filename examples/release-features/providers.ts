import { Chart } from 'cdk8s';
import { AgentRuntime, ProviderCapability, ProviderRole } from '../../lib';
import { FeatureExample } from '../release-features';
import { assistantPack, clientToken, modelProvider } from './assistant';

/**
 * An agent with several providers: its chat model (the `default` entry), a judge model for its evals and an
 * embedding model, each checked against the role and capabilities the agent needs of it.
 */
export const providersFeature: FeatureExample = (chart: Chart) => {
  const chat = modelProvider(chart, 'chat', 'chat-model');
  const judge = modelProvider(chart, 'judge', 'judge-model', ProviderRole.LLM, [ProviderCapability.TEXT, ProviderCapability.JSON]);
  const embeddings = modelProvider(chart, 'embeddings', 'embedding-model', ProviderRole.EMBEDDING);
  new AgentRuntime(chart, 'Agent', {
    metadata: { name: 'multi-provider' },
    provider: chat,
    promptPack: assistantPack(chart),
    externalAuth: clientToken(chart),
    additionalProviders: [
      // The judge must answer in JSON.
      { name: 'judge', provider: judge, requiredCapabilities: [ProviderCapability.JSON] },
      { name: 'embeddings', provider: embeddings },
    ],
  });
};
