import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AgentPolicy, AgentPolicyMode, IAgentRuntime, MemoryPolicy, MemoryRetentionMode, SessionRetentionPolicy, SkillOrigin, SkillSource, Workspace,
  WorkspaceEnvironment,
} from '../lib';

/**
 * What a platform team sets up around the release's agents, with the L2 constructs: a Workspace and the
 * memory and session retention policies, which are cluster-scoped (a chart without a namespace holds them),
 * and in the agents' namespace a SkillSource and an AgentPolicy on the support agent (a chart of its own).
 * A ToolPolicy needs the enterprise edition: see the enterprise example.
 */
export class ReleasePlatformChart extends Chart {
  /** The chart of the objects in the agents' namespace. */
  public readonly policies: Chart;

  public constructor(scope: Construct, id: string, agentsNamespace: string, support: IAgentRuntime) {
    super(scope, id);
    new Workspace(this, 'Workspace', {
      metadata: { name: 'support' },
      displayName: 'Customer support',
      environment: WorkspaceEnvironment.PRODUCTION,
      // The namespace exists already (the agents' chart makes it): the workspace adopts it.
      namespace: agentsNamespace,
    });
    new MemoryPolicy(this, 'MemoryPolicy', {
      metadata: { name: 'default' },
      agent: { mode: MemoryRetentionMode.COMPOSITE, ttl: { defaultTtl: Duration.days(180), maxAge: Duration.days(365) } },
      user: { mode: MemoryRetentionMode.TTL, ttl: { defaultTtl: Duration.days(90) } },
    });
    new SessionRetentionPolicy(this, 'SessionRetention', {
      metadata: { name: 'default' },
      hotCache: { ttlAfterInactive: Duration.hours(24), maxSessions: 10000 },
    });

    const agents = new Chart(scope, `${id}-policies`, { namespace: agentsNamespace });
    agents.addDependency(this);
    this.policies = agents;
    new SkillSource(agents, 'Skills', {
      metadata: { name: 'support-skills' },
      // The team that writes the skills keeps them in this ConfigMap, outside this program.
      origin: SkillOrigin.configMap(kplus.ConfigMap.fromConfigMapName(agents, 'SkillFiles', 'support-skills')),
      interval: Duration.minutes(10),
    });
    new AgentPolicy(agents, 'AgentPolicy', {
      metadata: { name: 'support-tools-only' },
      agents: [support],
      mode: AgentPolicyMode.ENFORCE,
    });
  }
}
