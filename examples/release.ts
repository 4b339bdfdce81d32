import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentRuntime, Facade, OmniaApiTarget, OmniaHelmResolver, OmniaOperator, OmniaTarget, PromptPack, Provider, ProviderCredential, ProviderType,
  SecretKey, ToolHandler, ToolRegistry,
} from '../lib';
import { ReleasePlatformChart } from './release-platform';

/** What a run of the release example may change. */
export interface ReleaseAppOptions {
  /** The support agent's replicas (2): a change of the program, as the Helm upgrade of the cluster tests makes. */
  readonly supportReplicas?: number;
}

/**
 * Omnia as released (v0.9.0-beta.17) and three agents, from the same L2 props as the other examples: the app
 * targets the release, so the agents render its shape (facades, Provider objects, context, runtime) and the
 * install is that release's: every CRD its manager needs, its RBAC and flags, the agent images pinned to
 * its version. Written to its own folder, since the target is app-wide.
 */
export function releaseApp(outdir: string, options: ReleaseAppOptions = {}): App {
  const app = new App({ outdir, resolvers: [new OmniaHelmResolver()] });
  OmniaTarget.use(app, OmniaApiTarget.V0_9_0_BETA_17);
  const operator = new OmniaOperator(app, 'omnia', { networkPolicy: true });

  // A platform team's Provider, in the operator's namespace. In a real cluster it belongs to that team's own
  // program; it is defined here so that the example runs anywhere, and the agents below refer to it by name.
  const platform = new Chart(app, 'platform-providers', { namespace: 'omnia-system' });
  platform.addDependency(operator);
  new Provider(platform, 'Provider', {
    metadata: { name: 'shared-mock' },
    type: ProviderType.MOCK,
    model: 'platform-model',
    credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(platform, 'Credentials', 'platform-credentials'), 'api-key')),
  });

  const agents = agentsChart(app, 'release-agents', operator);
  // The credentials are created by whoever owns them, never written here.
  const credentials = kplus.Secret.fromSecretName(agents, 'Credentials', 'provider-credentials');
  // The operator's mock provider answers without a model service: the agents run anywhere. One Provider,
  // used by the agents of both charts: the other namespace's agent refers to it with its namespace.
  const provider = new Provider(agents, 'Provider', {
    metadata: { name: 'support-mock' },
    type: ProviderType.MOCK,
    model: 'support-model',
    credential: ProviderCredential.fromSecretKey(SecretKey.of(credentials, 'api-key')),
  });
  // The pack's prompts call order_lookup: every agent below uses this registry, which provides it (the other
  // namespace's agents refer to it with its namespace).
  const tools = new ToolRegistry(agents, 'Tools', {
    metadata: { name: 'support-tools' },
    handlers: [
      ToolHandler.http({
        name: 'order-lookup',
        endpoint: 'http://orders.shop.svc:8080/v1/orders',
        tool: { name: 'order_lookup', description: 'Finds an order by its id.', inputSchema: { type: 'object', properties: { orderId: { type: 'string' } } } },
      }),
      ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb.tools.svc:8000/mcp' }),
    ],
  });
  new AgentRuntime(agents, 'Support', {
    metadata: { name: 'support' },
    provider,
    promptPack: prompts(agents),
    toolRegistry: tools,
    replicas: options.supportReplicas ?? 2,
  });

  const triage = agentsChart(app, 'release-triage', operator);
  const triagePrompts = prompts(triage);
  new AgentRuntime(triage, 'Triage', {
    metadata: { name: 'triage' },
    provider,
    promptPack: triagePrompts,
    toolRegistry: tools,
    facade: Facade.websocket({ port: 9090 }),
  });
  new AgentRuntime(triage, 'Escalation', {
    metadata: { name: 'escalation' },
    provider: Provider.fromProviderName(triage, 'PlatformProvider', 'shared-mock', { namespace: 'omnia-system', secretNames: ['platform-credentials'] }),
    promptPack: triagePrompts,
    toolRegistry: tools,
  });
  // The Workspace, policies and skill source around the agents, with the typed release classes.
  new ReleasePlatformChart(app, 'release-platform', 'release-agents').addDependency(agents);
  return app;
}

/** A chart of agents in a namespace of its own, applied after the install. */
function agentsChart(app: App, namespace: string, operator: OmniaOperator): Chart {
  const chart = new Chart(app, namespace, { namespace });
  chart.addDependency(operator);
  // Namespaces are cluster-scoped: drop the chart's namespace from this one object.
  ApiObject.of(new kplus.Namespace(chart, 'Namespace', { metadata: { name: namespace } })).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return chart;
}

/** The pack of the examples, in the chart's namespace (the release reads a pack in the agent's own). */
function prompts(chart: Chart): PromptPack {
  return PromptPack.fromFile(chart, 'Prompts', {
    metadata: { name: 'support-prompts' },
    file: path.join(__dirname, 'prompts', 'customer-service.json'),
  });
}
