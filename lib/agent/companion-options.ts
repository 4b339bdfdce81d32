import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/** Options of `AgentRuntime.autoscale`. */
export interface AutoscaleOptions {
  /**
   * Fewest agent pods.
   * @default 1
   */
  readonly minReplicas?: number;
  /** Most agent pods. */
  readonly maxReplicas: number;
  /**
   * Average CPU use, in percent of the request, the autoscaler aims for.
   * @default 80
   */
  readonly cpuTargetUtilization?: number;
  /**
   * Average memory use, in percent of the request, the autoscaler aims for.
   * @default - memory is not a target
   */
  readonly memoryTargetUtilization?: number;
  /**
   * How long load must stay low before pods are removed; long-lived websocket sessions favour a long window.
   * @default Duration.minutes(5)
   */
  readonly scaleDownStabilization?: Duration;
}

/** Options of `AgentRuntime.addDisruptionBudget`; give at most one of the two. */
export interface DisruptionBudgetOptions {
  /**
   * Agent pods that may be down at once during voluntary disruptions (drains, upgrades).
   * @default 1
   */
  readonly maxUnavailable?: number;
  /**
   * Agent pods that must stay up during voluntary disruptions.
   * @default - maxUnavailable is used instead
   */
  readonly minAvailable?: number;
}

/** Options of `AgentRuntime.isolateNetwork`. */
export interface NetworkIsolationOptions {
  /**
   * Who may open connections to the agent's facade ports (pods, namespaces, IP blocks).
   * @default - nobody: the agent takes no inbound traffic
   */
  readonly allowFrom?: kplus.INetworkPolicyPeer[];
  /**
   * Where the LLM provider is reached, for self-hosted models (ollama, vllm) for instance.
   * @default - any IPv4 address
   */
  readonly providerPeer?: kplus.INetworkPolicyPeer;
  /**
   * TCP port of the provider.
   * @default 443
   */
  readonly providerPort?: number;
  /**
   * Where the redis session store runs.
   * @default - pods in any namespace
   */
  readonly sessionStorePeer?: kplus.INetworkPolicyPeer;
  /**
   * TCP port of the redis session store.
   * @default 6379
   */
  readonly sessionStorePort?: number;
}

/** Companions to give every AgentRuntime in a scope. */
export interface AgentCompanionOptions {
  /**
   * Autoscale every agent that does not set `replicas` itself.
   * @default - no autoscaling
   */
  readonly autoscale?: AutoscaleOptions;
  /**
   * Give every agent a PodDisruptionBudget.
   * @default - none
   */
  readonly disruptionBudget?: DisruptionBudgetOptions;
  /**
   * Isolate every agent's network.
   * @default - no NetworkPolicy
   */
  readonly networkIsolation?: NetworkIsolationOptions;
}
