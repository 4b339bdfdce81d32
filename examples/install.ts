import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentRuntime, OmniaOperator, OmniaOperatorProps, PromptPack, Provider, ProviderCredential, ProviderType, SecretKey, ToolHandler, ToolRegistry,
} from '../lib';

/**
 * Installs Omnia and one agent from the same program: the CRDs chart, then the operator chart, then the
 * agent's chart, which depends on the operator so it is written (and applied) last. For an app that targets
 * the documented API (`OmniaTarget.use(app, OmniaApiTarget.DOCUMENTED)` first).
 */
export function addInstallExample(app: App, operatorProps: OmniaOperatorProps = {}): { operator: OmniaOperator; agents: Chart } {
  const operator = new OmniaOperator(app, 'omnia', {
    // The documented API has no released operator: this is one built for it (see examples/release.ts for
    // the released operator, which needs no image).
    image: 'registry.example.com/platform/omnia-operator',
    tag: '1.0.0',
    podDisruptionBudget: true,
    networkPolicy: true,
    ...operatorProps,
  });

  // Namespaces are cluster-scoped: a chart without a namespace holds this one, applied before the agent's.
  const namespace = new Chart(app, 'omnia-agents-namespace');
  namespace.addDependency(operator);
  new kplus.Namespace(namespace, 'Namespace', { metadata: { name: 'support' } });
  const agents = new Chart(app, 'omnia-agents', { namespace: 'support' });
  agents.addDependency(operator, namespace);

  const apiKey = kplus.Secret.fromSecretName(agents, 'ApiKey', 'anthropic-credentials');
  const agent = new AgentRuntime(agents, 'Agent', {
    metadata: { name: 'support' },
    provider: new Provider(agents, 'Claude', {
      metadata: { name: 'claude-sonnet' },
      type: ProviderType.CLAUDE,
      model: 'claude-sonnet-4',
      credential: ProviderCredential.fromSecretKey(SecretKey.of(apiKey, 'api-key')),
    }),
    promptPack: PromptPack.fromFile(agents, 'Prompts', {
      metadata: { name: 'support-prompts' },
      file: path.join(__dirname, 'prompts', 'customer-service.json'),
    }),
    // The pack's prompts call order_lookup: the registry provides it.
    toolRegistry: new ToolRegistry(agents, 'Tools', {
      metadata: { name: 'support-tools' },
      handlers: [ToolHandler.http({
        name: 'order-lookup',
        endpoint: 'http://orders.shop.svc:8080/v1/orders',
        tool: { name: 'order_lookup', description: 'Finds an order by its id.', inputSchema: { type: 'object', properties: { orderId: { type: 'string' } } } },
      })],
    }),
  });
  // Production companions, one line each: an HPA on the AgentRuntime's scale subresource, a disruption
  // budget and a NetworkPolicy that admits only the web frontend.
  agent.autoscale({ minReplicas: 2, maxReplicas: 10, cpuTargetUtilization: 70 });
  agent.addDisruptionBudget();
  agent.isolateNetwork({ allowFrom: [kplus.Pods.select(agents, 'Frontend', { labels: { app: 'support-web' } })] });
  return { operator, agents };
}
