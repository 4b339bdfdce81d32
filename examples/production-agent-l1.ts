import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { l1, OmniaValidation, PromptPack, ToolRegistry } from '../lib';

/**
 * The complete example of the AgentRuntime reference, written with the generated L1 class:
 * three replicas of an OpenAI agent with a redis session store.
 */
export class ProductionAgentL1Chart extends Chart {
  public constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'agents', ...props });
    // L1 objects are checked at synth once the checks are on; the pack and registry live outside the app.
    OmniaValidation.enable(this);
    PromptPack.fromName(this, 'Prompts', 'customer-service-prompts');
    ToolRegistry.fromName(this, 'Tools', 'service-tools');

    new l1.AgentRuntime(this, 'production-agent', {
      metadata: { name: 'production-agent' },
      spec: {
        replicas: 3,
        provider: {
          name: l1.AgentRuntimeSpecProviderName.OPENAI,
          model: 'gpt-4-turbo',
          apiKeySecretRef: { name: 'openai-credentials', key: 'api-key' },
        },
        promptPackRef: { name: 'customer-service-prompts' },
        toolRegistryRef: { name: 'service-tools' },
        facade: { type: l1.AgentRuntimeSpecFacadeType.WEBSOCKET, port: 8080 },
        session: {
          type: l1.AgentRuntimeSpecSessionType.REDIS,
          ttl: '24h',
          storeRef: { name: 'redis-credentials', key: 'url' },
        },
        resources: {
          requests: {
            cpu: l1.AgentRuntimeSpecResourcesRequests.fromString('500m'),
            memory: l1.AgentRuntimeSpecResourcesRequests.fromString('256Mi'),
          },
          limits: {
            cpu: l1.AgentRuntimeSpecResourcesLimits.fromString('1000m'),
            memory: l1.AgentRuntimeSpecResourcesLimits.fromString('512Mi'),
          },
        },
        env: [{ name: 'LOG_LEVEL', value: 'info' }],
      },
    });
  }
}
