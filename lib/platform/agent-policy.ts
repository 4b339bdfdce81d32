import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { OMNIA_API_VERSION } from '../api';
import { IAgentRuntime } from '../agent/agent-runtime';
import { describeObject, describeResource, invalidProp } from '../core/errors';
import { callSite, checkArguments } from '../core/jsii-types';
import { addStandardLabels } from '../core/labels';
import { ExternalReference, IOmniaReference } from '../core/references';
import { ReleaseObject } from '../targets/release-kinds';
import { IToolRegistry } from '../tools/tool-registry';
import { checkSameNamespace, PolicyFailureAction, refuseDocumented } from './common';

/** An AgentPolicy, defined in this app or outside it. */
export interface IAgentPolicy extends IOmniaReference {}

/** How an AgentPolicy is applied. */
export enum AgentPolicyMode {
  /** Its decisions block traffic. */
  ENFORCE = 'enforce',
  /** Its decisions are logged (an Istio AUDIT policy), nothing is blocked. */
  PERMISSIVE = 'permissive',
}

/** Whether the tools listed are the only ones allowed, or the ones refused. */
export enum ToolAccessMode {
  /** Only the listed tools may be called. */
  ALLOWLIST = 'allowlist',
  /** The listed tools may not be called. */
  DENYLIST = 'denylist',
}

/** Tools of one registry. */
export interface ToolAccessRule {
  /** The registry, in the policy's namespace. */
  readonly registry: IToolRegistry;
  /** Names of its tools; at least one. */
  readonly tools: string[];
}

/** Which tools the agents may call. */
export interface ToolAccess {
  /** Allowlist or denylist. */
  readonly mode: ToolAccessMode;
  /** The tools, by registry; at least one rule. */
  readonly rules: ToolAccessRule[];
}

/** Options of `AgentPolicy.fromAgentPolicyName`. */
export interface AgentPolicyReferenceOptions {
  /**
   * Namespace of the policy.
   * @default - the namespace of the object that refers to it
   */
  readonly namespace?: string;
}

/** Props of an AgentPolicy. */
export interface AgentPolicyProps extends kplus.ResourceProps {
  /**
   * The agents it applies to, in its namespace (the release selects them by name).
   * @default - every agent of the namespace
   */
  readonly agents?: IAgentRuntime[];
  /**
   * Which tools the agents may call. The operator enforces it with Istio AuthorizationPolicies: without
   * Istio's CRDs in the cluster the policy fails (or, with `onFailure: ALLOW`, stays inactive).
   * @default - no tool restriction
   */
  readonly toolAccess?: ToolAccess;
  /**
   * Enforce, or only log.
   * @default AgentPolicyMode.ENFORCE
   */
  readonly mode?: AgentPolicyMode;
  /**
   * What happens when the policy cannot be evaluated or enforced.
   * @default PolicyFailureAction.DENY
   */
  readonly onFailure?: PolicyFailureAction;
}

/**
 * Which agents of a namespace a policy governs and which tools they may call (written for Istio to
 * enforce). Release target only: the documented API has no such kind.
 */
export class AgentPolicy extends kplus.Resource implements IAgentPolicy {
  /** Refers to an AgentPolicy outside this app; nothing is synthesized for it. Documented API: refused. */
  public static fromAgentPolicyName(scope: Construct, id: string, name: string, options: AgentPolicyReferenceOptions = {}): IAgentPolicy {
    const where = callSite(scope, id, 'AgentPolicy.fromAgentPolicyName');
    checkArguments(where, 'cdk8s-omnia.AgentPolicy', 'fromAgentPolicyName', [scope, id, name, options]);
    refuseDocumented(scope, where, 'AgentPolicy', name, options?.namespace);
    return new ExternalReference(scope, id, 'AgentPolicy', name, options?.namespace);
  }

  /** @see kplus.Resource */
  public readonly resourceType = 'agentpolicies';
  protected readonly apiObject: ApiObject;
  private readonly spec: any;

  public constructor(scope: Construct, id: string, props: AgentPolicyProps = {}) {
    super(scope, id);
    describeObject(this, () => describeResource(this, 'AgentPolicy', props?.metadata));
    checkArguments(this, 'cdk8s-omnia.AgentPolicy', undefined, [scope, id, props]);
    props = props ?? {};
    refuseDocumented(this, this.node.path, 'AgentPolicy', props.metadata?.name);
    this.apiObject = new ReleaseObject(this, 'Resource', {
      apiVersion: OMNIA_API_VERSION,
      kind: 'AgentPolicy',
      metadata: props.metadata,
      // The spec is checked against the namespace, which the object knows once made.
      spec: Lazy.any({ produce: () => this.spec }),
    });
    this.spec = this.renderSpec(props);
    addStandardLabels(this, this.metadata, 'agentpolicy', this.name);
  }

  /** Namespace of the AgentPolicy. */
  public get namespace(): string | undefined {
    return this.metadata.namespace;
  }

  /** @internal */
  public _referenceView(): any {
    return { apiVersion: OMNIA_API_VERSION, kind: 'AgentPolicy', metadata: { name: this.name, namespace: this.namespace }, spec: this.spec };
  }

  private renderSpec(props: AgentPolicyProps): any {
    const ns = this.namespace ?? 'default';
    const agents = props.agents;
    agents?.forEach((agent, i) => checkSameNamespace(this, `agents[${i}]`, agent, ns, 'where the policy selects agents by name'));
    const names = agents?.map((a) => a.name);
    const twice = names?.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw invalidProp(this, 'agents', `${JSON.stringify(twice)} is listed twice`);
    const access = props.toolAccess;
    if (access) {
      if (!access.rules?.length) throw invalidProp(this, 'toolAccess.rules', 'needs at least one rule (the operator refuses an empty list)');
      access.rules.forEach((rule, i) => {
        checkSameNamespace(this, `toolAccess.rules[${i}].registry`, rule.registry, ns, 'where the policy names registries');
        if (!rule.tools?.length) throw invalidProp(this, `toolAccess.rules[${i}].tools`, 'needs at least one tool name');
        rule.tools.forEach((tool, j) => {
          if (!tool) throw invalidProp(this, `toolAccess.rules[${i}].tools[${j}]`, 'a tool name must not be empty');
        });
      });
    }
    return {
      selector: names?.length ? { agents: names } : undefined,
      toolAccess: access && { mode: access.mode, rules: access.rules.map((r) => ({ registry: r.registry.name, tools: [...r.tools] })) },
      mode: props.mode ?? AgentPolicyMode.ENFORCE,
      onFailure: props.onFailure ?? PolicyFailureAction.DENY,
    };
  }
}
