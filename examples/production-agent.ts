import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AgentRuntime, Facade, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey, Session, ToolRegistry } from '../lib';

/**
 * The complete example of the AgentRuntime reference, built with the L2 constructs. The prompt pack, the
 * tool registry and both Secrets already exist in the cluster, so only the AgentRuntime is synthesized.
 */
export class ProductionAgentChart extends Chart {
  public readonly agent: AgentRuntime;

  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'agents' });
    const openai = kplus.Secret.fromSecretName(this, 'OpenAIKey', 'openai-credentials');
    const redis = kplus.Secret.fromSecretName(this, 'Redis', 'redis-credentials');

    this.agent = new AgentRuntime(this, 'Agent', {
      metadata: { name: 'production-agent' },
      replicas: 3,
      provider: new Provider(this, 'OpenAI', {
        metadata: { name: 'openai-gpt-4-turbo' },
        type: ProviderType.OPENAI,
        model: 'gpt-4-turbo',
        credential: ProviderCredential.fromSecretKey(SecretKey.of(openai, 'api-key')),
      }),
      promptPack: PromptPack.fromName(this, 'Prompts', 'customer-service-prompts'),
      toolRegistry: ToolRegistry.fromName(this, 'Tools', 'service-tools'),
      facade: Facade.websocket({ port: 8080 }),
      session: Session.redis({ ttl: Duration.hours(24), url: SecretKey.of(redis, 'url') }),
      resources: {
        cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.millis(1000) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
      env: { LOG_LEVEL: kplus.EnvValue.fromValue('info') },
    });
  }
}
