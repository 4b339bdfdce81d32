import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { AutoscaleOptions, DisruptionBudgetOptions, NetworkIsolationOptions } from './agent-companion-options';
import { invalidProp } from './errors';

const k8s = kplus.k8s;

/** What the companions need to know of an agent; implemented by AgentRuntime. */
export interface IAgentForCompanions extends IConstruct {
  /** metadata.name of the agent. */
  readonly name: string;
  /** Labels the operator puts on the agent's pods. */
  readonly podSelectorLabels: { [key: string]: string };
}

/** The autoscaling/v2 HorizontalPodAutoscaler that drives the AgentRuntime through its scale subresource. */
export function createAutoscaler(agent: IAgentForCompanions, options: AutoscaleOptions): kplus.k8s.KubeHorizontalPodAutoscalerV2 {
  const min = options.minReplicas ?? 1;
  const max = options.maxReplicas;
  const check = (ok: boolean, field: string, reason: string) => {
    if (!ok) throw invalidProp(agent, `autoscale.${field}`, reason);
  };
  check(Number.isInteger(max) && max >= 1, 'maxReplicas', `must be a whole number >= 1, got ${max}`);
  check(Number.isInteger(min) && min >= 1, 'minReplicas',
    `must be a whole number >= 1, got ${min} (an HPA scales to zero only with the alpha HPAScaleToZero feature gate and an external metric)`);
  check(min <= max, 'minReplicas', `${min} is above maxReplicas ${max}`);
  const percent = (value: number | undefined, field: string) => {
    if (value !== undefined) check(Number.isInteger(value) && value >= 1 && value <= 100, field, `must be a percentage from 1 to 100, got ${value}`);
  };
  percent(options.cpuTargetUtilization, 'cpuTargetUtilization');
  percent(options.memoryTargetUtilization, 'memoryTargetUtilization');
  const utilization = (name: string, averageUtilization: number) => ({
    type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } },
  });
  return new k8s.KubeHorizontalPodAutoscalerV2(agent, 'Autoscaler', {
    metadata: { name: agent.name },
    spec: {
      // The AgentRuntime itself, through the CRD's scale subresource: the HPA and the operator never
      // both own a Deployment's replica count.
      scaleTargetRef: { apiVersion: 'omnia.altairalabs.ai/v1alpha1', kind: 'AgentRuntime', name: agent.name },
      minReplicas: min,
      maxReplicas: max,
      metrics: [
        utilization('cpu', options.cpuTargetUtilization ?? 80),
        ...(options.memoryTargetUtilization === undefined ? [] : [utilization('memory', options.memoryTargetUtilization)]),
      ],
      behavior: {
        scaleDown: { stabilizationWindowSeconds: (options.scaleDownStabilization ?? Duration.minutes(5)).toSeconds() },
      },
    },
  });
}

/** A policy/v1 PodDisruptionBudget over exactly the agent's pods; refuses budgets that block every eviction. */
export function createDisruptionBudget(agent: IAgentForCompanions, options: DisruptionBudgetOptions, podsAtLeast: number | undefined): kplus.k8s.KubePodDisruptionBudget {
  const { maxUnavailable, minAvailable } = options;
  const fail = (field: string, reason: string) => invalidProp(agent, `disruptionBudget.${field}`, reason);
  if (maxUnavailable !== undefined && minAvailable !== undefined) throw fail('minAvailable', 'give maxUnavailable or minAvailable, not both');
  let budget: { maxUnavailable?: kplus.k8s.IntOrString; minAvailable?: kplus.k8s.IntOrString };
  if (minAvailable !== undefined) {
    if (!Number.isInteger(minAvailable) || minAvailable < 0) throw fail('minAvailable', `must be a whole number >= 0, got ${minAvailable}`);
    if (podsAtLeast !== undefined && minAvailable >= podsAtLeast) {
      throw fail('minAvailable', `${minAvailable} with ${podsAtLeast} agent pod(s) would block every eviction, so nodes could never be drained; use maxUnavailable or a smaller minAvailable`);
    }
    budget = { minAvailable: k8s.IntOrString.fromNumber(minAvailable) };
  } else {
    const max = maxUnavailable ?? 1;
    if (!Number.isInteger(max) || max < 1) throw fail('maxUnavailable', `must be a whole number >= 1 (0 would block every eviction), got ${max}`);
    budget = { maxUnavailable: k8s.IntOrString.fromNumber(max) };
  }
  return new k8s.KubePodDisruptionBudget(agent, 'DisruptionBudget', {
    metadata: { name: agent.name },
    spec: { ...budget, selector: { matchLabels: agent.podSelectorLabels } },
  });
}

/** Where an agent must be able to connect, derived from what it references. */
export interface AgentEgressNeeds {
  readonly facadePort: number;
  readonly redis: boolean;
  /** In-cluster tool endpoints: namespace and TCP port. */
  readonly tools: Array<{ namespace: string; port: number }>;
}

/**
 * A NetworkPolicy over the agent's pods: ingress only on the facade port from the given peers; egress only
 * to DNS, the provider, the session store (redis) and the in-cluster tools of its ToolRegistry.
 */
export function createNetworkPolicy(agent: IAgentForCompanions, options: NetworkIsolationOptions, needs: AgentEgressNeeds): kplus.NetworkPolicy {
  const scope = new Construct(agent, 'NetworkIsolation');
  const policy = new kplus.NetworkPolicy(scope, 'Policy', {
    metadata: { name: agent.name },
    selector: kplus.Pods.select(scope, 'AgentPods', { labels: agent.podSelectorLabels }),
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  for (const peer of options.allowFrom ?? []) policy.addIngressRule(peer, [kplus.NetworkPolicyPort.tcp(needs.facadePort)]);

  const dns = kplus.Pods.select(scope, 'Dns', {
    labels: { 'k8s-app': 'kube-dns' },
    namespaces: kplus.Namespaces.select(scope, 'KubeSystem', { names: ['kube-system'] }),
  });
  policy.addEgressRule(dns, [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)]);
  policy.addEgressRule(options.providerPeer ?? kplus.NetworkPolicyIpBlock.anyIpv4(scope, 'Provider'), [kplus.NetworkPolicyPort.tcp(options.providerPort ?? 443)]);
  if (needs.redis) {
    policy.addEgressRule(options.sessionStorePeer ?? kplus.Namespaces.all(scope, 'SessionStore'), [kplus.NetworkPolicyPort.tcp(options.sessionStorePort ?? 6379)]);
  }
  const seen = new Set<string>();
  for (const tool of needs.tools) {
    const key = `${tool.namespace}:${tool.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const namespace = kplus.Namespaces.select(scope, `Tools-${tool.namespace}-${tool.port}`, { names: [tool.namespace] });
    policy.addEgressRule(namespace, [kplus.NetworkPolicyPort.tcp(tool.port)]);
  }
  return policy;
}

/**
 * The in-cluster destination of a tool endpoint (`http://svc.ns.svc:8080/x`, `svc.ns.svc.cluster.local:50051`,
 * or a bare Service name such as `stock:50051`, which resolves in the caller's namespace), or undefined for
 * endpoints outside the cluster.
 */
export function inClusterEndpoint(endpoint: string, defaultNamespace: string): { namespace: string; port: number } | undefined {
  const match = /^(?:(https?):\/\/)?([a-z0-9-]+)((?:\.([a-z0-9-]+))?\.svc(?:\.cluster\.local)?)?(?::(\d+))?(?:[/?#]|$)/.exec(endpoint);
  if (!match || match[2] === 'localhost') return undefined;
  const [, scheme, , , namespace, port] = match;
  return { namespace: namespace ?? defaultNamespace, port: port ? Number(port) : scheme === 'https' ? 443 : 80 };
}
