import * as path from 'path';
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AgentCompanions, AgentRuntime, HttpMethod, PromptPack, Provider, ProviderCredential, ProviderType, Rollout, SecretKey, Session,
  ToolHandler, ToolRegistry,
} from '../lib';

/**
 * Two agents of one shop: a support agent and a billing agent. They share one ToolRegistry (an in-cluster
 * orders API and a knowledge-base MCP server), one redis session store and one PromptPack read from
 * `prompts/customer-service.json`.
 */
export class MultiAgentChart extends Chart {
  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'shop' });

    const openai = kplus.Secret.fromSecretName(this, 'OpenAIKey', 'openai-credentials');
    const redis = kplus.Secret.fromSecretName(this, 'Redis', 'redis-credentials');
    const orders = new kplus.Service(this, 'Orders', {
      metadata: { name: 'orders' },
      selector: kplus.Pods.select(this, 'OrdersPods', { labels: { app: 'orders' } }),
      ports: [{ port: 8080 }],
    });

    const prompts = PromptPack.fromFile(this, 'Prompts', {
      metadata: { name: 'customer-service' },
      file: path.join(__dirname, 'prompts', 'customer-service.json'),
      rollout: Rollout.canary(20),
    });

    const tools = new ToolRegistry(this, 'Tools', {
      metadata: { name: 'shop-tools' },
      handlers: [
        ToolHandler.http({
          name: 'order-lookup',
          service: orders,
          path: '/v1/orders',
          method: HttpMethod.GET,
          timeout: Duration.seconds(10),
          tool: {
            name: 'order_lookup',
            description: 'Finds an order by its id and returns its items, status and total.',
            inputSchema: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
          },
        }),
        ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb.tools.svc:8000/mcp' }),
      ],
    });

    // Every agent of this chart gets a disruption budget and an isolated network.
    AgentCompanions.applyTo(this, {
      disruptionBudget: { maxUnavailable: 1 },
      networkIsolation: { allowFrom: [kplus.Namespaces.select(this, 'Gateway', { names: ['gateway'] })] },
    });
    const session = Session.redis({ ttl: Duration.hours(8), url: SecretKey.of(redis, 'url') });
    for (const [name, model] of [['support', 'gpt-4o'], ['billing', 'gpt-4o-mini']]) {
      new AgentRuntime(this, name, {
        metadata: { name: `${name}-agent` },
        replicas: 2,
        provider: new Provider(this, `${name}-provider`, {
          metadata: { name: `openai-${model}` },
          type: ProviderType.OPENAI,
          model,
          credential: ProviderCredential.fromSecretKey(SecretKey.of(openai, 'api-key')),
        }),
        promptPack: prompts,
        toolRegistry: tools,
        session,
      });
    }
  }
}
