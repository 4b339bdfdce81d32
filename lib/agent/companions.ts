import { ApiObject, ApiObjectMetadataDefinition, App, Chart, Duration, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { OMNIA_API_VERSION, OmniaApiTarget } from '../api';
import { AppState } from '../core/app-state';
import { invalidProp } from '../core/errors';
import { followStandardLabels } from '../core/labels';
import { recordCreationSite } from '../core/stack';
import { checkArguments } from '../core/jsii-types';
import { refusedByTarget } from '../core/target';
import { AgentCompanionOptions, AutoscaleOptions, DisruptionBudgetOptions, NetworkIsolationOptions } from './companion-options';
import { renderKeda } from './keda';

const k8s = kplus.k8s;

// Companions are declared, not executed: an agent records its own choices, `AgentCompanions.applyTo`
// records a scope's, and each companion object renders at synth from the choice that wins then (the
// agent's own, else the nearest scope's). So the order of the calls never matters.

/** The companions an agent chose itself. */
export interface CompanionChoices {
  autoscale?: AutoscaleOptions;
  disruptionBudget?: DisruptionBudgetOptions;
  networkIsolation?: NetworkIsolationOptions;
}

/** What the companions need of an agent; implemented by AgentRuntime. */
export interface CompanionAgent extends IConstruct {
  /** metadata.name of the agent. */
  readonly name: string;
  /** Metadata of the agent: its companions carry its recommended labels. */
  readonly metadata: ApiObjectMetadataDefinition;
  /** Labels the operator puts on the agent's pods. */
  readonly podSelectorLabels: { [key: string]: string };
  /** Whether the `replicas` prop was given: then no scope-wide autoscaling applies. */
  readonly replicasSetByUser: boolean;
  /** The pod count written to the manifest when the agent is not autoscaled. */
  readonly replicas: number;
  /** The Omnia API the agent is written for. */
  readonly target: OmniaApiTarget;
  /** @internal */
  readonly _companionChoices: CompanionChoices;
  /** @internal */
  _egressNeeds(): AgentEgressNeeds;
}

/** Where an agent must be able to connect, derived from what it references. */
export interface AgentEgressNeeds {
  /** The ports the agent's facades listen on in its pods. */
  readonly facadePorts: number[];
  readonly redis: boolean;
  /** Whether the agent's pods call the Kubernetes API. */
  readonly apiServer: boolean;
  /** In-cluster tool endpoints: namespace and TCP port. */
  readonly tools: Array<{ namespace: string; port: number }>;
}

const AGENT = Symbol.for('cdk8s-omnia.CompanionAgent');

/** Marks an agent as taking companions; called by AgentRuntime. */
export function registerCompanionAgent(agent: CompanionAgent): void {
  Object.defineProperty(agent, AGENT, { value: true });
  syncCompanions(agent);
}

const isAgent = (c: IConstruct): c is CompanionAgent => AGENT in c;

/**
 * An app-wide switch: the chosen companions for every AgentRuntime in a scope, those defined before and
 * after the call. What an agent chooses itself (`agent.autoscale(...)`) wins, whichever is called first;
 * between scopes, the nearest scope's choice wins.
 */
export class AgentCompanions {
  /** Gives every AgentRuntime under `scope` the chosen companions. */
  public static applyTo(scope: IConstruct, options: AgentCompanionOptions): void {
    checkArguments(scope?.node ? scope : 'AgentCompanions.applyTo', 'cdk8s-omnia.AgentCompanions', 'applyTo', [scope, options]);
    if (options.autoscale) checkAutoscale(scope, options.autoscale);
    if (options.disruptionBudget) checkBudget(scope, options.disruptionBudget);
    AppState.of(scope).companionDefaults.set(scope, options);
    for (const c of scope.node.findAll()) if (isAgent(c)) syncCompanions(c);
  }

  private constructor() {}
}

/** The choice of one companion that applies to an agent now: its own, else the nearest scope's. */
export function chosen<K extends keyof CompanionChoices>(agent: CompanionAgent, kind: K, state = AppState.find(agent)): CompanionChoices[K] {
  const own = agent._companionChoices[kind];
  if (own) return own;
  if (kind === 'autoscale' && agent.replicasSetByUser) return undefined;
  const defaults = state?.companionDefaults;
  if (!defaults?.size) return undefined;
  const scopes = agent.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const options = defaults.get(scopes[i]) as AgentCompanionOptions | undefined;
    if (options?.[kind]) return options[kind] as CompanionChoices[K];
  }
  return undefined;
}

/** Creates the companion objects an agent has a choice for and does not have yet; their content is lazy. */
export function syncCompanions(agent: CompanionAgent): void {
  const state = AppState.find(agent);
  if (agent.target !== OmniaApiTarget.DOCUMENTED) {
    // The release's operator makes an agent's autoscaler (from spec.runtime.autoscaling) and, for more
    // than one replica, its PodDisruptionBudget; a second budget over the same pods would block evictions.
    if (chosen(agent, 'disruptionBudget', state)) {
      throw invalidProp(agent, 'disruptionBudget', refusedByTarget(agent.target, 'a PodDisruptionBudget of our own (its operator makes one for every agent with more than one replica)'));
    }
    if (chosen(agent, 'networkIsolation', state) && !agent.node.tryFindChild('NetworkIsolation')) createNetworkPolicy(agent);
    return;
  }
  if (chosen(agent, 'autoscale', state)?.keda) throw invalidProp(agent, 'autoscale.keda', refusedByTarget(agent.target, 'KEDA autoscaling'));
  if (chosen(agent, 'autoscale', state) && !agent.node.tryFindChild('Autoscaler')) createAutoscaler(agent);
  if (chosen(agent, 'disruptionBudget', state) && !agent.node.tryFindChild('DisruptionBudget')) createDisruptionBudget(agent);
  if (chosen(agent, 'networkIsolation', state) && !agent.node.tryFindChild('NetworkIsolation')) createNetworkPolicy(agent);
}

/**
 * A companion, made where the call that chose it was (`agent.autoscale(...)`, `AgentCompanions.applyTo`), and
 * labelled as its agent is: a prune by the agent's `part-of` label never misses or removes it.
 */
function companion<T extends ApiObject>(agent: CompanionAgent, made: T): T {
  recordCreationSite(made, syncCompanions, true);
  followStandardLabels(agent.metadata, made.metadata);
  return made;
}

/** The smallest pod count of an agent, for disruption budgets: the autoscaler's minimum, or its replicas. */
export function fewestPods(agent: CompanionAgent): number {
  const autoscale = chosen(agent, 'autoscale');
  return autoscale ? autoscale.minReplicas ?? 1 : agent.replicas;
}

/** Refuses autoscaling options no HPA can have. */
export function checkAutoscale(scope: IConstruct, options: AutoscaleOptions): void {
  const min = options.minReplicas ?? 1;
  const max = options.maxReplicas;
  const check = (ok: boolean, field: string, reason: string) => {
    if (!ok) throw invalidProp(scope, `autoscale.${field}`, reason);
  };
  check(Number.isInteger(max) && max >= 1, 'maxReplicas', `must be a whole number >= 1, got ${max}`);
  if (options.keda) {
    // KEDA scales to zero; what follows is read by an HPA only.
    check(Number.isInteger(min) && min >= 0, 'minReplicas', `must be a whole number >= 0, got ${min}`);
    for (const field of ['cpuTargetUtilization', 'memoryTargetUtilization', 'scaleDownStabilization'] as const) {
      check(options[field] === undefined, field, 'applies to a HorizontalPodAutoscaler only, not to KEDA: drop it (KEDA scales on its triggers)');
    }
    renderKeda(scope, options.keda);
  } else {
    check(Number.isInteger(min) && min >= 1, 'minReplicas',
      `must be a whole number >= 1, got ${min} (an HPA scales to zero only with the alpha HPAScaleToZero feature gate and an external metric; KEDA can: autoscale.keda)`);
  }
  check(min <= max, 'minReplicas', `${min} is above maxReplicas ${max}`);
  const percent = (value: number | undefined, field: string) => {
    if (value !== undefined) check(Number.isInteger(value) && value >= 1 && value <= 100, field, `must be a percentage from 1 to 100, got ${value}`);
  };
  percent(options.cpuTargetUtilization, 'cpuTargetUtilization');
  percent(options.memoryTargetUtilization, 'memoryTargetUtilization');
}

/** Refuses budget options that are malformed on their own; `budgetProblem` checks them against the pod count. */
export function checkBudget(scope: IConstruct, options: DisruptionBudgetOptions): void {
  const { maxUnavailable, minAvailable } = options;
  const fail = (field: string, reason: string) => invalidProp(scope, `disruptionBudget.${field}`, reason);
  if (maxUnavailable !== undefined && minAvailable !== undefined) throw fail('minAvailable', 'give maxUnavailable or minAvailable, not both');
  if (minAvailable !== undefined && (!Number.isInteger(minAvailable) || minAvailable < 0)) throw fail('minAvailable', `must be a whole number >= 0, got ${minAvailable}`);
  const max = maxUnavailable ?? 1;
  if (minAvailable === undefined && (!Number.isInteger(max) || max < 1)) throw fail('maxUnavailable', `must be a whole number >= 1 (0 would block every eviction), got ${max}`);
}

/** A budget that would block every eviction of the agent's pods, as a problem of the agent; else undefined. */
export function budgetProblem(agent: CompanionAgent): { field: string; reason: string } | undefined {
  const budget = chosen(agent, 'disruptionBudget');
  if (budget?.minAvailable === undefined) return undefined;
  const pods = fewestPods(agent);
  if (budget.minAvailable < pods) return undefined;
  return {
    field: 'disruptionBudget.minAvailable',
    reason: `${budget.minAvailable} with ${pods} agent pod(s) would block every eviction, so nodes could never be drained; use maxUnavailable or a smaller minAvailable`,
  };
}

/** The autoscaling/v2 HorizontalPodAutoscaler that drives the AgentRuntime through its scale subresource. */
function createAutoscaler(agent: CompanionAgent): void {
  const utilization = (name: string, averageUtilization: number) => ({
    type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } },
  });
  companion(agent, new k8s.KubeHorizontalPodAutoscalerV2(agent, 'Autoscaler', {
    metadata: { name: agent.name },
    spec: Lazy.any({
      produce: () => {
        const options = chosen(agent, 'autoscale')!;
        return {
          // The AgentRuntime itself, through the CRD's scale subresource: the HPA and the operator never
          // both own a Deployment's replica count.
          scaleTargetRef: { apiVersion: OMNIA_API_VERSION, kind: 'AgentRuntime', name: agent.name },
          minReplicas: options.minReplicas ?? 1,
          maxReplicas: options.maxReplicas,
          metrics: [
            utilization('cpu', options.cpuTargetUtilization ?? 80),
            ...(options.memoryTargetUtilization === undefined ? [] : [utilization('memory', options.memoryTargetUtilization)]),
          ],
          behavior: {
            scaleDown: { stabilizationWindowSeconds: (options.scaleDownStabilization ?? Duration.minutes(5)).toSeconds() },
          },
        };
      },
    }) as any,
  }));
}

/** A policy/v1 PodDisruptionBudget over exactly the agent's pods. */
function createDisruptionBudget(agent: CompanionAgent): void {
  companion(agent, new k8s.KubePodDisruptionBudget(agent, 'DisruptionBudget', {
    metadata: { name: agent.name },
    spec: Lazy.any({
      produce: () => {
        const { minAvailable, maxUnavailable } = chosen(agent, 'disruptionBudget')!;
        const budget = minAvailable !== undefined
          ? { minAvailable: k8s.IntOrString.fromNumber(minAvailable) }
          : { maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable ?? 1) };
        return { ...budget, selector: { matchLabels: agent.podSelectorLabels } };
      },
    }) as any,
  }));
}

/**
 * A NetworkPolicy over the agent's pods: ingress only on its facades' ports from the given peers; egress only
 * to DNS, the provider, the session store (redis) and the in-cluster tools of its ToolRegistry, as they all
 * are at synth.
 */
function createNetworkPolicy(agent: CompanionAgent): void {
  companion(agent, new ApiObject(agent, 'NetworkIsolation', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: agent.name },
    spec: Lazy.any({ produce: () => networkPolicySpec(agent, chosen(agent, 'networkIsolation')!, agent._egressNeeds()) }),
  }));
}

// The rules are written with cdk8s-plus's NetworkPolicy, which turns peers into Kubernetes peers. It is
// made at synth in a scratch app of its own, since the rules depend on what the app holds by then; only
// its spec is kept.
function networkPolicySpec(agent: CompanionAgent, options: NetworkIsolationOptions, needs: AgentEgressNeeds): any {
  const scope = new Chart(new App(), 'scratch');
  const policy = new kplus.NetworkPolicy(scope, 'Policy', {
    selector: kplus.Pods.select(scope, 'AgentPods', { labels: agent.podSelectorLabels }),
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  for (const peer of options.allowFrom ?? []) policy.addIngressRule(peer, needs.facadePorts.map((port) => kplus.NetworkPolicyPort.tcp(port)));

  const dns = kplus.Pods.select(scope, 'Dns', {
    labels: { 'k8s-app': 'kube-dns' },
    namespaces: kplus.Namespaces.select(scope, 'KubeSystem', { names: ['kube-system'] }),
  });
  policy.addEgressRule(dns, [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)]);
  policy.addEgressRule(options.providerPeer ?? kplus.NetworkPolicyIpBlock.anyIpv4(scope, 'Provider'), [kplus.NetworkPolicyPort.tcp(options.providerPort ?? 443)]);
  if (needs.apiServer) {
    // The release's runtime reads its Provider and the credential through the Kubernetes API.
    policy.addEgressRule(kplus.NetworkPolicyIpBlock.anyIpv4(scope, 'ApiServer'), [kplus.NetworkPolicyPort.tcp(443), kplus.NetworkPolicyPort.tcp(6443)]);
  }
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
  return ApiObject.of(policy).toJson().spec;
}
