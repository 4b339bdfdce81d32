import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentRuntime, ExternalAuth, Facade, OmniaApiTarget, OmniaHelmResolver, OmniaOperator, OmniaTarget, PromptPack, Provider, ProviderCredential,
  ProviderType, SecretKey, Session, ToolHandler, ToolRegistry,
} from '../lib';
import { ReleasePlatformChart } from './release-platform';

/** An OpenAI-compatible model server in the cluster (`npm run test:cluster` answers there with a stand-in). */
export const MODEL_SERVER = 'http://llm.models.svc.cluster.local:8000/v1';
/** The order service the agents' tool calls (the cluster test serves it). */
export const ORDER_SERVICE = 'http://orders.shop.svc.cluster.local/lookup';

/** What a run of the release example may change. */
export interface ReleaseAppOptions {
  /** The support agent's replicas (2): a change of the program, as the Helm upgrade of the cluster tests makes. */
  readonly supportReplicas?: number;
}

/**
 * Omnia as released (v0.9.0-beta.17) and four agents (one open to every client, for development), from the same L2 props as the other examples: the app
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
    metadata: { name: 'platform-llm' },
    type: ProviderType.OPENAI,
    model: 'platform-model',
    baseUrl: MODEL_SERVER,
    credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(platform, 'Credentials', 'platform-credentials'), 'api-key')),
  });

  const agents = agentsChart(app, 'release-agents', operator);
  // The credentials are created by whoever owns them, never written here.
  const credentials = kplus.Secret.fromSecretName(agents, 'Credentials', 'provider-credentials');
  // One Provider, used by the agents of both charts: the other namespace's agent refers to it with its namespace.
  const provider = new Provider(agents, 'Provider', {
    metadata: { name: 'support-llm' },
    type: ProviderType.OPENAI,
    model: 'support-model',
    baseUrl: MODEL_SERVER,
    credential: ProviderCredential.fromSecretKey(SecretKey.of(credentials, 'api-key')),
  });
  const support = new AgentRuntime(agents, 'Support', {
    metadata: { name: 'support' },
    provider,
    promptPack: prompts(agents),
    toolRegistry: orderTools(agents),
    // The release's facade lets no client in without a check: here a token its clients share.
    externalAuth: ExternalAuth.sharedToken(kplus.Secret.fromSecretName(agents, 'ClientToken', 'support-client-token')),
    replicas: options.supportReplicas ?? 2,
  });

  const triage = agentsChart(app, 'release-triage', operator);
  const triagePrompts = prompts(triage);
  // The pack's prompt calls order_lookup: the agents of this namespace have a registry of their own that provides it.
  const triageTools = orderTools(triage);
  const triageClients = ExternalAuth.sharedToken(kplus.Secret.fromSecretName(triage, 'ClientToken', 'triage-client-token'));
  new AgentRuntime(triage, 'Triage', {
    metadata: { name: 'triage' },
    provider,
    promptPack: triagePrompts,
    toolRegistry: triageTools,
    facade: Facade.websocket({ port: 9090 }),
    // Conversations kept in redis, shared by the agent's pods.
    session: Session.redis({ url: SecretKey.of(kplus.Secret.fromSecretName(triage, 'SessionStore', 'session-store'), 'url') }),
    externalAuth: triageClients,
  });
  new AgentRuntime(triage, 'Escalation', {
    metadata: { name: 'escalation' },
    provider: Provider.fromProviderName(triage, 'PlatformProvider', 'platform-llm', { namespace: 'omnia-system', secretNames: ['platform-credentials'] }),
    promptPack: triagePrompts,
    toolRegistry: triageTools,
    externalAuth: triageClients,
  });
  // A development agent that lets every client in: with the release that is a choice the program shows
  // (ExternalAuth.allowUnauthenticated()), never what an agent without externalAuth gets (no client at all).
  new AgentRuntime(triage, 'Playground', {
    metadata: { name: 'playground' },
    provider,
    promptPack: triagePrompts,
    toolRegistry: triageTools,
    externalAuth: ExternalAuth.allowUnauthenticated(),
  });
  // The Workspace, policies and skill source around the agents.
  new ReleasePlatformChart(app, 'release-platform', 'release-agents', support).addDependency(agents);
  return app;
}

/** A chart of agents in a namespace of its own, applied after the install. */
function agentsChart(app: App, namespace: string, operator: OmniaOperator): Chart {
  const chart = new Chart(app, namespace, { namespace });
  // Namespaces are cluster-scoped: a chart without a namespace holds this one, applied before the agents'.
  const namespaceChart = new Chart(app, `${namespace}-namespace`);
  namespaceChart.addDependency(operator);
  new kplus.Namespace(namespaceChart, 'Namespace', { metadata: { name: namespace } });
  chart.addDependency(namespaceChart);
  return chart;
}

/** The registry of the order service's tool, in the chart's namespace (shared with the features examples). */
export function orderTools(chart: Chart, name = 'support-tools'): ToolRegistry {
  return new ToolRegistry(chart, 'Tools', {
    metadata: { name },
    handlers: [ToolHandler.http({
      name: 'orders',
      endpoint: ORDER_SERVICE,
      tool: {
        name: 'order_lookup',
        description: 'Looks an order up by its id: status and delivery date.',
        inputSchema: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
      },
    })],
  });
}

/** The pack of the examples, in the chart's namespace (the release reads a pack in the agent's own). */
export function prompts(chart: Chart, name = 'support-prompts'): PromptPack {
  return PromptPack.fromFile(chart, 'Prompts', {
    metadata: { name },
    file: path.join(__dirname, 'prompts', 'support-release.json'),
  });
}
