import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AgentRuntime, Facade, OmniaApiTarget, OmniaHelmResolver, OmniaOperator, OmniaTarget, PromptPack, Provider, SecretKey, ToolHandler, ToolRegistry,
} from '../lib';
import { ReleasePlatformChart } from './release-platform';

/**
 * Omnia as released (v0.9.0-beta.17) and two agents, from the same L2 props as the other examples: the app
 * targets the release, so the agents render its shape (facades, Provider objects, context, runtime) and the
 * install is that release's: every CRD its manager needs, its RBAC and flags, the agent images pinned to
 * its version. Written to its own folder, since the target is app-wide.
 */
export function releaseApp(outdir: string): App {
  const app = new App({ outdir, resolvers: [new OmniaHelmResolver()] });
  OmniaTarget.use(app, OmniaApiTarget.V0_9_0_BETA_17);
  const operator = new OmniaOperator(app, 'omnia', { networkPolicy: true });

  const agents = new Chart(app, 'release-agents', { namespace: 'release-agents' });
  agents.addDependency(operator);
  // Namespaces are cluster-scoped: drop the chart's namespace from this one object.
  ApiObject.of(new kplus.Namespace(agents, 'Namespace', { metadata: { name: 'release-agents' } })).addJsonPatch(JsonPatch.remove('/metadata/namespace'));

  // The credentials are created by whoever owns them, never written here.
  const credentials = kplus.Secret.fromSecretName(agents, 'Credentials', 'provider-credentials');
  const prompts = PromptPack.fromFile(agents, 'Prompts', {
    metadata: { name: 'support-prompts' },
    file: path.join(__dirname, 'prompts', 'customer-service.json'),
  });
  const tools = new ToolRegistry(agents, 'Tools', {
    metadata: { name: 'support-tools' },
    handlers: [ToolHandler.mcp({ name: 'kb', endpoint: 'http://kb.tools.svc:8000/mcp' })],
  });
  // The operator's mock provider answers without a model service: the agents run anywhere.
  new AgentRuntime(agents, 'Support', {
    metadata: { name: 'support' },
    provider: Provider.mock({ model: 'support-model', apiKey: SecretKey.of(credentials, 'api-key') }),
    promptPack: prompts,
    toolRegistry: tools,
    replicas: 2,
  });
  new AgentRuntime(agents, 'Triage', {
    metadata: { name: 'triage' },
    provider: Provider.mock({ model: 'triage-model', apiKey: SecretKey.of(credentials, 'api-key') }),
    promptPack: prompts,
    facade: Facade.websocket({ port: 9090 }),
  });
  // The Workspace, policies and skill source around the agents, with the typed release classes.
  new ReleasePlatformChart(app, 'release-platform', 'release-agents').addDependency(agents);
  return app;
}
