import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { FeatureExample } from '../release-features';
import {
  AgentPolicy, ConsentRevocationAction, ExternalAuth, MemoryPolicy, MemoryRetentionMode, PolicyFailureAction, Provider,
  ProviderCredential, ProviderType, SecretKey, SessionRetentionPolicy, ToolAccessMode, Workspace, WorkspaceRole, WorkspaceServices, AgentRuntime,
} from '../../lib';
import { MODEL_SERVER, orderTools, prompts } from '../release';

/**
 * A team's Workspace whose session and memory services the operator runs with the platform's retention
 * policies, and an AgentPolicy that lets the team's agent call one tool only. The policies are cluster-scoped:
 * they are written without the chart's namespace. Without Istio in the cluster the AgentPolicy cannot be
 * enforced; `onFailure: ALLOW` keeps it inactive instead of failing.
 */
export const policies: FeatureExample = (chart: Chart): void => {
  const namespace = chart.namespace!;
  const memory = new MemoryPolicy(chart, 'Memory', {
    metadata: { name: 'policies-memory' },
    institutional: { mode: MemoryRetentionMode.MANUAL },
    agent: { mode: MemoryRetentionMode.COMPOSITE, ttl: { defaultTtl: Duration.days(180) }, decay: { halfLife: Duration.days(60) }, lru: {} },
    user: {
      mode: MemoryRetentionMode.TTL,
      ttl: { defaultTtl: Duration.days(90), maxAge: Duration.days(365) },
      perCategory: { 'memory:health': { mode: MemoryRetentionMode.TTL, ttl: { defaultTtl: Duration.days(30) } } },
    },
    consentRevocation: { action: ConsentRevocationAction.SOFT_DELETE, grace: Duration.days(3) },
    tierPrecedence: { user: 1.5 },
  });
  const sessions = new SessionRetentionPolicy(chart, 'Sessions', {
    metadata: { name: 'policies-sessions' },
    hotCache: { ttlAfterInactive: Duration.hours(12), maxMessagesPerSession: 200 },
    warmStore: { retention: Duration.days(30) },
    coldArchive: { retention: Duration.days(365) },
  });
  // The database's owner creates it (key POSTGRES_CONN); it is never written here.
  const database = kplus.Secret.fromSecretName(chart, 'Database', 'policies-postgres');
  new Workspace(chart, 'Workspace', {
    metadata: { name: 'policies' },
    displayName: 'Policies team',
    namespace,
    roleBindings: [{ role: WorkspaceRole.EDITOR, groups: ['policies-engineers'] }],
    costControls: { monthlyBudget: 500, alertThresholds: [{ percent: 80 }] },
    services: [WorkspaceServices.managed({ name: 'default', sessionDatabase: database, memoryDatabase: database, memoryPolicy: memory, sessionRetentionPolicy: sessions })],
  });

  const tools = orderTools(chart, 'policies-tools');
  const agent = new AgentRuntime(chart, 'Agent', {
    metadata: { name: 'policies-agent' },
    provider: new Provider(chart, 'Provider', {
      metadata: { name: 'policies-llm' },
      type: ProviderType.OPENAI,
      model: 'support-model',
      baseUrl: MODEL_SERVER,
      credential: ProviderCredential.fromSecretKey(SecretKey.of(kplus.Secret.fromSecretName(chart, 'Credentials', 'provider-credentials'), 'api-key')),
    }),
    promptPack: prompts(chart, 'policies-prompts'),
    toolRegistry: tools,
    externalAuth: ExternalAuth.sharedToken(kplus.Secret.fromSecretName(chart, 'ClientToken', 'policies-client-token')),
  });
  new AgentPolicy(chart, 'AgentPolicy', {
    metadata: { name: 'orders-only' },
    agents: [agent],
    toolAccess: { mode: ToolAccessMode.ALLOWLIST, rules: [{ registry: tools, tools: ['order_lookup'] }] },
    onFailure: PolicyFailureAction.ALLOW,
  });
};
