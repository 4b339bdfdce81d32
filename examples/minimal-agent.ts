import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AgentRuntime, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey } from '../lib';

/** The smallest useful agent: a Claude model, an existing prompt pack, every other setting defaulted. */
export class MinimalAgentChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'agents' });
    const apiKey = kplus.Secret.fromSecretName(this, 'AnthropicKey', 'anthropic-credentials');
    new AgentRuntime(this, 'Agent', {
      metadata: { name: 'hello-agent' },
      provider: new Provider(this, 'Claude', {
        metadata: { name: 'claude-sonnet' },
        type: ProviderType.CLAUDE,
        model: 'claude-sonnet-4',
        credential: ProviderCredential.fromSecretKey(SecretKey.of(apiKey, 'api-key')),
      }),
      promptPack: PromptPack.fromName(this, 'Prompts', 'hello-prompts'),
    });
  }
}
