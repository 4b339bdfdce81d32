import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { release } from '../lib';

/**
 * What a platform team sets up around the release's agents, with the typed `release` classes: a Workspace and
 * the memory and session retention policies, which are cluster-scoped (a chart without a namespace holds
 * them), and in the agents' namespace a SkillSource, an AgentPolicy and a ToolPolicy (a chart of its own).
 */
export class ReleasePlatformChart extends Chart {
  /** The chart of the objects in the agents' namespace. */
  public readonly policies: Chart;

  public constructor(scope: Construct, id: string, agentsNamespace: string) {
    super(scope, id);
    new release.Workspace(this, 'Workspace', {
      metadata: { name: 'support' },
      spec: {
        displayName: 'Customer support',
        // The namespace exists already (the agents' chart makes it): the workspace adopts it.
        namespace: { name: agentsNamespace, create: false },
      },
    });
    new release.MemoryPolicy(this, 'MemoryPolicy', {
      metadata: { name: 'default' },
      spec: {
        tiers: {
          agent: { mode: release.MemoryPolicySpecTiersAgentMode.COMPOSITE, ttl: { default: '180d', maxAge: '365d' } },
          user: { mode: release.MemoryPolicySpecTiersUserMode.TTL, ttl: { default: '90d' } },
        },
      },
    });
    new release.SessionRetentionPolicy(this, 'SessionRetention', {
      metadata: { name: 'default' },
      spec: { hotCache: { enabled: true, ttlAfterInactive: '24h', maxSessions: 10000 } },
    });

    const agents = new Chart(scope, `${id}-policies`, { namespace: agentsNamespace });
    agents.addDependency(this);
    this.policies = agents;
    new release.SkillSource(agents, 'Skills', {
      metadata: { name: 'support-skills' },
      spec: { type: release.SkillSourceSpecType.CONFIGMAP, configMap: { name: 'support-skills' }, interval: '10m' },
    });
    new release.AgentPolicy(agents, 'AgentPolicy', {
      metadata: { name: 'support-tools-only' },
      spec: { mode: release.AgentPolicySpecMode.ENFORCE, selector: { agents: ['support'] } },
    });
    new release.ToolPolicy(agents, 'ToolPolicy', {
      metadata: { name: 'no-bulk-refunds' },
      spec: {
        selector: { registry: 'support-tools' },
        rules: [{ name: 'refund-limit', deny: { cel: 'has(body.amount) && body.amount > 500', message: 'refunds over 500 need a person' } }],
      },
    });
  }
}
