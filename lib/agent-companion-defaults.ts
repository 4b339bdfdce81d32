import { IConstruct } from 'constructs';
import { AutoscaleOptions, DisruptionBudgetOptions, NetworkIsolationOptions } from './agent-companion-options';
import { checkArguments } from './jsii-types';

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

/** The agent calls these on itself; kept structural to avoid an import cycle. */
interface CompanionTarget extends IConstruct {
  readonly replicasSetByUser: boolean;
  autoscale(options: AutoscaleOptions): void;
  addDisruptionBudget(options?: DisruptionBudgetOptions): void;
  isolateNetwork(options?: NetworkIsolationOptions): void;
}

const registered = new WeakMap<IConstruct, AgentCompanionOptions>();
const isTarget = (c: IConstruct): c is CompanionTarget => typeof (c as any).isolateNetwork === 'function' && 'replicasSetByUser' in c;

/**
 * An app-wide switch: the chosen companions for every AgentRuntime in a scope, those defined before and
 * after the call. A call on the agent itself (`agent.autoscale(...)`) replaces the scope's choice for it.
 */
export class AgentCompanions {
  /** Gives every AgentRuntime under `scope` the chosen companions. */
  public static applyTo(scope: IConstruct, options: AgentCompanionOptions): void {
    checkArguments(scope?.node ? scope : 'AgentCompanions.applyTo', 'cdk8s-omnia.AgentCompanions', 'applyTo', [scope, options]);
    registered.set(scope, options);
    for (const c of scope.node.findAll()) if (isTarget(c)) apply(c, options);
  }

  /**
   * Applies the companions registered on the agent's scopes; called by every AgentRuntime.
   * @internal
   */
  public static _applyDefaults(agent: IConstruct): void {
    if (!isTarget(agent)) return;
    for (const scope of agent.node.scopes) {
      const options = registered.get(scope);
      if (options) apply(agent, options);
    }
  }

  private constructor() {}
}

function apply(agent: CompanionTarget, options: AgentCompanionOptions): void {
  if (options.autoscale && !agent.replicasSetByUser) agent.autoscale(options.autoscale);
  if (options.disruptionBudget) agent.addDisruptionBudget(options.disruptionBudget);
  if (options.networkIsolation) agent.isolateNetwork(options.networkIsolation);
}
