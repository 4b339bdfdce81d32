import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  A2aClient, AgentRuntime, ExternalAuth, Facade, Provider, ProviderCredential, ProviderType, SecretKey,
} from '../../lib';
import type { FeatureExample } from '../release-features';
import { MODEL_SERVER, orderTools, prompts } from '../release';

/**
 * Two agents with a websocket facade for people and an a2a facade for other agents: the support agent
 * announces its skills in its agent card and calls the billing agent over A2A, whose skills become its tools.
 */
export const facadesExample: FeatureExample = (chart: Chart): void => {
  const provider = new Provider(chart, 'Provider', {
    metadata: { name: 'facades-llm' },
    type: ProviderType.OPENAI,
    model: 'support-model',
    baseUrl: MODEL_SERVER,
    credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(chart, 'Credentials', 'provider-credentials'), 'api-key')),
  });
  const promptPack = prompts(chart);
  const toolRegistry = orderTools(chart);
  // People and agents alike present the shared token.
  const clients = ExternalAuth.sharedToken(kplus.Secret.fromSecretName(chart, 'ClientToken', 'agents-client-token'));

  const billing = new AgentRuntime(chart, 'Billing', {
    metadata: { name: 'billing' },
    provider,
    promptPack,
    toolRegistry,
    externalAuth: clients,
    facades: [
      Facade.websocket(),
      Facade.a2a({ agentCard: { name: 'Billing', description: 'Invoices, refunds and payment questions', skills: [{ id: 'refunds', name: 'Refunds' }] } }),
    ],
  });

  new AgentRuntime(chart, 'Support', {
    metadata: { name: 'support' },
    provider,
    promptPack,
    toolRegistry,
    externalAuth: clients,
    facades: [
      Facade.websocket({ drainTimeout: Duration.minutes(1), clientToolTimeout: Duration.seconds(90) }),
      Facade.a2a({
        port: 9100,
        agentCard: {
          name: 'Support',
          description: 'Answers customers about their orders',
          version: '1.0.0',
          organization: 'Example Shop',
          skills: [{ id: 'orders', name: 'Order status', tags: ['orders'], examples: ['Where is order 1234?'] }],
          capabilities: { streaming: true },
          defaultInputModes: ['text'],
          defaultOutputModes: ['text'],
        },
        taskTtl: Duration.hours(2),
        conversationTtl: Duration.minutes(45),
        clients: [A2aClient.agentRuntime('billing', billing, { exposeAsTools: true })],
      }),
    ],
  });
};
